"""Typing into a filter, drawn in one frame and without laying the screen out again.

Textual lays the whole screen out again, and repaints all of it, whenever a widget's virtual
size changes (``Reactive(layout=True)``): an ``Input`` whose text grew by a key, a list whose
row count changed with it. Neither changes the widget's region, so on every key typed into a
filter that is a frame's work for nothing. ``resize_in_place`` updates the scroll range as the
compositor's layout would (``ScrollView._size_updated``); a scrollbar that comes or goes
changes the width, and its own reactive lays the screen out as before.

``TypingInput`` also tells its screen what was typed as the value changes, in the same key
press (``follow``), rather than by an ``Input.Changed`` message handled after the field has been
painted on its own: the text typed and the rows it picks show in the same frame.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.widgets import Input


def resize_in_place(widget: ScrollView, size: Size) -> None:
    """Give ``widget`` a new virtual size without a layout of the screen (see above)."""
    if size == widget.virtual_size:
        return
    if not widget.container_size:  # not laid out yet: the first layout sizes it
        widget.virtual_size = size
        return
    widget.set_reactive(ScrollView.virtual_size, size)
    widget._scroll_update(size)  # scrollbars and scroll offsets, as a layout would


class TypingInput(Input):
    """An ``Input`` for filtering as one types (see above)."""

    follow: Callable[[str], object] | None = None  # called with the value as it changes

    def _watch_value(self, value: str) -> None:
        if not self.styles.auto_dimensions:
            resize_in_place(self, Size(self.content_width, 1))
        super()._watch_value(value)  # its own virtual size is now the same: no layout
        if self.follow is not None:
            self.follow(value)
