"""Saving a bulk upload's result as CSV beside the uploaded file: 0600, cells safe to open in a
spreadsheet, never over an existing file."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from enkash_tui.domain.bulk import RESULT_COLUMNS, ResultLine
from enkash_tui.domain.csv_safety import SafeCsvWriter
from enkash_tui.local.private_files import new_private_file


def default_result_path(uploaded: Path) -> Path:
    """``<name>-result.csv`` beside the uploaded file, numbered if that name is taken."""
    candidate = uploaded.with_name(f"{uploaded.stem}-result.csv")
    number = 2
    while candidate.exists():
        candidate = uploaded.with_name(f"{uploaded.stem}-result-{number}.csv")
        number += 1
    return candidate


def write_result_csv(path: Path, lines: Iterable[ResultLine]) -> int:
    """Write the result as CSV (0600, cells safe to open); never replaces a file
    (FileExistsError) nor leaves half a file. Returns the rows."""
    with new_private_file(path, renumber=False) as new:
        sheet = SafeCsvWriter(new.handle, RESULT_COLUMNS)
        sheet.header()
        return sheet.rows(lines)
