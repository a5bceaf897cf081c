"""Every preset's invoice search reads the sandbox's indexes, never the whole table.

The SQL is the sandbox's own: each preset (``domain.invoices.PRESETS``) is searched through the
search handler, as the Invoices screen asks for its first page and as a Home tile asks for one
row, and every statement it runs is explained with EXPLAIN QUERY PLAN on a small seeded book
after ``analyze`` (SQLite plans it as on 100,000 invoices). Nothing here is timed:
``python -m benchmarks.sandbox_search`` measures.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pytest

from enkash_tui.api.models.search import InvoicePageRequest
from enkash_tui.domain.invoices import AWAITING_APPROVAL, PRESETS, InvoiceQuery, Preset
from enkash_tui.sandbox import db
from enkash_tui.sandbox.context import Call
from enkash_tui.sandbox.routes.invoice_search import search_invoices
from enkash_tui.sandbox.seed.book import DEMO_COMPANY_ID, DEMO_USERNAME, seed

TODAY = dt.date(2026, 11, 25)
SCREEN_PAGE = 100  # screens/invoices/screen.py PAGE_SIZE
# The invoice columns each filter of a preset reads.
FILTER_COLUMNS = {
    "receivable_statuses": "receivable_status",
    "approval_statuses": "approval_status",
    "dispatched": "dispatched",
    "due_date_from": "due_date",
    "due_date_to": "due_date",
}


@dataclass
class Recording:
    """A connection that notes every statement run through it (and its arguments)."""

    conn: sqlite3.Connection
    statements: list[tuple[str, tuple[Any, ...]]] = field(default_factory=list)

    def execute(self, sql: str, args: Any = ()) -> sqlite3.Cursor:
        self.statements.append((sql, tuple(args)))
        return self.conn.execute(sql, args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


@dataclass(frozen=True)
class Plan:
    """One statement of a search and how SQLite means to run it."""

    role: str  # "count" (count and summed balance), "page" (the page's rowids), "rows"
    sql: str
    steps: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.role}: {self.sql}\n  " + "\n  ".join(self.steps)


def _window(query: InvoiceQuery, form: str) -> dict[str, str]:
    """The query string of the Invoices screen's first page, or of a Home tile (one row)."""
    if form == "tile":
        window = InvoicePageRequest(limit=1)
    else:
        window = InvoicePageRequest.model_validate(
            {"limit": SCREEN_PAGE, "order_by": query.order_by, "direction": query.direction}
        )
    return {key: str(value) for key, value in window.to_query().items()}


