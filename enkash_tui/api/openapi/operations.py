"""What each operation of the route table carries, for the OpenAPI document: its request body
(a wire model, a multipart file, or the token form), its query parameters, and what its reply's
``payload`` holds. The paths and methods are not here: they come from the route table (and a
profile's overrides), so the document always describes what the client sends.

Each entry follows enkash-ar-api.md §4 and what ``api.operations`` sends; a test holds this table
to the route table, operation for operation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel

from enkash_tui.api.models import (
    BulkResult,
    Customer,
    CustomerCreate,
    CustomerFilter,
    CustomerUpdate,
    Invoice,
    InvoiceActionResult,
    InvoiceCreate,
    InvoiceDeletion,
    InvoiceDispatch,
    InvoiceFilter,
    InvoiceStatusChange,
    InvoiceUpdate,
    KeyContact,
    PaymentConfirmation,
    Reminder,
    ReminderCreate,
    ReminderUpdate,
)
from enkash_tui.api.models.search import CustomerPageRequest, InvoicePageRequest, PageRequest
from enkash_tui.api.patterns import COMPANY_ID_PATTERN, CUSTOMER_ID_PATTERN

# What a reply's payload is: one model, a list of them, a confirmation text, or either of the
# last two (activate/deactivate answer with the customer or a text).
Reply = Literal["one", "list", "text", "one-or-text"]
Body = type[BaseModel] | Literal["file", "token-form"] | None


@dataclass(frozen=True)
class Query:
    """A query parameter: its name, JSON schema and whether it is required."""

    name: str
    schema: dict[str, object]
    required: bool = False
    description: str = ""


@dataclass(frozen=True)
class Shape:
    summary: str
    tag: str
    body: Body = None
    reply_model: type[BaseModel] | None = None
    reply: Reply = "one"
    query: tuple[Query, ...] = ()
    paging: type[PageRequest] | None = None  # offset, limit, orderBy, direction
    totals: tuple[str, ...] = ()  # response headers carrying totals
    path_patterns: dict[str, str] = field(default_factory=dict)


def _tenant(name: str, required: bool = False) -> Query:
    return Query(name, {"type": "string", "pattern": COMPANY_ID_PATTERN}, required,
                 "a parent or group company's id (CEK…): normally the token's company")  # fmt: skip


PARENT = (_tenant("parentCompanyId"),)
SELLER = (_tenant("sellerId"),)
CUSTOMER_QUERY = (Query("customerId", {"type": "string", "pattern": CUSTOMER_ID_PATTERN}, True),)
CUSTOMER_PATH = {"customerId": CUSTOMER_ID_PATTERN}
TOTALS = ("X-Total-Count",)

SHAPES: dict[str, Shape] = {
    "login": Shape("Get an access token (password grant)", "Authentication", "token-form"),
    "create_customer": Shape("Create a customer", "Customers", CustomerCreate, Customer,
                             query=PARENT),
    "search_customers": Shape("Search customers", "Customers", CustomerFilter, Customer, "list",
                              PARENT, CustomerPageRequest, TOTALS),
    "update_customer": Shape("Update a customer (only the fields sent; null clears)",
                             "Customers", CustomerUpdate, Customer, query=PARENT,
                             path_patterns=CUSTOMER_PATH),
    "activate_customer": Shape("Activate a customer", "Customers", None, Customer, "one-or-text",
                               PARENT, path_patterns=CUSTOMER_PATH),
    "deactivate_customer": Shape("Deactivate a customer", "Customers", None, Customer,
                                 "one-or-text", PARENT, path_patterns=CUSTOMER_PATH),
    "delete_customer": Shape("Delete a customer (soft)", "Customers", None, None, "text", PARENT,
                             path_patterns=CUSTOMER_PATH),
    "bulk_create_customers": Shape("Create customers from a CSV file", "Customers", "file",
                                   BulkResult, query=(_tenant("companyId", required=True),)),
    "bulk_update_customers": Shape("Update customers from a CSV file", "Customers", "file",
                                   BulkResult, query=PARENT),
    "get_customer_contacts": Shape("A customer's key contacts", "Customers", None, KeyContact,
                                   "list", PARENT, path_patterns=CUSTOMER_PATH),
    "create_invoice": Shape("Create an invoice", "Invoices", InvoiceCreate, Invoice,
                            query=SELLER),
    "bulk_create_invoices": Shape("Create invoices from a CSV file (bharatConnect puts a row on "
                                  "the network)", "Invoices", "file", BulkResult, query=SELLER),
    "dispatch_invoices": Shape("Send invoices with their payment links", "Invoices",
                               InvoiceDispatch, InvoiceActionResult, query=SELLER),
    "delete_invoices": Shape("Delete invoices from collection", "Invoices", InvoiceDeletion,
                             InvoiceActionResult, query=SELLER),
    "search_invoices": Shape("Search collection invoices", "Invoices", InvoiceFilter, Invoice,
                             "list", SELLER, InvoicePageRequest,
                             ("X-Total-Count", "X-Total-Balance-Amount")),
    "get_invoice": Shape("One invoice", "Invoices", None, Invoice, query=SELLER),
    "update_invoice": Shape("Update an invoice (only the fields sent; null clears)", "Invoices",
                            InvoiceUpdate, Invoice, query=SELLER),
    "create_reminder": Shape("Add a reminder rule to a customer", "Reminders", ReminderCreate,
                             Reminder, query=CUSTOMER_QUERY),
    "list_reminders": Shape("A customer's reminder rules", "Reminders", None, Reminder, "list",
                            CUSTOMER_QUERY),
    "get_reminder": Shape("One reminder rule", "Reminders", None, Reminder),
    "update_reminder": Shape("Change a reminder rule (only the fields sent; null clears)",
                             "Reminders", ReminderUpdate, Reminder),
    "delete_reminder": Shape("Delete a reminder rule", "Reminders", None, None, "text"),
    "confirm_payment": Shape("Accept or reject a payment the buyer reported (Bharat Connect)",
                             "Bharat Connect", PaymentConfirmation, InvoiceActionResult,
                             query=SELLER),
    "change_invoice_status": Shape("Move invoices to another network status (Bharat Connect)",
                                   "Bharat Connect", InvoiceStatusChange, InvoiceActionResult,
                                   query=SELLER),
}  # fmt: skip
