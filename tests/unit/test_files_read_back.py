"""What the app saved and reads back (customer cache, open book, action log) is drawn cleaned.

A file written by a version from before EnKash's text was cleaned still holds it raw; reading it
must not hand the escape codes back to the screen. Each file here is written as such a version
would have, then loaded.
"""

from __future__ import annotations

import json
from pathlib import Path

from enkash_tui.local.action_log import ActionLog
from enkash_tui.local.customer_cache import FORMAT as CACHE_FORMAT
from enkash_tui.local.customer_cache import CustomerCache
from enkash_tui.local.open_book_cache import FORMAT as BOOK_FORMAT
from enkash_tui.local.open_book_cache import load_open_book

RAW = "AAA \x1b]52;c;SU5K\x07 \x1b[2J\nBBB"
SHOWN = "AAA ␛]52;c;SU5K␇ ␛[2J BBB"
ENDS = (30, 60, 90)


def test_an_old_customer_cache_is_read_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "customers.json"
    customer = {"customer_id": "KC1A2B3C4D5E6F7G", "legal_name": RAW, "emails": [f"a{RAW}@x.in"]}
    data = {"format": CACHE_FORMAT, "fetched_at": 1.0, "customers": [customer]}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    (entry,) = CustomerCache.load(path).entries
    assert entry.legal_name == SHOWN
    assert entry.emails == (f"a{SHOWN}@x.in",)


def test_an_open_book_file_holding_raw_text_is_read_cleaned(tmp_path: Path) -> None:
    # Written by hand (or by a version that did not clean): its names and ids are EnKash's text.
    path = tmp_path / "open-book.json"
    data = {
        "format": BOOK_FORMAT,
        "computed_at": 1.0,
        "today": "2026-12-03",
        "ends": list(ENDS),
        "buckets": [[0, "0"]] * (len(ENDS) + 2),
        "top": [["KC1A2B3C4D5E6F7G", RAW, "100.00", 1]],
        "balances": {RAW: [1, "100.00", "100.00", "2026-11-01"]},
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    book = load_open_book(path)
    assert book is not None
    (debtor,) = book.aging.top()
    assert debtor.name == SHOWN
    assert list(book.balances) == [SHOWN]


def test_an_old_action_log_line_is_read_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "action-log.jsonl"
    line = {
        "at": "2026-12-03T10:00:00+00:00",
        "operation": "dispatch",
        "outcome": "failed",
        "message": RAW,
        "target_ids": [RAW],
    }
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")

    (entry,) = ActionLog(path).read()
    assert entry.message == SHOWN
    assert entry.target_ids == (SHOWN,)
