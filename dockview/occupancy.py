"""How full each station was over time, and how much of each year each port was occupied.

No Qt here: the statistics tab's occupancy chart and table, a test or a script hand in rows that
look like the window's ``EventRow`` (see :class:`OccupancyRow`) and a clock reading ``now``.

Rules, so the figures can be checked by hand:
- A row the API no longer lists (``gone``) is left out.
- A stay occupies its port from docking up to (not including) departure; an open stay up to
  ``now``; a departure before its docking occupies nothing.
- A station's count at a moment is how many stays are running then, so two stays that overlap
  on one port (a data conflict) count as two vehicles. A departure and a docking at the same
  second are one step (a handover is no peak).
- A port's share of a year is the time at least one stay occupied it, divided by the year's
  length in UTC; for the current year, by the part of it until ``now``. Overlapping stays on
  one port are counted once.
- The peak is the largest count; each separate stretch at that count is a peak moment.
"""

from __future__ import annotations

import csv
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import IO, Any

from dockview.collector import collector_paused
from dockview.export import write_atomically
from dockview.stats import UNKNOWN_STATION, DockingRow, port_label
from dockview.timefmt import format_date, from_timestamp, iso_utc_seconds, utc_year, utc_year_start

#: What occupancy reads from a row: the statistics' row (the window's ``EventRow`` has it all).
OccupancyRow = DockingRow


@dataclass(frozen=True)
class StationOccupancy:
    """One station's step function: from ``steps[i][0]`` on, ``steps[i][1]`` vehicles are
    docked, until the next step; the last step returns to 0 (or is the count at ``now``)."""

    key: int | str
    label: str
    steps: tuple[tuple[float, int], ...]
    peak: int
    #: (start, end) of each stretch at the peak count, oldest first.
    peak_spans: tuple[tuple[float, float], ...]

    @property
    def start(self) -> float:
        return self.steps[0][0]

    @property
    def end(self) -> float:
        return self.steps[-1][0]

    def count_at(self, moment: float) -> int:
        count = 0
        for at, value in self.steps:
            if at > moment:
                break
            count = value
        return count

    def peak_label(self) -> str:
        """ "6 vehicles, 2021-11-18" (and how many other times the peak came back)."""
        vehicles = f"{self.peak} vehicle{'s' if self.peak != 1 else ''}"
        text = (
            f"{vehicles}, {format_date(self.peak_spans[0][0], UTC)}"
            if self.peak_spans
            else vehicles
        )
        others = len(self.peak_spans) - 1
        if others > 0:
            text += f" (and {others} other time{'s' if others != 1 else ''})"
        return text


@dataclass(frozen=True)
class PortYear:
    """How much of one year one port was occupied."""

    port_key: int | str
    port: str  # "Port (Station)"
    year: int
    occupied_seconds: float
    year_seconds: float  # the year's length, or the part of it until now

    @property
    def share(self) -> float:
        return self.occupied_seconds / self.year_seconds if self.year_seconds > 0 else 0.0


@dataclass(frozen=True)
class Occupancy:
    now: float
    stations: tuple[StationOccupancy, ...]  # busiest peak first, then by name
    port_years: tuple[PortYear, ...]  # by port label, then year


def compute_occupancy(rows: Iterable[OccupancyRow], now: float) -> Occupancy:
    """Both figures in one pass over ``rows`` and one sort per station and port."""
    with collector_paused():
        return _occupancy(rows, now)


def _occupancy(rows: Iterable[OccupancyRow], now: float) -> Occupancy:
    station_starts: dict[int | str, list[float]] = {}
    station_ends: dict[int | str, list[float]] = {}
    station_labels: dict[int | str, str] = {}
    port_spans: dict[int | str, list[tuple[float, float]]] = {}
    port_labels: dict[int | str, str] = {}
    for row in rows:
        if row.gone:
            continue
        start = row.docking_ts
        departure = row.departure_ts
        end = now if departure is None else departure
        if end <= start:
            continue
        station_id = row.station_id
        station_key: int | str = station_id if station_id is not None else (row.station_name or "")
        starts = station_starts.get(station_key)
        if starts is None:
            starts = station_starts[station_key] = []
            station_ends[station_key] = []
            station_labels[station_key] = row.station_name or UNKNOWN_STATION
        starts.append(start)
        station_ends[station_key].append(end)
        location_id = row.location_id
        port_key: int | str = (
            location_id if location_id is not None else f"?{station_key}:{row.location_name}"
        )
        spans = port_spans.get(port_key)
        if spans is None:
            spans = port_spans[port_key] = []
            port_labels[port_key] = port_label(row.location_name, row.station_name)
        spans.append((start, end))

    stations = [
        _station(key, station_labels[key], starts, station_ends[key])
        for key, starts in station_starts.items()
    ]
    stations.sort(key=lambda station: (-station.peak, station.label.casefold(), str(station.key)))
    port_years: list[PortYear] = []
    for key, spans in port_spans.items():
        port_years.extend(_port_years(key, port_labels[key], spans, now))
    port_years.sort(key=lambda entry: (entry.port.casefold(), str(entry.port_key), entry.year))
    return Occupancy(now=now, stations=tuple(stations), port_years=tuple(port_years))


