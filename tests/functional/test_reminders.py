"""The Reminders section (F5), against real sandboxes: customers with their rule counts and the
cursor customer's rules, creating (bad then good), editing (only what changed is sent), deleting
with confirmation, the preview's dates checked against dates worked out by hand, applying rules
to many customers, the Customers section's ``m``, every rule at once, and a read-only session."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Input, OptionList, Static

from enkash_tui.api import EnkashClient
from enkash_tui.api.models import (
    CustomerUpdate,
    InvoiceFilter,
    KeyContactCreate,
    Reminder,
    ReminderCreate,
)
from enkash_tui.domain.invoices import OPEN
from screens.customers.screen import CustomersScreen
from screens.modals import ConfirmModal
from screens.reminders.bulk import BulkRules
from screens.reminders.form import RuleForm
from screens.reminders.preview import ReminderPreview
from screens.reminders.rule_list import ALL_RULE_COLUMNS, RULE_COLUMNS, RuleItem
from screens.reminders.screen import RemindersScreen
from screens.widgets.form_rows import RuleRow
from tests.support.clients import signed_in
from tests.support.driving import build_app, open_customers, open_reminders, wait_until
from tests.support.sandboxes import PINNED_TODAY, RunningSandbox
from tests.support.screen_text import drawn, flat, requests_to, text_of

REMINDER_PATH = "/api/v0/customer-reminder"
SIZE = (130, 44)


def rows_of(screen: RemindersScreen) -> list[RuleItem]:
    source = screen.rules.source
    return [row for row in (source.row(i) for i in range(source.count())) if row is not None]


def said(rule: Reminder) -> str:
    """The rule in words, worked out here rather than by ``describe``."""

    def days(n: int) -> str:
        return "1 day" if abs(n) == 1 else f"{abs(n)} days"

    offset = rule.due_date_difference or 0
    start = (
        "on the due date"
        if offset == 0
        else f"{days(offset)} {'before' if offset < 0 else 'after'} due"
    )
    if rule.reminder_type == "RECURRING":
        return f"every {days(rule.reminder_interval or 0)} from {start}"
    return start


async def show_customer(pilot: Pilot[Any], screen: RemindersScreen, customer_id: str) -> None:
    screen.select_customer(customer_id)
    await wait_until(
        pilot,
        lambda: (
            screen.customers.current is not None
            and screen.customers.current.customer_id == customer_id
            and screen.shown_for == customer_id
        ),
        what=f"the rules of {customer_id}",
    )


async def rules_match(
    pilot: Pilot[Any], screen: RemindersScreen, client: EnkashClient, customer_id: str
) -> list[Reminder]:
    """Wait until the right side lists exactly the server's rules for this customer."""
    server = await client.list_reminders(customer_id)
    wanted = [r.customer_reminder_id for r in server]
    await wait_until(
        pilot,
        lambda: (
            screen.shown_for == customer_id
            and [i.rule.customer_reminder_id for i in rows_of(screen)] == wanted
        ),
        what="the list to match the server",
    )
    return server


async def open_form(pilot: Pilot[Any], key: str) -> RuleForm:
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RuleForm), what="the rule form")
    form = pilot.app.screen
    assert isinstance(form, RuleForm)
    return form


def added(after: list[Reminder], before: list[Reminder]) -> list[Reminder]:
    known = {r.customer_reminder_id for r in before}
    return [r for r in after if r.customer_reminder_id not in known]


async def customers_with(client: EnkashClient) -> list[Any]:
    return [c async for c in client.iter_customers()]


# -- 1. the two lists ------------------------------------------------------------------------


