"""``bc confirm`` and ``bc status``: the two supplier answers on Bharat Connect, for invoices
named on the command line or in a file, as the Bharat Connect section's ``c`` and ``s`` send them.

* ``bc confirm INVOICE… --accept|--reject --remarks TEXT``: answer the payment each invoice's
  buyer reported, one confirmation a payment (a payment may cover several invoices). REJECT only
  for payments reported as made off the network (OFFPLATFORM), as EnKash allows.
* ``bc status INVOICE… --to STATUS --remarks TEXT``: move the invoices to a status each may move
  to from its own, with the version each had when read, so a change the buyer overtook is
  refused rather than applied to an invoice nobody looked at.

Everything is checked before anything is sent: the remarks against EnKash's pattern (exit 2);
each invoice on EnKash, on the network, and able to take the answer (else exit 1, nothing sent).
A lost reply is never sent again: EnKash is asked what became of each invoice (``domain.
outcomes``); when it cannot be asked the invoices are reported unknown (exit 4).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING

from pydantic import ValidationError

from enkash_tui.api import EnkashError, field_errors_from_validation
from enkash_tui.api.models import (
    BharatConnectStatus,
    Invoice,
    InvoiceActionResult,
    InvoiceStatusChange,
    PaymentConfirmation,
    PaymentType,
    ReportedPayment,
    SupplierResponse,
    next_statuses,
)
from enkash_tui.domain.bharat_connect import UNKNOWN_PAYMENT_TYPE, payment_type
from enkash_tui.domain.formatting import count, inr
from enkash_tui.domain.outcomes import (
    RecheckFailed,
    moved_to,
    payment_answered,
    recheck,
    send_or_recheck,
)
from enkash_tui.shell import EXIT_FAILED
from enkash_tui.shell.actions import REPORT, Outcome, report_of
from enkash_tui.shell.consent import confirmed, exit_code_of, refused_read_only
from enkash_tui.shell.invoice_names import invoices_named
from enkash_tui.shell.output import print_rows
from enkash_tui.shell.signin import UsageError

if TYPE_CHECKING:
    from enkash_tui.api.client import EnkashClient

Exchange = Callable[[], Awaitable[InvoiceActionResult]]


def check_remarks(remarks: str) -> None:
    """Remarks EnKash would refuse (empty, over 100 characters, a ``\\`` or ``"``) are a usage
    error, said before signing in. Both bodies type them alike."""
    try:
        InvoiceStatusChange(invoice_ids=["-"], status=BharatConnectStatus.CREATED, remarks=remarks)
    except ValidationError as error:
        problems = field_errors_from_validation(error, InvoiceStatusChange)
        raise UsageError("--remarks: " + "; ".join(p.message for p in problems)) from None


async def _ready(
    client: EnkashClient,
    args: argparse.Namespace,
    what: str,
    problem: Callable[[Invoice], str | None],
) -> list[Invoice] | None:
    """The invoices named, each found and able to take the change; None when the session is
    read-only, or one is missing or has a ``problem`` (each said: nothing is sent)."""
    if refused_read_only(client, what):
        return None
    invoices = await invoices_named(client, args.invoices)
    if invoices is None or _refused([p for p in map(problem, invoices) if p]):
        return None
    return invoices


def _refused(problems: list[str]) -> bool:
    """Say the problems (the first ten) and that nothing was sent; False when there are none."""
    for said in problems[:10]:
        print(f"enkash-tui: {said}", file=sys.stderr)
    if len(problems) > 10:
        print(f"enkash-tui: …and {len(problems) - 10} more", file=sys.stderr)
    if problems:
        print("enkash-tui: nothing sent", file=sys.stderr)
    return bool(problems)


async def _send(invoices: list[Invoice], send: Exchange, ask: Exchange) -> list[Outcome]:
    """Send once; after a lost reply, what EnKash says of each invoice; unknown when it cannot
    be asked either."""
    try:
        sent = await send_or_recheck(send, ask)
    except RecheckFailed as error:
        return [Outcome(i, "unknown", str(error)) for i in invoices]
    except EnkashError as error:  # refused whole: nothing changed
        return [Outcome(i, "failed", str(error)) for i in invoices]
    return report_of(sent.value, invoices)


def _number(invoice: Invoice) -> str:
    return invoice.invoice_number or invoice.invoice_id


# -- payment confirmation ---------------------------------------------------------------------


def _payment(invoice: Invoice) -> ReportedPayment | None:
    bc = invoice.bharat_connect
    return bc.reported_payment if bc is not None else None


def _payment_problem(invoice: Invoice, response: SupplierResponse) -> str | None:
    payment = _payment(invoice)
    if invoice.bharat_connect is None:
        return f"{_number(invoice)} is not on Bharat Connect"
    if payment is None:
        return f"{_number(invoice)} has no payment waiting for an answer"
    kind = payment_type(payment)
    if kind is None:
        return f"{_number(invoice)}: " + UNKNOWN_PAYMENT_TYPE.format(payment=payment.payment_id)
    if response is SupplierResponse.REJECT and kind is not PaymentType.OFFPLATFORM:
        return (f"{_number(invoice)}: payment {payment.payment_id} was made on Bharat Connect"
                " (ONPLATFORM); only payments made outside it may be rejected")  # fmt: skip
    return None


def _confirmations(
    invoices: list[Invoice], response: SupplierResponse, remarks: str
) -> list[tuple[PaymentConfirmation, list[Invoice]]] | None:
    """One confirmation a payment (a payment may cover several of the invoices), each checked
    as it will be sent; None (and said) when one would not be taken."""
    payments: dict[str, tuple[ReportedPayment, list[Invoice]]] = {}
    for invoice in invoices:
        payment = _payment(invoice)
        assert payment is not None  # checked by _payment_problem
        payments.setdefault(payment.payment_id, (payment, []))[1].append(invoice)
    bodies, problems = [], []
    for payment, covered in payments.values():
        try:
            body = PaymentConfirmation(
                invoice_ids=[i.invoice_id for i in covered], payment_id=payment.payment_id,
                remarks=remarks, response=response, type=payment_type(payment),
            )  # fmt: skip
        except ValidationError as error:
            said = "; ".join(p.message for p in field_errors_from_validation(error))
            problems.append(f"payment {payment.payment_id[:70]}: {said}")
            continue
        bodies.append((body, covered))
    return None if _refused(problems) else bodies


async def confirm(client: EnkashClient, args: argparse.Namespace) -> int:
    response = SupplierResponse.REJECT if args.reject else SupplierResponse.ACCEPT
    invoices = await _ready(client, args, "bc confirm", lambda i: _payment_problem(i, response))
    if invoices is None:
        return EXIT_FAILED
    confirmations = _confirmations(invoices, response, args.remarks)
    if confirmations is None:
        return EXIT_FAILED
    reported = sum((p.amount or Decimal(0) for p in map(_payment, invoices) if p), Decimal(0))
    verb = response.value.capitalize()
    summary = (f"{verb} {count(len(confirmations), 'payment')} the buyers reported, "
               f"{inr(reported)}, for {count(len(invoices), 'invoice')}.")  # fmt: skip
    if not confirmed(args, f"{verb} them? [y/N] ", summary):
        return EXIT_FAILED
    outcomes: dict[str, Outcome] = {}
    for body, covered in confirmations:
        for outcome in await _send(covered, partial(client.confirm_payment, body), partial(
            recheck, client, covered, payment_answered,
            f"{response.value.lower()}ed (checked after the reply was lost)",
            "still waiting for an answer: the request did not take effect",
        )):  # fmt: skip
            outcomes[outcome.invoice.invoice_id] = outcome
    return _finish(args, [outcomes[i.invoice_id] for i in invoices])  # in the order named


def _finish(args: argparse.Namespace, report: list[Outcome]) -> int:
    print_rows(args.format, REPORT, report)
    return exit_code_of(report)


# -- status change ----------------------------------------------------------------------------


def _move_problem(invoice: Invoice, target: str) -> str | None:
    bc = invoice.bharat_connect
    if bc is None:
        return f"{_number(invoice)} is not on Bharat Connect"
    allowed = next_statuses(bc.status)
    if target in allowed:
        return None
    can = ", ".join(sorted(allowed)) or "nothing (final)"
    return f"{_number(invoice)} is {bc.status}: it can move to {can}"


async def change_status(client: EnkashClient, args: argparse.Namespace) -> int:
    target = BharatConnectStatus(args.to.upper())
    invoices = await _ready(client, args, "bc status", lambda i: _move_problem(i, target))
    if invoices is None:
        return EXIT_FAILED
    change = InvoiceStatusChange(
        invoice_ids=[i.invoice_id for i in invoices],
        status=target,
        remarks=args.remarks,
        object_versions={i.invoice_id: i.bharat_connect.object_version
                         for i in invoices if i.bharat_connect is not None},
    )  # fmt: skip
    summary = f"Move {count(len(invoices), 'invoice')} to {target} on Bharat Connect."
    if not confirmed(args, "Send it? [y/N] ", summary):
        return EXIT_FAILED
    report = await _send(
        invoices,
        lambda: client.change_invoice_status(change),
        lambda: recheck(
            client, invoices, moved_to(target),
            f"now {target} (checked after the reply was lost)",
            "unchanged: the request did not take effect",
        ),
    )  # fmt: skip
    return _finish(args, report)
