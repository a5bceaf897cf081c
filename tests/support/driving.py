"""Driving the real app through Textual's Pilot: build it as ``--sandbox`` does, wait for a state
(never a bare sleep), sign in, and open a section ready to use (``open_*`` sign in first when
the app is not signed in yet)."""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot

from enkash_tui.launch import sandbox_app
from screens.app import LANDING_SECTION, EnkashApp


def build_app(url: str, **options: Any) -> EnkashApp:
    """The app on the sandbox at ``url``, as ``enkash-tui --sandbox`` builds it, except that it
    remembers nothing between runs unless ``remember=True`` is given."""
    options.setdefault("remember", False)
    return sandbox_app(url, **options)


async def wait_until(
    pilot: Pilot[Any],
    condition: Callable[[], bool | Awaitable[bool]],
    *,
    timeout: float = 10.0,
    what: str = "the condition",
) -> None:
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if inspect.isawaitable(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await pilot.pause(0.02)


async def sign_in(pilot: Pilot[Any]) -> None:
    """Press Enter on the pre-filled form (focus starts on Sign in) and wait to land."""
    app = pilot.app
    assert isinstance(app, EnkashApp)
    await wait_until(pilot, lambda: bool(app.screen.query("#profile")), what="the sign-in form")
    await pilot.press("enter")
    await wait_until(
        pilot,
        lambda: app.session is not None and app.current_mode == LANDING_SECTION,
        what="the landing section after signing in",
    )
    await pilot.pause()


async def open_section(pilot: Pilot[Any], key: str, screen_type: type[Any]) -> Any:
    """Signed in (if not yet), then ``key`` (F3...F6): the section's screen, as it opens."""
    if pilot.app.session is None:
        await sign_in(pilot)
    await pilot.press(key)
    screen = pilot.app.screen
    assert isinstance(screen, screen_type), f"{key} opened {screen!r}"
    return screen


async def open_customers(pilot: Pilot[Any]) -> Any:
    """On Customers, with every customer cached and balances totalled."""
    from screens.customers.screen import CustomersScreen

    screen = await open_section(pilot, "f3", CustomersScreen)
    await wait_until(
        pilot,
        lambda: (
            screen.cache is not None
            and bool(screen.cache.entries)
            and screen.cache.balances_at is not None
            and not screen.refreshing
        ),
        what="the customer cache and its balances",
    )
    return screen


async def open_invoices(pilot: Pilot[Any]) -> Any:
    """On Invoices, with the first page of the Open preset loaded."""
    from screens.invoices.screen import InvoicesScreen

    screen = await open_section(pilot, "f4", InvoicesScreen)
    await wait_until(pilot, lambda: screen.rows.total is not None, what="the first invoice page")
    await pilot.pause()
    return screen


async def open_reminders(pilot: Pilot[Any]) -> Any:
    """On Reminders with every customer's rules and the first customer's loaded, the focus down
    in the customer list."""
    from screens.reminders.screen import RemindersScreen

    screen = await open_section(pilot, "f5", RemindersScreen)
    await wait_until(
        pilot,
        lambda: (
            screen.all_rules is not None
            and not screen.walking
            and screen.customers.current is not None
            and screen.shown_for == screen.customers.current.customer_id
        ),
        what="every customer's rules and the first customer's",
    )
    await pilot.press("down")
    assert screen.customers.has_focus
    return screen
