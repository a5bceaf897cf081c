"""Locating the shipped ``assets/`` folder, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def assets_dir() -> Path:
    """``enkash_tui/assets`` in a wheel install; the repository's ``assets/`` when editable."""
    for candidate in (_PACKAGE_DIR / "assets", _PACKAGE_DIR.parent / "assets"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("enkash-tui's assets folder is missing from this installation")


def asset(name: str) -> Path:
    path = assets_dir() / name
    if not path.exists():
        raise FileNotFoundError(f"asset {name!r} is missing from {path.parent}")
    return path
