"""Local checks of bulk files, per kind: every problem by spreadsheet row and CSV column.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2, and
a blank line still takes a row number.
"""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import pytest

from enkash_tui.api.models import BulkResult
from enkash_tui.domain.bulk import (
    CUSTOMERS_CREATE,
    CUSTOMERS_UPDATE,
    INVOICES,
    KINDS,
    BulkKind,
    check_file,
    check_invoice_file,
    result_lines,
)
from enkash_tui.local.bulk_results import default_result_path, write_result_csv
from enkash_tui.local.locations import asset

CREATE_HEADER = (
    "legalName,address,state,pinCode,contactNumber,accountNumber,ifsc,panOrGstin,"
    "contactName,contactMobile,contactEmail\n"
)
GOOD_CREATE = (
    'Shree Ganesh Steel Traders Pvt Ltd,"Plot 14, MIDC Bhosari, Pune",Maharashtra,411026,'
    "+91 9812345678,001234567890,HDFC0001234,27AAACS1234A1Z2,Ravi Kumar,9812345678,"
    "ravi@shreeganeshsteel.in\n"
)
UPDATE_HEADER = "customerId,legalName,state,pinCode,ifsc,assignedAgent,branchCodes\n"


def write(tmp_path: Path, text: str, name: str = "file.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, kind: BulkKind) -> dict[tuple[int, str], str]:
    check = check_file(path, kind)
    assert check.file_error is None, check.file_error
    return {(p.row, p.column): p.message for p in check.problems}


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_the_shipped_templates_pass_their_own_check(kind: BulkKind) -> None:
    check = check_file(asset(kind.template), kind)
    assert check.ok, (check.file_error, check.problems)
    assert asset(kind.template).read_text(encoding="utf-8").startswith(",".join(kind.columns[:1]))


def test_a_good_customers_create_file_passes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        CREATE_HEADER + GOOD_CREATE + "Kaveri Agro Foods LLP,,Karnataka,570016,,,,,"
        "Lakshmi Rao,+91 9845012345,\n",
    )
    check = check_file(path, CUSTOMERS_CREATE)
    assert check.ok
    assert check.rows == 2
    assert check.references == {2: "Shree Ganesh Steel Traders Pvt Ltd", 3: "Kaveri Agro Foods LLP"}


def test_customers_create_problems_are_named_by_the_column_typed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        CREATE_HEADER
        + GOOD_CREATE
        + "\n"  # a blank line: row 3
        + "Bad Row Ltd,,Goa,012345,98123,12,HDFC123,,Asha Rao,12345,asha-at-example\n",
    )
    found = problems(path, CUSTOMERS_CREATE)
    assert set(found) == {
        (4, "pinCode"),
        (4, "contactNumber"),
        (4, "accountNumber"),
        (4, "ifsc"),
        (4, "contactMobile"),  # customerKeyContacts.0.mobile in the API
        (4, "contactEmail"),  # customerKeyContacts.0.email in the API
    }
    # How to write each one, in the words the customer form uses.
    assert found[(4, "pinCode")] == "6 digits, not from 0"
    assert found[(4, "contactMobile")] == "10 digits, +91 optional"
    assert found[(4, "contactEmail")] == "like name@firm.in"
    assert found[(4, "ifsc")] == "like HDFC0001234"
    assert not any("pattern" in message for message in found.values())


def test_empty_required_cells_are_reported_once_per_column(tmp_path: Path) -> None:
    path = write(tmp_path, CREATE_HEADER + ",,Goa,,,,,,,,\n")
    found = problems(path, CUSTOMERS_CREATE)
    # contactName feeds both name and legalName of the contact: one problem, not two.
    assert found == {
        (2, "legalName"): "required",
        (2, "contactName"): "required",
        (2, "contactMobile"): "required",
    }


