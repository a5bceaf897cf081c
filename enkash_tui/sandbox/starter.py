"""``--sandbox`` without a wait: the sign-in screen paints first and the sandbox starts behind it.

Its address is known at once (a loopback port found free just before), so the
form can show it; the server itself (importing Starlette and uvicorn, opening or seeding the
database) starts on a thread once the first frame is up. Signing in waits for ``ready``.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from enkash_tui.sandbox.settings import SandboxSettings

if TYPE_CHECKING:
    from enkash_tui.sandbox.server import SandboxServer


def free_port(host: str = "127.0.0.1") -> int:
    """A port nobody listens on now (the sandbox takes it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
        return port


class BackgroundSandbox:
    def __init__(
        self,
        settings: SandboxSettings,
        notice: Callable[[SandboxServer], str | None] | None = None,
    ) -> None:
        if not settings.port:
            settings = replace(settings, port=free_port(settings.host))
        self.settings = settings
        self.url = f"http://{settings.host}:{settings.port}"
        self._notice = notice
        self.ready = threading.Event()  # set once it answers, or once it failed to
        self.error: str | None = None  # why it did not start
        self.notice: str | None = None  # something to tell the user (e.g. the book was kept)
        self.server: SandboxServer | None = None
        self._stopped = False

    def start(self, done: Callable[[], object] | None = None) -> None:
        """Start on a thread; ``done`` is called (on that thread) when it answers or failed."""

        def run() -> None:
            try:
                from enkash_tui.sandbox.server import SandboxServer

                server = SandboxServer(self.settings)
                server.start()
                self.server = server
                if self._stopped:  # the app ended while it was starting
                    server.stop()
            except Exception as error:  # whatever it was, the user is told in words
                self.error = str(error) or type(error).__name__
            else:
                if self._notice is not None and not self._stopped:
                    try:
                        self.notice = self._notice(server)
                    except Exception:  # a notice that fails says nothing; the sandbox runs
                        self.notice = None
            finally:
                self.ready.set()
                if done is not None:
                    done()

        threading.Thread(target=run, name="enkash-sandbox-start", daemon=True).start()

    def stop(self) -> None:
        self._stopped = True
        if self.server is not None:
            self.server.stop()
