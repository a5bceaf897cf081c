"""An invoice's Bharat Connect status history, as the Invoices detail (a table) and the Bharat
Connect pane (a line a step) show it."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from enkash_tui.api.models import BharatConnectEvent


def _what(event: BharatConnectEvent) -> str:
    what = (event.action or "").replace("_", " ").lower()
    return what + (f": {event.remarks}" if event.remarks else "")


def history_lines(events: list[BharatConnectEvent]) -> RenderableType:
    """The history for a narrow pane: a step a line or two, newest first."""
    if not events:
        return history_table(events)
    lines = Text()
    for event in reversed(events):
        when = event.at.strftime("%d %b %Y %H:%M") if event.at else "?"
        lines.append(f"{when} ", style="dim")
        lines.append(f"{(event.by or '').title()} ", style="bold")
        lines.append(_what(event))
        lines.append(f" → {event.status or '?'} v{event.object_version or '?'}\n", style="dim")
    lines.rstrip()
    return lines


def history_table(events: list[BharatConnectEvent]) -> RenderableType:
    if not events:
        return Text(
            "EnKash returned no status history for this invoice: only its current status and "
            "version are known.",
            style="dim",
        )
    table = Table("When", "By", "What", "Status", "v", box=None, padding=(0, 1),
                  header_style="bold")  # fmt: skip
    for event in events:
        table.add_row(
            event.at.strftime("%d %b %Y %H:%M") if event.at else "",
            Text((event.by or "").title()),
            Text(_what(event)),
            Text(event.status or ""),
            str(event.object_version or ""),
        )
    return table
