"""Payment reminder operations (§4.18–4.22; paths guessed, see routes.py)."""

from __future__ import annotations

from enkash_tui.api.models import Reminder, ReminderCreate, ReminderUpdate
from enkash_tui.api.operations.base import Operations, confirmation, parse


class ReminderOperations(Operations):
    async def create_reminder(self, customer_id: str, reminder: ReminderCreate) -> Reminder:
        reply = await self._caller.call(
            "create_reminder",
            query={"customerId": self._customer_path(customer_id)["customerId"]},
            json_body=reminder.to_wire(),
        )
        return parse(Reminder, reply.payload)

    async def list_reminders(self, customer_id: str) -> list[Reminder]:
        reply = await self._caller.call(
            "list_reminders",
            query={"customerId": self._customer_path(customer_id)["customerId"]},
        )
        return [parse(Reminder, item) for item in reply.payload or []]

    async def get_reminder(self, reminder_id: str) -> Reminder:
        reply = await self._caller.call(
            "get_reminder", path_params={"customerReminderId": reminder_id}
        )
        return parse(Reminder, reply.payload)

    async def update_reminder(self, reminder_id: str, changes: ReminderUpdate) -> Reminder:
        reply = await self._caller.call(
            "update_reminder",
            path_params={"customerReminderId": reminder_id},
            json_body=changes.to_wire(),
        )
        return parse(Reminder, reply.payload)

    async def delete_reminder(self, reminder_id: str) -> str:
        reply = await self._caller.call(
            "delete_reminder", path_params={"customerReminderId": reminder_id}
        )
        return confirmation(reply, "Reminder deleted")
