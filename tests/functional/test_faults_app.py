"""The app against a misbehaving EnKash: the sandbox's fault knobs (latency, 500/503 bursts, 429s,
short-lived tokens), a server restarted mid-session, and a TCP proxy that loses replies.

For each fault: the app stays responsive, says what happened, retries only what is safe and loses
nothing the user typed. A dispatch or payment confirmation whose reply was lost is reported as of
unknown outcome, re-checked from the server, and never sent again by itself.

The knobs of a running sandbox are changed through its ``Faults`` object
(``RunningSandbox.faults``), so a burst can start after signing in and end on cue. ``LossyProxy``
sits between the app and a sandbox and, for a chosen request, closes the app's connection before
forwarding it (``before``) or after the sandbox has answered, with only part of the reply sent on
(``after``).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import socket
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, Static

from enkash_tui import clock
from enkash_tui.api import EnkashClient
from enkash_tui.api.models import CustomerFilter, Invoice, InvoiceFilter
from enkash_tui.domain.invoices import BY_KEY
from enkash_tui.local.action_log import ActionLog
from enkash_tui.sandbox.faults import Faults
from enkash_tui.sandbox.server import SandboxServer
from screens.app import EnkashApp
from screens.batch_actions import BatchConfirm, BatchReport
from screens.bharat_connect.actions import PaymentConfirm, StatusChange
from screens.bharat_connect.screen import BharatConnectScreen
from screens.customers.form import CustomerForm
from screens.help import HelpScreen
from screens.home.screen import HomeScreen
from screens.invoices.form import InvoiceForm
from screens.invoices.screen import PAGE_SIZE, InvoicesScreen
from screens.modals import ReloginModal
from screens.widgets.form_rows import ContactRow
from tests.support.clients import signed_in
from tests.support.driving import build_app, open_customers, open_invoices, sign_in, wait_until
from tests.support.lossy_proxy import LossyProxy
from tests.support.screen_text import (
    flat,
    header_text,
    plain,
    requests_to,
    text_of,
    texts,
    titled_notes,
)

SIZE = (130, 44)
SEARCH = "/api/v0/invoice/search"
DISPATCH = "/api/v0/invoice/bulk/dispatch"
CONFIRM = "/api/v0/invoice/payment-confirmation"
CUSTOMER = "/api/v0/customer"
STATUS = "/api/v0/invoice/change-status"
TOKEN = "/oauth/token"


# -- helpers ----------------------------------------------------------------------------------


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


def page_searches(sent: list[httpx.Request]) -> list[httpx.Request]:
    """Searches for a page of the invoice list (the Home tiles ask for one row, aging for 1000)."""
    return [r for r in requests_to(sent, SEARCH) if r.url.params.get("limit") == str(PAGE_SIZE)]


def errors(app: EnkashApp) -> list[str]:
    return titled_notes(app, "error")


def summary(screen: InvoicesScreen) -> str:
    return plain(screen.query_one("#summary", Static).content)


async def settle_home(pilot: Pilot[Any]) -> None:
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


async def open_invoices_settled(pilot: Pilot[Any]) -> InvoicesScreen:
    await sign_in(pilot)
    await settle_home(pilot)
    screen: InvoicesScreen = await open_invoices(pilot)
    return screen


async def load_preset(pilot: Pilot[Any], screen: InvoicesScreen, key: str) -> None:
    await pilot.press(key)
    await wait_until(
        pilot, lambda: screen.rows.total is not None, what=f"preset {key}'s first page"
    )
    await pilot.pause()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def dispatch_log_outcomes() -> list[str]:
    return [e.outcome for e in ActionLog().read() if e.operation == "dispatch_invoices"]


# -- 1. latency -------------------------------------------------------------------------------


async def test_during_a_slow_search_keys_are_handled_at_once_and_the_results_then_arrive(
    start_sandbox: Callable[..., Any],
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_invoices_settled(pilot)
        # Slow enough that keys pressed now are answered before any reply, on a loaded machine.
        sandbox.faults.latency = 2.0

        started = time.monotonic()
        await pilot.press("2")
        assert screen.query_spec.label == "Overdue"
        assert screen.rows.total is None and "loading" in summary(screen)
        # Changing one's mind mid-search: the new preset is taken at once.
        await pilot.press("3")
        assert screen.query_spec.label == "Due this week"
        assert "Due this week" in summary(screen)
        # Help opens while both slow searches are still out.
        await pilot.press("f1")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        assert screen.rows.total is None, "help waited for the slow reply"
        await pilot.press("escape")
        assert app.screen is screen

        await wait_until(pilot, lambda: screen.rows.total is not None, what="the slow results")
        assert time.monotonic() - started >= 2.0
        assert screen.query_spec.label == "Due this week"  # the overtaken search did not win
        async with signed_in(sandbox.url) as client:
            query = BY_KEY["3"].build(clock.today())
            expected = await client.search_invoices(
                query.filters, limit=PAGE_SIZE, order_by=query.order_by, direction=query.direction
            )
        assert screen.rows.total == expected.total
        assert [row.invoice_id for _, row in screen.rows.loaded()] == [
            i.invoice_id for i in expected.items
        ]
        assert not errors(app)
        assert "online" in header_text(app)


# -- 2. 500/503 bursts ------------------------------------------------------------------------


async def test_a_search_is_retried_through_a_short_5xx_burst_and_a_long_one_is_reported(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_invoices_settled(pilot)
        faults = sandbox.faults
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
        assert not errors(app)

        # A burst longer than the retries: three tries, then the failure is shown, not hidden.
        before = len(page_searches(sent_requests))
        burst = Burst(faults, failures=None)
        await pilot.press("r")
        await wait_until(pilot, lambda: "could not load" in summary(screen), what="the failure")
        # The notification is posted beside the summary's redraw, not before it.
        await wait_until(
            pilot,
            lambda: any("EnKash server error" in note for note in errors(app)),
            what="the error told",
        )
        assert len(page_searches(sent_requests)) - before == 3
        assert app.is_running and app.screen is screen
        await pilot.press("f1")  # still answering keys
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")

        burst.end()
        await pilot.press("r")
        await wait_until(pilot, lambda: screen.rows.total == expected, what="the list back")
        assert "could not load" not in summary(screen)


async def test_an_invoice_edit_during_a_5xx_burst_is_sent_once_and_the_form_keeps_the_edit(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_invoices_settled(pilot)
        invoice = screen.table.current
        assert invoice is not None
        path = f"/api/v0/invoice/{invoice.invoice_id}"
        await pilot.press("e")
        await wait_until(pilot, lambda: isinstance(app.screen, InvoiceForm), what="the form")
        form = app.screen
        assert isinstance(form, InvoiceForm)
        form.query_one("#po_number", Input).value = "PO-DURING-BURST"
        form.query_one("#description", Input).value = "typed while EnKash failed"

        burst = Burst(sandbox.faults, failures=None)
        form.query_one("#due_date", Input).focus()
        await pilot.press("enter")
        status = form.query_one("#form-status", Static)
        await wait_until(pilot, lambda: "Not saved" in plain(status.content), what="the refusal")
        assert len(requests_to(sent_requests, path, "PATCH")) == 1  # a change is never retried
        assert len(burst.statuses) == 1
        said = plain(status.content)
        assert "Injected failure" in said and "request" in said  # what happened, with its id
        assert app.screen is form
        assert form.query_one("#po_number", Input).value == "PO-DURING-BURST"
        assert form.query_one("#description", Input).value == "typed while EnKash failed"
        assert form.dirty

        burst.end()
        await pilot.press("enter")  # the user sends it again, once the burst is over
        await wait_until(pilot, lambda: app.screen is screen, what="the form to close")
        assert len(requests_to(sent_requests, path, "PATCH")) == 2
        async with signed_in(sandbox.url) as client:
            saved = await client.get_invoice(invoice.invoice_id)
        assert saved.po_number == "PO-DURING-BURST"


async def test_a_customer_create_during_a_5xx_burst_is_sent_once_and_creates_one_customer(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await settle_home(pilot)
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

        burst = Burst(sandbox.faults, failures=None)
        form.action_save()
        status = form.query_one("#form-status", Static)
        await wait_until(pilot, lambda: "Not saved" in plain(status.content), what="the refusal")
        assert len(requests_to(sent_requests, CUSTOMER)) == 1
        assert "Injected failure" in plain(status.content)
        assert app.screen is form
        assert form.query_one("#customer-fields #legal_name", Input).value == "Burst Proof Traders"
        assert contact.query_one("#mobile", Input).value == "9812345678"
        assert contact.query_one("#email", Input).value == "asha@burst.test"

        burst.end()
        form.action_save()
        await wait_until(pilot, lambda: app.screen is screen, what="the form to close")
        assert len(requests_to(sent_requests, CUSTOMER)) == 2
        async with signed_in(sandbox.url) as client:
            found = await client.search_customers(CustomerFilter(legal_name="Burst Proof"))
        assert [c.legal_name for c in found.items] == ["Burst Proof Traders"]


# -- 3. 429 -----------------------------------------------------------------------------------


async def test_a_rate_limited_search_waits_the_retry_after_and_succeeds(
    start_sandbox: Callable[..., Any],
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_invoices_settled(pilot)
        limits = RateLimitLog(sandbox.faults, per_second=1)
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
        assert not errors(app)


async def test_bharat_connect_loads_every_queue_through_a_429_burst(
    start_sandbox: Callable[..., Any],
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot)
        await settle_home(pilot)
        # Seven searches at once (six queue counts and the open queue) against four a second.
        limits = RateLimitLog(sandbox.faults, per_second=4)
        await pilot.press("f6")
        screen = app.screen
        assert isinstance(screen, BharatConnectScreen)
        await wait_until(
            pilot,
            lambda: screen.loaded_at is not None and None not in screen.counts.values(),
            timeout=30,
            what="every queue through the 429s",
        )
        assert len(limits.limited) >= 3
        assert not screen._problem
        assert not errors(app)
        async with signed_in(sandbox.url) as client:
            from enkash_tui.domain.bharat_connect import QUEUES

            for queue in QUEUES:
                page = await client.search_invoices(queue.filters, limit=1)
                assert screen.counts[queue.key] == page.total, queue.label


# -- 4. a reply lost mid-response -------------------------------------------------------------
#
# One case per operation that changes EnKash, each with its reply lost ``before`` EnKash saw the
# request or ``after`` it acted: the app sends it once, never again by itself, asks EnKash what
# happened and says so; the action log records the outcome as unknown.


async def proxied_app(start_sandbox: Callable[..., Any]) -> tuple[Any, LossyProxy, EnkashApp]:
    sandbox = start_sandbox()
    proxy = await LossyProxy(sandbox.url).start()
    return sandbox, proxy, build_app(proxy.url)


def modal_status(modal: PaymentConfirm | StatusChange) -> str:
    return flat(text_of(modal.query_one("#action-status", Static)))


def modal_result(modal: PaymentConfirm | StatusChange) -> str:
    return flat(text_of(modal.query_one("#action-result", Static)))


def searched_for(sent: list[httpx.Request], path: str, ids: list[str], field: str) -> bool:
    """A search naming exactly these records went out after the request to ``path``."""
    sent_at = max(n for n, r in enumerate(sent) if r.url.path == path)
    return any(
        sorted(json.loads(r.content or b"{}").get(field) or []) == sorted(ids)
        for r in sent[sent_at + 1 :]
        if r.url.path in (SEARCH, f"{CUSTOMER}/search")
    )


async def open_queue(pilot: Pilot[Any], key: str) -> BharatConnectScreen:
    await pilot.press("f6")
    screen = pilot.app.screen
    assert isinstance(screen, BharatConnectScreen)
    if key != "1":
        await pilot.press(key)
    await wait_until(
        pilot,
        lambda: (
            screen.loaded_at is not None
            and screen.queue.key == key
            and None not in screen.counts.values()
        ),
        what=f"queue {key}",
    )
    return screen


class LostReplyCase:
    """How one operation is reached, sent and judged when its reply is lost."""

    name: str
    operation: str  # as in the route table and the action log
    path: str

    async def reach(self, pilot: Pilot[Any]) -> Any:
        """Everything typed and chosen, one key short of sending; returns what ``send`` needs."""
        raise NotImplementedError

    async def send(self, pilot: Pilot[Any], ctx: Any) -> None:
        raise NotImplementedError

    def settled(self, app: EnkashApp, ctx: Any) -> bool:
        """The app has said what became of it."""
        raise NotImplementedError

    def check_app(self, app: EnkashApp, ctx: Any, sent: list[httpx.Request], applied: bool) -> None:
        raise NotImplementedError

    async def after_report(self, pilot: Pilot[Any], ctx: Any, applied: bool) -> None:
        """Leaving the report: what the screen keeps (marks, queues) follows the outcome."""

    async def check_enkash(self, client: EnkashClient, ctx: Any, applied: bool) -> None:
        raise NotImplementedError


class Dispatch(LostReplyCase):
    name, operation, path = "dispatch", "dispatch_invoices", DISPATCH

    async def reach(self, pilot: Pilot[Any]) -> tuple[InvoicesScreen, list[str]]:
        screen: InvoicesScreen = await open_invoices(pilot)
        await load_preset(pilot, screen, "4")  # not dispatched
        picked = [screen.table.source.row(0), screen.table.source.row(1)]
        assert all(row is not None and not row.dispatched for row in picked)
        await pilot.press("space", "space", "s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, BatchConfirm), what="confirm")
        return screen, [row.invoice_id for row in picked if row is not None]

    async def send(self, pilot: Pilot[Any], ctx: Any) -> None:
        await pilot.press("y")

    def settled(self, app: EnkashApp, ctx: Any) -> bool:
        return isinstance(app.screen, BatchReport)

    def check_app(self, app: EnkashApp, ctx: Any, sent: list[httpx.Request], applied: bool) -> None:
        _screen, ids = ctx
        report = flat(texts(app.screen))
        assert "unknown" in report.lower() and "lost" in report.lower(), report
        assert searched_for(sent, DISPATCH, ids, "invoiceIds")
        if applied:  # found dispatched by asking, both
            assert "Dispatch: 2 done" in report and "2 done, " not in report, report
            assert report.count("checked after the reply was lost") == 2, report
        else:
            assert "0 done, 2 failed" in report, report
            assert report.count("not dispatched") == 2, report

    async def after_report(self, pilot: Pilot[Any], ctx: Any, applied: bool) -> None:
        screen, ids = ctx
        await pilot.press("escape")
        await wait_until(pilot, lambda: screen.rows.total is not None, what="the refresh")
        # Done ones are unmarked; the others stay marked, to send again by choice.
        assert set(screen.table.marks) == (set() if applied else set(ids))

    async def check_enkash(self, client: EnkashClient, ctx: Any, applied: bool) -> None:
        for invoice_id in ctx[1]:
            assert (await client.get_invoice(invoice_id)).dispatched is applied


class ConfirmPayment(LostReplyCase):
    name, operation, path = "payment confirmation", "confirm_payment", CONFIRM

    async def reach(self, pilot: Pilot[Any]) -> tuple[PaymentConfirm, Invoice]:
        """Queue 1, the first invoice whose reported payment covers it alone, then c."""
        screen = await open_queue(pilot, "1")

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
        return modal, target

    async def send(self, pilot: Pilot[Any], ctx: Any) -> None:
        await pilot.press("enter")

    def settled(self, app: EnkashApp, ctx: Any) -> bool:
        modal = ctx[0]
        return modal.done is not None or "unknown" in modal_status(modal).lower()

    def check_app(self, app: EnkashApp, ctx: Any, sent: list[httpx.Request], applied: bool) -> None:
        modal, target = ctx
        said, result = modal_status(modal), modal_result(modal)
        assert "unknown" in said.lower(), said
        assert searched_for(sent, CONFIRM, [target.invoice_id], "invoiceIds")
        if applied:
            assert "done" in result and "FAILED" not in result, result  # found by re-checking
            assert "checked after the reply was lost" in result, result
            assert modal.query_one("#send", Button).disabled  # no second send from here
        else:
            assert "FAILED" in result and "still waiting" in result, result

    async def after_report(self, pilot: Pilot[Any], ctx: Any, applied: bool) -> None:
        target = ctx[1]
        await pilot.press("escape")
        screen = pilot.app.screen
        assert isinstance(screen, BharatConnectScreen)
        await wait_until(
            pilot,
            lambda: (target.invoice_id in [i.invoice_id for i in screen.rows]) is not applied,
            what="queue 1 as EnKash has it",
        )

    async def check_enkash(self, client: EnkashClient, ctx: Any, applied: bool) -> None:
        after = (await client.get_invoice(ctx[1].invoice_id)).bharat_connect
        assert after is not None
        assert (after.reported_payment is None) is applied  # answered, or still to be answered


class ChangeStatus(LostReplyCase):
    name, operation, path = "status change", "change_invoice_status", STATUS

    async def reach(self, pilot: Pilot[Any]) -> tuple[StatusChange, Invoice]:
        screen = await open_queue(pilot, "2")  # returned by the buyer: s sends it again
        returned = screen.table.current
        assert returned is not None
        await pilot.press("s")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, StatusChange), what="modal")
        modal = pilot.app.screen
        assert isinstance(modal, StatusChange)
        await pilot.pause()
        await pilot.press(*"GSTIN corrected")
        return modal, returned

    async def send(self, pilot: Pilot[Any], ctx: Any) -> None:
        await pilot.press("enter")

    def settled(self, app: EnkashApp, ctx: Any) -> bool:
        modal = ctx[0]
        return modal.done is not None or "may or may not" in modal_status(modal)

    def check_app(self, app: EnkashApp, ctx: Any, sent: list[httpx.Request], applied: bool) -> None:
        modal, returned = ctx
        said, result = modal_status(modal), modal_result(modal)
        assert not said.startswith("Not sent"), said  # it may have been: never claimed unsent
        assert "unknown" in said.lower(), said
        assert searched_for(sent, STATUS, [returned.invoice_id], "invoiceIds")
        if applied:
            assert "done" in result and "FAILED" not in result, result  # found by re-checking
        else:
            assert "FAILED" in result, result

    async def after_report(self, pilot: Pilot[Any], ctx: Any, applied: bool) -> None:
        await pilot.press("escape")

    async def check_enkash(self, client: EnkashClient, ctx: Any, applied: bool) -> None:
        after = (await client.get_invoice(ctx[1].invoice_id)).bharat_connect
        assert after is not None and after.status == ("CREATED" if applied else "RETURNED")


class CreateCustomer(LostReplyCase):
    """A create has no id to ask about: the form looks the new customer up by what was typed,
    before anyone can press Enter again and make a duplicate."""

    name, operation, path = "customer create", "create_customer", CUSTOMER
    legal_name = "Lost Reply Traders"

    async def reach(self, pilot: Pilot[Any]) -> tuple[CustomerForm, Any]:
        customers = await open_customers(pilot)
        await pilot.press("down", "n")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CustomerForm), what="form")
        form = pilot.app.screen
        assert isinstance(form, CustomerForm)
        form.query_one("#customer-fields #legal_name", Input).value = self.legal_name
        contact = form.query_one(ContactRow)
        contact.query_one("#name", Input).value = "Asha Rao"
        contact.query_one("#mobile", Input).value = "9812345678"
        await pilot.pause()
        return form, customers

    async def send(self, pilot: Pilot[Any], ctx: Any) -> None:
        ctx[0].action_save()

    def status(self, form: CustomerForm) -> str:
        return flat(text_of(form.query_one("#form-status", Static)))

    def settled(self, app: EnkashApp, ctx: Any) -> bool:
        form, customers = ctx
        return app.screen is customers or "does not have it" in self.status(form)

    def check_app(self, app: EnkashApp, ctx: Any, sent: list[httpx.Request], applied: bool) -> None:
        form, customers = ctx
        if applied:  # found, and the form closed with it as if the reply had arrived
            assert app.screen is customers
            current = customers.table.current
            assert current is not None and current.legal_name == self.legal_name
        else:  # not there: said so, with everything typed still in the form
            assert app.screen is form
            assert "Not saved" in self.status(form), self.status(form)
            legal_name = form.query_one("#customer-fields #legal_name", Input).value
            assert legal_name == self.legal_name

    async def check_enkash(self, client: EnkashClient, ctx: Any, applied: bool) -> None:
        found = await client.search_customers(CustomerFilter(legal_name="Lost Reply"))
        assert len(found.items) == (1 if applied else 0)


LOST_REPLY_CASES = [Dispatch(), ConfirmPayment(), ChangeStatus(), CreateCustomer()]


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("case", LOST_REPLY_CASES, ids=lambda case: case.name)
async def test_a_lost_reply_is_sent_once_reported_unknown_and_checked_with_enkash(
    case: LostReplyCase,
    when: str,
    start_sandbox: Callable[..., Any],
    sent_requests: list[httpx.Request],
) -> None:
    applied = when == "after"  # EnKash acted, and only its reply was lost
    sandbox, proxy, app = await proxied_app(start_sandbox)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(pilot)
            await settle_home(pilot)
            ctx = await case.reach(pilot)
            proxy.lose("POST", case.path, when)
            await case.send(pilot, ctx)
            await wait_until(pilot, lambda: case.settled(app, ctx), what=f"the {case.name}'s end")
            await pilot.pause(0.2)
            assert proxy.lost == [("POST", case.path, when)]
            case.check_app(app, ctx, sent_requests, applied)
            # Sent once by the app: it reached EnKash once, or never.
            assert len(requests_to(sent_requests, case.path)) == 1
            assert proxy.count("POST", case.path) == (1 if applied else 0)
            await case.after_report(pilot, ctx, applied)
            assert len(requests_to(sent_requests, case.path)) == 1
            outcomes = [e.outcome for e in ActionLog().read() if e.operation == case.operation]
            assert outcomes == ["unknown"]
            assert app.is_running
        async with signed_in(sandbox.url) as client:
            await case.check_enkash(client, ctx, applied)
    finally:
        await proxy.stop()


async def test_a_lost_dispatch_reply_whose_recheck_also_fails_is_reported_unknown(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    _sandbox, proxy, app = await proxied_app(start_sandbox)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await sign_in(pilot)
            await settle_home(pilot)
            ctx = await Dispatch().reach(pilot)
            proxy.lose("POST", DISPATCH, "after")
            proxy.lose("POST", SEARCH, "before")  # then the re-check is lost as well
            await pilot.press("y")
            await wait_until(
                pilot,
                lambda: any("Connection problem" in note for note in errors(app)),
                what="the connection problem",
            )
            await pilot.pause(0.3)
            said = " ".join(errors(app))
            assert "may or may not have been applied" in said, said
            assert not isinstance(app.screen, BatchReport)  # no "done" or "failed" claimed
            assert proxy.count("POST", DISPATCH) == 1
            assert len(requests_to(sent_requests, DISPATCH)) == 1
            assert dispatch_log_outcomes() == ["unknown"]
            assert app.is_running and ctx
    finally:
        await proxy.stop()


# -- 5. tokens that expire every two seconds --------------------------------------------------


async def test_browsing_across_token_expiries_renews_silently(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox(token_ttl=2, invoices=400, customers=20)
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_invoices_settled(pilot)
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
            await load_preset(pilot, screen, "7")  # all invoices, from the top
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
        assert not errors(app)
        assert "could not load" not in summary(screen)
        assert "online" in header_text(app)
        assert app.screen is screen


# -- 6. the server restarted mid-session ------------------------------------------------------


async def test_a_server_restart_is_reported_keeps_the_typing_and_the_session_carries_on(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox(port=free_port())
    async with signed_in(sandbox.url) as client:
        customers = await client.search_customers(CustomerFilter(customer_status="ACTIVE"))
    customer_id = next(c.customer_id for c in customers.items if c.is_active)
    app = build_app(sandbox.url)
    restarted: SandboxServer | None = None
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_invoices_settled(pilot)
            sandbox.stop()

            # Down: a refresh says so, in the list and the header, and the app keeps going.
            await pilot.press("r")
            await wait_until(
                pilot, lambda: "could not load" in summary(screen), timeout=8, what="the failure"
            )
            assert "unreachable" in header_text(app)
            assert any("Connection problem" in note for note in errors(app))
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
            await wait_until(pilot, lambda: "Not saved" in plain(status.content), what="refusal")
            assert "Nothing was sent" in plain(status.content)
            assert len(requests_to(sent_requests, "/api/v0/invoice")) == 1
            assert {f: form.query_one(f"#{f}", Input).value for f in typed} == typed

            # Back, as a new process on the same port and database: the old token means
            # nothing there, and the app signs in again by itself.
            logins = len(requests_to(sent_requests, TOKEN))
            restarted = SandboxServer(dataclasses.replace(sandbox.settings))
            url = await asyncio.to_thread(restarted.start)
            assert url == sandbox.url
            await pilot.press("enter")
            await wait_until(pilot, lambda: app.screen is screen, what="the form to close")
            assert len(requests_to(sent_requests, TOKEN)) == logins + 1
            assert not isinstance(app.screen, ReloginModal)
            await wait_until(pilot, lambda: screen.rows.total is not None, what="the refresh")
            assert "could not load" not in summary(screen)
            assert "online" in header_text(app)
            assert any("INV/RESTART/1" in note for note in titled_notes(app))
            # Once refused unsent; then sent again, and once more after the silent sign-in if
            # it was the first call to meet the restarted server (a background refresh may be):
            # a 401 reaches no handler, so EnKash created it once either way.
            assert len(requests_to(sent_requests, "/api/v0/invoice")) in (2, 3)
        async with signed_in(sandbox.url) as client:
            found = await client.search_invoices(InvoiceFilter(invoice_number="INV/RESTART/1"))
        assert len(found.items) == 1  # created once
    finally:
        if restarted is not None:
            await asyncio.to_thread(restarted.stop)
