"""After a large load the heap is tidied (collected, trimmed, frozen) once nothing has loaded and
no key has been pressed for a moment: a key pressed during a full collection would wait for it."""

from __future__ import annotations

import time

import pytest

import screens.heap
from tests.support.driving import build_app, wait_until


async def test_the_heap_settles_once_keys_are_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    settled: list[float] = []
    monkeypatch.setattr(screens.heap, "settle_now", lambda: settled.append(time.monotonic()))
    monkeypatch.setattr(screens.heap, "QUIET", 0.4)
    app = build_app("http://127.0.0.1:9")  # the sign-in form only: nothing is asked of it
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.focused is not None, what="the form")
        screens.heap.settle_soon(app)
        screens.heap.settle_soon(app)  # a burst of loads settles once
        typing_until = last_key = time.monotonic() + 1.2
        while time.monotonic() < typing_until:  # keys, 0.1 s apart, for three times QUIET
            await pilot.press("ctrl+r")  # shows and hides the secrets: no text typed
            last_key = time.monotonic()
            await pilot.pause(0.1)
        assert settled == []
        await wait_until(pilot, lambda: bool(settled), what="the settling, once keys stop")
        await pilot.pause(0.6)
        assert len(settled) == 1 and settled[0] - last_key >= 0.3
