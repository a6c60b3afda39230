"""API 2.3.0: the same dockings as chaser -> target, built from the 2.2.0 records.

Stored events are in the detailed shape (DockingEventEndpointDetailed); :func:`to_v230_normal`
reduces them to the default one. Every ``url`` inside points at the real 2.3.0 host and ends
in a slash, without ``?format=``. Nested records are built once per id and shared, like
rows in the real database.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

from ll2_loopback.catalogue import (
    AGENCIES,
    AGENCY_TYPES,
    COUNTRIES,
    DAY,
    FAMILIES,
    FAMILY_OF,
    HOUR,
    LAUNCH_OF,
    MEDIA,
    NOW_TS,
    REAL_LAUNCHES,
    ROCKETS,
    STATION_FACTS,
    STATIONS,
    AgencyBrief,
    Event,
    agency_brief,
    event_time,
    iso,
    iso_duration,
    parse_time,
    url230,
)
from ll2_loopback.v220 import real_events


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


_SUCCESS = {
    "id": 3,
    "name": "Launch Successful",
    "abbrev": "Success",
    "description": "The launch vehicle successfully inserted its payload(s) into the target "
    "orbit(s).",
}
_MINUTE = {
    "id": 1,
    "name": "Minute",
    "abbrev": "MIN",
    "description": "The T-0 is accurate to the minute.",
}


def image_object(name: str, url: str | None) -> Event | None:
    """An Image object as 2.3.0 has them instead of ``image_url`` strings (None stays None)."""
    if not url:
        return None
    stem, dot, ext = url.rpartition(".")
    return {
        "id": zlib.crc32(url.encode()) % 900_000 + 100_000,
        "name": f"[AUTO] {name} - image",
        "image_url": url,
        "thumbnail_url": f"{stem}_thumbnail.{ext}" if dot else url,
        "credit": None,
        "license": {"id": 1, "name": "Unknown", "priority": 9, "link": None},
        "single_use": True,
        "variants": [],
    }


def _kind(value: Any) -> Event | None:
    """``agency.type``: 2.2.0 has a string, 2.3.0 an AgencyType ``{id, name}``."""
    if isinstance(value, str):
        return {"id": AGENCY_TYPES.get(value, 6), "name": value}
    return cast(Event, value) if isinstance(value, dict) else None


class V230Builder:
    """Turns 2.2.0 records into 2.3.0 ones, one shared dict per record like a database.

    ``events`` (2.2.0) are read once to know each flight's first docking, from which its
    launch time is estimated (the two events of a relocated Soyuz share one launch).
    """

    def __init__(self, events: Iterable[Mapping[str, Any]] = ()) -> None:
        self.first_docking: dict[str, int] = {}
        for event in events:
            launch_id = event.get("launch_id")
            when = event_time(event, "docking")
            if isinstance(launch_id, str) and when is not None:
                known = self.first_docking.get(launch_id)
                self.first_docking[launch_id] = int(when if known is None else min(known, when))
        self._memo: dict[tuple[Any, ...], Any] = {}

    def _once(self, key: tuple[Any, ...], make: Callable[[], Any]) -> Any:
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = make()
            return value

    # -- agencies, configs, families -------------------------------------------------
    def agency(self, source: Mapping[str, Any] | None) -> Event | None:
        """AgencyMini from a 2.2.0 agency (any shape)."""
        if not isinstance(source, Mapping):
            return None
        ident = source.get("id")

        def make() -> Event:
            row = agency_brief(ident) if isinstance(ident, int) else None
            return {
                "response_mode": "list",
                "id": ident,
                "url": url230("agencies", str(ident)),
                "name": source.get("name"),
                "abbrev": source.get("abbrev") or (row[2] if row else ""),
                "type": _kind(source.get("type")),
            }

        return cast(Event, self._once(("agency", ident), make))

    def agency_by_id(self, ident: int) -> Event | None:
        row = agency_brief(ident)
        if row is None:
            return None
        return self.agency({"id": ident, "name": row[0], "type": row[1], "abbrev": row[2]})

    def agency_normal(self, ident: int) -> Event | None:
        """AgencyNormal (the payload of a detailed payload-flight chaser names its makers so)."""

        def make() -> Event | None:
            mini = self.agency_by_id(ident)
            if mini is None:
                return None
            row = AGENCIES.get(ident)
            codes = cast(AgencyBrief, agency_brief(ident)).country
            country = []
            for code in (c.strip() for c in codes.split(",")):
                known = COUNTRIES.get(code)
                if known is not None:
                    cid, name, alpha2, nationality = known
                    country.append(
                        {
                            "id": cid,
                            "name": name,
                            "alpha_2_code": alpha2,
                            "alpha_3_code": code,
                            "nationality_name": nationality,
                            "nationality_name_composed": nationality,
                        }
                    )
            slug = str(mini["abbrev"]).lower() or str(ident)
            name = str(mini["name"])
            return {
                **mini,
                "response_mode": "normal",
                "featured": ident in (63, 121, 44, 17),
                "country": country,
                "description": row[9] if row else None,
                "administrator": (row[5] or None) if row else None,
                "founding_year": int(row[4]) if row and row[4].isdigit() else None,
                "launchers": row[6] if row else "",
                "spacecraft": row[7] if row else "",
                "parent": row[8] if row else None,
                "image": image_object(name, f"{MEDIA}/images/{slug}_image.jpg"),
                "logo": image_object(name, f"{MEDIA}/logo/{slug}_logo.png") if row else None,
                "social_logo": None,
            }

        return cast("Event | None", self._once(("agency_normal", ident), make))

    def families(self, config_id: Any) -> list[Event] | None:
        family_id = FAMILY_OF.get(config_id) if isinstance(config_id, int) else None
        if family_id is None:
            return None
        name, maker, maiden = FAMILIES[family_id]

        def make() -> list[Event]:
            return [
                {
                    "response_mode": "normal",
                    "id": family_id,
                    "name": name,
                    "description": f"The {name} family of spacecraft.",
                    "manufacturer": self.agency_by_id(maker),
                    "parent": None,
                    "maiden_flight": maiden,
                }
            ]

        return cast("list[Event]", self._once(("family", family_id), make))

    def config(self, source: Mapping[str, Any] | None) -> Event | None:
        """SpacecraftConfigNormal from a 2.2.0 ``spacecraft_config`` (list or detailed)."""
        if not isinstance(source, Mapping):
            return None
        ident = source.get("id")

        def make() -> Event:
            name = str(source.get("name"))
            return {
                "response_mode": "normal",
                "id": ident,
                "url": url230("spacecraft_configurations", str(ident)),
                "name": source.get("name"),
                "type": source.get("type"),
                "agency": self.agency(source.get("agency")),
                "family": self.families(ident),
                "in_use": source.get("in_use"),
                "image": image_object(name, source.get("image_url")),
            }

        return cast(Event, self._once(("config", ident), make))

    # -- spacecraft, stations, launches, flights -------------------------------------
    def craft(self, source: Mapping[str, Any] | None) -> Event | None:
        """SpacecraftNormal from a 2.2.0 ``spacecraft``. Single-use vehicles get no image
        (``image: null``, as most do in the live API), reusable ones an image and a
        ``fastest_turnaround``."""
        if not isinstance(source, Mapping):
            return None
        ident = source.get("id")

        def make() -> Event:
            name = str(source.get("name"))
            status = source.get("status")
            single = not isinstance(status, dict) or status.get("name") == "Single Use"
            flights = source.get("flights_count")
            turnaround = None
            if isinstance(flights, int) and flights > 1 and isinstance(ident, int):
                turnaround = iso_duration((45 + ident % 120) * DAY + (ident * 7919) % DAY)
            image = None if single else image_object(name, f"{MEDIA}/images/{slug(name)}_image.jpg")
            return {
                "response_mode": "normal",
                "id": ident,
                "url": url230("spacecraft", str(ident)),
                "name": source.get("name"),
                "serial_number": source.get("serial_number"),
                "is_placeholder": source.get("is_placeholder", False),
                "image": image,
                "in_space": source.get("in_space"),
                "time_in_space": source.get("time_in_space"),
                "time_docked": source.get("time_docked"),
                "flights_count": flights,
                "mission_ends_count": source.get("mission_ends_count"),
                "status": status,
                "description": source.get("description"),
                "spacecraft_config": self.config(source.get("spacecraft_config")),
                "fastest_turnaround": turnaround,
            }

        return cast(Event, self._once(("craft", ident), make))

    def station(self, ident: Any, name: Any, image_url: Any, *, detailed: bool) -> Event:
        """SpaceStationMini (or SpaceStationNormal when ``detailed``)."""

        def make() -> Event:
            mini: Event = {
                "id": ident,
                "url": url230("space_stations", str(ident)),
                "name": name,
                "image": image_object(str(name), image_url if isinstance(image_url, str) else None),
            }
            if not detailed:
                return mini
            founded, gone, type_id, type_name = STATION_FACTS.get(
                ident, ("1970-01-01", None, 2, "Government")
            )
            return {
                **mini,
                "status": {"id": 2, "name": "De-Orbited"} if gone else {"id": 1, "name": "Active"},
                "founded": founded,
                "deorbited": gone,
                "description": f"{name} is a space station in low Earth orbit.",
                "orbit": "Low Earth Orbit",
                "type": {"id": type_id, "name": type_name},
            }

        return cast(Event, self._once(("station", ident, detailed), make))

    def launch(
        self,
        ident: str,
        name: str,
        net: int | None,
        rocket: str,
        provider: int,
        mission: str,
        *,
        detailed: bool,
    ) -> Event:
        """LaunchMini ``{id, url, name}``, or LaunchNormal when ``detailed``."""

        def make() -> Event:
            mini: Event = {"id": ident, "url": url230("launches", ident), "name": name}
            if not detailed:
                return mini
            rocket_id, family, variant = ROCKETS.get(rocket, (0, rocket, ""))
            when = iso(net) if net is not None else None
            seed = int(ident.replace("-", "")[:6], 16) if re.match(r"^[0-9a-f]{6}", ident) else 0
            mission_name = name.partition(" | ")[2] or name
            return {
                **mini,
                "response_mode": "normal",
                "slug": slug(name),
                "launch_designator": None,
                "status": _SUCCESS,
                "last_updated": iso(NOW_TS - (seed % 400) * DAY),
                "net": when,
                "net_precision": _MINUTE if net is not None else None,
                "window_end": when,
                "window_start": when,
                "image": None,
                "infographic": None,
                "probability": None,
                "weather_concerns": None,
                "failreason": "",
                "hashtag": None,
                "launch_service_provider": self.agency_by_id(provider),
                "rocket": {
                    "id": 5000 + seed % 5000,
                    "configuration": {
                        "response_mode": "list",
                        "id": rocket_id,
                        "url": url230("launcher_configurations", rocket_id),
                        "name": rocket,
                        "families": [{"response_mode": "list", "id": rocket_id, "name": family}],
                        "full_name": rocket,
                        "variant": variant,
                    },
                },
                "mission": {
                    "id": 7000 + seed % 5000,
                    "name": mission_name,
                    "type": mission,
                    "description": f"{mission_name}: {mission.lower()} mission.",
                    "image": None,
                    "orbit": {
                        "id": 8,
                        "name": "Low Earth Orbit",
                        "abbrev": "LEO",
                        "celestial_body": {"response_mode": "list", "id": 1, "name": "Earth"},
                    },
                    "agencies": [],
                    "info_urls": [],
                    "vid_urls": [],
                },
                "pad": None,
                "webcast_live": False,
                "program": [],
                "orbital_launch_attempt_count": None,
                "location_launch_attempt_count": None,
                "pad_launch_attempt_count": None,
                "agency_launch_attempt_count": None,
                "orbital_launch_attempt_count_year": None,
                "location_launch_attempt_count_year": None,
                "pad_launch_attempt_count_year": None,
                "agency_launch_attempt_count_year": None,
            }

        return cast(Event, self._once(("launch", ident, detailed), make))

    def flight_launch(
        self, flight: Mapping[str, Any], launch_id: Any, first: int | None, *, detailed: bool
    ) -> tuple[Event | None, int | None]:
        """The launch of a 2.2.0 flight (its event's ``launch_id``) and its time, both made
        up from the vehicle unless the flight is one of the real sample."""
        if not isinstance(launch_id, str):
            return None, None
        craft = flight.get("spacecraft") if isinstance(flight.get("spacecraft"), dict) else {}
        config = craft.get("spacecraft_config") if isinstance(craft, dict) else None
        config_id = config.get("id") if isinstance(config, dict) else None
        rocket, provider, lead, mission = LAUNCH_OF.get(
            config_id if isinstance(config_id, int) else -1, ("Soyuz", 66, 24.0, "Resupply")
        )
        real = REAL_LAUNCHES.get(flight.get("id", -1))
        net: int | None = None
        if real is not None:
            name, net = real[0], int(cast(float, parse_time(real[1])))
        else:
            name = f"{rocket} | {craft.get('name') if isinstance(craft, dict) else 'Unknown'}"
            first = self.first_docking.get(launch_id, first)
            net = None if first is None else first - int(lead * HOUR)
            if net is not None:
                net -= net % 60
        launch = self.launch(launch_id, name, net, rocket, provider, mission, detailed=detailed)
        return launch, net

    def flight(
        self,
        source: Mapping[str, Any] | None,
        launch_id: Any,
        first: int | None,
        *,
        detailed: bool,
    ) -> Event | None:
        """SpacecraftFlightMini (SpacecraftFlightNormal when ``detailed``) from a 2.2.0
        ``flight_vehicle``: the event's ``launch_id`` becomes a ``launch`` object."""
        if not isinstance(source, Mapping):
            return None
        ident = source.get("id")

        def make() -> Event:
            launch, net = self.flight_launch(source, launch_id, first, detailed=detailed)
            return self.flight_from(
                ident,
                self.craft(cast("Mapping[str, Any] | None", source.get("spacecraft"))),
                launch,
                net,
                source.get("destination"),
                source.get("mission_end"),
                detailed=detailed,
            )

        return cast(Event, self._once(("flight", ident, launch_id, detailed), make))

    @staticmethod
    def flight_from(
        ident: Any,
        craft: Event | None,
        launch: Event | None,
        net: int | None,
        destination: Any,
        mission_end: Any,
        *,
        detailed: bool,
    ) -> Event:
        duration = None
        end = parse_time(mission_end) if isinstance(mission_end, str) else None
        if net is not None and end is not None:
            duration = iso_duration(int(end) - net)
        out: Event = {
            "id": ident,
            "url": url230("spacecraft_flights", str(ident)),
            "destination": destination,
            "mission_end": mission_end,
            "spacecraft": craft,
            "launch": launch,
            "landing": None,
            "duration": duration,
            "turn_around_time": None,
        }
        if detailed:
            out["response_mode"] = "normal"
        return out

    def location(self, source: Mapping[str, Any] | None) -> Event | None:
        """DockingLocation ``{id, name, spacestation, spacecraft, payload}`` of a station port."""
        if not isinstance(source, Mapping):
            return None
        ident = source.get("id")

        def make() -> Event:
            station = source.get("spacestation")
            mini = None
            if isinstance(station, dict):
                sid = station.get("id")
                image = STATIONS.get(sid, ("", "", None))[2] if isinstance(sid, int) else None
                mini = self.station(sid, station.get("name"), image, detailed=False)
            return {
                "id": ident,
                "name": source.get("name"),
                "spacestation": mini,
                "spacecraft": None,
                "payload": None,
            }

        return cast(Event, self._once(("location", ident), make))

    # -- events ----------------------------------------------------------------------
    def event(self, source: Mapping[str, Any], *, detailed: bool) -> Event:
        first = event_time(source, "docking")
        flight = source.get("flight_vehicle")
        location = source.get("docking_location")
        target = None
        station_ref = location.get("spacestation") if isinstance(location, dict) else None
        station = source.get("space_station")
        if isinstance(station_ref, dict) or isinstance(station, dict):
            ref = station_ref if isinstance(station_ref, dict) else cast(Event, station)
            sid = ref.get("id")
            image = station.get("image_url") if isinstance(station, dict) else None
            if image is None and isinstance(sid, int):
                image = STATIONS.get(sid, ("", "", None))[2]
            target = self.station(sid, ref.get("name"), image, detailed=False)
        ident = source.get("id")
        return {
            "id": ident,
            "url": url230("docking_events", str(ident)),
            "docking": source.get("docking"),
            "departure": source.get("departure"),
            "docking_location": self.location(
                cast("Mapping[str, Any] | None", location) if isinstance(location, dict) else None
            ),
            "space_station_target": target,
            "flight_vehicle_target": None,
            "payload_flight_target": None,
            "response_mode": "detailed" if detailed else "normal",
            "flight_vehicle_chaser": self.flight(
                flight if isinstance(flight, dict) else None,
                source.get("launch_id"),
                None if first is None else int(first),
                detailed=detailed,
            ),
            "space_station_chaser": None,
            "payload_flight_chaser": None,
        }


def to_v230(event_220_detailed: Mapping[str, Any], detailed: bool = False) -> Event:
    """A 2.2.0 event (list or detailed shape) as the 2.3.0 API would answer it.

    ``flight_vehicle`` becomes ``flight_vehicle_chaser`` (with a ``launch`` object for the
    event's ``launch_id``), the station ``space_station_target``; the other four sides are
    null. ``detailed`` gives DockingEventEndpointDetailed: only the chaser grows (its
    ``launch`` becomes a LaunchNormal), as the schema says. Ids are kept.
    """
    return V230Builder([event_220_detailed]).event(event_220_detailed, detailed=detailed)


def convert_v230(events: Iterable[Mapping[str, Any]], *, detailed: bool) -> list[Event]:
    """Many 2.2.0 events at once: nested records are shared between the results."""
    events = list(events)
    builder = V230Builder(events)
    return [builder.event(event, detailed=detailed) for event in events]


def by_docking(events: list[Event]) -> list[Event]:
    """Stable sort by docking time (events without one last)."""
    return sorted(events, key=lambda e: (event_time(e, "docking") is None, e.get("docking")))


def real_events_v230(detailed: bool = True) -> list[Event]:
    """The 10 real events of the sample as 2.3.0 events (with their real launches)."""
    return convert_v230(real_events(), detailed=detailed)


def to_v230_normal(event: Mapping[str, Any]) -> Event:
    """The default (``mode=normal``) view of a stored detailed 2.3.0 event, as new dicts:
    the chaser side shrinks back (launch -> LaunchMini, station -> SpaceStationMini,
    payload flight -> PayloadFlightMini); the target side and the location stay."""
    out: Event = dict(event)
    if "response_mode" in out:
        out["response_mode"] = "normal"
    flight = event.get("flight_vehicle_chaser")
    if isinstance(flight, dict):
        out["flight_vehicle_chaser"] = {
            k: _launch_mini(v) if k == "launch" else v
            for k, v in flight.items()
            if k != "response_mode"
        }
    station = event.get("space_station_chaser")
    if isinstance(station, dict):
        out["space_station_chaser"] = {
            k: station[k] for k in ("id", "url", "name", "image") if k in station
        }
    payload_flight = event.get("payload_flight_chaser")
    if isinstance(payload_flight, dict):
        shrunk: Event = {}
        for key, value in payload_flight.items():
            if key == "response_mode":
                value = "list"
            elif key == "launch":
                value = _launch_mini(value)
            elif key == "payload" and isinstance(value, dict):
                value = _payload_mini(value)
            shrunk[key] = value
        out["payload_flight_chaser"] = shrunk
    return out


def _launch_mini(launch: Any) -> Any:
    if not isinstance(launch, dict):
        return launch
    return {k: launch[k] for k in ("id", "url", "name") if k in launch}


def _agency_mini(agency: Any) -> Any:
    if not isinstance(agency, dict):
        return agency
    keys = ("response_mode", "id", "url", "name", "abbrev", "type")
    out = {k: agency[k] for k in keys if k in agency}
    out["response_mode"] = "list"
    return out


def _payload_mini(payload: Mapping[str, Any]) -> Event:
    keys = ("response_mode", "id", "name", "type", "manufacturer", "operator", "image")
    out: Event = {k: payload[k] for k in keys if k in payload}
    out["response_mode"] = "list"
    for key in ("manufacturer", "operator"):
        if key in out:
            out[key] = _agency_mini(out[key])
    return out


# --------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------
