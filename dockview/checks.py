"""Data checks: what the API's docking data gets wrong, found in the cache without a network.

Real LL2 responses carry errors no viewer points out: one Soyuz flight docked at two stations
at the same second, mission ends before departures, a Crew Dragon still "docked" months after
it landed, stays that overlap on one port. A person who quotes a docking needs to know when
it is doubtful; this module names each such problem with the events involved.

No Qt here: ``dockview check``, the window's "Data issues" panel and the benchmark share it.

Rules, so each finding can be checked by hand:
- Events the API no longer lists (gone upstream) are not checked.
- A stay lasts from docking to departure; an open stay (no departure) lasts until ``now``; a
  departure before its docking makes the stay zero seconds long for the other checks.
- Two stays overlap when each begins before the other ends; one that ends exactly when the
  next begins (a relocation, a handover) does not overlap.
- The checks always run over every event, and a filter then picks the issues that involve an
  event it shows: whether a stay overlaps another does not depend on what is shown.
- "Stale open docking": no departure, but the spacecraft says it is no longer in space, or the
  flight's mission end has passed, or it has been docked longer than any finished stay of its
  configuration (of any vehicle, where its configuration has none).
- "Station mismatch" compares the station an event names with the station its port belongs
  to; an event (or a port) with no station, as in API 2.1.0, is left out of that check only.
"""

from __future__ import annotations

import contextlib
import csv
import json
import sqlite3
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property, partial
from itertools import compress
from operator import attrgetter, itemgetter, not_, or_
from pathlib import Path
from typing import IO, Any, Protocol

from dockview.collector import collector_paused
from dockview.export import write_atomically
from dockview.timefmt import format_date, format_span, format_time, parse_time


class IssueKind(StrEnum):
    """The kinds of problem, by the name ``dockview check --json`` writes."""

    STALE_OPEN_DOCKING = "stale_open_docking"
    PORT_OVERLAP = "port_overlap"
    SAME_FLIGHT_TWICE = "same_flight_twice"
    DEPARTURE_BEFORE_DOCKING = "departure_before_docking"
    MISSION_END_BEFORE_DEPARTURE = "mission_end_before_departure"
    DOCKING_IN_FUTURE = "docking_in_future"
    STATION_MISMATCH = "station_mismatch"

    @property
    def heading(self) -> str:
        """What a person reads: "Port overlap"."""
        return _TITLES[self]


_TITLES = {
    IssueKind.STALE_OPEN_DOCKING: "Stale open docking",
    IssueKind.PORT_OVERLAP: "Port overlap",
    IssueKind.SAME_FLIGHT_TWICE: "Same flight twice",
    IssueKind.DEPARTURE_BEFORE_DOCKING: "Departure before docking",
    IssueKind.MISSION_END_BEFORE_DEPARTURE: "Mission end before departure",
    IssueKind.DOCKING_IN_FUTURE: "Docking in the future",
    IssueKind.STATION_MISMATCH: "Station mismatch",
}


