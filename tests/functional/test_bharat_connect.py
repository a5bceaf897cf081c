"""The Bharat Connect section (F6), against real sandboxes: the work queues and their counts,
polling while the buyer acts (through the sandbox's buyer route), pausing, payment confirmation
(ACCEPT of a payment covering two invoices, REJECT only off-platform), status changes (the moves
offered, final statuses, a change the buyer overtook), the network detail, bulk creation onto the
network, and a read-only session."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from textual.pilot import Pilot
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from enkash_tui import clock
from enkash_tui.api.models import (
    CustomerFilter,
    Invoice,
    InvoiceFilter,
    PaymentConfirmation,
    PaymentType,
    SortDirection,
    SupplierResponse,
)
from enkash_tui.domain.bharat_connect import BY_KEY, QUEUES
from enkash_tui.domain.formatting import inr
from screens.bharat_connect.actions import REJECT_ONLY_OFFPLATFORM, PaymentConfirm, StatusChange
from screens.bharat_connect.screen import POLL_SECONDS, BharatConnectScreen
from screens.bulk_upload import BulkUploadScreen
from screens.invoices.windows import InvoiceDetailScreen
from tests.support.clients import signed_in
from tests.support.driving import build_app, sign_in, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import drawn, flat, notes, requests_to, text_of, texts

SIZE = (130, 44)  # wide enough for the detail pane (110 columns and up)
CONFIRM_PATH = "/api/v0/invoice/payment-confirmation"
STATUS_PATH = "/api/v0/invoice/change-status"
SEARCH_PATH = "/api/v0/invoice/search"
BULK_PATH = "/api/v0/invoice/bulk/create"


class Server:
    """A signed-in client on the same sandbox, to check what the app did, and the sandbox's
    buyer route (same bearer token) to act as the buyer meanwhile."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._session = signed_in(url)
        self.authorization = ""

    async def __aenter__(self) -> Server:
        self.client = await self._session.__aenter__()
        self.authorization = self.client._tokens.authorization()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self._session.__aexit__(*exc)

    async def buyer(self, invoice_id: str, **body: Any) -> list[dict[str, Any]]:
        """``POST /sandbox/buyer/{invoiceId}``: the invoice's buyer acts; the changed DTOs."""
        async with httpx.AsyncClient(base_url=self.url) as http:
            reply = await http.post(
                f"/sandbox/buyer/{invoice_id}",
                json=body,
                headers={"Authorization": self.authorization},
            )
        assert reply.status_code == 200, reply.text
        envelope = reply.json()
        assert envelope["response_code"] == 0, envelope
        payload: list[dict[str, Any]] = envelope["payload"]
        return payload

    async def queue(self, key: str) -> list[Invoice]:
        """Every invoice of a work queue, as the server lists it for the queue's filter."""
        page = await self.client.search_invoices(
            BY_KEY[key].filters, limit=5000, order_by="dueDate", direction=SortDirection.ASC
        )
        assert not page.has_more
        return page.items

    async def total(self, key: str) -> int | None:
        return (await self.client.search_invoices(BY_KEY[key].filters, limit=1)).total


def summary(screen: BharatConnectScreen) -> str:
    return text_of(screen.query_one("#bc-summary", Static))


def bar(screen: BharatConnectScreen) -> str:
    return text_of(screen.query_one("#bc-queues", Static))


def listed(screen: BharatConnectScreen) -> list[str]:
    """The invoice ids the table holds, in order."""
    source = screen.table.source
    rows = [source.row(i) for i in range(source.count())]
    return [row.invoice_id for row in rows if row is not None]


def payment_of(invoice: Invoice) -> Any:
    assert invoice.bharat_connect is not None
    return invoice.bharat_connect.reported_payment


def network(invoice: Invoice) -> Any:
    assert invoice.bharat_connect is not None, f"{invoice.invoice_id} is not on the network"
    return invoice.bharat_connect


def loaded(screen: BharatConnectScreen) -> bool:
    """The open queue's rows and every queue's count are in."""
    return screen.loaded_at is not None and None not in screen.counts.values()


