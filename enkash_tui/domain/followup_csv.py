"""The follow-up book as a CSV file, out and in: a team moving from a spreadsheet imports theirs,
and an export of the book imports again into another book with every field as it was.

One header serves both (``assets/templates/follow-ups.csv`` is the empty file): written as every
export is (``csv_safety``: cleaned, a formula-looking cell quoted with ``'``), read back with that
one ``'`` taken off again so the text is what was typed. Reading checks every row first
(``check_rows``: problems by spreadsheet row and column, as bulk upload reports them); the
subjects are then looked up on EnKash (``resolve``): an invoice by id or by number (its customer
comes with it), or a customer by id. Nothing is written unless every row is good.

Dates are yyyy-mm-dd; times (``when``, ``closedWhen``) yyyy-mm-dd hh:mm[:ss] in UTC, as written;
amounts as a person types them (``1,50,000.50``). ``by`` and ``closedBy`` say who wrote an entry
and who closed it; left blank, the importing user. ``when`` left blank is the moment of import.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TypeVar

from enkash_tui.api.bulk_format import BulkFileError, csv_reader
from enkash_tui.api.client import EnkashClient
from enkash_tui.api.models import CustomerFilter, Invoice, InvoiceFilter, SortDirection
from enkash_tui.domain.bulk import RowProblem
from enkash_tui.domain.csv_safety import FORMULA_STARTS, Column, number, text
from enkash_tui.domain.followups import (
    DISPUTE_REASONS,
    KINDS,
    Entry,
    EntryKind,
    EntryProblem,
    Subject,
    clean_text,
    typed_rupees,
)
from enkash_tui.domain.invoices import read_whole_result
from enkash_tui.domain.paging import chunks

T = TypeVar("T")
TEMPLATE = "templates/follow-ups.csv"
MAX_ROWS = 100_000  # a book's export of this many imports whole
LOOKUP_CHUNK = 1000  # ids a lookup search carries
# "when" as written; read back also without seconds, as a date alone, or as ISO 8601.
MOMENT_FORMAT = "%Y-%m-%d %H:%M:%S"


def _moment(value: dt.datetime | None) -> str:
    return value.astimezone(dt.UTC).strftime(MOMENT_FORMAT) if value else ""


def _iso(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _invoice(pick: Callable[[Subject], str]) -> Callable[[Entry], str]:
    return lambda e: pick(e.subject) if e.subject.kind == "invoice" else ""


def followup_columns() -> tuple[Column[Entry], ...]:
    """The file's columns, in order: the template's header."""
    return (
        text("kind", lambda e: e.kind),
        text("invoiceNumber", _invoice(lambda s: s.label)),
        text("invoiceId", _invoice(lambda s: s.id)),
        text("customerId", lambda e: e.subject.customer_id),
        text("customer", lambda e: e.subject.label if e.subject.kind == "customer" else ""),
        text("when", lambda e: _moment(e.at)),
        text("by", lambda e: e.by),
        text("text", lambda e: e.text),
        number("amount", lambda e: e.amount),
        text("due", lambda e: _iso(e.due)),
        text("reason", lambda e: e.reason),
        text("state", lambda e: "open" if e.is_open else "closed"),
        text("closedWhen", lambda e: _moment(e.closed_at)),
        text("closedBy", lambda e: e.closed_by),
        text("closingText", lambda e: e.closing_text),
        number("receivedWhenPromised", lambda e: e.baseline),
        text("paymentSeenOn", lambda e: _iso(e.paid_seen_on)),
    )


COLUMNS = tuple(column.name for column in followup_columns())


# --- reading -------------------------------------------------------------------------------


def typed_cell(value: str) -> str:
    """A text cell as it was typed: the ``'`` an export put before a formula-looking text
    (``csv_safety.text_cell``) taken off again."""
    if value.startswith("'") and value[1:].lstrip(" ").startswith(FORMULA_STARTS):
        return value[1:]
    return value


class FileProblem(ValueError):
    """The file as a whole cannot be read (not CSV, not UTF-8, a wrong header)."""


def read_cells(content: bytes) -> Iterator[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, non-empty cells as typed) per row; FileProblem for a bad file."""
    try:
        reader = csv_reader(content)
    except BulkFileError as error:
        raise FileProblem(str(error)) from None
    try:
        header = [h.strip() for h in next(reader, [])]
        unknown = [h for h in header if h and h not in COLUMNS]
        if unknown or "kind" not in header:
            why = f"unknown column(s) {', '.join(unknown)}" if unknown else "no kind column"
            raise FileProblem(f"{why}. Expected: {', '.join(COLUMNS)}")
        count = 0
        for row, values in enumerate(reader, start=2):
            cells = {
                name: typed_cell(value.strip())
                for name, value in zip(header, values, strict=False)
                if name and value.strip()
            }
            if not cells:
                continue  # a blank line still counts as a row
            count += 1
            if count > MAX_ROWS:
                raise FileProblem(f"the file has more than {MAX_ROWS:,} rows: split it")
            yield row, cells
    except csv.Error as error:
        raise FileProblem(f"row {reader.line_num}: not valid CSV ({error})") from None


