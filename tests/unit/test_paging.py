"""PagedRows: a window of fetched pages onto a large server-side result (domain/paging.py)."""

from __future__ import annotations

from enkash_tui.domain.paging import PagedRows


def page(number: int, size: int = 10, count: int | None = None) -> list[str]:
    """Rows named after their index: page 2 of size 10 is r20..r29."""
    return [f"r{number * size + i}" for i in range(size if count is None else count)]


def fresh(page_size: int = 10, max_pages: int = 60) -> tuple[PagedRows[str], int]:
    rows: PagedRows[str] = PagedRows(page_size, max_pages)
    return rows, rows.reset()


# -- a fresh window ---------------------------------------------------------------------------


def test_a_fresh_window_knows_nothing() -> None:
    rows: PagedRows[str] = PagedRows(10)
    assert rows.total is None
    assert rows.known_rows == 0
    assert rows.loaded_count == 0
    assert list(rows.loaded()) == []
    assert rows.row(0) is None


def test_defaults() -> None:
    rows: PagedRows[str] = PagedRows()
    assert (rows.page_size, rows.max_pages) == (100, 60)


# -- missing_pages ----------------------------------------------------------------------------


def test_missing_pages_covers_the_rows_asked_for() -> None:
    rows, _ = fresh()
    assert rows.missing_pages(0, 9) == [0]
    assert rows.missing_pages(0, 10) == [0, 1]
    assert rows.missing_pages(5, 34) == [0, 1, 2, 3]
    assert rows.missing_pages(25, 25) == [2]


def test_missing_pages_of_an_empty_or_backwards_span_is_empty() -> None:
    rows, _ = fresh()
    assert rows.missing_pages(5, 4) == []


def test_missing_pages_stops_at_the_total() -> None:
    rows, generation = fresh()
    rows.store(0, page(0), 25, generation)
    assert rows.missing_pages(0, 99) == [1, 2]
    assert rows.missing_pages(30, 99) == []  # wholly past the end
    assert rows.missing_pages(24, 24) == [2]


def test_missing_pages_of_an_empty_result_is_empty() -> None:
    rows, generation = fresh()
    rows.store(0, [], 0, generation)
    assert rows.total == 0
    assert rows.missing_pages(0, 99) == []


def test_missing_pages_skips_pages_loaded_or_on_their_way() -> None:
    rows, generation = fresh()
    rows.store(1, page(1), 100, generation)
    rows.requested(3)
    assert rows.missing_pages(0, 49) == [0, 2, 4]
    rows.requested(0)
    assert rows.missing_pages(0, 49) == [2, 4]


def test_a_stored_page_is_no_longer_on_its_way() -> None:
    rows, generation = fresh()
    rows.requested(0)
    rows.store(0, page(0), 100, generation)
    rows.reset()  # nothing left behind
    assert rows.missing_pages(0, 9) == [0]


# -- failed -----------------------------------------------------------------------------------


def test_a_failed_page_can_be_asked_for_again() -> None:
    rows, generation = fresh()
    rows.requested(0)
    assert rows.missing_pages(0, 9) == []
    rows.failed(0, generation)
    assert rows.missing_pages(0, 9) == [0]


def test_a_failure_from_an_older_query_changes_nothing() -> None:
    rows, old = fresh()
    new = rows.reset()
    rows.requested(0)
    rows.failed(0, old)
    assert rows.missing_pages(0, 9) == []  # still on its way for the new query
    rows.failed(0, new)
    assert rows.missing_pages(0, 9) == [0]


# -- store and generation ---------------------------------------------------------------------


def test_store_keeps_the_page_and_the_total() -> None:
    rows, generation = fresh()
    assert rows.store(0, page(0), 42, generation)
    assert rows.total == 42
    assert rows.known_rows == 42
    assert rows.row(0) == "r0"
    assert rows.row(9) == "r9"
    assert rows.row(10) is None  # page 1 not loaded
    assert rows.loaded_count == 10


def test_reset_forgets_everything_and_moves_the_generation_on() -> None:
    rows, generation = fresh()
    rows.store(0, page(0), 42, generation)
    rows.requested(1)
    new = rows.reset()
    assert new == generation + 1 == rows.generation
    assert rows.total is None
    assert rows.known_rows == 0
    assert rows.loaded_count == 0
    assert rows.row(0) is None
    assert rows.missing_pages(0, 19) == [0, 1]


def test_a_reply_to_an_older_query_is_dropped() -> None:
    rows, old = fresh()
    rows.requested(0)
    new = rows.reset()
    rows.requested(0)
    assert not rows.store(0, ["stale"], 999, old)
    assert rows.row(0) is None
    assert rows.total is None
    assert rows.loaded_count == 0
    assert rows.missing_pages(0, 9) == []  # the new query's request is still on its way
    assert rows.store(0, page(0), 15, new)
    assert rows.row(0) == "r0"
    assert rows.total == 15


