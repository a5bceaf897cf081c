"""EnkashApp: the composition root. Sections as modes, global keys, session, error handling."""

from __future__ import annotations

import asyncio
import gc
import importlib
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual import events
from textual.actions import SkipAction
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.screen import Screen

from enkash_tui.config import Profile, Settings
from enkash_tui.local.locations import asset
from enkash_tui.local.state import LocalState
from enkash_tui.session import Session
from screens.base import SectionScreen
from screens.hangup import exit_on_hangup
from screens.heap import key_pressed
from screens.help import HelpScreen, live_keys
from screens.host import Host
from screens.login import LoginScreen
from screens.modals import ConfirmModal, ErrorModal, ReloginModal
from screens.sandbox_notice import tell_when_ready
from screens.sections import SECTIONS, Place, Section
from screens.waiting import call_owner, calls_from, stop, waited_for, waiting_words

if TYPE_CHECKING:
    from enkash_tui.sandbox.starter import SandboxProcess
    from enkash_tui.session import FollowUpFigures


def _section_screen(section: Section) -> Callable[[], Screen[None]]:
    def make() -> Screen[None]:
        # Imported on first visit: keeps the models and big widgets off the start-up path.
        module_name, class_name = section.screen.split(":")
        module = importlib.import_module(module_name)
        screen: Screen[None] = getattr(module, class_name)(section)
        return screen

    return make


LANDING_SECTION = "home"  # where signing in lands
QUIT_QUESTION = "Quit with unsaved edits?"


