"""What is on screen, as plain text a test can search: widgets, screens, the header, toasts."""

from __future__ import annotations

import io
from typing import Any

import httpx
from rich.console import Console
from rich.text import Text
from textual.app import App
from textual.widgets import Static

from enkash_tui.api.routes import DEFAULT_ROUTES
from screens.widgets.session_header import SessionHeader


def plain(renderable: Any, width: int = 200) -> str:
    """A Rich renderable (text, tables, groups) as the plain text a console of ``width`` prints."""
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return console.export_text()


def text_of(widget: Static, width: int = 200) -> str:
    """A Static's content as drawn: a plain string of a ``markup=False`` widget stays literal."""
    content = widget.content
    if isinstance(content, str) and not widget._render_markup:
        content = Text(content)
    return plain(content, width)


def texts(screen: Any, *, visible_only: bool = False, width: int = 200) -> str:
    """Every Static of a screen (a modal's whole text), one after another."""
    return "\n".join(
        text_of(widget, width)
        for widget in screen.query(Static)
        if widget.display or not visible_only
    )


def flat(text: str) -> str:
    """Words joined by single spaces, wherever the console wrapped them."""
    return " ".join(text.split())


def drawn(widget: Any) -> list[str]:
    """What the widget's lines show on screen, cut where the screen cuts them."""
    return [widget.render_line(y).text for y in range(widget.size.height)]


def screen_lines(app: App[Any]) -> list[str]:
    """The whole screen as drawn, a line per row: the topmost screen over what shows beneath it
    (a dialog over its section), cut where the terminal cuts it."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def header_text(app: App[Any]) -> str:
    """The session header of the topmost screen that has one (a modal has none)."""
    screen = next(s for s in reversed(app.screen_stack) if s.query(SessionHeader))
    return str(screen.query_one(SessionHeader).render())


def notes(app: App[Any], severity: str | None = None) -> list[str]:
    """The messages of the toasts shown so far, of one ``severity`` if given."""
    return [n.message for n in app._notifications if severity is None or n.severity == severity]


def titled_notes(app: App[Any], severity: str | None = None) -> list[str]:
    """``"title: message"`` of each toast shown so far, of one ``severity`` if given."""
    return [
        f"{n.title}: {n.message}"
        for n in app._notifications
        if severity is None or n.severity == severity
    ]


def requests_to(sent: list[httpx.Request], path: str, method: str = "POST") -> list[httpx.Request]:
    """The requests of ``sent`` (see the ``sent_requests`` fixture) to one path."""
    return [r for r in sent if r.method == method and r.url.path == path]


def open_book_pages(sent: list[httpx.Request]) -> list[httpx.Request]:
    """The pages of the app's pass over the open invoices (1,000 a page, oldest due first)."""
    path = DEFAULT_ROUTES["search_invoices"].path
    return [
        r
        for r in sent
        if r.url.path == path
        and (r.url.params.get("limit"), r.url.params.get("orderBy")) == ("1000", "dueDate")
    ]


def terminal_output(app: App[Any]) -> str:
    """What the app would write to a real terminal to paint its current screen in full: the
    same update and console a terminal driver is given (``run_test`` is headless, so Textual
    itself writes nothing)."""
    update = app.screen._compositor.render_update(full=True)
    assert update is not None
    text: str = update.render_segments(app.console)
    return text
