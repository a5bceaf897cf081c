"""Ctrl+P (or ``:``) finds an invoice by number, a customer by name, GSTIN or phone, and opens it.

What to look for is taken from the sandbox with a separate signed-in client; the app is driven
through the palette as a person would: type, see the hit, Enter.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import httpx
from textual.command import CommandInput, CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input

from enkash_tui.api.models import Customer, CustomerFilter, Invoice, InvoiceFilter
from enkash_tui.domain.find import FIND_ASKED, FIND_LIMIT, customer_line, invoice_line
from screens.app import EnkashApp
from screens.customer_card import CustomerCard
from screens.find import FindProvider
from screens.invoices.windows import InvoiceDetailScreen
from screens.login import LoginScreen
from tests.support.clients import signed_in
from tests.support.driving import build_app, open_invoices, sign_in, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import requests_to

SEARCH_PATH = "/api/v0/invoice/search"

# -- helpers ------------------------------------------------------------------------------------


async def an_invoice(sandbox: RunningSandbox) -> Invoice:
    async with signed_in(sandbox.url) as client:
        page = await client.search_invoices(limit=20)
    return next(invoice for invoice in page.items if invoice.invoice_number)


async def customers(sandbox: RunningSandbox) -> list[Customer]:
    async with signed_in(sandbox.url) as client:
        page = await client.search_customers(limit=50)
    return [customer for customer in page.items if customer.is_active and customer.legal_name]


async def open_palette(pilot: Pilot[None], key: str = "ctrl+p") -> CommandPalette:
    app = pilot.app
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(app.screen, CommandPalette), what="the palette")
    palette = app.screen
    assert isinstance(palette, CommandPalette)
    return palette


def hit_lines(app: EnkashApp) -> list[str]:
    """The palette's hits, first line of each (the second is the help), best first."""
    palette = app.screen
    if not isinstance(palette, CommandPalette):
        return []
    results = palette.query_one(CommandList)
    return [
        str(results.get_option_at_index(i).prompt).split("\n")[0]
        for i in range(results.option_count)
    ]


def best_hit(app: EnkashApp) -> str:
    palette = app.screen
    if not isinstance(palette, CommandPalette):
        return ""
    results = palette.query_one(CommandList)
    if results.option_count == 0 or results.highlighted is None:
        return ""
    return str(results.get_option_at_index(results.highlighted).prompt).split("\n")[0]


async def find(pilot: Pilot[None], text: str, wanted: str) -> None:
    """Type ``text`` into the open palette and wait for ``wanted`` as the best hit."""
    await pilot.press(*text)
    app = pilot.app
    assert isinstance(app, EnkashApp)
    await wait_until(pilot, lambda: best_hit(app) == wanted, what=f"{wanted!r} as the best hit")


async def opens_card(pilot: Pilot[None], customer: Customer) -> None:
    app = pilot.app
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, CustomerCard), what="the card")
    card = app.screen
    assert isinstance(card, CustomerCard)
    assert card.customer_id == customer.customer_id
    await wait_until(pilot, lambda: card.view is not None, what="the card's customer")
    assert card.view is not None and card.view.customer is not None
    assert card.view.customer.legal_name == customer.legal_name


# -- invoices ------------------------------------------------------------------------------------


async def test_an_invoice_found_by_number_opens_in_full(sandbox: RunningSandbox) -> None:
    invoice = await an_invoice(sandbox)
    assert invoice.invoice_number is not None
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        palette = await open_palette(pilot)
        placeholder = palette.query_one(CommandInput).placeholder
        assert "invoice" in placeholder and "customer" in placeholder
        line = invoice_line(invoice)
        assert line.startswith(f"Invoice {invoice.invoice_number} · ") and "₹" in line
        await find(pilot, invoice.invoice_number, line)

        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, InvoiceDetailScreen), what="the full invoice"
        )
        window = app.screen
        assert isinstance(window, InvoiceDetailScreen)
        assert window.invoice.invoice_id == invoice.invoice_id
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_mode == "home" and not isinstance(app.screen, CommandPalette)