class EnkashApp(App[None]):
    TITLE = "EnKash AR"
    CSS_PATH = str(asset("enkash.tcss"))
    MODES = {section.mode: _section_screen(section) for section in SECTIONS}
    BINDINGS = [
        # Sections stay out of the footer (it would not fit 80 columns); F1 lists them.
        *(
            Binding(s.key, f"section('{s.mode}')", s.title, show=False, id=f"section.{s.mode}")
            for s in SECTIONS
        ),
        Binding("f1,question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit_app", "Quit", id="app.quit"),
        # F10 (and Ctrl+Q, Textual's own) quit from anywhere, forms and dialogs included: a
        # priority binding, because a modal screen hides the app's ordinary ones.
        Binding("f10", "quit_app", "Quit", show=False, priority=True, id="app.quit_anywhere"),
        Binding(
            "ctrl+p", "command_palette", "Commands", show=False, priority=True, id="app.commands"
        ),
        # Not priority: a field that takes text keeps its ":".
        Binding("colon", "command_palette", "Commands", show=False, key_display=":", id="app.find"),
        Binding("ctrl+l", "action_log", "Action log", show=False, id="app.action_log"),
        # Before any screen's own Esc, but only while a long call is on its way (else skipped).
        Binding(
            "escape",
            "stop_waiting",
            "Stop waiting for EnKash",
            show=False,
            priority=True,
            id="app.stop_waiting",
        ),
    ]

    # The palette also finds invoices and customers on EnKash (loaded when it first opens).
    COMMANDS = App.COMMANDS | {lambda: importlib.import_module("screens.find").FindProvider}

    connection_state: reactive[str] = reactive("signed-out")
    # "waiting for EnKash 3 s · esc stops" while a long call from this screen is on its way.
    waiting: reactive[str] = reactive("")

    def __init__(
        self,
        settings: Settings,
        profiles: dict[str, Profile],
        *,
        selected_profile: str,
        prefill: dict[str, dict[str, str]] | None = None,
        force_readonly: bool = False,
        state: LocalState | None = None,
        remember: bool = True,
        local_sandbox: SandboxProcess | None = None,
    ) -> None:
        super().__init__()
        # ``--sandbox``: started once the sign-in screen is up; signing in waits for it.
        self.local_sandbox = local_sandbox
        self.settings = settings
        self.profiles = profiles
        self.selected_profile = selected_profile
        self.prefill = prefill or {}
        self.force_readonly = force_readonly
        self.state = state or LocalState()
        self.remember = remember
        self.session: Session | None = None
        self.first_followups: asyncio.Future[FollowUpFigures] | None = None  # Home takes it
        self.last_error: tuple[str, str] | None = None
        # After signing out, the sign-in screen comes back as a mode of its own (Textual cannot
        # switch back to the default mode, which shows it first).
        self._modes["login"] = self._login_screen

    def _login_screen(self) -> LoginScreen:
        return LoginScreen(self.profiles, self.selected_profile, self.prefill)

    def get_default_screen(self) -> Screen[None]:
        # Not a MODES entry: a mode's first screen costs a full CSS refresh, a third of
        # start-up time, and the sign-in screen is what must paint fastest.
        return self._login_screen()

    def on_mount(self) -> None:
        # Setting the theme restyles every widget: only do it when it changes anything.
        if self.settings.theme != self.theme and self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)
        exit_on_hangup(self)
        # Off the UI thread: the sign-in screen paints first.
        self.run_worker(self._settle_action_log, thread=True, exit_on_error=False)
        self.set_interval(0.5, self._watch_waiting)
        if self.local_sandbox is not None:  # started once the first frame is painted
            tell_when_ready(self, self.local_sandbox)

    def first_frame_painted(self) -> None:
        """The sign-in screen is on the terminal: what waited for that starts now (again after a
        sign-out does nothing)."""
        gc.enable()  # the launcher held collections off while the app loaded
        if self.local_sandbox is not None:
            self.local_sandbox.start()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            key_pressed(self)  # the heap is tidied only once keys are quiet
        await super().on_event(event)

    def _settle_action_log(self) -> None:
        """Changes a killed run left pending are unknown now: say so once, at start."""
        from enkash_tui.local.action_log import ActionLog
        from enkash_tui.local.log_entries import interrupted_notice

        try:
            settled = ActionLog().settle()
        except OSError as error:
            self.call_from_thread(self._action_log_failed, error)
            return
        if settled:
            self.call_from_thread(
                self.notify,
                interrupted_notice(settled),
                title="Outcome unknown",
                severity="warning",
                timeout=60,
                markup=False,
            )

    # -- session -------------------------------------------------------------------------------

    async def begin_session(self, session: Session) -> None:
        """Called by the login screen once signed in."""
        self.session = session
        self.connection_state = "online"
        # The header follows every call: unreachable after a transport failure, online again
        # as soon as EnKash answers anything.
        session.client.on_connection_change = self._connection_changed
        # Each call knows the worker it runs in, so Esc stops only what this screen waits for.
        session.client.call_owner = call_owner
        # Every change the session makes goes into the local action log (ctrl+l shows it),
        # before it is sent and again once it ends.
        from enkash_tui.local.action_log import ActionLog

        ActionLog().attach(
            session.client,
            session.profile.name,
            session.username,
            on_error=self._action_log_failed,
        )
        if self.remember:
            self.state.last_profile = session.profile.name
            self.state.last_username = session.username
            try:
                self.state.save()
            except OSError as error:
                self.notify(f"Could not remember the profile: {error}", severity="warning")
        # Sign-in lands on the Home worklist; its follow-up tiles are asked for first, so that
        # EnKash works on them while Home is drawn.
        self.first_followups = asyncio.ensure_future(session.followup_figures())
        await self.switch_mode(LANDING_SECTION)

    def _connection_changed(self, reachable: bool) -> None:
        if self.session is not None and self.session.client.signed_in:
            self.connection_state = "online" if reachable else "offline"

    def _action_log_failed(self, error: OSError) -> None:
        self.notify(f"Could not write the action log: {error}", severity="warning", markup=False)

    async def sign_out(self) -> None:
        """Close the session and show the sign-in screen again."""
        if self.session is not None:
            self.session.client.on_call_record = None
            self.session.client.on_call_start = None
            await self.session.close()
        self.session = None
        if self.first_followups is not None:
            self.first_followups.cancel()
            self.first_followups = None
        self.connection_state = "signed-out"
        await self.switch_mode("login")

    async def on_unmount(self) -> None:
        if self.session is not None:
            await self.session.close()

    # -- actions -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop_waiting":  # else Esc (and F1, the footer) is the screen's own
            return bool(waited_for(self.session, self.screen))
        # Sections have nothing to show before signing in.
        return not (action == "section" and self.session is None)

    async def action_section(self, mode: str) -> None:
        if self.current_mode != mode:
            await self.switch_mode(mode)

    async def open_section(self, place: Place) -> None:
        """Switch to the section ``place`` belongs to and show it there."""
        await self.action_section(place.mode)
        screen = self.screen
        if isinstance(screen, SectionScreen):
            screen.show(place)

    def _watch_waiting(self) -> None:
        stack = self._screen_stacks.get(self._current_mode)
        if not stack:  # a section switch in progress: its first screen is not pushed yet
            return
        words = waiting_words(waited_for(self.session, stack[-1]))
        if bool(words) != bool(self.waiting):
            self.refresh_bindings()  # Esc changes hands
        self.waiting = words

    def action_stop_waiting(self) -> None:
        if not waited_for(self.session, self.screen):
            raise SkipAction()  # Esc does what it does on this screen
        # Every call the screen waits on, the younger ones too: one Esc, nothing left waiting.
        calls = calls_from(self.session, self.screen)
        self.notify(stop(calls), title="Stopped", severity="warning", timeout=8)
        self.waiting = ""
        self.refresh_bindings()

    def action_action_log(self) -> None:
        from screens.action_log import ActionLogScreen

        if not any(isinstance(screen, ActionLogScreen) for screen in self.screen_stack):
            self.push_screen(ActionLogScreen())

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(live_keys(self.screen)))

    def unsaved_screens(self) -> list[Screen[object]]:
        """Screens (sections or open forms) holding edits a quit would lose."""
        screens: Iterable[Screen[object]] = (
            screen for stack in self._screen_stacks.values() for screen in stack
        )
        return [s for s in screens if getattr(s, "dirty", False)]

    async def action_quit(self) -> None:
        # Ctrl+Q and the palette's "Quit" come here: they ask about unsaved edits too.
        self.action_quit_app()

    def action_quit_app(self) -> None:
        if any(
            isinstance(s, ConfirmModal) and s.title_text == QUIT_QUESTION for s in self.screen_stack
        ):
            return  # already asking (perhaps beneath the help opened over the question)
        dirty = self.unsaved_screens()
        if not dirty:
            self.exit()
            return
        names = ", ".join(
            s.section.title if isinstance(s, SectionScreen) else (s.title or "a form")
            for s in dirty
        )
        self.push_screen(
            ConfirmModal(
                QUIT_QUESTION,
                f"Unsaved edits in {names} will be lost.",
                yes="Quit",
                no="Stay",
            ),
            lambda quit_anyway: self.exit() if quit_anyway else None,
        )

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        if self.session is not None:
            for section in SECTIONS:
                yield SystemCommand(
                    f"Go to {section.title}",
                    section.purpose,
                    partial(self.run_action, f"section('{section.mode}')"),
                )
        for active in screen.active_bindings.values():
            binding = active.binding
            if active.enabled and binding.description and active.node is not self:
                yield SystemCommand(
                    f"{binding.description}",
                    f"Key: {binding.key_display or binding.key}",
                    partial(self.run_action, binding.action, active.node),
                )
        if self.last_error is not None:
            yield SystemCommand(
                "Show last error", "Details of the last error, with copy", self.show_last_error
            )
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":  # an SVG could catch a revealed secret
                yield command

    # -- errors --------------------------------------------------------------------------------

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Notifications carry customer names, typed text and server messages: never read them
        as markup ("[bold]x" is shown as typed), whatever the caller asked."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def report_error(self, error: BaseException) -> None:
        """The one place unhandled worker errors become something the user sees."""
        from enkash_tui.api import AuthError, CallStoppedError, EnkashError, NetworkError

        if isinstance(error, CallStoppedError):
            return  # the user stopped it and was told what that means (action_stop_waiting)
        if isinstance(error, AuthError) and self.session and not self.session.client.signed_in:
            self.connection_state = "signed-out"
            self.push_screen(ReloginModal(), self._after_relogin)
            return
        title = getattr(error, "title", None) or type(error).__name__
        message = str(error) or type(error).__name__
        if isinstance(error, NetworkError):
            self.connection_state = "offline"
        self.last_error = (title, message)
        if isinstance(error, EnkashError):
            self.notify(message, title=title, severity="error", markup=False, timeout=8)
        else:  # a bug: say so plainly, with details one key away
            self.push_screen(ErrorModal(f"Unexpected error: {title}", message))

    def show_last_error(self) -> None:
        if self.last_error:
            self.push_screen(ErrorModal(*self.last_error))

    async def _after_relogin(self, signed_in: bool | None) -> None:
        if signed_in:
            self.connection_state = "online"
            self.notify("Signed in again. Carry on.", timeout=4)
        else:
            await self.sign_out()
            self.notify("Signed out: the session expired.", timeout=6)


if TYPE_CHECKING:
    # Screens see the app as a Host (screens/host.py): mypy checks that it is one.
    _host: type[Host] = EnkashApp
