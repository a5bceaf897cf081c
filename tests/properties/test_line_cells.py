"""A table row's cells, drawn without rich's Text: every cell takes exactly its width, whatever the
text (wide, combining, the rupee sign), cut with an ellipsis only when longer."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text

from screens.widgets.line_cells import cells, fitted, styled_cell

TEXTS = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
        st.sampled_from("₹…日本é\u0301"),
    ),
    max_size=30,
)
WIDTHS = st.integers(min_value=1, max_value=24)


@given(TEXTS)
def test_cells_measures_as_rich_does(text: str) -> None:
    assert cells(text) == cell_len(text)


@given(TEXTS, WIDTHS, st.sampled_from(["left", "right"]))
def test_a_cell_takes_exactly_its_width(text: str, width: int, align: str) -> None:
    cell = fitted(text, width, align)
    assert cell_len(cell) == width
    if cell_len(text) <= width:
        assert cell.strip(" ") == text.strip(" ")  # whole, only padded
    else:
        assert cell.rstrip(" ").endswith("…")


@given(TEXTS, WIDTHS, st.sampled_from(["left", "right"]), st.booleans())
def test_a_styled_cell_takes_its_width_and_keeps_its_colour(
    text: str, width: int, align: str, spans: bool
) -> None:
    red = Style(color="red")
    value = Text(text, style="" if spans else red)
    if spans:
        value.stylize(red)
    segments = styled_cell(value, width, align, Style(bgcolor="blue"), Console())
    assert sum(cell_len(s.text) for s in segments) == width
    for segment in segments:
        if segment.text.strip():
            assert segment.style is not None and segment.style.color == red.color
            assert segment.style.bgcolor == Style(bgcolor="blue").bgcolor  # the row's, under
