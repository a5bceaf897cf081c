"""Against a server that answers one byte at a time, the person at the keyboard is never stuck:
Esc cancels a sign-in (keeping what was typed) and stops any call the screen waits long for.

The server is ``HostileServer`` (tests/support/hostile_server.py) on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from textual.widgets import Button, Input, Static

from enkash_tui.api.caller import CallInFlight
from enkash_tui.sandbox_demo import DEMO_USERNAME
from screens.login import LoginScreen
from screens.waiting import stop
from tests.support.driving import build_app, sign_in, wait_until
from tests.support.hostile_server import TOKEN_PATH, HostileServer, drip
from tests.support.screen_text import header_text, notes, text_of

SIZE = (100, 30)


@pytest.fixture
async def server() -> AsyncIterator[HostileServer]:
    async with HostileServer() as running:
        yield running


def status_of(app: object) -> str:
    screen = app.screen  # type: ignore[attr-defined]
    return text_of(screen.query_one("#status", Static)).strip()


async def test_esc_cancels_a_sign_in_that_drips_and_keeps_what_was_typed(
    server: HostileServer,
) -> None:
    server.answer(TOKEN_PATH, drip())  # headers, then a byte every 0.2 s, for ever
    app = build_app(server.url)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: bool(app.screen.query("#profile")), what="the form")
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        # The sandbox profile fills the form in (the demo password, which is public).
        assert screen.query_one("#username", Input).value == DEMO_USERNAME
        password_before = screen.query_one("#password", Input).value
        assert password_before

        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: screen.signing_in and server.requests == [("POST", TOKEN_PATH)],
            what="the sign-in on its way",
        )
        assert "Esc cancels" in status_of(app)

        await pilot.press("escape")
        await wait_until(pilot, lambda: not screen.signing_in, what="the sign-in to stop")
        await pilot.pause()

        assert status_of(app) == "Sign-in cancelled"
        assert app.screen is screen and app.session is None
        assert screen.query_one("#username", Input).value == DEMO_USERNAME
        assert screen.query_one("#password", Input).value == password_before  # kept
        sign_in_button = screen.query_one("#sign-in", Button)
        assert not sign_in_button.disabled and str(sign_in_button.label) == "Sign in"


async def test_esc_stops_the_long_calls_of_the_screen_and_says_so(server: HostileServer) -> None:
    # The token comes at once; every other call drips for ever (the server's default).
    app = build_app(server.url)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        session = app.session
        assert session is not None
        await wait_until(
            pilot, lambda: "esc stops" in header_text(app), what="the header to say it waits"
        )
        assert "waiting for EnKash" in header_text(app)
        waiting = session.client.calls_in_flight()
        assert waiting and all(call.operation == "search_invoices" for call in waiting)

        await pilot.press("escape")
        await wait_until(
            pilot, lambda: not session.client.calls_in_flight(), what="every call to stop"
        )
        await wait_until(pilot, lambda: "esc stops" not in header_text(app), what="the header")

        said = [note for note in notes(app) if note.startswith("Stopped waiting for EnKash")]
        assert said == ["Stopped waiting for EnKash (search invoices). Nothing was changed."]
        assert app.session is session and session.client.signed_in  # still signed in
        assert "unreachable" not in header_text(app)


def test_stopping_a_change_says_it_may_have_been_applied() -> None:
    search = CallInFlight("search_invoices", changes=False, started=0.0)
    create = CallInFlight("create_customer", changes=True, started=0.0)

    message = stop([search, create])

    assert message == (
        "Stopped waiting for EnKash (search invoices, create customer). The change may or may "
        "not have been applied: check before trying again (the action log records it)."
    )
