"""Driving the real app through Textual's Pilot: build it as ``--sandbox`` does, wait for a state
(never a bare sleep), sign in, and open a section ready to use."""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable
from typing import Any

from textual.pilot import Pilot

from enkash_tui.app import LANDING_SECTION, EnkashApp
from enkash_tui.launch import sandbox_app


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


async def open_customers(pilot: Pilot[Any]) -> Any:
    """Signed in (if not yet), on Customers, with every customer cached and balances totalled."""
    from screens.customers import CustomersScreen

    if pilot.app.session is None:
        await sign_in(pilot)
    await pilot.press("f3")
    screen = pilot.app.screen
    assert isinstance(screen, CustomersScreen)
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
    """Signed in (if not yet), on Invoices, with the first page of the Open preset loaded."""
    from screens.invoices import InvoicesScreen

    if pilot.app.session is None:
        await sign_in(pilot)
    await pilot.press("f4")
    screen = pilot.app.screen
    assert isinstance(screen, InvoicesScreen)
    await wait_until(pilot, lambda: screen.rows.total is not None, what="the first invoice page")
    await pilot.pause()
    return screen
