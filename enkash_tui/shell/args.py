"""The shell commands' arguments: ``enkash-tui invoices search …``, ``customers find …``, ``log``.

Every command takes the connection options after its name (``--profile``, ``--readonly``,
``--username``, ``--password-stdin``, ``--format``); ``--profile`` and ``--readonly``, the app's
own, may come before the command as well. No option is abbreviated: ``--password`` is not
``--password-stdin`` (and there is no option that takes a secret).
"""

from __future__ import annotations

import argparse
import re
from typing import Any, NoReturn

# Literals, not imports: the app's own start-up parses its command line with these parsers, and
# must not load the models to do so (tests hold them equal to ``output.FORMATS`` and the
# Invoices section's views, ``domain.invoices.PRESETS``).
FORMATS = ("table", "csv", "json", "jsonl")
VIEWS = ("open", "overdue", "due-week", "not-dispatched", "partly-paid", "awaiting-approval", "all")
BC_QUEUES = ("confirm", "returned", "rejected", "awaiting", "accepted", "paid")
BC_STATUSES = ("CREATED", "ACCEPTED", "RETURNED", "REJECTED", "PAID", "CANCELLED")
STAGES = ("BEFORE_DUE", "ON_DUE", "AFTER_DUE")
# Each shell command's line in ``enkash-tui --help``, in the order it lists them.
SUMMARIES = {
    "invoices": "search and read invoices",
    "bc": "Bharat Connect work queues",
    "reminders": "customers' reminder rules",
    "customers": "find, read and change customers",
    "openapi": "the API as this client speaks it: an OpenAPI 3.1 document (JSON)",
    "log": "the action log: every change made from this machine",
}
COMMANDS = tuple(SUMMARIES)  # the top-level names that are shell commands
OUTCOMES = ("ok", "partial", "failed", "unknown", "pending")
SORTS = ("due", "created", "number", "balance", "customer")


class StrictParser(argparse.ArgumentParser):
    """A parser that takes options only as written out: argparse would otherwise read
    ``--password=…`` as ``--password-stdin`` (and print the value back in its complaint)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        # A secret typed as an option (there is none) is not said back.
        super().error(re.sub(r"(--\w*(?:password|secret|token)\w*)[= ]\S+", r"\1=…", message))


def _asks_first(change: argparse.ArgumentParser) -> None:
    """A change's ``--yes``: without it, the command asks at a terminal and refuses elsewhere."""
    change.add_argument("--yes", action="store_true", help="do not ask (needed off a terminal)")


def _invoices_named(change: argparse.ArgumentParser) -> None:
    change.add_argument("invoices", nargs="*", metavar="INVOICE", help="an id or a number")
    change.add_argument("--from", dest="source", metavar="FILE",
                        help="one invoice id or number a line (- reads stdin)")  # fmt: skip


def _remarks(change: argparse.ArgumentParser) -> None:
    change.add_argument("--remarks", required=True,
                        help='why, for the buyer: 1-100 characters, no \\ or "')  # fmt: skip


def _rule_options(rule: argparse.ArgumentParser, *, editing: bool) -> None:
    """A reminder rule's options; an edit's default to the rule as it stands."""
    rule.add_argument("--days", metavar="N", help="days from the due date: -3 is 3 days before"
                      + ("" if editing else " (default 0: on the day)"))  # fmt: skip
    rule.add_argument(
        "--at",
        metavar="HH:MM",
        help="the time it goes out" + ("" if editing else " (default 10:00)"),
    )
    repeats = rule.add_mutually_exclusive_group()
    repeats.add_argument("--every", metavar="DAYS", help="repeat every DAYS days (RECURRING)")
    if editing:
        repeats.add_argument("--once", action="store_true", help="stop repeating (ONCE)")
    rule.add_argument(
        "--stage",
        type=str.upper,
        choices=(*STAGES, "NONE"),
        help="the stage label" + (" (NONE clears it)" if editing else ""),
    )
    _asks_first(rule)


def _common() -> StrictParser:
    """Options every command takes; SUPPRESS keeps one given before the command."""
    common = StrictParser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument("--profile", help="connection profile (default: the config's default)")
    common.add_argument("--readonly", action="store_true", help="refuse every change")
    common.add_argument("--username", help="sign in as (default: ENKASH_USERNAME or the profile's)")
    common.add_argument(
        "--password-stdin", action="store_true", help="read the password from stdin's first line"
    )
    common.add_argument(
        "--format", choices=FORMATS, help="output (default: table on a terminal, else jsonl)"
    )
    return common


