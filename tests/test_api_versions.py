"""2.2.0, 2.3.0 and 2.4.0 end to end against the loopback server: the same events, the full
configuration and agency records within the request budget, and a 2.2.0 cache that moves
to 2.3.0 without losing anything."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from dockview.api import DEFAULT_API_URL, LL2Client
from dockview.cli import EXIT_OK, main
from dockview.lookup_records import LookupRecords
from dockview.lookups import LOOKUP_STATE
from dockview.query import EventQuery
from dockview.store import Store
from dockview.sync import run_sync
from ll2_loopback import LL2TestServer, generate_events, non_station_events_v230, real_events

VERSIONS = ("2.2.0", "2.3.0", "2.4.0")
#: The free tier's budget for one sync of ~560 events, and for an incremental one.
FULL_BUDGET = 9
INCREMENTAL_BUDGET = 2


def base_url(server: LL2TestServer, version: str) -> str:
    return {
        "2.2.0": server.base_url,
        "2.3.0": server.base_url_v230,
        "2.4.0": server.base_url_v240,
    }[version]


def counted(server: LL2TestServer) -> int:
    """Requests that spend the hourly budget, as the server counted them."""
    return len(server.event_requests)


@pytest.fixture
def station_server() -> Any:
    """560 generated + 10 real events; 2.3.0 and 2.4.0 without the station-less extras, so
    every version holds the same dockings."""
    server = LL2TestServer(generate_events(560, seed=1) + real_events(), v230_extras=False)
    with server.start():
        yield server


def sync(store: Store, url: str) -> Any:
    with LL2Client(url) as client:
        return run_sync(store, client)


def table(store: Store) -> dict[int, tuple[Any, ...]]:
    """What the window's table shows of each event, by id (the version column left out)."""
    return {row[0]: row for row in store.table_rows()}


def marks_and_history(store: Store) -> dict[int, tuple[Any, ...]]:
    sql = "SELECT id, first_seen_at, changed_at, gone_upstream_at FROM docking_events"
    return {row[0]: row for row in store.conn.execute(sql)}


def test_the_default_is_2_3_0() -> None:
    assert DEFAULT_API_URL == "https://ll.thespacedevs.com/2.3.0"


def test_every_version_stores_the_same_events_within_the_budget(
    station_server: LL2TestServer, tmp_path: Path
) -> None:
    tables = {}
    for version in VERSIONS:
        before = counted(station_server)
        with Store(tmp_path / f"{version}.db") as store:
            result = sync(store, base_url(station_server, version))
            assert result.complete and result.lookup_failure is None
            first = counted(station_server) - before
            assert first == result.requests <= FULL_BUDGET
            again = sync(store, base_url(station_server, version))
            assert counted(station_server) - before - first == again.requests
            assert again.requests <= INCREMENTAL_BUDGET
            tables[version] = table(store)
            if version != "2.2.0":  # every config and agency the events name, in full
                assert LookupRecords(store).missing_ids("configs") == []
                assert LookupRecords(store).missing_ids("agencies") == []
                counts = LookupRecords(store).summary()
                assert counts["configs"][0] > 0 and counts["agencies"][0] > 0
    assert len(tables["2.2.0"]) == 570
    assert tables["2.2.0"] == tables["2.3.0"] == tables["2.4.0"]


def test_a_new_docking_costs_one_request_and_an_unseen_configuration_one_more(
    tmp_path: Path,
) -> None:
    server = LL2TestServer(generate_events(120, seed=3), v230_extras=False).start()
    try:
        with Store(tmp_path / "c.db") as store:
            sync(store, server.base_url_v230)
            # A Soyuz 7K-OK docking after the newest one: its config came with the one page
            # of configurations, so only the events are asked for.
            kosmos = dict(non_station_events_v230(True)[0], docking="2026-01-25T00:00:00Z")
            server.add_event_v230(kosmos)
            before = counted(server)
            result = sync(store, server.base_url_v230)
            assert result.written.new_ids == [kosmos["id"]]
            assert counted(server) - before == result.requests == 1
            # A config the cache has no record of (upstream added it since): one more.
            with store.conn:
                store.conn.execute("DELETE FROM spacecraft_configs WHERE id = 900201")
            soyuz_4 = dict(non_station_events_v230(True)[1], docking="2026-01-26T00:00:00Z")
            server.add_event_v230(soyuz_4)
            before = counted(server)
            result = sync(store, server.base_url_v230)
            assert result.written.new_ids == [soyuz_4["id"]]
            assert counted(server) - before == result.requests == INCREMENTAL_BUDGET
            record = LookupRecords(store).record("configs", 900_201)
            assert record is not None and record["name"] == "Soyuz 7K-OK"
    finally:
        server.stop()


@pytest.mark.parametrize("status", [503, 429])
def test_a_failed_lookup_never_fails_the_sync_and_the_next_one_fetches(
    station_server: LL2TestServer, tmp_path: Path, status: int
) -> None:
    station_server.lookup_failure = status
    with Store(tmp_path / "c.db") as store:
        result = sync(store, station_server.base_url_v230)
        assert result.complete and store.event_count() == 570
        assert result.lookup_failure is not None
        assert "details were not fetched this time; the next sync tries again" in (result.summary())
        assert LookupRecords(store).summary()["configs"] == (0, None)
        station_server.lookup_failure = None
        again = sync(store, station_server.base_url_v230)
        assert again.lookup_failure is None
        assert LookupRecords(store).missing_ids("configs") == []
        assert LookupRecords(store).missing_ids("agencies") == []


