"""Sandbox speed with 100,000 invoices, measured through the real client over loopback HTTP.

    python -m benchmarks.sandbox_search [--invoices 100000] [--rounds 200] [--preset-rounds 60]

Prints seeding time and median / p95 latency of a filtered, sorted invoice search (page of 100)
and of getInvoice. Budget (design.md §5): search under 25 ms median on a 2-core machine.

Then every preset of the Invoices screen (``domain.invoices.PRESETS``), asked as the app asks:
its first page (the screen's page size, the preset's sort) and Home's tile (one row, the
server's default sort; the first page brings the result's count and summed balance). Each must
stay under 25 ms, median and p95.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

from enkash_tui import clock
from enkash_tui.api import EnkashClient
from enkash_tui.api.models import InvoiceFilter, SortDirection
from enkash_tui.api.models.search import InvoicePageRequest
from enkash_tui.domain.invoices import PRESETS, InvoiceQuery
from enkash_tui.sandbox.context import Call
from enkash_tui.sandbox.routes.invoice_search import search_invoices
from enkash_tui.sandbox.server import DEMO, SandboxServer, open_database
from enkash_tui.sandbox.settings import SandboxSettings

BUDGET_MS = 25.0
# The Invoices screen's page (screens/invoices/screen.py PAGE_SIZE), kept here so a benchmark
# never imports Textual.
SCREEN_PAGE = 100


def _filters(today: dt.date) -> list[tuple[str, InvoiceFilter, str]]:
    """Searches an operator makes all day: (label, filter, orderBy)."""
    start = dt.datetime.combine(today, dt.time())
    return [
        (
            "overdue, by due date",
            InvoiceFilter(
                receivable_statuses=["UNPAID", "PARTIALLY_PAID"],
                due_date_to=start - dt.timedelta(days=1),
            ),
            "dueDate",
        ),
        ("not dispatched, newest", InvoiceFilter(dispatched=False), "createdOn"),
        (
            "balance 10k-5L, largest",
            InvoiceFilter(balance_amount_from=10_000, balance_amount_to=500_000),
            "balanceAmount",
        ),
        ("customer name contains", InvoiceFilter(customer_legal_name="steel"), "dueDate"),
        (
            "due this quarter",
            InvoiceFilter(
                due_date_from=start - dt.timedelta(days=45),
                due_date_to=start + dt.timedelta(days=45),
            ),
            "dueDate",
        ),
    ]


async def _time(rounds: int, call: Callable[[int], Awaitable[object]]) -> list[float]:
    samples = []
    for i in range(rounds):
        began = time.perf_counter()
        await call(i)
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def _row(label: str, samples: list[float]) -> str:
    p95 = _p95(samples)
    return f"| {label:<34} | {statistics.median(samples):8.2f} | {p95:8.2f} | {len(samples):5d} |"


def _preset_row(label: str, form: str, total: int, samples: list[float], alone: list[float]) -> str:
    median, p95, handler = statistics.median(samples), _p95(samples), statistics.median(alone)
    verdict = "ok" if median < BUDGET_MS and p95 < BUDGET_MS else "OVER"
    return (
        f"| {label:<18} | {form:<28} | {total:7,d} | {median:8.2f} | {p95:8.2f} | {handler:8.2f} "
        f"| {len(samples):5d} | {verdict:<4} |"
    )


@dataclass(frozen=True)
class Ask:
    """How the app asks for a preset's rows: the first page of its result, in some order."""

    form: str
    limit: int
    order_by: str | None = None  # None: the server's default (createdOn, newest first)
    direction: SortDirection | None = None

    def search(self, client: EnkashClient, filters: InvoiceFilter) -> Awaitable[object]:
        return client.search_invoices(
            filters, offset=0, limit=self.limit, order_by=self.order_by, direction=self.direction
        )

    def call(self, conn: sqlite3.Connection, filters: InvoiceFilter) -> Call:
        """The same search as the sandbox's handler receives it."""
        window = InvoicePageRequest.model_validate(
            {"limit": self.limit, "order_by": self.order_by, "direction": self.direction}
        )
        query = {key: str(value) for key, value in window.to_query().items()}
        return Call(conn, DEMO.client_id, DEMO.username, "", {}, query, filters.to_wire())


