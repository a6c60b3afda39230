"""The reference data behind every generated event, read from ``data/*.json``.

Ids, names and image URLs that occur in the bundled sample of real events are copied from
it, so generated and real events agree wherever they meet (a client that caches configs,
agencies or locations by id sees one truth). The rows live in JSON so that adding a
spacecraft or a port is an edit of data, not of code; each row becomes a ``NamedTuple`` so
the code reads ``config.crew_capacity`` rather than ``row[8]``.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

Event = dict[str, Any]

#: Static prefix of every ``url`` field inside 2.2.0 events.
API_ROOT = "https://ll.thespacedevs.com/2.2.0"
#: Static prefix of every ``url`` field inside 2.3.0 events.
API_ROOT_V230 = "https://ll.thespacedevs.com/2.3.0"
DATA_DIR = Path(__file__).parent / "data"
MEDIA = "https://thespacedevs-prod.nyc3.digitaloceanspaces.com/media"

DAY = 86_400
HOUR = 3_600


def timestamp(year: int, month: int = 1, day: int = 1) -> int:
    """Seconds since the epoch of midnight UTC on a date."""
    return calendar.timegm((year, month, day, 0, 0, 0, 0, 0, 0))


STATUS = {1: "Active", 2: "Retired", 3: "Destroyed", 4: "Single Use"}

#: "Now" of the generated data set: fixed, so a seed always yields the same events.
NOW_TS = timestamp(2026, 1, 20)


def iso(ts: int) -> str:
    """``2024-03-05T07:28:00Z``: the way LL2 writes times."""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_duration(seconds: int) -> str:
    """ISO 8601 duration with zero parts left out, as LL2 writes them ("P213DT6H20M")."""
    days, rest = divmod(max(0, int(seconds)), DAY)
    hours, rest = divmod(rest, HOUR)
    minutes, secs = divmod(rest, 60)
    out = "P" + (f"{days}D" if days else "")
    clock = "".join(f"{v}{u}" for v, u in ((hours, "H"), (minutes, "M"), (secs, "S")) if v)
    if clock:
        out += "T" + clock
    return out if out != "P" else "PT0S"


_TIMES: dict[str, float | None] = {}


def parse_time(text: str) -> float | None:
    """Seconds since the epoch of an ISO 8601 time (naive means UTC); None if unparseable.

    Memoised in a plain dict: sorting 50,000 events parses each time once, not per request.
    """
    try:
        return _TIMES[text]
    except KeyError:
        pass
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        value = None
    else:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        value = moment.timestamp()
    if len(_TIMES) < 1_000_000:
        _TIMES[text] = value
    return value


def event_time(event: Mapping[str, Any], key: str) -> float | None:
    value = event.get(key)
    return parse_time(value) if isinstance(value, str) else None


def url220(kind: str, ident: int) -> str:
    """A 2.2.0 record's ``url`` field, pointing at the real host like the sample's do."""
    return f"{API_ROOT}/{kind}/{ident}/?format=api"


def url230(kind: str, ident: int | str) -> str:
    """A 2.3.0 record's ``url`` field: real host, trailing slash, no ``?format=``."""
    return f"{API_ROOT_V230}/{kind}/{ident}/"


# -- row types --------------------------------------------------------------------------------


class Agency(NamedTuple):
    name: str
    type: str
    abbrev: str
    country: str
    founded: str
    administrator: str
    launchers: str
    spacecraft: str
    parent: str | None
    description: str


class AgencyBrief(NamedTuple):
    """Agencies that only 2.3.0 objects (launch providers, payload owners) refer to."""

    name: str
    type: str
    abbrev: str
    country: str


class Country(NamedTuple):
    id: int
    name: str
    alpha_2: str
    nationality: str


class Config(NamedTuple):
    name: str
    type_id: int
    type_name: str
    agency: int
    in_use: bool
    image: str
    reusable: bool
    human_rated: bool
    crew_capacity: int | None
    payload_capacity: int | None
    maiden_flight: str
    height: float
    diameter: float
    flight_life: str


class FleetVehicle(NamedTuple):
    """A reusable vehicle with fixed values (its counters are "current state" in LL2 too)."""

    id: int
    config: int
    name: str
    serial: str | None
    in_space: bool
    time_in_space: str
    time_docked: str
    flights: int
    mission_ends: int
    status: int
    in_service_from: int
    in_service_until: int
    description: str


class Family(NamedTuple):
    name: str
    manufacturer: int
    maiden_flight: str


class Station(NamedTuple):
    name: str
    destination: str  # LL2 spells flight destinations its own way
    image: str


class StationFacts(NamedTuple):
    founded: str
    deorbited: str | None
    type_id: int
    type_name: str


class Visit(NamedTuple):
    """A config that visits a kind of port between two times, with a relative weight."""

    config: int
    start: int
    end: int
    weight: float


class Port(NamedTuple):
    """One docking port over the time it existed; stays on it never overlap."""

    loc_id: int
    name: str
    station_id: int
    start: int
    end: int
    kind: str