async def test_customers_show_their_rule_counts_and_the_cursor_customers_rules(
    sandbox: Any,
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reminders(pilot)
        assert screen.all_rules is not None and screen.cache is not None
        rules_column = next(c for c in screen.customers.columns if c.key == "rules")
        async with signed_in(sandbox.url) as client:
            counts = {}
            for entry in screen.cache.entries:
                server = await client.list_reminders(entry.customer_id)
                counts[entry.customer_id] = len(server)
                assert len(screen.all_rules.get(entry.customer_id, [])) == len(server)
                shown = str(rules_column.cell(entry))
                assert shown == (str(len(server)) if server else "–"), entry.legal_name
            assert any(counts.values()), "the demo data has customers with rules"

            # The drawn list: each customer line ends with its count.
            on_screen = drawn(screen.customers)
            assert "Rules" in on_screen[0]
            for line, entry in zip(on_screen[1:], screen.cache.entries, strict=False):
                count = counts[entry.customer_id]
                assert entry.legal_name[:15] in line, line
                assert line.rstrip().endswith(str(count) if count else "–"), line

            # The right side: the cursor customer's rules, as the server has them, in words.
            for position, entry in enumerate(screen.cache.entries[:4]):
                if position:
                    await pilot.press("down")
                assert screen.customers.current == entry
                server = await rules_match(pilot, screen, client, entry.customer_id)
                title = text_of(screen.query_one("#rules-title", Static))
                assert entry.legal_name in title
                noun = "rule" if len(server) == 1 else "rules"
                assert f"{len(server)} {noun}" in title
                on_screen = drawn(screen.rules)
                for rule, line in zip(server, on_screen[1:], strict=False):
                    assert said(rule) in line, line
                    assert rule.reminder_time in line
                if not server:
                    note = text_of(screen.query_one("#rules-note", Static))
                    assert "never reminded" in note


# -- 2. creating -----------------------------------------------------------------------------


async def test_create_refuses_a_bad_rule_then_saves_a_once_and_a_recurring_rule(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reminders(pilot)
        entry = screen.customers.current
        assert entry is not None
        async with signed_in(sandbox.url) as client:
            before = await client.list_reminders(entry.customer_id)

            # A ONCE rule, 3 days before due at 09:30.
            form = await open_form(pilot, "n")
            assert entry.legal_name in form.title
            form.query_one("#due_date_difference", Input).value = "-3"
            form.query_one("#reminder_time", Input).value = "09:30"
            await pilot.pause()
            assert "3 days before due" in text_of(form.query_one("#rule-words", Static))
            await pilot.press("enter")  # Enter in a field saves
            await wait_until(pilot, lambda: app.screen is screen, what="the form to close")
            server = await rules_match(pilot, screen, client, entry.customer_id)
            assert len(server) == len(before) + 1
            [once] = added(server, before)
            assert (once.due_date_difference, once.reminder_type, once.reminder_time) == (
                -3,
                "ONCE",
                "09:30",
            )
            assert once.reminder_interval is None

            # A RECURRING rule without an interval and at 25:00: refused here, nothing sent.
            form = await open_form(pilot, "n")
            form.query_one("#reminder_type", Checkbox).value = True
            form.query_one("#due_date_difference", Input).value = "5"
            form.query_one("#reminder_time", Input).value = "25:00"
            await pilot.pause()
            sent_requests.clear()
            form.action_save()
            await pilot.pause()
            assert text_of(form.query_one("#reminder_interval-error", Static)).strip()
            assert "a repeating rule needs the days between repeats" in text_of(
                form.query_one("#reminder_interval-error", Static)
            )
            assert "time" in text_of(form.query_one("#reminder_time-error", Static))
            assert "correct" in text_of(form.query_one("#form-status", Static))
            assert requests_to(sent_requests, REMINDER_PATH) == []
            assert app.screen is form
            assert form.query_one("#reminder_type", Checkbox).value is True
            assert form.query_one("#due_date_difference", Input).value == "5"
            assert form.query_one("#reminder_time", Input).value == "25:00"

            # Corrected: every 7 days from 5 days after due, at 18:00.
            form.query_one("#reminder_interval", Input).value = "7"
            form.query_one("#reminder_time", Input).value = "18:00"
            await pilot.pause()
            words = text_of(form.query_one("#rule-words", Static))
            assert "every 7 days from 5 days after due" in words
            form.action_save()
            await wait_until(pilot, lambda: app.screen is screen, what="the form to close")
            assert len(requests_to(sent_requests, REMINDER_PATH)) == 1
            server = await rules_match(pilot, screen, client, entry.customer_id)
            assert len(server) == len(before) + 2
            [repeating] = added(server, [*before, once])
            assert (
                repeating.due_date_difference,
                repeating.reminder_type,
                repeating.reminder_interval,
                repeating.reminder_time,
            ) == (5, "RECURRING", 7, "18:00")

            # Both are in the list, in words.
            on_screen = "\n".join(drawn(screen.rules))
            assert "3 days before due" in on_screen and "09:30" in on_screen
            assert "every 7 days from 5 days after due" in on_screen and "18:00" in on_screen
            assert len(screen.all_rules[entry.customer_id]) == len(before) + 2


# -- 3. editing ------------------------------------------------------------------------------


async def test_edit_sends_only_the_changed_time_and_escape_asks_before_discarding(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox()
    async with signed_in(sandbox.url) as client:
        target = next(c for c in await customers_with(client) if c.customer_reminders)
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reminders(pilot)
        await show_customer(pilot, screen, target.customer_id)
        async with signed_in(sandbox.url) as client:
            [first, *_] = await rules_match(pilot, screen, client, target.customer_id)
            new_time = "07:45" if first.reminder_time != "07:45" else "08:15"

            form = await open_form(pilot, "e")
            assert form.original is not None
            assert form.original.customer_reminder_id == first.customer_reminder_id
            assert form.query_one("#reminder_time", Input).value == first.reminder_time
            assert not form.dirty
            form.query_one("#reminder_time", Input).value = new_time
            await pilot.pause()
            assert form.dirty
            sent_requests.clear()
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.screen is screen, what="the form to close")

            [patch] = [r for r in sent_requests if r.method == "PATCH"]
            assert patch.url.path == f"{REMINDER_PATH}/{first.customer_reminder_id}"
            assert json.loads(patch.content) == {"reminderTime": new_time}

            saved = await client.get_reminder(first.customer_reminder_id)
            assert saved.reminder_time == new_time
            unchanged = ("due_date_difference", "reminder_type", "reminder_interval", "stage")
            assert [getattr(saved, f) for f in unchanged] == [getattr(first, f) for f in unchanged]
            await wait_until(
                pilot,
                lambda: any(i.rule.reminder_time == new_time for i in rows_of(screen)),
                what="the new time in the list",
            )

            # Escape on an edited form asks; "n" keeps the form and the typing.
            form = await open_form(pilot, "e")
            form.query_one("#due_date_difference", Input).value = "-9"
            await pilot.pause()
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="asking")
            assert "Discard" in app.screen.title_text
            await pilot.press("n")
            await wait_until(pilot, lambda: app.screen is form, what="back on the form")
            assert form.query_one("#due_date_difference", Input).value == "-9"
            assert form.dirty

            # Asked again, "y" throws the edit away: nothing is sent.
            sent_requests.clear()
            await pilot.press("escape")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="asking")
            await pilot.press("y")
            await wait_until(pilot, lambda: app.screen is screen, what="back on the list")
            assert not [r for r in sent_requests if r.method == "PATCH"]
            kept = await client.get_reminder(first.customer_reminder_id)
            assert kept.due_date_difference == first.due_date_difference


