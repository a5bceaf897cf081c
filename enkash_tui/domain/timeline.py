"""A timeline per invoice or customer, newest first: what the collector wrote down (notes,
promises, disputes, follow-ups), what this app did to it on EnKash (the action log) and what
happened to it on Bharat Connect (its status history); and where its follow-up stands now.

Plain values in, plain lines out. The action log lives in ``local`` (which the domain may not
import): its entries are read here through ``LoggedAction``, the few attributes a line needs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal, Protocol

from enkash_tui.api.models import BharatConnectEvent
from enkash_tui.domain.followups import (
    DISPUTE_REASONS,
    REPLACED,
    Entry,
    EntryKind,
    PromiseState,
    current,
    is_settled,
    promise_state,
)
from enkash_tui.domain.formatting import day, inr

Source = Literal["book", "app", "network"]
SOURCE_WORDS: dict[Source, str] = {"book": "follow-up", "app": "this app", "network": "network"}

# What each change this app makes is called on a timeline (the action log's operation names).
ACTION_WORDS: dict[str, str] = {
    "create_invoice": "Invoice created",
    "bulk_create_invoices": "Invoices uploaded",
    "update_invoice": "Invoice edited",
    "dispatch_invoices": "Payment link sent (dispatched)",
    "delete_invoices": "Invoice collection deleted",
    "confirm_payment": "Payment confirmation",
    "change_invoice_status": "Network status change",
    "create_customer": "Customer created",
    "update_customer": "Customer edited",
    "activate_customer": "Customer activated",
    "deactivate_customer": "Customer deactivated",
    "delete_customer": "Customer deleted",
    "bulk_create_customers": "Customers uploaded",
    "bulk_update_customers": "Customers updated by upload",
    "create_reminder": "Reminder rule added",
    "update_reminder": "Reminder rule edited",
    "delete_reminder": "Reminder rule deleted",
}


class LoggedAction(Protocol):
    """One change in the action log, as far as a timeline reads it (``local.log_entries.Entry``
    is one)."""

    @property
    def at(self) -> dt.datetime: ...
    @property
    def operation(self) -> str: ...
    @property
    def outcome(self) -> str: ...
    @property
    def user(self) -> str: ...
    @property
    def profile(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def target_ids(self) -> tuple[str, ...]: ...
    @property
    def body(self) -> Any: ...
    @property
    def counts_text(self) -> str: ...


@dataclass(frozen=True)
class TimelineLine:
    """One thing that happened, in words (plain text: server text is never markup)."""

    at: dt.datetime  # aware
    source: Source
    who: str
    what: str
    about: str = ""  # on a customer's timeline: the invoice a line is about ("" the customer)

    @property
    def when(self) -> str:
        local = self.at.astimezone()
        return f"{day(local)} {local:%H:%M}"


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _with_text(words: str, text: str) -> str:
    return f"{words}: {text}" if text else words


def reason_words(code: str | None) -> str:
    return DISPUTE_REASONS.get(code or "", code or "no reason given")


def _about(entry: Entry, subject_id: str) -> str:
    if entry.subject.kind == "customer" or entry.subject.id == subject_id:
        return ""
    return entry.subject.label or entry.subject.id


def book_lines(entries: Iterable[Entry], subject_id: str) -> list[TimelineLine]:
    """Each entry's line, and for one closed, the line of its closing (a dispute resolved, a
    follow-up done, a promise kept, paid late or withdrawn, a promise or follow-up replaced by a
    newer one)."""
    lines = []
    for e in entries:
        about = _about(e, subject_id)
        if e.kind == "note":
            what = f"Note: {e.text}"
        elif e.kind == "promise":
            what = _with_text(f"Promise to pay {inr(e.amount or 0)} by {day(e.due)}", e.text)
        elif e.kind == "dispute":
            what = _with_text(f"Dispute opened: {reason_words(e.reason)}", e.text)
        else:
            what = _with_text(f"Follow up on {day(e.due)}", e.text)
        lines.append(TimelineLine(_aware(e.at), "book", e.by, what, about))
        if e.closed_at is not None:
            closing = {
                "promise": "Promise closed",
                "dispute": "Dispute resolved",
                "follow_up": "Follow-up done",
            }.get(e.kind, "Closed")
            if e.closing_text == REPLACED:
                closing = f"{closing}: {REPLACED}"
            elif is_settled(e):  # "Promise kept: paid, seen …", "Promise paid late: …"
                closing = f"Promise {e.closing_text}"
            else:
                closing = _with_text(
                    "Promise withdrawn" if e.kind == "promise" else closing, e.closing_text
                )
            lines.append(
                TimelineLine(_aware(e.closed_at), "book", e.closed_by or "", closing, about)
            )
    return lines


def _action_what(action: LoggedAction) -> str:
    what = ACTION_WORDS.get(action.operation, action.operation.replace("_", " ").capitalize())
    body = action.body if isinstance(action.body, Mapping) else {}
    if action.operation == "change_invoice_status" and isinstance(body.get("status"), str):
        what += f" to {body['status']}"
    if action.operation == "confirm_payment" and isinstance(body.get("response"), str):
        what += f": {body['response']}"
    if isinstance(body.get("remarks"), str) and body["remarks"]:
        what += f" ({body['remarks']})"
    if action.outcome != "ok":
        detail = action.counts_text or action.message
        what += f" — {action.outcome}" + (f": {detail}" if detail else "")
    return what


def action_lines(
    actions: Iterable[LoggedAction], ids: Mapping[str, str], profile: str
) -> list[TimelineLine]:
    """The action log's changes in ``profile`` on any of ``ids`` (id -> what to call it on the
    line, "" for the timeline's own subject)."""
    lines = []
    for action in actions:
        if action.profile and action.profile != profile:
            continue
        hits = [ids[i] for i in action.target_ids if i in ids]
        if not hits:
            continue
        about = "" if "" in hits else ", ".join(dict.fromkeys(hits))
        lines.append(
            TimelineLine(_aware(action.at), "app", action.user, _action_what(action), about)
        )
    return lines


