"""The pass over the open invoices against a real sandbox: a page fetched now and read later is
the page a search gives; the walk reads every page off the event loop; the signed-in session runs
one pass however many ask (one walk's requests), keeps it on disk for the next sign-in, and
outlives whoever stops waiting for it."""

from __future__ import annotations

import asyncio
import math
import threading
from collections.abc import Iterable
from typing import Any

import httpx
import pytest

from enkash_tui import clock
from enkash_tui.api import EnkashClient, envelope
from enkash_tui.api.errors import NetworkError
from enkash_tui.api.models import Invoice, InvoiceFilter, SortDirection
from enkash_tui.api.retry import RetryPolicy
from enkash_tui.config import sandbox_profile
from enkash_tui.domain.invoices import OPEN, walk_open_invoices
from enkash_tui.domain.open_book import open_balances
from enkash_tui.local.open_book_cache import load_open_book
from enkash_tui.session import Session
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import open_book_pages

ENDS = (30, 60, 90)
MakeClient = Any
StartSandbox = Any


@pytest.fixture(scope="module")
def book_sandbox(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """More open invoices than one 1,000-invoice page holds."""
    from tests.support.sandboxes import start

    running = start(tmp_path_factory.mktemp("book") / "s.db", invoices=6000, customers=40)
    yield running
    running.stop()


async def test_a_page_fetched_now_and_read_later_is_the_page_a_search_gives(
    client: EnkashClient,
) -> None:
    options: dict[str, Any] = {"offset": 5, "limit": 40, "order_by": "dueDate",
                               "direction": SortDirection.ASC}  # fmt: skip
    filters = InvoiceFilter(receivable_statuses=OPEN)

    read = await client.fetch_invoice_page(filters, **options)
    searched = await client.search_invoices(filters, **options)

    page = await asyncio.to_thread(read)
    assert page == searched and len(page.items) == 40
    assert (page.offset, page.limit, page.total) == (5, 40, searched.total)


async def test_the_walk_reads_every_page_off_the_event_loop(
    book_sandbox: RunningSandbox, make_client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = await make_client(book_sandbox.url)
    loop_thread = threading.get_ident()
    decoded_in: list[int] = []
    added_in: list[int] = []
    real_loads = envelope.loads

    def loads(text: str | bytes) -> Any:
        decoded_in.append(threading.get_ident())
        return real_loads(text)

    def add(invoices: Iterable[Invoice]) -> None:
        added_in.append(threading.get_ident())
        assert all(isinstance(invoice, Invoice) for invoice in invoices)

    monkeypatch.setattr(envelope, "loads", loads)
    seen: list[tuple[int, int | None]] = []
    walked = await walk_open_invoices(client, add, lambda done, total: seen.append((done, total)))

    assert walked > 1000 and len(added_in) == math.ceil(walked / 1000) == len(seen)
    assert seen[-1] == (walked, walked)
    # Every page's JSON and models were read, and added up, beside the loop, never on it.
    assert len(decoded_in) == len(added_in)
    assert loop_thread not in decoded_in and loop_thread not in added_in


async def session_of(client: EnkashClient) -> Session:
    return Session(client, sandbox_profile(client.base_url), "demo@example.com")


async def test_the_session_runs_one_pass_however_many_ask_and_keeps_it_for_the_next_sign_in(
    book_sandbox: RunningSandbox, make_client: MakeClient, sent_requests: list[httpx.Request]
) -> None:
    session = await session_of(await make_client(book_sandbox.url))
    assert session.open_book() is None  # nothing on disk yet
    shown: list[tuple[int, int | None]] = []

    home, customers = await asyncio.gather(
        session.total_open_book(ENDS, lambda done, total: shown.append((done, total))),
        session.total_open_book(ENDS),
    )

    assert home is customers is session.open_book()
    assert session.book_pass is None
    pages = open_book_pages(sent_requests)
    assert len(pages) == math.ceil(home.walked / 1000) > 1  # one walk's requests, not two
    assert shown[-1] == (home.walked, home.walked)
    balances, walked = await open_balances(session.client, clock.today())
    assert (home.balances, home.walked) == (balances, walked)
    # The customer cache, when there is one, takes the balances of every pass.
    assert session.customers().balances == home.balances
    assert session.customers().balances_at == home.computed_at

    # The next sign-in finds it on disk, fresh: nothing is walked to show it.
    sent_requests.clear()
    later = await session_of(await make_client(book_sandbox.url))
    saved = later.open_book()
    assert saved is not None and saved.fresh(clock.today())
    assert (saved.computed_at, saved.balances) == (home.computed_at, home.balances)
    assert saved.aging.buckets == home.aging.buckets and saved.aging.top() == home.aging.top()
    assert later.customers().balances == home.balances
    assert open_book_pages(sent_requests) == []
    assert load_open_book(later.book_file()) is not None


async def test_a_pass_outlives_whoever_stops_waiting_and_ends_with_the_session(
    book_sandbox: RunningSandbox,
    make_client: MakeClient,
    sent_requests: list[httpx.Request],
    request: pytest.FixtureRequest,
) -> None:
    session = await session_of(await make_client(book_sandbox.url))
    # Every page a while away, so that the pass is still on its way when its waiter gives up.
    book_sandbox.faults.latency = 0.3
    request.addfinalizer(lambda: setattr(book_sandbox.faults, "latency", 0))
    walked: list[int] = []
    first = asyncio.ensure_future(session.total_open_book(ENDS, lambda d, t: walked.append(d)))
    while not walked or walked[-1] == 0:  # the first page is in
        await asyncio.sleep(0.01)
    shared = session.book_pass
    first.cancel()  # a screen's worker ends (Home left, r pressed again)
    with pytest.raises(asyncio.CancelledError):
        await first

    book = await session.total_open_book(ENDS)  # joined, not started again

    assert shared is not None and shared.task is not None and shared.task.done()
    assert book is shared.task.result()
    assert len(open_book_pages(sent_requests)) == math.ceil(book.walked / 1000)

    ending = asyncio.ensure_future(session.total_open_book(ENDS))
    await asyncio.sleep(0)
    running = session.book_pass
    assert running is not None and running.task is not None
    await session.close()
    with pytest.raises(asyncio.CancelledError):
        await ending
    assert running.task.cancelled()


async def test_a_failed_pass_fails_everyone_waiting_and_the_next_ask_starts_anew(
    start_sandbox: StartSandbox, make_client: MakeClient
) -> None:
    sandbox = start_sandbox()
    client = await make_client(sandbox.url, retry=RetryPolicy(attempts=1))
    session = await session_of(client)
    sandbox.stop()  # EnKash goes away

    results = await asyncio.gather(
        session.total_open_book(ENDS), session.total_open_book(ENDS), return_exceptions=True
    )

    assert all(isinstance(result, NetworkError) for result in results)
    assert session.book_pass is None and session.open_book() is None
    sandbox.restart()
    book = await session.total_open_book(ENDS)
    assert book.walked > 0 and session.open_book() is book
