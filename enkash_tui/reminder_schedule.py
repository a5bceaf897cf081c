"""Reminder rules in words, and when they would fire for an invoice (no Textual here).

A rule fires ``dueDateDifference`` days from the invoice's due date (negative: before it) at
``reminderTime``; a RECURRING rule then repeats every ``reminderInterval`` days. EnKash does not
document when a recurring rule stops, so the preview shows a bounded horizon and says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from .api.models import KeyContact, Reminder

# A recurring rule is previewed this many days past its first firing (or past today, if later):
# at most PER_RULE firings to come and the last PAST_PER_RULE that have gone out.
HORIZON_DAYS = 90
PER_RULE = 12
PAST_PER_RULE = 3


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def offset_words(days: int) -> str:
    """-3 -> "3 days before due", 0 -> "on the due date", 5 -> "5 days after due"."""
    if days == 0:
        return "on the due date"
    return f"{_days(abs(days))} {'before' if days < 0 else 'after'} due"


def is_recurring(rule: Reminder) -> bool:
    return (rule.reminder_type or "").upper() == "RECURRING"


def describe(rule: Reminder) -> str:
    """The rule in words: "3 days before due", "every 7 days from 5 days after due"."""
    start = offset_words(rule.due_date_difference or 0)
    if not is_recurring(rule):
        return start
    interval = rule.reminder_interval
    every = f"every {_days(interval)}" if interval else "repeating (no interval set)"
    return f"{every} from {start}"


def time_of(rule: Reminder) -> dt.time | None:
    """The rule's time of day, or None when it is missing or not HH:mm."""
    try:
        return dt.time.fromisoformat((rule.reminder_time or "")[:5])
    except ValueError:
        return None


@dataclass(frozen=True)
class Firing:
    """One reminder going out."""

    at: dt.datetime
    rule: Reminder
    occurrence: int  # 1 for the first, 2 for the first repeat, ...
    past: bool  # before today: already gone out (or would have, had the rule existed)


def firings(
    rules: Sequence[Reminder],
    due: dt.date,
    *,
    today: dt.date,
    horizon_days: int = HORIZON_DAYS,
    per_rule: int = PER_RULE,
    past_per_rule: int = PAST_PER_RULE,
) -> list[Firing]:
    """When each rule fires for an invoice due on ``due``, in time order.

    A recurring rule is followed to ``horizon_days`` past its first firing or past today,
    whichever is later (an invoice long overdue is still being chased), keeping its last
    ``past_per_rule`` firings before today and its next ``per_rule``. A rule without a usable
    time is left out (the caller can say so); a recurring rule without an interval fires once.
    """
    out: list[Firing] = []
    for rule in rules:
        at_time = time_of(rule)
        if at_time is None:
            continue
        first = due + dt.timedelta(days=rule.due_date_difference or 0)
        step = rule.reminder_interval if is_recurring(rule) and rule.reminder_interval else 0
        last = max(first, today) + dt.timedelta(days=horizon_days)
        past: list[Firing] = []
        upcoming: list[Firing] = []
        day, occurrence = first, 1
        while day <= last and not (day >= today and len(upcoming) >= per_rule):
            firing = Firing(dt.datetime.combine(day, at_time), rule, occurrence, day < today)
            (past if firing.past else upcoming).append(firing)
            if not step:
                break
            day += dt.timedelta(days=step)
            occurrence += 1
        out += past[-past_per_rule:] if past_per_rule > 0 else []
        out += upcoming
    return sorted(out, key=lambda firing: firing.at)


@dataclass(frozen=True)
class Recipient:
    name: str
    address: str  # what the channels reach: mobile and/or e-mail
    channels: tuple[str, ...]  # "e-mail", "SMS", "WhatsApp": the ones switched on


def recipients(contacts: Sequence[KeyContact]) -> list[Recipient]:
    """The live key contacts and the channels each would be reminded on (maybe none)."""
    found = []
    for contact in contacts:
        if contact.deleted:
            continue
        channels = tuple(
            name
            for name, on, reachable in (
                ("e-mail", contact.mail_enabled, contact.email),
                ("SMS", contact.sms_enabled, contact.mobile),
                ("WhatsApp", contact.whatsapp_enabled, contact.mobile),
            )
            if on and reachable
        )
        address = "  ".join(x for x in (contact.mobile, contact.email) if x)
        found.append(Recipient(contact.name or contact.legal_name or "?", address, channels))
    return found


def nobody_reached(contacts: Sequence[KeyContact]) -> bool:
    """True when no live contact has any channel that could carry a reminder."""
    return not any(r.channels for r in recipients(contacts))
