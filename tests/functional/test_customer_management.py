"""Managing customers from the Customers section, against real sandboxes: the list's money
columns, the detail, create (bad then good), editing contacts, (de)activating and deleting."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Input, Static

from enkash_tui.api.models import CustomerFilter, InvoiceFilter
from enkash_tui.domain.invoices import OPEN
from screens.customers.form import CustomerForm
from screens.customers.screen import CustomersScreen
from screens.modals import ConfirmModal
from screens.widgets.form_rows import ContactRow, RuleRow
from tests.support.clients import signed_in
from tests.support.driving import build_app, open_customers, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import requests_to, text_of


async def to_list_on(pilot: Pilot[Any], screen: CustomersScreen, customer_id: str) -> None:
    """Type the id in the lookup, then go down into the list, on that customer."""
    screen.query_one("#lookup", Input).value = customer_id
    await pilot.pause()
    await pilot.press("down")
    assert screen.table.current is not None
    assert screen.table.current.customer_id == customer_id


def form_error(form: CustomerForm, where: str) -> str:
    return text_of(form.query_one(f"{where}-error", Static))


async def test_the_list_shows_each_customers_balance_and_overdue_as_the_server_totals_them(
    sandbox: Any,
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_customers(pilot)
        async with signed_in(sandbox.url) as client:
            owing = 0
            for entry in screen.cache.entries:
                page = await client.search_invoices(
                    InvoiceFilter(customer_ids=[entry.customer_id], receivable_statuses=OPEN),
                    limit=1,
                )
                balance = screen.cache.balance_of(entry.customer_id)
                assert balance is not None
                assert balance.balance == (page.total_balance or Decimal(0))
                assert balance.open_count == (page.total or 0)
                assert balance.overdue <= balance.balance
                owing += bool(balance.balance)
        assert owing, "the demo data has customers who owe money"

        # o sorts by balance, largest first.
        await pilot.press("down", "o")
        shown = [screen.table.source.row(i) for i in range(screen.table.source.count())]
        balances = [screen.cache.balance_of(e.customer_id).balance for e in shown if e]
        assert balances == sorted(balances, reverse=True)
        assert "by balance" in text_of(screen.query_one("#customers-summary", Static))


async def test_the_detail_shows_fields_contacts_with_channels_rules_and_money(sandbox: Any) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(130, 50)) as pilot:
        screen = await open_customers(pilot)
        async with signed_in(sandbox.url) as client:
            customers = [c async for c in client.iter_customers()]
        target = next(
            c
            for c in customers
            if c.customer_reminders and any(k.email for k in c.customer_key_contacts)
        )
        await to_list_on(pilot, screen, target.customer_id)
        pane = screen.query_one("#customer-detail-text", Static)
        await wait_until(pilot, lambda: screen.detail_for == target.customer_id, what="the detail")
        text = text_of(pane)
        assert target.customer_id in text
        assert "Open invoices" in text or "No open invoices" in text
        contact = next(k for k in target.customer_key_contacts if not k.deleted and k.email)
        assert contact.email in text
        channels = [n for n, on in (("mail", contact.mail_enabled), ("SMS", contact.sms_enabled),
                                    ("WhatsApp", contact.whatsapp_enabled)) if on]  # fmt: skip
        assert ", ".join(channels) in text
        assert "Reminder rules" in text and (target.customer_reminders[0].stage or "") in text


async def test_create_shows_problems_by_their_fields_then_saves_the_corrected_customer(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_customers(pilot)
        before = len(screen.cache.entries)
        await pilot.press("down", "n")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerForm), what="the form")
        form = app.screen
        assert isinstance(form, CustomerForm)
        contact = form.query_one(ContactRow)

        # Checked as typed: a short mobile and a bad IFSC are flagged before any save.
        contact.query_one("#mobile", Input).value = "98123"
        form.query_one("#customer-fields #ifsc", Input).value = "HDFC1234"
        await pilot.pause()
        assert "10 digits" in text_of(contact.query_one("#mobile-error", Static))
        assert "HDFC0001234" in form_error(form, "#customer-fields #ifsc")

        # Saving with problems sends nothing and says where each one is.
        form.query_one("#customer-fields #legal_name", Input).value = "Acme Test Traders Pvt Ltd"
        form.action_save()
        await pilot.pause()
        assert "correct the marked fields" in text_of(form.query_one("#form-status", Static))
        assert "10 digits" in text_of(contact.query_one("#mobile-error", Static))
        assert text_of(contact.query_one("#name-error", Static))  # the name is required
        assert requests_to(sent_requests, "/api/v0/customer") == []

        # Corrected, with a reminder rule added, it saves: the list has it and so does EnKash.
        contact.query_one("#name", Input).value = "Ravi Kumar"
        contact.query_one("#mobile", Input).value = "+91 9812345678"
        contact.query_one("#email", Input).value = "ravi@acme.test"
        contact.query_one("#whatsapp_enabled", Checkbox).value = True
        form.query_one("#customer-fields #ifsc", Input).value = "HDFC0001234"
        await form.add_rule()
        rule = form.query_one(RuleRow)
        rule.query_one("#due_date_difference", Input).value = "-3"
        form.action_save()
        await wait_until(pilot, lambda: app.screen is screen, what="the form to close")
        # The list takes the saved customer in the form's dismiss callback, just after it closes.
        await wait_until(
            pilot, lambda: len(screen.cache.entries) == before + 1, what="the list to take it"
        )
        current = screen.table.current
        assert current is not None and current.legal_name == "Acme Test Traders Pvt Ltd"

        async with signed_in(sandbox.url) as client:
            page = await client.search_customers(CustomerFilter(legal_name="Acme Test Traders"))
        [saved] = page.items
        [person] = saved.customer_key_contacts
        assert (person.name, person.legal_name, person.mobile) == (
            "Ravi Kumar", "Ravi Kumar", "+91 9812345678")  # fmt: skip
        assert (person.mail_enabled, person.sms_enabled, person.whatsapp_enabled) == (
            True, True, True)  # fmt: skip
        assert saved.ifsc == "HDFC0001234"
        [reminder] = saved.customer_reminders
        assert (reminder.due_date_difference, reminder.reminder_time) == (-3, "10:00")


async def test_a_server_field_error_lands_on_its_field_and_keeps_the_typing(
    start_sandbox: Callable[..., Any],
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_customers(pilot)
        await pilot.press("down", "e")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerForm), what="the form")
        form = app.screen
        assert isinstance(form, CustomerForm)
        # Clearing the legal name passes the PATCH model (null clears) but EnKash refuses it.
        form.query_one("#customer-fields #legal_name", Input).value = ""
        form.query_one("#customer-fields #address", Input).value = "Plot 9, Verna, Goa"
        form.action_save()
        await wait_until(
            pilot, lambda: "Not saved" in text_of(form.query_one("#form-status", Static)),
            what="the refusal",
        )  # fmt: skip
        assert "cleared" in form_error(form, "#customer-fields #legal_name")
        assert app.screen is form
        assert form.query_one("#customer-fields #address", Input).value == "Plot 9, Verna, Goa"
        assert form.dirty


async def test_a_gstin_that_does_not_add_up_is_marked_beside_it_and_nothing_is_sent(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox()
    async with signed_in(sandbox.url) as client:
        customers = [c async for c in client.iter_customers()]
    # A customer of Maharashtra whose GSTIN says so (27...).
    target = next(c for c in customers if c.is_active and c.state == "Maharashtra"
                  and (c.pan_or_gstin or "").startswith("27"))  # fmt: skip
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_customers(pilot)
        await to_list_on(pilot, screen, target.customer_id)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerForm), what="the form")
        form = app.screen
        assert isinstance(form, CustomerForm)
        gstin = form.query_one("#customer-fields #pan_or_gstin", Input)
        state = form.query_one("#customer-fields #state", Input)
        sent_requests.clear()

        # Only the State changes: the GSTIN it keeps belongs to Maharashtra.
        state.value = "Karnataka"
        form.action_save()
        await pilot.pause()
        assert form_error(form, "#customer-fields #pan_or_gstin").strip() == (
            "starts 27 (Maharashtra), but the State is Karnataka"
        )
        assert [r for r in sent_requests if r.method == "PATCH"] == []

        # A mistyped check character is flagged as typed, and on save.
        state.value = "Maharashtra"
        gstin.value = "27AAACS1234A1Z5"
        await pilot.pause()
        assert "check character" in form_error(form, "#customer-fields #pan_or_gstin")
        form.action_save()
        await pilot.pause()
        assert form_error(form, "#customer-fields #pan_or_gstin").strip() == (
            "check character does not match (a typo?)"
        )
        assert [r for r in sent_requests if r.method == "PATCH"] == []
        assert gstin.value == "27AAACS1234A1Z5"  # nothing typed is lost

        # A contact's "Prefers" takes one of the three channels, typed in any case.
        contact = form.query_one(ContactRow)
        gstin.value = "27AAACS1234A1Z2"
        contact.query_one("#via", Input).value = "fax"
        await pilot.pause()
        assert text_of(contact.query_one("#via-error", Static)).strip() == (
            "EMAIL, SMS or WHATSAPP"
        )
        form.action_save()
        await pilot.pause()
        assert "one of EMAIL, SMS or WHATSAPP" in text_of(contact.query_one("#via-error", Static))
        assert [r for r in sent_requests if r.method == "PATCH"] == []
        channel = "sms" if contact.start.get("via") != "SMS" else "email"  # not what it was
        contact.query_one("#via", Input).value = channel
        form.action_save()
        await wait_until(pilot, lambda: app.screen is screen, what="the form to close")

    [patch] = [r for r in sent_requests if r.method == "PATCH"]
    body = json.loads(patch.content)
    assert body["panOrGstin"] == "27AAACS1234A1Z2" and "state" not in body
    assert body["customerKeyContacts"][0]["via"] == channel.upper()


async def test_editing_contacts_patches_only_the_contacts(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox()
    async with signed_in(sandbox.url) as client:
        customers = [c async for c in client.iter_customers()]
    target = next(c for c in customers if len([k for k in c.customer_key_contacts
                                               if not k.deleted]) >= 2)  # fmt: skip
    live = [k for k in target.customer_key_contacts if not k.deleted]
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_customers(pilot)
        await to_list_on(pilot, screen, target.customer_id)
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerForm), what="the form")
        form = app.screen
        assert isinstance(form, CustomerForm)
        rows = list(form.query(ContactRow))
        assert len(rows) == len(live)

        # First contact: SMS off. Second: removed. A new one added.
        rows[0].query_one("#sms_enabled", Checkbox).value = False
        rows[1].query_one(".remove-row", Button).press()
        await wait_until(pilot, lambda: len(form.query(ContactRow)) == len(live) - 1, what="gone")
        await form.add_contact()
        added = list(form.query(ContactRow))[-1]
        added.query_one("#name", Input).value = "Meera Iyer"
        added.query_one("#mobile", Input).value = "9000000001"
        sent_requests.clear()
        form.action_save()
        await wait_until(pilot, lambda: app.screen is screen, what="the form to close")

    [patch] = [r for r in sent_requests if r.method == "PATCH"]
    body = json.loads(patch.content)
    assert set(body) == {"customerKeyContacts"}  # nothing else changed, nothing else sent
    sent = {c.get("keyContactPersonId"): c for c in body["customerKeyContacts"]}
    assert sent[live[0].key_contact_person_id]["sms_enabled"] is False
    assert sent[live[1].key_contact_person_id]["deleted"] is True
    assert sent[None]["name"] == "Meera Iyer"

    async with signed_in(sandbox.url) as client:
        contacts = await client.get_customer_contacts(target.customer_id)
    names = [c.name for c in contacts]
    assert live[1].name not in names or names.count(live[1].name) < [k.name for k in live].count(
        live[1].name
    )
    assert "Meera Iyer" in names
    first = next(c for c in contacts if c.key_contact_person_id == live[0].key_contact_person_id)
    assert first.sms_enabled is False


async def test_deactivate_then_activate_with_confirmation(
    start_sandbox: Callable[..., Any],
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_customers(pilot)
        entry = next(e for e in screen.cache.entries if e.status == "ACTIVE")
        await to_list_on(pilot, screen, entry.customer_id)

        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="confirm")
        assert "Deactivate" in app.screen.title_text
        await pilot.press("n")  # no: nothing changes
        await pilot.pause()
        assert screen.table.current.status == "ACTIVE"

        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="confirm")
        await pilot.press("y")
        await wait_until(
            pilot, lambda: screen.table.current.status == "INACTIVE", what="deactivated"
        )
        async with signed_in(sandbox.url) as client:
            page = await client.search_customers(CustomerFilter(customer_ids=[entry.customer_id]))
            assert page.items[0].status == "INACTIVE"

            await pilot.press("a")
            await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="confirm")
            assert "Activate" in app.screen.title_text
            await pilot.press("y")
            await wait_until(
                pilot, lambda: screen.table.current.status == "ACTIVE", what="activated"
            )
            page = await client.search_customers(CustomerFilter(customer_ids=[entry.customer_id]))
            assert page.items[0].status == "ACTIVE"


async def test_delete_names_the_open_invoices_and_removes_the_customer(
    start_sandbox: Callable[..., Any],
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_customers(pilot)
        owing = next(
            e for e in screen.cache.entries if screen.cache.balance_of(e.customer_id).open_count
        )
        balance = screen.cache.balance_of(owing.customer_id)
        await to_list_on(pilot, screen, owing.customer_id)
        count = len(screen.cache.entries)

        await pilot.press("d")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="confirm")
        confirm = app.screen
        assert isinstance(confirm, ConfirmModal)
        noun = "open invoice" if balance.open_count == 1 else "open invoices"
        assert f"{balance.open_count} {noun}" in confirm.body
        assert "does not delete them" in confirm.body
        await pilot.press("y")
        await wait_until(
            pilot, lambda: len(screen.cache.entries) == count - 1, what="the customer to go"
        )
        assert owing.customer_id not in {e.customer_id for e in screen.cache.entries}

    async with signed_in(sandbox.url) as client:
        page = await client.search_customers(CustomerFilter(customer_ids=[owing.customer_id]))
        assert page.items == []
        kept = await client.search_invoices(
            InvoiceFilter(customer_ids=[owing.customer_id], receivable_statuses=OPEN)
        )
        assert kept.total == balance.open_count  # the invoices stay, as the confirmation said


async def test_a_read_only_session_offers_no_changes(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url, force_readonly=True)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_customers(pilot)
        await pilot.press("down", "n", "e", "d", "a")
        await pilot.pause()
        assert app.screen is screen


async def test_the_card_hands_edit_back_to_the_section(sandbox: RunningSandbox) -> None:
    from screens.customer_card import CustomerCard

    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_customers(pilot)
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerCard), what="the card")
        card = app.screen
        await wait_until(pilot, lambda: card.view is not None, what="the card to load")
        assert card.view.customer.customer_id == screen.table.current.customer_id
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerForm), what="the form")
        form = app.screen
        assert form.original.customer_id == screen.table.current.customer_id
        await pilot.press("escape")  # nothing typed: closes without asking
        await wait_until(pilot, lambda: app.screen is screen, what="back on the list")
