"""A table row drawn as segments, cell by cell, without building a rich ``Text`` for the row:
paging shows a screenful of rows never drawn before, so this is what a key costs."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

DIM = Style(dim=True)
UNFOCUSED_CURSOR = Style(reverse=True, dim=True)


@dataclass(frozen=True)
class Frame:
    """What every line of one frame shares."""

    width: int
    base: Style  # the widget's own
    on_cursor: Style  # added on the cursor's row (focused or not)
    count: int


# Characters one cell wide that rich measures one by one (its quick test does not know them):
# the rupee sign in every amount, the ellipsis of a cut name.
_ONE_CELL_WIDE = str.maketrans({"₹": "R", "…": "."})


def cells(text: str) -> int:
    """How many terminal cells ``text`` takes."""
    return len(text) if text.translate(_ONE_CELL_WIDE).isascii() else cell_len(text)


def cut(text: str, width: int) -> tuple[str, int]:
    """``text`` cut to ``width`` cells with an ellipsis when longer, and the cells it takes."""
    length = cells(text)
    if length <= width:
        return text, length
    return (set_cell_size(text, width - 1) + "…" if width > 0 else ""), width


def fitted(text: str, width: int, align: str) -> str:
    """``text`` in exactly ``width`` cells: cut with an ellipsis, or padded on the side away
    from ``align``."""
    text, length = cut(text, width)
    padding = " " * (width - length)
    return padding + text if align == "right" else text + padding


def styled_cell(text: Text, width: int, align: str, base: Style, console: Console) -> list[Segment]:
    """A ``Text`` cell in exactly ``width`` cells, its own styles over the row's (the padding
    in the row's alone)."""
    if text.spans:
        text.truncate(width, overflow="ellipsis")
        length = text.cell_len
        cell = list(Segment.apply_style(text.render(console), base))
    else:  # one style for the whole text (an amount in red): no need to render it
        plain, length = cut(text.plain, width)
        style = base + console.get_style(text.style) if text.style else base
        cell = [Segment(plain, style)]
    padding = Segment(" " * (width - length), base)
    return [padding, *cell] if align == "right" else [*cell, padding]
