"""Wire models: strict writers, tolerant readers (enkash-ar-api.md §1.3, §3.4, §4, §5, §6)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from enkash_tui.api import envelope
from enkash_tui.api.errors import FieldError, field_errors_from_validation
from enkash_tui.api.models import (
    BulkResult,
    Customer,
    CustomerCreate,
    CustomerUpdate,
    Invoice,
    InvoiceCreate,
    InvoiceUpdate,
    KeyContactCreate,
    PatchModel,
    PaymentConfirmation,
    Reminder,
    ReminderCreate,
    ReminderUpdate,
    StatusRef,
    Token,
)

CUSTOMER_ID = "KC1A2B3C4D5E6F7G"
COMPANY_ID = "CEKFOWV7UQ"

# §4.2, verbatim.
CREATE_CUSTOMER_EXAMPLE = """
{"companyId":"CEKFOWV7UQ","legalName":"Acme Traders Pvt Ltd","address":"12 MG Road, Pune",
 "contactNumber":"+919812345678","accountNumber":"001234567890","ifsc":"HDFC0001234",
 "panOrGstin":"27AAACA1234A1Z5","pinCode":"411001","state":"Maharashtra","uniqueRefNo":"ERP-CUST-0042",
 "customerKeyContacts":[{"name":"Ravi Kumar","legalName":"Ravi Kumar","mobile":"9812345678",
   "email":"ravi@acme.in","deleted":false,"mail_enabled":true,"sms_enabled":true,"whatsapp_enabled":false}],
 "customerReminders":[{"reminderType":"RECURRING","dueDateDifference":-3,"reminderInterval":2,
   "reminderTime":"10:00","stage":"BEFORE_DUE"}]}
"""

# The example's GSTIN fails its own check character (it ends ...Z5, the check gives K): the
# round-trips use it with that one character corrected.
VALID_CUSTOMER_EXAMPLE = CREATE_CUSTOMER_EXAMPLE.replace("27AAACA1234A1Z5", "27AAACA1234A1ZK")

# §4.11, verbatim.
CREATE_INVOICE_EXAMPLE = """
{"customerId":"KC1A2B3C4D5E6F7G","invoiceNumber":"INV-2025-0007","invoiceDate":"2025-07-01T10:00:00Z",
 "dueDate":"2025-07-31","baseAmount":10000.00,"cgst":900.00,"sgst":900.00,"gstExclusive":true,
 "description":"July services","poNumber":"PO-991","partialPaymentAllowed":true,"dispatchNow":false,
 "externalId":"erp-77812"}
"""

# §4.16, verbatim.
GET_INVOICE_EXAMPLE = """
{"errorResponse":{"apiSubErrors":[{}],"errorMessage":"string","errorType":"CLIENT_REQUEST_ABORT",
  "requestId":"string","timestamp":"yyyy-MM-dd HH:mm:ss"},
 "payload":{"approvalStatus":{"label":"string","name":"PAID"},"attachmentUrl":"string",
  "balanceAmount":0,"baseAmount":0,"cgst":0,"createdBy":"string","createdByEmail":"string",
  "createdByMobile":"string","createdByName":"string","createdOn":"2019-08-24T14:15:22Z",
  "customerId":"string","customerLegalName":"string","description":"string","dispatched":true,
  "dispatchedOn":"2019-08-24T14:15:22Z","dueDate":"2019-08-24","externalId":"string",
  "hasKeyContacts":true,"igst":0,
  "invoiceAttachments":[{"attachmentSource":"TALLY_INVOICE","createdBy":"string","deleted":true,
     "fileExt":"string","invoiceAttachmentId":"string","modifiedBy":"string",
     "originalFilename":"string","primary":true,"referenceId":"string","remarks":"string",
     "shared":true,"url":"string"}],
  "invoiceDate":"2019-08-24T14:15:22Z","invoiceId":"string","invoiceNumber":"string",
  "modifiedBy":"string","modifiedByEmail":"string","modifiedByMobile":"string",
  "modifiedByName":"string","modifiedOn":"2019-08-24T14:15:22Z","netAmount":0,
  "partialPaymentAllowed":true,"payableReferenceId":"string","paymentLink":"string",
  "payoutStatus":{"label":"string","name":"PAID"},"poNumber":"string",
  "receivableStatus":{"label":"string","name":"PAID"},"sellerId":"string","sgst":0,"tds":0,
  "totalReceived":0,"via":"string"},
 "response_code":0,"response_message":"string"}
"""

# §4.7, the documented payload of bulkUpdate.
BULK_UPDATE_PAYLOAD = """
{"failureRequests":[{}],"failure_count":0,"failure_count_second_file":0,
 "failure_file_name":"string","failure_file_url":"string","successRequests":[{}],
 "success_count":0,"success_file_name":"string","success_file_url":"string",
 "total_amount":0,"total_count":0,"warn_count":0}
