"""Writing an export (a whole search, customer list or queue) to CSV, batch by batch, for
spreadsheets. What goes in it is ``domain.exports``; what each export reads, ``export_jobs``.

The file is written under a temporary name and named at the end
(``private_files.new_private_file``): a cancelled or failed export leaves nothing half-written, the
file is the owner's only (0600), and an existing file is never replaced — a second export of the
same search on the same day is ``…-2.csv``.

Where: the folder the user last chose, else their downloads folder (``platformdirs``), else their
documents folder when only that one exists; never wherever the app was started
(``locations.default_export_folder``).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from contextlib import aclosing
from dataclasses import dataclass
from pathlib import Path

from enkash_tui.api.client import EnkashClient
from enkash_tui.domain.csv_safety import Row, SafeCsvWriter
from enkash_tui.domain.exports import ExportJob, Progress, export_file_name
from enkash_tui.domain.invoices import InvoiceQuery
from enkash_tui.local.export_jobs import EXPORT_PAGE, invoice_export
from enkash_tui.local.locations import default_export_folder
from enkash_tui.local.private_files import new_private_file


class FolderError(ValueError):
    """The folder typed cannot take the export; the message says why, in words."""


def default_export_path(query: InvoiceQuery, today: dt.date, folder: Path | None = None) -> Path:
    return (folder or default_export_folder()) / export_file_name(query, today)


def ready_folder(typed: str) -> Path:
    """The folder ``typed`` names, as an absolute path, created (0700) if it does not exist;
    FolderError when it cannot hold a new file."""
    if not typed.strip():
        raise FolderError("Type the folder to write to.")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in typed):
        raise FolderError("A folder name cannot hold control characters.")
    folder = Path(typed.strip()).expanduser().absolute()
    if folder.exists() and not folder.is_dir():
        raise FolderError(f"{folder} is a file, not a folder.")
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as error:
        raise FolderError(f"{folder} cannot be created: {error.strerror or error}.") from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise FolderError(f"{folder} is not writable: choose another folder.")
    return folder


# --- writing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exported:
    path: Path  # the name the file got (``…-2.csv`` when the one asked for was taken)
    rows: int


async def write_export(
    client: EnkashClient, job: ExportJob[Row], path: Path, progress: Progress
) -> Exported:
    """Write every row of ``job`` to ``path`` (or ``path``-2 … when it exists)."""
    written = 0
    with new_private_file(path, renumber=True) as new:
        sheet = SafeCsvWriter(new.handle, job.columns)
        sheet.header()
        async with aclosing(job.rows(client, progress)) as batches:
            async for batch in batches:
                written += sheet.rows(batch)
    assert new.path is not None  # named once the block ended without an error
    return Exported(new.path, written)


async def export_invoices(
    client: EnkashClient,
    query: InvoiceQuery,
    path: Path,
    progress: Callable[[int, int | None], None],
    *,
    today: dt.date,
    page_size: int = EXPORT_PAGE,
) -> Exported:
    """Write every invoice ``query`` finds to ``path`` (or ``path``-2 … when it exists)."""
    job = invoice_export(query, today, page_size=page_size)
    return await write_export(client, job, path, lambda done, total, _: progress(done, total))
