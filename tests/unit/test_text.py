"""Server text is data, never terminal commands; text we send is plain words (api/text.py).

The cleaner on its own; then the one place each kind of reply text is read (ReadModels, the
envelope's messages, typed errors, call records, a delete's confirmation) and the rule every
WriteModel applies to what we send.
"""

from __future__ import annotations

import unicodedata
from typing import Any

import httpx
import pytest
from pydantic import BaseModel, ValidationError

from enkash_tui.api import envelope, field_errors_from_validation
from enkash_tui.api.call_record import CallRecord, build_record
from enkash_tui.api.errors import ApiError, FieldError, NetworkError
from enkash_tui.api.models import (
    BulkResult,
    Customer,
    CustomerCreate,
    CustomerUpdate,
    Invoice,
    InvoiceActionResult,
    InvoiceCreate,
    KeyContactCreate,
    PaymentConfirmation,
    Reminder,
    Token,
)
from enkash_tui.api.routes import build_routes
from enkash_tui.api.text import REFUSAL, clean, clean_json, has_unsafe

HOSTILE_NAME = "AAA \x1b]52;c;SU5KRUNURUQ=\x1b\\ \x1b[2J \x1b[6n\nBBB \x9b31m \u202eZZZ"
CUSTOMER_ID = "KC1A2B3C4D5E6F7G"

# Every character a terminal acts on or that draws nothing: C0, DEL, C1, bidi controls and marks,
# zero-width characters, line and paragraph separators, lone surrogates.
UNSAFE = [
    *map(chr, range(0x00, 0x20)),
    "\x7f",
    *map(chr, range(0x80, 0xA0)),
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
    "\u200e",
    "\u200f",
    "\u061c",
    "\u200b",
    "\u2060",
    "\ufeff",
    "\u2028",
    "\u2029",
    "\ud800",
    "\udfff",
]
# Text a person writes, in the scripts and symbols an Indian invoice holds: left alone.
SAFE = [
    "Acme Traders Pvt. Ltd.",
    "मेसर्स शर्मा एंड संस",
    "ஸ்ரீ லக்ஷ்மி டிரேடர்ஸ்",
    "₹1,00,000.50 — 18% GST",
    "Müller & Söhne GmbH",
    'O\'Brien "quoted" [bold]not markup[/]',
    "😀 İß Z̸a\u0301",
    "\u00a0non-breaking\u00a0space",
    # The zero-width joiner and non-joiner spell Indian names: a Hindi half form, Malayalam chillu.
    "क्\u200dष ट्रेडर्स",
    "श्री\u200c गणेश",
    "കേരള\u200d ട്രേഡേഴ്സ്",
]


def unsafe_in(text: str) -> list[str]:
    """The characters of ``text`` a terminal would act on (or that draw nothing)."""
    return [
        char
        for char in text
        if unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")
        or char in "\u061c\u200b\u200e\u200f\u2060\ufeff"
        or "\u202a" <= char <= "\u202e"
        or "\u2066" <= char <= "\u2069"
    ]


# -- the cleaner --------------------------------------------------------------------------------


@pytest.mark.parametrize("char", UNSAFE, ids=lambda c: f"U+{ord(c):04X}")
def test_every_unsafe_character_is_found_and_cleaned(char: str) -> None:
    text = f"a{char}b"
    assert has_unsafe(text)
    cleaned = clean(text)
    assert unsafe_in(cleaned) == []
    assert cleaned.startswith("a") and cleaned.endswith("b")
    assert len(cleaned) <= 3  # one character for one, or none


@pytest.mark.parametrize("text", SAFE)
def test_what_people_write_is_left_alone(text: str) -> None:
    assert not has_unsafe(text)
    assert clean(text) is text


@pytest.mark.parametrize("char", ["\t", "\n", "\r", "\x0b", "\x0c", "\x85", "\u2028", "\u2029"])
def test_line_breaks_and_tabs_become_a_space(char: str) -> None:
    assert clean(f"Acme{char}Traders") == "Acme Traders"


def test_escape_codes_show_as_control_pictures_instead_of_acting() -> None:
    assert clean("\x1b[2J") == "␛[2J"
    assert clean("\x1b]52;c;SU5KRUNURUQ=\x1b\\") == "␛]52;c;SU5KRUNURUQ=␛\\"
    assert clean("a\x00b\x07c\x7f") == "a␀b␇c␡"


