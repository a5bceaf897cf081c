"""What every shell change does before it sends anything (refused in a read-only session, asked
on a terminal or given ``--yes``), and the exit code its outcomes come to."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from enkash_tui.shell import EXIT_FAILED, EXIT_OK, EXIT_PARTLY, EXIT_UNKNOWN
from enkash_tui.shell.signin import UsageError, ask

if TYPE_CHECKING:
    from enkash_tui.api.client import EnkashClient


def refused_read_only(client: EnkashClient, what: str) -> bool:
    """True (and said) when the session may not change anything."""
    if not client.readonly:
        return False
    print(f"enkash-tui: {what} changes data, and this session is read-only; nothing sent",
          file=sys.stderr)  # fmt: skip
    return True


def confirmed(args: argparse.Namespace, question: str, *said: str) -> bool:
    """``--yes``, or the person at the terminal answers yes to ``question`` (after ``said``);
    UsageError when nobody is there to ask."""
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise UsageError("a change needs --yes when no one is at a terminal to confirm it")
    for line in said:
        print(line, file=sys.stderr)
    if ask(question).strip().lower() in ("y", "yes"):
        return True
    print("Nothing sent.", file=sys.stderr)
    return False


def exit_code(failed: int, total: int, *, unknown: bool = False) -> int:
    """4 when an outcome is unknown; else 0 none failed, 1 all failed, 3 some failed."""
    if unknown:
        return EXIT_UNKNOWN
    if not failed:
        return EXIT_OK
    return EXIT_FAILED if failed == total else EXIT_PARTLY


class HasOutcome(Protocol):
    @property
    def outcome(self) -> str: ...  # done | failed | unknown


def exit_code_of(report: Sequence[HasOutcome]) -> int:
    """The exit code a report's outcomes come to."""
    failed = sum(1 for line in report if line.outcome == "failed")
    return exit_code(failed, len(report), unknown=any(o.outcome == "unknown" for o in report))
