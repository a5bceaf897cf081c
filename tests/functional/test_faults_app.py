"""The app against a misbehaving EnKash: the sandbox's fault knobs (latency, 500/503 bursts, 429s,
short-lived tokens), a server restarted mid-session, and a TCP proxy that loses replies.

For each fault: the app stays responsive, says what happened, retries only what is safe and loses
nothing the user typed. A dispatch or payment confirmation whose reply was lost is reported as of
unknown outcome, re-checked from the server, and never sent again by itself.

The knobs of a running sandbox are changed through its ``Faults`` object (``faults_of``), so a
burst can start after signing in and end on cue. ``LossyProxy`` sits between the app and a sandbox
and, for a chosen request, closes the app's connection before forwarding it (``before``) or after
the sandbox has answered, with only part of the reply sent on (``after``).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import io
import json
import socket
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
from rich.console import Console
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from enkash_tui.api import EnkashClient
from enkash_tui.api.models import CustomerFilter, Invoice, InvoiceFilter
from enkash_tui.app import EnkashApp
from enkash_tui.invoice_queries import BY_KEY
from enkash_tui.local.action_log import ActionLog
from enkash_tui.sandbox.faults import Faults
from enkash_tui.sandbox.server import SandboxServer
from enkash_tui.sandbox_demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME
from enkash_tui.widgets.session_header import SessionHeader
from screens.batch_actions import BatchConfirm, BatchReport
from screens.bc_actions import PaymentConfirm, StatusChange
from screens.bharat_connect import BharatConnectScreen
from screens.customer_form import CustomerForm
from screens.customer_rows import ContactRow
from screens.help import HelpScreen
from screens.home import HomeScreen
from screens.invoice_form import InvoiceForm
from screens.invoice_view import today
from screens.invoices import PAGE_SIZE, InvoicesScreen
from screens.modals import ReloginModal

SignIn = Callable[[Pilot[Any]], Awaitable[None]]
WaitUntil = Callable[..., Awaitable[None]]
OpenScreen = Callable[[Pilot[Any]], Awaitable[Any]]
MakeApp = Callable[..., EnkashApp]

SIZE = (130, 44)
SEARCH = "/api/v0/invoice/search"
DISPATCH = "/api/v0/invoice/bulk/dispatch"
CONFIRM = "/api/v0/invoice/payment-confirmation"
CUSTOMER = "/api/v0/customer"
STATUS = "/api/v0/invoice/change-status"
TOKEN = "/oauth/token"


# -- helpers ----------------------------------------------------------------------------------


def faults_of(running: Any) -> Faults:
    """The live fault knobs of a running sandbox (its Starlette app's shared ``Sandbox``)."""
    sandbox_server: SandboxServer = running.server
    faults: Faults = sandbox_server._server.config.app.state.sandbox.faults
    return faults


class Burst:
    """failure_rate=1 until ``failures`` injected 500/503s have been answered, then 0 (None:
    until ended by hand). Counted on the server's thread, so the end is exact."""

    def __init__(self, faults: Faults, failures: int | None) -> None:
        self.faults = faults
        self.failures = failures
        self.statuses: list[int] = []
        self._original = faults.failure_status
        faults.failure_status = self._status  # type: ignore[method-assign]
        faults.failure_rate = 1.0

    def _status(self) -> int | None:
        status = self._original()
        if status is not None:
            self.statuses.append(status)
            if self.failures is not None and len(self.statuses) >= self.failures:
                self.end()
        return status

    def end(self) -> None:
        self.faults.failure_rate = 0.0
        self.faults.failure_status = self._original  # type: ignore[method-assign]


class RateLimitLog:
    """Every 429 the sandbox answers: (monotonic time, Retry-After it asked for)."""

    def __init__(self, faults: Faults, per_second: float) -> None:
        self.limited: list[tuple[float, float]] = []
        self.passed: list[float] = []
        self._original = faults.retry_after
        faults.retry_after = self._retry_after  # type: ignore[method-assign]
        faults.rate_limit = per_second

    def _retry_after(self, token: str) -> float | None:
        wait = self._original(token)
        now = time.monotonic()
        if wait is None:
            self.passed.append(now)
        else:
            self.limited.append((now, wait))
        return wait


def requests_to(sent: list[httpx.Request], path: str, method: str = "POST") -> list[httpx.Request]:
    return [r for r in sent if r.url.path == path and r.method == method]


def page_searches(sent: list[httpx.Request]) -> list[httpx.Request]:
    """Searches for a page of the invoice list (the Home tiles ask for one row, aging for 1000)."""
    return [r for r in requests_to(sent, SEARCH) if r.url.params.get("limit") == str(PAGE_SIZE)]


def render(renderable: Any) -> str:
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def texts(screen: Any) -> str:
    """Every Static of a screen, Rich tables included, as plain text with single spaces."""
    return " ".join(" ".join(render(w.content) for w in screen.query(Static)).split())


def header_text(app: EnkashApp) -> str:
    """The header of the section screen under any modal."""
    screen = next(s for s in reversed(app.screen_stack) if s.query(SessionHeader))
    return str(screen.query_one(SessionHeader).render())


def error_notes(app: EnkashApp) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications if n.severity == "error"]


