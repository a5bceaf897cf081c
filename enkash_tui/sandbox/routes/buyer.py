"""The buyer's side of Bharat Connect, simulated: sandbox-only, not an EnKash API.

``POST /sandbox/buyer/{invoiceId}`` (same bearer token as the API) lets a test or a demo act as
the invoice's buyer::

    {"action": "ACCEPT" | "REJECT" | "RETURN" | "REPORT_PAYMENT",
     "remarks"?: str,                              # 1-100 characters; a plausible one if absent
     "type"?: "ONPLATFORM" | "OFFPLATFORM",        # REPORT_PAYMENT only; default OFFPLATFORM
     "amount"?: number,                            # REPORT_PAYMENT only; default: the balance
     "paymentId"?: "PMT" + 32 alphanumerics,       # REPORT_PAYMENT only; minted if absent
     "invoiceIds"?: [str, ...]}                    # REPORT_PAYMENT only: more invoices it pays

ACCEPT, REJECT and RETURN answer a CREATED invoice. REPORT_PAYMENT reports one payment
covering the path's invoice and ``invoiceIds`` (one buyer's, each CREATED or ACCEPTED, open,
with no payment pending); ``amount`` is the payment's total, applied to the invoices in order.
Each step bumps ``objectVersion`` and is appended to the history, ``by`` BUYER. The reply's
payload is the list of the invoices changed (InvoiceDTOs), the path's first.

``BuyerTicker`` performs one random buyer action every few seconds (``buyer_every``) so that a
person watching the app sees the work queues move.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import sqlite3
import string
from collections.abc import Sequence
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import Field

from enkash_tui.api.models.base import WriteModel
from enkash_tui.api.models.bharat_connect import PaymentType
from enkash_tui.sandbox.context import Call
from enkash_tui.sandbox.db import transaction
from enkash_tui.sandbox.envelope import SandboxError, invalid, unprocessable
from enkash_tui.sandbox.routes.bharat_connect import Payment, advance, network_row
from enkash_tui.sandbox.routes.invoices import invoice_dto, load_invoice
from enkash_tui.sandbox.seed.network import payment_remarks, remarks_for
from enkash_tui.sandbox.serialize import rupee_words, to_paise

log = logging.getLogger("enkash_tui.sandbox")

BuyerVerb = Literal["ACCEPT", "REJECT", "RETURN", "REPORT_PAYMENT"]
# What each answer does to a CREATED invoice: (new status, the history's action).
ANSWERS = {
    "ACCEPT": ("ACCEPTED", "ACCEPTED"),
    "REJECT": ("REJECTED", "REJECTED"),
    "RETURN": ("RETURNED", "RETURNED"),
}
PAYABLE = ("CREATED", "ACCEPTED")  # statuses on which a buyer may report a payment
PAYMENT_ID_PATTERN = r"^PMT[A-Za-z0-9]{32}$"
_PAYMENT_ONLY = ("type", "amount", "payment_id", "invoice_ids")
_ALNUM = string.ascii_letters + string.digits
_ids = random.SystemRandom()


class BuyerAction(WriteModel):
    """The body of ``POST /sandbox/buyer/{invoiceId}``."""

    action: BuyerVerb
    remarks: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    type: PaymentType | None = None
    amount: Annotated[Decimal, Field(gt=0, max_digits=15, decimal_places=2)] | None = None
    payment_id: Annotated[str, Field(pattern=PAYMENT_ID_PATTERN)] | None = None
    invoice_ids: list[str] | None = None


def new_payment_id() -> str:
    return "PMT" + "".join(_ids.choice(_ALNUM) for _ in range(32))


def allowed_now(network: sqlite3.Row, balance_paise: int) -> list[str]:
    """The buyer actions an invoice in this state accepts."""
    allowed = list(ANSWERS) if network["status"] == "CREATED" else []
    if network["status"] in PAYABLE and balance_paise > 0 and not network["payment_id"]:
        allowed.append("REPORT_PAYMENT")
    return allowed


def _on_network(call: Call, invoice_id: str) -> tuple[sqlite3.Row, sqlite3.Row]:
    invoice = load_invoice(call, invoice_id)
    network = network_row(call.conn, invoice_id)
    if network is None:
        raise unprocessable(f"Invoice {invoice_id} is not on Bharat Connect")
    return invoice, network


def _refuse(
    verb: str, invoice_id: str, network: sqlite3.Row, invoice: sqlite3.Row, why: str
) -> SandboxError:
    allowed = ", ".join(allowed_now(network, invoice["balance_paise"])) or "none"
    return unprocessable(
        f"The buyer cannot {verb} invoice {invoice_id}: {why}; allowed now: {allowed}"
    )


def answer(call: Call, invoice_id: str, verb: str, remarks: str | None, rng: random.Random) -> None:
    """ACCEPT, REJECT or RETURN a CREATED invoice, as its buyer."""
    invoice, network = _on_network(call, invoice_id)
    status, action = ANSWERS[verb]
    if network["status"] != "CREATED":
        why = f"it is {network['status']} (only a CREATED invoice can be answered)"
        raise _refuse(verb, invoice_id, network, invoice, why)
    if verb != "ACCEPT" and network["payment_id"]:
        why = f"payment {network['payment_id']} is pending on it"
        raise _refuse(verb, invoice_id, network, invoice, why)
    advance(
        call,
        network,
        by="BUYER",
        action=action,
        remarks=remarks or remarks_for(rng, action),
        status=status,
    )


def report_payment(
    call: Call,
    invoice_ids: Sequence[str],
    rng: random.Random,
    *,
    kind: str = "OFFPLATFORM",
    amount: Decimal | None = None,
    payment_id: str | None = None,
    remarks: str | None = None,
) -> str:
    """Report one payment covering ``invoice_ids`` (one buyer's); returns its id."""
    ids = list(dict.fromkeys(invoice_ids))
    found = [(invoice_id, *_on_network(call, invoice_id)) for invoice_id in ids]
    for invoice_id, invoice, network in found:
        if network["status"] not in PAYABLE:
            why = f"it is {network['status']} (payments go on CREATED or ACCEPTED invoices)"
            raise _refuse("REPORT_PAYMENT", invoice_id, network, invoice, why)
        if invoice["balance_paise"] == 0:
            raise _refuse("REPORT_PAYMENT", invoice_id, network, invoice, "it is fully paid")
        if network["payment_id"]:
            why = f"payment {network['payment_id']} is already pending on it"
            raise _refuse("REPORT_PAYMENT", invoice_id, network, invoice, why)
    buyers = {invoice["customer_id"] for _, invoice, _ in found}
    if len(buyers) > 1:
        raise unprocessable(
            "A payment covers invoices of one buyer; these belong to " + ", ".join(sorted(buyers))
        )
    if payment_id is None:
        payment_id = new_payment_id()
    elif call.conn.execute(
        "SELECT 1 FROM bc_invoices WHERE payment_id = ?", (payment_id,)
    ).fetchone():
        raise unprocessable(f"Payment {payment_id} is already pending on other invoices")
    shares = _shares([invoice for _, invoice, _ in found], amount)
    remarks = remarks or payment_remarks(rng, kind)
    for (_, _, network), share in zip(found, shares, strict=True):
        report: Payment = (payment_id, kind, share, call.now_iso, remarks)
        advance(
            call, network, by="BUYER", action="PAYMENT_REPORTED", remarks=remarks, report=report
        )
    return payment_id


def _shares(invoices: list[sqlite3.Row], amount: Decimal | None) -> list[int]:
    """The payment's part for each invoice, in paise: each balance in turn until it runs out."""
    balances = [invoice["balance_paise"] for invoice in invoices]
    if amount is None:
        return balances
    left, total = to_paise(amount), sum(balances)
    if left > total:
        raise unprocessable(
            f"Amount {rupee_words(left)} exceeds the balance due, {rupee_words(total)}"
        )
    shares = []
    for invoice, balance in zip(invoices, balances, strict=True):
        if left == 0:
            raise unprocessable(
                f"Amount {rupee_words(to_paise(amount))} is used up before invoice "
                f"{invoice['invoice_id']}: leave it out or raise the amount"
            )
        shares.append(min(balance, left))
        left -= shares[-1]
    return shares


async def buyer_action(call: Call) -> list[dict[str, Any]]:
    """``POST /sandbox/buyer/{invoiceId}``: act as the invoice's buyer (see the module doc)."""
    request = call.parse(BuyerAction)
    invoice_id = call.params["invoiceId"]
    rng = random.Random()
    with transaction(call.conn):
        if request.action == "REPORT_PAYMENT":
            ids = list(dict.fromkeys([invoice_id, *(request.invoice_ids or [])]))
            report_payment(
                call,
                ids,
                rng,
                kind=str(request.type or PaymentType.OFFPLATFORM),
                amount=request.amount,
                payment_id=request.payment_id,
                remarks=request.remarks,
            )
        else:
            for name in _PAYMENT_ONLY:
                if getattr(request, name) is not None:
                    alias = BuyerAction.model_fields[name].alias or name
                    raise invalid(alias, "only for REPORT_PAYMENT", None)
            answer(call, invoice_id, request.action, request.remarks, rng)
            ids = [invoice_id]
    return [invoice_dto(call, i) for i in ids]


# -- the ticker ----------------------------------------------------------------------------

# How often each kind of buyer action is picked (when an invoice for it exists).
_WEIGHTS = {"ACCEPT": 35, "RETURN": 12, "REJECT": 8, "REPORT_PAYMENT": 45}


def random_action(conn: sqlite3.Connection, rng: random.Random) -> str | None:
    """One random buyer action on some open network invoice; what it did, or None when no
    invoice is waiting for the buyer."""
    rows = conn.execute(
        "SELECT b.invoice_id, b.status, i.seller_id, i.customer_id FROM bc_invoices b "
        "JOIN invoices i USING (invoice_id) WHERE i.deleted = 0 AND b.status IN (?, ?) "
        "AND b.payment_id IS NULL AND i.balance_paise > 0 ORDER BY b.invoice_id",
        PAYABLE,
    ).fetchall()
    created = [row for row in rows if row["status"] == "CREATED"]
    verbs = [verb for verb in _WEIGHTS if rows and (created or verb == "REPORT_PAYMENT")]
    if not verbs:
        return None
    verb = rng.choices(verbs, weights=[_WEIGHTS[v] for v in verbs])[0]
    row = rng.choice(created if verb in ANSWERS else rows)
    call = Call(
        conn=conn,
        company_id=row["seller_id"],
        username="buyer",
        display_name="Buyer (simulated)",
        params={},
        query={},
    )
    with transaction(conn):
        if verb in ANSWERS:
            answer(call, row["invoice_id"], verb, None, rng)
            return f"{verb} {row['invoice_id']}"
        ids = [row["invoice_id"]]
        more = [r["invoice_id"] for r in rows if r["customer_id"] == row["customer_id"]]
        more = [i for i in more if i not in ids]
        if more and rng.random() < 0.25:  # now and then one payment covers two invoices
            ids.append(rng.choice(more))
        kind = rng.choice(("ONPLATFORM", "OFFPLATFORM"))
        payment_id = report_payment(call, ids, rng, kind=kind)
        return f"REPORT_PAYMENT {payment_id} ({kind}) on {', '.join(ids)}"


class BuyerTicker:
    """Runs ``random_action`` every ``every`` seconds on the server's event loop, so it shares
    the database connection with the request handlers without ever running beside one."""

    def __init__(self, conn: sqlite3.Connection, every: float, rng: random.Random | None = None):
        self.conn = conn
        self.every = every
        self.rng = rng or random.Random()
        self.actions = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="buyer-ticker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every)
            try:
                done = random_action(self.conn, self.rng)
            except Exception:  # a failed step must not stop the ticker
                log.exception("simulated buyer action failed")
                continue
            if done:
                self.actions += 1
                log.info("simulated buyer: %s", done)
