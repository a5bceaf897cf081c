"""The sign-in screen, as a person at the keyboard meets it, against real sandboxes."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from textual import events
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Input, Select, Static

from enkash_tui.local.state import LocalState
from enkash_tui.sandbox_demo import DEMO_PASSWORD, DEMO_USERNAME
from screens.app import LANDING_SECTION, EnkashApp
from screens.login import FIELDS, LoginScreen
from screens.sections import BY_MODE
from tests.support.driving import build_app, sign_in, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import header_text, notes, text_of

FIELD_LABELS = {
    "base_url": "Base URL",
    "client_id": "Client id",
    "client_secret": "Client secret",
    "username": "Username",
    "password": "Password",
}


def field_value(app: EnkashApp, field: str) -> str:
    return app.screen.query_one(f"#{field}", Input).value


def error_text(app: EnkashApp, field: str) -> str:
    return str(app.screen.query_one(f"#{field}-error", Static).render())


def error_visible(app: EnkashApp, field: str) -> bool:
    """The error line takes no room until it has something to say."""
    widget = app.screen.query_one(f"#{field}-error", Static)
    return widget.has_class("shown") and widget.region.height > 0


async def type_into(pilot: Pilot[Any], field: str, text: str) -> None:
    """Focus a field, clear it as a person would (End, Ctrl+U), then type or paste ``text``.
    Waits for the form first: as it is built it gives the focus to a field of its own choosing,
    which would take it back from ``field`` (the Ctrl+U would then clear another field)."""
    app = pilot.app
    await wait_until(pilot, lambda: bool(app.screen.query("#profile")), what="the whole form")
    widget = app.screen.query_one(f"#{field}", Input)
    widget.focus()
    await wait_until(pilot, lambda: app.focused is widget, what=f"{field} focused")
    await pilot.press("end", "ctrl+u")
    if len(text) <= 10:
        await pilot.press(*text)
    else:  # long values (URLs) arrive as a paste: same path into the Input, fewer round trips
        widget.post_message(events.Paste(text))
        await pilot.pause()
    assert widget.value == text


async def submit_and_wait_for_error(pilot: Pilot[Any], field: str) -> str:
    app = pilot.app
    assert isinstance(app, EnkashApp)
    before = error_text(app, field)
    await pilot.press("enter")
    await wait_until(
        pilot,
        lambda: (
            error_text(app, field) not in ("", before)
            and not app.screen.query_one("#sign-in", Button).disabled
        ),
        what=f"an error next to {field}",
    )
    await pilot.pause()
    return error_text(app, field)


def closed_loopback_port() -> int:
    """A port nothing listens on: bound once by the OS, then released."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_form_is_prefilled_for_the_sandbox(sandbox: Any) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        await wait_until(pilot, lambda: bool(app.screen.query("#profile")), what="the picker")
        assert app.screen.query_one("#profile", Select).value == "Sandbox"
        assert field_value(app, "base_url") == sandbox.url
        assert field_value(app, "client_id") == "CEKDEMO001"
        assert field_value(app, "username") == DEMO_USERNAME
        assert field_value(app, "password") == DEMO_PASSWORD
        assert field_value(app, "client_secret")
        # Everything is filled in, so Enter signs in straight away.
        assert app.focused is app.screen.query_one("#sign-in", Button)
        assert "Sign in" in header_text(app)
        assert "online" not in header_text(app)


