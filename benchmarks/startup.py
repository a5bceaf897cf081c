"""Launch to first paint: ``enkash-tui`` and ``enkash-tui --sandbox`` to their sign-in screen,
beside a bare Textual app measured in the same run.

    python -m benchmarks.startup [--runs 12]

Each program runs in a fresh pseudo-terminal (80x24) and the clock stops when its text appears
on the screen: for enkash-tui, the sign-in screen's first frame (the form drawn as one picture)
and then the form taking keys (its fields and the footer listing their keys replace the
picture). ``--sandbox`` uses a database seeded before the runs (as a newcomer's second start).
Budget (issue 17): the first frame of both within 1.4x of the bare app.
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
BUDGET = 1.4  # the first frame's, against the bare app's
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]")


def time_to_text(
    argv: list[str], texts: list[str], env: dict[str, str], timeout: float = 30.0
) -> list[float]:
    """Seconds from spawning ``argv`` in a pty until each of ``texts`` shows in its output, in
    turn."""
    began = time.perf_counter()
    times: list[float] = []
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
            while len(times) < len(texts) and texts[len(times)] in seen:
                times.append(time.perf_counter() - began)
            if len(times) == len(texts):
                return times
        raise RuntimeError(f"{argv[0]} never showed {texts[len(times)]!r}")
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
    # The sign-in screen's first frame, then the form taking keys: the footer that lists them
    # comes with the fields, just after the first paint.
    signed = ["Sign in to EnKash", "Show/hide secrets"]
    programs = {
        "bare Textual hello": (hello, ["Hello from Textual"]),
        "enkash-tui": (app, signed),
        "enkash-tui --sandbox": (sandbox, signed),
    }
    # Seed the sandbox's database first (a run is ended as soon as its form paints, before the
    # sandbox behind it has finished): measured runs are a newcomer's second start.
    from enkash_tui.sandbox.server import SandboxServer
    from enkash_tui.sandbox.settings import SandboxSettings

    SandboxServer(SandboxSettings(db_path=Path(sandbox[-1]))).conn.close()
    for argv, texts in programs.values():  # warm the file cache
        time_to_text(argv, texts, env, timeout=120)
    times: dict[str, list[list[float]]] = {name: [] for name in programs}
    for _ in range(args.runs):  # interleaved, so a busy moment costs each program alike
        for name, (argv, texts) in programs.items():
            times[name].append(time_to_text(argv, texts, env))
    bare = statistics.median(run[0] for run in times["bare Textual hello"])
    print(f"| program (80x24 pty, {args.runs} runs) | to | median ms | min ms | vs bare | budget |")
    print("|---|---|---:|---:|---:|---|")
    for name, runs in times.items():
        stages = ("first frame", "form takes keys") if len(runs[0]) > 1 else ("first frame",)
        for stage, column in zip(stages, zip(*runs, strict=True), strict=False):
            median = statistics.median(column)
            budget = "–"
            if stage == "first frame" and name != "bare Textual hello":
                budget = "within" if median <= BUDGET * bare else "OVER"
            print(
                f"| {name} | {stage} | {median * 1000:.0f} | {min(column) * 1000:.0f} "
                f"| {median / bare:.2f}x | {budget} |"
            )
    print(f"budget: the first frame within {BUDGET}x of the bare app")


if __name__ == "__main__":
    main()
