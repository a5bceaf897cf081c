"""New invoice, "Send on Bharat Connect" ticked: Save creates it on the network as a bulk file row
with bharatConnect true does (one-row Bulk Create), CREATED, version 1, awaiting the buyer. A
refused row's problems land beside their fields with everything typed kept; a lost reply is
rechecked by the invoice's number, never sent again; unticked, the form creates it as before."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Input, Static

from enkash_tui import clock
from enkash_tui.api.models import CustomerFilter, Invoice, InvoiceFilter
from enkash_tui.domain.bharat_connect import BY_KEY
from screens.invoices.form import InvoiceForm
from screens.invoices.screen import InvoicesScreen
from tests.support.clients import signed_in
from tests.support.driving import build_app, open_invoices, wait_until
from tests.support.lossy_proxy import LossyProxy
from tests.support.screen_text import flat, notes, requests_to, text_of

BULK = "/api/v0/invoice/bulk/create"
CREATE = "/api/v0/invoice"
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


async def a_customer(url: str) -> tuple[str, str]:
    async with signed_in(url) as client:
        page = await client.search_customers(CustomerFilter(customer_status="ACTIVE"), limit=5)
        customer = next(c for c in page.items if c.is_active)
        return customer.customer_id, customer.legal_name or ""


async def invoices_numbered(url: str, number: str) -> list[Invoice]:
    async with signed_in(url) as client:
        page = await client.search_invoices(InvoiceFilter(invoice_number=number))
        return [i for i in page.items if i.invoice_number == number]


def error_of(form: InvoiceForm, field: str) -> str:
    return str(form.query_one(f"#{field}-error", Static).render())


def status_of(form: InvoiceForm) -> str:
    return flat(text_of(form.query_one("#form-status", Static)))


async def new_invoice_form(pilot: Pilot[Any], customer: str, number: str) -> InvoiceForm:
    """The New invoice form, filled in, the cursor on the last check box before the new one."""
    await open_invoices(pilot)
    await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, InvoiceForm), what="the form")
    form = pilot.app.screen
    assert isinstance(form, InvoiceForm)
    typed = {
        "customer": customer,
        "invoice_number": number,
        "due_date": (clock.today() + dt.timedelta(days=30)).isoformat(),
        "base_amount": "25,000",
        "cgst": "2250",
        "sgst": "2250",
        "description": "Sent to the buyer on Bharat Connect",
    }
    for name, text in typed.items():
        form.query_one(f"#{name}", Input).value = text
    form.query_one("#dispatch_now", Checkbox).focus()
    await pilot.pause()
    return form


async def tick_on_network(pilot: Pilot[Any], form: InvoiceForm) -> Checkbox:
    """Tab to the box and tick it with space; it is in view, not under Save / Close."""
    await pilot.press("tab")
    box = form.query_one("#bharat_connect", Checkbox)
    await wait_until(pilot, lambda: pilot.app.focused is box, what="the Bharat Connect box")
    await pilot.pause()
    modal = form.query_one(".modal").region
    assert str(box.label) == "Send on Bharat Connect"
    assert modal.contains_region(box.region), (box.region, modal)
    assert not box.region.overlaps(form.query_one(".buttons").region)
    assert not box.value
    await pilot.press("space")
    assert box.value
    return box


@pytest.mark.parametrize("size", SIZES)
async def test_ticked_the_invoice_is_created_on_the_network_awaiting_the_buyer(
    size: tuple[int, int], start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox()
    customer_id, name = await a_customer(sandbox.url)
    number = f"INV/BC/{size[0]}"
    app = build_app(sandbox.url)
    async with app.run_test(size=size) as pilot:
        form = await new_invoice_form(pilot, f"{name} — {customer_id}", number)
        await tick_on_network(pilot, form)
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, InvoicesScreen), what="the form to close"
        )
        assert any(
            n.startswith(f"Created {number}") and "Bharat Connect" in n for n in notes(app)
        ), notes(app)
        # One upload, of the one row a bulk file would hold; no single create besides.
        (upload,) = requests_to(sent_requests, BULK)
        assert requests_to(sent_requests, CREATE) == []
        body = upload.read().decode("utf-8")
        assert 'filename="invoice.csv"' in body
        assert (
            "customerId,invoiceNumber,dueDate,baseAmount,cgst,sgst,gstExclusive,description,"
            "partialPaymentAllowed,dispatchNow,bharatConnect\r\n"
            f"{customer_id},{number},{(clock.today() + dt.timedelta(days=30)).isoformat()},"
            "25000,2250,2250,true,Sent to the buyer on Bharat Connect,false,false,true\r\n"
        ) in body

    (created,) = await invoices_numbered(sandbox.url, number)
    assert created.customer_id == customer_id
    assert created.bharat_connect is not None
    assert created.bharat_connect.status == "CREATED"
    assert created.bharat_connect.object_version == 1
    async with signed_in(sandbox.url) as client:
        awaiting = BY_KEY["4"].filters.model_copy(update={"invoice_number": number})
        assert [i.invoice_id for i in (await client.search_invoices(awaiting)).items] == [
            created.invoice_id
        ]


async def test_a_refused_row_shows_beside_its_field_and_keeps_everything_typed(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox()
    customer_id, _ = await a_customer(sandbox.url)
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_invoices(pilot)
        taken = next(row for _, row in screen.rows.loaded() if row.invoice_number)
        number = taken.invoice_number or ""
        await pilot.press("escape")  # new_invoice_form opens it again from the list
        form = await new_invoice_form(pilot, customer_id, number)
        typed = {i.id: i.value for i in form.query(Input) if i.id}
        box = await tick_on_network(pilot, form)
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: bool(error_of(form, "invoice_number")), what="the row's refusal"
        )
        assert error_of(form, "invoice_number") == "is already used"  # as a single create's
        assert status_of(form).startswith(f"Not saved: Invoice number {number} is already used")
        assert app.screen is form
        assert app.focused is form.query_one("#invoice_number")
        assert {i.id: i.value for i in form.query(Input) if i.id} == typed  # nothing lost
        assert box.value
        assert len(requests_to(sent_requests, BULK)) == 1
    assert [i.invoice_id for i in await invoices_numbered(sandbox.url, number)] == [
        taken.invoice_id
    ]


async def test_unticked_it_is_created_as_before_off_the_network(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox()
    customer_id, _ = await a_customer(sandbox.url)
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await new_invoice_form(pilot, customer_id, "INV/OFF/0001")
        assert not form.query_one("#bharat_connect", Checkbox).value
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, InvoicesScreen), what="the form to close"
        )
        assert requests_to(sent_requests, BULK) == []
        (create,) = requests_to(sent_requests, CREATE)
        assert "bharatConnect" not in json.loads(create.content)
    (created,) = await invoices_numbered(sandbox.url, "INV/OFF/0001")
    assert created.bharat_connect is None


async def test_editing_a_network_invoice_shows_where_it_stands_and_offers_no_box(
    start_sandbox: Callable[..., Any],
) -> None:
    sandbox = start_sandbox()
    async with signed_in(sandbox.url) as client:
        page = await client.search_invoices(InvoiceFilter(on_bharat_connect=True), limit=1)
    (network,) = page.items
    assert network.bharat_connect is not None
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_invoices(pilot)
        app.push_screen(InvoiceForm(network))
        await wait_until(pilot, lambda: isinstance(app.screen, InvoiceForm), what="the form")
        form = app.screen
        assert isinstance(form, InvoiceForm)
        await wait_until(pilot, lambda: bool(form.query("#due_date")), what="its fields")
        assert not form.query("#bharat_connect")
        shown = flat(text_of(form.query_one("#on-network", Static)))
        bc = network.bharat_connect
        assert shown == f"On Bharat Connect: {bc.status} (version {bc.object_version})"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="back on the list")


@pytest.mark.parametrize("when", ["before", "after"])
async def test_a_lost_reply_is_rechecked_by_number_and_never_sent_twice(
    when: str, start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    applied = when == "after"  # EnKash created it, and only its reply was lost
    sandbox = start_sandbox()
    customer_id, _ = await a_customer(sandbox.url)
    proxy = await LossyProxy(sandbox.url).start()
    number = f"INV/LOST/{when.upper()}"
    try:
        app = build_app(proxy.url)
        async with app.run_test(size=(100, 36)) as pilot:
            form = await new_invoice_form(pilot, customer_id, number)
            await tick_on_network(pilot, form)
            proxy.lose("POST", BULK, when)
            await pilot.press("enter")
            await wait_until(
                pilot,
                lambda: app.screen is not form or "does not have it" in status_of(form),
                what="the save's end",
            )
            assert proxy.lost == [("POST", BULK, when)]
            assert len(requests_to(sent_requests, BULK)) == 1  # sent once
            assert proxy.count("POST", BULK) == (1 if applied else 0)
            searched = [
                json.loads(r.content).get("invoiceNumber")
                for r in requests_to(sent_requests, "/api/v0/invoice/search")
            ]
            assert number in searched  # asked EnKash by the invoice's number
            if applied:  # found, and closed as if the reply had arrived
                assert isinstance(app.screen, InvoicesScreen)
                assert any("confirmed with EnKash" in n for n in notes(app)), notes(app)
            else:  # not there: said so, everything typed still in the form
                assert app.screen is form
                assert "Not saved" in status_of(form), status_of(form)
                assert form.query_one("#invoice_number", Input).value == number
                assert form.query_one("#bharat_connect", Checkbox).value
                assert not form.query_one("#save", Button).disabled
    finally:
        await proxy.stop()
    found = await invoices_numbered(sandbox.url, number)
    assert len(found) == (1 if applied else 0)
    if applied:
        assert found[0].bharat_connect is not None
        assert found[0].bharat_connect.status == "CREATED"


async def test_created_but_not_read_back_is_looked_up_never_sent_again(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    """The upload took effect and only reading the new invoice back failed: it is saved, and
    the form does not offer to send it a second time."""
    sandbox = start_sandbox()
    customer_id, _ = await a_customer(sandbox.url)
    proxy = await LossyProxy(sandbox.url).start()
    number = "INV/UNREAD/1"
    try:
        app = build_app(proxy.url)
        async with app.run_test(size=(100, 36)) as pilot:
            form = await new_invoice_form(pilot, customer_id, number)
            await tick_on_network(pilot, form)
            proxy.lose("GET", "/api/v0/invoice/*", "before")  # the read-back after the upload
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.screen is not form, what="the form to close")
            assert [lost[0] for lost in proxy.lost] == ["GET"]
            assert len(requests_to(sent_requests, BULK)) == 1  # sent once
            assert isinstance(app.screen, InvoicesScreen)
    finally:
        await proxy.stop()
    found = await invoices_numbered(sandbox.url, number)
    assert len(found) == 1 and found[0].bharat_connect is not None
