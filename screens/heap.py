"""The heap tidied while nobody types.

A load that leaves thousands of long-lived objects (pages of invoices, the customer list, the
pass over the open invoices) makes the garbage collector's full passes walk them all: 20-65 ms,
and a key typed during one is that late. Once things have been quiet for a moment after such a
load, ``settle_soon`` collects once, gives the freed memory back to the system, and moves what
is left out of the collector's sight (``gc.freeze``: still freed as usual when unreferenced,
never walked again by a full pass).
"""

from __future__ import annotations

import gc
from weakref import WeakKeyDictionary

from textual.app import App
from textual.timer import Timer

from enkash_tui.memory import give_back

QUIET = 1.0  # seconds after the last load

_waiting: WeakKeyDictionary[App[object], Timer] = WeakKeyDictionary()


def settle_now() -> None:
    # What was frozen before stays frozen: walking it again cost 0.1-0.7 s in a process that
    # had run many apps (a test's). A cycle frozen while alive is kept when it dies; the
    # start-up heap and the caches, frozen once, are most of what is.
    gc.collect()
    give_back()
    gc.freeze()


def settle_soon(app: App[object]) -> None:
    """Settle once ``QUIET`` seconds pass without another call (a burst of pages settles once)."""
    timer = _waiting.get(app)
    if timer is not None:
        timer.stop()
    _waiting[app] = app.set_timer(QUIET, settle_now)
