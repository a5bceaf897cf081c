"""The sandbox's demo data (enkash_tui/sandbox/seed/): deterministic, realistic, consistent."""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator

import pytest

from enkash_tui import clock
from enkash_tui.api.models.base import ACCOUNT_NUMBER_PATTERN, IFSC_PATTERN, PHONE_PATTERN
from enkash_tui.sandbox import db
from enkash_tui.sandbox.seed import words as demo_words
from enkash_tui.sandbox.seed.book import (
    DEMO_CLIENT_SECRET,
    DEMO_COMPANY_ID,
    DEMO_PASSWORD,
    DEMO_USERNAME,
    OTHER_CLIENT_SECRET,
    OTHER_COMPANY_ID,
    OTHER_PASSWORD,
    OTHER_USERNAME,
    SeedSummary,
    gstin_check_char,
    seed,
)

TODAY = dt.date(2026, 3, 15)
TABLES = (
    "meta", "companies", "users", "customers", "key_contacts", "reminders", "invoices",
    "invoice_attachments", "bc_invoices",
)  # fmt: skip

PHONE = re.compile(r"^((\+|00)(\d{1,3})[\s-]?)?(\d{10})$")
MOBILE = re.compile(r"^(\+91[\s-]?)?[6-9]\d{9}$")
IFSC = re.compile(r"^[A-Z]{4}0[A-Z0-9]{6}$")
ACCOUNT = re.compile(r"^\d{9,18}$")
PIN = re.compile(r"^[1-9]\d{5}$")
PAN = re.compile(r"^[A-Z]{5}\d{4}[A-Z]$")
GSTIN = re.compile(r"^(\d{2})([A-Z]{5}\d{4}[A-Z])([1-9A-Z])Z([0-9A-Z])$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
INVOICE_NUMBER = re.compile(r"^(INV|OIL)/(\d{4})-(\d{2})/\d{5}$")
ID_PATTERNS = {
    ("customers", "customer_id"): r"^KC[A-Z0-9]{14}$",
    ("key_contacts", "key_contact_person_id"): r"^KCP[A-Z0-9]{13}$",
    ("reminders", "customer_reminder_id"): r"^KR[A-Z0-9]{14}$",
    ("invoices", "invoice_id"): r"^KI[A-Z0-9]{14}$",
    ("invoice_attachments", "invoice_attachment_id"): r"^KA[A-Z0-9]{14}$",
    ("bc_invoices", "object_id"): r"^OBJ[A-Z0-9]{20}$",
}
GST_CODES = {state: code for state, code, _, _ in demo_words.STATES}


def seeded(**options: object) -> sqlite3.Connection:
    conn = db.connect(":memory:")
    seed(conn, **{"today": TODAY, **options})  # type: ignore[arg-type]
    return conn


def dump(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    return {
        table: [tuple(row) for row in conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2")]
        for table in TABLES
    }


def rows(conn: sqlite3.Connection, sql: str, *params: object) -> list[sqlite3.Row]:
    return conn.execute(sql, params).fetchall()


def scalar(conn: sqlite3.Connection, sql: str, *params: object) -> int:
    return int(conn.execute(sql, params).fetchone()[0])


DEMO_CUSTOMERS = "SELECT COUNT(*) FROM customers WHERE company_id = ?"
DEMO_INVOICES = "SELECT COUNT(*) FROM invoices WHERE seller_id = ?"


@pytest.fixture(scope="module")
def conn() -> Iterator[sqlite3.Connection]:
    """The default demo database: 5,000 invoices, 200 customers."""
    connection = seeded()
    yield connection
    connection.close()


# -- determinism -------------------------------------------------------------------------------


def test_same_arguments_give_identical_rows() -> None:
    first = dump(seeded(invoices=800, customers=60, seed=3))
    second = dump(seeded(invoices=800, customers=60, seed=3))
    assert first == second
    assert all(first[table] for table in TABLES)


def test_another_seed_or_day_gives_other_rows() -> None:
    base = dump(seeded(invoices=300, customers=30, seed=3))
    other_seed = dump(seeded(invoices=300, customers=30, seed=4))
    for table in ("customers", "key_contacts", "reminders", "invoices", "bc_invoices"):
        assert base[table] != other_seed[table], table
    other_day = dump(seeded(invoices=300, customers=30, seed=3, today=TODAY - dt.timedelta(1)))
    for table in ("meta", "customers", "invoices"):  # dates move with today
        assert base[table] != other_day[table], table


def test_summary_and_meta(conn: sqlite3.Connection) -> None:
    fresh = db.connect(":memory:")
    summary = seed(fresh, invoices=100, customers=10, today=TODAY)
    assert isinstance(summary, SeedSummary)
    assert (summary.customers, summary.invoices) == (10, 100)
    assert summary.bharat_connect == 12  # the fewest that fill every Bharat Connect queue
    assert summary.seconds >= 0
    assert db.is_seeded(fresh)
    (value,) = fresh.execute("SELECT value FROM meta WHERE key = 'seeded'").fetchone()
    assert value == f"{TODAY.isoformat()}T00:00:00Z"


@pytest.mark.dates
def test_the_default_today_is_the_clocks() -> None:
    fresh = db.connect(":memory:")
    with clock.pinned(dt.date(2031, 1, 2)):
        seed(fresh, invoices=50, customers=5)
    (value,) = fresh.execute("SELECT value FROM meta WHERE key = 'seeded'").fetchone()
    assert value == "2031-01-02T00:00:00Z"


def test_refuses_a_seeded_database(conn: sqlite3.Connection) -> None:
    with pytest.raises(ValueError, match="empty"):
        seed(conn, invoices=10, customers=2, today=TODAY)
    assert scalar(conn, "SELECT COUNT(*) FROM companies") == 2


# -- companies, users, counts ------------------------------------------------------------------


def test_companies_and_users(conn: sqlite3.Connection) -> None:
    companies = {r["company_id"]: dict(r) for r in rows(conn, "SELECT * FROM companies")}
    assert companies[DEMO_COMPANY_ID]["name"] == "Demo Traders Pvt Ltd"
    assert companies[DEMO_COMPANY_ID]["client_secret"] == DEMO_CLIENT_SECRET
    assert companies[OTHER_COMPANY_ID]["name"] == "Other Industries Ltd"
    assert companies[OTHER_COMPANY_ID]["client_secret"] == OTHER_CLIENT_SECRET
    assert all(c["encrypted"] == 0 for c in companies.values())
    users = {r["username"]: r for r in rows(conn, "SELECT * FROM users")}
    assert users[DEMO_USERNAME]["company_id"] == DEMO_COMPANY_ID
    assert users[DEMO_USERNAME]["password"] == DEMO_PASSWORD
    assert users[OTHER_USERNAME]["company_id"] == OTHER_COMPANY_ID
    assert users[OTHER_USERNAME]["password"] == OTHER_PASSWORD
    for user in users.values():
        assert user["display_name"]
        assert PHONE.match(user["mobile"])
        assert user["failed_logins"] == 0 and user["locked_until"] is None


def test_counts(conn: sqlite3.Connection) -> None:
    assert scalar(conn, DEMO_CUSTOMERS, DEMO_COMPANY_ID) == 200
    assert scalar(conn, DEMO_INVOICES, DEMO_COMPANY_ID) == 5000
    bc = scalar(
        conn,
        "SELECT COUNT(*) FROM bc_invoices JOIN invoices USING (invoice_id) WHERE seller_id = ?",
        DEMO_COMPANY_ID,
    )
    assert 250 <= bc <= 350  # "a few hundred", about 6%
    attachments = scalar(conn, "SELECT COUNT(*) FROM invoice_attachments")
    assert 350 <= attachments <= 650  # about 10%


def test_the_other_company_has_its_own_data(conn: sqlite3.Connection) -> None:
    customers = rows(conn, "SELECT * FROM customers WHERE company_id = ?", OTHER_COMPANY_ID)
    invoices = rows(conn, "SELECT * FROM invoices WHERE seller_id = ?", OTHER_COMPANY_ID)
    assert 3 <= len(customers) <= 10
    assert 20 <= len(invoices) <= 40
    own = {c["customer_id"] for c in customers}
    assert {i["customer_id"] for i in invoices} <= own
    assert all(i["created_by"] == OTHER_USERNAME for i in invoices)
    assert all(i["invoice_number"].startswith("OIL/") for i in invoices)
    # and no demo invoice points at the other company's customers
    crossed = scalar(
        conn,
        "SELECT COUNT(*) FROM invoices i JOIN customers c USING (customer_id) "
        "WHERE i.seller_id != c.company_id",
    )
    assert crossed == 0


# -- ids ---------------------------------------------------------------------------------------


def test_ids_match_their_patterns_and_are_unique(conn: sqlite3.Connection) -> None:
    seen: set[str] = set()
    for (table, column), pattern in ID_PATTERNS.items():
        values = [r[0] for r in rows(conn, f"SELECT {column} FROM {table}")]
        assert values, table
        assert all(re.match(pattern, v) for v in values), (table, column)
        assert len(set(values)) == len(values), (table, column)
        assert not seen & set(values)
        seen |= set(values)
    customer_ids = {r[0] for r in rows(conn, "SELECT customer_id FROM customers")}
    for table in ("key_contacts", "reminders", "invoices"):
        referenced = {r[0] for r in rows(conn, f"SELECT customer_id FROM {table}")}
        assert referenced <= customer_ids, table
    assert rows(conn, "PRAGMA foreign_key_check") == []


# -- customers ---------------------------------------------------------------------------------


def test_customer_fields(conn: sqlite3.Connection) -> None:
    customers = rows(conn, "SELECT * FROM customers")
    names = [c["legal_name"] for c in customers if c["company_id"] == DEMO_COMPANY_ID]
    assert len(set(names)) == len(names)
    refs = [c["unique_ref_no"] for c in customers]
    assert len(set(refs)) == len(refs)
    pans = []
    for c in customers:
        assert c["state"] in GST_CODES
        assert PIN.match(c["pin_code"]), c["pin_code"]
        assert c["address"] and c["address"].split(", ")[-1]
        assert PHONE.match(c["contact_number"]) and MOBILE.match(c["contact_number"])
        assert re.match(PHONE_PATTERN, c["contact_number"])
        assert IFSC.match(c["ifsc"]) and re.match(IFSC_PATTERN, c["ifsc"])
        assert c["ifsc"][:4] in {bank for bank, _ in demo_words.BANKS}
        assert ACCOUNT.match(c["account_number"])
        assert re.match(ACCOUNT_NUMBER_PATTERN, c["account_number"])
        assert re.match(r"^ERP-CUST-\d{4,}$", c["unique_ref_no"])
        branches = json.loads(c["branch_codes"])
        assert 1 <= len(branches) <= 2
        assert all(re.match(r"^[A-Z]{3}\d{2}$", b) for b in branches)
        assert c["status"] in {"ACTIVE", "INACTIVE"} and c["deleted"] in {0, 1}
        assert c["external_source"] in {0, 1}
        assert c["assigned_agent"] is None or c["assigned_agent"] in demo_words.AGENTS
        assert TIMESTAMP.match(c["created_on"]) and TIMESTAMP.match(c["modified_on"])
        assert c["created_on"] <= c["modified_on"] < TODAY.isoformat()
        assert c["created_on"] >= (TODAY - dt.timedelta(days=731)).isoformat()
        tax_id = c["pan_or_gstin"]
        if len(tax_id) == 15:
            match = GSTIN.match(tax_id)
            assert match, tax_id
            assert match.group(1) == GST_CODES[c["state"]]
            assert tax_id[14] == gstin_check_char(tax_id[:14])
            pans.append(match.group(2))
        else:
            assert PAN.match(tax_id), tax_id
            pans.append(tax_id)
        assert pans[-1][3] in "CF" and pans[-1][4] == c["legal_name"][0]
    assert len(set(pans)) == len(pans)
    gstins = sum(len(c["pan_or_gstin"]) == 15 for c in customers)
    assert 0.8 * len(customers) < gstins < len(customers)  # most, not all


def test_gstin_check_char_on_known_gstins() -> None:
    for gstin in ("27AAPFU0939F1ZV", "29AAGCB7383J1Z4", "27AAACR5055K1Z7"):
        assert gstin_check_char(gstin[:14]) == gstin[14]


def test_customer_statuses(conn: sqlite3.Connection) -> None:
    demo = rows(conn, "SELECT * FROM customers WHERE company_id = ?", DEMO_COMPANY_ID)
    statuses = Counter((c["status"], c["deleted"]) for c in demo)
    assert statuses[("INACTIVE", 0)] == 10  # 5%
    assert sum(n for (_, deleted), n in statuses.items() if deleted) == 4  # 2%
    states = Counter(c["state"] for c in demo)
    assert states.most_common(1)[0][0] == "Maharashtra"
    assert len(states) >= 10
    for label, where in (("inactive", "c.status = 'INACTIVE'"), ("deleted", "c.deleted = 1")):
        found = scalar(
            conn,
            "SELECT COUNT(*) FROM invoices i JOIN customers c USING (customer_id) "
            f"WHERE i.seller_id = ? AND {where}",
            DEMO_COMPANY_ID,
        )
        assert found > 0, label


def test_key_contacts(conn: sqlite3.Connection) -> None:
    by_customer: dict[str, list[sqlite3.Row]] = {}
    for contact in rows(conn, "SELECT * FROM key_contacts ORDER BY customer_id, position"):
        by_customer.setdefault(contact["customer_id"], []).append(contact)
    customers = rows(conn, "SELECT customer_id, legal_name FROM customers")
    assert len(by_customer) == len(customers)
    sizes = Counter(len(v) for v in by_customer.values())
    assert set(sizes) == {1, 2, 3}
    names: dict[str, str] = {row[0]: row[1] for row in customers}
    for customer_id, contacts in by_customer.items():
        assert [c["position"] for c in contacts] == list(range(len(contacts)))
        assert contacts[0]["deleted"] == 0
        for c in contacts:
            assert PHONE.match(c["mobile"]) and MOBILE.match(c["mobile"]), c["mobile"]
            assert c["via"] in {"EMAIL", "SMS", "WHATSAPP"}
            flag = {"EMAIL": "mail_enabled", "SMS": "sms_enabled", "WHATSAPP": "whatsapp_enabled"}
            assert c[flag[c["via"]]] == 1
            assert (
                len(c["name"].split()) == 2 and c["legal_name"].split()[0] == c["name"].split()[0]
            )
            if c["email"] is not None:
                local, domain = c["email"].split("@")
                assert local and domain.split(".")[0] in names[customer_id].lower().replace(" ", "")
            else:
                assert c["via"] != "EMAIL"
    everyone = rows(conn, "SELECT * FROM key_contacts")
    assert any(c["deleted"] for c in everyone)
    assert {c["mail_enabled"] for c in everyone} == {0, 1}
    assert {c["sms_enabled"] for c in everyone} == {0, 1}
    assert {c["whatsapp_enabled"] for c in everyone} == {0, 1}
    assert Counter(c["mobile"].startswith("+91") for c in everyone).keys() == {True, False}


def test_reminders(conn: sqlite3.Connection) -> None:
    reminders = rows(conn, "SELECT * FROM reminders ORDER BY customer_id, position")
    customers = scalar(conn, "SELECT COUNT(*) FROM customers")
    per_customer = Counter(r["customer_id"] for r in reminders)
    assert 0.55 * customers < len(per_customer) < 0.85 * customers
    assert set(per_customer.values()) == {1, 2, 3}
    stages = {"BEFORE_DUE": "ONCE", "ON_DUE": "ONCE", "AFTER_DUE": "RECURRING"}
    for r in reminders:
        assert stages[r["stage"]] == r["reminder_type"]
        assert re.match(r"^([01]\d|2[0-3]):[0-5]\d$", r["reminder_time"])
        if r["reminder_type"] == "ONCE":
            assert r["reminder_interval"] is None and r["due_date_difference"] <= 0
        else:
            assert r["reminder_interval"] > 0 and r["due_date_difference"] > 0


# -- invoices ----------------------------------------------------------------------------------


def test_invoice_amounts_are_consistent(conn: sqlite3.Connection) -> None:
    customers = {r["customer_id"]: r for r in rows(conn, "SELECT * FROM customers")}
    rates: Counter[int] = Counter()
    for i in rows(conn, "SELECT * FROM invoices"):
        base = i["base_paise"]
        assert 200_000 <= base <= 250_000_000
        net = base + i["cgst_paise"] + i["sgst_paise"] + i["igst_paise"] - i["tds_paise"]
        assert i["net_paise"] == net
        assert i["balance_paise"] == net - i["received_paise"]
        assert 0 <= i["received_paise"] <= net
        assert i["gst_exclusive"] == 1
        customer = customers[i["customer_id"]]
        assert i["customer_legal_name"] == customer["legal_name"]
        home = "Maharashtra" if i["seller_id"] == DEMO_COMPANY_ID else "Karnataka"
        if customer["state"] == home:
            assert i["igst_paise"] == 0 and i["cgst_paise"] == i["sgst_paise"] > 0
            gst = i["cgst_paise"] * 2
        else:
            assert i["cgst_paise"] == i["sgst_paise"] == 0 and i["igst_paise"] > 0
            gst = i["igst_paise"]
        rates[round(gst * 100 / base)] += 1
        assert i["tds_paise"] == 0 or 0.009 <= i["tds_paise"] / base <= 0.021
        status = i["receivable_status"]
        if i["received_paise"] == 0:
            assert status == "UNPAID"
        elif i["balance_paise"] == 0:
            assert status == "PAID"
        else:
            assert status == "PARTIALLY_PAID"
            assert i["partial_payment_allowed"] == 1
            assert 0.09 <= i["received_paise"] / net <= 0.9
        if i["received_paise"]:
            assert i["collection_mode"] in {
                "PAYMENT_LINK", "UPI", "NEFT", "RTGS", "VIRTUAL_ACCOUNT", "CHEQUE",
            }  # fmt: skip
        else:
            assert i["collection_mode"] is None
        if i["payout_status"] is not None:
            assert i["payout_status"] == "PAID" and status == "PAID"
    assert rates.most_common(1)[0][0] == 18
    assert set(rates) == {5, 12, 18, 28}
    statuses = Counter(r[0] for r in rows(conn, "SELECT receivable_status FROM invoices"))
    assert statuses["PAID"] > statuses["UNPAID"] > statuses["PARTIALLY_PAID"] > 50


def test_invoice_fields(conn: sqlite3.Connection) -> None:
    invoices = rows(conn, "SELECT * FROM invoices")
    numbers = Counter((i["seller_id"], i["invoice_number"]) for i in invoices)
    assert max(numbers.values()) == 1
    externals = [i["external_id"] for i in invoices if i["external_id"]]
    assert len(set(externals)) == len(externals) > 0.3 * len(invoices)
    assert all(re.match(r"^erp-\d+$", e) for e in externals)
    assert sum(bool(i["po_number"]) for i in invoices) > 0.4 * len(invoices)
    oldest = (TODAY - dt.timedelta(days=549)).isoformat()
    for i in invoices:
        match = INVOICE_NUMBER.match(i["invoice_number"])
        assert match, i["invoice_number"]
        invoice_date = dt.date.fromisoformat(i["invoice_date"][:10])
        fy = invoice_date.year if invoice_date.month >= 4 else invoice_date.year - 1
        assert int(match.group(2)) == fy and int(match.group(3)) == (fy + 1) % 100
        assert TIMESTAMP.match(i["invoice_date"]) and DATE.match(i["due_date"])
        assert oldest <= i["invoice_date"] < TODAY.isoformat()
        terms = (dt.date.fromisoformat(i["due_date"]) - invoice_date).days
        assert terms in {15, 30, 45, 60}
        assert i["created_on"] <= i["modified_on"] < TODAY.isoformat()
        assert i["description"] and i["description"].endswith(str(invoice_date.year))
        assert i["via"] in {"EMAIL", "SMS", "WHATSAPP"}
        assert PHONE.match(i["mobile_number"])
        assert i["created_via"] in {"API", "BULK", "UI"}
        assert i["created_by_name"] and i["modified_by"] == i["created_by"]
        if i["po_number"]:
            assert re.match(r"^PO-\d{4,5}$", i["po_number"])
        if i["dispatched"]:
            assert i["payment_link"] == f"https://sandbox.enkash.invalid/pay/{i['invoice_id']}"
            assert i["invoice_date"] < i["dispatched_on"] < TODAY.isoformat()
            assert (dt.date.fromisoformat(i["dispatched_on"][:10]) - invoice_date).days <= 2
        else:
            assert i["payment_link"] is None and i["dispatched_on"] is None
            assert i["collection_mode"] not in {"PAYMENT_LINK", "UPI"}
        if not i["approval_status"].endswith("_APPROVED"):
            assert i["receivable_status"] == "UNPAID" and not i["dispatched"]
    dispatched = sum(i["dispatched"] for i in invoices) / len(invoices)
    assert 0.7 < dispatched < 0.9
    approvals = Counter(i["approval_status"] for i in invoices)
    assert approvals["CHECKER_APPROVED"] + approvals["APPROVER_APPROVED"] > 0.8 * len(invoices)
    assert approvals["MAKER_APPROVAL_PENDING"] and approvals["CHECKER_APPROVAL_PENDING"]
    assert any(status.endswith("_REJECTED") for status in approvals)
    deleted = sum(i["deleted"] for i in invoices)
    assert 0 < deleted < 0.015 * len(invoices)
    assert {i["created_via"] for i in invoices} == {"API", "BULK", "UI"}


def test_every_aging_bucket_has_open_invoices(conn: sqlite3.Connection) -> None:
    buckets: Counter[str] = Counter()
    for (due,) in rows(
        conn,
        "SELECT due_date FROM invoices WHERE seller_id = ? AND deleted = 0 AND balance_paise > 0",
        DEMO_COMPANY_ID,
    ):
        overdue = (TODAY - dt.date.fromisoformat(due)).days
        if overdue <= 0:
            buckets["not due"] += 1
        elif overdue <= 30:
            buckets["1-30"] += 1
        elif overdue <= 60:
            buckets["31-60"] += 1
        elif overdue <= 90:
            buckets["61-90"] += 1
        else:
            buckets["90+"] += 1
    for bucket in ("not due", "1-30", "31-60", "61-90", "90+"):
        assert buckets[bucket] >= 50, (bucket, buckets)


def test_attachments(conn: sqlite3.Connection) -> None:
    for a in rows(
        conn,
        "SELECT a.*, i.invoice_number FROM invoice_attachments a "
        "JOIN invoices i USING (invoice_id)",
    ):
        assert a["attachment_source"] == "TALLY_INVOICE" and a["file_ext"] == "pdf"
        assert re.match(r"^INV-\d{4}-\d{2}-\d{5}\.pdf$", a["original_filename"])
        expected = f"https://sandbox.enkash.invalid/files/{a['invoice_attachment_id']}/"
        assert a["url"] == expected + a["original_filename"]
        assert a["reference_id"] == a["invoice_number"]
    most = "SELECT MAX(n) FROM (SELECT COUNT(*) n FROM invoice_attachments GROUP BY invoice_id)"
    assert scalar(conn, most) == 1


# -- Bharat Connect ----------------------------------------------------------------------------


def test_bharat_connect(conn: sqlite3.Connection) -> None:
    bc = rows(
        conn,
        "SELECT b.*, i.receivable_status, i.balance_paise, i.deleted, i.created_on, "
        "i.customer_id FROM bc_invoices b JOIN invoices i USING (invoice_id) "
        "WHERE i.seller_id = ?",
        DEMO_COMPANY_ID,
    )
    statuses = Counter(b["status"] for b in bc)
    for status in ("CREATED", "ACCEPTED", "REJECTED", "PAID", "CANCELLED"):
        assert statuses[status] >= 5, statuses
    assert len({b["supplier_b2b_id"] for b in bc}) == 1
    buyers: dict[str, str] = {}
    pending: Counter[str] = Counter()
    for b in bc:
        assert re.match(r"^B2B\d{12}$", b["buyer_b2b_id"])
        assert re.match(r"^B2B\d{12}$", b["supplier_b2b_id"])
        assert buyers.setdefault(b["customer_id"], b["buyer_b2b_id"]) == b["buyer_b2b_id"]
        assert 1 <= b["object_version"] <= 4
        assert b["deleted"] == 0
        if b["status"] == "PAID":
            assert b["receivable_status"] == "PAID"
        if b["status"] in ("CREATED", "ACCEPTED"):
            assert b["balance_paise"] > 0
        if b["payment_id"] is None:
            assert b["payment_type"] is b["payment_paise"] is b["payment_reported_on"] is None
            continue
        pending[b["status"]] += 1
        assert b["status"] in ("CREATED", "ACCEPTED")
        assert re.match(r"^PMT[A-Za-z0-9]{32}$", b["payment_id"])
        assert b["payment_type"] in ("ONPLATFORM", "OFFPLATFORM")
        assert b["payment_paise"] == b["balance_paise"]
        assert TIMESTAMP.match(b["payment_reported_on"])
        recent = (TODAY - dt.timedelta(days=11)).isoformat()
        assert max(recent, b["created_on"]) < b["payment_reported_on"] < TODAY.isoformat()
        assert 1 <= len(b["payment_remarks"]) <= 100
    open_bc = statuses["CREATED"] + statuses["ACCEPTED"]
    assert 0.25 * open_bc < sum(pending.values()) < 0.55 * open_bc
    # A payment may cover several invoices, but only of one customer.
    payers: dict[str, set[str]] = {}
    for b in bc:
        if b["payment_id"]:
            payers.setdefault(b["payment_id"], set()).add(b["customer_id"])
    assert all(len(customers) == 1 for customers in payers.values())
    assert any(len([b for b in bc if b["payment_id"] == p]) > 1 for p in payers)


# -- bigger databases --------------------------------------------------------------------------


def test_twenty_thousand_invoices() -> None:
    big = seeded(invoices=20_000)
    assert scalar(big, DEMO_CUSTOMERS, DEMO_COMPANY_ID) == 200
    assert scalar(big, DEMO_INVOICES, DEMO_COMPANY_ID) == 20_000
    assert scalar(big, "SELECT COUNT(DISTINCT invoice_id) FROM invoices") == 20_030
    statuses = {r[0] for r in rows(big, "SELECT DISTINCT status FROM bc_invoices")}
    assert statuses == {"CREATED", "ACCEPTED", "RETURNED", "REJECTED", "PAID", "CANCELLED"}


def test_customers_scale_with_many_invoices() -> None:
    fresh = db.connect(":memory:")
    summary = seed(fresh, invoices=25_000, customers=200, today=TODAY)
    assert summary.customers == 1000
    assert scalar(fresh, DEMO_CUSTOMERS, DEMO_COMPANY_ID) == 1000
