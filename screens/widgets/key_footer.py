"""The footer of keys, drawn again only when the keys it lists change.

Textual's Footer builds all its keys afresh whenever the screen says its bindings were updated:
on every focus move, screen switch and ``refresh_bindings``, most of which list the same keys.
Signing in drew Home's footer eleven times. This one compares what it would list with what it
shows, after the refresh that asked, and builds nothing when they are the same.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """A ``Footer`` that skips rebuilding when the keys it lists are unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: Hashable | None = None  # what was last built
        self._asked = False  # a rebuild check waits for the next refresh

    def _listing(self) -> Hashable:
        """What the footer lists: each shown key, its words, whether it is enabled."""
        keys = tuple(
            (binding.key, binding.key_display, binding.description, binding.action,
             binding.group, enabled, tooltip)
            for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        )  # fmt: skip
        return (keys, self.compact, self.show_command_palette)

    def compose(self) -> ComposeResult:
        if self._bindings_ready:
            self._shown = self._listing()
            yield from self._keys()

    def _keys(self) -> ComposeResult:
        """What the footer shows of the keys (a subclass may list them its own way)."""
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        if not self._asked:  # many updates in a row: one check, on the footer's own queue
            self._asked = True
            self.call_later(self._rebuild_if_changed)

    async def _rebuild_if_changed(self) -> None:
        self._asked = False
        if self.is_attached and self._listing() != self._shown:
            await self.recompose()
