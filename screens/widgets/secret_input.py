"""An Input for secrets whose messages never carry what was typed into a log.

Textual's debug log (``TEXTUAL_LOG``, ``textual run --dev``) writes every message with its repr,
and an Input's Changed and Submitted messages hold the field's value: the password would reach
the disk a keystroke at a time. These messages print the value masked; handlers still receive it.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

MASK = "•••"


def _masked(message: Any) -> str:
    return f"{type(message).__qualname__}(input={message.input!r}, value={MASK!r})"


class SecretInput(Input):
    """Use for client secrets and passwords (with ``password=True`` to mask the screen too)."""

    # namespace="input": handled as any Input's messages (on_input_changed, @on(Input.Changed)).
    class Changed(Input.Changed, namespace="input"):
        def __repr__(self) -> str:
            return _masked(self)

        def __rich_repr__(self) -> Any:
            yield "input", self.input
            yield "value", MASK

    class Submitted(Input.Submitted, namespace="input"):
        def __repr__(self) -> str:
            return _masked(self)

        def __rich_repr__(self) -> Any:
            yield "input", self.input
            yield "value", MASK
