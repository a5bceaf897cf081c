"""The sign-in screen: pick a profile, check what was typed, sign in through EnkashClient.login.

Errors land next to the field they concern, in plain words; the form keeps what was typed.
Secrets stay in the inputs' memory only. Esc while signing in stops waiting for EnKash and keeps
the form as it is (every call also ends by itself within the profile's deadline).
"""

from __future__ import annotations

import asyncio
import gc
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from enkash_tui.config import Profile, ProfileError
from enkash_tui.session import Session
from screens.host import Host, host
from screens.widgets.form_controls import FormCheckbox
from screens.widgets.key_footer import KeyFooter
from screens.widgets.secret_input import SecretInput
from screens.widgets.session_header import SessionHeader

if TYPE_CHECKING:
    from enkash_tui.api import EnkashError

FIELDS = ("base_url", "client_id", "client_secret", "username", "password")
LABELS = {
    "base_url": "Base URL",
    "client_id": "Client id",
    "client_secret": "Client secret",
    "username": "Username",
    "password": "Password",
}
SECRET_FIELDS = ("client_secret", "password")


def _load_service_layer() -> None:
    from enkash_tui.api.client import default_tls_context

    default_tls_context()
    import screens.home.screen
    import screens.invoices.screen  # noqa: F401  (the heaviest section: its first visit is quicker)

    # What is loaded by now lives as long as the app: out of the collector's full passes, which
    # would otherwise walk it all and hold up signing in by a quarter of a second, now and then.
    # Once a process: a frozen cycle is never freed once dead (a test process runs many apps).
    if not gc.get_freeze_count():
        gc.collect()
        gc.freeze()


