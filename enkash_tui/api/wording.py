"""Validation failures in words a person can act on, by pydantic error type, in one place.

Every form, the bulk-file check and the sandbox's 400 replies get their field messages from
``field_errors_from_validation``, which asks here: "like HDFC0001234" instead of a regular
expression, "a date as yyyy-mm-dd" instead of "Input should be a valid date or datetime", "₹0.10
or more" instead of "greater than or equal to 0.1".
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from enkash_tui.api.patterns import PATTERN_HINTS
from enkash_tui.api.rupees import inr

_DATE = "a date as yyyy-mm-dd, like 2026-11-25"
_NUMBER = "a number, like 1250.50"
_WHOLE = "a whole number"
# Error type -> message, for the types whose message needs nothing from the error itself.
_FIXED = {
    "missing": "required",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "date_parsing": _DATE,
    "date_type": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": "a date without a time, as yyyy-mm-dd",
    "datetime_parsing": _DATE,
    "datetime_type": _DATE,
    "datetime_from_date_parsing": _DATE,
    "datetime_object_invalid": _DATE,
    "timezone_aware": "a date as yyyy-mm-dd, or a date-time with its time zone",
    "time_parsing": "a time as HH:mm, like 10:00",
    "time_type": "a time as HH:mm, like 10:00",
    "decimal_parsing": _NUMBER,
    "decimal_type": _NUMBER,
    "finite_number": _NUMBER,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "int_parsing": _WHOLE,
    "int_type": _WHOLE,
    "int_from_float": _WHOLE,
    "int_parsing_size": "too large a number",
    "decimal_whole_digits": "too many digits before the decimal point",
    "extra_forbidden": "not a field this request has",
    "list_type": "a list",
    "dict_type": "not in the expected form",
    "model_type": "not in the expected form",
    "model_attributes_type": "not in the expected form",
    "string_unicode": "text (it holds characters that cannot be sent)",
}
_BOUNDS = {
    "greater_than_equal": ("ge", "{} or more"),
    "greater_than": ("gt", "more than {}"),
    "less_than_equal": ("le", "{} or less"),
    "less_than": ("lt", "less than {}"),
}


def _number(value: Any) -> str:
    # Money bounds are Decimals (₹0.10); counts and day offsets are ints (365).
    if isinstance(value, Decimal):
        return inr(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _choices(expected: str) -> str:
    """pydantic's "'A', 'B' or 'C'" without the quotes: "one of A, B or C" ("A or B")."""
    words = expected.replace("'", "")
    return words if "," not in words else "one of " + words


def in_words(error: Any) -> str:
    """The message for one pydantic error (an item of ``ValidationError.errors()``)."""
    kind: str = error.get("type", "")
    ctx: dict[str, Any] = error.get("ctx") or {}
    message: str = error.get("msg", "")
    if kind in ("value_error", "assertion_error"):
        return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "string_type":
        return "required" if error.get("input") is None else "text"
    if kind in _FIXED:
        return _FIXED[kind]
    if kind == "string_pattern_mismatch":
        return PATTERN_HINTS.get(str(ctx.get("pattern")), "not in the expected format")
    if kind == "string_too_short":
        least = ctx.get("min_length", 1)
        return "required" if least == 1 else f"at least {least} characters"
    if kind == "string_too_long":
        return f"at most {ctx.get('max_length')} characters"
    if kind == "too_short":
        least = ctx.get("min_length")
        return f"at least {least} {'item' if least == 1 else 'items'}"
    if kind == "too_long":
        return f"at most {ctx.get('max_length')} items"
    if kind == "decimal_max_places":
        places = ctx.get("decimal_places")
        return "at most 2 decimal places (paise)" if places == 2 else f"at most {places} decimals"
    if kind == "decimal_max_digits":
        return f"too large: at most {ctx.get('max_digits')} digits"
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        if kind == "greater_than_equal" and ctx.get(key) == 0:
            return "cannot be negative"
        return words.format(_number(ctx.get(key)))
    if kind in ("enum", "literal_error"):
        return _choices(str(ctx.get("expected", "")))
    return message
