"""The stopwatch (跑表计时) of a task: the share of time gone, days left or late, the light."""

from __future__ import annotations

from datetime import date

import pytest

from kuaiji.apps.command.checklists.stopwatch import Stopwatch, stopwatch

START, DEADLINE = date(2026, 3, 1), date(2026, 3, 30)  # 30 days, both included


def clock(today: date, progress: int = 0, status: str = "in_progress") -> Stopwatch:
    return stopwatch(
        starts_on=START, deadline=DEADLINE, progress=progress, status=status, today=today
    )


def test_on_track_is_green() -> None:
    found = clock(date(2026, 3, 10), progress=30)
    assert (found.elapsed, found.days_left, found.days_late, found.light) == (33, 20, 0, "green")


def test_behind_by_more_than_thirty_points_is_yellow() -> None:
    assert clock(date(2026, 3, 10), progress=2).light == "yellow"  # 33 - 2 = 31
    assert clock(date(2026, 3, 13), progress=12).light == "yellow"  # 43 - 12 = 31


def test_thirty_points_exactly_is_still_green() -> None:
    assert clock(date(2026, 3, 12), progress=10).light == "green"  # 40 - 10 = 30


def test_deadline_within_three_days_is_yellow() -> None:
    assert clock(date(2026, 3, 26), progress=95).light == "green"
    found = clock(date(2026, 3, 27), progress=95)
    assert (found.days_left, found.light) == (3, "yellow")
    assert clock(DEADLINE, progress=99).light == "yellow"


@pytest.mark.parametrize("status", ["not_started", "in_progress", "submitted", "returned"])
def test_past_the_deadline_and_not_accepted_is_red(status: str) -> None:
    found = clock(date(2026, 4, 2), progress=100, status=status)
    assert (found.elapsed, found.days_left, found.days_late, found.light) == (100, 0, 3, "red")
    assert found.late


def test_accepted_is_green_even_late() -> None:
    found = clock(date(2026, 4, 2), progress=100, status="accepted")
    assert (found.light, found.days_late) == ("green", 0)


def test_before_the_start_nothing_has_gone() -> None:
    found = clock(date(2026, 2, 20))
    assert (found.elapsed, found.light) == (0, "green")


def test_a_one_day_task() -> None:
    found = stopwatch(
        starts_on=START, deadline=START, progress=0, status="not_started", today=START
    )
    assert (found.elapsed, found.days_left, found.light) == (100, 0, "yellow")
