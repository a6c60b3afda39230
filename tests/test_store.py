"""The SQLite cache: whole pages, exact raw JSON, lookups, gone marking, unusable files."""

from __future__ import annotations

import copy
import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from sqlite_utils import Database

from dockview.errors import StoreError
from dockview.migrations import migrations
from dockview.query import EventQuery
from dockview.records import parse_events
from dockview.sample import seed_sample_if_empty
from dockview.store import TABLE_FIELDS, Store
from dockview.store_schema import EVENTS, LOOKUPS

SOURCE = "https://ll.example.org/2.2.0"


def rows(store: Store, sql: str, *params: object) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in store.conn.execute(sql, params).fetchall()]


def test_a_page_is_stored_with_flat_columns_and_exact_raw_json(
    store: Store, seed_events: list[dict[str, Any]]
) -> None:
    events, _ = parse_events(seed_events)
    result = store.write_page(events, source_url=SOURCE)
    assert (result.new, result.changed, result.unchanged) == (10, 0, 0)
    assert rows(
        store,
        "SELECT docking, departure, spacecraft_name, serial_number, config_name, config_type,"
        " agency_name, station_name, location_name FROM docking_events WHERE id = 563",
    ) == [
        (
            "2024-02-17T06:06:00Z",
            "2024-08-13T02:00:00Z",
            "Progress MS-26",
            "MS-26 (No.456)",
            "Progress-MS",
            "Cargo Resupply",
            "Russian Federal Space Agency (ROSCOSMOS)",
            "International Space Station",
            "Zvezda aft",
        )
    ]
    stored = {
        r[0]: json.loads(r[1]) for r in rows(store, "SELECT id, raw_json FROM docking_events")
    }
    assert stored == {e["id"]: e for e in seed_events}


def test_lookup_tables_hold_each_object_once(
    store: Store, seed_events: list[dict[str, Any]]
) -> None:
    events, _ = parse_events(seed_events)
    store.write_page(events, source_url=SOURCE)
    assert rows(store, "SELECT id, name FROM space_stations ORDER BY id") == [
        (4, "International Space Station"),
        (18, "Tiangong space station"),
    ]
    assert len(rows(store, "SELECT id FROM docking_locations")) == 8
    assert ("SpaceX", "Commercial") in rows(store, "SELECT name, type FROM agencies")
    assert (289, "Crew Dragon Endeavour", "C206") in rows(
        store, "SELECT id, name, serial_number FROM spacecraft"
    )
    assert len(rows(store, "SELECT id FROM flight_vehicles")) == 10


def test_writing_again_counts_changes_not_duplicates(
    store: Store, seed_events: list[dict[str, Any]]
) -> None:
    events, _ = parse_events(seed_events)
    store.write_page(events, source_url=SOURCE)
    changed = copy.deepcopy(seed_events)
    changed[0]["departure"] = "2024-10-24T00:00:00Z"
    again, _ = parse_events(changed)
    result = store.write_page(again, source_url=SOURCE)
    assert (result.new, result.changed, result.unchanged) == (0, 1, 9)
    assert store.event_count() == 10
    assert rows(store, "SELECT departure FROM docking_events WHERE id = ?", changed[0]["id"]) == [
        ("2024-10-24T00:00:00Z",)
    ]
    assert rows(store, "SELECT count(*) FROM docking_events WHERE changed_at IS NOT NULL") == [(1,)]


def test_a_failing_page_leaves_nothing_behind(
    store: Store, seed_events: list[dict[str, Any]]
) -> None:
    events, _ = parse_events(seed_events)
    with pytest.raises(TypeError):
        store.write_page(events, source_url=SOURCE, state={"cursor": object()})
    assert store.event_count() == 0
    assert store.get_state("cursor") is None


def test_sample_seeds_an_empty_cache_once_and_is_replaced(
    store: Store, seed_events: list[dict[str, Any]]
) -> None:
    assert seed_sample_if_empty(store) == 10
    assert seed_sample_if_empty(store) == 0
    assert store.summary()["sample"] == 10
    events, _ = parse_events(seed_events[:3])
    store.write_page(events, source_url=SOURCE, drop_sample=True)
    assert store.summary()["sample"] == 0
    assert store.event_count() == 3