def notes(app: EnkashApp) -> list[str]:
    return [f"{n.title}: {n.message}" for n in app._notifications]


def summary(screen: InvoicesScreen) -> str:
    return render(screen.query_one("#summary", Static).content)


async def settle_home(pilot: Pilot[Any], wait_until: WaitUntil) -> None:
    """Sign-in lands on Home, which loads its tiles and aging: let that finish, so its searches
    do not meet the faults a test injects afterwards."""
    home = pilot.app.screen
    assert isinstance(home, HomeScreen)
    await wait_until(
        pilot,
        lambda: (
            home.aging is not None
            and not home.computing
            and all(v.found is not None or v.problem for v in home.tiles)
        ),
        what="Home's tiles and aging",
    )


async def open_invoices_settled(
    pilot: Pilot[Any], sign_in: SignIn, open_invoices: OpenScreen, wait_until: WaitUntil
) -> InvoicesScreen:
    await sign_in(pilot)
    await settle_home(pilot, wait_until)
    screen: InvoicesScreen = await open_invoices(pilot)
    return screen


async def load_preset(pilot: Pilot[Any], screen: InvoicesScreen, key: str, wait: WaitUntil) -> None:
    await pilot.press(key)
    await wait(pilot, lambda: screen.rows.total is not None, what=f"preset {key}'s first page")
    await pilot.pause()


class Server:
    """A signed-in client of its own on the same sandbox (not through any proxy), to check."""

    def __init__(self, url: str) -> None:
        self.client = EnkashClient(url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET)

    async def __aenter__(self) -> EnkashClient:
        await self.client.login(DEMO_USERNAME, DEMO_PASSWORD)
        return self.client

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def dispatch_log_outcomes() -> list[str]:
    return [e.outcome for e in ActionLog().read() if e.operation == "dispatch_invoices"]


# -- a proxy that loses replies ---------------------------------------------------------------


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"transfer-encoding":
            raise AssertionError("the proxy only understands Content-Length bodies")
        if name.strip().lower() == b"content-length":
            return int(value.strip())
    return 0


class LossyProxy:
    """HTTP/1.1 between the app and a sandbox, on the test's event loop. Every request is
    counted as received (``seen``) and as forwarded to the sandbox (``forwarded``). A request
    matching the next armed rule (``lose``: one-shot, fired in order) has its connection closed
    ``before`` it is forwarded, or ``after`` the sandbox has answered, with only the first bytes
    of the reply sent on."""

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self.seen: list[tuple[str, str]] = []
        self.forwarded: list[tuple[str, str]] = []
        self.lost: list[tuple[str, str, str]] = []
        self._rules: list[tuple[str, str, str]] = []
        self._writers: set[asyncio.StreamWriter] = set()
        self._server: asyncio.Server | None = None
        self.url = ""

    async def start(self) -> LossyProxy:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()
        if self._server is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._server.wait_closed(), 2)

    def lose(self, method: str, path: str, when: str) -> None:
        assert when in ("before", "after")
        self._rules.append((method, path, when))

    def count(self, method: str, path: str) -> int:
        return self.forwarded.count((method, path))

    def _take_rule(self, method: str, path: str) -> str | None:
        # Armed rules fire in order: the second waits until the first has fired.
        if self._rules and self._rules[0][:2] == (method, path):
            return self._rules.pop(0)[2]
        return None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        upstream: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                body = await reader.readexactly(_content_length(head))
                method, target, _ = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
                request = (method, urlsplit(target).path)
                self.seen.append(request)
                when = self._take_rule(*request)
                if when == "before":
                    self.lost.append((*request, when))
                    return
                if upstream is None:
                    upstream = await asyncio.open_connection(*self.upstream)
                up_reader, up_writer = upstream
                up_writer.write(head + body)
                await up_writer.drain()
                self.forwarded.append(request)
                reply_head = await up_reader.readuntil(b"\r\n\r\n")
                reply_body = await up_reader.readexactly(_content_length(reply_head))
                if when == "after":
                    self.lost.append((*request, when))
                    writer.write(reply_head[:12])  # "HTTP/1.1 200", then the line goes dead
                    await writer.drain()
                    return
                writer.write(reply_head + reply_body)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            self._writers.discard(writer)
            writer.close()
            if upstream is not None:
                upstream[1].close()


# -- 1. latency -------------------------------------------------------------------------------


