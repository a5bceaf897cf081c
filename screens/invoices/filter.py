"""The full invoice filter: every search field an operator uses, checked before it is sent.

Values are typed as text (dates ``yyyy-mm-dd``, amounts in rupees); a bad one is reported next to
its field and nothing is searched. The customer field completes names from the server.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from enkash_tui.domain.invoice_filter import (
    ANY,
    CHOICES,
    TEXT_FIELDS,
    FieldProblem,
    build_filter,
    filter_words,
)
from enkash_tui.domain.invoices import InvoiceQuery
from screens.host import host
from screens.widgets.customer_suggest import CustomerSuggester
from screens.widgets.form_controls import FormInput


class InvoiceFilterScreen(ModalScreen[InvoiceQuery | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="filter.cancel"),
        Binding("ctrl+l", "clear", "Clear all", id="filter.clear"),
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
            with Horizontal(classes="buttons"):
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
        return values

    @on(Input.Submitted)
    @on(Button.Pressed, "#apply")
    def _apply(self) -> None:
        for name in TEXT_FIELDS:
            self.query_one(f"#{name}-error", Static).update("")
        values = self._read()
        try:
            filters = build_filter(values)
        except FieldProblem as problem:
            self.query_one(f"#{problem.field}-error", Static).update(str(problem))
            self.query_one(f"#{problem.field}", Input).focus()
            return
        self.values = values
        self.dismiss(InvoiceQuery(f"Filtered: {filter_words(values)}", filters))

    @on(Button.Pressed, "#clear")
    def action_clear(self) -> None:
        for name in TEXT_FIELDS:
            self.query_one(f"#{name}", Input).value = ""
        for name in CHOICES:
            self.query_one(f"#{name}", Select).value = ANY

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
