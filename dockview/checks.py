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

import csv
import json
import sqlite3
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

from dockview.export import write_atomically
from dockview.records import parse_time


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


@dataclass(frozen=True, slots=True)
class CheckedEvent:
    """What the checks read of one event (the cache's columns and lookup tables)."""

    id: int
    docking_ts: float
    departure_ts: float | None = None
    location_id: int | None = None
    #: The station the event names, and the station its port belongs to.
    station_id: int | None = None
    location_station_id: int | None = None
    location_station_name: str | None = None
    flight_vehicle_id: int | None = None
    config_id: int | None = None
    in_space: bool | None = None
    mission_end_ts: float | None = None
    spacecraft_name: str | None = None
    config_name: str | None = None
    location_name: str | None = None
    station_name: str | None = None

    @property
    def vehicle(self) -> str:
        return self.spacecraft_name or f"Event {self.id}"

    @property
    def port(self) -> str:
        port = self.location_name or "an unknown port"
        return f"{port} ({self.station_name})" if self.station_name else port


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem and the events it involves (ordered by docking)."""

    kind: IssueKind
    event_ids: tuple[int, ...]
    message: str

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
        kept = tuple(issue for issue in self.issues if any(i in wanted for i in issue.event_ids))
        return CheckReport(checked=len(wanted), issues=kept)

    def by_kind(self) -> dict[IssueKind, list[Issue]]:
        grouped: dict[IssueKind, list[Issue]] = {}
        for issue in self.issues:
            grouped.setdefault(issue.kind, []).append(issue)
        return grouped

    def ids_of(self, kind: IssueKind) -> set[int]:
        return {i for issue in self.issues if issue.kind == kind for i in issue.event_ids}

    def as_json(self) -> dict[str, Any]:
        return {"checked": self.checked, "issues": [issue.as_json() for issue in self.issues]}


DAY = 86400.0


def check_events(events: Iterable[CheckedEvent], now: float) -> CheckReport:
    """Run every check over ``events``; ``now`` decides open stays and the future."""
    checked = list(events)
    ends = [_stay_end(event, now) for event in checked]
    found: list[tuple[IssueKind, float, Issue]] = []

    def add(kind: IssueKind, involved: Sequence[CheckedEvent], message: str) -> None:
        ordered = sorted(involved, key=lambda event: (event.docking_ts, event.id))
        issue = Issue(kind, tuple(event.id for event in ordered), message)
        found.append((kind, ordered[0].docking_ts, issue))

    longest_by_config: dict[int | None, float] = {}
    longest_any = -1.0
    for event in checked:
        departure = event.departure_ts
        if departure is None:
            continue
        stay = departure - event.docking_ts
        if stay < 0:
            add(
                IssueKind.DEPARTURE_BEFORE_DOCKING,
                [event],
                f"{event.vehicle} at {event.port} departs {_date(departure)}, before it docks "
                f"{_date(event.docking_ts)}.",
            )
            continue
        if stay > longest_by_config.get(event.config_id, -1.0):
            longest_by_config[event.config_id] = stay
        longest_any = max(longest_any, stay)
        mission_end = event.mission_end_ts
        if mission_end is not None and mission_end < departure:
            add(
                IssueKind.MISSION_END_BEFORE_DEPARTURE,
                [event],
                f"{event.vehicle}'s mission ends {_moment(mission_end)}, before it departs "
                f"{event.port} {_moment(departure)}.",
            )

    for event in checked:
        if event.docking_ts > now:
            add(
                IssueKind.DOCKING_IN_FUTURE,
                [event],
                f"{event.vehicle} docks at {event.port} {_moment(event.docking_ts)}, which has "
                "not happened yet.",
            )
        elif event.departure_ts is None:
            reasons = _stale_reasons(event, now, longest_by_config, longest_any)
            if reasons:
                add(
                    IssueKind.STALE_OPEN_DOCKING,
                    [event],
                    f"{event.vehicle} at {event.port} has no departure, but "
                    + "; ".join(reasons)
                    + ".",
                )
        if (
            event.station_id is not None
            and event.location_station_id is not None
            and event.station_id != event.location_station_id
        ):
            add(
                IssueKind.STATION_MISMATCH,
                [event],
                f"{event.vehicle} is listed at station {event.station_name or event.station_id}"
                f", but its port {event.location_name or event.location_id} belongs to "
                f"{event.location_station_name or f'station {event.location_station_id}'}.",
            )

    by_port: dict[int, list[int]] = defaultdict(list)
    by_flight: dict[int, list[int]] = defaultdict(list)
    for number, event in enumerate(checked):
        if event.location_id is not None:
            by_port[event.location_id].append(number)
        if event.flight_vehicle_id is not None:
            by_flight[event.flight_vehicle_id].append(number)
    for numbers in by_port.values():
        for first, second in _overlapping_pairs(numbers, checked, ends):
            a, b = checked[first], checked[second]
            add(
                IssueKind.PORT_OVERLAP,
                [a, b],
                f"{a.vehicle} and {b.vehicle} are both docked at {a.port} from "
                f"{_moment(max(a.docking_ts, b.docking_ts))} to "
                f"{_end_text(min(ends[first], ends[second]), now)}.",
            )
    for numbers in by_flight.values():
        for first, second in _overlapping_pairs(numbers, checked, ends):
            a, b = checked[first], checked[second]
            if a.location_id is not None and a.location_id == b.location_id:
                continue  # one port twice: a port overlap, reported there
            add(
                IssueKind.SAME_FLIGHT_TWICE,
                [a, b],
                f"{a.vehicle} (one flight) is docked at {a.port} and at {b.port} at once, "
                f"from {_moment(max(a.docking_ts, b.docking_ts))}.",
            )

    order = {kind: number for number, kind in enumerate(IssueKind)}
    found.sort(key=lambda entry: (order[entry[0]], entry[1], entry[2].event_ids))
    return CheckReport(checked=len(checked), issues=tuple(issue for _, _, issue in found))


def _stay_end(event: CheckedEvent, now: float) -> float:
    departure = event.departure_ts
    if departure is None:
        return max(now, event.docking_ts)
    return max(departure, event.docking_ts)


def _overlapping_pairs(
    numbers: list[int], events: list[CheckedEvent], ends: list[float]
) -> list[tuple[int, int]]:
    """Pairs of stays in ``numbers`` that overlap: a sweep in docking order that keeps only
    the stays still running, so a port's thousands of stays cost one sort."""
    if len(numbers) < 2:
        return []
    ordered = sorted(numbers, key=lambda n: (events[n].docking_ts, events[n].id))
    running: list[int] = []
    pairs: list[tuple[int, int]] = []
    for number in ordered:
        start = events[number].docking_ts
        running = [other for other in running if ends[other] > start]
        if ends[number] > start:  # a zero-length stay overlaps nothing
            pairs.extend((other, number) for other in running)
            running.append(number)
    return pairs


