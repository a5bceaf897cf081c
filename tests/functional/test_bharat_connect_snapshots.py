"""What the Bharat Connect section looks like: the payment confirmation queue with the cursor on
its first invoice (and the network detail beside it when there is room), and the payment
confirmation modal, on a sandbox seeded for a pinned "today"."""

from __future__ import annotations

import io
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Static

import screens.bharat_connect as bharat_connect
import screens.invoice_view as invoice_view
from enkash_tui.app import EnkashApp
from enkash_tui.config import Settings
from enkash_tui.launch import available_profiles, initial_prefill
from screens.bc_actions import PaymentConfirm
from screens.bharat_connect import BharatConnectScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
# The screen's clock, frozen: see ``pinned_app``.
FROZEN_MONOTONIC = 1_000.0


@pytest.fixture
def pinned_app(pinned_sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> EnkashApp:
    monkeypatch.setattr(invoice_view, "today", lambda: pinned_sandbox.today)
    # The summary says "updated N s ago", N = monotonic() at drawing - monotonic() at loading.
    # The screen module's own ``time`` is replaced by a clock that never moves, so N is 0
    # however slow the run. Only that module's name is rebound: patching ``time.monotonic``
    # itself would stop asyncio's and Textual's clocks too (they read the same function).
    monkeypatch.setattr(bharat_connect, "time", SimpleNamespace(monotonic=lambda: FROZEN_MONOTONIC))
    profiles = available_profiles(Settings(), pinned_sandbox.url)
    return EnkashApp(
        Settings(),
        profiles,
        selected_profile="Sandbox",
        prefill=initial_prefill(profiles),
        remember=False,
    )


def text_of(widget: Static) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


async def open_queue_1(
    pilot: Pilot[Any], sign_in: Callable[..., Any], wait_until: Callable[..., Any]
) -> BharatConnectScreen:
    await wait_until(pilot, lambda: bool(pilot.app.screen.query("#profile")), what="form")
    await sign_in(pilot)
    await pilot.press("f6")
    screen = pilot.app.screen
    assert isinstance(screen, BharatConnectScreen)
    await wait_until(
        pilot,
        lambda: screen.loaded_at is not None and None not in screen.counts.values(),
        what="the queues and queue 1",
    )
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
    snap_compare: Callable[..., bool],
    pinned_app: EnkashApp,
    sign_in: Callable[..., Any],
    wait_until: Callable[..., Any],
    size: tuple[int, int],
) -> None:
    async def on_queue(pilot: Pilot[Any]) -> None:
        await open_queue_1(pilot, sign_in, wait_until)

    assert snap_compare(pinned_app, terminal_size=size, run_before=on_queue)


@pytest.mark.parametrize("size", SIZES)
def test_the_payment_confirmation_modal(
    snap_compare: Callable[..., bool],
    pinned_app: EnkashApp,
    sign_in: Callable[..., Any],
    wait_until: Callable[..., Any],
    size: tuple[int, int],
) -> None:
    async def on_modal(pilot: Pilot[Any]) -> None:
        await open_queue_1(pilot, sign_in, wait_until)
        await pilot.press("c")
        await wait_until(
            pilot, lambda: isinstance(pilot.app.screen, PaymentConfirm), what="the modal"
        )
        await pilot.pause()

    assert snap_compare(pinned_app, terminal_size=size, run_before=on_modal)
