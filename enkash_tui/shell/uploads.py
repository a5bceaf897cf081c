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
from enkash_tui.domain.formatting import count
from enkash_tui.shell import EXIT_FAILED, EXIT_UNKNOWN
from enkash_tui.shell.consent import confirmed, exit_code, refused_read_only
from enkash_tui.shell.output import print_rows
from enkash_tui.shell.progress import Progress
from enkash_tui.shell.signin import UsageError

if TYPE_CHECKING:
    from enkash_tui.api.client import EnkashClient

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
        print(f"enkash-tui: {count(len(check.problems), 'problem')} in {path.name}; nothing sent",
              file=sys.stderr)  # fmt: skip
        print_rows(args.format, PROBLEM_COLUMNS, check.problems)
        return EXIT_FAILED
    if refused_read_only(client, "an upload"):
        return EXIT_FAILED
    question = f"{kind.title}: {check.rows:,} {kind.noun} from {path.name}? [y/N] "
    if not confirmed(args, question):
        return EXIT_FAILED
    try:
        with Progress(f"Uploading {check.rows:,} {kind.noun} from {path.name}") as progress:
            progress.update(0)
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
    print_rows(args.format, RESULT_COLUMNS, lines)
    return exit_code(sum(1 for line in lines if line.outcome == "refused"), len(lines))
