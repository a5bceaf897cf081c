"""What the app-driving benchmarks share: a sandbox in its own process (so its memory and CPU
are not the app's), the app built as ``--sandbox`` builds it, and waiting for a state."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from enkash_tui.launch import sandbox_app
from screens.app import EnkashApp


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_sandbox(
    folder: Path, *, invoices: int, customers: int | None = None, timeout: float = 180
) -> tuple[subprocess.Popen[bytes], str]:
    """A freshly seeded sandbox process and its URL, once it accepts connections."""
    port = free_port()
    command = [sys.executable, "-m", "enkash_tui", "sandbox", "--port", str(port), "--reset",
               "--db", str(folder / "bench.db"), "--invoices", str(invoices)]  # fmt: skip
    if customers is not None:
        command += ["--customers", str(customers)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the sandbox exited with {server.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return server, f"http://127.0.0.1:{port}"
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("the sandbox did not start")


def build_app(url: str) -> EnkashApp:
    """As ``enkash-tui --sandbox`` builds it (the one builder, in ``enkash_tui.launch``)."""
    return sandbox_app(url, remember=False)


async def poll(ready: Callable[[], bool], what: str, timeout: float = 60) -> None:
    """Check ``ready()`` every 2 ms without waiting for the app to go idle (for a clock that
    must stop the moment something shows); TimeoutError naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.002)


async def until(
    pilot: Pilot[Any], ready: Callable[[], bool], what: str = "the condition", timeout: float = 30
) -> None:
    """Let the app run until ``ready()``; TimeoutError naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await pilot.pause(0.005)