async def test_edit_to_a_one_off_rule_clears_its_interval_and_a_blanked_stage(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox()
    async with signed_in(sandbox.url) as client:
        target = next(
            c
            for c in await customers_with(client)
            if any(r.reminder_type == "RECURRING" and r.stage for r in c.customer_reminders)
        )
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reminders(pilot)
        await show_customer(pilot, screen, target.customer_id)
        async with signed_in(sandbox.url) as client:
            rules = await rules_match(pilot, screen, client, target.customer_id)
            index = next(n for n, r in enumerate(rules) if r.reminder_type == "RECURRING")
            screen.rules.cursor = index
            repeating = rules[index]

            form = await open_form(pilot, "e")
            assert form.original is not None
            assert form.original.customer_reminder_id == repeating.customer_reminder_id
            assert form.query_one("#reminder_type", Checkbox).value is True
            assert form.query_one("#reminder_interval", Input).value == str(
                repeating.reminder_interval
            )
            form.query_one("#reminder_type", Checkbox).value = False
            form.query_one("#stage", Input).value = ""
            await pilot.pause()
            assert "every" not in text_of(form.query_one("#rule-words", Static))
            sent_requests.clear()
            form.action_save()
            await wait_until(pilot, lambda: app.screen is screen, what="the form to close")

            [patch] = [r for r in sent_requests if r.method == "PATCH"]
            assert json.loads(patch.content) == {
                "reminderType": "ONCE",
                "reminderInterval": None,
                "stage": None,
            }
            saved = await client.get_reminder(repeating.customer_reminder_id)
            assert (saved.reminder_type, saved.reminder_interval, saved.stage) == (
                "ONCE",
                None,
                None,
            )
            assert saved.due_date_difference == repeating.due_date_difference
            assert saved.reminder_time == repeating.reminder_time


# -- 4. deleting -----------------------------------------------------------------------------


async def test_delete_asks_naming_the_rule_and_only_yes_deletes_it(
    start_sandbox: Callable[..., Any],
) -> None:
    sandbox = start_sandbox()
    async with signed_in(sandbox.url) as client:
        target = next(c for c in await customers_with(client) if c.customer_reminders)
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reminders(pilot)
        await show_customer(pilot, screen, target.customer_id)
        async with signed_in(sandbox.url) as client:
            rules = await rules_match(pilot, screen, client, target.customer_id)
            doomed = rules[0]

            await pilot.press("d")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="asking")
            confirm = app.screen
            assert isinstance(confirm, ConfirmModal)
            assert target.legal_name in confirm.title_text
            assert f"{said(doomed)} at {doomed.reminder_time}" in confirm.body
            await pilot.press("n")
            await wait_until(pilot, lambda: app.screen is screen, what="back on the list")
            await pilot.pause(0.3)
            assert await client.list_reminders(target.customer_id) == rules
            assert [i.rule for i in rows_of(screen)] == rules

            await pilot.press("d")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="asking")
            await pilot.press("y")
            await wait_until(
                pilot,
                lambda: (
                    doomed.customer_reminder_id
                    not in {i.rule.customer_reminder_id for i in rows_of(screen)}
                ),
                what="the rule to leave the list",
            )
            left = await client.list_reminders(target.customer_id)
            assert [r.customer_reminder_id for r in left] == [
                r.customer_reminder_id for r in rules[1:]
            ]
            assert len(rows_of(screen)) == len(rules) - 1


