"""What a text typed into Ctrl+P asks EnKash for (enkash_tui.domain.find), and how hits read."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from enkash_tui.api.models import Customer, Invoice
from enkash_tui.domain.find import (
    BY_NAME,
    BY_PHONE,
    BY_TAX_ID,
    customer_line,
    exact,
    find_plan,
    invoice_line,
    nothing_line,
    phone_digits,
    tax_id_start,
)

GSTIN = "27AAACA1234A1Z5"
PAN = "AAACA1234A"


def customer_wires(text: str) -> list[dict[str, object]]:
    plan = find_plan(text)
    assert plan is not None
    return [f.to_wire() for f in plan.customers]


# -- which customer filter the text's shape picks -----------------------------------------------


@pytest.mark.parametrize("text", ["", "  ", "ab", " a  ", "12"])
def test_too_short_a_text_asks_nothing(text: str) -> None:
    assert find_plan(text) is None


def test_control_characters_ask_nothing() -> None:
    assert find_plan("acme\x1b[2J") is None
    assert find_plan("ac\u202eme") is None


def test_every_text_is_looked_up_as_part_of_an_invoice_number() -> None:
    for text in ("INV-2025-0007", "Acme Traders", GSTIN, "+91 98123 45678", "0007"):
        plan = find_plan(text)
        assert plan is not None
        assert plan.invoices.to_wire() == {"invoiceNumber": " ".join(text.split())}


@pytest.mark.parametrize(
    "text", ["Acme", "acme traders", "Sharma & Sons", "INV-2025-0007", "2025", "3M India"]
)
def test_a_name_is_looked_up_as_part_of_a_legal_name(text: str) -> None:
    plan = find_plan(text)
    assert plan is not None and plan.by == BY_NAME
    assert customer_wires(text) == [{"legalName": text}]


def test_spaces_are_trimmed_and_runs_of_them_made_one() -> None:
    plan = find_plan("  Acme    Traders ")
    assert plan is not None and plan.text == "Acme Traders"
    assert customer_wires("  Acme    Traders ") == [{"legalName": "Acme Traders"}]


@pytest.mark.parametrize("text", [GSTIN, GSTIN.lower(), PAN, PAN.lower()])
def test_a_whole_gstin_or_pan_is_looked_up_as_one(text: str) -> None:
    plan = find_plan(text)
    assert plan is not None and plan.by == BY_TAX_ID
    assert customer_wires(text) == [{"panOrGstin": text.upper()}]


@pytest.mark.parametrize("text", ["27AAACA", "27a", "27AAACA1234", "AAACA1", "aaaca12"])
def test_the_start_of_a_gstin_or_pan_is_looked_up_as_one_and_as_a_name(text: str) -> None:
    plan = find_plan(text)
    assert plan is not None and plan.by == f"{BY_TAX_ID} or {BY_NAME}"
    assert customer_wires(text) == [{"panOrGstin": text.upper()}, {"legalName": text}]


@pytest.mark.parametrize(
    "text",
    ["27 AAACA", "ACME", "ACMEL", "2AAACA", "27AAACA1234A1Z5X", "AAACA1234A5", "27AAACAB"],
)
def test_what_no_gstin_or_pan_starts_with_is_not_one(text: str) -> None:
    assert not tax_id_start(text)


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("9812345678", "9812345678"),
        ("+91 98123 45678", "9812345678"),
        ("+91-9812345678", "9812345678"),
        ("0091 9812345678", "9812345678"),
        ("09812345678", "9812345678"),
        ("(022) 2345 6789", "2223456789"),
        ("45678", "45678"),
    ],
)
def test_digits_are_a_phone_number(text: str, digits: str) -> None:
    assert phone_digits(text) == digits
    plan = find_plan(text)
    assert plan is not None and plan.by == BY_PHONE and plan.phone == digits
    # A key contact's mobile or the customer's own number: EnKash has a filter for each.
    assert customer_wires(text) == [{"mobile": digits}, {"contactNumber": digits}]


@pytest.mark.parametrize("text", ["4567", "98123 abc", "INV 98123", "98.123.456", "+"])
def test_too_few_digits_or_other_characters_are_no_phone(text: str) -> None:
    assert phone_digits(text) == ""


# -- how hits read --------------------------------------------------------------------------------


def invoice(**fields: object) -> Invoice:
    return Invoice.model_validate({"invoiceId": "KI1234567890ABCD", **fields})


def customer(**fields: object) -> Customer:
    return Customer.model_validate({"customerId": "KC1A2B3C4D5E6F7G", **fields})


def test_an_invoice_reads_with_its_customer_and_what_is_owed_by_when() -> None:
    line = invoice_line(
        invoice(
            invoiceNumber="INV-2025-0007",
            customerLegalName="Acme Ltd",
            netAmount="12000",
            balanceAmount="12000",
            dueDate="2026-12-01",
            receivableStatus={"name": "UNPAID"},
        )
    )
    assert line == "Invoice INV-2025-0007 · Acme Ltd · ₹12,000.00 due 01 Dec 2026"


def test_a_partly_paid_invoice_says_so() -> None:
    line = invoice_line(
        invoice(
            invoiceNumber="INV-8",
            balanceAmount="500",
            dueDate="2026-12-01",
            receivableStatus={"name": "PARTIALLY_PAID"},
        )
    )
    assert line == "Invoice INV-8 · ₹500.00 due 01 Dec 2026 · Partially Paid"


def test_a_paid_invoice_reads_with_its_amount() -> None:
    line = invoice_line(
        invoice(
            invoiceNumber="INV-9",
            netAmount=Decimal("150000.5"),
            balanceAmount=0,
            dueDate=dt.date(2026, 1, 2),
            receivableStatus={"name": "PAID"},
        )
    )
    assert line == "Invoice INV-9 · ₹1,50,000.50 · Paid"


def test_a_customer_reads_with_gstin_or_pan_phone_and_whether_inactive() -> None:
    acme = customer(legalName="Acme Ltd", panOrGstin=GSTIN, contactNumber="+91 9812345678")
    assert customer_line(acme) == f"Customer Acme Ltd · GSTIN {GSTIN} · +91 9812345678"
    firm = customer(legalName="Firm", panOrGstin=PAN, status="INACTIVE")
    assert customer_line(firm) == f"Customer Firm · PAN {PAN} · inactive"


def test_found_by_phone_a_customer_shows_the_number_that_matched() -> None:
    acme = customer(
        legalName="Acme Ltd",
        contactNumber="+91 9812345678",
        customerKeyContacts=[
            {"name": "Ravi", "mobile": "9000000001"},
            {"name": "Asha", "mobile": "+91-9000054321"},
        ],
    )
    plan = find_plan("54321")
    assert plan is not None
    assert customer_line(acme, plan) == "Customer Acme Ltd · +91-9000054321"
    assert customer_line(acme) == "Customer Acme Ltd · +91 9812345678"


def test_exact_means_the_whole_number_name_or_gstin_in_any_case() -> None:
    plan = find_plan("inv-2025-0007")
    assert plan is not None
    assert exact(plan, invoice(invoiceNumber="INV-2025-0007"))
    assert not exact(plan, invoice(invoiceNumber="INV-2025-00071"))
    by_gstin = find_plan(GSTIN.lower())
    assert by_gstin is not None
    assert exact(by_gstin, customer(legalName="Acme", panOrGstin=GSTIN))
    assert not exact(by_gstin, customer(legalName="Acme", panOrGstin=PAN))


def test_nothing_found_says_what_was_looked_at() -> None:
    for text, words in (
        ("zzzz", "customer name"),
        (GSTIN, "customer GSTIN/PAN"),
        ("98123 45678", "customer phone"),
    ):
        plan = find_plan(text)
        assert plan is not None
        assert nothing_line(plan) == f"No invoice number or {words} on EnKash has “{text}” in it"
