"""Key names as a person reads them ("F2", "Ctrl+P", "?")."""

from __future__ import annotations

_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "asterisk": "*",
    "space": "Space",
    "escape": "Esc",
    "enter": "Enter",
    "tab": "Tab",
}


def describe_key(key: str) -> str:
    parts = []
    for part in key.split("+"):
        if part in _NAMES:
            parts.append(_NAMES[part])
        elif len(part) > 1 and part[0] == "f" and part[1:].isdigit():
            parts.append(part.upper())
        elif len(part) > 1:
            parts.append(part.capitalize())
        else:
            parts.append(part)
    return "+".join(parts)