async def test_during_a_slow_search_keys_are_handled_at_once_and_the_results_then_arrive(
    start_sandbox: Callable[..., Any],
    make_app: MakeApp,
    sign_in: SignIn,
    open_invoices: OpenScreen,
    wait_until: WaitUntil,
) -> None:
    sandbox = start_sandbox()
    app = make_app(url=sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_invoices_settled(pilot, sign_in, open_invoices, wait_until)
        faults_of(sandbox).latency = 0.8

        started = time.monotonic()
        await pilot.press("2")
        assert screen.query_spec.label == "Overdue"
        assert screen.rows.total is None and "loading" in summary(screen)
        # Changing one's mind mid-search: the new preset is taken at once.
        await pilot.press("3")
        assert screen.query_spec.label == "Due this week"
        assert "Due this week" in summary(screen)
        # Help opens while both slow searches are still out.
        asked = time.monotonic()
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        assert time.monotonic() - asked < 0.4
        assert screen.rows.total is None, "the slow reply had already landed: nothing measured"
        await pilot.press("escape")
        assert app.screen is screen

        await wait_until(pilot, lambda: screen.rows.total is not None, what="the slow results")
        assert time.monotonic() - started >= 0.8
        assert screen.query_spec.label == "Due this week"  # the overtaken search did not win
        async with Server(sandbox.url) as client:
            query = BY_KEY["3"].build(today())
            expected = await client.search_invoices(
                query.filters, limit=PAGE_SIZE, order_by=query.order_by, direction=query.direction
            )
        assert screen.rows.total == expected.total
        assert [row.invoice_id for _, row in screen.rows.loaded()] == [
            i.invoice_id for i in expected.items
        ]
        assert not error_notes(app)
        assert "online" in header_text(app)


# -- 2. 500/503 bursts ------------------------------------------------------------------------


async def test_a_search_is_retried_through_a_short_5xx_burst_and_a_long_one_is_reported(
    start_sandbox: Callable[..., Any],
    make_app: MakeApp,
    sign_in: SignIn,
    open_invoices: OpenScreen,
    wait_until: WaitUntil,
    sent_requests: list[httpx.Request],
) -> None:
    sandbox = start_sandbox()
    app = make_app(url=sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_invoices_settled(pilot, sign_in, open_invoices, wait_until)
        faults = faults_of(sandbox)
        expected = screen.rows.total

        # Two failures, then the burst ends: the third try (RetryPolicy's last) gets through.
        before = len(page_searches(sent_requests))
        burst = Burst(faults, failures=2)
        await pilot.press("r")
        await wait_until(pilot, lambda: screen.rows.total is not None, what="the retried search")
        assert len(burst.statuses) == 2 and set(burst.statuses) <= {500, 503}
        assert len(page_searches(sent_requests)) - before == 3
        assert screen.rows.total == expected
        assert "could not load" not in summary(screen)
        assert not error_notes(app)

        # A burst longer than the retries: three tries, then the failure is shown, not hidden.
        before = len(page_searches(sent_requests))
        burst = Burst(faults, failures=None)
        await pilot.press("r")
        await wait_until(pilot, lambda: "could not load" in summary(screen), what="the failure")
        assert len(page_searches(sent_requests)) - before == 3
        assert any("EnKash server error" in note for note in error_notes(app))
        assert app.is_running and app.screen is screen
        await pilot.press("f1")  # still answering keys
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")

        burst.end()
        await pilot.press("r")
        await wait_until(pilot, lambda: screen.rows.total == expected, what="the list back")
        assert "could not load" not in summary(screen)


async def test_an_invoice_edit_during_a_5xx_burst_is_sent_once_and_the_form_keeps_the_edit(
    start_sandbox: Callable[..., Any],
    make_app: MakeApp,
    sign_in: SignIn,
    open_invoices: OpenScreen,
    wait_until: WaitUntil,
    sent_requests: list[httpx.Request],
) -> None:
    sandbox = start_sandbox()
    app = make_app(url=sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_invoices_settled(pilot, sign_in, open_invoices, wait_until)
        invoice = screen.table.current
        assert invoice is not None
        path = f"/api/v0/invoice/{invoice.invoice_id}"
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, InvoiceForm), what="the form")
        form = app.screen
        assert isinstance(form, InvoiceForm)
        form.query_one("#po_number", Input).value = "PO-DURING-BURST"
        form.query_one("#description", Input).value = "typed while EnKash failed"

        burst = Burst(faults_of(sandbox), failures=None)
        form.query_one("#due_date", Input).focus()
        await pilot.press("enter")
        status = form.query_one("#form-status", Static)
        await wait_until(pilot, lambda: "Not saved" in render(status.content), what="the refusal")
        assert len(requests_to(sent_requests, path, "PATCH")) == 1  # a change is never retried
        assert len(burst.statuses) == 1
        said = render(status.content)
        assert "Injected failure" in said and "request" in said  # what happened, with its id
        assert app.screen is form
        assert form.query_one("#po_number", Input).value == "PO-DURING-BURST"
        assert form.query_one("#description", Input).value == "typed while EnKash failed"
        assert form.dirty

        burst.end()
        await pilot.press("enter")  # the user sends it again, once the burst is over
        await wait_until(pilot, lambda: app.screen is screen, what="the form to close")
        assert len(requests_to(sent_requests, path, "PATCH")) == 2
        async with Server(sandbox.url) as client:
            saved = await client.get_invoice(invoice.invoice_id)
        assert saved.po_number == "PO-DURING-BURST"


async def test_a_customer_create_during_a_5xx_burst_is_sent_once_and_creates_one_customer(
    start_sandbox: Callable[..., Any],
    make_app: MakeApp,
    sign_in: SignIn,
    open_customers: OpenScreen,
    wait_until: WaitUntil,
    sent_requests: list[httpx.Request],
) -> None:
    sandbox = start_sandbox()
    app = make_app(url=sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await settle_home(pilot, wait_until)
        screen = await open_customers(pilot)
        await pilot.press("down", "n")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerForm), what="the form")
        form = app.screen
        assert isinstance(form, CustomerForm)
        form.query_one("#customer-fields #legal_name", Input).value = "Burst Proof Traders"
        contact = form.query_one(ContactRow)
        contact.query_one("#name", Input).value = "Asha Rao"
        contact.query_one("#mobile", Input).value = "9812345678"
        contact.query_one("#email", Input).value = "asha@burst.test"
        await pilot.pause()

        burst = Burst(faults_of(sandbox), failures=None)
        form.action_save()
        status = form.query_one("#form-status", Static)
        await wait_until(pilot, lambda: "Not saved" in render(status.content), what="the refusal")
        assert len(requests_to(sent_requests, CUSTOMER)) == 1
        assert "Injected failure" in render(status.content)
        assert app.screen is form
        assert form.query_one("#customer-fields #legal_name", Input).value == "Burst Proof Traders"
        assert contact.query_one("#mobile", Input).value == "9812345678"
        assert contact.query_one("#email", Input).value == "asha@burst.test"

        burst.end()
        form.action_save()
        await wait_until(pilot, lambda: app.screen is screen, what="the form to close")
        assert len(requests_to(sent_requests, CUSTOMER)) == 2
        async with Server(sandbox.url) as client:
            found = await client.search_customers(CustomerFilter(legal_name="Burst Proof"))
        assert [c.legal_name for c in found.items] == ["Burst Proof Traders"]


