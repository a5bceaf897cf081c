"""Ctrl+L: the action log, newest first. Filter as you type (an outcome word, e.g. ``partial``,
lists that outcome only), Enter shows an entry in full, ``r`` sends a failed change again when
that is safe (after a confirmation); the retry is logged too.

Only entries whose failure provably changed nothing are retried (``Entry.retry_refusal`` says why
the others are not), and only in the profile they were made in. Uploads are never retried from
here: the file is not kept.
"""

from __future__ import annotations

import json
from typing import cast

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from enkash_tui.api import AuthError, EnkashError
from enkash_tui.api.call_record import OUTCOMES
from enkash_tui.local.action_log import ActionLog
from enkash_tui.local.log_entries import Entry
from screens.dialog import Dialog
from screens.host import Host, host
from screens.modals import ConfirmModal
from screens.widgets.form_controls import FormInput
from screens.widgets.lazy_table import Column, LazyTable, ListSource

SHOWN_ENTRIES = 1000
OUTCOME_STYLES = {
    "ok": "green",
    "partial": "dark_orange",
    "failed": "red",
    "unknown": "yellow",
    "pending": "cyan",
}
FILTER_HINT = "/ filter: any words, or an outcome: ok partial failed unknown pending"


def when(entry: Entry) -> str:
    """Local time, short: ``25 Nov 14:03``."""
    return entry.at.astimezone().strftime("%d %b %H:%M")


def outcome_text(entry: Entry) -> Text:
    return Text(entry.outcome, style=OUTCOME_STYLES.get(entry.outcome, ""))


def targets(entry: Entry) -> str:
    return ", ".join(entry.target_ids) or "-"


def done_of(entry: Entry) -> str:
    """``1/3``: done of all, for a per-invoice or per-row reply; "" otherwise."""
    if entry.done is None or entry.failed is None:
        return ""
    return f"{entry.done}/{entry.done + entry.failed}"


def outcome_counts(entries: list[Entry]) -> str:
    """`` · 2 failed · 1 unknown``: how many of each outcome that is not ok, in OUTCOMES order."""
    found = [(o, sum(e.outcome == o for e in entries)) for o in OUTCOMES if o != "ok"]
    return "".join(f" · {n} {outcome}" for outcome, n in found if n)


COLUMNS: list[Column[Entry]] = [
    Column("at", "When", 12, when, priority=0),
    Column("operation", "Operation", 21, lambda e: e.operation, priority=0),
    Column("targets", "Targets", 18, targets, priority=1),
    Column("outcome", "Outcome", 7, outcome_text, priority=0),
    # Dropped first when narrow: the message says the counts too, and says more.
    Column("done", "Done", 9, done_of, priority=3),
    Column("message", "Message", 12, lambda e: e.message, priority=2, grow=True),
]


def details(entry: Entry) -> Text:
    """Every field of an entry, the body pretty-printed (shown with markup off)."""
    status = str(entry.status) if entry.status is not None else "-"
    lines = [
        ("When", entry.at.astimezone().strftime("%d %b %Y %H:%M:%S %Z")),
        ("Profile", entry.profile or "-"),
        ("User", entry.user or "-"),
        ("Operation", entry.operation),
        ("Request", f"{entry.method} {entry.path}".strip() or "-"),
        ("Targets", targets(entry)),
        ("Outcome", entry.outcome),
        ("Counts", entry.counts_text or "-"),
        ("HTTP status", status),
        ("Message", entry.message or "-"),
        ("Request id", entry.request_id or "-"),
    ]
    if entry.query:
        lines.append(("Query", ", ".join(f"{k}={v}" for k, v in entry.query.items())))
    if entry.upload:
        lines.append(("File", entry.upload))
    text = Text()
    for label, value in lines:
        text.append(f"{label:<12} ", style="dim")
        style = OUTCOME_STYLES.get(value, "") if label == "Outcome" else ""
        text.append(value + "\n", style=style)
    refusal = entry.retry_refusal
    text.append("\n")
    text.append(refusal or "Nothing was changed: r sends it again.", style="dim" if refusal else "")
    if entry.body is not None:
        text.append("\n\nBody as sent\n", style="bold")
        text.append(json.dumps(entry.body, indent=2, ensure_ascii=False, default=str))
    return text


class EntryModal(Dialog[bool]):
    """One entry in full. ``r`` asks the log to retry it (answers True)."""

    BINDINGS = [
        Binding("escape,enter,q", "dismiss(False)", "Close", id="log_entry.close"),
        Binding("r", "dismiss(True)", "Retry", id="log_entry.retry"),
    ]

    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="modal log-entry"):
            yield Static(f"Action: {self.entry.operation}", classes="title", markup=False)
            yield Static(details(self.entry), markup=False, id="log-entry-details")
            yield Static("r retry · Enter/Esc close", classes="hint", markup=False)


