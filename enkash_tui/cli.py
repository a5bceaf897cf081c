"""Command line: argument parsing only. Builds settings and hands over to the app or sandbox."""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path

from enkash_tui import __version__
from enkash_tui.sandbox.command import DEFAULT_BUYER_EVERY  # light: no server libraries
from enkash_tui.shell.args import COMMANDS as SHELL_COMMANDS
from enkash_tui.shell.args import StrictParser, add_shell_commands


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


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line. Given the ``argv`` it will parse, and that names no shell command
    (the app's own start), the shell commands are listed by name only: the same parse and help,
    in a fraction of the time."""
    parser = StrictParser(
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
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=StrictParser)
    serve = commands.add_parser("sandbox", help="run the sandbox server in the foreground")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default loopback)")
    serve.add_argument("--port", type=int, default=8765)
    _add_sandbox_options(serve)
    config = commands.add_parser("config", help="where the config file lives")
    config.add_argument("what", choices=("path",), help="path: print the config file's path")
    add_shell_commands(
        commands, names_only=argv is not None and not set(argv) & set(SHELL_COMMANDS)
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(words).parse_args(words)
    if args.command == "sandbox":
        from enkash_tui.sandbox.command import run_sandbox

        return run_sandbox(args)
    if args.command in SHELL_COMMANDS:
        from enkash_tui.shell import run

        return run(args)
    if args.command == "config":
        from enkash_tui.local.locations import config_path

        print(config_path())
        return 0
    # No garbage collections while the app loads (a start would spend a tenth of its time in
    # them, over objects that all live on): the app turns them back on at its first frame.
    gc.disable()
    from enkash_tui.launch import launch_app

    return launch_app(args)
