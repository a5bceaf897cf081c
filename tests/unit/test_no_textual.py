"""Nothing in enkash_tui loads Textual (design: the core is usable without the UI).

Walks every module of the package, so a new module is covered the day it is added; the
import-linter contracts in pyproject.toml say the same statically (tests/unit/test_floors.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import importlib
    import json
    import pkgutil
    import sys

    import enkash_tui

    imported = ["enkash_tui"]
    for info in pkgutil.walk_packages(enkash_tui.__path__, "enkash_tui."):
        if info.name == "enkash_tui.__main__":
            continue  # importing it runs the app
        importlib.import_module(info.name)
        imported.append(info.name)
    leaked = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
    print(json.dumps({"imported": imported, "leaked": leaked}))
    """
)


def run_probe(script: str) -> dict[str, list[str]]:
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_no_module_of_enkash_tui_imports_textual() -> None:
    report = run_probe(SCRIPT)
    assert report["leaked"] == []
    # The walk really covered every floor.
    for name in (
        "enkash_tui.cli",
        "enkash_tui.launch",
        "enkash_tui.session",
        "enkash_tui.api.client",
        "enkash_tui.api.models.invoice",
        "enkash_tui.domain.invoices",
        "enkash_tui.domain.aging",
        "enkash_tui.local.action_log",
        "enkash_tui.local.locations",
        "enkash_tui.sandbox.app",
        "enkash_tui.sandbox.routes.invoices",
        "enkash_tui.sandbox.seed.book",
    ):
        assert name in report["imported"]


def test_probe_would_notice_textual() -> None:
    # The same check sees textual when something does import it, so the test above can fail.
    report = run_probe("import textual\n" + SCRIPT)
    assert "textual" in report["leaked"]