# -- 5. the preview --------------------------------------------------------------------------

TODAY = PINNED_TODAY  # a Wednesday; the clock is pinned there too


def rule(offset: int, at: str, every: int | None = None, stage: str | None = None) -> Any:
    return ReminderCreate.model_validate(
        {
            "dueDateDifference": offset,
            "reminderType": "RECURRING" if every else "ONCE",
            "reminderInterval": every,
            "reminderTime": at,
            "stage": stage,
        }
    )


def label(day: dt.date) -> str:
    return f"{day.day:02d} {day:%b %Y}"


def timeline_lines(preview: ReminderPreview) -> list[str]:
    return text_of(preview.query_one("#preview-timeline", Static)).splitlines()


def line_with(lines: list[str], when: str) -> str:
    found = [line for line in lines if when in line]
    assert len(found) == 1, f"{when!r} once in:\n" + "\n".join(lines)
    return found[0]


async def open_preview(pilot: Pilot[Any]) -> ReminderPreview:
    await pilot.press("p")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReminderPreview), what="preview")
    preview = pilot.app.screen
    assert isinstance(preview, ReminderPreview)
    await wait_until(
        pilot,
        lambda: bool(text_of(preview.query_one("#preview-contacts", Static)).strip()),
        what="the preview to load",
    )
    return preview