@pytest.mark.parametrize("char", ["\x9b", "\x90", "\u202e", "\u2066", "\u200f", "\ud800"])
def test_c1_bidi_and_surrogates_become_the_replacement_character(char: str) -> None:
    assert clean(f"x{char}y") == "x\ufffdy"


@pytest.mark.parametrize("char", ["\u200b", "\u2060", "\ufeff"])
def test_zero_width_spaces_are_dropped(char: str) -> None:
    assert clean(f"Ac{char}me") == "Acme"


def test_the_hostile_name_keeps_its_words_on_one_line() -> None:
    cleaned = clean(HOSTILE_NAME)
    assert unsafe_in(cleaned) == []
    assert cleaned == "AAA ␛]52;c;SU5KRUNURUQ=␛\\ ␛[2J ␛[6n BBB \ufffd31m \ufffdZZZ"
    assert clean(cleaned) == cleaned  # cleaning twice changes nothing


def test_clean_json_reaches_keys_values_and_list_items() -> None:
    raw = {"a\x1b": ["x\ny", {"k": "\u202e"}], "n": 5, "none": None, "ok": True}
    assert clean_json(raw) == {"a␛": ["x y", {"k": "\ufffd"}], "n": 5, "none": None, "ok": True}


# -- read side: the tolerant reader cleans every string once ---------------------------------


def test_a_customer_read_from_a_reply_is_clean_all_the_way_down() -> None:
    customer = Customer.model_validate(
        {
            "customerId": CUSTOMER_ID,
            "legalName": HOSTILE_NAME,
            "address": "1 Road\r\nPune",
            "branchCodes": ["B\x1b[1", "ok"],
            "customerKeyContacts": [{"name": "Ravi\x9b", "email": "r@x.in\u202e"}],
            "customerReminders": [{"stage": "ON\x1bDUE", "reminderTime": "10:00"}],
        }
    )
    assert customer.legal_name == clean(HOSTILE_NAME)
    assert customer.address == "1 Road  Pune"
    assert customer.branch_codes == ["B␛[1", "ok"]
    assert customer.customer_key_contacts[0].name == "Ravi\ufffd"
    assert customer.customer_key_contacts[0].email == "r@x.in\ufffd"
    assert customer.customer_reminders[0].stage == "ON␛DUE"
    assert unsafe_in(customer.model_dump_json()) == []


def test_an_invoice_read_from_a_reply_is_clean_all_the_way_down() -> None:
    invoice = Invoice.model_validate(
        {
            "invoiceId": "KI1A2B3C4D5E6F7G",
            "invoiceNumber": "INV\x1b[2J-1",
            "description": "line one\nline two",
            "receivableStatus": "PENDING\x1b[6n",  # a bare string where an object is documented
            "approvalStatus": {"name": "MAKER_APPROVED", "label": "Approved\u2066"},
            "invoiceAttachments": [{"remarks": "\x1b]8;;http://evil.test\x1b\\"}],
            "bharatConnect": {"status": "CREATED\x85", "events": [{"remarks": "r\x9b"}]},
        }
    )
    assert invoice.invoice_number == "INV␛[2J-1"
    assert invoice.description == "line one line two"
    assert invoice.receivable_status is not None
    assert invoice.receivable_status.name == "PENDING␛[6n"
    assert invoice.approval_status is not None
    assert invoice.approval_status.display == "Approved\ufffd"
    assert unsafe_in(invoice.model_dump_json()) == []


def test_bulk_result_rows_and_their_errors_are_clean() -> None:
    result = BulkResult.model_validate(
        {
            "total_count": 2,
            "failure_count": 1,
            "successRequests": [{"legalName": "Acme\x1b[2J", "nested": {"x": "\u202e"}}],
            "failureRequests": [
                {"row": 2, "message": "bad\nrow\x1b[6n", "errors": {"legal\x1bName": "no\x9b"}}
            ],
            "failure_file_name": "failed\x1b.csv",
        }
    )
    assert result.success_requests == [{"legalName": "Acme␛[2J", "nested": {"x": "\ufffd"}}]
    [failure] = result.row_failures
    assert failure.message == "bad row␛[6n"
    assert failure.errors == {"legal␛Name": "no\ufffd"}
    assert result.failure_file_name == "failed␛.csv"


