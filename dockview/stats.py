"""Docking statistics: per station, port, spacecraft config and agency, the longest stays and the
busiest port of each year, computed from table rows in one pass and written as CSV.

No Qt here: the statistics view, a test or a script hands in any rows that look like the
window's ``EventRow`` (see :class:`DockingRow`) and a clock reading ``now``.

Rules, so the figures can be checked by hand:
- A row the API no longer lists (``gone``) is left out of every figure.
- A stay lasts from docking to departure; a vehicle still docked counts up to ``now``. A
  departure before its docking (bad data) counts as a stay of zero seconds.
- A year is the calendar year, in UTC, in which the vehicle *docked*: a stay across New Year
  counts once, for the year it began.
- The busiest port of a year is the one with the most dockings that year. Ties are not broken
  arbitrarily: every port that shares the top count is listed, in label order.
- Groups are ordered by dockings (most first), then by label; the longest stays by length
  (longest first), then by earlier docking, then by event id.
"""

from __future__ import annotations

import csv
import heapq
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from statistics import median
from typing import IO, Any, Protocol

from dockview.export import write_atomically
from dockview.timefmt import (
    format_duration,
    from_timestamp,
    iso_utc_seconds,
    utc_year,
    utc_year_start,
)


class Grouping(StrEnum):
    """The groupings a table, a chart or a CSV file can show, by the name the code uses."""

    STATION = "station"
    PORT = "port"
    CONFIG = "config"
    AGENCY = "agency"
    LONGEST = "longest"
    BUSIEST = "busiest"


GROUPINGS = tuple(Grouping)
#: How many of the longest stays are kept.
LONGEST_COUNT = 10

UNKNOWN_STATION = "Unknown station"
UNKNOWN_PORT = "Unknown port"
UNKNOWN_CONFIG = "Unknown config"
UNKNOWN_AGENCY = "Unknown agency"
UNKNOWN_SPACECRAFT = "Unknown spacecraft"


class DockingRow(Protocol):
    """What the statistics read from a row; ``dockview.ui.event_model.EventRow`` has it all."""

    @property
    def id(self) -> int: ...
    @property
    def docking_ts(self) -> float: ...
    @property
    def departure_ts(self) -> float | None: ...
    @property
    def spacecraft_name(self) -> str | None: ...
    @property
    def config_name(self) -> str | None: ...
    @property
    def agency_name(self) -> str | None: ...
    @property
    def station_id(self) -> int | None: ...
    @property
    def station_name(self) -> str | None: ...
    @property
    def location_id(self) -> int | None: ...
    @property
    def location_name(self) -> str | None: ...
    @property
    def gone(self) -> bool: ...


@dataclass(frozen=True)
class GroupFigures:
    """One station, port, config or agency: how often and how long vehicles stayed."""

    key: int | str  # station or port id; config or agency name
    label: str
    dockings: int
    total_seconds: float
    median_seconds: float
    longest_seconds: float
    docked_now: int


@dataclass(frozen=True)
class Stay:
    """One docking, for the longest-stays list; ``departure_ts`` is None while still docked."""

    event_id: int
    spacecraft: str
    port: str
    station: str
    docking_ts: float
    departure_ts: float | None
    seconds: float

    @property
    def docked_now(self) -> bool:
        return self.departure_ts is None


@dataclass(frozen=True)
class Statistics:
    """Everything the statistics view shows, for one set of rows at one moment."""

    now: float
    dockings: int  # rows counted (gone rows left out)
    docked_now: int
    by_station: list[GroupFigures]
    by_port: list[GroupFigures]
    by_config: list[GroupFigures]
    by_agency: list[GroupFigures]
    longest_stays: list[Stay]
    #: (docking year in UTC, "Port (Station)", dockings that year), by year; ties all listed.
    busiest_ports_by_year: list[tuple[int, str, int]]

    def groups(self, grouping: str) -> list[GroupFigures]:
        """The figures of "station", "port", "config" or "agency"."""
        if grouping == Grouping.STATION:
            return self.by_station
        if grouping == Grouping.PORT:
            return self.by_port
        if grouping == Grouping.CONFIG:
            return self.by_config
        if grouping == Grouping.AGENCY:
            return self.by_agency
        raise ValueError(f"not a group: {grouping!r}")


def port_label(location_name: str | None, station_name: str | None) -> str:
    return f"{location_name or UNKNOWN_PORT} ({station_name or UNKNOWN_STATION})"


