"""Invoices, their attachments and their Bharat Connect rows for the sandbox's demo data.

``InvoiceSeeder`` extends ``customers.CustomerSeeder``: it raises each company's invoices
against the customers made there (amounts, GST, approval, dispatch and payment), attaches the
odd Tally PDF. ``network`` puts some of the approved ones on Bharat Connect.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterable
from itertools import accumulate

from enkash_tui.sandbox.seed import words as w
from enkash_tui.sandbox.seed.customers import Company, Customer, CustomerSeeder, columns, weighted

PAYMENT_LINK_BASE = "https://sandbox.enkash.invalid/pay/"
FILES_BASE = "https://sandbox.enkash.invalid/files/"
COLLECTION_MODES = ("PAYMENT_LINK", "UPI", "NEFT", "RTGS", "VIRTUAL_ACCOUNT", "CHEQUE")
# Column order of the rows built below (named in the INSERTs, so the schema may grow).
INVOICE_COLUMNS = columns("""
    invoice_id seller_id customer_id customer_legal_name invoice_number external_id description
    po_number payable_reference_id via email_address mobile_number base_paise cgst_paise sgst_paise
    igst_paise tds_paise net_paise received_paise balance_paise gst_exclusive charge_customer
    invoice_date due_date dispatched dispatched_on partial_payment_allowed payment_link
    approval_status receivable_status payout_status collection_mode created_via created_by
    created_by_name created_by_email created_by_mobile created_on modified_by modified_by_name
    modified_by_email modified_by_mobile modified_on deleted""")
ATTACHMENT_COLUMNS = columns("""
    invoice_attachment_id invoice_id attachment_source url original_filename file_ext is_primary
    shared reference_id remarks""")

_PENDING = weighted(
    ("MAKER_APPROVAL_PENDING", "CHECKER_APPROVAL_PENDING", "APPROVER_APPROVAL_PENDING"),
    (45, 40, 15),
)
_REJECTED = weighted(("MAKER_REJECTED", "CHECKER_REJECTED", "APPROVER_REJECTED"), (1, 2, 1))
_APPROVED = weighted(
    ("CHECKER_APPROVED", "APPROVER_APPROVED", "MAKER_APPROVED", "BANK_APPROVED"), (50, 42, 5, 3)
)
_GST_RATES = weighted((18, 12, 5, 28), (70, 12, 10, 8))
_CREATED_VIA = weighted(("API", "BULK", "UI"), (55, 30, 15))
_MODES = weighted(COLLECTION_MODES, (30, 15, 20, 10, 15, 10))
_MODES_OFFLINE = weighted(COLLECTION_MODES[2:], (20, 10, 15, 10))  # no payment link sent
VIA_ENKASH = ("PAYMENT_LINK", "UPI", "VIRTUAL_ACCOUNT")  # collected through EnKash: payout
_LATE = (0, 0, 0, 5, 15, 30, 60)  # days paid after the due date
_LOW, _HIGH, _MODE = math.log(2_000), math.log(2_500_000), math.log(40_000)


def _p_open(days_overdue: int) -> float:
    """How likely an approved invoice still has a balance, by days past its due date."""
    for most, probability in ((0, 0.85), (30, 0.6), (60, 0.45), (90, 0.38), (180, 0.2)):
        if days_overdue <= most:
            return probability
    return 0.05


class InvoiceSeeder(CustomerSeeder):
    """A ``CustomerSeeder`` that also raises invoices and their attachments."""

    def __init__(self, rng: random.Random, today: dt.date, reserved_ids: Iterable[str]) -> None:
        super().__init__(rng, today, reserved_ids)
        self.buyer_b2b: dict[str, str] = {}
        self.external_no = 77_000

    # -- invoices ------------------------------------------------------------------------------

    def assign(self, customers: list[Customer], count: int) -> list[int]:
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

    def amounts(self, customer: Customer, home_state: str) -> tuple[int, int, int, int, int]:
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

    def invoices(self, company: Company, customers: list[Customer], count: int) -> list[int]:
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
                if received == net and mode in VIA_ENKASH and self.chance(0.85):
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
