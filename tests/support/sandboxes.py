"""Sandboxes on loopback for the tests: each on its own free port (port 0) and database file,
so parallel test workers never share one."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from enkash_tui.sandbox.faults import Faults
from enkash_tui.sandbox.server import SandboxServer
from enkash_tui.sandbox.settings import SandboxSettings

# The "today" the pinned sandbox is seeded for, and the clock is pinned to, in every test whose
# rows, days overdue or pictures must not change with the date.
PINNED_TODAY = dt.date(2026, 11, 25)


class RunningSandbox:
    """A sandbox server on a background thread: its settings, base URL and database."""

    def __init__(self, settings: SandboxSettings) -> None:
        self.settings = settings
        self.server = SandboxServer(settings)
        self.url = self.server.start()
        self._stopped = False

    @property
    def conn(self) -> sqlite3.Connection:
        return self.server.conn

    @property
    def today(self) -> dt.date | None:
        """The seed's pinned "today", or None when it was seeded for the real date."""
        return self.settings.today

    @property
    def faults(self) -> Faults:
        """The live fault knobs (latency, failure rate, rate limit) of the running server."""
        faults: Faults = self.server._server.config.app.state.sandbox.faults
        return faults

    def stop(self) -> None:
        if not self._stopped:
            self._stopped = True
            self.server.stop()

    def restart(self) -> None:
        """Stop and start again on the same port and database: issued tokens are forgotten."""
        port = int(self.url.rsplit(":", 1)[1])
        self.stop()
        self.settings = dataclasses.replace(self.settings, port=port)
        self.server = SandboxServer(self.settings)
        self._stopped = False
        url = self.server.start()
        assert url == self.url


def start(db_path: Path, *, invoices: int, customers: int, **knobs: Any) -> RunningSandbox:
    """A freshly seeded sandbox on a free port with any fault or behaviour knob."""
    knobs.setdefault("port", 0)
    return RunningSandbox(
        SandboxSettings(db_path=db_path, invoices=invoices, customers=customers, **knobs)
    )


class Sandboxes:
    """Starts sandboxes in one folder with a layer's default size; stops them all at the end."""

    def __init__(self, folder: Path, *, invoices: int, customers: int) -> None:
        self.folder = folder
        self.defaults = {"invoices": invoices, "customers": customers}
        self.started: list[RunningSandbox] = []

    def start(self, **knobs: Any) -> RunningSandbox:
        options = {**self.defaults, **knobs}
        running = start(self.folder / f"sandbox-{len(self.started)}.db", **options)
        self.started.append(running)
        return running

    def stop_all(self) -> None:
        for running in reversed(self.started):
            running.stop()
