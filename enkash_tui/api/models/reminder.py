"""Payment reminder rules (``CustomerReminderCreateDTO``, enkash-ar-api.md §5.3)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import Field, PlainSerializer, ValidationInfo, WithJsonSchema, field_validator

from enkash_tui.api.models.base import PatchModel, ReadModel, WriteModel


class ReminderType(StrEnum):
    ONCE = "ONCE"
    RECURRING = "RECURRING"


class ReminderStage(StrEnum):
    """The stage labels this app sends. EnKash leaves ``stage`` undocumented beyond its example
    (``BEFORE_DUE``); a label outside these is refused rather than sent to be misread."""

    BEFORE_DUE = "BEFORE_DUE"
    ON_DUE = "ON_DUE"
    AFTER_DUE = "AFTER_DUE"


def _hh_mm(value: dt.time) -> str:
    return value.strftime("%H:%M")


# The schema types reminderTime as "object" with the example "HH:mm".
ReminderTime = Annotated[
    dt.time,
    PlainSerializer(_hh_mm, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^([01]\d|2[0-3]):[0-5]\d$",
                    "description": "HH:mm"}),
]  # fmt: skip


class Reminder(ReadModel):
    """A reminder rule as EnKash returns it."""

    customer_reminder_id: str | None = None
    customer_id: str | None = None
    due_date_difference: int | None = None
    reminder_interval: int | None = None
    reminder_time: str | None = None
    reminder_type: str | None = None
    stage: str | None = None

    @field_validator("reminder_time", mode="before")
    @classmethod
    def _time_as_text(cls, value: object) -> object:
        # Tolerate "10:00", "10:00:00" or a {hour, minute} object; keep HH:mm text.
        if isinstance(value, dict) and "hour" in value:
            return f"{int(value['hour']):02d}:{int(value.get('minute', 0)):02d}"
        if isinstance(value, str) and len(value) >= 5:
            return value[:5]
        return value


def _check_interval(reminder_type: ReminderType | None, interval: int | None) -> None:
    if reminder_type is ReminderType.RECURRING and not interval:
        raise ValueError("a repeating rule needs the days between repeats")


class ReminderCreate(WriteModel):
    """A new reminder rule, sent alone or inside a customer's ``customerReminders``."""

    customer_reminder_id: str | None = None
    due_date_difference: int = Field(ge=-365, le=365)
    # Declared before reminderInterval so that field's check can see it.
    reminder_type: ReminderType
    reminder_interval: int | None = Field(default=None, ge=1, le=365, validate_default=True)
    reminder_time: ReminderTime
    stage: ReminderStage | None = None

    @field_validator("reminder_interval")
    @classmethod
    def _recurring_needs_interval(cls, value: int | None, info: ValidationInfo) -> int | None:
        # A field validator (not a model one) so the error names reminderInterval for forms.
        _check_interval(info.data.get("reminder_type"), value)
        return value


class ReminderUpdate(PatchModel):
    """Changes to a reminder: only the fields set are sent. Whether a RECURRING rule has its
    interval depends on the stored rule too, so the server checks the merged result."""

    due_date_difference: int | None = Field(default=None, ge=-365, le=365)
    reminder_interval: int | None = Field(default=None, ge=1, le=365)
    reminder_time: ReminderTime | None = None
    reminder_type: ReminderType | None = None
    stage: ReminderStage | None = None
