"""The sandbox's SQLite schema and connection.

Money is stored as integer paise (exact, fast to filter and sort); dates as ISO text, which sorts
correctly: ``due_date`` as ``YYYY-MM-DD``, timestamps as ``YYYY-MM-DDTHH:MM:SSZ`` (UTC).
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from enkash_tui.api.errors import ErrorType
from enkash_tui.local.private_files import DATABASE_COMPANIONS, private_database
from enkash_tui.sandbox.envelope import SandboxError

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS companies (
    company_id    TEXT PRIMARY KEY,          -- CEK + 7; also the OAuth client id
    name          TEXT NOT NULL,
    client_secret TEXT NOT NULL,
    encrypted     INTEGER NOT NULL DEFAULT 0 -- 1: AES payload encryption for this client
);

CREATE TABLE IF NOT EXISTS users (
    username       TEXT PRIMARY KEY,
    company_id     TEXT NOT NULL REFERENCES companies(company_id),
    password       TEXT NOT NULL,
    display_name   TEXT NOT NULL,
    mobile         TEXT,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   REAL                      -- unix time; NULL when not locked
);

CREATE TABLE IF NOT EXISTS customers (
    customer_id         TEXT PRIMARY KEY,     -- KC + 14
    company_id          TEXT NOT NULL,
    customer_company_id TEXT,
    legal_name          TEXT NOT NULL,
    address             TEXT,
    state               TEXT,
    pin_code            TEXT,
    contact_number      TEXT,
    account_number      TEXT,
    ifsc                TEXT,
    pan_or_gstin        TEXT,
    unique_ref_no       TEXT,
    assigned_agent      TEXT,
    branch_codes        TEXT NOT NULL DEFAULT '[]',   -- JSON list
    external_source     INTEGER,
    status              TEXT NOT NULL DEFAULT 'ACTIVE',
    deleted             INTEGER NOT NULL DEFAULT 0,
    created_on          TEXT NOT NULL,
    modified_on         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS customers_company_name ON customers(company_id, legal_name);

CREATE TABLE IF NOT EXISTS key_contacts (
    key_contact_person_id TEXT PRIMARY KEY,
    customer_id           TEXT NOT NULL REFERENCES customers(customer_id),
    position              INTEGER NOT NULL,
    name                  TEXT NOT NULL,
    legal_name            TEXT NOT NULL,
    mobile                TEXT NOT NULL,
    email                 TEXT,
    via                   TEXT,
    deleted               INTEGER NOT NULL DEFAULT 0,
    mail_enabled          INTEGER,
    sms_enabled           INTEGER,
    whatsapp_enabled      INTEGER
);
CREATE INDEX IF NOT EXISTS key_contacts_customer ON key_contacts(customer_id, position);

CREATE TABLE IF NOT EXISTS reminders (
    customer_reminder_id TEXT PRIMARY KEY,
    customer_id          TEXT NOT NULL REFERENCES customers(customer_id),
    position             INTEGER NOT NULL,
    due_date_difference  INTEGER NOT NULL,
    reminder_interval    INTEGER,
    reminder_time        TEXT NOT NULL,        -- HH:MM
    reminder_type        TEXT NOT NULL,        -- ONCE | RECURRING
    stage                TEXT
);
CREATE INDEX IF NOT EXISTS reminders_customer ON reminders(customer_id, position);

CREATE TABLE IF NOT EXISTS invoices (
    invoice_id              TEXT PRIMARY KEY,  -- KI + 14
    seller_id               TEXT NOT NULL,     -- the company that raised it
    customer_id             TEXT NOT NULL REFERENCES customers(customer_id),
    customer_legal_name     TEXT NOT NULL,     -- denormalised for search and sort
    invoice_number          TEXT,
    external_id             TEXT,
    description             TEXT,
    po_number               TEXT,
    payable_reference_id    TEXT,
    via                     TEXT,
    email_address           TEXT,
    mobile_number           TEXT,
    base_paise              INTEGER NOT NULL,
    cgst_paise              INTEGER NOT NULL DEFAULT 0,
    sgst_paise              INTEGER NOT NULL DEFAULT 0,
    igst_paise              INTEGER NOT NULL DEFAULT 0,
    tds_paise               INTEGER NOT NULL DEFAULT 0,
    net_paise               INTEGER NOT NULL,
    received_paise          INTEGER NOT NULL DEFAULT 0,
    balance_paise           INTEGER NOT NULL,
    gst_exclusive           INTEGER,
    charge_customer         INTEGER,
    invoice_date            TEXT,              -- timestamp
    due_date                TEXT NOT NULL,     -- YYYY-MM-DD
    dispatched              INTEGER NOT NULL DEFAULT 0,
    dispatched_on           TEXT,
    partial_payment_allowed INTEGER NOT NULL DEFAULT 0,
    payment_link            TEXT,
    approval_status         TEXT,              -- ApprovalStatus name
    receivable_status       TEXT NOT NULL,     -- UNPAID | PARTIALLY_PAID | PAID
    payout_status           TEXT,
    collection_mode         TEXT,              -- how it was (last) paid
    created_via             TEXT NOT NULL DEFAULT 'API',
    created_by              TEXT,
    created_by_name         TEXT,
    created_by_email        TEXT,
    created_by_mobile       TEXT,
    created_on              TEXT NOT NULL,
    modified_by             TEXT,
    modified_by_name        TEXT,
    modified_by_email       TEXT,
    modified_by_mobile      TEXT,
    modified_on             TEXT NOT NULL,
    deleted                 INTEGER NOT NULL DEFAULT 0
);
-- Searches always filter on seller and live rows; these cover the common sorts and filters.
CREATE INDEX IF NOT EXISTS invoices_created ON invoices(seller_id, deleted, created_on);
CREATE INDEX IF NOT EXISTS invoices_invoice_date ON invoices(seller_id, deleted, invoice_date);
CREATE INDEX IF NOT EXISTS invoices_balance ON invoices(seller_id, deleted, balance_paise);
-- balance_paise rides along so a first page's count and summed balance read the index only.
CREATE INDEX IF NOT EXISTS invoices_status_due_balance
    ON invoices(seller_id, deleted, receivable_status, due_date, balance_paise);
-- Due-date order, the status beside it so that pages of open invoices read the index only. It
-- replaces (seller_id, deleted, due_date).
DROP INDEX IF EXISTS invoices_due;
CREATE INDEX IF NOT EXISTS invoices_due_status
    ON invoices(seller_id, deleted, due_date, receivable_status);
-- Not dispatched, newest first; with the status and balance the count and summed balance of
-- open ones read the index only. It replaces (seller_id, deleted, dispatched, created_on).
DROP INDEX IF EXISTS invoices_dispatched;
CREATE INDEX IF NOT EXISTS invoices_dispatched_status
    ON invoices(seller_id, deleted, dispatched, created_on, receivable_status, balance_paise);
-- Awaiting approval: a few statuses of ten, the page sorted from the rows found (`analyze` tells
-- the planner how few); created_on and balance_paise ride along so nothing reads the table.
CREATE INDEX IF NOT EXISTS invoices_approval
    ON invoices(seller_id, deleted, approval_status, created_on, balance_paise);
CREATE INDEX IF NOT EXISTS invoices_customer ON invoices(customer_id, seller_id, deleted, due_date);
CREATE INDEX IF NOT EXISTS invoices_number ON invoices(seller_id, invoice_number);

CREATE TABLE IF NOT EXISTS invoice_attachments (
    invoice_attachment_id TEXT PRIMARY KEY,
    invoice_id            TEXT NOT NULL REFERENCES invoices(invoice_id),
    attachment_source     TEXT,
    url                   TEXT,
    original_filename     TEXT,
    file_ext              TEXT,
    is_primary            INTEGER NOT NULL DEFAULT 0,
    shared                INTEGER NOT NULL DEFAULT 0,
    reference_id          TEXT,
    remarks               TEXT
);
CREATE INDEX IF NOT EXISTS attachments_invoice ON invoice_attachments(invoice_id);

-- Invoices that are on Bharat Connect 2.0 (one row per network invoice).
CREATE TABLE IF NOT EXISTS bc_invoices (
    invoice_id           TEXT PRIMARY KEY REFERENCES invoices(invoice_id),
    object_id            TEXT NOT NULL,
    status               TEXT NOT NULL,       -- CREATED | ACCEPTED | RETURNED | REJECTED | PAID
                                              -- | CANCELLED
    object_version       INTEGER NOT NULL DEFAULT 1,
    buyer_b2b_id         TEXT NOT NULL,
    supplier_b2b_id      TEXT NOT NULL,
    payment_id           TEXT,                -- a payment the buyer made or reported, pending
    payment_type         TEXT,                -- ONPLATFORM | OFFPLATFORM
    payment_paise        INTEGER,
    payment_reported_on  TEXT,
    payment_remarks      TEXT
);
CREATE INDEX IF NOT EXISTS bc_status ON bc_invoices(status);
CREATE INDEX IF NOT EXISTS bc_payment ON bc_invoices(payment_id) WHERE payment_id IS NOT NULL;

-- What happened to each network invoice, oldest first: who moved it where, at which version.
CREATE TABLE IF NOT EXISTS bc_history (
    invoice_id     TEXT NOT NULL REFERENCES bc_invoices(invoice_id),
    seq            INTEGER NOT NULL,           -- 1, 2, ... per invoice
    at             TEXT NOT NULL,              -- timestamp
    status         TEXT NOT NULL,              -- the status after this step
    by             TEXT NOT NULL,              -- BUYER | SUPPLIER | NETWORK
    action         TEXT NOT NULL,              -- CREATED, ACCEPTED, PAYMENT_REPORTED, ...
    remarks        TEXT,
    object_version INTEGER NOT NULL,           -- the version after this step
    PRIMARY KEY (invoice_id, seq)
) WITHOUT ROWID;
"""


