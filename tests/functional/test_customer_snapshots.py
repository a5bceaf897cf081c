"""What the Customers section looks like: the list (with its detail at 120 columns) and the new
customer form holding problems, on a sandbox seeded for a pinned "today"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from screens.app import EnkashApp
from screens.customers.form import CustomerForm
from screens.widgets.form_rows import ContactRow
from tests.support.driving import open_customers, wait_until

pytestmark = pytest.mark.dates

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_customer_list(
    snap_compare: Callable[..., bool], pinned_app: EnkashApp, size: tuple[int, int]
) -> None:
    async def on_list(pilot: Pilot[Any]) -> None:
        screen = await open_customers(pilot)
        await pilot.press("down", "down")
        if size[0] >= 110:
            current = screen.table.current
            assert current is not None
            await wait_until(
                pilot, lambda: screen.detail_for == current.customer_id, what="the detail"
            )

    assert snap_compare(pinned_app, terminal_size=size, run_before=on_list)


@pytest.mark.parametrize("size", SIZES)
def test_new_customer_form_with_problems(
    snap_compare: Callable[..., bool], pinned_app: EnkashApp, size: tuple[int, int]
) -> None:
    async def on_form(pilot: Pilot[Any]) -> None:
        screen = await open_customers(pilot)
        await pilot.press("down")
        if size[0] >= 110:  # the detail behind the form: let it settle first
            current = screen.table.current
            await wait_until(
                pilot, lambda: screen.detail_for == current.customer_id, what="the detail"
            )
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CustomerForm), what="form")
        form = pilot.app.screen
        form.query_one("#customer-fields #legal_name", Input).value = "Kaveri Agro Foods LLP"
        form.query_one("#customer-fields #pin_code", Input).value = "0560"
        form.query_one(ContactRow).query_one("#mobile", Input).value = "98450"
        await pilot.pause()
        form.query_one(ContactRow).query_one("#mobile", Input).focus()
        await pilot.pause()

    assert snap_compare(pinned_app, terminal_size=size, run_before=on_form)
