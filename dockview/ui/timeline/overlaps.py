"""Relations between stays: overlaps on one port (data conflicts) and relocations.

Qt-free. Two vehicles cannot share a port, so two stays that overlap on one are an error in
the data, worth showing rather than hiding. A flight vehicle that moved between ports (Soyuz
and Progress do) has two consecutive stays at different ports: a relocation.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import pairwise
from operator import attrgetter

from dockview.ui.timeline.lanes import Lane, LaneIndex, StayRow

Pair = tuple[int, int]


def merged(spans: Iterable[tuple[float, float]]) -> list[tuple[float, float]]:
    """Overlapping stretches joined, so each is hatched once however many stays share it."""
    joined: list[tuple[float, float]] = []
    for start, end in sorted(spans):
        if joined and start <= joined[-1][1]:
            if end > joined[-1][1]:
                joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def find_conflicts(lanes: Iterable[Lane]) -> list[Pair]:
    """Stays that overlap on one port, each pair once (earlier docking first); each lane's
    ``conflict_spans`` becomes the overlapping stretches. Touching is not overlapping, and
    "Unknown port" gathers unrelated stays, so it has no conflicts to claim."""
    pairs: list[Pair] = []
    for lane in lanes:
        lane.conflict_spans = []
        if lane.location_id is None:
            continue
        starts, ends, ids = lane.starts, lane.ends, lane.ids
        spans: list[tuple[float, float]] = []
        active: list[int] = []
        active_until = -math.inf  # the latest end among the active stays
        for i in range(len(starts)):
            start = starts[i]
            if start >= active_until:
                # The usual case: every earlier stay has ended.
                active = [i]
                active_until = ends[i]
                continue
            active = [j for j in active if ends[j] > start]
            for j in active:
                pairs.append((ids[j], ids[i]))
                spans.append((start, min(ends[i], ends[j])))
            active.append(i)
            active_until = max(active_until, ends[i])
        lane.conflict_spans = merged(spans)
    return pairs


def partners(pairs: Iterable[Pair]) -> dict[int, list[int]]:
    """Event id → the ids it is paired with, both ways."""
    found: dict[int, list[int]] = {}
    for first, second in pairs:
        found.setdefault(first, []).append(second)
        found.setdefault(second, []).append(first)
    return found


def find_relocations(rows: Iterable[StayRow], index: LaneIndex) -> list[Pair]:
    """Consecutive stays of one flight vehicle at different ports, as (before, after), in
    the order of the earlier stay's docking. ``index`` must hold every row."""
    flights: dict[int, list[StayRow]] = {}
    for row in rows:
        if row.flight_vehicle_id is not None:
            flights.setdefault(row.flight_vehicle_id, []).append(row)
    pairs: list[Pair] = []
    for members in flights.values():
        if len(members) < 2:
            continue
        members.sort(key=attrgetter("docking_ts", "id"))
        for before, after in pairwise(members):
            if (before.station_id, before.location_id) != (after.station_id, after.location_id):
                pairs.append((before.id, after.id))

    def docked(pair: Pair) -> float:
        lane, i = index[pair[0]]
        return lane.starts[i]

    pairs.sort(key=docked)
    return pairs
