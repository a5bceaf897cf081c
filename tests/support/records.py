"""Request bodies with valid defaults, and helpers to find seeded records."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from enkash_tui import clock
from enkash_tui.api import EnkashClient
from enkash_tui.api.models import (
    CustomerCreate,
    CustomerFilter,
    CustomerStatus,
    InvoiceCreate,
    KeyContactCreate,
)


def unique(prefix: str = "ITest") -> str:
    return f"{prefix} {uuid.uuid4().hex[:10].upper()}"


class Records:
    """Request bodies with valid defaults, and helpers to find seeded records."""

    @staticmethod
    def customer(**overrides: Any) -> CustomerCreate:
        data: dict[str, Any] = {
            "legal_name": unique("ITest Traders"),
            "address": "12 MG Road, Pune",
            "state": "Maharashtra",
            "pin_code": "411001",
            "contact_number": "+919812345678",
            "account_number": "001234567890",
            "ifsc": "HDFC0001234",
            "pan_or_gstin": "27AAACA1234A1ZK",
            "unique_ref_no": unique("ERP"),
            "customer_key_contacts": [
                KeyContactCreate(
                    name="Ravi Kumar",
                    legal_name="Ravi Kumar",
                    mobile="9812345678",
                    email="ravi@example.in",
                    mail_enabled=True,
                    sms_enabled=True,
                )
            ],
            **overrides,
        }
        return CustomerCreate(**data)

    @staticmethod
    def invoice(customer_id: str, **overrides: Any) -> InvoiceCreate:
        data: dict[str, Any] = {
            "customer_id": customer_id,
            "invoice_number": unique("IT").replace(" ", "-"),
            "due_date": clock.today() + dt.timedelta(days=30),
            "base_amount": Decimal("1000.00"),
            "description": "Integration test invoice",
            **overrides,
        }
        return InvoiceCreate(**data)

    @staticmethod
    async def active_customer_id(client: EnkashClient, offset: int = 0) -> str:
        """A seeded active customer (with key contacts), for invoices a test raises itself."""
        page = await client.search_customers(
            CustomerFilter(customer_status=CustomerStatus.ACTIVE),
            offset=offset,
            limit=1,
            order_by="customerId",
        )
        assert page.items, "the sandbox has no active customer"
        return page.items[0].customer_id
