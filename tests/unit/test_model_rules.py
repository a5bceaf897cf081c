"""The write models' rules that make numbers and words true (issue 15), and their messages.

* an invoice is never due before it is dated, and is dated and due in the years 2000 to 2099;
* a GSTIN's check character adds up and its state code agrees with the State field;
* enumerated fields (a contact's "Prefers", a rule's stage, ...) take only the listed values;
* every message is in words: no regular expression, no pydantic phrasing, no ``0.1`` for a rupee
  amount, and it names the field a person has to fix.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from enkash_tui.api import field_errors_from_validation
from enkash_tui.api.models import (
    CustomerCreate,
    CustomerUpdate,
    InvoiceCreate,
    InvoiceUpdate,
    KeyContactCreate,
    ReminderCreate,
    ReminderUpdate,
)

CUSTOMER_ID = "KC1A2B3C4D5E6F7G"
CONTACT = {"name": "Ravi Kumar", "legalName": "Ravi Kumar", "mobile": "9812345678"}


def invoice(**changes: Any) -> dict[str, Any]:
    return {"customerId": CUSTOMER_ID, "dueDate": "2026-12-31", "baseAmount": 100, **changes}


def customer(**changes: Any) -> dict[str, Any]:
    return {"legalName": "Acme Traders", "customerKeyContacts": [CONTACT], **changes}


def problems(model: type[BaseModel], data: dict[str, Any]) -> dict[str, str]:
    """Wire field -> message, as a form or the sandbox's 400 would show them."""
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return {p.field: p.message for p in field_errors_from_validation(caught.value, model)}


# -- an invoice is not due before it is dated --------------------------------------------------


def test_an_invoice_due_before_it_is_dated_is_refused_on_the_due_date() -> None:
    body = invoice(invoiceDate="2026-12-10T00:00:00Z", dueDate="2026-12-01")
    assert problems(InvoiceCreate, body) == {
        "dueDate": "can't be before the invoice date, 10 Dec 2026"
    }
    assert problems(InvoiceUpdate, {"invoiceDate": "2026-12-10T00:00:00Z", "dueDate": "2026-12-01"})


@pytest.mark.parametrize(
    "dated", ["2026-12-10T00:00:00Z", "2026-12-10T23:59:59+05:30", "2026-12-09T20:00:00-05:00"]
)
def test_due_on_the_day_it_is_dated_or_later_is_fine(dated: str) -> None:
    InvoiceCreate.model_validate(invoice(invoiceDate=dated, dueDate="2026-12-10"))
    InvoiceCreate.model_validate(invoice(invoiceDate=dated, dueDate="2027-01-10"))


def test_the_day_an_invoice_is_dated_is_the_day_as_written() -> None:
    # 10 Dec in India is still 9 Dec in UTC: the invoice is dated 10 Dec, as written.
    body = invoice(invoiceDate="2026-12-10T01:00:00+05:30", dueDate="2026-12-09")
    assert set(problems(InvoiceCreate, body)) == {"dueDate"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("dueDate", "0001-01-06"),
        ("dueDate", "9999-12-31"),
        ("dueDate", "1999-12-31"),
        ("dueDate", "2100-01-01"),
        ("invoiceDate", "0001-01-01T00:00:00Z"),
        ("invoiceDate", "9999-12-31T23:59:59Z"),
    ],
)
def test_dates_far_from_today_are_refused_in_words(field: str, value: str) -> None:
    body = invoice(**{field: value})
    if field == "invoiceDate":
        body["dueDate"] = "2099-12-31"
    assert problems(InvoiceCreate, body) == {field: "a date from 2000 to 2099"}
    assert problems(InvoiceUpdate, {field: value}) == {field: "a date from 2000 to 2099"}


# -- GSTIN ----------------------------------------------------------------------------------


def test_a_gstin_with_a_wrong_check_character_is_refused() -> None:
    # The template's old example: one character off.
    for model in (CustomerCreate, CustomerUpdate):
        found = problems(model, customer(panOrGstin="27AAACS1234A1Z5"))
        assert found == {"panOrGstin": "check character does not match (a typo?)"}


def test_a_gstin_of_another_state_is_refused_on_the_gstin() -> None:
    body = customer(panOrGstin="27AAACS1234A1Z2", state="Karnataka")
    for model in (CustomerCreate, CustomerUpdate):
        assert problems(model, body) == {
            "panOrGstin": "starts 27 (Maharashtra), but the State is Karnataka"
        }


@pytest.mark.parametrize(
    "fields",
    [
        {"panOrGstin": "27AAACS1234A1Z2", "state": "Maharashtra"},
        {"panOrGstin": "27aaacs1234a1z2", "state": "maharashtra"},
        {"panOrGstin": "27AAACS1234A1Z2"},  # no State: nothing to compare
        {"panOrGstin": "27AAACS1234A1Z2", "state": "Somewhere else"},  # not a state we know
        {"panOrGstin": "AAACS1234A", "state": "Karnataka"},  # a PAN has no state
    ],
)
def test_a_good_gstin_or_a_pan_is_accepted(fields: dict[str, str]) -> None:
    CustomerCreate.model_validate(customer(**fields))


