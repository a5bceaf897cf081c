"""Typing malicious strings into the real forms, against a real sandbox, then saving.

The customer form (F3, ``n``), the invoice form (F4, ``n``) and the invoice filter (F4, ``f``)
get markup, ANSI escapes, control characters, bidi marks, emoji and 10k-character strings in
their inputs, some with otherwise valid values so that the save goes through. Whatever happens:

* the app does not crash (no MarkupError, no exception of any kind);
* after a refused save every typed value is still in its input, and the form says why;
* what is echoed back (problems, the status line, the "… created" notification) is plain text:
  a typed ``[bold]`` shows as ``[bold]``.

Each form runs in one app session: hypothesis (``max_examples`` small) drives the examples from
a worker thread, each example running on the app's event loop; a fixed list of nasty strings
runs the same way. Examples are never stored (``database=None``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import unicodedata
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static
from textual.widgets._toast import Toast

from enkash_tui import clock
from enkash_tui.api import EnkashClient
from enkash_tui.api.models import CustomerFilter
from enkash_tui.sandbox_demo import DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_PASSWORD, DEMO_USERNAME
from screens.app import EnkashApp
from screens.customers.form import CustomerForm
from screens.customers.screen import CustomersScreen
from screens.invoices.filter import InvoiceFilterScreen
from screens.invoices.form import InvoiceForm
from screens.invoices.screen import InvoicesScreen
from screens.widgets.form_rows import ContactRow
from tests.support.driving import build_app, sign_in, wait_until
from tests.support.examples import examples
from tests.support.sandboxes import start

NASTY = [
    "[bold]x",
    "[/]",
    "[link=http://evil.test]click",
    "[@click=app.quit]quit[/]",
    "\x1b[31mred\x1b[0m \x00\x07",
    "\u202eevil\u202c 😀👨‍👩‍👧‍👦 Z̸̢̛a̴l̷g̶o̵",
    "\\ \" '",
    "a" * 10_000,
]
# Few examples, and no shrinking: each one is a round trip through the app and the sandbox.
EXAMPLES = settings(
    max_examples=examples(10),
    deadline=None,
    database=None,
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=list(HealthCheck),
)
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
NASTY_TEXT = st.one_of(
    st.sampled_from(NASTY),
    TEXT,
    st.tuples(st.sampled_from(NASTY), TEXT).map("".join),
)


# -- an app on its own sandbox ------------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    running = start(tmp_path_factory.mktemp("sandbox") / "sandbox.db", invoices=60, customers=8)
    yield running.url
    running.stop()


async def an_active_customer(url: str) -> tuple[str, str]:
    async with EnkashClient(url, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET) as client:
        await client.login(DEMO_USERNAME, DEMO_PASSWORD)
        page = await client.search_customers(CustomerFilter(customer_status="ACTIVE"), limit=5)
        customer = next(c for c in page.items if c.is_active)
        return customer.customer_id, customer.legal_name or ""


# -- running examples inside one app session --------------------------------------------------


@dataclass
class Session:
    """One running app; examples run on its loop, called from hypothesis's worker thread."""

    pilot: Pilot[Any]
    loop: asyncio.AbstractEventLoop
    crashes: list[tuple[Any, BaseException]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # failed checks, the app still running

    @property
    def app(self) -> EnkashApp:
        app = self.pilot.app
        assert isinstance(app, EnkashApp)
        return app

    @property
    def crashed(self) -> BaseException | None:
        return self.app._exception  # set by Textual when a handler or a render raised

    def run(self, example: Callable[[], Awaitable[None]], values: Any) -> None:
        """Run one example on the app's loop; a crash is recorded, not shrunk (the app is gone)."""
        if self.crashed is not None or not self.app.is_running:
            return
        asyncio.run_coroutine_threadsafe(example(), self.loop).result(timeout=60)
        if self.crashed is not None:
            self.crashes.append((values, self.crashed))


async def in_session(
    url: str, body: Callable[[Session], Awaitable[None]], size: tuple[int, int] = (120, 40)
) -> None:
    app = build_app(url)
    session: Session | None = None
    try:
        async with app.run_test(size=size, notifications=True) as pilot:
            session = Session(pilot, asyncio.get_running_loop())
            await sign_in(pilot)
            await body(session)
    except Exception:
        # A crash ends the session and is raised again as it closes: it is reported below,
        # with what was typed.
        if session is None or not session.crashes:
            raise
    if session is not None and (session.crashes or session.problems):
        report = list(session.problems)
        for values, error in session.crashes[:1]:
            report.append(f"the app crashed: {type(error).__name__}: {error}\n typed: {values!r}")
        pytest.fail("\n".join(report))


async def each_string(
    session: Session, attempts: list[Any], attempt: Callable[..., Awaitable[None]]
) -> None:
    """Every attempt in turn; a failed check is noted and the next one still runs."""
    for typing, *extra in attempts:
        try:
            await attempt(typing, *extra)
        except AssertionError as failed:
            session.problems.append(f"{typing!r}:\n  {failed}")
        if session.crashed is not None:
            session.crashes.append((typing, session.crashed))
            return


def text_of(widget: Widget) -> str:
    return str(widget.render())


def visible(text: str) -> str:
    """The text without control characters, which the terminal rendering drops."""
    return "".join(char for char in text if unicodedata.category(char) != "Cc")


def toasts(session: Session) -> list[str]:
    return [text_of(toast) for toast in session.app.screen.query(Toast)]


def inputs_of(form: Widget) -> dict[Input, str]:
    return {widget: widget.value for widget in form.query(Input)}


NOT_WORDS = re.compile(
    r"Input should|String should|should match|pattern|Decimal input|Value error|Field required"
    r"|valid datetime"
)


def problems_in_words(form: Widget) -> None:
    """Every problem beside a field is in words and shown whole (its row grows to fit it)."""
    for line in form.query(".filter-error"):
        assert isinstance(line, Static)
        text = text_of(line).strip()
        if not text:
            continue
        assert not NOT_WORDS.search(text), text
        row = line.parent
        assert row is not None and line.size.height <= row.size.height, f"cut off: {text!r}"


# -- the customer form --------------------------------------------------------------------------


@dataclass(frozen=True)
class CustomerTyping:
    fields: dict[str, str]
    contact: dict[str, str]


def customer_typing() -> st.SearchStrategy[CustomerTyping]:
    phone = st.sampled_from(["9812345678", "+91 9812345678", "0091-9812345678"])
    return st.builds(
        CustomerTyping,
        fields=st.fixed_dictionaries(
            {"legal_name": NASTY_TEXT},
            optional={
                name: NASTY_TEXT
                for name in (
                    "pan_or_gstin",
                    "contact_number",
                    "address",
                    "state",
                    "pin_code",
                    "account_number",
                    "ifsc",
                    "unique_ref_no",
                    "customer_company_id",
                )
            },
        ),
        contact=st.fixed_dictionaries(
            {"name": NASTY_TEXT, "mobile": st.one_of(phone, NASTY_TEXT)},
            optional={"email": NASTY_TEXT, "legal_name": NASTY_TEXT, "via": NASTY_TEXT},
        ),
    )


async def customers_screen(session: Session) -> CustomersScreen:
    app, pilot = session.app, session.pilot
    await pilot.press("f3")
    screen = app.screen
    assert isinstance(screen, CustomersScreen)
    await wait_until(
        pilot,
        lambda: screen.cache is not None and bool(screen.cache.entries) and not screen.refreshing,
        what="the customer list",
    )
    return screen


async def type_and_save_customer(
    session: Session, screen: CustomersScreen, typing: CustomerTyping
) -> None:
    app, pilot = session.app, session.pilot
    if app.screen is screen:
        if isinstance(app.focused, Input):
            await pilot.press("down")  # out of the lookup, into the list
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerForm), what="the form")
    form = app.screen
    assert isinstance(form, CustomerForm)
    for widget in form.query(Input):
        widget.value = ""  # what the previous example typed
    for name, text in typing.fields.items():
        form.query_one(f"#customer-fields #{name}", Input).value = text
    contact = form.query_one(ContactRow)
    for name, text in typing.contact.items():
        contact.query_one(f"#{name}", Input).value = text
    await pilot.pause()
    if session.crashed:
        return
    typed = inputs_of(form)
    form.query_one("#customer-fields #legal_name", Input).focus()
    await pilot.press("enter")
    await wait_until(
        pilot,
        lambda: (
            session.crashed is not None
            or app.screen is not form
            or "Saving" not in text_of(form.query_one("#form-status", Static))
        ),
        what="the save to end",
    )
    await pilot.pause()
    if session.crashed:
        return
    if app.screen is form:
        # Refused: everything typed is still there, and the form says why, in plain words.
        assert inputs_of(form) == typed, "a refused save changed what was typed"
        status = text_of(form.query_one("#form-status", Static))
        assert "correct the marked fields" in status or status.startswith("Not saved"), status
        problems_in_words(form)
        return  # the form stays open for the next example
    # Saved: back on the list; the notification names the customer exactly as typed.
    assert app.screen is screen
    name = visible(typing.fields["legal_name"].strip())
    shown = toasts(session)
    assert any(name in toast for toast in shown), f"{name!r} is not shown as typed in {shown!r}"


