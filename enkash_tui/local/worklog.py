"""The follow-up book: notes, promises, disputes and follow-up dates, kept in SQLite because
EnKash has no place for them (``domain.followups`` says what they mean).

One database per profile in the user data dir (owner-only), unless the profile's ``worklog_db``
points at a shared file: then everyone signed in to that host works on one book. Several
processes may write at once: WAL, a busy timeout, and each change one short transaction. The
schema is versioned (``PRAGMA user_version``) and migrated forward on open.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from enkash_tui import clock
from enkash_tui.domain.followups import REPLACED, Entry, EntryKind, Subject, settled_words
from enkash_tui.local.locations import log_dir
from enkash_tui.local.private_files import private_database

BUSY_MS = 10_000  # how long a write waits for another process's transaction
# Each migration takes the schema from the version before it to its own number.
MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        """
        CREATE TABLE entries (
            id             INTEGER PRIMARY KEY,
            kind           TEXT NOT NULL
                           CHECK (kind IN ('note', 'promise', 'dispute', 'follow_up')),
            subject_kind   TEXT NOT NULL CHECK (subject_kind IN ('invoice', 'customer')),
            subject_id     TEXT NOT NULL,
            customer_id    TEXT NOT NULL,
            label          TEXT NOT NULL DEFAULT '',
            at             TEXT NOT NULL,         -- ISO 8601, UTC
            by             TEXT NOT NULL,
            text           TEXT NOT NULL DEFAULT '',
            amount_paise   INTEGER,               -- a promise's amount
            due            TEXT,                  -- yyyy-mm-dd: promise date, follow-up date
            reason         TEXT,                  -- a dispute's reason code
            baseline_paise INTEGER,               -- a promise: received when it was made
            closed_at      TEXT,                  -- resolved, done or superseded
            closed_by      TEXT,
            closing_text   TEXT NOT NULL DEFAULT '',
            paid_seen_on   TEXT                   -- a promise: the day its payment was seen
        );
        CREATE INDEX entries_subject ON entries (subject_kind, subject_id);
        CREATE INDEX entries_customer ON entries (customer_id);
        CREATE INDEX entries_open ON entries (kind, closed_at, due);
        """,
    ),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]


class WorklogError(Exception):
    """The book cannot be opened or written (a newer schema, a folder that refuses it…)."""


def worklog_path(profile_name: str, server: str, shared: str | None = None) -> Path:
    """The profile's book: its ``worklog_db`` when set, else one of its own in the data dir."""
    if shared:
        return Path(shared).expanduser()
    digest = hashlib.sha256(f"{profile_name}\n{server}".encode()).hexdigest()[:16]
    return log_dir() / "worklogs" / f"{digest}.sqlite3"


def _now() -> str:
    """Now, to the second: what an export writes, so a book's own export imports as itself."""
    return clock.now().replace(microsecond=0).isoformat()


def _paise(amount: Decimal | None) -> int | None:
    return None if amount is None else int((amount * 100).to_integral_value())