def test_events_missing_from_a_full_pass_are_marked_gone_not_deleted(
    store: Store, seed_events: list[dict[str, Any]]
) -> None:
    events, _ = parse_events(seed_events)
    store.write_page(events, source_url=SOURCE, run_id="run1")
    store.write_page(events[:8], source_url=SOURCE, run_id="run2")
    assert len(store.mark_gone("run2")) == 2
    assert store.event_count() == 10
    assert store.event_count(include_gone=False) == 8
    assert len(list(store.iter_raw_events(EventQuery()))) == 10
    exported = [e["id"] for e in store.iter_raw_events(EventQuery(include_gone=False))]
    assert len(exported) == 8
    store.write_page(events[8:], source_url=SOURCE, run_id="run3")
    assert store.event_count(include_gone=False) == 10


def test_export_filters_mirror_the_api(store: Store, seed_events: list[dict[str, Any]]) -> None:
    open_event = copy.deepcopy(seed_events[0])
    open_event["departure"] = None
    events, _ = parse_events([open_event, *seed_events[1:]])
    store.write_page(events, source_url=SOURCE)

    def ids(**kwargs: Any) -> list[int]:
        return [e["id"] for e in store.iter_raw_events(EventQuery(**kwargs))]

    assert ids(station_id=18) == [529, 569]
    assert ids(location_id=30) == [566, 568]
    assert ids(flight_vehicle_id=776) == [568]
    assert ids(docked_now=True) == [568]
    assert ids(ids=(620, 528, 99999)) == [528, 620]


def test_the_cache_uses_wal_and_passes_integrity_check(store: Store) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.integrity_ok()


def test_random_bytes_are_moved_aside_and_a_fresh_cache_started(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"\x00garbage" * 1000)
    with Store(db_path) as store:
        assert store.moved_aside is not None and store.moved_aside.exists()
        assert store.moved_aside.read_bytes() == b"\x00garbage" * 1000
        assert "damaged" in (store.moved_aside_reason or "")
        assert store.event_count() == 0


def test_a_foreign_sqlite_file_is_moved_aside(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with Store(db_path) as store:
        assert store.moved_aside_reason == "it is not a dockview cache"
        assert store.moved_aside is not None
        assert "invoices" in str(
            sqlite3.connect(store.moved_aside).execute("SELECT name FROM sqlite_master").fetchall()
        )


def test_a_newer_schema_is_moved_aside(db_path: Path) -> None:
    with Store(db_path) as store:
        store.conn.execute("UPDATE dockview_meta SET value = '99' WHERE key = 'schema_version'")
        store.conn.commit()
    with Store(db_path) as store:
        assert store.moved_aside_reason == "it was written by a newer dockview"


def test_a_cache_folder_that_cannot_be_made_is_one_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="Cannot create the cache folder"):
        Store(blocker / "sub" / "dockview.db")


def test_a_version_1_cache_is_upgraded_in_place(
    db_path: Path, seed_events: list[dict[str, Any]]
) -> None:
    """A cache made before 2.3.0 support gains chaser and target columns, filled from what it
    already holds, and keeps every event."""
    db_path.parent.mkdir(parents=True)
    old = Database(db_path)
    migrations.apply(old, stop_before="m002_chaser_and_target")
    old.execute(
        "INSERT INTO docking_events (id, api_version, docking, docking_ts, spacecraft_name,"
        " station_id, station_name, raw_json, fetched_at, first_seen_at)"
        " VALUES (568, '2.2.0', '2024-05-02T13:46:00Z', 1714657560, 'Crew Dragon Endeavour',"
        " 4, 'International Space Station', ?, 'now', 'now')",
        [json.dumps(seed_events[0])],
    )
    old.conn.commit()
    old.close()
    with Store(db_path) as store:
        assert store.moved_aside is None
        assert rows(
            store,
            "SELECT chaser_kind, chaser_name, target_kind, target_id, target_name"
            " FROM docking_events",
        ) == [("spacecraft", "Crew Dragon Endeavour", "station", 4, "International Space Station")]
        assert rows(store, "SELECT value FROM dockview_meta WHERE key = 'schema_version'") == [
            ("3",)
        ]


