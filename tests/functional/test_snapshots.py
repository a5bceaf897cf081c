"""What the sign-in screen and the shell look like, at the smallest and a roomy terminal size.

The Sandbox profile points at a fixed URL (never the random port of a test sandbox), and nothing
on these screens shows a clock, so the pictures are the same on every run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Footer

from screens.app import EnkashApp
from tests.support.driving import build_app, wait_until

FIXED_URL = "http://127.0.0.1:8765"
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


def fixed_url_app() -> EnkashApp:
    return build_app(FIXED_URL)


async def login_form_complete(pilot: Pilot[Any]) -> None:
    """The profile picker and the footer arrive just after the first paint: wait for both."""
    screen = pilot.app.screen
    await wait_until(
        pilot,
        lambda: bool(screen.query("#profile")) and bool(screen.query(Footer)),
        what="the complete sign-in form",
    )
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_login_screen(snap_compare: Callable[..., bool], size: tuple[int, int]) -> None:
    async def complete(pilot: Pilot[Any]) -> None:
        await login_form_complete(pilot)

    assert snap_compare(fixed_url_app(), terminal_size=size, run_before=complete)