async def open_bharat_connect(pilot: Pilot[Any]) -> BharatConnectScreen:
    await sign_in(pilot)
    await pilot.press("f6")
    screen = pilot.app.screen
    assert isinstance(screen, BharatConnectScreen)
    await wait_until(pilot, lambda: loaded(screen), what="the queues and the first queue's rows")
    return screen


async def open_queue(pilot: Pilot[Any], screen: BharatConnectScreen, key: str) -> None:
    if screen.queue.key != key:
        await pilot.press(key)
        assert screen.queue.key == key
    await wait_until(pilot, lambda: loaded(screen), what=f"queue {key}")


async def refreshed(
    pilot: Pilot[Any], screen: BharatConnectScreen, trigger: Callable[[], Any]
) -> None:
    """Run ``trigger`` (a key press, ``_poll``...) and wait for the refresh it starts to land."""
    before = screen.loaded_at
    result = trigger()
    if isinstance(result, Awaitable):
        await result
    await wait_until(
        pilot,
        lambda: screen.loaded_at is not None and screen.loaded_at != before,
        what="a refresh",
    )


async def go_to(pilot: Pilot[Any], screen: BharatConnectScreen, invoice_id: str) -> None:
    """Move the cursor with the keys until it is on that invoice."""
    assert invoice_id in listed(screen), f"{invoice_id} is not listed"
    await pilot.press("home")
    for _ in range(screen.table.source.count()):
        current = screen.table.current
        if current is not None and current.invoice_id == invoice_id:
            return
        await pilot.press("down")
    raise AssertionError(f"the cursor never reached {invoice_id}")


async def open_modal(pilot: Pilot[Any], key: str, kind: type) -> Any:
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind), what=f"{kind.__name__}")
    modal = pilot.app.screen
    await pilot.pause()
    return modal


async def type_remarks(pilot: Pilot[Any], modal: Any, text: str) -> None:
    field = modal.query_one("#remarks", Input)
    field.value = ""
    field.focus()
    await pilot.pause()
    if text:
        await pilot.press(*text)
    assert field.value == text


def remarks_error(modal: Any) -> str:
    return text_of(modal.query_one("#remarks-error", Static)).strip()


def pairs_of(rows: list[Invoice]) -> dict[str, list[Invoice]]:
    """Queue 1's invoices by the payment reported for them."""
    by_payment: dict[str, list[Invoice]] = defaultdict(list)
    for invoice in rows:
        by_payment[payment_of(invoice).payment_id].append(invoice)
    return by_payment


async def offplatform_pair(
    pilot: Pilot[Any], screen: BharatConnectScreen, server: Server
) -> list[Invoice]:
    """Two invoices of queue 1 covered by one OFFPLATFORM payment. The seed has a payment for
    two invoices, of either type; when it is ONPLATFORM, the buyer reports an OFFPLATFORM one
    for two of a buyer's invoices that have none."""
    for found in pairs_of(screen.rows).values():
        if len(found) == 2 and payment_of(found[0]).type == "OFFPLATFORM":
            return found
    by_buyer: dict[str, list[Invoice]] = defaultdict(list)
    for invoice in await server.queue("4") + await server.queue("5"):
        if invoice.balance_amount:
            by_buyer[invoice.customer_id or ""].append(invoice)
    first, second, *_ = next(found for found in by_buyer.values() if len(found) >= 2)
    await server.buyer(
        first.invoice_id,
        action="REPORT_PAYMENT",
        type="OFFPLATFORM",
        invoiceIds=[second.invoice_id],
    )
    await refreshed(pilot, screen, screen.refresh_queue)
    found = [i for i in screen.rows if i.invoice_id in (first.invoice_id, second.invoice_id)]
    assert len(found) == 2
    return found


# -- 1. the queues ---------------------------------------------------------------------------


