"""searchCollectionInvoices and searchCustomer on the shared (seeded) sandbox.

Each filter case picks its value from the data a first, unfiltered query returns, then checks
that the filtered result is non-empty, smaller than everything, and that every row satisfies it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from enkash_tui.api import ApiError, EnkashClient, ErrorType
from enkash_tui.api.models import (
    Customer,
    CustomerFilter,
    CustomerStatus,
    Invoice,
    InvoiceFilter,
)
from tests.support.records import Records
from tests.support.wire import RawApi

Rows = list[Invoice]


async def _everything(client: EnkashClient, filters: InvoiceFilter | None = None) -> Rows:
    page = await client.search_invoices(filters, limit=5000)
    assert page.total == len(page.items), "the whole data set fits one 5000-row page"
    return page.items


def _common(values: Any) -> Any:
    """The most common non-empty value."""
    counted = Counter(v for v in values if v is not None)
    assert counted, "no value to filter on"
    return counted.most_common(1)[0][0]


def _quartiles(values: list[Any]) -> tuple[Any, Any]:
    """The lower and upper quartile of the distinct values (so both bounds cut something)."""
    ordered = sorted({v for v in values if v is not None})
    return ordered[len(ordered) // 4], ordered[len(ordered) * 3 // 4]


def _status(attr: str, plural: str) -> Callable[[Rows], tuple[dict[str, Any], Any]]:
    def case(rows: Rows) -> tuple[dict[str, Any], Any]:
        wanted = _common(getattr(r, attr).name for r in rows if getattr(r, attr))
        return {plural: [wanted]}, lambda r: getattr(r, attr) and getattr(r, attr).name == wanted

    return case


def _bound(attr: str, side: str, as_filter: Callable[[Any], Any] = lambda v: v):
    """``<attr>_from`` at the lower quartile, or ``<attr>_to`` at the upper one."""

    def case(rows: Rows) -> tuple[dict[str, Any], Any]:
        low, high = _quartiles([getattr(r, attr) for r in rows])
        if side == "from":
            return {
                f"{attr}_from": as_filter(low)
            }, lambda r: getattr(r, attr) is not None and getattr(r, attr) >= low
        return {
            f"{attr}_to": as_filter(high)
        }, lambda r: getattr(r, attr) is not None and getattr(r, attr) <= high

    return case


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _flag(attr: str, value: bool):
    def case(rows: Rows) -> tuple[dict[str, Any], Any]:
        return {attr: value}, lambda r: getattr(r, attr) is value

    return case


def _ids(attr: str, plural: str):
    def case(rows: Rows) -> tuple[dict[str, Any], Any]:
        values = sorted({getattr(r, attr) for r in rows if getattr(r, attr)})[:3]
        return {plural: values}, lambda r: getattr(r, attr) in values

    return case


def _invoice_number(rows: Rows) -> tuple[dict[str, Any], Any]:
    number = sorted(r.invoice_number for r in rows if r.invoice_number)[len(rows) // 2]
    fragment = number.rsplit("/", 1)[0]  # e.g. "INV/2025-26": one financial year
    return {"invoice_number": fragment}, lambda r: fragment in (r.invoice_number or "")


def _legal_name(rows: Rows) -> tuple[dict[str, Any], Any]:
    name = _common(r.customer_legal_name for r in rows)
    fragment = name.split()[1]  # the trade word, e.g. "Textiles"
    return {
        "customer_legal_name": fragment
    }, lambda r: fragment.lower() in (r.customer_legal_name or "").lower()


def _network_status(rows: Rows) -> tuple[dict[str, Any], Any]:
    wanted = _common(r.bharat_connect.status for r in rows if r.bharat_connect)
    return {
        "bharat_connect_statuses": [wanted]
    }, lambda r: r.bharat_connect is not None and r.bharat_connect.status == wanted


def _on_network(value: bool):
    def case(rows: Rows) -> tuple[dict[str, Any], Any]:
        return {"on_bharat_connect": value}, lambda r: (r.bharat_connect is not None) is value

    return case


def _payment_pending(value: bool):
    def case(rows: Rows) -> tuple[dict[str, Any], Any]:
        def pending(r: Any) -> bool:
            return r.bharat_connect is not None and r.bharat_connect.reported_payment is not None

        return {"bharat_connect_payment_pending": value}, lambda r: pending(r) is value

    return case


# Filter field (or field=value) -> case. Cases that need customers are tested below.
ROW_CASES: dict[str, Callable[[Rows], tuple[dict[str, Any], Any]]] = {
    "approval_statuses": _status("approval_status", "approval_statuses"),
    "receivable_statuses": _status("receivable_status", "receivable_statuses"),
    "payout_statuses": _status("payout_status", "payout_statuses"),
    "balance_amount_from": _bound("balance_amount", "from"),
    "balance_amount_to": _bound("balance_amount", "to"),
    "base_amount_from": _bound("base_amount", "from"),
    "base_amount_to": _bound("base_amount", "to"),
    "net_amount_from": _bound("net_amount", "from"),
    "net_amount_to": _bound("net_amount", "to"),
    "created_on_from": _bound("created_on", "from"),
    "created_on_to": _bound("created_on", "to"),
    "dispatched_on_from": _bound("dispatched_on", "from"),
    "dispatched_on_to": _bound("dispatched_on", "to"),
    "invoice_date_from": _bound("invoice_date", "from"),
    "invoice_date_to": _bound("invoice_date", "to"),
    "due_date_from": _bound("due_date", "from", _midnight),
    "due_date_to": _bound("due_date", "to", _midnight),
    "customer_ids": _ids("customer_id", "customer_ids"),
    "external_ids": _ids("external_id", "external_ids"),
    "invoice_ids": _ids("invoice_id", "invoice_ids"),
    "invoice_number": _invoice_number,
    "customer_legal_name": _legal_name,
    "dispatched=True": _flag("dispatched", True),
    "dispatched=False": _flag("dispatched", False),
    "partial_payment_allowed=True": _flag("partial_payment_allowed", True),
    "partial_payment_allowed=False": _flag("partial_payment_allowed", False),
    "bharat_connect_statuses": _network_status,
    "on_bharat_connect=True": _on_network(True),
    "on_bharat_connect=False": _on_network(False),
    "bharat_connect_payment_pending=True": _payment_pending(True),
    "bharat_connect_payment_pending=False": _payment_pending(False),
}
# Filters whose value is not in InvoiceDTO: checked against other observable data below.
OTHER_CASES = {"collection_mode", "created_via", "customer_deleted", "customer_status"}


def test_every_invoice_filter_field_is_covered() -> None:
    covered = {name.split("=")[0] for name in ROW_CASES} | OTHER_CASES
    assert covered == set(InvoiceFilter.model_fields)


@pytest.mark.parametrize("case", list(ROW_CASES))
async def test_invoice_filter(client: EnkashClient, case: str) -> None:
    everything = await _everything(client)
    filters, matches = ROW_CASES[case](everything)

    page = await client.search_invoices(InvoiceFilter(**filters), limit=5000)

    assert page.items, f"{filters} found nothing"
    assert page.total == len(page.items)
    assert len(page.items) < len(everything), f"{filters} did not narrow the search"
    wrong = [r.invoice_id for r in page.items if not matches(r)]
    assert wrong == [], f"{filters} let through {len(wrong)} rows"
    # And nothing that matches was left out.
    expected = {r.invoice_id for r in everything if matches(r)}
    assert {r.invoice_id for r in page.items} == expected


async def _customers(client: EnkashClient, filters: CustomerFilter | None = None) -> list[Customer]:
    return [c async for c in client.iter_customers(filters)]


async def test_filter_customer_status(client: EnkashClient) -> None:
    everything = await _everything(client)
    inactive = {
        c.customer_id
        for c in await _customers(client, CustomerFilter(customer_status=CustomerStatus.INACTIVE))
    }
    assert inactive, "the seed has inactive customers"

    of_inactive = await _everything(client, InvoiceFilter(customer_status="INACTIVE"))
    of_active = await _everything(client, InvoiceFilter(customer_status="ACTIVE"))

    assert of_inactive, "the seed gives inactive customers invoices"
    assert {r.customer_id for r in of_inactive} <= inactive
    assert not {r.customer_id for r in of_active} & inactive
    assert len(of_inactive) + len(of_active) == len(everything)
    assert {r.invoice_id for r in of_inactive} == {
        r.invoice_id for r in everything if r.customer_id in inactive
    }


async def test_filter_customer_deleted(client: EnkashClient) -> None:
    everything = await _everything(client)
    live = {c.customer_id for c in await _customers(client)}

    of_deleted = await _everything(client, InvoiceFilter(customer_deleted=True))
    of_live = await _everything(client, InvoiceFilter(customer_deleted=False))

    assert of_deleted, "the seed gives deleted customers invoices"
    assert not {r.customer_id for r in of_deleted} & live
    assert {r.customer_id for r in of_live} <= live
    assert len(of_deleted) + len(of_live) == len(everything)


async def test_filter_created_via(client: EnkashClient) -> None:
    customer_id = await Records.active_customer_id(client)
    mine = await client.create_invoice(Records.invoice(customer_id))
    everything = await _everything(client)

    by_channel = {
        via: {r.invoice_id for r in await _everything(client, InvoiceFilter(created_via=via))}
        for via in ("API", "BULK", "UI")
    }

    assert all(by_channel.values()), by_channel.keys()
    assert sum(len(ids) for ids in by_channel.values()) == len(everything)
    assert set.union(*by_channel.values()) == {r.invoice_id for r in everything}
    assert mine.invoice_id in by_channel["API"]
    assert (await client.search_invoices(InvoiceFilter(created_via="NOWHERE"))).total == 0


async def test_filter_collection_mode(client: EnkashClient) -> None:
    everything = {r.invoice_id: r for r in await _everything(client)}
    seen: set[str] = set()
    for mode in ("PAYMENT_LINK", "UPI", "NEFT", "VIRTUAL_ACCOUNT", "CHEQUE"):
        rows = await _everything(client, InvoiceFilter(collection_mode=[mode]))
        ids = {r.invoice_id for r in rows}
        assert rows, f"no invoice was collected by {mode}"
        assert not ids & seen, "an invoice has one collection mode"
        seen |= ids
        # Only money that came in has a collection mode.
        assert all(r.total_received and r.total_received > 0 for r in rows)
    both = await _everything(client, InvoiceFilter(collection_mode=["UPI", "CHEQUE"]))
    upi = await _everything(client, InvoiceFilter(collection_mode=["UPI"]))
    assert len(upi) < len(both) < len(everything)


async def test_filters_combine(client: EnkashClient) -> None:
    everything = await _everything(client)
    low, high = _quartiles([r.net_amount for r in everything])
    status = _common(r.receivable_status.name for r in everything if r.receivable_status)

    rows = await _everything(
        client,
        InvoiceFilter(
            net_amount_from=low, net_amount_to=high, receivable_statuses=[status], dispatched=True
        ),
    )

    expected = {
        r.invoice_id
        for r in everything
        if low <= r.net_amount <= high
        and r.receivable_status
        and r.receivable_status.name == status
        and r.dispatched
    }
    assert expected and {r.invoice_id for r in rows} == expected


# -- sorting -------------------------------------------------------------------------------

SORTS = {
    "dueDate": "due_date",
    "invoiceDate": "invoice_date",
    "createdOn": "created_on",
    "netAmount": "net_amount",
    "baseAmount": "base_amount",
    "balanceAmount": "balance_amount",
    "totalReceived": "total_received",
    "invoiceNumber": "invoice_number",
    "customerLegalName": "customer_legal_name",
    "invoiceId": "invoice_id",
}


@pytest.mark.parametrize("direction", ["ASC", "DESC"])
@pytest.mark.parametrize("order_by", list(SORTS))
async def test_sorting(client: EnkashClient, order_by: str, direction: str) -> None:
    page = await client.search_invoices(limit=5000, order_by=order_by, direction=direction)

    values = [getattr(r, SORTS[order_by]) for r in page.items]
    assert len(values) == page.total
    assert values == sorted(values, reverse=direction == "DESC")
    assert values[0] != values[-1], "a sort over one value proves nothing"


async def test_sort_direction_is_respected_across_pages(client: EnkashClient) -> None:
    first = await client.search_invoices(limit=100, order_by="netAmount", direction="DESC")
    second = await client.search_invoices(
        offset=100, limit=100, order_by="netAmount", direction="DESC"
    )
    assert first.items[-1].net_amount >= second.items[0].net_amount


async def test_unknown_order_by_is_a_validation_error(client: EnkashClient) -> None:
    with pytest.raises(ApiError) as refused:
        await client.search_invoices(order_by="favouriteColour")
    assert refused.value.status_code == 400
    assert refused.value.error_type == ErrorType.VALIDATION_ERROR
    assert refused.value.errors_for("orderBy")
    assert refused.value.request_id


# -- paging --------------------------------------------------------------------------------


async def test_offset_limit_paging(client: EnkashClient) -> None:
    filters = InvoiceFilter(dispatched=True)
    whole = await client.search_invoices(filters, limit=5000, order_by="dueDate")
    assert whole.total is not None and whole.total == len(whole.items) > 150

    pages = [
        await client.search_invoices(filters, offset=offset, limit=50, order_by="dueDate")
        for offset in (0, 50, 100)
    ]

    assert [len(p.items) for p in pages] == [50, 50, 50]
    assert all(p.total == whole.total for p in pages)  # X-Total-Count on every page
    assert all(p.has_more for p in pages)
    assert [r.invoice_id for p in pages for r in p.items] == [
        r.invoice_id for r in whole.items[:150]
    ]
    assert pages[1].offset == 50 and pages[1].next_offset == 100

    last = await client.search_invoices(
        filters, offset=whole.total - 7, limit=50, order_by="dueDate"
    )
    assert [r.invoice_id for r in last.items] == [r.invoice_id for r in whole.items[-7:]]
    assert not last.has_more
    beyond = await client.search_invoices(filters, offset=whole.total + 10, limit=50)
    assert beyond.items == [] and beyond.total == whole.total


async def test_default_page(client: EnkashClient) -> None:
    page = await client.search_invoices()
    assert len(page.items) == 100
    assert page.total is not None and page.total > 100 and page.has_more


async def test_iter_invoices_walks_every_page(client: EnkashClient) -> None:
    total = (await client.search_invoices(limit=1)).total
    assert total

    walked = [r.invoice_id async for r in client.iter_invoices(page_size=128, order_by="invoiceId")]

    assert len(walked) == total
    assert len(set(walked)) == total
    assert walked == sorted(walked)


async def test_iter_invoices_with_a_filter(client: EnkashClient) -> None:
    filters = InvoiceFilter(receivable_statuses=["PAID"])
    total = (await client.search_invoices(filters, limit=1)).total
    assert total and total > 64

    walked = [r async for r in client.iter_invoices(filters, page_size=64)]

    assert len(walked) == total
    assert len({r.invoice_id for r in walked}) == total
    assert all(r.receivable_status and r.receivable_status.name == "PAID" for r in walked)


async def test_limit_above_5000_is_refused_locally(shared_sandbox, make_client, wire) -> None:
    client = await make_client(shared_sandbox.url, transport=wire)

    with pytest.raises(ValidationError):
        await client.search_invoices(limit=5001)
    with pytest.raises(ValidationError):
        await client.search_invoices(limit=0)
    with pytest.raises(ValidationError):
        await client.search_invoices(offset=-1)

    assert wire.api == []  # nothing was sent
    page = await client.search_invoices(limit=5000)
    assert page.items and len(wire.api) == 1


async def test_server_refuses_limit_above_5000(shared_sandbox) -> None:
    response = RawApi(shared_sandbox.url).call(
        "POST", "/api/v0/invoice/search", params={"limit": 5001}, json={}
    )
    assert response.status_code == 400
    error = response.json()["errorResponse"]
    assert error["errorType"] == "VALIDATION_ERROR"
    assert [sub["field"] for sub in error["apiSubErrors"]] == ["limit"]


# -- customers -----------------------------------------------------------------------------


def _customer_cases(customers: list[Customer]) -> dict[str, tuple[CustomerFilter, Any]]:
    agent = _common(c.assigned_agent for c in customers)
    branch = _common(code for c in customers for code in c.branch_codes)
    someone = sorted(customers, key=lambda c: c.customer_id)[len(customers) // 2]
    name_word = someone.legal_name.split()[1] if someone.legal_name else ""
    email = next(k.email for k in someone.customer_key_contacts if k.email)
    domain = email.split("@")[1]
    mobile = someone.customer_key_contacts[0].mobile or ""
    created = sorted(c.created_on for c in customers if c.created_on)
    middle = created[len(created) // 2]
    return {
        "legal_name": (
            CustomerFilter(legal_name=name_word.lower()),
            lambda c: name_word.lower() in (c.legal_name or "").lower(),
        ),
        "assigned_agent": (
            CustomerFilter(assigned_agent=agent),
            lambda c: c.assigned_agent == agent,
        ),
        "branch_codes": (CustomerFilter(branch_codes=[branch]), lambda c: branch in c.branch_codes),
        "customer_status": (
            CustomerFilter(customer_status=CustomerStatus.INACTIVE),
            lambda c: c.status == "INACTIVE",
        ),
        "customer_ids": (
            CustomerFilter(customer_ids=[someone.customer_id]),
            lambda c: c.customer_id == someone.customer_id,
        ),
        "pan_or_gstin": (
            CustomerFilter(pan_or_gstin=(someone.pan_or_gstin or "").lower()),
            lambda c: (someone.pan_or_gstin or "").upper() in (c.pan_or_gstin or "").upper(),
        ),
        "unique_ref_no": (
            CustomerFilter(unique_ref_no=someone.unique_ref_no),
            lambda c: c.unique_ref_no == someone.unique_ref_no,
        ),
        "account_number": (
            CustomerFilter(account_number=someone.account_number),
            lambda c: c.account_number == someone.account_number,
        ),
        "email": (
            CustomerFilter(email=domain),
            lambda c: any(domain in (k.email or "") for k in c.customer_key_contacts),
        ),
        "mobile": (
            CustomerFilter(mobile=mobile),
            lambda c: (
                any(mobile[-10:] in (k.mobile or "") for k in c.customer_key_contacts)
                or mobile[-10:] in (c.contact_number or "")
            ),
        ),
        "contact_number": (
            CustomerFilter(contact_number=someone.contact_number),
            lambda c: (
                (someone.contact_number or "").replace(" ", "").replace("-", "")
                in (c.contact_number or "").replace(" ", "").replace("-", "")
            ),
        ),
        "created_on_from": (
            CustomerFilter(created_on_from=middle),
            lambda c: c.created_on is not None and c.created_on >= middle,
        ),
        "created_on_to": (
            CustomerFilter(created_on_to=middle),
            lambda c: c.created_on is not None and c.created_on <= middle,
        ),
    }


CUSTOMER_CASES = [
    "legal_name",
    "assigned_agent",
    "branch_codes",
    "customer_status",
    "customer_ids",
    "pan_or_gstin",
    "unique_ref_no",
    "account_number",
    "email",
    "mobile",
    "contact_number",
    "created_on_from",
    "created_on_to",
]


@pytest.mark.parametrize("case", CUSTOMER_CASES)
async def test_customer_filter(client: EnkashClient, case: str) -> None:
    everyone = await _customers(client)
    filters, matches = _customer_cases(everyone)[case]

    found = await _customers(client, filters)

    assert found, f"{case} found nothing"
    assert len(found) < len(everyone), f"{case} did not narrow the search"
    assert all(matches(c) for c in found), case
    assert {c.customer_id for c in found} == {c.customer_id for c in everyone if matches(c)}


async def test_customer_search_pages_of_50(client: EnkashClient) -> None:
    first = await client.search_customers(limit=50, order_by="customerId")
    assert len(first.items) == 50
    assert first.total is not None and first.total > 50
    assert first.has_more
    second = await client.search_customers(offset=50, limit=50, order_by="customerId")
    assert len(first.items) + len(second.items) == first.total
    ids = [c.customer_id for c in first.items + second.items]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert all(not c.deleted for c in first.items + second.items)

    by_name = await client.search_customers(limit=50, order_by="legalName", direction="DESC")
    names = [c.legal_name for c in by_name.items]
    assert names == sorted(names, reverse=True)


async def test_customer_limit_above_50_is_refused(shared_sandbox, make_client, wire) -> None:
    client = await make_client(shared_sandbox.url, transport=wire)
    with pytest.raises(ValidationError):
        await client.search_customers(limit=51)
    assert wire.api == []

    response = RawApi(shared_sandbox.url).call(
        "POST", "/api/v0/customer/search", params={"limit": 51}, json={}
    )
    assert response.status_code == 400
    assert response.json()["errorResponse"]["apiSubErrors"][0]["field"] == "limit"


async def test_customer_unknown_order_by(client: EnkashClient) -> None:
    with pytest.raises(ApiError) as refused:
        await client.search_customers(order_by="shoeSize")
    assert refused.value.error_type == ErrorType.VALIDATION_ERROR
    assert refused.value.errors_for("orderBy")


async def test_money_filters_are_exact_to_the_paisa(client: EnkashClient) -> None:
    customer_id = await Records.active_customer_id(client)
    mine = await client.create_invoice(Records.invoice(customer_id, base_amount=Decimal("1234.57")))
    near = InvoiceFilter(invoice_ids=[mine.invoice_id])

    exact = await client.search_invoices(
        near.model_copy(update={"net_amount_from": Decimal("1234.57")})
    )
    above = await client.search_invoices(
        near.model_copy(update={"net_amount_from": Decimal("1234.58")})
    )

    assert [r.invoice_id for r in exact.items] == [mine.invoice_id]
    assert above.items == []


async def test_the_first_page_carries_the_whole_results_balance(client: EnkashClient) -> None:
    filters = InvoiceFilter(receivable_statuses=["UNPAID", "PARTIALLY_PAID"])
    first = await client.search_invoices(filters, limit=50)
    assert first.total_balance is not None
    everything = [invoice async for invoice in client.iter_invoices(filters, page_size=200)]
    assert len(everything) == first.total
    assert first.total_balance == sum(
        (invoice.balance_amount or Decimal(0) for invoice in everything), start=Decimal(0)
    )
    later = await client.search_invoices(filters, offset=50, limit=50)
    assert later.total_balance is None  # only the first page pays for the sum
