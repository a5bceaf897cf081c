"""Home's follow-up tiles over a large book: sign-in to the four tiles painted.

    python -m benchmarks.followup_tiles [--invoices 100000] [--entries 5000] [--runs 5]

The sandbox runs in its own process, seeded with that many invoices. The follow-up book (the
profile's own SQLite file) holds ``--entries`` open entries spread over the invoices: two in five
promises (due from three weeks ago to three weeks ahead, so that some are due today, some broken,
some to come), three in ten follow-ups (due from ten days ago to ten days ahead) and three in ten
disputes; two in a hundred (follow-ups and disputes) are on a customer instead of an invoice
(every invoice of that customer is then read). Each run is a fresh app signed in as a person
would (Enter on the form, after a second to read it); the clock stops when all four follow-up
tiles show their figures. The worklist tiles load at the same time, as on every sign-in, and are
timed apart (the aging waits for them). The same runs on an empty book first give the floor:
Home drawn and its own searches answered. Budget (issue 18): 0.5 s.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks.harness import build_app, poll, start_sandbox
from enkash_tui import clock
from enkash_tui.api import EnkashClient
from enkash_tui.api.models import Invoice, InvoiceFilter
from enkash_tui.config import SANDBOX_PROFILE
from enkash_tui.domain.followups import Subject
from enkash_tui.local.worklog import Worklog, worklog_path
from enkash_tui.sandbox_demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME
from screens.home.screen import HomeScreen

BUDGET = 0.5  # seconds, sign-in to the follow-up tiles painted
SPREAD = 4  # pages of 5,000 read from across the book to pick the entries' invoices from


async def pick_invoices(url: str, wanted: int) -> list[Invoice]:
    """``wanted`` invoices from across the whole book (every n-th of pages read far apart)."""
    async with EnkashClient(url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, timeout=120) as client:
        await client.login(DEMO_USERNAME, DEMO_PASSWORD)
        first = await client.search_invoices(InvoiceFilter(), limit=1)
        total = first.total or 0
        pool: list[Invoice] = []
        for part in range(SPREAD):
            offset = total * part // SPREAD
            page = await client.search_invoices(
                InvoiceFilter(), offset=offset, limit=5000, order_by="invoiceId"
            )
            pool += page.items
    step = max(1, len(pool) // wanted)
    return pool[::step][:wanted]


def write_book(invoices: list[Invoice], today: dt.date) -> dict[str, int]:
    """The profile's book: one open entry per invoice picked, or on its customer."""
    rng = random.Random(18)
    book = Worklog(worklog_path(SANDBOX_PROFILE, "sandbox"), DEMO_USERNAME)
    book.conn.execute("PRAGMA synchronous = OFF")  # written before the runs, not timed
    kinds = {"promise": 0, "follow_up": 0, "dispute": 0, "on a customer": 0}
    for n, invoice in enumerate(invoices):
        customer = invoice.customer_id or ""
        if n % 100 in (15, 27):  # a follow-up or a dispute on the customer
            subject = Subject.customer(customer, invoice.customer_legal_name or "")
            kinds["on a customer"] += 1
        else:
            subject = Subject.invoice(invoice.invoice_id, customer, invoice.invoice_number or "")
        share = n % 10
        if share < 4:
            due = today + dt.timedelta(days=rng.randint(-21, 21))
            amount = Decimal(rng.randint(1, 500) * 100)
            book.add_promise(subject, due, amount, invoice.total_received or Decimal(0))
            kinds["promise"] += 1
        elif share < 7:
            book.set_follow_up(subject, today + dt.timedelta(days=rng.randint(-10, 10)))
            kinds["follow_up"] += 1
        else:
            book.open_dispute(subject, rng.choice(["amount", "goods", "quality", "tax"]))
            kinds["dispute"] += 1
    kinds["open in all"] = sum(
        len(book.open_entries(k)) for k in ("promise", "follow_up", "dispute")
    )
    book.close()
    return kinds


