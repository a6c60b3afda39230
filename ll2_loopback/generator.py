"""Realistic docking events in the 2.2.0 detailed shape, deterministic for a seed.

Every port gets stays that never overlap, by the configs that really visited that kind of
port at that time; single-use vehicles are numbered in series, reusable ones come from the
fleet; about 1.5 % of stays are still open. The 2.3.0 and 2.4.0 data sets are derived from
these (same ids), so one seed describes the same history in every version.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from typing import cast

from ll2_loopback.catalogue import (
    AGENCIES,
    ATV_NAMES,
    CONFIGS,
    CYGNUS_NAMES,
    DAY,
    FLEET,
    HOUR,
    NOW_TS,
    PORTS,
    SCHEDULES,
    STATIONS,
    Event,
    Port,
    event_time,
    iso,
    iso_duration,
    parse_time,
    url220,
)
from ll2_loopback.non_station import non_station_events_v230
from ll2_loopback.v220 import config_detailed, fleet_vehicle, real_events, station_detail
from ll2_loopback.v230 import by_docking, convert_v230


def _spacecraft_name(cfg: int, k: int, rng: random.Random) -> tuple[str, str | None]:
    """Name and serial number of the k-th single-use vehicle of a config."""
    if cfg in (40, 41):
        return f"Soyuz {k}", None
    if cfg == 42:
        return f"Soyuz T-{k}", rng.choice((f"7K-ST No.{k + 5}", None))
    if cfg == 43:
        return f"Soyuz TM-{k}", rng.choice((f"11F732 No.{50 + k}", None))
    if cfg == 44:
        return f"Soyuz TMA-{k}", rng.choice((f"11F732 #2{k:02d}", None))
    if cfg == 38:
        return f"Soyuz MS-{k:02d}", (f"11F732 #7{k:02d}" if rng.random() < 0.7 else None)
    if cfg == 46:
        return f"Progress {k}", None
    if cfg == 47:
        return f"Progress M-{k:02d}", rng.choice((f"No.{200 + k}", None))
    if cfg == 33:
        return f"Progress MS-{k:02d}", f"MS-{k:02d} (No.{430 + k})"
    if cfg == 11:
        name = ATV_NAMES[k - 1] if k <= len(ATV_NAMES) else f"Vehicle {k}"
        return f"ATV-{k} {name}", f"ATV-00{k}"
    if cfg == 12:
        return f"HTV-{k} (こうのとり{k}号機)", f"HTV{k}"
    if cfg == 20:
        return f"HTV-X{k}", None
    if cfg == 13:
        return f"Cygnus Orb-{k}", None
    if cfg == 19:
        person = CYGNUS_NAMES[k % len(CYGNUS_NAMES)]
        return f"Cygnus CRS NG-{k} (S.S. {person})", None
    if cfg == 2:
        return f"Shenzhou {k}", str(k)
    if cfg == 25:
        return f"Tianzhou-{k}", str(k)
    return f"{CONFIGS[cfg][0]} {k}", None


# The first number of each single-use series (by config id) that docked somewhere.
_FIRST_NUMBER = {40: 10, 42: 2, 43: 1, 44: 1, 38: 1, 46: 1, 47: 1, 33: 1, 11: 1, 12: 1, 20: 1,
                 13: 1, 19: 5, 2: 8, 25: 1}  # fmt: skip
_SERIES = {41: 40}  # Soyuz 7K-T continues the numbering of Soyuz 7K-OKS


@dataclass(slots=True)
class _Slot:
    lane: Port
    dock: int
    dep: int | None
    flight: _Flight | None = None


@dataclass(slots=True)
class _Flight:
    ident: int
    config: int
    spacecraft: Event
    record: Event
    launch_id: str
    single_use: bool
    slots: list[_Slot] = field(default_factory=list)


def _round_time(ts: float, rng: random.Random) -> int:
    t = int(ts)
    return t - t % 60 if rng.random() < 0.8 else t


def _allocate(n: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of n over weights; every lane gets one first if n allows."""
    base = [1] * len(weights) if n >= len(weights) else [0] * len(weights)
    rest = n - sum(base)
    total = sum(weights)
    shares = [rest * w / total for w in weights]
    counts = [b + int(s) for b, s in zip(base, shares, strict=True)]
    order = sorted(range(len(weights)), key=lambda i: int(shares[i]) - shares[i])
    for i in order[: n - sum(counts)]:
        counts[i] += 1
    return counts


