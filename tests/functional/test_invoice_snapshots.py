"""What the Invoices screen looks like, on a sandbox seeded for a pinned "today".

The seed and the clock are both pinned, so days overdue, aging colours and the rows themselves are
the same on every run, whatever the date.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot

from screens.app import EnkashApp
from tests.support.driving import open_invoices, wait_until

pytestmark = pytest.mark.dates

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("preset", ["2", "7"])
def test_invoice_list(
    snap_compare: Callable[..., bool], pinned_app: EnkashApp, size: tuple[int, int], preset: str
) -> None:
    async def on_invoices(pilot: Pilot[Any]) -> None:
        screen = await open_invoices(pilot)
        await pilot.press(preset)
        await wait_until(pilot, lambda: screen.rows.total is not None, what="the first page")
        await pilot.pause(0.3)  # the detail pane follows a resting cursor

    assert snap_compare(pinned_app, terminal_size=size, run_before=on_invoices)
