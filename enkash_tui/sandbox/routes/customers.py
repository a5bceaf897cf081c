"""Customer operations (§4.2–4.10): create, search, update, (de)activate, delete, contacts."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from enkash_tui.api.errors import ErrorType
from enkash_tui.api.models import CustomerCreate, CustomerFilter, CustomerUpdate, KeyContactCreate
from enkash_tui.api.models.customer import gstin_state_problem
from enkash_tui.api.models.reminder import ReminderCreate
from enkash_tui.sandbox import serialize
from enkash_tui.sandbox.context import Call, Listing, new_id, sort_direction
from enkash_tui.sandbox.db import like_contains, transaction
from enkash_tui.sandbox.envelope import SandboxError, invalid
from enkash_tui.sandbox.search_bounds import check_filter

_CUSTOMER_SORTS = {
    "legalName": "legal_name",
    "createdOn": "created_on",
    "modifiedOn": "modified_on",
    "customerId": "customer_id",
    "state": "state",
}
# Wire field -> column, for plain scalar fields a create or PATCH may set.
_CUSTOMER_COLUMNS = {
    "account_number": "account_number",
    "address": "address",
    "assigned_agent": "assigned_agent",
    "contact_number": "contact_number",
    "customer_company_id": "customer_company_id",
    "external_source": "external_source",
    "ifsc": "ifsc",
    "legal_name": "legal_name",
    "pan_or_gstin": "pan_or_gstin",
    "pin_code": "pin_code",
    "state": "state",
    "unique_ref_no": "unique_ref_no",
}


def load_customer(call: Call, customer_id: str) -> sqlite3.Row:
    """The caller's live customer, or 404 (unknown/deleted) / 403 (another company's)."""
    row = call.conn.execute("SELECT * FROM customers WHERE customer_id = ?", (customer_id,))
    return call.owned(row.fetchone(), f"Customer {customer_id}")


def customer_dto(call: Call, customer_id: str) -> dict[str, Any]:
    row = call.conn.execute(
        "SELECT * FROM customers WHERE customer_id = ?", (customer_id,)
    ).fetchone()
    return serialize.customers(call.conn, [row])[0]


def _record_id(
    conn: sqlite3.Connection,
    table: str,
    column: str,
    given: str | None,
    field: str,
    prefix: str,
    length: int,
    taken: set[str],
) -> str:
    """The id a nested record keeps: the caller's when it is this customer's own (the old rows
    are already deleted, so any row still holding it is someone else's), else a new one."""
    if given is None:
        return new_id(prefix, length)
    clash = conn.execute(f"SELECT 1 FROM {table} WHERE {column} = ?", (given,)).fetchone()
    if clash or given in taken:
        raise invalid(field, "belongs to another record; leave it out to add a new one", given)
    taken.add(given)
    return given


def replace_contacts(
    conn: sqlite3.Connection, customer_id: str, contacts: list[KeyContactCreate]
) -> None:
    conn.execute("DELETE FROM key_contacts WHERE customer_id = ?", (customer_id,))
    taken: set[str] = set()
    conn.executemany(
        "INSERT INTO key_contacts VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                _record_id(
                    conn,
                    "key_contacts",
                    "key_contact_person_id",
                    c.key_contact_person_id,
                    f"customerKeyContacts.{position}.keyContactPersonId",
                    "KCP",
                    13,
                    taken,
                ),
                customer_id,
                position,
                c.name,
                c.legal_name,
                c.mobile,
                c.email,
                c.via,
                int(c.deleted),
                _int(c.mail_enabled),
                _int(c.sms_enabled),
                _int(c.whatsapp_enabled),
            )
            for position, c in enumerate(contacts)
        ],
    )


def insert_reminder(
    conn: sqlite3.Connection,
    customer_id: str,
    rule: ReminderCreate,
    position: int,
    taken: set[str] | None = None,
    field: str = "customerReminderId",
) -> str:
    reminder_id = _record_id(
        conn,
        "reminders",
        "customer_reminder_id",
        rule.customer_reminder_id,
        field,
        "KR",
        14,
        set() if taken is None else taken,
    )
    conn.execute(
        "INSERT INTO reminders VALUES (?,?,?,?,?,?,?,?)",
        (
            reminder_id,
            customer_id,
            position,
            rule.due_date_difference,
            rule.reminder_interval,
            rule.reminder_time.strftime("%H:%M"),
            str(rule.reminder_type),
            rule.stage,
        ),
    )
    return reminder_id


