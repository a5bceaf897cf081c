"""The action log: every change the app asked EnKash for, one JSON object a line, on disk.

Each line says when, in which profile, as whom, which operation on which records, how it ended
(ok / partial / failed / unknown, with the done and failed counts of a per-invoice or per-row
reply), the HTTP status, EnKash's message and request id, whether sending it again is safe, and
the JSON body as sent (so it can be). Never a secret: no headers, no tokens, no uploaded file
content, and any key that looks secret is dropped from the body before writing.

A change is written twice: a ``pending`` line just before it is sent, then its outcome once it
ends, both with the same ``id``; reading keeps the last line of each id. Each line is synced to
disk before the call goes on, so a change killed in flight (``kill -9``, a power cut) still has
its pending line. A pending line whose process is gone is read as ``unknown``, with the check to
make before doing it again; ``settle`` writes that down once, at start, so the app says so once.

The file lives in the user data dir (``<data dir>/action-log.jsonl``), is readable by its owner
only (0600) and is only ever appended to; a damaged line is skipped when reading.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from enkash_tui import clock
from enkash_tui.api.call_record import CallRecord
from enkash_tui.api.text import clean_json
from enkash_tui.local.locations import log_dir
from enkash_tui.local.log_entries import Entry
from enkash_tui.local.private_files import private_dir
from enkash_tui.local.running import still_running

if TYPE_CHECKING:
    from enkash_tui.api.client import EnkashClient

FILE_NAME = "action-log.jsonl"


def log_path(folder: Path | None = None) -> Path:
    return (folder or log_dir()) / FILE_NAME


class ActionLog:
    """The log file: append a pending line and an outcome line a call, read newest first."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or log_path()

    def append(
        self, record: CallRecord, profile: str, user: str, at: dt.datetime | None = None
    ) -> Entry:
        """Write ``record`` (scrubbed) as one line, stamped ``at`` (default: now, as the call
        is about to be sent or has just ended); the file is created 0600."""
        entry = Entry.of(record, profile, user, at or clock.now())
        self._write(entry)
        return entry

    def _write(self, entry: Entry) -> None:
        line = json.dumps(entry.to_json(), ensure_ascii=False, default=str, separators=(",", ":"))
        data = (line + "\n").encode("utf-8")
        private_dir(self.path.parent)
        created = not self.path.exists()
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.fchmod(fd, 0o600)  # a file made by something else may have kept wider bits
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                data = b"\n" + data  # a line torn by a crash must not swallow this one
            # One write per line: appends from two running apps never interleave mid-line.
            os.write(fd, data)
            # On disk before the call goes on: a pending line must outlive a power cut.
            os.fsync(fd)
        finally:
            os.close(fd)
        if created:
            _sync_folder(self.path.parent)  # the new file's name must reach the disk too

    def _merged(self) -> list[Entry]:
        """Every change once, as its last line has it, in file order."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return []
        changes: dict[object, Entry] = {}
        for number, entry in enumerate(_parse(raw.splitlines())):
            # A line without an id (written before ids) is a change of its own.
            key: object = entry.call_id or number
            changes.pop(key, None)  # re-inserted: the order is that of each change's last line
            changes[key] = entry
        return list(changes.values())

    def read(self, limit: int | None = 1000) -> list[Entry]:
        """Up to ``limit`` entries, newest first; damaged lines are skipped. A pending entry
        whose process has ended reads as unknown, with the check to make first."""
        running: dict[str, bool] = {}

        def current(entry: Entry) -> Entry:
            if entry.outcome != "pending":
                return entry
            if entry.writer not in running:
                running[entry.writer] = still_running(entry.writer)
            return entry if running[entry.writer] else entry.as_interrupted()

        entries = [current(entry) for entry in reversed(self._merged())]
        entries.sort(key=lambda entry: entry.at, reverse=True)  # stable: ties keep file order
        return entries if limit is None else entries[:limit]

    def settle(self) -> list[Entry]:
        """Write down as unknown every change still pending whose process has ended, and return
        them (oldest first): at start, so the app tells the operator once."""
        settled = []
        for entry in self._merged():
            if entry.outcome == "pending" and not still_running(entry.writer):
                interrupted = entry.as_interrupted()
                self._write(interrupted)
                settled.append(interrupted)
        return settled

    def recorder(
        self, profile: str, user: str, on_error: Callable[[OSError], None] | None = None
    ) -> Callable[[CallRecord], None]:
        """A client's ``on_call_start`` and ``on_call_record`` listener writing to this log for
        one session."""

        def record(call: CallRecord) -> None:
            try:
                self.append(call, profile, user)
            except OSError as error:
                if on_error is not None:
                    on_error(error)

        return record

    def attach(
        self,
        client: EnkashClient,
        profile: str,
        user: str,
        on_error: Callable[[OSError], None] | None = None,
    ) -> None:
        """Log every change ``client`` makes: before it is sent, and once it ends."""
        listener = self.recorder(profile, user, on_error)
        client.on_call_start = listener
        client.on_call_record = listener


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # not possible everywhere (Windows): the file's own sync is what matters most
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _parse(lines: Iterable[bytes]) -> Iterable[Entry]:
    for line in lines:
        try:
            # Lines written by an older version may quote EnKash uncleaned: cleaned as read.
            data = clean_json(json.loads(line))
        except ValueError:  # a torn or hand-edited line (UnicodeDecodeError is one too)
            continue
        entry = Entry.from_json(data)
        if entry is not None:
            yield entry
