"""Writing the app's own files: readable by the owner only, and never half-written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import platformdirs

APP_NAME = "enkash-tui"


def app_dirs() -> set[Path]:
    """The app's own platformdirs folders (config, state, data, cache)."""
    return {
        platformdirs.user_config_path(APP_NAME),
        platformdirs.user_state_path(APP_NAME),
        platformdirs.user_data_path(APP_NAME),
        platformdirs.user_cache_path(APP_NAME),
    }


def private_dir(folder: Path) -> None:
    """Make ``folder`` and any missing parents, each readable by the owner only (0700), as the
    XDG base directory spec asks. A folder that already exists keeps its mode (it may be the
    user's own, say a ``--db`` folder), except the app's own folders, which are tightened: an
    older version may have made them readable by all."""
    missing: list[Path] = []
    current = folder
    while not current.exists() and current != current.parent:
        missing.append(current)
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made meanwhile by someone else: not ours to change
        os.chmod(path, 0o700)  # mkdir's mode is filtered by the umask
    for path in app_dirs() & {folder, *folder.parents}:
        if path.is_dir() and not path.is_symlink() and stat.S_IMODE(path.stat().st_mode) & 0o077:
            os.chmod(path, 0o700)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` with mode 0600, via a temporary file renamed into place."""
    private_dir(path.parent)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(tmp, 0o600)  # an older file of that name may have kept wider bits
    os.replace(tmp, path)
