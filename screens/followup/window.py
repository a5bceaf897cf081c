"""``w``: the follow-up window over the current screen, for an invoice or a customer.

At the top, who it is, what they owe, who owns them (the customer's ``assignedAgent``) and where
the follow-up stands (the promise and what it came to, an open dispute, the next follow-up). Below,
the timeline, newest first: the book's entries, this app's changes on it (the action log) and its
Bharat Connect status history. ``n`` note, ``p`` promise, ``P`` withdraw it, ``d`` dispute (open,
or resolve the open one), ``f`` next follow-up date, ``F`` that follow-up done; a read-only session
may look only. A promise whose payment EnKash shows is closed in the book as kept (or paid late)
as soon as the window sees it, as Home does.
"""

from __future__ import annotations

import asyncio

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from enkash_tui import clock
from enkash_tui.api import EnkashError
from enkash_tui.api.models import Invoice
from enkash_tui.domain.followups import Entry, Subject, promise_paid
from enkash_tui.domain.formatting import inr
from enkash_tui.domain.timeline import (
    SOURCE_WORDS,
    LoggedAction,
    Standing,
    TimelineLine,
    action_lines,
    book_lines,
    standing,
    timeline,
)
from enkash_tui.local.worklog import WorklogError
from screens.base import ReadOnlyKeys
from screens.dialog import Dialog
from screens.followup.facts import (
    Facts,
    customer_facts,
    invoice_facts,
    invoice_row_facts,
    read_local,
)
from screens.followup.forms import (
    CloseForm,
    DisputeForm,
    EntryForm,
    FollowUpDateForm,
    NoteForm,
    PromiseForm,
)
from screens.host import host

STATE_STYLES = {"pending": "yellow", "kept": "green", "broken": "bold red"}
HINT = "n note · p/P promise/withdraw · d dispute · f/F follow-up/done · r refresh · Esc close"


