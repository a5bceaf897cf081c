"""The shell's commands run as a user runs them (``python -m enkash_tui …`` in a process of
its own) against a real sandbox: what they print in each format, equal to what EnKash answers
the client directly; exit codes; secrets only from the environment or stdin, never printed; and
no Textual loaded."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from enkash_tui import clock
from enkash_tui.api.call_record import CallRecord
from enkash_tui.api.models import (
    BharatConnectStatus,
    CustomerFilter,
    InvoiceFilter,
    ReminderStage,
)
from enkash_tui.api.text import clean
from enkash_tui.domain.exports import HEADER, customer_columns
from enkash_tui.domain.invoices import BY_KEY, PRESETS
from enkash_tui.local.action_log import ActionLog
from enkash_tui.sandbox_demo import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_PASSWORD,
    DEMO_USERNAME,
)
from enkash_tui.shell import args as shell_args
from enkash_tui.shell.more_reads import QUEUE_BY_NAME
from enkash_tui.shell.output import FORMATS, json_key
from tests.integration.conftest import MakeClient
from tests.support.sandboxes import RunningSandbox
from tests.support.shell_runs import (
    REPO,
    lines_of,
    shell,
    shell_to_a_gone_reader,
    write_profile,
)

AMOUNT = re.compile(r"^-?\d+\.\d{2}$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


async def test_a_view_narrowed_prints_what_enkash_has_in_each_format(
    shared_sandbox: RunningSandbox, make_client: MakeClient
) -> None:
    write_profile(shared_sandbox.url)
    client = await make_client(shared_sandbox.url)
    query = BY_KEY["2"].build(clock.today())  # Overdue
    page = await client.search_invoices(
        query.filters, limit=7, order_by=query.order_by, direction=query.direction
    )
    wanted = [i.invoice_id for i in page.items]

    rows = lines_of(shell("invoices", "search", "--view", "overdue", "--limit", "7"))
    assert [r["invoice_id"] for r in rows] == wanted  # piped: jsonl by default
    assert list(rows[0]) == [json_key(name) for name in HEADER]
    for row in rows:
        assert all(AMOUNT.match(row[k]) for k in ("base", "net", "received", "balance"))
        assert DAY.match(row["due_date"]) and isinstance(row["days_overdue"], int)
        assert row["days_overdue"] > 0
    first = next(i for i in page.items if i.invoice_id == rows[0]["invoice_id"])
    assert rows[0]["balance"] == f"{first.balance_amount:.2f}"

    as_json = shell("invoices", "search", "--view", "overdue", "--limit", "7", "--format", "json")
    assert json.loads(as_json.stdout) == rows
    as_csv = shell("invoices", "search", "--view", "overdue", "--limit", "7", "--format", "csv")
    table = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert tuple(table[0]) == HEADER
    assert [line[1] for line in table[1:]] == wanted
    as_table = shell("invoices", "search", "--view", "overdue", "--limit", "7", "--format", "table")
    assert as_table.returncode == 0 and "Invoice" in as_table.stdout
    assert (page.items[0].invoice_number or "?")[:9] in as_table.stdout


async def test_the_narrowing_options_and_all_pages(
    shared_sandbox: RunningSandbox, make_client: MakeClient
) -> None:
    write_profile(shared_sandbox.url)
    client = await make_client(shared_sandbox.url)
    some = (await client.search_invoices(InvoiceFilter(), limit=1)).items[0]
    customer = some.customer_id or ""
    every = [i async for i in client.iter_invoices(InvoiceFilter(customer_ids=[customer]))]
    rows = lines_of(shell("invoices", "search", "--view", "all", "--customer", customer, "--all",
                          "--sort", "balance", "--desc"))  # fmt: skip
    assert sorted(r["invoice_id"] for r in rows) == sorted(i.invoice_id for i in every)
    balances = [float(r["balance"]) for r in rows]
    assert balances == sorted(balances, reverse=True)
    start, end = (clock.today() - dt.timedelta(days=d) for d in (300, 30))
    rows = lines_of(
        shell("invoices", "search", "--view", "all", "--status", "paid", "--due-from",
              start.isoformat(), "--due-to", end.isoformat(), "--limit", "50")
    )  # fmt: skip
    assert rows and all(r["receivable_status"] == "PAID" for r in rows)
    assert all(start.isoformat() <= r["due_date"] <= end.isoformat() for r in rows)
    # A view's own bounds are only ever tightened: overdue stays overdue, open stays open.
    later = (clock.today() + dt.timedelta(days=90)).isoformat()
    overdue = lines_of(shell("invoices", "search", "--view", "overdue", "--due-to", later))
    assert overdue and all(r["due_date"] < clock.today().isoformat() for r in overdue)
    clash = shell("invoices", "search", "--view", "overdue", "--status", "paid")
    assert clash.returncode == 2 and "the overdue view holds only" in clash.stderr


async def test_one_invoice_and_customers_by_name_and_id(
    start_sandbox: Any, make_client: MakeClient
) -> None:
    sandbox = start_sandbox()  # its own: a customer is renamed below
    write_profile(sandbox.url)
    client = await make_client(sandbox.url)
    invoice = (await client.search_invoices(InvoiceFilter(), limit=1)).items[0]
    [one] = json.loads(shell("invoices", "get", invoice.invoice_id, "--format", "json").stdout)
    assert (one["invoice_id"], one["invoice_number"]) == (invoice.invoice_id,
                                                           invoice.invoice_number)  # fmt: skip

    # A hostile name, as EnKash might send it: cleaned as the client cleans every reply (the
    # bidi override shown as a mark), quoted in the CSV, never quoted in JSON.
    customer_id = invoice.customer_id or ""
    hostile = '=HYPERLINK("http://x")\u202e Zed Traders'
    sandbox.conn.execute(
        "UPDATE customers SET legal_name = ? WHERE customer_id = ?", (hostile, customer_id)
    )
    sandbox.conn.commit()
    found = shell("customers", "find", "Zed Traders", "--format", "csv")
    table = list(csv.reader(io.StringIO(found.stdout)))
    assert table[0] == [c.name for c in customer_columns()]
    assert [row[0] for row in table[1:]] == ["'" + clean(hostile)]
    assert "\u202e" not in found.stdout
    [got] = lines_of(shell("customers", "get", customer_id))
    assert got["customer_id"] == customer_id
    assert got["customer"] == clean(hostile)


@pytest.mark.parametrize(
    ("argv", "code", "said"),
    [
        (("invoices", "search", "--due-from", "31-12-2026"), 2, "--due-from: use yyyy-mm-dd"),
        (("invoices", "search", "--profile", "nobody"), 2, "no profile 'nobody'"),
        (("invoices", "search", "--format", "xml"), 2, "invalid choice: 'xml'"),
        (("invoices", "get", "KI0000000000NONE"), 1, ""),
        (("customers", "get", "KC0000000000NONE"), 1, "no customer KC0000000000NONE"),
    ],
)
def test_exit_codes_say_usage_or_failure(
    shared_sandbox: RunningSandbox, argv: tuple[str, ...], code: int, said: str
) -> None:
    write_profile(shared_sandbox.url)
    result = shell(*argv)
    assert result.returncode == code, result.stderr
    assert said in result.stderr and result.stdout == ""


def test_no_sandbox_running_is_said_with_how_to_start_one() -> None:
    path = Path(os.environ["ENKASH_TUI_CONFIG"])
    path.parent.mkdir(parents=True, exist_ok=True)
    # The Sandbox profile, at a port nothing listens on (9, discard: closed on loopback).
    lines = ['default_profile = "Sandbox"', "[profiles.Sandbox]",
             'base_url = "http://127.0.0.1:9"', f'client_id = "{DEMO_CLIENT_ID}"']  # fmt: skip
    path.write_text("\n".join(lines) + "\n")
    result = shell("bc", "queue", "confirm", "--count")
    assert result.returncode == 1 and result.stdout == ""
    assert "Nothing was sent" in result.stderr
    assert result.stderr.rstrip().endswith("Start it with `enkash-tui sandbox`.")


def test_secrets_come_from_the_environment_or_stdin_never_argv_and_are_never_printed(
    shared_sandbox: RunningSandbox,
) -> None:
    write_profile(shared_sandbox.url)
    missing = shell("invoices", "search", secrets=False)
    assert missing.returncode == 2 and "ENKASH_PASSWORD" in missing.stderr
    wrong = shell("invoices", "search", "--password-stdin", stdin="not-the-password\n")
    assert wrong.returncode == 1 and "could not sign in" in wrong.stderr
    piped = shell("--readonly", "invoices", "search", "--limit", "2", "--password-stdin",
                  stdin=DEMO_PASSWORD + "\n")  # fmt: skip
    assert piped.returncode == 0 and len(piped.stdout.splitlines()) == 2
    for result in (missing, wrong, piped):
        for secret in (DEMO_PASSWORD, DEMO_CLIENT_SECRET):
            assert secret not in result.stdout + result.stderr
    # No option takes one, not even abbreviated, and what was typed is not said back.
    typed = shell("invoices", "search", f"--password={DEMO_PASSWORD}")
    assert typed.returncode == 2 and "unrecognized arguments: --password=…" in typed.stderr
    assert DEMO_PASSWORD not in typed.stderr


def test_the_action_log_as_json_filtered(shared_sandbox: RunningSandbox) -> None:
    listener = ActionLog().recorder("team", DEMO_USERNAME)
    for operation, ids, outcome in (("dispatch_invoices", ("KI1", "KI2"), "failed"),
                                    ("delete_customer", ("KC9",), "ok")):  # fmt: skip
        listener(CallRecord(operation, "POST", "/x", outcome, False, ids))  # type: ignore[arg-type]
    failed = lines_of(shell("log", "--outcome", "failed"))
    assert [(r["operation"], r["targets"], r["outcome"]) for r in failed] == [
        ("dispatch_invoices", "KI1 KI2", "failed")
    ]
    assert len(lines_of(shell("log", "--since", "2000-01-01"))) == 2


def test_a_read_command_never_loads_textual(shared_sandbox: RunningSandbox) -> None:
    write_profile(shared_sandbox.url)
    probe = (
        "import sys\n"
        "from enkash_tui.cli import main\n"
        "code = main(['invoices', 'search', '--limit', '1', '--format', 'json'])\n"
        "assert code == 0, code\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print('TEXTUAL', loaded, file=sys.stderr)\n"
    )
    env = os.environ | {
        "ENKASH_CLIENT_SECRET": DEMO_CLIENT_SECRET,
        "ENKASH_PASSWORD": DEMO_PASSWORD,
    }
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=REPO, env=env, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "TEXTUAL []" in result.stderr
    assert json.loads(result.stdout)


def test_the_parsers_literals_are_the_apps_own() -> None:
    assert shell_args.FORMATS == FORMATS
    assert tuple(p.name for p in PRESETS) == shell_args.VIEWS
    assert tuple(BharatConnectStatus) == shell_args.BC_STATUSES
    assert tuple(ReminderStage) == shell_args.STAGES
    assert tuple(QUEUE_BY_NAME) == shell_args.BC_QUEUES


# -- changes --------------------------------------------------------------------------------


async def test_dispatch_from_a_file_of_numbers_reports_each_and_is_logged(
    start_sandbox: Any, make_client: MakeClient, tmp_path: Path
) -> None:
    sandbox = start_sandbox()
    write_profile(sandbox.url)
    client = await make_client(sandbox.url)
    unsent = (await client.search_invoices(BY_KEY["4"].build(clock.today()).filters, limit=3)).items
    numbers = [i.invoice_number or "" for i in unsent]
    sheet = tmp_path / "to-send.txt"
    sheet.write_text("# this morning's\n" + "\n".join(numbers) + "\n\n")

    # Off a terminal, not without --yes; and never in a read-only session: nothing sent.
    refused = shell("invoices", "dispatch", "--from", str(sheet))
    assert refused.returncode == 2 and "--yes" in refused.stderr
    readonly = shell("--readonly", "invoices", "dispatch", "--from", str(sheet), "--yes")
    assert readonly.returncode == 1 and "read-only" in readonly.stderr
    unknown = shell("invoices", "dispatch", numbers[0], "INV/NOT-THERE", "--yes")
    assert unknown.returncode == 1 and "not on EnKash: INV/NOT-THERE" in unknown.stderr
    assert not any([(await client.get_invoice(i.invoice_id)).dispatched for i in unsent])

    sent = lines_of(shell("invoices", "dispatch", "--from", str(sheet), "--yes"))
    assert [(r["invoice_number"], r["outcome"]) for r in sent] == [(n, "done") for n in numbers]
    assert all([(await client.get_invoice(i.invoice_id)).dispatched for i in unsent])
    [logged] = lines_of(shell("log", "--outcome", "ok"))
    assert logged["operation"] == "dispatch_invoices"
    assert set(logged["targets"].split()) == {i.invoice_id for i in unsent}


async def test_a_deletion_refused_for_some_exits_three_with_each_outcome_read_or_not(
    start_sandbox: Any, make_client: MakeClient
) -> None:
    sandbox = start_sandbox()
    write_profile(sandbox.url)
    client = await make_client(sandbox.url)
    unpaid = (await client.search_invoices(InvoiceFilter(receivable_statuses=["UNPAID"]),
                                           limit=1)).items[0]  # fmt: skip
    paid = (await client.search_invoices(InvoiceFilter(receivable_statuses=["PAID"]),
                                         limit=1)).items[0]  # fmt: skip
    result = shell("invoices", "delete-collection", unpaid.invoice_id, paid.invoice_id, "--yes")
    outcomes = {r["invoice_id"]: r["outcome"] for r in lines_of(result, code=3)}
    assert outcomes == {unpaid.invoice_id: "done", paid.invoice_id: "failed"}
    # Its report unread (`| head -0`): the exit code still says a change failed, quietly.
    again = shell_to_a_gone_reader("invoices", "delete-collection", paid.invoice_id, "--yes")
    assert (again.returncode, again.stderr) == (1, "")
    read = shell_to_a_gone_reader("invoices", "search", "--view", "all", "--all")
    assert (read.returncode, read.stderr) == (0, "")


async def test_a_network_queue_its_count_contacts_and_reminder_rules(
    shared_sandbox: RunningSandbox, make_client: MakeClient
) -> None:
    write_profile(shared_sandbox.url)
    client = await make_client(shared_sandbox.url)
    confirm = QUEUE_BY_NAME["confirm"].filters
    page = await client.search_invoices(confirm, limit=3)
    [count] = lines_of(shell("bc", "queue", "confirm", "--count"))
    assert count == {"count": page.total, "balance": f"{page.total_balance:.2f}"}
    assert shell("bc", "queue", "confirm", "--count", "--format", "csv").stdout == f"{page.total}\n"
    rows = lines_of(shell("bc", "queue", "confirm", "--limit", "3"))
    assert [r["invoice_id"] for r in rows] == [i.invoice_id for i in page.items]
    assert all(r["payment_id"] for r in rows)  # each waits on a payment the buyer reported

    someone = (await client.search_customers(limit=1)).items[0]
    contacts = [c for c in await client.get_customer_contacts(someone.customer_id) if not c.deleted]
    listed = lines_of(shell("customers", "contacts", someone.customer_id))
    assert [(r["name"], r["mobile"]) for r in listed] == [(c.name, c.mobile) for c in contacts]
    rules = lines_of(shell("reminders", "list", someone.customer_id))
    assert [r["rule_id"] for r in rules] == (
        [r.customer_reminder_id for r in someone.customer_reminders] or [None]
    )


async def test_customers_deactivated_and_activated_each_reported(
    start_sandbox: Any, make_client: MakeClient
) -> None:
    sandbox = start_sandbox()
    write_profile(sandbox.url)
    client = await make_client(sandbox.url)
    active = [c for c in (await client.search_customers(limit=10)).items if c.is_active][:2]
    ids = [c.customer_id for c in active]
    refused = shell("--readonly", "customers", "deactivate", *ids, "--yes")
    assert refused.returncode == 1 and "read-only" in refused.stderr
    missing = shell("customers", "deactivate", *ids, "KC0000000000NONE", "--yes")
    assert missing.returncode == 1 and "KC0000000000NONE" in missing.stderr
    assert shell("customers", "deactivate", *ids).returncode == 2  # no --yes off a terminal

    done = lines_of(shell("customers", "deactivate", *ids, "--yes"))
    assert [(r["customer_id"], r["outcome"]) for r in done] == [(i, "done") for i in ids]
    now = (await client.search_customers(CustomerFilter(customer_ids=ids), limit=5)).items
    assert {c.customer_id for c in now if not c.is_active} == set(ids)
    assert lines_of(shell("customers", "activate", ids[0], "--yes"))[0]["outcome"] == "done"


async def test_an_invoice_upload_checked_first_then_reported_row_by_row(
    start_sandbox: Any, make_client: MakeClient, tmp_path: Path
) -> None:
    sandbox = start_sandbox()
    write_profile(sandbox.url)
    client = await make_client(sandbox.url)
    customer = next(c for c in (await client.search_customers(limit=10)).items if c.is_active)
    tag = uuid.uuid4().hex[:6].upper()
    header = "customerId,invoiceNumber,invoiceDate,dueDate,baseAmount,cgst,sgst,igst\n"
    today, due = clock.today().isoformat(), (clock.today() + dt.timedelta(days=30)).isoformat()
    sheet = tmp_path / "invoices.csv"

    # A problem in the file: said by row and column, and nothing sent.
    sheet.write_text(header + f"{customer.customer_id},SH/{tag}/1,{today},31-12-2026,100,9,9,\n")
    checked = shell("invoices", "upload", str(sheet), "--yes")
    [problem] = lines_of(checked, code=1)
    assert (problem["row"], problem["column"]) == (2, "dueDate")
    assert not (await client.search_invoices(InvoiceFilter(invoice_number=f"SH/{tag}/1"))).items

    # EnKash takes one row and refuses the other (no such customer): exit 3, a line each.
    sheet.write_text(header + f"{customer.customer_id},SH/{tag}/1,{today},{due},100,9,9,\n"
                     f"KC0000000000NONE,SH/{tag}/2,{today},{due},100,9,9,\n")  # fmt: skip
    assert shell("invoices", "upload", str(sheet)).returncode == 2  # no --yes off a terminal
    lines = lines_of(shell("invoices", "upload", str(sheet), "--yes"), code=3)
    assert [(r["row"], r["reference"], r["outcome"]) for r in lines] == [
        (2, f"SH/{tag}/1", "created"),
        (3, f"SH/{tag}/2", "refused"),
    ]
    assert lines[1]["reason"]
    made = (await client.search_invoices(InvoiceFilter(invoice_number=f"SH/{tag}/1"))).items
    assert [i.invoice_id for i in made] == [lines[0]["id"]]
