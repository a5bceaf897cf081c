"""Command line: argument parsing only. Builds settings and hands over to the app or sandbox."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__

if TYPE_CHECKING:  # the sandbox's server libraries load only when a sandbox is asked for
    from .sandbox.settings import SandboxSettings

# From the command line the simulated buyer acts every 45 s, so a person sees the Bharat Connect
# queues move; SandboxSettings itself (tests, benchmarks) keeps it off.
DEFAULT_BUYER_EVERY = 45.0
BUYER_EVERY_ENV = "ENKASH_SANDBOX_BUYER_EVERY"


def _add_sandbox_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("sandbox data and faults")
    group.add_argument("--db", type=Path, help="sandbox database file (default: user data dir)")
    group.add_argument("--reset", action="store_true", help="throw the data away and re-seed")
    group.add_argument("--invoices", type=int, help="invoices to seed (default 5000)")
    group.add_argument("--customers", type=int, help="customers to seed (default 200)")
    group.add_argument("--latency-ms", type=float, help="added to every API call")
    group.add_argument("--failure-rate", type=float, help="share of calls failing 500/503 (0-1)")
    group.add_argument("--rate-limit", type=float, help="calls per second per token before 429")
    group.add_argument("--token-ttl", type=int, help="token lifetime in seconds")
    group.add_argument("--lockout-seconds", type=int, help="lock after 3 failed sign-ins")
    group.add_argument(
        "--token-shape", choices=("snake", "camel", "envelope"), help="token reply format"
    )
    group.add_argument(
        "--encrypt", action="store_true", default=None, help="AES payload encryption"
    )
    group.add_argument(
        "--buyer-every",
        type=float,
        metavar="SECONDS",
        help="a simulated buyer acts on a Bharat Connect invoice this often "
        f"(default {DEFAULT_BUYER_EVERY:g}; 0 turns it off)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="enkash-tui",
        description="Terminal dashboard for the EnKash Accounts Receivable API.",
    )
    parser.add_argument("--version", action="version", version=f"enkash-tui {__version__}")
    parser.add_argument("--profile", help="connection profile from the config file")
    parser.add_argument(
        "--config",
        type=Path,
        help="config file (default: ENKASH_TUI_CONFIG or the user config dir)",
    )
    parser.add_argument(
        "--readonly", action="store_true", help="hide and refuse every change to EnKash data"
    )
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="start a local sandbox server and open the app with its demo login filled in",
    )
    _add_sandbox_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    serve = commands.add_parser("sandbox", help="run the sandbox server in the foreground")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    serve.add_argument("--port", type=int, default=8765)
    _add_sandbox_options(serve)
    config = commands.add_parser("config", help="where the config file lives")
    config.add_argument("what", choices=("path",), help="path: print the config file's path")
    return parser


def sandbox_settings(args: argparse.Namespace, *, host: str, port: int) -> SandboxSettings:
    """The sandbox options given on the command line, over ``ENKASH_SANDBOX_*`` variables."""
    from .sandbox.settings import SandboxSettings

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


def run_sandbox(args: argparse.Namespace) -> int:
    from .sandbox.server import DEMO, SandboxServer

    settings = sandbox_settings(args, host=args.host, port=args.port)
    if settings.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving demo data beyond this machine on {settings.host}", file=sys.stderr)
    print(f"Preparing sandbox data in {settings.db_path} …", flush=True)
    server = SandboxServer(settings)
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


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "sandbox":
        return run_sandbox(args)
    if args.command == "config":
        from .config import config_path

        print(config_path())
        return 0
    from .launch import launch_app

    return launch_app(args)
