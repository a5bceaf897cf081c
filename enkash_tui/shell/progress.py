"""A progress bar for long shell work (every page of a search, a batch's look-ups, an upload),
drawn on stderr and only when stderr is a terminal: a pipe, a log file or cron's mail gets none
of it, and stdout carries only the rows."""

from __future__ import annotations

import shutil
import sys
import time
from types import TracebackType
from typing import TextIO

BAR = 24  # cells of the bar itself
EVERY = 0.1  # seconds between redraws: a fast loop does not spend its time drawing


class Progress:
    """``with Progress("Reading invoices") as progress: progress.update(done, total)``.

    Nothing is drawn until the first ``update``, so work done in one step shows none. With no
    total (an upload EnKash answers in one go) it says only what it is doing. The line is
    cleared when the work ends, so what is printed after it starts on a clean line."""

    def __init__(self, what: str, stream: TextIO | None = None) -> None:
        self.what = what
        self.stream = stream or sys.stderr
        self.shown = self.stream.isatty()
        self._drawn = False
        self._last = 0.0

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.clear()

    def update(self, done: int, total: int | None = None) -> None:
        if not self.shown:
            return
        now = time.monotonic()
        if self._drawn and now - self._last < EVERY and done != total:
            return
        self._last = now
        self._draw(line(self.what, done, total))

    def clear(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False

    def _draw(self, text: str) -> None:
        width = shutil.get_terminal_size((80, 24)).columns - 1
        self.stream.write("\r" + text[:width] + "\x1b[K")
        self.stream.flush()
        self._drawn = True


def line(what: str, done: int, total: int | None) -> str:
    """``Reading invoices ━━━━━━━╸────────  1,000 / 2,345`` (``Uploading x.csv…`` unknown)."""
    if not total:
        return f"{what}…" + (f" {done:,}" if done else "")
    filled = min(BAR, BAR * done // total)
    bar = "━" * filled + "─" * (BAR - filled)
    return f"{what} {bar} {done:,} / {total:,}"
