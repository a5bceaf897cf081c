"""The marked rows of a ``LazyTable``, owned by the table: kept as rows by key, so they stay
marked across pages, searches and refreshes until unmarked, and the table redraws as they change."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from typing import Generic, TypeVar

T = TypeVar("T")


class Marks(Generic[T]):
    def __init__(self, key: Callable[[T], Hashable], changed: Callable[[], object]) -> None:
        self._key = key
        self._changed = changed
        self._rows: dict[Hashable, T] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    def __iter__(self) -> Iterator[Hashable]:
        """The marked rows' keys, in the order they were marked."""
        return iter(self._rows)

    def rows(self) -> list[T]:
        return list(self._rows.values())

    def set(self, row: T, marked: bool) -> None:
        key = self._key(row)
        if marked:
            self._rows[key] = row
        else:
            self._rows.pop(key, None)
        self._changed()

    def set_many(self, rows: Iterable[T], marked: bool) -> None:
        """Mark (or unmark) every one of ``rows``, redrawing once."""
        for row in rows:
            if marked:
                self._rows[self._key(row)] = row
            else:
                self._rows.pop(self._key(row), None)
        self._changed()

    def toggle(self, row: T) -> bool:
        """Mark ``row`` or unmark it; True when it is now marked."""
        self.set(row, self._key(row) not in self._rows)
        return self._key(row) in self._rows

    def clear(self) -> None:
        self._rows.clear()
        self._changed()

    def follow(self, fresh: Mapping[Hashable, T]) -> None:
        """After a refresh: marked rows become their fresh copies; rows gone are unmarked."""
        self._rows = {key: fresh[key] for key in self._rows if key in fresh}
        self._changed()
