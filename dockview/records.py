"""API JSON → frozen dataclasses.

The API's published schema promises more than the live data keeps: any nested object may be
null or missing, numbers arrive as strings, durations leave out zero parts. Everything here is
therefore defensive: a malformed *field* becomes ``None``, and only an event with no usable
``id`` or ``docking`` time is rejected (:class:`RejectedEvent`), so one bad event never costs
the rest of its page. The raw object is kept beside the record, exactly as the API sent it, so
export can hand it on unchanged and fields we do not model yet are not lost.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from dockview.timefmt import parse_duration_seconds, parse_time

API_VERSION_2_2 = "2.2.0"
API_VERSION_2_3 = "2.3.0"

PARTY_SPACECRAFT = "spacecraft"
PARTY_STATION = "station"
PARTY_PAYLOAD = "payload"


@dataclass(frozen=True)
class Agency:
    id: int
    name: str | None = None
    type: str | None = None
    abbrev: str | None = None
    country_code: str | None = None
    founding_year: str | None = None
    administrator: str | None = None
    description: str | None = None
    logo_url: str | None = None
    image_url: str | None = None


@dataclass(frozen=True)
class SpacecraftConfig:
    id: int
    name: str | None = None
    type: str | None = None
    in_use: bool | None = None
    agency: Agency | None = None
    image_url: str | None = None
    capability: str | None = None
    details: str | None = None
    human_rated: bool | None = None
    crew_capacity: int | None = None
    payload_capacity: int | None = None
    maiden_flight: str | None = None
    height: float | None = None
    diameter: float | None = None
    wiki_link: str | None = None
    info_link: str | None = None


@dataclass(frozen=True)
class Spacecraft:
    id: int
    name: str | None = None
    serial_number: str | None = None
    is_placeholder: bool | None = None
    in_space: bool | None = None
    time_in_space_s: float | None = None
    time_docked_s: float | None = None
    flights_count: int | None = None
    mission_ends_count: int | None = None
    status: str | None = None
    description: str | None = None
    config: SpacecraftConfig | None = None


@dataclass(frozen=True)
class FlightVehicle:
    id: int
    destination: str | None = None
    mission_end: datetime | None = None
    spacecraft: Spacecraft | None = None


@dataclass(frozen=True)
class SpaceStation:
    id: int
    name: str | None = None
    image_url: str | None = None


@dataclass(frozen=True)
class DockingLocation:
    id: int
    name: str | None = None
    station: SpaceStation | None = None


@dataclass(frozen=True)
class DockingParty:
    """One side of a docking. 2.2.0 knows one shape (a spacecraft at a station); 2.3.0 lets
    either side be a spacecraft flight, a space station or a payload flight."""

    kind: str  # PARTY_SPACECRAFT, PARTY_STATION or PARTY_PAYLOAD
    id: int
    name: str | None = None
    image_url: str | None = None

    @property
    def kind_text(self) -> str:
        return {PARTY_PAYLOAD: "satellite"}.get(self.kind, self.kind)


@dataclass(frozen=True)
class DockingEvent:
    id: int
    docking: datetime
    departure: datetime | None
    api_version: str
    launch_id: str | None = None
    flight_vehicle: FlightVehicle | None = None
    location: DockingLocation | None = None
    station: SpaceStation | None = None
    chaser: DockingParty | None = None
    target: DockingParty | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def docked_now(self) -> bool:
        return self.departure is None

    def docked_seconds(self, now: datetime | None = None) -> float:
        """Seconds from docking to departure, or to ``now`` while the vehicle is still docked."""
        end = self.departure or now or datetime.now(UTC)
        return max(0.0, (end - self.docking).total_seconds())

    @property
    def spacecraft(self) -> Spacecraft | None:
        return self.flight_vehicle.spacecraft if self.flight_vehicle else None

    @property
    def config(self) -> SpacecraftConfig | None:
        craft = self.spacecraft
        return craft.config if craft else None

    @property
    def agency(self) -> Agency | None:
        config = self.config
        return config.agency if config else None


@dataclass(frozen=True)
class RejectedEvent:
    """An object in a page that cannot be stored; named in the sync summary."""

    index: int
    event_id: object
    reason: str


class RecordError(ValueError):
    """One event cannot become a record; the message says why, for the summary."""


# ---------------------------------------------------------------------------------------------
# Field readers: each returns None for anything that is not what it should be.


def _obj(value: object) -> Mapping[str, Any] | None:
    # JSON objects arrive as dicts: test that first, the Mapping ABC check is slower.
    return value if type(value) is dict or isinstance(value, Mapping) else None


_INT64 = range(-(2**63), 2**63)


def _int(value: object) -> int | None:
    """Integers as SQLite can store them (64-bit); anything else is not a usable number."""
    number: int | None = None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str):
        try:
            number = int(value.strip())
        except ValueError:
            return None
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    return number if number is not None and number in _INT64 else None


def _float(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """JSON may carry lone UTF-16 surrogates ("\\ud800"), which no UTF-8 file or SQLite text
    can hold; show them as U+FFFD instead of failing the whole page."""
    if text.isascii() or _LONE_SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def json_text(obj: object, *, indent: int | None = None) -> str:
    """JSON as readable UTF-8 text, unless it holds lone surrogates: then \\u escapes keep the
    value exactly as the API sent it and still encodable."""
    separators = (",", ":") if indent is None else None
    text = json.dumps(obj, ensure_ascii=False, indent=indent, separators=separators)
    if text.isascii() or _LONE_SURROGATE.search(text) is None:
        return text
    return json.dumps(obj, ensure_ascii=True, indent=indent, separators=separators)


def _str(value: object) -> str | None:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _image_url(obj: Mapping[str, Any]) -> str | None:
    """2.2.0 sends ``image_url`` strings; 2.3.0 an ``image`` object holding one."""
    url = _str(obj.get("image_url"))
    if url is None:
        image = _obj(obj.get("image"))
        url = _str(image.get("image_url")) if image else None
    return url


def _bool(value: object) -> bool | None:
    return value if isinstance(value, bool) else None


def _name(value: object) -> str | None:
    """A ``{id, name}`` object (2.2.0 status/type) or a plain string both give the name."""
    obj = _obj(value)
    if obj is not None:
        return _str(obj.get("name"))
    return _str(value)


# ---------------------------------------------------------------------------------------------
# Object parsers: each takes whatever the API sent and returns a record or None.


def parse_agency(value: object) -> Agency | None:
    obj = _obj(value)
    agency_id = _int(obj.get("id")) if obj else None
    if obj is None or agency_id is None:
        return None
    return Agency(
        id=agency_id,
        name=_str(obj.get("name")),
        type=_name(obj.get("type")),
        abbrev=_str(obj.get("abbrev")),
        country_code=_str(obj.get("country_code")) or _country_codes(obj.get("country")),
        founding_year=_str(obj.get("founding_year")),
        administrator=_str(obj.get("administrator")),
        description=_str(obj.get("description")),
        logo_url=_str(obj.get("logo_url")) or _image_url(_obj(obj.get("logo")) or {}),
        image_url=_image_url(obj),
    )


def _country_codes(value: object) -> str | None:
    """2.3.0's ``country`` list of objects as 2.2.0's ``country_code`` text ("USA, FRA")."""
    if not isinstance(value, list):
        return None
    codes = [_str(item.get("alpha_3_code")) for item in value if isinstance(item, Mapping)]
    return ", ".join(code for code in codes if code) or None


def parse_config(value: object) -> SpacecraftConfig | None:
    obj = _obj(value)
    config_id = _int(obj.get("id")) if obj else None
    if obj is None or config_id is None:
        return None
    return SpacecraftConfig(
        id=config_id,
        name=_str(obj.get("name")),
        type=_name(obj.get("type")),
        in_use=_bool(obj.get("in_use")),
        agency=parse_agency(obj.get("agency")),
        image_url=_image_url(obj),
        capability=_str(obj.get("capability")),
        details=_str(obj.get("details")),
        human_rated=_bool(obj.get("human_rated")),
        crew_capacity=_int(obj.get("crew_capacity")),
        payload_capacity=_int(obj.get("payload_capacity")),
        maiden_flight=_str(obj.get("maiden_flight")),
        height=_float(obj.get("height")),
        diameter=_float(obj.get("diameter")),
        wiki_link=_str(obj.get("wiki_link")),
        info_link=_str(obj.get("info_link")),
    )


class PageMemo:
    """Within one page, the nested objects many events share (a configuration with its agency,
    a port, a station) are parsed once: a record is reused when the raw object is equal to the
    one it was made from (a dict comparison in C, far cheaper than parsing again)."""

    def __init__(self) -> None:
        self._entries: dict[tuple[str, object], tuple[Mapping[str, Any], Any]] = {}

    def parse(self, kind: str, parse: Any, value: object) -> Any:
        if type(value) is not dict:
            return parse(value)
        key_id = value.get("id")
        if not isinstance(key_id, int | str):
            return parse(value)
        key = (kind, key_id)
        hit = self._entries.get(key)
        if hit is not None and hit[0] == value:
            return hit[1]
        record = parse(value)
        self._entries[key] = (value, record)
        return record


def parse_spacecraft(value: object, memo: PageMemo | None = None) -> Spacecraft | None:
    obj = _obj(value)
    craft_id = _int(obj.get("id")) if obj else None
    if obj is None or craft_id is None:
        return None
    return Spacecraft(
        id=craft_id,
        name=_str(obj.get("name")),
        serial_number=_str(obj.get("serial_number")),
        is_placeholder=_bool(obj.get("is_placeholder")),
        in_space=_bool(obj.get("in_space")),
        time_in_space_s=parse_duration_seconds(obj.get("time_in_space")),
        time_docked_s=parse_duration_seconds(obj.get("time_docked")),
        flights_count=_int(obj.get("flights_count")),
        mission_ends_count=_int(obj.get("mission_ends_count")),
        status=_name(obj.get("status")),
        description=_str(obj.get("description")),
        config=(
            memo.parse("config", parse_config, obj.get("spacecraft_config"))
            if memo is not None
            else parse_config(obj.get("spacecraft_config"))
        ),
    )


def parse_flight_vehicle(value: object, memo: PageMemo | None = None) -> FlightVehicle | None:
    obj = _obj(value)
    vehicle_id = _int(obj.get("id")) if obj else None
    if obj is None or vehicle_id is None:
        return None
    return FlightVehicle(
        id=vehicle_id,
        destination=_str(obj.get("destination")),
        mission_end=parse_time(obj.get("mission_end")),
        spacecraft=parse_spacecraft(obj.get("spacecraft"), memo),
    )


def parse_station(value: object) -> SpaceStation | None:
    obj = _obj(value)
    station_id = _int(obj.get("id")) if obj else None
    if obj is None or station_id is None:
        return None
    return SpaceStation(id=station_id, name=_str(obj.get("name")), image_url=_image_url(obj))


def parse_location(value: object) -> DockingLocation | None:
    obj = _obj(value)
    location_id = _int(obj.get("id")) if obj else None
    if obj is None or location_id is None:
        return None
    return DockingLocation(
        id=location_id, name=_str(obj.get("name")), station=parse_station(obj.get("spacestation"))
    )


def detect_version(value: object) -> str:
    """Which API version an event object came from, by its shape (2.3.0 names both sides)."""
    obj = _obj(value)
    if obj is not None and ("flight_vehicle_chaser" in obj or "response_mode" in obj):
        return API_VERSION_2_3
    return API_VERSION_2_2


@functools.lru_cache(maxsize=16)  # asked once per event, of a handful of version names
def names_both_sides(version: str) -> bool:
    """2.3.0 and later (2.4.0 shares its shape) describe a docking as chaser and target;
    2.0.0 to 2.2.0 as one flight vehicle at a station."""
    try:
        major, minor = (int(part) for part in version.split(".")[:2])
    except ValueError:
        return True  # an unknown name: the current shape is the best guess
    return (major, minor) >= (2, 3)


def parse_event(
    value: object, api_version: str | None = None, memo: PageMemo | None = None
) -> DockingEvent:
    """One event object (2.2.0 or 2.3.0; by its shape when no version is given) → record;
    :class:`RecordError` says why one cannot be stored."""
    version = api_version or detect_version(value)
    if names_both_sides(version):
        return _parse_event_v230(value, version, memo or PageMemo())
    obj = _obj(value)
    if obj is None:
        raise RecordError("not a JSON object")
    event_id = _int(obj.get("id"))
    if event_id is None:
        raise RecordError("no id")
    docking = parse_time(obj.get("docking"))
    if docking is None:
        raise RecordError("no valid docking time")
    memo = memo or PageMemo()
    location = memo.parse("location", parse_location, obj.get("docking_location"))
    # Detailed mode names the station at the top; list mode only inside the location.
    station = memo.parse("station", parse_station, obj.get("space_station"))
    inner = location.station if location is not None else None
    # The port's own record may be the richer one, but never stands in for another station:
    # an event that names a station its port does not belong to is a data error to report.
    if inner is not None and (
        station is None
        or (station.id == inner.id and station.image_url is None and inner.image_url)
    ):
        station = inner
    vehicle = parse_flight_vehicle(obj.get("flight_vehicle"), memo)
    return DockingEvent(
        id=event_id,
        docking=docking,
        departure=parse_time(obj.get("departure")),
        api_version=version,
        launch_id=_str(obj.get("launch_id")),
        flight_vehicle=vehicle,
        location=location,
        station=station,
        chaser=_vehicle_party(vehicle),
        target=_station_party(station),
        raw=obj,
    )


def _vehicle_party(vehicle: FlightVehicle | None) -> DockingParty | None:
    if vehicle is None:
        return None
    craft = vehicle.spacecraft
    config = craft.config if craft else None
    return DockingParty(
        kind=PARTY_SPACECRAFT,
        id=vehicle.id,
        name=craft.name if craft else None,
        image_url=config.image_url if config else None,
    )


def _station_party(station: SpaceStation | None) -> DockingParty | None:
    if station is None:
        return None
    return DockingParty(PARTY_STATION, station.id, station.name, station.image_url)


def _payload_party(value: object) -> DockingParty | None:
    """A payload flight (2.3.0): the satellite is its ``payload``."""
    obj = _obj(value)
    flight_id = _int(obj.get("id")) if obj else None
    if obj is None or flight_id is None:
        return None
    payload = _obj(obj.get("payload")) or {}
    return DockingParty(PARTY_PAYLOAD, flight_id, _str(payload.get("name")), _image_url(payload))


def _parse_event_v230(value: object, version: str, memo: PageMemo) -> DockingEvent:
    """A 2.3.0 event → the same record as 2.2.0 gives, plus both sides of the docking.

    The chaser's spacecraft flight fills the same fields 2.2.0's ``flight_vehicle`` does (the
    table, filters and detail pane need no second path); the target is a station, a
    spacecraft flight or a payload flight. Every nested object may be null, whatever the
    published schema says.
    """
    obj = _obj(value)
    if obj is None:
        raise RecordError("not a JSON object")
    event_id = _int(obj.get("id"))
    if event_id is None:
        raise RecordError("no id")
    docking = parse_time(obj.get("docking"))
    if docking is None:
        raise RecordError("no valid docking time")
    raw_location = _obj(obj.get("docking_location"))
    location = memo.parse("location", parse_location, raw_location)
    station = memo.parse("station", parse_station, obj.get("space_station_target"))
    if station is None and location is not None:
        station = location.station
    chaser_vehicle = parse_flight_vehicle(obj.get("flight_vehicle_chaser"), memo)
    target_vehicle = parse_flight_vehicle(obj.get("flight_vehicle_target"), memo)
    chaser_station = memo.parse("station", parse_station, obj.get("space_station_chaser"))
    chaser = (
        _vehicle_party(chaser_vehicle)
        or _station_party(chaser_station)
        or _payload_party(obj.get("payload_flight_chaser"))
    )
    target = (
        _station_party(station)
        or _vehicle_party(target_vehicle)
        or _payload_party(obj.get("payload_flight_target"))
    )
    if target is None and raw_location is not None:
        # Only the port says what was docked to: a spacecraft configuration or a payload.
        for kind, key in ((PARTY_SPACECRAFT, "spacecraft"), (PARTY_PAYLOAD, "payload")):
            part = _obj(raw_location.get(key))
            part_id = _int(part.get("id")) if part else None
            if part is not None and part_id is not None:
                target = DockingParty(kind, part_id, _str(part.get("name")), _image_url(part))
                break
    chaser_flight = _obj(obj.get("flight_vehicle_chaser")) or {}
    launch = _obj(chaser_flight.get("launch")) or {}
    return DockingEvent(
        id=event_id,
        docking=docking,
        departure=parse_time(obj.get("departure")),
        api_version=version,
        launch_id=_str(launch.get("id")),
        flight_vehicle=chaser_vehicle,
        location=location,
        station=station,
        chaser=chaser,
        target=target,
        raw=obj,
    )


def parse_events(
    objects: Iterable[object], api_version: str | None = None
) -> tuple[list[DockingEvent], list[RejectedEvent]]:
    """A page's ``results`` → the records that can be stored, and the ones that cannot."""
    events: list[DockingEvent] = []
    rejected: list[RejectedEvent] = []
    memo = PageMemo()
    for index, obj in enumerate(objects):
        try:
            events.append(parse_event(obj, api_version, memo))
        except (
            RecordError,
            ValueError,
            TypeError,
            AttributeError,
            OverflowError,
            RecursionError,
        ) as exc:
            # RecordError is the expected refusal; the others are data shaped in a way no
            # reader foresaw. Either way it is one event, never the page.
            reason = str(exc) if isinstance(exc, RecordError) else f"malformed ({exc})"
            event_id = obj.get("id") if isinstance(obj, Mapping) else None
            if not isinstance(event_id, int | str) or isinstance(event_id, bool):
                event_id = None
            elif isinstance(event_id, str):
                event_id = event_id[:40]
            rejected.append(RejectedEvent(index=index, event_id=event_id, reason=reason[:120]))
    return events, rejected