# -- 3. 429 -----------------------------------------------------------------------------------


async def test_a_rate_limited_search_waits_the_retry_after_and_succeeds(
    start_sandbox: Callable[..., Any],
    make_app: MakeApp,
    sign_in: SignIn,
    open_invoices: OpenScreen,
    wait_until: WaitUntil,
) -> None:
    sandbox = start_sandbox()
    app = make_app(url=sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_invoices_settled(pilot, sign_in, open_invoices, wait_until)
        limits = RateLimitLog(faults_of(sandbox), per_second=1)
        await pilot.press("r")
        await wait_until(pilot, lambda: bool(limits.passed), what="the one call this second")
        await pilot.press("2")  # over the limit: 429 with a Retry-After of about a second
        await wait_until(pilot, lambda: bool(limits.limited), what="a 429")
        assert screen.rows.total is None  # still waiting, not failed
        await wait_until(
            pilot, lambda: screen.rows.total is not None, timeout=5, what="the waited-out search"
        )
        first_429, asked = limits.limited[0]
        assert 0.5 < asked <= 1.0
        # The next call let through came no sooner than the server asked (the client's own
        # first backoff, 0.25 s, would have been too early).
        assert limits.passed[-1] - first_429 >= asked - 0.05
        assert screen.query_spec.label == "Overdue" and "could not load" not in summary(screen)
        assert not error_notes(app)


async def test_bharat_connect_loads_every_queue_through_a_429_burst(
    start_sandbox: Callable[..., Any],
    make_app: MakeApp,
    sign_in: SignIn,
    wait_until: WaitUntil,
) -> None:
    sandbox = start_sandbox()
    app = make_app(url=sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await settle_home(pilot, wait_until)
        # Seven searches at once (six queue counts and the open queue) against four a second.
        limits = RateLimitLog(faults_of(sandbox), per_second=4)
        await pilot.press("f6")
        screen = app.screen
        assert isinstance(screen, BharatConnectScreen)
        await wait_until(
            pilot,
            lambda: screen.loaded_at is not None and None not in screen.counts.values(),
            timeout=8,
            what="every queue through the 429s",
        )
        assert len(limits.limited) >= 3
        assert not screen._problem
        assert not error_notes(app)
        async with Server(sandbox.url) as client:
            from enkash_tui.bc_queues import QUEUES

            for queue in QUEUES:
                page = await client.search_invoices(queue.filters, limit=1)
                assert screen.counts[queue.key] == page.total, queue.label


# -- 4. a reply lost mid-response -------------------------------------------------------------


async def proxied_app(
    start_sandbox: Callable[..., Any], make_app: MakeApp
) -> tuple[Any, LossyProxy, EnkashApp]:
    sandbox = start_sandbox()
    proxy = await LossyProxy(sandbox.url).start()
    return sandbox, proxy, make_app(url=proxy.url)


async def dispatch_two(
    pilot: Pilot[Any], screen: InvoicesScreen, wait_until: WaitUntil
) -> list[Invoice]:
    """Mark the first two undispatched invoices and confirm their dispatch."""
    await load_preset(pilot, screen, "4", wait_until)
    picked = [screen.table.source.row(0), screen.table.source.row(1)]
    assert all(row is not None and not row.dispatched for row in picked)
    await pilot.press("space", "space", "s")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, BatchConfirm), what="confirm")
    await pilot.press("y")
    return [row for row in picked if row is not None]


