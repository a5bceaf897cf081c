"""The controls every form is built from, behaving as a form should: a field keeps what is in it
when the focus arrives (the cursor goes to the end, nothing is selected, so the first key adds
rather than wipes), and a check box toggles on space only, leaving Enter to save the form.

Check boxes and radio buttons show their state in the glyph itself (``X`` / ``●`` when on, blank
when off), not only in its colour: in 256 colours, an ANSI theme or with NO_COLOR, Textual's
own draw both states alike."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.widgets import Checkbox, Input, RadioButton


class FormInput(Input):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(*args, **kwargs)


class FormCheckbox(Checkbox, inherit_bindings=False):
    BINDINGS = [Binding("space", "toggle_button", "Toggle", show=False)]

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Textual's name, per state here
        return "X" if self.value else " "


class FormRadioButton(RadioButton):
    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Textual's name, per state here
        return "●" if self.value else " "
