"""The forms' body builders against whatever a person can type.

* ``domain.customers.create_body`` / ``update_body`` / ``rule_wire`` and ``invoice_form.wire_body``
  never raise; what they build is accepted by its model or refused with field errors the form can
  place, and what is accepted keeps every documented rule and carries the typed text unaltered
  (trimmed, nothing else: "[bold]" stays "[bold]").
* ``live_problem(field, text)`` never raises, says nothing ("") about any valid value of the
  field, and a value it passes is not refused for that field on save.
* ``invoice_filter.build_filter`` gives an InvoiceFilter or a ``FieldProblem`` naming one of its
  inputs, nothing else, and the filter keeps the documented timestamp format.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from enkash_tui.api import field_errors_from_validation
from enkash_tui.api.models import (
    CustomerCreate,
    CustomerUpdate,
    InvoiceCreate,
    InvoiceFilter,
    InvoiceUpdate,
    Reminder,
    ReminderCreate,
)
from enkash_tui.domain import invoice_filter
from enkash_tui.domain.customers import (
    CONTACT_FIELDS,
    CONTACT_FLAGS,
    CUSTOMER_FIELDS,
    RULE_FIELDS,
    CustomerValues,
    create_body,
    live_problem,
    place_of,
    rule_wire,
    update_body,
)
from enkash_tui.domain.invoice_form import BY_WIRE, FLAGS, TEXT_FIELDS, wire_body
from enkash_tui.domain.reminders import describe
from tests.support.examples import examples

PROPERTY = settings(
    max_examples=examples(60),
    deadline=None,
    database=None,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FIELD_IDS = sorted({*CUSTOMER_FIELDS, *CONTACT_FIELDS, *RULE_FIELDS, "pan_or_gstin"})


# -- strategies (built from the ``gen`` fixture's atoms) ------------------------------------


def typed(gen: Any, good: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """What lands in an Input: a good value, a spoilt one, or anything at all."""
    return st.one_of(
        good,
        st.tuples(good, st.sampled_from(["", " ", "\n", "x", "[/]", "\x1b[0m", "\x00"])).map(
            "".join
        ),
        gen.nasty_text,
    )


def good_field(gen: Any, field_id: str) -> st.SearchStrategy[str]:
    return {
        "contact_number": gen.phone,
        "mobile": gen.phone.filter(bool),
        "email": gen.email,
        "ifsc": gen.ifsc,
        "account_number": gen.account_number,
        "pin_code": gen.pin_code,
        "pan_or_gstin": st.one_of(gen.pan_or_gstin, gen.pan_or_gstin.map(str.lower)),
        "branch_codes": st.lists(st.from_regex(r"[A-Z]{3}[0-9]{2}", fullmatch=True)).map(", ".join),
        "reminder_time": st.times().map(lambda t: t.strftime("%H:%M")),
        "due_date_difference": st.integers(-365, 365).map(str),
        "reminder_interval": st.integers(1, 365).map(str),
        # A choice, typed in any case: sent in capitals.
        "via": st.sampled_from(["EMAIL", "SMS", "WHATSAPP", "email", "WhatsApp"]),
        "stage": st.sampled_from(["BEFORE_DUE", "ON_DUE", "AFTER_DUE", "after_due"]),
    }.get(field_id, gen.clean_text)


def customer_values(gen: Any) -> st.SearchStrategy[CustomerValues]:
    fields = st.fixed_dictionaries(
        {}, optional={name: typed(gen, good_field(gen, name)) for name in CUSTOMER_FIELDS}
    )
    contact = st.fixed_dictionaries(
        {},
        optional={
            **{name: typed(gen, good_field(gen, name)) for name in CONTACT_FIELDS},
            **{flag: st.one_of(st.booleans(), gen.nasty_any) for flag in CONTACT_FLAGS},
            "key_contact_person_id": st.one_of(st.none(), gen.clean_text, gen.nasty_text),
        },
    )
    return st.builds(
        CustomerValues,
        fields=fields,
        contacts=st.lists(contact, max_size=3),
        rules=st.lists(rule_values(gen), max_size=3),
    )


def rule_values(gen: Any) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {},
        optional={
            **{name: typed(gen, good_field(gen, name)) for name in RULE_FIELDS},
            "reminder_type": st.one_of(st.sampled_from(["ONCE", "RECURRING"]), gen.nasty_text),
            "customer_reminder_id": st.one_of(st.none(), gen.clean_text),
        },
    )


def invoice_values(gen: Any) -> st.SearchStrategy[dict[str, Any]]:
    good = {
        "customer": st.one_of(
            gen.customer_id,
            st.tuples(gen.clean_text, gen.customer_id).map(lambda t: f"{t[0]} — {t[1]}"),
        ),
        "invoice_date": st.dates().map(dt.date.isoformat),
        "due_date": st.dates().map(dt.date.isoformat),
        **{
            name: gen.money.flatmap(
                lambda d: st.sampled_from([str(d), f"{d:,}", f"₹{d}", f"₹ {d:,.2f}"])
            )
            for name in ("base_amount", "cgst", "sgst", "igst", "tds")
        },
    }
    return st.fixed_dictionaries(
        {},
        optional={
            **{name: typed(gen, good.get(name, gen.clean_text)) for name in TEXT_FIELDS},
            **{name: st.one_of(st.booleans(), gen.nasty_any) for name in FLAGS},
        },
    )


# -- checks --------------------------------------------------------------------------------


# What a message must never show a person: pydantic's phrasing, a regular expression, a rupee
# amount as a float ("0.1", "10000.0").
NOT_WORDS = re.compile(
    r"Input should|String should|should match|pattern|Decimal input|Value error|Field required"
    r"|valid datetime|\^|\$\||\\|\b\d+\.\d\b"
)


def refusal_is_placeable(error: ValidationError, model: Any) -> list[tuple[str, str]]:
    problems = field_errors_from_validation(error, model)
    assert problems
    for problem in problems:
        assert problem.field and problem.message.strip(), problem
        assert not NOT_WORDS.search(problem.message), problem  # in words
        place_of(problem.field)  # where the customer form puts it: must not raise
    return [(p.field, p.message) for p in problems]


def typed_text_kept(values: CustomerValues, body: dict[str, Any]) -> None:
    """What was typed is sent as typed, trimmed: markup and all."""
    for name, spec in CUSTOMER_FIELDS.items():
        text = values.fields.get(name, "").strip()
        if text and spec.wire in body and name != "branch_codes":
            assert body[spec.wire] == text, (name, text, body[spec.wire])
    for contact, sent in zip(values.contacts, body.get("customerKeyContacts") or [], strict=False):
        for name, spec in CONTACT_FIELDS.items():
            text = str(contact.get(name) or "").strip()
            if text:
                assert sent[spec.wire] == (text.upper() if name == "via" else text)


@PROPERTY
@given(data=st.data())
def test_create_body_is_accepted_or_refused_and_never_crashes(
    data: st.DataObject, gen: Any, wire_problems: Any
) -> None:
    values = data.draw(customer_values(gen), label="form values")
    body = create_body(values)
    typed_text_kept(values, body)
    try:
        customer = CustomerCreate.model_validate(body)
    except ValidationError as error:
        refusal_is_placeable(error, CustomerCreate)
        return
    assert wire_problems(customer.to_wire(), "CustomerCreate") == []


@PROPERTY
@given(data=st.data())
def test_update_body_is_accepted_or_refused_and_never_crashes(
    data: st.DataObject, gen: Any, wire_problems: Any
) -> None:
    start = data.draw(customer_values(gen), label="start")
    now = data.draw(customer_values(gen), label="now")
    body = update_body(start, now)
    typed_text_kept(now, body)
    assert update_body(start, start) == {}
    try:
        changes = CustomerUpdate.model_validate(body)
    except ValidationError as error:
        refusal_is_placeable(error, CustomerUpdate)
        return
    assert wire_problems(changes.to_wire(), "CustomerUpdate") == []


@PROPERTY
@given(data=st.data())
def test_a_reminder_rule_is_accepted_or_refused_and_reads_back_in_words(
    data: st.DataObject, gen: Any, wire_problems: Any
) -> None:
    rule = data.draw(rule_values(gen), label="rule values")
    body = rule_wire(rule)
    with contextlib.suppress(ValidationError):
        describe(Reminder.model_validate(body))  # the rule form's read-back as it is typed
    try:
        created = ReminderCreate.model_validate(body)
    except ValidationError as error:
        refusal_is_placeable(error, ReminderCreate)
        return
    assert wire_problems(created.to_wire(), "ReminderCreate") == []


@PROPERTY
@given(field_id=st.one_of(st.sampled_from(FIELD_IDS), st.text(max_size=20)), text=st.text())
def test_live_problem_never_crashes(field_id: str, text: str) -> None:
    assert isinstance(live_problem(field_id, text), str)


@pytest.mark.parametrize("field_id", FIELD_IDS)
@settings(max_examples=examples(20), deadline=None, database=None)
@given(data=st.data())
def test_live_problem_says_nothing_about_a_valid_value(
    field_id: str, data: st.DataObject, gen: Any
) -> None:
    value = data.draw(good_field(gen, field_id), label="valid value")
    padded = data.draw(st.sampled_from(["", " ", "\t"]), label="padding")
    assert live_problem(field_id, padded + value + padded) == ""


# A valid customer around the one field under test.
BASE_FIELDS = {"legal_name": "Acme Traders"}
BASE_CONTACT = {"name": "Ravi", "mobile": "9812345678"}
PATTERN_FIELDS = {
    "contact_number": ("fields", "contactNumber"),
    "ifsc": ("fields", "ifsc"),
    "account_number": ("fields", "accountNumber"),
    "pin_code": ("fields", "pinCode"),
    "mobile": ("contacts", "customerKeyContacts.0.mobile"),
    "email": ("contacts", "customerKeyContacts.0.email"),
}


@pytest.mark.parametrize("field_id", list(PATTERN_FIELDS))
@settings(max_examples=examples(30), deadline=None, database=None)
@given(data=st.data())
def test_what_the_live_check_passes_is_not_refused_on_save(
    field_id: str, data: st.DataObject, gen: Any
) -> None:
    text = data.draw(typed(gen, good_field(gen, field_id)), label="typed")
    assume(live_problem(field_id, text) == "")
    assume(field_id != "email" or len(text.strip()) <= 254)  # the length is checked on save
    where, wire = PATTERN_FIELDS[field_id]
    if where == "fields":
        values = CustomerValues({**BASE_FIELDS, field_id: text}, [dict(BASE_CONTACT)], [])
    else:
        values = CustomerValues(dict(BASE_FIELDS), [{**BASE_CONTACT, field_id: text}], [])
    if field_id == "mobile" and not text.strip():
        return  # blank is fine as typed; the save then says a mobile is required
    try:
        CustomerCreate.model_validate(create_body(values))
    except ValidationError as error:
        fields = [p.field for p in field_errors_from_validation(error, CustomerCreate)]
        assert wire not in fields, f"live check passed {text!r}, the save refused it: {error}"


@settings(max_examples=examples(50), deadline=None, database=None)
@given(
    head=st.sampled_from(["customerKeyContacts", "customerReminders", "ifsc", "x"]),
    index=st.text(st.characters(categories=("Nd", "No")), min_size=1, max_size=2),
    sub=st.sampled_from(["mobile", "email", "", "reminderTime"]),
)
def test_a_field_name_from_the_server_is_placed_or_left_unplaced(
    head: str, index: str, sub: str
) -> None:
    """Server field errors (``apiSubErrors``) reach ``place_of`` as the server spells them: an
    odd one goes to the status line; it must not crash the form."""
    wire = f"{head}.{index}.{sub}"
    try:
        where, row, _ = place_of(wire)
    except Exception as error:  # the customer form's _show_errors would raise it
        pytest.fail(f"place_of({wire!r}) raised {type(error).__name__}: {error}")
    assert where in ("fields", "contacts", "rules", "")
    assert row is None or isinstance(row, int)


# -- the invoice form ------------------------------------------------------------------------


@PROPERTY
@given(data=st.data())
def test_invoice_wire_body_is_accepted_or_refused_and_never_crashes(
    data: st.DataObject, gen: Any, wire_problems: Any
) -> None:
    values = data.draw(invoice_values(gen), label="form values")
    body = wire_body(values)
    for name in ("description", "po_number", "invoice_number", "external_id"):
        text = str(values.get(name, "")).strip()
        if text:
            assert body[TEXT_FIELDS[name][1]] == text
    for model in (InvoiceCreate, InvoiceUpdate):
        sent = (
            body
            if model is InvoiceCreate
            else {k: v for k, v in body.items() if k not in ("externalId", "dispatchNow")}
        )
        try:
            invoice = model.model_validate(sent)
        except ValidationError as error:
            for field, message in refusal_is_placeable(error, model):
                # Placed beside its input, or listed in the status line: either way, text.
                assert BY_WIRE.get(field.split(".")[0]) or f"{field}: {message}"
            continue
        assert wire_problems(invoice.to_wire(), model.__name__) == []


# -- the invoice filter ------------------------------------------------------------------------


def filter_values(gen: Any) -> st.SearchStrategy[dict[str, str]]:
    good = {
        "due_from": st.dates().map(dt.date.isoformat),
        "due_to": st.dates().map(dt.date.isoformat),
        "dated_from": st.dates().map(dt.date.isoformat),
        "dated_to": st.dates().map(dt.date.isoformat),
        "balance_from": gen.money.map(str),
        "balance_to": gen.money.map(str),
    }
    texts = {
        name: typed(gen, good.get(name, gen.clean_text)).map(str.strip)
        for name in invoice_filter.TEXT_FIELDS
    }
    choices = {
        name: st.one_of(st.sampled_from([value for _, value in options]), gen.nasty_text)
        for name, options in invoice_filter.CHOICES.items()
    }
    return st.fixed_dictionaries({}, optional={**texts, **choices})


def run_filter(values: dict[str, str], wire_problems: Any) -> None:
    try:
        built = invoice_filter.build_filter(values)
    except invoice_filter.FieldProblem as problem:
        assert problem.field in invoice_filter.TEXT_FIELDS, problem.field
        assert str(problem).strip()
        return
    except Exception as error:  # the filter screen catches FieldProblem only: the app would crash
        pytest.fail(f"build_filter({values!r}) raised {type(error).__name__}: {error!r}")
    assert isinstance(built, InvoiceFilter)
    assert wire_problems(built.to_wire(), "InvoiceFilter") == []


@PROPERTY
@given(data=st.data())
def test_the_invoice_filter_builds_or_names_the_bad_field(
    data: st.DataObject, gen: Any, wire_problems: Any
) -> None:
    run_filter(data.draw(filter_values(gen), label="typed"), wire_problems)


@pytest.mark.parametrize(
    "values",
    [
        {"balance_from": "NaN"},
        {"balance_to": "sNaN"},
        {"balance_from": "Infinity"},
        {"balance_from": "1e999999999"},
        {"due_from": "0001-01-01"},
        {"dated_to": "0999-12-31"},
        {"due_from": "9999-12-31", "due_to": "0001-01-01"},
    ],
    ids=repr,
)
def test_invoice_filter_boundaries(values: dict[str, str], wire_problems: Any) -> None:
    run_filter(values, wire_problems)
