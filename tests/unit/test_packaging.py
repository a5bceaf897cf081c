"""The wheel carries everything a non-editable install needs, and the entry points work."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (built,) = out.glob("enkash_tui-*.whl")
    return built


def test_the_wheel_holds_code_screens_assets_and_the_console_script(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "enkash_tui/api/client.py" in names
    assert "enkash_tui/sandbox/app.py" in names
    assert "screens/login.py" in names
    assert "enkash_tui/assets/enkash.tcss" in names
    for template in ("customers-create", "customers-update", "invoices-create", "follow-ups"):
        assert f"enkash_tui/assets/templates/{template}.csv" in names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "enkash-tui = enkash_tui.cli:main" in text


def test_an_installed_copy_finds_its_assets_without_the_source_tree(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    probe = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from enkash_tui.local.locations import asset;"
        "print(asset('enkash.tcss')); print(asset('templates/invoices-create.csv'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe, str(target)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    for line in result.stdout.splitlines():
        assert line.startswith(str(target)), line


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "enkash_tui", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_version_and_config_path_commands(tmp_path):
    from enkash_tui import __version__

    assert run_cli("--version").stdout.strip() == f"enkash-tui {__version__}"
    where = tmp_path / "elsewhere.toml"
    result = run_cli("config", "path", env={"ENKASH_TUI_CONFIG": str(where)})
    assert result.returncode == 0
    assert result.stdout.strip() == str(where)


def test_a_broken_config_is_reported_in_words_not_a_traceback(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[profiles.uat]\nbase_url = "http://enkash.example.in"\nclient_id = "C"\n')
    result = run_cli(env={"ENKASH_TUI_CONFIG": str(config)})
    assert result.returncode == 2
    assert "profiles.uat.base_url" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_profile_lists_the_known_ones(tmp_path):
    result = run_cli("--profile", "nope", env={"ENKASH_TUI_CONFIG": str(tmp_path / "c.toml")})
    assert result.returncode == 2
    assert "no profile 'nope'" in result.stderr
    assert "Sandbox" in result.stderr
