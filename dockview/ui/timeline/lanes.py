"""Lanes: one per docking port, its stays sorted by docking time, grouped by station.

Qt-free. Each lane keeps its docking and departure times in plain lists beside the length of
its longest stay, so the stays that meet a time range are one bisect away (``visible_span``):
at 50,000 events a repaint looks at the few hundred bars it draws, not at every stay.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from operator import attrgetter
from typing import Protocol

from dockview.stats import DockingRow


class StayRow(DockingRow, Protocol):
    """What the timeline reads from a table row (``dockview.ui.event_model.EventRow``): what
    the statistics read, and the flight vehicle (for relocations) and serial (tooltips)."""

    @property
    def flight_vehicle_id(self) -> int | None: ...
    @property
    def serial_number(self) -> str | None: ...
    def stay_seconds(self, now: float) -> float: ...


def _longest(starts: list[float], ends: list[float]) -> float:
    return max((end - start for start, end in zip(starts, ends, strict=True)), default=0.0)


class Lane:
    """One docking port: its stays sorted by docking time, with what painting needs.

    A still-docked stay (no departure) ends at ``now``; ``open`` lists those so a clock tick
    moves only their ends. ``cats`` is each stay's colour slot (see ``categories``), ``line``
    the lane's row in the picture, counting station header rows."""

    __slots__ = (
        "cats",
        "conflict_spans",
        "ends",
        "ids",
        "line",
        "location_id",
        "max_stay",
        "open",
        "port_name",
        "rows",
        "starts",
        "station_id",
        "station_name",
    )

    def __init__(
        self,
        station_id: int | None,
        station_name: str,
        location_id: int | None,
        port_name: str,
        rows: list[StayRow],
        now: float,
    ) -> None:
        rows.sort(key=attrgetter("docking_ts", "id"))
        self.station_id = station_id
        self.station_name = station_name
        self.location_id = location_id
        self.port_name = port_name
        self.rows = rows
        self.ids = [row.id for row in rows]
        self.starts = [row.docking_ts for row in rows]
        self.ends = [
            max(row.docking_ts, row.departure_ts if row.departure_ts is not None else now)
            for row in rows
        ]
        self.open = [i for i, row in enumerate(rows) if row.departure_ts is None]
        self.max_stay = _longest(self.starts, self.ends)
        self.cats: list[int] = []
        self.conflict_spans: list[tuple[float, float]] = []
        self.line = -1

    def refresh_now(self, now: float) -> None:
        for i in self.open:
            self.ends[i] = max(self.starts[i], now)
        self.max_stay = _longest(self.starts, self.ends)

    def visible_span(self, start: float, end: float) -> range:
        """Positions of the stays that may meet [start, end] (check ``ends`` for the rest)."""
        return range(
            bisect_left(self.starts, start - self.max_stay), bisect_right(self.starts, end)
        )

    def nearest(self, moment: float) -> int:
        """The stay closest to a moment (containing it, or the nearest edge)."""
        for i in self.visible_span(moment, moment):
            if self.starts[i] <= moment <= self.ends[i]:
                return i
        best, best_distance = 0, math.inf
        position = bisect_left(self.starts, moment)
        for i in (position - 1, position):
            if 0 <= i < len(self.ids):
                distance = min(abs(self.starts[i] - moment), abs(self.ends[i] - moment))
                if distance < best_distance:
                    best, best_distance = i, distance
        return best

    def stay_at(self, moment: float, grace: float) -> int | None:
        """The stay drawn at a moment, allowing ``grace`` seconds either side for thin bars:
        inside beats near, and among overlapping stays the later one (drawn on top) wins."""
        best: tuple[float, float, int] | None = None
        for i in self.visible_span(moment - grace, moment + grace):
            start, end = self.starts[i], self.ends[i]
            if end < moment - grace:
                continue
            distance = (
                0.0 if start <= moment <= end else min(abs(start - moment), abs(end - moment))
            )
            key = (distance, -start, i)
            if best is None or key < best:
                best = key
        return best[2] if best is not None else None


class LaneIndex:
    """Event id → (lane, position in the lane), built with C-speed dict updates."""

    __slots__ = ("lanes", "positions")

    def __init__(self, lanes: Iterable[Lane]) -> None:
        self.lanes: dict[int, Lane] = {}
        self.positions: dict[int, int] = {}
        for lane in lanes:
            self.lanes.update(dict.fromkeys(lane.ids, lane))
            self.positions.update(zip(lane.ids, range(len(lane.ids)), strict=True))

    def get(self, event_id: int) -> tuple[Lane, int] | None:
        lane = self.lanes.get(event_id)
        return None if lane is None else (lane, self.positions[event_id])

    def __contains__(self, event_id: object) -> bool:
        return event_id in self.lanes

    def __getitem__(self, event_id: int) -> tuple[Lane, int]:
        return self.lanes[event_id], self.positions[event_id]


class Line:
    """A row of the picture: a station's header (``lane`` None) or one of its ports' lane."""

    __slots__ = ("lane", "station_name", "text")

    def __init__(self, text: str, station_name: str, lane: Lane | None) -> None:
        self.text = text
        self.station_name = station_name
        self.lane = lane


def build_lanes(rows: Iterable[StayRow], now: float) -> tuple[list[Lane], list[Line]]:
    """The lanes, and the rows of the picture top to bottom: stations with the latest stay
    first, each a header row then its ports by name. Unnamed stations and ports are named by
    their id ("Port 7"), or "Unknown port" when there is none."""
    grouped: dict[tuple[int | None, int | None], list[StayRow]] = {}
    for row in rows:
        key = (row.station_id, row.location_id)
        bucket = grouped.get(key)
        if bucket is None:
            grouped[key] = [row]
        else:
            bucket.append(row)
    stations: dict[int | None, list[Lane]] = {}
    for (station_id, location_id), members in grouped.items():
        first = members[0]
        station_name = first.station_name or (
            f"Station {station_id}" if station_id is not None else "Unknown station"
        )
        port_name = first.location_name or (
            f"Port {location_id}" if location_id is not None else "Unknown port"
        )
        lane = Lane(station_id, station_name, location_id, port_name, members, now)
        stations.setdefault(station_id, []).append(lane)

    def station_order(item: tuple[int | None, list[Lane]]) -> tuple[float, str]:
        lanes = item[1]
        latest = max(max(lane.ends) for lane in lanes)
        return (-latest, lanes[0].station_name.casefold())

    ordered: list[Lane] = []
    lines: list[Line] = []
    for _, lanes in sorted(stations.items(), key=station_order):
        lanes.sort(key=lambda lane: (lane.port_name.casefold(), lane.location_id or 0))
        station = lanes[0].station_name
        lines.append(Line(station, station, None))
        for lane in lanes:
            lane.line = len(lines)
            lines.append(Line(lane.port_name, station, lane))
            ordered.append(lane)
    return ordered, lines


def extent(lanes: list[Lane]) -> tuple[float, float] | None:
    """From the first docking to the last departure (or now), None without stays."""
    if not lanes:
        return None
    return min(lane.starts[0] for lane in lanes), max(max(lane.ends) for lane in lanes)
