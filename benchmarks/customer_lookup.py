"""The local customer lookup with 5,000 customers cached: time per keystroke.

    python -m benchmarks.customer_lookup [--customers 5000]

Fills the cache from a sandbox through the real client (50 customers a page, as EnKash allows),
then times ``CustomerCache.find`` for each prefix of a few things people type: part of a name, a
GSTIN, a phone number, an e-mail. Budget (issue 6): keystroke to results under 30 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from enkash_tui.api import EnkashClient
from enkash_tui.local.customer_cache import CustomerCache
from enkash_tui.sandbox.server import DEMO, SandboxServer
from enkash_tui.sandbox.settings import SandboxSettings


async def measure(url: str, folder: Path) -> tuple[float, int, list[float]]:
    async with EnkashClient(url, DEMO.client_id, DEMO.client_secret) as client:
        await client.login(DEMO.username, DEMO.password)
        cache = CustomerCache(folder / "customers.json")
        began = time.perf_counter()
        count = await cache.refresh(client)
        refresh_s = time.perf_counter() - began
    sample = cache.entries[len(cache.entries) // 2]
    typed = [
        sample.legal_name.split()[0].lower(),
        sample.pan_or_gstin[:8],
        "".join(ch for ch in sample.contact_number if ch.isdigit())[-8:],
        (sample.emails[0].split("@")[1] if sample.emails else "traders"),
        "zzzz",  # nothing matches: every entry is looked at
    ]
    samples = []
    for word in typed:
        for end in range(1, len(word) + 1):
            began = time.perf_counter()
            cache.find(word[:end])
            samples.append((time.perf_counter() - began) * 1000)
    return refresh_s, count, samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings = SandboxSettings(
            db_path=Path(folder) / "sandbox.db", port=0, customers=args.customers, invoices=2000
        )
        server = SandboxServer(settings)
        url = server.start()
        try:
            refresh_s, count, samples = asyncio.run(measure(url, Path(folder)))
        finally:
            server.stop()
    print(f"| lookup with {count:,} customers cached | figure |")
    print("|---|---:|")
    print(f"| filling the cache from the server (50 a page) | {refresh_s:.1f} s |")
    print(f"| lookup per keystroke, median | {statistics.median(samples):.2f} ms |")
    print(
        f"| lookup per keystroke, p95 / max | {statistics.quantiles(samples, n=20)[-1]:.2f} / "
        f"{max(samples):.2f} ms |"
    )
    print(
        "budget: keystroke to results < 30 ms (this is the lookup; the screen's drawing is "
        "measured once the Customers screen exists)"
    )


if __name__ == "__main__":
    main()
