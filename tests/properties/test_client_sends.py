"""Nothing reaches the server that the documented patterns forbid.

Each ``EnkashClient`` operation runs against an ``httpx.MockTransport`` that records every request
(as tests/unit/test_client_wire.py does), fed with models built from generated input, good or bad,
and with generated path ids, tenant ids and invoice id lists:

* input the model refuses never becomes a call (it fails at ``model_validate``);
* a bad customer id, tenant id or invoice id list is refused locally (``ValueError``, which
  ``ValidationError`` is) before any request: nothing is sent;
* whatever is sent goes to the operation's own path, with the id as one path segment, carries
  only documented-pattern ids in its path and query, and a body equal to ``to_wire()`` that keeps
  every documented rule.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from enkash_tui.api import EnkashClient, EnkashError
from enkash_tui.api.models import (
    CustomerCreate,
    CustomerFilter,
    CustomerUpdate,
    InvoiceCreate,
    InvoiceDeletion,
    InvoiceDispatch,
    InvoiceFilter,
    InvoiceStatusChange,
    InvoiceUpdate,
    PaymentConfirmation,
    ReminderCreate,
    ReminderUpdate,
)
from enkash_tui.api.routes import build_routes
from tests.support.examples import examples

BASE_URL = "https://enkash.test"
TOKEN_PATH = "/oauth/token"
KC = r"KC[A-Z0-9]{14}"
CEK = r"CEK[A-Z0-9]{7}"
PROPERTY = settings(
    max_examples=examples(30),
    deadline=None,
    database=None,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Ids that are strings with no documented pattern, but would not name one record in a path.
ODD_IDS = ["", ".", "..", "a/b", "../customer", "?x=1", "#top", "%2e%2e", " ", "KI\n", "\x00"]


@dataclass
class Args:
    customer_id: str
    record_id: str  # an invoice or reminder id: no documented pattern
    tenant: str | None  # sellerId / parentCompanyId
    invoice_ids: list[Any]
    partial: bool | None
    paging: dict[str, Any]  # offset / limit / order_by / direction of a search


Call = Callable[[EnkashClient, Any, Args], Awaitable[Any]]

# operation -> (the model its input goes through, or None; how to call it)
OPERATIONS: dict[str, tuple[type[BaseModel] | None, Call]] = {
    "create_customer": (CustomerCreate, lambda c, m, a: c.create_customer(m)),
    "update_customer": (
        CustomerUpdate,
        lambda c, m, a: c.update_customer(a.customer_id, m, parent_company_id=a.tenant),
    ),
    "search_customers": (
        CustomerFilter,
        lambda c, m, a: c.search_customers(m, parent_company_id=a.tenant, **a.paging),
    ),
    "activate_customer": (
        None,
        lambda c, m, a: c.activate_customer(a.customer_id, parent_company_id=a.tenant),
    ),
    "deactivate_customer": (
        None,
        lambda c, m, a: c.deactivate_customer(a.customer_id, parent_company_id=a.tenant),
    ),
    "delete_customer": (
        None,
        lambda c, m, a: c.delete_customer(a.customer_id, parent_company_id=a.tenant),
    ),
    "get_customer_contacts": (
        None,
        lambda c, m, a: c.get_customer_contacts(a.customer_id, parent_company_id=a.tenant),
    ),
    "create_invoice": (InvoiceCreate, lambda c, m, a: c.create_invoice(m, seller_id=a.tenant)),
    "update_invoice": (
        InvoiceUpdate,
        lambda c, m, a: c.update_invoice(a.record_id, m, seller_id=a.tenant),
    ),
    "get_invoice": (None, lambda c, m, a: c.get_invoice(a.record_id, seller_id=a.tenant)),
    "search_invoices": (
        InvoiceFilter,
        lambda c, m, a: c.search_invoices(m, seller_id=a.tenant, **a.paging),
    ),
    "dispatch_invoices": (
        InvoiceDispatch,
        lambda c, m, a: c.dispatch_invoices(
            a.invoice_ids, partial_payment_allowed=a.partial, seller_id=a.tenant
        ),
    ),
    "delete_invoices": (
        InvoiceDeletion,
        lambda c, m, a: c.delete_invoices(a.invoice_ids, seller_id=a.tenant),
    ),
    "create_reminder": (ReminderCreate, lambda c, m, a: c.create_reminder(a.customer_id, m)),
    "list_reminders": (None, lambda c, m, a: c.list_reminders(a.customer_id)),
    "get_reminder": (None, lambda c, m, a: c.get_reminder(a.record_id)),
    "update_reminder": (ReminderUpdate, lambda c, m, a: c.update_reminder(a.record_id, m)),
    "delete_reminder": (None, lambda c, m, a: c.delete_reminder(a.record_id)),
    "confirm_payment": (
        PaymentConfirmation,
        lambda c, m, a: c.confirm_payment(m, seller_id=a.tenant),
    ),
    "change_invoice_status": (
        InvoiceStatusChange,
        lambda c, m, a: c.change_invoice_status(m, seller_id=a.tenant),
    ),
}
# These build their model inside the client from plain arguments.
BUILT_INSIDE = {"dispatch_invoices", "delete_invoices"}
ROUTES = build_routes()
PAGING = ("offset", "limit", "orderBy", "direction")


class Recorder:
    """A fake EnKash that answers everything with a reply every operation can read."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path == TOKEN_PATH:
            return httpx.Response(
                200, json={"access_token": "t", "token_type": "bearer", "expires_in": 3600}
            )
        path = request.url.path
        payload: Any = {
            "customerId": "KC1A2B3C4D5E6F7G",
            "invoiceId": "KI1A2B3C4D5E6F7G",
            "successInvoices": [],
            "failureInvoices": [],
        }
        if path.endswith(("/search", "/contacts", "/customer-reminder")) and (
            request.method == "GET" or path.endswith("/search")
        ):
            payload = []  # the lists: searches, contacts, a customer's reminders
        return httpx.Response(
            200, json={"response_code": 0, "response_message": "SUCCESS", "payload": payload}
        )

    @property
    def api_requests(self) -> list[httpx.Request]:
        return [r for r in self.requests if r.url.path != TOKEN_PATH]