async def one_run(url: str) -> dict[str, Any]:
    app = build_app(url)
    figures: dict[str, Any] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(1.0)  # a person reads the form; the app loads its service layer
        began = time.perf_counter()
        press = asyncio.create_task(pilot.press("enter"))
        await poll(lambda: isinstance(app.screen, HomeScreen), "Home after signing in", 30)
        figures["home"] = time.perf_counter() - began
        home = app.screen
        assert isinstance(home, HomeScreen)

        def worklist() -> bool:
            return bool(home.tiles) and all(v.found is not None or v.problem for v in home.tiles)

        def followups() -> bool:
            views = home.followup_tiles
            return len(views) == 4 and all(v.figure is not None or v.problem for v in views)

        # Each clock stops when its tiles show (their text drawn), whichever comes first:
        # watched side by side.
        async def clock_until(
            key: str, ready: Callable[[], bool], views: Callable[[], Any]
        ) -> None:
            await poll(ready, f"the {key} tiles", 30)
            for view in views():
                view.render_lines(view.size.region)
            figures[key] = time.perf_counter() - began

        await asyncio.gather(
            clock_until("worklist", worklist, lambda: home.tiles),
            clock_until("followups", followups, lambda: home.followup_tiles),
        )
        problems = [v.problem for v in home.followup_tiles if v.problem]
        if problems:
            raise RuntimeError(f"the follow-up tiles did not load: {problems[0]}")
        figures["counts"] = {
            v.tile.label: (v.figure.count, v.figure.total) for v in home.followup_tiles if v.figure
        }
        await press
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["ENKASH_TUI_STATE_DIR"] = folder
        os.environ["ENKASH_TUI_CONFIG"] = str(Path(folder) / "config.toml")
        os.environ["ENKASH_TUI_CACHE_DIR"] = str(Path(folder) / "cache")
        server, url = start_sandbox(Path(folder), invoices=args.invoices, timeout=300)
        try:
            # The same runs with the book still empty first: what Home takes to draw anyway.
            empty = [asyncio.run(one_run(url)) for _ in range(args.runs)]
            picked = asyncio.run(pick_invoices(url, args.entries))
            kinds = write_book(picked, clock.today())
            runs = [asyncio.run(one_run(url)) for _ in range(args.runs)]
        finally:
            server.terminate()
            server.wait(timeout=10)

    def median(key: str) -> float:
        return statistics.median(run[key] for run in runs)

    shown = ", ".join(f"{n:,} {kind}" for kind, n in kinds.items())
    print(
        f"| Home over {args.invoices:,} invoices, {len(picked):,} open entries | figure | budget |"
    )
    print("|---|---:|---:|")
    print(f"| sign-in submitted to Home, median of {len(runs)} | {median('home'):.2f} s | |")
    print(f"| ... to the worklist tiles painted | {median('worklist'):.2f} s | |")
    followups = [run["followups"] for run in runs]
    verdict = "within" if statistics.median(followups) <= BUDGET else "OVER"
    print(
        f"| ... to the follow-up tiles painted | {statistics.median(followups):.2f} s "
        f"(min {min(followups):.2f}, max {max(followups):.2f}) | {BUDGET} s ({verdict}) |"
    )
    floor = [run["followups"] for run in empty]
    print(
        f"| the same with an empty book (Home drawn, no search), median | "
        f"{statistics.median(floor):.2f} s (min {min(floor):.2f}, max {max(floor):.2f}) | |"
    )
    print(f"Book: {shown}.")
    print(
        "Each run, sign-in to follow-up tiles (to Home): "
        + ", ".join(f"{run['followups']:.2f} ({run['home']:.2f})" for run in runs)
    )
    for label, (count, total) in runs[-1]["counts"].items():
        print(f"  {label}: {count:,}, ₹{total:,.2f}")


if __name__ == "__main__":
    main()
