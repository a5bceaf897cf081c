"""What every section screen shares: the header, the footer, read-only keys, loud worker errors."""

from __future__ import annotations

from typing import cast

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from screens.host import Host, host
from screens.sections import Place, Section
from screens.widgets.key_footer import KeyFooter
from screens.widgets.section_bar import SectionBar
from screens.widgets.session_header import SessionHeader


class ReadOnlyKeys:
    """For a screen whose ``MUTATING_ACTIONS`` change data: in a read-only session their keys are
    hidden, and one pressed all the same says why nothing happens, instead of nothing."""

    MUTATING_ACTIONS: frozenset[str] = frozenset()

    def _readonly(self) -> bool:
        session = host(cast(Screen[object], self)).session
        return session is not None and session.readonly

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not (self._readonly() and action in self.MUTATING_ACTIONS)

    def on_key(self, event: events.Key) -> None:
        if not self._readonly():
            return
        screen = cast(Screen[object], self)
        for binding in screen._bindings.key_to_bindings.get(event.key, []):
            if binding.action in self.MUTATING_ACTIONS:
                event.stop()
                what = binding.description or binding.action.replace("_", " ")
                screen.notify(f"{what}: not in a read-only session", title="Read-only", timeout=4)
                return


class SectionScreen(ReadOnlyKeys, Screen[None]):
    """Base of the five section screens (one per mode). Their MUTATING_ACTIONS change EnKash
    data: hidden (and refused) in a read-only session."""

    # Set by subclasses that hold edits a quit would lose.
    dirty: bool = False

    def __init__(self, section: Section) -> None:
        super().__init__(name=section.mode)
        self.section = section
        # Textual re-parses the whole stylesheet and restyles every node of the app the first
        # time a mode's screen is shown (a new screen's CSS count is -1): a third of a second
        # and more on a small machine, at every first visit to a section. Section screens bring
        # no CSS of their own and their widgets are styled as they mount, so they start in step
        # with the stylesheet as it is (a later theme change still restyles them).
        self._css_update_count = self.app._css_update_count

    @property
    def enkash(self) -> Host:
        return host(self)

    def show(self, place: Place) -> None:
        """Show ``place`` (a record or search of this section), when the app opens it here."""

    def compose_header(self) -> ComposeResult:
        yield SessionHeader(self.section.title)
        yield SectionBar(self.section.mode)

    def compose(self) -> ComposeResult:
        yield from self.compose_header()
        yield from self.compose_body()
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Loud by default: a worker that fails without handling its error is shown, never lost.
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.enkash.report_error(event.worker.error)
