"""The last aging computed, kept on disk beside the customer cache (one file per profile and
server), so Home can show it at once with its age while a fresh one is computed."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from enkash_tui.api.text import clean_json
from enkash_tui.domain.aging import Aging, Bucket, Debtor, buckets_for
from enkash_tui.local.customer_cache import cache_path
from enkash_tui.local.locations import cache_dir
from enkash_tui.local.private_files import write_private

FORMAT = 1


def aging_path(profile_name: str, server: str) -> Path:
    """Beside the customer cache, one file per profile and server."""
    customers = cache_path(profile_name, server)
    return cache_dir() / customers.name.replace("customers-", "aging-", 1)


def save_aging(aging: Aging, path: Path) -> None:
    data = {
        "format": FORMAT,
        "computed_at": aging.computed_at,
        "today": aging.today.isoformat() if aging.today else None,
        "buckets": [[b.label, b.first_day, b.last_day, b.count, str(b.balance)]
                    for b in aging.buckets],
        # Only the top debtors are kept: that is all Home shows.
        "top": [[d.customer_id, d.name, str(d.overdue), d.count] for d in aging.top()],
    }  # fmt: skip
    write_private(path, json.dumps(data, ensure_ascii=False))


def load_aging(path: Path, ends: Sequence[int]) -> Aging:
    """The saved aging, or an empty one (missing, damaged, or other bucket ends)."""
    try:
        # Debtor names are EnKash's text; a file from an older version held them raw.
        data: Any = clean_json(json.loads(path.read_text(encoding="utf-8")))
        buckets = [Bucket(label, first, last, int(n), Decimal(amount))
                   for label, first, last, n, amount in data["buckets"]]  # fmt: skip
        if data.get("format") != FORMAT or [b.label for b in buckets] != [
            b.label for b in buckets_for(ends)
        ]:
            return Aging.empty(ends)
        debtors = {cid: Debtor(cid, name, Decimal(amount), int(n))
                   for cid, name, amount, n in data["top"]}  # fmt: skip
        today = dt.date.fromisoformat(data["today"]) if data.get("today") else None
        return Aging(buckets, debtors, float(data["computed_at"]), today)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ArithmeticError):
        return Aging.empty(ends)
