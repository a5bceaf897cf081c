"""Small modal screens the shell needs: confirm, error details, and signing in again."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from screens.dialog import Dialog
from screens.host import Host, host
from screens.widgets.form_controls import ButtonBar
from screens.widgets.secret_input import SecretInput


class ConfirmModal(Dialog[bool]):
    """Yes / no. Escape and ``n`` say no."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, body: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.title_text, self.body, self.yes, self.no = title, body, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal"):
            yield Static(self.title_text, classes="title", markup=False)
            yield Static(self.body, markup=False)
            with ButtonBar(classes="buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="error", compact=True)
                yield Button(f"{self.no} (n)", id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no").focus()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class ErrorModal(Dialog[None]):
    """An error in full: title, message, request id; ``c`` copies it (OSC 52)."""

    BINDINGS = [
        Binding("c", "copy", "Copy details", id="error.copy"),
        Binding("escape,enter,q", "dismiss", "Close", id="error.close"),
    ]

    def __init__(self, title: str, details: str) -> None:
        super().__init__()
        self.title_text = title
        self.details = details

    def compose(self) -> ComposeResult:
        with Vertical(classes="modal error"):
            yield Static(self.title_text, classes="title", markup=False)
            yield Static(self.details, markup=False)
            yield Static("c copy · Enter/Esc close", classes="hint", markup=False)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.details)
        self.app.notify("Error details copied to the clipboard", timeout=3)


class ReloginModal(Dialog[bool]):
    """Shown over the current screen when the session cannot renew itself."""

    BINDINGS = [Binding("escape", "give_up", "Sign out", id="relogin.cancel")]

    @property
    def enkash(self) -> Host:
        return host(self)

    def compose(self) -> ComposeResult:
        session = self.enkash.session
        who = session.username if session else ""
        with Vertical(classes="modal"):
            yield Static("Session expired", classes="title", markup=False)
            yield Static(f"Sign in again as {who} to carry on where you were.", markup=False)
            yield SecretInput(password=True, placeholder="Password", id="password", compact=True)
            yield Static("", id="relogin-error", classes="field-error shown", markup=False)
            yield Static(
                "Enter sign in · Esc back to the sign-in screen", classes="hint", markup=False
            )

    @on(Input.Submitted)
    def _submit(self) -> None:
        self.sign_in(self.query_one(Input).value)

    @work(exclusive=True, exit_on_error=False)
    async def sign_in(self, password: str) -> None:
        from pydantic import SecretStr

        from enkash_tui.api import EnkashError

        session = self.enkash.session
        if session is None:
            self.dismiss(False)
            return
        error_line = self.query_one("#relogin-error", Static)
        error_line.update("Signing in…")
        try:
            await session.client.login(session.username, SecretStr(password))
        except EnkashError as error:
            error_line.update(str(error))
            return
        self.query_one(Input).value = ""
        self.dismiss(True)

    def action_give_up(self) -> None:
        self.dismiss(False)


def leave_asking(form: ModalScreen[Any], dirty: bool, question: str, detail: str) -> None:
    """Close ``form`` (dismissing None): at once when nothing typed would be lost, else once the
    user says to discard it."""
    if not dirty:
        form.dismiss(None)
        return

    def decided(discard: bool | None) -> None:
        if discard:
            form.dismiss(None)

    form.app.push_screen(ConfirmModal(question, detail, yes="Discard", no="Keep editing"), decided)
