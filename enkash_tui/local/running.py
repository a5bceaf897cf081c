"""Which process wrote a line, and whether it still runs: a pending action-log entry whose
writer is gone will never be completed (the app was killed, or the machine lost power)."""

from __future__ import annotations

import os
import socket
from pathlib import Path


def _stat(pid: int) -> list[str]:
    """``/proc/<pid>/stat`` from field 3 (the state) on, or [] where there is none (not Linux,
    or no such process)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return []
    # The command name (field 2) is in parentheses and may hold spaces: split after it.
    return stat.rsplit(")", 1)[-1].split()


def _started(fields: list[str]) -> str:
    """The start time (clock ticks since boot) in a stat line, or "" where unknown: with the
    pid it tells a process apart from a later one that was given the same pid."""
    return fields[19] if len(fields) > 19 else ""


def this_process() -> str:
    """``host/pid/start``, for the lines this process writes."""
    pid = os.getpid()
    return f"{socket.gethostname()}/{pid}/{_started(_stat(pid))}"


def still_running(mark: str) -> bool:
    """Whether the process ``mark`` names runs now. A process on another host cannot be asked,
    so it counts as gone: its entries then read as unknown, which errs on the side of checking."""
    parts = mark.rsplit("/", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname() or not parts[1].isdigit():
        return False
    pid, started = int(parts[1]), parts[2]
    if pid == os.getpid():
        return mark == this_process()
    if os.name != "posix":
        return False  # os.kill would end the process there, not ask about it
    fields = _stat(pid)
    if fields and fields[0] in ("Z", "X"):
        return False  # dead, not yet reaped by its parent
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, run by another user
    except OSError:
        return False
    # Where start times are known, a different one is a new process given the same pid.
    return not started or not fields or started == _started(fields)
