"""The follow-up book in Invoices: its four filters, its marker column, the dispatch warning on a
disputed invoice, and the book out to CSV and back in (issue 18). Real sandbox, real SQLite."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Checkbox, Input, Static

from enkash_tui import clock
from enkash_tui.api.models import CustomerUpdate, Invoice, InvoiceFilter
from enkash_tui.domain.followup_csv import check_rows, resolve
from enkash_tui.domain.followups import Entry, Subject
from enkash_tui.local.worklog import Worklog
from enkash_tui.sandbox_demo import DEMO_USERNAME
from screens.batch_actions import BatchConfirm
from screens.export import ExportScreen
from screens.followup_import import FollowUpImportScreen
from screens.invoices.filter import InvoiceFilterScreen
from screens.invoices.screen import InvoicesScreen
from tests.support.clients import signed_in
from tests.support.driving import build_app, open_invoices, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import notes, text_of, texts

FORMULA = '=HYPERLINK("http://evil.example","click")'
FORMULA_CELL = '"' + FORMULA.replace('"', '""') + '"'  # as a CSV file quotes it


async def some_invoices(url: str, count: int = 6) -> list[Invoice]:
    async with signed_in(url) as client:
        page = await client.search_invoices(
            InvoiceFilter(), offset=0, limit=count, order_by="invoiceNumber"
        )
    assert len(page.items) == count
    return page.items


def subject(invoice: Invoice) -> Subject:
    return Subject.invoice(
        invoice.invoice_id, invoice.customer_id or "", invoice.invoice_number or ""
    )


def fill_book(book: Worklog, invoices: list[Invoice]) -> None:
    """A: a promise (a first one replaced). B: a promise and a dispute. C: a dispute. D: a
    follow-up due today. E: a follow-up next week and a resolved dispute. F: a note."""
    a, b, c, d, e, f = (subject(i) for i in invoices)
    today = clock.today()
    book.add_promise(a, today + dt.timedelta(days=3), Decimal("100"), Decimal(0), "first")
    book.add_promise(a, today + dt.timedelta(days=9), Decimal("2500.50"), Decimal("10"), "again")
    book.add_promise(b, today + dt.timedelta(days=5), Decimal("1000"), Decimal(0))
    book.open_dispute(b, "amount", "rate is wrong")
    book.open_dispute(c, "goods", "")
    book.set_follow_up(d, today, "call back")
    book.set_follow_up(e, today + dt.timedelta(days=7))
    resolved = book.open_dispute(e, "duplicate", "billed twice")
    book.close_entry(resolved.id, "credit note raised")
    book.add_note(f, FORMULA)


async def search_with(pilot: Pilot[Any], screen: InvoicesScreen, *ticked: str) -> None:
    await pilot.press("f")
    await pilot.pause()
    form = pilot.app.screen
    assert isinstance(form, InvoiceFilterScreen)
    form.action_clear()  # the form remembers the last search's choices
    for name in ticked:
        form.query_one(f"#{name}", Checkbox).value = True
    form.query_one("#customer", Input).focus()
    await pilot.press("enter")
    await wait_until(
        pilot,
        lambda: pilot.app.screen is screen and screen.rows.total is not None,
        what="the filtered search",
    )
    await pilot.pause()


def listed(screen: InvoicesScreen) -> set[str]:
    return {row.invoice_id for _, row in screen.rows.loaded()}


def marker(screen: InvoicesScreen, invoice: Invoice) -> str:
    column = next(c for c in screen.table.columns if c.key == "book")
    return str(column.cell(invoice))


async def directly(url: str, filters: InvoiceFilter) -> set[str]:
    async with signed_in(url) as client:
        page = await client.search_invoices(filters, offset=0, limit=1000)
    return {i.invoice_id for i in page.items}


async def test_each_book_filter_lists_exactly_the_invoices_the_book_says(
    sandbox: RunningSandbox,
) -> None:
    invoices = await some_invoices(sandbox.url)
    a, b, c, d, e, f = (i.invoice_id for i in invoices)
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_invoices(pilot)
        assert app.session is not None
        book = app.session.worklog()
        fill_book(book, invoices)
        expected = {
            ("promised",): {a, b},
            ("disputed",): {b, c},
            ("follow_up_due",): {d},
            ("promised", "disputed"): {b},
        }
        for ticked, ids in expected.items():
            await search_with(pilot, screen, *ticked)
            assert screen.query_spec.filters.invoice_ids is not None
            assert set(screen.query_spec.filters.invoice_ids) == ids
            assert (
                listed(screen)
                == ids
                == await directly(sandbox.url, InvoiceFilter(invoice_ids=sorted(ids)))
            )
            for name in ticked:
                words = {"promised": "Has a promise", "disputed": "Disputed",
                         "follow_up_due": "Follow-up due"}[name]  # fmt: skip
                assert words in screen.query_spec.label
        # The marker column: each invoice's letters, and drawn on its row.
        by_id = {i.invoice_id: i for i in invoices}
        want = {a: "P", b: "PD", c: "D", d: "F", e: "", f: ""}
        assert {key: marker(screen, by_id[key]) for key in want} == want
        await search_with(pilot, screen, "promised")
        for index, (_, row) in enumerate(sorted(screen.rows.loaded(), key=lambda r: r[0])):
            line = screen.table.render_line(index + 1).text  # under the header
            assert line[20:23].strip() == want[row.invoice_id], line  # gutter 2, number 17, 1

        # r reads the book again: a promise made since is listed, one kept off it is not.
        book.add_promise(subject(invoices[4]), clock.today(), Decimal("1"), Decimal(0))
        [first] = [p for p in book.open_entries("promise") if p.subject.id == a]
        book.close_entry(first.id, "withdrawn")
        await reloaded(pilot, screen)
        assert set(screen.query_spec.filters.invoice_ids or ()) == listed(screen) == {b, e}
        # Nothing promised any more: said, and the list stays as it was, its markers read again.
        for promise in book.open_entries("promise"):
            book.close_entry(promise.id, "withdrawn")
        await reloaded(pilot, screen)
        assert listed(screen) == {b, e} and marker(screen, by_id[e]) == ""
        assert "None of these invoices is still so" in notes(app)[-1]


async def reloaded(pilot: Pilot[Any], screen: InvoicesScreen) -> None:
    generation = screen.rows.generation
    await pilot.press("r")
    await wait_until(
        pilot,
        lambda: screen.rows.generation != generation and screen.rows.total is not None,
        what="the list read again",
    )
    await pilot.pause()


async def test_a_book_filter_that_keeps_nothing_says_so_by_its_row(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_invoices(pilot)
        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, InvoiceFilterScreen)
        form.query_one("#disputed", Checkbox).value = True
        form.query_one("#customer", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert "none has an open dispute" in text_of(form.query_one("#book-error", Static))


async def test_my_customers_are_those_assigned_to_the_signed_in_user(
    start_sandbox: Any,
) -> None:
    running = start_sandbox()
    async with signed_in(running.url) as client:
        customers = (await client.search_customers(offset=0, limit=3)).items
        mine = {c.customer_id for c in customers[:2]}
        for customer_id in mine:
            await client.update_customer(customer_id, CustomerUpdate(assigned_agent=DEMO_USERNAME))
    app = build_app(running.url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_invoices(pilot)
        await search_with(pilot, screen, "mine")
        assert set(screen.query_spec.filters.customer_ids or []) == mine
        assert "My customers" in screen.query_spec.label
        expected = await directly(running.url, InvoiceFilter(customer_ids=sorted(mine)))
        assert expected and listed(screen) == expected


async def test_dispatching_a_disputed_invoice_says_so_before_confirming(
    sandbox: RunningSandbox,
) -> None:
    invoices = await some_invoices(sandbox.url)
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_invoices(pilot)
        assert app.session is not None
        fill_book(app.session.worklog(), invoices)
        await search_with(pilot, screen, "promised")  # A and B; B is disputed
        await pilot.press("space", "down", "space")
        assert len(screen.table.marks.rows()) == 2
        await pilot.press("s")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, BatchConfirm)
        said = text_of(confirm.query_one("#disputed", Static))
        assert "1 of these 2 invoices is disputed" in said
        assert (invoices[1].invoice_number or "") in said
        assert (invoices[0].invoice_number or "?") not in said
        await pilot.press("n")  # nothing sent


def comparable(entry: Entry) -> tuple[Any, ...]:
    """Every field but the id; times to the second, as the file writes them."""
    return (
        entry.kind, entry.subject, entry.at.replace(microsecond=0), entry.by,
        entry.text, entry.amount, entry.due, entry.reason, entry.baseline,
        entry.closed_at.replace(microsecond=0) if entry.closed_at else None,
        entry.closed_by, entry.closing_text, entry.paid_seen_on,
    )  # fmt: skip


async def test_export_then_import_into_a_fresh_book_keeps_every_field(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    invoices = await some_invoices(sandbox.url)
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_invoices(pilot)
        assert app.session is not None
        book = app.session.worklog()
        fill_book(book, invoices)
        promise = book.open_entries("promise")[0]
        book.settle_promises([promise], clock.today())
        customer = Subject.customer(invoices[0].customer_id or "", "Acme")
        book.add_note(customer, "+91 rings at noon")
        book.add_promise(customer, clock.today(), Decimal("5"), Decimal("42.10"))
        await pilot.press("W")
        await pilot.pause()
        export = app.screen
        assert isinstance(export, ExportScreen)
        export.query_one("#folder", Input).value = str(tmp_path)
        export.query_one("#folder", Input).focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: any("Wrote" in n for n in notes(app)), what="the export")
        assert screen is not None
        original = book.all_entries()
    [written] = list(tmp_path.glob("follow-ups-*.csv"))
    content = written.read_bytes()
    assert b"'=HYPERLINK" in content and b"'+91 rings" in content  # neutralised in the file
    fresh = Worklog(tmp_path / "fresh.sqlite3", "someone.else@example.com")
    check = check_rows(content, fresh.username, clock.now())
    assert check.ok, check.problems
    async with signed_in(sandbox.url) as client:
        entries, problems = await resolve(client, check.rows)
    assert not problems
    assert fresh.import_entries(entries) == len(original)
    assert sorted(map(comparable, fresh.all_entries()), key=repr) == sorted(
        map(comparable, original), key=repr
    )
    [note] = [e for e in fresh.all_entries() if e.kind == "note" and e.subject.kind == "invoice"]
    assert note.text == FORMULA  # read back as typed
    assert fresh.import_entries(entries) == 0  # the same file again adds nothing


async def test_an_import_reports_bad_rows_by_row_and_column_and_writes_nothing(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    [first, second] = await some_invoices(sandbox.url, 2)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "kind,invoiceNumber,invoiceId,customerId,text,amount,due,reason\n"
        f"note,{first.invoice_number},,,called them,,,\n"
        f"promise,,{second.invoice_id},,,lots,2026-13-01,\n"
        "dispute,,,,,,,nonsense\n",
        encoding="utf-8",
    )
    good = tmp_path / "good.csv"
    good.write_text(
        "kind,invoiceNumber,customerId,by,text,amount,due\n"
        f"note,{first.invoice_number},,asha@example.com,{FORMULA_CELL},,\n"
        f'promise,{second.invoice_number},,,,"1,50,000.50",2027-01-31\n',
        encoding="utf-8",
    )
    app = build_app(sandbox.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_invoices(pilot)
        assert app.session is not None
        book = app.session.worklog()
        await pilot.press("I")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FollowUpImportScreen)
        path = dialog.query_one("#path", Input)
        path.value = str(bad)
        await pilot.press("enter")
        await pilot.pause()
        said = texts(dialog)
        assert "2 rows need fixing" in said and "Nothing was imported" in said
        table = text_of(dialog.query_one("#import-details", Static))
        rows = [line.split() for line in table.splitlines() if line.strip()[:1].isdigit()]
        assert rows[0][:2] == ["3", "amount"]
        assert rows[1][:2] == ["3", "due"]
        assert rows[2][:2] == ["4", "invoiceId"]  # no invoice, number or customer
        assert rows[3][:2] == ["4", "reason"]
        assert book.all_entries() == []
        # A good file: looked up on EnKash, then written on Import.
        path.value = str(good)
        path.focus()
        await pilot.press("enter")
        await wait_until(pilot, lambda: dialog.ready is not None, what="the lookup")
        await pilot.press("enter")  # the Import button has the focus
        await wait_until(pilot, lambda: len(book.all_entries()) == 2, what="the import")
        entries = book.all_entries()
        assert len(entries) == 2
        note = next(e for e in entries if e.kind == "note")
        assert note.text == FORMULA and note.by == "asha@example.com"
        assert note.subject == subject(first)
        promise = next(e for e in entries if e.kind == "promise")
        assert promise.by == DEMO_USERNAME and promise.amount == Decimal("150000.50")
        assert promise.subject.customer_id == second.customer_id
        assert promise.baseline == (second.total_received or Decimal(0))
        await pilot.press("escape")
