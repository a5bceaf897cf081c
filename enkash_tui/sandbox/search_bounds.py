"""Bounds on a search filter, checked before any SQL: each list becomes one SQL variable per
value and each search text a LIKE pattern, and SQLite refuses too many variables or too long a
pattern (a 500 otherwise). The bounds sit well above anything the app asks for."""

from __future__ import annotations

from pydantic import BaseModel

from enkash_tui.sandbox.envelope import invalid

# A whole page of ids: the largest invoice page and the bulk actions' cap (5,000).
MAX_FILTER_VALUES = 5000
# All the lists of one filter together; far below SQLite's default of 32,766 variables.
MAX_FILTER_VALUES_IN_ALL = 10_000
# The longest text the API stores in a searched field is an e-mail address (254 characters).
MAX_SEARCH_TEXT = 256


def check_filter(filters: BaseModel) -> None:
    """A 400 on the first field of ``filters`` over its bound, named by its wire name."""
    in_all = 0
    for name, info in type(filters).model_fields.items():
        value = getattr(filters, name)
        wire = info.alias or name
        texts = value if isinstance(value, list) else [value]
        if isinstance(value, list):
            if len(value) > MAX_FILTER_VALUES:
                raise invalid(wire, f"at most {MAX_FILTER_VALUES} values", len(value))
            in_all += len(value)
        for text in texts:
            if isinstance(text, str) and len(text) > MAX_SEARCH_TEXT:
                raise invalid(wire, f"at most {MAX_SEARCH_TEXT} characters", text[:40] + "…")
    if in_all > MAX_FILTER_VALUES_IN_ALL:
        raise invalid(
            "(body)", f"at most {MAX_FILTER_VALUES_IN_ALL} values in all the lists", in_all
        )