async def test_sign_in_lands_on_invoices_with_the_session_in_the_header(
    isolated_dirs: Path, sandbox: RunningSandbox
) -> None:
    app = build_app(sandbox.url, remember=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        assert app.current_mode == LANDING_SECTION
        assert not any(isinstance(s, LoginScreen) for s in app.screen_stack)
        header = header_text(app)
        assert BY_MODE[LANDING_SECTION].title in header
        assert "Sandbox" in header
        assert "SANDBOX" in header
        assert DEMO_USERNAME in header
        assert "online" in header
        assert "READ-ONLY" not in header
        assert app.session is not None and app.session.client.signed_in
    # remember=True: the profile and username (never the password) are kept for next time.
    state = json.loads((isolated_dirs / "state.json").read_text(encoding="utf-8"))
    assert state == {"last_profile": "Sandbox", "last_username": DEMO_USERNAME}


async def test_remembered_username_is_filled_in(sandbox: RunningSandbox) -> None:
    remembered = LocalState(last_profile="Sandbox", last_username="ar.clerk@example.com")
    app = build_app(sandbox.url, state=remembered)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert field_value(app, "username") == "ar.clerk@example.com"
        assert field_value(app, "password") == DEMO_PASSWORD


async def test_remember_false_writes_nothing(isolated_dirs: Path, sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url, remember=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
    assert not (isolated_dirs / "state.json").exists()


async def test_wrong_password_is_shown_next_to_the_password_field(
    start_sandbox: Callable[..., Any],
) -> None:
    sandbox = start_sandbox()  # its own: failed attempts count towards a lockout
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_into(pilot, "password", "not-the-password")
        message = await submit_and_wait_for_error(pilot, "password")

        assert "2 attempts left" in message
        assert error_visible(app, "password")
        assert isinstance(app.screen, LoginScreen)
        assert app.session is None
        assert isinstance(app.screen, LoginScreen)
        # The form keeps what was typed; only the password field has something to say.
        assert field_value(app, "username") == DEMO_USERNAME
        assert field_value(app, "base_url") == sandbox.url
        assert field_value(app, "password") == "not-the-password"
        for other in ("base_url", "client_id", "client_secret", "username"):
            assert error_text(app, other) == ""
        assert app.focused is app.screen.query_one("#password", Input)
        button = app.screen.query_one("#sign-in", Button)
        assert not button.disabled
        assert str(button.label) == "Sign in"


async def test_three_wrong_passwords_lock_the_account(start_sandbox: Callable[..., Any]) -> None:
    sandbox = start_sandbox(lockout_seconds=60)
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_into(pilot, "password", "wrong-1")
        assert "2 attempts left" in await submit_and_wait_for_error(pilot, "password")
        await type_into(pilot, "password", "wrong-2")
        assert "1 attempt left" in await submit_and_wait_for_error(pilot, "password")
        await type_into(pilot, "password", "wrong-3")
        locked = await submit_and_wait_for_error(pilot, "password")
        assert "locked" in locked.lower()

        # Now even the right password is refused, and the message says why.
        await type_into(pilot, "password", DEMO_PASSWORD)
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: "try again" in error_text(app, "password"),
            what="the locked-account message",
        )
        refused = error_text(app, "password")
        assert "locked" in refused.lower()
        assert isinstance(app.screen, LoginScreen)
        assert app.session is None


async def test_unreachable_server_is_shown_next_to_base_url(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        url = f"http://127.0.0.1:{closed_loopback_port()}"
        await type_into(pilot, "base_url", url)
        message = await submit_and_wait_for_error(pilot, "base_url")

        assert "127.0.0.1" in message
        assert "nothing changed" in message.lower()
        assert error_visible(app, "base_url")
        assert error_text(app, "password") == ""
        assert isinstance(app.screen, LoginScreen)
        assert app.session is None
        assert field_value(app, "base_url") == url
        assert field_value(app, "username") == DEMO_USERNAME


async def test_plain_http_to_another_host_is_refused_before_any_request(
    sent_requests: list[httpx.Request], sandbox: RunningSandbox
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_into(pilot, "base_url", "http://example.com")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

        message = error_text(app, "base_url")
        assert "https" in message
        assert "example.com" in message
        assert error_visible(app, "base_url")
        assert sent_requests == []
        assert isinstance(app.screen, LoginScreen)
        assert app.session is None
        assert str(app.screen.query_one("#status", Static).render()) == ""


async def test_every_empty_field_says_it_is_required(
    sent_requests: list[httpx.Request], sandbox: RunningSandbox
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for field in FIELDS:
            await type_into(pilot, field, "")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

        for field in FIELDS:
            assert error_text(app, field) == f"{FIELD_LABELS[field]} is required", field
            assert error_visible(app, field)
        assert sent_requests == []
        assert isinstance(app.screen, LoginScreen)


async def test_missing_username_and_password_are_required(
    sent_requests: list[httpx.Request], sandbox: RunningSandbox
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_into(pilot, "username", "")
        await type_into(pilot, "password", "")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert error_text(app, "username") == "Username is required"
        assert error_text(app, "password") == "Password is required"
        for field in ("base_url", "client_id", "client_secret"):
            assert error_text(app, field) == ""
        # The cursor goes to the first field that needs something.
        assert app.focused is app.screen.query_one("#username", Input)
        assert sent_requests == []
        assert app.session is None


async def test_escape_clears_the_errors(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_into(pilot, "password", "")
        await pilot.press("enter")
        await pilot.pause()
        assert error_text(app, "password") == "Password is required"
        await pilot.press("escape")
        await pilot.pause()
        assert error_text(app, "password") == ""
        assert not error_visible(app, "password")


async def test_ctrl_r_shows_and_hides_both_secrets(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        secret = app.screen.query_one("#client_secret", Input)
        password = app.screen.query_one("#password", Input)
        box = app.screen.query_one("#reveal", Checkbox)
        assert secret.password and password.password
        assert not box.value

        await pilot.press("ctrl+r")
        await pilot.pause()
        assert not secret.password and not password.password
        assert box.value

        # Also from inside a secret field, where the key matters most.
        password.focus()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert secret.password and password.password
        assert not box.value
        assert password.value == DEMO_PASSWORD  # toggling never touches what was typed


async def test_section_keys_do_nothing_before_sign_in(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2", "f3", "f4", "f5", "f6")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert isinstance(app.screen, LoginScreen)
        assert app.session is None
        active = app.screen.active_bindings
        assert not any(key in active for key in ("f2", "f3", "f4", "f5", "f6"))


async def test_question_mark_and_q_type_into_a_login_field(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        # The form built, its own first focus given (it would take the focus back from us).
        await wait_until(pilot, lambda: bool(app.screen.query("#profile")), what="the form")
        username = app.screen.query_one("#username", Input)
        username.focus()
        await wait_until(pilot, lambda: app.focused is username, what="the username focused")
        await pilot.press("end", "?", "q")
        await pilot.pause()
        assert username.value == DEMO_USERNAME + "?q"
        assert isinstance(app.screen, LoginScreen)  # no help modal
        assert app.is_running
        assert app.return_code is None


# -- the first frame ---------------------------------------------------------------------------


async def test_the_first_frame_is_the_form_as_a_picture_secrets_masked(
    sandbox: RunningSandbox, monkeypatch: Any
) -> None:
    """The first frame shows what the fields will hold, label for label, secrets as dots only;
    then the real fields take its place."""
    monkeypatch.setattr(LoginScreen, "on_mount", lambda self: None)  # the fields wait for us
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: bool(app.screen.query("#login-picture")), what="picture")
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        picture = text_of(screen.query_one("#login-picture", Static))
        assert not screen.query(Input)  # a picture: nothing to type into yet
        screen.call_later(screen._build_form)
        await wait_until(pilot, lambda: screen.form_ready, what="the fields")
        assert not screen.query("#login-picture")
        lines = picture.splitlines()
        for field in FIELDS:
            value = field_value(app, field)
            secret = field in ("client_secret", "password")
            shown = "•" * len(value) if secret else value
            assert f"{FIELD_LABELS[field]:<16}{shown}" in lines, picture
        assert DEMO_PASSWORD not in picture
        assert any("Show secrets (ctrl+r)" in line for line in lines)
        assert lines[-1].strip() == "Sign in"
        # The profile picker comes a frame later; leaving before it is mounted tears it half-built.
        await wait_until(pilot, lambda: bool(screen.query("#profile")), what="the profile picker")


async def test_enter_typed_before_the_fields_are_built_signs_in_once_they_are(
    sandbox: RunningSandbox, monkeypatch: Any
) -> None:
    """Over a slow link the picture may stay up a while: Enter (and Ctrl+R, Esc) typed ahead
    break nothing, and the Enter signs in as soon as the fields are there."""
    monkeypatch.setattr(LoginScreen, "on_mount", lambda self: None)  # the fields wait for us
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: bool(app.screen.query("#login-picture")), what="picture")
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        await pilot.press("ctrl+r", "escape", "enter")
        await pilot.pause(0.2)
        assert app.session is None and not screen.query("#username")
        screen.call_later(screen._build_form)
        await wait_until(
            pilot,
            lambda: app.session is not None and app.current_mode == LANDING_SECTION,
            what="signed in by the Enter typed ahead",
        )
        await pilot.pause()


async def test_text_typed_before_the_fields_are_built_is_said_lost_and_enter_waits(
    sandbox: RunningSandbox, monkeypatch: Any
) -> None:
    """Characters typed ahead have nowhere to go: the Enter typed after them does not sign in
    without them, and the form says to type again."""
    monkeypatch.setattr(LoginScreen, "on_mount", lambda self: None)
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: bool(app.screen.query("#login-picture")), what="picture")
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        await pilot.press("x", "y", "enter")
        screen.call_later(screen._build_form)
        await wait_until(pilot, lambda: screen.form_ready, what="the fields")
        await pilot.pause(0.3)
        assert app.session is None and isinstance(app.screen, LoginScreen)
        assert any("type it again" in note for note in notes(app))
