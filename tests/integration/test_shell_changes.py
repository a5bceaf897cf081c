"""The shell's other changes, run as a user runs them against a real sandbox: reminder rules
added, edited and deleted; Bharat Connect payments answered and statuses moved; new customers
uploaded and updated; a lost reply checked with EnKash (done, or unknown: exit 4), never sent
again; and the progress bar kept off a stderr that is not a terminal."""

from __future__ import annotations

import asyncio
import io
import os
import pty
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from enkash_tui.api.models import CustomerFilter, Invoice, InvoiceFilter
from enkash_tui.sandbox_demo import DEMO_CLIENT_ID
from enkash_tui.shell.more_reads import QUEUE_BY_NAME
from enkash_tui.shell.progress import Progress, line
from tests.integration.conftest import MakeClient
from tests.support.lossy_proxy import LossyProxy
from tests.support.shell_runs import (
    REPO,
    environment,
    lines_of,
    shell,
    shell_async,
    write_profile,
)


async def test_a_reminder_rule_added_edited_and_deleted_each_checked_first(
    start_sandbox: Any, make_client: MakeClient
) -> None:
    sandbox = start_sandbox()
    write_profile(sandbox.url)
    client = await make_client(sandbox.url)
    owner = (await client.search_customers(limit=1)).items[0].customer_id
    before = await client.list_reminders(owner)

    # A rule EnKash would refuse is said by its option, before anything is sent.
    bad = shell("reminders", "add", owner, "--days", "400", "--at", "25:00", "--yes")
    assert bad.returncode == 2
    assert "--days: 365 or less" in bad.stderr and "--at: a time as HH:mm" in bad.stderr
    assert shell("reminders", "add", owner, "--every", "0", "--yes").returncode == 2
    unasked = shell("reminders", "add", owner, "--days", "-3")  # "-3" is a value, not an option
    assert unasked.returncode == 2 and "needs --yes" in unasked.stderr
    readonly = shell("--readonly", "reminders", "add", owner, "--days", "-3", "--yes")
    assert readonly.returncode == 1 and "read-only" in readonly.stderr
    assert await client.list_reminders(owner) == before

    [added] = lines_of(shell("reminders", "add", owner, "--days", "-3", "--at", "09:30", "--yes"))
    assert (added["outcome"], added["rule"], added["time"]) == (
        "done",
        "3 days before due",
        "09:30",
    )
    rule_id = added["rule_id"]
    [stored] = [r for r in await client.list_reminders(owner) if r.customer_reminder_id == rule_id]
    assert (stored.due_date_difference, stored.reminder_type) == (-3, "ONCE")

    # An edit's values are checked before signing in (no secrets: it would fail to sign in).
    early = shell("reminders", "edit", rule_id, "--at", "25:00", "--yes", secrets=False)
    assert early.returncode == 2 and early.stderr.startswith("enkash-tui: --at: a time as HH:mm")
    for change in (("edit", rule_id, "--days", "1"), ("delete", rule_id)):
        refused = shell("--readonly", "reminders", *change, "--yes")
        assert refused.returncode == 1 and "read-only" in refused.stderr
    odd = shell("reminders", "delete", "..", "--yes")
    assert odd.returncode == 2 and "Traceback" not in odd.stderr
    [edited] = lines_of(shell("reminders", "edit", rule_id, "--every", "2", "--stage", "before_due",
                              "--yes"))  # fmt: skip
    assert (edited["type"], edited["repeat_every_days"]) == ("repeats", 2)
    assert edited["stage"] == "BEFORE_DUE"
    stored = await client.get_reminder(rule_id)
    assert (stored.reminder_type, stored.reminder_interval, stored.stage) == (
        "RECURRING", 2, "BEFORE_DUE")  # fmt: skip
    [cleared] = lines_of(shell("reminders", "edit", rule_id, "--once", "--stage", "none", "--yes"))
    assert (cleared["type"], cleared["stage"]) == ("once", None)
    [same] = lines_of(shell("reminders", "edit", rule_id, "--yes"))
    assert same["message"] == "unchanged"

    [deleted] = lines_of(shell("reminders", "delete", rule_id, "--yes"))
    assert deleted["outcome"] == "done"
    assert await client.list_reminders(owner) == before
    gone = shell("reminders", "delete", rule_id, "--yes")
    assert gone.returncode == 1 and "not found" in gone.stderr
    logged = [(r["operation"], r["outcome"]) for r in lines_of(shell("log", "--limit", "4"))]
    assert logged == [("delete_reminder", "ok"), ("update_reminder", "ok"),
                      ("update_reminder", "ok"), ("create_reminder", "ok")]  # fmt: skip


