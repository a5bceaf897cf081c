"""``python -m tools.screenshots`` makes the README's pictures: one SVG per section, each showing
that section's screen, drawn from a sandbox on the pinned date."""

from __future__ import annotations

import html
from pathlib import Path

from tools.screenshots import make_pictures


def test_the_tool_draws_every_section(tmp_path: Path) -> None:
    written = make_pictures(tmp_path / "pictures", (100, 30), tmp_path / "work")
    names = sorted(path.stem for path in written)
    assert names == ["bharat_connect", "customers", "home", "invoices", "reminders"]
    for path in written:
        svg = html.unescape(path.read_text(encoding="utf-8")).replace("\xa0", " ")
        assert svg.startswith("<svg") and f"enkash-tui · {path.stem.replace('_', ' ')}" in svg
    invoices = (tmp_path / "pictures" / "invoices.svg").read_text(encoding="utf-8")
    assert "INV/" in invoices  # rows, not an empty list