def test_an_id_that_never_resolves_is_asked_for_once_a_day(tmp_path: Path) -> None:
    stray = copy.deepcopy(real_events()[0])
    stray["id"] = 777_001
    stray["flight_vehicle"]["id"] = 777_002
    craft = stray["flight_vehicle"]["spacecraft"]
    craft["id"] = 777_003
    craft["spacecraft_config"]["id"] = 999_999  # no such record upstream
    server = LL2TestServer([*real_events(), stray], v230_extras=False).start()
    try:
        with Store(tmp_path / "c.db") as store:
            sync(store, server.base_url_v230)
            asked = [r for r in server.lookup_requests if r.path.endswith("/999999/")]
            assert len(asked) == 1
            sync(store, server.base_url_v230)
            sync(store, server.base_url_v230)
            assert len([r for r in server.lookup_requests if r.path.endswith("/999999/")]) == 1
            yesterday = "2000-01-01T00:00:00Z"  # any time before today's request
            assert LookupRecords(store).missing_ids("configs", not_asked_since=yesterday) == []
            assert LookupRecords(store).missing_ids("configs") == [999_999]  # still missing
    finally:
        server.stop()


def test_lookups_are_refreshed_weekly_one_table_per_incremental_sync(
    station_server: LL2TestServer, tmp_path: Path
) -> None:
    with Store(tmp_path / "c.db") as store:
        sync(store, station_server.base_url_v230)
        week_old = {"configs": "2020-01-01T00:00:00Z", "agencies": "2020-01-02T00:00:00Z"}
        store.set_state(LOOKUP_STATE, week_old)
        before = len(station_server.lookup_requests)
        result = sync(store, station_server.base_url_v230)
        asked = station_server.lookup_requests[before:]
        assert [r.path for r in asked] == ["/2.3.0/spacecraft_configurations/"]
        assert result.requests == INCREMENTAL_BUDGET
        result = sync(store, station_server.base_url_v230)
        assert [r.path for r in station_server.lookup_requests[before + 1 :]] == [
            "/2.3.0/agencies/"
        ]
        result = sync(store, station_server.base_url_v230)
        assert result.requests == 1 and len(station_server.lookup_requests) == before + 2


def test_lookup_records_keep_unknown_fields_whole(store: Store) -> None:
    record = {"id": 6, "name": "Crew Dragon 2", "type": {"id": 2, "name": "Capsule"}}
    record["new_in_2_5"] = {"nested": [1, 2, {"deep": None}]}
    LookupRecords(store).write("configs", [record])
    assert LookupRecords(store).record("configs", 6) == record


def test_a_2_2_0_cache_moves_to_2_3_0_and_keeps_marks_history_and_first_seen(
    station_server: LL2TestServer, tmp_path: Path
) -> None:
    with Store(tmp_path / "c.db") as store:
        sync(store, station_server.base_url)
        open_event = next(e for e in station_server.events if e["departure"] is None)
        departed = dict(open_event, departure="2026-01-19T10:00:00Z")
        station_server.remove_event(open_event["id"])
        station_server.add_event(departed)
        assert sync(store, station_server.base_url).written.changed_ids == [open_event["id"]]
        gone = station_server.events[5]["id"]
        station_server.remove_event(gone)
        with LL2Client(station_server.base_url) as client:
            assert run_sync(store, client, full=True).gone_ids == [gone]
        before = marks_and_history(store)

        result = sync(store, station_server.base_url_v230)  # the next sync, on 2.3.0

        assert result.complete and result.written.changed_ids == [] and result.written.new_ids == []
        assert marks_and_history(store) == before
        listed = EventQuery(include_gone=False)
        assert store.event_api_versions(listed) == ["2.3.0"]  # every listed event, in 2.3.0's shape
        assert before[gone][3] is not None


def test_2_4_0_nulls_are_stored_and_exported(
    station_server: LL2TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = copy.deepcopy(station_server.events_v230[0])
    bare.update(id=888_001, docking_location=None, flight_vehicle_chaser=None)
    bare["space_station_target"] = None
    station_server.add_event_v230(bare)
    db = str(tmp_path / "c.db")
    common = ["--db", db, "--api-url", station_server.base_url_v240]
    assert main([*common, "sync"]) == EXIT_OK
    out_file = tmp_path / "out.json"
    assert main([*common, "export", "--id", "888001", "-o", str(out_file)]) == EXIT_OK
    exported = json.loads(out_file.read_text(encoding="utf-8"))
    assert exported["source"]["api_version"] == "2.4.0"
    (event,) = exported["results"]
    assert event["docking_location"] is None and event["flight_vehicle_chaser"] is None
    capsys.readouterr()


def test_info_names_the_version_and_the_lookup_tables(
    station_server: LL2TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--db", str(tmp_path / "c.db"), "--api-url", station_server.base_url_v230]
    assert main([*common, "sync"]) == EXIT_OK
    capsys.readouterr()
    assert main([*common, "info"]) == EXIT_OK
    lines = capsys.readouterr().out.splitlines()
    assert "API version:      2.3.0 (recommended)" in lines
    configs = next(line for line in lines if line.startswith("Configurations:"))
    assert configs.startswith("Configurations:   26 full records, fetched 20")
    assert configs.endswith("(0 h ago)")
    assert any(line.startswith("Agencies:         11 full records, fetched ") for line in lines)


def test_a_chosen_2_2_0_is_kept_with_a_note_said_once(
    ll2_server: LL2TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["--db", str(tmp_path / "c.db"), "--api-url", ll2_server.base_url]
    assert main([*common, "sync"]) == EXIT_OK
    first = capsys.readouterr().err
    assert "lists version 2.2.0 as unsupported" in first
    assert "dockview keeps using 2.2.0 because it was chosen" in first
    assert main([*common, "sync"]) == EXIT_OK
    assert "unsupported" not in capsys.readouterr().err
    assert {r.path for r in ll2_server.event_requests} == {"/2.2.0/docking_event/"}