@pytest.mark.dates
async def test_the_preview_fires_on_the_dates_worked_out_by_hand(
    start_sandbox: Callable[..., Any], pinned_clock: None
) -> None:
    sandbox = start_sandbox(today=TODAY)
    async with signed_in(sandbox.url) as client:
        # A customer with at least two open invoices due on different days.
        target, invoices = None, []
        for customer in await customers_with(client):
            page = await client.search_invoices(
                InvoiceFilter(customer_ids=[customer.customer_id], receivable_statuses=OPEN),
                limit=50,
            )
            dues = {i.due_date for i in page.items if i.due_date}
            if len(dues) >= 2:
                target, invoices = customer, page.items
                break
        assert target is not None, "the demo data has a customer with two open invoices"
        await client.update_customer(
            target.customer_id,
            CustomerUpdate(
                customer_reminders=[
                    rule(-3, "09:30", stage="BEFORE_DUE"),
                    rule(0, "10:00", stage="ON_DUE"),
                    rule(5, "18:00", every=7, stage="AFTER_DUE"),
                ]
            ),
        )
    app = build_app(sandbox.url)
    async with app.run_test(size=(130, 60)) as pilot:
        screen = await open_reminders(pilot)
        await show_customer(pilot, screen, target.customer_id)
        await wait_until(pilot, lambda: len(rows_of(screen)) == 3, what="the three rules")
        preview = await open_preview(pilot)
        # Opened on their oldest open invoice.
        assert preview.invoices and preview.invoices[0].due_date is not None
        oldest = label(preview.invoices[0].due_date)
        await wait_until(
            pilot,
            lambda: f"For an invoice due {oldest}" in "\n".join(timeline_lines(preview)),
            what="the oldest invoice's dates",
        )

        # A due date typed in: Thu 10 Dec 2026, today being Wed 25 Nov 2026.
        due = preview.query_one("#due", Input)
        due.focus()
        await pilot.press(*"2026-12-10")
        await wait_until(
            pilot,
            lambda: "For an invoice due 10 Dec 2026" in "\n".join(timeline_lines(preview)),
            what="the typed due date",
        )
        lines = timeline_lines(preview)
        first = line_with(lines, "Mon 07 Dec 2026 09:30")
        assert "3 days before due" in first and "BEFORE_DUE" in first
        assert first.rstrip().endswith("next")
        assert "on the due date" in line_with(lines, "Thu 10 Dec 2026 10:00")
        assert "every 7 days" in line_with(lines, "Tue 15 Dec 2026 18:00")
        assert "(#2)" in line_with(lines, "Tue 22 Dec 2026 18:00")
        assert "(#3)" in line_with(lines, "Tue 29 Dec 2026 18:00")
        assert "(#4)" in line_with(lines, "Tue 05 Jan 2027 18:00")
        assert sum(line.rstrip().endswith("next") for line in lines) == 1, "\n".join(lines)
        assert not any(line.rstrip().endswith("would have fired") for line in lines)
        assert "EnKash does not say when they stop" in " ".join(lines)

        # A due date already behind: the dates before today are when a rule would have fired
        # (EnKash says nothing of what went out: nothing is called "sent"); the next is today's.
        due.value = ""
        await pilot.press(*"2026-11-25")
        await wait_until(
            pilot,
            lambda: "For an invoice due 25 Nov 2026" in "\n".join(timeline_lines(preview)),
            what="the second due date",
        )
        lines = timeline_lines(preview)
        assert line_with(lines, "Sun 22 Nov 2026 09:30").rstrip().endswith("would have fired")
        assert not any("sent" in line for line in lines), "\n".join(lines)
        assert "EnKash does not say which reminders went out" in flat(" ".join(lines))
        assert line_with(lines, "Wed 25 Nov 2026 10:00").rstrip().endswith("next")
        assert not line_with(lines, "Mon 30 Nov 2026 18:00").rstrip().endswith("next")
        assert "(#2)" in line_with(lines, "Mon 07 Dec 2026 18:00")

        # An invoice picked from the list: its own due date is used.
        options = preview.query_one("#preview-invoices", OptionList)
        shown = preview.invoices
        assert {i.invoice_id for i in shown} == {i.invoice_id for i in invoices if i.due_date}
        assert [i.due_date for i in shown] == sorted(i.due_date for i in shown)  # oldest first
        assert options.option_count == len(shown)
        pick = next(n for n, i in enumerate(shown) if i.due_date != shown[0].due_date)
        invoice = shown[pick]
        options.focus()
        options.highlighted = 0
        await pilot.pause()
        await pilot.press(*["down"] * pick)
        assert options.highlighted == pick
        assert invoice.due_date is not None
        await wait_until(
            pilot,
            lambda: (
                f"For an invoice due {label(invoice.due_date)}"
                in "\n".join(timeline_lines(preview))
            ),
            what="the picked invoice's due date",
        )
        # Worked out here: the two one-off rules, and the weekly one from 5 days after due,
        # of which the last three gone out and the next to come are shown.
        lines = timeline_lines(preview)
        due_day = invoice.due_date
        before = dt.datetime.combine(due_day - dt.timedelta(days=3), dt.time(9, 30))
        on_due = dt.datetime.combine(due_day, dt.time(10, 0))
        first = due_day + dt.timedelta(days=5)
        steps = max(0, -(-(TODAY - first).days // 7))  # weeks until the first one not past
        coming = dt.datetime.combine(first + dt.timedelta(days=7 * steps), dt.time(18, 0))
        gone = [coming - dt.timedelta(days=7 * n) for n in (1, 2, 3) if n <= steps]
        for at in (before, on_due, *gone):
            line = line_with(lines, at.strftime("%a %d %b %Y %H:%M"))
            assert line.rstrip().endswith("would have fired") == (at.date() < TODAY), line
        line = line_with(lines, coming.strftime("%a %d %b %Y %H:%M"))
        words = "every 7 days from 5 days after due" + (f" (#{steps + 1})" if steps else "")
        assert words in line, line
        if steps > 3:  # older repeats are left out
            older = coming - dt.timedelta(days=28)
            assert older.strftime("%a %d %b %Y %H:%M") not in "\n".join(lines)
        upcoming = [at for at in (before, on_due, coming) if at.date() >= TODAY]
        [marked] = [line for line in lines if line.rstrip().endswith("next")]
        assert min(upcoming).strftime("%a %d %b %Y %H:%M") in marked

        contacts = text_of(preview.query_one("#preview-contacts", Static))
        assert "Nobody would receive" not in contacts
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="the preview to close")


@pytest.mark.dates
async def test_the_preview_of_a_due_date_far_from_today_shows_only_what_it_knows(
    start_sandbox: Callable[..., Any], pinned_clock: None
) -> None:
    """9999-12-31 used to kill the app (OverflowError) and 0001-01-06 with a daily rule walked
    every day since year 1; and dates before today were called "sent", which nobody knows."""
    sandbox = start_sandbox(today=TODAY)
    async with signed_in(sandbox.url) as client:
        target = next(c for c in await customers_with(client) if c.is_active)
        await client.update_customer(
            target.customer_id,
            CustomerUpdate(
                customer_reminders=[
                    rule(-3, "09:30", stage="BEFORE_DUE"),
                    rule(2, "10:00", every=1, stage="AFTER_DUE"),
                ]
            ),
        )
    app = build_app(sandbox.url)
    async with app.run_test(size=(130, 60)) as pilot:
        screen = await open_reminders(pilot)
        await show_customer(pilot, screen, target.customer_id)
        preview = await open_preview(pilot)
        due = preview.query_one("#due", Input)

        due.value = "9999-12-31"
        await wait_until(
            pilot,
            lambda: "For an invoice due 31 Dec 9999" in "\n".join(timeline_lines(preview)),
            what="the last day there is",
        )
        lines = timeline_lines(preview)
        assert app.is_running and app._exception is None
        # 3 days before it is shown; 2 days after it is past the calendar's end.
        assert "3 days before due" in line_with(lines, "28 Dec 9999 09:30")
        assert not any("Jan 10000" in line or "AFTER_DUE" in line for line in lines)

        due.value = "0001-01-06"
        await wait_until(
            pilot,
            lambda: "For an invoice due 06 Jan 0001" in "\n".join(timeline_lines(preview)),
            what="the first days there are",
        )
        lines = timeline_lines(preview)
        assert app.is_running and app._exception is None
        # The one-off rule, and the last three days before today of the daily one: when they
        # would have fired, not "sent".
        assert line_with(lines, "03 Jan 0001 09:30").rstrip().endswith("would have fired")
        for back in (1, 2, 3):
            day = TODAY - dt.timedelta(days=back)
            line = line_with(lines, f"{label(day)} 10:00")
            assert line.rstrip().endswith("would have fired"), line
        assert line_with(lines, f"{label(TODAY)} 10:00").rstrip().endswith("next")
        assert not any("sent" in line for line in lines), "\n".join(lines)
        assert "EnKash does not say which reminders went out" in flat(" ".join(lines))


async def test_preview_right_after_moving_shows_the_new_customers_rules(sandbox: Any) -> None:
    """``p`` pressed before the right side has caught up with the cursor (it waits
    ``DETAIL_DELAY`` and then reads the server) must still preview the cursor customer's rules."""
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reminders(pilot)
        assert screen.cache is not None and len(screen.cache.entries) >= 2
        first, second = screen.cache.entries[:2]
        assert screen.shown_for == first.customer_id
        async with signed_in(sandbox.url) as client:
            theirs = await client.list_reminders(second.customer_id)
        await pilot.press("down", "p")
        await wait_until(pilot, lambda: isinstance(app.screen, ReminderPreview), what="preview")
        preview = app.screen
        assert isinstance(preview, ReminderPreview)
        assert preview.customer_id == second.customer_id
        previewed = [r.customer_reminder_id for r in preview.rules]
        assert previewed == [r.customer_reminder_id for r in theirs], (
            f"the preview is titled for {second.legal_name} but fires the rules of "
            f"{first.legal_name}, still on the right side while it catches up with the cursor"
        )


async def test_a_customer_nobody_can_be_reached_at_is_flagged(
    start_sandbox: Callable[..., Any],
) -> None:
    sandbox = start_sandbox()
    async with signed_in(sandbox.url) as client:
        target = next(
            c
            for c in await customers_with(client)
            if c.customer_reminders and any(not k.deleted for k in c.customer_key_contacts)
        )
        silent = [
            KeyContactCreate.model_validate(
                {
                    "keyContactPersonId": k.key_contact_person_id,
                    "name": k.name,
                    "legalName": k.legal_name or k.name,
                    "mobile": k.mobile,
                    "email": k.email,
                    "mail_enabled": False,
                    "sms_enabled": False,
                    "whatsapp_enabled": False,
                }
            )
            for k in target.customer_key_contacts
            if not k.deleted
        ]
        await client.update_customer(
            target.customer_id, CustomerUpdate(customer_key_contacts=silent)
        )
        contacts = await client.get_customer_contacts(target.customer_id)
        assert contacts and not any(
            k.mail_enabled or k.sms_enabled or k.whatsapp_enabled for k in contacts
        )
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reminders(pilot)
        await show_customer(pilot, screen, target.customer_id)
        await wait_until(pilot, lambda: bool(rows_of(screen)), what="the rules")
        assert "reach nobody" in text_of(screen.query_one("#rules-note", Static))

        preview = await open_preview(pilot)
        assert "Nobody would receive" in text_of(preview.query_one("#preview-contacts", Static))


# -- 6. many customers at once ---------------------------------------------------------------


async def open_bulk(pilot: Pilot[Any]) -> BulkRules:
    await pilot.press("B")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, BulkRules), what="bulk")
    bulk = pilot.app.screen
    assert isinstance(bulk, BulkRules)
    return bulk


