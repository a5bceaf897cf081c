"""The service layer never imports textual (design: the API client is usable without the UI)."""

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
    import importlib.util
    import json
    import pkgutil
    import sys

    import enkash_tui.api
    import enkash_tui.local

    imported = ["enkash_tui.api", "enkash_tui.local"]
    for package in (enkash_tui.api, enkash_tui.local):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            importlib.import_module(info.name)
            imported.append(info.name)
    # Non-UI modules next to the API layer, when present.
    for name in ("enkash_tui.paths", "enkash_tui.config", "enkash_tui.formatting",
                 "enkash_tui.paging", "enkash_tui.invoice_queries", "enkash_tui.exports",
                 "enkash_tui.bulk_check", "enkash_tui.session", "enkash_tui.clock"):
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)
            imported.append(name)
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


def test_api_layer_does_not_import_textual() -> None:
    report = run_probe(SCRIPT)
    assert report["leaked"] == []
    # The walk really covered the API package.
    for name in (
        "enkash_tui.api.client",
        "enkash_tui.api.caller",
        "enkash_tui.api.auth",
        "enkash_tui.api.envelope",
        "enkash_tui.api.crypto",
        "enkash_tui.api.pages",
        "enkash_tui.api.routes",
        "enkash_tui.api.retry",
        "enkash_tui.api.models",
        "enkash_tui.api.models.invoice",
        "enkash_tui.api.models.customer",
    ):
        assert name in report["imported"]


def test_probe_would_notice_textual() -> None:
    # The same check sees textual when something does import it, so the test above can fail.
    report = run_probe("import textual\n" + SCRIPT)
    assert "textual" in report["leaked"]
