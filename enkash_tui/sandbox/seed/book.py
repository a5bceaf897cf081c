"""Deterministic demo data for the sandbox: two companies, their customers, invoices and more.

``seed(conn)`` fills an empty database made by ``db.connect``. The same arguments always give
byte-identical rows: every choice comes from ``random.Random(seed)`` and every date from
``today``. Amounts are integer paise; timestamps are ``YYYY-MM-DDTHH:MM:SSZ`` (UTC), placed in
Indian business hours, and everything happens strictly before ``today``.

This module holds the two companies and their users, and writes the rows; they are made by
``customers`` (customers, key contacts, reminder rules; the seeder's id and time helpers),
``invoices`` (invoices, attachments) and ``network`` (Bharat Connect and its history).
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from enkash_tui import clock
from enkash_tui.api.gst import check_char as gstin_check_char
from enkash_tui.sandbox.seed.customers import (
    CONTACT_COLUMNS,
    CUSTOMER_COLUMNS,
    REMINDER_COLUMNS,
    Company,
)
from enkash_tui.sandbox.seed.invoices import ATTACHMENT_COLUMNS, INVOICE_COLUMNS
from enkash_tui.sandbox.seed.invoices import COLLECTION_MODES as COLLECTION_MODES
from enkash_tui.sandbox.seed.invoices import FILES_BASE as FILES_BASE
from enkash_tui.sandbox.seed.invoices import PAYMENT_LINK_BASE as PAYMENT_LINK_BASE
from enkash_tui.sandbox.seed.network import BC_COLUMNS, HISTORY_COLUMNS, MIN_NETWORK, NetworkSeeder
from enkash_tui.sandbox.seed.network import BC_STATUSES as BC_STATUSES
from enkash_tui.sandbox_demo import DEMO_CLIENT_ID as DEMO_COMPANY_ID
from enkash_tui.sandbox_demo import DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME

__all__ = [
    "DEMO_CLIENT_SECRET",
    "DEMO_COMPANY_ID",
    "DEMO_PASSWORD",
    "DEMO_USERNAME",
    "gstin_check_char",
    "seed",
]

OTHER_COMPANY_ID = "CEKOTHER01"
OTHER_CLIENT_SECRET = "other-secret"
OTHER_USERNAME = "other@example.com"
OTHER_PASSWORD = "other1234"

_TABLES = (
    ("customers", CUSTOMER_COLUMNS),
    ("key_contacts", CONTACT_COLUMNS),
    ("reminders", REMINDER_COLUMNS),
    ("invoices", INVOICE_COLUMNS),
    ("invoice_attachments", ATTACHMENT_COLUMNS),
    ("bc_invoices", BC_COLUMNS),
    ("bc_history", HISTORY_COLUMNS),
)  # in foreign-key order


@dataclass(frozen=True)
class SeedSummary:
    """What ``seed`` wrote for the demo company, and how long it took."""

    customers: int
    invoices: int
    bharat_connect: int
    seconds: float


DEMO = Company(
    DEMO_COMPANY_ID, "Demo Traders Pvt Ltd", DEMO_CLIENT_SECRET, DEMO_USERNAME, DEMO_PASSWORD,
    "Ananya Rao", "+91 9820012345", "Maharashtra", "INV",
)  # fmt: skip
OTHER = Company(
    OTHER_COMPANY_ID, "Other Industries Ltd", OTHER_CLIENT_SECRET, OTHER_USERNAME,
    OTHER_PASSWORD, "Karthik Menon", "+91 9845067890", "Karnataka", "OIL",
)  # fmt: skip
_BOTH = (DEMO, OTHER)


def _insert(
    conn: sqlite3.Connection, table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    marks = ",".join("?" * len(columns))
    conn.executemany(f"INSERT INTO {table} ({','.join(columns)}) VALUES ({marks})", rows)


def seed(
    conn: sqlite3.Connection,
    *,
    invoices: int = 5000,
    customers: int = 200,
    today: dt.date | None = None,
    seed: int = 7,
) -> SeedSummary:
    """Fill an empty sandbox database with the demo company's data and the other company's.

    ``customers`` grows to ``invoices // 25`` above 20,000 invoices. The summary counts the
    demo company's rows only.
    """
    started = time.perf_counter()
    asked = {"seeded_invoices": str(invoices), "seeded_customers": str(customers)}
    if conn.execute("SELECT 1 FROM companies LIMIT 1").fetchone() is not None:
        raise ValueError("seed() needs an empty database")
    today = today or clock.today()
    if invoices > 20_000:
        customers = max(customers, invoices // 25)
    customers = max(customers, 1 if invoices > 0 else 0)
    seeder = NetworkSeeder(random.Random(seed), today, (c.company_id for c in _BOTH))
    demo_customers = seeder.customers(DEMO, customers)
    candidates = seeder.invoices(DEMO, demo_customers, invoices)
    other_customers = seeder.customers(OTHER, 6)
    other_candidates = seeder.invoices(OTHER, other_customers, 30)
    seeder.finish_customers(demo_customers + other_customers)
    # Bharat Connect last: the tables above do not change when the network's rules do.
    bc_count = seeder.bharat_connect(candidates, max(round(invoices * 0.06), MIN_NETWORK))
    seeder.bharat_connect(other_candidates, 2)
    users = [(c.username, c.company_id, c.password, c.user_name, c.user_mobile) for c in _BOTH]
    conn.execute("BEGIN")
    try:
        _insert(conn, "companies", ("company_id", "name", "client_secret", "encrypted"),
                [(c.company_id, c.name, c.secret, 0) for c in _BOTH])  # fmt: skip
        _insert(conn, "users", ("username", "company_id", "password", "display_name", "mobile"),
                users)  # fmt: skip
        for table, columns in _TABLES:
            _insert(conn, table, columns, seeder.rows[table])
        seeded = f"{today.isoformat()}T00:00:00Z"
        conn.execute("INSERT INTO meta (key, value) VALUES ('seeded', ?)", (seeded,))
        # The size asked for, so a later start asking for another size can say it is kept.
        conn.executemany("INSERT INTO meta (key, value) VALUES (?, ?)", list(asked.items()))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return SeedSummary(len(demo_customers), invoices, bc_count, time.perf_counter() - started)
