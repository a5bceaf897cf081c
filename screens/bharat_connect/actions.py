"""The two supplier actions on Bharat Connect invoices, each a modal that shows what it will do,
asks for remarks, sends it, and reports per invoice.

* Payment confirmation (``c``): ACCEPT or REJECT a payment the buyer reported; REJECT only for
  off-platform payments (the reason is shown when it is not offered). One payment at a time, for
  all the marked invoices it covers.
* Status change (``s``): only the transitions allowed from the invoices' current status; the
  object version each invoice had when listed goes with it, so a change the buyer overtook is
  refused rather than applied to an invoice nobody looked at.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal

from pydantic import ValidationError
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from enkash_tui.api import EnkashClient, EnkashError, field_errors_from_validation
from enkash_tui.api.models import (
    Invoice,
    InvoiceActionResult,
    InvoiceStatusChange,
    PaymentConfirmation,
    PaymentType,
    SupplierResponse,
    next_statuses,
)
from enkash_tui.domain.bharat_connect import UNKNOWN_PAYMENT_TYPE, payment_type
from enkash_tui.domain.formatting import count, inr
from enkash_tui.domain.outcomes import (
    RecheckFailed,
    moved_to,
    payment_answered,
    recheck,
    send_or_recheck,
)
from screens.dialog import Dialog
from screens.host import host
from screens.widgets.form_controls import ButtonBar, FormInput, FormRadioButton, FormRadioSet

# What each status means when the supplier picks it (the network's words are terse), in the
# order they are offered.
MOVES = {
    "CREATED": "send it to the buyer again (after correcting it)",
    "ACCEPTED": "record that the buyer accepted it",
    "RETURNED": "record that the buyer sent it back",
    "REJECTED": "record that the buyer rejected it",
    "PAID": "record it as paid in full",
    "CANCELLED": "withdraw it from the network",
}
REJECT_ONLY_OFFPLATFORM = (
    "REJECT is not offered: this payment was made on Bharat Connect (ONPLATFORM), and the "
    "network only lets a supplier reject payments reported as made outside it (OFFPLATFORM)."
)


def _invoices_table(invoices: list[Invoice], with_payment: bool = False) -> Table:
    table = Table(box=None, padding=(0, 2), header_style="bold")
    for title in ("Invoice", "Customer", "Balance", "Status", "v") + (
        ("Reported",) if with_payment else ()
    ):
        table.add_column(title, justify="right" if title in ("Balance", "Reported") else "left")
    for invoice in invoices[:12]:
        bc = invoice.bharat_connect
        row: list[str | Text] = [
            Text(invoice.invoice_number or invoice.invoice_id),
            Text(invoice.customer_legal_name or ""),
            inr(invoice.balance_amount),
            bc.status if bc else "",
            str(bc.object_version) if bc else "",
        ]
        if with_payment:
            payment = bc.reported_payment if bc else None
            row.append(inr(payment.amount) if payment else "")
        table.add_row(*row)
    if len(invoices) > 12:
        table.add_row(Text(f"…and {len(invoices) - 12} more", style="dim"))
    return table


def outcome_table(result: InvoiceActionResult, invoices: list[Invoice]) -> Table:
    numbers = {i.invoice_id: i.invoice_number or i.invoice_id for i in invoices}
    table = Table("Invoice", "", "Detail", box=None, padding=(0, 2), header_style="bold")
    for outcome in result.failure_invoices:
        table.add_row(
            Text(numbers.get(outcome.invoice_id, outcome.invoice_id)),
            Text("FAILED", style="bold red"),
            Text(outcome.message or ""),
        )
    for outcome in result.success_invoices:
        table.add_row(
            Text(numbers.get(outcome.invoice_id, outcome.invoice_id)),
            Text("done", style="green"),
            Text(outcome.message or ""),
        )
    return table


# One exchange with EnKash over the session's client: the change, or the recheck after a lost
# reply.
Exchange = Callable[[EnkashClient], Awaitable[InvoiceActionResult]]


@dataclass(frozen=True)
class ActionDone:
    """What a modal did, for the screen to refresh and report: the result and who it was for."""

    result: InvoiceActionResult
    invoices: list[Invoice]


class _ActionModal(Dialog[ActionDone | None]):
    """Shared: remarks with their rule, a status line, sending, and the per-invoice report."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="bc_action.close"),
        # From the choices too (they take space only): Enter sends, as in every form.
        Binding("enter", "send", "Send", show=False, id="bc_action.send"),
    ]

    def __init__(self, invoices: list[Invoice]) -> None:
        super().__init__()
        self.invoices = invoices
        self.done: ActionDone | None = None

    def _say(self, text: str | Text) -> None:
        status = self.query_one("#action-status", Static)
        status.update(text)
        status.scroll_visible(animate=False)

    def remarks_field(self) -> ComposeResult:
        with Horizontal(classes="filter-row"):
            yield Static("Remarks *", classes="label")
            yield FormInput(placeholder="1-100 characters, no \\ or \"", id="remarks", compact=True,
                        max_length=100)  # fmt: skip
            yield Static("", id="remarks-error", classes="filter-error", markup=False)

    @on(Input.Changed, "#remarks")
    def _remarks_typed(self, event: Input.Changed) -> None:
        bad = any(ch in event.value for ch in '\\"')
        self.query_one("#remarks-error", Static).update('no \\ or " here' if bad else "")

    def _problems(self, error: ValidationError, model: type[PaymentConfirmation]
                  | type[InvoiceStatusChange]) -> None:  # fmt: skip
        for problem in field_errors_from_validation(error, model):
            if problem.field == "remarks":
                message = "required" if "at least" in problem.message else problem.message
                if "pattern" in message:
                    message = 'no \\ or " here'
                self.query_one("#remarks-error", Static).update(message)
            else:
                self._say(Text(problem.message, style="red"))

    @work(exclusive=True, exit_on_error=False)
    async def send_once(self, send: Exchange, recheck: Exchange) -> None:
        """Send the change; a lost reply is never sent again, EnKash is asked instead."""
        session = host(self).session
        if session is None:
            return
        client = session.client
        try:
            sent = await send_or_recheck(
                lambda: send(client), lambda: recheck(client), on_lost=self._asking
            )
        except RecheckFailed as failed:
            self._say(Text(str(failed), "red"))
            return
        except EnkashError as error:
            self._say(Text(f"Not sent: {error}", style="red"))
            return
        self._finish(sent.value)

    def _asking(self) -> None:
        self._say("The reply was lost: asking EnKash what happened…")

    def _finish(self, result: InvoiceActionResult) -> None:
        self.done = ActionDone(result, self.invoices)
        failed = len(result.failure_invoices)
        summary = f"Done: {count(len(result.success_invoices), 'invoice')}"
        summary += f", {failed} failed" if failed else ""
        if result.message and not (result.success_invoices or result.failure_invoices):
            summary = result.message
        elif result.message:
            summary = f"{result.message} {summary}"
        self._say(Text(summary + ". Esc closes.", style="bold"))
        self.query_one("#action-result", Static).update(outcome_table(result, self.invoices))
        self.query_one("#send", Button).disabled = True

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(self.done)