async def on_a_terminal(*argv: str) -> str:
    """What ``enkash-tui argv…`` wrote to its stderr, a terminal (stdout still a pipe)."""
    main, side = pty.openpty()
    try:
        await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "enkash_tui", *argv],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=side,
                                cwd=REPO, env=environment(), timeout=60)  # fmt: skip
        os.close(side)
        said = b""
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal's other side has closed: all is read
                break
            if not chunk:
                break
            said += chunk
        return said.decode()
    finally:
        os.close(main)


async def _queue(client: Any, name: str) -> list[Invoice]:
    return list((await client.search_invoices(QUEUE_BY_NAME[name].filters, limit=200)).items)


async def test_buyer_payments_answered_and_statuses_moved_each_checked_first(
    start_sandbox: Any, make_client: MakeClient
) -> None:
    sandbox = start_sandbox()
    write_profile(sandbox.url)
    client = await make_client(sandbox.url)
    waiting = await _queue(client, "confirm")
    on_network = next(i for i in waiting if i.bharat_connect.reported_payment.type == "ONPLATFORM")  # type: ignore[union-attr]
    ids = [i.invoice_id for i in waiting[:3]]

    # Only an off-network payment may be rejected; remarks EnKash would refuse; no payment.
    refused = shell("bc", "confirm", on_network.invoice_id, "--reject", "--remarks", "no", "--yes")
    assert refused.returncode == 1 and "ONPLATFORM" in refused.stderr
    assert "nothing sent" in refused.stderr
    quoted = shell("bc", "confirm", *ids, "--accept", "--remarks", 'say "hi"', "--yes")
    assert quoted.returncode == 2 and "--remarks" in quoted.stderr
    created = [i for i in await _queue(client, "awaiting") if i.invoice_id not in ids][:2]
    none_reported = shell("bc", "confirm", created[0].invoice_id, "--accept", "--remarks", "ok",
                          "--yes")  # fmt: skip
    assert none_reported.returncode == 1 and "no payment waiting" in none_reported.stderr
    assert [i.invoice_id for i in await _queue(client, "confirm")][:3] == ids

    for change in (("confirm", ids[0], "--accept"), ("status", ids[0], "--to", "PAID")):
        readonly = shell("--readonly", "bc", *change, "--remarks", "ok", "--yes")
        assert readonly.returncode == 1 and "read-only" in readonly.stderr
    # A payment type EnKash did not say (or one unknown here) is not guessed: nothing is sent.
    set_payment = "UPDATE bc_invoices SET payment_id = ?, payment_type = ? WHERE invoice_id = ?"
    sandbox.conn.execute(set_payment, ("PMTODDTYPE", "UPI", ids[1]))
    odd = shell("bc", "confirm", *ids, "--accept", "--remarks", "ok", "--yes")
    assert odd.returncode == 1 and "did not say how payment PMTODDTYPE was made" in odd.stderr
    assert [i.invoice_id for i in await _queue(client, "confirm")][:3] == ids

    # One payment covers the first and the third: accepted by number and id mixed, one
    # confirmation a payment, each invoice reported in the order named; the queue lets them go.
    sandbox.conn.execute(set_payment, ("PMTSHAREDBYTWO", "OFFPLATFORM", ids[0]))
    sandbox.conn.execute(set_payment, ("PMTSHAREDBYTWO", "OFFPLATFORM", ids[2]))
    sandbox.conn.execute(set_payment, ("PMTONLYONE", "ONPLATFORM", ids[1]))
    named = [waiting[0].invoice_number or "", *ids[1:]]
    answered = lines_of(shell("bc", "confirm", *named, "--accept", "--remarks", "Received",
                              "--yes"))  # fmt: skip
    assert [(r["invoice_id"], r["outcome"]) for r in answered] == [(i, "done") for i in ids]
    assert not set(ids) & {i.invoice_id for i in await _queue(client, "confirm")}
    logged = [(r["operation"], set(r["targets"].split())) for r in lines_of(shell("log"))]
    assert logged[:2] == [("confirm_payment", {"PMTONLYONE", ids[1]}),
                          ("confirm_payment", {"PMTSHAREDBYTWO", ids[0], ids[2]})]  # fmt: skip

    # A move each invoice may make, with the versions it had; one none may make is refused.
    versions = {i.invoice_id: i.bharat_connect.object_version for i in created}  # type: ignore[union-attr]
    moved = lines_of(shell("bc", "status", *versions, "--to", "accepted", "--remarks", "Agreed",
                           "--yes"))  # fmt: skip
    assert [(r["invoice_id"], r["outcome"]) for r in moved] == [(i, "done") for i in versions]
    for invoice_id, version in versions.items():
        bc = (await client.get_invoice(invoice_id)).bharat_connect
        assert bc is not None and (bc.status, bc.object_version) == ("ACCEPTED", version + 1)
    back = shell("bc", "status", *versions, "--to", "CREATED", "--remarks", "x", "--yes")
    assert back.returncode == 1 and "is ACCEPTED: it can move to CANCELLED, PAID" in back.stderr


