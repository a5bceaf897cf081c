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
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from enkash_tui.api import EnkashError, field_errors_from_validation
from enkash_tui.api.models import Customer, Reminder, ReminderCreate, ReminderUpdate
from enkash_tui.domain.csv_safety import Column, number, text
from enkash_tui.domain.customers import new_rule, rule_payloads, rule_values
from enkash_tui.domain.formatting import count
from enkash_tui.domain.outcomes import RecheckFailed, send_or_recheck
from enkash_tui.domain.reminders import describe, is_recurring
from enkash_tui.shell import EXIT_FAILED
from enkash_tui.shell.consent import confirmed, exit_code, refused_read_only
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
    for name, option in (("due_date_difference", "days"), ("reminder_time", "at")):
        if getattr(args, option, None) is not None:
            values[name] = args.days if option == "days" else args.at
    if getattr(args, "every", None) is not None:
        values |= {"reminder_type": "RECURRING", "reminder_interval": args.every}
    if getattr(args, "once", False):
        values |= {"reminder_type": "ONCE", "reminder_interval": ""}
    if getattr(args, "stage", None) is not None:
        values["stage"] = "" if args.stage.lower() == "none" else args.stage
    return values


def _payloads(
    start: dict[str, Any] | None, values: dict[str, Any]
) -> tuple[ReminderCreate, ReminderUpdate | None]:
    try:
        return rule_payloads(start, values)
    except ValidationError as error:
        said = "; ".join(
            f"{OPTIONS.get(p.field.split('.')[-1], p.field)}: {p.message}"
            for p in field_errors_from_validation(error, ReminderCreate)
        )
        raise UsageError(said) from None


def check_rule(args: argparse.Namespace) -> None:
    """``reminders add``'s rule, checked before signing in (an edit's needs the rule read)."""
    _payloads(None, _asked(args, new_rule()))


def same_rule(found: Reminder, wanted: ReminderCreate) -> bool:
    """Whether ``found`` is the rule ``wanted`` asks for (its id aside)."""
    try:
        whole, _ = rule_payloads(None, rule_values(found) | {"customer_reminder_id": None})
    except ValidationError:
        return False
    return whole == wanted.model_copy(update={"customer_reminder_id": None})


def _words(rule: Reminder) -> str:
    """``3 days before due at 09:30``: the rule as the question at a terminal says it."""
    return f"{describe(rule)} at {rule.reminder_time or '?'}"


def _finish(args: argparse.Namespace, report: list[RuleOutcome]) -> int:
    print_rows(args.format, REPORT, report, TABLE)
    failed = sum(1 for o in report if o.outcome == "failed")
    return exit_code(failed, len(report), unknown=any(o.outcome == "unknown" for o in report))


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


async def _outcome(owner: Customer, asked: Reminder, send: Any, ask: Any,
                   not_done: str) -> RuleOutcome:  # fmt: skip
    """The change sent once; after a lost reply, what EnKash's rules say of it."""
    try:
        sent = await send_or_recheck(send, ask)
    except RecheckFailed as error:
        return RuleOutcome(owner, asked, "unknown", str(error))
    except EnkashError as error:
        return RuleOutcome(owner, asked, "failed", str(error))
    if not sent.rechecked:
        return RuleOutcome(owner, sent.value if isinstance(sent.value, Reminder) else asked, "done")
    if sent.value is None or sent.value is False:
        return RuleOutcome(owner, asked, "failed", not_done)
    rule = sent.value if isinstance(sent.value, Reminder) else asked
    return RuleOutcome(owner, rule, "done", "checked after the reply was lost")


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
        return 0
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
    found = [await _rule_and_owner(client, rule_id) for rule_id in dict.fromkeys(args.rules)]
    words = "; ".join(f"{owner.legal_name}: {_words(rule)}" for rule, owner in found)
    if not confirmed(args, f"Delete {count(len(found), 'rule')}? [y/N] ", words):
        return EXIT_FAILED
    report = []
    for rule, owner in found:
        rule_id, owner_id = rule.customer_reminder_id or "", owner.customer_id

        async def gone(rule_id: str = rule_id, owner_id: str = owner_id) -> bool:
            rules = await client.list_reminders(owner_id)
            return all(r.customer_reminder_id != rule_id for r in rules)

        send = partial(client.delete_reminder, rule_id)
        not_done = "still there: the request did not take effect"
        report.append(await _outcome(owner, rule, send, gone, not_done))
    return _finish(args, report)
