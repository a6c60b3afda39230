"""The dockings without a station that only 2.3.0 (and later) holds; 2.2.0 never shows them.

Vehicles are given in the 2.2.0 shape and go through the same builder as everything else;
everything of theirs has ids from 900_000 upward.
"""

from __future__ import annotations

import uuid
from typing import cast

from ll2_loopback.catalogue import (
    MEDIA,
    STATIONS,
    STATUS,
    X_CONFIGS,
    X_EVENTS,
    X_FLIGHTS,
    X_LOCATIONS,
    X_PAYLOADS,
    AgencyBrief,
    Event,
    LaunchSpec,
    agency_brief,
    parse_time,
    url230,
)
from ll2_loopback.v230 import V230Builder, image_object, slug

#: Ids of the non-station dockings (see :func:`non_station_events_v230`).
NON_STATION_IDS = tuple(sorted(X_EVENTS))


def _x_config(ident: int) -> Event:
    config = X_CONFIGS[ident]
    agency = cast(AgencyBrief, agency_brief(config.agency))
    return {
        "id": ident,
        "name": config.name,
        "type": {"id": config.type_id, "name": config.type_name},
        "agency": {
            "id": config.agency,
            "name": agency.name,
            "type": agency.type,
            "abbrev": agency.abbrev,
        },
        "in_use": ident == 900_205,
        "image_url": f"{MEDIA}/images/{slug(config.name)}_image.jpg",
    }


def _x_launch(builder: V230Builder, spec: LaunchSpec, detailed: bool) -> tuple[Event, int]:
    name, net, rocket, provider, mission = spec
    ident = str(uuid.uuid5(uuid.NAMESPACE_URL, url230("launches", name)))
    when = int(cast(float, parse_time(net)))
    return builder.launch(ident, name, when, rocket, provider, mission, detailed=detailed), when


def _x_flight(builder: V230Builder, ident: int, detailed: bool) -> Event:
    flight = X_FLIGHTS[ident]
    craft = builder.craft(
        {
            "id": flight.spacecraft_id,
            "name": flight.name,
            "serial_number": flight.serial,
            "is_placeholder": False,
            "in_space": flight.in_space,
            "time_in_space": flight.time_in_space,
            "time_docked": flight.time_docked,
            "flights_count": 1,
            "mission_ends_count": 0 if flight.in_space else 1,
            "status": {"id": flight.status, "name": STATUS[flight.status]},
            "description": f"{flight.name}, a {X_CONFIGS[flight.config].name} spacecraft.",
            "spacecraft_config": _x_config(flight.config),
        }
    )
    return builder.flight_from(
        ident,
        craft,
        *_x_launch(builder, flight.launch, detailed),
        flight.destination,
        flight.mission_end,
        detailed=detailed,
    )


def _x_payload(builder: V230Builder, flight_id: int, *, detailed: bool) -> Event:
    """A payload (PayloadMini or, ``detailed``, PayloadNormal) of a payload flight."""
    row = X_PAYLOADS[flight_id]
    ident, name, maker, operator = row.payload_id, row.name, row.manufacturer, row.operator

    def make() -> Event:
        mini: Event = {
            "response_mode": "normal" if detailed else "list",
            "id": ident,
            "name": name,
            "type": {"id": row.type_id, "name": row.type_name},
            "manufacturer": builder.agency_by_id(maker),
            "operator": builder.agency_by_id(operator),
            "image": image_object(name, f"{MEDIA}/images/{slug(name)}_image.jpg")
            if ident != 900_502
            else None,
        }
        if not detailed:
            return mini
        return {
            **mini,
            "manufacturer": builder.agency_normal(maker),
            "operator": builder.agency_normal(operator),
            "wiki_link": "https://en.wikipedia.org/wiki/" + name.split(" (")[0].replace(" ", "_"),
            "info_link": "",
            "program": [],
            "cost": None,
            "mass": row.mass,
            "description": f"{name}, {row.type_name.lower()}.",
        }

    return cast(Event, builder._once(("payload", ident, detailed), make))


def _x_payload_flight(builder: V230Builder, ident: int, *, detailed: bool) -> Event:
    """PayloadFlightMini, or PayloadFlightNormal when ``detailed``."""
    row = X_PAYLOADS[ident]
    return {
        "response_mode": "normal" if detailed else "list",
        "id": ident,
        "url": url230("payload_flights", ident),
        "destination": row.destination,
        "amount": 1,
        "payload": _x_payload(builder, ident, detailed=detailed),
        "launch": _x_launch(builder, row.launch, detailed)[0],
        "landing": None,
    }


def _x_location(builder: V230Builder, ident: int) -> Event:
    name, station, config, payload_flight = X_LOCATIONS[ident]
    return {
        "id": ident,
        "name": name,
        "spacestation": None
        if station is None
        else builder.station(station, STATIONS[station][0], STATIONS[station][2], detailed=False),
        "spacecraft": None if config is None else builder.config(_x_config(config)),
        "payload": None
        if payload_flight is None
        else _x_payload(builder, payload_flight, detailed=False),
    }


def _non_station(builder: V230Builder, *, detailed: bool) -> list[Event]:
    out: list[Event] = []
    for ident, row in X_EVENTS.items():
        sides: Event = {}
        for role, kind, ref, grow in (
            ("chaser", row.chaser_kind, row.chaser, detailed),
            ("target", row.target_kind, row.target, False),
        ):
            if kind == "flight":
                sides[f"flight_vehicle_{role}"] = _x_flight(builder, ref, grow)
            elif kind == "payload":
                sides[f"payload_flight_{role}"] = _x_payload_flight(builder, ref, detailed=grow)
            else:
                name, _dest, image = STATIONS[ref]
                sides[f"space_station_{role}"] = builder.station(ref, name, image, detailed=grow)
        out.append(
            {
                "id": ident,
                "url": url230("docking_events", ident),
                "docking": row.docking,
                "departure": row.departure,
                "docking_location": _x_location(builder, row.location),
                "space_station_target": sides.get("space_station_target"),
                "flight_vehicle_target": sides.get("flight_vehicle_target"),
                "payload_flight_target": sides.get("payload_flight_target"),
                "response_mode": "detailed" if detailed else "normal",
                "flight_vehicle_chaser": sides.get("flight_vehicle_chaser"),
                "space_station_chaser": sides.get("space_station_chaser"),
                "payload_flight_chaser": sides.get("payload_flight_chaser"),
            }
        )
    return out


def non_station_events_v230(detailed: bool = True) -> list[Event]:
    """The 2.3.0-only dockings (ids NON_STATION_IDS), in docking order.

    900001 Kosmos 186 -> Kosmos 188 and 900002 Soyuz 4 -> Soyuz 5 (free-flying spacecraft),
    900003 Apollo 11 LM Eagle -> CSM Columbia, 900004 Apollo (ASTP) -> Soyuz 19: all with
    ``flight_vehicle_target`` and a location whose ``spacecraft`` is the target's config.
    900005 MEV-1 -> Intelsat 901 and 900006 MEV-2 -> Intelsat 10-02 (still docked): a
    ``payload_flight_target`` and a location with ``payload``. 900007 Nauka -> ISS (still
    docked): a ``payload_flight_chaser`` and ``space_station_target``, no
    ``flight_vehicle_chaser`` at all.
    """
    return _non_station(V230Builder(), detailed=detailed)
