"""Text from EnKash is data, never terminal commands; text we send is plain words.

A terminal acts on some characters instead of drawing them: ESC and the 8-bit CSI (U+009B) start
commands (clear the screen, write the clipboard, make the terminal type into the app), tab, CR and
LF move the cursor and break a table row, bidi controls reorder what follows them. So:

Read side, :func:`clean` (run once, where a reply is parsed):

* tab, LF, VT, FF, CR, NEL (U+0085) and the line/paragraph separators (U+2028, U+2029) become a
  space: a name that held a line break stays on its row;
* every other C0 control and DEL becomes its Control Picture (ESC -> ␛, NUL -> ␀, DEL -> ␡), so
  a hostile value shows as hostile instead of acting;
* the other C1 controls (U+0080-U+009F), bidi embeddings, overrides and isolates (U+202A-U+202E,
  U+2066-U+2069), bidi marks (U+200E, U+200F, U+061C) and lone surrogates (which cannot be
  written to a UTF-8 terminal at all) become U+FFFD (�);
* zero-width spaces (U+200B, U+2060, U+FEFF) are dropped: they draw nothing, and without them
  the text on screen is what the operator could type back.

The zero-width joiner and non-joiner (U+200D, U+200C) are left alone: they are part of how
Devanagari, Malayalam and other Indian scripts spell a name (a half form, a chillu), and a
terminal draws them as the shaping they ask for, never as a command.

Files, :func:`strip`: the same characters, with line breaks and tabs a space and the rest dropped,
for a CSV cell (a spreadsheet shows no Control Picture, and a cell must not break its row).

Send side, :func:`has_unsafe`: every character ``clean`` would change is refused
(:data:`REFUSAL`) in text we send, and the sandbox refuses it the same way.

This module imports nothing else of the project, so every layer can use it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

REFUSAL = "line breaks, tabs and invisible control characters are not allowed"

# What ``clean`` does with each kind (the pattern below is all of them).
_AS_SPACE = frozenset("\t\n\x0b\x0c\r\x85\u2028\u2029")
_DROPPED = frozenset("\u200b\u2060\ufeff")
_UNSAFE = re.compile(
    r"[\x00-\x1f\x7f-\x9f"  # C0, DEL, C1
    r"\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"  # bidi marks, embeddings, isolates
    r"\u200b\u2060\ufeff"  # zero-width spaces (not the joiners U+200C, U+200D)
    r"\u2028\u2029"  # line and paragraph separators
    r"\ud800-\udfff]"  # lone surrogates
)


def _replacement(char: str) -> str:
    if char in _AS_SPACE:
        return " "
    if char in _DROPPED:
        return ""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # Control Pictures: ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"


def _replace(match: re.Match[str]) -> str:
    return _replacement(match.group())


def has_unsafe(text: str) -> bool:
    """Whether ``text`` holds a character a terminal would act on or that draws nothing."""
    return _UNSAFE.search(text) is not None


def clean(text: str) -> str:
    """``text`` safe to draw: the same object when there was nothing to change."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_replace, text)


def _stripped(match: re.Match[str]) -> str:
    return " " if match.group() in _AS_SPACE else ""


def strip(text: str) -> str:
    """``text`` without what ``clean`` would change: spacing ones become a space, the rest go."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_stripped, text)


def clean_json(value: Any) -> Any:
    """Every string in decoded JSON (dict keys and values, list items) cleaned."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, Mapping):
        return {clean_json(key): clean_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean_json(item) for item in value]
    return value


def clean_or_none(value: Any) -> str | None:
    """A reply's optional text field (a message, a request id) as clean text, or None."""
    return None if value is None else clean(str(value))