class PaymentConfirm(_ActionModal):
    """Accept or reject the payment the buyer reported for these invoices."""

    def __init__(self, invoices: list[Invoice]) -> None:
        super().__init__(invoices)
        bc = invoices[0].bharat_connect
        assert bc is not None and bc.reported_payment is not None
        self.payment = bc.reported_payment

    @property
    def offplatform(self) -> bool:
        return payment_type(self.payment) is PaymentType.OFFPLATFORM

    def compose(self) -> ComposeResult:
        payment = self.payment
        total = sum((i.bharat_connect.reported_payment.amount or Decimal(0)  # type: ignore[union-attr]
                     for i in self.invoices), Decimal(0))  # fmt: skip
        with VerticalScroll(classes="modal form", id="bc-confirm"):
            yield Static("Confirm a payment the buyer reported", classes="title", markup=False)
            facts = Table.grid(padding=(0, 2))
            facts.add_column(style="dim")
            facts.add_column()
            facts.add_row("Payment id", Text(payment.payment_id))
            facts.add_row("Type", Text(payment.type or "?", style="bold"))
            facts.add_row("Amount", Text(inr(total), style="bold"))
            if payment.remarks:
                facts.add_row("Buyer's remarks", Text(payment.remarks))
            yield Static(facts)
            with FormRadioSet(id="response", compact=True):
                yield FormRadioButton("ACCEPT: mark the invoices paid", value=True, id="accept")
                yield FormRadioButton(
                    "REJECT: the money has not arrived", id="reject", disabled=not self.offplatform
                )
            if not self.offplatform:
                yield Static(REJECT_ONLY_OFFPLATFORM, classes="hint-inline", markup=False)
            yield from self.remarks_field()
            with ButtonBar(classes="buttons"):
                yield Button("Send (Enter)", id="send", variant="warning", compact=True)
                yield Button("Close (Esc)", id="close", compact=True)
            # The invoices last: a payment may cover many, and the facts above must stay in view.
            yield Static(_invoices_table(self.invoices, with_payment=True))
            yield Static("", id="action-status", markup=False)
            yield Static("", id="action-result")

    def on_mount(self) -> None:
        self.query_one("#remarks", Input).focus()

    @property
    def response(self) -> SupplierResponse:
        rejecting = self.query_one("#reject", RadioButton).value
        return SupplierResponse.REJECT if rejecting else SupplierResponse.ACCEPT

    @on(Button.Pressed, "#send")
    @on(Input.Submitted, "#remarks")
    def action_send(self) -> None:
        if self.done is not None:
            return
        self.query_one("#remarks-error", Static).update("")
        kind = payment_type(self.payment)
        if kind is None:
            said = UNKNOWN_PAYMENT_TYPE.format(payment=self.payment.payment_id)
            self._say(Text(said, style="red"))
            return
        try:
            confirmation = PaymentConfirmation(
                invoice_ids=[i.invoice_id for i in self.invoices],
                payment_id=self.payment.payment_id,
                remarks=self.query_one("#remarks", Input).value,
                response=self.response,
                type=kind,
            )
        except ValidationError as error:
            self._problems(error, PaymentConfirmation)
            return
        self._say(f"Sending {confirmation.response}…")
        self.send_once(
            lambda client: client.confirm_payment(confirmation),
            lambda client: recheck(
                client, self.invoices, payment_answered,
                f"{confirmation.response.lower()}ed (checked after the reply was lost)",
                "still waiting for an answer: the request did not take effect",
            ),
        )  # fmt: skip


