"""Bulk CSV files: what each kind is, checking every row before upload, and what the result says
(``local.bulk_results`` saves it).

The checks use the same models the upload will be judged by, so a file that passes here fails on
the server only for reasons only the server knows (an unknown customer, a duplicate invoice
number on record). Problems are named by spreadsheet row and by the CSV column the user typed,
even where the API nests the value (``customerKeyContacts.0.mobile`` is ``contactMobile``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from enkash_tui.api import field_errors_from_validation
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
    read_rows,
)
from enkash_tui.api.models import BulkResult, CustomerCreate, CustomerUpdate, InvoiceCreate
from enkash_tui.api.models.base import WriteModel
from enkash_tui.api.patterns import PATTERN_HINTS
from enkash_tui.api.text import clean
from enkash_tui.domain.csv_safety import Column, number, text

if TYPE_CHECKING:
    from enkash_tui.api.client import EnkashClient

Upload = Callable[["EnkashClient", Path], Awaitable[BulkResult]]


@dataclass(frozen=True)
class BulkKind:
    """One kind of bulk file: its layout, how a row becomes a request body, how it is sent."""

    name: str  # "invoices", "customers-create", "customers-update"
    title: str  # "Bulk upload invoices"
    noun: str  # "invoices", "customers"
    choice: str  # how a picker offers it: "create new customers"
    done: str  # what a successful row became: "created", "updated"
    columns: tuple[str, ...]
    required: tuple[str, ...]
    body: Callable[[dict[str, str]], dict[str, Any]]
    model: type[WriteModel]
    template: str  # asset name, "templates/invoices-create.csv"
    unique_column: str | None  # a value that may appear in one row only
    reference_column: str  # the column that names a row in the result
    upload: Upload


async def _create_customers(client: EnkashClient, path: Path) -> BulkResult:
    if not client.company_id:
        # createBulkCustomer requires companyId (§4.6); only the profile can know it.
        raise ValueError("uploading new customers needs the profile's company_id (CEK…)")
    return await client.bulk_create_customers(path)


async def _update_customers(client: EnkashClient, path: Path) -> BulkResult:
    return await client.bulk_update_customers(path)


async def _create_invoices(client: EnkashClient, path: Path) -> BulkResult:
    return await client.bulk_create_invoices(path)


INVOICES = BulkKind(
    name="invoices",
    title="Bulk upload invoices",
    noun="invoices",
    choice="create invoices",
    done="created",
    columns=INVOICE_COLUMNS,
    required=INVOICE_REQUIRED,
    body=invoice_body,
    model=InvoiceCreate,
    template="templates/invoices-create.csv",
    unique_column="invoiceNumber",
    reference_column="invoiceNumber",
    upload=_create_invoices,
)
CUSTOMERS_CREATE = BulkKind(
    name="customers-create",
    title="Bulk upload customers",
    noun="customers",
    choice="create new customers",
    done="created",
    columns=CUSTOMER_CREATE_COLUMNS,
    required=CUSTOMER_CREATE_REQUIRED,
    body=customer_create_body,
    model=CustomerCreate,
    template="templates/customers-create.csv",
    unique_column="panOrGstin",
    reference_column="legalName",
    upload=_create_customers,
)
CUSTOMERS_UPDATE = BulkKind(
    name="customers-update",
    title="Bulk update customers",
    noun="customers",
    choice="update existing customers",
    done="updated",
    columns=CUSTOMER_UPDATE_COLUMNS,
    required=CUSTOMER_UPDATE_REQUIRED,
    body=customer_update_body,
    model=CustomerUpdate,
    template="templates/customers-update.csv",
    unique_column="customerId",
    reference_column="customerId",
    upload=_update_customers,
)
KINDS = (INVOICES, CUSTOMERS_CREATE, CUSTOMERS_UPDATE)


@dataclass(frozen=True)
class RowProblem:
    row: int  # as a spreadsheet numbers it: the header is row 1
    column: str
    message: str


@dataclass
class FileCheck:
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    file_error: str | None = None
    references: dict[int, str] = field(default_factory=dict)  # row -> its reference cell

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.problems and self.rows > 0


# Where the API nests a value the file has as a flat column (list indexes dropped).
_NESTED_COLUMNS = {
    "customerKeyContacts": "contactName",
    "customerKeyContacts.name": "contactName",
    "customerKeyContacts.legalName": "contactName",
    "customerKeyContacts.mobile": "contactMobile",
    "customerKeyContacts.email": "contactEmail",
}


def column_for(wire_field: str, kind: BulkKind) -> str:
    """The CSV column a wire field (``customerKeyContacts.0.mobile``) came from."""
    if wire_field in kind.columns:
        return wire_field
    parts = [part for part in wire_field.split(".") if not part.isdigit()]
    key = ".".join(parts)
    if key in _NESTED_COLUMNS and _NESTED_COLUMNS[key] in kind.columns:
        return _NESTED_COLUMNS[key]
    return parts[0] if parts and parts[0] in kind.columns else wire_field


def plain_message(message: str, rejected: Any = None) -> str:
    """A server's validation message as a person would say it (no regular expressions). Local
    checks are already in words (``field_errors_from_validation``)."""
    if message == "Field required" or (rejected is None and "valid string" in message):
        return "required"
    if message.startswith("String should match pattern "):
        pattern = message.removeprefix("String should match pattern ").strip("'")
        return PATTERN_HINTS.get(pattern, "not in the expected format")
    return message


def _row_problems(row: int, cells: dict[str, str], kind: BulkKind) -> list[RowProblem]:
    found: list[RowProblem] = []
    usable = dict(cells)
    while True:  # a cell the body cannot read is reported, then the rest is still checked
        try:
            body = kind.body(usable)
            break
        except RowValueError as error:
            found.append(RowProblem(row, error.field, str(error)))
            if usable.pop(error.field, None) is None:
                return found
    try:
        kind.model.model_validate(body)
    except ValidationError as error:
        reported = {problem.column for problem in found}
        for problem in field_errors_from_validation(error, kind.model):
            column = column_for(problem.field, kind)
            if column not in reported:
                found.append(RowProblem(row, column, problem.message))
    if not found and kind is CUSTOMERS_UPDATE and set(cells) <= {"customerId"}:
        found.append(RowProblem(row, "customerId", "nothing to change in this row"))
    found = list(dict.fromkeys(found))  # contactName feeds two fields: say it once
    order = {column: index for index, column in enumerate(kind.columns)}
    return sorted(found, key=lambda p: order.get(p.column, len(order)))


def check_file(path: Path, kind: BulkKind) -> FileCheck:
    """Every problem in the file, by spreadsheet row and CSV column; nothing is sent."""
    try:
        content = path.read_bytes()
    except OSError as error:
        return FileCheck(file_error=clean(f"cannot read {path}: {error.strerror or error}"))
    try:
        rows = list(read_rows(path.name, content, kind.columns, kind.required))
    except BulkFileError as error:
        return FileCheck(file_error=str(error))
    check = FileCheck(rows=len(rows))
    if not rows:
        check.file_error = f"the file has a header but no {kind.noun}"
    seen: dict[str, int] = {}
    for row, cells in rows:
        check.problems.extend(_row_problems(row, cells, kind))
        if kind.reference_column in cells:
            # Drawn in the result table: a file's cell is cleaned like EnKash's text.
            check.references[row] = clean(cells[kind.reference_column])
        value = cells.get(kind.unique_column or "")
        if value:
            if value in seen:
                check.problems.append(
                    RowProblem(row, kind.unique_column or "", f"repeats row {seen[value]}")
                )
            seen.setdefault(value, row)
    return check


def check_invoice_file(path: Path) -> FileCheck:
    return check_file(path, INVOICES)


# --- the server's result, one line per row ------------------------------------------------


@dataclass(frozen=True)
class ResultLine:
    row: int | None
    reference: str
    outcome: str  # kind.done ("created" / "updated") or "refused"
    id: str
    reason: str


def refusal_reason(errors: dict[str, str], message: str, kind: BulkKind) -> str:
    if not errors:
        return message
    return "; ".join(f"{column_for(k, kind)}: {plain_message(v)}" for k, v in errors.items())


def result_lines(
    result: BulkResult, kind: BulkKind, references: dict[int, str] | None = None
) -> list[ResultLine]:
    """Every row the server reported on, in file order; references filled from the file when
    the server leaves them out."""
    references = references or {}

    def reference(row: int | None, given: Any) -> str:
        return str(given) if given else references.get(row or 0, "")

    lines: list[ResultLine] = []
    for item in result.success_requests:
        row = _int(item.get("row"))
        lines.append(
            ResultLine(row, reference(row, item.get("reference")), kind.done, record_id(item), "")
        )
    for failure in result.row_failures:
        reason = refusal_reason(failure.errors, failure.message, kind)
        lines.append(
            ResultLine(
                failure.row, reference(failure.row, failure.reference), "refused", "", reason
            )
        )
    return sorted(lines, key=lambda line: (line.row is None, line.row or 0))


def record_id(item: dict[str, Any]) -> str:
    """The id a bulk result gives a row it applied, or "" when it gives none."""
    return next((str(item[k]) for k in ("id", "customerId", "invoiceId") if item.get(k)), "")


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


RESULT_COLUMNS: tuple[Column[ResultLine], ...] = (
    number("row", lambda line: line.row),
    text("reference", lambda line: line.reference),
    text("outcome", lambda line: line.outcome),
    text("id", lambda line: line.id),
    text("reason", lambda line: line.reason),
)
