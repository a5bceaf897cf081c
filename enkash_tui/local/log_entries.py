"""One line of the action log (``Entry``): what a change was, how it ended, and what to check
before doing it again; written and read by ``action_log.ActionLog``. Secret-looking keys are
scrubbed from bodies here, before anything reaches the file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from enkash_tui.api.call_record import OUTCOMES, UPLOAD_OPERATIONS, CallRecord
from enkash_tui.local.running import this_process

# Parts of a key name that mark its value as secret; matched case-insensitively, at any depth.
SECRET_WORDS = ("password", "secret", "token", "authorization")


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


STOPPED = "The app stopped before EnKash answered"
SHOWN_IDS = 5  # ids a check names; the entry in full has them all


def interrupted_check(entry: Entry) -> str:
    """What to look at in EnKash before doing an interrupted change again."""
    noun = _noun(entry.operation)
    if entry.upload or entry.operation in UPLOAD_OPERATIONS:
        what = f"search for the {noun}s in {entry.upload or 'the file'} before uploading it again"
    else:
        ids = [i for i in entry.target_ids if i]
        if ids:
            label = f"{noun}s" if len(ids) > 1 else noun
            shown = ", ".join(ids[:SHOWN_IDS])
            if len(ids) > SHOWN_IDS:
                shown += f" and {len(ids) - SHOWN_IDS} more"
            what = f"check the {label} {shown} before doing it again"
        else:
            name = _named(entry.body)
            what = f"search for the {noun}{f' {name}' if name else ''} before doing it again"
    return f"{STOPPED}: {what}."


def interrupted_notice(entries: list[Entry]) -> str:
    """The start-up notice for changes a stopped run left with an unknown outcome."""
    first = entries[-1]  # the latest
    many = len(entries) > 1
    count = f"{len(entries)} changes have" if many else "A change has"
    more = f" The latest, {first.operation}: " if many else f" {first.operation}: "
    check = interrupted_check(first).removeprefix(f"{STOPPED}: ")
    return (
        f"{count} an unknown outcome: the app stopped before EnKash answered.{more}{check} "
        "Ctrl+L lists them (type unknown) with the check for each."
    )


def _named(body: Any) -> str:
    """A created record's name as sent (legal name, invoice number), for the check to make."""
    if isinstance(body, Mapping):
        for key in ("legalName", "invoiceNumber"):
            value = body.get(key)
            if isinstance(value, str) and value:
                return repr(value)
    return ""


@dataclass(frozen=True)
class Entry:
    """One line of the log, as read back."""

    at: dt.datetime
    operation: str
    outcome: str  # pending | ok | partial | failed | unknown (see call_record.Outcome)
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
    call_id: str = ""  # the same on a change's pending line and its outcome line
    done: int | None = None  # per-invoice or per-row replies: done, and not done
    failed: int | None = None
    unit: str = ""  # what done and failed count: invoices | rows
    writer: str = ""  # pending lines: the process that sent it (running.this_process)
    interrupted: bool = False  # its process ended before EnKash answered

    @property
    def counts_text(self) -> str:
        """``1 done, 2 failed`` (invoices) or ``2 of 3 rows done, 1 refused``; "" if none."""
        if self.done is None or self.failed is None:
            return ""
        if self.unit == "rows":
            return f"{self.done} of {self.done + self.failed} rows done, {self.failed} refused"
        return f"{self.done} done, {self.failed} failed"

    @property
    def retry_refusal(self) -> str | None:
        """Why this entry cannot be sent again from the log, or None when it can."""
        thing = _noun(self.operation)
        if self.outcome == "ok":
            return "It worked: there is nothing to retry."
        if self.outcome == "pending":
            return "It has not ended yet: wait for EnKash's answer."
        if self.upload or self.operation in UPLOAD_OPERATIONS:
            return "Uploads are not retried from here (the file is not kept): upload it again."
        if self.outcome == "partial":
            return (
                f"Part of it was done ({self.counts_text}): do the rest again from its screen, "
                "so what was done is not done twice."
            )
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
        """Lower-case words the filter matches: operation, targets, message, profile."""
        parts = (self.operation, *self.target_ids, self.message, self.profile)
        return " ".join(parts).lower()

    def matches(self, text: str) -> bool:
        """An outcome word of ``text`` (ok, partial, failed, unknown, pending) matches the
        outcome exactly, any of them; every other word appears somewhere in the entry
        (case-insensitive). So ``failed`` lists failed entries, not partial ones whose message
        says "1 failed"."""
        words = text.lower().split()
        outcomes = {word for word in words if word in OUTCOMES}
        if outcomes and self.outcome not in outcomes:
            return False
        haystack = self.search_text
        return all(word in haystack for word in words if word not in outcomes)

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
            "id": self.call_id,
            "done": self.done,
            "failed": self.failed,
            "unit": self.unit,
            "writer": self.writer,
            "interrupted": self.interrupted,
        }

    @classmethod
    def of(cls, record: CallRecord, profile: str, user: str, at: dt.datetime) -> Entry:
        counts = record.counts
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
            call_id=record.call_id,
            done=counts.done if counts else None,
            failed=counts.failed if counts else None,
            unit=counts.unit if counts else "",
            writer=this_process() if record.outcome == "pending" else "",
        )

    def as_interrupted(self) -> Entry:
        """This pending entry, its process gone: unknown, with the check to make first."""
        return replace(
            self, outcome="unknown", interrupted=True, writer="", message=interrupted_check(self)
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
            call_id=_str(data.get("id")),
            done=_count(data.get("done")),
            failed=_count(data.get("failed")),
            unit=_str(data.get("unit")),
            writer=_str(data.get("writer")),
            interrupted=data.get("interrupted") is True,
        )


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
