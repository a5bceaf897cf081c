"""The one clock: every business date and time in the app, the domain code and the sandbox.

Read it through the module (``clock.today()``), never ``from enkash_tui.clock import today``, so
that pinning it here reaches every caller. Nothing else in the product calls ``date.today()``,
``datetime.now()`` or ``time.time()``; timeouts and intervals use ``time.monotonic()`` directly,
because they measure durations, not dates.

Tests pin the clock (``pin``) where rows, days overdue or pictures must not move with the date:
it then starts from the pinned moment and runs on, or, ``frozen``, stands still there, so that
every "updated N s ago" reads the same on every run.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True)
class _Pin:
    at: dt.datetime  # aware, UTC
    since: float | None  # time.monotonic() when pinned; None: frozen

    def now(self) -> dt.datetime:
        if self.since is None:
            return self.at
        return self.at + dt.timedelta(seconds=time.monotonic() - self.since)


_pin: _Pin | None = None


def now() -> dt.datetime:
    """This moment, timezone-aware, in UTC."""
    return _pin.now() if _pin is not None else dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """The business date: the calendar day in this machine's time zone."""
    return _pin.now().astimezone().date() if _pin is not None else dt.date.today()


def timestamp() -> float:
    """Seconds since the epoch, for "updated N s ago" stamps that are kept on disk."""
    return _pin.now().timestamp() if _pin is not None else time.time()


def pin(moment: dt.datetime | dt.date | None, *, frozen: bool = False) -> None:
    """Set the clock to ``moment`` (a naive time is local; a date means 10:00 local time that
    day), running on from there or ``frozen``; None gives it back to the system clock."""
    global _pin
    if moment is None:
        _pin = None
        return
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time(10, 0))
    _pin = _Pin(moment.astimezone(dt.UTC), None if frozen else time.monotonic())


def is_pinned() -> bool:
    return _pin is not None


@contextmanager
def pinned(moment: dt.datetime | dt.date, *, frozen: bool = False) -> Iterator[None]:
    """``with clock.pinned(date(2026, 11, 25)):`` the clock reads from there, then as before."""
    global _pin
    before = _pin
    pin(moment, frozen=frozen)
    try:
        yield
    finally:
        _pin = before
