"""``EnkashClient``: one typed async method per EnKash AR operation, over one httpx client.

Every HTTP call the app makes goes through here. Methods take and return the pydantic models in
``enkash_tui.api.models`` and raise the typed errors in ``enkash_tui.api.errors``; local input is
checked by the models before anything is sent (a ``pydantic.ValidationError``).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx
from pydantic import BaseModel, SecretStr, ValidationError

from .. import __version__
from .auth import Credentials, TokenManager
from .caller import Caller, Reply, Sleep, Upload
from .errors import ResponseFormatError
from .models import (
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
    SortDirection,
    Token,
)
from .models.search import CustomerPageRequest, InvoicePageRequest
from .pages import Page, parse_page, walk_pages
from .patterns import COMPANY_ID_PATTERN, CUSTOMER_ID_PATTERN
from .retry import RetryPolicy
from .routes import Route, build_routes
from .urls import check_base_url

M = TypeVar("M", bound=BaseModel)
FileSource = Path | str | bytes

_CONTENT_TYPES = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
}


def _checked_id(value: str, pattern: str, what: str) -> str:
    if not re.fullmatch(pattern, value):
        raise ValueError(f"{what} {value!r} does not match {pattern}")
    return value


def _tenant(value: str | None, what: str) -> str | None:
    """A company / seller / parent-company id, checked against ``^CEK[A-Z0-9]{7}$``."""
    return _checked_id(value, COMPANY_ID_PATTERN, what) if value else None


def _parse(model: type[M], payload: Any) -> M:
    try:
        return model.model_validate(payload)
    except ValidationError as error:
        raise ResponseFormatError(
            f"EnKash's reply is not a valid {model.__name__}: {error}"
        ) from None


def _action_result(reply: Reply) -> InvoiceActionResult:
    if isinstance(reply.payload, dict):
        return _parse(InvoiceActionResult, reply.payload)
    text = reply.payload if isinstance(reply.payload, str) else reply.message
    return InvoiceActionResult(message=text)


def _upload(source: FileSource, filename: str | None) -> Upload:
    if isinstance(source, bytes):
        content, name = source, filename or "upload.csv"
    else:
        path = Path(source)
        content, name = path.read_bytes(), filename or path.name
    content_type = _CONTENT_TYPES.get(Path(name).suffix.lower(), "application/octet-stream")
    return (name, content, content_type)


class EnkashClient:
    """Async client for the EnKash AR API. Use as ``async with EnkashClient(...) as client``."""

    def __init__(
        self,
        base_url: str,
        client_id: str,
        client_secret: SecretStr | str,
        *,
        timeout: float = 20.0,
        encrypt_payloads: bool = False,
        route_overrides: Mapping[str, str] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        retry: RetryPolicy | None = None,
        verify_tls: bool = True,
        company_id: str | None = None,
        seller_id: str | None = None,
        parent_company_id: str | None = None,
        readonly: bool = False,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        secret = client_secret if isinstance(client_secret, SecretStr) else SecretStr(client_secret)
        self.routes: dict[str, Route] = build_routes(route_overrides)
        self.company_id = _tenant(company_id, "companyId")
        self.seller_id = _tenant(seller_id, "sellerId")
        self.parent_company_id = _tenant(parent_company_id, "parentCompanyId")
        self._http = httpx.AsyncClient(
            base_url=httpx.URL(check_base_url(base_url)),
            timeout=timeout,
            transport=transport,
            verify=verify_tls,
            headers={"User-Agent": f"enkash-tui/{__version__}"},
        )
        self._tokens = TokenManager(client_id, secret, clock=clock)
        self._caller = Caller(
            self._http,
            self.routes,
            self._tokens,
            client_secret=secret,
            encrypt_payloads=encrypt_payloads,
            retry=retry or RetryPolicy(),
            readonly=readonly,
            sleep=sleep,
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def base_url(self) -> str:
        return str(self._http.base_url)

    @property
    def on_connection_change(self) -> Callable[[bool], None] | None:
        """Called with True whenever EnKash answers and False on a transport failure."""
        return self._caller.on_connection_change

    @on_connection_change.setter
    def on_connection_change(self, listener: Callable[[bool], None] | None) -> None:
        self._caller.on_connection_change = listener

    @property
    def readonly(self) -> bool:
        """True when every call that changes data is refused locally (ReadOnlyError)."""
        return self._caller.readonly

    @property
    def signed_in(self) -> bool:
        return self._tokens.signed_in

    @property
    def username(self) -> str | None:
        return self._tokens.username

    def token_expires_in(self) -> float | None:
        return self._tokens.expires_in()

    # -- authentication ------------------------------------------------------------------------

    async def login(self, username: str, password: SecretStr | str) -> Token:
        """Password grant. The credentials stay in memory to renew the token on expiry or 401."""
        secret = password if isinstance(password, SecretStr) else SecretStr(password)
        return await self._caller.login(Credentials(username, secret))

    def logout(self) -> None:
        self._tokens.forget()

    # -- customers -----------------------------------------------------------------------------

    def _parent(self, parent_company_id: str | None) -> dict[str, Any]:
        return {
            "parentCompanyId": _tenant(parent_company_id, "parentCompanyId")
            or self.parent_company_id
        }

    def _customer_path(self, customer_id: str) -> dict[str, str]:
        return {"customerId": _checked_id(customer_id, CUSTOMER_ID_PATTERN, "customerId")}

    async def create_customer(self, customer: CustomerCreate) -> Customer:
        reply = await self._caller.call("create_customer", json_body=customer.to_wire())
        return _parse(Customer, reply.payload)

    async def search_customers(
        self,
        filters: CustomerFilter | None = None,
        *,
        offset: int = 0,
        limit: int = 50,
        order_by: str | None = None,
        direction: SortDirection | str | None = None,
        parent_company_id: str | None = None,
    ) -> Page[Customer]:
        window = CustomerPageRequest.model_validate(
            {"offset": offset, "limit": limit, "order_by": order_by, "direction": direction}
        )
        reply = await self._caller.call(
            "search_customers",
            query={**window.to_query(), **self._parent(parent_company_id)},
            json_body=(filters or CustomerFilter()).to_wire(),
        )
        return parse_page(reply.payload, reply.headers, Customer, offset=offset, limit=limit)

    def iter_customers(
        self, filters: CustomerFilter | None = None, *, page_size: int = 50, **options: Any
    ) -> AsyncIterator[Customer]:
        """Every customer matching ``filters``, page after page."""
        return walk_pages(
            lambda offset: self.search_customers(filters, offset=offset, limit=page_size, **options)
        )

    async def update_customer(
        self, customer_id: str, changes: CustomerUpdate, *, parent_company_id: str | None = None
    ) -> Customer:
        reply = await self._caller.call(
            "update_customer",
            path_params=self._customer_path(customer_id),
            query=self._parent(parent_company_id),
            json_body=changes.to_wire(),
        )
        return _parse(Customer, reply.payload)

    async def _set_customer_state(
        self, operation: str, customer_id: str, parent_company_id: str | None
    ) -> Customer | None:
        reply = await self._caller.call(
            operation,
            path_params=self._customer_path(customer_id),
            query=self._parent(parent_company_id),
        )
        # The payload type is not documented: the customer when it is one, else None.
        return _parse(Customer, reply.payload) if isinstance(reply.payload, dict) else None

    async def activate_customer(
        self, customer_id: str, *, parent_company_id: str | None = None
    ) -> Customer | None:
        return await self._set_customer_state("activate_customer", customer_id, parent_company_id)

    async def deactivate_customer(
        self, customer_id: str, *, parent_company_id: str | None = None
    ) -> Customer | None:
        return await self._set_customer_state("deactivate_customer", customer_id, parent_company_id)

    async def delete_customer(
        self, customer_id: str, *, parent_company_id: str | None = None
    ) -> str:
        """Soft-delete; returns the server's confirmation text (payload is a string, §4.8)."""
        reply = await self._caller.call(
            "delete_customer",
            path_params=self._customer_path(customer_id),
            query=self._parent(parent_company_id),
        )
        return str(reply.payload or reply.message or "Customer deleted")

    async def bulk_create_customers(
        self, file: FileSource, *, company_id: str | None = None, filename: str | None = None
    ) -> BulkResult:
        company = _tenant(company_id, "companyId") or self.company_id
        if not company:
            raise ValueError("createBulkCustomer needs a companyId")
        reply = await self._caller.call(
            "bulk_create_customers",
            query={"companyId": company},
            upload=_upload(file, filename),
        )
        return _parse(BulkResult, reply.payload or {})

    async def bulk_update_customers(
        self,
        file: FileSource,
        *,
        parent_company_id: str | None = None,
        filename: str | None = None,
    ) -> BulkResult:
        reply = await self._caller.call(
            "bulk_update_customers",
            query=self._parent(parent_company_id),
            upload=_upload(file, filename),
        )
        return _parse(BulkResult, reply.payload or {})

    async def get_customer_contacts(
        self, customer_id: str, *, parent_company_id: str | None = None
    ) -> list[KeyContact]:
        reply = await self._caller.call(
            "get_customer_contacts",
            path_params=self._customer_path(customer_id),
            query=self._parent(parent_company_id),
        )
        return [_parse(KeyContact, item) for item in reply.payload or []]

    # -- invoices ------------------------------------------------------------------------------

    def _seller(self, seller_id: str | None) -> dict[str, Any]:
        return {"sellerId": _tenant(seller_id, "sellerId") or self.seller_id}

    async def create_invoice(
        self, invoice: InvoiceCreate, *, seller_id: str | None = None
    ) -> Invoice:
        reply = await self._caller.call(
            "create_invoice", query=self._seller(seller_id), json_body=invoice.to_wire()
        )
        return _parse(Invoice, reply.payload)

    async def bulk_create_invoices(
        self, file: FileSource, *, seller_id: str | None = None, filename: str | None = None
    ) -> BulkResult:
        """invoiceBulkUpload and Bharat Connect "Bulk Create Invoice": one endpoint (§4.12)."""
        reply = await self._caller.call(
            "bulk_create_invoices", query=self._seller(seller_id), upload=_upload(file, filename)
        )
        return _parse(BulkResult, reply.payload or {})

    async def dispatch_invoices(
        self,
        invoice_ids: list[str],
        *,
        partial_payment_allowed: bool | None = None,
        seller_id: str | None = None,
    ) -> InvoiceActionResult:
        body = InvoiceDispatch(
            invoice_ids=list(invoice_ids), partial_payment_allowed=partial_payment_allowed
        )
        reply = await self._caller.call(
            "dispatch_invoices", query=self._seller(seller_id), json_body=body.to_wire()
        )
        return _action_result(reply)

    async def delete_invoices(
        self, invoice_ids: list[str], *, seller_id: str | None = None
    ) -> InvoiceActionResult:
        reply = await self._caller.call(
            "delete_invoices",
            query=self._seller(seller_id),
            json_body=InvoiceDeletion(invoice_ids=list(invoice_ids)).to_wire(),
        )
        return _action_result(reply)

    async def search_invoices(
        self,
        filters: InvoiceFilter | None = None,
        *,
        offset: int = 0,
        limit: int = 100,
        order_by: str | None = None,
        direction: SortDirection | str | None = None,
        seller_id: str | None = None,
    ) -> Page[Invoice]:
        window = InvoicePageRequest.model_validate(
            {"offset": offset, "limit": limit, "order_by": order_by, "direction": direction}
        )
        reply = await self._caller.call(
            "search_invoices",
            query={**window.to_query(), **self._seller(seller_id)},
            json_body=(filters or InvoiceFilter()).to_wire(),
        )
        return parse_page(reply.payload, reply.headers, Invoice, offset=offset, limit=limit)

    def iter_invoices(
        self, filters: InvoiceFilter | None = None, *, page_size: int = 1000, **options: Any
    ) -> AsyncIterator[Invoice]:
        """Every invoice matching ``filters``, page after page."""
        return walk_pages(
            lambda offset: self.search_invoices(filters, offset=offset, limit=page_size, **options)
        )

    async def get_invoice(self, invoice_id: str, *, seller_id: str | None = None) -> Invoice:
        reply = await self._caller.call(
            "get_invoice", path_params={"invoiceId": invoice_id}, query=self._seller(seller_id)
        )
        return _parse(Invoice, reply.payload)

    async def update_invoice(
        self, invoice_id: str, changes: InvoiceUpdate, *, seller_id: str | None = None
    ) -> Invoice:
        reply = await self._caller.call(
            "update_invoice",
            path_params={"invoiceId": invoice_id},
            query=self._seller(seller_id),
            json_body=changes.to_wire(),
        )
        return _parse(Invoice, reply.payload)

    # -- payment reminders ---------------------------------------------------------------------

    async def create_reminder(self, customer_id: str, reminder: ReminderCreate) -> Reminder:
        reply = await self._caller.call(
            "create_reminder",
            query={"customerId": self._customer_path(customer_id)["customerId"]},
            json_body=reminder.to_wire(),
        )
        return _parse(Reminder, reply.payload)

    async def list_reminders(self, customer_id: str) -> list[Reminder]:
        reply = await self._caller.call(
            "list_reminders",
            query={"customerId": self._customer_path(customer_id)["customerId"]},
        )
        return [_parse(Reminder, item) for item in reply.payload or []]

    async def get_reminder(self, reminder_id: str) -> Reminder:
        reply = await self._caller.call(
            "get_reminder", path_params={"customerReminderId": reminder_id}
        )
        return _parse(Reminder, reply.payload)

    async def update_reminder(self, reminder_id: str, changes: ReminderUpdate) -> Reminder:
        reply = await self._caller.call(
            "update_reminder",
            path_params={"customerReminderId": reminder_id},
            json_body=changes.to_wire(),
        )
        return _parse(Reminder, reply.payload)

    async def delete_reminder(self, reminder_id: str) -> str:
        reply = await self._caller.call(
            "delete_reminder", path_params={"customerReminderId": reminder_id}
        )
        return str(reply.payload or reply.message or "Reminder deleted")

    # -- Bharat Connect 2.0 --------------------------------------------------------------------

    async def confirm_payment(
        self, confirmation: PaymentConfirmation, *, seller_id: str | None = None
    ) -> InvoiceActionResult:
        reply = await self._caller.call(
            "confirm_payment", query=self._seller(seller_id), json_body=confirmation.to_wire()
        )
        return _action_result(reply)

    async def change_invoice_status(
        self, change: InvoiceStatusChange, *, seller_id: str | None = None
    ) -> InvoiceActionResult:
        reply = await self._caller.call(
            "change_invoice_status", query=self._seller(seller_id), json_body=change.to_wire()
        )
        return _action_result(reply)
