"""When the reply to a change is lost, ask EnKash what happened instead of guessing or sending
it again: the one path every batch, network action and form takes (``send_or_recheck``).

A dispatch, a delete, a payment confirmation or a form save whose connection broke after it was
sent may or may not have been applied. ``recheck`` reads invoices back and says, per invoice,
whether the change is now in effect, as an ``InvoiceActionResult`` the screens already show.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from enkash_tui.api.client import EnkashClient
from enkash_tui.api.errors import EnkashError, NetworkError
from enkash_tui.api.models import Invoice, InvoiceActionResult, InvoiceFilter, InvoiceOutcome

T = TypeVar("T")

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


@dataclass(frozen=True)
class Sent(Generic[T]):
    """What a change came to: EnKash's reply, or (``rechecked``) what EnKash said when asked
    after the reply was lost."""

    value: T
    rechecked: bool = False


class RecheckFailed(EnkashError):
    """The reply to a change was lost and asking EnKash what happened failed too: the change may
    or may not have been applied."""

    def __init__(self, lost: NetworkError, second: EnkashError) -> None:
        super().__init__(f"Outcome unknown ({lost}); checking failed too: {second}")
        self.lost = lost
        self.second = second


async def send_or_recheck(
    send: Callable[[], Awaitable[T]],
    recheck: Callable[[], Awaitable[T]],
    on_lost: Callable[[], object] = lambda: None,
) -> Sent[T]:
    """Send a change once. When its reply is lost after it may have reached EnKash, never send it
    again: say so (``on_lost``) and ask EnKash what happened (``recheck``) instead. Errors that
    prove nothing changed (refused, or never sent) are raised as they are."""
    try:
        return Sent(await send())
    except NetworkError as error:
        if not error.may_have_reached_server:
            raise
        on_lost()
        try:
            return Sent(await recheck(), rechecked=True)
        except EnkashError as second:
            raise RecheckFailed(error, second) from second
