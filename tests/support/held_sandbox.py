"""The ``--sandbox`` child, held back until a file appears: a test starts it through
``SandboxProcess(program=held(release))`` to see the app wait for a sandbox still starting."""

from __future__ import annotations

import sys
import time
from pathlib import Path

HOLD_AT_MOST = 60.0  # seconds: a test that never releases it leaves no process behind


def held(release: Path) -> list[str]:
    """The command line of a child that starts once ``release`` exists."""
    return [sys.executable, __file__, str(release)]


if __name__ == "__main__":
    from enkash_tui.sandbox.child import main

    release, deadline = Path(sys.argv[1]), time.monotonic() + HOLD_AT_MOST
    while not release.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    raise SystemExit(main())
