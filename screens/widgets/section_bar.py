"""The line under the header on every section screen: each section with its key, the current one
marked, and the two keys that always work (F1 help, F10 quit). Clicking a section opens it."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Static

from screens.sections import SECTIONS, Section

ALWAYS = " F1 Help  F10 Quit "
_GAP = "  "


def _layout(current: str, width: int) -> tuple[Text, list[tuple[Section, int, int]]]:
    """The drawn line and where each section sits on it: full titles, else short ones."""
    for short in (False, True):
        line, spans = Text(" "), []
        for section in SECTIONS:
            here = section.mode == current
            label = f"{section.key.upper()} {section.short if short else section.title}"
            if here:
                label = f" {label} "  # the current one: reversed, with room around it
            start = line.cell_len
            line.append(label, style="bold reverse" if here else "")
            spans.append((section, start, line.cell_len))
            line.append(_GAP)
        if line.cell_len + len(ALWAYS) <= width:
            break
    line.append(" " * max(1, width - line.cell_len - len(ALWAYS)))
    line.append(ALWAYS, style="dim")
    return line, spans


def section_line(current: str, width: int) -> Text:
    return _layout(current, width)[0]


class SectionBar(Static):
    DEFAULT_CSS = """
    SectionBar { height: 1; background: $panel; color: $foreground; }
    """

    def __init__(self, current: str) -> None:
        super().__init__(markup=False, id="section-bar")
        self.current = current

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        self.update(section_line(self.current, self.size.width or 80))

    async def on_click(self, event: events.Click) -> None:
        for section, start, end in _layout(self.current, self.size.width)[1]:
            if start <= event.x < end:
                await self.app.run_action(f"section('{section.mode}')")
                return
