"""Checks that look at more than one field, reported on the one field a person should fix.

A model validator's plain ``ValueError`` lands on the body as a whole; ``refuse`` names the field
(by its Python name: the wire alias is found the usual way), so a form puts the message beside
that input and the sandbox's 400 names it too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError

# The years an invoice may be dated or due in. EnKash documents no bounds; a date outside these is
# a typo (0202 for 2026), and one near the ends of the calendar would break date arithmetic.
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)


def refuse(model: type[Any], field: str, kind: str, message: str, value: Any) -> ValidationError:
    """A ValidationError on ``field`` alone, to raise from a model validator."""
    # The message goes in as context, so braces in what was typed are not read as a template.
    error = PydanticCustomError(kind, "{reason}", {"reason": message})
    details = InitErrorDetails(type=error, loc=(field,), input=value)
    return ValidationError.from_exception_data(model.__name__, [details])


def day_in_range(value: dt.date) -> dt.date:
    """``value`` if it is within FIRST_DAY..LAST_DAY, else a ValueError in words."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValueError(f"a date from {FIRST_DAY.year} to {LAST_DAY.year}")
    return value


def day_words(value: dt.date) -> str:
    """``10 Dec 2026``, as the screens write a date."""
    return f"{value.day:02d} {value:%b} {value.year:04d}"
