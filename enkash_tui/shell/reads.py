"""The shell's reads from EnKash: invoices (a view of the Invoices section, narrowed), one invoice,
customers by name, one customer. Each prints rows through ``output``."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import AsyncIterator, Sequence
from typing import TYPE_CHECKING

from enkash_tui import clock
from enkash_tui.api.models import Customer, CustomerFilter, Invoice, InvoiceFilter, SortDirection
from enkash_tui.domain.customers import CUSTOMER_ID
from enkash_tui.domain.exports import CustomerRow, customer_columns, invoice_columns
from enkash_tui.domain.invoices import PRESETS
from enkash_tui.shell.output import RowWriter, print_rows
from enkash_tui.shell.progress import Progress
from enkash_tui.shell.signin import UsageError

if TYPE_CHECKING:
    from enkash_tui.api.client import EnkashClient

VIEWS = {preset.name: preset for preset in PRESETS}
PAGE = 1000  # invoices a page with --all
# The columns a terminal's table shows (80 columns leave the name room); files and JSON carry
# every export column.
INVOICE_TABLE = ("Invoice number", "Customer", "Due date", "Days overdue", "Balance")
CUSTOMER_TABLE = ("Customer", "Customer id", "Status", "GSTIN / PAN")
SORTS = {"due": "dueDate", "created": "createdOn", "number": "invoiceNumber",
         "balance": "balanceAmount", "customer": "customerLegalName"}  # fmt: skip


def _day(text_: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text_)
    except ValueError:
        raise UsageError(f"{option}: use yyyy-mm-dd, e.g. 2026-12-31") from None


def invoice_query(args: argparse.Namespace) -> tuple[InvoiceFilter, str, SortDirection]:
    """The search the options ask for: the view's filters, narrowed (a date bound or a status the
    view already has is only ever tightened); its sort, unless asked."""
    query = VIEWS[args.view].build(clock.today())
    view = query.filters
    changes: dict[str, object] = {}
    if args.customer:
        if CUSTOMER_ID.fullmatch(args.customer):
            changes["customer_ids"] = [args.customer]
        else:
            changes["customer_legal_name"] = args.customer
    if args.due_from:
        start = dt.datetime.combine(_day(args.due_from, "--due-from"), dt.time())
        changes["due_date_from"] = max(start, view.due_date_from) if view.due_date_from else start
    if args.due_to:
        end = dt.datetime.combine(_day(args.due_to, "--due-to"), dt.time(23, 59, 59))
        changes["due_date_to"] = min(end, view.due_date_to) if view.due_date_to else end
    if args.status:
        wanted = [s.upper() for s in args.status]
        if view.receivable_statuses:
            wanted = [s for s in wanted if s in view.receivable_statuses]
            if not wanted:
                held = ", ".join(view.receivable_statuses)
                raise UsageError(f"--status: the {args.view} view holds only {held}")
        changes["receivable_statuses"] = wanted
    filters = view.model_copy(update=changes)
    try:  # checked as it would be before leaving: a bad value is a usage error, not a call
        filters = InvoiceFilter.model_validate(filters.model_dump())
    except ValueError as error:
        raise UsageError(f"not a search EnKash takes: {error}") from None
    if args.sort:
        return filters, SORTS[args.sort], SortDirection.DESC if args.desc else SortDirection.ASC
    return filters, query.order_by, query.direction


async def invoice_pages(
    client: EnkashClient,
    filters: InvoiceFilter,
    wanted: int | None,
    order_by: str | None = None,
    direction: SortDirection | None = None,
) -> AsyncIterator[Sequence[Invoice]]:
    """The search's invoices, page after page: ``wanted`` of them, or all (None). Past the first
    page, a bar on a terminal's stderr counts them."""
    offset = 0
    with Progress("Reading invoices") as progress:
        while wanted is None or offset < wanted:
            size = PAGE if wanted is None else min(PAGE, wanted - offset)
            page = await client.search_invoices(
                filters, offset=offset, limit=size, order_by=order_by, direction=direction
            )
            if page.items:
                progress.clear()  # rows written to the same terminal start on a clean line
                yield page.items
            offset += len(page.items)
            if not page.has_more or not page.items:
                return
            total = page.total if wanted is None else min(wanted, page.total or wanted)
            progress.update(offset, total)


async def invoices_search(client: EnkashClient, args: argparse.Namespace) -> int:
    filters, order_by, direction = invoice_query(args)
    writer = RowWriter(args.format, invoice_columns(clock.today()), INVOICE_TABLE)
    wanted = None if args.all else args.limit
    await writer.write_all(invoice_pages(client, filters, wanted, order_by, direction))
    return 0


async def invoices_get(client: EnkashClient, args: argparse.Namespace) -> int:
    invoice = await client.get_invoice(args.id)
    print_rows(args.format, invoice_columns(clock.today()), [invoice], INVOICE_TABLE)
    return 0


async def customers_find(client: EnkashClient, args: argparse.Namespace) -> int:
    page = await client.search_customers(CustomerFilter(legal_name=args.text), limit=args.limit)
    rows = [CustomerRow(c) for c in page.items if not c.deleted]
    print_rows(args.format, customer_columns(), rows, CUSTOMER_TABLE)
    return 0


async def customer(client: EnkashClient, customer_id: str) -> Customer:
    """The customer ``customer_id`` names; LookupError when EnKash has none."""
    page = await client.search_customers(CustomerFilter(customer_ids=[customer_id]), limit=1)
    found = [c for c in page.items if c.customer_id == customer_id]
    if not found:
        raise LookupError(f"no customer {customer_id} on EnKash")
    return found[0]


async def customers_get(client: EnkashClient, args: argparse.Namespace) -> int:
    found = await customer(client, args.id)
    print_rows(args.format, customer_columns(), [CustomerRow(found)], CUSTOMER_TABLE)
    return 0
