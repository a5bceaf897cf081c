"""Reminder rules in words, and when they would fire for an invoice (no Textual here).

A rule fires ``dueDateDifference`` days from the invoice's due date (negative: before it) at
``reminderTime``; a RECURRING rule then repeats every ``reminderInterval`` days. EnKash does not
document when a recurring rule stops, so the preview shows a bounded horizon and says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from enkash_tui.api.models import KeyContact, Reminder

# A recurring rule is previewed this many days past its first firing (or past today, if later):
# at most PER_RULE firings to come and the last PAST_PER_RULE before today.
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
    """One date a rule fires on. EnKash says nothing about what it actually sent: a firing
    before today is when the rule would have fired, not a reminder known to have gone out."""

    at: dt.datetime
    rule: Reminder
    occurrence: int  # 1 for the first, 2 for the first repeat, ...
    past: bool  # before today


_FIRST_ORDINAL = dt.date.min.toordinal()
_LAST_ORDINAL = dt.date.max.toordinal()


def _occurrences(
    first: int, step: int, today: int, last: int, per_rule: int, past_per_rule: int
) -> list[tuple[int, int]]:
    """(day ordinal, occurrence number) of each firing shown, worked out arithmetically: the
    work is bounded by what is shown, however far the due date is from today."""
    # Firing k (from 0) falls on first + k * step; a rule that does not repeat has only k = 0.
    # k0: the first firing not before today.
    if first >= today:
        k0 = 0
    elif step:
        k0 = -(-(today - first) // step)  # ceiling division
    else:
        k0 = 1  # its only firing is past
    past = [(first + k * step, k + 1) for k in range(max(0, k0 - past_per_rule), k0)]
    upcoming: list[tuple[int, int]] = []
    k = k0
    while len(upcoming) < per_rule and (step or k == 0) and first + k * step <= last:
        upcoming.append((first + k * step, k + 1))
        k += 1
    return past + upcoming


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
    Dates beyond the calendar (a due date in 9999 and a rule days after it) are left out.
    """
    out: list[Firing] = []
    today_ordinal = today.toordinal()
    for rule in rules:
        at_time = time_of(rule)
        if at_time is None:
            continue
        first = due.toordinal() + (rule.due_date_difference or 0)
        step = rule.reminder_interval if is_recurring(rule) and rule.reminder_interval else 0
        last = max(first, today_ordinal) + horizon_days
        for ordinal, occurrence in _occurrences(
            first, max(0, step), today_ordinal, last, per_rule, past_per_rule
        ):
            if not _FIRST_ORDINAL <= ordinal <= _LAST_ORDINAL:
                continue
            day = dt.date.fromordinal(ordinal)
            at = dt.datetime.combine(day, at_time)
            out.append(Firing(at, rule, occurrence, ordinal < today_ordinal))
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
