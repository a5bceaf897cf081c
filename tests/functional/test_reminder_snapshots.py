"""What the Reminders section looks like: a customer's rules beside the customer list, and the
preview of when they fire, on a sandbox seeded for a pinned "today"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from screens.app import EnkashApp
from screens.reminders.preview import ReminderPreview
from screens.reminders.screen import RemindersScreen
from tests.support.driving import open_reminders, wait_until
from tests.support.screen_text import text_of

pytestmark = pytest.mark.dates

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def open_busiest_customer(pilot: Pilot[Any]) -> RemindersScreen:
    screen: RemindersScreen = await open_reminders(pilot)
    # The customer with the most rules, so the list on the right is not empty.
    target = max(screen.cache.entries, key=lambda e: (len(screen.all_rules[e.customer_id])
                 if e.customer_id in screen.all_rules else 0, e.legal_name))  # fmt: skip
    screen.select_customer(target.customer_id)
    await wait_until(pilot, lambda: screen.shown_for == target.customer_id, what="their rules")
    return screen


@pytest.mark.parametrize("size", SIZES)
def test_a_customers_rules(
    snap_compare: Callable[..., bool], pinned_app: EnkashApp, size: tuple[int, int]
) -> None:
    async def on_rules(pilot: Pilot[Any]) -> None:
        await open_busiest_customer(pilot)

    assert snap_compare(pinned_app, terminal_size=size, run_before=on_rules)


@pytest.mark.parametrize("size", SIZES)
def test_the_preview_of_when_rules_fire(
    snap_compare: Callable[..., bool], pinned_app: EnkashApp, size: tuple[int, int]
) -> None:
    async def on_preview(pilot: Pilot[Any]) -> None:
        await open_busiest_customer(pilot)
        await pilot.press("p")
        await wait_until(
            pilot, lambda: isinstance(pilot.app.screen, ReminderPreview), what="the preview"
        )
        preview = pilot.app.screen
        timeline = preview.query_one("#preview-timeline", Static)
        # Loaded: the first invoice's dates are shown, or it says there is none (typing before
        # then would be overwritten by the first invoice's due date).
        await wait_until(
            pilot,
            lambda: preview.due is not None or "No open invoices" in text_of(timeline),
            what="the preview to load",
        )
        preview.query_one("#due", Input).value = "2026-12-10"
        await pilot.pause()
        preview.query_one("#due", Input).focus()
        # Focusing the invoice list on load scrolls the dialog when the page of dates was laid
        # out first and not when it came later (a race under load): the picture starts at the top.
        await pilot.wait_for_scheduled_animations()
        preview.query_one("#preview").scroll_home(animate=False)
        await pilot.pause()

    assert snap_compare(pinned_app, terminal_size=size, run_before=on_preview)
