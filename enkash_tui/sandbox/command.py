"""The ``enkash-tui sandbox`` command, and the sandbox settings a command line asks for
(``--sandbox`` builds them here too): argv -> ``SandboxSettings`` -> a running server. Light to
import: the server libraries load in ``run_sandbox``."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING

from enkash_tui.sandbox.settings import SandboxSettings

if TYPE_CHECKING:  # the server libraries load only when a sandbox runs
    from enkash_tui.sandbox.server import SandboxServer

# From the command line the simulated buyer acts every 45 s, so a person sees the Bharat Connect
# queues move; SandboxSettings itself (tests, benchmarks) keeps it off.
DEFAULT_BUYER_EVERY = 45.0
BUYER_EVERY_ENV = "ENKASH_SANDBOX_BUYER_EVERY"


def sandbox_settings(args: argparse.Namespace, *, host: str, port: int) -> SandboxSettings:
    """The sandbox options given on the command line, over ``ENKASH_SANDBOX_*`` variables."""
    return SandboxSettings.from_env(
        host=host,
        port=port,
        db_path=args.db,
        reset=args.reset or None,
        invoices=args.invoices,
        customers=args.customers,
        latency_ms=args.latency_ms,
        failure_rate=args.failure_rate,
        rate_limit=args.rate_limit,
        token_ttl=args.token_ttl,
        lockout_seconds=args.lockout_seconds,
        token_shape=args.token_shape,
        encrypt=args.encrypt,
        buyer_every=_buyer_every(args),
    )


def _buyer_every(args: argparse.Namespace) -> float | None:
    """The flag, else ``ENKASH_SANDBOX_BUYER_EVERY`` (None: let the settings read it), else 45."""
    if args.buyer_every is not None:
        if args.buyer_every < 0:
            raise SystemExit("enkash-tui: --buyer-every must be 0 (off) or a number of seconds")
        return float(args.buyer_every)
    return None if os.environ.get(BUYER_EVERY_ENV) else DEFAULT_BUYER_EVERY


def kept_book(args: argparse.Namespace, server: SandboxServer) -> str | None:
    """When ``--invoices`` or ``--customers`` asks for another size than the database already
    holds (it is kept, not re-seeded): the words saying so, and how to re-seed."""
    from enkash_tui.sandbox import db
    from enkash_tui.sandbox_demo import DEMO_CLIENT_ID

    invoices, customers = db.book_size(server.conn, DEMO_CLIENT_ID)
    asked = [
        f"--{flag} {wanted:,}"
        for flag, wanted, held in (
            ("invoices", args.invoices, invoices),
            ("customers", args.customers, customers),
        )
        if wanted is not None and wanted != held
    ]
    if not asked:
        return None
    return (
        f"The sandbox database {server.settings.db_path} already holds {invoices:,} invoices "
        f"and {customers:,} customers, so {' and '.join(asked)} did not apply. Add --reset to "
        "seed a new book of that size (the sandbox's data, your changes to it included, is "
        "thrown away)."
    )


def run_sandbox(args: argparse.Namespace) -> int:
    from enkash_tui.sandbox.server import DEMO, SandboxServer

    settings = sandbox_settings(args, host=args.host, port=args.port)
    if settings.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving demo data beyond this machine on {settings.host}", file=sys.stderr)
    print(f"Preparing sandbox data in {settings.db_path} …", flush=True)
    server = SandboxServer(settings)
    notice = kept_book(args, server)
    if notice:
        print(notice, file=sys.stderr, flush=True)
    print(
        f"EnKash sandbox on http://{settings.host}:{settings.port}\n"
        f"  client id      {DEMO.client_id}\n"
        f"  client secret  {DEMO.client_secret}\n"
        f"  username       {DEMO.username}\n"
        f"  password       {DEMO.password}\n"
        f"{_buyer_line(settings.buyer_every)}"
        "Ctrl-C stops it.",
        flush=True,
    )
    server.serve_forever()
    return 0


def _buyer_line(every: float) -> str:
    if every <= 0:
        return "Simulated buyer: off.\n"
    return f"Simulated buyer: acts every {every:g} s (--buyer-every 0 turns it off).\n"
