"""Bulk CSV files, however broken: ``read_rows`` and ``check_file`` never raise anything else.

Generated files mix the known columns with junk ones, and cells with quotes, newlines, commas,
NUL, markup and 10k-character strings; the bytes may carry a BOM, invalid UTF-8 or other line
endings. ``read_rows`` yields records or raises ``BulkFileError``; ``check_file`` always returns
a ``FileCheck``: a file error, or problems each with a spreadsheet row (>= 2) and a column of the
layout.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from enkash_tui.api.bulk_format import BulkFileError, read_rows
from enkash_tui.domain.bulk import (
    CUSTOMERS_CREATE,
    CUSTOMERS_UPDATE,
    INVOICES,
    KINDS,
    BulkKind,
    FileCheck,
    check_file,
)
from tests.support.examples import examples

PROPERTY = settings(
    max_examples=examples(60),
    deadline=None,
    database=None,
    report_multiple_bugs=False,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
CELL_NASTIES = ['"', '""', '","', "a,b", "a\nb", "a\r\nb", "a\rb", "\x00", "\ufeff", " ", "'=1+1"]


@pytest.fixture(scope="session")
def upload_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bulk")


def good_cell(gen: Any, column: str) -> st.SearchStrategy[str]:
    flags = st.sampled_from(["true", "false", "yes", "no", "Y", "N", "1", "0", "TRUE"])
    return {
        "customerId": gen.customer_id,
        "dueDate": st.dates().map(dt.date.isoformat),
        "invoiceDate": st.one_of(
            st.dates().map(dt.date.isoformat), st.just("2026-01-05T10:00:00+05:30")
        ),
        "baseAmount": gen.money.map(str),
        "cgst": gen.money.map(str),
        "sgst": gen.money.map(str),
        "igst": gen.money.map(str),
        "tds": gen.money.map(str),
        "gstExclusive": flags,
        "partialPaymentAllowed": flags,
        "dispatchNow": flags,
        "bharatConnect": flags,
        "contactMobile": gen.phone,
        "contactNumber": gen.phone,
        "contactEmail": gen.email,
        "pinCode": gen.pin_code,
        "ifsc": gen.ifsc,
        "accountNumber": gen.account_number,
        "panOrGstin": gen.pan_or_gstin,
        "branchCodes": st.lists(st.from_regex(r"[A-Z]{3}[0-9]{2}", fullmatch=True)).map(";".join),
    }.get(column, gen.clean_text)


def csv_file(gen: Any, kind: BulkKind) -> st.SearchStrategy[bytes]:
    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        required = [c for c in kind.required if draw(st.integers(0, 9))]  # now and then, missing
        others = draw(st.lists(st.sampled_from(kind.columns), unique=True, max_size=8))
        junk_names = st.one_of(st.sampled_from(["", "x", " legalName "]), gen.nasty_text)
        junk = draw(st.lists(junk_names, max_size=2)) if not draw(st.integers(0, 4)) else []
        header = draw(st.permutations(list(dict.fromkeys([*required, *others])) + junk))
        cell = st.one_of(
            *(good_cell(gen, column) for column in header[:1] or ["x"]),
            gen.clean_text,
            st.sampled_from(CELL_NASTIES),
            # Cells past csv's 128 KiB field limit are tried once, below; here, slow to shrink.
            gen.nasty_text.filter(lambda text: len(text) <= 2000),
        )
        rows = []
        for _ in range(draw(st.integers(0, 5))):
            row = [
                draw(st.one_of(good_cell(gen, column), cell) if draw(st.integers(0, 3)) else cell)
                for column in header
            ]
            extra = draw(st.lists(cell, max_size=2)) if not draw(st.integers(0, 5)) else []
            short = draw(st.integers(0, len(row))) if not draw(st.integers(0, 5)) else len(row)
            rows.append(row[:short] + extra)
        ending = draw(st.sampled_from(["\r\n", "\n", "\r\n", "\n", "\r"]))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator=ending)
        writer.writerow(header)
        for _ in range(draw(st.integers(0, 1))):
            out.write(ending)  # a blank line still counts as a row
        writer.writerows(rows)
        content = out.getvalue().encode("utf-8")
        if draw(st.booleans()):
            content = b"\xef\xbb\xbf" + content
        spoil = draw(st.sampled_from(["", "", "", "bytes", "cut"]))
        if spoil == "bytes":
            at = draw(st.integers(0, len(content)))
            junk_bytes = draw(
                st.sampled_from([b"\xff", b"\xc3", b"\x00", b'"', b"\r", b"\xed\xa0\x80"])
            )
            content = content[:at] + junk_bytes + content[at:]
        elif spoil == "cut":
            content = content[: draw(st.integers(0, len(content)))]
        return content

    return build()


def checked(path: Path, kind: BulkKind) -> FileCheck:
    """``check_file``, failing clearly when it raises (the upload screen would crash)."""
    try:
        return check_file(path, kind)
    except Exception as error:
        content = path.read_bytes()
        pytest.fail(
            f"check_file raised {type(error).__name__}: {error}\n"
            f" file ({len(content)} bytes): {content[:200]!r}"
        )


def assert_check_is_sound(check: Any, kind: BulkKind) -> None:
    assert isinstance(check, FileCheck)
    if check.file_error is not None:
        assert isinstance(check.file_error, str) and check.file_error.strip()
    for problem in check.problems:
        assert problem.row >= 2, problem
        assert problem.column in kind.columns, problem
        assert isinstance(problem.message, str) and problem.message.strip(), problem


@PROPERTY
@given(data=st.data())
def test_any_csv_is_read_or_refused_as_a_file(
    data: st.DataObject, gen: Any, upload_dir: Path
) -> None:
    kind = {k.name: k for k in KINDS}[
        data.draw(st.sampled_from([k.name for k in KINDS]), label="kind")
    ]
    content = data.draw(csv_file(gen, kind), label="file bytes")
    try:
        rows = list(read_rows("upload.csv", content, kind.columns, kind.required))
    except BulkFileError as error:
        assert str(error).strip()
    except Exception as error:
        pytest.fail(f"read_rows raised {type(error).__name__}: {error}\n file: {content[:200]!r}")
    else:
        numbers = [number for number, _ in rows]
        assert numbers == sorted(set(numbers)) and all(n >= 2 for n in numbers)
        for _, cells in rows:
            assert cells and set(cells) <= set(kind.columns)
            assert all(value and value == value.strip() for value in cells.values())
    path = upload_dir / f"{kind.name}.csv"
    path.write_bytes(content)
    assert_check_is_sound(checked(path, kind), kind)


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        # Classic Mac line endings (CR only), as "CSV (Macintosh)" saves them.
        (CUSTOMERS_CREATE, b"legalName,contactName,contactMobile\rAcme,Ravi,9812345678\r"),
        (INVOICES, b"customerId,dueDate,baseAmount\r\nKC1A2B3C4D5E6F7G,2026-03-31,1\r00\r\n"),
        # An unclosed quote that runs past csv's field size limit (128 KiB).
        (CUSTOMERS_UPDATE, b'customerId,legalName\nKC1A2B3C4D5E6F7G,"' + b"x" * 140_000),
        (INVOICES, b"customerId,dueDate,baseAmount\n\x00,\x00,\x00\n"),
        (INVOICES, b"\xef\xbb\xbf\xef\xbb\xbfcustomerId,dueDate,baseAmount\n"),
        (INVOICES, b"customerId,customerId,dueDate,baseAmount\nKC1A2B3C4D5E6F7G,x,2026-01-01,5\n"),
        (INVOICES, "customerId,dueDate,baseAmount\nKC1A2B3C4D5E6F7G,٢٠٢٦-٠١-٠١,١٠\n".encode()),
        (INVOICES, b"customerId,dueDate,baseAmount\n[bold]KC[/],[link=x]d,\x1b[31m5\n"),
    ],
    ids=lambda value: value.name if isinstance(value, BulkKind) else repr(value[:40]),
)
def test_odd_files(kind: BulkKind, content: bytes, upload_dir: Path) -> None:
    path = upload_dir / "odd.csv"
    path.write_bytes(content)
    assert_check_is_sound(checked(path, kind), kind)