def rechecked(sent: list[httpx.Request], ids: list[str]) -> bool:
    """A search for exactly these invoices went out after the dispatch."""
    dispatched_at = max(n for n, r in enumerate(sent) if r.url.path == DISPATCH)
    return any(
        sorted(json.loads(r.content or b"{}").get("invoiceIds") or []) == sorted(ids)
        for r in sent[dispatched_at + 1 :]
        if r.url.path == SEARCH
    )


async def test_a_dispatch_whose_reply_is_lost_is_reported_unknown_rechecked_and_not_resent(
    start_sandbox: Callable[..., Any],
    make_app: MakeApp,
    sign_in: SignIn,
    open_invoices: OpenScreen,
    wait_until: WaitUntil,
    sent_requests: list[httpx.Request],
) -> None:
    sandbox, proxy, app = await proxied_app(start_sandbox, make_app)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_invoices_settled(pilot, sign_in, open_invoices, wait_until)
            proxy.lose("POST", DISPATCH, "after")  # EnKash dispatches; its reply never arrives
            picked = await dispatch_two(pilot, screen, wait_until)
            ids = [i.invoice_id for i in picked]
            await wait_until(
                pilot, lambda: isinstance(app.screen, BatchReport), what="the dispatch report"
            )
            report = texts(app.screen)
            assert proxy.lost == [("POST", DISPATCH, "after")]
            # Said as unknown, then as EnKash has it now: both dispatched, found by asking.
            assert "unknown" in report.lower(), report
            assert "lost" in report.lower(), report
            assert "Dispatch: 2 done" in report and "2 done, " not in report, report
            assert report.count("checked after the reply was lost") == 2, report
            assert rechecked(sent_requests, ids)
            await pilot.press("escape")
            await wait_until(pilot, lambda: screen.rows.total is not None, what="the refresh")
            assert not screen.marks.picked
            # Sent once: one dispatch reached EnKash, and the app sent no other.
            assert proxy.count("POST", DISPATCH) == 1
            assert len(requests_to(sent_requests, DISPATCH)) == 1
            assert dispatch_log_outcomes() == ["unknown"]
            assert app.is_running
        async with Server(sandbox.url) as client:
            for invoice_id in ids:
                assert (await client.get_invoice(invoice_id)).dispatched
    finally:
        await proxy.stop()


async def test_a_dispatch_lost_before_reaching_enkash_is_rechecked_as_not_done_and_stays_marked(
    start_sandbox: Callable[..., Any],
    make_app: MakeApp,
    sign_in: SignIn,
    open_invoices: OpenScreen,
    wait_until: WaitUntil,
    sent_requests: list[httpx.Request],
) -> None:
    sandbox, proxy, app = await proxied_app(start_sandbox, make_app)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_invoices_settled(pilot, sign_in, open_invoices, wait_until)
            proxy.lose("POST", DISPATCH, "before")  # the line drops before EnKash sees it
            picked = await dispatch_two(pilot, screen, wait_until)
            ids = [i.invoice_id for i in picked]
            await wait_until(
                pilot, lambda: isinstance(app.screen, BatchReport), what="the dispatch report"
            )
            report = texts(app.screen)
            assert "unknown" in report.lower(), report
            assert "0 done, 2 failed" in report, report
            assert report.count("not dispatched") == 2, report
            assert rechecked(sent_requests, ids)
            await pilot.press("escape")
            await pilot.pause()
            assert set(screen.marks.picked) == set(ids)  # left marked, to send again by choice
            assert proxy.count("POST", DISPATCH) == 0
            assert len(requests_to(sent_requests, DISPATCH)) == 1
            assert dispatch_log_outcomes() == ["unknown"]
        async with Server(sandbox.url) as client:
            for invoice_id in ids:
                assert not (await client.get_invoice(invoice_id)).dispatched
    finally:
        await proxy.stop()


