"""Open invoices made for the aging and open-book tests (no server): due some days before a
fixed today, with a balance, a customer and a name, each with an id of its own."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from enkash_tui.api.models import Invoice

TODAY = dt.date(2026, 6, 30)
_numbers = itertools.count(1)


def open_invoice(
    days_late: int | None,
    balance: str | None,
    customer: str | None = "CUST-A",
    name: str | None = "Acme Traders",
) -> Invoice:
    """An unpaid invoice due ``days_late`` days before TODAY (None: no due date)."""
    data: dict[str, Any] = {"invoiceId": f"KI{next(_numbers):012d}", "receivableStatus": "UNPAID"}
    if customer is not None:
        data["customerId"] = customer
    if name is not None:
        data["customerLegalName"] = name
    if days_late is not None:
        data["dueDate"] = (TODAY - dt.timedelta(days=days_late)).isoformat()
    if balance is not None:
        data["balanceAmount"] = balance
        data["netAmount"] = balance
    return Invoice.model_validate(data)
