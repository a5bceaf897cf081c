"""What the follow-up book means to Invoices (markers, the filter's id lists and their cap) and
how its CSV reads (domain.followup_marks, invoice_filter, followup_csv): no server needed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from enkash_tui.api.models import Customer
from enkash_tui.domain.csv_safety import text_cell
from enkash_tui.domain.followup_csv import COLUMNS, check_rows, typed_cell
from enkash_tui.domain.followup_marks import BookMarks
from enkash_tui.domain.followups import Entry, Subject
from enkash_tui.domain.invoice_filter import (
    MAX_IDS,
    FieldProblem,
    assigned_to,
    book_selection,
    build_filter,
    filter_words,
)

TODAY = dt.date(2026, 11, 25)
NOW = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)


def entry(kind: str, invoice: str, *, due: dt.date | None = None, closed: bool = False) -> Entry:
    return Entry(
        id=0, kind=kind, subject=Subject.invoice(invoice, "KC1"), at=NOW, by="me",  # type: ignore[arg-type]
        due=due, closed_at=NOW if closed else None,
    )  # fmt: skip


def test_markers_come_from_open_entries_on_invoices_only() -> None:
    customer_dispute = Entry(0, "dispute", Subject.customer("KC1"), NOW, "me")
    marks = BookMarks.of(
        [entry("promise", "A"), entry("promise", "B")],
        [entry("dispute", "B"), entry("dispute", "C", closed=True), customer_dispute],
        [entry("follow_up", "D", due=TODAY), entry("follow_up", "E", due=TODAY.replace(day=26))],
        TODAY,
    )
    assert [marks.marker(i) for i in "ABCDE"] == ["P", "PD", "", "F", ""]
    assert marks.disputed == ("B",)


def test_ticked_choices_narrow_together_and_a_long_list_is_cut_and_said() -> None:
    marks = BookMarks(promised=("A", "B"), disputed=("B", "C"))
    both = book_selection({"promised": "yes", "disputed": "yes"}, marks)
    assert both.invoice_ids == ["B"] and both.customer_ids is None and not both.cut
    assert build_filter(
        {"disputed": "yes"}, book_selection({"disputed": "yes"}, marks)
    ).invoice_ids == ["B", "C"]
    with pytest.raises(FieldProblem) as none:
        book_selection({"follow_up_due": "yes"}, marks)
    assert none.value.field == "follow_up_due"
    many = BookMarks(promised=tuple(f"KI{n:06d}" for n in range(MAX_IDS + 7)))
    cut = book_selection({"promised": "yes"}, many)
    assert cut.invoice_ids == list(many.promised[:MAX_IDS])  # the newest kept
    assert cut.cut == f"only the latest 5,000 of {MAX_IDS + 7:,} invoices the book marks"
    words = filter_words({"promised": "yes"}, cut.cut)
    assert (
        words
        == f"Has a promise · (only the latest 5,000 of {MAX_IDS + 7:,} invoices the book marks)"
    )


def test_my_customers_are_matched_whole_not_by_a_loose_search() -> None:
    def customer(cid: str, agent: str | None) -> Customer:
        return Customer.model_validate({"customerId": cid, "assignedAgent": agent})

    found = [customer("KC1", " Demo@Example.com "), customer("KC2", "demo@example.co"),
             customer("KC3", None)]  # fmt: skip
    assert assigned_to(found, "demo@example.com") == ["KC1"]
    with pytest.raises(FieldProblem):
        book_selection({"mine": "yes"}, BookMarks(), [])
    assert book_selection({"mine": "yes"}, BookMarks(), ["KC1"]).customer_ids == ["KC1"]


@pytest.mark.parametrize("typed", ["=1+1", "+91 98", "-2+3", "@SUM(A1)", " =x", "plain", "'quoted"])
def test_a_text_cell_reads_back_as_typed(typed: str) -> None:
    assert typed_cell(text_cell(typed)) == (typed if typed != " =x" else " =x")


def test_every_problem_is_said_by_row_and_column() -> None:
    content = (
        ",".join(COLUMNS) + "\n"
        + "promise,N/1,,,,,,,\"1,50,000\",2026-12-01,,open,,,,,\n"
        + "\n"  # a blank line still counts as a row
        + "promise,N/2,,,,yesterday,,,0,31-12-2026,,maybe,,,,,\n"
        + "dispute,,,KC1,,,,,,,nonsense,open,2026-01-01,,,,\n"
        + "memo,N/3,,,,,,hello,,,,,,,,,\n"
    ).encode()  # fmt: skip
    check = check_rows(content, "me@example.com", NOW)
    assert [(p.row, p.column) for p in check.problems] == [
        (4, "amount"), (4, "due"), (4, "state"), (4, "when"),
        (5, "reason"), (5, "closedWhen"),
        (6, "kind"),
    ]  # fmt: skip
    [good] = check.rows
    assert good.row == 2 and good.entry.amount == Decimal("150000")
    assert good.entry.by == "me@example.com" and good.entry.at == NOW
    assert check_rows(b"kind,colour\n", "me", NOW).file_error is not None


def test_the_template_reads_without_a_problem() -> None:
    from enkash_tui.domain.followup_csv import TEMPLATE
    from enkash_tui.local.locations import asset

    check = check_rows(asset(TEMPLATE).read_bytes(), "me@example.com", NOW)
    assert check.ok, check.problems
    assert [r.entry.kind for r in check.rows] == ["note", "promise", "dispute", "follow_up"]
    assert check.rows[1].entry.amount == Decimal("150000.50")
    assert check.rows[2].entry.closed_by == "ravi@example.com"
