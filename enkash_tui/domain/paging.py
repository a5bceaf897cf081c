"""A window onto a large server-side result: pages fetched as the user moves, few kept.

The table asks for rows by index; missing pages are fetched by the screen's worker and stored
here. Old pages are evicted (least recently used) so memory stays flat on a 100k-row result, and a
``generation`` number drops replies that belong to a query the user has already replaced.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")


class PagedRows(Generic[T]):
    def __init__(self, page_size: int = 100, max_pages: int = 60) -> None:
        self.page_size = page_size
        self.max_pages = max_pages
        self.total: int | None = None
        self.generation = 0
        self._pages: OrderedDict[int, list[T]] = OrderedDict()
        self._requested: set[int] = set()

    def reset(self) -> int:
        """Forget everything (a new query); returns the new generation."""
        self._pages.clear()
        self._requested.clear()
        self.total = None
        self.generation += 1
        return self.generation

    @property
    def known_rows(self) -> int:
        """Rows the view can show: the server's total, or what is loaded so far."""
        if self.total is not None:
            return self.total
        return max((p * self.page_size + len(rows) for p, rows in self._pages.items()), default=0)

    def row(self, index: int) -> T | None:
        page = index // self.page_size
        rows = self._pages.get(page)
        if rows is None:
            return None
        self._pages.move_to_end(page)
        offset = index - page * self.page_size
        return rows[offset] if offset < len(rows) else None

    def missing_pages(self, first: int, last: int) -> list[int]:
        """Pages covering rows ``first..last`` that are neither loaded nor on their way."""
        if last < first:
            return []
        if self.total is not None:
            last = min(last, self.total - 1)
        pages = range(first // self.page_size, last // self.page_size + 1)
        return [p for p in pages if p not in self._pages and p not in self._requested]

    def requested(self, page: int) -> None:
        self._requested.add(page)

    def failed(self, page: int, generation: int) -> None:
        """A fetch failed: allow it to be asked for again."""
        if generation == self.generation:
            self._requested.discard(page)

    def store(self, page: int, rows: list[T], total: int | None, generation: int) -> bool:
        """Keep a fetched page; False (and nothing kept) if it answers an older query."""
        if generation != self.generation:
            return False
        self._requested.discard(page)
        self._pages[page] = rows
        self._pages.move_to_end(page)
        if total is not None:
            self.total = total
        elif len(rows) < self.page_size:  # a short page ends a result with no known total
            self.total = page * self.page_size + len(rows)
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        return True

    def loaded(self) -> Iterator[tuple[int, T]]:
        """(index, row) of every loaded row, in order."""
        for page in sorted(self._pages):
            base = page * self.page_size
            for offset, row in enumerate(self._pages[page]):
                yield base + offset, row

    @property
    def loaded_count(self) -> int:
        return sum(len(rows) for rows in self._pages.values())


class PagedSource(Generic[T]):
    """A table's view of ``PagedRows``: rows by index, and missing ones sent for."""

    def __init__(self, rows: PagedRows[T], fetch: Callable[[int, int], None]) -> None:
        self.rows = rows
        self.fetch = fetch

    def count(self) -> int:
        return self.rows.known_rows

    def row(self, index: int) -> T | None:
        return self.rows.row(index)

    def want(self, first: int, last: int) -> None:
        self.fetch(first, last)


def chunks(items: Sequence[T], size: int) -> list[list[T]]:
    """``items`` in lists of at most ``size``, in order: ids cut to what one filter carries."""
    return [list(items[n : n + size]) for n in range(0, len(items), size)]