# The files SQLite keeps beside a database; each holds the same rows (the demo passwords too).
COMPANIONS = DATABASE_COMPANIONS


def connect(path: Path | str) -> sqlite3.Connection:
    """Open (creating if needed) the sandbox database with the schema in place."""
    on_disk = str(path) != ":memory:"
    if on_disk:
        private_database(Path(path))
    conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    if on_disk:
        # SQLite gives the -wal and -shm files it just made the database's mode; say so anyway.
        private_database(Path(path))
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.executescript(SCHEMA)
    conn.execute(
        "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)",
        (str(SCHEMA_VERSION),),
    )
    if needs_statistics(conn):
        analyze(conn)  # an index the schema just added to an older book, or a book never analyzed
    return conn


# SQLite's own limits, reached by a request no bound caught, in words for the caller.
_LIMIT_MESSAGES = {
    "too many SQL variables": (
        "The search has too many values to look up at once: use fewer ids or statuses"
    ),
    "LIKE or GLOB pattern too complex": "The search text is too long: shorten it",
    "Expression tree is too large": "The search is too complex: use fewer filters",
}


def limit_error(error: sqlite3.OperationalError) -> SandboxError | None:
    """A 400 for an error that means a request went past one of SQLite's limits, else None."""
    text = str(error)
    for marker, message in _LIMIT_MESSAGES.items():
        if marker in text:
            return SandboxError(ErrorType.VALIDATION_ERROR, message)
    return None


