"""What Home looks like after signing in: the worklist tiles, the aging chart and the most
overdue customers, on a sandbox seeded for a pinned "today"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

import screens.invoice_view as invoice_view
from enkash_tui.aging import Aging
from enkash_tui.app import EnkashApp
from enkash_tui.config import Settings
from enkash_tui.launch import available_profiles, initial_prefill
from screens.home import HomeScreen, TileView

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_home(
    snap_compare: Callable[..., bool],
    pinned_sandbox: Any,
    wait_until: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
    size: tuple[int, int],
) -> None:
    monkeypatch.setattr(invoice_view, "today", lambda: pinned_sandbox.today)
    monkeypatch.setattr(Aging, "age", lambda self, now=None: 5.0)  # "computed 5 s ago"
    profiles = available_profiles(Settings(), pinned_sandbox.url)
    app = EnkashApp(
        Settings(), profiles, selected_profile="Sandbox", prefill=initial_prefill(profiles),
        remember=False,
    )  # fmt: skip

    async def on_home(pilot: Pilot[Any]) -> None:
        await wait_until(pilot, lambda: bool(pilot.app.screen.query("#profile")), what="form")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen), what="Home")
        home = pilot.app.screen
        await wait_until(
            pilot,
            lambda: (
                all(t.found is not None for t in home.query(TileView))
                and home.aging is not None
                and home.aging.computed_at is not None
                and not home.computing
            ),
            what="tiles and aging",
        )
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=on_home)
