"""Keeping the app's memory close to what it holds (glibc only; elsewhere these do nothing).

A pass over the open invoices reads pages of a thousand invoices; Python frees them, but the C
allocator keeps the freed space, so the process stays as large as at its peak. ``give_back``
asks glibc to return it (``malloc_trim``). ``fewer_arenas``, called before any thread starts,
keeps glibc from giving each thread that reads a page its own 64 MB arena, whose freed space
is harder to return.
"""

from __future__ import annotations

import ctypes
import sys
from functools import cache

M_ARENA_MAX = -8  # mallopt's parameter number (malloc.h)
ARENAS = 1


@cache
def _glibc(name: str) -> object | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        # The process's own symbols, the C library's among them: finding libc by name would run
        # ldconfig, at every start.
        found: object = getattr(ctypes.CDLL(None), name)
    except (OSError, AttributeError):  # not glibc (musl has neither function)
        return None
    return found


def give_back() -> None:
    trim = _glibc("malloc_trim")
    if trim is not None:
        trim(0)  # type: ignore[operator]


def fewer_arenas() -> None:
    mallopt = _glibc("mallopt")
    if mallopt is not None:
        mallopt(M_ARENA_MAX, ARENAS)  # type: ignore[operator]
