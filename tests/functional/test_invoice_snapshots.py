"""What the Invoices screen looks like, on a sandbox seeded for a pinned "today".

The seed and the screen's idea of today are both pinned, so days overdue, aging colours and the
rows themselves are the same on every run, whatever the date.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

import screens.invoice_view as invoice_view
from enkash_tui.app import EnkashApp
from enkash_tui.config import Settings
from enkash_tui.launch import available_profiles, initial_prefill
from screens.invoices import InvoicesScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("preset", ["2", "7"])
def test_invoice_list(
    snap_compare: Callable[..., bool],
    pinned_sandbox: Any,
    wait_until: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
    preset: str,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(invoice_view, "today", lambda: pinned_sandbox.today)
    profiles = available_profiles(Settings(), pinned_sandbox.url)
    app = EnkashApp(
        Settings(),
        profiles,
        selected_profile="Sandbox",
        prefill=initial_prefill(profiles),
        remember=False,
    )

    async def on_invoices(pilot: Pilot[Any]) -> None:
        await wait_until(pilot, lambda: bool(pilot.app.screen.query("#profile")), what="form")
        await pilot.press("enter")
        await wait_until(pilot, lambda: pilot.app.session is not None, what="signed in")
        await pilot.press("f4")
        await wait_until(
            pilot, lambda: isinstance(pilot.app.screen, InvoicesScreen), what="Invoices"
        )
        screen = pilot.app.screen
        assert isinstance(screen, InvoicesScreen)
        await pilot.press(preset)
        await wait_until(pilot, lambda: screen.rows.total is not None, what="the first page")
        await pilot.pause(0.3)  # the detail pane follows a resting cursor

    assert snap_compare(app, terminal_size=size, run_before=on_invoices)
