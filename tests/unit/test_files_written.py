"""Files the app writes for the user: cells safe to open, never over another file, 0600, and in a
documented folder (downloads, else documents), never wherever the app was started."""

from __future__ import annotations

import csv
import errno
import io
import os
import stat
from decimal import Decimal
from pathlib import Path

import platformdirs
import pytest

from enkash_tui.domain.csv_safety import SafeCsvWriter, number, number_cell, text, text_cell
from enkash_tui.domain.exports import check_file_name
from enkash_tui.local.exports import FolderError, ready_folder
from enkash_tui.local.locations import default_export_folder
from enkash_tui.local.private_files import new_private_file
from enkash_tui.local.state import LocalState


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "' =1"),  # a tab starts a formula too; the tab itself goes
        ("\r=1", "' =1"),
        ("  =1", "'  =1"),  # some spreadsheets trim before reading a formula
        ("paid\tin\rfull\nthanks", "paid in full thanks"),
        ("AAA \x1b]52;c;SU5K\x07 \x9b2J\x7f", "AAA ]52;c;SU5K 2J"),
        ("abc\u202egnp.exe", "abcgnp.exe"),  # a right-to-left override would reorder it
        ("\u2066x\u2069", "x"),
        # The same characters the screen cleans (api.text): bidi marks, zero-width spaces and a
        # lone surrogate (which could not even be written as UTF-8) go; Indic joiners stay.
        ("Ac\u200bme\u200f\ufeff", "Acme"),
        ("x\ud800y", "xy"),
        ("क्\u200dष", "क्\u200dष"),
        ("Sharma & Sons", "Sharma & Sons"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_text_cell_is_never_a_formula_nor_holds_control_characters(
    value: str | None, cell: str
) -> None:
    assert text_cell(value) == cell


def test_numbers_are_plain_and_a_negative_amount_is_not_quoted() -> None:
    assert number_cell(Decimal("-120.5")) == "-120.50"
    assert number_cell(Decimal("1234567.891")) == "1234567.89"
    assert number_cell(-3) == "-3"
    assert number_cell(None) == ""
    with pytest.raises(TypeError):
        number_cell("-2+3")  # type: ignore[arg-type]  # text never reaches a number column


def test_the_writer_keeps_text_and_number_columns_apart() -> None:
    rows: list[tuple[str, Decimal]] = [("-2+3", Decimal("-120.50")), ("=1+1", Decimal("10"))]
    handle = io.StringIO()
    sheet: SafeCsvWriter[tuple[str, Decimal]] = SafeCsvWriter(
        handle, (text("remark", lambda r: r[0]), number("amount", lambda r: r[1]))
    )
    sheet.header()
    assert sheet.rows(rows) == 2
    read = list(csv.DictReader(io.StringIO(handle.getvalue())))
    assert [row["remark"] for row in read] == ["'-2+3", "'=1+1"]
    assert [Decimal(row["amount"]) for row in read] == [Decimal("-120.50"), Decimal("10.00")]


# --- never over another file, 0600 -------------------------------------------------------


def test_a_new_file_takes_the_next_free_number_and_is_the_owners_only(tmp_path: Path) -> None:
    wanted = tmp_path / "report.csv"
    wanted.write_text("first", encoding="utf-8")
    (tmp_path / "report-2.csv").write_text("second", encoding="utf-8")
    with new_private_file(wanted, renumber=True) as new:
        new.handle.write("third")
    assert new.path == tmp_path / "report-3.csv"
    assert wanted.read_text(encoding="utf-8") == "first"
    assert (tmp_path / "report-2.csv").read_text(encoding="utf-8") == "second"
    assert new.path.read_text(encoding="utf-8") == "third"
    assert stat.S_IMODE(new.path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "report-2.csv",
        "report-3.csv",
        "report.csv",
    ]


def test_without_renumbering_a_taken_name_is_refused_and_nothing_is_left(tmp_path: Path) -> None:
    wanted = tmp_path / "result.csv"
    wanted.write_text("keep me", encoding="utf-8")
    with pytest.raises(FileExistsError), new_private_file(wanted, renumber=False) as new:
        new.handle.write("new")
    assert wanted.read_text(encoding="utf-8") == "keep me"
    assert [p.name for p in tmp_path.iterdir()] == ["result.csv"]


def test_an_error_while_writing_leaves_no_file(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), new_private_file(tmp_path / "x.csv", renumber=True) as new:
        new.handle.write("half")
        raise RuntimeError("the server went away")
    assert list(tmp_path.iterdir()) == []


def test_where_hard_links_are_not_offered_a_taken_name_is_still_never_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: object, target: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    wanted = tmp_path / "report.csv"
    wanted.write_text("first", encoding="utf-8")
    with new_private_file(wanted, renumber=True) as new:
        new.handle.write("second")
    assert new.path == tmp_path / "report-2.csv"
    assert wanted.read_text(encoding="utf-8") == "first"
    assert new.path.read_text(encoding="utf-8") == "second"
    assert stat.S_IMODE(new.path.stat().st_mode) == 0o600


# --- which folder -------------------------------------------------------------------------


def test_the_default_folder_is_downloads_inside_the_tests_home(tmp_path: Path) -> None:
    downloads = Path(platformdirs.user_downloads_dir())
    assert downloads.is_relative_to(tmp_path)  # isolated_dirs: nothing real is touched
    assert default_export_folder() == downloads
    assert default_export_folder() != Path.cwd()


def test_documents_when_there_is_no_downloads_folder_but_a_documents_one() -> None:
    documents = Path(platformdirs.user_documents_dir())
    documents.mkdir(parents=True)
    assert default_export_folder() == documents
    downloads = Path(platformdirs.user_downloads_dir())
    downloads.mkdir(parents=True)
    assert default_export_folder() == downloads


def test_the_folder_last_chosen_comes_first(tmp_path: Path) -> None:
    assert default_export_folder(str(tmp_path / "reports")) == tmp_path / "reports"


def test_a_folder_is_created_when_missing_and_refused_in_words_when_it_cannot_be(
    tmp_path: Path,
) -> None:
    made = ready_folder(str(tmp_path / "new" / "exports"))
    assert made.is_dir() and made == tmp_path / "new" / "exports"
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x", encoding="utf-8")
    with pytest.raises(FolderError, match="is a file, not a folder"):
        ready_folder(str(a_file))
    with pytest.raises(FolderError, match="cannot be created"):
        ready_folder(str(a_file / "inside"))
    with pytest.raises(FolderError, match="Type the folder"):
        ready_folder("  ")
    with pytest.raises(FolderError, match="control characters"):
        ready_folder(str(tmp_path) + "\n")


def test_a_file_name_is_only_a_name() -> None:
    assert check_file_name(" open.csv ") == "open.csv"
    for bad in ("", "..", "sub/open.csv", "open\r.csv"):
        with pytest.raises(ValueError):
            check_file_name(bad)


def test_the_export_folder_is_remembered_with_the_other_choices(tmp_path: Path) -> None:
    LocalState("uat", "collections@acme.in", export_folder=str(tmp_path / "ar")).save(tmp_path)
    assert LocalState.load(tmp_path).export_folder == str(tmp_path / "ar")
    LocalState("uat", "collections@acme.in").save(tmp_path)  # nothing chosen: nothing written
    assert "export_folder" not in (tmp_path / "state.json").read_text(encoding="utf-8")
