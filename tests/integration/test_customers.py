"""Customer operations through the real client: create, search, PATCH, (de)activate, delete.

``create_customer`` runs on the shared sandbox (the customer is the test's own). The tests that
change an existing customer use a fresh sandbox of their own and one of its seeded customers,
so they do not depend on each other or on ``create_customer``.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from enkash_tui.api import ApiError, EnkashClient, ErrorType
from enkash_tui.api.models import (
    CustomerFilter,
    CustomerStatus,
    CustomerUpdate,
    InvoiceFilter,
    KeyContactCreate,
    ReminderCreate,
    ReminderType,
)
from tests.support.records import Records

CUSTOMER_ID = re.compile(r"^KC[A-Z0-9]{14}$")


async def _seeded_customer_with_invoices(client: EnkashClient) -> str:
    """An active seeded customer that has open invoices."""
    active = {
        c.customer_id
        async for c in client.iter_customers(CustomerFilter(customer_status=CustomerStatus.ACTIVE))
    }
    page = await client.search_invoices(InvoiceFilter(receivable_statuses=["UNPAID"]), limit=500)
    for invoice in page.items:
        if invoice.customer_id in active:
            return invoice.customer_id
    raise AssertionError("no active seeded customer with an unpaid invoice")


async def test_create_customer_round_trip(client: EnkashClient) -> None:
    new = Records.customer(
        customer_reminders=[
            ReminderCreate(
                due_date_difference=-3,
                reminder_time=dt.time(10, 0),
                reminder_type=ReminderType.ONCE,
                stage="BEFORE_DUE",
            )
        ]
    )

    created = await client.create_customer(new)

    assert CUSTOMER_ID.match(created.customer_id)
    assert created.legal_name == new.legal_name
    assert created.ifsc == "HDFC0001234"
    assert created.pin_code == "411001"
    assert created.status == CustomerStatus.ACTIVE
    assert created.is_active
    assert [r.stage for r in created.customer_reminders] == ["BEFORE_DUE"]

    found = await client.search_customers(CustomerFilter(legal_name=new.legal_name))
    assert [c.customer_id for c in found.items] == [created.customer_id]
    assert found.total == 1

    contacts = await client.get_customer_contacts(created.customer_id)
    assert len(contacts) == 1
    (contact,) = contacts
    assert contact.key_contact_person_id
    assert (contact.name, contact.mobile, contact.email) == (
        "Ravi Kumar",
        "9812345678",
        "ravi@example.in",
    )
    assert contact.mail_enabled is True
    assert contact.sms_enabled is True


async def test_update_customer_patch_absent_vs_null(start_sandbox, make_client) -> None:
    client = await make_client(start_sandbox().url)
    customer_id = await _seeded_customer_with_invoices(client)
    (before,) = (await client.search_customers(CustomerFilter(customer_ids=[customer_id]))).items
    assert before.ifsc, "seeded customers have an IFSC"

    changes = CustomerUpdate(ifsc=None, assigned_agent="Priya Sharma", branch_codes=["PUN01"])
    assert "ifsc" in changes.to_wire() and changes.to_wire()["ifsc"] is None

    after = await client.update_customer(customer_id, changes)

    assert after.ifsc is None  # null clears
    assert after.assigned_agent == "Priya Sharma"
    assert after.branch_codes == ["PUN01"]
    # Absent fields are left as they were.
    for field in ("legal_name", "address", "state", "pin_code", "account_number", "pan_or_gstin"):
        assert getattr(after, field) == getattr(before, field), field
    assert [c.key_contact_person_id for c in after.customer_key_contacts] == [
        c.key_contact_person_id for c in before.customer_key_contacts
    ]
    assert after.customer_reminders == before.customer_reminders

    # The change is stored, not just echoed.
    (stored,) = (await client.search_customers(CustomerFilter(customer_ids=[customer_id]))).items
    assert stored.ifsc is None
    assert stored.assigned_agent == "Priya Sharma"
    assert stored.legal_name == before.legal_name


async def test_update_customer_replaces_contacts_and_reminders(start_sandbox, make_client) -> None:
    client = await make_client(start_sandbox().url)
    customer_id = await _seeded_customer_with_invoices(client)
    contact = KeyContactCreate(
        name="Meera Iyer",
        legal_name="Meera Iyer",
        mobile="+919900112233",
        email="meera@example.in",
        whatsapp_enabled=True,
    )
    rule = ReminderCreate(
        due_date_difference=2,
        reminder_interval=5,
        reminder_time=dt.time(9, 30),
        reminder_type=ReminderType.RECURRING,
        stage="AFTER_DUE",
    )

    after = await client.update_customer(
        customer_id, CustomerUpdate(customer_key_contacts=[contact], customer_reminders=[rule])
    )

    assert [(c.name, c.mobile, c.email) for c in after.customer_key_contacts] == [
        ("Meera Iyer", "+919900112233", "meera@example.in")
    ]
    contacts = await client.get_customer_contacts(customer_id)
    assert [(c.name, c.whatsapp_enabled) for c in contacts] == [("Meera Iyer", True)]
    assert [
        (r.due_date_difference, r.reminder_interval, r.reminder_time, r.reminder_type, r.stage)
        for r in after.customer_reminders
    ] == [(2, 5, "09:30", "RECURRING", "AFTER_DUE")]

    # An empty list clears the reminders; contacts (absent) stay.
    cleared = await client.update_customer(customer_id, CustomerUpdate(customer_reminders=[]))
    assert cleared.customer_reminders == []
    assert [c.name for c in cleared.customer_key_contacts] == ["Meera Iyer"]


async def test_renaming_a_customer_renames_it_on_its_invoices(start_sandbox, make_client) -> None:
    client = await make_client(start_sandbox().url)
    customer_id = await _seeded_customer_with_invoices(client)

    await client.update_customer(customer_id, CustomerUpdate(legal_name="Renamed Test Pvt Ltd"))

    invoices = (await client.search_invoices(InvoiceFilter(customer_ids=[customer_id]))).items
    assert invoices
    assert {i.customer_legal_name for i in invoices} == {"Renamed Test Pvt Ltd"}
    by_name = await client.search_invoices(InvoiceFilter(customer_legal_name="Renamed Test"))
    assert {i.invoice_id for i in by_name.items} == {i.invoice_id for i in invoices}


async def test_deactivate_and_activate_customer(start_sandbox, make_client) -> None:
    client = await make_client(start_sandbox().url)
    customer_id = await _seeded_customer_with_invoices(client)
    own = InvoiceFilter(customer_ids=[customer_id])
    all_invoices = await client.search_invoices(own)
    assert all_invoices.total

    deactivated = await client.deactivate_customer(customer_id)
    assert deactivated is not None and deactivated.status == CustomerStatus.INACTIVE
    assert not deactivated.is_active

    # Its invoices stay searchable, now under customerStatus INACTIVE.
    inactive = await client.search_invoices(
        InvoiceFilter(customer_ids=[customer_id], customer_status="INACTIVE")
    )
    assert {i.invoice_id for i in inactive.items} == {i.invoice_id for i in all_invoices.items}
    active = await client.search_invoices(
        InvoiceFilter(customer_ids=[customer_id], customer_status="ACTIVE")
    )
    assert active.items == [] and active.total == 0
    listed = await client.search_customers(
        CustomerFilter(customer_ids=[customer_id], customer_status=CustomerStatus.INACTIVE)
    )
    assert [c.customer_id for c in listed.items] == [customer_id]

    # No new invoices for an inactive customer.
    with pytest.raises(ApiError) as refused:
        await client.create_invoice(Records.invoice(customer_id))
    assert refused.value.status_code == 422
    assert refused.value.error_type == ErrorType.UNPROCESSABLE_REQUEST
    assert refused.value.request_id
    assert (await client.search_invoices(own)).total == all_invoices.total

    activated = await client.activate_customer(customer_id)
    assert activated is not None and activated.status == CustomerStatus.ACTIVE
    # Activating is idempotent.
    again = await client.activate_customer(customer_id)
    assert again is not None and again.status == CustomerStatus.ACTIVE
    invoice = await client.create_invoice(Records.invoice(customer_id))
    assert invoice.customer_id == customer_id


async def test_delete_customer(start_sandbox, make_client) -> None:
    client = await make_client(start_sandbox().url)
    customer_id = await _seeded_customer_with_invoices(client)
    invoices = await client.search_invoices(InvoiceFilter(customer_ids=[customer_id]))

    message = await client.delete_customer(customer_id)
    assert customer_id in message

    with pytest.raises(ApiError) as missing:
        await client.update_customer(customer_id, CustomerUpdate(assigned_agent="Nobody"))
    assert missing.value.status_code == 404
    assert missing.value.error_type == ErrorType.RECORD_NOT_FOUND
    assert missing.value.request_id

    with pytest.raises(ApiError) as no_contacts:
        await client.get_customer_contacts(customer_id)
    assert no_contacts.value.error_type == ErrorType.RECORD_NOT_FOUND
    with pytest.raises(ApiError) as twice:
        await client.delete_customer(customer_id)
    assert twice.value.error_type == ErrorType.RECORD_NOT_FOUND

    found = await client.search_customers(CustomerFilter(customer_ids=[customer_id]))
    assert found.items == [] and found.total == 0
    # A soft delete: the invoices remain, under customerDeleted.
    remaining = await client.search_invoices(
        InvoiceFilter(customer_ids=[customer_id], customer_deleted=True)
    )
    assert {i.invoice_id for i in remaining.items} == {i.invoice_id for i in invoices.items}


async def test_unknown_customer_is_not_found(client: EnkashClient) -> None:
    unknown = "KC00000000000000"
    for call in (
        lambda: client.update_customer(unknown, CustomerUpdate(state="Goa")),
        lambda: client.activate_customer(unknown),
        lambda: client.deactivate_customer(unknown),
        lambda: client.get_customer_contacts(unknown),
        lambda: client.delete_customer(unknown),
    ):
        with pytest.raises(ApiError) as missing:
            await call()
        assert missing.value.status_code == 404
        assert missing.value.error_type == ErrorType.RECORD_NOT_FOUND


async def test_search_customers_by_email_with_underscore(start_sandbox, make_client) -> None:
    """``_`` and ``%`` in a contains-filter are plain characters, not LIKE wildcards."""
    client = await make_client(start_sandbox().url)
    page = await client.search_customers(limit=2, order_by="customerId")
    target, other = page.items
    for customer, email in ((target, "first_last@acme.in"), (other, "firstXlast@acme.in")):
        contact = KeyContactCreate(name="A B", legal_name="A B", mobile="9812345678", email=email)
        await client.update_customer(
            customer.customer_id, CustomerUpdate(customer_key_contacts=[contact])
        )

    found = await client.search_customers(CustomerFilter(email="first_last"))

    assert [c.customer_id for c in found.items] == [target.customer_id]


async def test_search_customers_by_legal_name_with_wildcards(start_sandbox, make_client) -> None:
    client = await make_client(start_sandbox().url)
    page = await client.search_customers(limit=2, order_by="customerId")
    target, other = page.items
    await client.update_customer(target.customer_id, CustomerUpdate(legal_name="Fifty_50% Ltd"))
    await client.update_customer(other.customer_id, CustomerUpdate(legal_name="FiftyX50X Ltd"))

    found = await client.search_customers(CustomerFilter(legal_name="fifty_50%"))

    assert [c.customer_id for c in found.items] == [target.customer_id]


async def test_contact_id_of_another_customer_is_a_client_error(start_sandbox, make_client):
    """Reusing another customer's keyContactPersonId is the caller's mistake (4xx), and must
    not disturb that other customer's contacts."""
    client = await make_client(start_sandbox().url)
    owner, target = (await client.search_customers(limit=2, order_by="customerId")).items
    owners_contacts = await client.get_customer_contacts(owner.customer_id)
    targets_contacts = await client.get_customer_contacts(target.customer_id)
    borrowed = KeyContactCreate(
        key_contact_person_id=owners_contacts[0].key_contact_person_id,
        name="Borrowed Contact",
        legal_name="Borrowed Contact",
        mobile="9812345678",
    )

    with pytest.raises(ApiError) as refused:
        await client.update_customer(
            target.customer_id, CustomerUpdate(customer_key_contacts=[borrowed])
        )

    assert 400 <= refused.value.status_code < 500, refused.value
    assert refused.value.error_type != ErrorType.SYSTEM_ERROR
    assert await client.get_customer_contacts(owner.customer_id) == owners_contacts
    assert await client.get_customer_contacts(target.customer_id) == targets_contacts
