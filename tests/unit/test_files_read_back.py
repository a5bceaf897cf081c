"""What the app saved and reads back (customer cache, aging, action log) is drawn cleaned.

A file written by a version from before EnKash's text was cleaned still holds it raw; reading it
must not hand the escape codes back to the screen. Each file here is written as such a version
would have, then loaded.
"""

from __future__ import annotations

import json
from pathlib import Path

from enkash_tui.domain.aging import buckets_for
from enkash_tui.local.action_log import ActionLog
from enkash_tui.local.aging_cache import FORMAT as AGING_FORMAT
from enkash_tui.local.aging_cache import load_aging
from enkash_tui.local.customer_cache import FORMAT as CACHE_FORMAT
from enkash_tui.local.customer_cache import CustomerCache

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


def test_an_old_aging_file_is_read_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "aging.json"
    buckets = [[b.label, b.first_day, b.last_day, 0, "0"] for b in buckets_for(ENDS)]
    data = {
        "format": AGING_FORMAT,
        "computed_at": 1.0,
        "today": "2026-12-03",
        "buckets": buckets,
        "top": [["KC1A2B3C4D5E6F7G", RAW, "100.00", 1]],
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    (debtor,) = load_aging(path, ENDS).top()
    assert debtor.name == SHOWN


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
