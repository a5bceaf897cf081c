"""The allocator calls reach glibc where there is one (they do nothing elsewhere)."""

from __future__ import annotations

import platform

import pytest

from enkash_tui import memory


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc only")
def test_the_allocator_calls_are_found_in_the_process_own_symbols() -> None:
    assert memory._glibc("mallopt") is not None
    assert memory._glibc("malloc_trim") is not None
    memory.give_back()  # returns freed memory; must not raise


def test_a_name_the_c_library_lacks_is_none() -> None:
    assert memory._glibc("no_such_allocator_call") is None
