"""Over SSH the terminal can vanish: on SIGHUP or SIGTERM the app leaves, and a watchdog ends the
process should Textual's goodbye block on the dead terminal."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from typing import Any

from textual.app import App

WATCHDOG_SECONDS = 2.0


def exit_on_hangup(app: App[Any]) -> None:
    """Leave on SIGHUP or SIGTERM instead of spinning on a dead terminal."""
    if threading.current_thread() is not threading.main_thread() or os.name != "posix":
        return  # signal handlers belong to the main thread (not so under test), on POSIX
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGHUP, signal.SIGTERM):
        loop.add_signal_handler(sig, _leave, app, sig)


def _leave(app: App[Any], sig: int) -> None:
    """Exit on a signal. If the terminal is gone, Textual's goodbye writes can block for ever
    (its writer thread dies on EIO), so a watchdog ends the process after a moment."""
    threading.Thread(
        target=_exit_after, args=(WATCHDOG_SECONDS, 128 + sig), name="exit-watchdog", daemon=True
    ).start()
    app.exit(return_code=128 + sig)


def _exit_after(seconds: float, code: int) -> None:
    # A plain sleep, not threading.Timer: a timed wait on a condition never wakes when the
    # monotonic clock is faked (libfaketime), and a watchdog must not depend on that.
    time.sleep(seconds)
    os._exit(code)