"""


def contact(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "Ravi Kumar", "legalName": "Ravi Kumar", "mobile": "9812345678"}
    body.update(changes)
    return {key: value for key, value in body.items() if value is not ...}


def customer(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"legalName": "Acme Traders", "customerKeyContacts": [contact()]}
    body.update(changes)
    return {key: value for key, value in body.items() if value is not ...}


def invoice(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"customerId": CUSTOMER_ID, "dueDate": "2025-07-31", "baseAmount": 100}
    body.update(changes)
    return {key: value for key, value in body.items() if value is not ...}


def reminder(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "reminderType": "ONCE",
        "dueDateDifference": -3,
        "reminderTime": "10:00",
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not ...}


def errors_of(model: type[BaseModel], data: dict[str, Any]) -> list[FieldError]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return field_errors_from_validation(caught.value, model)


def fields_of(model: type[BaseModel], data: dict[str, Any]) -> list[str]:
    return [error.field for error in errors_of(model, data)]


# --- identifiers -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [CUSTOMER_ID, "KC00000000000000", "KCZZZZZZZZZZZZZZ"])
def test_customer_id_pattern_accepts(value: str) -> None:
    assert InvoiceCreate.model_validate(invoice(customerId=value)).customer_id == value


@pytest.mark.parametrize(
    "value",
    [
        "KC1A2B3C4D5E6F7",  # 13 after KC
        "KC1A2B3C4D5E6F7GH",  # 15 after KC
        "kc1A2B3C4D5E6F7G",  # lower-case prefix
        "KC1a2b3c4d5e6f7g",  # lower-case body
        "KX1A2B3C4D5E6F7G",
        "KC1A2B3C4D5E6F7-",
        "",
    ],
)
def test_customer_id_pattern_refuses(value: str) -> None:
    assert fields_of(InvoiceCreate, invoice(customerId=value)) == ["customerId"]


def test_customer_id_pattern_applies_to_invoice_update() -> None:
    assert fields_of(InvoiceUpdate, {"customerId": "KC123"}) == ["customerId"]
    assert InvoiceUpdate(customer_id=CUSTOMER_ID).to_wire() == {"customerId": CUSTOMER_ID}


@pytest.mark.parametrize("value", [COMPANY_ID, "CEK0000000", "CEKABCDEFG"])
def test_company_id_pattern_accepts(value: str) -> None:
    assert CustomerCreate.model_validate(customer(companyId=value)).company_id == value


@pytest.mark.parametrize(
    "value", ["CEKFOWV7U", "CEKFOWV7UQX", "cekFOWV7UQ", "CEKfowv7uq", "KCKFOWV7UQ", "CEK-OWV7UQ"]
)
def test_company_id_pattern_refuses(value: str) -> None:
    assert fields_of(CustomerCreate, customer(companyId=value)) == ["companyId"]


# --- phone, IFSC, account number ---------------------------------------------------------------

GOOD_PHONES = [
    "9812345678",
    "+919812345678",
    "+91 9812345678",
    "+91-9812345678",
    "00919812345678",
    "0091 9812345678",
    "+1 9812345678",
    "+123-9812345678",
]
BAD_PHONES = [
    "009198123456 78",
    "981234567",  # 9 digits
    "98123456789",  # 11 digits
    "+1234 9812345678",  # four-digit country code
    "+91  9812345678",  # two separators
    "91-9812345678",  # country code without + or 00
    "98123-45678",
    "phone",
    "+91 98123 45678",
]


@pytest.mark.parametrize("value", GOOD_PHONES)
def test_phone_pattern_accepts(value: str) -> None:
    assert KeyContactCreate.model_validate(contact(mobile=value)).mobile == value
    assert CustomerCreate.model_validate(customer(contactNumber=value)).contact_number == value
    assert InvoiceCreate.model_validate(invoice(mobileNumber=value)).mobile_number == value


@pytest.mark.parametrize("value", BAD_PHONES)
def test_phone_pattern_refuses(value: str) -> None:
    assert fields_of(KeyContactCreate, contact(mobile=value)) == ["mobile"]
    assert fields_of(CustomerCreate, customer(contactNumber=value)) == ["contactNumber"]
    assert fields_of(InvoiceCreate, invoice(mobileNumber=value)) == ["mobileNumber"]


def test_phone_pattern_is_ascii_digits_only() -> None:
    # The documented pattern is a Java (Bean Validation) regex, where \d means [0-9]. Devanagari
    # or other non-ASCII digits would pass a Unicode-aware \d here and be refused by the server.
    devanagari = "\u096f\u096e\u0967\u0968\u0969\u096a\u096b\u096c\u096d\u096e"
    assert fields_of(KeyContactCreate, contact(mobile=devanagari)) == ["mobile"]
    assert fields_of(CustomerCreate, customer(contactNumber="+\u0669\u0661 9812345678")) == [
        "contactNumber"
    ]


def test_empty_phone_allowed_where_optional_but_not_for_key_contact_mobile() -> None:
    # The documented pattern allows "", but a key contact's mobile is required (§5.2).
    assert CustomerCreate.model_validate(customer(contactNumber="")).contact_number == ""
    errors = errors_of(KeyContactCreate, contact(mobile=""))
    assert [error.field for error in errors] == ["mobile"]
    assert "mobile" in errors[0].message


@pytest.mark.parametrize("value", ["HDFC0001234", "hdfc0abc123", "SBIN0ABCDEF", ""])
def test_ifsc_pattern_accepts(value: str) -> None:
    assert CustomerCreate.model_validate(customer(ifsc=value)).ifsc == value


@pytest.mark.parametrize(
    "value",
    ["HDFC1001234", "HDF00001234", "HDFC000123", "HDFC00012345", "1234056789A", "HDFC0-01234"],
)
def test_ifsc_pattern_refuses(value: str) -> None:
    assert fields_of(CustomerCreate, customer(ifsc=value)) == ["ifsc"]
    assert fields_of(CustomerUpdate, {"ifsc": value}) == ["ifsc"]


@pytest.mark.parametrize("value", ["123456789", "A" * 36, "001234567890", "abcDEF123", ""])
def test_account_number_pattern_accepts(value: str) -> None:
    assert CustomerCreate.model_validate(customer(accountNumber=value)).account_number == value


@pytest.mark.parametrize(
    "value", ["12345678", "A" * 37, "0012-3456-7890", "00123456789 0", "12345678é"]
)
def test_account_number_pattern_refuses(value: str) -> None:
    assert fields_of(CustomerCreate, customer(accountNumber=value)) == ["accountNumber"]
    assert fields_of(CustomerUpdate, {"accountNumber": value}) == ["accountNumber"]


# --- amounts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [0.1, "0.1", Decimal("0.10"), 1, "10000.00", Decimal("99.99")])
def test_base_amount_accepts_at_least_point_one(value: Any) -> None:
    assert InvoiceCreate.model_validate(invoice(baseAmount=value)).base_amount >= Decimal("0.1")


@pytest.mark.parametrize("value", [0, 0.09, "0.05", -1, Decimal("-0.1")])
def test_base_amount_below_point_one_refused(value: Any) -> None:
    errors = errors_of(InvoiceCreate, invoice(baseAmount=value))
    assert [error.field for error in errors] == ["baseAmount"]
    assert "0.1" in errors[0].message


def test_base_amount_required() -> None:
    assert fields_of(InvoiceCreate, invoice(baseAmount=...)) == ["baseAmount"]


def test_invoice_required_fields_named_by_wire_name() -> None:
    assert sorted(fields_of(InvoiceCreate, {})) == ["baseAmount", "customerId", "dueDate"]


@pytest.mark.parametrize("value", [10.123, "0.105", Decimal("100.001"), "1.999"])
def test_money_with_more_than_two_places_refused(value: Any) -> None:
    assert fields_of(InvoiceCreate, invoice(baseAmount=value)) == ["baseAmount"]
    assert fields_of(InvoiceCreate, invoice(cgst=value)) == ["cgst"]
    assert fields_of(InvoiceUpdate, {"tds": value}) == ["tds"]


@pytest.mark.parametrize("field", ["cgst", "sgst", "igst", "tds", "netAmount", "balanceAmount"])
def test_negative_money_refused(field: str) -> None:
    assert fields_of(InvoiceCreate, invoice(**{field: -1})) == [field]


@pytest.mark.parametrize("value", ["NaN", "Infinity", 1e20])
def test_non_finite_or_huge_money_refused(value: Any) -> None:
    assert fields_of(InvoiceCreate, invoice(baseAmount=value)) == ["baseAmount"]


@pytest.mark.parametrize(
    ("value", "wire"),
    [("10000.00", 10000), (Decimal("0.10"), 0.1), ("1234.5", 1234.5), ("900", 900), (0.1, 0.1)],
)
def test_money_goes_out_as_json_number(value: Any, wire: Any) -> None:
    body = InvoiceCreate.model_validate(invoice(baseAmount=value)).to_wire()
    assert body["baseAmount"] == wire
    assert isinstance(body["baseAmount"], int | float)
    text = json.dumps(body)
    assert f'"baseAmount": {json.dumps(wire)}' in text
    assert '"baseAmount": "' not in text


# --- key contacts, reminders ---------------------------------------------------------------------


def test_customer_key_contacts_required_and_non_empty() -> None:
    assert fields_of(CustomerCreate, customer(customerKeyContacts=...)) == ["customerKeyContacts"]
    assert fields_of(CustomerCreate, customer(customerKeyContacts=[])) == ["customerKeyContacts"]


def test_customer_legal_name_required() -> None:
    assert fields_of(CustomerCreate, customer(legalName=...)) == ["legalName"]
    assert fields_of(CustomerCreate, customer(legalName="")) == ["legalName"]


@pytest.mark.parametrize("missing", ["name", "legalName", "mobile"])
def test_key_contact_required_fields(missing: str) -> None:
    data = customer(customerKeyContacts=[contact(**{missing: ...})])
    assert fields_of(CustomerCreate, data) == [f"customerKeyContacts.0.{missing}"]


def test_key_contact_email_checked() -> None:
    assert fields_of(KeyContactCreate, contact(email="not-an-email")) == ["email"]
    assert KeyContactCreate.model_validate(contact(email="ravi@acme.in")).email == "ravi@acme.in"


def test_write_models_refuse_unknown_fields() -> None:
    assert fields_of(CustomerCreate, customer(customerId=CUSTOMER_ID)) == ["customerId"]
    assert fields_of(InvoiceUpdate, {"externalId": "x"}) == ["externalId"]


def test_recurring_reminder_needs_interval() -> None:
    errors = errors_of(ReminderCreate, reminder(reminderType="RECURRING"))
    assert len(errors) == 1
    assert errors[0].field == "reminderInterval"
    assert errors[0].message == "a repeating rule needs the days between repeats"
    ok = ReminderCreate.model_validate(reminder(reminderType="RECURRING", reminderInterval=2))
    assert ok.reminder_interval == 2
    # ONCE needs no interval.
    assert ReminderCreate.model_validate(reminder()).reminder_interval is None


def test_recurring_reminder_inside_customer_is_located() -> None:
    data = customer(customerReminders=[reminder(reminderType="RECURRING")])
    errors = errors_of(CustomerCreate, data)
    # Named down to the field, so a form can put the message next to it.
    assert [error.field for error in errors] == ["customerReminders.0.reminderInterval"]
    assert "days between repeats" in errors[0].message


def test_reminder_update_sends_only_changes_and_checks_bounds() -> None:
    # The stored rule may already have an interval, so a type-only change is allowed here.
    assert ReminderUpdate(reminder_type="RECURRING").to_wire() == {"reminderType": "RECURRING"}
    assert ReminderUpdate(reminder_type="RECURRING", reminder_interval=3).to_wire() == {
        "reminderType": "RECURRING",
        "reminderInterval": 3,
    }
    assert ReminderUpdate(stage=None).to_wire() == {"stage": None}
    assert fields_of(ReminderUpdate, {"reminderInterval": 0}) == ["reminderInterval"]
    assert fields_of(ReminderUpdate, {"dueDateDifference": 366}) == ["dueDateDifference"]
    assert fields_of(ReminderUpdate, {"reminderType": "WEEKLY"}) == ["reminderType"]


@pytest.mark.parametrize("value", ["25:00", "noon", ""])
def test_reminder_time_must_be_a_time(value: str) -> None:
    assert fields_of(ReminderCreate, reminder(reminderTime=value)) == ["reminderTime"]


def test_reminder_type_enum_enforced_on_input() -> None:
    assert fields_of(ReminderCreate, reminder(reminderType="WEEKLY")) == ["reminderType"]


def test_reminder_time_serialises_hh_mm() -> None:
    assert (
        ReminderCreate.model_validate(reminder(reminderTime="09:05:00")).to_wire()["reminderTime"]
        == "09:05"
    )
    assert (
        ReminderCreate.model_validate(reminder(reminderTime=dt.time(7, 30))).to_wire()[
            "reminderTime"
        ]
        == "07:30"
    )
    assert ReminderUpdate(reminder_time=dt.time(18, 0)).to_wire() == {"reminderTime": "18:00"}


# --- payment confirmation ----------------------------------------------------------------------


def confirmation(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "invoiceIds": ["KI0000000000001"],
        "paymentId": "PMT" + "A" * 32,
        "remarks": "Received in bank",
        "response": "ACCEPT",
        "type": "OFFPLATFORM",
    }
    body.update(changes)
    return {key: value for key, value in body.items() if value is not ...}


@pytest.mark.parametrize("remarks", ["x", "r" * 100])
def test_payment_confirmation_remarks_length_ok(remarks: str) -> None:
    assert PaymentConfirmation.model_validate(confirmation(remarks=remarks)).remarks == remarks


@pytest.mark.parametrize("remarks", ["", "r" * 101])
def test_payment_confirmation_remarks_length_refused(remarks: str) -> None:
    assert fields_of(PaymentConfirmation, confirmation(remarks=remarks)) == ["remarks"]


@pytest.mark.parametrize("field", ["invoiceIds", "paymentId", "remarks", "response", "type"])
def test_payment_confirmation_fields_all_required(field: str) -> None:
    assert fields_of(PaymentConfirmation, confirmation(**{field: ...})) == [field]


def test_payment_confirmation_enums_enforced() -> None:
    assert fields_of(PaymentConfirmation, confirmation(response="MAYBE")) == ["response"]
    assert fields_of(PaymentConfirmation, confirmation(type="ELSEWHERE")) == ["type"]
    assert fields_of(PaymentConfirmation, confirmation(invoiceIds=[])) == ["invoiceIds"]


def test_payment_confirmation_accept_on_and_off_platform() -> None:
    for kind in ("ONPLATFORM", "OFFPLATFORM"):
        body = PaymentConfirmation.model_validate(confirmation(type=kind)).to_wire()
        assert body == confirmation(type=kind)


def test_payment_confirmation_reject_only_offplatform() -> None:
    body = PaymentConfirmation.model_validate(confirmation(response="REJECT")).to_wire()
    assert body["response"] == "REJECT"
    assert body["type"] == "OFFPLATFORM"
    errors = errors_of(PaymentConfirmation, confirmation(response="REJECT", type="ONPLATFORM"))
    assert len(errors) == 1
    assert "REJECT" in errors[0].message
    assert "OFFPLATFORM" in errors[0].message


# --- InvoiceUpdate / PatchModel ----------------------------------------------------------------


def test_invoice_update_customer_id_cannot_be_cleared() -> None:
    errors = errors_of(InvoiceUpdate, {"customerId": None})
    assert [error.field for error in errors] == ["customerId"]
    with pytest.raises(ValidationError):
        InvoiceUpdate(customer_id=None)


def test_patch_sends_only_set_fields_and_null_for_explicit_none() -> None:
    assert InvoiceUpdate().to_wire() == {}
    update = InvoiceUpdate.model_validate(
        {"dueDate": "2025-08-15", "partialPaymentAllowed": False, "poNumber": None}
    )
    assert update.to_wire() == {
        "dueDate": "2025-08-15",
        "partialPaymentAllowed": False,
        "poNumber": None,
    }
    assert update.changed_fields == {"due_date", "partial_payment_allowed", "po_number"}
    assert json.dumps(InvoiceUpdate(base_amount=Decimal("250.50")).to_wire()) == (
        '{"baseAmount": 250.5}'
    )


def test_customer_update_documented_example() -> None:
    # §4.9: {"assignedAgent":"Priya","branchCodes":["PUN01"],"pinCode":"411002","ifsc":null}
    example = {
        "assignedAgent": "Priya",
        "branchCodes": ["PUN01"],
        "pinCode": "411002",
        "ifsc": None,
    }
    update = CustomerUpdate.model_validate(example)
    assert update.to_wire() == example
    assert isinstance(update, PatchModel)


def test_patch_nested_contacts_sent_whole_without_nulls() -> None:
    update = CustomerUpdate(
        customer_key_contacts=[KeyContactCreate.model_validate(contact(mail_enabled=True))],
        customer_reminders=[ReminderCreate.model_validate(reminder())],
        legal_name=None,
    )
    assert update.to_wire() == {
        "customerKeyContacts": [
            {
                "name": "Ravi Kumar",
                "legalName": "Ravi Kumar",
                "mobile": "9812345678",
                "deleted": False,
                "mail_enabled": True,
            }
        ],
        "customerReminders": [
            {"reminderType": "ONCE", "dueDateDifference": -3, "reminderTime": "10:00"}
        ],
        "legalName": None,
    }


def test_patch_validates_set_values() -> None:
    assert fields_of(CustomerUpdate, {"contactNumber": "12"}) == ["contactNumber"]
    assert fields_of(CustomerUpdate, {"customerId": "CEKFOWV7UQ"}) == ["customerId"]
    assert fields_of(InvoiceUpdate, {"baseAmount": "0.01"}) == ["baseAmount"]


# --- documented examples round-trip ------------------------------------------------------------


def test_create_customer_example_round_trips() -> None:
    example = json.loads(VALID_CUSTOMER_EXAMPLE)
    model = CustomerCreate.model_validate(example)
    assert model.customer_key_contacts[0].mail_enabled is True
    assert model.customer_key_contacts[0].whatsapp_enabled is False
    assert model.customer_reminders is not None
    assert model.customer_reminders[0].reminder_time == dt.time(10, 0)
    wire = model.to_wire()
    assert wire == example
    contact_wire = wire["customerKeyContacts"][0]
    assert {"mail_enabled", "sms_enabled", "whatsapp_enabled"} <= contact_wire.keys()
    assert not {"mailEnabled", "smsEnabled", "whatsappEnabled"} & contact_wire.keys()
    assert wire["customerReminders"][0]["reminderTime"] == "10:00"
    # And it survives a second trip.
    assert CustomerCreate.model_validate(json.loads(json.dumps(wire))).to_wire() == example


def test_create_customer_accepts_python_names() -> None:
    model = CustomerCreate(
        legal_name="Acme",
        customer_key_contacts=[
            KeyContactCreate(name="R", legal_name="R", mobile="9812345678", sms_enabled=True)
        ],
    )
    assert model.to_wire() == {
        "legalName": "Acme",
        "customerKeyContacts": [
            {
                "name": "R",
                "legalName": "R",
                "mobile": "9812345678",
                "deleted": False,
                "sms_enabled": True,
            }
        ],
    }


@pytest.mark.parametrize("parse", [json.loads, envelope.loads])
def test_create_invoice_example_round_trips(parse: Any) -> None:
    example = parse(CREATE_INVOICE_EXAMPLE)
    model = InvoiceCreate.model_validate(example)
    assert model.base_amount == Decimal("10000")
    assert model.due_date == dt.date(2025, 7, 31)
    assert model.invoice_date == dt.datetime(2025, 7, 1, 10, 0, tzinfo=dt.UTC)
    wire = model.to_wire()
    assert wire == json.loads(CREATE_INVOICE_EXAMPLE)
    assert wire["dueDate"] == "2025-07-31"
    assert wire["invoiceDate"] in ("2025-07-01T10:00:00Z", "2025-07-01T10:00:00+00:00")
    text = json.dumps(wire)
    assert ('"baseAmount": 10000,' in text) or ('"baseAmount": 10000.0,' in text)
    assert ('"cgst": 900,' in text) or ('"cgst": 900.0,' in text)
    assert '"10000.00"' not in text
    assert '"900.00"' not in text
    for key in ("baseAmount", "cgst", "sgst"):
        assert isinstance(wire[key], int | float)


def test_invoice_date_needs_timezone() -> None:
    assert fields_of(InvoiceCreate, invoice(invoiceDate="2025-07-01T10:00:00")) == ["invoiceDate"]


# --- read models -------------------------------------------------------------------------------


def test_get_invoice_example_parses() -> None:
    body = envelope.loads(GET_INVOICE_EXAMPLE)
    payload, message = envelope.unwrap(200, body)
    assert message == "string"
    inv = Invoice.model_validate(payload)
    assert inv.invoice_id == "string"
    assert inv.base_amount == Decimal(0)
    assert isinstance(inv.base_amount, Decimal)
    assert isinstance(inv.balance_amount, Decimal)
    assert inv.due_date == dt.date(2019, 8, 24)
    assert inv.invoice_date == dt.datetime(2019, 8, 24, 14, 15, 22, tzinfo=dt.UTC)
    assert inv.created_on == inv.modified_on == inv.dispatched_on == inv.invoice_date
    assert inv.dispatched is True
    assert inv.has_key_contacts is True
    assert inv.partial_payment_allowed is True
    for status in (inv.approval_status, inv.receivable_status, inv.payout_status):
        assert status == StatusRef(name="PAID", label="string")
    assert inv.receivable_status is not None
    assert inv.receivable_status.display == "string"
    assert len(inv.invoice_attachments) == 1
    attachment = inv.invoice_attachments[0]
    assert attachment.attachment_source == "TALLY_INVOICE"
    assert attachment.primary is True
    assert attachment.original_filename == "string"


def test_invoice_amounts_exact_decimals_and_json_numbers_back() -> None:
    inv = Invoice.model_validate(
        envelope.loads('{"invoiceId":"KI1","baseAmount":1234.56,"netAmount":0.1,"tds":7}')
    )
    assert inv.base_amount == Decimal("1234.56")
    assert inv.net_amount == Decimal("0.1")
    assert inv.tds == Decimal(7)
    dumped = inv.model_dump(mode="json", exclude_none=True)
    assert dumped["baseAmount"] == 1234.56
    assert dumped["tds"] == 7


def test_read_models_ignore_unknown_fields() -> None:
    inv = Invoice.model_validate({"invoiceId": "KI1", "brandNewField": {"x": 1}, "another": 3})
    assert inv.invoice_id == "KI1"
    assert not hasattr(inv, "brandNewField")
    cust = Customer.model_validate({"customerId": CUSTOMER_ID, "loyaltyTier": "GOLD"})
    assert cust.customer_id == CUSTOMER_ID


def test_unknown_enum_values_kept_as_strings() -> None:
    inv = Invoice.model_validate(
        {
            "invoiceId": "KI1",
            "receivableStatus": {"name": "SOMETHING_NEW", "label": "Something new"},
            "approvalStatus": {"name": "MAKER_SOMETHING"},
        }
    )
    assert inv.receivable_status is not None
    assert inv.receivable_status.name == "SOMETHING_NEW"
    assert inv.approval_status is not None
    assert inv.approval_status.display == "Maker Something"
    rem = Reminder.model_validate({"reminderType": "WEEKLY", "stage": "WHATEVER"})
    assert rem.reminder_type == "WEEKLY"
    cust = Customer.model_validate({"customerId": CUSTOMER_ID, "status": "SUSPENDED"})
    assert cust.status == "SUSPENDED"
    assert cust.is_active


def test_bare_string_status_accepted() -> None:
    inv = Invoice.model_validate({"invoiceId": "KI1", "receivableStatus": "PAID"})
    assert inv.receivable_status == StatusRef(name="PAID")
    assert inv.receivable_status.display == "Paid"
    inv = Invoice.model_validate({"invoiceId": "KI1", "payoutStatus": "PARTIALLY_PAID"})
    assert inv.payout_status is not None
    assert inv.payout_status.display == "Partially Paid"


@pytest.mark.parametrize("key", ["customerStatus", "status"])
def test_customer_status_from_either_key(key: str) -> None:
    cust = Customer.model_validate({"customerId": CUSTOMER_ID, key: "INACTIVE"})
    assert cust.status == "INACTIVE"
    assert not cust.is_active
    active = Customer.model_validate({"customerId": CUSTOMER_ID, key: "ACTIVE"})
    assert active.status == "ACTIVE"
    assert active.is_active


def test_customer_read_model_full() -> None:
    data = json.loads(VALID_CUSTOMER_EXAMPLE)
    data.update(
        customerId=CUSTOMER_ID,
        deleted=False,
        createdOn="2025-07-01T10:00:00Z",
        customerStatus="ACTIVE",
    )
    data["customerKeyContacts"].insert(
        0, {"name": "Gone", "legalName": "Gone", "mobile": "9000000000", "deleted": True}
    )
    cust = Customer.model_validate(data)
    assert cust.legal_name == "Acme Traders Pvt Ltd"
    assert cust.created_on == dt.datetime(2025, 7, 1, 10, tzinfo=dt.UTC)
    primary = cust.primary_contact
    assert primary is not None
    assert primary.name == "Ravi Kumar"
    assert primary.mail_enabled is True
    assert primary.whatsapp_enabled is False
    assert cust.customer_reminders[0].reminder_time == "10:00"
    assert cust.customer_reminders[0].reminder_interval == 2
    deleted = Customer.model_validate({"customerId": CUSTOMER_ID, "deleted": True})
    assert not deleted.is_active
    assert deleted.primary_contact is None


def test_bulk_result_documented_payload() -> None:
    result = BulkResult.model_validate(envelope.loads(BULK_UPDATE_PAYLOAD))
    assert result.total_count == 0
    assert result.failure_count_second_file == 0
    assert result.total_amount == Decimal(0)
    assert result.success_file_name == "string"
    assert result.failure_file_url == "string"
    assert result.success_requests == [{}]
    assert result.failure_requests == [{}]
    # An empty failure item still reads as a failure with a fallback message.
    assert len(result.row_failures) == 1
    assert result.row_failures[0].message


def test_bulk_result_counters_and_row_failures() -> None:
    result = BulkResult.model_validate(
        envelope.loads(
            """{"total_count":5,"success_count":3,"failure_count":2,"warn_count":1,
            "failure_count_second_file":0,"total_amount":1500.75,
            "successRequests":[{"row":1},{"row":2},{"row":4}],
            "failureRequests":[{"row":3,"message":"Invalid mobile","errors":{"mobile":"bad"}},
                               {"row":5,"message":"Duplicate","reference":"ERP-9"}],
            "failure_file_url":"https://x/failed.csv"}"""
        )
    )
    assert (result.total_count, result.success_count, result.failure_count) == (5, 3, 2)
    assert result.warn_count == 1
    assert result.total_amount == Decimal("1500.75")
    assert len(result.success_requests) == 3
    failures = result.row_failures
    assert [failure.row for failure in failures] == [3, 5]
    assert failures[0].message == "Invalid mobile"
    assert failures[0].errors == {"mobile": "bad"}
    assert failures[1].reference == "ERP-9"
    assert failures[1].errors == {}
    assert result.failure_file_url == "https://x/failed.csv"


def test_invoice_days_overdue() -> None:
    today = dt.date(2025, 8, 10)
    inv = Invoice.model_validate({"invoiceId": "KI1", "dueDate": "2025-07-31", "balanceAmount": 50})
    assert inv.days_overdue(today) == 10
    assert inv.days_overdue(dt.date(2025, 7, 31)) == 0
    assert inv.days_overdue(dt.date(2025, 7, 1)) == 0
    paid = Invoice.model_validate({"invoiceId": "KI1", "dueDate": "2025-07-31", "balanceAmount": 0})
    assert paid.days_overdue(today) == 0
    no_due = Invoice.model_validate({"invoiceId": "KI1", "balanceAmount": 50})
    assert no_due.days_overdue(today) == 0


@pytest.mark.parametrize(
    ("raw", "text"),
    [("10:00", "10:00"), ("10:00:00", "10:00"), ({"hour": 10, "minute": 5}, "10:05"), (None, None)],
)
def test_reminder_time_tolerant(raw: Any, text: str | None) -> None:
    assert Reminder.model_validate({"reminderTime": raw}).reminder_time == text


def test_token_snake_case() -> None:
    token = Token.model_validate(
        {
            "access_token": "bCFIP675fIyGKIf6CWak43LF1rI",
            "token_type": "bearer",
            "refresh_token": "i2UQSYGeDZPogy_V6szNOi5Q0W0",
            "expires_in": 86399,
            "scope": "read write trust",
        }
    )
    assert token.access_token.get_secret_value() == "bCFIP675fIyGKIf6CWak43LF1rI"
    assert token.refresh_token is not None
    assert token.refresh_token.get_secret_value() == "i2UQSYGeDZPogy_V6szNOi5Q0W0"
    assert token.expires_in == 86399
    assert token.token_type == "bearer"
    assert token.scope == "read write trust"
    for text in (repr(token), str(token)):
        assert "bCFIP675fIyGKIf6CWak43LF1rI" not in text
        assert "i2UQSYGeDZPogy_V6szNOi5Q0W0" not in text


def test_token_camel_case() -> None:
    token = Token.model_validate(
        {"accessToken": "abc123", "tokenType": "Bearer", "expiresIn": 300, "refreshToken": "r1"}
    )
    assert token.access_token.get_secret_value() == "abc123"
    assert token.token_type == "Bearer"
    assert token.expires_in == 300
    assert token.refresh_token is not None
    assert token.refresh_token.get_secret_value() == "r1"
    assert "abc123" not in repr(token)


def test_token_requires_access_token() -> None:
    with pytest.raises(ValidationError):
        Token.model_validate({"token_type": "bearer"})


# --- field_errors_from_validation ---------------------------------------------------------------


def test_field_errors_name_nested_fields_by_wire_alias() -> None:
    data = customer(customerKeyContacts=[contact(), contact(mobile="bad")])
    errors = errors_of(CustomerCreate, data)
    assert errors == [
        FieldError(
            field="customerKeyContacts.1.mobile",
            message=errors[0].message,
            rejected_value="bad",
        )
    ]
    assert "Value error" not in errors[0].message


def test_field_errors_wire_alias_when_built_from_python_names() -> None:
    with pytest.raises(ValidationError) as caught:
        CustomerCreate(
            legal_name="Acme",
            customer_key_contacts=[{"name": "R", "legal_name": "R", "mobile": "bad"}],
        )
    fields = [error.field for error in field_errors_from_validation(caught.value, CustomerCreate)]
    assert fields == ["customerKeyContacts.0.mobile"]

    with pytest.raises(ValidationError) as caught:
        InvoiceCreate(customer_id=CUSTOMER_ID, due_date="2025-07-31", base_amount="0.01")
    errors = field_errors_from_validation(caught.value, InvoiceCreate)
    assert [error.field for error in errors] == ["baseAmount"]
    assert errors[0].rejected_value == "0.01"


def test_field_errors_snake_case_wire_names_kept() -> None:
    data = customer(customerKeyContacts=[contact(sms_enabled="perhaps")])
    assert fields_of(CustomerCreate, data) == ["customerKeyContacts.0.sms_enabled"]


def test_field_errors_nested_python_name_under_wire_alias() -> None:
    # Outer list by wire name, inner reminder by Python name: still reported by wire name.
    data = customer(
        customerReminders=[
            {
                "reminder_type": "RECURRING",
                "due_date_difference": 1,
                "reminder_time": "10:00",
                "reminder_interval": 0,
            }
        ]
    )
    assert fields_of(CustomerCreate, data) == ["customerReminders.0.reminderInterval"]


def test_value_error_prefix_removed() -> None:
    errors = errors_of(InvoiceUpdate, {"customerId": None})
    assert errors[0].message == "customerId can be changed but not cleared"