class ActionLogScreen(Dialog[None]):
    """The local action log: every change this app asked EnKash for, newest first."""

    AUTO_FOCUS = "#log-entries"
    BINDINGS = [
        Binding("escape", "close", "Close", id="log.close"),
        Binding("slash", "find", "Filter", id="log.filter"),
        Binding("r", "retry", "Retry", id="log.retry"),
    ]

    def __init__(self, log: ActionLog | None = None) -> None:
        super().__init__()
        self.action_log = log or ActionLog()
        self.entries: list[Entry] = []
        self.shown: list[Entry] = []

    @property
    def enkash(self) -> Host:
        return host(self)

    @property
    def table(self) -> LazyTable[Entry]:
        return cast("LazyTable[Entry]", self.query_one("#log-entries", LazyTable))

    @property
    def filter_input(self) -> Input:
        return self.query_one("#log-filter", Input)

    def compose(self) -> ComposeResult:
        with Vertical(id="action-log"):
            yield Static("Action log", classes="title", markup=False)
            yield FormInput(placeholder=FILTER_HINT, id="log-filter", compact=True)
            yield LazyTable(COLUMNS, key=id, row_style=self._row_style, id="log-entries")
            yield Static("", id="log-summary", markup=False)
            yield Static(
                "Enter details · r retry · / filter, e.g. failed or partial · Esc close",
                classes="hint",
                markup=False,
            )

    @staticmethod
    def _row_style(entry: Entry) -> Style | None:
        return Style(dim=True) if entry.outcome == "ok" else None

    def on_mount(self) -> None:
        self.reload()
        self.table.focus()

    def reload(self) -> None:
        """Read the log again (it is small and local) and show what the filter lets through."""
        try:
            self.entries = self.action_log.read(limit=SHOWN_ENTRIES)
        except OSError as error:
            self.entries = []
            self.notify(f"Could not read the action log: {error}", severity="error", markup=False)
        self.apply_filter()

    def apply_filter(self) -> None:
        text = self.filter_input.value.strip()
        self.shown = [e for e in self.entries if e.matches(text)] if text else list(self.entries)
        self.table.set_source(ListSource[Entry](self.shown))
        total = len(self.entries)
        if not total:
            summary = f"No actions logged yet ({self.action_log.path})"
        elif text:
            summary = f"{len(self.shown)} of {total} actions match · newest first"
        else:
            summary = f"{total} actions{outcome_counts(self.entries)} · newest first · "
            summary += str(self.action_log.path)
        self.query_one("#log-summary", Static).update(summary)

    @on(Input.Changed, "#log-filter")
    def _filter_changed(self) -> None:
        self.apply_filter()

    @on(Input.Submitted, "#log-filter")
    def _filter_done(self) -> None:
        self.table.focus()

    def action_find(self) -> None:
        self.filter_input.focus()

    def action_close(self) -> None:
        if self.filter_input.has_focus and self.filter_input.value:
            self.filter_input.value = ""
            return
        self.dismiss(None)

    @on(LazyTable.RowSelected, "#log-entries")
    def _open(self, event: LazyTable.RowSelected) -> None:
        entry = cast(Entry, event.row)

        def closed(retry: bool | None) -> None:
            if retry:
                self._retry(entry)

        self.app.push_screen(EntryModal(entry), closed)

    # -- retry ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return not self.filter_input.has_focus  # there, r is a letter of the filter
        return True

    def action_retry(self) -> None:
        entry = self.table.current
        if entry is not None:
            self._retry(entry)

    def _retry(self, entry: Entry) -> None:
        refusal = entry.retry_refusal
        session = self.enkash.session
        if refusal is None and session is None:
            refusal = "Sign in first: retries go to EnKash."
        elif refusal is None and session is not None and entry.profile != session.profile.name:
            refusal = f"This was done in profile {entry.profile!r}: sign in to it to retry."
        elif refusal is None and session is not None and session.readonly:
            refusal = "This session is read-only: it sends no changes."
        if refusal is not None:
            self.notify(refusal, title="Not retried", severity="warning", markup=False)
            return
        where = f" in {entry.profile}" if entry.profile else ""
        body = (
            f"Sends {entry.method} {entry.path}{where} again, exactly as before, for "
            f"{targets(entry)}. The first attempt changed nothing ({entry.message or 'failed'})."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.resend(entry)

        self.app.push_screen(
            ConfirmModal(f"Retry {entry.operation}?", body, yes="Retry", no="Cancel"), answered
        )

    @work(exclusive=True, exit_on_error=False, group="retry")
    async def resend(self, entry: Entry) -> None:
        session = self.enkash.session
        if session is None:
            return
        summary = self.query_one("#log-summary", Static)
        summary.update(f"Retrying {entry.operation}…")
        try:
            await session.client.resend(
                entry.operation,
                path_params=entry.path_params,
                query=entry.query,
                json_body=entry.body,
            )
        except EnkashError as error:
            if isinstance(error, AuthError) and not session.client.signed_in:
                self.enkash.report_error(error)
            else:
                self.notify(
                    str(error), title=f"Retry failed: {error.title}", severity="error", markup=False
                )
        else:
            self.notify(f"{entry.operation} went through this time.", title="Retried", markup=False)
        # The retry was logged as a new entry: show it at the top.
        self.reload()
        self.table.cursor = 0

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Loud by default, as on the section screens.
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.enkash.report_error(event.worker.error)
