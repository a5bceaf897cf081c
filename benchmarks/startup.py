"""Launch to first paint: ``enkash-tui`` to its sign-in screen, beside a bare Textual app.

    python -m benchmarks.startup [--runs 7]

Each program runs in a fresh pseudo-terminal (80x24) and the clock stops when its text appears
on the screen. Budget (design.md §5): enkash-tui within 1.6x of the bare app.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import re
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time

HELLO = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Hello(App):\n"
    "    def compose(self):\n"
    "        yield Static('Hello from Textual')\n"
    "Hello().run()\n"
)
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")


def time_to_text(argv: list[str], text: str, env: dict[str, str], timeout: float = 30.0) -> float:
    """Seconds from spawning ``argv`` in a pty until ``text`` shows in its output."""
    began = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # child
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = ""
    try:
        while time.perf_counter() - began < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536).decode("utf-8", "replace")
            except OSError:
                break
            seen = (seen + _ANSI.sub("", chunk))[-4000:]
            if text in seen:
                return time.perf_counter() - began
        raise RuntimeError(f"{argv[0]} never showed {text!r}")
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "ENKASH_TUI_STATE_DIR": folder,
        "ENKASH_TUI_CONFIG": os.path.join(folder, "config.toml"),
    }
    hello = [sys.executable, "-c", HELLO]
    app = [sys.executable, "-m", "enkash_tui"]
    time_to_text(hello, "Hello from Textual", env)  # warm the file cache for both
    time_to_text(app, "Sign in to EnKash", env)
    bare, ours = [], []
    for _ in range(args.runs):
        bare.append(time_to_text(hello, "Hello from Textual", env))
        ours.append(time_to_text(app, "Sign in to EnKash", env))
    b, o = statistics.median(bare), statistics.median(ours)
    print(f"| program (80x24 pty, {args.runs} runs) | median ms | min ms |")
    print("|---|---:|---:|")
    print(f"| bare Textual hello | {b * 1000:.0f} | {min(bare) * 1000:.0f} |")
    print(f"| enkash-tui to sign-in screen | {o * 1000:.0f} | {min(ours) * 1000:.0f} |")
    print(f"ratio {o / b:.2f}x (budget 1.6x)")


if __name__ == "__main__":
    main()