async def test_the_customer_form_survives_generated_input(sandbox_url: str) -> None:
    async def body(session: Session) -> None:
        screen = await customers_screen(session)

        @EXAMPLES
        @given(typing=customer_typing())
        def typed_then_saved(typing: CustomerTyping) -> None:
            session.run(lambda: type_and_save_customer(session, screen, typing), typing)

        await asyncio.to_thread(typed_then_saved)

    await in_session(sandbox_url, body)


async def test_the_customer_form_survives_each_nasty_string(sandbox_url: str) -> None:
    async def body(session: Session) -> None:
        screen = await customers_screen(session)
        attempts = []
        for text in NASTY:
            attempts += [
                # Refused: a bad mobile and IFSC next to the nasty text.
                [
                    CustomerTyping(
                        {"legal_name": text, "ifsc": text, "pin_code": text},
                        {"name": text, "mobile": text, "email": text},
                    )
                ],
                # Valid apart from the name: saved, and named in the notification.
                [
                    CustomerTyping(
                        {"legal_name": f"Acme {text}"[:200]},
                        {"name": f"Ravi {text}"[:100], "mobile": "9812345678"},
                    )
                ],
            ]
        await each_string(
            session, attempts, lambda typing: type_and_save_customer(session, screen, typing)
        )

    await in_session(sandbox_url, body)