async def test_part_of_an_invoice_number_lists_the_invoices_that_hold_it(
    sandbox: RunningSandbox,
) -> None:
    invoice = await an_invoice(sandbox)
    assert invoice.invoice_number is not None
    part = invoice.invoice_number[:-1]  # "INV-2025-000": several invoices hold it
    async with signed_in(sandbox.url) as client:
        holding = await client.search_invoices(InvoiceFilter(invoice_number=part), limit=5)
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await open_palette(pilot)
        await pilot.press(*part)
        wanted = [invoice_line(i) for i in holding.items]
        await wait_until(
            pilot,
            lambda: [line for line in hit_lines(app) if line.startswith("Invoice ")] == wanted,
            what="the invoices holding the text, in EnKash's order",
        )


async def test_typing_asks_enkash_once_the_text_settles(
    sandbox: RunningSandbox, sent_requests: list[httpx.Request]
) -> None:
    invoice = await an_invoice(sandbox)
    number = invoice.invoice_number
    assert number is not None and len(number) >= 10
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await open_palette(pilot)
        await find(pilot, number, invoice_line(invoice))

    def asked(request: httpx.Request) -> str | None:
        body: dict[str, object] = json.loads(request.content or b"{}")
        value = body.get("invoiceNumber")
        return value if isinstance(value, str) else None

    texts = [t for t in map(asked, requests_to(sent_requests, SEARCH_PATH)) if t is not None]
    # Key by key, the text passed through every length from 3 up: only where typing paused
    # (the last, and rarely one on the way) was EnKash asked.
    assert texts[-1] == number
    assert all(number.startswith(text) for text in texts)
    assert len(texts) <= (len(number) - 2) // 2, texts


# -- customers ------------------------------------------------------------------------------------


async def test_a_customer_found_by_name_opens_their_card(sandbox: RunningSandbox) -> None:
    customer = (await customers(sandbox))[0]
    assert customer.legal_name is not None
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await open_palette(pilot)
        await find(pilot, customer.legal_name.lower(), customer_line(customer))
        await opens_card(pilot, customer)


async def test_a_customer_found_by_gstin_opens_their_card(sandbox: RunningSandbox) -> None:
    customer = next(c for c in await customers(sandbox) if len(c.pan_or_gstin or "") == 15)
    assert customer.pan_or_gstin is not None
    line = customer_line(customer)
    assert f"· GSTIN {customer.pan_or_gstin}" in line
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await open_palette(pilot)
        await find(pilot, customer.pan_or_gstin, line)
        await opens_card(pilot, customer)


async def test_a_customer_found_by_phone_opens_their_card(sandbox: RunningSandbox) -> None:
    customer = next(c for c in await customers(sandbox) if c.contact_number)
    assert customer.contact_number is not None
    digits = "".join(ch for ch in customer.contact_number if ch.isdigit())[-10:]
    typed = f"{digits[:5]} {digits[5:]}"  # as read off a card: "98123 45678"
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await open_palette(pilot)
        await pilot.press(*typed)
        await wait_until(
            pilot,
            lambda: best_hit(app).startswith(f"Customer {customer.legal_name} · "),
            what="the customer with that number",
        )
        assert customer.contact_number in best_hit(app)  # the number that matched
        await opens_card(pilot, customer)


async def test_a_phone_number_finds_a_key_contacts_mobile_too(sandbox: RunningSandbox) -> None:
    async with signed_in(sandbox.url) as client:
        page = await client.search_customers(limit=50)
        customer = next(
            c
            for c in page.items
            if c.is_active
            and c.primary_contact is not None
            and c.primary_contact.mobile
            and c.primary_contact.mobile != c.contact_number
        )
    contact = customer.primary_contact
    assert contact is not None and contact.mobile is not None
    mobile = contact.mobile
    digits = "".join(ch for ch in mobile if ch.isdigit())[-10:]
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await open_palette(pilot)
        await pilot.press(*digits)
        await wait_until(
            pilot,
            lambda: any(
                line.startswith(f"Customer {customer.legal_name} · ") and mobile in line
                for line in hit_lines(app)
            ),
            what="the customer whose key contact has that mobile",
        )


# -- keys, nothing found, failures ----------------------------------------------------------------