@pytest.mark.parametrize(
    ("kind", "header", "missing"),
    [
        (CUSTOMERS_CREATE, "legalName,contactName\n", "contactMobile"),
        (CUSTOMERS_UPDATE, "legalName,state\n", "customerId"),
        (INVOICES, "customerId,dueDate\n", "baseAmount"),
    ],
    ids=lambda value: value.name if isinstance(value, BulkKind) else None,
)
def test_a_file_missing_required_columns_is_refused_whole(
    tmp_path: Path, kind: BulkKind, header: str, missing: str
) -> None:
    check = check_file(write(tmp_path, header + "x,y\n"), kind)
    assert check.file_error is not None
    assert f"missing column(s) {missing}" in check.file_error
    assert check.problems == []
    assert not check.ok


def test_a_customers_update_file_is_not_a_customers_create_file(tmp_path: Path) -> None:
    path = write(tmp_path, UPDATE_HEADER + "KC1A2B3C4D5E6F7G,,Goa,,,,\n")
    check = check_file(path, CUSTOMERS_CREATE)
    assert check.file_error and "unknown column(s) customerId" in check.file_error
    assert check_file(path, CUSTOMERS_UPDATE).ok


def test_duplicate_rows_are_reported_against_the_first(tmp_path: Path) -> None:
    creates = write(
        tmp_path,
        CREATE_HEADER
        + "A Ltd,,,,,,,27AAACS1234A1Z2,Ravi,9812345678,\n"
        + "B Ltd,,,,,,,29AAACK9999B1Z0,Asha,9812345679,\n"
        + "C Ltd,,,,,,,27AAACS1234A1Z2,Vikram,9812345670,\n"
        + "D Ltd,,,,,,,,Meena,9812345671,\n"
        + "E Ltd,,,,,,,,Meena,9812345671,\n",  # no PAN/GSTIN: nothing to compare
        "creates.csv",
    )
    assert problems(creates, CUSTOMERS_CREATE) == {(4, "panOrGstin"): "repeats row 2"}

    updates = write(
        tmp_path,
        UPDATE_HEADER + "KC1A2B3C4D5E6F7G,,Goa,,,,\nKC1A2B3C4D5E6F7G,,,403001,,,\n",
        "updates.csv",
    )
    assert problems(updates, CUSTOMERS_UPDATE) == {(3, "customerId"): "repeats row 2"}

    due = "2030-01-31"
    invoices = write(
        tmp_path,
        f"customerId,invoiceNumber,dueDate,baseAmount\n"
        f"KC1A2B3C4D5E6F7G,INV-1,{due},100\nKC1A2B3C4D5E6F7G,INV-1,{due},200\n",
        "invoices.csv",
    )
    assert problems(invoices, INVOICES) == {(3, "invoiceNumber"): "repeats row 2"}


def test_an_update_row_with_nothing_to_change_is_a_problem(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        UPDATE_HEADER
        + "KC1A2B3C4D5E6F7G,,,,,,\n"
        + "KC2A2B3C4D5E6F7G,,,,,Priya Sharma,\n"
        + "KC3A2B3C4D5E6F7G,,,,,,PUN01;PUN02\n",
    )
    assert problems(path, CUSTOMERS_UPDATE) == {(2, "customerId"): "nothing to change in this row"}


def test_customers_update_checks_each_value_it_changes(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        UPDATE_HEADER + "KC1,,,,,Priya,\nKC2A2B3C4D5E6F7G,,,0000,ICIC1,,\n",
    )
    found = problems(path, CUSTOMERS_UPDATE)
    assert set(found) == {(2, "customerId"), (3, "pinCode"), (3, "ifsc")}
    assert found[(2, "customerId")] == "KC + 14 capitals or digits"


def test_invoice_files_are_still_checked_by_check_invoice_file(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "customerId,invoiceNumber,dueDate,baseAmount,gstExclusive\n"
        "KC1A2B3C4D5E6F7G,INV-1,2030-01-31,abc,maybe\n",
    )
    check = check_invoice_file(path)
    assert {(p.row, p.column) for p in check.problems} == {(2, "baseAmount"), (2, "gstExclusive")}


def test_an_unreadable_or_empty_file_says_why(tmp_path: Path) -> None:
    missing = check_file(tmp_path / "nope.csv", CUSTOMERS_CREATE)
    assert missing.file_error and "cannot read" in missing.file_error
    header_only = check_file(write(tmp_path, CREATE_HEADER), CUSTOMERS_CREATE)
    assert header_only.file_error == "the file has a header but no customers"
    sheet = check_file(write(tmp_path, "x", "customers.xlsx"), CUSTOMERS_CREATE)
    assert sheet.file_error and "save the sheet as CSV" in sheet.file_error


