"""Every dialog's base: a modal screen with a footer of its own keys, and F1 Help and F10 Quit
always at its right end.

A modal screen has no footer of its own, so the one showing beneath it was the section's, listing
keys that do nothing in the dialog (and, at 80 columns, cut off before Help and Quit).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalGroup
from textual.screen import ModalScreen, ScreenResultType
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from screens.widgets.key_footer import KeyFooter

# Pinned at the right end, whatever the dialog lists: (key, as shown, words, action).
ALWAYS = (("f1", "F1", "Help", "app.help"), ("f10", "F10", "Quit", "app.quit_app"))
# The app's keys the pinned ones stand for, and the palette (Ctrl+P is still there, unlisted).
LEFT_OUT = {"app.help", "app.quit", "app.quit_anywhere", "app.commands", "app.find", "dialog.help"}


class DialogFooter(KeyFooter):
    """The dialog's own keys, then F1 Help and F10 Quit, which no width cuts off."""

    DEFAULT_CSS = """
    DialogFooter #always { dock: right; width: auto; height: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.show_command_palette = False

    def _keys(self) -> ComposeResult:
        listed: set[str] = set()
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.id in LEFT_OUT or binding.action in listed:
                continue
            listed.add(binding.action)
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                binding.action,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
        with HorizontalGroup(id="always"):
            for key, shown, words, action in ALWAYS:
                yield FooterKey(key, shown, words, action).data_bind(compact=Footer.compact)


class Dialog(ModalScreen[ScreenResultType]):
    """A modal screen with its own footer (``DialogFooter``)."""

    # A modal screen stops the app's own keys (F10 and Ctrl+P are priority keys and go through):
    # F1 is bound here so that the help the footer offers opens, listing the dialog's keys.
    BINDINGS = [Binding("f1", "app.help", "Help", show=False, id="dialog.help")]
    # Textual would focus the first focusable widget as the dialog is composed: its scrolling
    # box, which restyles everything in it (and again when the dialog's own first field takes
    # the focus), a tenth of a second a form. The dialog focuses its field itself, or the first
    # in the focus chain is focused just after (_focus_if_none), as Textual would have.
    AUTO_FOCUS = ""

    def on_mount(self) -> None:
        # Textual calls this after a subclass's own on_mount, whatever that does (handlers run
        # per class, the subclass's first).
        if not self.query(DialogFooter):
            self.mount(DialogFooter())
        self.call_after_refresh(self._focus_if_none)

    def _focus_if_none(self) -> None:
        # After the refresh: a field's focus() asked for in on_mount has taken effect by then.
        if self.focused is None:
            self.focus_next()