async def plans(conn: sqlite3.Connection, query: InvoiceQuery, form: str) -> list[Plan]:
    """The plans of the statements the sandbox runs for ``query`` asked as ``form``."""
    recording = Recording(conn)
    call = Call(
        cast(sqlite3.Connection, recording), DEMO_COMPANY_ID, DEMO_USERNAME, "", {},
        _window(query, form), query.filters.to_wire(),
    )  # fmt: skip
    await search_invoices(call)
    on_invoices = [(sql, args) for sql, args in recording.statements if "FROM invoices" in sql]
    # The search's own three: count and summed balance, the page's rowids, the page's rows.
    assert len(on_invoices) >= 3, on_invoices
    return [
        Plan(role, sql, tuple(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", args)))
        for role, (sql, args) in zip(("count", "page", "rows"), on_invoices[:3], strict=True)
    ]


def problems(preset: Preset, found: list[Plan]) -> list[str]:
    """What is wrong with a preset's plans: a step reading every invoice, or a count and summed
    balance that reads the table or more of an index than the preset's filters select."""
    query = preset.build(TODAY)
    said = []
    for plan in found:
        for step in plan.steps:
            if step.startswith("SCAN") and ("SCAN i" in step or "SCAN invoices" in step):
                said.append(f"reads every invoice: {plan}")
    [count, *_] = found
    columns = {
        column for name, column in FILTER_COLUMNS.items()
        if getattr(query.filters, name) is not None
    }  # fmt: skip
    reading = " ".join(count.steps)
    if "COVERING INDEX" not in reading:
        said.append(f"the count and summed balance read the table: {count}")
    elif columns and not any(re.search(rf"\b{column}[=<>]", reading) for column in columns):
        said.append(f"the count reads past what {sorted(columns)} select: {count}")
    return said


@pytest.fixture(scope="module")
def book() -> Iterator[sqlite3.Connection]:
    conn = db.connect(":memory:")
    seed(conn, invoices=600, customers=60, today=TODAY)
    db.analyze(conn)
    yield conn
    conn.close()


@pytest.mark.parametrize("form", ["page", "tile"])
@pytest.mark.parametrize("preset", PRESETS, ids=[preset.name for preset in PRESETS])
async def test_every_preset_reads_indexes(
    book: sqlite3.Connection, preset: Preset, form: str
) -> None:
    found = await plans(book, preset.build(TODAY), form)
    assert problems(preset, found) == []
    # Every step on the invoices table goes through an index or the rowid.
    for plan in found:
        for step in plan.steps:
            if " i " in f" {step} " or " invoices " in f" {step} ":
                assert step.startswith("SEARCH"), plan
                assert "INDEX" in step or "INTEGER PRIMARY KEY" in step, plan


@pytest.mark.parametrize("form", ["page", "tile"])
async def test_awaiting_approval_reads_only_the_pending(
    book: sqlite3.Connection, form: str
) -> None:
    """The pending statuses are a few in a hundred: their page is read from the approval index
    and sorted, not found by walking every invoice in creation order (``db.analyze`` tells the
    planner how few they are)."""
    [preset] = [preset for preset in PRESETS if preset.build(TODAY).label == "Awaiting approval"]
    _, page, _ = await plans(book, preset.build(TODAY), form)
    assert "approval_status=" in " ".join(page.steps), page


def test_the_sandbox_knows_what_awaiting_approval_asks_for() -> None:
    assert sorted(db.PENDING_APPROVAL) == sorted(status.value for status in AWAITING_APPROVAL)


@pytest.mark.parametrize(
    ("index", "label"),
    [
        ("invoices_approval", "Awaiting approval"),
        ("invoices_dispatched_status", "Not dispatched"),
        ("invoices_status_due_balance", "Partly paid"),
        ("invoices_status_due_balance", "Open"),
    ],
)
async def test_the_check_fails_without_the_index(index: str, label: str) -> None:
    conn = db.connect(":memory:")
    seed(conn, invoices=600, customers=60, today=TODAY)
    conn.execute(f"DROP INDEX {index}")
    db.analyze(conn)
    [preset] = [preset for preset in PRESETS if preset.build(TODAY).label == label]
    for form in ("page", "tile"):
        assert problems(preset, await plans(conn, preset.build(TODAY), form)), form
    conn.close()


async def test_an_older_book_gains_the_indexes_and_their_statistics(tmp_path: Path) -> None:
    """A book made before an index existed gets it, and statistics for it, when opened."""
    path = tmp_path / "sandbox.db"
    conn = db.connect(path)
    seed(conn, invoices=600, customers=60, today=TODAY)
    assert db.needs_statistics(conn)  # seeded, never analyzed
    db.analyze(conn)
    assert not db.needs_statistics(conn)
    conn.execute("DROP INDEX invoices_approval")  # as a book made before it
    conn.close()

    conn = db.connect(path)
    assert not db.needs_statistics(conn)
    (stat,) = conn.execute(
        "SELECT stat FROM sqlite_stat1 WHERE idx = 'invoices_approval'"
    ).fetchone()
    [preset] = [preset for preset in PRESETS if preset.build(TODAY).label == "Awaiting approval"]
    found = await plans(conn, preset.build(TODAY), "page")
    assert problems(preset, found) == [], stat
    assert "approval_status=" in " ".join(found[1].steps), found[1]
    conn.close()


def test_an_empty_book_needs_no_statistics() -> None:
    conn = db.connect(":memory:")
    assert not db.needs_statistics(conn)
    conn.close()
