"""Invoices (enkash-ar-api.md §4.11–4.17, §5.4–5.5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import AwareDatetime, Field, field_validator, model_validator

from enkash_tui.api.models.base import (
    Amount,
    CustomerId,
    Email,
    FilterTimestamp,
    MoneyInput,
    PatchModel,
    Phone,
    ReadModel,
    WriteModel,
)
from enkash_tui.api.models.bharat_connect import BharatConnectInfo, BharatConnectStatus
from enkash_tui.api.models.customer import ContactChannel
from enkash_tui.api.models.rules import day_in_range, day_words, refuse


class ApprovalStatus(StrEnum):
    """The ten documented maker/checker/approver states (§6)."""

    APPROVER_APPROVAL_PENDING = "APPROVER_APPROVAL_PENDING"
    APPROVER_APPROVED = "APPROVER_APPROVED"
    APPROVER_REJECTED = "APPROVER_REJECTED"
    BANK_APPROVED = "BANK_APPROVED"
    CHECKER_APPROVAL_PENDING = "CHECKER_APPROVAL_PENDING"
    CHECKER_APPROVED = "CHECKER_APPROVED"
    CHECKER_REJECTED = "CHECKER_REJECTED"
    MAKER_APPROVAL_PENDING = "MAKER_APPROVAL_PENDING"
    MAKER_APPROVED = "MAKER_APPROVED"
    MAKER_REJECTED = "MAKER_REJECTED"


class ReceivableStatus(StrEnum):
    """Only ``PAID`` is documented; the rest are the likely lifecycle (§6)."""

    UNPAID = "UNPAID"
    PARTIALLY_PAID = "PARTIALLY_PAID"
    PAID = "PAID"
    OVERDUE = "OVERDUE"


class SortDirection(StrEnum):
    ASC = "ASC"
    DESC = "DESC"


class StatusRef(ReadModel):
    """The ``{label, name}`` status objects of InvoiceDTO. ``name`` stays free text."""

    name: str
    label: str | None = None

    @property
    def display(self) -> str:
        return self.label or self.name.replace("_", " ").title()


class InvoiceAttachment(ReadModel):
    invoice_attachment_id: str | None = None
    attachment_source: str | None = None
    url: str | None = None
    original_filename: str | None = None
    file_ext: str | None = None
    primary: bool | None = None
    shared: bool | None = None
    deleted: bool | None = None
    reference_id: str | None = None
    remarks: str | None = None
    created_by: str | None = None
    modified_by: str | None = None


class Invoice(ReadModel):
    """``InvoiceDTO`` exactly as getInvoice documents it (§4.16), plus Bharat Connect details."""

    invoice_id: str
    invoice_number: str | None = None
    external_id: str | None = None
    seller_id: str | None = None
    customer_id: str | None = None
    customer_legal_name: str | None = None
    description: str | None = None
    po_number: str | None = None
    payable_reference_id: str | None = None
    via: str | None = None
    base_amount: Amount | None = None
    cgst: Amount | None = None
    sgst: Amount | None = None
    igst: Amount | None = None
    tds: Amount | None = None
    net_amount: Amount | None = None
    total_received: Amount | None = None
    balance_amount: Amount | None = None
    invoice_date: dt.datetime | None = None
    due_date: dt.date | None = None
    dispatched: bool | None = None
    dispatched_on: dt.datetime | None = None
    partial_payment_allowed: bool | None = None
    has_key_contacts: bool | None = None
    payment_link: str | None = None
    attachment_url: str | None = None
    invoice_attachments: list[InvoiceAttachment] = []
    approval_status: StatusRef | None = None
    receivable_status: StatusRef | None = None
    payout_status: StatusRef | None = None
    created_by: str | None = None
    created_by_email: str | None = None
    created_by_mobile: str | None = None
    created_by_name: str | None = None
    created_on: dt.datetime | None = None
    modified_by: str | None = None
    modified_by_email: str | None = None
    modified_by_mobile: str | None = None
    modified_by_name: str | None = None
    modified_on: dt.datetime | None = None
    # Not in the documented DTO: present when the invoice is on Bharat Connect (sandbox shape).
    bharat_connect: BharatConnectInfo | None = None

    @field_validator("approval_status", "receivable_status", "payout_status", mode="before")
    @classmethod
    def _status_from_text(cls, value: object) -> object:
        # Tolerate a bare enum string where the documented shape is {label, name}.
        return {"name": value} if isinstance(value, str) else value

    def days_overdue(self, today: dt.date) -> int:
        """Days past the due date while a balance is open; 0 when not overdue."""
        if self.due_date is None or not self.balance_amount:
            return 0
        return max(0, (today - self.due_date).days)


# baseAmount is documented as ">= 0.1".
Money01 = Annotated[MoneyInput, Field(ge=Decimal("0.1"))]


def due_before_dated(invoice_date: dt.datetime | None, due_date: dt.date | None) -> str:
    """Why an invoice with these dates cannot be (it is due before it is dated), or ""."""
    if invoice_date is None or due_date is None:
        return ""
    dated = invoice_date.date()  # the day as written, in the offset it was given with
    if due_date < dated:
        return f"can't be before the invoice date, {day_words(dated)}"
    return ""


class InvoiceFields(WriteModel):
    """What createInvoice and updateInvoice share (§4.11, §4.17), every field optional here."""

    approval_status: ApprovalStatus | None = None
    balance_amount: MoneyInput | None = None
    base_amount: Money01 | None = None
    cgst: MoneyInput | None = None
    charge_customer: bool | None = None
    customer_id: CustomerId | None = None
    description: str | None = Field(default=None, max_length=500)
    dispatch_now: bool | None = None
    due_date: dt.date | None = None
    email_address: Email | None = None
    gst_exclusive: bool | None = None
    igst: MoneyInput | None = None
    invoice_date: AwareDatetime | None = None
    invoice_number: str | None = Field(default=None, max_length=60)
    mobile_number: Phone | None = None
    net_amount: MoneyInput | None = None
    partial_payment_allowed: bool | None = None
    payable_reference_id: str | None = None
    po_number: str | None = Field(default=None, max_length=60)
    receivable_status: ReceivableStatus | None = None
    sgst: MoneyInput | None = None
    tds: MoneyInput | None = None
    total_received: MoneyInput | None = None
    via: ContactChannel | None = None

    @field_validator("due_date", "invoice_date")
    @classmethod
    def _a_year_we_invoice_in(cls, value: dt.date | None) -> dt.date | None:
        if value is not None:
            day_in_range(value.date() if isinstance(value, dt.datetime) else value)
        return value

    @model_validator(mode="after")
    def _due_on_or_after_dated(self) -> InvoiceFields:
        # Checked when both are in this body; a PATCH changing one is checked against the
        # stored other by the form and by the server.
        problem = due_before_dated(self.invoice_date, self.due_date)
        if problem:
            raise refuse(type(self), "due_date", "due_before_dated", problem, self.due_date)
        return self


class InvoiceCreate(InvoiceFields):
    """createInvoice body (§4.11). ``customerId``, ``dueDate`` and ``baseAmount`` are required;
    ``externalId`` can be given only here."""

    base_amount: Money01
    customer_id: CustomerId
    due_date: dt.date
    external_id: str | None = Field(default=None, max_length=100)


class InvoiceUpdate(PatchModel, InvoiceFields):
    """updateInvoice body (§4.17): absent = unchanged, None = cleared. No ``externalId``;
    ``customerId`` is a plain string that cannot be cleared."""

    @field_validator("customer_id")
    @classmethod
    def _customer_not_cleared(cls, value: str | None) -> str | None:
        if value is None:
            raise ValueError("customerId can be changed but not cleared")
        return value


# The most invoices one dispatch or deletion may name: checked here and by the sandbox (EnKash's
# own bound is not documented).
MAX_BATCH = 5000


class InvoiceDispatch(WriteModel):
    """Dispatch Invoice Collection body (§4.13)."""

    invoice_ids: list[str] = Field(min_length=1, max_length=MAX_BATCH)
    partial_payment_allowed: bool | None = None


class InvoiceDeletion(WriteModel):
    """Delete Invoice Collection body (§4.14, inferred)."""

    invoice_ids: list[str] = Field(min_length=1, max_length=MAX_BATCH)


class InvoiceFilter(WriteModel):
    """searchCollectionInvoices body (§4.15). Unset filters are not sent.

    Fields up to ``dueDateTo`` are documented; the rest are the likely remainder of the page,
    and the two ``bharatConnect`` filters are the sandbox's own.
    """

    approval_statuses: list[ApprovalStatus] | None = None
    balance_amount_from: MoneyInput | None = None
    balance_amount_to: MoneyInput | None = None
    base_amount_from: MoneyInput | None = None
    base_amount_to: MoneyInput | None = None
    collection_mode: list[str] | None = None
    created_on_from: FilterTimestamp | None = None
    created_on_to: FilterTimestamp | None = None
    created_via: str | None = None
    customer_deleted: bool | None = None
    customer_ids: list[str] | None = None
    customer_legal_name: str | None = None
    customer_status: str | None = None
    dispatched: bool | None = None
    dispatched_on_from: FilterTimestamp | None = None
    dispatched_on_to: FilterTimestamp | None = None
    due_date_from: FilterTimestamp | None = None
    due_date_to: FilterTimestamp | None = None
    # Inferred from here on.
    external_ids: list[str] | None = None
    invoice_date_from: FilterTimestamp | None = None
    invoice_date_to: FilterTimestamp | None = None
    invoice_ids: list[str] | None = None
    invoice_number: str | None = None
    net_amount_from: MoneyInput | None = None
    net_amount_to: MoneyInput | None = None
    partial_payment_allowed: bool | None = None
    payout_statuses: list[str] | None = None
    receivable_statuses: list[str] | None = None
    # Sandbox-defined: Bharat Connect work queues.
    bharat_connect_statuses: list[BharatConnectStatus] | None = None
    on_bharat_connect: bool | None = None
    # The sandbox's own: a payment the buyer reported waits for the supplier's answer.
    bharat_connect_payment_pending: bool | None = None