def like_contains(value: str) -> str:
    """A LIKE pattern matching ``value`` anywhere, its own % and _ taken literally
    (use with ``ESCAPE '\\'``)."""
    return "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


# What the Awaiting approval preset asks for (domain.invoices.AWAITING_APPROVAL): statuses
# that are a few in a hundred invoices, where approved ones are nearly all the rest.
PENDING_APPROVAL = (
    "MAKER_APPROVAL_PENDING",
    "CHECKER_APPROVAL_PENDING",
    "APPROVER_APPROVAL_PENDING",
)


def analyze(conn: sqlite3.Connection) -> None:
    """Refresh the planner's statistics; without them SQLite picks poor indexes for searches."""
    conn.execute("ANALYZE")
    _approval_statistics(conn)


def _approval_statistics(conn: sqlite3.Connection) -> None:
    """Tell the planner how many invoices a pending approval status finds.

    sqlite_stat1 keeps one figure per index column: the average rows per value. For
    approval_status the approved statuses make that average thousands, so a search for the
    pending ones, sorted by creation, would walk every invoice in that order (most of the
    book) to find a page, rather than read the few pending ones from ``invoices_approval`` and
    sort them. The figure written is what a pending status finds on average; SQLite documents
    editing sqlite_stat1 to steer its planner:
    https://sqlite.org/optoverview.html#manual_control_of_query_plans_using_sqlite_stat_tables
    A search for approved statuses then sorts what it finds too.
    """
    row = conn.execute(
        "SELECT stat FROM sqlite_stat1 WHERE tbl = 'invoices' AND idx = 'invoices_approval'"
    ).fetchone()
    if row is None:
        return  # no invoices yet
    marks = ",".join("?" * len(PENDING_APPROVAL))
    pending, groups = conn.execute(
        "SELECT count(*), count(DISTINCT seller_id || ' ' || deleted || ' ' || approval_status) "
        f"FROM invoices WHERE approval_status IN ({marks})",
        PENDING_APPROVAL,
    ).fetchone()
    # stat: rows, then rows per (seller_id), (seller_id, deleted), (.., approval_status), ...
    figures = str(row[0]).split()
    if len(figures) < 4 or not pending:
        return
    figures[3] = str(min(int(figures[3]), math.ceil(pending / groups)))
    conn.execute(
        "UPDATE sqlite_stat1 SET stat = ? WHERE tbl = 'invoices' AND idx = 'invoices_approval'",
        (" ".join(figures),),
    )
    conn.execute("ANALYZE sqlite_master")  # reload the statistics


