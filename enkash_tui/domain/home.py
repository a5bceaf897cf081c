"""The Home worklist: what needs doing today, each tile a search whose count and rupee total the
server gives with one row, and which opens in Invoices or Bharat Connect."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from enkash_tui.api.models import InvoiceFilter
from enkash_tui.domain.bharat_connect import BY_KEY as BC_QUEUES
from enkash_tui.domain.invoices import BY_KEY as PRESETS
from enkash_tui.domain.invoices import OPEN, InvoiceQuery


@dataclass(frozen=True)
class Tile:
    key: str  # stable id, for tests and focus
    label: str
    filters: InvoiceFilter
    section: str  # "invoices" or "bharat_connect"
    query: InvoiceQuery | None = None  # what Invoices searches (section "invoices")
    bc_queue: str | None = None  # which queue Bharat Connect opens (section "bharat_connect")
    alarm: bool = False  # drawn in warning colours when not empty


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min)


def _day_end(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59))


def overdue_tiles(today: dt.date, ends: Sequence[int]) -> list[Tile]:
    """One tile per overdue bucket: (30, 60, 90) -> 1-30, 31-60, 61-90, 90+ days late."""
    tiles = []
    start = 1
    for end in [*ends, None]:
        label = f"Overdue {start}-{end} days" if end else f"Overdue {start - 1}+ days"
        filters = InvoiceFilter(
            receivable_statuses=OPEN,
            due_date_to=_day_end(today - dt.timedelta(days=start)),
            due_date_from=_day_start(today - dt.timedelta(days=end)) if end else None,
        )
        query = InvoiceQuery(label, filters)
        tiles.append(Tile(f"overdue-{start}", label, filters, "invoices", query, alarm=True))
        start = (end or 0) + 1
    return tiles


def home_tiles(today: dt.date, ends: Sequence[int]) -> list[Tile]:
    def preset(key: str, tile_key: str) -> Tile:
        query = PRESETS[key].build(today)
        return Tile(tile_key, query.label, query.filters, "invoices", query)

    def queue(key: str, tile_key: str, label: str) -> Tile:
        found = BC_QUEUES[key]
        return Tile(tile_key, label, found.filters, "bharat_connect", bc_queue=key, alarm=True)

    return [
        *overdue_tiles(today, ends),
        preset("3", "due-this-week"),
        preset("4", "not-dispatched"),
        preset("6", "awaiting-approval"),
        queue("1", "bc-payments", "BC: confirm payments"),
        queue("2", "bc-returned", "BC: returned by buyer"),
    ]


@dataclass(frozen=True)
class FollowUpTile:
    """A tile of the follow-up book (``domain.promise_check`` works out its figure): it opens the
    list of the entries it counts."""

    key: str
    label: str
    noun: str  # what it counts: "2 promises"
    alarm: bool = False


# Labels of 14 characters at most: four tiles side by side on an 80-column terminal. The count
# line names what is counted ("Broken · 3 promises").
FOLLOW_UP_TILES: tuple[FollowUpTile, ...] = (
    FollowUpTile("promises-today", "Promises today", "promise"),  # due today
    FollowUpTile("promises-broken", "Broken", "promise", alarm=True),
    FollowUpTile("follow-ups-due", "Follow-ups due", "follow-up"),
    FollowUpTile("disputes-open", "Open disputes", "dispute", alarm=True),
)