class _Group:
    __slots__ = ("docked_now", "label", "stays")

    def __init__(self, label: str) -> None:
        self.label = label
        self.stays: list[float] = []
        self.docked_now = 0


def compute_statistics(rows: Iterable[DockingRow], now: float) -> Statistics:
    """All figures in one pass over ``rows``; a still-docked stay counts up to ``now``."""
    stations: dict[int | str, _Group] = {}
    ports: dict[int | str, _Group] = {}
    configs: dict[int | str, _Group] = {}
    agencies: dict[int | str, _Group] = {}
    # (seconds, -docking_ts, -id, -position, row): the largest are the longest, earlier docking
    # first; the position keeps two rows from ever being compared (ids may repeat in odd input).
    candidates: list[tuple[float, float, int, int, DockingRow]] = []
    docking_times: list[float] = []
    docking_ports: list[int | str] = []
    total = 0
    open_total = 0

    for row in rows:
        if row.gone:
            continue
        total += 1
        start = row.docking_ts
        end = row.departure_ts
        still_docked = end is None
        seconds = (now if end is None else end) - start
        if seconds < 0.0:
            seconds = 0.0
        open_total += still_docked

        station_name = row.station_name
        station_id = row.station_id
        station_key: int | str = station_id if station_id is not None else (station_name or "")
        location_id = row.location_id
        port_key: int | str = (
            location_id if location_id is not None else f"?{station_key}:{row.location_name}"
        )
        config_key = row.config_name or ""
        agency_key = row.agency_name or ""

        # Four groupings, spelled out: a loop over them costs a third of the time.
        group = stations.get(station_key)
        if group is None:
            group = stations[station_key] = _Group(station_name or UNKNOWN_STATION)
        group.stays.append(seconds)
        group.docked_now += still_docked
        group = ports.get(port_key)
        if group is None:
            group = ports[port_key] = _Group(port_label(row.location_name, station_name))
        group.stays.append(seconds)
        group.docked_now += still_docked
        group = configs.get(config_key)
        if group is None:
            group = configs[config_key] = _Group(row.config_name or UNKNOWN_CONFIG)
        group.stays.append(seconds)
        group.docked_now += still_docked
        group = agencies.get(agency_key)
        if group is None:
            group = agencies[agency_key] = _Group(row.agency_name or UNKNOWN_AGENCY)
        group.stays.append(seconds)
        group.docked_now += still_docked

        if len(candidates) < LONGEST_COUNT:
            heapq.heappush(candidates, (seconds, -start, -row.id, -total, row))
        elif seconds >= candidates[0][0]:
            entry = (seconds, -start, -row.id, -total, row)
            if entry[:4] > candidates[0][:4]:
                heapq.heapreplace(candidates, entry)
        docking_times.append(start)
        docking_ports.append(port_key)

    longest = [
        Stay(
            event_id=row.id,
            spacecraft=row.spacecraft_name or UNKNOWN_SPACECRAFT,
            port=row.location_name or UNKNOWN_PORT,
            station=row.station_name or UNKNOWN_STATION,
            docking_ts=row.docking_ts,
            departure_ts=row.departure_ts,
            seconds=seconds,
        )
        for seconds, _, _, _, row in sorted(candidates, key=lambda entry: entry[:4], reverse=True)
    ]
    return Statistics(
        now=now,
        dockings=total,
        docked_now=open_total,
        by_station=_figures(stations),
        by_port=_figures(ports),
        by_config=_figures(configs),
        by_agency=_figures(agencies),
        longest_stays=longest,
        busiest_ports_by_year=_busiest(docking_times, docking_ports, ports),
    )


def _figures(groups: dict[int | str, _Group]) -> list[GroupFigures]:
    figures = [
        GroupFigures(
            key=key,
            label=group.label,
            dockings=len(group.stays),
            total_seconds=sum(group.stays),
            median_seconds=median(group.stays),
            longest_seconds=max(group.stays),
            docked_now=group.docked_now,
        )
        for key, group in groups.items()
    ]
    figures.sort(key=lambda figure: (-figure.dockings, figure.label.casefold(), str(figure.key)))
    return figures


