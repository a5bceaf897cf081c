"""Confirming and reporting actions on many invoices at once (dispatch, delete collection).

The confirmation states the count, the rupee total and the first rows, and names the invoices the
follow-up book has an open dispute on; a large batch asks the user to type the count. The report
lists, per invoice, what succeeded and what failed and why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, Static

from enkash_tui.api.models import Invoice, InvoiceActionResult
from enkash_tui.domain.batches import BatchAction
from enkash_tui.domain.formatting import inr
from screens.dialog import Dialog
from screens.widgets.form_controls import ButtonBar, FormInput

# From this many invoices on, the user types the count to confirm.
TYPE_THE_COUNT_FROM = 20
SAMPLE_ROWS = 5
NAMED_DISPUTES = 10  # disputed invoices named in the confirmation; the rest are counted
# Dispatch may set part payments for all the invoices, or leave each as it is.
PART_PAYMENT_CHOICES: tuple[tuple[bool | None, str], ...] = (
    (None, "keep each invoice's setting"),
    (True, "allow"),
    (False, "do not allow"),
)


@dataclass(frozen=True)
class BatchDecision:
    """What the user confirmed; ``partial_payment_allowed`` only for dispatch."""

    partial_payment_allowed: bool | None = None


def batch_summary(invoices: list[Invoice]) -> Table:
    total = sum((i.balance_amount or Decimal(0) for i in invoices), Decimal(0))
    table = Table.grid(padding=(0, 2))
    table.add_column()
    table.add_column()
    table.add_column(justify="right")
    for invoice in invoices[:SAMPLE_ROWS]:
        table.add_row(
            Text(invoice.invoice_number or invoice.invoice_id),
            Text(invoice.customer_legal_name or ""),
            inr(invoice.balance_amount),
        )
    if len(invoices) > SAMPLE_ROWS:
        table.add_row(Text(f"…and {len(invoices) - SAMPLE_ROWS} more", style="dim"), "", "")
    table.add_row(Text("Balance in all", style="bold"), "", Text(inr(total), style="bold"))
    return table


def disputed_warning(disputed: Sequence[Invoice], of: int) -> str:
    """ "2 of these 5 invoices are disputed (open in the follow-up book): A/1, A/7"."""
    names = [i.invoice_number or i.invoice_id for i in disputed[:NAMED_DISPUTES]]
    more = len(disputed) - len(names)
    listed = ", ".join(names) + (f" and {more} more" if more else "")
    if of == 1:
        return f"This invoice is disputed (open in the follow-up book): {listed}"
    verb = "is" if len(disputed) == 1 else "are"
    return (
        f"{len(disputed)} of these {of} invoices {verb} disputed (open in the follow-up book): "
        + listed
    )


class BatchConfirm(Dialog[BatchDecision | None]):
    """``verb`` N invoices? Escape cancels; Enter confirms once the count is typed if asked."""

    BINDINGS = [
        Binding("y", "confirm", "Confirm", id="batch.confirm"),
        Binding("n,escape", "cancel", "Cancel", id="batch.cancel"),
        Binding("p", "part_payments", "Part payments", id="batch.part_payments"),
    ]

    def __init__(
        self,
        verb: str,
        invoices: list[Invoice],
        *,
        warning: str = "",
        dispatch: bool = False,
        disputed: Sequence[Invoice] = (),
    ) -> None:
        super().__init__()
        self.verb = verb
        self.invoices = invoices
        self.warning = warning
        self.dispatch = dispatch
        self.disputed = list(disputed)  # of ``invoices``: an open dispute in the follow-up book
        self.part_payments = 0  # index into PART_PAYMENT_CHOICES

    @classmethod
    def of(
        cls, action: BatchAction, invoices: list[Invoice], *, disputed: Sequence[Invoice] = ()
    ) -> BatchConfirm:
        """The confirmation ``action`` asks for, in its own words."""
        return cls(
            action.label,
            invoices,
            warning=action.warning,
            dispatch=action.asks_partial_payments,
            disputed=disputed,
        )

    @property
    def needs_typed_count(self) -> bool:
        return len(self.invoices) >= TYPE_THE_COUNT_FROM

    def compose(self) -> ComposeResult:
        count = len(self.invoices)
        noun = "invoice" if count == 1 else "invoices"
        with VerticalScroll(classes="modal batch"):
            yield Static(f"{self.verb} {count} {noun}?", classes="title", markup=False)
            yield Static(batch_summary(self.invoices))
            if self.disputed:
                yield Static(
                    disputed_warning(self.disputed, count),
                    id="disputed",
                    classes="warning",
                    markup=False,
                )
            if self.warning:
                yield Static(self.warning, classes="warning", markup=False)
            if self.dispatch:
                yield Static(self._part_payment_line(), id="part-payments", markup=False)
            if self.needs_typed_count:
                yield Static(f"Type {count} and Enter to confirm:", markup=False)
                yield FormInput(id="typed-count", compact=True, restrict=r"[0-9]*")
            with ButtonBar(classes="buttons"):
                label = f"{self.verb} {count}" + ("" if self.needs_typed_count else " (y)")
                yield Button(
                    label,
                    id="confirm",
                    variant="warning",
                    compact=True,
                    disabled=self.needs_typed_count,
                )
                yield Button("Cancel (n/Esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        target = "#typed-count" if self.needs_typed_count else "#cancel"
        self.query_one(target).focus()

    def _part_payment_line(self) -> str:
        return f"Part payments: {PART_PAYMENT_CHOICES[self.part_payments][1]}  (p changes)"

    def action_part_payments(self) -> None:
        if self.dispatch:
            self.part_payments = (self.part_payments + 1) % len(PART_PAYMENT_CHOICES)
            self.query_one("#part-payments", Static).update(self._part_payment_line())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # With a count to type, "y" alone must not confirm (and types into the field).
        return not (action == "confirm" and self.needs_typed_count)

    @on(Input.Changed, "#typed-count")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#confirm", Button).disabled = event.value != str(len(self.invoices))

    @on(Input.Submitted, "#typed-count")
    def _typed_enter(self, event: Input.Submitted) -> None:
        if event.value == str(len(self.invoices)):
            self._confirm()

    @on(Button.Pressed, "#confirm")
    def _confirm(self) -> None:
        allowed = PART_PAYMENT_CHOICES[self.part_payments][0] if self.dispatch else None
        self.dismiss(BatchDecision(partial_payment_allowed=allowed))

    def action_confirm(self) -> None:
        if not self.needs_typed_count:
            self._confirm()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class BatchReport(Dialog[None]):
    """Per invoice: done, or failed and why."""

    BINDINGS = [Binding("escape,enter,q", "dismiss", "Close", id="batch.close")]

    def __init__(self, verb: str, result: InvoiceActionResult, names: dict[str, str]) -> None:
        super().__init__()
        self.verb = verb
        self.result = result
        self.names = names

    def compose(self) -> ComposeResult:
        done, failed = self.result.success_invoices, self.result.failure_invoices
        title = f"{self.verb}: {len(done)} done"
        if failed:
            title += f", {len(failed)} failed"
        table = Table.grid(padding=(0, 2))
        table.add_column()
        table.add_column()
        table.add_column()
        for outcome in failed:
            table.add_row(
                Text("failed", style="bold red"),
                Text(self.names.get(outcome.invoice_id, outcome.invoice_id)),
                Text(outcome.message or ""),
            )
        for outcome in done:
            table.add_row(
                Text("done", style="green"),
                Text(self.names.get(outcome.invoice_id, outcome.invoice_id)),
                Text(outcome.message or ""),
            )
        if not done and not failed and self.result.message:
            table.add_row(Text("reply"), Text(self.result.message), Text(""))
        with VerticalScroll(classes="modal batch"):
            yield Static(title, classes="title", markup=False)
            if (done or failed) and self.result.message:
                yield Static(Text(self.result.message, style="bold yellow"), id="batch-note")
            yield Static(table)
            yield Static("Enter/Esc close", classes="hint", markup=False)