def add_shell_commands(
    commands: argparse._SubParsersAction[StrictParser], *, names_only: bool = False
) -> None:
    """The shell commands under ``commands``. ``names_only``: each name and its summary, nothing
    under it, for a command line that names none of them (the app's own start, where the whole
    tree would cost more than anything else in parsing)."""
    if names_only:
        for name, summary in SUMMARIES.items():
            commands.add_parser(name, help=summary)
        return
    common = _common()
    invoices = commands.add_parser("invoices", help=SUMMARIES["invoices"])
    invoice_commands = invoices.add_subparsers(dest="action", metavar="ACTION", required=True)
    search = invoice_commands.add_parser(
        "search", parents=[common], help="invoices of a view, narrowed"
    )
    search.add_argument(
        "--view", choices=VIEWS, default="open", help="the Invoices view to start from (open)"
    )
    search.add_argument("--customer", help="a customer id (KC…) or part of a customer's name")
    search.add_argument("--due-from", metavar="YYYY-MM-DD")
    search.add_argument("--due-to", metavar="YYYY-MM-DD")
    search.add_argument("--status", action="append", metavar="STATUS",
                        help="receivable status (UNPAID, PARTIALLY_PAID, OVERDUE, PAID…); repeat "
                        "for several")  # fmt: skip
    search.add_argument("--sort", choices=SORTS, help="sort by (default: the view's)")
    search.add_argument("--desc", action="store_true", help="with --sort: largest first")
    size = search.add_mutually_exclusive_group()
    size.add_argument("--limit", type=int, default=100, help="at most this many (default 100)")
    size.add_argument("--all", action="store_true", help="every invoice of the search")
    get = invoice_commands.add_parser("get", parents=[common], help="one invoice by its id")
    get.add_argument("id", help="the invoice id (KI…)")
    sheet = invoice_commands.add_parser(
        "upload", parents=[common], help="create invoices from a CSV"
    )
    sheet.add_argument("file", help="the bulk file (the app's template: invoices-create.csv)")
    _asks_first(sheet)
    for name, what in (("dispatch", "send invoices with their payment links to the customers"),
                       ("delete-collection", "delete invoices from collection")):  # fmt: skip
        change = invoice_commands.add_parser(name, parents=[common], help=what)
        _invoices_named(change)
        _asks_first(change)
        if name == "dispatch":
            change.add_argument("--partial-payments", action="store_true",
                                help="let customers pay part of an invoice")  # fmt: skip

    bc = commands.add_parser("bc", help=SUMMARIES["bc"])
    bc_commands = bc.add_subparsers(dest="action", metavar="ACTION", required=True)
    queue = bc_commands.add_parser("queue", parents=[common], help="a work queue's invoices")
    queue.add_argument("queue", choices=BC_QUEUES)
    queue_size = queue.add_mutually_exclusive_group()
    queue_size.add_argument("--limit", type=int, default=100, help="at most this many (100)")
    queue_size.add_argument("--all", action="store_true", help="every invoice of the queue")
    queue_size.add_argument("--count", action="store_true", help="how many, and nothing else")
    answer = bc_commands.add_parser(
        "confirm", parents=[common], help="accept or reject the payments buyers reported"
    )
    _invoices_named(answer)
    response = answer.add_mutually_exclusive_group(required=True)
    response.add_argument("--accept", action="store_true", help="the money arrived: mark paid")
    response.add_argument("--reject", action="store_true",
                          help="it has not (only payments made outside the network)")  # fmt: skip
    _remarks(answer)
    _asks_first(answer)
    move = bc_commands.add_parser(
        "status", parents=[common], help="move invoices to another network status"
    )
    _invoices_named(move)
    move.add_argument("--to", required=True, type=str.upper, choices=BC_STATUSES)
    _remarks(move)
    _asks_first(move)

    reminders = commands.add_parser("reminders", help=SUMMARIES["reminders"])
    reminder_commands = reminders.add_subparsers(dest="action", metavar="ACTION", required=True)
    rules = reminder_commands.add_parser("list", parents=[common], help="a customer's rules")
    rules.add_argument("customer", help="the customer id (KC…)")
    new_rule = reminder_commands.add_parser("add", parents=[common], help="add a rule")
    new_rule.add_argument("customer", help="the customer id (KC…)")
    _rule_options(new_rule, editing=False)
    edit = reminder_commands.add_parser("edit", parents=[common], help="change a rule")
    edit.add_argument("rule", help="the rule id (reminders list shows it)")
    _rule_options(edit, editing=True)
    gone = reminder_commands.add_parser("delete", parents=[common], help="delete rules")
    gone.add_argument("rules", nargs="+", metavar="RULE", help="rule ids")
    _asks_first(gone)

    customers = commands.add_parser("customers", help=SUMMARIES["customers"])
    customer_commands = customers.add_subparsers(dest="action", metavar="ACTION", required=True)
    find = customer_commands.add_parser(
        "find", parents=[common], help="customers whose legal name holds TEXT"
    )
    find.add_argument("text")
    find.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")
    one = customer_commands.add_parser("get", parents=[common], help="one customer by its id")
    one.add_argument("id", help="the customer id (KC…)")
    contacts = customer_commands.add_parser("contacts", parents=[common], help="key contacts")
    contacts.add_argument("id", help="the customer id (KC…)")
    sheet = customer_commands.add_parser(
        "upload", parents=[common], help="create (or --update) customers from a CSV"
    )
    sheet.add_argument("file", help="the bulk file (the app's templates: customers-*.csv)")
    sheet.add_argument("--update", action="store_true", help="update existing customers")
    _asks_first(sheet)
    for name in ("activate", "deactivate", "delete"):
        change = customer_commands.add_parser(name, parents=[common], help=f"{name} customers")
        change.add_argument("ids", nargs="+", metavar="ID", help="customer ids (KC…)")
        _asks_first(change)

    described = commands.add_parser("openapi", help=SUMMARIES["openapi"])
    described.add_argument("--profile", help="with this profile's route overrides and address")

    log = commands.add_parser("log", parents=[common], help=SUMMARIES["log"])
    log.add_argument("--outcome", choices=OUTCOMES)
    log.add_argument("--since", metavar="YYYY-MM-DD")
    log.add_argument("--limit", type=int, help="the newest this many")


def with_defaults(args: argparse.Namespace) -> argparse.Namespace:
    """The common options a command line left out, at their defaults."""
    for name, default in (("profile", None), ("readonly", False), ("username", None),
                          ("password_stdin", False), ("format", None)):  # fmt: skip
        if not hasattr(args, name):
            setattr(args, name, default)
    return args