# -- the invoice form ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InvoiceTyping:
    values: dict[str, str]


def invoice_typing(customer: str) -> st.SearchStrategy[InvoiceTyping]:
    due = (clock.today() + dt.timedelta(days=30)).isoformat()
    return st.builds(
        InvoiceTyping,
        st.fixed_dictionaries(
            {
                "customer": st.one_of(st.just(customer), NASTY_TEXT),
                "due_date": st.one_of(
                    st.just(due),
                    st.sampled_from(["2026-02-30", "0001-01-01", "9999-12-31"]),
                    NASTY_TEXT,
                ),
                "base_amount": st.one_of(
                    st.sampled_from(["5000", "0.1", "0.09", "1,00,000.50", "NaN", "1e15", "-1"]),
                    NASTY_TEXT,
                ),
            },
            optional={
                name: NASTY_TEXT
                for name in (
                    "invoice_number",
                    "invoice_date",
                    "cgst",
                    "description",
                    "po_number",
                    "external_id",
                )
            },
        ),
    )


async def invoices_screen(session: Session) -> InvoicesScreen:
    app, pilot = session.app, session.pilot
    await pilot.press("f4")
    screen = app.screen
    assert isinstance(screen, InvoicesScreen)
    await wait_until(pilot, lambda: screen.rows.total is not None, what="the first invoice page")
    await pilot.pause()
    return screen


async def type_and_save_invoice(
    session: Session, screen: InvoicesScreen, typing: InvoiceTyping, expect_echo: str = ""
) -> None:
    app, pilot = session.app, session.pilot
    if app.screen is screen:
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, InvoiceForm), what="the form")
    form = app.screen
    assert isinstance(form, InvoiceForm)
    for widget in form.query(Input):
        widget.value = ""  # what the previous example typed
    for name, text in typing.values.items():
        form.query_one(f"#{name}", Input).value = text
    await pilot.pause()
    if session.crashed:
        return
    typed = inputs_of(form)
    form.query_one("#due_date", Input).focus()
    await pilot.press("enter")
    await wait_until(
        pilot,
        lambda: (
            session.crashed is not None
            or app.screen is not form
            or "Saving" not in text_of(form.query_one("#form-status", Static))
        ),
        what="the save to end",
    )
    await pilot.pause()
    if session.crashed:
        return
    if app.screen is form:
        assert inputs_of(form) == typed, "a refused save changed what was typed"
        status = text_of(form.query_one("#form-status", Static))
        assert "correct the marked fields" in status or status.startswith("Not saved"), status
        problems_in_words(form)
        if expect_echo:
            echo = visible(expect_echo)
            assert echo in status, f"{echo!r} is not echoed as typed in {status!r}"
        return  # the form stays open for the next example
    assert not expect_echo, "the server was expected to refuse this invoice"
    assert app.screen is screen


