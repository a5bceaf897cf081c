"""What ``--sandbox``'s own process has to say once it answers, or why it could not start: told
as a notification (and, for a failure, beside the address when Enter is pressed: the login)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

from textual.app import App

if TYPE_CHECKING:
    from enkash_tui.sandbox.starter import SandboxProcess


def tell_when_ready(app: App[Any], sandbox: SandboxProcess) -> None:
    def ready() -> None:
        # On the thread that waits for the sandbox: a posted callback, which never waits for
        # the app (it may have ended meanwhile, and then there is nobody left to tell).
        with contextlib.suppress(Exception):
            app.call_later(_say, app, sandbox)

    sandbox.when_ready(ready)


def _say(app: App[Any], sandbox: SandboxProcess) -> None:
    if sandbox.error:
        app.notify(
            f"The sandbox did not start: {sandbox.error}",
            title="Sandbox",
            severity="error",
            timeout=30,
            markup=False,
        )
    elif sandbox.notice:
        app.notify(sandbox.notice, title="Sandbox", severity="warning", timeout=20, markup=False)
