"""Rules as the Reminders lists show them: a rule with whose it is, and the columns for one
customer's rules and for everyone's."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

from enkash_tui.api.models import Reminder
from enkash_tui.domain.reminders import describe
from screens.widgets.lazy_table import Column


@dataclass(frozen=True)
class RuleItem:
    """One rule in the list, with whose it is."""

    customer_id: str
    customer_name: str
    rule: Reminder


def _rule_type(item: RuleItem) -> str:
    return "repeats" if (item.rule.reminder_type or "").upper() == "RECURRING" else "once"


RULE_COLUMNS: list[Column[RuleItem]] = [
    Column("when", "When", 26, lambda i: describe(i.rule), priority=0, grow=True),
    Column("at", "At", 5, lambda i: i.rule.reminder_time or "", priority=0),
    Column("type", "Type", 7, _rule_type, priority=2),
    Column("stage", "Stage", 12, lambda i: i.rule.stage or "", priority=1),
]
# Every customer's rules at once: whose each rule is comes first.
ALL_RULE_COLUMNS = [
    Column[RuleItem]("customer", "Customer", 22, lambda i: i.customer_name, priority=0),
    *RULE_COLUMNS,
]


def rule_key(item: RuleItem) -> Hashable:
    return item.rule.customer_reminder_id or id(item)
