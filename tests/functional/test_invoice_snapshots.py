"""What the Invoices screen looks like, on a sandbox seeded for a pinned "today".

The seed and the clock are both pinned, so days overdue, aging colours and the rows themselves are
the same on every run, whatever the date.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Checkbox, Input

from screens.app import EnkashApp
from screens.invoices.form import InvoiceForm
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


@pytest.mark.parametrize("size", SIZES)
def test_new_invoice_form_sent_on_bharat_connect(
    snap_compare: Callable[..., bool], pinned_app: EnkashApp, size: tuple[int, int]
) -> None:
    """Filled in, "Send on Bharat Connect" reached by Tab and ticked: at 80x24 the form scrolls
    the box out from under Save / Close."""

    async def on_form(pilot: Pilot[Any]) -> None:
        screen = await open_invoices(pilot)
        await wait_until(pilot, lambda: screen.rows.total is not None, what="the first page")
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, InvoiceForm), what="form")
        form = pilot.app.screen
        await wait_until(pilot, lambda: bool(form.query("#bharat_connect")), what="its fields")
        form.query_one("#invoice_number", Input).value = "INV/2026-27/0100"
        form.query_one("#due_date", Input).value = "2026-12-31"
        form.query_one("#base_amount", Input).value = "25,000"
        form.query_one("#dispatch_now", Checkbox).focus()
        await pilot.press("tab", "space")
        box = form.query_one("#bharat_connect", Checkbox)
        await wait_until(pilot, lambda: box.value and box.has_focus, what="the box ticked")
        await pilot.pause(0.3)  # the form's scroll out from under Save / Close
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(pinned_app, terminal_size=size, run_before=on_form)