def _fullmatch(pattern: str, value: str) -> bool:
    return re.fullmatch(pattern, value, re.ASCII) is not None


def request_problems(
    operation: str,
    request: httpx.Request,
    args: Args,
    body: Any,
    model_name: str | None,
    wire_problems: Callable[[Any, str], list[str]],
) -> list[str]:
    problems: list[str] = []
    route = ROUTES[operation]
    if request.method != route.method:
        problems.append(f"{operation} sent {request.method}, not {route.method}")
    raw_path = request.url.raw_path.partition(b"?")[0].decode("ascii")
    template = route.path
    if "{" in template:
        name = template[template.index("{") + 1 : template.index("}")]
        given_id = args.customer_id if name == "customerId" else args.record_id
        expected = template.replace("{" + name + "}", quote(given_id, safe=""))
        if raw_path != expected:
            problems.append(f"{operation}({given_id!r}) went to {raw_path}, not {expected}")
        if given_id in ("", ".", ".."):
            problems.append(f"{operation}({given_id!r}): no record is named by that path segment")
        if name == "customerId" and not _fullmatch(KC, given_id):
            problems.append(f"{operation} sent customerId {given_id!r} in the path")
    elif raw_path != template:
        problems.append(f"{operation} went to {raw_path}, not {template}")
    for key, value in request.url.params.multi_items():
        if key in ("sellerId", "parentCompanyId", "companyId") and not _fullmatch(CEK, value):
            problems.append(f"{operation} sent {key}={value!r}")
        if key == "customerId" and not _fullmatch(KC, value):
            problems.append(f"{operation} sent customerId={value!r}")
    if operation.startswith("search_"):
        paging = {k: v for k, v in request.url.params.multi_items() if k in PAGING}
        numbers = {k: int(v) for k, v in paging.items() if k in ("offset", "limit") and v.isdigit()}
        page = "InvoicePageRequest" if operation == "search_invoices" else "CustomerPageRequest"
        problems += wire_problems({**paging, **numbers}, page)
    if model_name is not None:
        problems += wire_problems(body, model_name)
    return problems


