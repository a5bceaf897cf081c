"""Forms do what was meant: space toggles a check box and Enter saves from anywhere in the form,
tabbing into a field keeps its text (the cursor at the end), amounts read as they would be typed,
a failed save puts the cursor on the first field in error (in the form's order), and F10 or Ctrl+Q
quits from inside a form or a dialog: at once when nothing would be lost, else asking first about
the unsaved edits."""

from __future__ import annotations

import json
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, Checkbox, Input, Static

from enkash_tui.domain.formatting import amount_as_typed
from screens.app import QUIT_QUESTION, EnkashApp
from screens.export import ExportScreen
from screens.help import HelpScreen
from screens.invoices.form import InvoiceForm
from screens.invoices.screen import InvoicesScreen
from screens.modals import ConfirmModal
from tests.support.driving import build_app, open_invoices, wait_until
from tests.support.sandboxes import RunningSandbox
from tests.support.screen_text import texts

SIZE = (100, 40)


async def edit_form(pilot: Pilot[Any], app: EnkashApp) -> tuple[InvoicesScreen, InvoiceForm]:
    screen = await open_invoices(pilot)
    await pilot.press("e")
    await wait_until(pilot, lambda: isinstance(app.screen, InvoiceForm), what="the form")
    form = app.screen
    assert isinstance(form, InvoiceForm)
    return screen, form


async def new_form(pilot: Pilot[Any], app: EnkashApp) -> tuple[InvoicesScreen, InvoiceForm]:
    """``n`` on the Invoices list: the New invoice form, as it opens."""
    screen = await open_invoices(pilot)
    await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(app.screen, InvoiceForm), what="the new form")
    form = app.screen
    assert isinstance(form, InvoiceForm) and form.creating
    return screen, form


async def test_space_toggles_a_check_box_and_enter_on_it_saves(
    start_sandbox: Any, sent_requests: list[Any]
) -> None:
    app = build_app(start_sandbox().url)
    async with app.run_test(size=SIZE) as pilot:
        screen, form = await edit_form(pilot, app)
        box = form.query_one("#partial_payment_allowed", Checkbox)
        before = box.value
        box.focus()
        await pilot.press("space")
        assert box.value is not before
        await pilot.press("enter")  # used to flip it back; now it saves
        await wait_until(pilot, lambda: app.screen is screen, what="the form to save and close")
        (patch,) = [r for r in sent_requests if r.method == "PATCH"]
        assert json.loads(patch.content) == {"partialPaymentAllowed": not before}


async def test_tabbing_into_a_field_keeps_its_text_and_amounts_read_as_typed(
    start_sandbox: Any,
) -> None:
    app = build_app(start_sandbox().url)
    async with app.run_test(size=SIZE) as pilot:
        screen, form = await edit_form(pilot, app)
        invoice = screen.table.current
        assert invoice is not None and invoice.base_amount is not None
        amount = form.query_one("#base_amount", Input)
        assert amount.value == amount_as_typed(invoice.base_amount)
        assert not amount.value.endswith(".0")
        form.query_one("#due_date", Input).focus()
        await pilot.press("tab")
        assert app.focused is amount
        assert amount.selection.is_empty and amount.cursor_position == len(amount.value)
        before = amount.value
        await pilot.press("7")
        assert amount.value == before + "7"  # the first key adds; it used to wipe the field


async def test_a_failed_save_puts_the_cursor_on_the_first_field_in_error(
    start_sandbox: Any,
) -> None:
    app = build_app(start_sandbox().url)
    async with app.run_test(size=SIZE) as pilot:
        _, form = await edit_form(pilot, app)
        form.query_one("#due_date", Input).value = "31-12-2026"
        form.query_one("#save", Button).focus()
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: app.focused is form.query_one("#due_date"), what="the due date"
        )
        await pilot.press("backspace")
        assert form.query_one("#due_date", Input).value == "31-12-202"  # typing lands there


async def test_f10_in_a_form_asks_about_unsaved_edits_and_keeps_them(start_sandbox: Any) -> None:
    app = build_app(start_sandbox().url)
    async with app.run_test(size=SIZE) as pilot:
        _, form = await edit_form(pilot, app)
        form.query_one("#po_number", Input).value = "PO-HALF-TYPED"
        form.query_one("#po_number", Input).focus()
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="quit?")
        assert app.screen.title_text == "Quit with unsaved edits?"
        await pilot.press("f10")  # asked once, not twice
        assert sum(isinstance(s, ConfirmModal) for s in app.screen_stack) == 1
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is form, what="back in the form")
        assert form.query_one("#po_number", Input).value == "PO-HALF-TYPED"
        assert app.is_running


