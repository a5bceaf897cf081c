"""Customer operations (§4.2–4.10)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from enkash_tui.api.models import (
    BulkResult,
    Customer,
    CustomerCreate,
    CustomerFilter,
    CustomerUpdate,
    KeyContact,
    SortDirection,
)
from enkash_tui.api.models.search import CustomerPageRequest
from enkash_tui.api.operations.base import (
    FileSource,
    Operations,
    confirmation,
    parse,
    tenant,
    upload,
)
from enkash_tui.api.pages import Page, parse_page, walk_pages


class CustomerOperations(Operations):
    async def create_customer(self, customer: CustomerCreate) -> Customer:
        reply = await self._caller.call("create_customer", json_body=customer.to_wire())
        return parse(Customer, reply.payload)

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
        return parse(Customer, reply.payload)

    async def _set_customer_state(
        self, operation: str, customer_id: str, parent_company_id: str | None
    ) -> Customer | None:
        reply = await self._caller.call(
            operation,
            path_params=self._customer_path(customer_id),
            query=self._parent(parent_company_id),
        )
        # The payload type is not documented: the customer when it is one, else None.
        return parse(Customer, reply.payload) if isinstance(reply.payload, dict) else None

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
        return confirmation(reply, "Customer deleted")

    async def bulk_create_customers(
        self, file: FileSource, *, company_id: str | None = None, filename: str | None = None
    ) -> BulkResult:
        company = tenant(company_id, "companyId") or self.company_id
        if not company:
            raise ValueError("createBulkCustomer needs a companyId")
        reply = await self._caller.call(
            "bulk_create_customers",
            query={"companyId": company},
            upload=upload(file, filename),
        )
        return parse(BulkResult, reply.payload or {})

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
            upload=upload(file, filename),
        )
        return parse(BulkResult, reply.payload or {})

    async def get_customer_contacts(
        self, customer_id: str, *, parent_company_id: str | None = None
    ) -> list[KeyContact]:
        reply = await self._caller.call(
            "get_customer_contacts",
            path_params=self._customer_path(customer_id),
            query=self._parent(parent_company_id),
        )
        return [parse(KeyContact, item) for item in reply.payload or []]
