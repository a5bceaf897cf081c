"""The follow-up book (``local.worklog``) on real SQLite files: schema and migrations, each kind of
entry, who and when, open and closed entries, file modes, and two processes writing one shared
book at once with nothing lost."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from enkash_tui import clock
from enkash_tui.domain.followups import Subject
from enkash_tui.local.worklog import SCHEMA_VERSION, Worklog, WorklogError, worklog_path

NOON = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)
INVOICE = Subject.invoice("KI0000000000000A", "KC0000000000000A", "INV/2026-27/00001")
OTHER_INVOICE = Subject.invoice("KI0000000000000B", "KC0000000000000A", "INV/2026-27/00002")
CUSTOMER = Subject.customer("KC0000000000000A", "Acme Traders")
ELSEWHERE = Subject.customer("KC0000000000000Z", "Zenith Ltd")


@pytest.fixture
def book(tmp_path: Path) -> Worklog:
    with clock.pinned(NOON):
        return Worklog(tmp_path / "book.sqlite3", "asha@example.com")


def test_a_new_book_has_the_latest_schema_and_is_the_owners_only(book: Worklog) -> None:
    assert book.schema_version == SCHEMA_VERSION
    for name in (book.path, Path(f"{book.path}-wal")):
        assert stat.S_IMODE(name.stat().st_mode) == 0o600, name


def test_a_book_from_a_newer_version_is_refused_in_words(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(WorklogError, match="newer enkash-tui"):
        Worklog(path, "asha")


def test_opening_again_keeps_everything_and_migrates_nothing_twice(tmp_path: Path) -> None:
    first = Worklog(tmp_path / "b.sqlite3", "asha")
    first.add_note(INVOICE, "called, will pay Friday")
    first.close()
    again = Worklog(tmp_path / "b.sqlite3", "ravi")
    assert [e.text for e in again.about(INVOICE)] == ["called, will pay Friday"]
    assert again.schema_version == SCHEMA_VERSION


def test_each_entry_says_who_and_when(book: Worklog) -> None:
    with clock.pinned(NOON, frozen=True):
        note = book.add_note(INVOICE, "left a voicemail")
    assert (note.by, note.at, note.kind, note.subject) == (
        "asha@example.com",
        NOON,
        "note",
        INVOICE,
    )


def test_a_promise_keeps_its_date_amount_and_what_was_received_then(book: Worklog) -> None:
    promise = book.add_promise(
        INVOICE, dt.date(2026, 12, 20), Decimal("12500.50"), Decimal("1000.25"), "by NEFT"
    )
    assert (promise.due, promise.amount, promise.baseline) == (
        dt.date(2026, 12, 20),
        Decimal("12500.50"),
        Decimal("1000.25"),
    )
    # A newer promise replaces the open one; both stay in the timeline.
    newer = book.add_promise(INVOICE, dt.date(2026, 12, 24), Decimal("5000"), Decimal("1000.25"))
    assert [e.id for e in book.open_entries("promise")] == [newer.id]
    older = next(e for e in book.about(INVOICE) if e.id == promise.id)
    assert not older.is_open and older.closing_text == "replaced by a newer one"


def test_a_dispute_is_opened_then_resolved_once(book: Worklog) -> None:
    dispute = book.open_dispute(INVOICE, "quality", "two cartons damaged")
    assert book.open_entries("dispute") == [dispute]
    resolved = book.close_entry(dispute.id, "credit note issued")
    assert (
        resolved.closing_text == "credit note issued" and resolved.closed_by == "asha@example.com"
    )
    assert book.open_entries("dispute") == []
    # Closing again changes nothing: the first resolution stays.
    assert book.close_entry(dispute.id, "again").closing_text == "credit note issued"


def test_a_follow_up_date_replaces_the_last_and_can_be_done(book: Worklog) -> None:
    book.set_follow_up(CUSTOMER, dt.date(2026, 12, 9), "call the accounts head")
    latest = book.set_follow_up(CUSTOMER, dt.date(2026, 12, 11))
    assert [e.id for e in book.open_entries("follow_up")] == [latest.id]
    book.close_entry(latest.id, "spoke to her")
    assert book.open_entries("follow_up") == []


def test_a_customers_timeline_holds_its_invoices_entries_newest_first(book: Worklog) -> None:
    for minute, (subject, text) in enumerate(
        [
            (CUSTOMER, "first"),
            (INVOICE, "second"),
            (ELSEWHERE, "not theirs"),
            (OTHER_INVOICE, "third"),
        ]
    ):
        with clock.pinned(NOON + dt.timedelta(minutes=minute)):
            book.add_note(subject, text)
    assert [e.text for e in book.about(CUSTOMER)] == ["third", "second", "first"]
    assert [e.text for e in book.about(INVOICE)] == ["second"]


def test_a_paid_promise_is_closed_once_as_kept_or_paid_late(book: Worklog) -> None:
    kept = book.add_promise(INVOICE, dt.date(2026, 12, 20), Decimal(100), Decimal(0))
    late = book.add_promise(CUSTOMER, dt.date(2026, 12, 10), Decimal(50), Decimal(0))
    with clock.pinned(NOON):
        book.settle_promises([kept, late], dt.date(2026, 12, 18))
    with clock.pinned(NOON + dt.timedelta(days=4)):  # seen again: it stays as first closed
        book.settle_promises([kept], dt.date(2026, 12, 22))
    assert book.open_entries("promise") == []
    [first] = book.about(INVOICE)
    assert (first.paid_seen_on, first.closed_at, first.closed_by) == (
        dt.date(2026, 12, 18),
        NOON,
        book.username,
    )
    assert first.closing_text == "kept: paid, seen 2026-12-18"
    second = next(e for e in book.about(CUSTOMER) if e.id == late.id)
    assert second.closing_text == "paid late: seen 2026-12-18, promised by 2026-12-10"


def test_a_promise_replaced_or_withdrawn_is_not_closed_again_as_paid(book: Worklog) -> None:
    first = book.add_promise(INVOICE, dt.date(2026, 12, 20), Decimal(100), Decimal(0))
    book.add_promise(INVOICE, dt.date(2026, 12, 24), Decimal(100), Decimal(0))  # replaces it
    book.settle_promises([first], dt.date(2026, 12, 18))
    again = next(e for e in book.about(INVOICE) if e.id == first.id)
    assert (again.closing_text, again.paid_seen_on) == ("replaced by a newer one", None)


def test_text_is_stored_as_given_never_as_sql(book: Worklog) -> None:
    nasty = '\'); DROP TABLE entries; -- =HYPERLINK("x")'
    book.add_note(INVOICE, nasty)
    assert book.about(INVOICE)[0].text == nasty


def test_each_profile_has_its_own_book_unless_it_names_a_shared_one(tmp_path: Path) -> None:
    mine = worklog_path("prod", "https://api.enkash.in")
    assert mine.name.endswith(".sqlite3") and mine != worklog_path("uat", "https://api.enkash.in")
    shared = worklog_path("prod", "https://api.enkash.in", "~/team/book.sqlite3")
    assert shared == Path("~/team/book.sqlite3").expanduser()


def _write_notes(path: str, who: str, count: int) -> None:
    book = Worklog(Path(path), who, private=False)
    for n in range(count):
        book.add_note(INVOICE, f"{who} {n}")
    book.close()


def test_two_processes_writing_one_shared_book_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "team" / "book.sqlite3"
    path.parent.mkdir()  # the team's folder
    Worklog(path, "setup", private=False).close()
    context = multiprocessing.get_context("spawn")
    writers = [
        context.Process(target=_write_notes, args=(str(path), who, 150)) for who in ("asha", "ravi")
    ]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(60)
        assert writer.exitcode == 0
    entries = Worklog(path, "reader", private=False).about(INVOICE)
    assert len(entries) == 300
    for who in ("asha", "ravi"):
        assert sorted(int(e.text.split()[1]) for e in entries if e.by == who) == list(range(150))


def test_a_shared_book_needs_its_teams_folder(tmp_path: Path) -> None:
    with pytest.raises(WorklogError, match="does not exist"):
        Worklog(tmp_path / "nobody-made-this" / "book.sqlite3", "asha", private=False)


def test_a_books_own_export_times_import_as_themselves(book: Worklog) -> None:
    """Times are kept to the second, as files carry them: a book's own entries, imported back,
    are recognised and not written twice."""
    with clock.pinned(NOON + dt.timedelta(microseconds=654321), frozen=True):
        note = book.add_note(INVOICE, "called")
        dispute = book.open_dispute(INVOICE, "quality")
    assert note.at.microsecond == 0
    assert book.import_entries([note, dispute]) == 0
    assert len(book.about(INVOICE)) == 2


def test_a_second_dispute_on_a_subject_replaces_the_open_one(book: Worklog) -> None:
    first = book.open_dispute(INVOICE, "quality")
    second = book.open_dispute(INVOICE, "amount")
    assert [e.id for e in book.open_entries("dispute")] == [second.id]
    assert next(e for e in book.about(INVOICE) if e.id == first.id).closing_text
