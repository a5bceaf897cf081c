"""Long calls: what the user is waiting for on the screen in front of them, and Esc to stop it.

Every call already ends by itself within the profile's deadline (``deadline_seconds``). Once a
call started from the current screen has run for LONG_CALL_SECONDS, the header says so and Esc
stops it: the call ends with a ``CallStoppedError``, which the screen handles like any lost
reply (a change may or may not have been applied, and the action log records it as unknown).
Shorter calls leave Esc to what it does on that screen (close, clear).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Input
from textual.worker import NoActiveWorker, Worker, get_current_worker

if TYPE_CHECKING:
    from enkash_tui.api.caller import CallInFlight
    from enkash_tui.session import Session

LONG_CALL_SECONDS = 1.0


def call_owner() -> object:
    """Who starts a call (``EnkashClient.call_owner``): the worker it runs in, if any."""
    try:
        return get_current_worker()
    except NoActiveWorker:
        return None


def _started_on(call: CallInFlight, screen: Screen[object]) -> bool:
    worker = call.owner
    if not isinstance(worker, Worker):
        return False
    node = worker.node
    # An Input's workers look up type-ahead suggestions: nobody waits for those, so a slow one
    # must not take Esc from the form it sits in (Esc still closes it; the deadline ends it).
    if isinstance(node, Input):
        return False
    return isinstance(node, DOMNode) and screen in node.ancestors_with_self


def calls_from(session: Session | None, screen: Screen[object]) -> list[CallInFlight]:
    """Every call started from ``screen`` that is still on its way, oldest first."""
    if session is None:
        return []
    return [call for call in session.client.calls_in_flight() if _started_on(call, screen)]


def waited_for(session: Session | None, screen: Screen[object]) -> list[CallInFlight]:
    """The long calls started from ``screen`` that are still on their way, oldest first."""
    now = time.monotonic()
    return [call for call in calls_from(session, screen) if now - call.started >= LONG_CALL_SECONDS]


def waiting_words(calls: list[CallInFlight]) -> str:
    """For the header: how long the oldest call has waited, and the way out."""
    if not calls:
        return ""
    seconds = int(time.monotonic() - calls[0].started)
    return f"waiting for EnKash {seconds} s · esc stops"


def _names(calls: list[CallInFlight]) -> str:
    names = dict.fromkeys(call.operation.replace("_", " ") for call in calls)
    return ", ".join(names)


def stop(calls: list[CallInFlight]) -> str:
    """Stop every call in ``calls``; say what that means for the user."""
    for call in calls:
        call.stop()
    changes = [call for call in calls if call.changes]
    if changes:
        return (
            f"Stopped waiting for EnKash ({_names(calls)}). The change may or may not have been "
            "applied: check before trying again (the action log records it)."
        )
    return f"Stopped waiting for EnKash ({_names(calls)}). Nothing was changed."
