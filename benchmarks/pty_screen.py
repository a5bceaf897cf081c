"""A program in a real pseudo-terminal, read through a terminal emulator (pyte): keys are written
as an xterm sends them, and a clock stops when the emulated screen, not merely the byte stream,
shows what was waited for.

The clock stops at the moment the bytes that completed the change arrived, not after pyte has
parsed them: pyte is pure Python and takes 10-20 ms over a screenful a real terminal parses in
well under one. A thread reads the pty and stamps each chunk as it comes, while this thread
parses them in order and looks at the screen after each.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import queue
import signal
import struct
import sys
import termios
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pyte
from wcwidth import wcwidth

# What an xterm sends for the keys the benchmarks press (Textual reads these).
KEYS = {
    "enter": "\r",
    "escape": "\x1b",
    "backspace": "\x7f",
    "ctrl+u": "\x15",
    "pagedown": "\x1b[6~",
    "pageup": "\x1b[5~",
    "home": "\x1b[H",
    "end": "\x1b[F",
    "f2": "\x1bOQ",
    "f3": "\x1bOR",
    "f4": "\x1bOS",
    "f6": "\x1b[17~",
    "f10": "\x1b[21~",
}

# Synchronized output (DEC mode 2026): a terminal that knows it shows nothing between the start
# and the end of an update, so neither does this one.
_SYNC_BEGIN = b"\x1b[?2026h"
_SYNC_END = b"\x1b[?2026l"

# The reader thread needs the GIL to stamp a chunk; while this thread parses it waits up to the
# switch interval (5 ms by default), which would be added to the figures.
sys.setswitchinterval(0.0005)


class TimedOut(RuntimeError):
    """The screen never showed what was waited for (or the program ended); says what, and
    what the screen showed instead."""


@dataclass
class Screen:
    """The emulated screen's text, a line per row, for markers to look at."""

    lines: list[str]

    def has(self, text: str) -> bool:
        return any(text in line for line in self.lines)

    def line_with(self, text: str) -> str | None:
        return next((line for line in self.lines if text in line), None)

    def __str__(self) -> str:
        return "\n".join(line.rstrip() for line in self.lines)


Ready = Callable[[Screen], bool]


@dataclass
class Sample:
    """One wait, in ``time.perf_counter`` times: from the key written (or the call) until the
    output that made the screen show the change had arrived; and the seconds the emulator
    spent parsing meanwhile (not in ``seconds``)."""

    began: float
    ended: float
    parsing: float

    @property
    def seconds(self) -> float:
        return self.ended - self.began