def replace_reminders(
    conn: sqlite3.Connection, customer_id: str, rules: list[ReminderCreate]
) -> None:
    conn.execute("DELETE FROM reminders WHERE customer_id = ?", (customer_id,))
    taken: set[str] = set()
    for position, rule in enumerate(rules):
        field = f"customerReminders.{position}.customerReminderId"
        insert_reminder(conn, customer_id, rule, position, taken, field)


def _int(flag: bool | None) -> int | None:
    return None if flag is None else int(flag)


def insert_customer(call: Call, new: CustomerCreate) -> str:
    if new.company_id and new.company_id != call.company_id:
        raise SandboxError(ErrorType.INVALID_ACCESS, f"companyId {new.company_id} is not yours")
    customer_id = new_id("KC", 14)
    values = {
        column: getattr(new, name)
        for name, column in _CUSTOMER_COLUMNS.items()
        if name in CustomerCreate.model_fields  # assignedAgent is an update-only field
    }
    values["external_source"] = _int(new.external_source)
    columns = ["customer_id", "company_id", "created_on", "modified_on", *values]
    call.conn.execute(
        f"INSERT INTO customers ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        (customer_id, call.company_id, call.now_iso, call.now_iso, *values.values()),
    )
    replace_contacts(call.conn, customer_id, new.customer_key_contacts)
    replace_reminders(call.conn, customer_id, new.customer_reminders or [])
    return customer_id


async def create_customer(call: Call) -> dict[str, Any]:
    new = call.parse(CustomerCreate)
    with transaction(call.conn):
        customer_id = insert_customer(call, new)
    return customer_dto(call, customer_id)


def apply_customer_update(call: Call, customer_id: str, changes: CustomerUpdate) -> None:
    """PATCH semantics: only the fields present change; ``null`` clears."""
    fields = changes.model_fields_set
    if "customer_id" in fields and changes.customer_id != customer_id:
        raise invalid("customerId", "does not match the customer in the path", changes.customer_id)
    if "legal_name" in fields and not changes.legal_name:
        raise invalid("legalName", "cannot be cleared", None)
    if fields & {"pan_or_gstin", "state"}:  # one changed: judged with the other as stored
        stored = load_customer(call, customer_id)
        gstin = changes.pan_or_gstin if "pan_or_gstin" in fields else stored["pan_or_gstin"]
        state = changes.state if "state" in fields else stored["state"]
        problem = gstin_state_problem(gstin, state)
        if problem:
            raise invalid("panOrGstin", problem, gstin)
    updates = {
        column: getattr(changes, name)
        for name, column in _CUSTOMER_COLUMNS.items()
        if name in fields
    }
    if "branch_codes" in fields:
        updates["branch_codes"] = json.dumps(changes.branch_codes or [])
    updates["modified_on"] = call.now_iso
    assignments = ", ".join(f"{column} = ?" for column in updates)
    call.conn.execute(
        f"UPDATE customers SET {assignments} WHERE customer_id = ?",
        (*updates.values(), customer_id),
    )
    if "legal_name" in updates:
        call.conn.execute(
            "UPDATE invoices SET customer_legal_name = ? WHERE customer_id = ?",
            (updates["legal_name"], customer_id),
        )
    if "customer_key_contacts" in fields:
        replace_contacts(call.conn, customer_id, changes.customer_key_contacts or [])
    if "customer_reminders" in fields:
        replace_reminders(call.conn, customer_id, changes.customer_reminders or [])


async def update_customer(call: Call) -> dict[str, Any]:
    call.check_tenancy("parentCompanyId")
    customer_id = call.params["customerId"]
    load_customer(call, customer_id)
    changes = call.parse(CustomerUpdate)
    with transaction(call.conn):
        apply_customer_update(call, customer_id, changes)
    return customer_dto(call, customer_id)


async def _set_status(call: Call, status: str) -> dict[str, Any]:
    call.check_tenancy("parentCompanyId")
    customer_id = call.params["customerId"]
    load_customer(call, customer_id)
    with transaction(call.conn):
        call.conn.execute(
            "UPDATE customers SET status = ?, modified_on = ? WHERE customer_id = ?",
            (status, call.now_iso, customer_id),
        )
    return customer_dto(call, customer_id)


async def activate_customer(call: Call) -> dict[str, Any]:
    return await _set_status(call, "ACTIVE")


