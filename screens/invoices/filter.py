"""The full invoice filter: every search field an operator uses, checked before it is sent.

Values are typed as text (dates ``yyyy-mm-dd``, amounts in rupees); a bad one is reported next to
its field and nothing is searched. The customer field completes names from the server.

The follow-up book's choices (has a promise, disputed, follow-up due, my customers) are read when
the search is asked for: the book's open entries here, the customers assigned to the signed-in
user from EnKash; which ids they mean is ``domain.invoice_filter.book_selection``.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from enkash_tui import clock
from enkash_tui.api import EnkashError
from enkash_tui.api.models import CustomerFilter
from enkash_tui.domain.followup_marks import BookMarks
from enkash_tui.domain.invoice_filter import (
    ANY,
    BOOK_CHOICES,
    CHOICES,
    TEXT_FIELDS,
    YES,
    FieldProblem,
    assigned_to,
    book_choices,
    book_selection,
    build_filter,
    filter_words,
)
from enkash_tui.domain.invoices import InvoiceQuery
from enkash_tui.local.worklog import WorklogError
from screens.dialog import Dialog
from screens.host import host
from screens.widgets.customer_suggest import CustomerSuggester
from screens.widgets.form_controls import ButtonBar, FormCheckbox, FormInput

# Where each of the book's choices sits: its row (and the row's error line).
BOOK_ROWS = {
    "book": ("Follow-up book", ("promised", "disputed", "follow_up_due")),
    "mine": ("Assigned to me", ("mine",)),
}


class InvoiceFilterScreen(Dialog[InvoiceQuery | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="filter.cancel"),
        Binding("ctrl+l", "clear", "Clear all", id="filter.clear"),
        Binding("enter", "apply", "Search", show=False, id="filter.apply"),
    ]

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__()
        self.values = dict(values)

    def compose(self) -> ComposeResult:
        app = host(self)
        with VerticalScroll(classes="modal filter"):
            yield Static("Filter invoices", classes="title", markup=False)
            for name, label in TEXT_FIELDS.items():
                with Horizontal(classes="filter-row"):
                    yield Label(label, classes="label")
                    suggester = CustomerSuggester(app) if name == "customer" else None
                    yield FormInput(
                        self.values.get(name, ""), id=name, compact=True, suggester=suggester
                    )
                    yield Static("", id=f"{name}-error", classes="filter-error", markup=False)
            for name, options in CHOICES.items():
                with Horizontal(classes="filter-row"):
                    yield Label(name.replace("_", " ").capitalize(), classes="label")
                    yield Select(
                        options,
                        value=self.values.get(name, ANY),
                        allow_blank=False,
                        id=name,
                        compact=True,
                    )
            for row, (label, names) in BOOK_ROWS.items():
                with Horizontal(classes="filter-row book-row"):
                    yield Label(label, classes="label")
                    for name in names:
                        ticked = self.values.get(name) == YES
                        yield FormCheckbox(BOOK_CHOICES[name], ticked, id=name, compact=True)
                    yield Static("", id=f"{row}-error", classes="filter-error", markup=False)
            with ButtonBar(classes="buttons"):
                yield Button("Search (Enter)", id="apply", variant="primary", compact=True)
                yield Button("Clear (ctrl+l)", id="clear", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#customer", Input).focus()

    def _read(self) -> dict[str, str]:
        values = {name: self.query_one(f"#{name}", Input).value.strip() for name in TEXT_FIELDS}
        for name in CHOICES:
            selected = self.query_one(f"#{name}", Select).value
            values[name] = selected if isinstance(selected, str) else ANY
        for name in BOOK_CHOICES:
            if self.query_one(f"#{name}", Checkbox).value:
                values[name] = YES
        return values

    def _problem(self, problem: FieldProblem) -> None:
        field = problem.field
        row = next((row for row, (_, names) in BOOK_ROWS.items() if field in names), field)
        self.query_one(f"#{row}-error", Static).update(str(problem))
        self.query_one(f"#{field}").focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        for name in (*TEXT_FIELDS, *BOOK_ROWS):
            self.query_one(f"#{name}-error", Static).update("")
        values = self._read()
        try:
            build_filter(values)  # the typed fields first: nothing is read for a bad one
        except FieldProblem as problem:
            self._problem(problem)
            return
        if "mine" in book_choices(values):
            self.query_one("#mine-error", Static).update("reading your customers from EnKash…")
            self._with_my_customers(values)
        else:
            self._finish(values, None)

    @work(exclusive=True, group="mine", exit_on_error=False)
    async def _with_my_customers(self, values: dict[str, str]) -> None:
        session = host(self).session
        if session is None:
            return
        try:
            mine = [
                customer
                async for customer in session.client.iter_customers(
                    CustomerFilter(assigned_agent=session.username)
                )
            ]
        except EnkashError as error:
            self.query_one("#mine-error", Static).update(f"could not read them: {error}")
            return
        self.query_one("#mine-error", Static).update("")
        self._finish(values, assigned_to(mine, session.username))

    def _finish(self, values: dict[str, str], my_customers: list[str] | None) -> None:
        """The search, with the book's lists when a choice of it is ticked."""
        try:
            selection = book_selection(values, self._marks(values), my_customers)
            filters = build_filter(values, selection)
        except FieldProblem as problem:
            self._problem(problem)
            return
        except WorklogError as error:
            self.query_one("#book-error", Static).update(str(error))
            return
        self.values = values
        words = filter_words(values, selection.cut)
        from_book = tuple(name for name in book_choices(values) if name != "mine")
        self.dismiss(InvoiceQuery(f"Filtered: {words}", filters, book=from_book))

    def _marks(self, values: dict[str, str]) -> BookMarks:
        """The book's marks, read only when one of its invoice choices is ticked."""
        session = host(self).session
        if session is None or not set(book_choices(values)) - {"mine"}:
            return BookMarks()
        return BookMarks.of_open(session.worklog().open_followups(), clock.today())

    @on(Button.Pressed, "#clear")
    def action_clear(self) -> None:
        for name in TEXT_FIELDS:
            self.query_one(f"#{name}", Input).value = ""
        for name in CHOICES:
            self.query_one(f"#{name}", Select).value = ANY
        for name in BOOK_CHOICES:
            self.query_one(f"#{name}", Checkbox).value = False

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
