"""Payment reminder rules (§4.18–4.22, paths guessed): CRUD per customer."""

from __future__ import annotations

import sqlite3
from typing import Any

from pydantic import ValidationError

from enkash_tui.api.models import ReminderCreate, ReminderUpdate
from enkash_tui.sandbox import serialize
from enkash_tui.sandbox.context import Call
from enkash_tui.sandbox.db import transaction
from enkash_tui.sandbox.envelope import invalid, validation_failure
from enkash_tui.sandbox.routes.customers import insert_reminder, load_customer


def _customer_from_query(call: Call) -> str:
    customer_id = call.query.get("customerId")
    if not customer_id:
        raise invalid("customerId", "is required", None)
    load_customer(call, customer_id)
    return customer_id


def _load(call: Call) -> sqlite3.Row:
    reminder_id = call.params["customerReminderId"]
    row = call.conn.execute(
        "SELECT r.*, c.company_id, c.deleted AS customer_deleted FROM reminders r "
        "JOIN customers c ON c.customer_id = r.customer_id WHERE r.customer_reminder_id = ?",
        (reminder_id,),
    )
    return call.owned(row.fetchone(), f"Reminder {reminder_id}", deleted="customer_deleted")


def _dto(call: Call, reminder_id: str) -> dict[str, Any]:
    row = call.conn.execute(
        "SELECT * FROM reminders WHERE customer_reminder_id = ?", (reminder_id,)
    ).fetchone()
    return serialize.reminder(row)


async def create_reminder(call: Call) -> dict[str, Any]:
    customer_id = _customer_from_query(call)
    rule = call.parse(ReminderCreate)
    with transaction(call.conn):
        position = call.conn.execute(
            "SELECT coalesce(max(position) + 1, 0) FROM reminders WHERE customer_id = ?",
            (customer_id,),
        ).fetchone()[0]
        reminder_id = insert_reminder(call.conn, customer_id, rule, position)
    return _dto(call, reminder_id)


async def list_reminders(call: Call) -> list[dict[str, Any]]:
    customer_id = _customer_from_query(call)
    rows = call.conn.execute(
        "SELECT * FROM reminders WHERE customer_id = ? ORDER BY position", (customer_id,)
    )
    return [serialize.reminder(row) for row in rows]


async def get_reminder(call: Call) -> dict[str, Any]:
    return serialize.reminder(_load(call))


async def update_reminder(call: Call) -> dict[str, Any]:
    row = _load(call)
    changes = call.parse(ReminderUpdate)
    merged = {**serialize.reminder(row), **changes.to_wire()}
    merged.pop("customerId", None)
    try:
        rule = ReminderCreate.model_validate(merged)  # the merged rule must still be whole
    except ValidationError as error:
        raise validation_failure(error, ReminderCreate) from None
    with transaction(call.conn):
        call.conn.execute(
            "UPDATE reminders SET due_date_difference = ?, reminder_interval = ?, "
            "reminder_time = ?, reminder_type = ?, stage = ? WHERE customer_reminder_id = ?",
            (
                rule.due_date_difference,
                rule.reminder_interval,
                rule.reminder_time.strftime("%H:%M"),
                str(rule.reminder_type),
                rule.stage,
                row["customer_reminder_id"],
            ),
        )
    return _dto(call, row["customer_reminder_id"])


async def delete_reminder(call: Call) -> str:
    row = _load(call)
    with transaction(call.conn):
        call.conn.execute(
            "DELETE FROM reminders WHERE customer_reminder_id = ?", (row["customer_reminder_id"],)
        )
    return f"Reminder {row['customer_reminder_id']} deleted"
