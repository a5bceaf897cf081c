"""The full invoice filter form: checked input, errors by the field, the search applied."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label, Select, Static

from enkash_tui import clock
from enkash_tui.domain.invoice_filter import ANY, CHOICES, build_filter
from screens.invoices.filter import InvoiceFilterScreen
from screens.invoices.screen import InvoicesScreen
from tests.support.driving import build_app, open_invoices, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import requests_to, screen_lines, text_of

SEARCH_PATH = "/api/v0/invoice/search"


async def open_form(pilot: Pilot[Any]) -> InvoiceFilterScreen:
    await pilot.press("f")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, InvoiceFilterScreen)
    return form


async def test_a_bad_date_is_reported_next_to_its_field_and_nothing_is_searched(
    sent_requests: list[Any], sandbox: RunningSandbox
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_invoices(pilot)
        form = await open_form(pilot)
        searches_before = len(requests_to(sent_requests, SEARCH_PATH))
        form.query_one("#due_from", Input).value = "2026-13-01"
        form.query_one("#balance_to", Input).value = "lots"
        form.query_one("#due_from", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form  # still open, nothing lost
        error = str(form.query_one("#due_from-error", Static).render())
        assert "yyyy-mm-dd" in error
        assert form.query_one("#due_from", Input).value == "2026-13-01"
        assert form.focused is form.query_one("#due_from", Input)
        searches_after = len(requests_to(sent_requests, SEARCH_PATH))
        assert searches_after == searches_before


async def test_a_valid_filter_searches_and_every_row_matches_it(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 32)) as pilot:
        await open_invoices(pilot)
        screen = app.screen
        assert isinstance(screen, InvoicesScreen)
        form = await open_form(pilot)
        low, high = clock.today() - dt.timedelta(days=365), clock.today()
        form.query_one("#due_from", Input).value = low.isoformat()
        form.query_one("#due_to", Input).value = high.isoformat()
        form.query_one("#receivable", Select).value = "open"
        form.query_one("#due_from", Input).focus()
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: app.screen is screen and screen.rows.total is not None,
            what="the filtered search",
        )
        # The list's title says which filters are on.
        words = (
            f"due from {low.isoformat()} · due to {high.isoformat()} · Open (unpaid or partly paid)"
        )
        assert screen.query_spec.label == f"Filtered: {words}"
        assert words in text_of(screen.query_one("#summary", Static))
        rows = [row for _, row in screen.rows.loaded()]
        assert rows, "the sandbox should have open invoices due in the last year"
        for invoice in rows:
            assert invoice.due_date is not None and low <= invoice.due_date <= high
            assert invoice.receivable_status is not None
            assert invoice.receivable_status.name in ("UNPAID", "PARTIALLY_PAID")
        # Opening the form again shows what was searched.
        again = await open_form(pilot)
        assert again.query_one("#due_from", Input).value == low.isoformat()
        assert again.query_one("#receivable", Select).value == "open"
        # Every choice is shown on its label's line (the top margin of dialogs' selects had put
        # it on the line below, leaving blank-looking rows).
        for name in ("receivable", "approval", "dispatched", "created_via"):
            select = again.query_one(f"#{name}", Select)
            label = select.parent.query_one(Label)  # type: ignore[union-attr]
            assert select.region.y == label.region.y, name


@pytest.mark.parametrize("size", [(80, 24)], ids=["80x24"])  # the narrowest; wider, see above
async def test_each_choice_made_is_drawn_beside_its_label(
    sandbox: RunningSandbox, size: tuple[int, int]
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=size) as pilot:
        await open_invoices(pilot)
        form = await open_form(pilot)
        for name, options in CHOICES.items():
            # The longest choice of each: the one most likely to be cut or pushed off its line.
            text, value = max(options, key=lambda option: len(option[0]))
            select = form.query_one(f"#{name}", Select)
            assert select.value == ANY
            select.focus()
            await pilot.press("enter")  # the list of choices opens, "Any" highlighted
            await wait_until(pilot, lambda s=select: s.expanded, what=f"{name}'s choices")
            steps = [v for _, v in options].index(value)
            await pilot.press(*["down"] * steps, "enter")
            await wait_until(
                pilot,
                lambda s=select, v=value: s.value == v and not s.expanded,
                what=f"{text!r} chosen in {name}",
            )
            await pilot.pause()
            label = select.parent.query_one(Label)  # type: ignore[union-attr]
            caption = str(label.render())
            line = screen_lines(app)[label.region.y]
            assert caption in line, (name, line)
            beside = line[line.index(caption) + len(caption) :]
            assert text in beside, f"{name}: {text!r} is not on its label's line: {line!r}"


def test_build_filter_turns_the_form_into_the_documented_search_fields() -> None:
    filters = build_filter({
        "customer": "steel", "due_from": "2026-01-01", "due_to": "2026-01-31",
        "balance_from": "1,50,000", "approval": "pending", "dispatched": "no",
        "created_via": "BULK",
    })  # fmt: skip
    wire = filters.to_wire()
    assert wire["customerLegalName"] == "steel"
    assert wire["dueDateFrom"] == "2026-01-01 00:00:00"
    assert wire["dueDateTo"] == "2026-01-31 23:59:59"
    assert wire["balanceAmountFrom"] == 150000
    assert wire["dispatched"] is False
    assert wire["createdVia"] == "BULK"
    assert "MAKER_APPROVAL_PENDING" in wire["approvalStatuses"]


def test_a_range_that_ends_before_it_starts_names_its_end() -> None:
    from enkash_tui.domain.invoice_filter import FieldProblem

    try:
        build_filter({"balance_from": "500", "balance_to": "100"})
    except FieldProblem as problem:
        assert problem.field == "balance_to"
    else:
        raise AssertionError("a reversed range must be refused")
