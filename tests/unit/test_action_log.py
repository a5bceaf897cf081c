"""The action log: the client records every change it attempts (never a read, never a secret),
and the local store appends them 0600, reads them newest first and survives damaged lines."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import stat
from pathlib import Path
from typing import Any

import httpx
import pytest

from enkash_tui import clock
from enkash_tui.api import ApiError, EnkashClient, NetworkError, ReadOnlyError
from enkash_tui.api.call_record import CallRecord, Counts
from enkash_tui.local import action_log, locations
from enkash_tui.local.action_log import ActionLog, log_path
from enkash_tui.local.log_entries import Entry, interrupted_notice, scrub
from enkash_tui.local.running import still_running, this_process

from .conftest import CLIENT_SECRET, PASSWORD, USERNAME, FakeEnkash, ok

CUSTOMER_ID = "KC1A2B3C4D5E6F7G"
CUSTOMER = {"customerId": CUSTOMER_ID, "legalName": "Acme Traders Pvt Ltd"}
ACTION = {"successInvoices": [{"invoiceId": "INV1"}], "failureInvoices": []}


def record(**changes: Any) -> CallRecord:
    values: dict[str, Any] = {
        "operation": "update_customer",
        "method": "PATCH",
        "path": f"/api/v0/customer/{CUSTOMER_ID}",
        "outcome": "ok",
        "retry_safe": False,
        "target_ids": (CUSTOMER_ID,),
        "http_status": 200,
        "message": "SUCCESS",
        "path_params": {"customerId": CUSTOMER_ID},
        "body": {"legalName": "Acme Traders"},
    }
    values.update(changes)
    return CallRecord(**values)


def recorded(client: EnkashClient) -> list[CallRecord]:
    records: list[CallRecord] = []
    client.on_call_record = records.append
    return records


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- the store ---------------------------------------------------------------------------------


def test_append_then_read_gives_every_field_back(tmp_path: Path) -> None:
    log = ActionLog(tmp_path / "log" / "action-log.jsonl")
    with clock.pinned(dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC), frozen=True):
        log.append(
            record(request_id="req-1", query={"parentCompanyId": "CEKDEMO001"}),
            "UAT",
            "ar@acme.in",
        )

    [entry] = log.read()
    assert entry.operation == "update_customer"
    assert entry.profile == "UAT"
    assert entry.user == "ar@acme.in"
    assert entry.at == dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)
    assert entry.target_ids == (CUSTOMER_ID,)
    assert (entry.outcome, entry.status, entry.message) == ("ok", 200, "SUCCESS")
    assert entry.request_id == "req-1"
    assert entry.body == {"legalName": "Acme Traders"}
    assert entry.query == {"parentCompanyId": "CEKDEMO001"}
    assert entry.path_params == {"customerId": CUSTOMER_ID}
    # One JSON object a line, the time in ISO form.
    [line] = log.path.read_text().splitlines()
    assert json.loads(line)["at"] == "2026-11-25T09:30:00+00:00"


def test_read_is_newest_first_and_limited(tmp_path: Path) -> None:
    log = ActionLog(tmp_path / "action-log.jsonl")
    start = dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC)
    for minute in range(5):
        log.append(
            record(operation=f"op{minute}"), "P", "u", at=start + dt.timedelta(minutes=minute)
        )

    assert [e.operation for e in log.read()] == ["op4", "op3", "op2", "op1", "op0"]
    assert [e.operation for e in log.read(limit=2)] == ["op4", "op3"]


def test_records_at_the_same_instant_keep_the_order_they_were_written(tmp_path: Path) -> None:
    log = ActionLog(tmp_path / "action-log.jsonl")
    for name in ("first", "second", "third"):
        log.append(record(operation=name), "P", "u")
    assert [e.operation for e in log.read()] == ["third", "second", "first"]


def test_a_missing_log_reads_as_empty(tmp_path: Path) -> None:
    assert ActionLog(tmp_path / "nothing.jsonl").read() == []


def test_damaged_lines_are_skipped(tmp_path: Path) -> None:
    log = ActionLog(tmp_path / "action-log.jsonl")
    log.append(record(operation="before"), "P", "u")
    with log.path.open("ab") as handle:
        handle.write(b'{"at": "2026-11-25T10:00:00+00:00", "operation": "torn", "outc\n')
        handle.write(b"not json at all\n")
        handle.write(b"[1, 2, 3]\n")
        handle.write(b'{"operation": "no time", "outcome": "ok"}\n')
        handle.write(b'{"at": "yesterday", "operation": "bad time", "outcome": "ok"}\n')
        handle.write(b"\xff\xfe\x00 binary junk\n")
        handle.write(b"\n")
    log.append(record(operation="after"), "P", "u")

    assert [e.operation for e in log.read()] == ["after", "before"]


def test_odd_field_types_in_a_line_do_not_break_reading(tmp_path: Path) -> None:
    path = tmp_path / "action-log.jsonl"
    line = {
        "at": "2026-11-25T10:00:00",  # no zone: taken as UTC
        "operation": "delete_customer",
        "outcome": "failed",
        "status": "500",
        "target_ids": "KC…",
        "retry_safe": "yes",
        "query": [],
    }
    path.write_text(json.dumps(line) + "\n")
    [entry] = ActionLog(path).read()
    assert entry.at.tzinfo is not None
    assert entry.status is None
    assert entry.target_ids == ()
    assert entry.retry_safe is False  # only a real true counts
    assert entry.query == {}


def test_the_log_is_created_readable_by_its_owner_only(tmp_path: Path) -> None:
    log = ActionLog(tmp_path / "new" / "action-log.jsonl")
    log.append(record(), "P", "u")
    assert mode(log.path) == 0o600


def test_an_existing_log_with_wider_bits_is_narrowed_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "action-log.jsonl"
    ActionLog(path).append(record(operation="old"), "P", "u")
    os.chmod(path, 0o644)
    ActionLog(path).append(record(operation="new"), "P", "u")
    assert mode(path) == 0o600
    assert [e.operation for e in ActionLog(path).read()] == ["new", "old"]


def test_secret_looking_keys_are_dropped_at_any_depth(tmp_path: Path) -> None:
    body = {
        "legalName": "Acme",
        "password": "hunter2-password",
        "clientSecret": "the-client-secret",
        "nested": {"accessToken": "tok-123", "AUTHORIZATION": "Bearer tok-456", "keep": 1},
        "contacts": [{"name": "Ravi", "refresh_token": "tok-789"}],
    }
    log = ActionLog(tmp_path / "action-log.jsonl")
    log.append(record(body=body, query={"api_secret": "q-secret", "sellerId": "S1"}), "P", "u")

    text = log.path.read_text()
    for secret in ("hunter2", "the-client-secret", "tok-123", "tok-456", "tok-789", "q-secret"):
        assert secret not in text
    [entry] = log.read()
    assert entry.body == {
        "legalName": "Acme",
        "nested": {"keep": 1},
        "contacts": [{"name": "Ravi"}],
    }
    assert entry.query == {"sellerId": "S1"}
    # The record itself is left alone (the caller's copy is not the log's business).
    assert scrub({"Password": 1, "ok": [{"x": 1}]}) == {"ok": [{"x": 1}]}


def test_log_path_is_in_the_data_dir_unless_overridden(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENKASH_TUI_DATA_DIR", raising=False)
    monkeypatch.delenv("ENKASH_TUI_STATE_DIR", raising=False)
    assert log_path() == locations.data_dir() / "action-log.jsonl"
    assert log_path(tmp_path) == tmp_path / "action-log.jsonl"
    # An isolated run (tests, benchmarks) keeps it beside its state, away from the real log.
    monkeypatch.setenv("ENKASH_TUI_STATE_DIR", str(tmp_path / "state"))
    assert log_path() == tmp_path / "state" / "action-log.jsonl"
    monkeypatch.setenv("ENKASH_TUI_DATA_DIR", str(tmp_path / "data"))
    assert log_path() == tmp_path / "data" / "action-log.jsonl"
    assert ActionLog().path == tmp_path / "data" / "action-log.jsonl"


def test_the_recorder_writes_for_its_session_and_reports_write_failures(tmp_path: Path) -> None:
    log = ActionLog(tmp_path / "action-log.jsonl")
    log.recorder("UAT", "ar@acme.in")(record())
    assert [(e.profile, e.user) for e in log.read()] == [("UAT", "ar@acme.in")]

    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    failures: list[OSError] = []
    ActionLog(blocked / "action-log.jsonl").recorder("P", "u", on_error=failures.append)(record())
    assert len(failures) == 1


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        ({"outcome": "ok"}, "nothing to retry"),
        ({"outcome": "unknown", "operation": "dispatch_invoices"}, "check the invoice"),
        ({"outcome": "unknown", "operation": "delete_customer"}, "check the customer"),
        ({"outcome": "failed", "status": 400}, "Refused by EnKash: fix it"),
        ({"outcome": "failed", "status": 500}, "part of it may have been applied"),
        ({"outcome": "failed", "upload": "customers.csv", "retry_safe": True}, "upload it again"),
        ({"outcome": "failed", "status": None}, "before reaching EnKash"),
        ({"outcome": "failed", "status": 429, "retry_safe": True}, None),
        ({"outcome": "failed", "status": None, "retry_safe": True}, None),
    ],
)
def test_each_entry_says_whether_and_why_it_can_be_retried(
    changes: dict[str, Any], refusal: str | None
) -> None:
    values: dict[str, Any] = {
        "at": clock.now(),
        "operation": "update_invoice",
        "outcome": "failed",
    }
    entry = Entry(**{**values, **changes})
    if refusal is None:
        assert entry.retry_refusal is None
    else:
        assert refusal in (entry.retry_refusal or "")


def test_the_filter_matches_operation_targets_outcome_and_message() -> None:
    entry = Entry(
        at=clock.now(),
        operation="dispatch_invoices",
        outcome="failed",
        target_ids=("INV-9001", "INV-9002"),
        message="Customer has no contact",
    )
    for text in ("dispatch", "inv-9002", "FAILED", "no contact", "dispatch 9001"):
        assert entry.matches(text), text
    assert not entry.matches("delete")
    assert not entry.matches("dispatch ok")


def test_an_outcome_word_matches_the_outcome_only() -> None:
    def entry(outcome: str, message: str) -> Entry:
        return Entry(
            at=clock.now(), operation="dispatch_invoices", outcome=outcome, message=message
        )

    partial = entry("partial", "1 done, 1 failed (INV2: deleted)")
    failed = entry("failed", "0 done, 1 failed (INV2: deleted)")
    ok_ = entry("ok", "It took a while")
    unknown = entry("unknown", "The app stopped before EnKash answered: check the invoice")
    entries = [partial, failed, ok_, unknown]

    def shown(text: str) -> list[Entry]:
        return [e for e in entries if e.matches(text)]

    assert shown("failed") == [failed]  # not the partial one, whose message says "1 failed"
    assert shown("partial") == [partial]
    assert shown("ok") == [ok_]  # not "took"
    assert shown("UNKNOWN") == [unknown]
    assert shown("failed partial") == [partial, failed]  # any of the outcomes named
    assert shown("partial deleted") == [partial]  # other words still search the text
    assert shown("fail") == [partial, failed]  # not an outcome word: a text search


@pytest.mark.parametrize(
    ("changes", "refusal"),
    [
        ({"outcome": "partial", "done": 1, "failed": 2}, "Part of it was done (1 done, 2 failed)"),
        ({"outcome": "pending"}, "wait for EnKash's answer"),
    ],
)
def test_partial_and_pending_entries_are_not_retried(changes: dict[str, Any], refusal: str) -> None:
    entry = Entry(at=clock.now(), operation="dispatch_invoices", **changes)
    assert refusal in (entry.retry_refusal or "")


def test_counts_are_written_and_read_back(tmp_path: Path) -> None:
    log = ActionLog(tmp_path / "action-log.jsonl")
    log.append(
        record(operation="bulk_create_customers", outcome="partial", counts=Counts(2, 1, "rows")),
        "P",
        "u",
    )
    [entry] = log.read()
    assert (entry.outcome, entry.done, entry.failed, entry.unit) == ("partial", 2, 1, "rows")
    assert entry.counts_text == "2 of 3 rows done, 1 refused"
    assert Entry(at=clock.now(), operation="x", outcome="ok").counts_text == ""


# -- pending, then the outcome ------------------------------------------------------------------


def pending_line(path: Path, call_id: str, writer: str, **changes: Any) -> None:
    """A pending line as a run that wrote ``writer`` left it."""
    entry = Entry.of(
        record(outcome="pending", call_id=call_id, message="Sent to EnKash: no answer yet"),
        "P",
        "u",
        clock.now(),
    )
    line = {**entry.to_json(), "writer": writer, **changes}
    with path.open("a") as handle:
        handle.write(json.dumps(line) + "\n")


def gone_process() -> str:
    """The mark of a process that has ended (and been reaped)."""
    import subprocess
    import sys

    child = subprocess.run(
        [
            sys.executable,
            "-c",
            "from enkash_tui.local.running import this_process as t; print(t())",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return child.stdout.strip()


def test_which_processes_still_run() -> None:
    assert still_running(this_process())
    assert not still_running(gone_process())
    host, pid, started = this_process().rsplit("/", 2)
    assert not still_running(f"another-{host}/{pid}/{started}")  # cannot be asked: gone
    assert not still_running(f"{host}/{pid}/{started}0")  # a new process with a reused pid
    assert not still_running("")
    assert not still_running("garbage")


def test_a_pending_line_and_its_outcome_read_as_one_entry(tmp_path: Path) -> None:
    log = ActionLog(tmp_path / "action-log.jsonl")
    log.append(record(operation="before"), "P", "u")
    log.append(
        record(outcome="pending", call_id="c1", message="Sent to EnKash: no answer yet"), "P", "u"
    )
    [first, earlier] = log.read()
    assert (first.call_id, first.outcome, earlier.operation) == ("c1", "pending", "before")
    assert first.retry_refusal and "wait" in first.retry_refusal  # this process: still in flight

    log.append(record(outcome="failed", call_id="c1", http_status=400, message="Refused"), "P", "u")
    assert len(log.path.read_text().splitlines()) == 3  # only ever appended to
    assert [(e.operation, e.outcome, e.message) for e in log.read()] == [
        ("update_customer", "failed", "Refused"),
        ("before", "ok", "SUCCESS"),
    ]


def test_a_pending_entry_whose_process_ended_is_unknown_with_the_check_to_make(
    tmp_path: Path,
) -> None:
    path = tmp_path / "action-log.jsonl"
    dead = gone_process()
    pending_line(
        path,
        "up1",
        dead,
        operation="bulk_create_customers",
        upload="march.csv",
        target_ids=["march.csv"],
        body=None,
    )
    pending_line(path, "d1", dead, operation="dispatch_invoices", target_ids=["INV1", "INV2"])
    pending_line(
        path, "c1", dead, operation="create_customer", target_ids=[], body={"legalName": "Acme"}
    )
    pending_line(path, "live", this_process(), operation="delete_customer")
    log = ActionLog(path)

    by_id = {e.call_id: e for e in log.read()}
    assert {k: e.outcome for k, e in by_id.items()} == {
        "up1": "unknown",
        "d1": "unknown",
        "c1": "unknown",
        "live": "pending",  # this process is still waiting for it
    }
    assert by_id["up1"].message == (
        "The app stopped before EnKash answered: search for the customers in march.csv before "
        "uploading it again."
    )
    assert "check the invoices INV1, INV2 before doing it again" in by_id["d1"].message
    assert "search for the customer 'Acme' before doing it again" in by_id["c1"].message
    assert by_id["d1"].interrupted and by_id["d1"].retry_refusal
    assert "check the invoice" in by_id["d1"].retry_refusal

    # At start the app writes them down once, and is told which they were; not a second time.
    settled = log.settle()
    assert [e.call_id for e in settled] == ["up1", "d1", "c1"]
    notice = interrupted_notice(settled)
    assert notice.startswith("3 changes have an unknown outcome: the app stopped before")
    assert "search for the customer 'Acme'" in notice and "Ctrl+L" in notice
    assert log.settle() == []
    after = {e.call_id: (e.outcome, e.message) for e in log.read()}
    assert after == {k: (e.outcome, e.message) for k, e in by_id.items()}


def test_every_line_is_synced_and_a_torn_line_does_not_swallow_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(action_log.os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    log = ActionLog(tmp_path / "action-log.jsonl")
    log.append(record(operation="first"), "P", "u")
    assert synced  # the file (and the folder that got a new name)
    with log.path.open("ab") as handle:
        handle.write(b'{"at": "2026-11-25T10:00:00+00:00", "operation": "torn", "outc')
    before = len(synced)
    log.append(record(operation="next"), "P", "u")
    assert len(synced) == before + 1
    assert [e.operation for e in log.read()] == ["next", "first"]


# -- what the client records -------------------------------------------------------------------


async def test_a_change_that_works_is_recorded_once_with_its_targets(
    client: EnkashClient, fake: FakeEnkash
) -> None:
    records = recorded(client)
    fake.on(
        "PATCH", f"/api/v0/customer/{CUSTOMER_ID}", ok(CUSTOMER, headers={"X-Request-Id": "r1"})
    )

    reply = await client._caller.call(
        "update_customer",
        path_params={"customerId": CUSTOMER_ID},
        query={"parentCompanyId": None},
        json_body={"legalName": "Acme Traders Pvt Ltd"},
    )

    assert reply.payload == CUSTOMER
    [rec] = records
    assert rec.operation == "update_customer"
    assert (rec.method, rec.path) == ("PATCH", f"/api/v0/customer/{CUSTOMER_ID}")
    assert rec.target_ids == (CUSTOMER_ID,)
    assert (rec.outcome, rec.http_status, rec.message) == ("ok", 200, "SUCCESS")
    assert rec.request_id == "r1"
    assert rec.retry_safe is False
    assert rec.body == {"legalName": "Acme Traders Pvt Ltd"}
    assert rec.query == {}  # None values are not sent, so not recorded either
    assert "token" not in repr(rec).lower() and CLIENT_SECRET not in repr(rec)


async def test_reads_and_sign_in_are_not_recorded(client: EnkashClient, fake: FakeEnkash) -> None:
    records = recorded(client)
    fake.on("POST", "/api/v0/customer/search", ok([CUSTOMER]))
    fake.on("GET", "/api/v0/invoice/INV1", ok({"invoiceId": "INV1"}))
    await client.search_customers()
    await client._caller.call("get_invoice", path_params={"invoiceId": "INV1"})
    await client.login(USERNAME, PASSWORD)
    assert records == []


async def test_ids_come_from_the_body_the_query_and_the_reply(
    client: EnkashClient, fake: FakeEnkash
) -> None:
    records = recorded(client)
    fake.on("POST", "/api/v0/invoice/payment-confirmation", ok(ACTION))
    fake.on("POST", "/api/v0/customer-reminder", ok({"customerReminderId": "CR77"}))

    await client._caller.call(
        "confirm_payment",
        json_body={"invoiceIds": ["INV1", "INV2"], "paymentId": "PAY9", "remarks": "ok"},
    )
    await client._caller.call(
        "create_reminder", query={"customerId": CUSTOMER_ID}, json_body={"reminderTime": "10:00"}
    )

    assert [r.target_ids for r in records] == [("INV1", "INV2", "PAY9"), (CUSTOMER_ID, "CR77")]


async def test_a_refused_change_is_failed_with_its_request_id_and_not_retry_safe(
    client: EnkashClient, fake: FakeEnkash
) -> None:
    records = recorded(client)
    refusal = {
        "response_code": 1,
        "response_message": "Invalid",
        "errorResponse": {
            "errorType": "VALIDATION_ERROR",
            "errorMessage": "legalName is required",
            "requestId": "req-400",
        },
    }
    fake.on("POST", "/api/v0/customer", httpx.Response(400, json=refusal))

    with pytest.raises(ApiError):
        await client._caller.call("create_customer", json_body={"address": "Pune"})

    [rec] = records
    assert (rec.outcome, rec.http_status, rec.request_id) == ("failed", 400, "req-400")
    assert rec.message == "legalName is required"
    assert rec.retry_safe is False


@pytest.mark.parametrize(
    ("operation", "method", "path", "answer", "outcome", "retry_safe"),
    [
        # Nothing was sent: safe whatever the route.
        (
            "create_customer",
            "POST",
            "/api/v0/customer",
            httpx.ConnectError("refused"),
            "failed",
            True,
        ),
        # Sent, no answer, on a route that creates: it may have happened.
        (
            "create_customer",
            "POST",
            "/api/v0/customer",
            httpx.ReadTimeout("slow"),
            "unknown",
            False,
        ),
        # Sent, no answer, on a set-to-a-state route: doing it again is harmless.
        (
            "activate_customer",
            "PUT",
            f"/api/v0/customer/activate/{CUSTOMER_ID}",
            httpx.ReadTimeout("slow"),
            "failed",
            True,
        ),
        # Rate limited: refused before anything was done.
        ("create_customer", "POST", "/api/v0/customer", httpx.Response(429), "failed", True),
        # A server failure: harmless to repeat only on a set-to-a-state route.
        (
            "delete_customer",
            "DELETE",
            f"/api/v0/customer/{CUSTOMER_ID}",
            httpx.Response(503),
            "failed",
            False,
        ),
        (
            "activate_customer",
            "PUT",
            f"/api/v0/customer/activate/{CUSTOMER_ID}",
            httpx.Response(503),
            "failed",
            True,
        ),
    ],
)
async def test_whether_a_failure_is_safe_to_send_again(
    client: EnkashClient,
    fake: FakeEnkash,
    operation: str,
    method: str,
    path: str,
    answer: Any,
    outcome: str,
    retry_safe: bool,
) -> None:
    records = recorded(client)
    fake.on(method, path, answer)
    path_params = {"customerId": CUSTOMER_ID} if "{" in client.routes[operation].path else None

    with pytest.raises((ApiError, NetworkError)):
        await client._caller.call(operation, path_params=path_params, json_body={"a": 1})

    [rec] = records  # one record per call, however many tries the client made
    assert (rec.outcome, rec.retry_safe) == (outcome, retry_safe)


async def test_a_cancelled_change_is_recorded_as_unknown(
    client: EnkashClient, fake: FakeEnkash
) -> None:
    records = recorded(client)
    started = asyncio.Event()

    async def never(request: httpx.Request) -> httpx.Response:
        started.set()
        await asyncio.sleep(60)
        raise AssertionError("not reached")

    fake.on("POST", "/api/v0/invoice/bulk/dispatch", never)
    task = asyncio.create_task(
        client._caller.call("dispatch_invoices", json_body={"invoiceIds": ["INV1"]})
    )
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    [rec] = records
    assert (rec.outcome, rec.retry_safe, rec.target_ids) == ("unknown", False, ("INV1",))


async def test_a_read_only_refusal_never_left_the_machine_and_is_not_recorded(
    make_client: Any, fake: FakeEnkash
) -> None:
    client = make_client(readonly=True)
    records = recorded(client)
    with pytest.raises(ReadOnlyError):
        await client.delete_customer(CUSTOMER_ID)
    assert records == [] and fake.requests == []


async def test_a_failing_listener_breaks_neither_success_nor_failure(
    client: EnkashClient, fake: FakeEnkash
) -> None:
    def broken(rec: CallRecord) -> None:
        raise OSError("disk full")

    client.on_call_record = broken
    fake.on("DELETE", f"/api/v0/customer/{CUSTOMER_ID}", ok("Customer deleted"))
    assert await client.delete_customer(CUSTOMER_ID) == "Customer deleted"

    fake.on("DELETE", f"/api/v0/customer/{CUSTOMER_ID}", httpx.Response(404))
    with pytest.raises(ApiError) as raised:
        await client.delete_customer(CUSTOMER_ID)
    assert raised.value.status_code == 404


async def test_an_upload_is_recorded_by_file_name_only(
    client: EnkashClient, fake: FakeEnkash
) -> None:
    records = recorded(client)
    fake.on("POST", "/api/v0/customer/bulk/update", ok({"total_count": 1}))
    await client.bulk_update_customers(b"legalName\nSECRET-ROW-CONTENT\n", filename="march.csv")

    [rec] = records
    assert rec.upload_name == "march.csv"
    assert rec.body is None
    assert "march.csv" in rec.target_ids
    assert "SECRET-ROW-CONTENT" not in repr(rec)
    assert rec.retry_safe is False


async def test_resend_sends_the_recorded_call_again_and_records_it(
    client: EnkashClient, fake: FakeEnkash, tmp_path: Path
) -> None:
    log = ActionLog(tmp_path / "action-log.jsonl")
    client.on_call_record = log.recorder("P", USERNAME)
    fake.on(
        "POST",
        "/api/v0/invoice/bulk/dispatch",
        httpx.ConnectError("refused"),
        ok(ACTION),
    )
    with pytest.raises(NetworkError):
        await client._caller.call(
            "dispatch_invoices", query={"sellerId": "CEKSELLER1"}, json_body={"invoiceIds": ["A"]}
        )
    [failed] = log.read()
    assert failed.retry_refusal is None

    await client.resend(
        failed.operation, path_params=failed.path_params, query=failed.query, json_body=failed.body
    )

    sent = fake.last
    assert sent.url.params["sellerId"] == "CEKSELLER1"
    assert json.loads(sent.content) == {"invoiceIds": ["A"]}
    assert [e.outcome for e in log.read()] == ["ok", "failed"]
    with pytest.raises(ValueError):
        await client.resend("bulk_create_invoices")


@pytest.mark.parametrize(
    ("reply", "outcome", "counts", "message"),
    [
        (
            {"successInvoices": [], "failureInvoices": [{"invoiceId": "INV1", "message": "gone"}]},
            "failed",
            Counts(0, 1, "invoices"),
            "0 done, 1 failed (INV1: gone)",
        ),
        (
            {
                "successInvoices": [{"invoiceId": "INV1"}],
                "failureInvoices": [{"invoiceId": "INV2", "message": "gone"}],
            },
            "partial",
            Counts(1, 1, "invoices"),
            "1 done, 1 failed (INV2: gone)",
        ),
        (ACTION, "ok", Counts(1, 0, "invoices"), "1 done, 0 failed"),
    ],
)
async def test_a_dispatch_is_recorded_with_the_outcome_its_counts_say(
    client: EnkashClient,
    fake: FakeEnkash,
    tmp_path: Path,
    reply: dict[str, Any],
    outcome: str,
    counts: Counts,
    message: str,
) -> None:
    records = recorded(client)
    log = ActionLog(tmp_path / "action-log.jsonl")
    fake.on("POST", "/api/v0/invoice/bulk/dispatch", ok(reply))

    await client.dispatch_invoices(["INV1", "INV2"])

    [rec] = records
    assert (rec.outcome, rec.counts, rec.message) == (outcome, counts, message)
    log.append(rec, "P", "u")
    [entry] = log.read()
    assert (entry.outcome, entry.done, entry.failed) == (outcome, counts.done, counts.failed)


@pytest.mark.parametrize(
    ("reply", "outcome", "counts"),
    [
        ({"total_count": 3, "success_count": 3, "failure_count": 0}, "ok", Counts(3, 0, "rows")),
        (
            {"total_count": 3, "success_count": 2, "failure_count": 1},
            "partial",
            Counts(2, 1, "rows"),
        ),
        (
            {"total_count": 3, "success_count": 0, "failure_count": 3},
            "failed",
            Counts(0, 3, "rows"),
        ),
        # Rows counted neither done nor refused did not provably work.
        (
            {"total_count": 3, "success_count": 1, "failure_count": 1},
            "partial",
            Counts(1, 2, "rows"),
        ),
        # Counts that are not counts: which rows were created cannot be told.
        ({"total_count": 3, "success_count": -1, "failure_count": 0}, "unknown", None),
        ({"total_count": "3", "success_count": 3, "failure_count": 0}, "unknown", None),
    ],
)
async def test_a_bulk_upload_is_recorded_with_the_outcome_its_row_counts_say(
    client: EnkashClient,
    fake: FakeEnkash,
    reply: dict[str, Any],
    outcome: str,
    counts: Counts | None,
) -> None:
    records = recorded(client)
    fake.on("POST", "/api/v0/customer/bulk/update", ok(reply))
    await client.bulk_update_customers(b"customerId\nKC1\n", filename="march.csv")
    [rec] = records
    assert (rec.outcome, rec.counts) == (outcome, counts)
    if outcome == "unknown":
        assert rec.message and "check" in rec.message


async def test_a_change_is_on_record_and_on_disk_before_it_is_sent(
    client: EnkashClient, fake: FakeEnkash, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = ActionLog(tmp_path / "action-log.jsonl")
    log.attach(client, "P", USERNAME)
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(action_log.os, "fsync", lambda fd: (synced.append(fd), real_fsync(fd)))
    seen_when_sent: list[Entry] = []

    def answer(request: httpx.Request) -> httpx.Response:
        assert synced  # the pending line reached the disk before the request left
        seen_when_sent.extend(log.read())
        return ok({"successInvoices": [], "failureInvoices": [{"invoiceId": "INV1"}]})

    fake.on("POST", "/api/v0/invoice/bulk/dispatch", answer)
    await client.dispatch_invoices(["INV1"])

    [pending] = seen_when_sent
    assert (pending.operation, pending.outcome, pending.target_ids) == (
        "dispatch_invoices",
        "pending",
        ("INV1",),
    )
    assert pending.call_id
    [done] = log.read()
    assert (done.call_id, done.outcome, done.done, done.failed) == (pending.call_id, "failed", 0, 1)
    # Two lines on disk (pending, then the outcome), one entry read.
    lines = [json.loads(line) for line in log.path.read_text().splitlines()]
    assert [(line["id"], line["outcome"]) for line in lines] == [
        (pending.call_id, "pending"),
        (pending.call_id, "failed"),
    ]


async def test_a_failing_listener_before_sending_does_not_stop_the_call(
    client: EnkashClient, fake: FakeEnkash
) -> None:
    def broken(rec: CallRecord) -> None:
        raise OSError("disk full")

    client.on_call_start = broken
    records = recorded(client)
    fake.on("DELETE", f"/api/v0/customer/{CUSTOMER_ID}", ok("Customer deleted"))
    assert await client.delete_customer(CUSTOMER_ID) == "Customer deleted"
    [rec] = records
    assert rec.outcome == "ok" and rec.call_id
