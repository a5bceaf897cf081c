"""Home's most overdue customers: a list the cursor can enter (Tab, then ↑↓), Enter opening the
customer's card. Unfocused it draws exactly as a plain table."""

from __future__ import annotations

from rich.console import RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from enkash_tui.domain.aging import Aging, Debtor
from enkash_tui.domain.formatting import inr


def top_debtors(aging: Aging, cursor: int | None = None) -> RenderableType:
    top = aging.top()
    if aging.computed_at is None:
        return Text("")
    if not top:
        return Text("Nobody owes anything overdue.", style="green")
    table = Table("Customer", "Late", "Overdue", box=None, padding=(0, 1), header_style="bold")
    for index, debtor in enumerate(top):
        table.add_row(Text(debtor.name, overflow="ellipsis", no_wrap=True), str(debtor.count),
                      inr(debtor.overdue),
                      style=Style(reverse=True) if index == cursor else None)  # fmt: skip
    return table


class DebtorList(Static, can_focus=True):
    BINDINGS = [
        Binding("up", "cursor(-1)", "Up", show=False, id="home.debtors.up"),
        Binding("down", "cursor(1)", "Down", show=False, id="home.debtors.down"),
        Binding("enter", "open", "Open customer", id="home.debtors.open"),
    ]

    class Picked(Message):
        def __init__(self, debtor: Debtor) -> None:
            super().__init__()
            self.debtor = debtor

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self.aging: Aging | None = None
        self.cursor = 0

    def show(self, aging: Aging) -> None:
        self.aging = aging
        self.cursor = min(self.cursor, max(0, len(aging.top()) - 1))
        self._draw()

    def _draw(self) -> None:
        if self.aging is not None:
            self.update(top_debtors(self.aging, self.cursor if self.has_focus else None))

    def on_focus(self) -> None:
        self._draw()

    def on_blur(self) -> None:
        self._draw()

    def action_cursor(self, step: int) -> None:
        top = self.aging.top() if self.aging else []
        if top:
            self.cursor = max(0, min(len(top) - 1, self.cursor + step))
            self._draw()

    def action_open(self) -> None:
        top = self.aging.top() if self.aging else []
        if top:
            self.post_message(self.Picked(top[self.cursor]))
