"""The time axis: which unit the ticks count in at a zoom, and where the ticks fall.

Ticks sit at round calendar times in the shown time zone (1 January, the first of a month,
midnight), so they are computed with ``datetime`` rather than by dividing seconds: months and
years have no fixed length. The enclosing period (the year above month ticks, the month above
day ticks) is a second row, the "context". Qt-free: the caller measures the sample labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum
from typing import NamedTuple

from dockview.ui.timeline.viewport import DAY, YEAR


class TickUnit(StrEnum):
    HOUR = "hour"
    DAY = "day"
    MONTH = "month"
    YEAR = "year"


# fmt: off
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
# fmt: on

#: Tick steps, finest first: (unit, count, rough seconds). The first whose labels fit is used.
TICK_STEPS: tuple[tuple[TickUnit, int, float], ...] = (
    (TickUnit.HOUR, 1, 3600.0),
    (TickUnit.HOUR, 3, 3 * 3600.0),
    (TickUnit.HOUR, 6, 6 * 3600.0),
    (TickUnit.HOUR, 12, 12 * 3600.0),
    (TickUnit.DAY, 1, DAY),
    (TickUnit.DAY, 2, 2 * DAY),
    (TickUnit.DAY, 7, 7 * DAY),
    (TickUnit.MONTH, 1, YEAR / 12),
    (TickUnit.MONTH, 3, YEAR / 4),
    (TickUnit.MONTH, 6, YEAR / 2),
    (TickUnit.YEAR, 1, YEAR),
    (TickUnit.YEAR, 2, 2 * YEAR),
    (TickUnit.YEAR, 5, 5 * YEAR),
    (TickUnit.YEAR, 10, 10 * YEAR),
    (TickUnit.YEAR, 20, 20 * YEAR),
    (TickUnit.YEAR, 50, 50 * YEAR),
)
#: The widest label of each unit: the caller measures these in its font for ``tick_step``.
TICK_SAMPLES = {
    TickUnit.HOUR: "23:00",
    TickUnit.DAY: "28",
    TickUnit.MONTH: "Sep",
    TickUnit.YEAR: "2000",
}
#: Room between two labels, in pixels, beyond the label itself.
_LABEL_GAP = 18.0
#: Before year 1 ``datetime`` gives up.
_EARLIEST = -62_000_000_000

Tick = tuple[float, str]


class Ticks(NamedTuple):
    """The axis at one zoom: the unit, the ticks and the context row, each (time, label)."""

    unit: TickUnit
    ticks: list[Tick]
    context: list[Tick]


def tick_step(
    seconds_per_pixel: float, sample_widths: Mapping[TickUnit, float]
) -> tuple[TickUnit, int]:
    """The finest step whose labels fit between two ticks: (unit, how many units a step).

    ``sample_widths`` are the widths of ``TICK_SAMPLES`` in pixels in the axis's font."""
    for unit, count, seconds in TICK_STEPS:
        needed = sample_widths[unit] + _LABEL_GAP
        if count == 1 and unit == TickUnit.MONTH:
            needed += 4
        if seconds / seconds_per_pixel >= needed:
            return unit, count
    return TickUnit.YEAR, 50


def axis_ticks(
    start: float,
    end: float,
    seconds_per_pixel: float,
    zone: tzinfo,
    sample_widths: Mapping[TickUnit, float],
) -> Ticks:
    """The axis for [start, end] shown at ``seconds_per_pixel``, in ``zone``."""
    unit, count = tick_step(seconds_per_pixel, sample_widths)
    return Ticks(
        unit, tick_times(unit, count, start, end, zone), context_times(unit, start, end, zone)
    )


def _month_start(year: int, month: int, zone: tzinfo) -> float:
    return datetime(year, month, 1, tzinfo=zone).timestamp()


def tick_times(unit: TickUnit, count: int, start: float, end: float, zone: tzinfo) -> list[Tick]:
    """Ticks at round calendar times in ``zone`` between start and end, with their labels."""
    first = datetime.fromtimestamp(max(start, _EARLIEST), zone)
    ticks: list[Tick] = []
    if unit == TickUnit.YEAR:
        year = max(1, first.year - first.year % count)
        while True:
            moment = datetime(year, 1, 1, tzinfo=zone).timestamp()
            if moment > end or year > 9000:
                break
            if moment >= start:
                ticks.append((moment, str(year)))
            year += count
    elif unit == TickUnit.MONTH:
        year, month = first.year, first.month - (first.month - 1) % count
        while True:
            moment = _month_start(year, month, zone)
            if moment > end:
                break
            if moment >= start:
                ticks.append((moment, MONTHS[month - 1]))
            month += count
            if month > 12:
                year, month = year + 1, month - 12
    elif unit == TickUnit.DAY:
        year, month = first.year, first.month
        while True:
            if _month_start(year, month, zone) > end:
                break
            length = (
                datetime(year + month // 12, month % 12 + 1, 1) - datetime(year, month, 1)
            ).days
            day = 1
            # No tick within half a step of the month's end: the next month's 1 comes soon.
            while day <= length and length - day >= count // 2:
                moment = datetime(year, month, day, tzinfo=zone).timestamp()
                if moment > end:
                    break
                if moment >= start:
                    ticks.append((moment, str(day)))
                day += count
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        day_start = datetime(first.year, first.month, first.day, tzinfo=zone)
        while day_start.timestamp() <= end:
            for hour in range(0, 24, count):
                moment = (day_start + timedelta(hours=hour)).timestamp()
                if start <= moment <= end:
                    ticks.append((moment, f"{hour:02d}:00"))
            day_start += timedelta(days=1)
    return ticks


def context_times(unit: TickUnit, start: float, end: float, zone: tzinfo) -> list[Tick]:
    """The enclosing periods shown above the ticks, starting with the one at the left edge
    (year ticks have none)."""
    first = datetime.fromtimestamp(max(start, _EARLIEST), zone)
    spans: list[Tick] = []
    if unit == TickUnit.MONTH:
        year = first.year
        while True:
            moment = datetime(year, 1, 1, tzinfo=zone).timestamp()
            if moment > end:
                break
            spans.append((moment, str(year)))
            year += 1
    elif unit == TickUnit.DAY:
        year, month = first.year, first.month
        while True:
            moment = _month_start(year, month, zone)
            if moment > end:
                break
            spans.append((moment, f"{MONTH_NAMES[month - 1]} {year}"))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    elif unit == TickUnit.HOUR:
        day = datetime(first.year, first.month, first.day, tzinfo=zone)
        while day.timestamp() <= end:
            spans.append((day.timestamp(), f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"))
            day += timedelta(days=1)
    return spans
