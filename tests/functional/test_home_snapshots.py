"""What Home looks like after signing in: the worklist tiles, the follow-up tiles (an empty book),
the aging chart and the most overdue customers, on a sandbox seeded for a pinned "today"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.app import EnkashApp
from screens.home.followup_list import FollowUpTileView
from screens.home.screen import HomeScreen, TileView
from tests.support.driving import sign_in, wait_until

pytestmark = pytest.mark.dates

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_home(
    snap_compare: Callable[..., bool], pinned_app: EnkashApp, size: tuple[int, int]
) -> None:
    async def on_home(pilot: Pilot[Any]) -> None:
        await sign_in(pilot)
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen), what="Home")
        home = pilot.app.screen
        await wait_until(
            pilot,
            lambda: (
                all(t.found is not None for t in home.query(TileView))
                and all(t.figure is not None for t in home.query(FollowUpTileView))
                and home.aging is not None
                and home.aging.computed_at is not None
                and not home.computing
            ),
            what="tiles and aging",
        )
        await pilot.pause()

    assert snap_compare(pinned_app, terminal_size=size, run_before=on_home)