class CheckRow(Protocol):
    """What the checks read of one event; the window's ``EventRow`` has it all."""

    @property
    def id(self) -> int: ...
    @property
    def docking_ts(self) -> float: ...
    @property
    def departure_ts(self) -> float | None: ...
    @property
    def location_id(self) -> int | None: ...
    @property
    def station_id(self) -> int | None: ...
    @property
    def flight_vehicle_id(self) -> int | None: ...
    @property
    def spacecraft_id(self) -> int | None: ...
    @property
    def spacecraft_name(self) -> str | None: ...
    #: The vehicle that docked as the table names it: the spacecraft, or (2.3.0) a payload
    #: or a station module that has no spacecraft record.
    @property
    def chaser(self) -> str | None: ...
    @property
    def config_name(self) -> str | None: ...
    @property
    def location_name(self) -> str | None: ...
    @property
    def station_name(self) -> str | None: ...
    @property
    def gone(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class CheckedEvent:
    """A plain :class:`CheckRow`: for the command line, which has no window rows, and tests."""

    id: int
    docking_ts: float
    departure_ts: float | None = None
    location_id: int | None = None
    #: The station the event names (the port's own, when the event names none).
    station_id: int | None = None
    flight_vehicle_id: int | None = None
    spacecraft_id: int | None = None
    spacecraft_name: str | None = None
    config_name: str | None = None
    location_name: str | None = None
    station_name: str | None = None
    chaser: str | None = None
    gone: bool = False


@dataclass(frozen=True)
class Facts:
    """What the cache's lookup tables know beyond an event's own columns. They are narrow and
    small, so reading them costs a few milliseconds where scanning the events' table, which
    holds every event's JSON, costs hundreds."""

    #: Spacecraft that say they are no longer in space (``in_space`` false), by id.
    not_in_space: Collection[int] = frozenset()
    mission_end: Mapping[int, float] = field(default_factory=dict)  # by flight vehicle id
    port_station: Mapping[int, int] = field(default_factory=dict)  # location id → station id
    station_names: Mapping[int, str] = field(default_factory=dict)


def _vehicle(row: CheckRow) -> str:
    return row.chaser or row.spacecraft_name or f"Event {row.id}"


def _port(row: CheckRow) -> str:
    port = row.location_name or "an unknown port"
    return f"{port} ({row.station_name})" if row.station_name else port


class Issue:
    """One problem and the events it involves (ordered by docking).

    Its sentence is written when first read: 50,000 generated events can hold tens of
    thousands of overlaps, of which a panel shows a screenful and a filter a few, and writing
    every sentence up front would cost more than finding them.
    """

    __slots__ = ("_message", "event_ids", "kind")

    def __init__(
        self, kind: IssueKind, event_ids: tuple[int, ...], message: str | Callable[[], str]
    ) -> None:
        self.kind = kind
        self.event_ids = event_ids
        self._message = message

    @property
    def message(self) -> str:
        if not isinstance(self._message, str):
            self._message = self._message()
        return self._message

    def __repr__(self) -> str:
        return f"Issue({self.kind!s}, {self.event_ids}, {self.message!r})"

    def as_json(self) -> dict[str, Any]:
        return {"kind": str(self.kind), "event_ids": list(self.event_ids), "message": self.message}


@dataclass(frozen=True)
class CheckReport:
    """Every issue found among ``checked`` events, in kind order, then by first docking."""

    checked: int
    issues: tuple[Issue, ...]

    def involving(self, event_ids: Collection[int]) -> CheckReport:
        """The issues that involve at least one of these events (what a filter shows)."""
        wanted = event_ids if isinstance(event_ids, set | frozenset) else set(event_ids)
        # Every step in C (the window asks on each filter change, over tens of thousands).
        ends = self._ends
        if ends is None:
            ids = map(attrgetter("event_ids"), self.issues)
            involved = map(not_, map(wanted.isdisjoint, ids))
        else:  # two set lookups per issue: about a third of the time of a set operation
            shown = wanted.__contains__
            involved = map(or_, map(shown, ends[0]), map(shown, ends[1]))
        kept = tuple(compress(self.issues, involved))
        return CheckReport(checked=len(wanted), issues=kept)

    @cached_property
    def _ends(self) -> tuple[list[int], list[int]] | None:
        """Each issue's first and last event, when no issue has more than two (an overlap is
        a pair, most other kinds one event); None otherwise."""
        ids = [issue.event_ids for issue in self.issues]
        if not all(0 < len(pair) <= 2 for pair in ids):
            return None
        return list(map(itemgetter(0), ids)), list(map(itemgetter(-1), ids))

    def by_kind(self) -> dict[IssueKind, list[Issue]]:
        grouped: dict[IssueKind, list[Issue]] = {}
        for issue in self.issues:
            grouped.setdefault(issue.kind, []).append(issue)
        return grouped

    def as_json(self) -> dict[str, Any]:
        return {"checked": self.checked, "issues": [issue.as_json() for issue in self.issues]}


DAY = 86400.0


def check_events(rows: Iterable[CheckRow], now: float, facts: Facts | None = None) -> CheckReport:
    """Run every check over ``rows`` (gone ones left out); ``now`` decides open stays and the
    future; ``facts`` come from the lookup tables (:func:`read_facts`).

    One pass over the rows in docking order, then a sweep per port and per flight: 50,000
    generated events (28,500 issues) take about 0.1 s of CPU, reading the lookup tables
    another 0.05 s (``bench/run.py --only checks``)."""
    with collector_paused():
        return _check(rows, now, facts or Facts())


def _check(rows: Iterable[CheckRow], now: float, known: Facts) -> CheckReport:
    checked = sorted((row for row in rows if not row.gone), key=_docking_order)
    ends: list[float] = []
    found: list[tuple[int, float, tuple[int, ...], Issue]] = []
    rank = {kind: number for number, kind in enumerate(IssueKind)}

    def add(kind: IssueKind, row: CheckRow, message: str | Callable[[], str]) -> None:
        ids = (row.id,)
        found.append((rank[kind], row.docking_ts, ids, Issue(kind, ids, message)))

    mission_ends, port_station = known.mission_end, known.port_station
    longest_by_config: dict[str | None, float] = {}
    longest_any = -1.0
    still_open: list[CheckRow] = []
    by_port: dict[int, list[int]] = defaultdict(list)
    # Nearly every flight docks once: a list only for those that dock again.
    first_of_flight: dict[int, int] = {}
    by_flight: dict[int, list[int]] = {}
    for number, row in enumerate(checked):
        docking, departure = row.docking_ts, row.departure_ts
        location, flight = row.location_id, row.flight_vehicle_id
        if location is not None:
            by_port[location].append(number)
        if flight is not None:
            first = first_of_flight.setdefault(flight, number)
            if first != number:
                again = by_flight.get(flight)
                if again is None:
                    by_flight[flight] = [first, number]
                else:
                    again.append(number)
        if departure is None:
            ends.append(now if now > docking else docking)
            if docking > now:
                add(IssueKind.DOCKING_IN_FUTURE, row, partial(_in_future, row))
            else:
                still_open.append(row)
        elif departure < docking:
            ends.append(docking)  # zero seconds long for the other checks
            add(IssueKind.DEPARTURE_BEFORE_DOCKING, row, partial(_departs_first, row))
        else:
            ends.append(departure)
            if docking > now:
                add(IssueKind.DOCKING_IN_FUTURE, row, partial(_in_future, row))
            stay = departure - docking
            config = row.config_name
            if stay > longest_by_config.get(config, -1.0):
                longest_by_config[config] = stay
            if stay > longest_any:
                longest_any = stay
            mission_end = mission_ends.get(flight) if flight is not None else None
            if mission_end is not None and mission_end < departure:
                add(
                    IssueKind.MISSION_END_BEFORE_DEPARTURE,
                    row,
                    partial(_ends_first, row, mission_end),
                )
        station = row.station_id
        if station is not None and location is not None:
            port_home = port_station.get(location)
            if port_home is not None and port_home != station:
                home = known.station_names.get(port_home) or f"station {port_home}"
                add(IssueKind.STATION_MISMATCH, row, partial(_elsewhere, row, home))

    for row in still_open:
        reasons = _stale_reasons(row, now, known, longest_by_config, longest_any)
        if reasons:
            add(
                IssueKind.STALE_OPEN_DOCKING,
                row,
                f"{_vehicle(row)} at {_port(row)} has no departure, but "
                + "; ".join(reasons)
                + ".",
            )

    overlap, twice = rank[IssueKind.PORT_OVERLAP], rank[IssueKind.SAME_FLIGHT_TWICE]
    for numbers in by_port.values():
        if len(numbers) > 1:
            for first, second in _overlapping_pairs(numbers, checked, ends):
                a, b = checked[first], checked[second]
                ids = (a.id, b.id)
                message = partial(_overlap, a, b, min(ends[first], ends[second]), now)
                issue = Issue(IssueKind.PORT_OVERLAP, ids, message)
                found.append((overlap, a.docking_ts, ids, issue))
    for numbers in by_flight.values():
        for first, second in _overlapping_pairs(numbers, checked, ends):
            a, b = checked[first], checked[second]
            if a.location_id is not None and a.location_id == b.location_id:
                continue  # one port twice: a port overlap, reported there
            ids = (a.id, b.id)
            issue = Issue(IssueKind.SAME_FLIGHT_TWICE, ids, partial(_twice, a, b))
            found.append((twice, a.docking_ts, ids, issue))

    found.sort(key=_issue_order)
    return CheckReport(checked=len(checked), issues=tuple(entry[3] for entry in found))


#: Sort keys in C (operator), not Python functions: each is called per row or per issue.
_docking_order = attrgetter("docking_ts", "id")
_issue_order = itemgetter(0, 1, 2)


# The sentences, written when an issue's message is first read.


def _departs_first(row: CheckRow) -> str:
    assert row.departure_ts is not None
    departs, docks = format_date(row.departure_ts, UTC), format_date(row.docking_ts, UTC)
    return f"{_vehicle(row)} at {_port(row)} departs {departs}, before it docks {docks}."


def _ends_first(row: CheckRow, mission_end: float) -> str:
    assert row.departure_ts is not None
    ends = format_time(mission_end, UTC, zone_name=True)
    departs = format_time(row.departure_ts, UTC, zone_name=True)
    return f"{_vehicle(row)}'s mission ends {ends}, before it departs {_port(row)} {departs}."


def _in_future(row: CheckRow) -> str:
    docks = format_time(row.docking_ts, UTC, zone_name=True)
    return f"{_vehicle(row)} docks at {_port(row)} {docks}, which has not happened yet."


def _elsewhere(row: CheckRow, home: str) -> str:
    return (
        f"{_vehicle(row)} is listed at {row.station_name or f'station {row.station_id}'}, but "
        f"its port {row.location_name or row.location_id} belongs to {home}."
    )


def _overlap(a: CheckRow, b: CheckRow, end: float, now: float) -> str:
    return (
        f"{_vehicle(a)} and {_vehicle(b)} are both docked at {_port(a)} from "
        f"{format_time(b.docking_ts, UTC, zone_name=True)} to {_end_text(end, now)}."
    )


def _twice(a: CheckRow, b: CheckRow) -> str:
    return (
        f"{_vehicle(a)} (one flight) is docked at {_port(a)} and at {_port(b)} at once, "
        f"from {format_time(b.docking_ts, UTC, zone_name=True)}."
    )


def stay_line(row: CheckRow) -> str:
    """ "2024-05-02 13:46 → 2024-10-23 21:05  Crew Dragon Endeavour at Harmony forward (ISS)",
    the line ``dockview check`` prints under an issue for each of its events."""
    start = format_time(row.docking_ts, UTC)
    end = format_time(row.departure_ts, UTC) if row.departure_ts is not None else "open"
    return f"{start} → {end}  {_vehicle(row)} at {_port(row)}"


def _overlapping_pairs(
    numbers: list[int], rows: list[CheckRow], ends: list[float]
) -> list[tuple[int, int]]:
    """Pairs of stays in ``numbers`` (in docking order) that overlap, the earlier docking
    first: a sweep that keeps only the stays still running."""
    running: list[int] = []
    pairs: list[tuple[int, int]] = []
    for number in numbers:
        start = rows[number].docking_ts
        if running:
            running = [other for other in running if ends[other] > start]
        if ends[number] > start:  # a zero-length stay overlaps nothing
            if running:
                pairs.extend([(other, number) for other in running])
            running.append(number)
    return pairs


def _stale_reasons(
    row: CheckRow,
    now: float,
    known: Facts,
    longest_by_config: dict[str | None, float],
    longest_any: float,
) -> list[str]:
    reasons = []
    if row.spacecraft_id is not None and row.spacecraft_id in known.not_in_space:
        reasons.append("the spacecraft is no longer in space")
    mission_end = known.mission_end.get(row.flight_vehicle_id) if row.flight_vehicle_id else None
    if mission_end is not None and mission_end < now:
        reasons.append(f"its mission ended {format_time(mission_end, UTC, zone_name=True)}")
    docked = now - row.docking_ts
    config = row.config_name
    longest = longest_by_config.get(config) if config is not None else None
    of_what = f"any {row.config_name or 'vehicle of its configuration'}"
    if longest is None:
        longest, of_what = longest_any, "any vehicle"
    if longest >= 0 and docked > longest:
        reasons.append(
            f"it would have been docked {format_span(docked)}, longer than {of_what} ever stayed "
            f"({format_span(longest)})"
        )
    return reasons


def _end_text(timestamp: float, now: float) -> str:
    return "now" if timestamp >= now else format_time(timestamp, UTC, zone_name=True)


# -- reading the cache ------------------------------------------------------------------------

#: An event's own columns the checks read, for the command line (the window has its rows).
ROWS_QUERY = """
    SELECT id, docking_ts, departure_ts, location_id, station_id, flight_vehicle_id,
           spacecraft_id, spacecraft_name, config_name, location_name, station_name,
           coalesce(chaser_name, spacecraft_name)
    FROM docking_events WHERE gone_upstream_at IS NULL
"""


def read_rows(conn: sqlite3.Connection) -> list[CheckedEvent]:
    """Every event not gone upstream, with the columns the checks read."""
    return [CheckedEvent(*row) for row in conn.execute(ROWS_QUERY)]


def read_facts(conn: sqlite3.Connection) -> Facts:
    """The lookup tables' facts: the spacecraft's ``in_space``, the flight's ``mission_end``,
    the port's station. The records put them there for 2.2.0
    (``flight_vehicle``) and 2.3.0 (``flight_vehicle_chaser``) alike; 2.1.0 has no
    ``in_space`` and no stations, which leaves those empty."""
    not_in_space = {row[0] for row in conn.execute("SELECT id FROM spacecraft WHERE in_space = 0")}
    mission_end: dict[int, float] = {}
    read_iso = datetime.fromisoformat
    for vehicle, text in conn.execute(
        "SELECT id, mission_end FROM flight_vehicles WHERE mission_end IS NOT NULL"
    ):
        # What LL2 writes ("…Z") read in C; parse_time for anything else (one per flight:
        # tens of thousands at 50,000 events, and the window checks again after every sync).
        try:
            moment: datetime | None = read_iso(text)
        except (TypeError, ValueError):
            moment = None
        if moment is None or moment.tzinfo is None:
            moment = parse_time(text)
        if moment is not None:
            mission_end[vehicle] = moment.timestamp()
    port_station = dict(
        conn.execute(
            "SELECT id, station_id FROM docking_locations WHERE station_id IS NOT NULL"
        ).fetchall()
    )
    station_names = dict(
        conn.execute("SELECT id, name FROM space_stations WHERE name IS NOT NULL").fetchall()
    )
    return Facts(not_in_space, mission_end, port_station, station_names)


def check_cache(conn: sqlite3.Connection, now: float | None = None) -> CheckReport:
    """Check every event in the cache behind ``conn`` (``Store.conn``)."""
    when = datetime.now(UTC).timestamp() if now is None else now
    return check_events(read_rows(conn), when, read_facts(conn))


def check_rows_with_cache(path: Path, rows: Iterable[CheckRow], now: float) -> CheckReport:
    """Check the window's rows with the facts of the cache at ``path``, read through a
    connection of its own (read-only), so that it may run on any thread."""
    uri = f"{Path(path).resolve().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
        return check_events(rows, now, read_facts(conn))


# -- writing the list ---------------------------------------------------------------------------

ISSUES_CSV_HEADER = ["Kind", "Event ids", "Message"]


def write_issues(report: CheckReport, path: Path, file_format: str) -> int:
    """Write the issues as "csv" (one line each, the ids space-separated in one cell) or "json"
    (what ``dockview check --json`` prints), atomically; returns how many were written.
    Raises ``ExportError`` in one sentence when the file cannot be written."""
    if file_format not in ("csv", "json"):
        raise ValueError(f"unknown format {file_format!r}; choose csv or json")

    def write(handle: IO[str]) -> int:
        if file_format == "json":
            json.dump(report.as_json(), handle, indent=2, ensure_ascii=False)
            handle.write("\n")
        else:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(ISSUES_CSV_HEADER)
            writer.writerows(
                [str(issue.kind), " ".join(map(str, issue.event_ids)), issue.message]
                for issue in report.issues
            )
        return len(report.issues)

    return write_atomically(Path(path), write)
