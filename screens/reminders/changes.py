"""Changing rules from the Reminders section: new, edit, delete, and the preview of when they
fire, for the customer (or the rule) under the cursor. ``RemindersScreen`` builds on this; its
lists, lookup and marks stay there."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from enkash_tui.api import EnkashError
from enkash_tui.api.models import Reminder
from enkash_tui.domain.reminders import describe
from enkash_tui.local.customer_cache import CustomerCache, CustomerEntry
from screens.base import SectionScreen
from screens.modals import ConfirmModal
from screens.reminders.form import RuleForm
from screens.reminders.preview import ReminderPreview
from screens.reminders.rule_list import RuleItem
from screens.widgets.lazy_table import LazyTable


class RuleChanges(SectionScreen):
    """What changes a rule; the lists it acts on are the subclass's."""

    cache: CustomerCache | None = None
    showing_all = False  # every customer's rules at once, rather than one customer's

    if TYPE_CHECKING:  # given by RemindersScreen

        @property
        def customers(self) -> LazyTable[CustomerEntry]: ...

        @property
        def rules(self) -> LazyTable[RuleItem]: ...

        def load_rules(self, entry: CustomerEntry, keep_cursor: bool = False) -> object: ...

        def walk_rules(self) -> object: ...

    def _target_customer(self) -> tuple[str, str] | None:
        """(id, name) of the customer a new rule or a preview is for."""
        if self.showing_all:
            item = self.rules.current
            return (item.customer_id, item.customer_name) if item else None
        entry = self.customers.current
        return (entry.customer_id, entry.legal_name) if entry else None

    def _after_change(self, customer_id: str) -> None:
        entries = self.cache.entries if self.cache else []
        entry = next((e for e in entries if e.customer_id == customer_id), None)
        if entry is not None and not self.showing_all:
            self.load_rules(entry, keep_cursor=True)
        elif self.showing_all:
            self.walk_rules()

    def action_new(self) -> None:
        target = self._target_customer()
        if target is None:
            self.notify("Pick a customer first", severity="warning")
            return

        def saved(rule: Reminder | None) -> None:
            if rule is not None:
                self.notify(f"Rule added for {target[1]}: {describe(rule)}", timeout=4)
                self._after_change(target[0])

        self.app.push_screen(RuleForm(*target), saved)

    def action_edit(self) -> None:
        item = self.rules.current
        if item is None:
            self.notify("No rule to edit here", severity="warning")
            return

        def saved(rule: Reminder | None) -> None:
            if rule is not None:
                self.notify(f"Rule saved: {describe(rule)}", timeout=4)
                self._after_change(item.customer_id)

        self.app.push_screen(RuleForm(item.customer_id, item.customer_name, item.rule), saved)

    def action_delete(self) -> None:
        item = self.rules.current
        if item is None or not item.rule.customer_reminder_id:
            self.notify("No rule to delete here", severity="warning")
            return
        rule = item.rule
        words = f"{describe(rule)} at {rule.reminder_time or '?'}"

        def decided(yes: bool | None) -> None:
            if yes:
                self.delete(item)

        self.app.push_screen(
            ConfirmModal(
                f"Delete this rule for {item.customer_name}?",
                f"Reminders {words} will no longer go out for their invoices.",
                yes="Delete",
                no="Keep",
            ),
            decided,
        )

    @work(exclusive=True, group="reminder-action", exit_on_error=False)
    async def delete(self, item: RuleItem) -> None:
        session = self.enkash.session
        if session is None or not item.rule.customer_reminder_id:
            return
        try:
            await session.client.delete_reminder(item.rule.customer_reminder_id)
        except EnkashError as error:
            self.notify(f"Rule not deleted: {error}", severity="error")
            return
        self.notify(f"Rule deleted for {item.customer_name}", timeout=4)
        self._after_change(item.customer_id)

    def action_preview(self) -> None:
        target = self._target_customer()
        if target is not None:
            self.app.push_screen(ReminderPreview(*target))
