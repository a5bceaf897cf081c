"""The last pass over the open invoices (``domain.open_book``: the aging and every customer's
balance), kept on disk beside the customer cache, one file per profile and server, with the time
it was computed: Home shows it at once, and it is used as it is while it is fresh."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from enkash_tui.api.text import clean_json
from enkash_tui.domain.aging import Aging, Debtor, buckets_for
from enkash_tui.domain.open_book import Balance, OpenBook
from enkash_tui.local.customer_cache import cache_path
from enkash_tui.local.locations import cache_dir
from enkash_tui.local.private_files import write_private

FORMAT = 1


def open_book_path(profile_name: str, server: str) -> Path:
    """Beside the customer cache, one file per profile and ``server`` (which the session makes
    name whose book it is, too: client, company, seller and user)."""
    customers = cache_path(profile_name, server)
    return cache_dir() / customers.name.replace("customers-", "open-book-", 1)


def save_open_book(book: OpenBook, path: Path) -> None:
    aging = book.aging
    data = {
        "format": FORMAT,
        "computed_at": book.computed_at,
        "today": book.today.isoformat() if book.today else None,
        # The buckets' ends (30, 60, 90): the buckets are made from them again when read.
        "ends": [b.last_day for b in aging.buckets[1:-1]],
        "buckets": [[b.count, str(b.balance)] for b in aging.buckets],
        # Only the top debtors are kept: that is all Home shows.
        "top": [[d.customer_id, d.name, str(d.overdue), d.count] for d in aging.top()],
        "balances": {key: value.to_json() for key, value in book.balances.items()},
    }
    write_private(path, json.dumps(data, ensure_ascii=False))


def load_open_book(path: Path) -> OpenBook | None:
    """The saved pass, or None (missing, damaged, from another version, never computed)."""
    try:
        # Names are EnKash's text, and the file may have been edited: cleaned as it is read.
        data: Any = clean_json(json.loads(path.read_text(encoding="utf-8")))
        if data.get("format") != FORMAT:
            return None
        buckets = buckets_for([int(end) for end in data["ends"]])
        figures = data["buckets"]
        if len(figures) != len(buckets):
            return None
        for bucket, (count, amount) in zip(buckets, figures, strict=True):
            bucket.count, bucket.balance = int(count), Decimal(amount)
        debtors = {str(cid): Debtor(str(cid), str(name), Decimal(amount), int(n))
                   for cid, name, amount, n in data["top"]}  # fmt: skip
        aging = Aging(
            buckets,
            debtors,
            float(data["computed_at"]),
            dt.date.fromisoformat(data["today"]),
        )
        balances = {str(key): Balance.from_json(item) for key, item in data["balances"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ArithmeticError, IndexError):
        # Damaged or hand-edited (decimal.InvalidOperation is arithmetic; no ends: IndexError).
        return None
    return OpenBook(aging, balances)
