"""What every Home tile shares: its label, its figure (a count and, once known, its rupees) or
"…" while loading or "not loaded", the arrows between tiles, and Enter or a click to open it."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.widgets import Static

from enkash_tui.domain.formatting import count, inr

# The arrows move between tiles from the tile itself: Home scrolls when it is taller than the
# terminal, and its scrolling would otherwise take the arrows first.
TILE_KEYS: list[BindingType] = [
    Binding("left", "screen.move(-1)", "Left", show=False, id="home.left"),
    Binding("right", "screen.move(1)", "Right", show=False, id="home.right"),
    Binding("up", "screen.move(-3)", "Up", show=False, id="home.up"),
    Binding("down", "screen.move(3)", "Down", show=False, id="home.down"),
]


class TileFace(Static, can_focus=True):
    """A tile drawn from ``label``, ``alarm`` and ``figures()``; a subclass says what they are."""

    BINDINGS = TILE_KEYS
    label = ""
    alarm = False  # a count above nought is drawn as needing attention
    noun = "invoice"
    problem = ""  # why it could not be loaded; "" when it could

    def figures(self) -> tuple[int, Decimal | None] | None:
        """(count, rupees or None when not known), or None while loading."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        text = Text(self.label + "\n", style="bold")
        figures = self.figures()
        if self.problem:
            text.append("not loaded", style="red")
        elif figures is None:
            text.append("…", style="dim")
        else:
            found, rupees = figures
            busy = self.alarm and found > 0
            text.append(count(found, self.noun) + "\n", style="bold yellow" if busy else "")
            if rupees is not None:
                text.append(inr(rupees))
        self.update(text)

    async def on_click(self, event: Click) -> None:
        self.focus()
        await self.screen.run_action("open_tile")
