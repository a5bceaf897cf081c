"""Deterministic demo data for the sandbox: two companies, their customers, invoices and more.

``seed(conn)`` fills an empty database made by ``db.connect``. The same arguments always give
byte-identical rows: every choice comes from ``random.Random(seed)`` and every date from
``today``. Amounts are integer paise; timestamps are ``YYYY-MM-DDTHH:MM:SSZ`` (UTC), placed in
Indian business hours, and everything happens strictly before ``today``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import sqlite3
import string
import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from ..sandbox_demo import DEMO_CLIENT_ID as DEMO_COMPANY_ID
from ..sandbox_demo import DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME
from . import demo_words as w

__all__ = ["DEMO_CLIENT_SECRET", "DEMO_COMPANY_ID", "DEMO_PASSWORD", "DEMO_USERNAME", "seed"]

OTHER_COMPANY_ID = "CEKOTHER01"
OTHER_CLIENT_SECRET = "other-secret"
OTHER_USERNAME = "other@example.com"
OTHER_PASSWORD = "other1234"

PAYMENT_LINK_BASE = "https://sandbox.enkash.invalid/pay/"
FILES_BASE = "https://sandbox.enkash.invalid/files/"
COLLECTION_MODES = ("PAYMENT_LINK", "UPI", "NEFT", "RTGS", "VIRTUAL_ACCOUNT", "CHEQUE")
BC_STATUSES = ("CREATED", "ACCEPTED", "REJECTED", "CANCELLED")  # + PAID, from paid invoices

_UPPER_ALNUM = string.ascii_uppercase + string.digits
_MIXED_ALNUM = string.ascii_letters + string.digits
_GST_CHARS = string.digits + string.ascii_uppercase
_DAY = 86_400
_BUSINESS_HOURS = (3 * 3600 + 1800, 13 * 3600 + 1800)  # 09:00-19:00 IST, in UTC


def _columns(names: str) -> tuple[str, ...]:
    return tuple(names.split())


# Column order of the rows built below (named in the INSERTs, so the schema may grow).
INVOICE_COLUMNS = _columns("""
    invoice_id seller_id customer_id customer_legal_name invoice_number external_id description
    po_number payable_reference_id via email_address mobile_number base_paise cgst_paise sgst_paise
    igst_paise tds_paise net_paise received_paise balance_paise gst_exclusive charge_customer
    invoice_date due_date dispatched dispatched_on partial_payment_allowed payment_link
    approval_status receivable_status payout_status collection_mode created_via created_by
    created_by_name created_by_email created_by_mobile created_on modified_by modified_by_name
    modified_by_email modified_by_mobile modified_on deleted""")
CUSTOMER_COLUMNS = _columns("""
    customer_id company_id customer_company_id legal_name address state pin_code contact_number
    account_number ifsc pan_or_gstin unique_ref_no assigned_agent branch_codes external_source
    status deleted created_on modified_on""")
CONTACT_COLUMNS = _columns("""
    key_contact_person_id customer_id position name legal_name mobile email via deleted
    mail_enabled sms_enabled whatsapp_enabled""")
REMINDER_COLUMNS = _columns("""
    customer_reminder_id customer_id position due_date_difference reminder_interval reminder_time
    reminder_type stage""")
ATTACHMENT_COLUMNS = _columns("""
    invoice_attachment_id invoice_id attachment_source url original_filename file_ext is_primary
    shared reference_id remarks""")
BC_COLUMNS = _columns("""
    invoice_id object_id status object_version buyer_b2b_id supplier_b2b_id payment_id
    payment_type payment_paise payment_reported_on payment_remarks""")


def _weighted(
    options: tuple[Any, ...], weights: tuple[int, ...]
) -> tuple[tuple[Any, ...], list[int]]:
    """(options, cumulative weights), for ``_Seeder.pick``."""
    return options, list(accumulate(weights))


_PENDING = _weighted(
    ("MAKER_APPROVAL_PENDING", "CHECKER_APPROVAL_PENDING", "APPROVER_APPROVAL_PENDING"),
    (45, 40, 15),
)
_REJECTED = _weighted(("MAKER_REJECTED", "CHECKER_REJECTED", "APPROVER_REJECTED"), (1, 2, 1))
_APPROVED = _weighted(
    ("CHECKER_APPROVED", "APPROVER_APPROVED", "MAKER_APPROVED", "BANK_APPROVED"), (50, 42, 5, 3)
)
_GST_RATES = _weighted((18, 12, 5, 28), (70, 12, 10, 8))
_CREATED_VIA = _weighted(("API", "BULK", "UI"), (55, 30, 15))
_MODES = _weighted(COLLECTION_MODES, (30, 15, 20, 10, 15, 10))
_MODES_OFFLINE = _weighted(COLLECTION_MODES[2:], (20, 10, 15, 10))  # no payment link sent
_VIA = _weighted(("EMAIL", "WHATSAPP", "SMS"), (50, 32, 18))
_VIA_ENKASH = ("PAYMENT_LINK", "UPI", "VIRTUAL_ACCOUNT")  # collected through EnKash: payout
_LATE = (0, 0, 0, 5, 15, 30, 60)  # days paid after the due date
_LOW, _HIGH, _MODE = math.log(2_000), math.log(2_500_000), math.log(40_000)
_TABLES = (
    ("customers", CUSTOMER_COLUMNS),
    ("key_contacts", CONTACT_COLUMNS),
    ("reminders", REMINDER_COLUMNS),
    ("invoices", INVOICE_COLUMNS),
    ("invoice_attachments", ATTACHMENT_COLUMNS),
    ("bc_invoices", BC_COLUMNS),
)  # in foreign-key order
_BALANCE_AT = INVOICE_COLUMNS.index("balance_paise")
_CREATED_AT = INVOICE_COLUMNS.index("created_on")


@dataclass(frozen=True)
class SeedSummary:
    """What ``seed`` wrote for the demo company, and how long it took."""

    customers: int
    invoices: int
    bharat_connect: int
    seconds: float


@dataclass(frozen=True)
class _Company:
    company_id: str
    name: str
    secret: str
    username: str
    password: str
    user_name: str
    user_mobile: str
    home_state: str
    number_prefix: str  # invoice numbers: PREFIX/2025-26/00042


DEMO = _Company(
    DEMO_COMPANY_ID, "Demo Traders Pvt Ltd", DEMO_CLIENT_SECRET, DEMO_USERNAME, DEMO_PASSWORD,
    "Ananya Rao", "+91 9820012345", "Maharashtra", "INV",
)  # fmt: skip
OTHER = _Company(
    OTHER_COMPANY_ID, "Other Industries Ltd", OTHER_CLIENT_SECRET, OTHER_USERNAME,
    OTHER_PASSWORD, "Karthik Menon", "+91 9845067890", "Karnataka", "OIL",
)  # fmt: skip
_BOTH = (DEMO, OTHER)


@dataclass(slots=True)
class _Customer:
    customer_id: str
    legal_name: str
    state: str
    industry: int
    status: str
    deleted: int
    weight: float
    row: list[Any]
    via: str = "EMAIL"  # of its primary key contact, copied onto its invoices
    email: str | None = None
    mobile: str = ""
    first_invoice: int | None = None  # moment (seconds since 0001-01-01) of its first invoice


def gstin_check_char(first14: str) -> str:
    """The GSTIN check character (15th) for its first 14 characters (mod-36 Luhn variant)."""
    total = 0
    for index, char in enumerate(first14):
        product = _GST_CHARS.index(char) * (2 if index % 2 else 1)
        total += product // 36 + product % 36
    return _GST_CHARS[(36 - total % 36) % 36]


def _p_open(days_overdue: int) -> float:
    """How likely an approved invoice still has a balance, by days past its due date."""
    for most, probability in ((0, 0.85), (30, 0.6), (60, 0.45), (90, 0.38), (180, 0.2)):
        if days_overdue <= most:
            return probability
    return 0.05


class _Seeder:
    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today.toordinal()
        self.end = self.today * _DAY - 60  # latest moment anything may happen
        self.ids: set[str] = {DEMO_COMPANY_ID, OTHER_COMPANY_ID}
        self.names: set[str] = set()
        self.pans: set[str] = set()
        self.rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)  # by table
        self.buyer_b2b: dict[str, str] = {}
        self.days: dict[int, str] = {}  # day ordinal -> YYYY-MM-DD
        self.ref_no = 0
        self.external_no = 77_000

    # -- small helpers -------------------------------------------------------------------------

    def new_id(self, prefix: str, length: int, alphabet: str = _UPPER_ALNUM) -> str:
        while True:
            value = prefix + "".join(self.rng.choices(alphabet, k=length))
            if value not in self.ids:
                self.ids.add(value)
                return value

    def pick(self, options: tuple[tuple[Any, ...], list[int]]) -> Any:
        return self.rng.choices(options[0], cum_weights=options[1])[0]

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def digits(self, count: int) -> str:
        return str(self.rng.randint(10 ** (count - 1), 10**count - 1))

    def ts(self, moment: int) -> str:
        day, secs = divmod(moment, _DAY)
        hh, rest = divmod(secs, 3600)
        if day not in self.days:
            self.days[day] = dt.date.fromordinal(day).isoformat()
        return f"{self.days[day]}T{hh:02d}:{rest // 60:02d}:{rest % 60:02d}Z"

    def business_moment(self, day: int) -> int:
        return day * _DAY + self.rng.randint(*_BUSINESS_HOURS)

    def mobile(self) -> str:
        number = self.rng.choice("9999887766") + self.digits(9)
        return self.rng.choice(("+91 ", "+91 ", "+91 ", "+91", "+91-", "")) + number

    # -- customers -----------------------------------------------------------------------------

    def legal_name(self) -> tuple[str, int, str]:
        rng = self.rng
        for attempt in range(1000):
            industry = rng.randrange(len(w.INDUSTRIES))
            suffix, holder = rng.choice(w.SUFFIXES)
            first = rng.choice(w.FAMILY_NAMES if self.chance(0.3) else w.PREFIXES)
            trade = w.INDUSTRIES[industry][0]
            if attempt > 50:  # the plain combinations are running out: add a unit number
                trade = f"{trade} Unit {rng.randint(2, 999)}"
            name = f"{first} {trade} {suffix}"
            if name not in self.names:
                self.names.add(name)
                return name, industry, holder
        raise RuntimeError("could not make a unique customer name")

    def pan(self, holder: str, name: str) -> str:
        """A PAN: 3 letters, holder type (C company, F firm), the name's initial, 4 digits, 1."""
        letters = string.ascii_uppercase
        while True:
            series = "".join(self.rng.choices(letters, k=3))
            value = f"{series}{holder}{name[0]}{self.digits(4)}{self.rng.choice(letters)}"
            if value not in self.pans:
                self.pans.add(value)
                return value

    def customers(self, company: _Company, count: int) -> list[_Customer]:
        rng = self.rng
        state_weights = list(accumulate(s[2] for s in w.STATES))
        n_inactive = max(1, round(count * 0.05)) if count > 1 else 0
        n_deleted = max(1, round(count * 0.02)) if count > 2 else 0
        picks = rng.sample(range(count), n_inactive + n_deleted)
        inactive, deleted = set(picks[:n_inactive]), set(picks[n_inactive:])
        made = []
        for index in range(count):
            name, industry, holder = self.legal_name()
            state, code, _, cities = rng.choices(w.STATES, cum_weights=state_weights)[0]
            city, pin3, branch = rng.choice(cities)
            tax_id = self.pan(holder, name)
            if self.chance(0.92):  # GSTIN: state code, PAN, entity number, "Z", check character
                first14 = f"{code}{tax_id}{rng.choice('1111112')}Z"
                tax_id = first14 + gstin_check_char(first14)
            bank, account_length = rng.choice(w.BANKS)
            branches = [branch] if self.chance(0.88) else [branch, rng.choice(("MUM01", "DEL01"))]
            self.ref_no += 1
            customer_id = self.new_id("KC", 14)
            status = "INACTIVE" if index in inactive else "ACTIVE"
            unit = f"{rng.choice(w.UNITS)} {rng.randint(1, 350)}"
            network_id = self.new_id("CEK", 7) if self.chance(0.08) else None  # on EnKash too
            place = w.STATE_ESTATES[state] if self.chance(0.4) else rng.choice(w.PLACES)
            address = f"{unit}, {place}, {city}"
            row: list[Any] = [
                customer_id, company.company_id, network_id, name, address, state,
                f"{pin3}{rng.randint(1, 99):03d}", self.mobile(), self.digits(account_length),
                f"{bank}0{rng.randint(1, 99999):06d}", tax_id, f"ERP-CUST-{self.ref_no:04d}",
                rng.choice(w.AGENTS) if self.chance(0.92) else None,
                json.dumps(list(dict.fromkeys(branches))), int(self.chance(0.35)), status,
                int(index in deleted),
            ]  # fmt: skip
            weight = rng.lognormvariate(0, 1.0) * (0.3 if index in deleted else 1.0)
            customer = _Customer(customer_id, name, state, industry, status, row[-1], weight, row)
            self.contacts(customer)
            self.reminders(customer_id)
            made.append(customer)
        return made

    def contacts(self, customer: _Customer) -> None:
        rng = self.rng
        words = [x for x in customer.legal_name.lower().split() if x.isalpha()][:2]
        domain = "".join(words) + rng.choice((".com", ".in", ".co.in"))
        for position in range(rng.choices((1, 2, 3), weights=(50, 35, 15))[0]):
            first, last = rng.choice(w.FIRST_NAMES), rng.choice(w.LAST_NAMES)
            middle = f" {rng.choice(w.MIDDLE_NAMES)}" if self.chance(0.3) else ""
            mailbox = rng.choice((f"{first}.{last}", f"{first}{last[0]}", "accounts", "finance"))
            email = f"{mailbox.lower()}@{domain}" if self.chance(0.9) else None
            via = self.pick(_VIA)
            if email is None and via == "EMAIL":
                via = "WHATSAPP"
            flags = [int(email is not None and self.chance(0.9)), int(self.chance(0.5))]
            flags.append(int(self.chance(0.6)))
            flags[("EMAIL", "SMS", "WHATSAPP").index(via)] = 1
            mobile = self.mobile()
            if position == 0:
                customer.via, customer.email, customer.mobile = via, email, mobile
            deleted = int(position > 0 and self.chance(0.08))
            self.rows["key_contacts"].append((
                self.new_id("KCP", 13), customer.customer_id, position, f"{first} {last}",
                f"{first}{middle} {last}", mobile, email, via, deleted, *flags,
            ))  # fmt: skip

    def reminders(self, customer_id: str) -> None:
        rng = self.rng
        if not self.chance(0.7):
            return
        rules = [
            (-rng.choice((3, 5, 7)), None, "ONCE", "BEFORE_DUE"),
            (0, None, "ONCE", "ON_DUE"),
            (rng.choice((1, 3, 5)), rng.choice((3, 7, 7, 15)), "RECURRING", "AFTER_DUE"),
        ]
        keep = sorted(rng.sample(range(3), rng.choices((1, 2, 3), weights=(30, 40, 30))[0]))
        at = rng.choice(("09:30", "10:00", "10:00", "11:00", "12:30", "15:00", "16:30", "18:00"))
        for position, (diff, every, kind, stage) in enumerate(rules[i] for i in keep):
            rule_id = self.new_id("KR", 14)
            self.rows["reminders"].append(
                (rule_id, customer_id, position, diff, every, at, kind, stage)
            )

    def finish_customers(self, customers: list[_Customer]) -> None:
        """Creation times, now that we know when each customer's first invoice was raised."""
        rng = self.rng
        for customer in customers:
            created = self.business_moment(self.today - rng.randint(30, 730))
            if customer.first_invoice is not None:
                created = min(created, customer.first_invoice - rng.randint(1, 20) * _DAY)
            modified = created + int((self.end - created) * rng.random() ** 2)
            self.rows["customers"].append((*customer.row, self.ts(created), self.ts(modified)))

    # -- invoices ------------------------------------------------------------------------------

    def assign(self, customers: list[_Customer], count: int) -> list[int]:
        """Which customer each invoice is for: a few big accounts, a long tail."""
        cum = list(accumulate(c.weight for c in customers))
        chosen = self.rng.choices(range(len(customers)), cum_weights=cum, k=count)
        deleted = [i for i, c in enumerate(customers) if c.deleted]
        inactive = [i for i, c in enumerate(customers) if c.status == "INACTIVE"]
        for wanted in (deleted, inactive):  # so that those filters always find something
            if wanted and count >= 20 and not set(wanted) & set(chosen):
                for slot in self.rng.sample(range(count), 3):
                    chosen[slot] = self.rng.choice(wanted)
        return chosen

    def amounts(self, customer: _Customer, home_state: str) -> tuple[int, int, int, int, int]:
        """Base (₹2,000 to ₹25,00,000, log-triangular), CGST, SGST, IGST and TDS, in paise."""
        rng = self.rng
        rupees = int(math.exp(rng.triangular(_LOW, _HIGH, _MODE)))
        if rupees >= 100_000 and self.chance(0.5):
            rupees = rupees // 100 * 100
        base = max(200_000, rupees * 100 + (rng.randint(1, 99) if self.chance(0.1) else 0))
        rate = 18 if w.INDUSTRIES[customer.industry][2] else self.pick(_GST_RATES)
        if customer.state == home_state:  # intra-state: CGST + SGST, else IGST
            cgst = (base * rate + 100) // 200
            cgst_sgst_igst = (cgst, cgst, 0)
        else:
            cgst_sgst_igst = (0, 0, (base * rate + 50) // 100)
        tds = (base * rng.choice((1, 2)) + 50) // 100 if self.chance(0.3) else 0
        return (base, *cgst_sgst_igst, tds)

    def approval(self, days_ago: int) -> str:
        roll = self.rng.random()
        if days_ago <= 20 and roll < 0.35:
            return str(self.pick(_PENDING))
        return str(self.pick(_REJECTED if roll > 0.992 else _APPROVED))

    def invoices(self, company: _Company, customers: list[_Customer], count: int) -> list[int]:
        """Raise ``count`` invoices; returns the rows that may go on Bharat Connect."""
        rng = self.rng
        if not customers or count <= 0:
            return []
        ages = sorted((1 + int(547 * rng.random() ** 1.1) for _ in range(count)), reverse=True)
        user = (company.username, company.user_name, company.username, company.user_mobile)
        sequence: dict[int, int] = {}
        candidates = []
        for ago, who in zip(ages, self.assign(customers, count), strict=True):
            customer = customers[who]
            day = self.today - ago
            date = dt.date.fromordinal(day)
            fy = date.year if date.month >= 4 else date.year - 1  # Indian financial year
            sequence[fy] = sequence.get(fy, 0) + 1
            label = f"{fy}-{(fy + 1) % 100:02d}"
            number = f"{company.number_prefix}/{label}/{sequence[fy]:05d}"
            created = self.business_moment(day)
            if customer.first_invoice is None:
                customer.first_invoice = created
            terms = rng.choice((15, 30, 30, 30, 45, 60))
            _, products, services = w.INDUSTRIES[customer.industry]
            product, period = rng.choice(products), f"{w.MONTHS[date.month - 1]} {date.year}"
            if services:
                description = f"{product[0].upper()}{product[1:]} for {period}"
            else:
                description = f"Supply of {product} - {period}"
            due = dt.date.fromordinal(day + terms).isoformat()
            base, cgst, sgst, igst, tds = self.amounts(customer, company.home_state)
            net = base + cgst + sgst + igst - tds
            approval = self.approval(ago)
            approved = approval.endswith("APPROVED")
            partial_allowed = self.chance(0.35)
            dispatched = approved and self.chance(0.86)
            dispatched_on = None
            if dispatched:  # the same day or a day or two later, in office hours
                later = self.business_moment(min(self.today - 1, day + rng.choice((0, 1, 1, 2))))
                dispatched_on = max(later, created + rng.randint(300, 7200))
            received, mode, payout, modified = 0, None, None, dispatched_on or created
            if approved and not self.chance(_p_open(ago - terms)):
                received = net
            elif approved and partial_allowed and self.chance(0.5):
                received = max(100, net * rng.randint(10, 90) // 10_000 * 100)
            if received:
                paid_on = min(self.today - 1, day + rng.randint(1, terms + rng.choice(_LATE)))
                modified = max(modified + 600, self.business_moment(paid_on))
                mode = self.pick(_MODES if dispatched else _MODES_OFFLINE)
                if mode == "RTGS" and received < 20_000_000:  # RTGS is for ₹2 lakh and up
                    mode = "NEFT"
                if received == net and mode in _VIA_ENKASH and self.chance(0.85):
                    payout = "PAID"
            status = "PAID" if received == net else "PARTIALLY_PAID" if received else "UNPAID"
            invoice_id = self.new_id("KI", 14)
            deleted = int(self.chance(0.005))
            self.external_no += rng.randint(1, 9)
            external_id = f"erp-{self.external_no}" if self.chance(0.45) else None
            po_number = f"PO-{rng.randint(1000, 99999)}" if self.chance(0.55) else None
            self.rows["invoices"].append((
                invoice_id, company.company_id, customer.customer_id, customer.legal_name, number,
                external_id, description, po_number, None, customer.via, customer.email,
                customer.mobile, base, cgst, sgst, igst, tds, net, received, net - received, 1,
                int(self.chance(0.1)), self.ts(created), due, int(dispatched),
                self.ts(dispatched_on) if dispatched_on else None,
                int(partial_allowed or status == "PARTIALLY_PAID"),
                PAYMENT_LINK_BASE + invoice_id if dispatched else None, approval, status, payout,
                mode, self.pick(_CREATED_VIA), *user, self.ts(created), *user, self.ts(modified),
                deleted,
            ))  # fmt: skip
            if self.chance(0.1):
                attachment_id = self.new_id("KA", 14)
                filename = f"INV-{label}-{sequence[fy]:05d}.pdf"
                url = f"{FILES_BASE}{attachment_id}/{filename}"
                remarks = "Exported from Tally" if self.chance(0.3) else None
                self.rows["invoice_attachments"].append((
                    attachment_id, invoice_id, "TALLY_INVOICE", url, filename, "pdf", 1,
                    int(dispatched), number, remarks,
                ))  # fmt: skip
            if approved and not deleted:
                candidates.append(len(self.rows["invoices"]) - 1)
        return candidates

    # -- Bharat Connect ------------------------------------------------------------------------

    def reported_payment(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        """A payment the buyer reported on the network for the whole balance, awaiting us."""
        rng = self.rng
        kind = rng.choice(("ONPLATFORM", "OFFPLATFORM"))
        if kind == "ONPLATFORM":
            remarks = rng.choice(("Paid via UPI ref ", "Paid on Bharat Connect txn "))
            remarks += self.digits(12)
        elif self.chance(0.6):
            remarks = f"Paid via NEFT UTR N{self.digits(15)}"
        elif self.chance(0.6):
            remarks = f"Paid via RTGS UTR {rng.choice(w.BANKS)[0]}R{self.digits(14)}"
        else:
            remarks = f"Cheque no. {self.digits(6)} deposited"
        created = dt.datetime.strptime(row[_CREATED_AT], "%Y-%m-%dT%H:%M:%SZ")
        earliest = created.toordinal() * _DAY + created.hour * 3600 + 3600
        reported = max(earliest, self.business_moment(self.today - rng.randint(1, 10)))
        payment_id = self.new_id("PMT", 32, _MIXED_ALNUM)
        return payment_id, kind, row[_BALANCE_AT], self.ts(min(self.end, reported)), remarks

    def bharat_connect(self, candidates: list[int], count: int) -> int:
        """Put ``count`` invoices on Bharat Connect: 60% open ones (any status but PAID)."""
        rng, invoices = self.rng, self.rows["invoices"]
        open_ = [c for c in candidates if invoices[c][_BALANCE_AT] > 0]
        paid = [c for c in candidates if invoices[c][_BALANCE_AT] == 0]
        n_open = min(len(open_), round(count * 0.6))
        picks = rng.sample(open_, n_open) + rng.sample(paid, min(len(paid), count - n_open))
        supplier = "B2B" + self.digits(12)
        for number, row_at in enumerate(picks):
            row = invoices[row_at]
            if row[_BALANCE_AT] == 0:
                status = "PAID"
            elif number < len(BC_STATUSES):  # every status at least once
                status = BC_STATUSES[number]
            else:
                status = rng.choices(BC_STATUSES, weights=(35, 40, 15, 10))[0]
            if row[2] not in self.buyer_b2b:  # one network id per buyer (customer)
                self.buyer_b2b[row[2]] = "B2B" + self.digits(12)
            buyer = self.buyer_b2b[row[2]]
            versions = {"CREATED": (1, 1, 1, 2), "PAID": (3, 4)}.get(status, (2, 3))
            payment: tuple[Any, ...] = (None,) * 5
            if status in ("CREATED", "ACCEPTED") and self.chance(0.4):
                payment = self.reported_payment(row)
            object_id = self.new_id("OBJ", 20)
            version = rng.choice(versions)
            self.rows["bc_invoices"].append(
                (row[0], object_id, status, version, buyer, supplier, *payment)
            )
        return len(picks)


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
    if conn.execute("SELECT 1 FROM companies LIMIT 1").fetchone() is not None:
        raise ValueError("seed() needs an empty database")
    today = today or dt.datetime.now(dt.UTC).date()
    if invoices > 20_000:
        customers = max(customers, invoices // 25)
    customers = max(customers, 1 if invoices > 0 else 0)
    seeder = _Seeder(random.Random(seed), today)
    demo_customers = seeder.customers(DEMO, customers)
    candidates = seeder.invoices(DEMO, demo_customers, invoices)
    bc_count = seeder.bharat_connect(candidates, round(invoices * 0.06))
    other_customers = seeder.customers(OTHER, 6)
    seeder.bharat_connect(seeder.invoices(OTHER, other_customers, 30), 2)
    seeder.finish_customers(demo_customers + other_customers)
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
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return SeedSummary(len(demo_customers), invoices, bc_count, time.perf_counter() - started)
