"""``reminders add CUSTOMER``, ``reminders edit RULE``, ``reminders delete RULE…``: a customer's
reminder rules changed from the shell, as the Reminders section's form changes them.

A rule is checked whole before it is sent (days from due -365..365, a repeating rule needs
``--every``, the time HH:mm): a value EnKash would refuse is a usage error naming its option
(exit 2). An edit reads the rule first, checks it as it will stand and sends only what changed.
Each command prints the rule and its outcome. A lost reply is never sent again: the customer's
rules are read back and say whether it took (a new rule like it; the rule as asked; the rule
gone); when they cannot be read either, the outcome is unknown (exit 4).
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from enkash_tui.api import EnkashError, field_errors_from_validation
from enkash_tui.api.models import Customer, Reminder, ReminderCreate, ReminderUpdate
from enkash_tui.domain.csv_safety import Column, number, text
from enkash_tui.domain.customers import new_rule, rule_payloads, rule_values, rule_wire
from enkash_tui.domain.formatting import count
from enkash_tui.domain.outcomes import RecheckFailed, send_or_recheck
from enkash_tui.domain.reminders import describe, is_recurring
from enkash_tui.shell import EXIT_FAILED, EXIT_OK
from enkash_tui.shell.consent import confirmed, exit_code_of, refused_read_only
from enkash_tui.shell.output import print_rows
from enkash_tui.shell.reads import customer
from enkash_tui.shell.signin import UsageError

if TYPE_CHECKING:
    from enkash_tui.api.client import EnkashClient

# The rule's wire fields, as the options that set them.
OPTIONS = {"dueDateDifference": "--days", "reminderInterval": "--every",
           "reminderTime": "--at", "reminderType": "--every", "stage": "--stage"}  # fmt: skip


@dataclass(frozen=True)
class RuleOutcome:
    customer: Customer
    rule: Reminder
    outcome: str  # done | failed | unknown
    message: str = ""


REPORT: tuple[Column[RuleOutcome], ...] = (
    text("Customer", lambda o: o.customer.legal_name),
    text("Customer id", lambda o: o.customer.customer_id),
    text("Rule", lambda o: describe(o.rule)),
    text("Type", lambda o: "repeats" if is_recurring(o.rule) else "once"),
    number("Days from due", lambda o: o.rule.due_date_difference),
    number("Repeat every (days)",
           lambda o: o.rule.reminder_interval if is_recurring(o.rule) else None),
    text("Time", lambda o: o.rule.reminder_time),
    text("Stage", lambda o: o.rule.stage),
    text("Rule id", lambda o: o.rule.customer_reminder_id),
    text("Outcome", lambda o: o.outcome),
    text("Message", lambda o: o.message),
)  # fmt: skip
TABLE = ("Customer", "Rule", "Time", "Rule id", "Outcome")


def _asked(args: argparse.Namespace, start: dict[str, Any]) -> dict[str, Any]:
    """The rule's values: ``start`` with what the options say."""
    values = dict(start)
    if args.days is not None:
        values["due_date_difference"] = args.days
    if args.at is not None:
        values["reminder_time"] = args.at
    if args.every is not None:
        values |= {"reminder_type": "RECURRING", "reminder_interval": args.every}
    if getattr(args, "once", False):  # an edit's only
        values |= {"reminder_type": "ONCE", "reminder_interval": ""}
    if args.stage is not None:
        values["stage"] = "" if args.stage == "NONE" else args.stage
    return values


def _said_by_option(error: ValidationError, model: type[ReminderCreate | ReminderUpdate]) -> str:
    return "; ".join(f"{OPTIONS.get(p.field.split('.')[-1], p.field)}: {p.message}"
                     for p in field_errors_from_validation(error, model))  # fmt: skip


def _payloads(
    start: dict[str, Any] | None, values: dict[str, Any]
) -> tuple[ReminderCreate, ReminderUpdate | None]:
    try:
        return rule_payloads(start, values)
    except ValidationError as error:
        raise UsageError(_said_by_option(error, ReminderCreate)) from None


def check_rule(args: argparse.Namespace) -> None:
    """The options, checked before signing in: ``add``'s whole rule; the values an ``edit``
    gives, each on its own (the rule as it will stand is checked once it has been read)."""
    if args.action == "add":
        _payloads(None, _asked(args, new_rule()))
        return
    given = {k: v for k, v in rule_wire(_asked(args, {"reminder_type": ""})).items() if v}
    try:
        ReminderUpdate.model_validate(given)
    except ValidationError as error:
        raise UsageError(_said_by_option(error, ReminderUpdate)) from None


def same_rule(found: Reminder, wanted: ReminderCreate) -> bool:
    """Whether ``found`` is the rule ``wanted`` asks for (its id aside)."""
    try:
        whole, _ = rule_payloads(None, rule_values(found) | {"customer_reminder_id": None})
    except ValidationError:
        return False
    return whole == wanted.model_copy(update={"customer_reminder_id": None})


