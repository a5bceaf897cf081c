"""Text on the wire (api/text.py): what EnKash holds is read as plain text, however hostile; and
the sandbox refuses what the client refuses to send (line breaks, tabs and invisible control
characters in any text field) with a 400 envelope naming the field.

Hostile data is written straight into the sandbox's SQLite, past its validation; bodies the
client's models would never send go raw with httpx.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from enkash_tui.api import EnkashClient
from enkash_tui.api.models import CustomerFilter
from enkash_tui.api.text import REFUSAL
from enkash_tui.sandbox_demo import DEMO_CLIENT_ID
from tests.support.records import unique
from tests.support.sandboxes import RunningSandbox
from tests.support.wire import RawApi

# CR, LF, tab, VT, FF, the 8-bit CSI, a right-to-left override, an isolate, zero-width spaces.
CHARACTERS = ["\r", "\n", "\t", "\x0b", "\x0c", "\x9b", "\u202e", "\u2066", "\u200b", "\ufeff"]


def contact(**fields: Any) -> dict[str, Any]:
    return {"name": "Ravi", "legalName": "Ravi", "mobile": "9812345678", "deleted": False, **fields}


def refused_field(response: Any) -> list[tuple[str, str]]:
    assert response.status_code == 400, response.text
    error = response.json()["errorResponse"]
    assert error["errorType"] == "VALIDATION_ERROR"
    return [(sub["field"], sub["message"]) for sub in error["apiSubErrors"]]


HOSTILE = "AAA \x1b]52;c;SU5KRUNURUQ=\x1b\\ \x1b[2J \x1b[6n\nBBB \x9b31m \u202eZZZ"
SHOWN = "AAA ␛]52;c;SU5KRUNURUQ=␛\\ ␛[2J ␛[6n BBB \ufffd31m \ufffdZZZ"


async def test_hostile_text_in_enkash_reaches_the_client_as_plain_text(
    start_sandbox: Callable[..., RunningSandbox], make_client: Any
) -> None:
    running = start_sandbox()
    customer_id = running.conn.execute(
        "SELECT customer_id FROM customers WHERE company_id = ? AND NOT deleted LIMIT 1",
        (DEMO_CLIENT_ID,),
    ).fetchone()[0]
    running.conn.execute(
        "UPDATE customers SET legal_name = ?, state = ? WHERE customer_id = ?",
        (HOSTILE, "Maha\u2066rashtra\t", customer_id),
    )
    running.conn.execute(
        "UPDATE key_contacts SET name = ? WHERE customer_id = ?", (HOSTILE, customer_id)
    )
    client = await make_client(running.url)

    [customer] = (await client.search_customers(CustomerFilter(customer_ids=[customer_id]))).items
    assert customer.legal_name == SHOWN
    assert customer.state == "Maha\ufffdrashtra "
    every = [c async for c in client.iter_customers()]
    assert SHOWN in {c.legal_name for c in every}
    contacts = await client.get_customer_contacts(customer_id)
    assert contacts and {c.name for c in contacts} == {SHOWN}


@pytest.fixture
async def customer_id(client: EnkashClient) -> str:
    page = await client.search_customers(limit=1, order_by="customerId")
    return page.items[0].customer_id


@pytest.mark.parametrize("char", CHARACTERS, ids=lambda c: f"U+{ord(c):04X}")
async def test_a_new_customer_with_one_in_its_name_is_refused_and_not_created(
    shared_sandbox: RunningSandbox, client: EnkashClient, char: str
) -> None:
    name = unique("Hostile")
    response = RawApi(shared_sandbox.url).call(
        "POST",
        "/api/v0/customer",
        json={"legalName": f"{name}{char}Traders", "customerKeyContacts": [contact()]},
    )
    assert refused_field(response) == [("legalName", REFUSAL)]
    found = await client.search_customers(CustomerFilter(legal_name=name))
    assert found.items == []


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("PATCH", "/api/v0/customer/{customer}", {"address": "1 Road\nPune"}, "address"),
        (
            "PATCH",
            "/api/v0/customer/{customer}",
            {"customerKeyContacts": [contact(name="Ra\u202evi")]},
            "customerKeyContacts.0.name",
        ),
        (
            "POST",
            "/api/v0/invoice",
            {
                "customerId": "{customer}",
                "dueDate": "2099-12-31",
                "baseAmount": 100,
                "description": "one\r\ntwo",
            },
            "description",
        ),
        (
            "POST",
            "/api/v0/invoice",
            {
                "customerId": "{customer}",
                "dueDate": "2099-12-31",
                "baseAmount": 100,
                "invoiceNumber": "INV\x9b1",
            },
            "invoiceNumber",
        ),
        ("POST", "/api/v0/customer/search", {"legalName": "Ac\tme"}, "legalName"),
    ],
    ids=["customer address", "contact name", "invoice description", "invoice number", "filter"],
)
async def test_every_text_field_the_sandbox_takes_refuses_them(
    shared_sandbox: RunningSandbox,
    customer_id: str,
    method: str,
    path: str,
    body: dict[str, Any],
    field: str,
) -> None:
    filled = {k: (customer_id if v == "{customer}" else v) for k, v in body.items()}
    response = RawApi(shared_sandbox.url).call(
        method, path.format(customer=customer_id), json=filled
    )
    assert (field, REFUSAL) in refused_field(response)


async def test_a_trailing_line_break_is_stripped_and_saved(
    shared_sandbox: RunningSandbox, client: EnkashClient
) -> None:
    name = unique("Trailing")
    response = RawApi(shared_sandbox.url).call(
        "POST",
        "/api/v0/customer",
        json={"legalName": f"{name}\r\n", "customerKeyContacts": [contact()]},
    )
    assert response.status_code == 200, response.text
    found = await client.search_customers(CustomerFilter(legal_name=name))
    assert [customer.legal_name for customer in found.items] == [name]
