"""The shell after signing in: sections, help, quitting, read-only, expiry and error reporting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import httpx
import pytest
from textual.binding import Binding, BindingType
from textual.command import CommandList, CommandPalette
from textual.widgets import Input, Static

from enkash_tui.api import ApiError, AuthError, NetworkError, ReadOnlyError
from enkash_tui.sandbox_demo import DEMO_USERNAME
from screens.app import LANDING_SECTION
from screens.base import SectionScreen
from screens.bharat_connect.screen import BharatConnectScreen
from screens.customers.screen import CustomersScreen
from screens.help import HelpScreen
from screens.home.screen import HomeScreen
from screens.invoices.screen import InvoicesScreen
from screens.login import LoginScreen
from screens.modals import ConfirmModal, ErrorModal, ReloginModal
from screens.reminders.screen import RemindersScreen
from screens.sections import BY_MODE, SECTIONS
from screens.widgets.section_bar import SectionBar, section_line
from tests.support.driving import build_app, open_invoices, sign_in, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import header_text, notes, screen_lines, texts

# Sections whose real screen exists; the rest show the honest "not built yet" panel.
BUILT: dict[str, type[SectionScreen]] = {
    "home": HomeScreen,
    "invoices": InvoicesScreen,
    "customers": CustomersScreen,
    "reminders": RemindersScreen,
    "bharat_connect": BharatConnectScreen,
}


def help_rows(screen: HelpScreen) -> list[str]:
    return [row.strip() for row in texts(screen).splitlines()]


# -- sections -----------------------------------------------------------------------------------


async def test_function_keys_switch_between_every_section(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        # F3..F6, then back to F2 (Home is where signing in lands).
        for section in (*SECTIONS[1:], SECTIONS[0]):
            await pilot.press(section.key)
            await pilot.pause()
            assert app.current_mode == section.mode, section.key
            screen = app.screen
            assert isinstance(screen, SectionScreen)
            assert screen.section is section
            assert f"│ {section.title} " in header_text(app)
            assert isinstance(screen, BUILT[section.mode])
            assert "online" in header_text(app)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_section_shows_the_sections_with_the_current_marked(
    sandbox: RunningSandbox, size: tuple[int, int]
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=size) as pilot:
        await sign_in(pilot)
        for section in SECTIONS:
            await pilot.press(section.key)
            await pilot.pause()
            bar = app.screen.query_one(SectionBar)
            line = section_line(section.mode, bar.size.width)
            drawn = line.plain
            assert bar.size.width == size[0] and line.cell_len <= size[0]
            for each in SECTIONS:  # every section and its key, whole
                name = each.title if size[0] >= 100 else each.short
                assert f"{each.key.upper()} {name}" in drawn, (each.title, drawn)
            assert drawn.rstrip().endswith("F1 Help  F10 Quit")
            marked = [span for span in line.spans if "reverse" in str(span.style)]
            assert [drawn[m.start : m.end].strip() for m in marked] == [
                f"{section.key.upper()} {section.title if size[0] >= 100 else section.short}"
            ]


async def test_a_click_on_the_section_bar_opens_that_section(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        bar = app.screen.query_one(SectionBar)
        column = bar.render().plain.index("F5 Reminders")  # type: ignore[union-attr]
        await pilot.click(SectionBar, offset=(column + 2, 0))
        await wait_until(pilot, lambda: app.current_mode == "reminders", what="Reminders")


async def test_pressing_the_current_section_key_stays_put(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        landed = app.screen
        key = BY_MODE[LANDING_SECTION].key
        await pilot.press(key)
        await pilot.pause()
        assert app.current_mode == LANDING_SECTION
        assert app.screen is landed


async def test_command_palette_goes_to_a_section(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="palette")
        await pilot.press(*"Go to Invoices")

        def best_match() -> str:
            results = app.screen.query_one(CommandList)
            if results.option_count == 0 or results.highlighted is None:
                return ""
            return str(results.get_option_at_index(results.highlighted).prompt)

        await wait_until(pilot, lambda: "Go to Invoices" in best_match(), what="the command")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.current_mode == "invoices", what="Invoices")
        assert isinstance(app.screen, InvoicesScreen)
        assert app.screen.section is BY_MODE["invoices"]


async def test_command_palette_offers_no_sections_before_sign_in(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert not any(title.startswith("Go to") for title in titles)
        assert "Screenshot" not in titles  # an SVG could catch a revealed secret
        assert isinstance(app.screen, LoginScreen)


# -- help -------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["f1", "question_mark"])
async def test_help_lists_the_keys_that_work_now(key: str, sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press(key)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HelpScreen)
        rows = help_rows(screen)
        for section in SECTIONS:
            wanted = f"{section.key.upper()} {section.title}"
            assert any(" ".join(row.split()) == wanted for row in rows), (wanted, rows)
        assert any(row.endswith("Quit") and "F10" in row for row in rows), rows
        assert any(row.endswith("Help") and "F1" in row and "?" in row for row in rows), rows

        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        assert app.current_mode == LANDING_SECTION
        assert app.is_running


async def test_help_names_what_the_user_sees_not_widget_classes(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_invoices(pilot)
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        rows = help_rows(app.screen)  # type: ignore[arg-type]
        assert "Invoices list" in rows
        assert not any("LazyTable" in row for row in rows)


async def test_help_before_sign_in_lists_no_sections(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        body = texts(app.screen)
        assert "Quit" in body
        assert "Show/hide secrets" in body
        assert not any(section.title in body for section in SECTIONS[1:])
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)


# -- quitting ---------------------------------------------------------------------------------


async def test_q_on_a_section_quits(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0
        assert not app.is_running


async def test_quit_with_unsaved_edits_asks_first(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        home = app.screen
        assert isinstance(home, SectionScreen)
        home.dirty = True

        await pilot.press("q")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ConfirmModal)
        assert "Quit with unsaved edits?" in texts(modal)
        assert home.section.title in texts(modal)

        await pilot.press("n")
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None
        assert app.screen is home

        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await pilot.pause()
        assert app.return_code == 0
        assert not app.is_running


@pytest.mark.parametrize("how", ["ctrl+q", "palette Quit"])
async def test_every_way_to_quit_asks_about_unsaved_edits(
    how: str, sandbox: RunningSandbox
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        home = app.screen
        assert isinstance(home, SectionScreen)
        home.dirty = True

        if how == "ctrl+q":
            await pilot.press("ctrl+q")
        else:
            commands = {c.title: c for c in app.get_system_commands(app.screen)}
            result = commands["Quit"].callback()
            if result is not None:
                await result
        await pilot.pause()
        assert app.is_running, f"{how} quit without asking about the unsaved edits"
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is home


# -- read-only ------------------------------------------------------------------------------


class DeletingScreen(SectionScreen):
    """A section screen with one key that would change data."""

    MUTATING_ACTIONS = frozenset({"delete"})
    BINDINGS: ClassVar[list[BindingType]] = [Binding("d", "delete", "Delete")]

    def __init__(self) -> None:
        super().__init__(BY_MODE["invoices"])
        self.deleted = 0

    def action_delete(self) -> None:
        self.deleted += 1


async def test_read_only_session_is_shown_and_refuses_changes(
    sent_requests: list[httpx.Request], sandbox: RunningSandbox
) -> None:
    app = build_app(sandbox.url, force_readonly=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        assert "READ-ONLY" in header_text(app)
        assert app.session is not None
        client = app.session.client
        assert client.readonly
        assert app.session.readonly

        before = len(sent_requests)
        with pytest.raises(ReadOnlyError):
            await client.delete_invoices(["KI00000000000001"])
        assert len(sent_requests) == before  # refused locally, nothing sent

        # Reading still works.
        page = await client.search_invoices(limit=1)
        assert len(page.items) == 1


async def test_read_only_hides_keys_that_change_data(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url, force_readonly=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        screen = DeletingScreen()
        await app.push_screen(screen)
        await pilot.pause()
        assert "d" not in screen.active_bindings
        await pilot.press("d")
        await pilot.pause()
        assert screen.deleted == 0
        # Pressed all the same, it says why nothing happens.
        assert notes(app) == ["Delete: not in a read-only session"]
        # The other keys still work on such a screen.
        assert "f4" in screen.active_bindings


async def test_writable_session_shows_keys_that_change_data(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        assert "READ-ONLY" not in header_text(app)
        screen = DeletingScreen()
        await app.push_screen(screen)
        await pilot.pause()
        assert "d" in screen.active_bindings
        assert screen.active_bindings["d"].enabled
        await pilot.press("d")
        await pilot.pause()
        assert screen.deleted == 1


# -- session expiry ---------------------------------------------------------------------------


async def test_expired_session_renews_silently_then_asks_for_the_password(
    start_sandbox: Callable[..., Any],
) -> None:
    sandbox = start_sandbox(token_ttl=2)
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        await pilot.press("f3")
        await pilot.pause()
        assert app.session is not None
        client = app.session.client

        def token_expired() -> bool:
            left = client.token_expires_in()
            return left is not None and left <= 0

        # 1. The token runs out: the next call signs in again by itself.
        await wait_until(pilot, token_expired, timeout=5, what="the token to expire")
        page = await client.search_invoices(limit=1)
        assert len(page.items) == 1
        assert client.signed_in
        assert "online" in header_text(app)

        # 2. The password changes behind the app's back: renewal fails, the user is asked.
        sandbox.conn.execute(
            "UPDATE users SET password = 'changed' WHERE username = ?", (DEMO_USERNAME,)
        )
        await wait_until(pilot, token_expired, timeout=5, what="the token to expire again")
        section = app.screen
        # As a section's worker that does not handle its errors would.
        worker = section.run_worker(client.search_invoices(limit=1), exit_on_error=False)
        await wait_until(
            pilot, lambda: isinstance(app.screen, ReloginModal), what="the re-login modal"
        )
        assert isinstance(worker.error, AuthError)
        assert not client.signed_in
        assert app.screen_stack[-2] is section  # over the screen the user was on
        assert "signed out" in header_text(app)
        modal = app.screen
        await wait_until(pilot, lambda: DEMO_USERNAME in texts(modal), what="the modal's text")

        app.screen.query_one("#password", Input).focus()
        await pilot.press(*"changed", "enter")
        await wait_until(
            pilot, lambda: not isinstance(app.screen, ReloginModal), what="the modal to close"
        )
        await pilot.pause()
        assert app.screen is section
        assert app.current_mode == "customers"
        assert client.signed_in
        assert app.connection_state == "online"
        assert "online" in header_text(app)
        assert any("Signed in again" in n for n in notes(app))
        assert len((await client.search_invoices(limit=1)).items) == 1


async def test_relogin_with_a_wrong_password_keeps_asking(
    start_sandbox: Callable[..., Any],
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        assert app.session is not None
        app.session.client.logout()  # as after a refused renewal
        app.report_error(AuthError("Not signed in", status_code=401))
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ReloginModal)

        modal.query_one("#password", Input).focus()
        await pilot.press(*"nope", "enter")
        await wait_until(
            pilot,
            lambda: "attempt" in str(modal.query_one("#relogin-error", Static).render()),
            what="the refusal",
        )
        assert app.screen is modal
        assert app.is_running


async def test_giving_up_on_relogin_returns_to_the_sign_in_screen(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        assert app.session is not None
        app.session.client.logout()
        app.report_error(AuthError("Not signed in", status_code=401))
        await pilot.pause()
        assert isinstance(app.screen, ReloginModal)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, LoginScreen)
        assert app.session is None
        assert "Sign in" in header_text(app)
        # Section keys do nothing until signing in again; a fresh sign-in form is shown.
        await pilot.press("f4")
        assert isinstance(app.screen, LoginScreen)
        assert app.screen.query_one("#username", Input).value == DEMO_USERNAME
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: app.current_mode == LANDING_SECTION, what="the landing section again"
        )


# -- report_error ---------------------------------------------------------------------------


async def test_network_error_marks_the_header_unreachable(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        error = NetworkError(
            "Could not connect to api.example: refused. Nothing was sent, so nothing changed.",
            may_have_reached_server=False,
        )
        app.report_error(error)
        await pilot.pause()
        assert "unreachable" in header_text(app)
        assert "online" not in header_text(app)
        toasts = list(app._notifications)
        assert [n.message for n in toasts] == [str(error)]
        assert toasts[0].severity == "error"
        assert toasts[0].title == "Connection problem"
        assert app.current_mode == LANDING_SECTION
        assert not isinstance(app.screen, ErrorModal)


async def test_unexpected_error_opens_details_that_can_be_copied(
    monkeypatch: pytest.MonkeyPatch, sandbox: RunningSandbox
) -> None:
    copied: list[str] = []
    app = build_app(sandbox.url)
    monkeypatch.setattr(app, "copy_to_clipboard", copied.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        app.report_error(RuntimeError("the widget fell over at row 7"))
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, ErrorModal)
        body = texts(modal)
        assert "the widget fell over at row 7" in body
        assert "RuntimeError" in body

        await pilot.press("c")
        await pilot.pause()
        assert copied == ["the widget fell over at row 7"]
        assert any("copied" in n for n in notes(app))

        await pilot.press("escape")
        await pilot.pause()
        assert app.current_mode == LANDING_SECTION
        assert isinstance(app.screen, SectionScreen)
        assert app.is_running


async def test_server_text_with_markup_is_shown_literally(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await sign_in(pilot)
        raw = "[bold]x[/] is not a valid [link=http://evil]GSTIN[/link]"
        app.report_error(ApiError(raw, status_code=400, error_type="VALIDATION_ERROR"))
        await pilot.pause()
        (note,) = list(app._notifications)
        assert note.message == raw
        assert note.markup is False
        assert note.title == "Invalid input"

        # ... and the toast on screen carries the brackets as typed.
        def toasts() -> list[str]:
            return [str(widget.render()) for widget in app.screen.query("Toast")]

        await wait_until(pilot, lambda: bool(toasts()), what="the toast")
        assert any(raw in text for text in toasts()), toasts()


async def test_last_error_is_one_command_away(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        await sign_in(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Show last error" not in titles
        app.report_error(ApiError("Customer KC1 is inactive", status_code=422))
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Show last error" in commands
        commands["Show last error"].callback()
        await pilot.pause()
        assert isinstance(app.screen, ErrorModal)
        assert "Customer KC1 is inactive" in texts(app.screen)


async def test_a_dialog_at_80x24_lists_its_own_keys_then_help_and_quit(
    sandbox: RunningSandbox,
) -> None:
    """The bottom line under a dialog is the dialog's: its keys, then F1 Help and F10 Quit in
    full at the right end (the section's keys showed there, cut before Help and Quit); F1 opens
    the help from inside it."""
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        section = await open_invoices(pilot)
        await wait_until(pilot, lambda: section.rows.total is not None, what="the first page")
        for key in ("n", "f", "E", "o"):  # new invoice, filter, export, sort
            await pilot.press(key)
            await wait_until(pilot, lambda: app.screen is not section, what=f"{key}'s dialog")
            await wait_until(
                pilot,
                lambda: screen_lines(app)[-1].rstrip().endswith("F1 Help  F10 Quit"),
                what=f"{key}'s dialog footer",
            )
            bottom = screen_lines(app)[-1]
            assert bottom.rstrip().endswith("F1 Help  F10 Quit"), (key, bottom)
            assert "esc" in bottom and "Filter" not in bottom and "Mark" not in bottom, bottom
            dialog = app.screen
            await pilot.press("f1")
            await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
            await pilot.press("escape")
            await wait_until(pilot, lambda dialog=dialog: app.screen is dialog, what="the dialog")
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is section, what="the list")