def test_a_later_total_replaces_an_earlier_one() -> None:
    rows, generation = fresh()
    rows.store(0, page(0), 50, generation)
    rows.store(1, page(1), 60, generation)  # rows were added meanwhile
    assert rows.total == 60


def test_a_page_without_a_total_keeps_the_known_one() -> None:
    rows, generation = fresh()
    rows.store(0, page(0), 50, generation)
    rows.store(1, page(1), None, generation)
    assert rows.total == 50


# -- short last page --------------------------------------------------------------------------


def test_a_short_page_ends_a_result_with_no_total() -> None:
    rows, generation = fresh()
    rows.store(0, page(0), None, generation)
    assert rows.total is None
    assert rows.known_rows == 10  # what is loaded so far
    rows.store(1, page(1), None, generation)
    assert rows.known_rows == 20
    rows.store(2, page(2, count=3), None, generation)
    assert rows.total == 23
    assert rows.known_rows == 23
    assert rows.missing_pages(0, 99) == []


def test_an_empty_first_page_with_no_total_means_no_rows() -> None:
    rows, generation = fresh()
    rows.store(0, [], None, generation)
    assert rows.total == 0
    assert rows.known_rows == 0


def test_a_short_page_does_not_override_the_servers_total() -> None:
    rows, generation = fresh()
    rows.store(0, page(0, count=4), 40, generation)
    assert rows.total == 40


def test_known_rows_without_a_total_is_the_furthest_loaded_row() -> None:
    rows, generation = fresh()
    rows.store(3, page(3), None, generation)
    assert rows.known_rows == 40
    rows.store(1, page(1), None, generation)
    assert rows.known_rows == 40


# -- eviction ---------------------------------------------------------------------------------


def test_pages_beyond_max_pages_evict_the_oldest() -> None:
    rows, generation = fresh(max_pages=3)
    for number in range(4):
        rows.store(number, page(number), 100, generation)
    assert [index for index, _ in rows.loaded()][:1] == [10]  # page 0 went
    assert rows.row(0) is None
    assert rows.loaded_count == 30
    assert rows.missing_pages(0, 39) == [0]  # and can be fetched again


def test_row_touches_its_page_so_it_is_kept() -> None:
    rows, generation = fresh(max_pages=3)
    for number in range(3):
        rows.store(number, page(number), 100, generation)
    assert rows.row(5) == "r5"  # page 0 is now the most recently used
    rows.store(3, page(3), 100, generation)
    assert rows.row(5) == "r5"
    assert rows.row(15) is None  # page 1 was the oldest untouched page
    assert rows.missing_pages(0, 39) == [1]


def test_storing_a_page_again_touches_it() -> None:
    rows, generation = fresh(max_pages=2)
    rows.store(0, page(0), 100, generation)
    rows.store(1, page(1), 100, generation)
    rows.store(0, page(0), 100, generation)  # refetched: now newest
    rows.store(2, page(2), 100, generation)
    assert rows.row(0) == "r0"
    assert rows.row(10) is None


def test_reading_a_missing_row_touches_nothing() -> None:
    rows, generation = fresh(max_pages=2)
    rows.store(0, page(0), 100, generation)
    rows.store(1, page(1), 100, generation)
    assert rows.row(55) is None
    rows.store(2, page(2), 100, generation)
    assert rows.row(0) is None
    assert rows.row(10) == "r10"


def test_memory_stays_flat_on_a_long_walk() -> None:
    rows, generation = fresh(page_size=100, max_pages=5)
    for number in range(1000):
        rows.store(number, page(number, size=100), 100_000, generation)
    assert rows.loaded_count == 500
    assert rows.known_rows == 100_000
    assert rows.row(99_999) == "r99999"
    assert rows.row(0) is None


# -- loaded -----------------------------------------------------------------------------------


def test_loaded_lists_rows_in_index_order_whatever_the_fetch_order() -> None:
    rows, generation = fresh()
    rows.store(2, page(2, count=2), 22, generation)
    rows.store(0, page(0, count=10), 22, generation)
    assert rows.row(20) == "r20"  # touching changes recency, not order
    assert list(rows.loaded()) == [(i, f"r{i}") for i in [*range(10), 20, 21]]


def test_row_past_the_end_of_a_short_page_is_none() -> None:
    rows, generation = fresh()
    rows.store(0, page(0, count=3), None, generation)
    assert rows.row(2) == "r2"
    assert rows.row(3) is None
