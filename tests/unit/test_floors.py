"""The floors hold (ARCHITECTURE.md): the import-linter contracts in pyproject.toml pass on the
tree, and they do fail when a floor is broken, so the check in .ci/run can catch it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    # The venv's own script, found beside the interpreter whether or not the venv is on PATH
    # (``python -m importlinter.cli`` runs nothing: that module has no main).
    command = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"]
    return subprocess.run(
        command, cwd=tree, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture
def tree_copy(tmp_path: Path) -> Path:
    """The packages and their contracts, copied where a test may break them."""
    for package in ("enkash_tui", "screens"):
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def append(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_the_tree_keeps_every_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_textual_in_the_domain_breaks_a_contract(tree_copy: Path) -> None:
    append(tree_copy / "enkash_tui" / "domain" / "formatting.py", "import textual  # noqa")
    result = lint_imports(tree_copy)
    assert result.returncode != 0
    assert "The domain knows the API and the clock only" in result.stdout
    assert "BROKEN" in result.stdout


def test_a_screen_import_in_the_core_breaks_a_contract(tree_copy: Path) -> None:
    append(tree_copy / "enkash_tui" / "session.py", "import screens.help  # noqa")
    result = lint_imports(tree_copy)
    assert result.returncode != 0
    assert "The core (enkash_tui) never imports the UI" in result.stdout


def test_an_import_circle_breaks_a_contract(tree_copy: Path) -> None:
    # domain.invoices is imported by domain.aging; importing it back closes a circle.
    append(tree_copy / "enkash_tui" / "domain" / "invoices.py", "import enkash_tui.domain.aging")
    result = lint_imports(tree_copy)
    assert result.returncode != 0
    assert "No import cycles" in result.stdout


def test_the_service_layer_importing_the_domain_breaks_a_contract(tree_copy: Path) -> None:
    append(
        tree_copy / "enkash_tui" / "api" / "urls.py", "import enkash_tui.domain.formatting  # noqa"
    )
    result = lint_imports(tree_copy)
    assert result.returncode != 0
    assert "The service layer (enkash_tui.api) imports nothing else" in result.stdout


def test_the_sandbox_reading_the_client_s_caches_breaks_a_contract(tree_copy: Path) -> None:
    append(
        tree_copy / "enkash_tui" / "sandbox" / "faults.py", "import enkash_tui.local.state  # noqa"
    )
    result = lint_imports(tree_copy)
    assert result.returncode != 0
    assert "The sandbox shares the wire format and file locations only" in result.stdout
