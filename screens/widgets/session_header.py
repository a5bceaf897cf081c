"""The one-line header: section, profile, environment badge, user and connection state."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

_BADGES = {
    "production": ("PROD", "bold white on #b00020"),
    "test": ("UAT", "bold black on #e0a800"),
    "sandbox": ("SANDBOX", "bold black on #3fa34d"),
}
_CONNECTION = {
    "online": ("●", "green", "online"),
    "offline": ("●", "red", "unreachable"),
    "signed-out": ("○", "yellow", "signed out"),
}


class SessionHeader(Static):
    """Reads the app's session; redraws when the section or the connection state changes."""

    DEFAULT_CSS = """
    SessionHeader { dock: top; height: 1; background: $panel; color: $foreground; }
    """

    section: reactive[str] = reactive("")

    def __init__(self, section: str = "", **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self.section = section

    def on_mount(self) -> None:
        self.watch(self.app, "connection_state", lambda _: self.refresh_line(), init=False)
        if hasattr(self.app, "waiting"):
            self.watch(self.app, "waiting", lambda _: self.refresh_line(), init=False)
        self.refresh_line()

    def watch_section(self) -> None:
        self.refresh_line()

    def refresh_line(self) -> None:
        line = Text().append(" EnKash AR ", style="bold")
        if self.section:
            line.append("│ ", style="dim").append(self.section + " ", style="bold")
        session = getattr(self.app, "session", None)
        if session is None:
            self.update(line)
            return
        label, style = _BADGES.get(session.environment, ("?", "reverse"))
        line.append("│ ", style="dim").append(f"{session.profile.name} ")
        line.append(f" {label} ", style=style).append(" ")
        if session.readonly:
            line.append(" READ-ONLY ", style="bold black on #5dade2").append(" ")
        line.append("│ ", style="dim").append(f"{session.username} ")
        state = getattr(self.app, "connection_state", "online")
        dot, colour, words = _CONNECTION.get(state, _CONNECTION["online"])
        waiting = getattr(self.app, "waiting", "")
        if waiting and state != "signed-out":  # e.g. "waiting for EnKash 3 s · esc stops"
            colour, words = "yellow", waiting
        line.append("│ ", style="dim").append(dot, style=colour).append(f" {words}")
        self.update(line)
