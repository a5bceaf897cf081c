"""A new invoice on Bharat Connect, as the form sends it: the one bulk file row with bharatConnect
true (read back exactly as the sandbox and the app's own file checks read a bulk file), and the
row's fate read from the per-row result."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from enkash_tui.api import ApiError
from enkash_tui.api.bulk_format import (
    INVOICE_COLUMNS,
    INVOICE_REQUIRED,
    invoice_body,
    on_bharat_connect,
    read_rows,
)
from enkash_tui.api.models import BulkResult, Invoice, InvoiceCreate
from enkash_tui.domain.invoice_form import (
    BY_WIRE,
    NEW_INVOICE,
    create_model,
    saved_note,
    wire_body,
)
from enkash_tui.domain.network_invoice import (
    FILE_NAME,
    BharatConnectInvoice,
    RowRefused,
    UnreportedRow,
    bulk_row,
    is_this_invoice,
    one_row_file,
    row_outcome,
)
from enkash_tui.domain.outcomes import send_or_recheck

CUSTOMER = "KC1A2B3C4D5E6F7G"


def typed(**values: Any) -> dict[str, Any]:
    """The form's values as a person leaves them: the new-invoice defaults, then what was typed."""
    return {
        **NEW_INVOICE,
        "customer": f"Shree Ganesh Steel — {CUSTOMER}",
        "due_date": "2026-12-31",
        "base_amount": "1,00,000.50",
        **values,
    }


def read_back(content: bytes) -> list[tuple[int, dict[str, str]]]:
    return list(read_rows(FILE_NAME, content, INVOICE_COLUMNS, INVOICE_REQUIRED))


def test_the_tick_box_chooses_how_the_invoice_is_sent_not_what_it_says() -> None:
    ticked = typed(bharat_connect=True)
    assert create_model(ticked) is BharatConnectInvoice
    assert create_model(typed()) is InvoiceCreate
    assert "bharatConnect" not in wire_body(ticked)  # not a field of the body
    assert wire_body(ticked) == wire_body(typed())
    assert BY_WIRE["bharatConnect"] == "bharat_connect"  # a row problem on it lands on the box


def test_the_row_reads_back_as_the_same_invoice_on_the_network() -> None:
    values = typed(
        invoice_number="INV/2026-27/0042",
        invoice_date="2026-12-01",
        cgst="9000.05",
        sgst="9000.05",
        description='Steel, "TMT" bars — =SUM(A1) ₹',  # commas, quotes, a formula, not ASCII
        po_number="PO-991",
        external_id="erp-77812",
        partial_payment_allowed=True,
        dispatch_now=True,
        bharat_connect=True,
    )
    sent = BharatConnectInvoice.model_validate(wire_body(values))
    ((row, cells),) = read_back(one_row_file(sent))
    assert row == 2  # the header is row 1
    assert on_bharat_connect(cells)
    assert InvoiceCreate.model_validate(invoice_body(cells)) == InvoiceCreate.model_validate(
        sent.model_dump()
    )


def test_the_cells_are_as_typed_in_the_files_column_order() -> None:
    sent = BharatConnectInvoice.model_validate(
        wire_body(typed(invoice_number="INV-7", cgst="18000", bharat_connect=True))
    )
    cells = bulk_row(sent)
    assert cells == {
        "customerId": CUSTOMER,
        "invoiceNumber": "INV-7",
        "dueDate": "2026-12-31",
        "baseAmount": "100000.50",  # never a float's 100000.5
        "cgst": "18000",
        "gstExclusive": "true",
        "partialPaymentAllowed": "false",
        "dispatchNow": "false",
        "bharatConnect": "true",
    }
    assert list(cells) == [c for c in INVOICE_COLUMNS if c in cells]
    header = one_row_file(sent).decode("utf-8").splitlines()[0]
    assert header.split(",") == list(cells)


