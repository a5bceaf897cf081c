"""The four exports the sections offer, as ``ExportJob``s: what each reads from EnKash (every page
of it, not only the rows a screen has loaded), in what order, under what title and file name.
What the columns are is ``domain.exports``; writing the file is ``local.exports``.

Customers and reminder rules are read fresh from the customer search and kept as the lookup keeps
them for what is typed (``CustomerEntry.matches``), so the file is the list the operator sees,
without the lookup's limit of 5,000 matches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator, Callable
from decimal import Decimal

from enkash_tui.api.client import EnkashClient
from enkash_tui.api.models import Customer, Invoice, SortDirection
from enkash_tui.domain.bharat_connect import Queue, sort_queue
from enkash_tui.domain.exports import (
    CustomerRow,
    ExportJob,
    Progress,
    RuleRow,
    customer_columns,
    export_file_name,
    file_name,
    invoice_columns,
    queue_columns,
    rule_columns,
    rule_rows,
)
from enkash_tui.domain.invoices import InvoiceQuery, read_whole_result
from enkash_tui.domain.open_book import Balance, open_balances
from enkash_tui.local.customer_cache import CustomerEntry, customer_balance

EXPORT_PAGE = 1000  # invoices a page
CUSTOMER_PAGE = 50  # the most the customer search gives at once
# Up to this many customers, each one's balance is asked of the server (two one-row searches);
# beyond, every open invoice is walked once and totalled here.
FEW_CUSTOMERS = 10
# The customer sorts of the Customers section (its ``o``), as the export orders its rows:
# largest first, then by name.
CUSTOMER_ORDERS: dict[str, Callable[[CustomerRow], tuple[Decimal, str]]] = {
    "name": lambda r: (Decimal(0), _name_key(r)),
    "balance": lambda r: (-(r.balance or Decimal(0)), _name_key(r)),
    "overdue": lambda r: (-(r.overdue or Decimal(0)), _name_key(r)),
}


def _name_key(row: CustomerRow) -> str:
    return (row.customer.legal_name or "").lower()


# --- invoices ------------------------------------------------------------------------------


def invoice_export(
    query: InvoiceQuery, today: dt.date, *, page_size: int = EXPORT_PAGE
) -> ExportJob[Invoice]:
    """Every invoice ``query`` finds, page after page in its order."""

    async def rows(client: EnkashClient, progress: Progress) -> AsyncGenerator[list[Invoice], None]:
        offset, written = 0, 0
        while True:
            page = await client.search_invoices(
                query.filters,
                offset=offset,
                limit=page_size,
                order_by=query.order_by,
                direction=query.direction,
            )
            yield page.items
            written += len(page.items)
            progress(written, page.total, "invoices")
            if not page.has_more or not page.items:
                return
            offset = page.next_offset

    return ExportJob(
        f"Export “{query.label}” to CSV",
        "invoices",
        export_file_name(query, today),
        invoice_columns(today),
        rows,
    )


# --- Bharat Connect ------------------------------------------------------------------------


def queue_export(
    queue: Queue, today: dt.date, *, sort: str = "due", page_size: int = EXPORT_PAGE
) -> ExportJob[Invoice]:
    """Every invoice of a work queue (the screen lists at most 5,000), each once, in the order
    the screen shows (``sort``: a key of ``QUEUE_SORTS``)."""

    async def rows(client: EnkashClient, progress: Progress) -> AsyncGenerator[list[Invoice], None]:
        # Read whole first: the screen's orders need every row.
        found = await read_whole_result(
            client,
            queue.filters,
            "dueDate",
            SortDirection.ASC,
            lambda read, total: progress(read, total, "invoices read"),
            page_size,
        )
        yield sort_queue(found, sort)

    return ExportJob(
        f"Export Bharat Connect queue “{queue.label}” to CSV",
        "invoices",
        file_name("bharat-connect", queue.label, today),
        queue_columns(today),
        rows,
    )


# --- customers and their rules -------------------------------------------------------------


async def _customers(client: EnkashClient, typed: str, progress: Progress) -> list[Customer]:
    """Every customer lookup lists for ``typed`` (everyone for nothing typed), fresh, by name."""
    kept: dict[str, Customer] = {}
    read, offset = 0, 0
    while True:
        page = await client.search_customers(
            offset=offset, limit=CUSTOMER_PAGE, order_by="legalName"
        )
        read += len(page.items)
        for customer in page.items:
            if CustomerEntry.of(customer).matches(typed):
                kept[customer.customer_id] = customer  # once, if it moved between pages
        progress(read, page.total, "customers read")
        if not page.has_more or not page.items:
            break
        offset = page.next_offset
    return sorted(kept.values(), key=lambda c: ((c.legal_name or "").lower(), c.customer_id))


async def _balances(
    client: EnkashClient, customers: list[Customer], today: dt.date, progress: Progress
) -> dict[str, Balance]:
    """What each customer owes now: asked of the server for a few customers, else every open
    invoice walked once."""
    if len(customers) > FEW_CUSTOMERS:
        ids = {c.customer_id for c in customers}
        owed, _ = await open_balances(
            client,
            today,
            only=ids,
            progress=lambda done, total: progress(done, total, "open invoices totalled"),
        )
        return owed
    found = {}
    for done, customer in enumerate(customers, 1):
        found[customer.customer_id] = await customer_balance(client, customer.customer_id, today)
        progress(done, len(customers), "balances totalled")
    return found


def _whose(typed: str) -> str:
    return f"customers matching “{typed.strip()}”" if typed.strip() else "every customer"


def customers_export(typed: str, today: dt.date, *, order: str = "name") -> ExportJob[CustomerRow]:
    """The customers the Customers section lists for ``typed``, with what each owes now (their
    open invoices totalled as the export runs), in the section's order (``CUSTOMER_ORDERS``)."""

    async def rows(
        client: EnkashClient, progress: Progress
    ) -> AsyncGenerator[list[CustomerRow], None]:
        customers = await _customers(client, typed, progress)
        owed = await _balances(client, customers, today, progress)
        found = [_with_balance(c, owed.get(c.customer_id, Balance())) for c in customers]
        yield sorted(found, key=CUSTOMER_ORDERS[order])

    return ExportJob(
        f"Export {_whose(typed)} to CSV",
        "customers",
        file_name("customers", typed, today),
        customer_columns(),
        rows,
    )


def _with_balance(customer: Customer, owed: Balance) -> CustomerRow:
    return CustomerRow(customer, owed.open_count, owed.balance, owed.overdue, owed.oldest_due)


def rules_export(
    typed: str, today: dt.date, *, only_with_rules: bool = False
) -> ExportJob[RuleRow]:
    """The reminder rules of the customers the Reminders section lists for ``typed``: a row a
    rule, and one for each customer with none (nobody reminds them) unless ``only_with_rules``
    (the every-rule view lists no such customer), by customer name."""

    async def rows(client: EnkashClient, progress: Progress) -> AsyncGenerator[list[RuleRow], None]:
        customers = await _customers(client, typed, progress)
        if only_with_rules:
            customers = [customer for customer in customers if customer.customer_reminders]
        yield [row for customer in customers for row in rule_rows(customer)]

    return ExportJob(
        f"Export the reminder rules of {_whose(typed)} to CSV",
        "rows",
        file_name("reminder-rules", typed, today),
        rule_columns(),
        rows,
    )
