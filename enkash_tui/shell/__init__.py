"""The app from the shell, for cron jobs and pipes: ``enkash-tui invoices search|get|dispatch|
delete-collection|upload``, ``customers find|get|contacts|activate|deactivate|delete|upload``,
``reminders list|add|edit|delete``, ``bc queue|confirm|status``, ``log``. The same client,
profiles and action log as the app, and never Textual: a command is done in a fraction of a
second.

Exit codes: 0 ok, 1 failed (EnKash refused or could not be reached), 2 usage (a bad option, a
missing secret), 3 partly failed, 4 outcome unknown (a change whose reply never came).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse
    from collections.abc import Awaitable, Callable

    from enkash_tui.api.client import EnkashClient

    Command = Callable[[EnkashClient, argparse.Namespace], Awaitable[int]]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_PARTLY, EXIT_UNKNOWN = 0, 1, 2, 3, 4


def run(args: argparse.Namespace) -> int:
    """Run the shell command ``args`` names; its exit code."""
    import asyncio

    from enkash_tui.shell.args import with_defaults
    from enkash_tui.shell.output import default_format
    from enkash_tui.shell.signin import UsageError

    args = with_defaults(args)
    args.format = args.format or default_format()
    try:
        if args.command == "log":
            from enkash_tui.shell.log import show_log

            return show_log(args)
        if args.command == "openapi":
            from enkash_tui.shell.openapi import print_openapi

            return print_openapi(args)
        return asyncio.run(_signed_in_run(args))
    except UsageError as error:
        print(f"enkash-tui: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `| head` on a read: the reader has what it wanted
        from enkash_tui.shell.output import reader_gone

        reader_gone()
        return EXIT_OK


# Each command's module and function: only that module is loaded, so a read does not pay for
# the changes' imports (uploads, batches) on every run.
RUNS = {
    ("invoices", "search"): ("reads", "invoices_search"),
    ("invoices", "get"): ("reads", "invoices_get"),
    ("invoices", "dispatch"): ("actions", "invoice_action"),
    ("invoices", "delete-collection"): ("actions", "invoice_action"),
    ("invoices", "upload"): ("uploads", "upload"),
    ("customers", "upload"): ("uploads", "upload"),
    ("customers", "find"): ("reads", "customers_find"),
    ("customers", "get"): ("reads", "customers_get"),
    ("customers", "contacts"): ("more_reads", "customer_contacts"),
    ("customers", "activate"): ("actions", "customer_action"),
    ("customers", "deactivate"): ("actions", "customer_action"),
    ("customers", "delete"): ("actions", "customer_action"),
    ("reminders", "list"): ("more_reads", "reminder_rules"),
    ("reminders", "add"): ("reminders", "add"),
    ("reminders", "edit"): ("reminders", "edit"),
    ("reminders", "delete"): ("reminders", "delete"),
    ("bc", "queue"): ("more_reads", "bc_queue"),
    ("bc", "confirm"): ("network", "confirm"),
    ("bc", "status"): ("network", "change_status"),
}


NAMES_INVOICES = {("invoices", "dispatch"), ("invoices", "delete-collection"),
                  ("bc", "confirm"), ("bc", "status")}  # fmt: skip


def _checked_before_sign_in(args: argparse.Namespace) -> None:
    """A bad option, list, rule or remark is said before signing in (UsageError)."""
    run = (args.command, args.action)
    if run == ("invoices", "search"):
        from enkash_tui.shell.reads import invoice_query

        invoice_query(args)
    if run in (("reminders", "add"), ("reminders", "edit")):
        from enkash_tui.shell.reminders import check_rule

        check_rule(args)
    if run in (("bc", "confirm"), ("bc", "status")):
        from enkash_tui.shell.network import check_remarks

        check_remarks(args.remarks)
    if run in NAMES_INVOICES:  # read the list (the file too) before signing in
        from enkash_tui.shell.invoice_names import named

        args.invoices = named(args)
        args.source = None


async def _signed_in_run(args: argparse.Namespace) -> int:
    from importlib import import_module

    from enkash_tui.api import EnkashError
    from enkash_tui.shell.signin import signed_in

    module, name = RUNS[(args.command, args.action)]
    command: Command = getattr(import_module(f"enkash_tui.shell.{module}"), name)
    _checked_before_sign_in(args)
    try:
        client, _profile, _username = await signed_in(args)
    except EnkashError as error:
        print(f"enkash-tui: could not sign in: {error}", file=sys.stderr)
        return EXIT_FAILED
    try:
        return await command(client, args)
    except (EnkashError, LookupError) as error:
        print(f"enkash-tui: {error}", file=sys.stderr)
        return EXIT_FAILED
    except ValueError as error:  # an id no request may carry (empty, "..", too long)
        print(f"enkash-tui: {error}", file=sys.stderr)
        return EXIT_USAGE
    finally:
        await client.aclose()