class Rocket(NamedTuple):
    id: int
    family: str
    variant: str


class LaunchProfile(NamedTuple):
    """How a config is launched: launcher, provider, hours to the first docking, mission."""

    rocket: str
    provider: int
    hours_to_docking: float
    mission: str


class RealLaunch(NamedTuple):
    name: str
    net: str


class LaunchSpec(NamedTuple):
    name: str
    net: str
    rocket: str
    provider: int
    mission: str


class XConfig(NamedTuple):
    name: str
    type_id: int
    type_name: str
    agency: int


class XFlight(NamedTuple):
    spacecraft_id: int
    name: str
    serial: str | None
    config: int
    status: int
    in_space: bool
    time_in_space: str
    time_docked: str
    destination: str
    mission_end: str | None
    launch: LaunchSpec


class XPayload(NamedTuple):
    payload_id: int
    name: str
    type_id: int
    type_name: str
    manufacturer: int
    operator: int
    mass: float
    destination: str
    launch: LaunchSpec


class XLocation(NamedTuple):
    """A docking location off any station: exactly one of the three ids is set."""

    name: str
    station: int | None
    config: int | None
    payload_flight: int | None


class XEvent(NamedTuple):
    """A docking without a station; kinds are "flight", "payload" or "station"."""

    docking: str
    departure: str | None
    location: int
    chaser_kind: str
    chaser: int
    target_kind: str
    target: int


# -- loading ----------------------------------------------------------------------------------


def _load(name: str) -> dict[str, Any]:
    return dict(json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8")))


def _time(text: str) -> int:
    """A catalogue date ("1992-01-01") or time ("2026-01-20T00:00:01Z") as a timestamp."""
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=UTC).timestamp())


_Row = TypeVar("_Row")


def _by_id(rows: Mapping[str, Mapping[str, Any]], make: type[_Row]) -> dict[int, _Row]:
    return {int(key): make(**row) for key, row in rows.items()}


def _launch(row: Mapping[str, Any]) -> dict[str, Any]:
    return {**row, "launch": LaunchSpec(**row["launch"])}


_agencies = _load("agencies")
_spacecraft = _load("spacecraft")
_stations = _load("stations")
_launches = _load("launches")
_non_station = _load("non_station")

AGENCIES = _by_id(_agencies["agencies"], Agency)
EXTRA_AGENCIES = _by_id(_agencies["extra_agencies"], AgencyBrief)
AGENCY_TYPES: dict[str, int] = dict(_agencies["agency_types"])
#: alpha-3 code: country
COUNTRIES = {code: Country(**row) for code, row in _agencies["countries"].items()}

CONFIGS = _by_id(_spacecraft["configs"], Config)
FLEET = tuple(
    FleetVehicle(
        **{
            **row,
            "in_service_from": _time(row["in_service_from"]),
            "in_service_until": _time(row["in_service_until"]),
        }
    )
    for row in _spacecraft["fleet"]
)
#: Spacecraft configuration families (2.3.0 only), and the family of each config id.
FAMILIES = _by_id(_spacecraft["families"], Family)
FAMILY_OF = {int(key): int(value) for key, value in _spacecraft["family_of"].items()}
CYGNUS_NAMES: tuple[str, ...] = tuple(_spacecraft["cygnus_names"])
ATV_NAMES: tuple[str, ...] = tuple(_spacecraft["atv_names"])

STATIONS = _by_id(_stations["stations"], Station)
STATION_FACTS = _by_id(_stations["station_facts"], StationFacts)
PORTS = tuple(
    Port(**{**row, "start": _time(row["start"]), "end": _time(row["end"])})
    for row in _stations["ports"]
)
#: Which configs visit a kind of port, and when.
SCHEDULES = {
    kind: tuple(
        Visit(row["config"], _time(row["start"]), _time(row["end"]), row["weight"]) for row in rows
    )
    for kind, rows in _stations["schedules"].items()
}

#: Launchers by name.
ROCKETS = {name: Rocket(**row) for name, row in _launches["rockets"].items()}
#: How each spacecraft config id is launched.
LAUNCH_OF = _by_id(_launches["launch_of"], LaunchProfile)
#: The launches of the flights in the bundled real sample, by flight id.
REAL_LAUNCHES = _by_id(_launches["real_launches"], RealLaunch)

X_CONFIGS = _by_id(_non_station["configs"], XConfig)
X_FLIGHTS = {int(k): XFlight(**_launch(row)) for k, row in _non_station["flights"].items()}
X_PAYLOADS = {int(k): XPayload(**_launch(row)) for k, row in _non_station["payloads"].items()}
X_LOCATIONS = _by_id(_non_station["locations"], XLocation)
X_EVENTS = _by_id(_non_station["events"], XEvent)


def agency_brief(ident: int) -> AgencyBrief | None:
    """(name, type, abbrev, country) of an agency known to either table."""
    row = AGENCIES.get(ident)
    if row is not None:
        return AgencyBrief(row.name, row.type, row.abbrev, row.country)
    return EXTRA_AGENCIES.get(ident)
