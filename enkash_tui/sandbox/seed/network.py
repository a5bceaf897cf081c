"""Bharat Connect rows for the sandbox's demo data: which invoices are on the network, where
each one stands, the payment its buyer reported, and how it got there (its history).

``NetworkSeeder`` extends ``invoices.InvoiceSeeder``. It runs after every other table is
made, so the customers and invoices do not depend on it. Every work queue the app shows gets at
least one invoice even in a small seed: a payment awaiting the supplier (ONPLATFORM and
OFFPLATFORM, one of them covering two invoices of one buyer), RETURNED, REJECTED, CREATED
(awaiting the buyer), ACCEPTED and unpaid, PAID, and CANCELLED.
"""

from __future__ import annotations

import datetime as dt
import random
import string
from collections import defaultdict
from typing import Any

from enkash_tui.sandbox.seed import words as w
from enkash_tui.sandbox.seed.customers import DAY, columns
from enkash_tui.sandbox.seed.invoices import INVOICE_COLUMNS, VIA_ENKASH, InvoiceSeeder

BC_STATUSES = ("CREATED", "ACCEPTED", "RETURNED", "REJECTED", "CANCELLED")  # + PAID, from paid
_BC_WEIGHTS = (30, 38, 10, 12, 10)
MIN_NETWORK = 12  # network invoices in even the smallest seed, so every queue has one

BC_COLUMNS = columns("""
    invoice_id object_id status object_version buyer_b2b_id supplier_b2b_id payment_id
    payment_type payment_paise payment_reported_on payment_remarks""")
HISTORY_COLUMNS = columns("invoice_id seq at status by action remarks object_version")

_MIXED_ALNUM = string.ascii_letters + string.digits
_BALANCE_AT = INVOICE_COLUMNS.index("balance_paise")
_CREATED_AT = INVOICE_COLUMNS.index("created_on")
_MODIFIED_AT = INVOICE_COLUMNS.index("modified_on")
_MODE_AT = INVOICE_COLUMNS.index("collection_mode")

# One step: (status after it, who acted, action).
Step = tuple[str, str, str]
_RAISED: Step = ("CREATED", "SUPPLIER", "CREATED")
_ACCEPTED: Step = ("ACCEPTED", "BUYER", "ACCEPTED")
_RETURNED: Step = ("RETURNED", "BUYER", "RETURNED")
_RESENT: Step = ("CREATED", "SUPPLIER", "RESUBMITTED")
_RETURN_CYCLE = (_RAISED, _RETURNED, _RESENT)

# The forced roles of a seed's first open network invoices: (status, payment group or None).
# Group "pair" is one payment covering two invoices of one buyer; "single" has the other type.
_ROLES: tuple[tuple[str | None, str | None], ...] = (
    (None, "pair"),
    (None, "pair"),
    (None, "single"),
    ("RETURNED", None),
    ("REJECTED", None),
    ("CREATED", None),
    ("ACCEPTED", None),
    ("CANCELLED", None),
)


def _seconds(stamp: str) -> int:
    """``YYYY-MM-DDTHH:MM:SSZ`` -> seconds since 0001-01-01 (the seeder's moments)."""
    day = dt.date(int(stamp[:4]), int(stamp[5:7]), int(stamp[8:10])).toordinal()
    return day * DAY + int(stamp[11:13]) * 3600 + int(stamp[14:16]) * 60 + int(stamp[17:19])


def payment_remarks(rng: random.Random, kind: str) -> str:
    """What a buyer writes when reporting a payment of this type (ONPLATFORM/OFFPLATFORM)."""

    def digits(count: int) -> str:
        return str(rng.randint(10 ** (count - 1), 10**count - 1))

    if kind == "ONPLATFORM":
        return rng.choice(("Paid via UPI ref ", "Paid on Bharat Connect txn ")) + digits(12)
    roll = rng.random()
    if roll < 0.6:
        return f"Paid via NEFT UTR N{digits(15)}"
    if roll < 0.84:
        return f"Paid via RTGS UTR {rng.choice(w.BANKS)[0]}R{digits(14)}"
    return f"Cheque no. {digits(6)} deposited"


def remarks_for(rng: random.Random, action: str) -> str | None:
    options = w.NETWORK_REMARKS.get(action)
    return rng.choice(options) if options else None