class StatusChange(_ActionModal):
    """Move invoices that share a status to one of the statuses allowed next."""

    def __init__(self, invoices: list[Invoice]) -> None:
        super().__init__(invoices)
        bc = invoices[0].bharat_connect
        assert bc is not None
        self.current = bc.status
        allowed = next_statuses(bc.status)
        # In MOVES order: the everyday moves first, withdrawing (CANCELLED) last.
        self.moves = [status for status in MOVES if status in allowed]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal form", id="bc-status"):
            yield Static(
                f"Change the network status of {count(len(self.invoices), 'invoice')}",
                classes="title",
                markup=False,
            )
            yield Static(_invoices_table(self.invoices))
            yield Static(f"Now {self.current}. Move to:", markup=False)
            with FormRadioSet(id="move", compact=True):
                for position, status in enumerate(self.moves):
                    yield FormRadioButton(f"{status}: {MOVES.get(status, '')}", value=not position,
                                      id=f"to-{status}")  # fmt: skip
            yield from self.remarks_field()
            with ButtonBar(classes="buttons"):
                yield Button("Send (Enter)", id="send", variant="warning", compact=True)
                yield Button("Close (Esc)", id="close", compact=True)
            yield Static("", id="action-status", markup=False)
            yield Static("", id="action-result")

    def on_mount(self) -> None:
        self.query_one("#remarks", Input).focus()

    @property
    def target(self) -> str:
        pressed = self.query_one("#move", RadioSet).pressed_button
        return (pressed.id or "").removeprefix("to-") if pressed else self.moves[0]

    @on(Button.Pressed, "#send")
    @on(Input.Submitted, "#remarks")
    def action_send(self) -> None:
        if self.done is not None:
            return
        self.query_one("#remarks-error", Static).update("")
        versions = {
            i.invoice_id: i.bharat_connect.object_version
            for i in self.invoices
            if i.bharat_connect is not None
        }
        try:
            change = InvoiceStatusChange.model_validate(
                {
                    "invoiceIds": [i.invoice_id for i in self.invoices],
                    "status": self.target,
                    "remarks": self.query_one("#remarks", Input).value,
                    "objectVersions": versions,
                }
            )
        except ValidationError as error:
            self._problems(error, InvoiceStatusChange)
            return
        self._say(f"Moving to {change.status}…")
        self.send_once(
            lambda client: client.change_invoice_status(change),
            lambda client: recheck(
                client, self.invoices, moved_to(str(change.status)),
                f"now {change.status} (checked after the reply was lost)",
                "unchanged: the request did not take effect",
            ),
        )  # fmt: skip
