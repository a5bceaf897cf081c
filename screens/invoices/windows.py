"""Windows opened from the invoice list: the full invoice, and the sort picker."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from enkash_tui.api.models import Invoice
from enkash_tui.domain.invoices import InvoiceQuery
from screens.dialog import Dialog
from screens.invoices.view import SORTABLE, invoice_detail


def copy_invoice_text(app: App[object], invoice: Invoice, what: str) -> None:
    """``y``: the invoice number (or id when it has none); ``Y``: its payment link."""
    if what == "link":
        if not invoice.payment_link:
            app.notify(
                "This invoice has no payment link yet: dispatch it first",
                severity="warning",
                markup=False,
            )
            return
        text = invoice.payment_link
    else:
        text = invoice.invoice_number or invoice.invoice_id
    app.copy_to_clipboard(text)
    app.notify(f"Copied {text}", timeout=3, markup=False)


class InvoiceDetailScreen(Dialog[None]):
    """Enter on a row: every field of the invoice, with copy keys."""

    BINDINGS = [
        Binding("escape,q,enter", "dismiss", "Close", id="invoice.close"),
        Binding("y", "copy('number')", "Copy no.", id="invoice.copy"),
        Binding("Y", "copy('link')", "Copy link", id="invoice.copy_link"),
    ]

    def __init__(self, invoice: Invoice) -> None:
        super().__init__()
        self.invoice = invoice

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal invoice"):
            yield Static(invoice_detail(self.invoice))
            yield Static(
                "y copy number · Y copy payment link · Esc close", classes="hint", markup=False
            )

    def action_copy(self, what: str) -> None:
        copy_invoice_text(self.app, self.invoice, what)


class SortPicker(Dialog[str | None]):
    """Pick the column to sort by; picking the current one flips the direction."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="sort.cancel")]

    def __init__(self, query: InvoiceQuery) -> None:
        super().__init__()
        self.current = query

    def compose(self) -> ComposeResult:
        options = []
        for column in SORTABLE:
            label = column.title
            if column.sort == self.current.order_by:
                label += "  (now " + ("descending" if self.current.descending else "ascending")
                label += ", pick again to flip)"
            options.append(Option(label, id=column.sort))
        with VerticalScroll(classes="modal"):
            yield Static("Sort invoices by", classes="title", markup=False)
            picker = OptionList(*options, id="sort-options")
            yield picker

    def on_mount(self) -> None:
        picker = self.query_one(OptionList)
        ids = [column.sort for column in SORTABLE]
        if self.current.order_by in ids:
            picker.highlighted = ids.index(self.current.order_by)
        picker.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
