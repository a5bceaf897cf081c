"""The actions on a batch of marked invoices (dispatch payment links, delete collection), each
with its words, how it is sent, and how to tell afterwards whether it took effect."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from enkash_tui.api.client import EnkashClient
from enkash_tui.api.models import Invoice, InvoiceActionResult
from enkash_tui.api.models.invoice import MAX_BATCH
from enkash_tui.domain.invoices import BALANCE_PAGE, InvoiceQuery, read_whole_result
from enkash_tui.domain.outcomes import Applied, deleted, dispatched, recheck, send_or_recheck

# (client, invoice ids, partial payments allowed or None: not said) -> EnKash's per-invoice reply
Perform = Callable[[EnkashClient, list[str], bool | None], Awaitable[InvoiceActionResult]]


@dataclass(frozen=True)
class BatchAction:
    label: str  # the verb on the confirmation and the report: "Dispatch"
    warning: str  # what it does, said before it is confirmed
    perform: Perform
    applied: Applied  # after a lost reply: is the change in effect on this invoice?
    done: str  # per invoice, when a recheck finds it applied
    not_done: str  # per invoice, when it did not take effect (safe to send again)
    asks_partial_payments: bool = False

    async def run(
        self, client: EnkashClient, invoices: list[Invoice], partial_payments: bool | None = None
    ) -> InvoiceActionResult:
        """Sent once; a lost reply is answered by reading the invoices back (RecheckFailed when
        that fails too)."""
        ids = [invoice.invoice_id for invoice in invoices]
        sent = await send_or_recheck(
            lambda: self.perform(client, ids, partial_payments),
            lambda: recheck(client, invoices, self.applied, self.done, self.not_done),
        )
        return sent.value


async def _dispatch(
    client: EnkashClient, ids: list[str], partial: bool | None
) -> InvoiceActionResult:
    return await client.dispatch_invoices(ids, partial_payment_allowed=partial)


async def _delete(
    client: EnkashClient, ids: list[str], partial: bool | None
) -> InvoiceActionResult:
    return await client.delete_invoices(ids)


DISPATCH = BatchAction(
    label="Dispatch",
    warning="EnKash sends each invoice with its payment link to the customer's key contacts.",
    perform=_dispatch,
    applied=dispatched,
    done="dispatched (checked after the reply was lost)",
    not_done="not dispatched: the request did not take effect; it can be sent again",
    asks_partial_payments=True,
)
DELETE_COLLECTION = BatchAction(
    label="Delete collection for",
    warning=(
        "Deleted invoices leave every search and cannot be collected; invoices with payments "
        "recorded are refused."
    ),
    perform=_delete,
    applied=deleted,
    done="deleted (checked after the reply was lost)",
    not_done="still there: the request did not take effect; it can be sent again",
)


class TooManyForOneBatch(Exception):
    """A search holds more invoices than one dispatch or deletion may name."""

    def __init__(self, total: int, limit: int = MAX_BATCH) -> None:
        super().__init__(
            f"{total:,} invoices are more than one batch may carry ({limit:,}): "
            "narrow the search first"
        )
        self.total = total


async def every_invoice(
    client: EnkashClient,
    query: InvoiceQuery,
    progress: Callable[[int, int], object] = lambda done, total: None,
    *,
    limit: int = MAX_BATCH,
    page_size: int = BALANCE_PAGE,
) -> list[Invoice]:
    """Every invoice of ``query``'s whole result, to act on at once; TooManyForOneBatch (before
    more than the first page is read) when there are more than ``limit``. ``progress(read,
    total)`` follows the pages."""

    def check(read: int, total: int | None) -> None:
        whole = total if total is not None else read
        if whole > limit:
            raise TooManyForOneBatch(whole, limit)
        progress(read, whole)

    return await read_whole_result(
        client, query.filters, query.order_by, query.direction, check, page_size
    )
