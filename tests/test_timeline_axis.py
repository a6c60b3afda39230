"""The timeline's time axis without a widget: the tick unit at a zoom, where ticks fall and
what they say, and the context row above them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from itertools import pairwise

import pytest

from dockview.ui.timeline.axis import (
    MONTHS,
    TICK_STEPS,
    TickUnit,
    axis_ticks,
    context_times,
    tick_step,
    tick_times,
)
from dockview.ui.timeline.viewport import DAY, YEAR
from tests.timeline_stays import HOUR, ts

#: Label widths as a 9-point sans font measures them.
WIDTHS = {TickUnit.HOUR: 33.0, TickUnit.DAY: 14.0, TickUnit.MONTH: 22.0, TickUnit.YEAR: 28.0}
PLOT_WIDTH = 1200.0


def ticks_for(start: float, end: float, zone: timezone = UTC) -> tuple[TickUnit, list[str]]:
    unit, ticks, _ = axis_ticks(start, end, (end - start) / PLOT_WIDTH, zone, WIDTHS)
    return unit, [label for _, label in ticks]


def test_the_unit_goes_from_years_to_months_to_days_to_hours() -> None:
    unit, labels = ticks_for(ts(1990, 1, 1), ts(2026, 1, 1))
    assert unit == "year"
    assert labels == [str(year) for year in range(1990, 2027, 2)]
    unit, labels = ticks_for(ts(2024, 1, 1), ts(2026, 1, 1))
    assert unit == TickUnit.MONTH
    assert labels[:4] == ["Jan", "Feb", "Mar", "Apr"]
    assert set(labels) == set(MONTHS)
    unit, labels = ticks_for(ts(2024, 5, 1), ts(2024, 5, 21))
    assert unit == TickUnit.DAY
    assert labels[:3] == ["1", "2", "3"]
    unit, labels = ticks_for(ts(2024, 5, 2), ts(2024, 5, 2, 12))
    assert unit == TickUnit.HOUR
    assert labels == [f"{hour:02d}:00" for hour in range(13)]


def test_the_finest_step_whose_labels_fit_is_taken() -> None:
    # 10 pixels an hour: "23:00" needs 33 + 18, so every sixth hour is the first that fits.
    assert tick_step(HOUR / 10, WIDTHS) == (TickUnit.HOUR, 6)
    assert tick_step(HOUR / 60, WIDTHS) == (TickUnit.HOUR, 1)
    # A day at 32 pixels fits "28" (14 + 18) exactly.
    assert tick_step(DAY / 32, WIDTHS) == (TickUnit.DAY, 1)
    assert tick_step(DAY / 31.9, WIDTHS) == (TickUnit.DAY, 2)
    # Single months want 4 pixels more than the label.
    assert tick_step(YEAR / 12 / 43.5, WIDTHS) == (TickUnit.MONTH, 3)
    assert tick_step(YEAR / 12 / 44, WIDTHS) == (TickUnit.MONTH, 1)
    # Zoomed out beyond every step: fifty years.
    assert tick_step(1000 * YEAR, WIDTHS) == (TickUnit.YEAR, 50)
    assert [unit for unit, _, _ in TICK_STEPS] == sorted(
        (unit for unit, _, _ in TICK_STEPS), key=list(TickUnit).index
    )


@pytest.mark.parametrize("days", [50 * 365, 40 * 365, 5 * 365, 365, 90, 20, 3, 0.2])
def test_labels_never_crowd_each_other(days: float) -> None:
    end = ts(2024, 5, 2)
    start = end - days * DAY
    seconds_per_pixel = (end - start) / PLOT_WIDTH
    unit, ticks, _ = axis_ticks(start, end, seconds_per_pixel, UTC, WIDTHS)
    xs = [(moment - start) / seconds_per_pixel for moment, _ in ticks]
    assert len(xs) >= 2
    # Months and years vary in length (February is 8 % shorter than the average month).
    assert all(b - a >= 0.9 * (WIDTHS[unit] + 18) for a, b in pairwise(xs))
    assert all(start <= moment <= end for moment, _ in ticks)


def test_month_ticks_fall_on_the_first_of_the_month() -> None:
    ticks = tick_times(TickUnit.MONTH, 3, ts(2023, 11, 15), ts(2024, 8, 1), UTC)
    assert ticks == [(ts(2024, 1, 1), "Jan"), (ts(2024, 4, 1), "Apr"), (ts(2024, 7, 1), "Jul")]


def test_weekly_day_ticks_restart_each_month() -> None:
    ticks = tick_times(TickUnit.DAY, 7, ts(2024, 5, 1), ts(2024, 6, 10), UTC)
    # No tick on 29 May: two days before 1 June it would crowd it.
    assert [label for _, label in ticks] == ["1", "8", "15", "22", "1", "8"]
    assert ticks[4][0] == ts(2024, 6, 1)


def test_ticks_fall_on_round_times_in_the_zone_shown() -> None:
    moscow = timezone(timedelta(hours=3))
    ticks = tick_times(TickUnit.DAY, 1, ts(2024, 5, 1), ts(2024, 5, 4), moscow)
    assert [label for _, label in ticks] == ["2", "3", "4"]
    for moment, label in ticks:
        local = datetime.fromtimestamp(moment, moscow)
        assert (local.day, local.hour, local.minute) == (int(label), 0, 0)
    years = tick_times(TickUnit.YEAR, 1, ts(2023, 6, 1), ts(2025, 6, 1), moscow)
    assert [moment for moment, _ in years] == [
        datetime(2024, 1, 1, tzinfo=moscow).timestamp(),
        datetime(2025, 1, 1, tzinfo=moscow).timestamp(),
    ]


def test_the_context_row_names_the_enclosing_period() -> None:
    assert context_times(TickUnit.MONTH, ts(2023, 11, 1), ts(2024, 3, 1), UTC) == [
        (ts(2023, 1, 1), "2023"),
        (ts(2024, 1, 1), "2024"),
    ]
    assert context_times(TickUnit.DAY, ts(2024, 5, 20), ts(2024, 6, 3), UTC) == [
        (ts(2024, 5, 1), "May 2024"),
        (ts(2024, 6, 1), "June 2024"),
    ]
    assert context_times(TickUnit.HOUR, ts(2024, 5, 2, 20), ts(2024, 5, 3, 4), UTC) == [
        (ts(2024, 5, 2), "2 May 2024"),
        (ts(2024, 5, 3), "3 May 2024"),
    ]
    assert context_times(TickUnit.YEAR, ts(1990, 1, 1), ts(2026, 1, 1), UTC) == []


def test_the_widest_zoom_stays_within_the_calendar() -> None:
    # From before year 1 to beyond 9000: no error, ticks where the calendar has them.
    years = [int(label) for _, label in tick_times(TickUnit.YEAR, 50, -7e10, 3e11, UTC)]
    assert len(years) > 100
    assert years[0] >= 1 and years[-1] <= 9000
    assert all(later - earlier == 50 for earlier, later in pairwise(years))
