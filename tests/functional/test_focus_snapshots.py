"""Pictures of where the focus is and which boxes are ticked, in the themes and modes where colour
cannot tell them apart: ANSI dark and light, and NO_COLOR. The New invoice form at 80x24, the
cursor in Due date (its label reversed), "GST on top of base" ticked and the other boxes not;
then the payment dialog's choices (a radio set), its ACCEPT chosen and REJECT not."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, RadioSet

from enkash_tui import clock
from screens.bharat_connect.actions import PaymentConfirm
from screens.invoices.form import InvoiceForm
from tests.functional.test_bharat_connect_snapshots import open_queue_1
from tests.support.driving import build_app, open_invoices, wait_until
from tests.support.sandboxes import PINNED_TODAY, RunningSandbox

MODES = [
    pytest.param(("ansi-dark", False), id="ansi-dark"),
    pytest.param(("ansi-light", False), id="ansi-light"),
    pytest.param(("textual-dark", True), id="no-color"),
]


def app_in(mode: tuple[str, bool], sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch) -> Any:
    theme, no_color = mode
    if no_color:  # read as the app is made
        monkeypatch.setenv("NO_COLOR", "1")
    app = build_app(sandbox.url)
    app.settings.theme = theme
    return app


@pytest.mark.parametrize("mode", MODES)
def test_a_form_s_focus_and_ticks(
    snap_compare: Callable[..., bool],
    pinned_sandbox: RunningSandbox,
    monkeypatch: pytest.MonkeyPatch,
    mode: tuple[str, bool],
) -> None:
    async def on_form(pilot: Pilot[Any]) -> None:
        await open_invoices(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, InvoiceForm), what="form")
        form = pilot.app.screen
        form.query_one("#due_date", Input).focus()
        await pilot.pause(0.2)

    with clock.pinned(PINNED_TODAY, frozen=True):
        app = app_in(mode, pinned_sandbox, monkeypatch)
        assert snap_compare(app, terminal_size=(80, 24), run_before=on_form)


@pytest.mark.parametrize("mode", MODES)
def test_a_dialog_s_choices(
    snap_compare: Callable[..., bool],
    pinned_sandbox: RunningSandbox,
    monkeypatch: pytest.MonkeyPatch,
    mode: tuple[str, bool],
) -> None:
    async def on_dialog(pilot: Pilot[Any]) -> None:
        await open_queue_1(pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, PaymentConfirm), what="it")
        pilot.app.screen.query_one("#response", RadioSet).focus()
        await pilot.pause(0.2)

    with clock.pinned(PINNED_TODAY, frozen=True):
        app = app_in(mode, pinned_sandbox, monkeypatch)
        assert snap_compare(app, terminal_size=(80, 24), run_before=on_dialog)
