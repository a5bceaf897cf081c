"""Payment reminder rules: create, list, get, update (merged with the stored rule), delete.

Each test runs on a fresh sandbox and hangs its reminders on one of the seeded customers.
"""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from enkash_tui.api import ApiError, EnkashClient, ErrorType
from enkash_tui.api.models import CustomerFilter, ReminderCreate, ReminderType, ReminderUpdate
from tests.support.records import Records
from tests.support.wire import RawApi


@pytest.fixture
async def sandbox_client(start_sandbox, make_client) -> EnkashClient:
    return await make_client(start_sandbox().url)


def _mentions_interval(error: ApiError) -> bool:
    # The field error names the field itself, so a form can mark it.
    return any(item.field.endswith("reminderInterval") for item in error.field_errors)


async def test_reminder_crud(sandbox_client: EnkashClient) -> None:
    client = sandbox_client
    customer_id = await Records.active_customer_id(client)
    before = await client.list_reminders(customer_id)

    created = await client.create_reminder(
        customer_id,
        ReminderCreate(
            due_date_difference=-5,
            reminder_time=dt.time(11, 0),
            reminder_type=ReminderType.ONCE,
            stage="BEFORE_DUE",
        ),
    )
    assert created.customer_reminder_id
    assert created.customer_id == customer_id
    assert (created.due_date_difference, created.reminder_time, created.reminder_type) == (
        -5,
        "11:00",
        "ONCE",
    )

    listed = await client.list_reminders(customer_id)
    assert [r.customer_reminder_id for r in listed] == [
        *(r.customer_reminder_id for r in before),
        created.customer_reminder_id,
    ]
    assert await client.get_reminder(created.customer_reminder_id) == created
    (customer,) = (await client.search_customers(CustomerFilter(customer_ids=[customer_id]))).items
    assert created.customer_reminder_id in {
        r.customer_reminder_id for r in customer.customer_reminders
    }

    # An update changes only what it sends; the rest of the stored rule stays.
    staged = await client.update_reminder(
        created.customer_reminder_id, ReminderUpdate(stage="ON_DUE")
    )
    assert staged.stage == "ON_DUE"
    assert (staged.due_date_difference, staged.reminder_time, staged.reminder_type) == (
        -5,
        "11:00",
        "ONCE",
    )
    recurring = await client.update_reminder(
        created.customer_reminder_id,
        ReminderUpdate(reminder_type=ReminderType.RECURRING, reminder_interval=7),
    )
    assert (recurring.reminder_type, recurring.reminder_interval, recurring.stage) == (
        "RECURRING",
        7,
        "ON_DUE",
    )
    assert await client.get_reminder(created.customer_reminder_id) == recurring

    message = await client.delete_reminder(created.customer_reminder_id)
    assert message
    with pytest.raises(ApiError) as gone:
        await client.get_reminder(created.customer_reminder_id)
    assert gone.value.status_code == 404
    assert gone.value.error_type == ErrorType.RECORD_NOT_FOUND
    assert [r.customer_reminder_id for r in await client.list_reminders(customer_id)] == [
        r.customer_reminder_id for r in before
    ]


async def test_recurring_without_interval_is_refused(sandbox_client) -> None:
    client = sandbox_client
    customer_id = await Records.active_customer_id(client)
    once = await client.create_reminder(
        customer_id,
        ReminderCreate(due_date_difference=0, reminder_time="10:00", reminder_type="ONCE"),
    )

    # The client cannot tell (the stored rule decides), so the server checks the merged rule.
    with pytest.raises(ApiError) as refused:
        await client.update_reminder(
            once.customer_reminder_id, ReminderUpdate(reminder_type=ReminderType.RECURRING)
        )
    assert refused.value.status_code == 400
    assert refused.value.error_type == ErrorType.VALIDATION_ERROR
    assert _mentions_interval(refused.value)
    assert refused.value.request_id
    assert await client.get_reminder(once.customer_reminder_id) == once

    # Clearing the interval of a recurring rule is refused the same way.
    recurring = await client.update_reminder(
        once.customer_reminder_id,
        ReminderUpdate(reminder_type=ReminderType.RECURRING, reminder_interval=3),
    )
    with pytest.raises(ApiError) as cleared:
        await client.update_reminder(
            once.customer_reminder_id, ReminderUpdate(reminder_interval=None)
        )
    assert cleared.value.error_type == ErrorType.VALIDATION_ERROR
    assert _mentions_interval(cleared.value)
    assert await client.get_reminder(once.customer_reminder_id) == recurring


async def test_create_recurring_without_interval(start_sandbox, make_client) -> None:
    sandbox = start_sandbox()
    client = await make_client(sandbox.url)
    customer_id = await Records.active_customer_id(client)
    before = await client.list_reminders(customer_id)

    # The client's model refuses it before anything is sent...
    with pytest.raises(ValidationError, match="days between repeats"):
        ReminderCreate(due_date_difference=1, reminder_time="10:00", reminder_type="RECURRING")

    # ...and the server refuses it when sent anyway.
    response = RawApi(sandbox.url).call(
        "POST",
        "/api/v0/customer-reminder",
        params={"customerId": customer_id},
        json={"dueDateDifference": 1, "reminderTime": "10:00", "reminderType": "RECURRING"},
    )
    assert response.status_code == 400
    error = response.json()["errorResponse"]
    assert error["errorType"] == "VALIDATION_ERROR"
    assert [sub["field"] for sub in error["apiSubErrors"]] == ["reminderInterval"]
    assert error["requestId"]
    assert await client.list_reminders(customer_id) == before


async def test_reminders_of_unknown_customer(sandbox_client) -> None:
    with pytest.raises(ApiError) as missing:
        await sandbox_client.list_reminders("KC00000000000000")
    assert missing.value.error_type == ErrorType.RECORD_NOT_FOUND
    with pytest.raises(ApiError) as missing_rule:
        await sandbox_client.get_reminder("KR00000000000000")
    assert missing_rule.value.error_type == ErrorType.RECORD_NOT_FOUND


async def test_reminder_id_of_another_customer_is_a_client_error(sandbox_client) -> None:
    client = sandbox_client
    customers = (await client.search_customers(limit=50, order_by="customerId")).items
    owner = next(c for c in customers if c.customer_reminders)
    target = next(c for c in customers if c.customer_id != owner.customer_id)
    taken = owner.customer_reminders[0].customer_reminder_id
    assert taken

    with pytest.raises(ApiError) as refused:
        await client.create_reminder(
            target.customer_id,
            ReminderCreate(
                customer_reminder_id=taken,
                due_date_difference=1,
                reminder_time="10:00",
                reminder_type="ONCE",
            ),
        )

    assert 400 <= refused.value.status_code < 500, refused.value
    assert await client.get_reminder(taken) == owner.customer_reminders[0]
    assert await client.list_reminders(owner.customer_id) == owner.customer_reminders
