"""The one clock: what it reads, how a pin holds, and that nothing else reads the wall clock."""

from __future__ import annotations

import ast
import datetime as dt
import time
from pathlib import Path

import pytest

from enkash_tui import clock

pytestmark = pytest.mark.dates

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("enkash_tui", "screens", "benchmarks", "tools")
# A business date or time read from the system clock, anywhere but enkash_tui/clock.py.
WALL_CLOCK_READS = {("date", "today"), ("datetime", "now"), ("datetime", "utcnow"),
                    ("datetime", "today"), ("time", "time")}  # fmt: skip


def test_unpinned_it_is_the_system_clock() -> None:
    before = dt.datetime.now(dt.UTC)
    now = clock.now()
    after = dt.datetime.now(dt.UTC)
    assert before <= now <= after and now.tzinfo is not None
    assert clock.today() in {before.astimezone().date(), after.astimezone().date()}
    assert abs(clock.timestamp() - time.time()) < 5


def test_a_pinned_clock_starts_at_the_pin_and_runs_on() -> None:
    with clock.pinned(dt.date(2028, 2, 29)):
        start = clock.now()
        pin = dt.datetime(2028, 2, 29, 10, 0).astimezone(dt.UTC)  # 10:00 local time
        assert pin <= start < pin + dt.timedelta(seconds=5)
        assert clock.today() == dt.date(2028, 2, 29)
        time.sleep(0.02)
        assert clock.now() > start
        assert clock.timestamp() > start.timestamp()
    assert not clock.is_pinned()


def test_a_frozen_clock_stands_still_and_pins_nest() -> None:
    moment = dt.datetime(2030, 12, 31, 23, 59, 59, tzinfo=dt.UTC)
    with clock.pinned(moment, frozen=True):
        time.sleep(0.01)
        assert clock.now() == moment
        assert clock.timestamp() == moment.timestamp()
        with clock.pinned(dt.date(2031, 1, 1), frozen=True):
            assert clock.today() == dt.date(2031, 1, 1)
        assert clock.now() == moment  # the outer pin is back
    assert abs(clock.timestamp() - time.time()) < 5


def test_today_is_the_local_calendar_day_of_now(monkeypatch: pytest.MonkeyPatch) -> None:
    # 20:00 UTC is already the next day in India: "today" follows the machine's zone.
    monkeypatch.setenv("TZ", "Asia/Kolkata")
    time.tzset()
    try:
        with clock.pinned(dt.datetime(2026, 12, 31, 20, 0, tzinfo=dt.UTC), frozen=True):
            assert clock.today() == dt.date(2027, 1, 1)
    finally:
        monkeypatch.undo()
        time.tzset()


def _wall_clock_reads(path: Path, root: Path = PROJECT_ROOT) -> list[str]:
    """``file:line`` of every ``date.today()``, ``datetime.now()``, ``time.time()``... call."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
            if (name, node.func.attr) in WALL_CLOCK_READS:
                found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_nothing_but_the_clock_module_reads_the_wall_clock() -> None:
    offenders = [
        found
        for package in PRODUCT
        for path in sorted((PROJECT_ROOT / package).rglob("*.py"))
        if path != PROJECT_ROOT / "enkash_tui" / "clock.py"
        for found in _wall_clock_reads(path)
    ]
    assert offenders == [], "read enkash_tui.clock instead: " + ", ".join(offenders)


def test_the_check_catches_each_way_of_reading_the_wall_clock(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import datetime as dt, time\nfrom datetime import date\n"
        "a = dt.date.today()\nb = dt.datetime.now(dt.UTC)\nc = time.time()\nd = date.today()\n"
        "e = time.monotonic()\n",
        encoding="utf-8",
    )
    assert _wall_clock_reads(probe, tmp_path) == [f"probe.py:{n}" for n in (3, 4, 5, 6)]