async def test_a_lost_dispatch_reply_whose_recheck_also_fails_is_reported_unknown(
    start_sandbox: Callable[..., Any],
    make_app: MakeApp,
    sign_in: SignIn,
    open_invoices: OpenScreen,
    wait_until: WaitUntil,
    sent_requests: list[httpx.Request],
) -> None:
    _sandbox, proxy, app = await proxied_app(start_sandbox, make_app)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_invoices_settled(pilot, sign_in, open_invoices, wait_until)
            proxy.lose("POST", DISPATCH, "after")
            proxy.lose("POST", SEARCH, "before")  # then the re-check is lost as well
            await dispatch_two(pilot, screen, wait_until)
            await wait_until(
                pilot,
                lambda: any("Connection problem" in note for note in error_notes(app)),
                what="the connection problem",
            )
            await pilot.pause(0.3)
            said = " ".join(error_notes(app))
            assert "may or may not have been applied" in said, said
            assert not isinstance(app.screen, BatchReport)  # no "done" or "failed" claimed
            assert proxy.count("POST", DISPATCH) == 1
            assert len(requests_to(sent_requests, DISPATCH)) == 1
            assert dispatch_log_outcomes() == ["unknown"]
            assert app.is_running
    finally:
        await proxy.stop()


async def open_payment_confirmation(
    pilot: Pilot[Any], sign_in: SignIn, wait_until: WaitUntil
) -> tuple[BharatConnectScreen, PaymentConfirm, Invoice]:
    """F6, queue 1, the first invoice whose reported payment covers it alone, then c."""
    await sign_in(pilot)
    await settle_home(pilot, wait_until)
    await pilot.press("f6")
    screen = pilot.app.screen
    assert isinstance(screen, BharatConnectScreen)
    await wait_until(
        pilot,
        lambda: screen.loaded_at is not None and None not in screen.counts.values(),
        what="queue 1",
    )
    assert screen.queue.key == "1"

    def payment(invoice: Invoice) -> str:
        assert invoice.bharat_connect and invoice.bharat_connect.reported_payment
        return invoice.bharat_connect.reported_payment.payment_id

    ids = [payment(i) for i in screen.rows]
    target = next(i for i in screen.rows if ids.count(payment(i)) == 1)
    await pilot.press("home")
    while screen.table.current is not None and screen.table.current is not target:
        assert screen.table.cursor < len(screen.rows) - 1
        await pilot.press("down")
    await pilot.press("c")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, PaymentConfirm), what="modal")
    modal = pilot.app.screen
    assert isinstance(modal, PaymentConfirm)
    await pilot.pause()
    await pilot.press(*"Received by NEFT")
    assert modal.query_one("#remarks", Input).value == "Received by NEFT"
    return screen, modal, target


def modal_status(modal: PaymentConfirm | StatusChange) -> str:
    return " ".join(render(modal.query_one("#action-status", Static).content).split())


def modal_result(modal: PaymentConfirm | StatusChange) -> str:
    return " ".join(render(modal.query_one("#action-result", Static).content).split())


async def test_a_payment_confirmation_whose_reply_is_lost_is_reported_unknown_and_rechecked(
    start_sandbox: Callable[..., Any],
    make_app: MakeApp,
    sign_in: SignIn,
    wait_until: WaitUntil,
    sent_requests: list[httpx.Request],
) -> None:
    sandbox, proxy, app = await proxied_app(start_sandbox, make_app)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen, modal, target = await open_payment_confirmation(pilot, sign_in, wait_until)
            proxy.lose("POST", CONFIRM, "after")
            await pilot.press("enter")
            await wait_until(
                pilot,
                lambda: modal.done is not None or "unknown" in modal_status(modal).lower(),
                what="the confirmation's outcome",
            )
            await pilot.pause(0.2)
            said, result = modal_status(modal), modal_result(modal)
            assert proxy.lost == [("POST", CONFIRM, "after")]
            assert "unknown" in said.lower(), said
            assert "done" in result and "FAILED" not in result, result  # found by re-checking
            assert "checked after the reply was lost" in result, result
            assert modal.query_one("#send", Button).disabled  # no second send from here
            assert proxy.count("POST", CONFIRM) == 1
            assert len(requests_to(sent_requests, CONFIRM)) == 1
            await pilot.press("escape")
            await wait_until(
                pilot,
                lambda: (
                    app.screen is screen
                    and target.invoice_id not in [i.invoice_id for i in screen.rows]
                ),
                what="the answered payment to leave queue 1",
            )
            assert proxy.count("POST", CONFIRM) == 1
            outcomes = [e.outcome for e in ActionLog().read() if e.operation == "confirm_payment"]
            assert outcomes == ["unknown"]
        async with Server(sandbox.url) as client:
            after = await client.get_invoice(target.invoice_id)
        assert after.bharat_connect is not None and after.bharat_connect.reported_payment is None
    finally:
        await proxy.stop()