def _busiest(
    docking_times: list[float], docking_ports: list[int | str], ports: dict[int | str, _Group]
) -> list[tuple[int, str, int]]:
    if not docking_times:
        return []
    # Year boundaries once, then a bisection per row: no datetime object per docking.
    first_year = utc_year(min(docking_times))
    last_year = utc_year(max(docking_times))
    starts = [utc_year_start(year) for year in range(first_year, last_year + 1)]
    counts: dict[tuple[int, int | str], int] = {}
    for start, port in zip(docking_times, docking_ports, strict=True):
        key = (first_year + bisect_right(starts, start) - 1, port)
        counts[key] = counts.get(key, 0) + 1
    best: dict[int, tuple[int, list[str]]] = {}
    for (year, port), count in counts.items():
        top = best.get(year)
        if top is None or count > top[0]:
            best[year] = (count, [ports[port].label])
        elif count == top[0]:
            top[1].append(ports[port].label)
    return [
        (year, label, count)
        for year, (count, labels) in sorted(best.items())
        for label in sorted(labels, key=str.casefold)
    ]


# -- CSV ------------------------------------------------------------------------------------------

_GROUP_TITLES: dict[str, str] = {
    Grouping.STATION: "Station",
    Grouping.PORT: "Port",
    Grouping.CONFIG: "Config",
    Grouping.AGENCY: "Agency",
}
_KEY_TITLES: dict[str, str | None] = {
    Grouping.STATION: "Station id",
    Grouping.PORT: "Port id",
    Grouping.CONFIG: None,
    Grouping.AGENCY: None,
}


def csv_header(grouping: str) -> list[str]:
    """The first line of the CSV file for a grouping."""
    if grouping in _GROUP_TITLES:
        key_title = _KEY_TITLES[grouping]
        return [
            _GROUP_TITLES[grouping],
            *([key_title] if key_title else []),
            "Dockings",
            "Docked now",
            "Total seconds",
            "Total docked",
            "Median seconds",
            "Median stay",
            "Longest seconds",
            "Longest stay",
        ]
    if grouping == Grouping.LONGEST:
        return [
            "Rank",
            "Event id",
            "Spacecraft",
            "Port",
            "Station",
            "Docking (UTC)",
            "Departure (UTC)",
            "Seconds",
            "Docked for",
            "Docked now",
        ]
    if grouping == Grouping.BUSIEST:
        return ["Year (docking, UTC)", "Port", "Dockings"]
    raise ValueError(f"unknown grouping {grouping!r}; choose one of {', '.join(GROUPINGS)}")


def csv_rows(statistics: Statistics, grouping: str) -> list[list[Any]]:
    """The data lines of the CSV file (without the header)."""
    csv_header(grouping)  # rejects an unknown grouping
    if grouping in _GROUP_TITLES:
        with_key = _KEY_TITLES[grouping] is not None
        return [
            [
                figure.label,
                *([figure.key] if with_key else []),
                figure.dockings,
                figure.docked_now,
                _seconds(figure.total_seconds),
                format_duration(figure.total_seconds),
                _seconds(figure.median_seconds),
                format_duration(figure.median_seconds),
                _seconds(figure.longest_seconds),
                format_duration(figure.longest_seconds),
            ]
            for figure in statistics.groups(grouping)
        ]
    if grouping == Grouping.LONGEST:
        return [
            [
                rank,
                stay.event_id,
                stay.spacecraft,
                stay.port,
                stay.station,
                iso_utc_seconds(from_timestamp(stay.docking_ts)),
                iso_utc_seconds(from_timestamp(stay.departure_ts))
                if stay.departure_ts is not None
                else "",
                _seconds(stay.seconds),
                format_duration(stay.seconds),
                "yes" if stay.docked_now else "no",
            ]
            for rank, stay in enumerate(statistics.longest_stays, start=1)
        ]
    return [list(entry) for entry in statistics.busiest_ports_by_year]


def write_csv(statistics: Statistics, path: Path, grouping: str) -> int:
    """Write one grouping as a CSV file, atomically; returns the data rows written (without the
    header). Durations appear twice: in seconds, for a spreadsheet, and as "d h min" text.

    Raises ``ExportError`` (one sentence) when the file cannot be written and ``ValueError``
    for an unknown grouping.
    """
    header = csv_header(grouping)
    lines = csv_rows(statistics, grouping)

    def write(handle: IO[str]) -> int:
        # "\n": the file is opened in text mode, which turns it into the platform's line end.
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(lines)
        return len(lines)

    return write_atomically(Path(path), write)


def _seconds(value: float) -> int | float:
    """Whole seconds as an integer (the API's times are whole seconds); a half only from a
    median of an even count."""
    return int(value) if float(value).is_integer() else round(value, 1)