class NetworkSeeder(InvoiceSeeder):
    """An ``InvoiceSeeder`` that also puts invoices on Bharat Connect, with their history."""

    def _payment(self, rows: list[tuple[Any, ...]], kind: str) -> tuple[str, str, str, str]:
        """(payment id, type, reported on, remarks) of a payment the buyer reported."""
        earliest = max(_seconds(row[_CREATED_AT]) for row in rows) + 3600
        reported = max(earliest, self.business_moment(self.today - self.rng.randint(1, 10)))
        payment_id = self.new_id("PMT", 32, _MIXED_ALNUM)
        remarks = payment_remarks(self.rng, kind)
        return payment_id, kind, self.ts(min(self.end, reported)), remarks

    def _steps(self, status: str, pending: bool, row: tuple[Any, ...]) -> list[Step]:
        """A plausible path to ``status`` (at most four steps: versions 1 to 4)."""
        roll = self.rng.random()
        reported: Step = (status, "BUYER", "PAYMENT_REPORTED")
        if status == "CREATED":
            path = list(_RETURN_CYCLE) if roll < 0.25 else [_RAISED]
            return [*path, reported] if pending else path
        if status == "ACCEPTED":
            if pending:
                return [_RAISED, _ACCEPTED, reported]
            if roll < 0.1:  # the buyer's earlier payment report was turned down
                refused = ("ACCEPTED", "SUPPLIER", "PAYMENT_REJECTED")
                return [_RAISED, _ACCEPTED, ("ACCEPTED", "BUYER", "PAYMENT_REPORTED"), refused]
            return [*_RETURN_CYCLE, _ACCEPTED] if roll < 0.2 else [_RAISED, _ACCEPTED]
        if status in ("RETURNED", "REJECTED"):
            last = (status, "BUYER", status)
            return [*_RETURN_CYCLE, last] if roll < 0.15 else [_RAISED, last]
        if status == "CANCELLED":
            cancelled = ("CANCELLED", "SUPPLIER", "CANCELLED")
            if roll < 0.4:
                return [_RAISED, cancelled]
            return [_RAISED, _RETURNED if roll < 0.7 else _ACCEPTED, cancelled]
        # PAID: confirmed from a reported payment, or marked paid by the supplier.
        if row[_MODE_AT] in VIA_ENKASH or roll < 0.5:
            return [
                _RAISED,
                _ACCEPTED,
                ("ACCEPTED", "BUYER", "PAYMENT_REPORTED"),
                ("PAID", "SUPPLIER", "PAYMENT_ACCEPTED"),
            ]
        return [_RAISED, _ACCEPTED, ("PAID", "SUPPLIER", "MARKED_PAID")]

    def _history(
        self,
        row: tuple[Any, ...],
        steps: list[Step],
        last_at: int | None,
        payment: tuple[Any, ...] | None,
    ) -> None:
        """History rows for ``steps``: the first soon after the invoice was raised, the last at
        ``last_at`` (when given) or some days later, strictly increasing, before today."""
        rng, count = self.rng, len(steps)
        created = _seconds(row[_CREATED_AT])
        if last_at is None:
            span = int(rng.expovariate(1 / (6 * DAY))) + 3600 * count
            last_at = min(self.end, created + 600 + span)
        first = min(created + rng.randint(300, 3 * 3600), last_at - 60 * count)
        first = max(first, created + 1)
        middle = sorted(rng.sample(range(first + 1, last_at), count - 2)) if count > 2 else []
        moments = [first, *middle, last_at] if count > 1 else [first]
        history = self.rows["bc_history"]
        for seq, ((status, by, action), at) in enumerate(zip(steps, moments, strict=True), 1):
            if action == "PAYMENT_REPORTED":
                remarks = (
                    payment[3]
                    if payment and seq == count
                    else payment_remarks(rng, rng.choice(("ONPLATFORM", "OFFPLATFORM")))
                )
            else:
                remarks = remarks_for(rng, action)
            history.append((row[0], seq, self.ts(at), status, by, action, remarks, seq))

    def _picks(
        self, candidates: list[int], count: int, roles: int
    ) -> tuple[list[int], list[int], bool]:
        """(open picks, paid picks, whether the first two open picks are one buyer's).

        With ``roles``, at least that many open invoices are picked (when there are), and two
        of one buyer's lead, for the payment that covers both."""
        rng, invoices = self.rng, self.rows["invoices"]
        open_ = [c for c in candidates if invoices[c][_BALANCE_AT] > 0]
        paid = [c for c in candidates if invoices[c][_BALANCE_AT] == 0]
        n_open = min(len(open_), max(round(count * 0.6), roles))
        pair: list[int] = []
        if roles and n_open >= 2:
            by_buyer: dict[str, list[int]] = defaultdict(list)
            for at in open_:
                by_buyer[invoices[at][2]].append(at)
            buyers = [ids for ids in by_buyer.values() if len(ids) >= 2]
            if buyers:
                pair = rng.sample(rng.choice(buyers), 2)
        rest = [c for c in open_ if c not in pair] if pair else open_
        open_picks = pair + rng.sample(rest, n_open - len(pair))
        paid_picks = rng.sample(paid, max(0, min(len(paid), count - n_open)))
        return open_picks, paid_picks, bool(pair)

    def bharat_connect(self, candidates: list[int], count: int) -> int:
        """Put ``count`` invoices on Bharat Connect (about 60% open ones). When there are
        enough, the first open ones fill every work queue (see ``_ROLES``)."""
        rng, invoices = self.rng, self.rows["invoices"]
        roles: tuple[tuple[str | None, str | None], ...] = ()
        if count > len(_ROLES):
            roles = _ROLES
        open_picks, paid_picks, paired = self._picks(candidates, count, len(roles))
        if roles and not paired:  # no buyer with two open invoices: a one-invoice "pair"
            roles = roles[1:]
        statuses: list[str] = []
        groups: dict[str, list[int]] = defaultdict(list)  # payment -> open pick numbers
        for number in range(len(open_picks)):
            forced, group = roles[number] if number < len(roles) else (None, None)
            if group:
                status = rng.choice(("CREATED", "ACCEPTED"))
                groups[group].append(number)
            elif forced:
                status = forced
            else:
                status = rng.choices(BC_STATUSES, weights=_BC_WEIGHTS)[0]
                if status in ("CREATED", "ACCEPTED") and self.chance(0.4):
                    groups[f"one-{number}"].append(number)
            statuses.append(status)
        self._share_payments(open_picks, groups)
        payments: dict[int, tuple[str, str, str, str]] = {}
        pair_kind = rng.choice(("ONPLATFORM", "OFFPLATFORM"))
        for name, numbers in groups.items():
            if name == "pair":
                kind = pair_kind
            elif name == "single":  # the other type, so that both are waiting
                kind = "OFFPLATFORM" if pair_kind == "ONPLATFORM" else "ONPLATFORM"
            else:
                kind = rng.choice(("ONPLATFORM", "OFFPLATFORM"))
            payment = self._payment([invoices[open_picks[n]] for n in numbers], kind)
            payments.update(dict.fromkeys(numbers, payment))
        supplier = "B2B" + self.digits(12)
        for number, row_at in enumerate(open_picks):
            self._network_row(invoices[row_at], statuses[number], payments.get(number), supplier)
        for row_at in paid_picks:
            self._network_row(invoices[row_at], "PAID", None, supplier)
        return len(open_picks) + len(paid_picks)

    def _share_payments(self, open_picks: list[int], groups: dict[str, list[int]]) -> None:
        """Now and then one payment covers two of a buyer's invoices: merge such groups."""
        invoices = self.rows["invoices"]
        singles: dict[str, list[str]] = defaultdict(list)  # buyer -> single-payment groups
        for name, numbers in groups.items():
            if name.startswith("one-"):
                singles[invoices[open_picks[numbers[0]]][2]].append(name)
        for names in singles.values():
            if len(names) >= 2 and self.chance(0.5):
                first, second = names[:2]
                groups[first].extend(groups.pop(second))

    def _network_row(
        self,
        row: tuple[Any, ...],
        status: str,
        payment: tuple[str, str, str, str] | None,
        supplier: str,
    ) -> None:
        if row[2] not in self.buyer_b2b:  # one network id per buyer (customer)
            self.buyer_b2b[row[2]] = "B2B" + self.digits(12)
        steps = self._steps(status, payment is not None, row)
        last_at = None
        if payment is not None:
            last_at = _seconds(payment[2])
        elif status == "PAID":
            last_at = _seconds(row[_MODIFIED_AT])
        self._history(row, steps, last_at, payment)
        object_id = self.new_id("OBJ", 20)
        pending: tuple[Any, ...] = (None,) * 5
        if payment is not None:
            payment_id, kind, reported, remarks = payment
            pending = (payment_id, kind, row[_BALANCE_AT], reported, remarks)
        self.rows["bc_invoices"].append(
            (row[0], object_id, status, len(steps), self.buyer_b2b[row[2]], supplier, *pending)
        )
