"""What a shell command prints: rows through the same columns as the app's CSV exports, as

* ``csv``: the exports' file, formula protection and all (``domain.csv_safety``);
* ``json`` (one array) or ``jsonl`` (one object a line): each column a snake_case key (``Invoice
  number`` -> ``invoice_number``), amounts as strings with two decimals (``"1250.00"``), counts
  as numbers, dates ISO (``2026-12-07``), an empty cell ``null``; text cleaned of control
  characters. The keys are the export's columns, so they change only when those do;
* ``table``: a Rich table of the command's chosen columns, for a person at a terminal.

The default is ``table`` when stdout is a terminal, else ``jsonl``.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import AsyncIterable, Callable, Sequence
from decimal import Decimal
from typing import IO, Any, Generic, TextIO

from enkash_tui.domain.csv_safety import Column, Row, SafeCsvWriter, Value

FORMATS = ("table", "csv", "json", "jsonl")


def json_key(name: str) -> str:
    """A column's JSON key: ``GSTIN / PAN`` -> ``gstin_pan``."""
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _json_value(value: Value) -> Any:
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value.is_finite() else None
    return value


def record(columns: Sequence[Column[Row]], row: Row) -> dict[str, Any]:
    """One row as its JSON object, key by key in the columns' order."""
    return {json_key(c.name): _json_value(c.value(row)) for c in columns}


def print_rows(
    fmt: str, columns: Sequence[Column[Row]], rows: Sequence[Row], shown: Sequence[str] = ()
) -> None:
    """``rows``, all known at once, written in ``fmt`` to stdout. A reader that has gone (``|
    head``) ends the printing, not the command: a change's exit code still says its outcome."""
    try:
        writer = RowWriter(fmt, columns, shown)
        writer.write(rows)
        writer.close()
    except BrokenPipeError:
        reader_gone()


def reader_gone() -> None:
    """Stdout's reader closed the pipe: what is still buffered goes nowhere, so the flush at exit
    does not fail again (the way Python's documentation handles SIGPIPE)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def default_format(stream: IO[str] | None = None) -> str:
    return "table" if (stream or sys.stdout).isatty() else "jsonl"


def _header(column: Column[Row]) -> int:
    """Room for a column's name: all of a short one, ten cells of a long one (cut …)."""
    return min(len(column.name), 10)


class RowWriter(Generic[Row]):
    """Writes rows in one format as they come (``table`` and ``json`` once all have come)."""

    def __init__(
        self,
        fmt: str,
        columns: Sequence[Column[Row]],
        shown: Sequence[str] = (),
        out: TextIO | None = None,
    ) -> None:
        self.fmt = fmt
        self.columns = tuple(columns)
        # The table's columns, by name: the export's are too many for a terminal.
        self.shown = tuple(c for c in self.columns if c.name in shown) or self.columns
        self.out = out or sys.stdout
        self.count = 0
        self._held: list[Row] = []
        self._csv = SafeCsvWriter(self.out, self.columns) if fmt == "csv" else None
        if self._csv is not None:
            self._csv.header()

    def write(self, rows: Sequence[Row]) -> None:
        self.count += len(rows)
        if self._csv is not None:
            self._csv.rows(rows)
        elif self.fmt == "jsonl":
            for row in rows:
                self.out.write(json.dumps(record(self.columns, row), ensure_ascii=False) + "\n")
        else:
            self._held.extend(rows)
        self.out.flush()

    async def write_all(self, batches: AsyncIterable[Sequence[Row]]) -> int:
        async for batch in batches:
            self.write(batch)
        self.close()
        return self.count

    def close(self) -> None:
        if self.fmt == "json":
            objects = [record(self.columns, row) for row in self._held]
            json.dump(objects, self.out, ensure_ascii=False, indent=2)
            self.out.write("\n")
        elif self.fmt == "table":
            self._table()
        self.out.flush()

    @staticmethod
    def _shown_cell(column: Column[Row], row: Row, inr: Callable[[Decimal], str]) -> str:
        value = column.value(row)
        if isinstance(value, Decimal):
            return inr(value)
        return "" if value is None else str(value)

    def _table(self) -> None:
        from rich.console import Console
        from rich.table import Table

        from enkash_tui.domain.formatting import inr

        console = Console(file=self.out, highlight=False, markup=False, emoji=False)
        rows = [[self._shown_cell(column, row, inr) for column in self.shown] for row in self._held]
        widths = [
            max((len(cells[n]) for cells in rows), default=len(column.name))
            for n, column in enumerate(self.shown)
        ]
        # One line a row, as wide as the terminal: the others as wide as their values (a long
        # header is cut instead), the widest text column (a name) gets the rest, cut short (…).
        texts = [n for n, column in enumerate(self.shown) if not column.numeric]
        flexible = max(texts, key=lambda n: widths[n], default=None)
        others = sum(max(w, _header(self.shown[n])) for n, w in enumerate(widths) if n != flexible)
        room = max(8, console.width - others - 3 * (len(widths) - 1))
        table = Table(show_edge=False, pad_edge=False, header_style="bold")
        for n, column in enumerate(self.shown):
            wide = min(widths[n], room) if n == flexible else max(widths[n], _header(column))
            table.add_column(
                column.name,
                justify="right" if column.numeric else "left",
                no_wrap=True,
                overflow="ellipsis",
                min_width=wide,
                max_width=wide,
            )
        for cells in rows:
            table.add_row(*cells)
        console.print(table)