class FollowUpWindow(ReadOnlyKeys, Dialog[None]):
    DEFAULT_CSS = """
    FollowUpWindow .fu-window { width: 110; max-width: 100%; height: 100%; max-height: 100%;
        padding: 0 1; border: thick $primary; background: $surface; }
    FollowUpWindow #fu-title { text-style: bold; }
    FollowUpWindow #fu-standing { padding: 1 0; height: auto; }
    FollowUpWindow #fu-timeline { height: 1fr; }
    FollowUpWindow #fu-hint { color: $text-muted; height: auto; }
    """
    BINDINGS = [
        Binding("n", "note", "Note", id="followup.note"),
        Binding("p", "promise", "Promise to pay", id="followup.promise"),
        Binding("P", "promise_withdrawn", "Withdraw the promise", id="followup.withdraw"),
        Binding("d", "dispute", "Dispute: open / resolve", id="followup.dispute"),
        Binding("f", "follow_up", "Next follow-up date", id="followup.date"),
        Binding("F", "follow_up_done", "Follow-up done", id="followup.done"),
        Binding("r", "reload", "Refresh", id="followup.refresh"),
        Binding("escape,q", "dismiss", "Close", id="followup.close"),
    ]
    # Changes to the follow-up book: refused in a read-only session, like changes to EnKash.
    MUTATING_ACTIONS = frozenset(
        {"note", "promise", "promise_withdrawn", "dispute", "follow_up", "follow_up_done"}
    )

    def __init__(self, subject: Subject, invoice: Invoice | None = None) -> None:
        super().__init__()
        self.subject = subject
        self.facts = invoice_row_facts(invoice) if invoice is not None else Facts()
        self.problem = ""  # why EnKash could not be read
        self.book_problem = ""  # why the book or the action log could not be read
        self.entries: list[Entry] | None = None  # the book's, once read
        self.actions: list[LoggedAction] = []
        self.lines: list[TimelineLine] = []

    @classmethod
    def of_invoice(cls, invoice: Invoice) -> FollowUpWindow:
        subject = Subject.invoice(
            invoice.invoice_id, invoice.customer_id or "", invoice.invoice_number or ""
        )
        return cls(subject, invoice)

    @classmethod
    def of_customer(cls, customer_id: str, name: str) -> FollowUpWindow:
        window = cls(Subject.customer(customer_id, name))
        window.facts.name = name
        return window

    def compose(self) -> ComposeResult:
        with Vertical(classes="fu-window"):
            yield Static(id="fu-title", markup=False)
            yield Static(id="fu-facts", markup=False)
            yield Static(id="fu-standing", markup=False)
            with VerticalScroll(id="fu-timeline"):
                yield Static(id="fu-lines", markup=False)
            yield Static(id="fu-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#fu-timeline").focus()
        self._show()
        self.load_facts()
        self.load_local()

    # -- reading -----------------------------------------------------------------------------

    @work(exclusive=True, group="fu-facts", exit_on_error=False)
    async def load_facts(self) -> None:
        session = host(self).session
        if session is None:
            return
        subject = self.subject
        try:
            if subject.kind == "invoice":
                facts = await invoice_facts(session.client, subject.id, subject.customer_id)
            else:
                facts = await customer_facts(session.client, subject.id)
        except EnkashError as error:
            self.problem = f"could not read EnKash: {error}"
            self._show()
            return
        self.facts, self.problem = facts, ""
        self._show()
        self.settle_if_paid()

    @work(exclusive=True, group="fu-local", exit_on_error=False)
    async def load_local(self) -> None:
        session = host(self).session
        if session is None:
            return
        try:
            self.entries, self.actions = await asyncio.to_thread(read_local, session, self.subject)
            self.book_problem = ""
        except (WorklogError, OSError) as error:
            self.book_problem = str(error)
            self.notify(str(error), title="Follow-up book", severity="error", markup=False)
        self._show()
        self.settle_if_paid()

    @work(exclusive=True, group="fu-settle", exit_on_error=False)
    async def settle_if_paid(self) -> None:
        """The open promise, once EnKash shows it paid: closed in the book as kept (or paid
        late) with today's date, the day it was seen."""
        session = host(self).session
        promise, received = self.standing().promise, self.facts.received
        if session is None or promise is None or not promise.is_open or received is None:
            return
        if not promise_paid(promise, received):
            return
        try:
            await asyncio.to_thread(session.worklog().settle_promises, [promise], clock.today())
        except WorklogError as error:
            self.notify(str(error), title="Follow-up book", severity="error", markup=False)
            return
        self.load_local()

    def action_reload(self) -> None:
        self.load_facts()
        self.load_local()

    # -- showing -----------------------------------------------------------------------------

    @property
    def heading(self) -> str:
        """``Invoice INV-1 · Acme Traders`` / ``Customer Acme Traders``."""
        if self.subject.kind == "invoice":
            number = self.subject.label or self.subject.id
            return f"Invoice {number}" + (f" · {self.facts.name}" if self.facts.name else "")
        return f"Customer {self.facts.name or self.subject.label or self.subject.id}"

    def standing(self) -> Standing:
        return standing(self.entries or [], self.subject.id, self.facts.received, clock.today())

    def _show(self) -> None:
        facts = self.facts
        self.query_one("#fu-title", Static).update(Text(f"Follow-up · {self.heading}"))
        line = Text()
        if facts.balance is not None:
            line.append(f"Balance {inr(facts.balance)}")
        if facts.received is not None:
            line.append(f" · received {inr(facts.received)}", style="dim")
        if facts.invoices is not None:
            line.append(f" · {facts.invoices:,} invoices", style="dim")
        line.append(" · owner ")
        line.append(facts.owner or ("not set" if facts.loaded else "…"), style="bold")
        if not facts.loaded and not self.problem:
            line.append(" · reading EnKash…", style="dim")
        if self.problem:
            line.append(f" · {self.problem}", style="red")
        self.query_one("#fu-facts", Static).update(line)
        self.query_one("#fu-standing", Static).update(self._standing_text())
        self.query_one("#fu-lines", Static).update(self._timeline_text())
        self.query_one("#fu-hint", Static).update(self._hint())

    def _standing_text(self) -> Text:
        if self.entries is None:
            return Text(self.book_problem or "reading the follow-up book…", style="dim")
        now = self.standing()
        text = Text()
        for label, words in now.lines(clock.today()):
            text.append(f"{label:<15}", style="dim")
            style = STATE_STYLES.get(now.promise_state or "", "") if label == "Promise" else ""
            text.append(f"{words}\n", style=style)
        text.rstrip()
        return text

    def _timeline_text(self) -> Table | Text:
        if self.entries is None:
            return Text("")
        ids = self.facts.ids or {self.subject.id: ""}
        profile = session.profile.name if (session := host(self).session) else ""
        self.lines = timeline(
            book_lines(self.entries, self.subject.id),
            action_lines(self.actions, ids, profile),
            self.facts.network,
        )
        if not self.lines:
            return Text("Nothing on the timeline yet.", style="dim")
        table = Table.grid(padding=(0, 1))
        table.add_column(no_wrap=True, style="dim")  # when
        table.add_column(no_wrap=True, max_width=20, overflow="ellipsis")  # who
        table.add_column(ratio=1, overflow="fold")  # what
        for line in self.lines:
            what = Text()
            if line.source != "book":
                what.append(f"{SOURCE_WORDS[line.source]} · ", style="magenta")
            if line.about:
                what.append(f"{line.about}: ", style="cyan")
            what.append(line.what)
            table.add_row(line.when, Text(line.who or "?", style="bold"), what)
        return table

    def _hint(self) -> Text:
        if self._readonly():
            return Text("Read-only session: the book can be read, not written · Esc close")
        return Text(HINT)

    # -- writing -----------------------------------------------------------------------------

    def _open(self, form: EntryForm) -> None:
        def written(entry: Entry | None) -> None:
            if entry is not None:
                self.load_local()

        self.app.push_screen(form, written)

    def _book_read(self) -> bool:
        if self.entries is None:
            self.notify(
                self.book_problem or "Still reading the follow-up book…",
                severity="error" if self.book_problem else "information",
                markup=False,
            )
            return False
        return True

    def action_note(self) -> None:
        self._open(NoteForm(self.subject, self.heading))

    def action_promise(self) -> None:
        received = self.facts.received
        if received is None:
            self.notify(
                f"Cannot record a promise: {self.problem}"
                if self.problem
                else "Still reading what EnKash has received…",
                markup=False,
            )
            return
        self._open(PromiseForm(self.subject, self.heading, self.facts.balance, received))

    def action_dispute(self) -> None:
        if not self._book_read():
            return
        dispute = self.standing().dispute
        if dispute is not None:
            self._open(CloseForm(self.subject, self.heading, dispute))
        else:
            self._open(DisputeForm(self.subject, self.heading))

    def action_promise_withdrawn(self) -> None:
        if not self._book_read():
            return
        promise = self.standing().promise
        if promise is None or not promise.is_open:
            self.notify("No promise is open: p records one.", timeout=4)
            return
        self._open(CloseForm(self.subject, self.heading, promise))

    def action_follow_up(self) -> None:
        self._open(FollowUpDateForm(self.subject, self.heading))

    def action_follow_up_done(self) -> None:
        if not self._book_read():
            return
        follow_up = self.standing().follow_up
        if follow_up is None:
            self.notify("No follow-up is set: f sets one.", timeout=4)
            return
        self._open(CloseForm(self.subject, self.heading, follow_up))
