"""The action log: every change the app asked EnKash for, one JSON object a line, on disk.

Each line says when, in which profile, as whom, which operation on which records, how it ended
(ok / failed / unknown), the HTTP status, EnKash's message and request id, whether sending it
again is safe, and the JSON body as sent (so it can be). Never a secret: no headers, no tokens,
no uploaded file content, and any key that looks secret is dropped from the body before writing.

The file lives in the user data dir (``<data dir>/action-log.jsonl``), is readable by its owner
only (0600) and is only ever appended to; a damaged line is skipped when reading.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import clock
from ..api.call_record import UPLOAD_OPERATIONS, CallRecord
from ..config import data_dir
from ..files import private_dir

DATA_ENV = "ENKASH_TUI_DATA_DIR"
STATE_ENV = "ENKASH_TUI_STATE_DIR"
FILE_NAME = "action-log.jsonl"
# Parts of a key name that mark its value as secret; matched case-insensitively, at any depth.
SECRET_WORDS = ("password", "secret", "token", "authorization")


def log_dir() -> Path:
    """``$ENKASH_TUI_DATA_DIR``; else ``$ENKASH_TUI_STATE_DIR`` (an isolated run: tests and
    benchmarks set it, and their changes must not land in the user's real log); else the user
    data dir (``~/.local/share/enkash-tui``)."""
    for name in (DATA_ENV, STATE_ENV):
        override = os.environ.get(name)
        if override:
            return Path(override).expanduser()
    return data_dir()


def log_path(folder: Path | None = None) -> Path:
    return (folder or log_dir()) / FILE_NAME


def is_secret_key(key: object) -> bool:
    name = str(key).lower()
    return any(word in name for word in SECRET_WORDS)


def scrub(value: Any) -> Any:
    """``value`` without any mapping key that looks secret, at any depth."""
    if isinstance(value, Mapping):
        return {k: scrub(v) for k, v in value.items() if not is_secret_key(k)}
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    return value


def _noun(operation: str) -> str:
    if "reminder" in operation:
        return "reminder rule"
    if "customer" in operation:
        return "customer"
    return "invoice"


@dataclass(frozen=True)
class Entry:
    """One line of the log, as read back."""

    at: dt.datetime
    operation: str
    outcome: str  # ok | failed | unknown
    profile: str = ""
    user: str = ""
    method: str = ""
    path: str = ""
    target_ids: tuple[str, ...] = ()
    status: int | None = None
    message: str = ""
    request_id: str | None = None
    retry_safe: bool = False
    path_params: dict[str, str] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    body: Any = None
    upload: str | None = None  # an upload's file name

    @property
    def retry_refusal(self) -> str | None:
        """Why this entry cannot be sent again from the log, or None when it can."""
        thing = _noun(self.operation)
        if self.outcome == "ok":
            return "It worked: there is nothing to retry."
        if self.upload or self.operation in UPLOAD_OPERATIONS:
            return "Uploads are not retried from here (the file is not kept): upload it again."
        if self.outcome == "unknown":
            return f"The outcome is unknown: check the {thing} before doing it again."
        if self.retry_safe:
            return None
        if self.status is not None and self.status >= 500:
            return (
                f"EnKash failed while doing it, so part of it may have been applied: check the "
                f"{thing} before doing it again."
            )
        if self.status is not None:
            return "Refused by EnKash: fix it and do it again from its screen."
        return "It failed before reaching EnKash: do it again from its screen."

    @property
    def search_text(self) -> str:
        """Lower-case words the filter matches: operation, targets, outcome, message, profile."""
        parts = (self.operation, *self.target_ids, self.outcome, self.message, self.profile)
        return " ".join(parts).lower()

    def matches(self, text: str) -> bool:
        """Every word of ``text`` appears somewhere in the entry (case-insensitive)."""
        haystack = self.search_text
        return all(word in haystack for word in text.lower().split())

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "profile": self.profile,
            "user": self.user,
            "operation": self.operation,
            "method": self.method,
            "path": self.path,
            "target_ids": list(self.target_ids),
            "outcome": self.outcome,
            "status": self.status,
            "message": self.message,
            "request_id": self.request_id,
            "retry_safe": self.retry_safe,
            "path_params": self.path_params,
            "query": self.query,
            "body": self.body,
            "upload": self.upload,
        }

    @classmethod
    def of(cls, record: CallRecord, profile: str, user: str, at: dt.datetime) -> Entry:
        return cls(
            at=at,
            operation=record.operation,
            outcome=record.outcome,
            profile=profile,
            user=user,
            method=record.method,
            path=record.path,
            target_ids=tuple(record.target_ids),
            status=record.http_status,
            message=record.message or "",
            request_id=record.request_id,
            retry_safe=record.retry_safe,
            path_params={str(k): str(v) for k, v in scrub(record.path_params).items()},
            query=scrub(record.query),
            body=scrub(record.body),
            upload=record.upload_name,
        )

    @classmethod
    def from_json(cls, data: Any) -> Entry | None:
        """The entry a line holds, or None when the line is not one."""
        if not isinstance(data, dict):
            return None
        try:
            at = dt.datetime.fromisoformat(str(data["at"]))
            operation = data["operation"]
            outcome = data["outcome"]
        except (KeyError, ValueError):
            return None
        if not isinstance(operation, str) or not isinstance(outcome, str):
            return None
        if at.tzinfo is None:
            at = at.replace(tzinfo=dt.UTC)
        status = data.get("status")
        targets = data.get("target_ids")
        path_params = data.get("path_params")
        query = data.get("query")
        return cls(
            at=at,
            operation=operation,
            outcome=outcome,
            profile=_str(data.get("profile")),
            user=_str(data.get("user")),
            method=_str(data.get("method")),
            path=_str(data.get("path")),
            target_ids=tuple(str(t) for t in targets) if isinstance(targets, list) else (),
            status=status if isinstance(status, int) and not isinstance(status, bool) else None,
            message=_str(data.get("message")),
            request_id=_str(data.get("request_id")) or None,
            retry_safe=data.get("retry_safe") is True,
            path_params=(
                {str(k): str(v) for k, v in path_params.items()}
                if isinstance(path_params, dict)
                else {}
            ),
            query=query if isinstance(query, dict) else {},
            body=data.get("body"),
            upload=_str(data.get("upload")) or None,
        )


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


class ActionLog:
    """The log file: append one entry a call, read newest first."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or log_path()

    def append(
        self, record: CallRecord, profile: str, user: str, at: dt.datetime | None = None
    ) -> Entry:
        """Write ``record`` (scrubbed) as one line, stamped ``at`` (default: now, as the call
        has just ended); the file is created 0600."""
        entry = Entry.of(record, profile, user, at or clock.now())
        line = json.dumps(entry.to_json(), ensure_ascii=False, default=str, separators=(",", ":"))
        private_dir(self.path.parent)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.fchmod(fd, 0o600)  # a file made by something else may have kept wider bits
            # One write per line: appends from two running apps never interleave mid-line.
            os.write(fd, (line + "\n").encode("utf-8"))
        finally:
            os.close(fd)
        return entry

    def read(self, limit: int | None = 1000) -> list[Entry]:
        """Up to ``limit`` entries, newest first; damaged lines are skipped."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        entries = list(_parse(reversed(raw.splitlines())))
        entries.sort(key=lambda entry: entry.at, reverse=True)  # stable: ties keep file order
        return entries if limit is None else entries[:limit]

    def recorder(
        self, profile: str, user: str, on_error: Callable[[OSError], None] | None = None
    ) -> Callable[[CallRecord], None]:
        """A client's ``on_call_record`` listener writing to this log for one session."""

        def record(call: CallRecord) -> None:
            try:
                self.append(call, profile, user)
            except OSError as error:
                if on_error is not None:
                    on_error(error)

        return record


def _parse(lines: Iterable[bytes]) -> Iterable[Entry]:
    for line in lines:
        try:
            data = json.loads(line)
        except ValueError:  # a torn or hand-edited line (UnicodeDecodeError is one too)
            continue
        entry = Entry.from_json(data)
        if entry is not None:
            yield entry
