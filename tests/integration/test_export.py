"""Exporting a whole search to CSV through the real client against a sandbox."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from enkash_tui.api import EnkashClient
from enkash_tui.api.models import InvoiceFilter
from enkash_tui.exports import COLUMNS, default_export_path, export_invoices
from enkash_tui.invoice_queries import BY_KEY, InvoiceQuery

TODAY = dt.date(2026, 11, 25)


async def test_every_page_is_written_with_plain_number_amounts(
    client: EnkashClient, tmp_path: Path
) -> None:
    query = InvoiceQuery("Open", InvoiceFilter(receivable_statuses=["UNPAID", "PARTIALLY_PAID"]))
    expected = (await client.search_invoices(query.filters, limit=1)).total
    assert expected and expected > 100  # more than one page of 100
    seen: list[tuple[int, int | None]] = []
    path = tmp_path / "open.csv"

    written = await export_invoices(
        client,
        query,
        path,
        lambda done, total: seen.append((done, total)),
        today=TODAY,
        page_size=100,
    )

    assert written == expected
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0] == [name for name, _ in COLUMNS]
    assert len(rows) == expected + 1
    assert len({row[1] for row in rows[1:]}) == expected  # no invoice twice across pages
    balance = rows[0].index("Balance")
    assert all("₹" not in row[balance] and "," not in row[balance] for row in rows[1:])
    assert seen[-1] == (expected, expected)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert not list(tmp_path.glob("*.part"))


async def test_a_cancelled_export_leaves_no_file(client: EnkashClient, tmp_path: Path) -> None:
    query = BY_KEY["7"].build(TODAY)
    path = tmp_path / "all.csv"
    started = asyncio.Event()

    def progress(done: int, total: int | None) -> None:
        started.set()

    task = asyncio.create_task(
        export_invoices(client, query, path, progress, today=TODAY, page_size=50)
    )
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert not path.exists()
    assert not list(tmp_path.iterdir())


def test_the_default_file_name_says_what_and_when(tmp_path: Path) -> Any:
    query = BY_KEY["2"].build(TODAY)
    assert default_export_path(query, TODAY, tmp_path) == tmp_path / (
        "invoices-overdue-2026-11-25.csv"
    )
