"""searchCollectionInvoices (§4.15): every documented filter, sorting and paging, on indexes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from enkash_tui.api.models import InvoiceFilter
from enkash_tui.api.models.search import MAX_INVOICE_PAGE
from enkash_tui.sandbox import serialize
from enkash_tui.sandbox.context import Call, Listing, sort_direction
from enkash_tui.sandbox.db import like_contains
from enkash_tui.sandbox.envelope import invalid
from enkash_tui.sandbox.search_bounds import check_filter
from enkash_tui.sandbox.serialize import to_paise

# orderBy wire name -> column. Anything else is a 400 naming the allowed ones.
INVOICE_SORTS = {
    "dueDate": "due_date",
    "invoiceDate": "invoice_date",
    "createdOn": "created_on",
    "modifiedOn": "modified_on",
    "dispatchedOn": "dispatched_on",
    "netAmount": "net_paise",
    "baseAmount": "base_paise",
    "balanceAmount": "balance_paise",
    "totalReceived": "received_paise",
    "invoiceNumber": "invoice_number",
    "customerLegalName": "customer_legal_name",
    "invoiceId": "invoice_id",
}


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class _Where:
    """Collects SQL conditions and their arguments."""

    def __init__(self) -> None:
        self.clauses: list[str] = []
        self.args: list[Any] = []

    def add(self, clause: str, *args: Any) -> None:
        self.clauses.append(clause)
        self.args.extend(args)

    def among(self, column: str, values: Sequence[Any] | None) -> None:
        if values:
            self.add(f"{column} IN ({','.join('?' * len(values))})", *(str(v) for v in values))

    def between(self, column: str, low: Any, high: Any) -> None:
        if low is not None:
            self.add(f"{column} >= ?", low)
        if high is not None:
            self.add(f"{column} <= ?", high)

    def money(self, column: str, low: Decimal | None, high: Decimal | None) -> None:
        self.between(
            column, None if low is None else to_paise(low), None if high is None else to_paise(high)
        )

    def moments(self, column: str, low: dt.datetime | None, high: dt.datetime | None) -> None:
        self.between(column, low and _iso(low), high and _iso(high))


def build_where(company_id: str, f: InvoiceFilter) -> _Where:
    w = _Where()
    w.add("i.seller_id = ?", company_id)
    w.add("i.deleted = 0")
    w.among("i.approval_status", f.approval_statuses)
    w.money("i.balance_paise", f.balance_amount_from, f.balance_amount_to)
    w.money("i.base_paise", f.base_amount_from, f.base_amount_to)
    w.money("i.net_paise", f.net_amount_from, f.net_amount_to)
    w.among("i.collection_mode", f.collection_mode)
    w.moments("i.created_on", f.created_on_from, f.created_on_to)
    w.moments("i.dispatched_on", f.dispatched_on_from, f.dispatched_on_to)
    w.moments("i.invoice_date", f.invoice_date_from, f.invoice_date_to)
    # dueDate is a date: compare the date part of the filter timestamps.
    w.between(
        "i.due_date",
        f.due_date_from and f.due_date_from.date().isoformat(),
        f.due_date_to and f.due_date_to.date().isoformat(),
    )
    if f.created_via:
        w.add("i.created_via = ?", f.created_via)
    if f.customer_deleted is not None:
        w.add("c.deleted = ?", int(f.customer_deleted))
    if f.customer_status:
        w.add("c.status = ?", f.customer_status)
    w.among("i.customer_id", f.customer_ids)
    if f.customer_legal_name:
        # Match names in the (small) customers table, then use the invoices' customer index.
        w.add(
            "i.customer_id IN (SELECT customer_id FROM customers WHERE company_id = ? "
            "AND legal_name LIKE ? ESCAPE '\\')",
            company_id,
            like_contains(f.customer_legal_name),
        )
    if f.dispatched is not None:
        w.add("i.dispatched = ?", int(f.dispatched))
    w.among("i.external_id", f.external_ids)
    w.among("i.invoice_id", f.invoice_ids)
    if f.invoice_number:
        w.add("i.invoice_number LIKE ? ESCAPE '\\'", like_contains(f.invoice_number))
    if f.partial_payment_allowed is not None:
        w.add("i.partial_payment_allowed = ?", int(f.partial_payment_allowed))
    w.among("i.payout_status", f.payout_statuses)
    w.among("i.receivable_status", f.receivable_statuses)
    if f.bharat_connect_statuses:
        marks = ",".join("?" * len(f.bharat_connect_statuses))
        w.add(
            f"i.invoice_id IN (SELECT invoice_id FROM bc_invoices WHERE status IN ({marks}))",
            *(str(s) for s in f.bharat_connect_statuses),
        )
    if f.on_bharat_connect is not None:
        negate = "" if f.on_bharat_connect else "NOT "
        w.add(f"i.invoice_id {negate}IN (SELECT invoice_id FROM bc_invoices)")
    if f.bharat_connect_payment_pending is not None:
        # A payment the buyer reported waits for the supplier's answer (False: none waits,
        # including every invoice that is not on the network).
        negate = "" if f.bharat_connect_payment_pending else "NOT "
        w.add(
            f"i.invoice_id {negate}IN "
            "(SELECT invoice_id FROM bc_invoices WHERE payment_id IS NOT NULL)"
        )
    return w


def _order(call: Call) -> tuple[str, str]:
    """The sort column and direction asked for."""
    # Given, even empty, a sort must be one EnKash knows ("" is not "the default").
    order_by = call.query.get("orderBy")
    column = INVOICE_SORTS.get("createdOn" if order_by is None else order_by)
    if column is None:
        raise invalid("orderBy", f"must be one of {', '.join(INVOICE_SORTS)}", order_by)
    return column, sort_direction(call, "DESC" if order_by is None else "ASC")


def _order_sql(column: str, direction: str) -> str:
    # rowid breaks ties: every index carries it, so the sort is read straight off an index.
    return f"i.{column} {direction}, i.rowid {direction}"


def _page_window(offset: int, limit: int, total: int) -> tuple[int, int, bool]:
    """(LIMIT, OFFSET, read backwards) for rows ``offset``.. of a ``total``-row result.

    A page in the back half is read from the end in the opposite order (then turned round):
    OFFSET walks every row it skips, so End on 100,000 invoices would walk 99,900 of them. The
    exact reverse of "x ASC, rowid ASC" is "x DESC, rowid DESC", NULLs included (first one
    way, last the other), so the rows are the same."""
    if offset <= total // 2:
        return limit, offset, False
    end = min(offset + limit, total)
    return max(0, end - offset), total - end, True


async def search_invoices(call: Call) -> Listing:
    call.check_tenancy("sellerId")
    limit = call.query_int("limit", 100, 1, MAX_INVOICE_PAGE)
    offset = call.query_int("offset", 0, 0, 100_000_000)
    column, direction = _order(call)
    filters = call.parse(InvoiceFilter, call.body or {})
    check_filter(filters)
    where = build_where(call.company_id, filters)
    needs_customer = any(clause.startswith("c.") for clause in where.clauses)
    source = "invoices i" + (
        " JOIN customers c ON c.customer_id = i.customer_id" if needs_customer else ""
    )
    clause = " AND ".join(where.clauses)
    if offset == 0:
        # The first page also carries the result's summed balance (a sandbox extension).
        total, balance = call.conn.execute(
            f"SELECT count(*), coalesce(sum(i.balance_paise), 0) FROM {source} WHERE {clause}",
            where.args,
        ).fetchone()
    else:
        balance = None
        total = call.conn.execute(
            f"SELECT count(*) FROM {source} WHERE {clause}", where.args
        ).fetchone()[0]
    # Page through rowids first (index only), then read just the rows of this page: a deep
    # OFFSET would otherwise read every skipped row from the table.
    count, skip, backwards = _page_window(offset, limit, total)
    if backwards:
        direction = "ASC" if direction == "DESC" else "DESC"
    order = _order_sql(column, direction)
    rowids = [
        row[0]
        for row in call.conn.execute(
            f"SELECT i.rowid FROM {source} WHERE {clause} ORDER BY {order} LIMIT ? OFFSET ?",
            (*where.args, count, skip),
        )
    ]
    if backwards:
        rowids.reverse()
    by_rowid = {
        row["rowid"]: row
        for row in call.conn.execute(
            f"SELECT rowid, * FROM invoices WHERE rowid IN ({','.join('?' * len(rowids))})",
            rowids,
        )
    }
    rows = [by_rowid[rowid] for rowid in rowids]
    return Listing(serialize.invoices(call.conn, rows), total, balance)
