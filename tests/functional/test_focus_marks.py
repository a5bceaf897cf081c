"""Where the focus is, and whether a box is ticked, shows without colour: in an ANSI theme, in
256 colours and with NO_COLOR the focused field's label is drawn reversed, and a ticked check box
or radio button is drawn differently from an unticked one (Textual draws both as ▐X▌ / ▐●▌)."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Checkbox, Input, Label

from screens.invoices.form import InvoiceForm
from screens.widgets.form_controls import FormRadioButton
from tests.support.driving import build_app, open_invoices, wait_until


def reversed_label(field: Input | Checkbox) -> bool:
    row = field.parent
    assert row is not None
    return bool(row.query_one(Label).rich_style.reverse)


@pytest.mark.parametrize(
    ("theme", "no_color"),
    [("textual-dark", False), ("ansi-dark", False), ("ansi-light", False), ("textual-dark", True)],
)
async def test_the_focused_field_and_a_ticked_box_show_without_colour(
    sandbox: Any, monkeypatch: pytest.MonkeyPatch, theme: str, no_color: bool
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = build_app(sandbox.url)
    async with app.run_test(size=(100, 40)) as pilot:
        app.theme = theme
        await open_invoices(pilot)
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, InvoiceForm), what="the form")
        form = app.screen
        assert app.no_color is no_color
        due, amount = form.query_one("#due_date", Input), form.query_one("#base_amount", Input)
        due.focus()
        await pilot.pause()
        assert reversed_label(due) and not reversed_label(amount)
        amount.focus()
        await pilot.pause()
        assert reversed_label(amount) and not reversed_label(due)

        ticked = form.query_one("#gst_exclusive", Checkbox)
        unticked = form.query_one("#partial_payment_allowed", Checkbox)
        assert ticked.value and not unticked.value
        assert str(ticked.render()).startswith("▐X▌")
        assert str(unticked.render()).startswith("▐ ▌")


def test_a_radio_button_draws_its_state() -> None:
    on, off = FormRadioButton("yes", value=True), FormRadioButton("no", value=False)
    assert on.BUTTON_INNER == "●" and off.BUTTON_INNER == " "
