"""The controls every form is built from, behaving as a form should: a field keeps what is in it
when the focus arrives (the cursor goes to the end, nothing is selected, so the first key adds
rather than wipes), and a check box or a radio set toggles on space only, leaving Enter to save
(or send) the form.

Check boxes and radio buttons show their state in the glyph itself (``X`` / ``●`` when on, blank
when off), not only in its colour: in 256 colours, an ANSI theme or with NO_COLOR, Textual's
own draw both states alike."""

from __future__ import annotations

import sys
from typing import Any

from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, RadioButton, RadioSet


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


class FormRadioSet(RadioSet, inherit_bindings=False):
    """The arrows choose (the highlighted choice is the chosen one, so Enter sends what is
    seen), space chooses too; Enter is the form's."""

    BINDINGS = [
        Binding("down,right", "next_button", "Next option", show=False),
        Binding("space", "toggle_button", "Choose", show=False),
        Binding("up,left", "previous_button", "Previous option", show=False),
    ]

    def action_next_button(self) -> None:
        super().action_next_button()
        self._choose_highlighted()

    def action_previous_button(self) -> None:
        super().action_previous_button()
        self._choose_highlighted()

    def _choose_highlighted(self) -> None:
        highlighted = self._selected
        if highlighted is None:
            return
        button = self._nodes[highlighted]
        if isinstance(button, RadioButton) and not button.value:
            self.action_toggle_button()


class ButtonBar(Horizontal):
    """A form's Save / Close row, after every field in the focus order. Textual orders focus by
    place on the screen, and forms dock this row at their foot: a field scrolled beneath it (the
    last ones, at 80x24) would otherwise be reached by Tab only after the buttons."""

    @property
    def _focus_sort_key(self) -> tuple[int, int]:  # Textual's (private) ordering key
        return (sys.maxsize, 0)
