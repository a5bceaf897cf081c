"""Search results as one page object, whatever list or page shape the server uses (§3.3)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from enkash_tui.api.errors import ResponseFormatError, ResponseTooLargeError

T = TypeVar("T", bound=BaseModel)

_LIST_KEYS = ("content", "data", "list", "records", "items", "invoices", "customers")
_TOTAL_KEYS = ("totalElements", "totalCount", "count", "total")
# Offsets are int32 on the wire (§3.3): a larger total could never be paged through.
MAX_TOTAL = 2**31 - 1


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    offset: int
    limit: int
    # None when the server does not say; then a full page means "maybe more".
    total: int | None = None
    # The whole result's balance, when the server sends it (the sandbox does, on a first page).
    total_balance: Decimal | None = None

    @property
    def next_offset(self) -> int:
        return self.offset + len(self.items)

    @property
    def has_more(self) -> bool:
        if self.total is not None:
            return self.next_offset < self.total
        return len(self.items) >= self.limit > 0


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: JSON's Infinity
        return None


def _as_decimal(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except ArithmeticError:
        return None


def parse_page(
    payload: Any,
    headers: Mapping[str, str],
    model: type[T],
    *,
    offset: int,
    limit: int,
) -> Page[T]:
    """Accept a bare list, or an object holding the list under a usual key plus a total."""
    total = _as_int(headers.get("x-total-count"))
    total_balance = _as_decimal(headers.get("x-total-balance-amount"))
    rows: Any = payload
    if payload is None:
        rows = []
    elif isinstance(payload, dict):
        rows = next(
            (payload[key] for key in _LIST_KEYS if isinstance(payload.get(key), list)), None
        )
        if rows is None:
            raise ResponseFormatError("search reply holds no list of results")
        for key in _TOTAL_KEYS:
            if key in payload and _as_int(payload[key]) is not None:
                total = _as_int(payload[key])
                break
    if not isinstance(rows, list):
        raise ResponseFormatError("search reply is neither a list nor a page of results")
    _check_counts(len(rows), total, limit)
    try:
        items = [model.model_validate(row) for row in rows]
    except ValidationError as error:
        raise ResponseFormatError(
            f"a search result is not a valid {model.__name__}: {error}"
        ) from None
    return Page(items, offset, limit, total, total_balance)


def _check_counts(rows: int, total: int | None, limit: int) -> None:
    """A page holds at most what was asked for, and a total is a count: anything else is a
    server fault, found before a single row is read (a flood must not cost the parsing)."""
    if limit > 0 and rows > limit:
        raise ResponseTooLargeError(
            f"EnKash sent {rows} results for a page of at most {limit}: the page was not read"
        )
    if total is not None and total < 0:
        raise ResponseFormatError(f"EnKash reported a negative number of results ({total})")
    if total is not None and total > MAX_TOTAL:
        raise ResponseFormatError(
            f"EnKash reported {total} results, more than a search can page through"
        )


async def walk_pages(
    fetch: Callable[[int], Awaitable[Page[T]]], start: int = 0
) -> AsyncIterator[T]:
    """Yield every item of every page, asking ``fetch(offset)`` for the next until none is left."""
    offset = start
    while True:
        page = await fetch(offset)
        for item in page.items:
            yield item
        if not page.has_more or not page.items:
            return
        offset = page.next_offset
