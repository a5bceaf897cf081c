"""Call records against a real sandbox: every change the client attempts produces exactly one
``CallRecord`` (operation, targets, outcome, request id), reads produce none, and the action
log written from them holds no secret."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from enkash_tui.api import ApiError, EnkashClient, NetworkError
from enkash_tui.api.call_record import CallRecord, Counts
from enkash_tui.api.models import (
    CustomerFilter,
    CustomerUpdate,
    InvoiceUpdate,
    ReminderCreate,
)
from enkash_tui.local.action_log import ActionLog
from enkash_tui.sandbox.server import DEMO
from tests.support.records import Records


class Recorder:
    """Collects a client's call records; ``await one(change)`` runs a call that must add one."""

    def __init__(self, client: EnkashClient) -> None:
        self.records: list[CallRecord] = []
        client.on_call_record = self.records.append

    async def one(self, change: Awaitable[Any]) -> tuple[Any, CallRecord]:
        before = len(self.records)
        result = await change
        assert len(self.records) == before + 1, self.records[before:]
        return result, self.records[-1]

    async def failing(self, change: Awaitable[Any], error: type[Exception]) -> CallRecord:
        before = len(self.records)
        with pytest.raises(error):
            await change
        assert len(self.records) == before + 1, self.records[before:]
        return self.records[-1]

    async def none(self, read: Awaitable[Any]) -> Any:
        before = len(self.records)
        result = await read
        assert len(self.records) == before, self.records[before:]
        return result


MakeClient = Callable[..., Awaitable[EnkashClient]]


async def test_each_change_is_recorded_once_with_its_targets(
    start_sandbox: Callable[..., Any], make_client: MakeClient
) -> None:
    client = await make_client(start_sandbox().url)
    log = Recorder(client)

    customer, rec = await log.one(client.create_customer(Records.customer()))
    cid = customer.customer_id
    assert (rec.operation, rec.method, rec.path) == ("create_customer", "POST", "/api/v0/customer")
    assert rec.outcome == "ok" and rec.http_status == 200
    assert cid in rec.target_ids  # the id EnKash gave it, from the reply
    assert rec.body["legalName"] == customer.legal_name

    _, rec = await log.one(client.update_customer(cid, CustomerUpdate(assigned_agent="Meera")))
    assert (rec.operation, rec.path) == ("update_customer", f"/api/v0/customer/{cid}")
    assert rec.target_ids == (cid,)
    assert rec.body == {"assignedAgent": "Meera"}  # only what changed, as sent

    _, rec = await log.one(client.deactivate_customer(cid))
    assert (rec.operation, rec.target_ids, rec.outcome) == ("deactivate_customer", (cid,), "ok")
    _, rec = await log.one(client.activate_customer(cid))
    assert (rec.operation, rec.target_ids, rec.outcome) == ("activate_customer", (cid,), "ok")

    reminder, rec = await log.one(
        client.create_reminder(
            cid,
            ReminderCreate(
                due_date_difference=-3, reminder_time=dt.time(10, 0), reminder_type="ONCE"
            ),
        )
    )
    assert rec.operation == "create_reminder"
    assert rec.target_ids == (cid, reminder.customer_reminder_id)

    invoice, rec = await log.one(client.create_invoice(Records.invoice(cid)))
    assert rec.target_ids == (cid, invoice.invoice_id)

    _, rec = await log.one(client.dispatch_invoices([invoice.invoice_id]))
    assert (rec.operation, rec.target_ids, rec.outcome) == (
        "dispatch_invoices",
        (invoice.invoice_id,),
        "ok",
    )
    assert rec.message == "1 done, 0 failed"

    # Reads leave no trace.
    await log.none(client.search_customers(CustomerFilter(customer_ids=[cid])))
    await log.none(client.get_invoice(invoice.invoice_id))
    await log.none(client.list_reminders(cid))
    await log.none(client.get_customer_contacts(cid))

    _, rec = await log.one(client.delete_customer(cid))
    assert (rec.operation, rec.method, rec.target_ids) == ("delete_customer", "DELETE", (cid,))
    assert rec.outcome == "ok" and not rec.retry_safe


