"""CSV cells that are safe to open in a spreadsheet: the one rule every CSV the app writes obeys.

Text comes from EnKash (names, remarks, messages) and may be hostile. A cell a spreadsheet would
read as a formula (``=HYPERLINK(...)``, ``+1``, ``-2+3``, ``@SUM(...)``) is written with a leading
``'`` so it stays text, as OWASP's CSV injection guidance describes; control characters (the
ones ``api.text`` names: C0 including tab, CR and LF, DEL, C1, bidi controls, zero-width spaces)
are replaced by a space or dropped, so a cell can neither break a row nor reorder what is shown.

Amounts are not text: a column is declared as text or number when it is built (``text(...)`` /
``number(...)``), never guessed from what a value looks like, so ``-120.50`` in an amount column
stays a plain number a spreadsheet can sum, while ``-2+3`` in a name is quoted.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Generic, NamedTuple, TextIO, TypeVar

from enkash_tui.api.text import strip

Row = TypeVar("Row")

# A spreadsheet starts a formula at these (tab and CR as OWASP lists them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value: str | None) -> str:
    """A text cell: cleaned, and quoted with ``'`` when a spreadsheet would run it."""
    if not value:
        return ""
    cleaned = strip(value)  # the control characters api.text names; spacing ones a space
    # Checked past leading spaces too: some spreadsheets trim them before reading a formula.
    if value.startswith(FORMULA_STARTS) or cleaned.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + cleaned
    return cleaned


def number_cell(value: Decimal | int | None) -> str:
    """A number cell: plain digits (no ₹, no grouping), amounts to two places, never quoted."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"a number column got {type(value).__name__}")
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value.is_finite() else ""
    return str(value)


Value = str | Decimal | int | None


def _no_value(row: object) -> Value:
    return None


class Column(NamedTuple, Generic[Row]):
    """One CSV column: its header and how a row becomes its (already safe) cell; and, for JSON,
    the value itself (``value``)."""

    name: str
    cell: Callable[[Row], str]
    # For JSON, which no spreadsheet opens: text cleaned of control characters but never
    # quoted, a number as a Decimal or an int; None when empty.
    value: Callable[[Row], Value] = _no_value
    numeric: bool = False


def _plain(value: str | None) -> str | None:
    return strip(value) if value else None


def text(name: str, value: Callable[[Row], str | None]) -> Column[Row]:
    return Column(name, lambda row: text_cell(value(row)), lambda row: _plain(value(row)))


def number(name: str, value: Callable[[Row], Decimal | int | None]) -> Column[Row]:
    return Column(name, lambda row: number_cell(value(row)), value, numeric=True)


class SafeCsvWriter(Generic[Row]):
    """Writes a header and rows through the columns, so no cell escapes the rule above."""

    def __init__(self, handle: TextIO, columns: Sequence[Column[Row]]) -> None:
        self._writer = csv.writer(handle)
        self._columns = tuple(columns)

    def header(self) -> None:
        self._writer.writerow([text_cell(column.name) for column in self._columns])

    def rows(self, items: Iterable[Row]) -> int:
        """Write ``items``; returns how many."""
        written = 0
        for item in items:
            self._writer.writerow([column.cell(item) for column in self._columns])
            written += 1
        return written