def _asks(query: InvoiceQuery) -> list[Ask]:
    """The Invoices screen's first page (screens/invoices/screen.py) and Home's tile: one row,
    for the count and summed balance the sandbox adds to a first page (domain/home.py)."""
    direction = query.direction.value.lower()
    return [
        Ask(f"page {SCREEN_PAGE}, {query.order_by} {direction}", SCREEN_PAGE, query.order_by,
            query.direction),
        Ask("tile: limit 1, default sort", 1),
    ]  # fmt: skip


def _page(
    client: EnkashClient, filters: InvoiceFilter, order_by: str
) -> Callable[[int], Awaitable[object]]:
    """Pages 1 to 5 of a search, one after another."""
    return lambda i: client.search_invoices(
        filters, offset=(i % 5) * 100, limit=100, order_by=order_by
    )


async def _measure_presets(
    client: EnkashClient, conn: sqlite3.Connection, rounds: int
) -> list[str]:
    """Every preset as the app asks for it, through the client; and the sandbox's handler alone
    (its SQL and the rows it returns, no HTTP and no client): the part indexes can change."""
    rows = []
    today = clock.today()
    for preset in PRESETS:
        query = preset.build(today)
        total = (await client.search_invoices(query.filters, limit=1)).total or 0
        for ask in _asks(query):
            await ask.search(client, query.filters)  # warm this query's pages
            samples = await _time(rounds, _searching(client, ask, query.filters))
            alone = await _time(rounds, _handling(ask.call(conn, query.filters)))
            rows.append(_preset_row(preset.label, ask.form, total, samples, alone))
    return rows


def _searching(
    client: EnkashClient, ask: Ask, filters: InvoiceFilter
) -> Callable[[int], Awaitable[object]]:
    return lambda _: ask.search(client, filters)


def _handling(call: Call) -> Callable[[int], Awaitable[object]]:
    return lambda _: search_invoices(call)


async def _measure(
    url: str, conn: sqlite3.Connection, rounds: int, preset_rounds: int
) -> tuple[list[str], list[str]]:
    rows = []
    async with EnkashClient(url, DEMO.client_id, DEMO.client_secret) as client:
        await client.login(DEMO.username, DEMO.password)
        searches = _filters(clock.today())
        await client.search_invoices(limit=100)  # warm up connections and caches
        all_samples: list[float] = []
        for label, filters, order_by in searches:
            samples = await _time(rounds // len(searches), _page(client, filters, order_by))
            all_samples += samples
            rows.append(_row(f"search: {label}", samples))
        rows.append(_row("search: all of the above", all_samples))
        ids = [inv.invoice_id for inv in (await client.search_invoices(limit=500)).items]
        rows.append(
            _row("getInvoice", await _time(rounds, lambda i: client.get_invoice(ids[i % len(ids)])))
        )
        presets = await _measure_presets(client, conn, preset_rounds)
    return rows, presets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--preset-rounds", type=int, default=60, help="calls per preset and form")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        settings = SandboxSettings(db_path=path, port=0, invoices=args.invoices)
        began = time.perf_counter()
        conn = open_database(settings)
        seeded = time.perf_counter() - began
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM invoices), (SELECT count(*) FROM customers)"
        ).fetchone()
        server = SandboxServer(settings, conn)
        url = server.start()
        try:
            rows, presets = asyncio.run(_measure(url, conn, args.rounds, args.preset_rounds))
        finally:
            server.stop()
    print(
        f"seeded {counts[0]:,} invoices / {counts[1]:,} customers in {seeded:.1f} s (budget 30 s)"
    )
    print("| what (page of 100, through EnkashClient) | median ms | p95 ms | calls |")
    print("|---|---:|---:|---:|")
    for row in rows:
        print(row)
    print("budget: search median < 25 ms")
    print()
    print(
        "| preset (through EnkashClient) | as asked | found | median ms | p95 ms "
        "| sandbox alone, median ms | calls | < 25 ms |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for row in presets:
        print(row)
    print(f"budget: every preset, median and p95 < {BUDGET_MS:.0f} ms (through EnkashClient)")


if __name__ == "__main__":
    main()