def test_a_field_the_bulk_file_has_no_column_for_is_never_dropped_silently() -> None:
    sent = BharatConnectInvoice.model_validate(
        {"customerId": CUSTOMER, "dueDate": "2026-12-31", "baseAmount": "10", "via": "EMAIL"}
    )
    with pytest.raises(ValueError, match="via"):
        one_row_file(sent)


def result(**payload: Any) -> BulkResult:
    return BulkResult.model_validate(payload)


def test_a_created_row_gives_the_new_invoices_id() -> None:
    created = result(
        total_count=1,
        success_count=1,
        successRequests=[{"row": 2, "reference": "INV-7", "id": "KI0000000000000042"}],
    )
    assert row_outcome(created) == "KI0000000000000042"
    assert row_outcome(result(successRequests=[{"row": 2, "invoiceId": "KI1"}])) == "KI1"


def test_a_reply_that_names_no_row_says_so() -> None:
    assert row_outcome(result(total_count=1, success_count=1)) is None
    assert row_outcome(result()) is None


async def test_a_reply_that_names_no_row_is_rechecked_like_a_lost_one_never_resent() -> None:
    sends: list[str] = []

    async def send() -> str:
        sends.append("upload")
        raise UnreportedRow

    async def recheck() -> str:
        return "found by its number"

    sent = await send_or_recheck(send, recheck)
    assert (sent.value, sent.rechecked, sends) == ("found by its number", True, ["upload"])


def test_a_refused_row_is_a_refusal_with_its_problems_by_field() -> None:
    refused = result(
        total_count=1,
        failure_count=1,
        failureRequests=[
            {
                "row": 2,
                "reference": "INV-7",
                "message": "Invoice number INV-7 is already used by KI0000000000000001",
                "errors": {"invoiceNumber": "is already used", "dueDate": "a date, please"},
            }
        ],
    )
    with pytest.raises(RowRefused) as raised:
        row_outcome(refused)
    error = raised.value
    assert isinstance(error, ApiError)  # a form shows it as it shows a refused single create
    assert str(error) == "Invoice number INV-7 is already used by KI0000000000000001"
    assert [(e.field, e.message) for e in error.field_errors] == [
        ("invoiceNumber", "is already used"),
        ("dueDate", "a date, please"),
    ]
    assert error.errors_for("invoiceNumber") == ["is already used"]


def network_invoice(**fields: Any) -> Invoice:
    return Invoice.model_validate(
        {
            "invoiceId": "KI0000000000000042",
            "invoiceNumber": "INV-7",
            "customerId": CUSTOMER,
            "dueDate": "2026-12-31",
            "baseAmount": 100000.50,
            "bharatConnect": {"status": "CREATED", "objectVersion": 1},
            **fields,
        }
    )


def test_a_lost_reply_is_rechecked_against_the_invoice_it_would_have_made() -> None:
    sent = BharatConnectInvoice.model_validate(
        wire_body(typed(invoice_number="INV-7", bharat_connect=True))
    )
    assert is_this_invoice(sent, network_invoice())
    assert is_this_invoice(sent, network_invoice(bharatConnect={"status": "ACCEPTED"}))
    # An invoice that only shares the number (a refused duplicate leaves the first in place).
    assert not is_this_invoice(sent, network_invoice(customerId="KC0000000000OTHR"))
    assert not is_this_invoice(sent, network_invoice(bharatConnect=None))
    assert not is_this_invoice(sent, network_invoice(baseAmount=5))
    assert not is_this_invoice(sent, network_invoice(dueDate=dt.date(2027, 1, 1).isoformat()))
    assert sent.base_amount == Decimal("100000.50")


def test_the_list_says_a_new_invoice_went_to_its_buyer() -> None:
    assert saved_note(network_invoice(), created=True) == (
        "Created INV-7 and sent to its buyer on Bharat Connect"
    )
    assert saved_note(network_invoice(bharatConnect=None), created=True) == "Created INV-7"
    assert saved_note(network_invoice(), created=False) == "Saved INV-7"  # an edit sends nothing
    assert saved_note(network_invoice(invoiceNumber=None), created=True).startswith(
        "Created KI0000000000000042"
    )
