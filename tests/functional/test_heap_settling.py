"""After a large load the heap is tidied (collected, trimmed, frozen) once nothing has loaded and
no key has been pressed for a moment: a key pressed during a full collection would wait for it."""

from __future__ import annotations

import time

import pytest

import screens.heap
from tests.support.driving import build_app, wait_until

QUIET = 0.6


async def test_the_heap_settles_once_keys_are_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    app = build_app("http://127.0.0.1:9")  # the sign-in form only: nothing is asked of it
    settled: list[tuple[float, float]] = []  # (when, seconds since the app's last key then)
    monkeypatch.setattr(
        screens.heap,
        "settle_now",
        lambda: settled.append((time.monotonic(), screens.heap.since_last_key(app))),
    )
    monkeypatch.setattr(screens.heap, "QUIET", QUIET)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.focused is not None, what="the form")
        began = time.monotonic()
        screens.heap.settle_soon(app)
        screens.heap.settle_soon(app)  # a burst of loads settles once
        while time.monotonic() < began + 3 * QUIET:  # keys, 0.1 s apart
            await pilot.press("ctrl+r")  # shows and hides the secrets: no text typed
            await pilot.pause(0.1)
        await wait_until(pilot, lambda: bool(settled), what="the settling, once keys stop")
        await pilot.pause(QUIET)
    assert len(settled) == 1
    when, since_key = settled[0]
    assert since_key >= QUIET  # never while keys come (a slow machine may leave a gap)
    assert when - began > QUIET + 0.1  # the keys put it off at least once
