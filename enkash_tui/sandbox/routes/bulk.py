"""Bulk CSV uploads (§4.6, §4.7, §4.12): one row per record, every row judged on its own.

The file layout is ``enkash_tui.api.bulk_format`` (shared with the app's own checks).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from enkash_tui.api.bulk_format import (
    CUSTOMER_CREATE_COLUMNS,
    CUSTOMER_CREATE_REQUIRED,
    CUSTOMER_UPDATE_COLUMNS,
    CUSTOMER_UPDATE_REQUIRED,
    INVOICE_COLUMNS,
    INVOICE_REQUIRED,
    BulkFileError,
    RowValueError,
    customer_create_body,
    customer_update_body,
    invoice_body,
    on_bharat_connect,
    read_rows,
)
from enkash_tui.api.models import CustomerCreate, CustomerUpdate, InvoiceCreate
from enkash_tui.sandbox.context import Call
from enkash_tui.sandbox.db import transaction
from enkash_tui.sandbox.envelope import SandboxError, invalid
from enkash_tui.sandbox.routes.bharat_connect import put_on_network
from enkash_tui.sandbox.routes.customers import (
    apply_customer_update,
    insert_customer,
    load_customer,
)
from enkash_tui.sandbox.routes.invoices import insert_invoice


def _rows(
    call: Call, columns: tuple[str, ...], required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """The upload's rows; a file that cannot be read at all is one 400 on ``file``."""
    name, content = call.require_upload()
    try:
        return iter(list(read_rows(name, content, columns, required)))
    except BulkFileError as error:
        raise invalid("file", str(error), name) from None


def _row_failure(row: int, reference: str | None, error: SandboxError) -> dict[str, Any]:
    errors = {sub["field"]: sub["message"] for sub in error.sub_errors}
    return {"row": row, "reference": reference, "message": error.message, "errors": errors}


def _process(
    call: Call,
    rows: Iterator[tuple[int, dict[str, str]]],
    reference_column: str,
    apply: Callable[[dict[str, str]], tuple[str, int]],
) -> dict[str, Any]:
    """Apply each row in its own transaction; collect the documented BulkResponse."""
    successes: list[dict[str, Any]] = []
    failures: list[dict[str, Any]] = []
    total_paise = 0
    for row_number, cells in rows:
        reference = cells.get(reference_column)
        try:
            with transaction(call.conn):
                record_id, paise = apply(cells)
        except RowValueError as error:
            failure = invalid(error.field, str(error), cells.get(error.field))
            failures.append(_row_failure(row_number, reference, failure))
            continue
        except SandboxError as error:
            failures.append(_row_failure(row_number, reference, error))
            continue
        total_paise += paise
        successes.append({"row": row_number, "reference": reference, "id": record_id})
    return {
        "total_count": len(successes) + len(failures),
        "success_count": len(successes),
        "failure_count": len(failures),
        "failure_count_second_file": 0,
        "warn_count": 0,
        "total_amount": total_paise / 100,
        "successRequests": successes,
        "failureRequests": failures,
        "success_file_name": None,
        "success_file_url": None,
        "failure_file_name": None,
        "failure_file_url": None,
    }


async def bulk_create_customers(call: Call) -> dict[str, Any]:
    company = call.query.get("companyId")
    if not company:
        raise invalid("companyId", "is required", None)
    call.check_tenancy("companyId")
    rows = _rows(call, CUSTOMER_CREATE_COLUMNS, CUSTOMER_CREATE_REQUIRED)

    def create(cells: dict[str, str]) -> tuple[str, int]:
        return insert_customer(call, call.parse(CustomerCreate, customer_create_body(cells))), 0

    return _process(call, rows, "legalName", create)


async def bulk_update_customers(call: Call) -> dict[str, Any]:
    call.check_tenancy("parentCompanyId")
    rows = _rows(call, CUSTOMER_UPDATE_COLUMNS, CUSTOMER_UPDATE_REQUIRED)

    def update(cells: dict[str, str]) -> tuple[str, int]:
        customer_id = cells.get("customerId", "")
        load_customer(call, customer_id)
        apply_customer_update(
            call, customer_id, call.parse(CustomerUpdate, customer_update_body(cells))
        )
        return customer_id, 0

    return _process(call, rows, "customerId", update)


async def bulk_create_invoices(call: Call) -> dict[str, Any]:
    call.check_tenancy("sellerId")
    rows = _rows(call, INVOICE_COLUMNS, INVOICE_REQUIRED)

    def create(cells: dict[str, str]) -> tuple[str, int]:
        new = call.parse(InvoiceCreate, invoice_body(cells))
        invoice_id = insert_invoice(call, new, created_via="BULK")
        if on_bharat_connect(cells):
            put_on_network(call, invoice_id, new.customer_id)
        net = call.conn.execute(
            "SELECT net_paise FROM invoices WHERE invoice_id = ?", (invoice_id,)
        ).fetchone()[0]
        return invoice_id, net

    return _process(call, rows, "invoiceNumber", create)
