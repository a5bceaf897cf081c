"""Sandbox speed with 100,000 invoices, measured through the real client over loopback HTTP.

    python -m benchmarks.sandbox_search [--invoices 100000] [--rounds 200]

Prints seeding time and median / p95 latency of a filtered, sorted invoice search (page of 100)
and of getInvoice. Budget (design.md §5): search under 25 ms median on a 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from enkash_tui import clock
from enkash_tui.api import EnkashClient
from enkash_tui.api.models import InvoiceFilter
from enkash_tui.sandbox.server import DEMO, SandboxServer, open_database
from enkash_tui.sandbox.settings import SandboxSettings


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


def _row(label: str, samples: list[float]) -> str:
    p95 = statistics.quantiles(samples, n=20)[-1]
    return f"| {label:<34} | {statistics.median(samples):8.2f} | {p95:8.2f} | {len(samples):5d} |"


async def _measure(url: str, rounds: int) -> list[str]:
    rows = []
    async with EnkashClient(url, DEMO.client_id, DEMO.client_secret) as client:
        await client.login(DEMO.username, DEMO.password)
        searches = _filters(clock.today())
        await client.search_invoices(limit=100)  # warm up connections and caches
        all_samples: list[float] = []
        for label, filters, order_by in searches:
            samples = await _time(
                rounds // len(searches),
                lambda i, f=filters, o=order_by: client.search_invoices(
                    f, offset=(i % 5) * 100, limit=100, order_by=o
                ),
            )
            all_samples += samples
            rows.append(_row(f"search: {label}", samples))
        rows.append(_row("search: all of the above", all_samples))
        ids = [inv.invoice_id for inv in (await client.search_invoices(limit=500)).items]
        rows.append(
            _row("getInvoice", await _time(rounds, lambda i: client.get_invoice(ids[i % len(ids)])))
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
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
            rows = asyncio.run(_measure(url, args.rounds))
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


if __name__ == "__main__":
    main()
