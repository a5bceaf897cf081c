"""``--sandbox`` paints the sign-in screen while the sandbox starts in its own process: Enter waits
for it ("Starting the sandbox…", Esc cancels), a sandbox that cannot start is said beside the
address, a database that kept its book says so, and the process ends with the app."""

from __future__ import annotations

import gc
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Button, Static

from enkash_tui.cli import build_parser
from enkash_tui.launch import _local_sandbox
from enkash_tui.sandbox.server import SandboxServer
from enkash_tui.sandbox.settings import SandboxSettings
from enkash_tui.sandbox.starter import SandboxProcess
from screens.home.screen import HomeScreen
from screens.login import LoginScreen
from tests.support.driving import build_app, wait_until
from tests.support.held_sandbox import held
from tests.support.screen_text import notes, text_of

SIZE = (100, 30)


def status(app: object) -> str:
    return text_of(app.screen.query_one("#status", Static))  # type: ignore[attr-defined]


@pytest.fixture
def local_sandboxes() -> Iterator[list[SandboxProcess]]:
    started: list[SandboxProcess] = []
    yield started
    for sandbox in started:
        sandbox.stop()


async def test_enter_waits_for_the_sandbox_then_signs_in(
    tmp_path: Path, local_sandboxes: list[SandboxProcess]
) -> None:
    release = tmp_path / "release"  # the sandbox starts only once the test has seen the wait
    local = SandboxProcess(
        SandboxSettings(db_path=tmp_path / "s.db", invoices=60, customers=6, port=0),
        program=held(release),
    )
    local_sandboxes.append(local)
    app = build_app(local.url, local_sandbox=local)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.focused is not None, what="the form, ready for keys")
        assert isinstance(app.screen, LoginScreen)
        assert not local.ready.is_set()  # the screen is up before the sandbox
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: "Starting the sandbox" in status(app), what="the wait to show"
        )
        assert str(app.screen.query_one("#sign-in", Button).label) == "Signing in…"
        release.touch()
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), what="Home")
        assert app.session is not None and app.session.client.base_url.startswith(local.url)
        home = app.screen
        await wait_until(pilot, lambda: bool(home.query("TileView")), what="Home drawn")
        await pilot.pause()


async def test_the_sandbox_process_starts_once_the_first_frame_is_painted(
    tmp_path: Path, local_sandboxes: list[SandboxProcess], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started before it, the sandbox's imports took the CPU the first frame needed: the launcher
    only binds the port, and the app starts the process once the sign-in screen is on the
    terminal. Then, too, the collector the launcher held off runs again."""
    argv = ["--sandbox", "--db", str(tmp_path / "s.db"), "--invoices", "60", "--customers", "6"]
    local = _local_sandbox(build_parser(argv).parse_args(argv))
    local_sandboxes.append(local)
    assert local.url.startswith("http://127.0.0.1:") and local._child is None
    monkeypatch.setattr(LoginScreen, "on_mount", lambda self: None)  # the fields wait for us
    app = build_app(local.url, local_sandbox=local)
    gc.disable()  # as the launcher leaves it
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: bool(app.screen.query("#login-picture")), what="frame")
            await pilot.pause(0.2)
            assert local._child is None and not local.ready.is_set()
            assert not gc.isenabled()
            screen = app.screen
            assert isinstance(screen, LoginScreen)
            screen.call_later(screen._build_form)  # what the first frame's refresh calls
            await wait_until(pilot, lambda: local.ready.is_set(), timeout=30, what="the sandbox")
            assert local.error is None and gc.isenabled()
            await wait_until(pilot, lambda: bool(screen.query("#profile")), what="the picker")
    finally:
        gc.enable()


async def test_a_sandbox_that_cannot_start_is_said_beside_the_address(
    tmp_path: Path, local_sandboxes: list[SandboxProcess]
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        local = SandboxProcess(
            SandboxSettings(db_path=tmp_path / "s.db", invoices=60, customers=6, port=port)
        )
        local_sandboxes.append(local)
        app = build_app(local.url, local_sandbox=local)
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: local.ready.is_set(), timeout=30, what="the attempt")
            await wait_until(
                pilot,
                lambda: any(n.startswith("The sandbox did not start") for n in notes(app)),
                what="the notification",
            )
            await wait_until(
                pilot, lambda: app.focused is not None, what="the form, ready for keys"
            )
            await pilot.press("enter")
            error = app.screen.query_one("#base_url-error", Static)
            await wait_until(
                pilot, lambda: "did not start" in text_of(error), what="the error by the URL"
            )
            assert app.session is None and isinstance(app.screen, LoginScreen)


async def test_a_kept_book_is_said_once_the_sandbox_is_up(
    tmp_path: Path, local_sandboxes: list[SandboxProcess]
) -> None:
    db = tmp_path / "s.db"
    SandboxServer(SandboxSettings(db_path=db, invoices=120, customers=12)).conn.close()
    local = SandboxProcess(
        SandboxSettings(db_path=db, invoices=900, customers=12, port=0), asked=(900, None)
    )
    local_sandboxes.append(local)
    app = build_app(local.url, local_sandbox=local)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(
            pilot,
            lambda: any("already holds 120 invoices" in n for n in notes(app)),
            timeout=30,
            what="the notice",
        )


async def test_esc_while_the_sandbox_starts_keeps_the_form_and_enter_signs_in_after(
    tmp_path: Path, local_sandboxes: list[SandboxProcess]
) -> None:
    release = tmp_path / "release"
    local = SandboxProcess(
        SandboxSettings(db_path=tmp_path / "s.db", invoices=60, customers=6, port=0),
        program=held(release),
    )
    local_sandboxes.append(local)
    app = build_app(local.url, local_sandbox=local)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: app.focused is not None, what="the form, ready for keys")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Starting the sandbox" in status(app), what="the wait")
        await pilot.press("escape")
        await wait_until(pilot, lambda: "Sign-in cancelled" in status(app), what="cancelled")
        assert app.focused is app.screen.query_one("#sign-in", Button)  # keys still work
        release.touch()
        await wait_until(pilot, lambda: local.ready.is_set(), what="the sandbox")
        # Enter on the Show secrets box signs in too (space toggles it).
        app.screen.query_one("#reveal").focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, HomeScreen), what="Home")