async def test_a_payment_confirmation_lost_before_enkash_is_rechecked_as_still_waiting(
    start_sandbox: Callable[..., Any],
    make_app: MakeApp,
    sign_in: SignIn,
    wait_until: WaitUntil,
    sent_requests: list[httpx.Request],
) -> None:
    sandbox, proxy, app = await proxied_app(start_sandbox, make_app)
    try:
        async with app.run_test(size=SIZE) as pilot:
            _screen, modal, target = await open_payment_confirmation(pilot, sign_in, wait_until)
            proxy.lose("POST", CONFIRM, "before")
            await pilot.press("enter")
            await wait_until(
                pilot,
                lambda: modal.done is not None or "unknown" in modal_status(modal).lower(),
                what="the confirmation's outcome",
            )
            await pilot.pause(0.2)
            said, result = modal_status(modal), modal_result(modal)
            assert "unknown" in said.lower(), said
            assert "FAILED" in result and "still waiting" in result, result
            assert proxy.count("POST", CONFIRM) == 0
            assert len(requests_to(sent_requests, CONFIRM)) == 1
        async with Server(sandbox.url) as client:
            after = await client.get_invoice(target.invoice_id)
        assert after.bharat_connect is not None
        assert after.bharat_connect.reported_payment is not None  # still to be answered
    finally:
        await proxy.stop()


async def test_a_customer_create_whose_reply_is_lost_is_found_and_not_sent_again(
    start_sandbox: Callable[..., Any],
    make_app: MakeApp,
    sign_in: SignIn,
    open_customers: OpenScreen,
    wait_until: WaitUntil,
    sent_requests: list[httpx.Request],
) -> None:
    """EnKash created it; the reply was lost. The form must not say "Not saved" (a second Enter
    would create a duplicate): it asks EnKash, finds the customer, and nothing is sent again."""
    sandbox, proxy, app = await proxied_app(start_sandbox, make_app)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(pilot)
            await settle_home(pilot, wait_until)
            await open_customers(pilot)
            await pilot.press("down", "n")
            await wait_until(pilot, lambda: isinstance(app.screen, CustomerForm), what="form")
            form = app.screen
            assert isinstance(form, CustomerForm)
            form.query_one("#customer-fields #legal_name", Input).value = "Lost Reply Traders"
            contact = form.query_one(ContactRow)
            contact.query_one("#name", Input).value = "Asha Rao"
            contact.query_one("#mobile", Input).value = "9812345678"
            await pilot.pause()
            proxy.lose("POST", CUSTOMER, "after")
            customers = form.app.screen_stack[-2]
            form.action_save()
            # The form asks EnKash whether the customer exists before anyone can save again,
            # finds it, and closes with it, as if the reply had arrived.
            await wait_until(pilot, lambda: app.screen is customers, what="the form to close")
            current = customers.table.current
            assert current is not None and current.legal_name == "Lost Reply Traders"
            assert proxy.count("POST", CUSTOMER) == 1
            assert len(requests_to(sent_requests, CUSTOMER)) == 1
        async with Server(sandbox.url) as client:
            found = await client.search_customers(CustomerFilter(legal_name="Lost Reply"))
        assert len(found.items) == 1  # it was created, whatever the form said
    finally:
        await proxy.stop()


async def test_a_status_change_whose_reply_is_lost_is_reported_unknown_and_rechecked(
    start_sandbox: Callable[..., Any],
    make_app: MakeApp,
    sign_in: SignIn,
    wait_until: WaitUntil,
    sent_requests: list[httpx.Request],
) -> None:
    """Like a payment confirmation: a lost reply is neither "Not sent" nor done; EnKash is
    asked what the invoice's status is now."""
    sandbox, proxy, app = await proxied_app(start_sandbox, make_app)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(pilot)
            await settle_home(pilot, wait_until)
            await pilot.press("f6")
            screen = app.screen
            assert isinstance(screen, BharatConnectScreen)
            await pilot.press("2")  # returned by the buyer: s sends it again (CREATED)
            await wait_until(
                pilot,
                lambda: screen.loaded_at is not None and screen.queue.key == "2",
                what="queue 2",
            )
            returned = screen.table.current
            assert returned is not None
            await pilot.press("s")
            await wait_until(pilot, lambda: isinstance(app.screen, StatusChange), what="modal")
            modal = app.screen
            assert isinstance(modal, StatusChange)
            await pilot.pause()
            await pilot.press(*"GSTIN corrected")
            proxy.lose("POST", STATUS, "after")
            await pilot.press("enter")
            await wait_until(
                pilot,
                lambda: modal.done is not None or "may or may not" in modal_status(modal),
                what="the status change's outcome",
            )
            await pilot.pause(0.2)
            said, result = modal_status(modal), modal_result(modal)
            assert proxy.count("POST", STATUS) == 1
            assert len(requests_to(sent_requests, STATUS)) == 1
            assert not said.startswith("Not sent"), said
            assert "unknown" in said.lower(), said
            assert "done" in result and "FAILED" not in result, result  # found by re-checking
        async with Server(sandbox.url) as client:
            after = await client.get_invoice(returned.invoice_id)
        assert after.bharat_connect is not None and after.bharat_connect.status == "CREATED"
    finally:
        await proxy.stop()


# -- 5. tokens that expire every two seconds --------------------------------------------------