def test_a_state_typed_with_braces_is_quoted_not_read_as_a_template() -> None:
    found = problems(CustomerCreate, customer(panOrGstin="27AAACS1234A1Z2", state="{Karnataka}"))
    assert found == {"panOrGstin": "starts 27 (Maharashtra), but the State is {Karnataka}"}


# -- enumerated fields ----------------------------------------------------------------------


def test_a_contacts_preferred_channel_is_one_of_the_three() -> None:
    for via in ("EMAIL", "SMS", "WHATSAPP"):
        assert KeyContactCreate.model_validate({**CONTACT, "via": via}).via == via
    found = problems(CustomerCreate, customer(customerKeyContacts=[{**CONTACT, "via": "FAX"}]))
    assert found == {"customerKeyContacts.0.via": "one of EMAIL, SMS or WHATSAPP"}


def test_a_rules_stage_is_one_of_the_listed_stages() -> None:
    rule = {"reminderType": "ONCE", "dueDateDifference": -3, "reminderTime": "10:00"}
    for stage in ("BEFORE_DUE", "ON_DUE", "AFTER_DUE"):
        assert ReminderCreate.model_validate({**rule, "stage": stage}).stage == stage
    expected = {"stage": "one of BEFORE_DUE, ON_DUE or AFTER_DUE"}
    assert problems(ReminderCreate, {**rule, "stage": "GENTLE_NUDGE"}) == expected
    assert problems(ReminderUpdate, {"stage": "x"}) == expected
    assert problems(ReminderCreate, {**rule, "reminderType": "WEEKLY"}) == {
        "reminderType": "ONCE or RECURRING"
    }


def test_an_invoices_channel_and_status_are_from_their_lists() -> None:
    found = problems(InvoiceCreate, invoice(via="POST", receivableStatus="LOST"))
    assert found == {
        "via": "one of EMAIL, SMS or WHATSAPP",
        "receivableStatus": "one of UNPAID, PARTIALLY_PAID, PAID or OVERDUE",
    }


# -- messages in words ----------------------------------------------------------------------

PYDANTIC_PHRASES = re.compile(
    r"Input should|String should|should match|pattern|Decimal input|Value error|Field required"
    r"|valid datetime|valid date|\^|\$|\\"
)


@pytest.mark.parametrize(
    ("model", "body", "expected"),
    [
        (InvoiceCreate, invoice(baseAmount="0.05"), {"baseAmount": "₹0.10 or more"}),
        (InvoiceCreate, invoice(cgst="-1"), {"cgst": "cannot be negative"}),
        (InvoiceCreate, invoice(cgst="1.234"), {"cgst": "at most 2 decimal places (paise)"}),
        (InvoiceCreate, invoice(sgst="1e20"), {"sgst": "too large: at most 15 digits"}),
        (InvoiceCreate, invoice(igst="abc"), {"igst": "a number, like 1250.50"}),
        (
            InvoiceCreate,
            invoice(dueDate="2026-02-30"),
            {"dueDate": "a date as yyyy-mm-dd, like 2026-11-25"},
        ),
        (
            InvoiceCreate,
            invoice(invoiceDate="soon"),
            {"invoiceDate": "a date as yyyy-mm-dd, like 2026-11-25"},
        ),
        (InvoiceCreate, invoice(customerId="KC-1"), {"customerId": "KC + 14 capitals or digits"}),
        (InvoiceCreate, invoice(gstExclusive="maybe"), {"gstExclusive": "true or false"}),
        (InvoiceCreate, invoice(description="x" * 501), {"description": "at most 500 characters"}),
        (InvoiceCreate, {"customerId": CUSTOMER_ID, "baseAmount": 1}, {"dueDate": "required"}),
        (CustomerCreate, customer(ifsc="HDFC123"), {"ifsc": "like HDFC0001234"}),
        (CustomerCreate, customer(pinCode="0123"), {"pinCode": "6 digits, not from 0"}),
        (CustomerCreate, customer(legalName=""), {"legalName": "required"}),
        (
            ReminderCreate,
            {"reminderType": "ONCE", "dueDateDifference": 400, "reminderTime": "10:00"},
            {"dueDateDifference": "365 or less"},
        ),
        (
            ReminderCreate,
            {"reminderType": "ONCE", "dueDateDifference": "soon", "reminderTime": "25:00"},
            {"dueDateDifference": "a whole number", "reminderTime": "a time as HH:mm, like 10:00"},
        ),
        (
            ReminderCreate,
            {"reminderType": "RECURRING", "dueDateDifference": 1, "reminderTime": "10:00"},
            {"reminderInterval": "a repeating rule needs the days between repeats"},
        ),
    ],
    ids=lambda value: value.__name__ if isinstance(value, type) else None,
)
def test_messages_are_in_words(
    model: type[BaseModel], body: dict[str, Any], expected: dict[str, str]
) -> None:
    found = problems(model, body)
    assert found == expected
    for message in found.values():
        assert not PYDANTIC_PHRASES.search(message), message
        assert not re.search(r"\d\.\d(?!\d)", message), message  # no 10000.0, no ₹41,300.0