def _rupees(paise: int | None) -> Decimal | None:
    return None if paise is None else Decimal(paise) / 100


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _moment(text: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(text) if text else None


def _entry(row: sqlite3.Row) -> Entry:
    return Entry(
        id=row["id"],
        kind=row["kind"],
        subject=Subject(row["subject_kind"], row["subject_id"], row["customer_id"], row["label"]),
        at=dt.datetime.fromisoformat(row["at"]),
        by=row["by"],
        text=row["text"],
        amount=_rupees(row["amount_paise"]),
        due=_day(row["due"]),
        reason=row["reason"],
        baseline=_rupees(row["baseline_paise"]),
        closed_at=_moment(row["closed_at"]),
        closed_by=row["closed_by"],
        closing_text=row["closing_text"],
        paid_seen_on=_day(row["paid_seen_on"]),
    )


def _subject_values(subject: Subject) -> dict[str, str]:
    return {
        "subject_kind": subject.kind,
        "subject_id": subject.id,
        "customer_id": subject.customer_id,
        "label": subject.label,
    }


def _entry_values(entry: Entry) -> dict[str, object]:
    """An entry as its row holds it (``_entry`` read back)."""
    return {
        "kind": entry.kind,
        **_subject_values(entry.subject),
        "at": entry.at.isoformat(),
        "by": entry.by,
        "text": entry.text,
        "amount_paise": _paise(entry.amount),
        "due": entry.due.isoformat() if entry.due else None,
        "reason": entry.reason,
        "baseline_paise": _paise(entry.baseline),
        "closed_at": entry.closed_at.isoformat() if entry.closed_at else None,
        "closed_by": entry.closed_by,
        "closing_text": entry.closing_text,
        "paid_seen_on": entry.paid_seen_on.isoformat() if entry.paid_seen_on else None,
    }


def _insert(conn: sqlite3.Connection, values: dict[str, object]) -> int:
    names, marks = ", ".join(values), ", ".join("?" for _ in values)
    cursor = conn.execute(f"INSERT INTO entries ({names}) VALUES ({marks})", tuple(values.values()))
    assert cursor.lastrowid is not None
    return cursor.lastrowid


class Worklog:
    """The book at ``path``; ``username`` signs what this process writes."""

    def __init__(self, path: Path, username: str, *, private: bool = True) -> None:
        self.path = path
        self.username = username
        # One connection, used from the UI and from worker threads: one user at a time.
        self._lock = threading.RLock()
        try:
            if private:
                private_database(path)
            elif not path.parent.is_dir():  # a shared book lives in a folder its team made
                raise WorklogError(
                    f"the folder of the shared follow-up book {path} does not exist: make it "
                    "group-writable for the team (chmod 2770) first"
                )
            self.conn = sqlite3.connect(
                str(path), timeout=BUSY_MS / 1000, isolation_level=None, check_same_thread=False
            )
            self.conn.row_factory = sqlite3.Row
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
            self.conn.execute("PRAGMA journal_mode = WAL")
            # In WAL this still never corrupts the book; only the last change before a power
            # cut may be lost. A sync a change would make every note wait on the disk.
            self.conn.execute("PRAGMA synchronous = NORMAL")
            if private:
                private_database(path)  # the -wal and -shm files SQLite just made
            self._migrate()
        except (OSError, sqlite3.Error) as error:
            raise WorklogError(f"cannot open the follow-up book {path}: {error}") from error

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short transaction, taking the write lock at once (no upgrade deadlocks)."""
        with self._lock:
            yield from self._transaction()

    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
        except sqlite3.Error as error:
            raise WorklogError(f"could not write the follow-up book: {error}") from error

    def _migrate(self) -> None:
        with self._write() as conn:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise WorklogError(
                    f"{self.path} was written by a newer enkash-tui (schema {version}): update"
                )
            for number, script in MIGRATIONS:
                if number > version:
                    for statement in filter(str.strip, script.split(";")):
                        conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {number}")

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # -- writing -----------------------------------------------------------------------------

    def _add(self, kind: EntryKind, subject: Subject, **fields: Any) -> Entry:
        values: dict[str, object] = {
            "kind": kind,
            **_subject_values(subject),
            "at": _now(),
            "by": self.username,
        }
        values.update(fields)
        with self._write() as conn:
            if kind != "note":  # a new one replaces the subject's open one (one open of each)
                self._close_open(conn, kind, subject.kind, subject.id)
            row_id = _insert(conn, values)
            return _entry(conn.execute("SELECT * FROM entries WHERE id = ?", (row_id,)).fetchone())

    def _close_open(
        self, conn: sqlite3.Connection, kind: str, subject_kind: str, subject_id: str,
        keep: int | None = None,
    ) -> None:  # fmt: skip
        """Close the subject's open entries of ``kind`` (but ``keep``) as replaced."""
        conn.execute(
            "UPDATE entries SET closed_at = ?, closed_by = ?, closing_text = ? "
            "WHERE kind = ? AND subject_kind = ? AND subject_id = ? AND closed_at IS NULL"
            " AND id IS NOT ?",
            (_now(), self.username, REPLACED, kind, subject_kind, subject_id, keep),
        )

    def add_note(self, subject: Subject, text: str) -> Entry:
        return self._add("note", subject, text=text)

    def add_promise(
        self, subject: Subject, due: dt.date, amount: Decimal, received: Decimal, text: str = ""
    ) -> Entry:
        """A promise to pay ``amount`` by ``due``; ``received`` is what EnKash has received on
        the subject now, so that what comes after can be told apart."""
        return self._add(
            "promise",
            subject,
            due=due.isoformat(),
            amount_paise=_paise(amount),
            baseline_paise=_paise(received),
            text=text,
        )

    def open_dispute(self, subject: Subject, reason: str, text: str = "") -> Entry:
        return self._add("dispute", subject, reason=reason, text=text)

    def set_follow_up(self, subject: Subject, due: dt.date, text: str = "") -> Entry:
        return self._add("follow_up", subject, due=due.isoformat(), text=text)

    def close_entry(self, entry_id: int, text: str = "") -> Entry:
        """Resolve a dispute, or mark a follow-up done (once: a closed entry stays as it was)."""
        with self._write() as conn:
            conn.execute(
                "UPDATE entries SET closed_at = ?, closed_by = ?, closing_text = ? "
                "WHERE id = ? AND closed_at IS NULL",
                (_now(), self.username, text, entry_id),
            )
            row = conn.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
        if row is None:
            raise WorklogError(f"no entry {entry_id} in the follow-up book")
        return _entry(row)

    def settle_promises(self, promises: Iterable[Entry], seen: dt.date) -> None:
        """Promises whose payment was seen today: each is closed as kept (or paid late) with
        the day it was seen. One already closed (by another process, or replaced) is left."""
        with self._write() as conn:
            for promise in promises:
                conn.execute(
                    "UPDATE entries SET paid_seen_on = COALESCE(paid_seen_on, ?), closed_at = ?,"
                    " closed_by = ?, closing_text = ? WHERE id = ? AND kind = 'promise'"
                    " AND closed_at IS NULL",
                    (seen.isoformat(), _now(), self.username,
                     settled_words(promise, promise.paid_seen_on or seen), promise.id),
                )  # fmt: skip

    def import_entries(self, entries: Iterable[Entry]) -> int:
        """Entries read from a file (``domain.followup_csv``), written as they are (who, when,
        closed or not) in one transaction: all or none. One already in the book (the same kind,
        subject, moment, writer and text) is skipped, so a file imported twice is kept once.
        A subject left with two open promises or follow-ups keeps the newest open, as the app
        itself would have. Returns how many were written."""
        written = 0
        touched: set[tuple[str, str, str]] = set()
        with self._write() as conn:
            for entry in entries:
                subject = entry.subject
                key = (entry.kind, subject.kind, subject.id, entry.at.isoformat(), entry.by)
                same = conn.execute(
                    "SELECT 1 FROM entries WHERE kind = ? AND subject_kind = ? AND subject_id = ?"
                    " AND at = ? AND by = ? AND text = ?",
                    (*key, entry.text),
                ).fetchone()
                if same is not None:
                    continue
                _insert(conn, _entry_values(entry))
                written += 1
                if entry.is_open and entry.kind != "note":
                    touched.add((entry.kind, subject.kind, subject.id))
            for kind, subject_kind, subject_id in touched:
                newest = conn.execute(
                    "SELECT id FROM entries WHERE kind = ? AND subject_kind = ? AND subject_id = ?"
                    " AND closed_at IS NULL ORDER BY at DESC, id DESC LIMIT 1",
                    (kind, subject_kind, subject_id),
                ).fetchone()
                self._close_open(conn, kind, subject_kind, subject_id, keep=newest["id"])
        return written

    # -- reading -----------------------------------------------------------------------------

    def _select(self, where: str = "1", params: Iterable[object] = ()) -> list[Entry]:
        try:
            with self._lock:
                rows = self.conn.execute(
                    f"SELECT * FROM entries WHERE {where} ORDER BY at DESC, id DESC", tuple(params)
                ).fetchall()
        except sqlite3.Error as error:
            raise WorklogError(f"could not read the follow-up book: {error}") from error
        return [_entry(row) for row in rows]

    def about(self, subject: Subject) -> list[Entry]:
        """Everything on ``subject``, newest first; a customer's includes its invoices'."""
        if subject.kind == "customer":
            return self._select("customer_id = ?", (subject.id,))
        return self._select("subject_kind = 'invoice' AND subject_id = ?", (subject.id,))

    def open_entries(self, kind: EntryKind) -> list[Entry]:
        """The open promises, disputes or follow-ups of the whole book, newest first."""
        return self._select("kind = ? AND closed_at IS NULL", (kind,))

    def open_followups(self) -> list[Entry]:
        """The open promises, disputes and follow-ups (what Home's tiles count), newest first."""
        return self._select("kind != 'note' AND closed_at IS NULL")

    def all_entries(self) -> list[Entry]:
        return self._select()