def table_info(conn: sqlite3.Connection, table: str) -> list[tuple[Any, ...]]:
    """Name, type, NOT NULL, default and key of each column, in order."""
    return [tuple(row) for row in conn.execute(f"PRAGMA table_info({table})")]


@pytest.mark.parametrize("made", ["fresh", "upgraded from version 1"])
def test_the_tables_are_what_the_column_spec_says(db_path: Path, made: str) -> None:
    """The migrations (history) and the column spec (what the writes use) describe one schema,
    whether the cache is new or was made before 2.3.0 support."""
    if made != "fresh":
        db_path.parent.mkdir(parents=True)
        old = Database(db_path)
        migrations.apply(old, stop_before="m002_chaser_and_target")
        old.close()
    spec = sqlite3.connect(":memory:")
    tables = [EVENTS, *(lookup.table for lookup in LOOKUPS)]
    for table in tables:
        spec.execute(table.create_sql())
    with Store(db_path) as store:
        for table in tables:
            assert table_info(store.conn, table.name) == table_info(spec, table.name), table.name
    assert set(TABLE_FIELDS) <= set(EVENTS.names)


def test_a_failed_commit_is_rolled_back_and_the_next_write_goes_through(
    store: Store, seed_events: list[dict[str, Any]]
) -> None:
    """COMMIT itself can fail and leave the transaction open (here it is interrupted): the page
    must then be gone for this connection too, and the next write must not find a transaction
    still open."""
    events, _ = parse_events(seed_events)
    committing = {"now": False}

    def note_statement(sql: str) -> None:
        committing["now"] = sql.strip().upper() == "COMMIT"

    store.conn.set_trace_callback(note_statement)
    store.conn.set_progress_handler(lambda: 1 if committing["now"] else 0, 1)
    with pytest.raises(StoreError, match=r"^Could not write a page of events to the cache"):
        store.write_page(events, source_url=SOURCE, state={"cursor": 1})
    store.conn.set_progress_handler(None, 1)
    store.conn.set_trace_callback(None)

    assert not store.conn.in_transaction
    assert (store.event_count(), store.get_state("cursor")) == (0, None)
    result = store.write_page(events, source_url=SOURCE, state={"cursor": 1})
    assert (result.new, store.event_count(), store.get_state("cursor")) == (10, 10, 1)


def test_a_full_database_is_named_with_the_room_it_needs_and_keeps_nothing_half_written(
    store: Store, seed_events: list[dict[str, Any]]
) -> None:
    """SQLite's "database or disk is full" (what a full disk gives) becomes one sentence with
    the room there is and the room the cache needs; the page is wholly absent, and written
    once there is room."""
    events, _ = parse_events(seed_events)
    store.write_page(events[:2], source_url=SOURCE, state={"cursor": 2})
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(StoreError) as caught:
        store.write_page(events, source_url=SOURCE, state={"cursor": 10})
    message = str(caught.value)
    assert re.fullmatch(
        rf"Could not write a page of events to the cache {re.escape(str(store.path))}: the disk"
        r" may be full, with [\d.]+ [kMG]B free for a cache that needs about [\d.]+ MB; make"
        r" room and try again, as what is stored is kept and a sync goes on where it stopped\.",
        message,
    ), message
    assert (store.event_count(), store.get_state("cursor")) == (2, 2)
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    store.write_page(events, source_url=SOURCE, state={"cursor": 10})
    assert (store.event_count(), store.get_state("cursor")) == (10, 10)


def test_the_cache_says_whether_it_shows_the_sample(
    store: Store, seed_events: list[dict[str, Any]]
) -> None:
    events, _ = parse_events(seed_events)
    assert store.has_sample() is False  # empty
    assert seed_sample_if_empty(store) > 0
    assert store.has_sample() is True
    store.write_page(events, source_url="https://ll.thespacedevs.com/2.2.0", drop_sample=True)
    assert store.has_sample() is False  # the first sync dropped it
    with Store(store.path.parent / "other.db") as synced:
        synced.write_page(events, source_url="https://ll.thespacedevs.com/2.2.0")
        assert synced.has_sample() is False  # never held it
