"""What the app keeps on disk is its owner's alone: ``sandbox.db`` and the files SQLite keeps
beside it are 0600 (they hold the demo passwords), and the app's folders are made 0700.

The umask is set to the common 022 for each test, under which a plain ``open`` or ``mkdir``
leaves files and folders readable by everyone.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from enkash_tui.config import Settings, save_settings
from enkash_tui.local import customer_cache
from enkash_tui.local.action_log import ActionLog
from enkash_tui.local.private_files import write_private
from enkash_tui.local.state import LocalState
from enkash_tui.sandbox import db

from .test_action_log import record


@pytest.fixture(autouse=True)
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_sandbox_database_is_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "enkash-tui" / "sandbox.db"
    conn = db.connect(path)
    try:
        conn.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
        companions = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
        assert all(p.exists() for p in companions)  # WAL mode: both are there while open

        assert mode(path) == 0o600
        assert [mode(p) for p in companions] == [0o600, 0o600]
        assert mode(path.parent) == 0o700
        assert mode(path.parent.parent) == 0o700  # made for it, so made private too
    finally:
        conn.close()


def test_an_existing_sandbox_database_is_tightened(tmp_path: Path) -> None:
    path = tmp_path / "sandbox.db"
    first = db.connect(path)  # stays open, so its -wal and -shm stay too
    try:
        journal = Path(f"{path}-journal")
        journal.touch()
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm"), journal]
        for file in files:
            os.chmod(file, 0o644)  # say, made by an older version

        db.connect(path).close()

        assert [mode(file) for file in files] == [0o600] * 4
    finally:
        first.close()


def test_a_database_in_a_folder_of_the_users_leaves_the_folder_alone(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    db.connect(folder / "sandbox.db").close()

    assert mode(folder) == 0o755
    assert mode(folder / "sandbox.db") == 0o600


def test_the_apps_folders_are_made_owner_only(tmp_path: Path) -> None:
    config = tmp_path / "config" / "enkash-tui" / "config.toml"
    save_settings(Settings(), config)
    state = tmp_path / "state" / "enkash-tui"
    LocalState(last_profile="Sandbox").save(state)
    log = ActionLog(tmp_path / "data" / "enkash-tui" / "action-log.jsonl")
    log.append(record(), "Sandbox", "demo@example.com")
    cache = customer_cache.CustomerCache.load(tmp_path / "cache" / "enkash-tui" / "c.json")
    cache.save()

    for folder in ("config", "state", "data", "cache"):
        assert mode(tmp_path / folder) == 0o700, folder
        assert mode(tmp_path / folder / "enkash-tui") == 0o700, folder


def test_an_existing_app_folder_is_tightened_and_its_parent_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    app_folder = tmp_path / "xdg" / "enkash-tui"
    app_folder.mkdir(parents=True)
    for folder in (app_folder, app_folder.parent):
        os.chmod(folder, 0o755)

    write_private(app_folder / "config.toml", "")

    assert mode(app_folder) == 0o700
    assert mode(app_folder.parent) == 0o755  # the user's config home: not ours to change


def test_a_folder_named_like_the_app_elsewhere_is_kept(tmp_path: Path) -> None:
    checkout = tmp_path / "src" / "enkash-tui"  # say, a source checkout
    checkout.mkdir(parents=True)
    os.chmod(checkout, 0o755)

    write_private(checkout / "notes" / "state.json", "{}")

    assert mode(checkout) == 0o755
    assert mode(checkout / "notes") == 0o700
