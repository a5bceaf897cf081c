"""Writing the app's own files: readable by the owner only, and never half-written.

Files the user asked for (exports, bulk results) are also never put over an existing file: they
are written under a temporary name and then given their final name with ``os.link``, which fails
when that name exists, so even another program (or a second export) racing for the same name
cannot be overwritten, nor overwrite this one.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from enkash_tui.local.locations import app_dirs

# How many numbered names (name-2.csv …) to try before giving up.
MAX_NUMBERED = 999
# link() is not offered everywhere (some network and FAT file systems): reserve the name instead.
_NO_LINK = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOSYS, errno.EOPNOTSUPP}


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


# The files SQLite keeps beside a database; each holds the same rows.
DATABASE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_database(path: Path) -> None:
    """A SQLite database and its companion files readable by the owner only (0600): created
    so, and tightened when they already exist with wider bits."""
    private_dir(path.parent)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for name in (str(path), *(f"{path}{suffix}" for suffix in DATABASE_COMPANIONS)):
        with suppress(FileNotFoundError):
            os.chmod(name, 0o600)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` with mode 0600, via a temporary file renamed into place."""
    private_dir(path.parent)
    tmp = path.with_suffix(path.suffix + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(tmp, 0o600)  # an older file of that name may have kept wider bits
    os.replace(tmp, path)


def numbered(path: Path) -> Iterator[Path]:
    """``path``, then ``<stem>-2<suffix>``, ``<stem>-3<suffix>`` …"""
    yield path
    for number in range(2, MAX_NUMBERED + 1):
        yield path.with_name(f"{path.stem}-{number}{path.suffix}")


@dataclass
class NewFile:
    """A file being written: ``path`` is its name once it has one (after the ``with`` block)."""

    handle: TextIO
    path: Path | None = None


@contextmanager
def new_private_file(wanted: Path, *, renumber: bool) -> Iterator[NewFile]:
    """A text handle on a new 0600 file that gets its name only once the block ends without an
    error. With ``renumber`` a taken name becomes ``…-2``, ``…-3``; without, a taken name raises
    ``FileExistsError``. An error or a cancel inside the block leaves nothing behind."""
    # mkstemp creates the file exclusively (O_EXCL) with mode 0600.
    fd, tmp_name = tempfile.mkstemp(dir=wanted.parent, prefix=f".{wanted.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            new = NewFile(handle)
            yield new
        new.path = publish(tmp, numbered(wanted) if renumber else iter((wanted,)))
    finally:
        tmp.unlink(missing_ok=True)


def publish(tmp: Path, names: Iterator[Path]) -> Path:
    """Give ``tmp`` the first of ``names`` that is free, never replacing a file; returns it."""
    for candidate in names:
        try:
            os.link(tmp, candidate)
        except FileExistsError:
            continue
        except OSError as error:
            if error.errno not in _NO_LINK:
                raise
            if not _reserve(candidate):
                continue
            os.replace(tmp, candidate)  # over the empty file just reserved, ours alone
        return candidate
    raise FileExistsError(errno.EEXIST, "every numbered name is taken", str(tmp.parent))


def _reserve(path: Path) -> bool:
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    return True