async def test_a_refused_change_is_recorded_as_failed_with_the_request_id(
    start_sandbox: Callable[..., Any], make_client: MakeClient
) -> None:
    client = await make_client(start_sandbox().url)
    log = Recorder(client)
    cid = await Records.active_customer_id(client)
    invoice, _ = await log.one(client.create_invoice(Records.invoice(cid)))

    # More received than the invoice is worth: the server refuses it (400).
    rec = await log.failing(
        client.update_invoice(invoice.invoice_id, InvoiceUpdate(total_received=Decimal("1e9"))),
        ApiError,
    )
    assert (rec.operation, rec.target_ids) == ("update_invoice", (invoice.invoice_id,))
    assert (rec.outcome, rec.http_status) == ("failed", 400)
    assert rec.request_id  # the sandbox's errorResponse.requestId
    assert rec.message
    assert rec.retry_safe is False

    # A body the models would not send at all.
    rec = await log.failing(
        client._caller.call("create_customer", json_body={"address": "no name"}), ApiError
    )
    assert (rec.outcome, rec.http_status, rec.retry_safe) == ("failed", 400, False)


async def test_a_bulk_upload_is_recorded_by_file_name_with_its_row_counts(
    start_sandbox: Callable[..., Any], make_client: MakeClient
) -> None:
    client = await make_client(start_sandbox().url)
    log = Recorder(client)
    sheet = (
        b"legalName,state,pinCode,contactName,contactMobile,contactEmail\n"
        b"Record Alpha Pvt Ltd,Maharashtra,411001,Ravi Kumar,9812345678,ravi@alpha.in\n"
        b"Record Bravo Pvt Ltd,Karnataka,560001,Asha Rao,12345,asha@bravo.in\n"
    )

    _, rec = await log.one(
        client.bulk_create_customers(sheet, company_id=DEMO.client_id, filename="march.csv")
    )

    assert rec.operation == "bulk_create_customers"
    assert rec.upload_name == "march.csv" and "march.csv" in rec.target_ids
    assert rec.body is None and "Record Alpha" not in repr(rec)
    # One row created, one refused (its mobile number): partial, not ok.
    assert rec.outcome == "partial"
    assert rec.counts == Counts(done=1, failed=1, unit="rows")
    assert rec.message == "1 of 2 rows done, 1 refused"
    assert rec.retry_safe is False  # the file is not kept: never re-sent from the log

    every_row_refused = sheet.replace(b"9812345678", b"98123")
    _, rec = await log.one(
        client.bulk_create_customers(every_row_refused, company_id=DEMO.client_id)
    )
    assert (rec.outcome, rec.counts) == ("failed", Counts(done=0, failed=2, unit="rows"))


async def test_a_dispatch_is_ok_partial_or_failed_as_its_invoices_say(
    start_sandbox: Callable[..., Any], make_client: MakeClient, tmp_path: Path
) -> None:
    client = await make_client(start_sandbox().url)
    action_log = ActionLog(tmp_path / "action-log.jsonl")
    action_log.attach(client, "Sandbox", DEMO.username)
    cid = await Records.active_customer_id(client)
    good = (await client.create_invoice(Records.invoice(cid))).invoice_id
    gone = (await client.create_invoice(Records.invoice(cid))).invoice_id
    await client.delete_invoices([gone])  # dispatching a deleted invoice fails

    await client.dispatch_invoices([gone])
    await client.dispatch_invoices([good, gone])
    await client.dispatch_invoices([good])

    dispatches = [e for e in action_log.read() if e.operation == "dispatch_invoices"]
    assert [(e.outcome, e.done, e.failed) for e in dispatches] == [
        ("ok", 1, 0),
        ("partial", 1, 1),
        ("failed", 0, 1),
    ]
    assert dispatches[2].message.startswith("0 done, 1 failed")
    # Each change wrote a pending line first, then its outcome under the same id.
    lines = [json.loads(line) for line in action_log.path.read_text().splitlines()]
    assert [line["outcome"] for line in lines if line["operation"] == "dispatch_invoices"] == [
        "pending",
        "failed",
        "pending",
        "partial",
        "pending",
        "ok",
    ]
    assert len({line["id"] for line in lines}) == len(lines) // 2


