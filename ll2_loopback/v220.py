"""The 2.2.0 shapes: detailed records from the catalogue, and the list-mode reduction.

2.2.0 events are the ones the generator makes and the server stores; ``mode=detailed``
serves them as stored, the default list mode reduces them with :func:`to_list_shape`.
Every ``url`` inside points at the real host (``https://ll.thespacedevs.com/2.2.0/...``)
exactly like the bundled sample, so a real event served here is byte-for-byte the record.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ll2_loopback.catalogue import (
    AGENCIES,
    CONFIGS,
    MEDIA,
    STATIONS,
    STATUS,
    Event,
    FleetVehicle,
    url220,
)

#: The 10 real 2.2.0 events bundled with dockview.
SAMPLE_PATH = Path(__file__).parent.parent / "resources" / "sample_events.json"


def agency_detailed(agency_id: int) -> Event:
    row = AGENCIES.get(agency_id)
    if row is None:
        return {
            "id": agency_id,
            "url": url220("agencies", agency_id),
            "name": f"Agency {agency_id}",
            "featured": False,
            "type": None,
            "country_code": "",
            "abbrev": "",
            "description": None,
            "administrator": None,
            "founding_year": None,
            "launchers": "",
            "spacecraft": "",
            "parent": None,
            "image_url": None,
            "logo_url": None,
        }
    name, kind, abbrev, country, founded, admin, launchers, craft, parent, text = row
    slug = abbrev.lower()
    return {
        "id": agency_id,
        "url": url220("agencies", agency_id),
        "name": name,
        "featured": agency_id in (63, 121, 44, 17),
        "type": kind,
        "country_code": country,
        "abbrev": abbrev,
        "description": text,
        "administrator": admin or None,
        "founding_year": founded,
        "launchers": launchers,
        "spacecraft": craft,
        "parent": parent,
        "image_url": f"{MEDIA}/images/{slug}_image.jpg",
        "logo_url": f"{MEDIA}/logo/{slug}_logo.png",
    }


def config_detailed(config_id: int) -> Event:
    """The full ``spacecraft_config`` of detailed mode (list fields first, like LL2)."""
    row = CONFIGS.get(config_id)
    if row is None:
        return {
            "id": config_id,
            "url": url220("config/spacecraft", config_id),
            "name": f"Spacecraft {config_id}",
            "type": {"id": 2, "name": "Capsule"},
            "agency": agency_detailed(0),
            "in_use": False,
            "capability": "",
            "history": "",
            "details": "",
            "maiden_flight": None,
            "height": None,
            "diameter": None,
            "human_rated": False,
            "crew_capacity": None,
            "payload_capacity": None,
            "flight_life": None,
            "image_url": None,
            "nation_url": None,
            "wiki_link": "",
            "info_link": "",
        }
    (
        name,
        type_id,
        type_name,
        agency_id,
        in_use,
        image,
        _reusable,
        human,
        crew,
        payload,
        maiden,
        height,
        diameter,
        life,
    ) = row
    wiki = "https://en.wikipedia.org/wiki/" + name.split(" ")[0]
    return {
        "id": config_id,
        "url": url220("config/spacecraft", config_id),
        "name": name,
        "type": {"id": type_id, "name": type_name},
        "agency": agency_detailed(agency_id),
        "in_use": in_use,
        "capability": ("Crew transport" if human else "Cargo resupply")
        + (", reusable" if _reusable else ""),
        "history": f"{name} first flew on {maiden}.",
        "details": f"The {name} ({type_name.lower()}) is operated by "
        f"{AGENCIES.get(agency_id, ('its operator',))[0]}.",
        "maiden_flight": maiden,
        "height": height,
        "diameter": diameter,
        "human_rated": human,
        "crew_capacity": crew,
        "payload_capacity": payload,
        "flight_life": life,
        "image_url": image,
        "nation_url": f"{MEDIA}/images/{config_id}_nation.jpg",
        "wiki_link": wiki,
        "info_link": f"https://www.thespacedevs.com/spacecraft/{config_id}",
    }


def fleet_vehicle(row: FleetVehicle, config: Event) -> Event:
    sc_id, _cfg, name, serial, in_space, in_space_for, docked_for, flights, ends, status = row[:10]
    return {
        "id": sc_id,
        "url": url220("spacecraft", sc_id),
        "name": name,
        "serial_number": serial,
        "is_placeholder": False,
        "in_space": in_space,
        "time_in_space": in_space_for,
        "time_docked": docked_for,
        "flights_count": flights,
        "mission_ends_count": ends,
        "status": {"id": status, "name": STATUS[status]},
        "description": row[12],
        "spacecraft_config": config,
    }


def station_detail(station_id: int) -> Event:
    name, _dest, image = STATIONS.get(station_id, (f"Station {station_id}", "", None))
    return {
        "id": station_id,
        "url": url220("spacestation", station_id),
        "name": name,
        "image_url": image,
    }


def to_detailed_shape(event: Mapping[str, Any]) -> Event:
    """A deep copy of a list-mode event grown into the detailed shape.

    Adds ``space_station`` and the detailed agency/config fields that are missing; every
    value already present is kept as it was (so reducing it again gives the input back).
    """
    out: Event = copy.deepcopy(dict(event))
    location = out.get("docking_location") or {}
    station = location.get("spacestation") if isinstance(location, dict) else None
    if "space_station" not in out and isinstance(station, dict):
        sid = station.get("id")
        detail = station_detail(sid) if isinstance(sid, int) else {}
        out["space_station"] = {
            "id": sid,
            "url": station.get("url"),
            "name": station.get("name"),
            "image_url": detail.get("image_url"),
        }
    flight = out.get("flight_vehicle") or {}
    craft = flight.get("spacecraft") if isinstance(flight, dict) else None
    config = craft.get("spacecraft_config") if isinstance(craft, dict) else None
    if isinstance(config, dict):
        extra = config_detailed(config.get("id", 0))
        agency = config.get("agency")
        if isinstance(agency, dict):
            extra_agency = agency_detailed(agency.get("id", 0))
            for key, value in extra_agency.items():
                agency.setdefault(key, value)
        for key, value in extra.items():
            config.setdefault(key, value)
    return out


def to_list_shape(event: Mapping[str, Any]) -> Event:
    """The default (list) mode view of a stored detailed event, as new dicts."""
    out: Event = {k: v for k, v in event.items() if k != "space_station"}
    flight = event.get("flight_vehicle")
    if not isinstance(flight, dict):
        return out
    craft = flight.get("spacecraft")
    if not isinstance(craft, dict):
        return out
    config = craft.get("spacecraft_config")
    if isinstance(config, dict):
        agency = config.get("agency")
        short: Event = {k: config[k] for k in ("id", "url", "name", "type") if k in config}
        if isinstance(agency, dict):
            short["agency"] = {k: agency[k] for k in ("id", "url", "name", "type") if k in agency}
        elif "agency" in config:
            short["agency"] = agency
        for key in ("in_use", "image_url"):
            if key in config:
                short[key] = config[key]
        craft = {**craft, "spacecraft_config": short}
    out["flight_vehicle"] = {**flight, "spacecraft": craft}
    return out


def real_events() -> list[Event]:
    """The 10 real events bundled with dockview, in detailed shape (fresh copies)."""
    with SAMPLE_PATH.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return [to_detailed_shape(event) for event in data["results"]]
