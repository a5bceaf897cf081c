"""``invoices upload FILE`` and ``customers upload FILE [--update]``: a bulk file checked here row
by row first (``domain.bulk``, as the app's upload dialog checks it), then sent, then EnKash's
answer printed a row each (``row, reference, outcome, id, reason``).

A file with problems is not sent: its problems are printed, a row each (exit 1). A reply lost on
the way is never sent again (exit 4, with what to check first). Exit 0 when every row was
applied, 3 when some were refused, 1 when all were.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from enkash_tui.api import NetworkError
from enkash_tui.domain.bulk import (
    CUSTOMERS_CREATE,
    CUSTOMERS_UPDATE,
    INVOICES,
    RESULT_COLUMNS,
    RowProblem,
    result_lines,
)
from enkash_tui.domain.bulk import check_file as check_bulk_file
from enkash_tui.domain.csv_safety import Column, number, text
from enkash_tui.shell.output import RowWriter
from enkash_tui.shell.signin import UsageError, ask

if TYPE_CHECKING:
    from enkash_tui.api.client import EnkashClient

EXIT_OK, EXIT_FAILED, EXIT_PARTLY, EXIT_UNKNOWN = 0, 1, 3, 4
PROBLEM_COLUMNS: tuple[Column[RowProblem], ...] = (
    number("row", lambda p: p.row),
    text("column", lambda p: p.column),
    text("problem", lambda p: p.message),
)


async def upload(client: EnkashClient, args: argparse.Namespace) -> int:
    if args.command == "invoices":
        kind = INVOICES
    else:
        kind = CUSTOMERS_UPDATE if args.update else CUSTOMERS_CREATE
    path = Path(args.file)
    check = check_bulk_file(path, kind)
    if check.file_error:
        print(f"enkash-tui: {check.file_error}; nothing sent", file=sys.stderr)
        return EXIT_FAILED
    if check.problems:
        print(f"enkash-tui: {len(check.problems)} problems in {path.name}; nothing sent",
              file=sys.stderr)  # fmt: skip
        problems = RowWriter(args.format, PROBLEM_COLUMNS)
        problems.write(check.problems)
        problems.close()
        return EXIT_FAILED
    if client.readonly:
        print("enkash-tui: an upload changes data, and this session is read-only; nothing sent",
              file=sys.stderr)  # fmt: skip
        return EXIT_FAILED
    if not args.yes:
        if not sys.stdin.isatty():
            raise UsageError("a change needs --yes when no one is at a terminal to confirm it")
        question = f"{kind.title}: {check.rows:,} {kind.noun} from {path.name}? [y/N] "
        if ask(question).strip().lower() not in ("y", "yes"):
            print("Nothing sent.", file=sys.stderr)
            return EXIT_FAILED
    try:
        result = await kind.upload(client, path)
    except ValueError as error:  # what only the profile can give (a company id)
        raise UsageError(str(error)) from None
    except NetworkError as error:
        if not error.may_have_reached_server:
            raise
        print(f"enkash-tui: outcome unknown: {error}. Search EnKash for the {kind.noun} in "
              f"{path.name} before uploading it again.", file=sys.stderr)  # fmt: skip
        return EXIT_UNKNOWN
    lines = result_lines(result, kind, check.references)
    writer = RowWriter(args.format, RESULT_COLUMNS)
    writer.write(lines)
    writer.close()
    refused = sum(1 for line in lines if line.outcome == "refused")
    if not refused:
        return EXIT_OK
    return EXIT_FAILED if refused == len(lines) else EXIT_PARTLY
