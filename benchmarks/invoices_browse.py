"""Browsing 100,000 invoices in the Invoices screen, driven as a user would (Textual's Pilot).

    python -m benchmarks.invoices_browse [--invoices 100000]

The sandbox runs in its own process (so its memory is not counted), seeded with the given size.
Prints (a) sign-in submitted to Home, and F4 to the first invoice page drawn, (b) page-down
latency deep in the result, (c) `/` filter time per keystroke over 5,000 loaded rows, (d) peak RSS
of the app after paging through 20,000 rows. Every wait is bounded: a step that never happens
ends the run with the step named. Budgets: design.md §5.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.harness import build_app, poll, start_sandbox, until
from screens.home.screen import HomeScreen
from screens.invoices.screen import InvoicesScreen


async def measure(url: str) -> dict[str, Any]:
    app = build_app(url)
    figures: dict[str, Any] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        # What a key press costs through Pilot when it does nothing: the floor of (b) and (c).
        floor = []
        for _ in range(10):
            began = time.perf_counter()
            await pilot.press("f12")
            floor.append((time.perf_counter() - began) * 1000)
        figures["noop_key_ms"] = statistics.median(floor)

        # (a) Enter on the sign-in form until Home is up, then F4 until the first invoice rows
        # are drawn. A second on the form first, as a person takes at least that to read it
        # (the app loads its service layer meanwhile). Each clock stops when the screen shows
        # it, not when Pilot has finished waiting for the app to go idle. Every wait is bounded.
        await pilot.pause(1.0)
        began = time.perf_counter()
        press = asyncio.create_task(pilot.press("enter"))
        await poll(lambda: isinstance(app.screen, HomeScreen), "Home after signing in")
        figures["login_to_home_ms"] = (time.perf_counter() - began) * 1000
        await press
        await pilot.pause()
        began = time.perf_counter()
        press = asyncio.create_task(pilot.press("f4"))
        await poll(
            lambda: isinstance(app.screen, InvoicesScreen) and app.screen.rows.loaded_count > 0,
            "the first invoice page",
        )
        screen = app.screen
        assert isinstance(screen, InvoicesScreen)
        screen.table.render_lines(screen.table.size.region)
        figures["f4_to_first_page_ms"] = (time.perf_counter() - began) * 1000
        await press
        await pilot.pause()

        # (b) All invoices, jump deep, then page down repeatedly.
        await pilot.press("7")
        await until(pilot, lambda: screen.rows.total is not None)
        table = screen.table
        table.cursor = 50_000
        await until(pilot, lambda: table.current is not None)
        await pilot.pause(0.5)
        samples, through_pilot = [], []
        for _ in range(20):
            # The work of one PgDn: move, wait for its rows (fetched ahead as a rule), and
            # draw the screenful. Pilot's own idle-waiting is measured separately below.
            began = time.perf_counter()
            table.action_page(1)
            last = int(table.scroll_offset.y) + table.visible_rows - 1
            await until(pilot, lambda last=last: table.source.row(last) is not None)
            table.render_lines(table.size.region)
            samples.append((time.perf_counter() - began) * 1000)
            await pilot.pause()
        for _ in range(10):
            began = time.perf_counter()
            await pilot.press("pagedown")
            through_pilot.append((time.perf_counter() - began) * 1000)
        figures["page_down_ms"] = samples
        figures["page_down_pilot_ms"] = statistics.median(through_pilot)

        # (d) page through 20,000 rows from the top (200 pages of 100), then read peak RSS.
        table.cursor = 0
        for start in range(0, 20_000, table.visible_rows * 5):
            table.cursor = start
            await until(pilot, lambda: table.current is not None)
        figures["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        # (c) 5,000 rows loaded (walk the first 50 pages), then time each keystroke of `/`.
        await pilot.press("7")
        await until(pilot, lambda: screen.rows.total is not None)
        for start in range(0, 5_000, 100):
            table.cursor = start
            await until(pilot, lambda: table.current is not None)
        figures["loaded_for_filter"] = screen.rows.loaded_count
        await pilot.press("slash")
        quick = screen.query_one("#quick")
        keys = []
        for typed in ("s", "st", "ste", "stee", "steel", "stee", "ste"):
            # One keystroke's work: filter the loaded rows and draw the screenful.
            began = time.perf_counter()
            quick.value = typed  # what the Input does with the key
            screen._apply_quick_filter()
            table.render_lines(table.size.region)
            keys.append((time.perf_counter() - began) * 1000)
            await pilot.pause()
        figures["filter_key_ms"] = keys
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["ENKASH_TUI_STATE_DIR"] = folder
        os.environ["ENKASH_TUI_CONFIG"] = str(Path(folder) / "config.toml")
        server, url = start_sandbox(Path(folder), invoices=args.invoices, timeout=120)
        try:
            figures = asyncio.run(measure(url))
        finally:
            server.terminate()
            server.wait(timeout=10)
    page = figures["page_down_ms"]
    keys = figures["filter_key_ms"]
    print(f"| what ({args.invoices:,} invoices, 120x40) | figure | budget |")
    print("|---|---:|---:|")
    print(f"| sign-in submitted to Home | {figures['login_to_home_ms']:.0f} ms | 500 ms |")
    print(f"| F4 to the first invoice page | {figures['f4_to_first_page_ms']:.0f} ms | 500 ms |")
    print(
        f"| page down deep in the result, median / max | {statistics.median(page):.1f} / "
        f"{max(page):.1f} ms | 50 ms |"
    )
    print(
        f"| `/` filter per key over {figures['loaded_for_filter']:,} loaded rows, "
        f"median / max | {statistics.median(keys):.1f} / {max(keys):.1f} ms | 50 ms |"
    )
    print(f"| peak RSS after paging 20,000 rows | {figures['rss_mb']:.0f} MB | 150 MB |")
    print(
        f"(b) and (c) time the app's own work for the key and the redrawn screen. Through "
        f"Pilot a PgDn takes {figures['page_down_pilot_ms']:.0f} ms median, of which "
        f"{figures['noop_key_ms']:.0f} ms is what Pilot takes for a key that does nothing."
    )


if __name__ == "__main__":
    main()