def needs_statistics(conn: sqlite3.Connection) -> bool:
    """Whether the invoices hold rows but an index of theirs has no statistics: a book analyzed
    before the schema gained that index, or never analyzed."""
    if conn.execute("SELECT 1 FROM invoices LIMIT 1").fetchone() is None:
        return False  # nothing to measure yet: seeding analyzes
    known = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    if conn.execute(known).fetchone() is None:
        return True
    missing = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND tbl_name = 'invoices' "
        "AND name NOT IN (SELECT idx FROM sqlite_stat1 WHERE tbl = 'invoices' AND idx IS NOT NULL)"
    ).fetchone()
    return missing is not None


def is_seeded(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM meta WHERE key = 'seeded'").fetchone() is not None


def book_size(conn: sqlite3.Connection, company_id: str) -> tuple[int, int]:
    """(invoices, customers) the demo book was seeded for, as asked; counted for a database
    seeded before that was recorded."""
    meta = dict(conn.execute("SELECT key, value FROM meta WHERE key LIKE 'seeded_%'").fetchall())
    if "seeded_invoices" in meta and "seeded_customers" in meta:
        return int(meta["seeded_invoices"]), int(meta["seeded_customers"])
    (invoices,) = conn.execute(
        "SELECT COUNT(*) FROM invoices WHERE seller_id = ?", (company_id,)
    ).fetchone()
    (customers,) = conn.execute(
        "SELECT COUNT(*) FROM customers WHERE company_id = ?", (company_id,)
    ).fetchone()
    return int(invoices), int(customers)


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """All-or-nothing writes (the connection is in autocommit mode otherwise)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
