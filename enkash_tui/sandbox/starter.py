"""``--sandbox``: the sandbox in its own process, started once the sign-in screen has painted.

On a thread of the app's interpreter, every search the sandbox answered competed with the
screen for the GIL; in a process of its own it runs beside the app instead. The app binds the
loopback port itself and hands the listening socket over, so the address is known (and shown on
the sign-in form) at once, nothing else can take the port meanwhile, and a connection made
before the child serves waits in the backlog instead of being refused. The child imports the
server libraries, opens or seeds the database, and says it is ready (``sandbox/child.py``).
Signing in waits for ``ready``. The child ends with the app, however the app ends: its stdin is
the app's end of a pipe.
"""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Sequence
from typing import IO

from enkash_tui.sandbox.settings import SandboxSettings

CHILD = (sys.executable, "-m", "enkash_tui.sandbox.child")
STOP_WAIT = 5.0  # seconds the child has to close its database before it is killed


def listening_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    try:
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind((host, port))
        listening.listen(128)
    except OSError:
        listening.close()
        raise
    listening.set_inheritable(True)
    return listening


class SandboxProcess:
    """The sandbox's process: ``start`` it, wait on ``ready``, read ``error`` and ``notice``."""

    def __init__(
        self,
        settings: SandboxSettings,
        *,
        asked: tuple[int | None, int | None] = (None, None),
        program: Sequence[str] = CHILD,
    ) -> None:
        self.settings = settings
        self._asked = asked  # --invoices / --customers as given, for the kept-book notice
        self._program = list(program)
        self.ready = threading.Event()  # set once it answers, or once it failed to
        self.error: str | None = None  # why it did not start
        self.notice: str | None = None  # something to tell the user (e.g. the book was kept)
        self._waiting: list[Callable[[], object]] = []
        self._lock = threading.Lock()
        self._child: subprocess.Popen[str] | None = None
        port = settings.port
        try:
            self._socket: socket.socket | None = listening_socket(settings.host, port)
            port = self._socket.getsockname()[1]
        except OSError as error:
            self._socket = None
            self._finish(error=f"cannot listen on {settings.host}:{port} ({error.strerror})")
        host = settings.host
        self.url = f"http://{'[' + host + ']' if ':' in host else host}:{port}"

    def start(self) -> None:
        """Start the child (once; a second call does nothing)."""
        with self._lock:
            listening, self._socket = self._socket, None
        if listening is None:
            return
        from enkash_tui.sandbox.child import spec_of

        fd = listening.fileno()
        try:
            child = subprocess.Popen(
                self._program,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,  # the terminal is the app's screen
                pass_fds=(fd,),
                start_new_session=True,  # the terminal's signals are the app's to handle
                text=True,
            )
        except OSError as error:
            self._finish(error=f"could not run {self._program[0]} ({error.strerror})")
            return
        finally:
            listening.close()  # the child holds its own copy
        self._child = child
        assert child.stdin is not None and child.stdout is not None
        with contextlib.suppress(OSError):  # a child already gone says so on stdout
            child.stdin.write(spec_of(self.settings, fd, *self._asked) + "\n")
            child.stdin.flush()
        threading.Thread(
            target=self._await_word, args=(child, child.stdout), name="enkash-sandbox-wait",
            daemon=True,
        ).start()  # fmt: skip

    def when_ready(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once it answers or failed to (now, if it already has; else on
        the thread that waits for it)."""
        with self._lock:
            if not self.ready.is_set():
                self._waiting.append(callback)
                return
        callback()

    def _await_word(self, child: subprocess.Popen[str], out: IO[str]) -> None:
        # Whatever the child says (or does not), ready is set: signing in waits on it.
        error: str | None = "it said something other than ready"
        notice: str | None = None
        try:
            word = json.loads(out.readline() or "null")
            if isinstance(word, dict) and word.get("ready"):
                error, notice = None, word.get("notice")
            elif isinstance(word, dict):
                error = str(word.get("error") or "no reason given")
            elif word is None:  # nothing said: it ended
                try:
                    error = f"its process ended (exit code {child.wait(timeout=STOP_WAIT)})"
                except subprocess.TimeoutExpired:
                    error = "its process closed its output and did not end"
        except (ValueError, OSError):
            pass  # the error above: not a word it knows
        finally:
            self._finish(error=error, notice=notice)

    def _finish(self, *, error: str | None = None, notice: str | None = None) -> None:
        self.error, self.notice = error, notice
        with self._lock:
            self.ready.set()
            waiting, self._waiting = self._waiting, []
        for callback in waiting:
            with contextlib.suppress(Exception):  # one that fails leaves the others told
                callback()

    def stop(self) -> None:
        """End the child: it sees its stdin close, closes its database and exits."""
        with self._lock:
            listening, self._socket = self._socket, None
        if listening is not None:  # never started
            listening.close()
        child = self._child
        if child is None:
            return
        with contextlib.suppress(OSError):
            if child.stdin is not None:
                child.stdin.close()
        try:
            child.wait(timeout=STOP_WAIT)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
        if child.stdout is not None:
            child.stdout.close()
