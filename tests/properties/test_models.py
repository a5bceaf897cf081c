"""Every WriteModel against adversarial input: accepted as valid, or refused with a clear error.

For raw dicts mixing well-formed values with markup, control characters, bidi marks, emoji,
10k-character strings, boundary amounts and impossible dates (``gen.model_input``):

* ``model_validate`` either succeeds or raises ``pydantic.ValidationError``, nothing else;
* a refusal gives per-field messages that are non-empty, short, and named by wire field;
* what is accepted serialises (``to_wire``) to a body that keeps every documented rule (the
  ``wire_problems`` fixture), with money exactly as given, and that the model would accept back.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any, get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from enkash_tui.api import field_errors_from_validation
from enkash_tui.api.models import (
    CustomerCreate,
    CustomerFilter,
    CustomerUpdate,
    InvoiceCreate,
    InvoiceDeletion,
    InvoiceDispatch,
    InvoiceFilter,
    InvoiceStatusChange,
    InvoiceUpdate,
    KeyContactCreate,
    PaymentConfirmation,
    ReminderCreate,
    ReminderUpdate,
)
from enkash_tui.api.models.base import WriteModel
from enkash_tui.api.models.search import CustomerPageRequest, InvoicePageRequest, PageRequest
from tests.support.examples import examples

MODELS = (
    CustomerCreate,
    CustomerUpdate,
    KeyContactCreate,
    InvoiceCreate,
    InvoiceUpdate,
    InvoiceFilter,
    CustomerFilter,
    ReminderCreate,
    ReminderUpdate,
    PaymentConfirmation,
    InvoiceStatusChange,
    InvoiceDispatch,
    InvoiceDeletion,
    InvoicePageRequest,
    CustomerPageRequest,
)
PROPERTY = settings(
    max_examples=examples(50),
    deadline=None,
    database=None,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CUSTOMER_ID = "KC1A2B3C4D5E6F7G"


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _nested_model(arg)
        if found is not None:
            return found
    return None


def naming_problem(model: type[BaseModel], path: str) -> str | None:
    """Why ``path`` is not named the way the wire names it (None when it is)."""
    current: type[BaseModel] | None = model
    for part in path.split("."):
        if current is None or path == "(body)":
            return None
        if part.isdigit():
            continue
        fields = current.model_fields
        field = next((f for n, f in fields.items() if (f.alias or n) == part), None)
        if field is None:
            if part in fields:
                return f"{path!r}: {part!r} is the Python name, not the wire name"
            return None  # an unknown key the input itself used (extra fields are refused)
        current = _nested_model(field.annotation)
    return None


def assert_clear_refusal(error: ValidationError, model: type[BaseModel]) -> None:
    problems = field_errors_from_validation(error, model)
    assert problems, f"a ValidationError with no field errors: {error}"
    for problem in problems:
        assert isinstance(problem.field, str) and problem.field, problem
        assert isinstance(problem.message, str) and problem.message.strip(), problem
        assert len(problem.message) <= 500, f"message echoes the input: {problem.message[:80]}…"
        assert naming_problem(model, problem.field) is None, naming_problem(model, problem.field)


def assert_money_exact(instance: WriteModel, wire: dict[str, Any]) -> None:
    """Money goes out as JSON numbers that are exactly the Decimal the model holds."""
    for name, field in type(instance).model_fields.items():
        value = getattr(instance, name)
        alias = field.alias or name
        if isinstance(value, Decimal) and alias in wire:
            assert Decimal(json.dumps(wire[alias])) == value, (alias, value, wire[alias])


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@PROPERTY
@given(data=st.data())
def test_each_input_is_accepted_or_refused_with_clear_field_errors(
    model: type[WriteModel], data: st.DataObject, gen: Any, wire_problems: Any
) -> None:
    raw = data.draw(gen.model_input(model), label="raw input")
    try:
        instance = model.model_validate(raw)
    except ValidationError as error:
        assert_clear_refusal(error, model)
        return
    except Exception as error:  # the property: nothing else escapes
        pytest.fail(f"{model.__name__}.model_validate raised {type(error).__name__}: {error!r}")
    wire = instance.to_wire()
    if isinstance(instance, PageRequest):
        assert instance.to_query() == wire  # what the search sends as its query
    assert wire_problems(wire, model.__name__) == []
    assert_money_exact(instance, wire)
    # What we send, we would accept back unchanged.
    again = model.model_validate(wire)
    assert again.to_wire() == wire


def test_every_write_model_is_covered(write_models: tuple[type[BaseModel], ...]) -> None:
    def subclasses(cls: type) -> set[type]:
        found = set(cls.__subclasses__())
        return found.union(*(subclasses(c) for c in found)) if found else found

    concrete = {
        cls
        for cls in subclasses(WriteModel)
        if cls.__module__.startswith("enkash_tui.api.")  # the client's; not the sandbox's own
        and cls.__name__ not in ("PatchModel", "CustomerFields", "InvoiceFields", "PageRequest")
    }
    assert concrete <= set(MODELS) == set(write_models)


# -- explicit boundaries (documented: baseAmount >= 0.1, two decimals, dates as yyyy-MM-dd) -----


@pytest.mark.parametrize(
    ("amount", "accepted"),
    [
        (0, False),
        ("0", False),
        (0.09, False),
        ("0.09", False),
        (0.099, False),
        ("0.099", False),
        ("0.1", True),
        (0.1, True),
        (Decimal("0.10"), True),
        ("0.1000", True),
        ("1.005", False),
        ("1e15", False),
        (10**15, False),
        ("9999999999999.99", True),
        ("99999999999999.9", False),
        ("-0.01", False),
        (-1, False),
        ("NaN", False),
        ("sNaN", False),
        ("Infinity", False),
        ("-Infinity", False),
        (float("nan"), False),
        (float("inf"), False),
        ("1,000", False),
        ("₹100", False),
        (True, False),
        ("", False),
    ],
)
def test_base_amount_boundaries(amount: Any, accepted: bool, wire_problems: Any) -> None:
    raw = {"customerId": CUSTOMER_ID, "dueDate": "2026-03-31", "baseAmount": amount}
    try:
        invoice = InvoiceCreate.model_validate(raw)
    except ValidationError as error:
        assert not accepted, f"{amount!r} refused: {error}"
        [problem] = field_errors_from_validation(error, InvoiceCreate)
        assert problem.field == "baseAmount" and problem.message
        return
    assert accepted, f"{amount!r} accepted as {invoice.base_amount!r}"
    wire = invoice.to_wire()
    assert wire_problems(wire, "InvoiceCreate") == []
    assert Decimal(json.dumps(wire["baseAmount"])) == Decimal(str(amount))


@pytest.mark.parametrize(
    ("due", "accepted"),
    [
        ("2024-02-29", True),
        ("2023-02-29", False),
        ("2026-02-30", False),
        ("2026-13-01", False),
        # Invoices are dated and due in the years 2000 to 2099: far dates are typos.
        ("0001-01-01", False),
        ("1999-12-31", False),
        ("2000-01-01", True),
        ("2099-12-31", True),
        ("2100-01-01", False),
        ("9999-12-31", False),
        ("2026-1-1", False),
        ("now", False),
        ("٢٠٢٦-٠١-٠١", False),
    ],
)
def test_due_date_boundaries(due: str, accepted: bool, wire_problems: Any) -> None:
    raw = {"customerId": CUSTOMER_ID, "dueDate": due, "baseAmount": "10"}
    try:
        invoice = InvoiceCreate.model_validate(raw)
    except ValidationError as error:
        assert not accepted, f"{due!r} refused: {error}"
        assert [p.field for p in field_errors_from_validation(error, InvoiceCreate)] == ["dueDate"]
        return
    assert accepted
    wire = invoice.to_wire()
    assert wire["dueDate"] == due
    assert wire_problems(wire, "InvoiceCreate") == []


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2024, 2, 29, 0, 0, 0),
        dt.datetime(9999, 12, 31, 23, 59, 59),
        dt.datetime(1000, 1, 1),
        # Years before 1000: strftime("%Y") does not pad them on Linux ("1-01-01 00:00:00").
        dt.datetime(999, 12, 31, 23, 59, 59),
        dt.datetime(1, 1, 1),
    ],
    ids=str,
)
@pytest.mark.parametrize(
    ("model", "field"),
    [
        (InvoiceFilter, "dueDateFrom"),
        (InvoiceFilter, "invoiceDateTo"),
        (CustomerFilter, "createdOnFrom"),
    ],
)
def test_filter_timestamps_are_always_yyyy_mm_dd_hh_mm_ss(
    moment: dt.datetime, model: type[WriteModel], field: str, wire_problems: Any
) -> None:
    wire = model.model_validate({field: moment}).to_wire()
    assert wire_problems(wire, model.__name__) == [], f"{moment!r} is sent as {wire[field]!r}"


@pytest.mark.parametrize(
    "email",
    ["a\x00b@acme.in", "\x1b[31mravi@acme.in", "ra\x85vi@acme.in"],
    ids=repr,
)
@pytest.mark.parametrize(
    ("model", "field"), [(KeyContactCreate, "email"), (InvoiceCreate, "emailAddress")]
)
def test_an_email_with_control_characters_is_refused(
    email: str, model: type[WriteModel], field: str, wire_problems: Any
) -> None:
    """RFC 5322 (the documented rule) has no control characters in an address."""
    base: dict[str, Any] = (
        {"name": "Ravi", "legalName": "Ravi", "mobile": "9812345678"}
        if model is KeyContactCreate
        else {"customerId": CUSTOMER_ID, "dueDate": "2026-03-31", "baseAmount": "10"}
    )
    try:
        wire = model.model_validate({**base, field: email}).to_wire()
    except ValidationError as error:
        assert [p.field for p in field_errors_from_validation(error, model)] == [field]
        return
    assert wire_problems(wire, model.__name__) == [], f"{email!r} is sent as {wire[field]!r}"


@pytest.mark.parametrize(
    "char",
    ["\r", "\n", "\t", "\x0b", "\x0c", "\x9b", "\x85", "\u202e", "\u2067", "\u200b",
     "\u2060", "\ufeff", "\u2028", "\x1b", "\x00"],
    ids=lambda c: f"U+{ord(c):04X}",
)  # fmt: skip
@pytest.mark.parametrize(
    ("model", "field", "base"),
    [
        (KeyContactCreate, "name", {"legalName": "Ravi", "mobile": "9812345678"}),
        (CustomerUpdate, "address", {}),
        (InvoiceCreate, "description", {"customerId": CUSTOMER_ID, "dueDate": "2026-03-31",
                                        "baseAmount": "10"}),
        (PaymentConfirmation, "remarks", {"invoiceIds": ["KI1A2B3C4D5E6F7G"],
                                          "paymentId": "PMT" + "a" * 32, "response": "ACCEPT",
                                          "type": "ONPLATFORM"}),
    ],
)  # fmt: skip
def test_a_text_with_a_line_break_or_invisible_control_inside_is_refused(
    char: str, model: type[WriteModel], field: str, base: dict[str, Any], wire_problems: Any
) -> None:
    """Issue 15: CR, LF, tab, VT, FF, U+009B, U+202E and zero-width spaces got through."""
    try:
        wire = model.model_validate({**base, field: f"Acme{char}Traders"}).to_wire()
    except ValidationError as error:
        assert [p.field for p in field_errors_from_validation(error, model)] == [field]
        return
    assert wire_problems(wire, model.__name__) == [], f"{char!r} is sent as {wire[field]!r}"


@pytest.mark.parametrize("model", [InvoicePageRequest, CustomerPageRequest])
def test_a_search_offset_past_int32_is_refused(model: type[WriteModel], wire_problems: Any) -> None:
    """offset is an int32 (§3.3): 2**31 cannot reach the server."""
    try:
        query = model.model_validate({"offset": 2**31}).to_wire()
    except ValidationError:
        return
    assert wire_problems(query, model.__name__) == [], f"offset sent as {query['offset']}"
