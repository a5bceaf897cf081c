"""What the Bharat Connect section looks like: the payment confirmation queue with the cursor on
its first invoice (and the network detail beside it when there is room), and the payment
confirmation modal, on a sandbox seeded for a pinned "today"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from screens.app import EnkashApp
from screens.bharat_connect.actions import PaymentConfirm
from screens.bharat_connect.screen import BharatConnectScreen
from tests.support.driving import sign_in, wait_until
from tests.support.screen_text import text_of

pytestmark = pytest.mark.dates

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def open_queue_1(pilot: Pilot[Any]) -> BharatConnectScreen:
    await sign_in(pilot)
    await pilot.press("f6")
    screen = pilot.app.screen
    assert isinstance(screen, BharatConnectScreen)
    await wait_until(
        pilot,
        lambda: screen.loaded_at is not None and None not in screen.counts.values(),
        what="the queues and queue 1",
    )
    # The pinned clock stands still, so the summary's age is the same however slow the run.
    assert "updated 0 s ago" in text_of(screen.query_one("#bc-summary", Static))
    first = screen.table.current
    assert screen.table.cursor == 0 and first is not None
    if screen.query_one("#bc-detail").display:  # 110 columns and up
        pane = screen.query_one("#bc-detail-text", Static)
        await wait_until(
            pilot,
            lambda: (first.invoice_number or first.invoice_id) in text_of(pane),
            what="the first invoice's detail",
        )
    return screen


@pytest.mark.parametrize("size", SIZES)
def test_the_payment_confirmation_queue(
    snap_compare: Callable[..., bool], pinned_app: EnkashApp, size: tuple[int, int]
) -> None:
    async def on_queue(pilot: Pilot[Any]) -> None:
        await open_queue_1(pilot)

    assert snap_compare(pinned_app, terminal_size=size, run_before=on_queue)


@pytest.mark.parametrize("size", SIZES)
def test_the_payment_confirmation_modal(
    snap_compare: Callable[..., bool], pinned_app: EnkashApp, size: tuple[int, int]
) -> None:
    async def on_modal(pilot: Pilot[Any]) -> None:
        await open_queue_1(pilot)
        await pilot.press("c")
        await wait_until(
            pilot, lambda: isinstance(pilot.app.screen, PaymentConfirm), what="the modal"
        )
        await pilot.pause()

    assert snap_compare(pinned_app, terminal_size=size, run_before=on_modal)
