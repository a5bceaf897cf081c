"""The sandbox refuses what the client refuses (issue 15, "numbers and words are true"), with a
400 envelope naming the field, even when a body is sent past the client's models: an invoice due
before it is dated (on create, and on a PATCH of either date against the stored other), a GSTIN
that fails its check character or belongs to another state, and values outside an enumeration.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.records import Records
from tests.support.sandboxes import RunningSandbox
from tests.support.wire import RawApi


def refused_on(response: httpx.Response) -> dict[str, str]:
    """Field -> message of a 400 VALIDATION_ERROR envelope."""
    assert response.status_code == 400, response.text
    error = response.json()["errorResponse"]
    assert error["errorType"] == "VALIDATION_ERROR"
    return {sub["field"]: sub["message"] for sub in error["apiSubErrors"]}


async def a_customer(api: RawApi) -> str:
    page = api.call("POST", "/api/v0/customer/search", json={"customerStatus": "ACTIVE"})
    payload = page.json()["payload"]
    rows = (
        payload
        if isinstance(payload, list)
        else next(value for value in payload.values() if isinstance(value, list))
    )
    return str(rows[0]["customerId"])


async def test_an_invoice_due_before_it_is_dated_is_refused(start_sandbox: Any) -> None:
    sandbox: RunningSandbox = start_sandbox()
    api = RawApi(sandbox.url)
    customer_id = await a_customer(api)
    body = Records.invoice(customer_id).to_wire()
    early = {**body, "invoiceDate": "2026-12-10T00:00:00Z", "dueDate": "2026-12-01"}
    assert refused_on(api.call("POST", "/api/v0/invoice", json=early)) == {
        "dueDate": "can't be before the invoice date, 10 Dec 2026"
    }
    far = {**body, "dueDate": "9999-12-31"}
    assert refused_on(api.call("POST", "/api/v0/invoice", json=far)) == {
        "dueDate": "a date from 2000 to 2099"
    }

    # Dated 10 Dec, due 31 Dec: then a PATCH of one date is judged with the other as stored.
    good = {**body, "invoiceDate": "2026-12-10T00:00:00Z", "dueDate": "2026-12-31"}
    created = api.call("POST", "/api/v0/invoice", json=good)
    assert created.status_code == 200, created.text
    invoice_id = created.json()["payload"]["invoiceId"]
    path = f"/api/v0/invoice/{invoice_id}"
    assert refused_on(api.call("PATCH", path, json={"dueDate": "2026-12-09"})) == {
        "dueDate": "can't be before the invoice date, 10 Dec 2026"
    }
    later = api.call("PATCH", path, json={"invoiceDate": "2027-01-05T00:00:00Z"})
    assert refused_on(later) == {"dueDate": "can't be before the invoice date, 05 Jan 2027"}
    stored = api.call("GET", path).json()["payload"]
    assert (stored["invoiceDate"][:10], stored["dueDate"]) == ("2026-12-10", "2026-12-31")
    moved = api.call("PATCH", path, json={"dueDate": "2026-12-10"})  # the same day is fine
    assert moved.status_code == 200, moved.text


async def test_a_gstin_that_does_not_add_up_is_refused(start_sandbox: Any) -> None:
    sandbox: RunningSandbox = start_sandbox()
    api = RawApi(sandbox.url)
    body = Records.customer(state="Maharashtra", pan_or_gstin="27AAACS1234A1Z2").to_wire()
    typo = {**body, "panOrGstin": "27AAACS1234A1Z5"}
    assert refused_on(api.call("POST", "/api/v0/customer", json=typo)) == {
        "panOrGstin": "check character does not match (a typo?)"
    }
    elsewhere = {**body, "state": "Karnataka"}
    assert refused_on(api.call("POST", "/api/v0/customer", json=elsewhere)) == {
        "panOrGstin": "starts 27 (Maharashtra), but the State is Karnataka"
    }

    created = api.call("POST", "/api/v0/customer", json=body)
    assert created.status_code == 200, created.text
    path = f"/api/v0/customer/{created.json()['payload']['customerId']}"
    # Only the State changes: judged with the stored GSTIN.
    assert refused_on(api.call("PATCH", path, json={"state": "Karnataka"})) == {
        "panOrGstin": "starts 27 (Maharashtra), but the State is Karnataka"
    }
    both = api.call("PATCH", path, json={"state": "Karnataka", "panOrGstin": "AAACS1234A"})
    assert both.status_code == 200, both.text


async def test_values_outside_an_enumeration_are_refused(start_sandbox: Any) -> None:
    sandbox: RunningSandbox = start_sandbox()
    api = RawApi(sandbox.url)
    body = Records.customer().to_wire()
    body["customerKeyContacts"][0]["via"] = "FAX"
    body["customerReminders"] = [
        {"reminderType": "ONCE", "dueDateDifference": -3, "reminderTime": "10:00", "stage": "NAG"}
    ]
    assert refused_on(api.call("POST", "/api/v0/customer", json=body)) == {
        "customerKeyContacts.0.via": "one of EMAIL, SMS or WHATSAPP",
        "customerReminders.0.stage": "one of BEFORE_DUE, ON_DUE or AFTER_DUE",
    }