def type_rule(bulk: BulkRules, offset: str, at: str) -> None:
    [row] = bulk.query(RuleRow)
    row.query_one("#due_date_difference", Input).value = offset
    row.query_one("#reminder_time", Input).value = at


async def apply(pilot: Pilot[Any], bulk: BulkRules, count: int) -> None:
    bulk.query_one("#apply", Button).press()
    await wait_until(
        pilot,
        lambda: len(bulk.outcomes) == count and not bulk.running,
        what="every customer's outcome",
    )
    await pilot.pause()


async def mark_first(pilot: Pilot[Any], screen: RemindersScreen, count: int) -> list[str]:
    screen.customers.focus()
    await pilot.press("home", *["space"] * count)
    assert len(screen.customers.marks) == count
    return [str(key) for key in screen.customers.marks]


async def test_bulk_adds_a_rule_to_each_marked_customer_then_replaces_their_rules(
    start_sandbox: Callable[..., Any],
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reminders(pilot)
        marked = await mark_first(pilot, screen, 2)
        assert "2 marked" in text_of(screen.query_one("#reminders-summary", Static))
        async with signed_in(sandbox.url) as client:
            before = {c: await client.list_reminders(c) for c in marked}

            bulk = await open_bulk(pilot)
            type_rule(bulk, "-2", "08:15")
            await apply(pilot, bulk, 2)
            assert [o.customer.customer_id for o in bulk.outcomes] == marked
            # A second Enter does not add the same rules again.
            bulk.query_one("#replace", Checkbox).focus()
            await pilot.press("enter")
            await pilot.pause()
            assert not bulk.running and len(bulk.outcomes) == 2
            status = text_of(bulk.query_one("#bulk-rules-status", Static))
            assert status.startswith("Applied already")
            for outcome in bulk.outcomes:
                kept = len(before[outcome.customer.customer_id])
                assert outcome.ok, outcome.detail
                assert f"kept {kept}, now has {kept + 1} rule" in outcome.detail
            results = text_of(bulk.query_one("#bulk-rules-results", Static))
            assert "FAILED" not in results and results.count("done") == 2
            for customer_id in marked:
                after = await client.list_reminders(customer_id)
                assert len(after) == len(before[customer_id]) + 1
                assert after[:-1] == before[customer_id]  # kept as they were, ids and all
                new = after[-1]
                assert (new.due_date_difference, new.reminder_time, new.reminder_type) == (
                    -2,
                    "08:15",
                    "ONCE",
                )

            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is screen, what="back on the list")
            assert not screen.customers.marks

            # Again with Replace ticked: each has exactly the one rule.
            await wait_until(
                pilot,
                lambda: (
                    screen.all_rules is not None
                    and not screen.walking
                    and all(len(screen.all_rules.get(c, [])) == len(before[c]) + 1 for c in marked)
                ),
                what="the rule counts read again",
            )
            assert await mark_first(pilot, screen, 2) == marked
            bulk = await open_bulk(pilot)
            type_rule(bulk, "1", "11:00")
            bulk.query_one("#replace", Checkbox).value = True
            # Replacing asks first, saying whose rules go and how many.
            held = sum(len(before[c]) + 1 for c in marked)
            bulk.query_one("#apply", Button).press()
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="sure?")
            asked = app.screen
            assert isinstance(asked, ConfirmModal)
            assert asked.title_text == "Replace the rules of 2 customers?"
            assert asked.body.startswith(f"{held} rule{'s' if held != 1 else ''} they have")
            assert "replaced by 1 rule each" in asked.body
            await pilot.press("n")  # back: nothing happens
            await wait_until(pilot, lambda: app.screen is bulk, what="back in the dialog")
            assert not bulk.outcomes and not bulk.running
            for customer_id in marked:
                assert len(await client.list_reminders(customer_id)) == len(before[customer_id]) + 1
            bulk.query_one("#apply", Button).press()
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="sure?")
            await pilot.press("y")
            await wait_until(
                pilot,
                lambda: len(bulk.outcomes) == 2 and not bulk.running,
                what="every customer's outcome",
            )
            assert all(o.ok and "now has 1 rule" in o.detail for o in bulk.outcomes), [
                o.detail for o in bulk.outcomes
            ]
            for customer_id in marked:
                [only] = await client.list_reminders(customer_id)
                assert (only.due_date_difference, only.reminder_time) == (1, "11:00")
            await pilot.press("escape")
            await wait_until(pilot, lambda: app.screen is screen, what="back on the list")
            await wait_until(
                pilot,
                lambda: (
                    screen.all_rules is not None
                    and not screen.walking
                    and all(len(screen.all_rules.get(c, [])) == 1 for c in marked)
                ),
                what="the counts to be read again",
            )