async def test_the_invoice_form_survives_generated_input(sandbox_url: str) -> None:
    customer_id, name = await an_active_customer(sandbox_url)

    async def body(session: Session) -> None:
        screen = await invoices_screen(session)

        @EXAMPLES
        @given(typing=invoice_typing(f"{name} — {customer_id}"))
        def typed_then_saved(typing: InvoiceTyping) -> None:
            session.run(lambda: type_and_save_invoice(session, screen, typing), typing)

        await asyncio.to_thread(typed_then_saved)

    await in_session(sandbox_url, body, size=(100, 36))


async def test_the_invoice_form_survives_each_nasty_string_and_echoes_it_as_typed(
    sandbox_url: str,
) -> None:
    customer_id, _ = await an_active_customer(sandbox_url)
    due = (clock.today() + dt.timedelta(days=30)).isoformat()

    async def body(session: Session) -> None:
        screen = await invoices_screen(session)
        attempts: list[Any] = []
        for index, text in enumerate(NASTY):
            number = f"[bold]INV-{index}[/] {text}"[:60]
            good = {"customer": customer_id, "due_date": due, "base_amount": "100"}
            attempts += [
                # Refused locally: every field nasty.
                [
                    InvoiceTyping(
                        {
                            "customer": text,
                            "due_date": text,
                            "base_amount": text,
                            "description": text,
                            "po_number": text[:60],
                        }
                    ),
                    "",
                ],
                # Saved with a nasty number, description and PO number.
                [
                    InvoiceTyping(
                        {
                            **good,
                            "invoice_number": number,
                            "description": text[:500],
                            "po_number": text[:60],
                        }
                    ),
                    "",
                ],
            ]
            if index < 2:
                # Refused by the server, which echoes the number: shown literally.
                attempts.append([InvoiceTyping({**good, "invoice_number": number}), number])
        await each_string(
            session,
            attempts,
            lambda typing, echo: type_and_save_invoice(session, screen, typing, expect_echo=echo),
        )

    await in_session(sandbox_url, body, size=(100, 36))


# -- the invoice filter -------------------------------------------------------------------------


async def filter_with(session: Session, screen: InvoicesScreen, values: dict[str, str]) -> None:
    app, pilot = session.app, session.pilot
    if app.screen is screen:
        await pilot.press("f")
        await wait_until(
            pilot, lambda: isinstance(app.screen, InvoiceFilterScreen), what="the filter"
        )
    form = app.screen
    assert isinstance(form, InvoiceFilterScreen)
    for widget in form.query(Input):
        widget.value = ""
    for name, text in values.items():
        form.query_one(f"#{name}", Input).value = text
    await pilot.pause()
    typed = inputs_of(form)
    form.query_one("#customer", Input).focus()
    await pilot.press("enter")
    await pilot.pause()
    if session.crashed or app.screen is not form:
        return  # crashed (reported), or searching: back on the list
    assert inputs_of(form) == typed, "a refused filter changed what was typed"
    errors = [text_of(line) for line in form.query(".filter-error")]
    assert any(error.strip() for error in errors), "the filter refused without saying why"


async def test_the_invoice_filter_survives_nasty_input(sandbox_url: str) -> None:
    async def body(session: Session) -> None:
        screen = await invoices_screen(session)
        attempts: list[Any] = [[{"customer": text, "number": text}] for text in NASTY[:4]]
        attempts += [
            [{"due_from": "2026-02-30"}],
            [{"balance_to": "1e999999999"}],
            [{"balance_from": "[bold]5"}],
            [{"balance_from": "NaN"}],
        ]
        await each_string(session, attempts, lambda values: filter_with(session, screen, values))

    await in_session(sandbox_url, body, size=(100, 36))