async def deactivate_customer(call: Call) -> dict[str, Any]:
    return await _set_status(call, "INACTIVE")


async def delete_customer(call: Call) -> str:
    call.check_tenancy("parentCompanyId")
    customer_id = call.params["customerId"]
    load_customer(call, customer_id)
    with transaction(call.conn):
        call.conn.execute(
            "UPDATE customers SET deleted = 1, modified_on = ? WHERE customer_id = ?",
            (call.now_iso, customer_id),
        )
    return f"Customer {customer_id} deleted"


async def get_customer_contacts(call: Call) -> list[dict[str, Any]]:
    call.check_tenancy("parentCompanyId")
    customer_id = call.params["customerId"]
    load_customer(call, customer_id)
    rows = call.conn.execute(
        "SELECT * FROM key_contacts WHERE customer_id = ? AND deleted = 0 ORDER BY position",
        (customer_id,),
    )
    return [serialize.key_contact(row) for row in rows]


async def search_customers(call: Call) -> Listing:
    call.check_tenancy("parentCompanyId")
    limit = call.query_int("limit", 50, 1, 50)
    offset = call.query_int("offset", 0, 0, 10_000_000)
    order = _CUSTOMER_SORTS.get(call.query.get("orderBy", "legalName"))
    if order is None:
        raise invalid(
            "orderBy", f"must be one of {', '.join(_CUSTOMER_SORTS)}", call.query["orderBy"]
        )
    direction = sort_direction(call, "ASC")
    f = call.parse(CustomerFilter, call.body or {})
    check_filter(f)
    where = ["c.company_id = ?", "c.deleted = 0"]
    args: list[Any] = [call.company_id]

    def add(clause: str, *values: Any) -> None:
        where.append(clause)
        args.extend(values)

    if f.legal_name:
        add("c.legal_name LIKE ? ESCAPE '\\'", like_contains(f.legal_name))
    if f.account_number:
        add("c.account_number = ?", f.account_number)
    if f.assigned_agent:
        add("c.assigned_agent = ? COLLATE NOCASE", f.assigned_agent)
    if f.branch_codes:
        marks = ",".join("?" * len(f.branch_codes))
        add(
            f"EXISTS (SELECT 1 FROM json_each(c.branch_codes) WHERE value IN ({marks}))",
            *f.branch_codes,
        )
    if f.contact_number:
        add(
            "replace(replace(c.contact_number, ' ', ''), '-', '') LIKE ? ESCAPE '\\'",
            like_contains(f.contact_number.replace(" ", "").replace("-", "")),
        )
    if f.created_on_from:
        add("c.created_on >= ?", f.created_on_from.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if f.created_on_to:
        add("c.created_on <= ?", f.created_on_to.strftime("%Y-%m-%dT%H:%M:%SZ"))
    if f.customer_ids:
        add(f"c.customer_id IN ({','.join('?' * len(f.customer_ids))})", *f.customer_ids)
    if f.customer_status:
        add("c.status = ?", str(f.customer_status))
    if f.email:
        add(
            "EXISTS (SELECT 1 FROM key_contacts k WHERE k.customer_id = c.customer_id "
            "AND k.email LIKE ? ESCAPE '\\')",
            like_contains(f.email),
        )
    if f.mobile:
        add(
            "(EXISTS (SELECT 1 FROM key_contacts k WHERE k.customer_id = c.customer_id "
            "AND k.mobile LIKE ? ESCAPE '\\') OR c.contact_number LIKE ? ESCAPE '\\')",
            like_contains(f.mobile[-10:]),
            like_contains(f.mobile[-10:]),
        )
    if f.pan_or_gstin:
        add("upper(c.pan_or_gstin) LIKE ? ESCAPE '\\'", like_contains(f.pan_or_gstin.upper()))
    if f.unique_ref_no:
        add("c.unique_ref_no = ?", f.unique_ref_no)
    clause = " AND ".join(where)
    total = call.conn.execute(f"SELECT count(*) FROM customers c WHERE {clause}", args).fetchone()[
        0
    ]
    rows = call.conn.execute(
        f"SELECT c.* FROM customers c WHERE {clause} "
        f"ORDER BY c.{order} {direction}, c.customer_id LIMIT ? OFFSET ?",
        (*args, limit, offset),
    ).fetchall()
    return Listing(serialize.customers(call.conn, rows), total)