async def test_server_failures_are_safe_to_retry_only_on_set_to_a_state_routes(
    start_sandbox: Callable[..., Any], make_client: MakeClient, recording_sleep: Any
) -> None:
    sandbox = start_sandbox(failure_rate=1.0, invoices=10, customers=3)
    client = await make_client(sandbox.url, sleep=recording_sleep)
    log = Recorder(client)
    cid = "KC00000000000000"  # every call fails before it reaches a handler

    rec = await log.failing(client.delete_customer(cid), ApiError)
    assert rec.outcome == "failed" and rec.http_status in (500, 503)
    assert rec.retry_safe is False  # it may have half-happened

    rec = await log.failing(client.activate_customer(cid), ApiError)  # tried 3 times: one record
    assert rec.outcome == "failed" and rec.retry_safe is True


async def test_nothing_sent_is_retry_safe_and_the_retry_goes_through(
    start_sandbox: Callable[..., Any], make_client: MakeClient, tmp_path: Path
) -> None:
    sandbox = start_sandbox()
    client = await make_client(sandbox.url)
    action_log = ActionLog(tmp_path / "action-log.jsonl")
    client.on_call_record = action_log.recorder("Sandbox", DEMO.username)
    cid = await Records.active_customer_id(client)
    invoice = await client.create_invoice(Records.invoice(cid))

    sandbox.stop()  # connection refused: the request never leaves
    with pytest.raises(NetworkError) as failed:
        await client.dispatch_invoices([invoice.invoice_id])
    assert failed.value.may_have_reached_server is False
    entry = action_log.read()[0]
    assert (entry.operation, entry.outcome, entry.retry_safe) == (
        "dispatch_invoices",
        "failed",
        True,
    )
    assert entry.retry_refusal is None

    sandbox.restart()  # same port and data; the old token is forgotten and renewed on 401
    await client.resend(
        entry.operation, path_params=entry.path_params, query=entry.query, json_body=entry.body
    )

    assert (await client.get_invoice(invoice.invoice_id)).dispatched is True
    latest = action_log.read()
    assert [(e.operation, e.outcome) for e in latest[:2]] == [
        ("dispatch_invoices", "ok"),
        ("dispatch_invoices", "failed"),
    ]
    assert latest[0].target_ids == (invoice.invoice_id,)


async def test_the_written_log_holds_the_actions_and_no_secret(
    start_sandbox: Callable[..., Any], make_client: MakeClient, tmp_path: Path
) -> None:
    client = await make_client(start_sandbox().url)
    action_log = ActionLog(tmp_path / "data" / "action-log.jsonl")
    client.on_call_record = action_log.recorder("Sandbox", DEMO.username)

    customer = await client.create_customer(Records.customer())
    await client.update_customer(customer.customer_id, CustomerUpdate(assigned_agent="Meera"))
    with pytest.raises(ApiError):
        await client._caller.call("create_customer", json_body={"password": DEMO.password})

    entries = action_log.read()
    assert [e.operation for e in entries] == [
        "create_customer",
        "update_customer",
        "create_customer",
    ]
    assert all(e.profile == "Sandbox" and e.user == DEMO.username for e in entries)
    text = action_log.path.read_text()
    token = client._tokens.authorization().removeprefix("Bearer ")
    for secret in (DEMO.client_secret, DEMO.password, token, "Bearer"):
        assert secret not in text
    assert oct(action_log.path.stat().st_mode & 0o777) == oct(0o600)