def test_per_invoice_results_and_reminders_are_clean() -> None:
    result = InvoiceActionResult.model_validate(
        {"failureInvoices": [{"invoiceId": "KI1", "message": "no\x1b[2J"}], "message": "m\n"}
    )
    assert result.failure_invoices[0].message == "no␛[2J"
    assert result.message == "m "
    assert InvoiceActionResult(message="built \x1b here").message == "built ␛ here"
    assert Reminder.model_validate({"reminderType": "ONCE\u202e"}).reminder_type == "ONCE\ufffd"


def test_a_token_is_never_cleaned_into_another_secret() -> None:
    """A token is never drawn, so it is not cleaned: one a header cannot carry is refused whole
    (cleaning it would send a different secret), and a usable one comes back as it came."""
    with pytest.raises(ValidationError):
        Token.model_validate({"access_token": "abc\x1bdef", "token_type": "bearer"})
    token = Token.model_validate({"access_token": "abc.DEF_ghi-9~", "token_type": "bearer"})
    assert token.access_token.get_secret_value() == "abc.DEF_ghi-9~"


# -- read side: messages read outside a ReadModel --------------------------------------------


def test_an_error_envelope_is_clean_in_every_text_it_carries() -> None:
    body = {
        "response_code": 1,
        "response_message": "ignored",
        "payload": None,
        "errorResponse": {
            "errorType": "VALIDATION_ERROR\x1b",
            "errorMessage": "Bad \x1b]52;c;SU5KRUNURUQ=\x1b\\ request\n\x9b2J",
            "requestId": "req\x1b[6n-1",
            "timestamp": "2026-01-01 00:00:00\u202e",
            "apiSubErrors": [
                {
                    "field": "legal\x1bName",
                    "message": "too\nlong\x1b[2J",
                    "rejectedValue": "\x1b[31mx",
                }
            ],
        },
    }
    with pytest.raises(ApiError) as caught:
        envelope.unwrap(400, body)
    error = caught.value
    assert error.message == "Bad ␛]52;c;SU5KRUNURUQ=␛\\ request \ufffd2J"
    assert error.request_id == "req␛[6n-1"
    assert error.timestamp == "2026-01-01 00:00:00\ufffd"
    assert error.error_type == "VALIDATION_ERROR␛"
    [sub] = error.field_errors
    assert (sub.field, sub.message, sub.rejected_value) == ("legal␛Name", "too long␛[2J", "␛[31mx")
    assert error.errors_for("legal␛Name") == ["too long␛[2J"]
    assert unsafe_in(str(error)) == []


@pytest.mark.parametrize(
    "body",
    [
        {"response_message": "plain \x1b[2J message"},
        {"response_code": 1, "payload": "payload \x1b[2J message"},
    ],
)
def test_an_error_without_error_response_is_clean(body: dict[str, Any]) -> None:
    assert unsafe_in(envelope.error_from_body(500, body).message) == []


def test_a_success_message_is_clean() -> None:
    body = {"response_code": 0, "response_message": "Done\x1b[2J\n", "payload": {"a": 1}}
    assert envelope.unwrap(200, body) == ({"a": 1}, "Done␛[2J ")


def test_every_typed_error_cleans_its_message() -> None:
    assert NetworkError("host\x1b[2J", may_have_reached_server=False).message == "host␛[2J"
    assert FieldError("f\x1b", "m\n").field == "f␛"
    assert FieldError("f\x1b", "m\n").message == "m "


def test_a_call_record_keeps_no_escape_code_from_the_reply() -> None:
    record = CallRecord(
        operation="dispatch_invoices",
        method="POST",
        path="/api/v0/invoice/dispatch",
        outcome="ok",
        retry_safe=False,
        target_ids=("KI1\x1b[2J",),
        message="0 done, 1 failed (KI1: no\x1b]52;c;SU5KRUNURUQ=\x1b\\)",
        request_id="r\x9b",
    )
    assert record.target_ids == ("KI1␛[2J",)
    assert record.message == "0 done, 1 failed (KI1: no␛]52;c;SU5KRUNURUQ=␛\\)"
    assert record.request_id == "r\ufffd"


