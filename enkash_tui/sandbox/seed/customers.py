"""The core of the sandbox's demo-data seeder, and the customer side of the data (see book.py).

``CustomerSeeder`` holds the random source, the ids already handed out and the rows made so far
(by table), with the helpers every table needs: unique ids, weighted picks, business-hours
timestamps. It makes each company's customers with their key contacts and reminder rules;
``invoices.InvoiceSeeder`` builds the invoices on top of it.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import string
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from enkash_tui.api.gst import check_char as gstin_check_char
from enkash_tui.sandbox.seed import words as w

_UPPER_ALNUM = string.ascii_uppercase + string.digits
DAY = 86_400
_BUSINESS_HOURS = (3 * 3600 + 1800, 13 * 3600 + 1800)  # 09:00-19:00 IST, in UTC


def columns(names: str) -> tuple[str, ...]:
    return tuple(names.split())


# Column order of the rows built below (named in the INSERTs, so the schema may grow).
CUSTOMER_COLUMNS = columns("""
    customer_id company_id customer_company_id legal_name address state pin_code contact_number
    account_number ifsc pan_or_gstin unique_ref_no assigned_agent branch_codes external_source
    status deleted created_on modified_on""")
CONTACT_COLUMNS = columns("""
    key_contact_person_id customer_id position name legal_name mobile email via deleted
    mail_enabled sms_enabled whatsapp_enabled""")
REMINDER_COLUMNS = columns("""
    customer_reminder_id customer_id position due_date_difference reminder_interval reminder_time
    reminder_type stage""")


def weighted(
    options: tuple[Any, ...], weights: tuple[int, ...]
) -> tuple[tuple[Any, ...], list[int]]:
    """(options, cumulative weights), for ``CustomerSeeder.pick``."""
    return options, list(accumulate(weights))


_VIA = weighted(("EMAIL", "WHATSAPP", "SMS"), (50, 32, 18))


@dataclass(frozen=True)
class Company:
    """A seller on the sandbox (an EnKash company) and its one user."""

    company_id: str
    name: str
    secret: str
    username: str
    password: str
    user_name: str
    user_mobile: str
    home_state: str
    number_prefix: str  # invoice numbers: PREFIX/2025-26/00042


@dataclass(slots=True)
class Customer:
    """A customer being made: what its contacts and invoices need, and its row so far."""

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


class CustomerSeeder:
    """Random choices, unique ids and rows by table; makes customers, contacts, reminders."""

    def __init__(self, rng: random.Random, today: dt.date, reserved_ids: Iterable[str]) -> None:
        self.rng = rng
        self.today = today.toordinal()
        self.end = self.today * DAY - 60  # latest moment anything may happen
        self.ids: set[str] = set(reserved_ids)  # no generated id may equal one of these
        self.names: set[str] = set()
        self.pans: set[str] = set()
        self.rows: dict[str, list[tuple[Any, ...]]] = defaultdict(list)  # by table
        self.days: dict[int, str] = {}  # day ordinal -> YYYY-MM-DD
        self.ref_no = 0

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
        day, secs = divmod(moment, DAY)
        hh, rest = divmod(secs, 3600)
        if day not in self.days:
            self.days[day] = dt.date.fromordinal(day).isoformat()
        return f"{self.days[day]}T{hh:02d}:{rest // 60:02d}:{rest % 60:02d}Z"

    def business_moment(self, day: int) -> int:
        return day * DAY + self.rng.randint(*_BUSINESS_HOURS)

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

    def customers(self, company: Company, count: int) -> list[Customer]:
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
            customer = Customer(customer_id, name, state, industry, status, row[-1], weight, row)
            self.contacts(customer)
            self.reminders(customer_id)
            made.append(customer)
        return made

    def contacts(self, customer: Customer) -> None:
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

    def finish_customers(self, customers: list[Customer]) -> None:
        """Creation times, now that we know when each customer's first invoice was raised."""
        rng = self.rng
        for customer in customers:
            created = self.business_moment(self.today - rng.randint(30, 730))
            if customer.first_invoice is not None:
                created = min(created, customer.first_invoice - rng.randint(1, 20) * DAY)
            modified = created + int((self.end - created) * rng.random() ** 2)
            self.rows["customers"].append((*customer.row, self.ts(created), self.ts(modified)))