class LoginScreen(Screen[None]):
    BINDINGS = [
        Binding("ctrl+r", "toggle_secrets", "Show/hide secrets", id="login.reveal"),
        # Enter signs in from anywhere on the form: a field submits itself, and the Show
        # secrets box toggles on space only (form_controls), leaving Enter to this.
        Binding("enter", "sign_in_now", "Sign in", show=False, id="login.sign_in"),
        Binding(
            "escape",
            "cancel_or_clear",
            "Cancel sign-in / clear errors",
            show=False,
            id="login.clear",
        ),
    ]

    def __init__(
        self,
        profiles: dict[str, Profile],
        selected: str,
        prefill: dict[str, dict[str, str]],
    ) -> None:
        super().__init__(name="login")
        self.profiles = profiles
        self.selected = selected if selected in profiles else next(iter(profiles))
        self.prefill = prefill
        # True only while waiting for EnKash's answer to the sign-in (Esc cancels then).
        self.signing_in = False
        self._cancel_asked = False
        self.form_ready = False  # the real fields have replaced the first frame's picture
        self._sign_in_asked = False
        self._typed_ahead = False  # keys typed before the fields were there (they are lost)

    @property
    def enkash(self) -> Host:
        return host(self)

    def compose(self) -> ComposeResult:
        yield SessionHeader("Sign in")
        with Center(), Vertical(id="login-form"):
            yield Static("Sign in to EnKash Accounts Receivable", classes="title")
            # The first frame shows the form as one picture: a few widgets paint several times
            # sooner than the form's thirty. The real fields take its place right after the
            # first paint (_build_form); Enter typed before then signs in once they are there.
            yield Static(self._picture(), id="login-picture")

    def on_mount(self) -> None:
        self.call_after_refresh(self._build_form)

    def _values(self, profile_name: str) -> dict[str, str]:
        """What the form shows for a profile; secrets only where the launcher supplied them."""
        profile = self.profiles[profile_name]
        values = {
            "base_url": profile.base_url,
            "client_id": profile.client_id,
            "username": profile.username or "",
            "client_secret": "",
            "password": "",
        }
        values.update(self.prefill.get(profile_name, {}))
        return values

    def _picture(self) -> Text:
        """The form as it will look, as text: labels, values, secrets masked, the two controls."""
        values = self._values(self.selected)
        shown = [("Profile", self.selected)] + [
            (LABELS[name], "•" * len(values[name]) if name in SECRET_FIELDS else values[name])
            for name in FIELDS
        ]
        picture = Text(no_wrap=True, overflow="ellipsis")
        for label, value in shown:
            picture.append(f"{label:<16}", style="dim").append(f"{value}\n")
        picture.append(f"{'':<16}▐ ▌ Show secrets (ctrl+r)\n")
        return picture.append(f"{'':<16}").append(f"{'Sign in':^15}", style="bold reverse")

    def _fields(self) -> list[Widget]:
        """The real form, row by row, as it replaces the picture (the profile picker follows)."""
        profile = Static(self.selected, id="profile-placeholder", markup=False)
        rows: list[Widget] = [
            Horizontal(Label("Profile", classes="label"), profile, classes="row", id="profile-row")
        ]
        for name in FIELDS:
            secret = name in SECRET_FIELDS
            kind = SecretInput if secret else Input
            box = kind(password=secret, compact=True, id=name, select_on_focus=False)
            rows.append(Horizontal(Label(LABELS[name], classes="label"), box, classes="row"))
            rows.append(Static("", id=f"{name}-error", classes="field-error", markup=False))
        reveal = FormCheckbox("Show secrets (ctrl+r)", id="reveal", compact=True)
        button = Button("Sign in", id="sign-in", variant="primary", compact=True)
        for control in (reveal, button):
            rows.append(Horizontal(Label("", classes="label"), control, classes="row"))
        rows.append(Static("", id="status", classes="empty", markup=False))
        return rows

    async def _build_form(self) -> None:
        if getattr(self.app, "_exit", False):
            return  # quit on the very first frame (typed ahead): nothing more to build
        self.enkash.first_frame_painted()
        picture = self.query_one("#login-picture")
        with self.app.batch_update():
            await self.query_one("#login-form").mount_all(self._fields(), before=picture)
            await picture.remove()
            await self.mount(KeyFooter())  # the keys it lists work from now on
        self._fill(self.selected)
        first_empty = next((f for f in FIELDS if not self.query_one(f"#{f}", Input).value), None)
        self.query_one(f"#{first_empty}" if first_empty else "#sign-in").focus()
        self.form_ready = True
        if self._typed_ahead:
            self.notify("Typed before the form was ready: type it again", timeout=5)
        elif self._sign_in_asked:
            self.action_sign_in_now()
        self.call_after_refresh(self._add_profile_picker)

    async def _add_profile_picker(self) -> None:
        # The Select costs as much as the rest of the form: it comes last, in place of the
        # profile's name drawn as text.
        if getattr(self.app, "_exit", False) or not self.is_attached:
            return
        picker: Select[str] = Select(
            [(name, name) for name in self.profiles],
            value=self.selected,
            allow_blank=False,
            compact=True,
            id="profile",
        )
        await self.query_one("#profile-row").mount(picker)
        await self.query_one("#profile-placeholder").remove()
        # Load the service layer while the user reads the form, so signing in starts at once.
        self.set_timer(0.2, lambda: self.run_worker(_load_service_layer, thread=True))

    def on_key(self, event: events.Key) -> None:
        if not self.form_ready and event.is_printable:
            # Typed ahead of the fields, the text has nowhere to go: an Enter typed with it
            # must not sign in without it.
            self._sign_in_asked = False
            self._typed_ahead = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Until the fields are there only Enter means anything (it is remembered).
        return self.form_ready or action == "sign_in_now"

    def _fill(self, profile_name: str) -> None:
        """Show a profile's settings; secrets only where the launcher supplied them."""
        values = self._values(profile_name)
        for name in FIELDS:
            self.query_one(f"#{name}", Input).value = values[name]
        self.action_clear_errors()

    @on(Select.Changed, "#profile")
    def _profile_changed(self, event: Select.Changed) -> None:
        # The picker says "changed" once as it mounts, just after the first paint: the form
        # already shows that profile, and what was typed (or is under way) since stays.
        if event.value == self.selected:
            return
        if isinstance(event.value, str) and event.value in self.profiles:
            self.selected = event.value
            self._fill(event.value)

    @on(Checkbox.Changed, "#reveal")
    def _reveal_changed(self, event: Checkbox.Changed) -> None:
        for name in SECRET_FIELDS:
            self.query_one(f"#{name}", Input).password = not event.value

    def action_toggle_secrets(self) -> None:
        box = self.query_one("#reveal", Checkbox)
        box.value = not box.value

    def action_cancel_or_clear(self) -> None:
        if self.signing_in:
            self._cancel_asked = True
            self.workers.cancel_group(self, "login")
        else:
            self.action_clear_errors()

    def action_clear_errors(self) -> None:
        for name in FIELDS:
            self.set_error(name, "")
        self.set_status("")

    def set_status(self, message: str) -> None:
        status = self.query_one("#status", Static)
        status.update(message)
        status.set_class(not message, "empty")

    def set_error(self, field: str, message: str) -> None:
        widget = self.query_one(f"#{field}-error", Static)
        widget.update(message)
        widget.set_class(bool(message), "shown")

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value.strip()

    def action_sign_in_now(self) -> None:
        if not self.form_ready:
            self._sign_in_asked = not self._typed_ahead  # sign in once the form is built
        elif not self.signing_in:
            self._submit()

    @on(Input.Submitted)
    @on(Button.Pressed, "#sign-in")
    def _submit(self) -> None:
        self.action_clear_errors()
        missing = [f for f in FIELDS if not self._value(f)]
        for field in missing:
            self.set_error(field, f"{LABELS[field]} is required")
        if missing:
            self.query_one(f"#{missing[0]}").focus()
            return
        profile = self._profile_from_form()
        if profile is not None:
            self.sign_in(profile)

    def _profile_from_form(self) -> Profile | None:
        try:
            return self.profiles[self.selected].with_changes(
                base_url=self._value("base_url"),
                client_id=self._value("client_id"),
                username=self._value("username"),
            )
        except ProfileError as error:
            field = error.field if error.field in FIELDS else "base_url"
            self.set_error(field, f"{LABELS[field]}: {error.message}")
            self.query_one(f"#{field}").focus()
            return None

    def _busy(self, busy: bool, host: str = "") -> None:
        button = self.query_one("#sign-in", Button)
        button.disabled = busy
        button.label = "Signing in…" if busy else "Sign in"
        self.set_status(f"Signing in to {host}… (Esc cancels)" if busy else "")
        if not busy and self.app.focused is None:
            button.focus()  # disabling it took the focus: Enter signs in again from here

    @work(exclusive=True, exit_on_error=False, group="login")
    async def sign_in(self, profile: Profile) -> None:
        from pydantic import SecretStr

        from enkash_tui.api import EnkashError
        from enkash_tui.session import connect

        host = profile.base_url
        self._busy(True, host)
        self.signing_in, self._cancel_asked = True, False
        try:
            ready = await self._local_sandbox_ready(profile)
        except asyncio.CancelledError:
            self.signing_in = False
            if self._cancel_asked:  # Esc while the sandbox starts: the form stays as it was
                self._busy(False)
                self.set_status("Sign-in cancelled")
            raise
        if not ready:
            self.signing_in = False
            self._busy(False)
            return
        client = connect(
            profile, SecretStr(self._value("client_secret")), readonly=self.enkash.force_readonly
        )
        try:
            await client.login(
                self._value("username"), SecretStr(self.query_one("#password", Input).value)
            )
        except EnkashError as error:
            await client.aclose()
            self._busy(False)
            self.show_failure(error, host)
            return
        except asyncio.CancelledError:
            await client.aclose()
            if self._cancel_asked:  # Esc: everything typed stays as it was
                self._busy(False)
                self.set_status("Sign-in cancelled")
            raise
        except BaseException:
            await client.aclose()
            self._busy(False)
            raise
        finally:
            self.signing_in = False
        self._busy(False)
        session = Session(client, profile, self._value("username"))
        self.query_one("#password", Input).value = ""
        await self.enkash.begin_session(session)

    async def _local_sandbox_ready(self, profile: Profile) -> bool:
        """``--sandbox`` starts it behind this screen: wait for it (Esc cancels); False, said
        beside the address, when it could not start."""
        sandbox = self.enkash.local_sandbox
        if sandbox is None or profile.base_url != sandbox.url:
            return True
        if not sandbox.ready.is_set():
            self.set_status("Starting the sandbox… (Esc cancels)")
            while not sandbox.ready.is_set():
                await asyncio.sleep(0.05)
            self.set_status(f"Signing in to {sandbox.url}… (Esc cancels)")
        if sandbox.error:
            self.set_error("base_url", f"The sandbox did not start: {sandbox.error}")
            return False
        return True

    def show_failure(self, error: EnkashError, host: str) -> None:
        """Put the error next to the field it concerns, in plain words."""
        from enkash_tui.api import ApiError, AuthError, NetworkError

        message = str(error)
        if isinstance(error, AuthError):
            lowered = message.lower()
            field = "client_secret" if "client" in lowered else "password"
            self.set_error(field, message)
            self.query_one(f"#{field}").focus()
        elif isinstance(error, NetworkError):
            self.set_error("base_url", message)
        elif isinstance(error, ApiError):
            self.set_status(f"{error.title}: {message}")
        else:
            self.set_status(f"{error.title}: {message} — is {host} an EnKash API?")
