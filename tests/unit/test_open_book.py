"""The open book (no Textual, no server): one pass's totals both ways equal the aging and the
per-customer balances added up separately, page by page or at once; when a pass is fresh; and its
file (private, read back whole, damaged files read as none, one per profile and server)."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest

from enkash_tui.api.models import Invoice
from enkash_tui.domain.aging import FRESH_FOR, Aging, buckets_for
from enkash_tui.domain.open_book import Balance, OpenBook, OpenTotals, Tally
from enkash_tui.local.customer_cache import cache_path
from enkash_tui.local.open_book_cache import (
    FORMAT,
    load_open_book,
    open_book_path,
    save_open_book,
)
from tests.support.open_invoices import TODAY
from tests.support.open_invoices import open_invoice as invoice

ENDS = (30, 60, 90)
AT = 1_750_000_000.25


def invoices() -> list[Invoice]:
    """Every kind the pass meets: current and late by each bucket, settled, no due date, no
    customer, a dozen debtors (more than Home lists), paise that must add up exactly."""
    found = [
        invoice(-3, "100.10", "CUST-A", "Acme"),
        invoice(0, "0.01", "CUST-A", "Acme"),
        invoice(1, "250.25", "CUST-A", "Acme"),
        invoice(45, "999.99", "CUST-B", "Bharat Steel"),
        invoice(75, "0", "CUST-B", "Bharat Steel"),  # settled: counted, owes nothing
        invoice(200, "12345.67", "CUST-C", "Chola"),
        invoice(None, "40.00", "CUST-C", "Chola"),  # no due date: current
        invoice(10, "5.05", None, None),  # no customer: aged, nobody's balance
        invoice(30, None, "CUST-D", "Deccan"),  # no balance at all
    ]
    found += [invoice(5 + 9 * n, f"{n + 1}.{n:02d}", f"CUST-{n:02d}", f"Käufer {n}")
              for n in range(12)]  # fmt: skip
    return found


def separately(found: list[Invoice]) -> tuple[Aging, dict[str, Balance]]:
    """The aging and the balances as the two walks used to add them up, each on its own."""
    aging = Aging.empty(ENDS)
    tallies: dict[str, Tally] = {}
    for item in found:
        aging.add(item, TODAY)
        if item.customer_id:
            tallies.setdefault(item.customer_id, Tally()).add(item, TODAY)
    return aging, {key: t.total() for key, t in tallies.items()}


def made(found: list[Invoice] | None = None, page: int = 1000) -> OpenBook:
    totals = OpenTotals(TODAY, ENDS)
    found = invoices() if found is None else found
    for start in range(0, len(found), page):
        totals.add(found[start : start + page])
    return totals.book(AT)


# -- one pass, both totals -----------------------------------------------------------------------


@pytest.mark.parametrize("page", [1, 4, 1000])
def test_one_pass_gives_the_aging_and_the_balances_the_separate_walks_gave(page: int) -> None:
    aging, balances = separately(invoices())

    book = made(page=page)

    assert book.aging.buckets == aging.buckets  # counts and rupees to the paisa
    assert book.aging.debtors == aging.debtors
    assert book.aging.top() == aging.top()
    assert book.balances == balances
    assert book.walked == len(invoices())
    assert (book.computed_at, book.today) == (AT, TODAY)
    assert "CUST-D" in book.balances and book.balances["CUST-D"].balance == 0
    assert all(key is not None for key in book.balances)


def test_an_empty_book() -> None:
    book = made([])
    assert book.walked == 0 and book.balances == {} and book.aging.total == 0
    assert book.computed_at == AT


def test_a_pass_is_fresh_for_its_day_until_fresh_for_seconds_old() -> None:
    book = made()
    assert book.fresh(TODAY, AT)
    assert book.fresh(TODAY, AT + FRESH_FOR)
    assert not book.fresh(TODAY, AT + FRESH_FOR + 1)
    assert not book.fresh(TODAY + dt.timedelta(days=1), AT + 60)  # buckets are by day
    assert not OpenBook(Aging.empty(ENDS)).fresh(TODAY, AT)  # never computed


def test_its_aging_is_for_its_bucket_ends_only() -> None:
    book = made()
    assert book.fits(ENDS) and book.aging_for(ENDS) is book.aging
    assert not book.fits((15, 45))
    other = book.aging_for((15, 45))
    assert other.computed_at is None and other.buckets == buckets_for((15, 45))


# -- the file ------------------------------------------------------------------------------------


def test_save_then_load_is_private_and_gives_the_same_figures(tmp_path: Path) -> None:
    book = made()
    path = tmp_path / "deep" / "open-book.json"

    save_open_book(book, path)
    loaded = load_open_book(path)

    assert os.stat(path).st_mode & 0o777 == 0o600
    assert loaded is not None
    assert (loaded.computed_at, loaded.today) == (AT, TODAY)
    assert loaded.aging.buckets == book.aging.buckets
    assert loaded.balances == book.balances
    assert loaded.fresh(TODAY, AT + 1) and loaded.fits(ENDS)
    # Only the ten Home shows are kept, in the same order with the same figures.
    assert len(book.aging.debtors) > 10
    assert loaded.aging.top() == book.aging.top()
    assert len(loaded.aging.debtors) == 10


def test_a_book_of_other_ends_loads_with_its_balances(tmp_path: Path) -> None:
    totals = OpenTotals(TODAY, (15, 45))
    totals.add(invoices())
    book = totals.book(AT)
    path = tmp_path / "open-book.json"
    save_open_book(book, path)

    loaded = load_open_book(path)

    assert loaded is not None
    assert loaded.fits((15, 45)) and not loaded.fits(ENDS)
    assert loaded.aging.buckets == book.aging.buckets
    assert loaded.balances == made().balances


def saved_data() -> dict[str, Any]:
    book = made()
    return {
        "format": FORMAT,
        "computed_at": AT,
        "today": TODAY.isoformat(),
        "ends": list(ENDS),
        "buckets": [[b.count, str(b.balance)] for b in book.aging.buckets],
        "top": [[d.customer_id, d.name, str(d.overdue), d.count] for d in book.aging.top()],
        "balances": {key: value.to_json() for key, value in book.balances.items()},
    }


def damaged(change: str) -> str:
    data = saved_data()
    if change == "format":
        data["format"] = FORMAT + 1
    elif change == "a list":
        return json.dumps([data])
    elif change.startswith("no "):
        del data[change[3:]]
    elif change == "computed_at text":
        data["computed_at"] = "yesterday"
    elif change == "never computed":
        data["computed_at"] = None
    elif change == "bad today":
        data["today"] = "30/06/2026"
    elif change == "empty ends":
        data["ends"] = []
    elif change == "an end not a number":
        data["ends"] = [30, "sixty", 90]
    elif change == "a bucket too few":
        data["buckets"] = data["buckets"][:-1]
    elif change == "bad amount":
        data["buckets"][1][1] = "lots"
    elif change == "bad count":
        data["buckets"][1][0] = "three"
    elif change == "short bucket":
        data["buckets"][1] = data["buckets"][1][:1]
    elif change == "short debtor":
        data["top"][0] = data["top"][0][:2]
    elif change == "bad balance":
        data["balances"]["CUST-A"] = [1, "ten", "0", None]
    elif change == "short balance":
        data["balances"]["CUST-A"] = [1, "10.00", "0"]
    elif change == "bad oldest":
        data["balances"]["CUST-A"] = [1, "10.00", "0", "2024-13-45"]
    elif change == "balances a list":
        data["balances"] = ["CUST-A"]
    return json.dumps(data)


CHANGES = [
    "format", "a list", "no computed_at", "no today", "no ends", "no buckets", "no top",
    "no balances", "computed_at text", "never computed", "bad today", "empty ends",
    "an end not a number", "a bucket too few", "bad amount", "bad count", "short bucket",
    "short debtor", "bad balance", "short balance", "bad oldest", "balances a list",
]  # fmt: skip


@pytest.mark.parametrize(
    "content",
    [
        pytest.param("", id="empty"),
        pytest.param("{not json", id="not-json"),
        pytest.param("null", id="null"),
        pytest.param("42", id="a-number"),
        *(pytest.param(damaged(c), id=c.replace(" ", "-")) for c in CHANGES),
    ],
)
def test_a_damaged_file_loads_as_none(tmp_path: Path, content: str) -> None:
    path = tmp_path / "open-book.json"
    path.write_text(content, encoding="utf-8")
    assert load_open_book(path) is None


def test_the_intact_file_those_are_made_from_loads(tmp_path: Path) -> None:
    path = tmp_path / "open-book.json"
    path.write_text(damaged("nothing"), encoding="utf-8")
    loaded = load_open_book(path)
    assert loaded is not None and loaded.balances == made().balances


def test_unreadable_or_missing_files_load_as_none(tmp_path: Path) -> None:
    assert load_open_book(tmp_path / "missing.json") is None
    assert load_open_book(tmp_path) is None  # a folder
    bad_bytes = tmp_path / "latin1.json"
    bad_bytes.write_bytes(b'{"format": 1, "today": "\xff"}')
    assert load_open_book(bad_bytes) is None


def test_the_file_is_beside_the_customer_cache_per_profile_and_server(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENKASH_TUI_CACHE_DIR", str(tmp_path))
    path = open_book_path("Sandbox", "sandbox")
    assert path.parent == cache_path("Sandbox", "sandbox").parent == tmp_path
    assert path.name.startswith("open-book-sandbox-")
    assert path == open_book_path("Sandbox", "sandbox")
    assert path != open_book_path("Sandbox", "https://api.enkash.in/")
    assert path != open_book_path("UAT", "sandbox")