def _station(
    key: int | str, label: str, starts: list[float], ends: list[float]
) -> StationOccupancy:
    """The dockings and departures merged in time order (two sorted lists of floats sort in
    C, far faster than (time, change) pairs); all changes at one moment make one step, and a
    step that does not change the count (a handover) is none."""
    starts.sort()
    ends.sort()
    steps: list[tuple[float, int]] = []
    count = i = j = 0
    total = len(starts)
    while j < total:
        moment = starts[i] if i < total and starts[i] < ends[j] else ends[j]
        while i < total and starts[i] == moment:
            count += 1
            i += 1
        while j < total and ends[j] == moment:
            count -= 1
            j += 1
        if not steps or steps[-1][1] != count:
            steps.append((moment, count))
    peak = max(value for _, value in steps)
    spans = [
        (moment, steps[number + 1][0] if number + 1 < len(steps) else moment)
        for number, (moment, value) in enumerate(steps)
        if value == peak
    ]
    return StationOccupancy(key, label, tuple(steps), peak, tuple(spans))


def _port_years(
    key: int | str, label: str, spans: list[tuple[float, float]], now: float
) -> list[PortYear]:
    spans.sort()
    union: list[tuple[float, float]] = []
    for start, end in spans:
        if union and start <= union[-1][1]:
            if end > union[-1][1]:
                union[-1] = (union[-1][0], end)
        else:
            union.append((start, end))
    occupied: dict[int, float] = {}
    # Year boundaries once, then a bisection per stay: no datetime object per stay.
    first_year = utc_year(union[0][0])
    bounds = [utc_year_start(year) for year in range(first_year, utc_year(union[-1][1]) + 2)]
    for start, end in union:
        number = bisect_right(bounds, start) - 1
        while start < end:
            boundary = bounds[number + 1]
            piece_end = end if end < boundary else boundary
            year = first_year + number
            occupied[year] = occupied.get(year, 0.0) + piece_end - start
            start, number = boundary, number + 1
    this_year = utc_year(now)
    return [
        PortYear(
            port_key=key,
            port=label,
            year=year,
            occupied_seconds=seconds,
            year_seconds=(
                min(now, utc_year_start(year + 1)) - utc_year_start(year)
                if year == this_year
                else utc_year_start(year + 1) - utc_year_start(year)
            ),
        )
        for year, seconds in sorted(occupied.items())
    ]


# -- CSV ------------------------------------------------------------------------------------------

PORT_YEARS_HEADER = ["Port", "Port id", "Year (UTC)", "Occupied seconds", "Year seconds", "Share"]
STEPS_HEADER = ["Station", "Station id", "From (UTC)", "Vehicles docked"]


def port_years_rows(occupancy: Occupancy) -> list[list[Any]]:
    return [
        [
            entry.port,
            entry.port_key if isinstance(entry.port_key, int) else "",
            entry.year,
            round(entry.occupied_seconds),
            round(entry.year_seconds),
            f"{entry.share:.4f}",
        ]
        for entry in occupancy.port_years
    ]


def steps_rows(occupancy: Occupancy) -> list[list[Any]]:
    return [
        [
            station.label,
            station.key if isinstance(station.key, int) else "",
            iso_utc_seconds(from_timestamp(moment)),
            count,
        ]
        for station in occupancy.stations
        for moment, count in station.steps
    ]


def write_occupancy_csv(occupancy: Occupancy, path: Path, what: str) -> int:
    """Write "ports" (share of each year per port) or "stations" (the step functions) as a CSV
    file, atomically; returns the data rows written. Raises ``ExportError`` in one sentence."""
    if what == "ports":
        header, lines = PORT_YEARS_HEADER, port_years_rows(occupancy)
    elif what == "stations":
        header, lines = STEPS_HEADER, steps_rows(occupancy)
    else:
        raise ValueError(f"unknown occupancy table {what!r}; choose ports or stations")

    def write(handle: IO[str]) -> int:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(lines)
        return len(lines)

    return write_atomically(Path(path), write)