async def test_every_queue_counts_and_lists_exactly_the_servers_invoices(sandbox: Any) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(160, 44)) as pilot:  # 150 and up: the bar's long labels
        screen = await open_bharat_connect(pilot)
        async with Server(sandbox.url) as server:
            seen: dict[str, str] = {}
            for queue in QUEUES:
                total = await server.total(queue.key)
                assert screen.counts[queue.key] == total, queue.label
                assert f"{queue.key} {queue.label} {total}" in bar(screen)

                await open_queue(pilot, screen, queue.key)
                expected = await server.queue(queue.key)
                assert len(expected) == total
                assert sorted(listed(screen)) == sorted(i.invoice_id for i in expected)
                assert [i.invoice_id for i in screen.rows] == listed(screen)
                # Listed by due date, soonest first.
                dues = [i.due_date for i in screen.rows if i.due_date is not None]
                assert dues == sorted(dues)
                noun = "invoice" if total == 1 else "invoices"
                assert f"{queue.label} · {total} {noun}" in summary(screen)
                # At most one queue per invoice.
                for invoice in expected:
                    assert invoice.invoice_id not in seen, (
                        f"{invoice.invoice_id} is in queues {seen.get(invoice.invoice_id)} "
                        f"and {queue.key}"
                    )
                    seen[invoice.invoice_id] = queue.key
            assert all(screen.counts[q.key] for q in QUEUES), "the seed fills every queue"
            everywhere = await server.client.search_invoices(
                InvoiceFilter(on_bharat_connect=True), limit=5000
            )
            assert set(seen) <= {i.invoice_id for i in everywhere.items}


async def test_at_80_columns_the_bar_shows_every_queues_count(sandbox: RunningSandbox) -> None:
    """The short labels are there for an 80-column terminal: every count must still be drawn."""
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_bharat_connect(pilot)
        assert not screen.query_one("#bc-detail").display  # no room for the pane
        shown = " ".join(drawn(screen.query_one("#bc-queues", Static)))
        for queue in QUEUES:
            assert f"{queue.key} {queue.short} {screen.counts[queue.key]}" in shown, shown


