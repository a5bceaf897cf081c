"""F1 / ?: the keys that work right now, from the live bindings, focused widget first."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widgets import Static

from screens.dialog import Dialog
from screens.keys import describe_key

# What a person calls each kind of widget (checked along the class's bases, nearest first).
KINDS = {
    "LazyTable": "list",
    "DebtorList": "list",
    "OptionList": "list",
    "Input": "field",
    "Checkbox": "check box",
    "RadioSet": "choice",
    "Select": "choice",
    "Button": "button",
}


def shown_name(node: DOMNode) -> str:
    """A widget as the person sees it: "Customers list", "Due date field" (from its id), never
    a class name such as LazyTable."""
    kind = next((KINDS[c.__name__] for c in type(node).__mro__ if c.__name__ in KINDS), "part")
    words = (node.id or "").replace("-", " ").replace("_", " ").split()
    words = [w.upper() if len(w) <= 2 else w for w in words]  # "bc" is BC
    label = " ".join(words)
    return f"{label[:1].upper()}{label[1:]} {kind}" if label else kind.capitalize()


def live_keys(screen: Screen[object]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(where, [(keys, what)]) groups: the focused widget, then its ancestors, then the app."""
    groups: dict[str, list[tuple[str, str]]] = {}
    seen: set[tuple[str, str]] = set()
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if not active.enabled or not binding.description:
            continue
        node = active.node
        where = (
            "Everywhere"
            if node is screen.app
            else ("This screen" if node is screen else shown_name(node))
        )
        entry = (describe_key(binding.key_display or key), binding.description)
        if (where, binding.description) in seen:
            # Several keys for one action: show them together.
            items = groups[where]
            index = next(i for i, item in enumerate(items) if item[1] == binding.description)
            items[index] = (f"{items[index][0]}, {entry[0]}", binding.description)
            continue
        seen.add((where, binding.description))
        groups.setdefault(where, []).append(entry)
    order = [w for w in groups if w not in ("This screen", "Everywhere")]
    order += [w for w in ("This screen", "Everywhere") if w in groups]
    return [(where, groups[where]) for where in order]


class HelpScreen(Dialog[None]):
    BINDINGS = [Binding("escape,f1,question_mark,q", "dismiss", "Close", id="help.close")]

    def __init__(self, groups: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal help"):
            yield Static("Keys", classes="title", markup=False)
            for where, keys in self.groups:
                yield Static(where, classes="group", markup=False)
                lines = "\n".join(f"  {k:<16} {what}" for k, what in keys)
                yield Static(lines, markup=False)
            yield Static(
                "Esc closes · Ctrl+P or : finds an invoice, a customer or a command",
                classes="hint",
                markup=False,
            )