@dataclass(frozen=True)
class ImportRow:
    """One good row: the entry it makes (its subject not yet looked up on EnKash)."""

    row: int
    entry: Entry
    invoice_id: str = ""
    invoice_number: str = ""


@dataclass
class ImportCheck:
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    file_error: str | None = None

    @property
    def ok(self) -> bool:
        return self.file_error is None and not self.problems and bool(self.rows)


def _kind(value: str) -> EntryKind:
    word = value.strip().lower().replace("-", "_").replace(" ", "_")
    for kind in KINDS:
        if word == kind:
            return kind
    raise EntryProblem("kind", f"one of {', '.join(KINDS)}")


def _reason(value: str) -> str:
    word = value.strip().lower()
    for code, words in DISPUTE_REASONS.items():
        if word in (code, words.lower()):
            return code
    raise EntryProblem("reason", f"one of {', '.join(DISPUTE_REASONS)}")


def _day(value: str, column: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise EntryProblem(column, "use yyyy-mm-dd, e.g. 2026-12-31") from None


def _when(value: str, column: str) -> dt.datetime:
    for pattern in (MOMENT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(value, pattern).replace(tzinfo=dt.UTC)
        except ValueError:
            pass
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise EntryProblem(column, "use yyyy-mm-dd hh:mm (UTC), e.g. 2026-12-31 14:05") from None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _received(value: str, column: str) -> Decimal:
    if value.strip() in ("0", "0.0", "0.00"):
        return Decimal(0)
    return typed_rupees(value, column)


def _who(value: str, column: str, username: str) -> str:
    who = clean_text(value, column)
    if len(who) > 100:
        raise EntryProblem(column, "at most 100 characters")
    return who or username


class _Cells:
    """One row's cells, read field by field; every problem is kept, so all are reported."""

    def __init__(self, row: int, cells: dict[str, str]) -> None:
        self.row, self.cells = row, cells
        self.problems: list[RowProblem] = []

    def get(
        self, column: str, read: Callable[[str, str], T], *, required: bool = False
    ) -> T | None:
        value = self.cells.get(column, "")
        if not value:
            if required:
                self.problems.append(RowProblem(self.row, column, "is required"))
            return None
        try:
            return read(value, column)
        except EntryProblem as problem:
            self.problems.append(RowProblem(self.row, problem.field, str(problem)))
            return None


def _entry(
    row: int, cells: dict[str, str], username: str, now: dt.datetime
) -> tuple[ImportRow | None, list[RowProblem]]:
    read = _Cells(row, cells)
    kind = read.get("kind", lambda v, _: _kind(v), required=True)
    invoice_id = cells.get("invoiceId", "")
    number_ = cells.get("invoiceNumber", "")
    customer_id = cells.get("customerId", "")
    if not (invoice_id or number_ or customer_id):
        read.problems.append(
            RowProblem(row, "invoiceId", "an invoiceId, invoiceNumber or customerId")
        )
    body = read.get("text", lambda v, c: clean_text(v, c)) or ""
    amount = read.get("amount", typed_rupees, required=kind == "promise")
    due = read.get("due", _day, required=kind in ("promise", "follow_up"))
    reason = read.get("reason", lambda v, _: _reason(v), required=kind == "dispute")
    if kind == "note" and not body:
        read.problems.append(RowProblem(row, "text", "is required for a note"))
    for column, wrong in (("amount", amount), ("reason", reason)):
        own = "promise" if column == "amount" else "dispute"
        if wrong is not None and kind is not None and kind != own:
            read.problems.append(RowProblem(row, column, f"only a {own} has one"))
    state = cells.get("state", "open").strip().lower()
    if state not in ("open", "closed"):
        read.problems.append(RowProblem(row, "state", "open or closed"))
    closed = state == "closed"
    at = read.get("when", _when) or now
    closed_at = read.get("closedWhen", _when)
    if closed_at is not None and not closed:
        read.problems.append(RowProblem(row, "closedWhen", "only a closed entry has one"))
    entry_by = read.get("by", lambda v, c: _who(v, c, username)) or username
    closed_by = read.get("closedBy", lambda v, c: _who(v, c, username)) or username
    closing = read.get("closingText", lambda v, c: clean_text(v, c)) or ""
    baseline = read.get("receivedWhenPromised", _received)
    seen = read.get("paymentSeenOn", _day)
    customer = read.get("customer", lambda v, c: clean_text(v, c)) or ""
    if read.problems or kind is None:
        return None, read.problems
    subject = (
        Subject.invoice(invoice_id, customer_id, number_)
        if invoice_id or number_
        else Subject.customer(customer_id, customer)
    )
    entry = Entry(
        id=0, kind=kind, subject=subject, at=at, by=entry_by, text=body, amount=amount, due=due,
        reason=reason, baseline=baseline,
        closed_at=(closed_at or now) if closed else None,
        closed_by=closed_by if closed else None,
        closing_text=closing if closed else "",
        paid_seen_on=seen,
    )  # fmt: skip
    return ImportRow(row, entry, invoice_id, number_), []


def check_rows(content: bytes, username: str, now: dt.datetime) -> ImportCheck:
    """Every row checked, each problem by spreadsheet row and column; nothing looked up yet."""
    check = ImportCheck()
    try:
        for row, cells in read_cells(content):
            good, problems = _entry(row, cells, username, now)
            check.problems.extend(problems)
            if good is not None:
                check.rows.append(good)
    except FileProblem as problem:
        check.file_error = str(problem)
        return check
    if not check.rows and not check.problems:
        check.file_error = "the file has a header but no follow-ups"
    return check


# --- the subjects, looked up on EnKash ----------------------------------------------------


async def _invoices_by_id(client: EnkashClient, ids: Sequence[str]) -> dict[str, Invoice]:
    found: dict[str, Invoice] = {}
    for chunk in chunks(ids, LOOKUP_CHUNK):
        page = await client.search_invoices(
            InvoiceFilter(invoice_ids=chunk), offset=0, limit=len(chunk)
        )
        found.update((i.invoice_id, i) for i in page.items)
    return found


async def _invoice_by_number(client: EnkashClient, number_: str) -> Invoice | None:
    page = await client.search_invoices(InvoiceFilter(invoice_number=number_), offset=0, limit=50)
    exact = [i for i in page.items if i.invoice_number == number_]
    return exact[0] if len(exact) == 1 else None


async def _customer_names(client: EnkashClient, ids: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for chunk in chunks(ids, LOOKUP_CHUNK):
        async for customer in client.iter_customers(CustomerFilter(customer_ids=chunk)):
            found[customer.customer_id] = customer.legal_name or ""
    return found


async def _customer_received(client: EnkashClient, customer_id: str) -> Decimal:
    invoices = await read_whole_result(
        client,
        InvoiceFilter(customer_ids=[customer_id]),
        "invoiceDate",
        SortDirection.ASC,
        lambda read, total: None,
    )
    return sum((i.total_received or Decimal(0) for i in invoices), Decimal(0))


async def resolve(
    client: EnkashClient, rows: list[ImportRow]
) -> tuple[list[Entry], list[RowProblem]]:
    """Each row's subject as EnKash has it: an invoice's customer and number from the invoice,
    a customer's name; a promise without ``receivedWhenPromised`` gets what EnKash has received
    on it now (as a promise typed in the app does). A subject EnKash does not know is a problem
    on its row."""
    by_id = await _invoices_by_id(
        client, list(dict.fromkeys(r.invoice_id for r in rows if r.invoice_id))
    )
    by_number: dict[str, Invoice | None] = {}
    for number_ in dict.fromkeys(
        r.invoice_number for r in rows if r.invoice_number and not r.invoice_id
    ):
        by_number[number_] = await _invoice_by_number(client, number_)
    customer_only = [r.entry.subject.id for r in rows if r.entry.subject.kind == "customer"]
    names = await _customer_names(client, list(dict.fromkeys(customer_only)))
    received: dict[str, Decimal] = {}
    entries: list[Entry] = []
    problems: list[RowProblem] = []
    for row in rows:
        entry, subject = row.entry, row.entry.subject
        if subject.kind == "invoice":
            invoice = (
                by_id.get(row.invoice_id) if row.invoice_id else by_number.get(row.invoice_number)
            )
            if invoice is None:
                column = "invoiceId" if row.invoice_id else "invoiceNumber"
                what = row.invoice_id or row.invoice_number
                problems.append(RowProblem(row.row, column, f"no invoice {what} on EnKash"))
                continue
            if subject.customer_id and subject.customer_id != invoice.customer_id:
                problems.append(
                    RowProblem(row.row, "customerId", f"invoice is {invoice.customer_id}'s")
                )
                continue
            subject = Subject.invoice(
                invoice.invoice_id, invoice.customer_id or "", invoice.invoice_number or ""
            )
            now_received = invoice.total_received or Decimal(0)
        else:
            if subject.id not in names:
                problems.append(
                    RowProblem(row.row, "customerId", f"no customer {subject.id} on EnKash")
                )
                continue
            subject = Subject.customer(subject.id, subject.label or names[subject.id])
            now_received = Decimal(0)
            if entry.kind == "promise" and entry.baseline is None:
                if subject.id not in received:
                    received[subject.id] = await _customer_received(client, subject.id)
                now_received = received[subject.id]
        baseline = entry.baseline
        if entry.kind == "promise" and baseline is None:
            baseline = now_received
        entries.append(replace(entry, subject=subject, baseline=baseline))
    return entries, problems
