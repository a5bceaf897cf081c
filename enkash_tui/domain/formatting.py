"""How amounts, dates and overdue ages are shown: the Indian way (₹1,23,45,678.00, 25 Nov 2026).

No Textual here, so the rules are easy to test and reuse (screens, exports, the action log).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from enkash_tui.api.rupees import group_indian, inr

__all__ = ["AGING_BUCKETS", "age_words", "aging_bucket", "count", "day", "group_indian", "inr"]

AGING_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("Current", 0, 0),
    ("1-30", 1, 30),
    ("31-60", 31, 60),
    ("61-90", 61, 90),
    ("90+", 91, None),
)


def day(value: dt.date | dt.datetime | None, blank: str = "") -> str:
    """``25 Nov 2026``; date-times are shown in local time."""
    if value is None:
        return blank
    if isinstance(value, dt.datetime):
        value = value.astimezone() if value.tzinfo else value
    return f"{value.day:02d} {value:%b} {value.year:04d}"  # %Y drops a year's leading zeros


def aging_bucket(days_overdue: int) -> str:
    """The aging bucket of an open invoice that is ``days_overdue`` days past its due date."""
    for label, low, high in AGING_BUCKETS:
        if days_overdue >= low and (high is None or days_overdue <= high):
            return label
    return AGING_BUCKETS[0][0]


def count(number: int, noun: str, plural: str | None = None) -> str:
    """ "1 row", "2 rows", "1,204 invoices": a number with its noun, singular when it is one."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def age_words(seconds: float | None, verb: str = "updated", never: str = "never fetched") -> str:
    """ "updated 12 s ago", "updated 5 min ago", "updated 3 h ago"; ``never`` for None."""
    if seconds is None:
        return never
    if seconds < 90:
        return f"{verb} {int(seconds)} s ago"
    if seconds < 5400:
        return f"{verb} {int(seconds // 60)} min ago"
    return f"{verb} {seconds / 3600:.0f} h ago"


def amount_as_typed(amount: Decimal) -> str:
    """An amount as a person would type it into a form: ``10000``, ``1250.50`` (never
    ``10000.0``, nor grouped or with ₹, so that saving it unchanged sends it unchanged)."""
    if amount == amount.to_integral_value():
        return f"{amount.quantize(Decimal(1)):f}"
    cents = amount.quantize(Decimal("0.01"))
    return f"{cents:f}" if cents == amount else f"{amount:f}"  # never rounds a value away


def typed_amount(text: str) -> str:
    """An amount as a person types it ("₹1,50,000.50") as plain digits ("150000.50"): the one
    reading of rupees typed into a form or a filter."""
    return text.replace(",", "").replace("₹", "").strip()
