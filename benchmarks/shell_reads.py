"""A read command from the shell, start to finish, against the sandbox: its time beyond the API.

    python -m benchmarks.shell_reads [--invoices 100000] [--runs 7]

Each run starts ``enkash-tui …`` as a process of its own (as cron or a loop would) and times it
to its exit; the API's own time is the same calls (sign-in, then the search) made by a client
already loaded in this process. The command's own time is the difference: Python starting, the
imports, the output. Budget (issue 19): 0.6 s beyond the API's time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness import start_sandbox
from enkash_tui import clock
from enkash_tui.api import EnkashClient
from enkash_tui.domain.invoices import BY_KEY
from enkash_tui.sandbox_demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME

BUDGET = 0.6  # seconds beyond the API's own time
COMMANDS = {
    "invoices search --view overdue --limit 100 --format json": "search",
    "invoices search --view overdue --limit 100 --format csv": "search",
    "log --format jsonl": None,  # no call at all
}


async def api_time(url: str) -> float:
    """Sign-in and one page of the overdue view, by a client already loaded: EnKash's part."""
    query = BY_KEY["2"].build(clock.today())
    async with EnkashClient(url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET) as client:
        began = time.perf_counter()
        await client.login(DEMO_USERNAME, DEMO_PASSWORD)
        await client.search_invoices(
            query.filters, limit=100, order_by=query.order_by, direction=query.direction
        )
        return time.perf_counter() - began


def one_run(command: str, env: dict[str, str]) -> float:
    began = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "enkash_tui", *command.split()],
        env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "config.toml"
        server, url = start_sandbox(Path(folder), invoices=args.invoices, timeout=300)
        config.write_text(
            f'default_profile = "bench"\n[profiles.bench]\nbase_url = "{url}"\n'
            f'client_id = "{DEMO_CLIENT_ID}"\nusername = "{DEMO_USERNAME}"\n'
        )
        env = os.environ | {
            "ENKASH_TUI_CONFIG": str(config),
            "ENKASH_TUI_STATE_DIR": folder,
            "ENKASH_CLIENT_SECRET": DEMO_CLIENT_SECRET,
            "ENKASH_PASSWORD": DEMO_PASSWORD,
        }
        try:
            one_run("log --format jsonl", env)  # bytecode written, caches warm
            api = statistics.median(asyncio.run(api_time(url)) for _ in range(args.runs))
            figures = {c: [one_run(c, env) for _ in range(args.runs)] for c in COMMANDS}
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"| `enkash-tui …`, {args.invoices:,} invoices, median of {args.runs} | whole | "
          f"beyond the API | budget |")  # fmt: skip
    print("|---|---:|---:|---:|")
    for command, times in figures.items():
        whole = statistics.median(times)
        own = whole - (api if COMMANDS[command] else 0.0)
        verdict = "within" if own <= BUDGET else "OVER"
        print(f"| {command} | {whole:.2f} s | {own:.2f} s | {BUDGET} s ({verdict}) |")
    print(f"API's own time (sign-in and one page of 100, client loaded): {api:.3f} s")


if __name__ == "__main__":
    main()