async def test_new_customers_uploaded_updated_and_deleted_each_reported(
    start_sandbox: Any, make_client: MakeClient, tmp_path: Path
) -> None:
    sandbox = start_sandbox()
    client = await make_client(sandbox.url)
    tag = uuid.uuid4().hex[:6].upper()
    sheet = tmp_path / "new-customers.csv"
    sheet.write_text(
        "legalName,state,pinCode,contactName,contactMobile,contactEmail\n"
        f"Shell {tag} One Pvt Ltd,Maharashtra,411001,Ravi Kumar,9812345678,ravi@one.in\n"
        f"Shell {tag} Two LLP,Karnataka,560001,Asha Rao,9845012345,asha@two.in\n"
    )
    write_profile(sandbox.url)  # no company id: only the profile can give it
    unsaid = shell("customers", "upload", str(sheet), "--yes")
    assert unsaid.returncode == 2 and "company_id" in unsaid.stderr

    write_profile(sandbox.url, company_id=DEMO_CLIENT_ID)
    rows = lines_of(shell("customers", "upload", str(sheet), "--yes"))
    assert [(r["row"], r["outcome"]) for r in rows] == [(2, "created"), (3, "created")]
    found = (await client.search_customers(CustomerFilter(legal_name=f"Shell {tag}"))).items
    assert sorted(c.customer_id for c in found) == sorted(r["id"] for r in rows)

    update = tmp_path / "update.csv"
    update.write_text(f"customerId,pinCode\n{rows[0]['id']},411002\nKC0000000000NONE,411003\n")
    lines = lines_of(shell("customers", "upload", str(update), "--update", "--yes"), code=3)
    assert [(r["row"], r["outcome"]) for r in lines] == [(2, "updated"), (3, "refused")]
    [now] = (await client.search_customers(CustomerFilter(customer_ids=[rows[0]["id"]]))).items
    assert now.pin_code == "411002"

    # And the second one deleted: gone from EnKash's searches.
    [deleted] = lines_of(shell("customers", "delete", rows[1]["id"], "--yes"))
    assert (deleted["customer_id"], deleted["outcome"]) == (rows[1]["id"], "done")
    left = (await client.search_customers(CustomerFilter(customer_ids=[rows[1]["id"]]))).items
    assert all(c.deleted for c in left)


