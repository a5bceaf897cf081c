"""A table that draws only the rows on screen, from a source that may hold only a few pages.

Textual's DataTable builds every row up front (about 17 s for 100k rows). This one is a Line API
widget: ``render_line`` asks the source for the visible rows only, and tells it which rows are
wanted so the owner can fetch the pages it lacks. The first line is the column header.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, Generic, Literal, Protocol, TypeVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from screens.widgets.in_place import resize_in_place
from screens.widgets.line_cells import DIM, UNFOCUSED_CURSOR, Frame, fitted, styled_cell
from screens.widgets.marks import Marks

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class Column(Generic[T]):
    key: str
    title: str
    width: int
    cell: Callable[[T], str | Text]
    align: Literal["left", "right"] = "left"
    sort: str | None = None  # the server's orderBy name, when the column can be sorted
    priority: int = 1  # 0 = always shown; higher numbers go first when the terminal is narrow
    grow: bool = False  # takes the width left over
    # A growing column's width worth more than the optional columns (priority OPTIONAL and up):
    # they give way until it has this much (a customer's name, say, read whole).
    ideal: int = 0


class RowSource(Protocol[T_co]):
    """What the table reads: a row count, rows by index, and a hint of what is on screen."""

    def count(self) -> int: ...

    def row(self, index: int) -> T_co | None: ...

    def want(self, first: int, last: int) -> None: ...


class ListSource(Generic[T]):
    """Rows already in memory (e.g. the loaded rows that match a ``/`` filter)."""

    def __init__(self, rows: list[T]) -> None:
        self.rows = rows

    def count(self) -> int:
        return len(self.rows)

    def row(self, index: int) -> T | None:
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def want(self, first: int, last: int) -> None:
        return None


_SEPARATOR = " "
OPTIONAL = 3  # columns of this priority and up give way to a growing column's ideal width


class LazyTable(ScrollView, Generic[T], can_focus=True):
    """Keyboard-first: arrows, PgUp/PgDn, Home/End, and j/k g/G as hidden extras."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="table.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="table.page_down"),
        Binding("home,g", "jump(0)", "First row", show=False, id="table.first"),
        Binding("end,G", "jump(-1)", "Last row", show=False, id="table.last"),
        Binding("enter", "select", "Open", show=False, id="table.open"),
    ]

    DEFAULT_CSS = """
    LazyTable { background: $surface; scrollbar-size-horizontal: 0; }
    """

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class RowMessage(Message):
        """About one row: its index and the row itself (None while it loads)."""

        def __init__(self, table: LazyTable[Any], index: int, row: Any) -> None:
            super().__init__()
            self.table, self.index, self.row = table, index, row

        @property
        def control(self) -> LazyTable[Any]:
            return self.table

    class CursorMoved(RowMessage):
        """The cursor is on another row."""

    class RowSelected(RowMessage):
        """Enter on a row."""

    def __init__(
        self,
        columns: list[Column[T]],
        *,
        key: Callable[[T], Hashable],
        row_style: Callable[[T], Style | None] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.columns = columns
        self.key = key
        self.row_style = row_style
        self.source: RowSource[T] = ListSource([])
        self.marks: Marks[T] = Marks(key, self.refresh)
        self.sort: tuple[str, bool] | None = None  # (column key, descending)
        self._layout: list[tuple[Column[T], int]] = []
        self._layout_width = -1
        self._frame: Frame | None = None  # while a frame is drawn
        # Told the new first row on screen as the view scrolls (keys, wheel, scrollbar), at
        # once: a message would be handled after the rows were painted, and what the owner
        # shows about the view (rows 1-30 of…) a frame later.
        self.follow_scroll: Callable[[int], object] | None = None

    # -- data --------------------------------------------------------------------------------

    def set_source(self, source: RowSource[T], *, keep_cursor: bool = False) -> None:
        self.source = source
        if not keep_cursor:
            self.scroll_to(y=0, animate=False, immediate=True)
            self.cursor = 0
        self.refresh_rows()

    def set_columns(self, columns: list[Column[T]]) -> None:
        """Show other columns (the rows stay)."""
        self.columns = columns
        self._layout_width = -1  # laid out again on the next draw
        self.refresh()

    def refresh_rows(self) -> None:
        """The source changed (rows arrived, or a new count): redraw and re-check the cursor."""
        count = self.source.count()
        # The count changes with every key typed into a filter: no layout of the screen.
        resize_in_place(self, Size(self._content_width, count + 1))
        if count and self.cursor >= count:
            self.cursor = count - 1
        self.refresh()
        self._ask_for_visible()

    def rows_arrived(self, first: int, last: int) -> None:
        """Rows ``first``..``last`` are in the source now (a page came): redrawn only if on
        screen (a page fetched ahead arrives while keys are being answered)."""
        count = self.source.count()
        resize_in_place(self, Size(self._content_width, count + 1))
        if count and self.cursor >= count:  # a refresh found fewer rows
            self.cursor = count - 1
        top = int(self.scroll_offset.y)
        if first < top + self.visible_rows and last >= top:
            self.refresh()
        self._ask_for_visible()

    @property
    def current(self) -> T | None:
        return self.source.row(self.cursor)

    @property
    def visible_rows(self) -> int:
        return max(1, self.size.height - 1)  # less the header line

    def _ask_for_visible(self) -> None:
        first = int(self.scroll_offset.y)
        # A screen above and five below, so PgUp/PgDn at a typist's pace find their rows ready.
        self.source.want(max(0, first - self.visible_rows), first + 6 * self.visible_rows)

    # -- layout ------------------------------------------------------------------------------

    @property
    def _content_width(self) -> int:
        # Excludes the scrollbar, which the compositor draws beside our lines.
        return self.scrollable_content_region.width

    def on_resize(self) -> None:
        self.refresh_rows()

    def _layout_for(self, width: int) -> list[tuple[Column[T], int]]:
        # Worked out when drawing: the width changes when the scrollbar comes and goes.
        if width != self._layout_width:
            self._layout = self._fit(width)
            self._layout_width = width
        return self._layout

    def _fit(self, width: int) -> list[tuple[Column[T], int]]:
        """Columns that fit ``width`` (dropping the highest ``priority`` first), with widths."""
        shown = list(self.columns)
        room = width - 2  # the mark gutter
        while shown and sum(c.width for c in shown) + len(_SEPARATOR) * (len(shown) - 1) > room:
            drop = max((c for c in shown if c.priority > 0), key=lambda c: c.priority, default=None)
            if drop is None:
                break
            shown.remove(drop)
        grower = next((c for c in shown if c.grow), shown[-1] if shown else None)
        while grower is not None and grower.width + self._spare(shown, room) < grower.ideal:
            optional = [c for c in shown if c.priority >= OPTIONAL]
            if not optional:
                break
            shown.remove(max(optional, key=lambda c: c.priority))
        spare = self._spare(shown, room)
        return [(c, c.width + (spare if c is grower else 0)) for c in shown]

    @staticmethod
    def _spare(shown: list[Column[T]], room: int) -> int:
        return max(0, room - sum(c.width for c in shown) - len(_SEPARATOR) * (len(shown) - 1))

    @property
    def shown_columns(self) -> list[Column[T]]:
        return [column for column, _ in self._layout_for(self._content_width)]

    # -- drawing -----------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of this frame shares, looked up once a frame rather than once a line
        # (a widget's style is a walk of its DOM: a third of a row's cost when done per row).
        self._frame = self._frame_facts()
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def _frame_facts(self) -> Frame:
        if self.has_focus:
            on_cursor = self.get_component_rich_style("lazytable--cursor", partial=True)
        else:
            on_cursor = UNFOCUSED_CURSOR
        return Frame(self._content_width, self.rich_style, on_cursor, self.source.count())

    def render_line(self, y: int) -> Strip:
        frame = self._frame or self._frame_facts()
        width = frame.width
        self._layout_for(width)
        if y == 0:
            return self._header(width)
        index = int(self.scroll_offset.y) + y - 1
        if index >= frame.count:
            return Strip.blank(width, frame.base)
        row = self.source.row(index)
        if row is None:
            self._ask_for_visible()
            return Strip([Segment("  loading…", frame.base + DIM)]).crop_extend(
                0, width, frame.base
            )
        return self._row_strip(index, row, frame)

    def _header(self, width: int) -> Strip:
        titles: list[str] = []
        for column, size in self._layout:
            title = column.title
            if self.sort and self.sort[0] == column.key:
                title += " ▼" if self.sort[1] else " ▲"
            titles.append(fitted(title, size, column.align))
        base = Style(bold=True) + self.get_component_rich_style("lazytable--header", partial=True)
        return Strip([Segment("  " + _SEPARATOR.join(titles), base)]).crop_extend(0, width, base)

    def _row_strip(self, index: int, row: T, frame: Frame) -> Strip:
        """One row as segments, built directly: plain cells as padded strings, styled cells
        (``Text``) rendered and laid over the row's style. Paging shows a screenful of rows
        never drawn before, so this is what a key costs."""
        base = frame.base
        extra = self.row_style(row) if self.row_style else None
        if extra is not None:
            base = base + extra
        if index == self.cursor:
            base = base + frame.on_cursor
        segments = [Segment("● " if self.key(row) in self.marks else "  ", base)]
        last = len(self._layout) - 1
        used = 2
        for position, (column, size) in enumerate(self._layout):
            value = column.cell(row)
            gap = _SEPARATOR if position < last else ""
            if isinstance(value, str):
                segments.append(Segment(fitted(value, size, column.align) + gap, base))
            else:
                segments += styled_cell(value, size, column.align, base, self.app.console)
                if gap:
                    segments.append(Segment(gap, base))
            used += size + len(gap)
        if used < frame.width:
            segments.append(Segment(" " * (frame.width - used), base))
            return Strip(segments, frame.width)
        return Strip(segments).crop_extend(0, frame.width, base)

    COMPONENT_CLASSES = {"lazytable--header", "lazytable--cursor"}
    DEFAULT_CSS += """
    LazyTable > .lazytable--header { color: $text-accent; background: $panel; }
    LazyTable > .lazytable--cursor { background: $block-cursor-background;
                                     color: $block-cursor-foreground; }
    """

    # -- movement ----------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        count = self.source.count()
        if count == 0:
            return
        if not 0 <= new < count:
            self.cursor = min(max(new, 0), count - 1)
            return
        self._scroll_to_cursor()
        if not self._cursor_on_screen():
            # The row count just grew and the scroll range follows at the next refresh.
            self.call_after_refresh(self._scroll_to_cursor)
        self.refresh()
        self._ask_for_visible()
        self.source.want(new, new)  # the cursor's own row, wherever the view is
        self.post_message(self.CursorMoved(self, new, self.source.row(new)))

    def _cursor_on_screen(self) -> bool:
        top = int(self.scroll_offset.y)
        return top <= self.cursor < top + self.visible_rows

    def _scroll_to_cursor(self) -> None:
        top, new = int(self.scroll_offset.y), self.cursor
        if new < top:
            self.scroll_to(y=new, animate=False, immediate=True)
        elif new >= top + self.visible_rows:
            self.scroll_to(y=new - self.visible_rows + 1, animate=False, immediate=True)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._ask_for_visible()
        if int(old_value) != int(new_value) and self.follow_scroll is not None:
            self.follow_scroll(int(new_value))

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_cursor(self, step: int) -> None:
        self.cursor = self.cursor + step

    def action_page(self, direction: int) -> None:
        self.cursor = self.cursor + direction * self.visible_rows

    def action_jump(self, where: int) -> None:
        self.cursor = where if where >= 0 else max(0, self.source.count() - 1)

    def action_select(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.RowSelected(self, self.cursor, row))

    def toggle_mark(self) -> None:
        """Mark or unmark the cursor row, and move down to the next (space in a list)."""
        row = self.current
        if row is not None:
            self.marks.toggle(row)
            self.action_cursor(1)

    def targets(self) -> list[T]:
        """What an action on "the marked rows" acts on: the marked rows, or else the cursor's."""
        if self.marks:
            return self.marks.rows()
        current = self.current
        return [current] if current is not None else []
