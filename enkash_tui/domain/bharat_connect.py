"""Bharat Connect work queues: network invoices grouped by the action they need.

Each invoice on the network is in at most one queue: a reported payment waiting for the
supplier's answer comes first, whatever the invoice's status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from enkash_tui.api.models import (
    BharatConnectStatus,
    Invoice,
    InvoiceFilter,
    PaymentType,
    ReportedPayment,
)
from enkash_tui.domain.invoices import OPEN


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    short: str  # for the queue bar on an 80-column terminal
    filters: InvoiceFilter
    needs: str  # what the supplier does here, shown when the queue is open


def _network(**filters: object) -> InvoiceFilter:
    return InvoiceFilter.model_validate({"on_bharat_connect": True, **filters})


S = BharatConnectStatus
QUEUES: tuple[Queue, ...] = (
    Queue("1", "Payment confirmation pending", "Confirm",
          _network(bharat_connect_payment_pending=True),
          "c: accept or reject the payment the buyer reported"),
    Queue("2", "Returned by buyer", "Returned",
          _network(bharat_connect_statuses=[S.RETURNED], bharat_connect_payment_pending=False),
          "s: send the corrected invoice again (CREATED) or withdraw it (CANCELLED)"),
    Queue("3", "Rejected by buyer", "Rejected",
          _network(bharat_connect_statuses=[S.REJECTED], bharat_connect_payment_pending=False),
          "final on the network: follow up with the buyer outside it"),
    Queue("4", "Awaiting buyer", "Awaiting",
          _network(bharat_connect_statuses=[S.CREATED], bharat_connect_payment_pending=False),
          "the buyer has not acted yet; s can still withdraw (CANCELLED)"),
    Queue("5", "Accepted (unpaid)", "Accepted",
          _network(bharat_connect_statuses=[S.ACCEPTED], receivable_statuses=OPEN,
                   bharat_connect_payment_pending=False),
          "accepted by the buyer, not yet paid; s marks it PAID or CANCELLED"),
    Queue("6", "Paid", "Paid",
          _network(bharat_connect_statuses=[S.PAID]),
          "settled: nothing to do"),
)  # fmt: skip
BY_KEY = {queue.key: queue for queue in QUEUES}


def _reported_on(invoice: Invoice) -> tuple[int, float]:
    bc = invoice.bharat_connect
    payment = bc.reported_payment if bc else None
    when = payment.reported_on if payment else None
    return (0, when.timestamp()) if when else (1, 0.0)  # nothing reported: last


def _due(invoice: Invoice) -> dt.date:
    return invoice.due_date or dt.date.max


# How a queue can be ordered, in the order ``o`` cycles through: (words, key, largest first).
QUEUE_SORTS: dict[str, tuple[str, Callable[[Invoice], Any], bool]] = {
    "due": ("due date, oldest first", _due, False),
    "age": ("reported payment, oldest first", _reported_on, False),
    "amount": ("balance, largest first", lambda i: i.balance_amount or Decimal(0), True),
}


def sort_queue(invoices: list[Invoice], by: str) -> list[Invoice]:
    _, key, largest_first = QUEUE_SORTS[by]
    return sorted(invoices, key=key, reverse=largest_first)


UNKNOWN_PAYMENT_TYPE = (
    "EnKash did not say how payment {payment} was made (ONPLATFORM or OFFPLATFORM), and a "
    "confirmation must repeat it: answer this payment in EnKash itself"
)


def payment_type(payment: ReportedPayment) -> PaymentType | None:
    """How the buyer says the payment was made, as a confirmation must repeat it; None when
    EnKash left it out or sent a type this app does not know (it is not guessed)."""
    try:
        return PaymentType((payment.type or "").strip().upper())
    except ValueError:
        return None
