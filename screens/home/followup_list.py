"""Home's follow-up tiles (promises due today, broken promises, follow-ups due, open disputes) and
the list each opens: the entries it counts, with who wrote them, their date, amount and state.
Enter on a row opens the invoice in full or the customer's card.

The figures come from ``domain.promise_check``, worked out in Home's worker; a promise whose
payment is seen, there or in a list, is closed in the follow-up book as kept or paid late
(``Worklog.settle_promises``)."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from enkash_tui import clock
from enkash_tui.api import EnkashError
from enkash_tui.domain.followups import DISPUTE_REASONS
from enkash_tui.domain.formatting import count, day, inr
from enkash_tui.domain.home import FollowUpTile
from enkash_tui.domain.promise_check import Checked, Figure, check_book
from enkash_tui.local.worklog import WorklogError
from screens.customer_card import CustomerCard
from screens.dialog import Dialog
from screens.home.tile_face import TileFace
from screens.host import host
from screens.invoices.windows import InvoiceDetailScreen
from screens.widgets.lazy_table import Column, LazyTable, ListSource


class FollowUpTileView(TileFace):
    """One follow-up tile: how many entries and their rupees; Enter (or a click) opens the list."""

    def __init__(self, tile: FollowUpTile) -> None:
        super().__init__(id=f"tile-{tile.key}", classes="tile followup-tile", markup=False)
        self.tile = tile
        self.label, self.alarm, self.noun = tile.label, tile.alarm, tile.noun
        self.figure: Figure | None = None

    @property
    def found(self) -> int | None:
        return None if self.figure is None else self.figure.count

    def figures(self) -> tuple[int, Decimal | None] | None:
        return None if self.figure is None else (self.figure.count, self.figure.total)


def subject_text(row: Checked) -> str:
    subject = row.entry.subject
    if subject.kind == "invoice":
        return subject.label or subject.id
    return "(customer)"


def date_of(row: Checked) -> str:
    entry = row.entry
    return day(entry.due if entry.due is not None else entry.at)


def amount_text(row: Checked) -> str:
    """A promise's amount; else the subject's balance, once read."""
    if row.entry.kind != "promise" and not row.read:
        return "…"
    return inr(row.amount)


def state_text(row: Checked) -> Text:
    entry = row.entry
    if not row.found and entry.kind != "promise":
        return Text("not on EnKash", style="red")
    if entry.kind == "promise":
        style = {"kept": "green", "broken": "red"}.get(row.state or "", "")
        words: str = row.state or ""
        if entry.paid_seen_on is not None or row.seen_paid_now:
            words += f", paid {day(entry.paid_seen_on) or 'today'}"
        return Text(words, style=style)
    if entry.kind == "dispute":
        return Text(DISPUTE_REASONS.get(entry.reason or "", entry.reason or "open"))
    return Text(entry.text or "due")


COLUMNS: list[Column[Checked]] = [
    Column("subject", "Invoice", 20, subject_text, priority=0),
    Column("customer", "Customer", 16, lambda r: r.name, priority=1, grow=True, ideal=24),
    Column("by", "Who", 16, lambda r: r.entry.by, priority=2),
    Column("date", "Date", 11, date_of, priority=0),
    Column("amount", "Amount", 15, amount_text, align="right", priority=0),
    Column("state", "State", 16, state_text, priority=1),
]


class FollowUpListScreen(Dialog[None]):
    """The entries a follow-up tile counts; Enter opens the invoice or the customer's card."""

    AUTO_FOCUS = "#followup-rows"
    DEFAULT_CSS = """
    FollowUpListScreen #followup-list {
        width: 100%; height: 100%; padding: 0 1; background: $surface;
    }
    FollowUpListScreen #followup-rows { height: 1fr; }
    """
    BINDINGS = [Binding("escape,q", "dismiss", "Close", id="followup_list.close")]

    def __init__(self, figure: Figure) -> None:
        super().__init__()
        self.figure = figure
        self.rows: list[Checked] = []

    @property
    def table(self) -> LazyTable[Checked]:
        return cast("LazyTable[Checked]", self.query_one("#followup-rows", LazyTable))

    def compose(self) -> ComposeResult:
        figure = self.figure
        with Vertical(id="followup-list"):
            yield Static(figure.label, classes="title", markup=False)
            yield LazyTable(COLUMNS, key=lambda r: r.entry.id, id="followup-rows")
            yield Static(self.summary, id="followup-summary", markup=False)
            yield Static(
                "Enter open the invoice or the customer · Esc close", classes="hint", markup=False
            )

    def on_mount(self) -> None:
        self.show_rows(self.figure.entries)
        self.table.focus()
        if not all(row.read for row in self.figure.entries):
            self.load_rows()

    def show_rows(self, rows: tuple[Checked, ...]) -> None:
        self.rows = sorted(rows, key=lambda r: (r.entry.due or r.entry.at.date(), r.entry.id))
        self.table.set_source(ListSource[Checked](self.rows), keep_cursor=True)

    @work(exclusive=True, group="followup-list", exit_on_error=False)
    async def load_rows(self) -> None:
        """Every row's invoices read from EnKash (their customer, balance, a promise's state)."""
        session = host(self).session
        if session is None:
            return
        summary = self.query_one("#followup-summary", Static)
        summary.update(self.summary + " · reading EnKash…")
        entries = [row.entry for row in self.figure.entries]
        today = clock.today()
        try:
            check = await check_book(session.client, entries, today)
        except EnkashError as error:
            summary.update(Text(f"{self.summary} · not read from EnKash: {error}", style="red"))
            return
        self.show_rows(check.checked)
        summary.update(self.summary)
        if check.seen_paid:  # still listed as they were counted; closed in the book
            try:
                await asyncio.to_thread(session.worklog().settle_promises, check.seen_paid, today)
            except WorklogError as error:
                self.notify(f"Promises not recorded: {error}", severity="warning", markup=False)

    @property
    def summary(self) -> str:
        figure = self.figure
        return f"{count(figure.count, 'entry', 'entries')} · {inr(figure.total)}"

    @on(LazyTable.RowSelected, "#followup-rows")
    def _open(self, event: LazyTable.RowSelected) -> None:
        row = cast(Checked, event.row)
        subject = row.entry.subject
        if subject.kind == "invoice" and row.invoices:
            self.app.push_screen(InvoiceDetailScreen(row.invoices[0]))
        elif subject.kind == "invoice":
            self.notify(
                f"Invoice {subject.label or subject.id} is not on EnKash any more.",
                severity="warning",
                markup=False,
            )
        else:
            self.app.push_screen(CustomerCard(subject.customer_id, row.name))
