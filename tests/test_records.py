"""records.py on the 10 real seed events and on every data quirk Launch Library 2 is known to
send (nested objects null or missing, numbers sent as strings, durations, placeholder flags,
events without an id or a docking time)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from dockview.records import parse_event, parse_events
from dockview.timefmt import format_duration, format_stay, parse_duration_seconds


def by_id(events: list[dict[str, Any]], event_id: int) -> dict[str, Any]:
    return copy.deepcopy(next(e for e in events if e["id"] == event_id))


def test_every_seed_event_becomes_a_record(seed_events: list[dict[str, Any]]) -> None:
    records, rejected = parse_events(seed_events)
    assert rejected == []
    assert [r.id for r in records] == [568, 569, 529, 528, 563, 566, 570, 572, 619, 620]


def test_crew_dragon_endeavour_reads_as_the_api_says(seed_events: list[dict[str, Any]]) -> None:
    event = parse_event(by_id(seed_events, 568))
    assert event.docking == datetime(2024, 5, 2, 13, 46, tzinfo=UTC)
    assert event.departure == datetime(2024, 10, 23, 21, 5, tzinfo=UTC)
    assert event.launch_id == "2f101902-03dd-4b23-8546-d25ea514b36f"
    craft = event.spacecraft
    assert craft is not None
    assert (craft.name, craft.serial_number, craft.status) == (
        "Crew Dragon Endeavour",
        "C206",
        "Active",
    )
    assert craft.time_in_space_s == 868 * 86400 + 14 * 3600 + 14 * 60 + 29
    assert craft.time_docked_s == 858 * 86400 + 15 * 3600 + 30 * 60 + 4
    assert (craft.flights_count, craft.mission_ends_count, craft.is_placeholder) == (6, 6, False)
    assert event.config is not None and event.config.name == "Crew Dragon 2"
    assert event.config.type == "Capsule"
    assert event.agency is not None and (event.agency.name, event.agency.type) == (
        "SpaceX",
        "Commercial",
    )
    assert event.location is not None and event.location.name == "Harmony zenith"
    assert event.station is not None and event.station.name == "International Space Station"
    assert event.flight_vehicle is not None
    assert event.flight_vehicle.mission_end == datetime(2024, 10, 25, 7, 29, 2, tzinfo=UTC)
    assert event.docked_seconds() == (event.departure - event.docking).total_seconds()


def test_raw_object_is_kept_exactly(seed_events: list[dict[str, Any]]) -> None:
    original = by_id(seed_events, 572)
    event = parse_event(copy.deepcopy(original))
    assert event.raw == original


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("P213DT6H20M", 213 * 86400 + 6 * 3600 + 20 * 60),
        ("P191DT12H40M", 191 * 86400 + 12 * 3600 + 40 * 60),
        ("P868DT14H14M29S", 868 * 86400 + 14 * 3600 + 14 * 60 + 29),
        ("PT45S", 45),
        ("P3D", 3 * 86400),
        ("", None),
        ("213 days", None),
        (None, None),
        (12, None),
    ],
)
def test_durations_leave_out_zero_parts(text: object, seconds: float | None) -> None:
    assert parse_duration_seconds(text) == seconds


def test_a_vehicle_still_docked_counts_up_to_now(seed_events: list[dict[str, Any]]) -> None:
    raw = by_id(seed_events, 620)
    raw["departure"] = None
    raw["flight_vehicle"]["mission_end"] = None
    raw["flight_vehicle"]["spacecraft"]["in_space"] = True
    raw["flight_vehicle"]["spacecraft"]["mission_ends_count"] = 0
    event = parse_event(raw)
    assert event.docked_now
    now = datetime(2025, 4, 18, 8, 57, 43, tzinfo=UTC)
    assert event.docked_seconds(now) == 10 * 86400
    assert event.flight_vehicle is not None and event.flight_vehicle.mission_end is None
    assert event.spacecraft is not None and event.spacecraft.in_space is True
    assert event.spacecraft.mission_ends_count == 0


def test_null_serial_and_typographic_quotes_survive(seed_events: list[dict[str, Any]]) -> None:
    event = parse_event(by_id(seed_events, 572))
    assert event.spacecraft is not None
    assert event.spacecraft.serial_number is None
    assert event.spacecraft.name == "Cygnus CRS NG-21 (S.S. Francis R. \u201cDick\u201d Scobee)"


def test_placeholder_flag_is_read(seed_events: list[dict[str, Any]]) -> None:
    raw = by_id(seed_events, 569)
    raw["flight_vehicle"]["spacecraft"]["is_placeholder"] = True
    event = parse_event(raw)
    assert event.spacecraft is not None and event.spacecraft.is_placeholder is True


@pytest.mark.parametrize(
    "path",
    [
        ("flight_vehicle",),
        ("flight_vehicle", "spacecraft"),
        ("flight_vehicle", "spacecraft", "spacecraft_config"),
        ("flight_vehicle", "spacecraft", "spacecraft_config", "agency"),
        ("flight_vehicle", "spacecraft", "status"),
        ("docking_location",),
        ("docking_location", "spacestation"),
    ],
)
@pytest.mark.parametrize("how", ["null", "missing", "wrong type"])
def test_any_nested_object_may_be_null_or_missing(
    seed_events: list[dict[str, Any]], path: tuple[str, ...], how: str
) -> None:
    raw = by_id(seed_events, 563)
    parent = raw
    for key in path[:-1]:
        parent = parent[key]
    if how == "null":
        parent[path[-1]] = None
    elif how == "missing":
        del parent[path[-1]]
    else:
        parent[path[-1]] = ["not", "an", "object"]
    event = parse_event(raw)
    assert event.id == 563
    assert event.docking == datetime(2024, 2, 17, 6, 6, tzinfo=UTC)


def test_events_without_id_or_docking_are_rejected_and_the_page_is_kept(
    seed_events: list[dict[str, Any]],
) -> None:
    page = copy.deepcopy(seed_events)
    del page[1]["id"]
    page[2]["docking"] = None
    page[3]["docking"] = "yesterday"
    page[4] = "not an object"
    records, rejected = parse_events(page)
    assert len(records) == 6
    assert [(r.index, r.event_id, r.reason) for r in rejected] == [
        (1, None, "no id"),
        (2, 529, "no valid docking time"),
        (3, 528, "no valid docking time"),
        (4, None, "not a JSON object"),
    ]


def test_numbers_sent_as_strings_are_read(seed_events: list[dict[str, Any]]) -> None:
    raw = by_id(seed_events, 566)
    raw["id"] = "566"
    raw["flight_vehicle"]["spacecraft"]["flights_count"] = "4"
    event = parse_event(raw)
    assert event.id == 566
    assert event.spacecraft is not None and event.spacecraft.flights_count == 4


def test_detailed_mode_station_and_config_are_read(seed_events: list[dict[str, Any]]) -> None:
    raw = by_id(seed_events, 620)
    raw["space_station"] = {
        "id": 4,
        "url": "u",
        "name": "International Space Station",
        "image_url": "https://example.org/iss.jpg",
    }
    config = raw["flight_vehicle"]["spacecraft"]["spacecraft_config"]
    config.update(
        {"crew_capacity": 3, "human_rated": True, "height": "7.48", "maiden_flight": "2016-07-07"}
    )
    config["agency"].update({"abbrev": "RFSA", "country_code": "RUS", "founding_year": "1992"})
    event = parse_event(raw)
    assert event.station is not None and event.station.image_url == "https://example.org/iss.jpg"
    assert event.config is not None
    assert (event.config.crew_capacity, event.config.human_rated, event.config.height) == (
        3,
        True,
        7.48,
    )
    assert event.agency is not None and (event.agency.abbrev, event.agency.founding_year) == (
        "RFSA",
        "1992",
    )


def test_durations_read_as_a_person_writes_them() -> None:
    assert format_duration(868 * 86400 + 14 * 3600 + 14 * 60 + 29) == "868 d 14 h 14 min"
    assert format_duration(3 * 86400) == "3 d"
    assert format_duration(59) == "0 min"
    assert format_duration(None) == ""
    assert format_stay(163 * 86400 + 1 * 3600 + 25 * 60) == "163 d 1 h"
    assert format_stay(5 * 3600 + 7 * 60) == "5 h 7 min"
