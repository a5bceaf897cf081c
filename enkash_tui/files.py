"""Writing the app's own files: readable by the owner only, and never half-written.

Files the user asked for (exports, bulk results) are also never put over an existing file: they
are written under a temporary name and then given their final name with ``os.link``, which fails
when that name exists, so even another program (or a second export) racing for the same name
cannot be overwritten, nor overwrite this one.
"""

from __future__ import annotations

import errno
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

# How many numbered names (name-2.csv …) to try before giving up.
MAX_NUMBERED = 999
# link() is not offered everywhere (some network and FAT file systems): reserve the name instead.
_NO_LINK = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOSYS, errno.EOPNOTSUPP}


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` with mode 0600, via a temporary file renamed into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
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
