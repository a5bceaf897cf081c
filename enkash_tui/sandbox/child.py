"""The ``--sandbox`` server's own process (``python -m enkash_tui.sandbox.child``).

The app starts it once the sign-in screen has painted (``starter.SandboxProcess``), so the
sandbox's imports, seeding and every search it answers run on another interpreter and never hold
the UI's GIL.

What passes between the two:
- the listening socket, inherited as a file descriptor: the app bound it, so it knew the port
  (and showed the address) before this process existed;
- stdin: one JSON line of settings, then nothing: end of file means the app has gone (ended,
  crashed or killed), and the sandbox ends with it;
- stdout: one JSON line, ``{"ready": true, "notice": ...}`` or ``{"error": "..."}``.

Its stderr goes nowhere a person sees: the terminal belongs to the app's screen.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import socket
import sys
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any, TextIO

from enkash_tui.sandbox.settings import SandboxSettings


def spec_of(
    settings: SandboxSettings, fd: int, asked_invoices: int | None, asked_customers: int | None
) -> str:
    """The one line the app writes to the child's stdin."""
    values = asdict(settings)
    values["db_path"] = str(settings.db_path)
    values["today"] = settings.today.isoformat() if settings.today else None
    return json.dumps({"settings": values, "fd": fd, "asked": [asked_invoices, asked_customers]})


def settings_of(values: dict[str, Any]) -> SandboxSettings:
    known = {f.name for f in fields(SandboxSettings)}
    values = {k: v for k, v in values.items() if k in known}
    values["db_path"] = Path(values["db_path"])
    if values.get("today"):
        values["today"] = dt.date.fromisoformat(values["today"])
    return SandboxSettings(**values)


def _say(out: TextIO, **message: object) -> None:
    out.write(json.dumps(message) + "\n")
    out.flush()


def main(stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    spec = json.loads(stdin.readline())
    try:
        # Imported here: a spec that cannot be read fails before the server libraries load.
        from enkash_tui.sandbox.command import kept_book
        from enkash_tui.sandbox.server import SandboxServer

        settings = settings_of(spec["settings"])
        listening = socket.socket(fileno=spec["fd"])
        server = SandboxServer(settings)
        invoices, customers = spec["asked"]
        notice = kept_book(argparse.Namespace(invoices=invoices, customers=customers), server)
        server.start(sockets=[listening])
    except Exception as error:  # whatever it was, the app tells the user in words
        _say(stdout, error=str(error) or type(error).__name__)
        return 1
    _say(stdout, ready=True, notice=notice)
    stdin.read()  # blocks until the app closes its end (or is gone)
    server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
