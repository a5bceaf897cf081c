"""The follow-up book out to CSV and in from CSV. What the file holds and how a row is checked is
``domain.followup_csv``; the export goes through the one dialog and writer every export uses
(``screens/export.py``, ``local.exports.write_export``), its rows read from the book, not EnKash;
an import is written by ``Worklog.import_entries`` (all rows or none).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncGenerator
from pathlib import Path

from enkash_tui import clock
from enkash_tui.api.client import EnkashClient
from enkash_tui.domain.exports import ExportJob, Progress, file_name
from enkash_tui.domain.followup_csv import ImportCheck, check_rows, followup_columns
from enkash_tui.domain.followups import Entry
from enkash_tui.local.worklog import Worklog


def followup_export(worklog: Worklog, today: dt.date) -> ExportJob[Entry]:
    """Every entry of the book, open and closed, newest first."""

    async def rows(client: EnkashClient, progress: Progress) -> AsyncGenerator[list[Entry], None]:
        entries = worklog.all_entries()
        progress(len(entries), len(entries), "follow-ups")
        yield entries

    return ExportJob(
        "Export the follow-up book to CSV",
        "follow-ups",
        file_name("follow-ups", "", today),
        followup_columns(),
        rows,
    )


def check_import(path: Path, username: str) -> ImportCheck:
    """The file at ``path`` read and every row checked; nothing looked up or written."""
    try:
        content = path.read_bytes()
    except OSError as error:
        return ImportCheck(file_error=f"cannot read {path}: {error.strerror or error}")
    return check_rows(content, username, clock.now())
