"""The README's pictures: SVG screenshots of every section, from the sandbox, on a fixed date.

    python -m tools.screenshots [--size 120x40] [--folder assets/screenshots]

A fresh sandbox in a temporary folder, seeded for 25 Nov 2026 with the clock pinned (frozen) to
10:00 that day, so the pictures only change when the app does. Writes home.svg, invoices.svg,
customers.svg, reminders.svg and bharat_connect.svg, replacing the ones there.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from enkash_tui import clock
from enkash_tui.launch import sandbox_app
from enkash_tui.sandbox.server import SandboxServer
from enkash_tui.sandbox.settings import SandboxSettings

TODAY = dt.date(2026, 11, 25)
ROOT = Path(__file__).resolve().parent.parent


async def _until(pilot: Pilot[Any], ready: Callable[[], bool], what: str) -> None:
    for _ in range(600):  # 30 s
        if ready():
            return
        await pilot.pause(0.05)
    raise TimeoutError(f"timed out waiting for {what}")


def _idle(app: Any) -> bool:
    screen = app.screen
    return not any(worker.is_running for worker in screen.workers)


async def take(url: str, size: tuple[int, int]) -> dict[str, str]:
    from screens.home.screen import HomeScreen

    app = sandbox_app(url, remember=False)
    pictures: dict[str, str] = {}
    async with app.run_test(size=size) as pilot:
        await _until(pilot, lambda: app.focused is not None, "the sign-in form")
        await pilot.press("enter")
        await _until(pilot, lambda: isinstance(app.screen, HomeScreen), "Home")
        for mode, key in (
            ("home", "f2"),
            ("invoices", "f4"),
            ("customers", "f3"),
            ("reminders", "f5"),
            ("bharat_connect", "f6"),
        ):
            await pilot.press(key)
            await _until(pilot, lambda mode=mode: app.current_mode == mode, mode)
            await pilot.pause(1.0)
            await _until(pilot, lambda: _idle(app), f"{mode} to load")
            await pilot.pause(0.5)
            pictures[mode] = app.export_screenshot(title=f"enkash-tui · {mode.replace('_', ' ')}")
    return pictures


def make_pictures(folder: Path, size: tuple[int, int], work: Path) -> list[Path]:
    """Seed a sandbox in ``work``, take the pictures, write them into ``folder``."""
    settings = SandboxSettings(
        db_path=work / "sandbox.db", port=0, invoices=1500, customers=60, today=TODAY
    )
    server = SandboxServer(settings)
    url = server.start()
    try:
        with clock.pinned(TODAY, frozen=True):
            pictures = asyncio.run(take(url, size))
    finally:
        server.stop()
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, svg in pictures.items():
        path = folder / f"{name}.svg"
        path.write_text(svg, encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--folder", type=Path, default=ROOT / "assets" / "screenshots")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    with tempfile.TemporaryDirectory() as work:
        # Nothing of the user's: remembered state, caches and config all in the temporary folder.
        os.environ["ENKASH_TUI_STATE_DIR"] = work
        os.environ["ENKASH_TUI_CACHE_DIR"] = work
        os.environ["ENKASH_TUI_CONFIG"] = str(Path(work) / "config.toml")
        for path in make_pictures(args.folder, (width, height), Path(work)):
            print(f"{path}  {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
