"""An honest panel for a section whose screen is not built yet: says so, works nowhere."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.widgets import Static

from enkash_tui.sections import Section

from .base import SectionScreen


class ComingSoonScreen(SectionScreen):
    def __init__(self, section: Section) -> None:
        super().__init__(section)

    def compose_body(self) -> ComposeResult:
        with Center(), Vertical(classes="coming-soon"):
            yield Static(self.section.title, classes="title", markup=False)
            yield Static(self.section.purpose, markup=False)
            yield Static(
                "This section is not built yet: nothing here reads or changes data.\n"
                "Other sections: F2 Home · F3 Customers · F4 Invoices · F5 Reminders · "
                "F6 Bharat Connect.  Ctrl+P: commands.  F1: keys.",
                classes="hint",
                markup=False,
            )