@pytest.mark.parametrize("operation", list(OPERATIONS))
@PROPERTY
@given(data=st.data())
def test_only_documented_values_reach_the_server(
    operation: str, data: st.DataObject, gen: Any, wire_problems: Any
) -> None:
    model, call = OPERATIONS[operation]
    args = Args(
        customer_id=data.draw(st.one_of(gen.customer_id, gen.nasty_text), label="customer id"),
        record_id=data.draw(
            # Ids past httpx's URL limit are tried once, below: here they would only be slow.
            st.one_of(
                gen.invoice_id,
                st.sampled_from(ODD_IDS),
                gen.nasty_text.filter(lambda text: len(text) <= 2000),
            ),
            label="record id",
        ),
        tenant=data.draw(st.one_of(st.none(), gen.company_id, gen.nasty_text), label="tenant"),
        invoice_ids=data.draw(
            st.one_of(
                st.lists(gen.invoice_id, min_size=1, max_size=3),
                st.lists(st.one_of(gen.nasty_text, gen.nasty_any), max_size=3),
            ),
            label="invoice ids",
        ),
        partial=data.draw(st.one_of(st.none(), st.booleans()), label="partial"),
        paging=data.draw(
            st.fixed_dictionaries(
                {},
                optional={
                    "offset": st.one_of(st.integers(0, 10_000), gen.nasty_number),
                    "limit": st.one_of(st.integers(1, 50), gen.nasty_number),
                    "order_by": st.one_of(st.just("dueDate"), gen.nasty_text),
                    "direction": st.one_of(st.sampled_from(["ASC", "DESC"]), gen.nasty_text),
                },
            ),
            label="paging",
        ),
    )
    instance: BaseModel | None = None
    if model is not None and operation not in BUILT_INSIDE:
        raw = data.draw(gen.model_input(model), label="raw input")
        try:
            instance = model.model_validate(raw)
        except ValidationError:
            return  # refused before the client is even called: nothing can be sent

    async def scenario() -> tuple[list[httpx.Request], BaseException | None]:
        recorder = Recorder()
        async with EnkashClient(
            BASE_URL, "CEKFOWV7UQ", "enkash-secret", transport=recorder.transport
        ) as client:
            await client.login("ar.user@acme.in", "Password@123")
            try:
                await call(client, instance, args)
            except ValueError as refused:  # ValidationError included: a local refusal
                return recorder.api_requests, refused
            except EnkashError:
                pass  # the fake's reply did not suit a misrouted request: judged below
        return recorder.api_requests, None

    sent, refused = asyncio.run(scenario())
    if refused is not None:
        assert sent == [], f"{operation} refused locally ({refused}) but sent {sent}"
        return
    assert len(sent) == 1, [f"{r.method} {r.url}" for r in sent]
    [request] = sent
    body: Any = json.loads(request.content) if request.content else None
    model_name = model.__name__ if model is not None else None
    if operation == "dispatch_invoices":
        expected = InvoiceDispatch(
            invoice_ids=args.invoice_ids, partial_payment_allowed=args.partial
        )
    elif operation == "delete_invoices":
        expected = InvoiceDeletion(invoice_ids=args.invoice_ids)
    else:
        expected = instance
    if expected is not None:
        assert body == expected.to_wire()  # type: ignore[attr-defined]
    assert request_problems(operation, request, args, body, model_name, wire_problems) == []


@pytest.mark.parametrize(
    "record_id", ["", ".", "..", "é" * 12_000], ids=["empty", "dot", "dotdot", "12k-chars"]
)
@pytest.mark.parametrize(
    "operation",
    ["get_invoice", "update_invoice", "get_reminder", "update_reminder", "delete_reminder"],
)
def test_an_id_that_is_not_a_path_segment_is_refused_or_sent_as_one(
    operation: str, record_id: str, wire_problems: Any
) -> None:
    """``quote("..")`` is ``..``, which httpx would resolve as a dot segment: sent, the request
    would go to another endpoint (``GET /api/v0/``). The route must refuse such ids. An id whose
    quoted form passes httpx's 64 KiB URL limit must be refused the same way (``ValueError``),
    not escape as ``httpx.InvalidURL``, which no caller expects."""
    model, call = OPERATIONS[operation]
    instance = (
        model.model_validate({"stage": "AFTER_DUE"} if model is ReminderUpdate else {})
        if model
        else None
    )
    args = Args("KC1A2B3C4D5E6F7G", record_id, None, [], None, {})

    async def scenario() -> tuple[list[httpx.Request], BaseException | None]:
        recorder = Recorder()
        async with EnkashClient(
            BASE_URL, "CEKFOWV7UQ", "enkash-secret", transport=recorder.transport
        ) as client:
            await client.login("ar.user@acme.in", "Password@123")
            try:
                await call(client, instance, args)
            except ValueError as refused:
                return recorder.api_requests, refused
            except EnkashError:
                pass
            except Exception as error:  # not an error the client's callers expect
                pytest.fail(
                    f"{operation}({record_id[:20]!r}…) raised {type(error).__name__}: {error}"
                )
        return recorder.api_requests, None

    sent, refused = asyncio.run(scenario())
    if refused is not None:
        assert sent == []
        return
    [request] = sent
    body = json.loads(request.content) if request.content else None
    name = model.__name__ if model else None
    assert request_problems(operation, request, args, body, name, wire_problems) == []