async def test_browsing_across_token_expiries_renews_silently(
    start_sandbox: Callable[..., Any],
    make_app: MakeApp,
    sign_in: SignIn,
    open_invoices: OpenScreen,
    wait_until: WaitUntil,
    sent_requests: list[httpx.Request],
) -> None:
    sandbox = start_sandbox(token_ttl=2, invoices=400, customers=20)
    app = make_app(url=sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_invoices_settled(pilot, sign_in, open_invoices, wait_until)
        assert app.session is not None
        client = app.session.client
        signed_in = len(requests_to(sent_requests, TOKEN))
        rounds = 3  # about six seconds: three two-second tokens, each run out before paging on
        for _ in range(rounds):
            await wait_until(
                pilot,
                lambda: (client.token_expires_in() or 0) <= 0,
                timeout=5,
                what="the token to expire",
            )
            await load_preset(pilot, screen, "7", wait_until)  # all invoices, from the top
            total = screen.rows.total
            assert total is not None and total > PAGE_SIZE
            await pilot.press("end")  # the last page, and the ones the cursor crosses
            await wait_until(
                pilot,
                lambda t=total: screen.rows.loaded_count >= min(t, 2 * PAGE_SIZE),
                what="more pages",
            )
            assert not isinstance(app.screen, ReloginModal)
        assert client.signed_in
        renewals = len(requests_to(sent_requests, TOKEN)) - signed_in
        assert renewals >= rounds  # renewed, silently
        assert not error_notes(app)
        assert "could not load" not in summary(screen)
        assert "online" in header_text(app)
        assert app.screen is screen


# -- 6. the server restarted mid-session ------------------------------------------------------


async def test_a_server_restart_is_reported_keeps_the_typing_and_the_session_carries_on(
    start_sandbox: Callable[..., Any],
    make_app: MakeApp,
    sign_in: SignIn,
    open_invoices: OpenScreen,
    wait_until: WaitUntil,
    sent_requests: list[httpx.Request],
) -> None:
    sandbox = start_sandbox(port=free_port())
    async with Server(sandbox.url) as client:
        customers = await client.search_customers(CustomerFilter(customer_status="ACTIVE"))
    customer_id = next(c.customer_id for c in customers.items if c.is_active)
    app = make_app(url=sandbox.url)
    restarted: SandboxServer | None = None
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_invoices_settled(pilot, sign_in, open_invoices, wait_until)
            sandbox.stop()

            # Down: a refresh says so, in the list and the header, and the app keeps going.
            await pilot.press("r")
            await wait_until(
                pilot, lambda: "could not load" in summary(screen), timeout=8, what="the failure"
            )
            assert "unreachable" in header_text(app)
            assert any("Connection problem" in note for note in error_notes(app))
            assert app.is_running and app.screen is screen

            # A new invoice typed while it is down: not saved, nothing lost, nothing retried.
            await pilot.press("n")
            await wait_until(pilot, lambda: isinstance(app.screen, InvoiceForm), what="the form")
            form = app.screen
            assert isinstance(form, InvoiceForm)
            typed = {
                "customer": customer_id,
                "invoice_number": "INV/RESTART/1",
                "due_date": "2027-01-31",
                "base_amount": "4321",
            }
            for field, value in typed.items():
                form.query_one(f"#{field}", Input).value = value
            form.query_one("#due_date", Input).focus()
            await pilot.press("enter")
            status = form.query_one("#form-status", Static)
            await wait_until(pilot, lambda: "Not saved" in render(status.content), what="refusal")
            assert "Nothing was sent" in render(status.content)
            assert len(requests_to(sent_requests, "/api/v0/invoice")) == 1
            assert {f: form.query_one(f"#{f}", Input).value for f in typed} == typed

            # Back, as a new process on the same port and database: the old token means
            # nothing there, and the app signs in again by itself.
            restarted = SandboxServer(dataclasses.replace(sandbox.settings))
            url = await asyncio.to_thread(restarted.start)
            assert url == sandbox.url
            logins = len(requests_to(sent_requests, TOKEN))
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.screen is screen, what="the form to close")
            assert len(requests_to(sent_requests, TOKEN)) == logins + 1
            assert not isinstance(app.screen, ReloginModal)
            await wait_until(pilot, lambda: screen.rows.total is not None, what="the refresh")
            assert "could not load" not in summary(screen)
            assert "online" in header_text(app)
            assert any("INV/RESTART/1" in note for note in notes(app))
            # Once refused unsent, then once refused as unauthorised and sent again after the
            # silent sign-in: neither reached a handler, so EnKash created it once.
            assert len(requests_to(sent_requests, "/api/v0/invoice")) == 3
        async with Server(sandbox.url) as client:
            found = await client.search_invoices(InvoiceFilter(invoice_number="INV/RESTART/1"))
        assert len(found.items) == 1  # created once
    finally:
        if restarted is not None:
            await asyncio.to_thread(restarted.stop)