def _words(rule: Reminder) -> str:
    """``3 days before due at 09:30 (BEFORE_DUE)``: the rule as a question at a terminal says
    it, so that any change shows."""
    return f"{describe(rule)} at {rule.reminder_time or '?'} ({rule.stage or 'no stage'})"


def _finish(args: argparse.Namespace, report: list[RuleOutcome]) -> int:
    print_rows(args.format, REPORT, report, TABLE)
    return exit_code_of(report)


async def add(client: EnkashClient, args: argparse.Namespace) -> int:
    whole, _ = _payloads(None, _asked(args, new_rule()))
    if refused_read_only(client, "reminders add"):
        return EXIT_FAILED
    owner = await customer(client, args.customer)
    asked = Reminder.model_validate(whole.to_wire())
    if not confirmed(args, f"Add for {owner.legal_name}: reminds {_words(asked)}? [y/N] "):
        return EXIT_FAILED
    before = {r.customer_reminder_id for r in await client.list_reminders(owner.customer_id)}

    async def new_one() -> Reminder | None:  # after a lost reply: a rule like it, new since
        rules = await client.list_reminders(owner.customer_id)
        return next((r for r in rules if r.customer_reminder_id not in before
                     and same_rule(r, whole)), None)  # fmt: skip

    send = partial(client.create_reminder, owner.customer_id, whole)
    not_done = "not added: the request did not take effect"
    return _finish(args, [await _outcome(owner, asked, send, new_one, not_done)])


async def _outcome(
    owner: Customer,
    asked: Reminder,
    send: Callable[[], Awaitable[Reminder | None]],
    ask: Callable[[], Awaitable[Reminder | None]],
    not_done: str,
) -> RuleOutcome:
    """The change sent once; after a lost reply, ``ask`` reads EnKash's rules: the rule as the
    change left it, or None when the change did not take."""
    try:
        sent = await send_or_recheck(send, ask)
    except RecheckFailed as error:
        return RuleOutcome(owner, asked, "unknown", str(error))
    except EnkashError as error:
        return RuleOutcome(owner, asked, "failed", str(error))
    if sent.value is None:
        return RuleOutcome(owner, asked, "failed", not_done)
    said = "checked after the reply was lost" if sent.rechecked else ""
    return RuleOutcome(owner, sent.value, "done", said)


async def _rule_and_owner(client: EnkashClient, rule_id: str) -> tuple[Reminder, Customer]:
    rule = await client.get_reminder(rule_id)
    if not rule.customer_id:
        raise LookupError(f"EnKash did not say whose rule {rule_id} is")
    return rule, await customer(client, rule.customer_id)


async def edit(client: EnkashClient, args: argparse.Namespace) -> int:
    if refused_read_only(client, "reminders edit"):
        return EXIT_FAILED
    rule, owner = await _rule_and_owner(client, args.rule)
    start = rule_values(rule)
    whole, change = _payloads(start, _asked(args, start))
    asked = Reminder.model_validate(whole.to_wire() | {"customerId": owner.customer_id})
    if change is None or not change.model_dump(exclude_unset=True):
        print_rows(args.format, REPORT, [RuleOutcome(owner, rule, "done", "unchanged")], TABLE)
        return EXIT_OK
    question = f"Change {owner.legal_name}'s rule to remind {_words(asked)}? [y/N] "
    if not confirmed(args, question, f"Now it reminds {_words(rule)}."):
        return EXIT_FAILED

    async def as_asked() -> Reminder | None:
        now = await client.get_reminder(args.rule)
        return now if same_rule(now, whole) else None

    send = partial(client.update_reminder, args.rule, change)
    not_done = "unchanged: the request did not take effect"
    return _finish(args, [await _outcome(owner, asked, send, as_asked, not_done)])


async def delete(client: EnkashClient, args: argparse.Namespace) -> int:
    if refused_read_only(client, "reminders delete"):
        return EXIT_FAILED
    rule_ids = list(dict.fromkeys(args.rules))
    found = [await _rule_and_owner(client, rule_id) for rule_id in rule_ids]
    words = "; ".join(f"{owner.legal_name}: {_words(rule)}" for rule, owner in found)
    if not confirmed(args, f"Delete {count(len(found), 'rule')}? [y/N] ", words):
        return EXIT_FAILED
    report = []
    for rule_id, (rule, owner) in zip(rule_ids, found, strict=True):
        report.append(await _deleted(client, rule_id, rule, owner))
    return _finish(args, report)


async def _deleted(client: EnkashClient, rule_id: str, rule: Reminder, owner: Customer
                   ) -> RuleOutcome:  # fmt: skip
    async def send() -> Reminder:
        await client.delete_reminder(rule_id)
        return rule

    async def gone() -> Reminder | None:  # after a lost reply: the rule, if it is gone
        rules = await client.list_reminders(owner.customer_id)
        return None if any(r.customer_reminder_id == rule_id for r in rules) else rule

    return await _outcome(owner, rule, send, gone, "still there: the request did not take effect")
