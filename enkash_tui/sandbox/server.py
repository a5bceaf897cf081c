"""Running the sandbox: in the foreground (``enkash-tui sandbox``) or on a background thread (the
tests, the benchmarks, and ``enkash-tui --sandbox``'s own process: ``sandbox/child.py``)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn

from enkash_tui.sandbox import db
from enkash_tui.sandbox.app import create_app
from enkash_tui.sandbox.seed import book as seed
from enkash_tui.sandbox.settings import SandboxSettings

log = logging.getLogger("enkash_tui.sandbox")


@dataclass(frozen=True)
class DemoLogin:
    """The fixed demo credentials, printed on start so anyone can sign in."""

    client_id: str = seed.DEMO_COMPANY_ID
    client_secret: str = seed.DEMO_CLIENT_SECRET
    username: str = seed.DEMO_USERNAME
    password: str = seed.DEMO_PASSWORD


DEMO = DemoLogin()


def open_database(settings: SandboxSettings) -> sqlite3.Connection:
    """Open the sandbox database, seeding it when new or when ``reset`` is asked for."""
    path = settings.db_path
    if settings.reset and str(path) != ":memory:":
        for suffix in ("", *db.COMPANIONS):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    conn = db.connect(path)
    if not db.is_seeded(conn):
        summary = seed.seed(
            conn, invoices=settings.invoices, customers=settings.customers, today=settings.today
        )
        db.analyze(conn)
        log.info("seeded %s customers and %s invoices", summary.customers, summary.invoices)
    conn.execute(
        "UPDATE companies SET encrypted = ? WHERE company_id = ?",
        (int(settings.encrypt), seed.DEMO_COMPANY_ID),
    )
    return conn


class SandboxServer:
    """A uvicorn server for the sandbox app that can run on a thread and report its URL."""

    def __init__(self, settings: SandboxSettings, conn: sqlite3.Connection | None = None) -> None:
        self.settings = settings
        self.conn = conn or open_database(settings)
        config = uvicorn.Config(
            create_app(settings, self.conn),
            host=settings.host,
            port=settings.port,
            log_level="warning",
            access_log=False,
            lifespan="on",  # starts and stops the simulated buyer (settings.buyer_every)
            # Longer than httpx keeps an idle connection (5 s), so the client always lets go
            # first: with both at 5 s, a request sent just as the server closes the connection
            # is lost, and a change then reads as "reply lost, outcome unknown".
            timeout_keep_alive=30,
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        sockets = self._server.servers[0].sockets if self._server.servers else []
        port = sockets[0].getsockname()[1] if sockets else self.settings.port
        host = self.settings.host
        return f"http://{'[' + host + ']' if ':' in host else host}:{port}"

    def serve_forever(self) -> None:
        """Block until Ctrl-C."""
        self._server.run()

    def start(self, timeout: float = 15.0, sockets: list[socket.socket] | None = None) -> str:
        """Serve on a daemon thread; return the base URL once it accepts connections. With
        ``sockets``, serve on those (already bound and listening) instead of binding a port."""
        self._thread = threading.Thread(
            target=self._serve, args=(sockets,), name="enkash-sandbox", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(
                    f"the sandbox did not start on {self.settings.host}:{self.settings.port} "
                    "(is that port taken?)"
                )
            time.sleep(0.02)
        return self.url

    def _serve(self, sockets: list[socket.socket] | None) -> None:
        # uvicorn ends a server that cannot bind its port with SystemExit: on this thread that
        # only means "not started", which start() reports.
        with contextlib.suppress(SystemExit):
            asyncio.run(self._server.serve(sockets=sockets))

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.conn.close()
