"""Server text is data, never terminal commands: a hostile EnKash cannot drive the terminal.

The sandbox's SQLite is edited straight, past its validation, as a hostile or broken server
would hold data: a customer named with an OSC 52 clipboard write, a clear-screen, a cursor-report
request, a newline, an 8-bit CSI and a right-to-left override. What the app would write to the
terminal (``terminal_output``) then holds none of them, and the row stays one row. A small
loopback server answering every call with an error whose message carries escape codes shows
the same for server error messages.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
from textual.widgets import Input, Static

from enkash_tui.sandbox_demo import DEMO_CLIENT_ID
from screens.customers.form import CustomerForm
from screens.invoices.form import InvoiceForm
from screens.invoices.screen import InvoicesScreen
from screens.widgets.form_rows import ContactRow
from tests.support.driving import build_app, open_customers, open_invoices, sign_in, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import drawn, flat, notes, requests_to, terminal_output, text_of

HOSTILE = "AAA \x1b]52;c;SU5KRUNURUQ=\x1b\\ \x1b[2J \x1b[6n\nBBB \x9b31m \u202eZZZ"
# The same, as the app must draw it (api/text.py): control pictures, one line, no override.
SHOWN = "AAA ␛]52;c;SU5KRUNURUQ=␛\\ ␛[2J ␛[6n BBB \ufffd31m \ufffdZZZ"
# Cursor moves and colours: the only sequences Textual itself writes for a repaint.
_OWN_SEQUENCES = re.compile(r"\x1b\[[0-9;]*[Hm]")
_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def assert_safe_for_the_terminal(app: Any) -> str:
    """The full repaint holds no control byte but Textual's own, and one line per screen row.
    Returns the painted text with Textual's sequences taken out."""
    output = terminal_output(app)
    lines = output.split("\n")
    assert len(lines) == app.size.height, "a line break in the data broke a screen row"
    for row, line in enumerate(lines, start=1):
        assert line.startswith(f"\x1b[{row};1H"), f"row {row} does not start where it should"
    painted = _OWN_SEQUENCES.sub("", "".join(lines))
    found = sorted({f"U+{ord(char):04X}" for char in _FORBIDDEN.findall(painted)})
    assert found == [], f"control characters reach the terminal: {found}"
    return painted


def make_hostile(running: RunningSandbox) -> tuple[str, str]:
    """A live customer of the demo company renamed, and one of its invoices: (customer, invoice)."""
    conn = running.conn
    customer_id, invoice_id = conn.execute(
        "SELECT c.customer_id, i.invoice_id FROM customers c JOIN invoices i USING (customer_id)"
        " WHERE c.company_id = ? AND NOT c.deleted ORDER BY c.customer_id LIMIT 1",
        (DEMO_CLIENT_ID,),
    ).fetchone()
    conn.execute(
        "UPDATE customers SET legal_name = ?, address = ? WHERE customer_id = ?",
        (HOSTILE, HOSTILE, customer_id),
    )
    # Every invoice of the company, so whichever the list shows first is hostile.
    conn.execute(
        "UPDATE invoices SET customer_legal_name = ?, invoice_number = ?, description = ?"
        " WHERE seller_id = ?",
        (HOSTILE, "INV\x1b[2J\n1", HOSTILE, DEMO_CLIENT_ID),
    )
    return customer_id, invoice_id


async def test_a_hostile_customer_name_is_drawn_as_text_on_one_row(
    start_sandbox: Callable[..., RunningSandbox],
) -> None:
    running = start_sandbox()
    customer_id, _ = make_hostile(running)
    app = build_app(running.url)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_customers(pilot)
        screen.query_one("#lookup", Input).value = customer_id
        await wait_until(pilot, lambda: screen.table.source.count() == 1, what="the one match")
        await wait_until(
            pilot, lambda: screen.detail_for == customer_id, what="the customer's detail"
        )
        await pilot.pause()

        painted = assert_safe_for_the_terminal(app)
        assert "AAA ␛]52;c;SU5KRUNURUQ=␛\\" in painted  # visible, not acted on
        rows = [line for line in drawn(screen.table) if "AAA" in line]
        assert len(rows) == 1, rows
        assert "␛]52;c;SU5KRUNURUQ=" in rows[0] and "BBB" in rows[0]
        assert not any(line.lstrip().startswith("BBB") for line in drawn(screen.table))
        entry = screen.table.current
        assert entry is not None and entry.legal_name == SHOWN  # as cached
        assert "␛[6n BBB" in painted and "\ufffd31m \ufffdZZZ" in painted  # the detail pane


async def test_hostile_invoice_text_is_drawn_as_text(
    start_sandbox: Callable[..., RunningSandbox],
) -> None:
    running = start_sandbox()
    make_hostile(running)
    app = build_app(running.url)
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_invoices(pilot)
        assert isinstance(screen, InvoicesScreen)
        await pilot.pause()
        painted = assert_safe_for_the_terminal(app)
        assert "INV␛[2J 1" in painted
        shown = [invoice for _, invoice in screen.rows.loaded()]
        assert shown
        for invoice in shown:
            assert invoice.invoice_number == "INV␛[2J 1"
            assert invoice.customer_legal_name == SHOWN