def _stale_reasons(
    event: CheckedEvent, now: float, longest_by_config: dict[int | None, float], longest_any: float
) -> list[str]:
    reasons = []
    if event.in_space is False:
        reasons.append("the spacecraft is no longer in space")
    if event.mission_end_ts is not None and event.mission_end_ts < now:
        reasons.append(f"its mission ended {_moment(event.mission_end_ts)}")
    docked = now - event.docking_ts
    longest = longest_by_config.get(event.config_id) if event.config_id is not None else None
    of_what = f"any {event.config_name or 'vehicle of its configuration'}"
    if longest is None:
        longest, of_what = longest_any, "any vehicle"
    if longest >= 0 and docked > longest:
        reasons.append(
            f"it would have been docked {_days(docked)}, longer than {of_what} ever stayed "
            f"({_days(longest)})"
        )
    return reasons


def _date(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")


def _moment(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _end_text(timestamp: float, now: float) -> str:
    return "now" if timestamp >= now else _moment(timestamp)


def _days(seconds: float) -> str:
    days = seconds / DAY
    return f"{days:,.0f} days" if days >= 2 else f"{seconds / 3600:,.0f} hours"


# -- reading the cache ------------------------------------------------------------------------

#: The flat columns and lookup tables the checks read: no event's JSON is parsed. The
#: spacecraft's ``in_space`` and the flight's ``mission_end`` are where the records put them
#: for 2.2.0 (``flight_vehicle``) and 2.3.0 (``flight_vehicle_chaser``); 2.1.0 has no
#: ``in_space`` and no stations, which leaves those columns empty.
CHECK_QUERY = """
    SELECT e.id, e.docking_ts, e.departure_ts, e.location_id, e.station_id, l.station_id,
           e.flight_vehicle_id, e.config_id, s.in_space, f.mission_end,
           e.spacecraft_name, e.config_name, e.location_name, e.station_name, ls.name
    FROM docking_events AS e
    LEFT JOIN docking_locations AS l ON l.id = e.location_id
    LEFT JOIN space_stations AS ls ON ls.id = l.station_id
    LEFT JOIN spacecraft AS s ON s.id = e.spacecraft_id
    LEFT JOIN flight_vehicles AS f ON f.id = e.flight_vehicle_id
    WHERE e.gone_upstream_at IS NULL
"""


def read_checked_events(conn: sqlite3.Connection) -> list[CheckedEvent]:
    """Every event the checks look at, from one query over the cache."""
    mission_ends: dict[str, float | None] = {}
    events = []
    for row in conn.execute(CHECK_QUERY):
        mission_end_text = row[9]
        mission_end: float | None = None
        if mission_end_text is not None:
            if mission_end_text not in mission_ends:
                moment = parse_time(mission_end_text)
                mission_ends[mission_end_text] = moment.timestamp() if moment else None
            mission_end = mission_ends[mission_end_text]
        events.append(
            CheckedEvent(
                id=row[0],
                docking_ts=row[1],
                departure_ts=row[2],
                location_id=row[3],
                station_id=row[4],
                location_station_id=row[5],
                location_station_name=row[14],
                flight_vehicle_id=row[6],
                config_id=row[7],
                in_space=None if row[8] is None else bool(row[8]),
                mission_end_ts=mission_end,
                spacecraft_name=row[10],
                config_name=row[11],
                location_name=row[12],
                station_name=row[13],
            )
        )
    return events


def check_cache(conn: sqlite3.Connection, now: float | None = None) -> CheckReport:
    """Check every event in the cache behind ``conn`` (``Store.conn``)."""
    when = datetime.now(UTC).timestamp() if now is None else now
    return check_events(read_checked_events(conn), when)


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
