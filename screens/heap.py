"""The heap tidied while nobody types.

A load that leaves thousands of long-lived objects (pages of invoices, the customer list, the
pass over the open invoices) makes the garbage collector's full passes walk them all: 20-65 ms,
and a key typed during one is that late. Once no load has come and no key has been pressed for
a moment (the app tells ``key_pressed``), ``settle_soon`` collects once, gives the freed memory
back to the system, and moves what is left out of the collector's sight (``gc.freeze``: never
walked again by a full pass; freed as usual when no longer referenced, except what dies in a
reference cycle, which stays).
"""

from __future__ import annotations

import gc
import time
from typing import Any
from weakref import WeakKeyDictionary

from textual.app import App
from textual.timer import Timer

from enkash_tui.memory import give_back

QUIET = 1.0  # seconds after the last load

_waiting: WeakKeyDictionary[App[Any], Timer] = WeakKeyDictionary()
_last_key: WeakKeyDictionary[App[Any], float] = WeakKeyDictionary()


def key_pressed(app: App[Any]) -> None:
    _last_key[app] = time.monotonic()


def since_last_key(app: App[Any]) -> float:
    """Seconds since the app's last key (a long time: none yet)."""
    return time.monotonic() - _last_key.get(app, 0.0)


def settle_now() -> None:
    # What was frozen before stays frozen: walking it again cost 0.1-0.7 s in a process that
    # had run many apps (a test's). A cycle frozen while alive is kept when it dies; the
    # start-up heap and the caches, frozen once, are most of what is.
    gc.collect()
    give_back()
    gc.freeze()


def settle_soon(app: App[Any], delay: float | None = None) -> None:
    """Settle once ``QUIET`` seconds pass without another call (a burst of pages settles once)
    and without a key (PgDn after PgDn never meets a collection)."""
    timer = _waiting.get(app)
    if timer is not None:
        timer.stop()
    wait = QUIET if delay is None else delay
    _waiting[app] = app.set_timer(wait, lambda: _settle_if_quiet(app))


def _settle_if_quiet(app: App[Any]) -> None:
    since_key = since_last_key(app)
    if since_key < QUIET:
        settle_soon(app, QUIET - since_key)
    else:
        settle_now()
