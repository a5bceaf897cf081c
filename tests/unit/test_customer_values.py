"""The customer form's values: from a customer, to a createCustomer body, to an update PATCH."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError

from enkash_tui.api import field_errors_from_validation
from enkash_tui.api.models import Customer, CustomerCreate, CustomerUpdate
from enkash_tui.domain.customers import (
    CONTACT_FIELDS,
    CUSTOMER_FIELDS,
    CustomerValues,
    create_body,
    live_problem,
    new_contact,
    new_rule,
    pattern_hint,
    place_of,
    rule_wire,
    update_body,
    whole_problems,
)

CUSTOMER_ID = "KC1A2B3C4D5E6F7G"

# A customer as EnKash sends it: camelCase, the three channel flags in snake_case, one deleted
# contact, one contact with hardly anything set, and two reminder rules in different shapes.
WIRE: dict[str, Any] = {
    "customerId": CUSTOMER_ID,
    "companyId": "CEKFOWV7UQ",
    "customerCompanyId": "CEKTHEIR001",
    "legalName": "Acme Traders Pvt Ltd",
    "address": "12 MG Road, Pune",
    "state": "Maharashtra",
    "pinCode": "411001",
    "contactNumber": "+919812345678",
    "accountNumber": "001234567890",
    "ifsc": "HDFC0001234",
    "panOrGstin": "27AAACA1234A1ZK",
    "uniqueRefNo": "ERP-CUST-0042",
    "assignedAgent": "Asha",
    "branchCodes": ["PUN01", "PUN02"],
    "customerKeyContacts": [
        {
            "keyContactPersonId": "KCP-1",
            "name": "Ravi",
            "legalName": "Ravi Kumar",
            "mobile": "9812345678",
            "email": "ravi@example.in",
            "via": "EMAIL",
            "deleted": False,
            "mail_enabled": True,
            "sms_enabled": False,
            "whatsapp_enabled": True,
        },
        {
            "keyContactPersonId": "KCP-GONE",
            "name": "Former Clerk",
            "legalName": "Former Clerk",
            "mobile": "9000000000",
            "deleted": True,
            "mail_enabled": True,
        },
        {"keyContactPersonId": "KCP-3", "name": "Meena", "mobile": "9876543210"},
    ],
    "customerReminders": [
        {
            "customerReminderId": "REM-1",
            "dueDateDifference": -3,
            "reminderTime": "10:00:00",
            "reminderType": "ONCE",
            "stage": "BEFORE_DUE",
        },
        {
            "customerReminderId": "REM-2",
            "dueDateDifference": 5,
            "reminderInterval": 7,
            "reminderTime": {"hour": 9, "minute": 30},
            "reminderType": "recurring",
        },
    ],
}


def customer(**changes: Any) -> Customer:
    return Customer.model_validate({**copy.deepcopy(WIRE), **changes})


def ravi_wire(**changes: Any) -> dict[str, Any]:
    """Ravi as a key contact on the wire, after ``CustomerValues.of`` and back."""
    return {
        "keyContactPersonId": "KCP-1",
        "name": "Ravi",
        "legalName": "Ravi Kumar",
        "mobile": "9812345678",
        "email": "ravi@example.in",
        "via": "EMAIL",
        "deleted": False,
        "mail_enabled": True,
        "sms_enabled": False,
        "whatsapp_enabled": True,
        **changes,
    }


def meena_wire(**changes: Any) -> dict[str, Any]:
    # Her legal name was never set: it defaults to her name; unset flags are sent as false.
    return {
        "keyContactPersonId": "KCP-3",
        "name": "Meena",
        "legalName": "Meena",
        "mobile": "9876543210",
        "deleted": False,
        "mail_enabled": False,
        "sms_enabled": False,
        "whatsapp_enabled": False,
        **changes,
    }


def patched(body: dict[str, Any]) -> dict[str, Any]:
    """What the client really sends for ``body``: validated as an update, then to the wire."""
    return CustomerUpdate.model_validate(body).to_wire()


# -- CustomerValues.of -----------------------------------------------------------------------


def test_values_of_a_customer_hold_every_form_field_as_text() -> None:
    values = CustomerValues.of(customer())

    assert values.fields == {
        "legal_name": "Acme Traders Pvt Ltd",
        "pan_or_gstin": "27AAACA1234A1ZK",
        "contact_number": "+919812345678",
        "address": "12 MG Road, Pune",
        "state": "Maharashtra",
        "pin_code": "411001",
        "account_number": "001234567890",
        "ifsc": "HDFC0001234",
        "unique_ref_no": "ERP-CUST-0042",
        "customer_company_id": "CEKTHEIR001",
        "assigned_agent": "Asha",
        "branch_codes": "PUN01, PUN02",
    }
    assert set(values.fields) == set(CUSTOMER_FIELDS)


def test_values_of_a_customer_with_nothing_optional_are_blank_text() -> None:
    values = CustomerValues.of(Customer.model_validate({"customerId": CUSTOMER_ID}))

    assert values.fields == dict.fromkeys(CUSTOMER_FIELDS, "")
    assert values.contacts == []
    assert values.rules == []


def test_deleted_contacts_are_left_out_and_flags_and_ids_are_carried() -> None:
    values = CustomerValues.of(customer())

    assert values.contacts == [
        {
            "name": "Ravi",
            "legal_name": "Ravi Kumar",
            "mobile": "9812345678",
            "email": "ravi@example.in",
            "via": "EMAIL",
            "mail_enabled": True,
            "sms_enabled": False,
            "whatsapp_enabled": True,
            "key_contact_person_id": "KCP-1",
        },
        {
            "name": "Meena",
            "legal_name": "",
            "mobile": "9876543210",
            "email": "",
            "via": "",
            "mail_enabled": False,
            "sms_enabled": False,
            "whatsapp_enabled": False,
            "key_contact_person_id": "KCP-3",
        },
    ]
    assert "Former Clerk" not in {c["name"] for c in values.contacts}


def test_rules_are_text_with_their_type_upper_cased_and_ids_kept() -> None:
    values = CustomerValues.of(customer())

    assert values.rules == [
        {
            "due_date_difference": "-3",
            "reminder_interval": "",
            "reminder_time": "10:00",
            "stage": "BEFORE_DUE",
            "reminder_type": "ONCE",
            "customer_reminder_id": "REM-1",
        },
        {
            "due_date_difference": "5",
            "reminder_interval": "7",
            "reminder_time": "09:30",
            "stage": "",
            "reminder_type": "RECURRING",
            "customer_reminder_id": "REM-2",
        },
    ]


def test_a_rule_without_a_type_is_a_one_off() -> None:
    rules = [{"customerReminderId": "REM-9", "dueDateDifference": 0, "reminderTime": "08:15"}]
    values = CustomerValues.of(customer(customerReminders=rules))

    assert values.rules[0]["reminder_type"] == "ONCE"
    assert values.rules[0]["customer_reminder_id"] == "REM-9"


def test_blank_values_start_with_one_empty_contact_and_no_rules() -> None:
    blank = CustomerValues.blank()

    assert blank.fields == {}
    assert blank.contacts == [new_contact()]
    assert blank.rules == []


# -- create_body -----------------------------------------------------------------------------


def good_new_customer() -> CustomerValues:
    return CustomerValues(
        fields={
            "legal_name": "  Acme Traders  ",
            "pan_or_gstin": "",
            "contact_number": "+91 9812345678",
            "address": "   ",
            "state": "Maharashtra",
            "pin_code": "411001",
            "customer_company_id": "CEKTHEIR001",
            # Not on the create form: never sent when creating.
            "assigned_agent": "Asha",
            "branch_codes": "PUN01, PUN02",
        },
        contacts=[
            {
                "name": " Ravi ",
                "legal_name": "",
                "mobile": "9812345678",
                "email": "",
                "via": "",
                "mail_enabled": True,
                "sms_enabled": False,
                "whatsapp_enabled": False,
            }
        ],
        rules=[],
    )


def test_create_body_leaves_blanks_out_and_defaults_a_contacts_legal_name() -> None:
    body = create_body(good_new_customer())

    assert body == {
        "legalName": "Acme Traders",
        "contactNumber": "+91 9812345678",
        "state": "Maharashtra",
        "pinCode": "411001",
        "customerCompanyId": "CEKTHEIR001",
        "customerKeyContacts": [
            {
                "deleted": False,
                "name": "Ravi",
                "legalName": "Ravi",
                "mobile": "9812345678",
                "mail_enabled": True,
                "sms_enabled": False,
                "whatsapp_enabled": False,
            }
        ],
    }


def test_create_body_keeps_a_contacts_own_legal_name() -> None:
    values = good_new_customer()
    values.contacts[0]["legal_name"] = "Ravi Kumar"

    assert create_body(values)["customerKeyContacts"][0]["legalName"] == "Ravi Kumar"


def test_a_good_create_body_is_accepted_by_the_create_model() -> None:
    body = create_body(good_new_customer())

    created = CustomerCreate.model_validate(body)

    assert created.legal_name == "Acme Traders"
    assert created.customer_key_contacts[0].legal_name == "Ravi"
    assert created.to_wire() == body


@pytest.mark.parametrize("row", [0, 1])
def test_a_bad_mobile_is_refused_at_its_contact_row(row: int) -> None:
    values = good_new_customer()
    values.contacts.append({**new_contact(), "name": "Meena", "mobile": "9876543210"})
    values.contacts[row]["mobile"] = "12345"

    with pytest.raises(ValidationError) as caught:
        CustomerCreate.model_validate(create_body(values))

    fields = [e.field for e in field_errors_from_validation(caught.value, CustomerCreate)]
    assert fields == [f"customerKeyContacts.{row}.mobile"]
    assert place_of(fields[0]) == ("contacts", row, "mobile")


def test_a_create_body_without_a_name_or_contacts_is_refused() -> None:
    values = CustomerValues(fields={"state": "Goa"}, contacts=[], rules=[])

    with pytest.raises(ValidationError) as caught:
        CustomerCreate.model_validate(create_body(values))

    fields = {e.field for e in field_errors_from_validation(caught.value, CustomerCreate)}
    assert fields == {"legalName", "customerKeyContacts"}


def test_create_body_rules_drop_the_interval_of_a_one_off() -> None:
    values = good_new_customer()
    values.rules = [
        {
            "reminder_type": "ONCE",
            "due_date_difference": "-3",
            "reminder_interval": "5",
            "reminder_time": "10:00",
            "stage": "",
        },
        {
            "reminder_type": "RECURRING",
            "due_date_difference": "5",
            "reminder_interval": "7",
            "reminder_time": "09:30",
            "stage": "AFTER_DUE",
        },
        new_rule(),
    ]

    body = create_body(values)

    assert body["customerReminders"] == [
        {"reminderType": "ONCE", "dueDateDifference": "-3", "reminderTime": "10:00"},
        {
            "reminderType": "RECURRING",
            "dueDateDifference": "5",
            "reminderInterval": "7",
            "reminderTime": "09:30",
            "stage": "AFTER_DUE",
        },
        {"reminderType": "ONCE", "dueDateDifference": "0", "reminderTime": "10:00"},
    ]
    wire = CustomerCreate.model_validate(body).to_wire()
    assert wire["customerReminders"] == [
        {"reminderType": "ONCE", "dueDateDifference": -3, "reminderTime": "10:00"},
        {
            "reminderType": "RECURRING",
            "dueDateDifference": 5,
            "reminderInterval": 7,
            "reminderTime": "09:30",
            "stage": "AFTER_DUE",
        },
        {"reminderType": "ONCE", "dueDateDifference": 0, "reminderTime": "10:00"},
    ]


def test_a_recurring_rule_without_an_interval_is_refused_at_that_rule() -> None:
    values = good_new_customer()
    values.rules = [new_rule(), {**new_rule(), "reminder_type": "RECURRING"}]

    with pytest.raises(ValidationError) as caught:
        CustomerCreate.model_validate(create_body(values))

    fields = [e.field for e in field_errors_from_validation(caught.value, CustomerCreate)]
    assert fields == ["customerReminders.1.reminderInterval"]
    assert place_of(fields[0]) == ("rules", 1, "reminder_interval")


def test_create_body_sends_no_rules_key_without_rules() -> None:
    assert "customerReminders" not in create_body(good_new_customer())


# -- update_body -----------------------------------------------------------------------------


def start_and_now() -> tuple[CustomerValues, CustomerValues]:
    start = CustomerValues.of(customer())
    return start, copy.deepcopy(start)


def test_unchanged_values_send_nothing() -> None:
    start, now = start_and_now()
    now.fields["legal_name"] += "  "  # only spacing differs

    assert update_body(start, now) == {}
    assert patched({}) == {}


def test_a_changed_field_sends_only_that_field() -> None:
    start, now = start_and_now()
    now.fields["state"] = "Karnataka"

    body = update_body(start, now)

    assert body == {"state": "Karnataka"}
    assert patched(body) == {"state": "Karnataka"}


def test_a_cleared_field_is_sent_as_null() -> None:
    start, now = start_and_now()
    now.fields["ifsc"] = "  "
    now.fields["assigned_agent"] = ""

    body = update_body(start, now)

    assert body == {"ifsc": None, "assignedAgent": None}
    assert patched(body) == {"ifsc": None, "assignedAgent": None}


def test_a_field_not_on_the_edit_form_is_never_sent() -> None:
    start, now = start_and_now()
    now.fields["customer_company_id"] = "CEKOTHER99"

    assert update_body(start, now) == {}


def test_a_field_filled_in_for_the_first_time_is_sent() -> None:
    start = CustomerValues.of(Customer.model_validate({"customerId": CUSTOMER_ID}))
    now = copy.deepcopy(start)
    now.fields["pin_code"] = "560001"

    assert update_body(start, now) == {"pinCode": "560001"}


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("PUN01, PUN02, BLR01", ["PUN01", "PUN02", "BLR01"]),
        ("PUN01;PUN02 ; BLR01", ["PUN01", "PUN02", "BLR01"]),
        ("PUN01 PUN02\tBLR01", ["PUN01", "PUN02", "BLR01"]),
        (" ,PUN01,, ;GOA1, ", ["PUN01", "GOA1"]),
        ("BLR01", ["BLR01"]),
    ],
)
def test_branch_codes_are_split_into_a_list(typed: str, sent: list[str]) -> None:
    start, now = start_and_now()
    now.fields["branch_codes"] = typed

    body = update_body(start, now)

    assert body == {"branchCodes": sent}
    assert patched(body) == {"branchCodes": sent}


def test_cleared_branch_codes_are_sent_as_null() -> None:
    start, now = start_and_now()
    now.fields["branch_codes"] = ""

    assert update_body(start, now) == {"branchCodes": None}


def test_unchanged_contacts_are_not_sent_when_a_field_changes() -> None:
    start, now = start_and_now()
    now.fields["address"] = "1 Main Street, Pune"

    body = update_body(start, now)

    assert "customerKeyContacts" not in body
    assert "customerReminders" not in body
    assert patched(body) == {"address": "1 Main Street, Pune"}


def test_one_changed_flag_sends_the_whole_contact_list_with_ids() -> None:
    start, now = start_and_now()
    now.contacts[1]["whatsapp_enabled"] = True

    body = update_body(start, now)

    expected = {"customerKeyContacts": [ravi_wire(), meena_wire(whatsapp_enabled=True)]}
    assert body == expected
    assert patched(body) == expected


def test_an_edited_contact_field_sends_the_whole_list() -> None:
    start, now = start_and_now()
    now.contacts[0]["email"] = "ravi.kumar@example.in"

    body = update_body(start, now)

    expected = [ravi_wire(email="ravi.kumar@example.in"), meena_wire()]
    assert body == {"customerKeyContacts": expected}
    assert patched(body) == {"customerKeyContacts": expected}


def test_a_removed_contact_with_an_id_is_sent_as_deleted() -> None:
    start, now = start_and_now()
    del now.contacts[1]

    body = update_body(start, now)

    expected = {"customerKeyContacts": [ravi_wire(), meena_wire(deleted=True)]}
    assert body == expected
    assert patched(body) == expected


def test_a_removed_contact_without_an_id_is_simply_absent() -> None:
    unnamed = [{"name": "Ravi", "mobile": "9812345678"}, {"name": "Meena", "mobile": "9876543210"}]
    start = CustomerValues.of(customer(customerKeyContacts=unnamed))
    now = copy.deepcopy(start)
    del now.contacts[1]

    body = update_body(start, now)

    ravi = {
        "name": "Ravi",
        "legalName": "Ravi",
        "mobile": "9812345678",
        "deleted": False,
        "mail_enabled": False,
        "sms_enabled": False,
        "whatsapp_enabled": False,
    }
    assert body == {"customerKeyContacts": [ravi]}
    assert patched(body) == {"customerKeyContacts": [ravi]}


def test_an_added_contact_is_sent_without_an_id_beside_the_others() -> None:
    start, now = start_and_now()
    now.contacts.append({**new_contact(), "name": "Kiran", "mobile": "+91 9000012345"})

    body = update_body(start, now)

    kiran = {
        "name": "Kiran",
        "legalName": "Kiran",
        "mobile": "+91 9000012345",
        "deleted": False,
        "mail_enabled": True,
        "sms_enabled": True,
        "whatsapp_enabled": False,
    }
    assert body == {"customerKeyContacts": [ravi_wire(), meena_wire(), kiran]}
    assert patched(body) == body


def test_a_changed_rule_sends_the_whole_rule_list() -> None:
    start, now = start_and_now()
    now.rules[0]["reminder_time"] = "11:00"

    body = update_body(start, now)

    assert body == {
        "customerReminders": [
            {
                "reminderType": "ONCE",
                "dueDateDifference": "-3",
                "reminderTime": "11:00",
                "stage": "BEFORE_DUE",
                "customerReminderId": "REM-1",
            },
            {
                "reminderType": "RECURRING",
                "dueDateDifference": "5",
                "reminderInterval": "7",
                "reminderTime": "09:30",
                "customerReminderId": "REM-2",
            },
        ]
    }
    assert patched(body) == {
        "customerReminders": [
            {
                "reminderType": "ONCE",
                "dueDateDifference": -3,
                "reminderTime": "11:00",
                "stage": "BEFORE_DUE",
                "customerReminderId": "REM-1",
            },
            {
                "reminderType": "RECURRING",
                "dueDateDifference": 5,
                "reminderInterval": 7,
                "reminderTime": "09:30",
                "customerReminderId": "REM-2",
            },
        ]
    }


def test_a_rule_turned_one_off_loses_its_interval() -> None:
    start, now = start_and_now()
    now.rules[1]["reminder_type"] = "ONCE"

    body = update_body(start, now)

    assert body["customerReminders"][1] == {
        "reminderType": "ONCE",
        "dueDateDifference": "5",
        "reminderTime": "09:30",
        "customerReminderId": "REM-2",
    }
    assert "customerKeyContacts" not in body


def test_removing_every_rule_sends_an_empty_list() -> None:
    start, now = start_and_now()
    now.rules = []

    body = update_body(start, now)

    assert body == {"customerReminders": []}
    assert patched(body) == {"customerReminders": []}


def test_a_field_contact_and_rule_change_are_sent_together() -> None:
    start, now = start_and_now()
    now.fields["legal_name"] = "Acme Traders LLP"
    now.fields["pan_or_gstin"] = ""
    now.contacts[0]["sms_enabled"] = True
    now.rules = now.rules[:1]

    body = update_body(start, now)

    assert set(body) == {"legalName", "panOrGstin", "customerKeyContacts", "customerReminders"}
    wire = patched(body)
    assert wire["legalName"] == "Acme Traders LLP"
    assert wire["panOrGstin"] is None
    assert wire["customerKeyContacts"] == [ravi_wire(sms_enabled=True), meena_wire()]
    assert [r["customerReminderId"] for r in wire["customerReminders"]] == ["REM-1"]


def test_an_update_with_a_bad_contact_mobile_is_refused_at_that_row() -> None:
    start, now = start_and_now()
    now.contacts[1]["mobile"] = "98765"

    with pytest.raises(ValidationError) as caught:
        CustomerUpdate.model_validate(update_body(start, now))

    fields = [e.field for e in field_errors_from_validation(caught.value, CustomerUpdate)]
    assert fields == ["customerKeyContacts.1.mobile"]


# -- place_of --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wire", "place"),
    [
        ("ifsc", ("fields", None, "ifsc")),
        ("legalName", ("fields", None, "legal_name")),
        ("panOrGstin", ("fields", None, "pan_or_gstin")),
        ("branchCodes", ("fields", None, "branch_codes")),
        ("assignedAgent", ("fields", None, "assigned_agent")),
        ("customerKeyContacts.1.mobile", ("contacts", 1, "mobile")),
        ("customerKeyContacts.0.legalName", ("contacts", 0, "legal_name")),
        ("customerKeyContacts.3.email", ("contacts", 3, "email")),
        ("customerKeyContacts.0.sms_enabled", ("contacts", 0, "sms_enabled")),
        ("customerKeyContacts.2.noSuchThing", ("contacts", 2, "")),
        ("customerKeyContacts", ("contacts", None, "")),
        ("customerReminders.0.reminderInterval", ("rules", 0, "reminder_interval")),
        ("customerReminders.2.dueDateDifference", ("rules", 2, "due_date_difference")),
        ("customerReminders.1.reminderTime", ("rules", 1, "reminder_time")),
        ("customerReminders.1.reminderType", ("rules", 1, "reminder_type")),
        ("customerReminders", ("rules", None, "")),
        ("noSuchField", ("", None, "")),
        ("(body)", ("", None, "")),
        ("", ("", None, "")),
    ],
)
def test_place_of_a_wire_field(wire: str, place: tuple[str, int | None, str]) -> None:
    assert place_of(wire) == place


def test_every_form_field_is_placed_from_its_wire_name() -> None:
    for name, spec in CUSTOMER_FIELDS.items():
        assert place_of(spec.wire) == ("fields", None, name)
    for name, spec in CONTACT_FIELDS.items():
        assert place_of(f"customerKeyContacts.4.{spec.wire}") == ("contacts", 4, name)


# -- live checks -----------------------------------------------------------------------------

LIVE_CASES = [
    ("contact_number", ["+91 9812345678", "9812345678", "00919812345678"], ["98123", "phone"]),
    ("mobile", ["9812345678", "+91-9812345678"], ["981234567", "98123456789"]),
    ("email", ["ravi@example.in", "a.b+c@firm.co.in"], ["ravi@", "ravi example.in", "a@b"]),
    ("ifsc", ["HDFC0001234", "hdfc0abc123"], ["HDFC1234567", "HDFC000123"]),
    ("account_number", ["001234567890", "ABC123456"], ["12345678", "0012-3456-7890"]),
    ("pin_code", ["411001", " 560001 "], ["011001", "41100", "4110011"]),
    ("reminder_time", ["10:00", "00:00", "23:59"], ["24:00", "9:30", "10:60", "10.00"]),
    ("due_date_difference", ["-3", "0", "365"], ["3.5", "-", "1000", "three"]),
    ("reminder_interval", ["7", "1"], ["-1", "1.5", "1000"]),
]
HINTS = {
    "contact_number": "10 digits, +91 optional",
    "mobile": "10 digits, +91 optional",
    "email": "like name@firm.in",
    "ifsc": "like HDFC0001234",
    "account_number": "9–36 letters or digits",
    "pin_code": "6 digits, not from 0",
    "reminder_time": "HH:mm, like 10:00",
    "due_date_difference": "whole days, -3 = before",
    "reminder_interval": "whole days",
}


@pytest.mark.parametrize(("field_id", "good", "bad"), LIVE_CASES)
def test_live_problem_for_a_checked_field(field_id: str, good: list[str], bad: list[str]) -> None:
    for text in good:
        assert live_problem(field_id, text) == "", text
    for text in bad:
        assert live_problem(field_id, text) == HINTS[field_id], text
    assert pattern_hint(field_id) == HINTS[field_id]


@pytest.mark.parametrize("field_id", [*HINTS, "pan_or_gstin", "legal_name", "no_such_field"])
@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_value_is_always_fine(field_id: str, text: str) -> None:
    assert live_problem(field_id, text) == ""


@pytest.mark.parametrize(
    "text", ["ABCDE1234F", "27AAACA1234A1ZK", "abcde1234f", " 27aaaca1234a1zk ", "09AAACA1234A1ZI"]
)
def test_a_pan_or_gstin_is_fine(text: str) -> None:
    assert live_problem("pan_or_gstin", text) == ""


@pytest.mark.parametrize(
    "text",
    ["XYZ", "ABCDE1234", "ABCD11234F", "27AAACA1234A1Y5", "AAACA1234A1Z5", "27AAACA1234A1Z5X"],
)
def test_something_else_is_not_a_pan_or_gstin(text: str) -> None:
    assert live_problem("pan_or_gstin", text) == "not a PAN or GSTIN"


def test_fields_without_a_check_never_have_a_problem() -> None:
    assert live_problem("legal_name", "anything @ all !") == ""
    assert live_problem("state", "§§§") == ""
    assert pattern_hint("legal_name") == ""
    assert pattern_hint("no_such_field") == ""


# -- GSTINs, and fields whose value is one of a list --------------------------------------------


@pytest.mark.parametrize("text", ["27AAACA1234A1Z5", " 27aaaca1234a1z5 ", "27AAACS1234A1Z5"])
def test_a_gstin_with_a_wrong_check_character_is_flagged_as_typed(text: str) -> None:
    assert live_problem("pan_or_gstin", text) == "check character does not match (a typo?)"


def test_the_placeholder_gstin_adds_up() -> None:
    example = CUSTOMER_FIELDS["pan_or_gstin"].placeholder.removeprefix("e.g. ")
    assert live_problem("pan_or_gstin", example) == ""


def test_a_gstin_of_another_state_than_the_state_field_is_a_whole_customer_problem() -> None:
    mine = CustomerValues({"pan_or_gstin": "27AAACS1234A1Z2", "state": "Maharashtra"}, [], [])
    assert whole_problems(mine) == []
    moved = CustomerValues({"pan_or_gstin": "27AAACS1234A1Z2", "state": "Karnataka"}, [], [])
    moved_problem = [("panOrGstin", "starts 27 (Maharashtra), but the State is Karnataka")]
    assert whole_problems(moved) == moved_problem
    assert whole_problems(CustomerValues({"state": "Karnataka"}, [], [])) == []
    # An edit that changes neither is not held up by what EnKash has stored.
    assert whole_problems(moved, CustomerValues(dict(moved.fields), [], [])) == []
    assert whole_problems(moved, mine) == moved_problem


@pytest.mark.parametrize(
    ("field_id", "good", "bad", "message"),
    [
        ("via", ["EMAIL", "sms", " WhatsApp "], ["FAX", "e-mail", "EMAIL,SMS"],
         "EMAIL, SMS or WHATSAPP"),
        ("stage", ["BEFORE_DUE", "on_due", "After_Due"], ["GENTLE_NUDGE", "due", "ON DUE"],
         "BEFORE_DUE, ON_DUE or AFTER_DUE"),
    ],
)  # fmt: skip
def test_a_choice_field_lists_its_values(
    field_id: str, good: list[str], bad: list[str], message: str
) -> None:
    for text in good:
        assert live_problem(field_id, text) == "", text
    for text in bad:
        assert live_problem(field_id, text) == message, text


def test_a_choice_is_sent_in_capitals_as_typed_in_any_case() -> None:
    values = CustomerValues(
        {"legal_name": "Acme"},
        [{"name": "Ravi", "mobile": "9812345678", "via": " whatsapp "}],
        [{"reminder_type": "ONCE", "due_date_difference": "-3", "reminder_time": "10:00",
          "stage": "before_due"}],
    )  # fmt: skip
    body = create_body(values)
    assert body["customerKeyContacts"][0]["via"] == "WHATSAPP"
    assert body["customerReminders"][0]["stage"] == "BEFORE_DUE"
    assert rule_wire(values.rules[0])["stage"] == "BEFORE_DUE"
    CustomerCreate.model_validate(body)