# -- a server whose error messages carry escape codes -----------------------------------------

ERROR_MESSAGE = "Refused \x1b]52;c;SU5KRUNURUQ=\x1b\\ now\x1b[2J\n\x9b6n\u202e!"


async def _answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """HTTP/1.1: a token for a sign-in, a 400 error envelope for every other call."""
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                (
                    int(line.split(b":", 1)[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                ),
                0,
            )
            await reader.readexactly(length)
            if b"/oauth/token" in head.split(b"\r\n", 1)[0]:
                status = b"200 OK"
                body: dict[str, Any] = {
                    "access_token": "hostile-token",
                    "token_type": "bearer",
                    "expires_in": 3600,
                }
            else:
                status = b"400 Bad Request"
                body = {
                    "response_code": 1,
                    "response_message": ERROR_MESSAGE,
                    "payload": None,
                    "errorResponse": {
                        "errorType": "VALIDATION_ERROR",
                        "errorMessage": ERROR_MESSAGE,
                        "requestId": "req-\x1b[6n",
                        "timestamp": "2026-01-01 00:00:00",
                        "apiSubErrors": [],
                    },
                }
            data = json.dumps(body).encode()
            writer.write(
                b"HTTP/1.1 " + status + b"\r\nContent-Type: application/json\r\n"
                b"Content-Length: " + str(len(data)).encode() + b"\r\n\r\n" + data
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


@pytest.fixture
async def hostile_server() -> AsyncIterator[str]:
    server = await asyncio.start_server(_answer, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.close()


async def test_a_server_error_message_with_escape_codes_is_shown_cleaned(
    hostile_server: str,
) -> None:
    app = build_app(hostile_server)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        await sign_in(pilot)
        await pilot.press("f4")
        await wait_until(
            pilot,
            lambda: (
                any("Refused" in note for note in notes(app)) or "Refused" in terminal_output(app)
            ),
            what="the server's refusal on screen",
        )
        await pilot.pause()
        for note in notes(app):
            assert _FORBIDDEN.findall(note) == [], note
        painted = assert_safe_for_the_terminal(app)
        shown = painted + " ".join(notes(app))
        assert "Refused ␛]52;c;SU5KRUNURUQ=␛\\ now␛[2J" in shown


# -- what we send: refused in words, next to its field, with the typing kept -----------------


async def test_the_customer_form_refuses_a_tab_or_override_beside_the_field(
    start_sandbox: Callable[..., RunningSandbox], sent_requests: list[httpx.Request]
) -> None:
    running = start_sandbox()
    app = build_app(running.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_customers(pilot)
        await pilot.press("down", "n")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerForm), what="the form")
        form = app.screen
        assert isinstance(form, CustomerForm)
        fields = form.query_one("#customer-fields")
        fields.query_one("#legal_name", Input).value = "Acme\tTraders"
        fields.query_one("#address", Input).value = "1 Road \u202ePune"
        contact = form.query_one(ContactRow)
        contact.query_one("#name", Input).value = "Ravi\u200bKumar"
        contact.query_one("#mobile", Input).value = "9812345678"
        await pilot.pause()
        # Said as it is typed...
        assert "line breaks" in text_of(fields.query_one("#legal_name-error", Static))
        form.action_save()
        await pilot.pause()
        # ... and on save, beside each field, nothing sent, nothing lost.
        assert "correct the marked fields" in text_of(form.query_one("#form-status", Static))
        for where in (fields.query_one("#legal_name-error", Static),
                      fields.query_one("#address-error", Static),
                      contact.query_one("#name-error", Static)):  # fmt: skip
            assert "line breaks" in flat(text_of(where)), text_of(where)
        assert requests_to(sent_requests, "/api/v0/customer") == []
        assert fields.query_one("#legal_name", Input).value == "Acme\tTraders"
        assert fields.query_one("#address", Input).value == "1 Road \u202ePune"


async def test_the_invoice_form_refuses_an_inner_line_break_beside_the_field(
    start_sandbox: Callable[..., RunningSandbox], sent_requests: list[httpx.Request]
) -> None:
    running = start_sandbox()
    app = build_app(running.url)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_invoices(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, InvoiceForm), what="the form")
        form = app.screen
        assert isinstance(form, InvoiceForm)
        form.query_one("#customer", Input).value = "KC1A2B3C4D5E6F7G"
        form.query_one("#due_date", Input).value = "2099-12-31"
        form.query_one("#base_amount", Input).value = "100"
        form.query_one("#description", Input).value = "one\ntwo\x9b"
        form.query_one("#invoice_number", Input).value = "INV\u20601"
        form.query_one("#due_date", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        for field in ("description", "invoice_number"):
            error = flat(text_of(form.query_one(f"#{field}-error", Static)))
            assert "line breaks" in error, (field, error)
        assert requests_to(sent_requests, "/api/v0/invoice") == []
        assert form.query_one("#description", Input).value == "one\ntwo\x9b"
