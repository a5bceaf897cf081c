"""Reminder rules in words, their firing dates and who they reach (enkash_tui.domain.reminders).

Every expected date below is written out by hand, not recomputed with timedelta arithmetic.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from enkash_tui.api.models import KeyContact, Reminder
from enkash_tui.domain.reminders import (
    HORIZON_DAYS,
    PAST_PER_RULE,
    PER_RULE,
    Recipient,
    describe,
    firings,
    is_recurring,
    nobody_reached,
    offset_words,
    recipients,
    time_of,
)

D = dt.date
T = dt.datetime


def rule(**fields: Any) -> Reminder:
    """A rule as EnKash sends it (wire names); defaults to ONCE, on the due date, at 10:00."""
    wire: dict[str, Any] = {"reminderType": "ONCE", "dueDateDifference": 0, "reminderTime": "10:00"}
    wire.update(fields)
    return Reminder.model_validate(wire)


def recurring(offset: int, interval: int | None, time: str = "10:00", **fields: Any) -> Reminder:
    return rule(
        reminderType="RECURRING",
        dueDateDifference=offset,
        reminderInterval=interval,
        reminderTime=time,
        **fields,
    )


def contact(**fields: Any) -> KeyContact:
    return KeyContact.model_validate(fields)


# -- offset_words / describe ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (-3, "3 days before due"),
        (-1, "1 day before due"),
        (0, "on the due date"),
        (1, "1 day after due"),
        (5, "5 days after due"),
        (-30, "30 days before due"),
    ],
)
def test_offset_words(days: int, words: str) -> None:
    assert offset_words(days) == words


@pytest.mark.parametrize(
    ("wire", "words"),
    [
        ({"reminderType": "ONCE", "dueDateDifference": -3}, "3 days before due"),
        ({"reminderType": "ONCE", "dueDateDifference": -1}, "1 day before due"),
        ({"reminderType": "ONCE", "dueDateDifference": 0}, "on the due date"),
        ({"reminderType": "ONCE", "dueDateDifference": 1}, "1 day after due"),
        # An interval on a ONCE rule is ignored.
        (
            {"reminderType": "ONCE", "dueDateDifference": 2, "reminderInterval": 7},
            "2 days after due",
        ),
        (
            {"reminderType": "RECURRING", "dueDateDifference": 5, "reminderInterval": 7},
            "every 7 days from 5 days after due",
        ),
        (
            {"reminderType": "RECURRING", "dueDateDifference": -3, "reminderInterval": 2},
            "every 2 days from 3 days before due",
        ),
        (
            {"reminderType": "RECURRING", "dueDateDifference": 0, "reminderInterval": 1},
            "every 1 day from on the due date",
        ),
        (
            {"reminderType": "RECURRING", "dueDateDifference": -3},
            "repeating (no interval set) from 3 days before due",
        ),
        (
            {"reminderType": "RECURRING", "dueDateDifference": -3, "reminderInterval": 0},
            "repeating (no interval set) from 3 days before due",
        ),
        # Missing dueDateDifference counts as the due date itself.
        ({"reminderType": "ONCE"}, "on the due date"),
        ({"reminderType": "RECURRING", "reminderInterval": 7}, "every 7 days from on the due date"),
        # The type is matched without regard to case.
        (
            {"reminderType": "recurring", "dueDateDifference": 1, "reminderInterval": 3},
            "every 3 days from 1 day after due",
        ),
        # No type, or one we do not know, reads as a single reminder.
        ({"dueDateDifference": -2, "reminderInterval": 7}, "2 days before due"),
        (
            {"reminderType": "WEEKLY", "dueDateDifference": -2, "reminderInterval": 7},
            "2 days before due",
        ),
    ],
)
def test_describe(wire: dict[str, Any], words: str) -> None:
    assert describe(Reminder.model_validate(wire)) == words


@pytest.mark.parametrize(
    ("reminder_type", "expected"),
    [("RECURRING", True), ("recurring", True), ("Recurring", True), ("ONCE", False), (None, False)],
)
def test_is_recurring(reminder_type: str | None, expected: bool) -> None:
    assert is_recurring(Reminder.model_validate({"reminderType": reminder_type})) is expected


# -- time_of ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wire_time", "expected"),
    [
        ("10:00", dt.time(10, 0)),
        ("09:30:00", dt.time(9, 30)),
        ("23:59", dt.time(23, 59)),
        ("00:00", dt.time(0, 0)),
        ({"hour": 7, "minute": 5}, dt.time(7, 5)),
        ("", None),
        (None, None),
        ("25:99", None),
        ("abc", None),
    ],
)
def test_time_of(wire_time: Any, expected: dt.time | None) -> None:
    assert time_of(rule(reminderTime=wire_time)) == expected


def test_time_of_reads_only_the_first_five_characters() -> None:
    # Bypass the model's own trimming: time_of must cope with "HH:mm:ss" by itself.
    raw = Reminder.model_construct(reminder_time="09:30:00")
    assert time_of(raw) == dt.time(9, 30)
    assert time_of(Reminder.model_construct(reminder_time="18:45:59.123")) == dt.time(18, 45)


# -- firings: single rules --------------------------------------------------------------------


def test_defaults() -> None:
    assert HORIZON_DAYS == 90
    assert PER_RULE == 12
    assert PAST_PER_RULE == 3


def test_once_rule_fires_exactly_once() -> None:
    once = rule(dueDateDifference=-3, reminderTime="10:00")
    result = firings([once], D(2026, 12, 10), today=D(2026, 12, 1))
    assert [f.at for f in result] == [T(2026, 12, 7, 10, 0)]
    (only,) = result
    assert only.rule is once
    assert only.occurrence == 1
    assert only.past is False


def test_once_rule_in_the_past() -> None:
    result = firings([rule(dueDateDifference=-3)], D(2026, 12, 10), today=D(2026, 12, 8))
    assert [(f.at, f.past) for f in result] == [(T(2026, 12, 7, 10, 0), True)]


def test_recurring_rule_dates_times_and_past_flags() -> None:
    # First firing Nov 6; today Nov 25, so the horizon runs to Nov 25 + 90 = 2027-02-23.
    # Three firings have gone out (all kept), then the next 12: the cap, not the horizon,
    # stops it (the 13th upcoming, 2027-02-19, would still be inside).
    weekly = recurring(5, 7, "18:30")
    result = firings([weekly], D(2026, 11, 1), today=D(2026, 11, 25))
    assert [f.at for f in result] == [
        T(2026, 11, 6, 18, 30),
        T(2026, 11, 13, 18, 30),
        T(2026, 11, 20, 18, 30),
        T(2026, 11, 27, 18, 30),
        T(2026, 12, 4, 18, 30),
        T(2026, 12, 11, 18, 30),
        T(2026, 12, 18, 18, 30),
        T(2026, 12, 25, 18, 30),
        T(2027, 1, 1, 18, 30),
        T(2027, 1, 8, 18, 30),
        T(2027, 1, 15, 18, 30),
        T(2027, 1, 22, 18, 30),
        T(2027, 1, 29, 18, 30),
        T(2027, 2, 5, 18, 30),
        T(2027, 2, 12, 18, 30),
    ]
    assert [f.past for f in result] == [True, True, True] + [False] * 12
    assert [f.occurrence for f in result] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
    assert all(f.rule is weekly for f in result)


def test_a_firing_on_today_is_not_past() -> None:
    # Two firings before today (both kept: fewer than PAST_PER_RULE); today's counts as
    # upcoming, so the cap of 4 upcoming runs from it.
    result = firings([recurring(5, 7)], D(2026, 11, 1), today=D(2026, 11, 20), per_rule=4)
    assert [(f.at.date(), f.occurrence, f.past) for f in result] == [
        (D(2026, 11, 6), 1, True),
        (D(2026, 11, 13), 2, True),
        (D(2026, 11, 20), 3, False),
        (D(2026, 11, 27), 4, False),
        (D(2026, 12, 4), 5, False),
        (D(2026, 12, 11), 6, False),
    ]
    # The same holds for a single reminder due to go out today.
    (once,) = firings([rule(dueDateDifference=-3)], D(2026, 12, 10), today=D(2026, 12, 7))
    assert once.past is False


def test_weekly_rule_is_capped_at_twelve_upcoming() -> None:
    # The first firing (2026-11-06) is after today, so the horizon runs from it: first + 90
    # days would allow 13 dates (days 0, 7, ..., 84); the cap keeps 12 (up to day 77).
    result = firings([recurring(5, 7)], D(2026, 11, 1), today=D(2026, 1, 1))
    assert len(result) == 12
    assert result[-1].at == T(2027, 1, 22, 10, 0)
    assert result[-1].occurrence == 12


def test_weekly_rule_without_the_cap_stops_at_the_horizon() -> None:
    # First firing after today, so the horizon is first + 90 (2027-02-04).
    # Days 0, 7, ..., 84: 13 dates; day 91 (2027-02-05) is beyond it.
    result = firings([recurring(5, 7)], D(2026, 11, 1), today=D(2026, 1, 1), per_rule=100)
    assert len(result) == 13
    assert result[-1].at == T(2027, 1, 29, 10, 0)


def test_thirty_day_rule_reaches_the_horizon_inclusive() -> None:
    # First firing after today, horizon first + 90. Days 0, 30, 60, 90: the 90th is shown.
    result = firings([recurring(5, 30)], D(2026, 11, 1), today=D(2026, 1, 1))
    assert [f.at for f in result] == [
        T(2026, 11, 6, 10, 0),
        T(2026, 12, 6, 10, 0),
        T(2027, 1, 5, 10, 0),
        T(2027, 2, 4, 10, 0),
    ]
    assert [f.occurrence for f in result] == [1, 2, 3, 4]


@pytest.mark.parametrize(
    ("interval", "dates"),
    [
        (45, [D(2026, 11, 6), D(2026, 12, 21), D(2027, 2, 4)]),
        (90, [D(2026, 11, 6), D(2027, 2, 4)]),
        (91, [D(2026, 11, 6)]),
    ],
)
def test_horizon_for_long_intervals(interval: int, dates: list[dt.date]) -> None:
    # Today is before the first firing (2026-11-06): the horizon is 2027-02-04.
    result = firings([recurring(5, interval)], D(2026, 11, 1), today=D(2026, 1, 1))
    assert [f.at.date() for f in result] == dates


def test_explicit_horizon_days() -> None:
    # Today is before the first firing, so horizon_days counts from the first firing.
    due, today = D(2026, 11, 1), D(2026, 1, 1)
    assert [f.at.date() for f in firings([recurring(5, 7)], due, today=today, horizon_days=14)] == [
        D(2026, 11, 6),
        D(2026, 11, 13),
        D(2026, 11, 20),
    ]
    assert [f.at.date() for f in firings([recurring(5, 7)], due, today=today, horizon_days=13)] == [
        D(2026, 11, 6),
        D(2026, 11, 13),
    ]
    assert [f.at.date() for f in firings([recurring(5, 7)], due, today=today, horizon_days=0)] == [
        D(2026, 11, 6)
    ]


def test_explicit_per_rule() -> None:
    # Today is before the first firing, so every firing is upcoming and counts toward the cap.
    due, today = D(2026, 11, 1), D(2026, 1, 1)
    result = firings([recurring(5, 7)], due, today=today, per_rule=2)
    assert [(f.at, f.occurrence) for f in result] == [
        (T(2026, 11, 6, 10, 0), 1),
        (T(2026, 11, 13, 10, 0), 2),
    ]
    # A larger cap with a larger horizon: days 0, 7, ..., 147 within 150 days are 22 dates.
    many = firings([recurring(5, 7)], due, today=today, horizon_days=150, per_rule=50)
    assert len(many) == 22
    assert many[-1].at == T(2027, 4, 2, 10, 0)
    # No firings at all when the cap is zero, even for a single (upcoming) reminder.
    assert firings([rule()], due, today=today, per_rule=0) == []


def test_per_rule_cap_applies_to_each_rule_separately() -> None:
    a = recurring(0, 7, "09:00")
    b = recurring(0, 7, "17:00")
    result = firings([a, b], D(2026, 11, 1), today=D(2026, 1, 1), per_rule=2)
    assert [(f.at, f.rule is a, f.occurrence) for f in result] == [
        (T(2026, 11, 1, 9, 0), True, 1),
        (T(2026, 11, 1, 17, 0), False, 1),
        (T(2026, 11, 8, 9, 0), True, 2),
        (T(2026, 11, 8, 17, 0), False, 2),
    ]


def test_recurring_rule_without_interval_fires_once() -> None:
    for interval in (None, 0):
        result = firings([recurring(-2, interval)], D(2026, 11, 1), today=D(2026, 1, 1))
        assert [(f.at, f.occurrence) for f in result] == [(T(2026, 10, 30, 10, 0), 1)]


def test_lower_case_recurring_repeats() -> None:
    result = firings(
        [rule(reminderType="recurring", dueDateDifference=0, reminderInterval=10)],
        D(2026, 11, 1),
        today=D(2026, 1, 1),
        per_rule=3,
    )
    assert [f.at.date() for f in result] == [D(2026, 11, 1), D(2026, 11, 11), D(2026, 11, 21)]


def test_once_rule_ignores_its_interval() -> None:
    result = firings(
        [rule(reminderType="ONCE", dueDateDifference=1, reminderInterval=7)],
        D(2026, 11, 1),
        today=D(2026, 1, 1),
    )
    assert [f.at for f in result] == [T(2026, 11, 2, 10, 0)]


def test_missing_offset_fires_on_the_due_date() -> None:
    result = firings(
        [Reminder.model_validate({"reminderTime": "08:15"})], D(2026, 11, 1), today=D(2026, 1, 1)
    )
    assert [f.at for f in result] == [T(2026, 11, 1, 8, 15)]


@pytest.mark.parametrize("bad_time", [None, "", "25:99", "abc"])
def test_rule_with_unusable_time_is_left_out(bad_time: str | None) -> None:
    good = rule(dueDateDifference=-1, reminderTime="11:00")
    bad = rule(dueDateDifference=-2, reminderTime=bad_time)
    result = firings([bad, good, bad], D(2026, 11, 1), today=D(2026, 1, 1))
    assert [(f.at, f.rule is good) for f in result] == [(T(2026, 10, 31, 11, 0), True)]
    assert firings([bad], D(2026, 11, 1), today=D(2026, 1, 1)) == []


def test_no_rules_no_firings() -> None:
    assert firings([], D(2026, 11, 1), today=D(2026, 1, 1)) == []


# -- firings: several rules -------------------------------------------------------------------


def test_several_rules_merge_in_time_order() -> None:
    on_due = rule(dueDateDifference=0, reminderTime="09:00")
    before = rule(dueDateDifference=-3, reminderTime="10:00")
    every_two = recurring(-7, 2, "18:00")  # Dec 3, 5 gone out; then 3 upcoming: Dec 7, 9, 11
    result = firings([on_due, before, every_two], D(2026, 12, 10), today=D(2026, 12, 6), per_rule=3)
    assert [(f.at, f.rule, f.occurrence, f.past) for f in result] == [
        (T(2026, 12, 3, 18, 0), every_two, 1, True),
        (T(2026, 12, 5, 18, 0), every_two, 2, True),
        (T(2026, 12, 7, 10, 0), before, 1, False),
        (T(2026, 12, 7, 18, 0), every_two, 3, False),
        (T(2026, 12, 9, 18, 0), every_two, 4, False),
        (T(2026, 12, 10, 9, 0), on_due, 1, False),
        (T(2026, 12, 11, 18, 0), every_two, 5, False),
    ]


def test_same_day_firings_are_ordered_by_time_of_day() -> None:
    late = rule(dueDateDifference=0, reminderTime="23:30")
    early = rule(dueDateDifference=0, reminderTime="06:05")
    noon = rule(dueDateDifference=0, reminderTime="12:00")
    result = firings([late, early, noon], D(2026, 11, 1), today=D(2026, 1, 1))
    assert [f.rule for f in result] == [early, noon, late]
    assert [f.at for f in result] == [
        T(2026, 11, 1, 6, 5),
        T(2026, 11, 1, 12, 0),
        T(2026, 11, 1, 23, 30),
    ]


def test_ties_keep_the_order_the_rules_were_given() -> None:
    # Two rules landing on the very same minute: the sort is stable, so input order wins.
    first = rule(dueDateDifference=-1, reminderTime="10:00", stage="FIRST")
    second = recurring(-8, 7, "10:00", stage="SECOND")  # -8, -1, 6, ...: meets first on day -1
    due, today = D(2026, 11, 10), D(2026, 1, 1)
    forward = firings([first, second], due, today=today, per_rule=2)
    assert [(f.at, f.rule.stage) for f in forward] == [
        (T(2026, 11, 2, 10, 0), "SECOND"),
        (T(2026, 11, 9, 10, 0), "FIRST"),
        (T(2026, 11, 9, 10, 0), "SECOND"),
    ]
    backward = firings([second, first], due, today=today, per_rule=2)
    assert [(f.at, f.rule.stage) for f in backward] == [
        (T(2026, 11, 2, 10, 0), "SECOND"),
        (T(2026, 11, 9, 10, 0), "SECOND"),
        (T(2026, 11, 9, 10, 0), "FIRST"),
    ]


# -- firings: past firings and the window from today ------------------------------------------
#
# An invoice due 2025-08-05 with "every 7 days from 1 day after due" at 18:00: the first
# firing is 2025-08-06. Counted by hand to today, 2026-11-25: 2025-08-06 -> 2026-08-06 is 365
# days, -> 2026-11-06 another 31 + 30 + 31 = 92, -> 2026-11-25 another 19: 476 = 68 weeks. So
# today itself is firing #69, and the last three gone out are Nov 4, 11, 18 (#66, #67, #68).
# The horizon is today + 90 = 2027-02-23.

OVERDUE_DUE = D(2025, 8, 5)
OVERDUE_TODAY = D(2026, 11, 25)

OVERDUE_PAST = [
    (T(2026, 11, 4, 18, 0), 66, True),
    (T(2026, 11, 11, 18, 0), 67, True),
    (T(2026, 11, 18, 18, 0), 68, True),
]
OVERDUE_UPCOMING = [
    (T(2026, 11, 25, 18, 0), 69, False),
    (T(2026, 12, 2, 18, 0), 70, False),
    (T(2026, 12, 9, 18, 0), 71, False),
    (T(2026, 12, 16, 18, 0), 72, False),
    (T(2026, 12, 23, 18, 0), 73, False),
    (T(2026, 12, 30, 18, 0), 74, False),
    (T(2027, 1, 6, 18, 0), 75, False),
    (T(2027, 1, 13, 18, 0), 76, False),
    (T(2027, 1, 20, 18, 0), 77, False),
    (T(2027, 1, 27, 18, 0), 78, False),
    (T(2027, 2, 3, 18, 0), 79, False),
    (T(2027, 2, 10, 18, 0), 80, False),
]


def overdue_weekly() -> Reminder:
    return recurring(1, 7, "18:00")


def test_long_overdue_invoice_shows_last_three_past_then_next_twelve() -> None:
    weekly = overdue_weekly()
    result = firings([weekly], OVERDUE_DUE, today=OVERDUE_TODAY)
    assert [(f.at, f.occurrence, f.past) for f in result] == OVERDUE_PAST + OVERDUE_UPCOMING
    assert all(f.rule is weekly for f in result)


def test_long_overdue_invoice_with_no_past_firings() -> None:
    result = firings([overdue_weekly()], OVERDUE_DUE, today=OVERDUE_TODAY, past_per_rule=0)
    assert [(f.at, f.occurrence, f.past) for f in result] == OVERDUE_UPCOMING


def test_long_overdue_invoice_with_one_past_firing() -> None:
    result = firings([overdue_weekly()], OVERDUE_DUE, today=OVERDUE_TODAY, past_per_rule=1)
    last_past = (T(2026, 11, 18, 18, 0), 68, True)
    assert [(f.at, f.occurrence, f.past) for f in result] == [last_past, *OVERDUE_UPCOMING]


def test_long_overdue_weekly_window_runs_from_today_and_the_cap_stops_it() -> None:
    # Twelve upcoming (Nov 25 .. Feb 10) fit well inside today + 90 = 2027-02-23: the cap stops.
    result = firings([overdue_weekly()], OVERDUE_DUE, today=OVERDUE_TODAY, past_per_rule=0)
    assert len(result) == 12
    assert result[-1].at == T(2027, 2, 10, 18, 0)
    assert all(f.at < T(2027, 2, 24, 0, 0) for f in result)
    # Without the cap the horizon stops it: Feb 17 (today + 84) is in, Feb 24 (+ 91) is not.
    uncapped = firings(
        [overdue_weekly()], OVERDUE_DUE, today=OVERDUE_TODAY, past_per_rule=0, per_rule=100
    )
    assert len(uncapped) == 13
    assert uncapped[-1].at == T(2027, 2, 17, 18, 0)
    assert uncapped[-1].occurrence == 81


def test_long_overdue_thirty_day_rule_is_stopped_by_the_horizon() -> None:
    # Every 30 days from 2025-08-06: day 450 is 2026-10-30 (26 days before today), day 480 is
    # 2026-11-29. Upcoming: Nov 29, Dec 29, Jan 28; the next, 2027-02-27, is past Feb 23.
    result = firings([recurring(1, 30, "18:00")], OVERDUE_DUE, today=OVERDUE_TODAY)
    assert [(f.at.date(), f.occurrence, f.past) for f in result] == [
        (D(2026, 8, 31), 14, True),
        (D(2026, 9, 30), 15, True),
        (D(2026, 10, 30), 16, True),
        (D(2026, 11, 29), 17, False),
        (D(2026, 12, 29), 18, False),
        (D(2027, 1, 28), 19, False),
    ]


def test_long_overdue_thirty_day_rule_firing_today_reaches_four_upcoming() -> None:
    # 27 days after due: first 2025-09-01, 450 days (15 x 30) before today, so today is #16.
    # Today + 0, 30, 60, 90: four upcoming, the 90th day (2027-02-23) included.
    result = firings([recurring(27, 30, "18:00")], OVERDUE_DUE, today=OVERDUE_TODAY)
    assert [(f.at.date(), f.occurrence, f.past) for f in result] == [
        (D(2026, 8, 27), 13, True),
        (D(2026, 9, 26), 14, True),
        (D(2026, 10, 26), 15, True),
        (D(2026, 11, 25), 16, False),
        (D(2026, 12, 25), 17, False),
        (D(2027, 1, 24), 18, False),
        (D(2027, 2, 23), 19, False),
    ]


@pytest.mark.parametrize(
    ("past_per_rule", "kept"),
    [
        (0, []),
        (1, [(D(2026, 11, 20), 3)]),
        (2, [(D(2026, 11, 13), 2), (D(2026, 11, 20), 3)]),
        (3, [(D(2026, 11, 6), 1), (D(2026, 11, 13), 2), (D(2026, 11, 20), 3)]),
        (4, [(D(2026, 11, 6), 1), (D(2026, 11, 13), 2), (D(2026, 11, 20), 3)]),
        (5, [(D(2026, 11, 6), 1), (D(2026, 11, 13), 2), (D(2026, 11, 20), 3)]),
        (6, [(D(2026, 11, 6), 1), (D(2026, 11, 13), 2), (D(2026, 11, 20), 3)]),
    ],
)
def test_past_per_rule_keeps_at_most_that_many(
    past_per_rule: int, kept: list[tuple[dt.date, int]]
) -> None:
    # Three firings have gone out (Nov 6, 13, 20); asking for more than that keeps all three.
    result = firings(
        [recurring(5, 7)],
        D(2026, 11, 1),
        today=D(2026, 11, 25),
        per_rule=1,
        past_per_rule=past_per_rule,
    )
    assert [(f.at.date(), f.occurrence) for f in result if f.past] == kept
    assert [(f.at.date(), f.occurrence) for f in result if not f.past] == [(D(2026, 11, 27), 4)]


def test_once_rule_long_past_still_shows() -> None:
    once = rule(dueDateDifference=-3, reminderTime="10:00")
    result = firings([once], OVERDUE_DUE, today=OVERDUE_TODAY)
    assert [(f.at, f.occurrence, f.past) for f in result] == [(T(2025, 8, 2, 10, 0), 1, True)]
    assert firings([once], OVERDUE_DUE, today=OVERDUE_TODAY, past_per_rule=0) == []


# -- firings: calendar boundaries -------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "offset", "fires"),
    [
        (D(2026, 12, 30), 3, D(2027, 1, 2)),
        (D(2027, 1, 2), -3, D(2026, 12, 30)),
        (D(2026, 1, 31), 1, D(2026, 2, 1)),
        (D(2026, 3, 1), -1, D(2026, 2, 28)),
        (D(2028, 2, 27), 2, D(2028, 2, 29)),
        (D(2028, 3, 1), -1, D(2028, 2, 29)),
        (D(2027, 2, 27), 2, D(2027, 3, 1)),
        (D(2026, 11, 1), 365, D(2027, 11, 1)),
        (D(2026, 11, 1), -365, D(2025, 11, 1)),
    ],
)
def test_offsets_cross_month_and_year_boundaries(due: dt.date, offset: int, fires: dt.date) -> None:
    result = firings([rule(dueDateDifference=offset)], due, today=D(2020, 1, 1))
    assert [f.at for f in result] == [T(fires.year, fires.month, fires.day, 10, 0)]


def test_recurring_across_february() -> None:
    # 2026 is not a leap year: Jan 31 + 30 days is Mar 2.
    result = firings([recurring(0, 30)], D(2026, 1, 31), today=D(2020, 1, 1))
    assert [f.at.date() for f in result] == [
        D(2026, 1, 31),
        D(2026, 3, 2),
        D(2026, 4, 1),
        D(2026, 5, 1),
    ]
    # 2028 is: Jan 31 + 30 days is Mar 1.
    leap = firings([recurring(0, 30)], D(2028, 1, 31), today=D(2020, 1, 1))
    assert [f.at.date() for f in leap] == [
        D(2028, 1, 31),
        D(2028, 3, 1),
        D(2028, 3, 31),
        D(2028, 4, 30),
    ]


# -- recipients / nobody_reached --------------------------------------------------------------


def test_recipients_channels_need_flag_and_address() -> None:
    contacts = [
        contact(
            name="Asha",
            mobile="9876543210",
            email="asha@acme.in",
            mail_enabled=True,
            sms_enabled=True,
            whatsapp_enabled=True,
        ),
        # Flags on, but no e-mail: only the mobile channels count.
        contact(
            name="Ravi",
            mobile="9123456780",
            mail_enabled=True,
            sms_enabled=True,
            whatsapp_enabled=False,
        ),
        # Flags on, but no mobile: only e-mail counts.
        contact(
            name="Meera",
            email="meera@acme.in",
            mail_enabled=True,
            sms_enabled=True,
            whatsapp_enabled=True,
        ),
        # Addresses present, flags off or unset.
        contact(name="Dev", mobile="9000000001", email="dev@acme.in", mail_enabled=False),
    ]
    assert recipients(contacts) == [
        Recipient("Asha", "9876543210  asha@acme.in", ("e-mail", "SMS", "WhatsApp")),
        Recipient("Ravi", "9123456780", ("SMS",)),
        Recipient("Meera", "meera@acme.in", ("e-mail",)),
        Recipient("Dev", "9000000001  dev@acme.in", ()),
    ]


def test_recipients_channel_order_is_fixed() -> None:
    (only,) = recipients(
        [
            contact(
                name="X",
                mobile="9876543210",
                email="x@acme.in",
                whatsapp_enabled=True,
                mail_enabled=True,
            )
        ]
    )
    assert only.channels == ("e-mail", "WhatsApp")


def test_recipients_ignore_deleted_contacts() -> None:
    contacts = [
        contact(name="Gone", mobile="9876543210", sms_enabled=True, deleted=True),
        contact(name="Here", email="here@acme.in", mail_enabled=True),
    ]
    assert recipients(contacts) == [Recipient("Here", "here@acme.in", ("e-mail",))]


def test_recipients_flags_read_from_snake_case_wire_names() -> None:
    wire = {"name": "W", "mobile": "9876543210", "sms_enabled": True, "whatsapp_enabled": True}
    assert recipients([KeyContact.model_validate(wire)])[0].channels == ("SMS", "WhatsApp")


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"name": "Asha", "legalName": "Asha Traders Pvt Ltd"}, "Asha"),
        ({"legalName": "Asha Traders Pvt Ltd"}, "Asha Traders Pvt Ltd"),
        ({"name": "", "legalName": "Asha Traders Pvt Ltd"}, "Asha Traders Pvt Ltd"),
        ({}, "?"),
        ({"name": "", "legalName": ""}, "?"),
    ],
)
def test_recipient_name_falls_back(fields: dict[str, Any], name: str) -> None:
    assert recipients([contact(**fields)])[0].name == name


@pytest.mark.parametrize(
    ("fields", "address"),
    [
        ({"mobile": "9876543210", "email": "a@acme.in"}, "9876543210  a@acme.in"),
        ({"mobile": "9876543210"}, "9876543210"),
        ({"email": "a@acme.in"}, "a@acme.in"),
        ({"mobile": "", "email": "a@acme.in"}, "a@acme.in"),
        ({}, ""),
    ],
)
def test_recipient_address(fields: dict[str, Any], address: str) -> None:
    assert recipients([contact(name="A", **fields)])[0].address == address


def test_empty_addresses_do_not_carry_a_channel() -> None:
    blank = contact(
        name="B", mobile="", email="", mail_enabled=True, sms_enabled=True, whatsapp_enabled=True
    )
    assert recipients([blank]) == [Recipient("B", "", ())]


def test_nobody_reached_without_contacts() -> None:
    assert nobody_reached([]) is True


def test_nobody_reached_when_every_flag_is_off() -> None:
    contacts = [
        contact(name="A", mobile="9876543210", email="a@acme.in"),
        contact(
            name="B",
            mobile="9123456780",
            email="b@acme.in",
            mail_enabled=False,
            sms_enabled=False,
            whatsapp_enabled=False,
        ),
    ]
    assert nobody_reached(contacts) is True


def test_nobody_reached_when_flags_are_on_but_addresses_missing() -> None:
    contacts = [
        contact(name="A", mail_enabled=True, sms_enabled=True, whatsapp_enabled=True),
        contact(name="B", mobile="9876543210", mail_enabled=True),
        contact(name="C", email="c@acme.in", sms_enabled=True, whatsapp_enabled=True),
    ]
    assert nobody_reached(contacts) is True


def test_nobody_reached_when_the_only_reachable_contact_is_deleted() -> None:
    contacts = [
        contact(name="A", mobile="9876543210", sms_enabled=True, deleted=True),
        contact(name="B", mobile="9123456780"),
    ]
    assert nobody_reached(contacts) is True


@pytest.mark.parametrize(
    "reachable",
    [
        {"email": "a@acme.in", "mail_enabled": True},
        {"mobile": "9876543210", "sms_enabled": True},
        {"mobile": "9876543210", "whatsapp_enabled": True},
    ],
)
def test_one_usable_channel_is_enough(reachable: dict[str, Any]) -> None:
    contacts = [
        contact(name="Silent", mobile="9123456780", email="s@acme.in"),
        contact(name="Reached", **reachable),
    ]
    assert nobody_reached(contacts) is False


# -- dates far from today ---------------------------------------------------------------------


def test_a_due_date_at_the_end_of_the_calendar_does_not_overflow() -> None:
    # 9999-12-31 plus a few days is past the last date there is: those firings are left out,
    # the ones before it are shown.
    before, after = rule(dueDateDifference=-3), recurring(5, 7)
    result = firings([before, after, rule()], D(9999, 12, 31), today=D(2026, 11, 25))
    assert [(f.at, f.rule is before) for f in result] == [
        (T(9999, 12, 28, 10, 0), True),
        (T(9999, 12, 31, 10, 0), False),
    ]


def test_a_due_date_in_year_one_shows_the_window_near_today() -> None:
    # Daily since 0001-01-06: the 3 dates before today and the next 12, numbered as they
    # would be had the rule been firing all along.
    today = D(2026, 11, 25)
    result = firings([recurring(0, 1)], D(1, 1, 6), today=today)
    assert [f.at.date() for f in result] == [
        D(2026, 11, 22), D(2026, 11, 23), D(2026, 11, 24),
        *(D(2026, 11, 25 + n) for n in range(6)), *(D(2026, 12, n) for n in range(1, 7)),
    ]  # fmt: skip
    first_today = today.toordinal() - D(1, 1, 6).toordinal() + 1
    assert [f.occurrence for f in result] == list(range(first_today - 3, first_today + 12))
    assert [f.past for f in result] == [True] * 3 + [False] * 12


def test_the_work_is_bounded_by_what_is_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    # Only the firings shown are made, however long the rule has been running: no walk from
    # year 1 to today on the UI thread.
    from enkash_tui.domain import reminders as reminder_schedule

    made: list[object] = []
    real = reminder_schedule.Firing

    def counted(*args: Any) -> object:
        made.append(real(*args))
        return made[-1]

    monkeypatch.setattr(reminder_schedule, "Firing", counted)
    result = firings([recurring(0, 1)], D(1, 1, 6), today=D(9999, 1, 1))
    assert len(result) == PAST_PER_RULE + PER_RULE
    assert len(made) == len(result)


def test_a_negative_interval_from_the_server_fires_once() -> None:
    result = firings([recurring(0, -7)], D(2026, 11, 1), today=D(2026, 1, 1))
    assert [(f.at, f.occurrence) for f in result] == [(T(2026, 11, 1, 10, 0), 1)]


@pytest.mark.parametrize("offset", [-(10**6), 10**7, -(10**9), 10**12])
def test_an_offset_beyond_the_calendar_is_left_out(offset: int) -> None:
    # What the server sends is read tolerantly: an offset of millions of days is not a crash.
    assert firings([rule(dueDateDifference=offset)], D(2026, 11, 1), today=D(2026, 1, 1)) == []
    # Repeating from a first date before year 1, it still reaches today's window.
    repeats = firings([recurring(offset, 7)], D(2026, 11, 1), today=D(2026, 1, 1))
    assert len(repeats) <= PAST_PER_RULE + PER_RULE
    assert all(D(2025, 12, 1) <= f.at.date() <= D(2026, 4, 1) for f in repeats) or offset > 0