async def test_a_lost_reply_is_asked_about_never_sent_again_and_unknown_exits_four(
    start_sandbox: Any, make_client: MakeClient
) -> None:
    sandbox = start_sandbox()
    client = await make_client(sandbox.url)
    owner = (await client.search_customers(limit=1)).items[0].customer_id
    proxy = await LossyProxy(sandbox.url).start()
    try:
        write_profile(proxy.url)
        # The rule is made but its reply lost: EnKash's rules say it took; sent once.
        proxy.lose("POST", "/api/v0/customer-reminder", "after")
        result = await shell_async("reminders", "add", owner, "--days", "2", "--yes")
        [added] = lines_of(result)
        assert (added["outcome"], added["message"]) == ("done", "checked after the reply was lost")
        assert proxy.count("POST", "/api/v0/customer-reminder") == 1
        assert added["rule_id"] in {r.customer_reminder_id
                                    for r in await client.list_reminders(owner)}  # fmt: skip

        # A deletion lost on its way: the rule is still there, so it did not take (exit 1).
        proxy.lose("DELETE", "/api/v0/customer-reminder/*", "before")
        kept = await shell_async("reminders", "delete", added["rule_id"], "--yes")
        [row] = lines_of(kept, code=1)
        assert (row["outcome"], row["message"]) == ("failed", "still there: the request did not "
                                                    "take effect")  # fmt: skip
        assert proxy.count("DELETE", f"/api/v0/customer-reminder/{added['rule_id']}") == 0

        # A payment accepted, its reply lost: the invoice no longer waits, so it took; sent once.
        [waiting] = (await _queue(client, "confirm"))[:1]
        proxy.lose("POST", "/api/v0/invoice/payment-confirmation", "after")
        result = await shell_async("bc", "confirm", waiting.invoice_id, "--accept", "--remarks",
                                   "Received", "--yes")  # fmt: skip
        [row] = lines_of(result)
        assert (row["outcome"], row["message"]) == ("done", "accepted (checked after the reply "
                                                    "was lost)")  # fmt: skip
        assert proxy.count("POST", "/api/v0/invoice/payment-confirmation") == 1

        # A status change whose reply is lost, and EnKash cannot be asked either: unknown.
        [invoice] = (await _queue(client, "awaiting"))[:1]
        proxy.lose("POST", "/api/v0/invoice/change-status", "after")
        for _attempt in range(3):  # a search is retried: every try is lost
            proxy.lose("POST", "/api/v0/invoice/search", "before")
        result = await shell_async("bc", "status", invoice.invoice_id, "--to", "ACCEPTED",
                                   "--remarks", "Agreed", "--yes")  # fmt: skip
        [row] = lines_of(result, code=4)
        assert row["outcome"] == "unknown" and "Outcome unknown" in row["message"]
        assert proxy.count("POST", "/api/v0/invoice/change-status") == 1
    finally:
        await proxy.stop()
    logged = lines_of(shell("log", "--limit", "1"))
    assert (logged[0]["operation"], logged[0]["outcome"]) == ("change_invoice_status", "unknown")


async def test_a_bar_counts_long_work_on_a_terminals_stderr_and_nowhere_else(
    shared_sandbox: Any, make_client: MakeClient
) -> None:
    write_profile(shared_sandbox.url)
    result = shell("invoices", "search", "--view", "all", "--all", "--format", "csv")
    assert result.returncode == 0 and result.stderr == ""  # piped: no bar, no noise
    # Invoices looked up one by one (then refused: nothing changes) with stderr a terminal.
    client = await make_client(shared_sandbox.url)
    ids = [i.invoice_id for i in (await client.search_invoices(InvoiceFilter(), limit=3)).items]
    named = [*ids, "INV/NO-SUCH-INVOICE"]  # not on EnKash: nothing can be sent
    stderr = await on_a_terminal("bc", "confirm", *named, "--accept", "--remarks", "ok", "--yes")
    assert "Looking up invoices" in stderr and "4 / 4" in stderr
    assert "not on EnKash: INV/NO-SUCH-INVOICE; nothing sent" in stderr
    bar_cleared = stderr.index("\r\x1b[K")
    assert stderr.index("enkash-tui: ") > bar_cleared  # said on a clean line

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    with Progress("Reading invoices", screen) as progress:
        progress.update(1000, 2345)
    assert "Reading invoices" in screen.getvalue() and "1,000 / 2,345" in screen.getvalue()
    assert screen.getvalue().endswith("\r\x1b[K")  # cleared for what follows
    piped = io.StringIO()
    with Progress("Reading invoices", piped) as progress:
        progress.update(1000, 2345)
    assert piped.getvalue() == ""
    assert line("Uploading a.csv", 0, None) == "Uploading a.csv…"
    assert line("x", 3, 3).count("━") == 24 and "─" not in line("x", 3, 3)
