"""Launch to first paint: ``enkash-tui`` and ``enkash-tui --sandbox`` to their sign-in screen,
beside a bare Textual app measured in the same run.

    python -m benchmarks.startup [--runs 12]

Each program runs in a fresh pseudo-terminal (80x24) and the clock stops when its text appears
on the screen. ``--sandbox`` uses a database seeded before the runs (as a newcomer's second
start). Budget (issue 17): both within 1.4x of the bare app.
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
from pathlib import Path

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
    parser.add_argument("--runs", type=int, default=12)
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
    sandbox = [*app, "--sandbox", "--db", os.path.join(folder, "sandbox.db")]
    programs = {
        "bare Textual hello": (hello, "Hello from Textual"),
        "enkash-tui to sign-in screen": (app, "Sign in to EnKash"),
        "enkash-tui --sandbox to sign-in screen": (sandbox, "Sign in to EnKash"),
    }
    # Seed the sandbox's database first (a run is ended as soon as its form paints, before the
    # sandbox behind it has finished): measured runs are a newcomer's second start.
    from enkash_tui.sandbox.server import SandboxServer
    from enkash_tui.sandbox.settings import SandboxSettings

    SandboxServer(SandboxSettings(db_path=Path(sandbox[-1]))).conn.close()
    for argv, text in programs.values():  # warm the file cache
        time_to_text(argv, text, env, timeout=120)
    times: dict[str, list[float]] = {name: [] for name in programs}
    for _ in range(args.runs):  # interleaved, so a busy moment costs each program alike
        for name, (argv, text) in programs.items():
            times[name].append(time_to_text(argv, text, env))
    bare = statistics.median(times["bare Textual hello"])
    print(f"| program (80x24 pty, {args.runs} runs) | median ms | min ms | vs bare |")
    print("|---|---:|---:|---:|")
    for name, runs in times.items():
        median = statistics.median(runs)
        print(f"| {name} | {median * 1000:.0f} | {min(runs) * 1000:.0f} | {median / bare:.2f}x |")
    print("budget: within 1.4x of the bare app")


if __name__ == "__main__":
    main()