async def test_several_fields_in_error_put_the_cursor_on_the_first_in_the_forms_order(
    sent_requests: list[Any], sandbox: RunningSandbox
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen, form = await new_form(pilot, app)
        invoice = screen.table.current
        assert invoice is not None and invoice.customer_id
        form.query_one("#customer", Input).value = invoice.customer_id  # the one without a problem
        form.query_one("#invoice_date", Input).value = "bad"
        form.query_one("#cgst", Input).value = "x"  # due date and base amount left blank
        before = len(sent_requests)
        form.query_one("#cgst", Input).focus()  # a later field in error: Enter from there
        await pilot.press("enter")
        # The checks report the base amount first (the model's order); the form shows the invoice
        # date first, and that is where the cursor goes.
        in_error = ("invoice_date", "due_date", "base_amount", "cgst")
        await wait_until(
            pilot,
            lambda: all(str(form.query_one(f"#{n}-error", Static).render()) for n in in_error),
            what="every field's problem beside it",
        )
        await wait_until(
            pilot,
            lambda: app.focused is form.query_one("#invoice_date"),
            what="the cursor on the invoice date",
        )
        assert app.screen is form
        sent = [r.url.path for r in sent_requests[before:] if not r.url.path.endswith("/search")]
        assert sent == []  # nothing was sent to be saved (the list behind may read)
        await pilot.press("backspace")
        assert form.query_one("#invoice_date", Input).value == "ba"  # typing lands there
        assert form.query_one("#cgst", Input).value == "x"


async def test_f10_in_a_form_without_edits_quits_at_once(sandbox: RunningSandbox) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        _, form = await new_form(pilot, app)
        assert not form.dirty
        await pilot.press("f10")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmModal), "it asked, with nothing to lose"
        assert app.return_code == 0
        assert not app.is_running


async def test_f10_in_a_dialog_quits_asking_only_about_unsaved_edits(
    sandbox: RunningSandbox,
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_invoices(pilot)
        await pilot.press("E")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen), what="export")
        export = app.screen
        # Edits held elsewhere (the list behind, as a section holding edits would): it asks.
        screen.dirty = True
        await pilot.press("f10")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="quit?")
        assert app.screen.title_text == QUIT_QUESTION
        assert "Unsaved edits in Invoices will be lost." in texts(app.screen)
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is export, what="back in the export dialog")
        assert app.is_running and app.return_code is None
        # Nothing would be lost: F10 in the dialog quits at once.
        screen.dirty = False
        await pilot.press("f10")
        await pilot.pause()
        assert app.return_code == 0
        assert not app.is_running


async def test_ctrl_q_in_a_form_asks_about_unsaved_edits_and_keeps_them(
    sandbox: RunningSandbox,
) -> None:
    app = build_app(sandbox.url)
    async with app.run_test(size=SIZE) as pilot:
        _, form = await new_form(pilot, app)
        field = form.query_one("#po_number", Input)
        field.focus()
        await pilot.press(*"PO77")
        assert field.value == "PO77" and form.dirty
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmModal), what="quit?")
        assert app.screen.title_text == QUIT_QUESTION
        assert "Unsaved edits in New invoice will be lost." in texts(app.screen)
        await pilot.press("ctrl+q")  # asked once, not twice
        assert sum(isinstance(s, ConfirmModal) for s in app.screen_stack) == 1
        question = app.screen
        await pilot.press("f1")  # help over the question: F10 there asks nothing more
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        await pilot.press("f10")
        await pilot.pause()
        assert sum(isinstance(s, ConfirmModal) for s in app.screen_stack) == 1
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is question, what="the question again")
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is form, what="back in the form")
        assert app.is_running and app.return_code is None
        assert field.value == "PO77"
        assert app.focused is field
        await pilot.press("8")
        assert field.value == "PO778"  # the cursor is still at the end of what was typed


async def test_save_and_close_stay_in_view_at_80x24(start_sandbox: Any) -> None:
    from screens.customers.form import CustomerForm
    from tests.support.driving import open_customers

    app = build_app(start_sandbox().url)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_invoices(pilot)
        for opener, form_type in ((None, InvoiceForm), (open_customers, CustomerForm)):
            if opener is not None:
                await opener(pilot)
                await pilot.press("down")  # from the lookup into the list, where n is "new"
            await pilot.press("n")
            await wait_until(pilot, lambda t=form_type: isinstance(app.screen, t), what="a form")
            await pilot.pause()
            form = app.screen
            box = form.query_one(".modal").region
            for button in ("#save", "#close"):
                region = form.query_one(button, Button).region
                assert box.contains_region(region), (form_type.__name__, button, region, box)
            await pilot.press("escape")
            await wait_until(pilot, lambda f=form: app.screen is not f, what="the form to close")
