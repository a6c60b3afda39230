"""Data checks on constructed events: each kind, its edge cases, and the cache read for it."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dockview.checks import (
    CheckedEvent,
    CheckReport,
    Facts,
    Issue,
    IssueKind,
    check_cache,
    check_events,
)
from dockview.cli import main
from dockview.records import parse_events
from dockview.store import Store

DAY = 86400.0


def ts(text: str) -> float:
    return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC).timestamp()


NOW = ts("2026-01-01")


def event(event_id: int, docked: str, departed: str | None, **fields: Any) -> CheckedEvent:
    fields.setdefault("location_id", 100 + event_id)  # a port of its own unless told
    fields.setdefault("flight_vehicle_id", 1000 + event_id)
    fields.setdefault("spacecraft_name", f"Vehicle {event_id}")
    return CheckedEvent(
        id=event_id,
        docking_ts=ts(docked),
        departure_ts=ts(departed) if departed else None,
        **fields,
    )


def kinds(
    events: list[CheckedEvent], facts: Facts | None = None
) -> list[tuple[str, tuple[int, ...]]]:
    return [(str(i.kind), i.event_ids) for i in check_events(events, NOW, facts).issues]


def test_clean_events_have_no_issue() -> None:
    events = [
        event(1, "2020-01-01", "2020-03-01", location_id=1, station_id=4),
        event(2, "2020-03-01", "2020-06-01", location_id=1, station_id=4),
    ]
    assert kinds(events, Facts(port_station={1: 4})) == []


def test_port_overlap_is_one_issue_per_overlapping_pair() -> None:
    events = [
        event(1, "2020-01-01", "2020-06-01", location_id=7),
        event(2, "2020-02-01", "2020-03-01", location_id=7),
        event(3, "2020-05-01", "2020-07-01", location_id=7),
        event(4, "2020-07-01", "2020-08-01", location_id=7),  # begins as 3 ends: no overlap
    ]
    assert kinds(events) == [("port_overlap", (1, 2)), ("port_overlap", (1, 3))]


def test_an_open_stay_overlaps_the_stays_that_came_after_it_on_its_port() -> None:
    events = [
        event(1, "2025-10-01", None, location_id=7),
        event(2, "2025-11-01", "2025-11-20", location_id=7),
        event(3, "2020-01-01", "2020-12-01", location_id=8),
    ]
    assert kinds(events) == [("port_overlap", (1, 2))]


def test_same_flight_at_two_ports_at_once() -> None:
    # As Soyuz T-15 in the 2.1.0 list: one flight, two ports, the same second; no stations.
    events = [
        event(9, "1986-03-15", "1986-05-05", flight_vehicle_id=273, location_id=5),
        event(223, "1986-03-15", "1986-05-05", flight_vehicle_id=273, location_id=31),
    ]
    report = check_events(events, NOW)
    assert [(i.kind, i.event_ids) for i in report.issues] == [
        (IssueKind.SAME_FLIGHT_TWICE, (9, 223))
    ]
    assert "Vehicle 9" in report.issues[0].message


def test_a_relocation_is_not_the_same_flight_twice() -> None:
    events = [
        event(1, "2021-01-01", "2021-02-01", flight_vehicle_id=42, location_id=1),
        event(2, "2021-02-01", "2021-05-01", flight_vehicle_id=42, location_id=2),
        event(3, "2021-05-02", "2021-06-01", flight_vehicle_id=42, location_id=1),
    ]
    assert kinds(events) == []


def test_departure_before_docking_and_it_overlaps_nothing() -> None:
    events = [
        event(1, "2020-05-01", "2020-04-01", location_id=7),
        event(2, "2020-04-15", "2020-06-01", location_id=7),
    ]
    assert kinds(events) == [("departure_before_docking", (1,))]


def test_mission_end_before_departure() -> None:
    events = [event(1, "2020-01-01", "2020-03-01"), event(2, "2020-01-01", "2020-03-01")]
    # Flight 1002's mission ends the moment it departs: fine.
    ends = Facts(mission_end={1001: ts("2020-02-28"), 1002: ts("2020-03-01")})
    assert kinds(events, ends) == [("mission_end_before_departure", (1,))]


def test_docking_in_the_future() -> None:
    events = [event(1, "2026-03-01", None), event(2, "2025-12-31", None)]
    assert kinds(events) == [("docking_in_future", (1,))]


def test_stale_when_the_spacecraft_is_no_longer_in_space_or_its_mission_ended() -> None:
    events = [event(n, "2025-12-01", None, spacecraft_id=n) for n in (1, 2, 3, 4)]
    facts = Facts(
        not_in_space={1},
        mission_end={1002: ts("2025-12-20"), 1003: ts("2026-02-01")},
    )  # nothing known of 4: not doubtful
    report = check_events(events, NOW, facts)
    assert [(i.kind, i.event_ids) for i in report.issues] == [
        (IssueKind.STALE_OPEN_DOCKING, (1,)),
        (IssueKind.STALE_OPEN_DOCKING, (2,)),
    ]
    assert "no longer in space" in report.issues[0].message
    assert "mission ended 2025-12-20" in report.issues[1].message


def test_stale_when_docked_longer_than_any_finished_stay_of_its_configuration() -> None:
    progress = {"config_name": "Progress"}
    events = [
        event(1, "2020-01-01", "2020-07-19", spacecraft_id=1, **progress),  # 200 days: longest
        event(2, "2025-07-01", None, spacecraft_id=2, **progress),  # 184 days so far: within
        event(3, "2020-02-01", None, spacecraft_id=3, **progress),  # six years: longer
        event(4, "2015-01-01", "2016-01-01", config_name="Soyuz"),  # another config's stay
    ]
    report = check_events(events, NOW)
    assert [(i.kind, i.event_ids) for i in report.issues] == [(IssueKind.STALE_OPEN_DOCKING, (3,))]
    assert "longer than any Progress ever stayed (200 days)" in report.issues[0].message


def test_a_configuration_with_no_finished_stay_is_held_to_any_vehicle() -> None:
    events = [
        event(1, "2020-01-01", "2020-11-26", config_name="A"),  # 330 days, the longest of all
        event(2, "2025-03-01", None, config_name="B"),  # 306 days: within
        event(3, "2024-12-01", None, config_name="C"),  # 396 days: longer than any vehicle
    ]
    report = check_events(events, NOW)
    assert [i.event_ids for i in report.issues] == [(3,)]
    assert "longer than any vehicle ever stayed" in report.issues[0].message


def test_a_module_or_payload_that_docked_is_named_as_the_table_names_it() -> None:
    # 2.3.0: Nauka docked as a payload flight, with no spacecraft record of its own.
    events = [
        event(1, "2020-01-01", "2020-11-26"),
        event(2, "2021-07-29", None, spacecraft_name=None, chaser="Nauka"),
    ]
    [issue] = check_events(events, NOW).issues
    assert issue.message.startswith("Nauka at ")


def test_station_mismatch_and_events_without_a_station_are_left_out_of_it_only() -> None:
    events = [
        event(1, "2020-01-01", "2020-02-01", location_id=7, station_id=4),
        # 2.1.0 names no station anywhere: no mismatch, but its port and flight are checked.
        event(2, "2020-01-01", "2020-03-01", location_id=7, flight_vehicle_id=50),
        event(3, "2020-01-15", "2020-02-15", location_id=8, flight_vehicle_id=50),
        event(4, "2021-01-01", "2021-02-01", location_id=9, station_id=4),  # port: no station
        event(5, "2021-01-01", "2021-02-01", location_id=7, station_id=18),  # as its port
    ]
    facts = Facts(port_station={7: 18}, station_names={18: "Tiangong"})
    report = check_events(events, NOW, facts)
    assert report.issues[-1].message.endswith("its port 7 belongs to Tiangong.")
    assert kinds(events, facts) == [
        ("port_overlap", (1, 2)),
        ("same_flight_twice", (2, 3)),
        ("station_mismatch", (1,)),
    ]


def test_involving_keeps_the_issues_of_the_events_a_filter_shows() -> None:
    events = [
        event(1, "2020-01-01", "2020-06-01", location_id=7),
        event(2, "2020-02-01", "2020-03-01", location_id=7),
        event(3, "2020-05-01", "2020-04-01"),
        event(4, "2020-02-15", "2020-02-20", location_id=7, gone=True),  # not listed: left out
    ]
    report = check_events(events, NOW)
    assert report.checked == 3
    shown = report.involving({2})
    assert shown.checked == 1
    assert [i.event_ids for i in shown.issues] == [(1, 2)]
    assert report.involving({4}).issues == ()


def test_involving_finds_an_issue_by_any_of_its_events_however_many_it_has() -> None:
    pairs = (
        Issue(IssueKind.PORT_OVERLAP, (1, 2), ""),
        Issue(IssueKind.MISSION_END_BEFORE_DEPARTURE, (3,), ""),
    )
    triple = Issue(IssueKind.SAME_FLIGHT_TWICE, (4, 5, 6), "")
    for issues in (pairs, (*pairs, triple)):
        report = CheckReport(checked=6, issues=issues)
        for shown in ({1}, {2}, {3}, {5}, {2, 3, 6}, set()):
            found = [issue for issue in issues if shown & set(issue.event_ids)]
            assert list(report.involving(shown).issues) == found


# -- through the cache -------------------------------------------------------------------------


def _store_events(db: Path, raw_events: list[dict[str, Any]], version: str | None = None) -> None:
    with Store(db) as store:
        events, rejected = parse_events(raw_events, version)
        assert not rejected
        store.write_page(events, source_url="https://ll.thespacedevs.com/2.2.0")


def test_the_cache_gives_in_space_mission_end_and_the_port_station(
    tmp_path: Path, seed_events: list[dict[str, Any]]
) -> None:
    endurance = copy.deepcopy(next(e for e in seed_events if e["id"] == 619))
    endurance["departure"] = None  # as the 2.3.0 record still says
    mismatch = copy.deepcopy(next(e for e in seed_events if e["id"] == 569))  # Tiangong port
    mismatch["id"] = 9569
    mismatch["space_station"] = {"id": 4, "name": "International Space Station"}
    _store_events(tmp_path / "c.db", [endurance, mismatch])
    with Store(tmp_path / "c.db") as store:
        report = check_cache(store.conn, NOW)
    assert [(i.kind, i.event_ids) for i in report.issues] == [
        (IssueKind.STALE_OPEN_DOCKING, (619,)),
        (IssueKind.STATION_MISMATCH, (9569,)),
    ]
    assert "no longer in space" in report.issues[0].message
    assert "its mission ended 2025-08-09" in report.issues[0].message


def test_cli_check_json_on_a_fresh_cache_with_the_bundled_sample_reports_no_issue(
    tmp_path: Path, capsys: Any
) -> None:
    assert main(["check", "--json", "--db", str(tmp_path / "fresh.db")]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document == {"checked": 10, "issues": []}


def test_cli_check_prints_each_problem_with_its_events_and_exits_0(
    tmp_path: Path, seed_events: list[dict[str, Any]], capsys: Any
) -> None:
    # 2.1.0-shaped: no station anywhere, the same flight at two ports.
    first = copy.deepcopy(next(e for e in seed_events if e["id"] == 620))
    for raw in (first,):
        raw["docking_location"].pop("spacestation", None)
    second = copy.deepcopy(first)
    second["id"] = 9620
    second["docking_location"] = {"id": 5, "name": "Core forward"}
    db = tmp_path / "c.db"
    _store_events(db, [first, second], "2.1.0")
    assert main(["check", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "Checked 2 events: 1 issue." in out
    assert "Same flight twice (1)" in out
    assert "620 " in out and "9620 " in out and "Core forward" in out
    assert main(["check", "--json", "--db", str(db), "--port", "5"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["checked"] == 1
    assert [(i["kind"], i["event_ids"]) for i in document["issues"]] == [
        ("same_flight_twice", [620, 9620])
    ]
