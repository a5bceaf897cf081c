"""The receivables aging (no Textual, no server): bucket bounds, bucketing invoices with exact
sums, the top debtors, and the ``aging_buckets`` setting. (Its file: ``test_open_book.py``.)"""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from enkash_tui.config import ConfigError, Settings, dump_settings, load_settings
from enkash_tui.domain.aging import Aging, Bucket, Debtor, buckets_for
from tests.support.open_invoices import TODAY
from tests.support.open_invoices import open_invoice as invoice


def tally(aging: Aging) -> dict[str, tuple[int, Decimal]]:
    return {b.label: (b.count, b.balance) for b in aging.buckets}


# -- buckets -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ends", "expected"),
    [
        ((30, 60, 90), [("Current", 0, 0), ("1-30", 1, 30), ("31-60", 31, 60),
                        ("61-90", 61, 90), ("90+", 91, None)]),
        ((15, 45), [("Current", 0, 0), ("1-15", 1, 15), ("16-45", 16, 45), ("45+", 46, None)]),
        ((7,), [("Current", 0, 0), ("1-7", 1, 7), ("7+", 8, None)]),
    ],
)  # fmt: skip
def test_buckets_for_labels_and_bounds(
    ends: tuple[int, ...], expected: list[tuple[str, int, int | None]]
) -> None:
    buckets = buckets_for(ends)
    assert [(b.label, b.first_day, b.last_day) for b in buckets] == expected
    assert all(b.count == 0 and b.balance == Decimal(0) for b in buckets)


@pytest.mark.parametrize(
    ("days_late", "label"),
    [
        (0, "Current"), (1, "1-30"), (29, "1-30"), (30, "1-30"), (31, "31-60"), (60, "31-60"),
        (61, "61-90"), (90, "61-90"), (91, "90+"), (10_000, "90+"),
    ],
)  # fmt: skip
def test_exactly_one_standard_bucket_holds_each_lateness(days_late: int, label: str) -> None:
    holding = [b.label for b in buckets_for((30, 60, 90)) if b.holds(days_late)]
    assert holding == [label]


def test_bucket_holds_its_bounds_inclusive() -> None:
    current, first, *_, last = buckets_for((30, 60, 90))
    assert current.holds(0) and not current.holds(1)
    assert first.holds(1) and first.holds(30) and not first.holds(0) and not first.holds(31)
    assert last.holds(91) and not last.holds(90)
    assert Bucket("7+", 8, None).holds(8) and not Bucket("7+", 8, None).holds(7)


# -- Aging.add -----------------------------------------------------------------------------------


def test_add_puts_each_invoice_in_its_bucket_with_exact_sums() -> None:
    aging = Aging.empty((30, 60, 90))
    invoices = [
        invoice(-10, "100.10"),  # due in ten days
        invoice(0, "0.20"),  # due today: not late yet
        invoice(None, "5.00"),  # no due date: never late
        invoice(1, "0.10"),
        invoice(30, "1000.01"),
        invoice(31, "0.01"),
        invoice(60, "2.22"),
        invoice(61, "3.33"),
        invoice(90, "4.44"),
        invoice(91, "123456789.99"),
        invoice(400, "0.05"),
    ]
    for one in invoices:
        aging.add(one, TODAY)
    assert tally(aging) == {
        "Current": (3, Decimal("105.30")),
        "1-30": (2, Decimal("1000.11")),
        "31-60": (2, Decimal("2.23")),
        "61-90": (2, Decimal("7.77")),
        "90+": (2, Decimal("123456790.04")),
    }
    assert aging.count == len(invoices)
    assert aging.total == Decimal("123457905.45")
    assert all(isinstance(b.balance, Decimal) for b in aging.buckets)


def test_add_with_custom_ends() -> None:
    aging = Aging.empty((15, 45))
    for days, amount in ((15, "1.50"), (16, "2.50"), (45, "3.50"), (46, "4.50")):
        aging.add(invoice(days, amount), TODAY)
    assert tally(aging) == {
        "Current": (0, Decimal(0)),
        "1-15": (1, Decimal("1.50")),
        "16-45": (2, Decimal("6.00")),
        "45+": (1, Decimal("4.50")),
    }


def test_settled_invoices_are_counted_with_nothing_owed_and_are_nobodys_debt() -> None:
    # days_overdue is 0 without an open balance, so a settled invoice is never late: it counts
    # in Current, adds nothing, and makes nobody a debtor.
    aging = Aging.empty((30, 60, 90))
    aging.add(invoice(45, "0.00"), TODAY)
    aging.add(invoice(120, None), TODAY)
    assert tally(aging)["Current"] == (2, Decimal(0))
    assert aging.count == 2 and aging.total == Decimal(0)
    assert aging.debtors == {} and aging.top() == []


