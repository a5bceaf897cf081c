"""Bharat Connect 2.0 AR: payment confirmation and invoice status change (§4.23–4.24, §5.8)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Self

from pydantic import Field, model_validator

from enkash_tui.api.models.base import Amount, ReadModel, WriteModel
from enkash_tui.api.patterns import REMARKS_PATTERN


class BharatConnectStatus(StrEnum):
    """Network invoice lifecycle: only CREATED is documented, the rest is NBBL's usual set.

    RETURNED (the buyer sent it back for correction) is this project's guess too."""

    CREATED = "CREATED"
    ACCEPTED = "ACCEPTED"
    RETURNED = "RETURNED"
    REJECTED = "REJECTED"
    PAID = "PAID"
    CANCELLED = "CANCELLED"


_S = BharatConnectStatus
# Which status may follow which (guessed from NBBL's usual lifecycle, enkash-ar-api.md §4.24).
# A returned invoice is corrected and sent again (CREATED) or withdrawn (CANCELLED).
# REJECTED, CANCELLED and PAID are final.
ALLOWED_TRANSITIONS: dict[BharatConnectStatus, frozenset[BharatConnectStatus]] = {
    _S.CREATED: frozenset({_S.ACCEPTED, _S.REJECTED, _S.RETURNED, _S.CANCELLED}),
    _S.ACCEPTED: frozenset({_S.PAID, _S.CANCELLED}),
    _S.RETURNED: frozenset({_S.CREATED, _S.CANCELLED}),
    _S.REJECTED: frozenset(),
    _S.CANCELLED: frozenset(),
    _S.PAID: frozenset(),
}


def next_statuses(current: str) -> frozenset[BharatConnectStatus]:
    """Statuses an invoice in ``current`` may move to; none for unknown or final ones."""
    try:
        return ALLOWED_TRANSITIONS[BharatConnectStatus(current)]
    except ValueError:
        return frozenset()


class PaymentType(StrEnum):
    ONPLATFORM = "ONPLATFORM"
    OFFPLATFORM = "OFFPLATFORM"


class SupplierResponse(StrEnum):
    ACCEPT = "ACCEPT"
    REJECT = "REJECT"


class ReportedPayment(ReadModel):
    """A payment the buyer made or reported on the network, awaiting the supplier's answer."""

    payment_id: str
    type: str | None = None
    amount: Amount | None = None
    reported_on: dt.datetime | None = None
    remarks: str | None = None


class BharatConnectEvent(ReadModel):
    """One step of a network invoice's history: who did what, when, at which version."""

    at: dt.datetime | None = None
    status: str | None = None  # the status after this step
    by: str | None = None  # BUYER | SUPPLIER | NETWORK
    action: str | None = None  # e.g. CREATED, ACCEPTED, PAYMENT_REPORTED, PAYMENT_REJECTED
    remarks: str | None = None
    object_version: int | None = None


class BharatConnectInfo(ReadModel):
    """What the sandbox attaches to an invoice that is on Bharat Connect (not documented)."""

    object_id: str | None = None
    status: str
    object_version: int = 1
    buyer_b2b_id: str | None = Field(default=None, alias="buyerB2BId")
    supplier_b2b_id: str | None = Field(default=None, alias="supplierB2BId")
    reported_payment: ReportedPayment | None = None
    history: list[BharatConnectEvent] = []  # oldest first; empty when the server gives none


# B2B remarks rule: 1 to 100 characters, no backslash or double quote (§4.23).
Remarks = Annotated[str, Field(min_length=1, max_length=100, pattern=REMARKS_PATTERN)]


class PaymentConfirmation(WriteModel):
    """Payment Confirmation Request body: every field is required (§4.23)."""

    invoice_ids: list[str] = Field(min_length=1)
    payment_id: str = Field(min_length=1, max_length=64)
    remarks: Remarks
    response: SupplierResponse
    type: PaymentType

    @model_validator(mode="after")
    def _reject_only_offplatform(self) -> Self:
        if self.response is SupplierResponse.REJECT and self.type is not PaymentType.OFFPLATFORM:
            raise ValueError("REJECT is only allowed for OFFPLATFORM payments")
        return self


class InvoiceStatusChange(WriteModel):
    """Change Invoice Status Request body. The page was never retrieved: this is the guessed
    ``{invoiceIds, status, remarks}`` plus the versions the user saw, so a stale change fails."""

    invoice_ids: list[str] = Field(min_length=1)
    status: BharatConnectStatus
    remarks: Remarks
    object_versions: dict[str, int] | None = None
