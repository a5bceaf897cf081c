"""New invoice (``n``) and edit invoice (``e``): checked locally, saved through the client.

Local checks use the same models the client sends, so the documented rules (customer id pattern,
baseAmount >= 0.1, two decimal places, …) are reported next to their fields before anything is
sent; the server's field errors land in the same places. An edit sends only what changed. A failed
save keeps everything typed; leaving with unsaved edits asks first.

"Send on Bharat Connect" (new invoices only) creates the invoice on the network, as a bulk file row
with ``bharatConnect`` true does (``domain.network_invoice``); its row's problems land beside the
fields too. An edit of an invoice on the network shows where it stands there, read-only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Static

from enkash_tui.api import field_errors_from_validation
from enkash_tui.api.models import Invoice, InvoiceCreate, InvoiceFilter, InvoiceUpdate
from enkash_tui.api.models.invoice import due_before_dated
from enkash_tui.domain.invoice_form import (
    BY_WIRE,
    CREATE_ONLY,
    FLAGS,
    NETWORK_FLAG,
    NEW_INVOICE,
    TEXT_FIELDS,
    create_model,
    values_of,
    wire_body,
)
from enkash_tui.domain.network_invoice import (
    BharatConnectInvoice,
    create_on_network,
    find_on_network,
)
from screens.host import host
from screens.record_form import RecordForm, same_scalars
from screens.widgets.customer_suggest import CustomerSuggester
from screens.widgets.form_controls import ButtonBar, FormCheckbox, FormInput

if TYPE_CHECKING:
    from enkash_tui.api import EnkashClient
    from enkash_tui.api.models.base import WriteModel


class InvoiceForm(RecordForm[Invoice]):
    """Dismisses with the saved invoice, or None when the user leaves."""

    def __init__(
        self, invoice: Invoice | None = None, *, customer: tuple[str, str] | None = None
    ) -> None:
        """Edit ``invoice``, or create one; a new one starts with ``customer`` (id, name) when
        the list it is made from is on one customer's invoices."""
        super().__init__()
        self.original = invoice
        self.start: dict[str, Any] = values_of(invoice) if invoice else dict(NEW_INVOICE)
        if invoice is None and customer is not None:
            customer_id, name = customer
            self.start["customer"] = f"{name} — {customer_id}" if name else customer_id

    @property
    def creating(self) -> bool:
        return self.original is None

    def compose(self) -> ComposeResult:
        app = host(self)
        title = (
            "New invoice"
            if self.creating
            else (
                f"Edit {self.original.invoice_number or self.original.invoice_id}"
                if self.original
                else ""
            )
        )
        self.title = title  # also names this form when quitting asks about unsaved edits
        with VerticalScroll(classes="modal form"):
            yield Static(title, classes="title", markup=False)
            for name, (label, _) in TEXT_FIELDS.items():
                if name in CREATE_ONLY and not self.creating:
                    continue
                with Horizontal(classes="filter-row"):
                    yield Label(label, classes="label")
                    yield FormInput(
                        str(self.start.get(name, "")),
                        id=name,
                        compact=True,
                        suggester=CustomerSuggester(app, with_id=True)
                        if name == "customer"
                        else None,
                        placeholder="yyyy-mm-dd" if "date" in name else "",
                    )
                    yield Static("", id=f"{name}-error", classes="filter-error", markup=False)
            for name, (label, _) in {**FLAGS, **NETWORK_FLAG}.items():
                if name in CREATE_ONLY and not self.creating:
                    continue
                with Horizontal(classes="filter-row"):
                    yield Label("", classes="label")
                    yield FormCheckbox(label, bool(self.start.get(name)), id=name, compact=True)
                    yield Static("", id=f"{name}-error", classes="filter-error", markup=False)
            network = self.original.bharat_connect if self.original else None
            if network is not None:  # shown, not changed: an edit never moves it on the network
                with Horizontal(classes="filter-row"):
                    yield Label("", classes="label")
                    yield Static(
                        f"On Bharat Connect: {network.status} (version {network.object_version})",
                        id="on-network",
                        markup=False,
                    )
            yield Static("", id="form-status", markup=False)
            with ButtonBar(classes="buttons"):
                yield Button("Save (Enter)", id="save", variant="primary", compact=True)
                yield Button("Close (Esc)", id="close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#customer" if self.creating else "#due_date", Input).focus()

    def current(self) -> dict[str, Any]:
        values: dict[str, Any] = {i.id: i.value for i in self.query(Input) if i.id}
        values.update({c.id: c.value for c in self.query(Checkbox) if c.id})
        return values

    @property
    def dirty(self) -> bool:
        start = {k: self.start.get(k, "" if k in TEXT_FIELDS else False) for k in self.current()}
        return self.current() != start

    def _clear_errors(self) -> None:
        for error in self.query(".filter-error"):
            cast(Static, error).update("")
        self.query_one("#form-status", Static).update("")

    def _show_errors(self, problems: list[tuple[str, str]], summary: str) -> None:
        """(wire field, message) pairs next to their fields; the rest in the status line."""
        unplaced = []
        first = None
        for wire, message in problems:
            name = BY_WIRE.get(wire.split(".")[0])
            if name and self.query(f"#{name}-error"):
                self.query_one(f"#{name}-error", Static).update(message)
                first = first or name
            else:
                unplaced.append(f"{wire}: {message}")
        self.query_one("#form-status", Static).update(" · ".join([summary, *unplaced]))
        if first:
            self.query_one(f"#{first}").focus()

    def _payload(self) -> InvoiceCreate | InvoiceUpdate | None:
        values = self.current()
        body = wire_body(values)
        model: type[InvoiceCreate] | type[InvoiceUpdate] = create_model(values)
        if not self.creating:
            model = InvoiceUpdate
            start = wire_body(self.start)
            changed = {k: v for k, v in body.items() if start.get(k) != v}
            cleared = {k: None for k in start if k not in body and k != "customerId"}
            body = {**changed, **cleared}
            body.pop("externalId", None)
            body.pop("dispatchNow", None)
        try:
            payload = model.model_validate(body)
        except ValidationError as error:
            problems = [(e.field, e.message) for e in field_errors_from_validation(error, model)]
            self._show_errors(problems, "Please correct the marked fields")
            return None
        if isinstance(payload, InvoiceUpdate) and self.original is not None:
            # An edit sends one date alone: judge it with the other as the invoice has it.
            sent = payload.model_fields_set
            due = payload.due_date if "due_date" in sent else self.original.due_date
            dated = payload.invoice_date if "invoice_date" in sent else self.original.invoice_date
            problem = due_before_dated(dated, due) if sent & {"due_date", "invoice_date"} else ""
            if problem:
                self._show_errors([("dueDate", problem)], "Please correct the marked fields")
                return None
        return payload

    async def _find_saved(self, client: EnkashClient, payload: WriteModel) -> Invoice | None:
        if isinstance(payload, BharatConnectInvoice):
            return await find_on_network(client, payload)
        if isinstance(payload, InvoiceCreate):
            if not payload.invoice_number:
                return None  # nothing identifies it: the outcome stays unknown
            page = await client.search_invoices(
                InvoiceFilter(invoice_number=payload.invoice_number), limit=10
            )
            return next((i for i in page.items if i.invoice_number == payload.invoice_number), None)
        assert self.original is not None and isinstance(payload, InvoiceUpdate)
        now = await client.get_invoice(self.original.invoice_id)
        return now if same_scalars(payload, now) else None

    def _can_tell(self, payload: WriteModel) -> bool:
        return not isinstance(payload, InvoiceCreate) or bool(payload.invoice_number)

    async def _send(self, client: EnkashClient, payload: WriteModel) -> Invoice:
        if isinstance(payload, BharatConnectInvoice):
            created = await create_on_network(client, payload)  # a one-row Bulk Create (§4.25)
            if created.bharat_connect is None:  # the column is this project's: EnKash may not
                self.app.notify(
                    f"EnKash created {created.invoice_number or created.invoice_id} but did not "
                    "put it on Bharat Connect: it is not with the buyer on the network",
                    severity="warning",
                    timeout=15,
                    markup=False,
                )
            return created
        if isinstance(payload, InvoiceCreate):
            return await client.create_invoice(payload)
        assert self.original is not None and isinstance(payload, InvoiceUpdate)
        return await client.update_invoice(self.original.invoice_id, payload)
