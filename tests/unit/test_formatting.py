"""Amounts, dates and aging buckets the Indian way (enkash_tui.domain.formatting)."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from decimal import Decimal

import pytest

from enkash_tui.domain.formatting import (
    AGING_BUCKETS,
    aging_bucket,
    day,
    group_indian,
    inr,
    typed_amount,
)

# -- inr --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("0"), "₹0.00"),
        (Decimal("1"), "₹1.00"),
        (Decimal("999"), "₹999.00"),
        (Decimal("1000"), "₹1,000.00"),
        (Decimal("12345.67"), "₹12,345.67"),
        (Decimal("99999.99"), "₹99,999.99"),
        (Decimal("100000"), "₹1,00,000.00"),
        (Decimal("1234567"), "₹12,34,567.00"),
        (Decimal("12345678"), "₹1,23,45,678.00"),
        (Decimal("100000000"), "₹10,00,00,000.00"),
        (Decimal("1234567890123.45"), "₹12,34,56,78,90,123.45"),
    ],
)
def test_inr_groups_the_indian_way(amount: Decimal, shown: str) -> None:
    assert inr(amount) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("-1"), "-₹1.00"),
        (Decimal("-999.5"), "-₹999.50"),
        (Decimal("-1000"), "-₹1,000.00"),
        (Decimal("-12345678.9"), "-₹1,23,45,678.90"),
        (-250000, "-₹2,50,000.00"),
    ],
)
def test_inr_negative_amounts_put_the_sign_before_the_symbol(
    amount: Decimal | int, shown: str
) -> None:
    assert inr(amount) == shown


def test_inr_negative_amount_that_rounds_to_zero_has_no_sign() -> None:
    assert inr(Decimal("-0.004")) == "₹0.00"
    assert inr(Decimal("-0.00")) == "₹0.00"


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (Decimal("0.005"), "₹0.01"),  # half-up, not banker's rounding
        (Decimal("0.004"), "₹0.00"),
        (Decimal("0.015"), "₹0.02"),
        (Decimal("0.025"), "₹0.03"),  # banker's rounding would give 0.02
        (Decimal("2.675"), "₹2.68"),
        (Decimal("999.995"), "₹1,000.00"),  # rounding carries into a new group
        (Decimal("99999.995"), "₹1,00,000.00"),
        (Decimal("-0.005"), "-₹0.01"),  # half away from zero
        (Decimal("-1.125"), "-₹1.13"),
    ],
)
def test_inr_rounds_half_up_to_two_places(amount: Decimal, shown: str) -> None:
    assert inr(amount) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        (0, "₹0.00"),
        (5, "₹5.00"),
        (123456, "₹1,23,456.00"),
        (0.1, "₹0.10"),
        (1234.5, "₹1,234.50"),
        (0.005, "₹0.01"),  # the float's shortest repr, not its binary value (0.00499...)
        (2.675, "₹2.68"),  # ditto: the binary value is 2.67499...
        (1e7, "₹1,00,00,000.00"),
    ],
)
def test_inr_accepts_int_and_float(amount: int | float, shown: str) -> None:
    assert inr(amount) == shown


def test_inr_none_is_blank_or_the_given_placeholder() -> None:
    assert inr(None) == ""
    assert inr(None, blank="—") == "—"


def test_inr_without_symbol() -> None:
    assert inr(Decimal("12345678"), symbol=False) == "1,23,45,678.00"
    assert inr(Decimal("-1000"), symbol=False) == "-1,000.00"


def test_inr_zero_is_not_blank() -> None:
    # A zero balance is an amount, not a missing one.
    assert inr(Decimal("0"), blank="—") == "₹0.00"
    assert inr(0, blank="—") == "₹0.00"


# -- group_indian -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("digits", "grouped"),
    [
        ("", ""),
        ("0", "0"),
        ("12", "12"),
        ("999", "999"),
        ("1000", "1,000"),
        ("12345", "12,345"),
        ("123456", "1,23,456"),
        ("1234567", "12,34,567"),
        ("12345678", "1,23,45,678"),
        ("100000000", "10,00,00,000"),
        ("1000000000", "1,00,00,00,000"),
    ],
)
def test_group_indian(digits: str, grouped: str) -> None:
    assert group_indian(digits) == grouped


# -- day --------------------------------------------------------------------------------------


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is India (UTC+05:30) for the test."""
    if not hasattr(time, "tzset"):
        pytest.skip("time.tzset is not available here")
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_day_of_a_date() -> None:
    assert day(dt.date(2026, 11, 25)) == "25 Nov 2026"
    assert day(dt.date(2026, 1, 5)) == "05 Jan 2026"


def test_day_of_a_naive_datetime_is_taken_as_is() -> None:
    assert day(dt.datetime(2026, 11, 25, 23, 59, 59)) == "25 Nov 2026"


def test_day_of_an_aware_datetime() -> None:
    noon_ist = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=5.5)))
    assert day(noon_ist) == "25 Nov 2026"  # 06:30 UTC: the same day in every zone within ±6 h


@pytest.mark.usefixtures("local_zone")
def test_day_of_an_aware_datetime_is_shown_in_local_time() -> None:
    # 20:00 UTC on the 24th is 01:30 on the 25th in India.
    late_utc = dt.datetime(2026, 11, 24, 20, 0, tzinfo=dt.UTC)
    assert day(late_utc) == "25 Nov 2026"
    early_utc = dt.datetime(2026, 11, 25, 18, 29, tzinfo=dt.UTC)
    assert day(early_utc) == "25 Nov 2026"
    assert day(early_utc + dt.timedelta(minutes=1)) == "26 Nov 2026"


def test_day_none_is_blank_or_the_given_placeholder() -> None:
    assert day(None) == ""
    assert day(None, blank="—") == "—"


# -- aging_bucket -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "bucket"),
    [
        (0, "Current"),
        (1, "1-30"),
        (15, "1-30"),
        (30, "1-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "90+"),
        (365, "90+"),
        (10_000, "90+"),
    ],
)
def test_aging_bucket_edges(days: int, bucket: str) -> None:
    assert aging_bucket(days) == bucket


def test_aging_bucket_of_a_negative_age_is_current() -> None:
    assert aging_bucket(-3) == "Current"


def test_aging_buckets_cover_every_day_without_overlap() -> None:
    labels = [label for label, _, _ in AGING_BUCKETS]
    assert labels == ["Current", "1-30", "31-60", "61-90", "90+"]
    for days in range(0, 200):
        owners = [
            label
            for label, low, high in AGING_BUCKETS
            if days >= low and (high is None or days <= high)
        ]
        assert len(owners) == 1, (days, owners)


@pytest.mark.parametrize(
    ("typed", "plain"),
    [("₹1,50,000.50", "150000.50"), (" 25000 ", "25000"), ("1,00,000", "100000"), ("", "")],
)
def test_a_typed_amount_is_read_one_way(typed: str, plain: str) -> None:
    assert typed_amount(typed) == plain
