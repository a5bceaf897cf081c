"""The real program in a real pseudo-terminal: it paints, and it leaves when the terminal goes."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

SIGN_IN = "Sign in to EnKash"


@contextmanager
def running_app(tmp_path: Path) -> Iterator[tuple[int, int]]:
    """(pid, master fd) of ``python -m enkash_tui`` on an 80x24 pty, after it painted."""
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "ENKASH_TUI_STATE_DIR": str(tmp_path),
        "ENKASH_TUI_CONFIG": str(tmp_path / "config.toml"),
    }
    pid, fd = pty.fork()
    if pid == 0:  # the child: become the app
        os.execvpe(sys.executable, [sys.executable, "-m", "enkash_tui"], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    try:
        seen = read_until(fd, SIGN_IN, timeout=30)
        assert SIGN_IN in seen, seen[-500:]
        yield pid, fd
    finally:
        with suppress(OSError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
        with suppress(OSError, ChildProcessError):
            os.waitpid(pid, 0)
        with suppress(OSError, ChildProcessError):
            os.close(fd)


def read_until(fd: int, text: str, timeout: float) -> str:
    seen = ""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and text not in seen:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                seen += os.read(fd, 65536).decode("utf-8", "replace")
            except OSError:
                break
    return seen


def exited_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        done, _status = os.waitpid(pid, os.WNOHANG)
        if done:
            return True
        time.sleep(0.05)
    return False


def test_the_sign_in_screen_paints_in_a_real_terminal(tmp_path):
    with running_app(tmp_path) as (pid, _fd):
        assert not exited_within(pid, 0.3)  # it stays up, waiting for the user


def test_a_hangup_ends_the_program_promptly(tmp_path):
    with running_app(tmp_path) as (pid, _fd):
        os.kill(pid, signal.SIGHUP)
        assert exited_within(pid, 5), "still running 5 s after SIGHUP"


def test_the_terminal_going_away_ends_the_program(tmp_path):
    # Closing the pty master is what an SSH drop looks like to the program: its terminal
    # hangs up. It must exit rather than spin on a dead terminal.
    with running_app(tmp_path) as (pid, fd):
        os.close(fd)
        assert exited_within(pid, 5), "still running 5 s after its terminal closed"
