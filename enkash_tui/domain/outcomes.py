"""When the reply to a change is lost, ask EnKash what happened instead of guessing or sending
it again (no Textual here).

A dispatch, a delete or a payment confirmation whose connection broke after it was sent may or
may not have been applied. These functions read the invoices back and say, per invoice, whether
the change is now in effect, as an ``InvoiceActionResult`` the screens already know how to show.
"""

from __future__ import annotations

from collections.abc import Callable

from enkash_tui.api.client import EnkashClient
from enkash_tui.api.models import Invoice, InvoiceActionResult, InvoiceFilter, InvoiceOutcome

LOST_REPLY = (
    "The reply was lost, so the outcome was unknown. Nothing was sent again: EnKash was asked "
    "what happened to each invoice."
)

# (before, now or None when no longer listed) -> the change is in effect?
Applied = Callable[[Invoice, Invoice | None], bool]


def dispatched(before: Invoice, now: Invoice | None) -> bool:
    """Dispatched now, and anew if it had been dispatched before."""
    if now is None or not now.dispatched:
        return False
    return not before.dispatched or now.dispatched_on != before.dispatched_on


def deleted(before: Invoice, now: Invoice | None) -> bool:
    return now is None  # deleted invoices leave every search


def payment_answered(before: Invoice, now: Invoice | None) -> bool:
    """The reported payment is no longer waiting for an answer (accepted or rejected)."""
    if now is None or now.bharat_connect is None:
        return False
    return now.bharat_connect.reported_payment is None


def moved_to(status: str) -> Applied:
    """The invoice is now in ``status`` on the network, at a newer version than before."""

    def applied(before: Invoice, now: Invoice | None) -> bool:
        if now is None or now.bharat_connect is None or before.bharat_connect is None:
            return False
        newer = now.bharat_connect.object_version > before.bharat_connect.object_version
        return newer and now.bharat_connect.status == status

    return applied


async def recheck(
    client: EnkashClient, invoices: list[Invoice], applied: Applied, done: str, not_done: str
) -> InvoiceActionResult:
    """Each invoice as EnKash has it now: ``done`` where the change is in effect, ``not_done``
    where it is not (safe to try again from the list)."""
    ids = [invoice.invoice_id for invoice in invoices]
    page = await client.search_invoices(InvoiceFilter(invoice_ids=ids), limit=max(1, len(ids)))
    now = {invoice.invoice_id: invoice for invoice in page.items}
    success, failure = [], []
    for invoice in invoices:
        if applied(invoice, now.get(invoice.invoice_id)):
            success.append(InvoiceOutcome(invoice_id=invoice.invoice_id, message=done))
        else:
            failure.append(InvoiceOutcome(invoice_id=invoice.invoice_id, message=not_done))
    return InvoiceActionResult(
        success_invoices=success, failure_invoices=failure, message=LOST_REPLY
    )
