"""Checking a bulk invoice file before it is uploaded: every row, every problem, by row number.

The same models the upload will be judged by, so a file that passes here fails on the server only
for reasons only the server knows (an unknown customer, a duplicate invoice number on record).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .api import field_errors_from_validation
from .api.bulk_format import (
    INVOICE_COLUMNS,
    INVOICE_REQUIRED,
    BulkFileError,
    RowValueError,
    invoice_body,
    read_rows,
)
from .api.models import InvoiceCreate


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

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.problems and self.rows > 0


def check_invoice_file(path: Path) -> FileCheck:
    try:
        content = path.read_bytes()
    except OSError as error:
        return FileCheck(file_error=f"cannot read {path}: {error.strerror or error}")
    try:
        rows = list(read_rows(path.name, content, INVOICE_COLUMNS, INVOICE_REQUIRED))
    except BulkFileError as error:
        return FileCheck(file_error=str(error))
    check = FileCheck(rows=len(rows))
    if not rows:
        check.file_error = "the file has a header but no invoices"
    seen_numbers: dict[str, int] = {}
    for row, cells in rows:
        try:
            InvoiceCreate.model_validate(invoice_body(cells))
        except RowValueError as error:
            check.problems.append(RowProblem(row, error.field, str(error)))
        except ValidationError as error:
            check.problems.extend(
                RowProblem(row, problem.field, problem.message)
                for problem in field_errors_from_validation(error, InvoiceCreate)
            )
        number = cells.get("invoiceNumber")
        if number:
            if number in seen_numbers:
                check.problems.append(
                    RowProblem(row, "invoiceNumber", f"repeats row {seen_numbers[number]}")
                )
            seen_numbers.setdefault(number, row)
    return check
