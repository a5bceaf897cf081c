"""``enkash-tui log``: the action log, newest first, every change the app and these commands made
from this machine. Reads the file only: no sign-in, no client."""

from __future__ import annotations

import argparse
import datetime as dt

from enkash_tui.domain.csv_safety import Column, number, text
from enkash_tui.local.action_log import ActionLog
from enkash_tui.local.log_entries import Entry
from enkash_tui.shell.output import print_rows
from enkash_tui.shell.signin import UsageError

TABLE = ("At", "Operation", "Outcome", "Targets", "Message")


def log_columns() -> tuple[Column[Entry], ...]:
    return (
        text("At", lambda e: e.at.isoformat(timespec="seconds")),
        text("Operation", lambda e: e.operation),
        text("Outcome", lambda e: e.outcome),
        text("Profile", lambda e: e.profile),
        text("User", lambda e: e.user),
        text("Targets", lambda e: " ".join(e.target_ids)),
        number("Done", lambda e: e.done),
        number("Failed", lambda e: e.failed),
        text("Message", lambda e: e.counts_text or e.message),
        text("Upload", lambda e: e.upload),
    )


def show_log(args: argparse.Namespace) -> int:
    entries = ActionLog().read(limit=None)
    if args.outcome:
        entries = [e for e in entries if e.outcome == args.outcome]
    if args.since:
        try:
            since = dt.date.fromisoformat(args.since)
        except ValueError:
            raise UsageError("--since: use yyyy-mm-dd, e.g. 2026-12-01") from None
        entries = [e for e in entries if e.at.astimezone().date() >= since]  # the local day
    print_rows(args.format, log_columns(), entries[: args.limit] if args.limit else entries, TABLE)
    return 0
