"""Pydantic wire models, one module per resource."""

from .auth import Token
from .base import PatchModel, ReadModel, WriteModel
from .bharat_connect import (
    BharatConnectEvent,
    BharatConnectInfo,
    BharatConnectStatus,
    InvoiceStatusChange,
    PaymentConfirmation,
    PaymentType,
    ReportedPayment,
    SupplierResponse,
)
from .bulk import BulkResult, BulkRowFailure, InvoiceActionResult, InvoiceOutcome
from .customer import (
    Customer,
    CustomerCreate,
    CustomerFilter,
    CustomerStatus,
    CustomerUpdate,
    KeyContact,
    KeyContactCreate,
)
from .invoice import (
    ApprovalStatus,
    Invoice,
    InvoiceAttachment,
    InvoiceCreate,
    InvoiceDeletion,
    InvoiceDispatch,
    InvoiceFilter,
    InvoiceUpdate,
    ReceivableStatus,
    SortDirection,
    StatusRef,
)
from .reminder import Reminder, ReminderCreate, ReminderType, ReminderUpdate

__all__ = [
    "ApprovalStatus",
    "BharatConnectEvent",
    "BharatConnectInfo",
    "BharatConnectStatus",
    "BulkResult",
    "BulkRowFailure",
    "Customer",
    "CustomerCreate",
    "CustomerFilter",
    "CustomerStatus",
    "CustomerUpdate",
    "Invoice",
    "InvoiceActionResult",
    "InvoiceAttachment",
    "InvoiceCreate",
    "InvoiceDeletion",
    "InvoiceDispatch",
    "InvoiceFilter",
    "InvoiceOutcome",
    "InvoiceStatusChange",
    "InvoiceUpdate",
    "KeyContact",
    "KeyContactCreate",
    "PatchModel",
    "PaymentConfirmation",
    "PaymentType",
    "ReadModel",
    "ReceivableStatus",
    "Reminder",
    "ReminderCreate",
    "ReminderType",
    "ReminderUpdate",
    "ReportedPayment",
    "SortDirection",
    "StatusRef",
    "SupplierResponse",
    "Token",
    "WriteModel",
]
