"""Search result pages in whatever shape the server uses (enkash-ar-api.md §3.3)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from enkash_tui.api import envelope
from enkash_tui.api.errors import ResponseFormatError
from enkash_tui.api.models import Customer, Invoice
from enkash_tui.api.pages import Page, parse_page, walk_pages

NO_HEADERS = httpx.Headers()


def rows(*ids: str) -> list[dict[str, Any]]:
    return [{"invoiceId": invoice_id, "baseAmount": 1.5} for invoice_id in ids]


def ids(page: Page[Invoice]) -> list[str]:
    return [item.invoice_id for item in page.items]


def test_plain_list_with_total_count_header() -> None:
    headers = httpx.Headers({"X-Total-Count": "7"})
    page = parse_page(rows("A", "B"), headers, Invoice, offset=0, limit=2)
    assert ids(page) == ["A", "B"]
    assert all(isinstance(item, Invoice) for item in page.items)
    assert page.total == 7
    assert (page.offset, page.limit) == (0, 2)
    assert page.has_more
    assert page.next_offset == 2


def test_plain_list_header_lower_case_dict() -> None:
    page = parse_page(rows("A"), {"x-total-count": "1"}, Invoice, offset=0, limit=10)
    assert page.total == 1
    assert not page.has_more


def test_plain_list_without_header_has_no_total() -> None:
    page = parse_page(rows("A", "B"), NO_HEADERS, Invoice, offset=0, limit=5)
    assert page.total is None
    assert not page.has_more


def test_unreadable_total_header_ignored() -> None:
    headers = httpx.Headers({"X-Total-Count": "lots"})
    page = parse_page(rows("A"), headers, Invoice, offset=0, limit=1)
    assert page.total is None


def test_spring_page_content_total_elements() -> None:
    payload = {"content": rows("A", "B", "C"), "totalElements": 3, "size": 3, "number": 0}
    page = parse_page(payload, NO_HEADERS, Invoice, offset=0, limit=3)
    assert ids(page) == ["A", "B", "C"]
    assert page.total == 3
    assert not page.has_more


def test_data_and_total() -> None:
    page = parse_page({"data": rows("A"), "total": 9}, NO_HEADERS, Invoice, offset=4, limit=1)
    assert ids(page) == ["A"]
    assert page.total == 9
    assert page.next_offset == 5
    assert page.has_more


def test_body_total_overrides_header() -> None:
    headers = httpx.Headers({"X-Total-Count": "100"})
    page = parse_page({"data": rows("A"), "total": 1}, headers, Invoice, offset=0, limit=1)
    assert page.total == 1


@pytest.mark.parametrize(
    "key", ["content", "data", "list", "records", "items", "invoices", "customers"]
)
def test_known_list_keys(key: str) -> None:
    page = parse_page({key: rows("A", "B")}, NO_HEADERS, Invoice, offset=0, limit=10)
    assert ids(page) == ["A", "B"]


def test_invoices_key_without_total() -> None:
    page = parse_page({"invoices": rows("A")}, NO_HEADERS, Invoice, offset=0, limit=1)
    assert ids(page) == ["A"]
    assert page.total is None
    assert page.has_more  # a full page with no total may have more


@pytest.mark.parametrize("key", ["totalElements", "totalCount", "count", "total"])
def test_known_total_keys(key: str) -> None:
    page = parse_page({"content": rows("A"), key: "12"}, NO_HEADERS, Invoice, offset=0, limit=1)
    assert page.total == 12


def test_customers_page() -> None:
    payload = {"customers": [{"customerId": "KC1A2B3C4D5E6F7G", "customerStatus": "ACTIVE"}]}
    page = parse_page(payload, NO_HEADERS, Customer, offset=0, limit=50)
    assert [c.customer_id for c in page.items] == ["KC1A2B3C4D5E6F7G"]
    assert page.items[0].status == "ACTIVE"


def test_none_payload_is_empty_page() -> None:
    page = parse_page(None, NO_HEADERS, Invoice, offset=0, limit=10)
    assert page.items == []
    assert not page.has_more
    assert page.next_offset == 0


def test_empty_list_is_empty_page() -> None:
    page = parse_page([], httpx.Headers({"X-Total-Count": "0"}), Invoice, offset=0, limit=10)
    assert page.items == []
    assert page.total == 0
    assert not page.has_more


@pytest.mark.parametrize(
    "payload",
    [{}, {"message": "no results"}, {"content": None, "total": 0}, {"data": "A,B"}],
)
def test_dict_without_list_is_format_error(payload: Any) -> None:
    with pytest.raises(ResponseFormatError):
        parse_page(payload, NO_HEADERS, Invoice, offset=0, limit=10)


@pytest.mark.parametrize("payload", ["A,B", 5, True])
def test_non_list_payload_is_format_error(payload: Any) -> None:
    with pytest.raises(ResponseFormatError):
        parse_page(payload, NO_HEADERS, Invoice, offset=0, limit=10)


def test_amounts_in_rows_stay_decimal() -> None:
    payload = envelope.loads('[{"invoiceId":"A","balanceAmount":0.1}]')
    page = parse_page(payload, NO_HEADERS, Invoice, offset=0, limit=10)
    assert str(page.items[0].balance_amount) == "0.1"


# --- has_more / next_offset ----------------------------------------------------------------------


def make(n: int, *, offset: int = 0, limit: int = 10, total: int | None = None) -> Page[Invoice]:
    items = [Invoice(invoice_id=f"I{offset + i}") for i in range(n)]
    return Page(items, offset, limit, total)


def test_has_more_with_total() -> None:
    assert make(10, offset=0, total=25).has_more
    assert make(10, offset=10, total=25).has_more
    assert not make(5, offset=20, total=25).has_more
    assert not make(10, offset=0, total=10).has_more
    # A total says more even after a short page.
    assert make(3, offset=0, total=25).has_more


def test_has_more_without_total() -> None:
    assert make(10, limit=10).has_more
    assert not make(9, limit=10).has_more
    assert not make(0, limit=10).has_more
    assert not make(0, limit=0).has_more


def test_next_offset() -> None:
    assert make(10, offset=0).next_offset == 10
    assert make(4, offset=30).next_offset == 34
    assert make(0, offset=30).next_offset == 30


# --- walk_pages --------------------------------------------------------------------------------


class Server:
    """Serves ``count`` invoices in pages of ``limit``; optionally tells the total."""

    def __init__(self, count: int, limit: int, *, with_total: bool) -> None:
        self.rows = rows(*(f"I{n:03d}" for n in range(count)))
        self.limit = limit
        self.with_total = with_total
        self.offsets: list[int] = []

    async def fetch(self, offset: int) -> Page[Invoice]:
        self.offsets.append(offset)
        chunk = self.rows[offset : offset + self.limit]
        headers = httpx.Headers({"X-Total-Count": str(len(self.rows))} if self.with_total else {})
        return parse_page(chunk, headers, Invoice, offset=offset, limit=self.limit)


async def collect(server: Server, start: int = 0) -> list[str]:
    return [item.invoice_id async for item in walk_pages(server.fetch, start)]


@pytest.mark.parametrize("with_total", [True, False])
async def test_walk_pages_yields_everything_and_stops_on_short_page(with_total: bool) -> None:
    server = Server(23, 10, with_total=with_total)
    assert await collect(server) == [f"I{n:03d}" for n in range(23)]
    assert server.offsets == [0, 10, 20]


async def test_walk_pages_exact_multiple_with_total_needs_no_extra_call() -> None:
    server = Server(20, 10, with_total=True)
    assert len(await collect(server)) == 20
    assert server.offsets == [0, 10]


async def test_walk_pages_exact_multiple_without_total_stops_on_empty_page() -> None:
    server = Server(20, 10, with_total=False)
    assert len(await collect(server)) == 20
    assert server.offsets == [0, 10, 20]


async def test_walk_pages_empty() -> None:
    server = Server(0, 10, with_total=False)
    assert await collect(server) == []
    assert server.offsets == [0]


async def test_walk_pages_from_start_offset() -> None:
    server = Server(15, 5, with_total=True)
    assert await collect(server, start=10) == [f"I{n:03d}" for n in range(10, 15)]
    assert server.offsets == [10]


async def test_walk_pages_stops_when_total_lies() -> None:
    # The server claims more than it serves: an empty page must still end the walk.
    async def fetch(offset: int) -> Page[Invoice]:
        items = [Invoice(invoice_id="only")] if offset == 0 else []
        return Page(items, offset, 1, total=1000)

    assert [item.invoice_id async for item in walk_pages(fetch)] == ["only"]


# --- rows and totals that cannot be ---------------------------------------------------------------


def test_more_rows_than_the_limit_is_refused_before_reading_them() -> None:
    from enkash_tui.api.errors import ResponseTooLargeError

    with pytest.raises(ResponseTooLargeError, match="3 results for a page of at most 2"):
        parse_page(rows("A", "B", "C"), NO_HEADERS, Invoice, offset=0, limit=2)
    # Rows are counted before they are validated: a flood of junk costs no parsing.
    with pytest.raises(ResponseTooLargeError):
        parse_page([None] * 50, NO_HEADERS, Invoice, offset=0, limit=5)


@pytest.mark.parametrize(
    "payload, headers",
    [
        ({"content": [], "totalElements": -1}, NO_HEADERS),
        ([], httpx.Headers({"X-Total-Count": "-3"})),
        ({"content": [], "total": 2**31}, NO_HEADERS),
    ],
)
def test_a_total_that_is_no_count_is_refused(payload: Any, headers: httpx.Headers) -> None:
    with pytest.raises(ResponseFormatError, match="results"):
        parse_page(payload, headers, Invoice, offset=0, limit=10)


def test_an_infinite_total_reads_as_none() -> None:
    page = parse_page(envelope.loads('{"content": [], "total": Infinity}'), NO_HEADERS, Invoice,
                      offset=0, limit=10)  # fmt: skip
    assert page.total is None