def test_a_request_id_header_with_a_c1_byte_is_clean_in_the_record() -> None:
    """Header values are Latin-1: the byte 0x9B arrives as U+009B, an 8-bit CSI."""
    route = build_routes()["dispatch_invoices"]
    headers = httpx.Headers([(b"x-request-id", b"id\x9b2J")])
    record = build_record(
        "dispatch_invoices",
        route,
        route.path,
        path_params=None,
        query=None,
        json_body={"invoiceIds": ["KI1"]},
        upload_name=None,
        payload={
            "successInvoices": [],
            "failureInvoices": [{"invoiceId": "KI1", "message": "x\n"}],
        },
        headers=headers,
    )
    assert record.request_id == "id\ufffd2J"
    assert record.message is not None and unsafe_in(record.message) == []


# -- send side: every text we send refuses the same characters ---------------------------------


def _contact(**fields: Any) -> dict[str, Any]:
    return {"name": "Ravi", "legalName": "Ravi", "mobile": "9812345678", "deleted": False, **fields}


def _customer(**fields: Any) -> dict[str, Any]:
    return {"legalName": "Acme", "customerKeyContacts": [_contact()], **fields}


def refused_fields(model: type[BaseModel], raw: dict[str, Any]) -> list[tuple[str, str]]:
    try:
        model.model_validate(raw)
    except ValidationError as error:
        return [(p.field, p.message) for p in field_errors_from_validation(error, model)]
    return []


# What the issue found getting through (CR, LF, tab, VT, FF, U+009B, U+202E, zero-width spaces),
# and the rest of the family.
SENT_UNSAFE = [
    "\r",
    "\n",
    "\t",
    "\x0b",
    "\x0c",
    "\x9b",
    "\x85",
    "\u202e",
    "\u202a",
    "\u2066",
    "\u2069",
    "\u200e",
    "\u200b",
    "\u2060",
    "\ufeff",
    "\u2028",
    "\x1b",
    "\x00",
    "\x7f",
]


@pytest.mark.parametrize("char", SENT_UNSAFE, ids=lambda c: f"U+{ord(c):04X}")
def test_an_inner_control_character_is_refused_in_words(char: str) -> None:
    assert refused_fields(CustomerCreate, _customer(legalName=f"Acme{char}Traders")) == [
        ("legalName", REFUSAL)
    ]


@pytest.mark.parametrize(
    ("model", "raw", "field"),
    [
        (CustomerCreate, _customer(address="1 Road\nPune"), "address"),
        (CustomerUpdate, {"state": "Maha\u202erashtra"}, "state"),
        (CustomerUpdate, {"branchCodes": ["B1", "B\t2"]}, "branchCodes"),
        (
            CustomerCreate,
            _customer(customerKeyContacts=[_contact(name="Ra\u200bvi")]),
            "customerKeyContacts.0.name",
        ),
        (KeyContactCreate, _contact(legalName="Ravi\x9b Kumar"), "legalName"),
        (
            InvoiceCreate,
            {
                "customerId": CUSTOMER_ID,
                "dueDate": "2030-01-31",
                "baseAmount": "10",
                "description": "one\r\ntwo",
            },
            "description",
        ),
        (
            PaymentConfirmation,
            {
                "invoiceIds": ["KI1A2B3C4D5E6F7G"],
                "paymentId": "PMT" + "a" * 32,
                "remarks": "ok\u2066",
                "response": "ACCEPT",
                "type": "ONPLATFORM",
            },
            "remarks",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) else getattr(v, "__name__", ""),
)
def test_every_text_we_send_refuses_them_on_its_own_field(
    model: type[BaseModel], raw: dict[str, Any], field: str
) -> None:
    assert (field, REFUSAL) in refused_fields(model, raw)


def test_a_trailing_line_break_is_stripped_not_refused() -> None:
    """What a form's Enter or a paste leaves at either end is whitespace, stripped before the
    check; only a break inside the text is refused."""
    customer = CustomerCreate.model_validate(_customer(legalName="\tAcme Traders\r\n"))
    assert customer.legal_name == "Acme Traders"


def test_the_refusal_is_in_words() -> None:
    assert "line breaks" in REFUSAL and "control characters" in REFUSAL
    assert "\\" not in REFUSAL and "pattern" not in REFUSAL
