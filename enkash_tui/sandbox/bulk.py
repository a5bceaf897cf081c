"""Bulk CSV uploads (§4.6, §4.7, §4.12): one row per record, every row judged on its own.

EnKash never documented the file layout, so the sandbox defines one: a header row of the
createCustomer / createInvoice JSON field names (templates in ``assets/templates/``). Rows are
numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import Any

from ..api.models import CustomerCreate, CustomerUpdate, InvoiceCreate
from .context import Call
from .customers import apply_customer_update, insert_customer, load_customer
from .db import transaction
from .envelope import SandboxError, invalid
from .invoices import insert_invoice

MAX_ROWS = 5000

CUSTOMER_CREATE_COLUMNS = (
    "legalName",
    "address",
    "state",
    "pinCode",
    "contactNumber",
    "accountNumber",
    "ifsc",
    "panOrGstin",
    "uniqueRefNo",
    "customerCompanyId",
    "contactName",
    "contactMobile",
    "contactEmail",
)
CUSTOMER_CREATE_REQUIRED = ("legalName", "contactName", "contactMobile")

CUSTOMER_UPDATE_COLUMNS = (
    "customerId",
    "legalName",
    "address",
    "state",
    "pinCode",
    "contactNumber",
    "accountNumber",
    "ifsc",
    "panOrGstin",
    "uniqueRefNo",
    "assignedAgent",
    "branchCodes",
)
CUSTOMER_UPDATE_REQUIRED = ("customerId",)

INVOICE_COLUMNS = (
    "customerId",
    "invoiceNumber",
    "invoiceDate",
    "dueDate",
    "baseAmount",
    "cgst",
    "sgst",
    "igst",
    "tds",
    "gstExclusive",
    "description",
    "poNumber",
    "externalId",
    "partialPaymentAllowed",
    "dispatchNow",
)
INVOICE_REQUIRED = ("customerId", "dueDate", "baseAmount")

_BOOLEAN = {
    "true": True,
    "yes": True,
    "y": True,
    "1": True,
    "false": False,
    "no": False,
    "n": False,
    "0": False,
}


def read_rows(
    upload: tuple[str, bytes], columns: tuple[str, ...], required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, non-empty cells) for each record; 400 for a bad file."""
    name, content = upload
    if name.lower().endswith((".xlsx", ".xls")):
        raise invalid("file", "the sandbox reads CSV files; save the sheet as CSV (UTF-8)", name)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise invalid("file", "is not UTF-8 text; save it as CSV (UTF-8)", name) from None
    # csv.reader, not DictReader: DictReader skips blank lines, which would shift the row
    # numbers away from what a spreadsheet shows.
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    unknown = [h for h in header if h and h not in columns]
    missing = [h for h in required if h not in header]
    if unknown or missing:
        problems = []
        if missing:
            problems.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s) {', '.join(unknown)}")
        raise invalid("file", "; ".join(problems) + f". Expected: {', '.join(columns)}", name)
    count = 0
    for row_number, values in enumerate(reader, start=2):
        cells = {k: v.strip() for k, v in zip(header, values, strict=False) if k and v.strip()}
        if not cells:
            continue  # a blank line still counts as a row
        count += 1
        if count > MAX_ROWS:
            raise invalid("file", f"has more than {MAX_ROWS} rows; split it", name)
        yield row_number, cells


def _flag(cells: dict[str, str], name: str) -> bool | None:
    if name not in cells:
        return None
    value = _BOOLEAN.get(cells[name].lower())
    if value is None:
        raise invalid(name, "must be true or false", cells[name])
    return value


def _customer_create(cells: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {
        k: v for k, v in cells.items() if not k.startswith("contact") or k == "contactNumber"
    }
    contact = {
        "name": cells.get("contactName"),
        "legalName": cells.get("contactName"),
        "mobile": cells.get("contactMobile"),
        "deleted": False,
        "sms_enabled": True,
    }
    if "contactEmail" in cells:
        contact.update(email=cells["contactEmail"], mail_enabled=True)
    body["customerKeyContacts"] = [contact]
    return body


def _customer_update(cells: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = dict(cells)
    if "branchCodes" in body:
        body["branchCodes"] = [code.strip() for code in body["branchCodes"].split(";") if code]
    return body


def _invoice(cells: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = dict(cells)
    for name in ("gstExclusive", "partialPaymentAllowed", "dispatchNow"):
        if name in cells:
            body[name] = _flag(cells, name)
    if len(cells.get("invoiceDate", "")) == 10:  # a plain date: start of that day, UTC
        body["invoiceDate"] = cells["invoiceDate"] + "T00:00:00Z"
    return body


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
    rows = read_rows(call.require_upload(), CUSTOMER_CREATE_COLUMNS, CUSTOMER_CREATE_REQUIRED)

    def create(cells: dict[str, str]) -> tuple[str, int]:
        return insert_customer(call, call.parse(CustomerCreate, _customer_create(cells))), 0

    return _process(call, rows, "legalName", create)


async def bulk_update_customers(call: Call) -> dict[str, Any]:
    call.check_tenancy("parentCompanyId")
    rows = read_rows(call.require_upload(), CUSTOMER_UPDATE_COLUMNS, CUSTOMER_UPDATE_REQUIRED)

    def update(cells: dict[str, str]) -> tuple[str, int]:
        customer_id = cells.get("customerId", "")
        load_customer(call, customer_id)
        apply_customer_update(
            call, customer_id, call.parse(CustomerUpdate, _customer_update(cells))
        )
        return customer_id, 0

    return _process(call, rows, "customerId", update)


async def bulk_create_invoices(call: Call) -> dict[str, Any]:
    call.check_tenancy("sellerId")
    rows = read_rows(call.require_upload(), INVOICE_COLUMNS, INVOICE_REQUIRED)

    def create(cells: dict[str, str]) -> tuple[str, int]:
        new = call.parse(InvoiceCreate, _invoice(cells))
        invoice_id = insert_invoice(call, new, created_via="BULK")
        net = call.conn.execute(
            "SELECT net_paise FROM invoices WHERE invoice_id = ?", (invoice_id,)
        ).fetchone()[0]
        return invoice_id, net

    return _process(call, rows, "invoiceNumber", create)