@dataclass
class PtyProgram:
    """``argv`` running in its own pty of ``columns`` x ``rows``, its output fed to pyte."""

    argv: list[str]
    env: dict[str, str]
    columns: int = 120
    rows: int = 40
    pid: int = 0
    fd: int = -1
    parsing: float = 0.0  # seconds the emulator has spent parsing output, in all
    _arrived: float = 0.0  # when the last chunk parsed had arrived
    _in_sync: bool = False
    _tail: bytes = b""
    _chunks: queue.SimpleQueue[tuple[float, bytes]] = field(default_factory=queue.SimpleQueue)
    _closing: threading.Event = field(default_factory=threading.Event)
    _reader: threading.Thread | None = None
    _screen: pyte.Screen = field(init=False)
    _stream: pyte.ByteStream = field(init=False)
    _lines: list[str] = field(init=False)

    def __post_init__(self) -> None:
        self._screen = pyte.Screen(self.columns, self.rows)  # every line starts dirty
        self._lines = [""] * self.rows
        self._stream = pyte.ByteStream(self._screen)
        pid, fd = pty.fork()
        if pid == 0:  # the child: becomes the program, the pty its terminal
            try:
                os.execvpe(self.argv[0], self.argv, self.env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.columns, 0, 0))
        self._reader = threading.Thread(target=self._read, name="pty-reader", daemon=True)
        self._reader.start()

    # -- reading -----------------------------------------------------------------------------

    def _read(self) -> None:
        """The reader thread: every chunk, stamped as it arrives; b"" once the pty closes."""
        while not self._closing.is_set():
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:  # EIO: every program on the terminal has closed it
                chunk = b""
            self._chunks.put((time.perf_counter(), chunk))
            if not chunk:
                return

    def screen(self) -> Screen:
        # Only the lines changed since last time are read again: pyte's own ``display`` reads
        # every cell of every line, which costs more than parsing a small update.
        for y in self._screen.dirty:
            if 0 <= y < self.rows:
                self._lines[y] = line_text(self._screen.buffer[y], self.columns)
        self._screen.dirty.clear()
        return Screen(list(self._lines))

    def _feed_next(self, timeout: float) -> bool:
        """Parse the next chunk, waiting up to ``timeout`` s for one; False if none came."""
        try:
            arrived, chunk = self._chunks.get(timeout=timeout)
        except queue.Empty:
            return False
        if not chunk:
            self._chunks.put((arrived, chunk))  # stays ended for whoever asks next
            raise TimedOut(f"the program ended; its screen:\n{self.screen()}")
        began = time.perf_counter()
        self._stream.feed(chunk)
        self.parsing += time.perf_counter() - began
        self._arrived = arrived
        self._track_sync(chunk)
        return True

    def _track_sync(self, chunk: bytes) -> None:
        # The markers may straddle two chunks: look at the end of the one before too.
        seen = self._tail + chunk
        begin, end = seen.rfind(_SYNC_BEGIN), seen.rfind(_SYNC_END)
        if begin >= 0 or end >= 0:
            self._in_sync = begin > end
        self._tail = chunk[-16:]

    def wait(self, ready: Ready, what: str, timeout: float = 30.0) -> Sample:
        """Until the screen shows ``ready``; the clock starts now."""
        return self._wait_from(time.perf_counter(), ready, what, timeout)

    def _wait_from(self, began: float, ready: Ready, what: str, timeout: float) -> Sample:
        parsed_before = self.parsing
        deadline = began + timeout
        try:
            while True:
                if not self._in_sync and ready(self.screen()):
                    return Sample(began, max(began, self._arrived), self.parsing - parsed_before)
                # Everything already here first, then whatever comes next; the deadline holds
                # after every chunk (a program may write faster than the screen is parsed).
                left = deadline - time.perf_counter()
                if left <= 0:
                    raise TimedOut(
                        f"timed out waiting for {what}; the screen shows:\n{self.screen()}"
                    )
                self._feed_next(min(left, 0.05))
        except TimedOut as ended:
            if str(ended).startswith("timed out waiting"):
                raise
            raise TimedOut(f"{what} never came: {ended}") from None

    def press(self, key: str, ready: Ready, what: str, timeout: float = 30.0) -> Sample:
        """Send ``key`` (a name in KEYS, or text as typed) and time it until ``ready``."""
        self.drain()  # what came before the key is not its doing
        began = time.perf_counter()
        self.send(key)
        return self._wait_from(began, ready, what, timeout)

    def send(self, key: str) -> None:
        os.write(self.fd, KEYS.get(key, key).encode())

    def drain(self) -> None:
        """Parse what the program has written so far, without waiting for more."""
        while self._feed_next(0):
            pass

    def settle(self, quiet: float = 0.3, timeout: float = 30.0) -> None:
        """Parse until the program has written nothing for ``quiet`` s (its redraws are done),
        or ``timeout`` s have passed (a clock on screen never settles)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline and self._feed_next(quiet):
            pass

    # -- ending ------------------------------------------------------------------------------

    def close(self) -> None:
        """End the program and whatever it started on its terminal (its process group: SIGTERM,
        SIGKILL after 5 s), then the pty."""
        if self.pid:
            self._closing.set()
            with_signal(self.pid, signal.SIGTERM)
            deadline = time.monotonic() + 5
            while not os.waitpid(self.pid, os.WNOHANG)[0]:
                if time.monotonic() > deadline:
                    with_signal(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
                    break
                time.sleep(0.05)
            self.pid = 0
        # The reader ends once every program has let go of the terminal; the descriptor is
        # closed only then, so that it can never read from another file given its number.
        if self._reader is not None:
            self._reader.join(timeout=10)
            if not self._reader.is_alive() and self.fd >= 0:
                os.close(self.fd)
                self.fd = -1


def line_text(line: Mapping[int, pyte.screens.Char], columns: int) -> str:
    """One line of the screen as text, as pyte's ``Screen.display`` has it (a wide character's
    second cell is skipped)."""
    text: list[str] = []
    wide = False
    for x in range(columns):
        if wide:
            wide = False
            continue
        char = line[x].data
        text.append(char)
        wide = bool(char) and ord(char[0]) >= 0x1100 and wcwidth(char[0]) == 2
    return "".join(text)


def with_signal(pid: int, signal_number: int) -> None:
    """Signal the process group ``pid`` leads (pty.fork made the program a session leader)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal_number)