def test_what_the_check_quotes_from_a_file_is_drawn_cleaned(tmp_path: Path) -> None:
    """A file from elsewhere is as untrusted as EnKash: the reference cell shown in the result
    table and a column name quoted in an error lose their escape codes."""
    hostile = "AAA \x1b]52;c;SU5K\x07 \x1b[2J ok"
    row = GOOD_CREATE.replace("Shree Ganesh Steel Traders Pvt Ltd", f'"{hostile}"')
    check = check_file(write(tmp_path, CREATE_HEADER + row), CUSTOMERS_CREATE)
    assert check.references == {2: "AAA ␛]52;c;SU5K␇ ␛[2J ok"}
    assert [(p.column, p.message) for p in check.problems] == [
        ("legalName", "line breaks, tabs and invisible control characters are not allowed")
    ]

    odd_header = CREATE_HEADER.replace("\n", ",\x1b[6nextra\n")
    whole = check_file(write(tmp_path, odd_header + GOOD_CREATE, "odd.csv"), CUSTOMERS_CREATE)
    assert whole.file_error and "unknown column(s) ␛[6nextra" in whole.file_error
    assert "\x1b" not in whole.file_error


# The result as the sandbox reports it (enkash_tui/sandbox/routes/bulk.py), one row each way.
SANDBOX_RESULT = {
    "total_count": 3,
    "success_count": 1,
    "failure_count": 2,
    "successRequests": [{"row": 2, "reference": "Alpha Pvt Ltd", "id": "KC1A2B3C4D5E6F7G"}],
    "failureRequests": [
        {
            "row": 4,
            "reference": None,
            "message": "Validation failed",
            "errors": {"customerKeyContacts.0.mobile": "String should match pattern '^x$'"},
        },
        {"row": 3, "reference": "Bravo LLP", "message": "Duplicate customer", "errors": {}},
    ],
}


def test_the_result_has_one_line_per_row_in_file_order(tmp_path: Path) -> None:
    result = BulkResult.model_validate(SANDBOX_RESULT)
    lines = result_lines(result, CUSTOMERS_CREATE, references={4: "Charlie & Co"})
    assert [(line.row, line.reference, line.outcome, line.id) for line in lines] == [
        (2, "Alpha Pvt Ltd", "created", "KC1A2B3C4D5E6F7G"),
        (3, "Bravo LLP", "refused", ""),
        (4, "Charlie & Co", "refused", ""),  # the server left the reference out
    ]
    assert lines[1].reason == "Duplicate customer"
    assert lines[2].reason == "contactMobile: not in the expected format"

    target = tmp_path / "customers-result.csv"
    assert write_result_csv(target, lines) == 3
    with target.open(encoding="utf-8", newline="") as handle:
        written = list(csv.reader(handle))
    assert written == [
        ["row", "reference", "outcome", "id", "reason"],
        ["2", "Alpha Pvt Ltd", "created", "KC1A2B3C4D5E6F7G", ""],
        ["3", "Bravo LLP", "refused", "", "Duplicate customer"],
        ["4", "Charlie & Co", "refused", "", "contactMobile: not in the expected format"],
    ]


def test_a_result_file_is_never_overwritten(tmp_path: Path) -> None:
    result = BulkResult.model_validate(SANDBOX_RESULT)
    lines = result_lines(result, CUSTOMERS_UPDATE)
    uploaded = write(tmp_path, "customerId\n", "changes.csv")
    first = default_result_path(uploaded)
    assert first == tmp_path / "changes-result.csv"
    first.write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_result_csv(first, lines)
    assert first.read_text(encoding="utf-8") == "keep me"
    assert default_result_path(uploaded) == tmp_path / "changes-result-2.csv"
    assert [line.outcome for line in lines] == ["updated", "refused", "refused"]


