"""The benchmarks' waits are bounded: each gives up after the timeout it is given, with an error
naming what it waited for, and returns as soon as what it waits for holds. A wait that never ends
would hang a benchmark run (there is no pytest timeout there) instead of saying what never came.

``benchmarks/harness.py``: ``poll`` (no app needed) and ``until`` (through a pilot's pauses).
``benchmarks/pty_screen.py``: ``PtyProgram.wait``, ``press`` and ``settle``, on a real program
in a real pseudo-terminal (a Python one-liner, so nothing but the interpreter is needed)."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from benchmarks import harness

NEVER = "the text that never comes"
TINY = 0.2  # the timeout given to waits that must give up
SLACK = 5.0  # after its timeout, still far short of the 30 s the waits are given elsewhere


# -- harness: poll and until --------------------------------------------------------------------


class Pauses:
    """What ``until`` asks of a pilot: a pause that lets the event loop run."""

    async def pause(self, delay: float | None = None) -> None:
        await asyncio.sleep(delay or 0)


Wait = Callable[[Callable[[], bool], str, float], Awaitable[None]]
HARNESS_WAITS: dict[str, Wait] = {
    "poll": lambda ready, what, timeout: harness.poll(ready, what, timeout),
    "until": lambda ready, what, timeout: harness.until(Pauses(), ready, what, timeout),  # type: ignore[arg-type]
}


async def within(seconds: float, awaited: Awaitable[None]) -> float:
    """Await ``awaited``, failing the test if it is still waiting after ``seconds``; the
    seconds it took (its own error, if any, raised as it is)."""
    began = time.monotonic()
    task = asyncio.ensure_future(awaited)
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if not done:
        task.cancel()
        raise AssertionError(f"still waiting after {seconds} s: the wait is not bounded")
    task.result()
    return time.monotonic() - began


@pytest.mark.parametrize("name", HARNESS_WAITS)
async def test_a_harness_wait_returns_once_its_condition_holds(name: str) -> None:
    checks = 0

    def ready() -> bool:
        nonlocal checks
        checks += 1
        return checks >= 3  # holds at the third look

    took = await within(5, HARNESS_WAITS[name](ready, "the third look", 30))
    assert checks == 3
    assert took < 5  # promptly, nowhere near its 30 s timeout
    # Holding already: back at once, after one look.
    took = await within(5, HARNESS_WAITS[name](lambda: True, "what holds", 30))
    assert took < 5


@pytest.mark.parametrize("name", HARNESS_WAITS)
async def test_a_harness_wait_gives_up_after_its_timeout_naming_what_never_came(
    name: str,
) -> None:
    began = time.monotonic()
    with pytest.raises(TimeoutError, match=NEVER):
        await within(TINY + 5, HARNESS_WAITS[name](lambda: False, NEVER, TINY))
    took = time.monotonic() - began
    assert TINY <= took < TINY + SLACK


# -- pty_screen: a program in a pseudo-terminal ---------------------------------------------


@pytest.fixture(scope="module")
def pty_screen() -> ModuleType:
    # Importing it shortens the interpreter's thread switch interval for the benchmarks' sake;
    # the rest of this test process keeps its own.
    interval = sys.getswitchinterval()
    from benchmarks import pty_screen as module

    sys.setswitchinterval(interval)
    return module


@pytest.fixture
def run(pty_screen: ModuleType) -> Iterator[Callable[[str], Any]]:
    """``run(code)``: ``python -c code`` in a 40x8 pty, ended at teardown."""
    started: list[Any] = []

    def start(code: str) -> Any:
        env = {**os.environ, "TERM": "xterm-256color"}
        program = pty_screen.PtyProgram([sys.executable, "-c", code], env, columns=40, rows=8)
        started.append(program)
        return program

    yield start
    for program in started:
        program.close()


SAYS_READY = "import time; print('ready', flush=True); time.sleep(60)"
# "go", then output that never stops: a wait that keeps no deadline while output pours in never
# returns (pytest's timeout ends it), one that does returns soon after its timeout.
ENDLESS = (
    "import sys\n"
    "print('go', flush=True)\n"
    "while True: sys.stdout.write('\\x1b[3;1H' + 'x' * 39); sys.stdout.flush()\n"
)


def has(text: str) -> Callable[[Any], bool]:
    return lambda screen: screen.has(text)


def test_a_pty_wait_returns_once_the_screen_shows_it(run: Callable[[str], Any]) -> None:
    program = run(SAYS_READY)
    began = time.monotonic()
    sample = program.wait(has("ready"), "ready", timeout=30)
    assert time.monotonic() - began < 10  # the interpreter's start, not the 30 s timeout
    assert 0 <= sample.seconds <= time.monotonic() - began
    # Shown already: back at once.
    began = time.monotonic()
    program.wait(has("ready"), "ready", timeout=30)
    assert time.monotonic() - began < 0.5


def test_a_pty_wait_gives_up_after_its_timeout_naming_what_never_came(
    run: Callable[[str], Any], pty_screen: ModuleType
) -> None:
    program = run(SAYS_READY)
    program.wait(has("ready"), "ready", timeout=30)
    began = time.monotonic()
    with pytest.raises(pty_screen.TimedOut, match=NEVER) as raised:
        program.wait(has(NEVER), NEVER, timeout=TINY)
    assert TINY <= time.monotonic() - began < TINY + SLACK
    assert "ready" in str(raised.value)  # and what the screen showed instead


def test_a_key_pressed_is_timed_until_it_shows_and_gives_up_when_it_never_does(
    run: Callable[[str], Any], pty_screen: ModuleType
) -> None:
    program = run(SAYS_READY)
    program.wait(has("ready"), "ready", timeout=30)
    began = time.monotonic()
    program.press("q", has("q"), "the key echoed", timeout=10)  # the terminal echoes it
    assert time.monotonic() - began < 5
    began = time.monotonic()
    with pytest.raises(pty_screen.TimedOut, match=NEVER):
        program.press("z", has(NEVER), NEVER, timeout=TINY)
    assert TINY <= time.monotonic() - began < TINY + SLACK


def test_a_pty_wait_on_a_program_that_ended_gives_up_at_once(
    run: Callable[[str], Any], pty_screen: ModuleType
) -> None:
    program = run("print('bye')")
    began = time.monotonic()
    with pytest.raises(pty_screen.TimedOut, match="bye"):
        program.wait(has(NEVER), NEVER, timeout=30)
    assert time.monotonic() - began < 10  # not the 30 s timeout


def test_a_pty_wait_on_a_program_that_ended_names_what_never_came(
    run: Callable[[str], Any], pty_screen: ModuleType
) -> None:
    program = run("print('bye')")
    with pytest.raises(pty_screen.TimedOut, match=NEVER):
        program.wait(has(NEVER), NEVER, timeout=30)


def test_settling_is_bounded_by_its_timeout_while_output_keeps_coming(
    run: Callable[[str], Any],
) -> None:
    program = run(ENDLESS)
    program.wait(has("go"), "go", timeout=30)
    began = time.monotonic()
    program.settle(quiet=TINY, timeout=TINY)  # the burst takes far longer than that to parse
    assert time.monotonic() - began < TINY + SLACK


def test_a_pty_wait_is_bounded_by_its_timeout_while_output_keeps_coming(
    run: Callable[[str], Any], pty_screen: ModuleType
) -> None:
    program = run(ENDLESS)
    program.wait(has("go"), "go", timeout=30)
    began = time.monotonic()
    with pytest.raises(pty_screen.TimedOut, match=NEVER):
        program.wait(has(NEVER), NEVER, timeout=TINY)
    assert time.monotonic() - began < TINY + SLACK
