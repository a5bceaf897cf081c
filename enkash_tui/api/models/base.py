"""Shared building blocks for the wire models.

Two families of models, following "tolerant reader, strict writer":

* ``ReadModel``: what EnKash sends back. Unknown fields are ignored, enum-like values stay plain
  strings so a value we have never seen cannot crash a screen.
* ``WriteModel``: what we send. Unknown fields are refused and every documented pattern and bound
  is checked before a byte leaves the machine.

Attributes are snake_case in Python; the camelCase (or odd snake_case) wire names are aliases.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    field_validator,
)
from pydantic.alias_generators import to_camel

from enkash_tui.api.patterns import (
    ACCOUNT_NUMBER_PATTERN,
    COMPANY_ID_PATTERN,
    CUSTOMER_ID_PATTERN,
    EMAIL_PATTERN,
    IFSC_PATTERN,
    PHONE_PATTERN,
)
from enkash_tui.api.text import REFUSAL, clean, clean_json, has_unsafe


def _decimal_as_json_number(value: Decimal) -> int | float:
    # The wire wants JSON numbers, not strings. Money inputs are bounded to 15 significant digits
    # and 2 places, where float's shortest repr is exactly the decimal we were given.
    return int(value) if value == value.to_integral_value() else float(value)


def _filter_timestamp(value: dt.datetime) -> str:
    # Not strftime: on Linux %Y does not pad years before 1000 to four digits.
    return (
        f"{value.year:04d}-{value.month:02d}-{value.day:02d} "
        f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
    )


# Money as read from the server: any Decimal.
Amount = Annotated[Decimal, PlainSerializer(_decimal_as_json_number, when_used="json")]
# Money we send: at most 2 places and 15 digits, never negative.
MoneyInput = Annotated[
    Decimal,
    Field(ge=0, max_digits=15, decimal_places=2),
    PlainSerializer(_decimal_as_json_number, when_used="json"),
]
# Search filters use "yyyy-MM-dd HH:mm:ss" on the wire (§3.4), as the OpenAPI document says.
FilterTimestamp = Annotated[
    dt.datetime,
    PlainSerializer(_filter_timestamp, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$",
                    "description": "yyyy-MM-dd HH:mm:ss"}),
]  # fmt: skip

CustomerId = Annotated[str, Field(pattern=CUSTOMER_ID_PATTERN)]
CompanyId = Annotated[str, Field(pattern=COMPANY_ID_PATTERN)]
Phone = Annotated[str, Field(pattern=PHONE_PATTERN)]
Ifsc = Annotated[str, Field(pattern=IFSC_PATTERN)]
AccountNumber = Annotated[str, Field(pattern=ACCOUNT_NUMBER_PATTERN)]
Email = Annotated[str, Field(pattern=EMAIL_PATTERN, max_length=254)]


def _holds_unsafe_text(value: Any) -> bool:
    """A text, or a list or dict holding one (keys too), that ``api.text`` refuses to send."""
    if isinstance(value, str):
        return has_unsafe(value)
    if isinstance(value, dict):
        return any(_holds_unsafe_text(k) or _holds_unsafe_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_unsafe_text(item) for item in value)
    return False


class ReadModel(BaseModel):
    """A response DTO: camelCase on the wire, tolerant of anything extra."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="ignore",
        frozen=True,
    )

    @field_validator("*", mode="after")
    @classmethod
    def _clean_text(cls, value: Any) -> Any:
        # Server text is data: the escape codes, line breaks and bidi controls it holds are made
        # visible or spaces here, once, so no screen, file or log gets them (see api.text).
        # Nested ReadModels have cleaned their own fields; secrets (SecretStr) are never drawn
        # and are left as sent.
        if isinstance(value, str):
            return clean(value)
        if isinstance(value, list | dict):
            return clean_json(value)
        return value


class WriteModel(BaseModel):
    """A request DTO: camelCase on the wire, strict about what it accepts."""

    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        extra="forbid",
        str_strip_whitespace=True,
    )

    def to_wire(self) -> dict[str, Any]:
        """The JSON body to send: only fields that carry a value."""
        return self.model_dump(mode="json", exclude_none=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        # Escape codes, line breaks, tabs, bidi overrides and zero-width characters are never
        # part of a name, an address or a remark, and a terminal or a spreadsheet would act on
        # them: refused in every text we send (leading/trailing whitespace is stripped first).
        if _holds_unsafe_text(value):
            raise ValueError(REFUSAL)
        return value


class PatchModel(WriteModel):
    """A PATCH body with ``JsonNullable`` semantics (§3.5).

    Only fields the caller set are sent: absent means unchanged, an explicit ``None`` is sent as
    ``null`` and clears the field on the server.
    """

    def to_wire(self) -> dict[str, Any]:
        body = self.model_dump(mode="json", include=set(self.model_fields_set))
        # Nested objects (key contacts, reminders) are whole new values, not patches: send them
        # as their own ``to_wire`` does, without nulls for the fields they leave empty.
        for name in self.model_fields_set:
            value = getattr(self, name)
            alias = type(self).model_fields[name].alias or name
            if isinstance(value, WriteModel):
                body[alias] = value.to_wire()
            elif isinstance(value, list) and value and isinstance(value[0], WriteModel):
                body[alias] = [item.to_wire() for item in value]
        return body

    @property
    def changed_fields(self) -> set[str]:
        return set(self.model_fields_set)