async def test_colon_opens_the_finder_from_the_invoice_list(sandbox: RunningSandbox) -> None:
    invoice = await an_invoice(sandbox)
    assert invoice.invoice_number is not None
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_invoices(pilot)
        await open_palette(pilot, ":")
        await find(pilot, invoice.invoice_number, invoice_line(invoice))
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, InvoiceDetailScreen), what="the full invoice"
        )
        assert app.current_mode == "invoices"


async def test_colon_typed_into_a_field_stays_text(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: bool(app.screen.query("#profile")), what="sign-in form")
        field = app.screen.query_one("#username", Input)
        field.focus()
        field.value = "ar.user"
        await pilot.press("end", ":")
        await pilot.pause()
        assert field.value == "ar.user:"
        assert isinstance(app.screen, LoginScreen)


async def test_nothing_found_says_so(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await open_palette(pilot)
        await pilot.press(*"qqzzqq")
        wanted = "No invoice number or customer name on EnKash has “qqzzqq” in it"
        await wait_until(pilot, lambda: hit_lines(app) == [wanted], what="the nothing line")
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: not isinstance(app.screen, CommandPalette), what="the palette closed"
        )
        assert app.current_mode == "home"


async def test_server_text_in_a_hit_is_shown_as_typed_never_as_markup(
    start_sandbox: Callable[..., RunningSandbox],
) -> None:
    running = start_sandbox()
    name = "[bold]Markup[/bold] & [link=https://x.test]Co[/link] $x"
    running.conn.execute(
        "UPDATE customers SET legal_name = ? WHERE customer_id ="
        " (SELECT customer_id FROM customers WHERE NOT deleted AND status = 'ACTIVE' LIMIT 1)",
        (name,),
    )
    app = build_app(running.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await open_palette(pilot)
        await pilot.press(*"markup")
        await wait_until(
            pilot,
            lambda: any(line.startswith(f"Customer {name} · ") for line in hit_lines(app)),
            what="the name drawn as it is stored",
        )


async def test_enkash_down_is_one_line_not_a_crash(
    start_sandbox: Callable[..., RunningSandbox],
) -> None:
    running = start_sandbox()
    app = build_app(running.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        running.stop()
        await open_palette(pilot)
        await pilot.press(*"acme")
        await wait_until(
            pilot,
            lambda: [line.split(":")[0] for line in hit_lines(app)] == ["Could not search EnKash"],
            timeout=30,
            what="one line saying the search failed",
        )
        assert app.is_running
        await pilot.press("escape")
        await pilot.pause()
        assert app.current_mode == "home"


async def test_before_sign_in_the_finder_finds_nothing(sandbox: RunningSandbox) -> None:
    invoice = await an_invoice(sandbox)
    assert invoice.invoice_number is not None
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: bool(app.screen.query("#profile")), what="sign-in form")
        provider = FindProvider(app.screen)
        for text in (invoice.invoice_number, "Traders", "9812345678"):
            assert [hit async for hit in provider.search(text)] == []
        assert app.session is None


async def test_a_customer_filter_by_name_matches_what_the_finder_shows(
    sandbox: RunningSandbox,
) -> None:
    """The finder asks EnKash what the Customers search would: part of a legal name."""
    # A seeded name of plain letters: other tests on this sandbox add customers whose names
    # hold characters no key types.
    plain = [
        c for c in await customers(sandbox) if re.fullmatch(r"[A-Za-z .]+", c.legal_name or "")
    ]
    customer = sorted(plain, key=lambda c: c.customer_id)[1]
    assert customer.legal_name is not None
    word = max(customer.legal_name.split(), key=len)
    async with signed_in(sandbox.url) as client:
        page = await client.search_customers(CustomerFilter(legal_name=word), limit=FIND_ASKED)
    # Other tests on this sandbox delete customers: the finder drops them before it keeps five.
    kept = sorted(
        (c for c in page.items if not c.deleted),
        key=lambda c: (c.legal_name or "").lower() != word.lower(),
    )
    wanted = [customer_line(c) for c in kept[:FIND_LIMIT]]
    assert wanted
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in(pilot)
        await open_palette(pilot)
        await pilot.press(*word)
        await wait_until(
            pilot,
            lambda: [line for line in hit_lines(app) if line.startswith("Customer ")] == wanted,
            what=f"the customers whose names hold {word!r}: {wanted}",
        )