def _candidates(kind: str, t: int) -> list[tuple[int, float]]:
    sched = SCHEDULES[kind]
    found = [(cfg, w) for cfg, start, end, w in sched if start <= t < end]
    if found:
        return found
    nearest = min(sched, key=lambda row: min(abs(t - row[1]), abs(t - row[2])))
    return [(nearest[0], nearest[3])]


def generate_events(n: int, seed: int = 0, start_id: int = 1000) -> list[Event]:
    """n realistic docking events in detailed shape, sorted by docking time.

    Deterministic for a seed. Ids run from start_id upward (a few neighbours swapped, since
    LL2 ids follow data entry, not docking order); flight and single-use spacecraft ids
    come from the same range (they are other tables). Ids below 1000 belong to the fixed
    vehicles and the real sample, so keep start_id >= 1000 when mixing with real_events().
    Nested objects are shared between events (one dict per spacecraft, config, agency,
    location, station) like records in the real database: to change one event's nested
    value, replace the nested dict instead of mutating it.
    """
    if n <= 0:
        return []
    rng = random.Random(seed)
    lanes = list(PORTS)
    counts = _allocate(n, [float(lane.end - lane.start) for lane in lanes])

    slots: list[_Slot] = []
    by_lane: list[list[_Slot]] = []
    for lane, m in zip(lanes, counts, strict=True):
        mine: list[_Slot] = []
        if m:
            width = (lane.end - lane.start) / m
            for j in range(m):
                begin = lane.start + j * width
                dock = _round_time(begin + width * rng.uniform(0.0, 0.1), rng)
                dep = _round_time(dock + width * rng.uniform(0.3, 0.88), rng)
                mine.append(_Slot(lane, dock, max(dep, dock + 60)))
        by_lane.append(mine)
        slots.extend(mine)

    # About 1.5 % still docked: the newest stay of active ports that single-use vehicles
    # visit (so in_space can honestly be true), moved to a recent date.
    n_open = round(n * 0.015) if n >= 20 else 0
    single_use = {cid for cid, row in CONFIGS.items() if not row[6]}
    ranks: list[list[_Slot]] = []
    for lane, mine in zip(lanes, by_lane, strict=True):
        if lane.end == NOW_TS and mine:
            usable = [
                s
                for s in reversed(mine)
                if any(c in single_use for c, _ in _candidates(lane.kind, s.dock))
            ]
            ranks.append(usable)
    rank = 0
    while n_open > 0 and any(rank < len(r) for r in ranks):
        layer = sorted((r[rank] for r in ranks if rank < len(r)), key=lambda s: -s.dock)
        for s in layer[:n_open]:
            s.dep = None
            if rank == 0:
                recent = NOW_TS - rng.randint(3 * DAY, 150 * DAY)
                s.dock = max(s.dock, recent - recent % 60)
        n_open -= min(n_open, len(layer))
        rank += 1

    slots.sort(key=lambda s: (s.dock, s.lane.loc_id))

    configs = {cid: config_detailed(cid) for cid in CONFIGS}
    fleet: dict[int, list[Event]] = {}
    fleet_span: dict[int, tuple[int, int]] = {}
    for row in FLEET:
        fleet.setdefault(row[1], []).append(fleet_vehicle(row, configs[row[1]]))
        fleet_span[row[0]] = (row[10], row[11])
    stations = {sid: station_detail(sid) for sid in STATIONS}
    station_mini = {
        sid: {"id": sid, "url": st["url"], "name": st["name"]} for sid, st in stations.items()
    }
    locations = {
        lane.loc_id: {
            "id": lane.loc_id,
            "name": lane.name,
            "spacestation": station_mini[lane.station_id],
        }
        for lane in lanes
    }

    numbers: dict[int, int] = {}
    flights: list[_Flight] = []
    relocating: dict[int, tuple[_Flight, int]] = {}  # station -> (Soyuz flight, deadline)
    for s in slots:
        lane = s.lane
        cands = _candidates(lane.kind, s.dock)
        if s.dep is None:
            cands = [c for c in cands if c[0] in single_use] or cands
        pending = relocating.get(lane.station_id)
        if pending is not None:
            flight, deadline = pending
            last = flight.slots[-1]
            if s.dock > deadline:
                del relocating[lane.station_id]
            elif (
                last.dep is not None
                and last.dep < s.dock
                and last.lane.loc_id != lane.loc_id
                and any(c == flight.config for c, _ in cands)
            ):
                del relocating[lane.station_id]
                s.flight = flight
                flight.slots.append(s)
                continue
        if len(cands) == 1:
            cfg = cands[0][0]
        else:
            cfg = rng.choices([c for c, _ in cands], weights=[w for _, w in cands])[0]
        ident = start_id + len(flights)
        if cfg in single_use:
            series = _SERIES.get(cfg, cfg)
            k = numbers.get(series, _FIRST_NUMBER.get(series, 1))
            numbers[series] = k + 1
            name, serial = _spacecraft_name(cfg, k, rng)
            if serial is not None and rng.random() < 0.1:
                serial = None
            agency = AGENCIES.get(CONFIGS[cfg][3], ("its operator",))[0]
            craft: Event = {
                "id": ident,
                "url": url220("spacecraft", ident),
                "name": name,
                "serial_number": serial,
                "is_placeholder": rng.random() < 0.005,
                "in_space": False,
                "time_in_space": "PT0S",
                "time_docked": "PT0S",
                "flights_count": 1,
                "mission_ends_count": 1,
                "status": {"id": 4, "name": "Single Use"},
                "description": f"{name} is a {CONFIGS[cfg][0]} spacecraft flown by {agency} "
                f"to {STATIONS[lane.station_id][0]}.",
                "spacecraft_config": configs[cfg],
            }
        else:
            vehicles = fleet[cfg]
            active = [
                v for v in vehicles if fleet_span[v["id"]][0] <= s.dock < fleet_span[v["id"]][1]
            ]
            craft = rng.choice(active or vehicles)
        record: Event = {
            "id": ident,
            "url": url220("spacecraft/flight", ident),
            "destination": STATIONS[lane.station_id][1],
            "mission_end": None,
            "spacecraft": craft,
        }
        launch_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        flight = _Flight(ident, cfg, craft, record, launch_id, cfg in single_use, [s])
        s.flight = flight
        flights.append(flight)
        if cfg in (42, 43, 44, 38) and s.dep is not None and rng.random() < 0.12:
            relocating[lane.station_id] = (flight, s.dep + 45 * DAY)

    for flight in flights:
        still_docked = any(s.dep is None for s in flight.slots)
        last_dep = max((s.dep for s in flight.slots if s.dep is not None), default=None)
        after = rng.randint(3 * HOUR, 40 * HOUR)
        if not still_docked and last_dep is not None:
            flight.record["mission_end"] = iso(last_dep + after)
        if flight.single_use:
            docked = sum((s.dep if s.dep is not None else NOW_TS) - s.dock for s in flight.slots)
            first = flight.slots[0].dock
            end = NOW_TS if still_docked or last_dep is None else last_dep + after
            craft = flight.spacecraft
            craft["time_docked"] = iso_duration(docked)
            craft["time_in_space"] = iso_duration(end - first + rng.randint(2 * HOUR, 3 * DAY))
            craft["in_space"] = still_docked
            craft["mission_ends_count"] = 0 if still_docked else 1

    ids = list(range(start_id, start_id + len(slots)))
    i = 0
    while i < len(ids) - 1:
        if rng.random() < 0.08:
            ids[i], ids[i + 1] = ids[i + 1], ids[i]
            i += 1
        i += 1

    events: list[Event] = []
    for ident, s in zip(ids, slots, strict=True):
        flight = cast(_Flight, s.flight)
        events.append(
            {
                "id": ident,
                "url": url220("docking_event", ident),
                "launch_id": flight.launch_id,
                "docking": iso(s.dock),
                "departure": iso(s.dep) if s.dep is not None else None,
                "flight_vehicle": flight.record,
                "docking_location": locations[s.lane.loc_id],
                "space_station": stations[s.lane.station_id],
            }
        )
    return events


def default_events() -> list[Event]:
    """What the ``ll2_server`` fixture and a bare ``LL2TestServer()`` serve: 570 events."""
    return generate_events(560, seed=1) + real_events()


def generate_events_v230(
    n: int, seed: int = 0, detailed_store: bool = True, *, start_id: int = 1000
) -> list[Event]:
    """generate_events(n, seed, start_id) as 2.3.0 events plus non_station_events_v230(),
    sorted by docking time. ``detailed_store`` picks the detailed (stored) shape."""
    converted = convert_v230(generate_events(n, seed, start_id), detailed=detailed_store)
    return by_docking(converted + non_station_events_v230(detailed_store))


def shift_event(event: Event, docking: int) -> None:
    """Move a freshly generated (unshared) event so it docks at ``docking``."""
    old = event_time(event, "docking")
    delta = docking - int(old if old is not None else docking)
    for holder, key in (
        (event, "docking"),
        (event, "departure"),
        (event["flight_vehicle"], "mission_end"),
    ):
        value = holder.get(key)
        if isinstance(value, str):
            holder[key] = iso(int(cast(float, parse_time(value))) + delta)