def test_only_late_invoices_make_debtors_summed_per_customer() -> None:
    aging = Aging.empty((30, 60, 90))
    aging.add(invoice(5, "10.05", "CUST-A", "Acme Traders"), TODAY)
    aging.add(invoice(95, "20.10", "CUST-A", "Acme Traders"), TODAY)
    aging.add(invoice(-3, "999.00", "CUST-A", "Acme Traders"), TODAY)  # not yet due
    aging.add(invoice(0, "999.00", "CUST-B", "Bharat Steel"), TODAY)  # due today
    aging.add(invoice(40, "7.00", "CUST-C", None), TODAY)  # no name: its id stands in
    aging.add(invoice(40, "8.00", None, "Nobody"), TODAY)  # no customer: in the bucket only
    assert set(aging.debtors) == {"CUST-A", "CUST-C"}
    a = aging.debtors["CUST-A"]
    assert (a.name, a.overdue, a.count) == ("Acme Traders", Decimal("30.15"), 2)
    c = aging.debtors["CUST-C"]
    assert (c.name, c.overdue, c.count) == ("CUST-C", Decimal("7.00"), 1)
    assert tally(aging)["31-60"] == (2, Decimal("15.00"))


# -- top -----------------------------------------------------------------------------------------


def test_top_is_largest_overdue_first_ties_by_name_at_most_ten() -> None:
    aging = Aging.empty((30, 60, 90))
    for n in range(12):
        aging.add(invoice(10, f"{100 + n}.00", f"CUST-{n:02d}", f"Customer {n:02d}"), TODAY)
    # Two ties on the amount: the names decide, whatever order they came in.
    aging.add(invoice(10, "500.00", "CUST-Z", "Zenith Exports"), TODAY)
    aging.add(invoice(10, "500.00", "CUST-M", "Malabar Packaging"), TODAY)
    aging.add(invoice(70, "250.00", "CUST-00", "Customer 00"), TODAY)  # 100 + 250 = 350
    top = aging.top()
    assert len(top) == 10
    assert [d.customer_id for d in top] == [
        "CUST-M", "CUST-Z", "CUST-00", "CUST-11", "CUST-10", "CUST-09", "CUST-08", "CUST-07",
        "CUST-06", "CUST-05",
    ]  # fmt: skip
    assert top[2].overdue == Decimal("350.00") and top[2].count == 2
    assert [d.customer_id for d in aging.top(3)] == ["CUST-M", "CUST-Z", "CUST-00"]
    assert len(aging.top(100)) == 14


def test_an_empty_aging() -> None:
    aging = Aging.empty((30, 60, 90))
    assert aging.computed_at is None and aging.today is None and aging.age() is None
    assert aging.total == Decimal(0) and aging.count == 0 and aging.top() == []


def test_age_counts_from_computed_at() -> None:
    aging = Aging.empty((30, 60, 90))
    aging.computed_at = 1_000.0
    assert aging.age(1_090.5) == 90.5


def test_debtor_defaults() -> None:
    debtor = Debtor("CUST-A", "Acme")
    assert (debtor.overdue, debtor.count) == (Decimal(0), 0)


# -- the aging_buckets setting -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [([30, 60, 90], (30, 60, 90)), ([15, 45], (15, 45)), ([7], (7,)), ([1, 2, 3650], (1, 2, 3650))],
)
def test_aging_buckets_setting_accepts_rising_whole_days(
    value: list[int], expected: tuple[int, ...]
) -> None:
    assert Settings.from_dict({"aging_buckets": value}).aging_buckets == expected


def test_aging_buckets_default() -> None:
    assert Settings.from_dict({}).aging_buckets == (30, 60, 90)
    assert Settings().aging_buckets == (30, 60, 90)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(30, id="a-number"),
        pytest.param("30,60,90", id="text"),
        pytest.param({"a": 30}, id="a-table"),
        pytest.param([], id="empty"),
        pytest.param([0, 30], id="zero"),
        pytest.param([0], id="only-zero"),
        pytest.param([-5, 30], id="negative"),
        pytest.param([60, 30, 90], id="unsorted"),
        pytest.param([90, 60, 30], id="falling"),
        pytest.param([30, 30, 60], id="duplicate"),
        pytest.param([30, 60.5], id="a-fraction"),
        pytest.param([30.0, 60.0], id="floats"),
        pytest.param(["30", "60"], id="texts"),
        pytest.param([[30], [60]], id="nested"),
    ],
)
def test_aging_buckets_setting_refuses_anything_else(value: Any) -> None:
    with pytest.raises(ConfigError, match="aging_buckets"):
        Settings.from_dict({"aging_buckets": value})


@pytest.mark.parametrize(
    "value", [pytest.param([True], id="true"), pytest.param([True, 60], id="true-then-60")]
)
def test_aging_buckets_setting_refuses_booleans(value: list[Any]) -> None:
    # TOML's true is a bool, which Python counts as the int 1: it must not pass as a day.
    with pytest.raises(ConfigError, match="aging_buckets"):
        Settings.from_dict({"aging_buckets": value})


def test_a_bad_aging_buckets_in_the_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("aging_buckets = [60, 30]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="aging_buckets") as raised:
        load_settings(path)
    assert str(path) in str(raised.value)


def test_dump_settings_writes_aging_buckets_only_when_not_the_default(tmp_path: Path) -> None:
    assert "aging_buckets" not in dump_settings(Settings())
    assert "aging_buckets" not in dump_settings(Settings(aging_buckets=(30, 60, 90)))
    text = dump_settings(Settings(aging_buckets=(15, 45)))
    assert "aging_buckets = [15, 45]" in text.splitlines()
    assert Settings.from_dict(tomllib.loads(text)).aging_buckets == (15, 45)
    one = dump_settings(Settings(aging_buckets=(7,)))
    assert Settings.from_dict(tomllib.loads(one)).aging_buckets == (7,)
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    assert load_settings(path).aging_buckets == (15, 45)
