"""What the customer, reminder-rule and Bharat Connect exports hold, cell by cell (no server):
their headers, amounts as plain numbers, hostile text made safe, a customer without rules as
one row saying so, and the names their files are offered under."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any, TypeVar

from enkash_tui.api.models import Customer, Invoice
from enkash_tui.domain.csv_safety import Column, SafeCsvWriter
from enkash_tui.domain.exports import (
    NO_RULES,
    CustomerRow,
    customer_columns,
    file_name,
    queue_columns,
    reaches,
    rule_columns,
    rule_rows,
)
from enkash_tui.local.customer_cache import CustomerEntry
from enkash_tui.local.export_jobs import CUSTOMER_ORDERS

TODAY = dt.date(2026, 11, 25)
T = TypeVar("T")


def written(columns: tuple[Column[T], ...], rows: list[T]) -> list[dict[str, str]]:
    """The rows as a spreadsheet reads the file back."""
    handle = io.StringIO()
    sheet = SafeCsvWriter(handle, columns)
    sheet.header()
    sheet.rows(rows)
    return list(csv.DictReader(io.StringIO(handle.getvalue())))


def customer(**fields: Any) -> Customer:
    data: dict[str, Any] = {
        "customerId": "KC1A2B3C4D5E6F7G",
        "legalName": "Acme Traders",
        "status": "ACTIVE",
        "panOrGstin": "27AAPFU0939F1ZV",
        "contactNumber": "9876543210",
        "customerKeyContacts": [
            {"name": "Asha", "legalName": "Asha Rao", "mobile": "9876500001",
             "email": "asha@acme.in", "mail_enabled": True, "sms_enabled": True},
            {"name": "Ravi", "legalName": "Ravi K", "mobile": "9876500002",
             "email": "ravi@acme.in", "sms_enabled": True},
            {"name": "Gone", "legalName": "Gone", "mobile": "9876500003",
             "email": "gone@acme.in", "deleted": True, "mail_enabled": True},
        ],
        "customerReminders": [
            {"customerReminderId": "R1", "dueDateDifference": -3, "reminderTime": "10:00",
             "reminderType": "ONCE", "stage": "BEFORE_DUE"},
            {"customerReminderId": "R2", "dueDateDifference": 5, "reminderInterval": 7,
             "reminderTime": "09:30", "reminderType": "RECURRING", "stage": "AFTER_DUE"},
        ],
        "branchCodes": ["MUM", "PUN"],
    }  # fmt: skip
    return Customer.model_validate(data | fields)


def test_a_customer_row_has_their_contacts_money_and_rules() -> None:
    row = CustomerRow(customer(), 3, Decimal("12500.5"), Decimal("-120.50"), dt.date(2026, 9, 1))
    [cells] = written(customer_columns(), [row])
    assert list(cells)[:5] == ["Customer", "Customer id", "Status", "GSTIN / PAN", "Phone"]
    assert cells["Customer"] == "Acme Traders"
    assert cells["Status"] == "Active"
    assert cells["GSTIN / PAN"] == "27AAPFU0939F1ZV"
    assert cells["Contact"] == "Asha"
    assert cells["Contact e-mails"] == "asha@acme.in; ravi@acme.in"  # not the deleted one
    assert cells["Open invoices"] == "3"
    # Plain numbers a spreadsheet sums: two places, no ₹, no grouping, a minus kept.
    assert (cells["Balance"], cells["Overdue"]) == ("12500.50", "-120.50")
    assert cells["Oldest due"] == "2026-09-01"
    assert cells["Reminder rules"] == "2"
    assert cells["Branch codes"] == "MUM; PUN"


def test_an_untotalled_customer_has_empty_money_cells_and_an_inactive_one_says_so() -> None:
    [cells] = written(customer_columns(), [CustomerRow(customer(status="INACTIVE"))])
    assert cells["Status"] == "Inactive"
    assert (cells["Open invoices"], cells["Balance"], cells["Overdue"]) == ("", "", "")


def test_names_a_spreadsheet_would_run_are_written_as_text() -> None:
    hostile = customer(
        legalName='=HYPERLINK("http://evil.example","Click")',
        address="+91 Main Road",
        uniqueRefNo="@SUM(A1:A9)",
    )
    [cells] = written(customer_columns(), [CustomerRow(hostile, 0, Decimal(0), Decimal(0))])
    assert cells["Customer"] == '\'=HYPERLINK("http://evil.example","Click")'
    assert cells["Address"] == "'+91 Main Road"
    assert cells["Unique ref no"] == "'@SUM(A1:A9)"
    [rule] = written(rule_columns(), rule_rows(hostile))[:1]
    assert rule["Customer"].startswith("'=")


def test_each_rule_is_a_row_in_words_with_whom_it_reaches() -> None:
    rows = written(rule_columns(), rule_rows(customer()))
    assert [r["Rule"] for r in rows] == ["3 days before due", "every 7 days from 5 days after due"]
    assert [r["Type"] for r in rows] == ["once", "repeats"]
    assert [r["Days from due"] for r in rows] == ["-3", "5"]  # a number, not a formula
    assert [r["Repeat every (days)"] for r in rows] == ["", "7"]
    assert [r["Time"] for r in rows] == ["10:00", "09:30"]
    assert [r["Stage"] for r in rows] == ["BEFORE_DUE", "AFTER_DUE"]
    assert [r["Rule id"] for r in rows] == ["R1", "R2"]
    assert {r["Rules"] for r in rows} == {"2"}
    assert {r["Reaches"] for r in rows} == {"Asha (e-mail, SMS); Ravi (SMS)"}


def test_a_customer_without_rules_is_one_row_saying_nobody_reminds_them() -> None:
    silent = customer(customerReminders=[], customerKeyContacts=[])
    [row] = written(rule_columns(), rule_rows(silent))
    assert row["Rule"] == NO_RULES
    assert row["Rules"] == "0"
    assert (row["Type"], row["Days from due"], row["Time"], row["Rule id"]) == ("", "", "", "")
    assert row["Reaches"].startswith("nobody")
    assert reaches(customer()) == "Asha (e-mail, SMS); Ravi (SMS)"


def network_invoice(**bc: Any) -> Invoice:
    return Invoice.model_validate(
        {
            "invoiceId": "KI1A2B3C4D5E6F7G",
            "invoiceNumber": "-2+3",
            "customerId": "KC1A2B3C4D5E6F7G",
            "customerLegalName": "Acme Traders",
            "dueDate": "2026-11-20",
            "netAmount": "1180.00",
            "balanceAmount": "1180",
            "bharatConnect": {
                "objectId": "OBJ-1",
                "status": "ACCEPTED",
                "objectVersion": 3,
                "buyerB2BId": "BUYER-1",
                "supplierB2BId": "SUPPLIER-1",
                **bc,
            },
        }
    )


def test_a_queue_row_has_the_network_status_version_and_reported_payment() -> None:
    reported = {
        "paymentId": "PAY-77",
        "type": "OFFPLATFORM",
        "amount": "1180.5",
        "reportedOn": "2026-11-24T14:05:00+05:30",
        "remarks": "=paid by NEFT",
    }
    [row] = written(queue_columns(TODAY), [network_invoice(reportedPayment=reported)])
    assert row["Invoice number"] == "'-2+3"
    assert row["Days overdue"] == "5"
    assert (row["Net"], row["Balance"]) == ("1180.00", "1180.00")
    assert (row["Network status"], row["Version"]) == ("ACCEPTED", "3")
    assert row["Can move to"] == "CANCELLED, PAID"
    assert (row["Buyer B2B id"], row["Supplier B2B id"]) == ("BUYER-1", "SUPPLIER-1")
    assert (row["Payment id"], row["Payment type"]) == ("PAY-77", "OFFPLATFORM")
    assert row["Reported amount"] == "1180.50"
    assert row["Reported on"] == "2026-11-24 14:05"
    assert row["Buyer's remarks"] == "'=paid by NEFT"


def test_a_queue_row_without_a_reported_payment_leaves_its_cells_empty() -> None:
    [row] = written(queue_columns(TODAY), [network_invoice(status="PAID")])
    assert row["Can move to"] == ""  # final
    assert all(row[name] == "" for name in ("Payment id", "Reported amount", "Reported on"))


def test_the_file_names_say_what_and_when() -> None:
    assert file_name("customers", "", TODAY) == "customers-2026-11-25.csv"
    assert file_name("customers", " Acme / Pune ", TODAY) == "customers-acme-pune-2026-11-25.csv"
    assert (
        file_name("bharat-connect", "Accepted (unpaid)", TODAY)
        == "bharat-connect-accepted-unpaid-2026-11-25.csv"
    )


def test_the_lookups_rule_picks_the_exported_customers() -> None:
    entry = CustomerEntry.of(customer())
    assert entry.matches("") and entry.matches("  ")
    assert entry.matches("ACME") and entry.matches("ravi@acme") and entry.matches("27aapfu")
    assert entry.matches("98765 00002")  # a contact's phone, spaced as typed
    assert not entry.matches("Bharat") and not entry.matches("123")


def test_customers_are_ordered_as_the_list_orders_them() -> None:
    rows = [
        CustomerRow(customer(legalName=name), 1, Decimal(balance), Decimal(overdue))
        for name, balance, overdue in (("b", "10", "0"), ("A", "5", "5"), ("c", "0", "0"))
    ]

    def names(order: str) -> list[str | None]:
        return [r.customer.legal_name for r in sorted(rows, key=CUSTOMER_ORDERS[order])]

    assert names("name") == ["A", "b", "c"]
    assert names("balance") == ["b", "A", "c"]
    assert names("overdue") == ["A", "b", "c"]
