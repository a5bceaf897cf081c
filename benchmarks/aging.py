"""Home's aging over a large account: every open invoice paged through and bucketed.

    python -m benchmarks.aging [--invoices 100000]

The sandbox runs in its own process, seeded with that many invoices; the aging is computed through
the real client exactly as Home does (``enkash_tui.domain.aging.compute_aging``, 1,000 invoices a
page), three times. Prints the open invoices walked, the pages, and the wall time per run.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks.harness import start_sandbox
from enkash_tui import clock
from enkash_tui.api import EnkashClient
from enkash_tui.domain.aging import compute_aging
from enkash_tui.sandbox.server import DEMO

RUNS = 3


async def measure(url: str) -> tuple[int, int, list[float]]:
    async with EnkashClient(url, DEMO.client_id, DEMO.client_secret, timeout=120) as client:
        await client.login(DEMO.username, DEMO.password)
        times: list[float] = []
        pages = 0
        walked = 0
        for _ in range(RUNS):
            pages = 0

            def progress(done: int, total: int | None) -> None:
                nonlocal pages
                pages += 1

            began = time.perf_counter()
            aging = await compute_aging(client, clock.today(), (30, 60, 90), progress)
            times.append(time.perf_counter() - began)
            walked = aging.count
    return walked, pages, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        server, url = start_sandbox(Path(folder), invoices=args.invoices, timeout=300)
        try:
            walked, pages, times = asyncio.run(measure(url))
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"| aging over {args.invoices:,} invoices | figure |")
    print("|---|---:|")
    print(f"| open invoices bucketed | {walked:,} |")
    print(f"| pages of 1,000 | {pages} |")
    print(f"| wall time, median of {RUNS} | {statistics.median(times):.2f} s |")
    print(f"| wall time, min / max | {min(times):.2f} / {max(times):.2f} s |")


if __name__ == "__main__":
    main()