async def test_bulk_reports_a_customer_that_fails_and_applies_to_the_others(
    start_sandbox: Callable[..., Any],
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reminders(pilot)
        marked = await mark_first(pilot, screen, 3)
        gone = marked[1]
        async with signed_in(sandbox.url) as client:
            before = {c: len(await client.list_reminders(c)) for c in marked if c != gone}
            await client.delete_customer(gone)

            bulk = await open_bulk(pilot)
            type_rule(bulk, "-1", "12:00")
            await apply(pilot, bulk, 3)
            by_id = {o.customer.customer_id: o for o in bulk.outcomes}
            assert not by_id[gone].ok and by_id[gone].detail
            assert all(by_id[c].ok for c in before), [o.detail for o in bulk.outcomes]
            status = text_of(bulk.query_one("#bulk-rules-status", Static))
            assert "Applied to 2 customers; 1 failure" in status
            results = text_of(bulk.query_one("#bulk-rules-results", Static))
            failed = next(line for line in results.splitlines() if "FAILED" in line)
            assert by_id[gone].customer.legal_name in failed
            for customer_id, count in before.items():
                assert len(await client.list_reminders(customer_id)) == count + 1


# -- 7. from the Customers section -----------------------------------------------------------


async def test_m_on_a_customer_opens_reminders_on_their_rules(sandbox: Any) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        customers = await open_customers(pilot)
        assert isinstance(customers, CustomersScreen)
        async with signed_in(sandbox.url) as client:
            # Not the first customer, so the jump has something to do.
            entry = [
                e for e in customers.cache.entries if await client.list_reminders(e.customer_id)
            ][-1]
            customers.query_one("#lookup", Input).value = entry.customer_id
            await pilot.pause()
            await pilot.press("down")
            assert customers.table.current.customer_id == entry.customer_id
            await pilot.press("m")
            await wait_until(
                pilot, lambda: isinstance(app.screen, RemindersScreen), what="Reminders"
            )
            screen = app.screen
            assert isinstance(screen, RemindersScreen)
            await wait_until(
                pilot, lambda: screen.shown_for == entry.customer_id, what="their rules"
            )
            assert screen.customers.current.customer_id == entry.customer_id
            await rules_match(pilot, screen, client, entry.customer_id)
            await pilot.pause(0.3)  # nothing later swaps in another customer's rules
            assert screen.shown_for == entry.customer_id
            assert entry.legal_name in text_of(screen.query_one("#rules-title", Static))


# -- 8. every customer's rules ---------------------------------------------------------------


async def test_a_shows_every_customers_rules_with_whose_they_are_and_a_again_goes_back(
    sandbox: Any,
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(130, 60)) as pilot:
        screen = await open_reminders(pilot)
        assert screen.cache is not None
        names = {e.customer_id: e.legal_name for e in screen.cache.entries}
        async with signed_in(sandbox.url) as client:
            server = {c: await client.list_reminders(c) for c in names}
        total = sum(len(r) for r in server.values())

        await pilot.press("a")
        assert screen.showing_all
        assert not screen.query_one("#reminder-customers").display
        assert screen.rules.columns == ALL_RULE_COLUMNS
        await pilot.pause()
        items = rows_of(screen)
        assert len(items) == total
        assert {(i.customer_id, i.rule.customer_reminder_id) for i in items} == {
            (c, r.customer_reminder_id) for c, rules in server.items() for r in rules
        }
        assert all(i.customer_name == names[i.customer_id] for i in items)
        order = [i.customer_name.lower() for i in items]
        assert order == sorted(order)  # grouped by customer, by name
        title = text_of(screen.query_one("#rules-title", Static))
        with_rules = sum(1 for r in server.values() if r)
        assert f"{total} rules for {with_rules} customers" in title
        on_screen = drawn(screen.rules)
        assert on_screen[0].split()[0] == "Customer"
        for item, line in zip(items, on_screen[1:], strict=False):
            assert item.customer_name[:15] in line and said(item.rule) in line, line

        await pilot.press("a")
        assert not screen.showing_all
        assert screen.query_one("#reminder-customers").display
        assert screen.rules.columns == RULE_COLUMNS
        current = screen.customers.current
        assert current is not None
        await wait_until(
            pilot,
            lambda: (
                [i.rule.customer_reminder_id for i in rows_of(screen)]
                == [r.customer_reminder_id for r in server[current.customer_id]]
            ),
            what="one customer's rules again",
        )
        assert screen.shown_for == current.customer_id
        assert drawn(screen.rules)[0].split()[0] == "When"


# -- 9. read-only ----------------------------------------------------------------------------


async def test_a_read_only_session_offers_no_changes(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url, force_readonly=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_reminders(pilot)
        assert screen.all_rules is not None
        # A customer with rules, so that e and d would have a rule to act on.
        with_rules = next(c for c, r in screen.all_rules.items() if r)
        await show_customer(pilot, screen, with_rules)
        await wait_until(pilot, lambda: bool(rows_of(screen)), what="their rules")
        for key in ("n", "e", "d", "B"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen, f"{key} opened {app.screen!r} in a read-only session"
        bindings = {b.binding.action for b in screen.active_bindings.values()}
        assert not bindings & {"new", "edit", "delete", "bulk"}
        # Looking is still allowed: p opens the preview.
        await pilot.press("p")
        await wait_until(pilot, lambda: isinstance(app.screen, ReminderPreview), what="preview")