def network_lines(events: Iterable[BharatConnectEvent], about: str = "") -> list[TimelineLine]:
    """An invoice's Bharat Connect status history; steps without a time are left out (they
    cannot be placed)."""
    lines = []
    for event in events:
        if event.at is None:
            continue
        what = (event.action or "").replace("_", " ").capitalize() or "Status"
        if event.remarks:
            what += f": {event.remarks}"
        what += f" → {event.status or '?'}"
        if event.object_version:
            what += f" (v{event.object_version})"
        who = (event.by or "").title()
        lines.append(TimelineLine(_aware(event.at), "network", who, what, about))
    return lines


def timeline(*groups: Iterable[TimelineLine]) -> list[TimelineLine]:
    """Every line, newest first (lines of one moment keep the order they were given in)."""
    lines = [line for group in groups for line in group]
    lines.sort(key=lambda line: line.at, reverse=True)
    return lines


@dataclass(frozen=True)
class Standing:
    """Where a subject's follow-up stands: its promise (and what it came to), its open dispute
    and its next follow-up; each None when there is none."""

    promise: Entry | None
    promise_state: PromiseState | None
    dispute: Entry | None
    follow_up: Entry | None

    def lines(self, today: dt.date) -> list[tuple[str, str]]:
        """(label, words) for each, in words an operator reads."""
        promise, dispute, follow_up = self.promise, self.dispute, self.follow_up
        shown = "none"
        if promise is not None:
            shown = f"{inr(promise.amount or 0)} by {day(promise.due)}"
            if is_settled(promise):
                shown += f" · {promise.closing_text}"
            elif self.promise_state:
                shown += f" · {self.promise_state}"
        dispute_words = "none"
        if dispute is not None:
            dispute_words = f"{reason_words(dispute.reason)} (since {day(dispute.at)})"
        follow = "none"
        if follow_up is not None and follow_up.due is not None:
            follow = day(follow_up.due)
            if follow_up.due < today:
                follow += f" · {(today - follow_up.due).days} days late"
            elif follow_up.due == today:
                follow += " · today"
            follow = _with_text(follow, follow_up.text)
        return [("Promise", shown), ("Dispute", dispute_words), ("Next follow-up", follow)]


def own_entries(entries: Iterable[Entry], subject_id: str) -> list[Entry]:
    """The entries on the subject itself (a customer's book also holds its invoices')."""
    return [e for e in entries if e.subject.id == subject_id]


def standing(
    entries: list[Entry], subject_id: str, received_now: Decimal | None, today: dt.date
) -> Standing:
    """The subject's own open promise (else its last one, when that was paid), dispute and
    follow-up; a promise's state from what EnKash has received on it now (None when that is not
    known)."""
    own = own_entries(entries, subject_id)

    def latest(kind: EntryKind) -> Entry | None:
        return current(own, kind)

    promise = latest("promise")
    if promise is None:
        promises = (e for e in own if e.kind == "promise")
        last = max(promises, key=lambda e: (e.at, e.id), default=None)
        promise = last if last is not None and is_settled(last) else None
    state = None
    if promise is not None and is_settled(promise):
        paid = (promise.baseline or Decimal(0)) + (promise.amount or Decimal(0))
        state = promise_state(promise, paid, today)
    elif promise is not None and received_now is not None:
        state = promise_state(promise, received_now, today)
    return Standing(promise, state, latest("dispute"), latest("follow_up"))