async def test_at_80_columns_the_summary_shows_that_polling_is_paused(
    sandbox: RunningSandbox,
) -> None:
    """PAUSED is the one state that stops the list from following the buyer: it must be drawn
    on an 80-column terminal too."""
    app = build_app(sandbox.url)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_bharat_connect(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert screen.paused and "PAUSED" in summary(screen)  # in the text...
        shown = " ".join(drawn(screen.query_one("#bc-summary", Static)))
        assert "PAUSED" in shown, shown  # ...and on the screen


# -- 2. polling ------------------------------------------------------------------------------


async def test_polling_follows_the_buyer_keeps_the_cursor_and_pauses(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_bharat_connect(pilot)
        assert re.search(r"updated \d+ s ago", summary(screen)), summary(screen)
        assert f"every {POLL_SECONDS} s" in summary(screen)
        async with Server(sandbox.url) as server:
            # The buyer accepts the invoice waiting in queue 4: the next poll moves it out.
            await open_queue(pilot, screen, "4")
            waiting = screen.rows[0]
            before = dict(screen.counts)
            await server.buyer(waiting.invoice_id, action="ACCEPT", remarks="Goods received")
            await refreshed(pilot, screen, screen._poll)
            assert waiting.invoice_id not in listed(screen)
            assert screen.counts["4"] == before["4"] - 1
            assert screen.counts["5"] == before["5"] + 1
            assert sorted(listed(screen)) == sorted(i.invoice_id for i in await server.queue("4"))
            assert f"4 Awaiting {before['4'] - 1}" in bar(screen)  # short labels below 150

            # The cursor keeps its invoice when rows before it leave the list. One more
            # payment first (an accepted invoice's), so that the cursor can sit on the row
            # before last and still have a payment of another row before it to take away.
            (extra, *spare) = await server.queue("5")
            assert spare, "queue 5 keeps an invoice for the pause below"
            await server.buyer(extra.invoice_id, action="REPORT_PAYMENT", type="OFFPLATFORM")
            await open_queue(pilot, screen, "1")
            assert extra.invoice_id in listed(screen)
            await pilot.press("end", "up")
            kept, last = screen.rows[-2], screen.rows[-1]
            assert screen.table.current == kept
            old_index = screen.table.cursor
            staying = {payment_of(kept).payment_id, payment_of(last).payment_id}
            payment = next(
                payment_of(i) for i in screen.rows if payment_of(i).payment_id not in staying
            )
            gone = [
                i.invoice_id for i in screen.rows if payment_of(i).payment_id == payment.payment_id
            ]
            # Someone else (another session of this company) accepts that payment.
            result = await server.client.confirm_payment(_confirmation(gone, payment))
            assert not result.failure_invoices
            await refreshed(pilot, screen, lambda: pilot.press("r"))
            assert not set(gone) & set(listed(screen))
            current = screen.table.current
            assert current is not None and current.invoice_id == kept.invoice_id
            assert screen.table.cursor == listed(screen).index(kept.invoice_id)
            assert screen.table.cursor == old_index - len(gone)
            assert listed(screen)[-1] == last.invoice_id  # not merely kept in range

            # Paused: a poll changes nothing, even after the buyer acted.
            await pilot.press("p")
            assert screen.paused
            assert "PAUSED" in summary(screen)
            assert re.search(r"updated \d+ s ago", summary(screen))
            (accepted, *_) = await server.queue("5")
            await server.buyer(accepted.invoice_id, action="REPORT_PAYMENT", type="OFFPLATFORM")
            counts, rows, at = dict(screen.counts), listed(screen), screen.loaded_at
            searched = len(requests_to(sent_requests, SEARCH_PATH))
            screen._poll()
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert len(requests_to(sent_requests, SEARCH_PATH)) == searched
            assert (screen.counts, listed(screen), screen.loaded_at) == (counts, rows, at)
            assert accepted.invoice_id not in listed(screen)

            # p again resumes, and refreshes at once.
            await refreshed(pilot, screen, lambda: pilot.press("p"))
            assert not screen.paused
            assert "PAUSED" not in summary(screen)
            assert f"every {POLL_SECONDS} s" in summary(screen)
            assert re.search(r"updated \d+ s ago", summary(screen))
            assert accepted.invoice_id in listed(screen)
            assert screen.counts["1"] == counts["1"] + 1
            assert screen.counts["5"] == counts["5"] - 1
            assert screen.table.current is not None
            assert screen.table.current.invoice_id == kept.invoice_id


def _confirmation(invoice_ids: list[str], payment: Any) -> PaymentConfirmation:
    return PaymentConfirmation(
        invoice_ids=invoice_ids,
        payment_id=payment.payment_id,
        remarks="Confirmed from another session",
        response=SupplierResponse.ACCEPT,
        type=PaymentType(payment.type),
    )


# -- 3. to 5. payment confirmation -----------------------------------------------------------


async def test_accepting_one_payment_for_two_invoices(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_bharat_connect(pilot)
        assert screen.queue.key == "1"
        async with Server(sandbox.url) as server:
            pair = await offplatform_pair(pilot, screen, server)
        ids = [i.invoice_id for i in pair]
        payment = payment_of(pair[0])
        for invoice in pair:
            await go_to(pilot, screen, invoice.invoice_id)
            await pilot.press("space")
        assert set(screen.table.marks) == set(ids)
        assert "2 marked" in summary(screen)

        modal = await open_modal(pilot, "c", PaymentConfirm)
        shown = texts(modal)
        total = sum((payment_of(i).amount for i in pair), Decimal(0))
        assert payment.payment_id in shown
        assert "OFFPLATFORM" in shown
        assert re.search(rf"Amount\s+{re.escape(inr(total))}", shown), shown
        for invoice in pair:
            assert (invoice.invoice_number or invoice.invoice_id) in shown
        assert not modal.query_one("#reject", RadioButton).disabled
        assert REJECT_ONLY_OFFPLATFORM not in flat(shown)

        # No remarks: refused beside the field, nothing sent.
        await type_remarks(pilot, modal, "")
        await pilot.press("enter")
        await pilot.pause()
        assert "required" in remarks_error(modal)
        assert modal.done is None
        # A double quote: refused as well, already while typing.
        await type_remarks(pilot, modal, 'Paid "in full"')
        assert remarks_error(modal) == 'no \\ or " here'
        await pilot.press("enter")
        await pilot.pause()
        assert remarks_error(modal) == 'no \\ or " here'
        assert modal.done is None
        assert requests_to(sent_requests, CONFIRM_PATH) == []

        await type_remarks(pilot, modal, "NEFT received in full")
        assert remarks_error(modal) == ""
        await pilot.press("enter")
        await wait_until(pilot, lambda: modal.done is not None, what="the confirmation's result")
        (request,) = requests_to(sent_requests, CONFIRM_PATH)
        body = json.loads(request.content)
        assert sorted(body["invoiceIds"]) == sorted(ids)
        assert (body["paymentId"], body["response"], body["type"]) == (
            payment.payment_id,
            "ACCEPT",
            "OFFPLATFORM",
        )
        assert body["remarks"] == "NEFT received in full"
        result = text_of(modal.query_one("#action-result", Static))
        for invoice in pair:
            line = next(x for x in result.splitlines() if invoice.invoice_number in x)
            assert "done" in line and "FAILED" not in line
        assert "Done: 2 invoices" in text_of(modal.query_one("#action-status", Static))
        assert modal.query_one("#send", Button).disabled

        async with Server(sandbox.url) as server:
            for invoice in pair:
                after = await server.client.get_invoice(invoice.invoice_id)
                assert network(after).status == "PAID"
                assert network(after).reported_payment is None
                assert after.balance_amount == 0
                assert after.receivable_status is not None
                assert after.receivable_status.name == "PAID"
            count_1 = await server.total("1")

        await pilot.press("escape")
        await wait_until(
            pilot,
            lambda: app.screen is screen and not set(ids) & set(listed(screen)),
            what="the paid invoices to leave queue 1",
        )
        await wait_until(pilot, lambda: screen.counts["1"] == count_1, what="the new count")
        assert not screen.table.marks


async def test_reject_is_refused_on_platform_and_works_off_platform(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_bharat_connect(pilot)
        on_platform = next(i for i in screen.rows if payment_of(i).type == "ONPLATFORM")
        await go_to(pilot, screen, on_platform.invoice_id)
        modal = await open_modal(pilot, "c", PaymentConfirm)
        reject = modal.query_one("#reject", RadioButton)
        assert reject.disabled
        assert REJECT_ONLY_OFFPLATFORM in flat(texts(modal))
        await pilot.click(reject)  # a disabled choice cannot be picked
        await pilot.pause()
        assert not reject.value and modal.query_one("#accept", RadioButton).value
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="the queue")
        assert requests_to(sent_requests, CONFIRM_PATH) == []

        async with Server(sandbox.url) as server:
            # The buyer reports an off-platform payment for the accepted, unpaid invoice.
            (target, *_) = await server.queue("5")
            await server.buyer(
                target.invoice_id, action="REPORT_PAYMENT", type="OFFPLATFORM", remarks="Cheque"
            )
            await refreshed(pilot, screen, lambda: pilot.press("r"))
            await go_to(pilot, screen, target.invoice_id)
            reported = screen.table.current
            assert reported is not None and payment_of(reported).type == "OFFPLATFORM"

            modal = await open_modal(pilot, "c", PaymentConfirm)
            assert REJECT_ONLY_OFFPLATFORM not in flat(texts(modal))
            reject = modal.query_one("#reject", RadioButton)
            assert not reject.disabled
            await type_remarks(pilot, modal, "Cheque bounced")
            modal.query_one("#response", RadioSet).focus()
            await pilot.press("down", "up")  # the arrows choose: what is highlighted is chosen
            await pilot.pause()
            assert not reject.value and modal.query_one("#accept", RadioButton).value
            await pilot.press("down")
            await pilot.pause()
            assert reject.value and modal.done is None
            await pilot.press("enter")  # on the choices Enter sends, as in every form
            await wait_until(pilot, lambda: modal.done is not None, what="the rejection")
            (request,) = requests_to(sent_requests, CONFIRM_PATH)
            assert json.loads(request.content)["response"] == "REJECT"
            result = text_of(modal.query_one("#action-result", Static))
            assert "done" in result and "FAILED" not in result

            after = await server.client.get_invoice(target.invoice_id)
            assert network(after).reported_payment is None
            assert network(after).status == network(target).status == "ACCEPTED"
            assert after.balance_amount == target.balance_amount > 0
            last = network(after).history[-1]
            assert (last.by, last.action, last.remarks) == (
                "SUPPLIER",
                "PAYMENT_REJECTED",
                "Cheque bounced",
            )

        await pilot.press("escape")
        await wait_until(
            pilot,
            lambda: app.screen is screen and target.invoice_id not in listed(screen),
            what="the invoice to leave queue 1",
        )
        await open_queue(pilot, screen, "5")
        assert target.invoice_id in listed(screen)


async def test_a_payment_of_a_type_enkash_did_not_say_is_not_answered(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox()
    invoice_id = sandbox.conn.execute(
        "SELECT invoice_id FROM bc_invoices WHERE payment_id IS NOT NULL LIMIT 1"
    ).fetchone()[0]
    sandbox.conn.execute("UPDATE bc_invoices SET payment_type = 'UPI' WHERE invoice_id = ?",
                         (invoice_id,))  # fmt: skip
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_bharat_connect(pilot)
        await go_to(pilot, screen, invoice_id)
        modal = await open_modal(pilot, "c", PaymentConfirm)
        assert modal.query_one("#reject", RadioButton).disabled
        await type_remarks(pilot, modal, "Received")
        await pilot.press("enter")
        status = modal.query_one("#action-status", Static)
        await wait_until(pilot, lambda: "did not say how payment" in text_of(status),
                         what="the refusal")  # fmt: skip
        assert modal.done is None and app.screen is modal
        assert requests_to(sent_requests, CONFIRM_PATH) == []


async def test_invoices_of_two_payments_cannot_be_confirmed_together(
    sent_requests: list[httpx.Request], sandbox: RunningSandbox
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_bharat_connect(pilot)
        payments = list(pairs_of(screen.rows).values())
        assert len(payments) >= 2, "the seed has two payments awaiting confirmation"
        for found in payments[:2]:
            await go_to(pilot, screen, found[0].invoice_id)
            await pilot.press("space")
        assert len(screen.table.marks) == 2
        app._notifications.clear()
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is screen, "no modal for two payments"
        assert any("one reported payment at a time" in m for m in notes(app)), notes(app)
        assert requests_to(sent_requests, CONFIRM_PATH) == []


# -- 6. and 7. status change -----------------------------------------------------------------


async def test_a_returned_invoice_is_sent_again_and_final_statuses_do_not_move(
    start_sandbox: Callable[..., Any], sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_bharat_connect(pilot)
        await open_queue(pilot, screen, "2")
        returned = screen.table.current
        assert returned is not None and network(returned).status == "RETURNED"
        version = network(returned).object_version
        events = len(network(returned).history)

        modal = await open_modal(pilot, "s", StatusChange)
        moves = list(modal.query_one("#move").query(RadioButton))
        assert [b.id for b in moves] == ["to-CREATED", "to-CANCELLED"]
        assert [b.value for b in moves] == [True, False]  # CREATED first, and chosen
        assert "Now RETURNED" in texts(modal)
        await type_remarks(pilot, modal, "GSTIN corrected, sending again")
        await pilot.press("enter")
        await wait_until(pilot, lambda: modal.done is not None, what="the status change")
        (request,) = requests_to(sent_requests, STATUS_PATH)
        body = json.loads(request.content)
        assert body["status"] == "CREATED"
        assert body["invoiceIds"] == [returned.invoice_id]
        assert body["objectVersions"] == {returned.invoice_id: version}
        result = text_of(modal.query_one("#action-result", Static))
        assert "done" in result and "FAILED" not in result

        async with Server(sandbox.url) as server:
            after = await server.client.get_invoice(returned.invoice_id)
        assert network(after).status == "CREATED"
        assert network(after).object_version == version + 1
        assert len(network(after).history) == events + 1
        last = network(after).history[-1]
        assert (last.by, last.status, last.object_version, last.remarks) == (
            "SUPPLIER",
            "CREATED",
            version + 1,
            "GSTIN corrected, sending again",
        )

        await pilot.press("escape")
        await wait_until(
            pilot,
            lambda: app.screen is screen and returned.invoice_id not in listed(screen),
            what="the invoice to leave queue 2",
        )
        await open_queue(pilot, screen, "4")
        assert returned.invoice_id in listed(screen)

        # REJECTED and PAID are final: s explains instead of opening anything.
        for key in ("3", "6"):
            await open_queue(pilot, screen, key)
            final = screen.table.current
            assert final is not None
            app._notifications.clear()
            await pilot.press("s")
            await pilot.pause()
            assert app.screen is screen, f"s opened {app.screen!r} on queue {key}"
            status = network(final).status
            assert any(f"{status} is final" in m for m in notes(app)), notes(app)
        assert len(requests_to(sent_requests, STATUS_PATH)) == 1


async def test_a_change_the_buyer_overtook_is_refused_and_explained(
    start_sandbox: Callable[..., Any],
) -> None:
    sandbox = start_sandbox()
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_bharat_connect(pilot)
        await open_queue(pilot, screen, "4")
        created = screen.table.current
        assert created is not None and network(created).status == "CREATED"
        version = network(created).object_version

        modal = await open_modal(pilot, "s", StatusChange)
        ids = [b.id for b in modal.query_one("#move").query(RadioButton)]
        assert ids == ["to-ACCEPTED", "to-RETURNED", "to-REJECTED", "to-CANCELLED"]
        async with Server(sandbox.url) as server:
            # While the modal is open, the buyer accepts the invoice.
            await server.buyer(created.invoice_id, action="ACCEPT")
            cancel = modal.query_one("#to-CANCELLED", RadioButton)
            await pilot.click(cancel)
            await pilot.pause()
            assert cancel.value and modal.target == "CANCELLED"
            await type_remarks(pilot, modal, "Order withdrawn")
            app._notifications.clear()
            await pilot.press("enter")
            await wait_until(pilot, lambda: modal.done is not None, what="the refusal")
            result = text_of(modal.query_one("#action-result", Static))
            line = next(x for x in result.splitlines() if created.invoice_number in x)
            assert "FAILED" in line
            assert "1 failed" in text_of(modal.query_one("#action-status", Static))

            await pilot.press("escape")
            await wait_until(
                pilot,
                lambda: any("The buyer changed" in m for m in notes(app)),
                what="the explanation",
            )
            (note,) = [m for m in notes(app) if "The buyer changed" in m]
            assert created.invoice_number in note and "ACCEPTED" in note
            await wait_until(
                pilot,
                lambda: app.screen is screen and created.invoice_id not in listed(screen),
                what="the refreshed queue",
            )
            after = await server.client.get_invoice(created.invoice_id)
        # Not applied: the buyer's ACCEPT stands, one step on.
        assert network(after).status == "ACCEPTED"
        assert network(after).object_version == version + 1
        assert network(after).history[-1].by == "BUYER"


# -- 8. the detail ---------------------------------------------------------------------------


async def test_the_detail_shows_status_version_and_history_newest_first(
    sandbox: RunningSandbox,
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_bharat_connect(pilot)
        pane = screen.query_one("#bc-detail-text", Static)
        assert screen.query_one("#bc-detail").display
        assert len(screen.rows) >= 2
        for step in range(2):
            if step:
                await pilot.press("down")
            invoice = screen.table.current
            assert invoice is not None
            bc = network(invoice)
            await wait_until(
                pilot,
                lambda invoice=invoice: invoice.invoice_number in text_of(pane),
                what="the cursor invoice's detail",
            )
            text = text_of(pane)
            assert re.search(
                rf"Network status\s+{bc.status}  \(version {bc.object_version}\)", text
            )
            assert payment_of(invoice).payment_id in text
            history = text.partition("History, newest first")[2]
            assert history, text
            lines = [x for x in history.strip().splitlines() if "→" in x]
            assert len(lines) == len(bc.history) > 1
            for line, event in zip(lines, reversed(bc.history), strict=True):
                assert line.rstrip().endswith(f"→ {event.status} v{event.object_version}"), line
                assert (event.by or "").title() in line

        await pilot.press("enter")
        await wait_until(
            pilot, lambda: isinstance(app.screen, InvoiceDetailScreen), what="the invoice detail"
        )
        shown = texts(app.screen)
        assert "Bharat Connect history" in shown
        assert invoice.invoice_number in shown
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="the queue")


# -- 9. bulk create --------------------------------------------------------------------------


async def test_bulk_create_puts_only_the_rows_that_ask_on_the_network(
    start_sandbox: Callable[..., Any], tmp_path: Path, sent_requests: list[httpx.Request]
) -> None:
    sandbox = start_sandbox()
    due = (clock.today() + dt.timedelta(days=30)).isoformat()
    async with Server(sandbox.url) as server:
        customers = await server.client.search_customers(
            CustomerFilter(customer_status="ACTIVE"), limit=5
        )
        customer = next(c.customer_id for c in customers.items if c.is_active)
    header = "customerId,invoiceNumber,dueDate,baseAmount,bharatConnect\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(header + f"{customer},BC-BULK-9,{due},1000,maybe\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text(
        header + f"{customer},BC-BULK-1,{due},1000,true\n{customer},BC-BULK-2,{due},500,false\n",
        encoding="utf-8",
    )
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_bharat_connect(pilot)
        awaiting = screen.counts["4"]
        assert awaiting is not None
        upload = await open_modal(pilot, "U", BulkUploadScreen)

        path = upload.query_one("#path", Input)
        path.value = str(bad)
        path.focus()
        await pilot.press("enter")
        await pilot.pause()
        shown = texts(upload)
        assert "fixing before anything is uploaded" in shown
        problem = next(x for x in shown.splitlines() if "must be true or false" in x)
        assert re.search(r"^\s*2\s+bharatConnect\s+must be true or false", problem), problem
        assert upload.query_one("#upload").has_class("hidden")
        assert requests_to(sent_requests, BULK_PATH) == []

        path.value = str(good)
        path.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert "All 2 rows look right" in texts(upload)
        await pilot.press("enter")  # focus moved to the Upload button
        await wait_until(pilot, lambda: "2 created, 0 refused" in texts(upload), what="upload")
        await refreshed(pilot, screen, lambda: pilot.press("escape"))
        assert app.screen is screen
        assert screen.counts["4"] == awaiting + 1

        await open_queue(pilot, screen, "4")
        (sent,) = [i for i in screen.rows if i.invoice_number == "BC-BULK-1"]
        assert network(sent).status == "CREATED" and network(sent).object_version == 1
        assert not any(i.invoice_number == "BC-BULK-2" for i in screen.rows)
        async with Server(sandbox.url) as server:
            (kept,) = (
                await server.client.search_invoices(
                    InvoiceFilter(invoice_number="BC-BULK-2"), limit=5
                )
            ).items
            assert (await server.client.get_invoice(kept.invoice_id)).bharat_connect is None
            assert (await server.client.get_invoice(sent.invoice_id)).bharat_connect is not None


# -- 10. read-only ---------------------------------------------------------------------------


@pytest.mark.parametrize(("queue", "key"), [("1", "c"), ("2", "s"), ("1", "U")])
async def test_a_read_only_session_opens_no_action(
    sent_requests: list[httpx.Request], queue: str, key: str, sandbox: RunningSandbox
) -> None:
    app = build_app(sandbox.url, force_readonly=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_bharat_connect(pilot)
        await open_queue(pilot, screen, queue)
        assert screen.table.current is not None  # there is an invoice to act on
        bindings = {b.binding.action for b in screen.active_bindings.values()}
        assert not bindings & {"confirm", "status", "bulk_upload"}
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is screen, f"{key} opened {app.screen!r} in a read-only session"
        # Looking is still allowed.
        assert "refresh" in bindings and "pause" in bindings
    assert requests_to(sent_requests, CONFIRM_PATH) == []
    assert requests_to(sent_requests, STATUS_PATH) == []


async def test_o_orders_a_queue_by_report_age_then_balance_keeping_the_cursor(
    sandbox: Any,
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_bharat_connect(pilot)
        rows = list(screen.rows)
        assert len(rows) >= 3
        due = [i.due_date for i in rows]
        assert due == sorted(due)  # as EnKash sends them: oldest due first
        screen.table.cursor = 1
        kept = screen.table.current
        assert kept is not None
        summary = screen.query_one("#bc-summary", Static)

        await pilot.press("o")
        reported = [i.bharat_connect.reported_payment.reported_on for i in screen.rows]  # type: ignore[union-attr]
        assert reported == sorted(reported)
        assert "by reported payment, oldest first" in text_of(summary)
        assert screen.table.current is not None
        assert screen.table.current.invoice_id == kept.invoice_id  # the cursor kept its invoice

        await pilot.press("o")
        balances = [i.balance_amount for i in screen.rows]
        assert balances == sorted(balances, reverse=True)
        assert "by balance, largest first" in text_of(summary)
        assert {i.invoice_id for i in screen.rows} == {i.invoice_id for i in rows}
