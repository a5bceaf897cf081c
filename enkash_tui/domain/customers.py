"""A customer as the create / edit form holds it, and back to the wire (no Textual here).

The form keeps plain text per field, one dict per key contact and one per reminder rule. These
functions turn an existing customer into those values, the values into a createCustomer body, and
two sets of values into the updateCustomer PATCH that sends only what changed. The as-you-type
checks use the documented patterns, worded for a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from enkash_tui.api.gst import gstin_problem, looks_like_gstin
from enkash_tui.api.models import (
    ContactChannel,
    Customer,
    KeyContact,
    Reminder,
    ReminderCreate,
    ReminderStage,
    ReminderUpdate,
)
from enkash_tui.api.models.customer import gstin_state_problem
from enkash_tui.api.patterns import (
    ACCOUNT_NUMBER_PATTERN,
    EMAIL_PATTERN,
    IFSC_PATTERN,
    PATTERN_HINTS,
    PHONE_PATTERN,
    PIN_CODE_PATTERN,
)
from enkash_tui.api.text import has_unsafe

# A customer id anywhere in a text ("Acme Ltd — KC…" as the invoice form completes it).
CUSTOMER_ID = re.compile(r"KC[A-Z0-9]{14}")


@dataclass(frozen=True)
class FormField:
    label: str
    wire: str
    placeholder: str = ""
    create: bool = True  # shown when creating
    edit: bool = True  # shown when editing


# Form field id -> how it is shown and sent, in the order the form shows them.
CUSTOMER_FIELDS: dict[str, FormField] = {
    "legal_name": FormField("Legal name *", "legalName"),
    "pan_or_gstin": FormField("GSTIN / PAN", "panOrGstin", "e.g. 27AAACA1234A1ZK"),
    "contact_number": FormField("Phone", "contactNumber", "e.g. +91 9812345678"),
    "address": FormField("Address", "address"),
    "state": FormField("State", "state"),
    "pin_code": FormField("PIN code", "pinCode", "e.g. 411001"),
    "account_number": FormField("Bank account", "accountNumber"),
    "ifsc": FormField("IFSC", "ifsc", "e.g. HDFC0001234"),
    "unique_ref_no": FormField("Your reference", "uniqueRefNo", "e.g. your ERP's code"),
    "customer_company_id": FormField("Their EnKash id", "customerCompanyId", edit=False),
    "assigned_agent": FormField("Assigned agent", "assignedAgent", create=False),
    "branch_codes": FormField("Branch codes", "branchCodes", "e.g. PUN01, PUN02", create=False),
}
CONTACT_FIELDS: dict[str, FormField] = {
    "name": FormField("Name *", "name"),
    "legal_name": FormField("Legal name", "legalName", "same as the name"),
    "mobile": FormField("Mobile *", "mobile", "e.g. 9812345678"),
    "email": FormField("E-mail", "email"),
    "via": FormField("Prefers", "via", "EMAIL, SMS or WHATSAPP"),
}
CONTACT_FLAGS = {"mail_enabled": "Mail", "sms_enabled": "SMS", "whatsapp_enabled": "WhatsApp"}
RULE_FIELDS: dict[str, FormField] = {
    "due_date_difference": FormField("Days from due *", "dueDateDifference", "-3 = 3 days before"),
    "reminder_interval": FormField("Repeat every", "reminderInterval", "days"),
    "reminder_time": FormField("At *", "reminderTime", "HH:mm, e.g. 10:00"),
    "stage": FormField("Stage", "stage", "e.g. BEFORE_DUE"),
}
# Fields whose value is one of a list: typed in any case, sent in capitals.
CHOICE_FIELDS: dict[str, tuple[str, ...]] = {
    "via": tuple(channel.value for channel in ContactChannel),
    "stage": tuple(stage.value for stage in ReminderStage),
}
RULE_TYPES = ("ONCE", "RECURRING")

# Form field id -> (pattern, what to tell the person). Checked as they type. The hints stay
# short: they sit beside the field, in what is left of an 80-column line.
_LIVE_CHECKS: dict[str, tuple[str, str]] = {
    **{
        field: (pattern, PATTERN_HINTS[pattern])
        for field, pattern in (
            ("contact_number", PHONE_PATTERN),
            ("mobile", PHONE_PATTERN),
            ("email", EMAIL_PATTERN),
            ("ifsc", IFSC_PATTERN),
            ("account_number", ACCOUNT_NUMBER_PATTERN),
            ("pin_code", PIN_CODE_PATTERN),
        )
    },
    "reminder_time": (r"^$|^([01][0-9]|2[0-3]):[0-5][0-9]$", "HH:mm, like 10:00"),
    "due_date_difference": (r"^$|^-?[0-9]{1,3}$", "whole days, -3 = before"),
    "reminder_interval": (r"^$|^[0-9]{1,3}$", "whole days"),
}
# Not documented by EnKash, so only a hint: a PAN is 10 characters, a GSTIN 15.
_PAN = r"[A-Z]{5}[0-9]{4}[A-Z]"
_PAN_OR_GSTIN = re.compile(rf"^$|^{_PAN}$|^[0-9]{{2}}{_PAN}[0-9A-Z]Z[0-9A-Z]$")


def choices_words(choices: tuple[str, ...]) -> str:
    """("A", "B", "C") -> "A, B or C"."""
    return ", ".join(choices[:-1]) + " or " + choices[-1] if len(choices) > 1 else choices[0]


def live_problem(field_id: str, text: str) -> str:
    """What is wrong with ``text`` for this field as typed so far ("" when nothing is)."""
    # Refused on save in every field (api.text), said as it is typed. The save strips only
    # Unicode white space from the ends (not U+001C-U+001F, which str.strip takes too).
    if has_unsafe(text.strip(" \t\n\r\x0b\x0c\x85\u2028\u2029")):
        return "no tabs, line breaks or control characters"
    value = text.strip()
    if field_id == "pan_or_gstin":
        if not _PAN_OR_GSTIN.match(value.upper()):
            return "not a PAN or GSTIN"
        return gstin_problem(value) if looks_like_gstin(value) else ""
    if field_id in CHOICE_FIELDS:
        choices = CHOICE_FIELDS[field_id]
        return "" if not value or value.upper() in choices else choices_words(choices)
    check = _LIVE_CHECKS.get(field_id)
    if check is None or re.match(check[0], value):
        return ""
    return check[1]


def pattern_hint(field_id: str) -> str:
    """How a person should write this field ("" when it has no documented pattern)."""
    check = _LIVE_CHECKS.get(field_id)
    return check[1] if check else ""


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


def contact_values(contact: KeyContact) -> dict[str, Any]:
    values: dict[str, Any] = {name: _text(getattr(contact, name)) for name in CONTACT_FIELDS}
    values.update({flag: bool(getattr(contact, flag)) for flag in CONTACT_FLAGS})
    values["key_contact_person_id"] = contact.key_contact_person_id
    return values


def rule_values(rule: Reminder) -> dict[str, Any]:
    values: dict[str, Any] = {name: _text(getattr(rule, name)) for name in RULE_FIELDS}
    values["reminder_type"] = (rule.reminder_type or "ONCE").upper()
    values["customer_reminder_id"] = rule.customer_reminder_id
    return values


def new_contact() -> dict[str, Any]:
    return {"mail_enabled": True, "sms_enabled": True, "whatsapp_enabled": False}


def new_rule() -> dict[str, Any]:
    return {"reminder_type": "ONCE", "due_date_difference": "0", "reminder_time": "10:00"}


@dataclass
class CustomerValues:
    """Everything the form holds: scalar fields, contacts and reminder rules."""

    fields: dict[str, str]
    contacts: list[dict[str, Any]]
    rules: list[dict[str, Any]]

    @classmethod
    def of(cls, customer: Customer) -> CustomerValues:
        return cls(
            fields={name: _text(getattr(customer, name, None)) for name in CUSTOMER_FIELDS},
            contacts=[contact_values(c) for c in customer.customer_key_contacts if not c.deleted],
            rules=[rule_values(r) for r in customer.customer_reminders],
        )

    @classmethod
    def blank(cls) -> CustomerValues:
        return cls(fields={}, contacts=[new_contact()], rules=[])


def _typed(name: str, value: object) -> str:
    """A form value as sent: trimmed, and a choice (EMAIL, BEFORE_DUE) in capitals."""
    text = str(value or "").strip()
    return text.upper() if name in CHOICE_FIELDS else text


def _contact_wire(values: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {"deleted": False}
    for name, spec in CONTACT_FIELDS.items():
        text = _typed(name, values.get(name))
        if text:
            body[spec.wire] = text
    # A contact's legal name is required by the API; most people are their own.
    if "legalName" not in body and "name" in body:
        body["legalName"] = body["name"]
    for flag in CONTACT_FLAGS:
        body[flag] = bool(values.get(flag))
    if values.get("key_contact_person_id"):
        body["keyContactPersonId"] = values["key_contact_person_id"]
    return body


def rule_wire(values: dict[str, Any]) -> dict[str, Any]:
    """A rule's form values as ``ReminderCreate`` input: blanks left out, no interval for a
    one-off, its id when it has one."""
    body: dict[str, Any] = {"reminderType": values.get("reminder_type") or "ONCE"}
    for name, spec in RULE_FIELDS.items():
        text = _typed(name, values.get(name))
        if text:
            body[spec.wire] = text
    if body["reminderType"] == "ONCE":
        body.pop("reminderInterval", None)  # a one-off reminder does not repeat
    if values.get("customer_reminder_id"):
        body["customerReminderId"] = values["customer_reminder_id"]
    return body


def rule_payloads(
    start: dict[str, Any] | None, values: dict[str, Any]
) -> tuple[ReminderCreate, ReminderUpdate | None]:
    """The rule ``values`` hold, checked whole as it will stand (pydantic's ValidationError when
    EnKash would not take it); for an edit of the rule ``start`` held, also the change to send:
    only what differs, a cleared stage or interval as null."""
    body = rule_wire(values)
    whole = ReminderCreate.model_validate(body)
    if start is None:
        return whole, None
    before = rule_wire(start)
    changes: dict[str, Any] = {k: v for k, v in body.items() if before.get(k) != v}
    changes |= {k: None for k in before if k not in body}
    return whole, ReminderUpdate.model_validate(changes)


def create_body(values: CustomerValues) -> dict[str, Any]:
    """The createCustomer body as the model validates it: blanks left out."""
    body: dict[str, Any] = {}
    for name, spec in CUSTOMER_FIELDS.items():
        text = values.fields.get(name, "").strip()
        if text and spec.create:
            body[spec.wire] = text
    body["customerKeyContacts"] = [_contact_wire(c) for c in values.contacts]
    if values.rules:
        body["customerReminders"] = [rule_wire(r) for r in values.rules]
    return body


def _scalar_wire(name: str, text: str) -> Any:
    if name == "branch_codes":
        return [code.strip() for code in re.split(r"[,;\s]+", text) if code.strip()]
    return text


def update_body(start: CustomerValues, now: CustomerValues) -> dict[str, Any]:
    """The updateCustomer PATCH: changed fields, null for cleared ones, whole lists when they
    changed (the API replaces a customer's contacts and rules with the list sent)."""
    body: dict[str, Any] = {}
    for name, spec in CUSTOMER_FIELDS.items():
        if not spec.edit:
            continue
        before, after = start.fields.get(name, "").strip(), now.fields.get(name, "").strip()
        if before == after:
            continue
        body[spec.wire] = _scalar_wire(name, after) if after else None
    contacts = [_contact_wire(c) for c in now.contacts]
    if contacts != [_contact_wire(c) for c in start.contacts]:
        # Contacts taken out are sent as deleted too, so a server that merges lists drops them.
        kept = {c.get("keyContactPersonId") for c in contacts}
        removed = [
            {**_contact_wire(c), "deleted": True}
            for c in start.contacts
            if c.get("key_contact_person_id") and c["key_contact_person_id"] not in kept
        ]
        body["customerKeyContacts"] = contacts + removed
    rules = [rule_wire(r) for r in now.rules]
    if rules != [rule_wire(r) for r in start.rules]:
        body["customerReminders"] = rules
    return body


def whole_problems(
    values: CustomerValues, start: CustomerValues | None = None
) -> list[tuple[str, str]]:
    """(wire field, message) for what only the whole customer shows: a GSTIN of another state
    than the State field. An edit sends only what changed, so the model alone cannot tell; an
    edit that changes neither (``start`` given) is not held up by what was stored."""
    pair = ("pan_or_gstin", "state")
    now = [values.fields.get(name, "").strip() for name in pair]
    if start is not None and now == [start.fields.get(name, "").strip() for name in pair]:
        return []
    problem = gstin_state_problem(*now)
    return [("panOrGstin", problem)] if problem else []


def place_of(wire_field: str) -> tuple[str, int | None, str]:
    """Where a wire field error belongs: ("fields" | "contacts" | "rules", row, form field id).

    ``customerKeyContacts.1.mobile`` -> ("contacts", 1, "mobile"); ``ifsc`` -> ("fields", None,
    "ifsc"); anything unknown -> ("", None, "").
    """
    parts = wire_field.split(".")
    row = int(parts[1]) if len(parts) > 1 and parts[1].isascii() and parts[1].isdigit() else None
    sub = parts[2] if len(parts) > 2 else ""
    if parts[0] == "customerKeyContacts":
        names = {spec.wire: name for name, spec in CONTACT_FIELDS.items()}
        names.update({flag: flag for flag in CONTACT_FLAGS})  # snake_case on the wire too
        return "contacts", row, names.get(sub, "")
    if parts[0] == "customerReminders":
        names = {spec.wire: name for name, spec in RULE_FIELDS.items()}
        names["reminderType"] = "reminder_type"
        return "rules", row, names.get(sub, "")
    name = {spec.wire: name for name, spec in CUSTOMER_FIELDS.items()}.get(parts[0], "")
    return ("fields", None, name) if name else ("", None, "")
