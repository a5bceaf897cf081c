"""The bulk upload file layout: CSV, a header row of the API's JSON field names.

EnKash never documented its bulk file layout, so this project defines one (templates in
``assets/templates/``). It lives in the service layer because both sides use it: the app checks a
file row by row before uploading, and the sandbox reads it the same way. Rows are numbered as a
spreadsheet shows them: the header is row 1, the first record row 2.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from enkash_tui.api.text import clean


class BulkFileError(ValueError):
    """The file as a whole cannot be read (format, encoding, columns, size).

    Its message may quote the file (a column name) and is drawn on screen: cleaned here."""

    def __init__(self, message: str) -> None:
        super().__init__(clean(message))


class RowValueError(ValueError):
    """One cell of one row is unusable; ``field`` is its column (both cleaned, as above)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(clean(message))
        self.field = clean(field)


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
    "bharatConnect",  # this project's: true sends the invoice to its buyer over Bharat Connect
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


def csv_reader(content: bytes) -> Any:
    """A ``csv.reader`` over a CSV file's bytes (UTF-8, with or without a BOM); BulkFileError
    for bytes that are not CSV text. csv.reader, not DictReader: DictReader skips blank lines,
    which would shift the row numbers away from what a spreadsheet shows; newline="" lets csv
    see \r\n, \r and \n."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BulkFileError("the file is not UTF-8 text: save it as CSV (UTF-8)") from None
    if "\x00" in text:
        raise BulkFileError("the file holds NUL characters: it is not a CSV text file")
    return csv.reader(io.StringIO(text, newline=""))


def read_rows(
    name: str, content: bytes, columns: tuple[str, ...], required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, non-empty cells) for each record; BulkFileError for a bad file."""
    if name.lower().endswith((".xlsx", ".xls")):
        raise BulkFileError("only CSV files are read: save the sheet as CSV (UTF-8)")
    reader = csv_reader(content)
    try:
        yield from _records(reader, columns, required)
    except csv.Error as error:
        raise BulkFileError(f"row {reader.line_num}: not valid CSV ({error})") from None


def _records(
    reader: Any, columns: tuple[str, ...], required: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    header = [h.strip() for h in next(reader, [])]
    unknown = [h for h in header if h and h not in columns]
    missing = [h for h in required if h not in header]
    if unknown or missing:
        problems = []
        if missing:
            problems.append(f"missing column(s) {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s) {', '.join(unknown)}")
        raise BulkFileError("; ".join(problems) + f". Expected: {', '.join(columns)}")
    count = 0
    for row_number, values in enumerate(reader, start=2):
        cells = {k: v.strip() for k, v in zip(header, values, strict=False) if k and v.strip()}
        if not cells:
            continue  # a blank line still counts as a row
        count += 1
        if count > MAX_ROWS:
            raise BulkFileError(f"the file has more than {MAX_ROWS} rows: split it")
        yield row_number, cells


def _flag(cells: dict[str, str], name: str) -> bool | None:
    if name not in cells:
        return None
    value = _BOOLEAN.get(cells[name].lower())
    if value is None:
        raise RowValueError(name, "must be true or false")
    return value


def customer_create_body(cells: dict[str, str]) -> dict[str, Any]:
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


def customer_update_body(cells: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = dict(cells)
    if "branchCodes" in body:
        body["branchCodes"] = [code.strip() for code in body["branchCodes"].split(";") if code]
    return body


def on_bharat_connect(cells: dict[str, str]) -> bool:
    """Whether the row asks for the invoice to go on Bharat Connect (not part of the body)."""
    return bool(_flag(cells, "bharatConnect"))


def invoice_body(cells: dict[str, str]) -> dict[str, Any]:
    on_bharat_connect(cells)  # not part of the body, but a bad flag is still this row's problem
    body: dict[str, Any] = {k: v for k, v in cells.items() if k != "bharatConnect"}
    for name in ("gstExclusive", "partialPaymentAllowed", "dispatchNow"):
        if name in cells:
            body[name] = _flag(cells, name)
    if len(cells.get("invoiceDate", "")) == 10:  # a plain date: start of that day, UTC
        body["invoiceDate"] = cells["invoiceDate"] + "T00:00:00Z"
    return body
