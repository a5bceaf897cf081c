"""Customers and their key contacts (enkash-ar-api.md §4.2–4.10, §5.1–5.2)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import AliasChoices, Field, field_validator, model_validator

from enkash_tui.api.gst import gstin_problem, looks_like_gstin, state_mismatch
from enkash_tui.api.models.base import (
    AccountNumber,
    CompanyId,
    CustomerId,
    Email,
    FilterTimestamp,
    Ifsc,
    PatchModel,
    Phone,
    ReadModel,
    WriteModel,
)
from enkash_tui.api.models.reminder import Reminder, ReminderCreate
from enkash_tui.api.models.rules import refuse
from enkash_tui.api.patterns import PIN_CODE_PATTERN


class CustomerStatus(StrEnum):
    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


class ContactChannel(StrEnum):
    """A key contact's preferred channel (``via``). EnKash leaves the values undocumented; these
    are the three channels a contact can be reached on (mail, SMS, WhatsApp flags)."""

    EMAIL = "EMAIL"
    SMS = "SMS"
    WHATSAPP = "WHATSAPP"


class KeyContact(ReadModel):
    """A customer's key contact person, with the channels reminders may use."""

    key_contact_person_id: str | None = None
    name: str | None = None
    legal_name: str | None = None
    mobile: str | None = None
    email: str | None = None
    via: str | None = None
    deleted: bool = False
    # These three are snake_case on the wire, unlike everything around them (§5.2).
    mail_enabled: bool | None = Field(default=None, alias="mail_enabled")
    sms_enabled: bool | None = Field(default=None, alias="sms_enabled")
    whatsapp_enabled: bool | None = Field(default=None, alias="whatsapp_enabled")


class KeyContactCreate(WriteModel):
    """``CustomerKeyContactCreateDTO``: deleted, legalName, mobile and name are required."""

    key_contact_person_id: str | None = None
    name: str = Field(min_length=1, max_length=100)
    legal_name: str = Field(min_length=1, max_length=200)
    mobile: Phone
    email: Email | None = None
    via: ContactChannel | None = None
    deleted: bool = False
    mail_enabled: bool | None = Field(default=None, alias="mail_enabled")
    sms_enabled: bool | None = Field(default=None, alias="sms_enabled")
    whatsapp_enabled: bool | None = Field(default=None, alias="whatsapp_enabled")

    @field_validator("mobile")
    @classmethod
    def _mobile_not_empty(cls, value: str) -> str:
        # The shared phone pattern allows "", but a key contact's mobile is required.
        if not value:
            raise ValueError("a key contact needs a mobile number")
        return value


class Customer(ReadModel):
    """A customer as EnKash returns it. The read DTO was never documented; this is the union."""

    customer_id: str
    company_id: str | None = None
    customer_company_id: str | None = None
    legal_name: str | None = None
    address: str | None = None
    state: str | None = None
    pin_code: str | None = None
    contact_number: str | None = None
    account_number: str | None = None
    ifsc: str | None = None
    pan_or_gstin: str | None = None
    unique_ref_no: str | None = None
    assigned_agent: str | None = None
    branch_codes: list[str] = []
    external_source: bool | None = None
    customer_key_contacts: list[KeyContact] = []
    customer_reminders: list[Reminder] = []
    status: str | None = Field(
        default=None, validation_alias=AliasChoices("status", "customerStatus")
    )
    deleted: bool = False
    created_on: dt.datetime | None = None
    modified_on: dt.datetime | None = None

    @property
    def is_active(self) -> bool:
        return self.status != CustomerStatus.INACTIVE and not self.deleted

    @property
    def primary_contact(self) -> KeyContact | None:
        live = [contact for contact in self.customer_key_contacts if not contact.deleted]
        return live[0] if live else None


class CustomerFields(WriteModel):
    """What createCustomer and updateCustomer share (§4.2, §4.9), every field optional here."""

    account_number: AccountNumber | None = None
    address: str | None = Field(default=None, max_length=500)
    contact_number: Phone | None = None
    customer_key_contacts: list[KeyContactCreate] | None = None
    customer_reminders: list[ReminderCreate] | None = None
    ifsc: Ifsc | None = None
    legal_name: str | None = Field(default=None, min_length=1, max_length=200)
    pan_or_gstin: str | None = Field(default=None, max_length=15)
    pin_code: str | None = Field(default=None, pattern=PIN_CODE_PATTERN)
    state: str | None = Field(default=None, max_length=60)
    unique_ref_no: str | None = Field(default=None, max_length=60)

    @field_validator("pan_or_gstin")
    @classmethod
    def _gstin_adds_up(cls, value: str | None) -> str | None:
        # A PAN is left alone (EnKash documents no format); a GSTIN's check character and
        # state code are India's rules, and a mistyped one is caught here.
        if value and looks_like_gstin(value):
            problem = gstin_problem(value)
            if problem:
                raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _gstin_of_this_state(self) -> CustomerFields:
        # Checked when both are in this body; a PATCH changing one is checked against the
        # stored other by the form and by the server.
        gstin, state = self.pan_or_gstin, self.state
        problem = gstin_state_problem(gstin, state)
        if problem:
            raise refuse(type(self), "pan_or_gstin", "gstin_state", problem, gstin)
        return self


def gstin_state_problem(pan_or_gstin: str | None, state: str | None) -> str:
    """Why this GSTIN cannot belong to a customer in this State (its first two digits are
    another state's GST code), or "" (no GSTIN, no State we know, or they agree)."""
    if not pan_or_gstin or not state or not looks_like_gstin(pan_or_gstin):
        return ""
    return state_mismatch(pan_or_gstin.upper(), state)


class CustomerCreate(CustomerFields):
    """createCustomer body (§4.2). ``legalName`` and at least one key contact are required."""

    company_id: CompanyId | None = None
    customer_company_id: str | None = None
    customer_key_contacts: list[KeyContactCreate] = Field(min_length=1)
    external_source: bool | None = None
    legal_name: str = Field(min_length=1, max_length=200)


class CustomerUpdate(PatchModel, CustomerFields):
    """updateCustomer body (§4.9): every field optional; absent = unchanged, None = cleared.

    The lists replace the customer's existing contacts or reminders when sent.
    """

    assigned_agent: str | None = Field(default=None, max_length=100)
    branch_codes: list[str] | None = None
    customer_id: CustomerId | None = None


class CustomerFilter(WriteModel):
    """searchCustomer body (§4.3). Only ``accountNumber`` and ``assignedAgent`` were seen; the
    rest are the portal's likely filters. Unset filters are not sent."""

    account_number: str | None = None
    assigned_agent: str | None = None
    branch_codes: list[str] | None = None
    company_id: CompanyId | None = None
    contact_number: str | None = None
    created_on_from: FilterTimestamp | None = None
    created_on_to: FilterTimestamp | None = None
    customer_ids: list[str] | None = None
    customer_status: CustomerStatus | None = None
    email: str | None = None
    legal_name: str | None = None
    mobile: str | None = None
    pan_or_gstin: str | None = None
    unique_ref_no: str | None = None
