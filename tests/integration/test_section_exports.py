"""The customer, reminder-rule and Bharat Connect exports through the real client against a
sandbox: every page is read, each record once, the figures are the server's."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from enkash_tui import clock
from enkash_tui.api import EnkashClient
from enkash_tui.domain.bharat_connect import QUEUES
from enkash_tui.domain.exports import NO_RULES
from enkash_tui.local.customer_cache import CustomerEntry
from enkash_tui.local.export_jobs import (
    FEW_CUSTOMERS,
    customers_export,
    queue_export,
    rules_export,
)
from enkash_tui.local.exports import write_export
from tests.support.sandboxes import RunningSandbox

from .test_customer_balances import expected_balances


@pytest.fixture
def today(shared_sandbox: RunningSandbox) -> dt.date:
    return shared_sandbox.settings.today or clock.today()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def money(cell: str) -> Decimal:
    assert cell == f"{Decimal(cell):.2f}", f"{cell!r} is not a plain amount"
    return Decimal(cell)


async def test_every_customer_is_written_once_with_what_they_owe(
    client: EnkashClient, today: dt.date, tmp_path: Path
) -> None:
    server = (await client.search_customers(limit=1)).total
    assert server and server > 50  # more than one page of the customer search
    owed = await expected_balances(client, today)
    seen: list[tuple[int, int | None, str]] = []

    done = await write_export(
        client,
        customers_export("", today),
        tmp_path / "customers.csv",
        lambda *step: seen.append(step),
    )

    rows = read_csv(done.path)
    assert done.rows == len(rows) == server
    assert len({row["Customer id"] for row in rows}) == server
    names = [row["Customer"].lstrip("'").lower() for row in rows]
    assert names == sorted(names)
    for row in rows:
        expected = owed.get(row["Customer id"])
        assert money(row["Balance"]) == (expected.balance if expected else 0)
        assert money(row["Overdue"]) == (expected.overdue if expected else 0)
        assert int(row["Open invoices"]) == (expected.open_count if expected else 0)
    # Read, then totalled: each step says how far it has got.
    assert ("customers read" in [what for *_, what in seen]) and seen[-1][0] == seen[-1][1]
    assert "open invoices totalled" in [what for *_, what in seen]


async def test_a_search_writes_what_the_lookup_lists_in_balance_order(
    client: EnkashClient, today: dt.date, tmp_path: Path
) -> None:
    everyone = [c async for c in client.iter_customers()]
    word = everyone[0].legal_name.split()[0] if everyone[0].legal_name else ""
    expected = {c.customer_id for c in everyone if CustomerEntry.of(c).matches(word)}
    assert word and 0 < len(expected) <= FEW_CUSTOMERS  # each balance asked of the server
    owed = await expected_balances(client, today)

    job = customers_export(word, today, order="balance")
    done = await write_export(client, job, tmp_path / job.file_name, lambda *_: None)

    rows = read_csv(done.path)
    assert {row["Customer id"] for row in rows} == expected and len(rows) == len(expected)
    balances = [money(row["Balance"]) for row in rows]
    assert balances == sorted(balances, reverse=True)
    for row in rows:
        expected_owed = owed.get(row["Customer id"])
        assert money(row["Overdue"]) == (expected_owed.overdue if expected_owed else 0)


async def test_each_rule_is_a_row_and_a_customer_without_rules_one_more(
    client: EnkashClient, today: dt.date, tmp_path: Path
) -> None:
    everyone = [c async for c in client.iter_customers()]
    rules = sum(len(c.customer_reminders) for c in everyone)
    silent = sum(1 for c in everyone if not c.customer_reminders)
    assert rules and silent  # the seed has both

    done = await write_export(
        client, rules_export("", today), tmp_path / "rules.csv", lambda *_: None
    )

    rows = read_csv(done.path)
    assert len(rows) == done.rows == rules + silent
    assert sum(1 for row in rows if row["Rule"] == NO_RULES) == silent
    ids = [row["Rule id"] for row in rows if row["Rule"] != NO_RULES]
    assert len(ids) == len(set(ids)) == rules
    for row in rows:
        if row["Rule"] != NO_RULES:
            assert int(row["Days from due"]) in range(-365, 366)
            assert row["Type"] in ("once", "repeats")

    # The every-rule view (a) lists only customers with rules: so does its export.
    job = rules_export("", today, only_with_rules=True)
    done_all = await write_export(client, job, tmp_path / "all.csv", lambda *_: None)
    every_rule = read_csv(done_all.path)
    assert len(every_rule) == rules
    assert {row["Rule id"] for row in every_rule} == set(ids)


async def test_a_queue_is_written_whole_page_after_page_in_the_lists_order(
    client: EnkashClient, today: dt.date, tmp_path: Path
) -> None:
    sizes = {q.key: (await client.search_invoices(q.filters, limit=1)).total or 0 for q in QUEUES}
    queue = next(q for q in QUEUES if sizes[q.key] > 3)
    everything = (await client.search_invoices(queue.filters, limit=1000)).items

    job = queue_export(queue, today, sort="amount", page_size=2)
    done = await write_export(client, job, tmp_path / job.file_name, lambda *_: None)

    rows = read_csv(done.path)
    assert len(rows) == done.rows == sizes[queue.key]
    assert sorted(row["Invoice id"] for row in rows) == sorted(i.invoice_id for i in everything)
    balances = [money(row["Balance"]) for row in rows]
    assert balances == sorted(balances, reverse=True)  # the list's "balance, largest first"
    assert all(row["Network status"] and int(row["Version"]) >= 1 for row in rows)
    assert job.file_name.startswith("bharat-connect-") and job.file_name.endswith(f"{today}.csv")