def test_a_result_file_is_safe_to_open_and_the_owners_only(tmp_path: Path) -> None:
    # What the server says (references, messages) is written as text a spreadsheet never runs;
    # row numbers stay numbers.
    result = BulkResult.model_validate(
        {
            "total_count": 3,
            "success_count": 1,
            "failure_count": 2,
            "successRequests": [{"row": 2, "reference": "+91 Traders", "id": "KC1A2B3C4D5E6F7G"}],
            "failureRequests": [
                {"row": 3, "reference": '=HYPERLINK("http://evil.example","x")', "message": "-"},
                {"row": 4, "reference": "@SUM(A1)", "message": "bad\tvalue\r\n=1+2"},
            ],
        }
    )
    target = tmp_path / "result.csv"
    write_result_csv(target, result_lines(result, CUSTOMERS_CREATE))
    with target.open(encoding="utf-8", newline="") as handle:
        written = list(csv.DictReader(handle))
    assert [row["row"] for row in written] == ["2", "3", "4"]
    assert [row["reference"] for row in written] == [
        "'+91 Traders",
        '\'=HYPERLINK("http://evil.example","x")',
        "'@SUM(A1)",
    ]
    assert written[1]["reason"] == "'-"
    reason = written[2]["reason"]  # no tab, CR or LF left in the cell
    assert reason.startswith("bad") and reason.endswith("=1+2")
    assert not any(ch in reason for ch in "\t\r\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_a_file_the_csv_reader_cannot_parse_is_refused_whole(tmp_path: Path) -> None:
    # A bare carriage return inside a field, and a NUL byte: refused with a reason, no crash.
    header = b"legalName,contactName,contactMobile\n"
    for name, content in (
        ("cr.csv", header + b"A\rB,x,9812345678\n"),
        ("nul.csv", header + b"A\x00B,x,1\n"),
    ):
        path = tmp_path / name
        path.write_bytes(content)
        check = check_file(path, CUSTOMERS_CREATE)
        assert check.file_error or check.problems, name


# -- numbers and words are true (issue 15) ----------------------------------------------------


def test_an_invoice_row_due_before_it_is_dated_is_named_on_its_due_date(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "customerId,invoiceNumber,invoiceDate,dueDate,baseAmount\n"
        "KC1A2B3C4D5E6F7G,INV-1,2026-12-10,2026-12-01,100\n"
        "KC1A2B3C4D5E6F7G,INV-2,2026-12-10,2026-12-10,100\n"
        "KC1A2B3C4D5E6F7G,INV-3,0001-01-06,9999-12-31,100\n",
    )
    assert problems(path, INVOICES) == {
        (2, "dueDate"): "can't be before the invoice date, 10 Dec 2026",
        (4, "invoiceDate"): "a date from 2000 to 2099",
        (4, "dueDate"): "a date from 2000 to 2099",
    }


def test_a_gstin_that_does_not_add_up_is_named_per_row(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        CREATE_HEADER
        + "A Ltd,,Maharashtra,,,,,27AAACS1234A1Z5,Ravi,9812345678,\n"  # mistyped
        + "B Ltd,,Karnataka,,,,,27AAACS1234A1Z2,Asha,9812345679,\n"  # Maharashtra's
        + "C Ltd,,Maharashtra,,,,,27AAACS1234A1Z2,Vikram,9812345670,\n",  # good
        "gstins.csv",
    )
    assert problems(path, CUSTOMERS_CREATE) == {
        (2, "panOrGstin"): "check character does not match (a typo?)",
        (3, "panOrGstin"): "starts 27 (Maharashtra), but the State is Karnataka",
        (4, "panOrGstin"): "repeats row 3",
    }


def test_the_templates_gstins_add_up_and_agree_with_their_states() -> None:
    from enkash_tui.api.gst import check_char, looks_like_gstin, state_codes

    rows = list(csv.DictReader(asset(CUSTOMERS_CREATE.template).open(encoding="utf-8")))
    gstins = [(r["panOrGstin"], r["state"]) for r in rows if looks_like_gstin(r["panOrGstin"])]
    assert gstins, "the template shows a GSTIN"
    for gstin, state in gstins:
        assert check_char(gstin[:14]) == gstin[14], gstin
        assert gstin[:2] in state_codes(state), (gstin, state)
