"""The cache's schema history, applied by sqlite-utils migrations in order.

Each step is what it did to the caches of its day and stays exactly so: a cache made by any
earlier dockview must end with the same tables as a new one. Today's columns, and the SQL and
rows derived from them, are in ``dockview/store_schema.py``; a test checks that the two agree.
A new column is a new step here and an entry there.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

APP_NAME = "dockview"
SCHEMA_VERSION = 3

migrations = Migrations("dockview")


@migrations()
def m001_initial(db: Database) -> None:
    db.execute(
        """
        CREATE TABLE dockview_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)
        """
    )
    db.execute(
        """
        CREATE TABLE docking_events (
            id INTEGER PRIMARY KEY,
            api_version TEXT NOT NULL,
            source_url TEXT,
            docking TEXT NOT NULL,
            docking_ts REAL NOT NULL,
            departure TEXT,
            departure_ts REAL,
            launch_id TEXT,
            flight_vehicle_id INTEGER,
            spacecraft_id INTEGER,
            spacecraft_name TEXT,
            serial_number TEXT,
            config_id INTEGER,
            config_name TEXT,
            config_type TEXT,
            agency_id INTEGER,
            agency_name TEXT,
            station_id INTEGER,
            station_name TEXT,
            location_id INTEGER,
            location_name TEXT,
            raw_json TEXT NOT NULL,
            fetched_at TEXT NOT NULL,
            first_seen_at TEXT NOT NULL,
            changed_at TEXT,
            gone_upstream_at TEXT,
            is_sample INTEGER NOT NULL DEFAULT 0,
            seen_in_run TEXT
        )
        """
    )
    # Only the indexes reads need often (order, a port's dockings); every index costs each
    # insert, and the other filters scan 50,000 rows in milliseconds.
    for column in ("docking_ts", "location_id"):
        db.execute(f"CREATE INDEX idx_docking_events_{column} ON docking_events ({column})")
    db.execute(
        "CREATE TABLE space_stations (id INTEGER PRIMARY KEY, name TEXT, image_url TEXT,"
        " raw_json TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE docking_locations (id INTEGER PRIMARY KEY, name TEXT,"
        " station_id INTEGER, raw_json TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE agencies (id INTEGER PRIMARY KEY, name TEXT, type TEXT, abbrev TEXT,"
        " country_code TEXT, raw_json TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE spacecraft_configs (id INTEGER PRIMARY KEY, name TEXT, type TEXT,"
        " agency_id INTEGER, raw_json TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE spacecraft (id INTEGER PRIMARY KEY, name TEXT, serial_number TEXT,"
        " config_id INTEGER, status TEXT, is_placeholder INTEGER, in_space INTEGER,"
        " flights_count INTEGER, mission_ends_count INTEGER, time_in_space_s REAL,"
        " time_docked_s REAL, description TEXT)"
    )
    db.execute(
        "CREATE TABLE flight_vehicles (id INTEGER PRIMARY KEY, spacecraft_id INTEGER,"
        " destination TEXT, mission_end TEXT)"
    )
    db.execute(
        "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT)"
    )
    db.execute(
        "INSERT INTO dockview_meta (key, value) VALUES ('app', ?), ('schema_version', ?)",
        [APP_NAME, str(SCHEMA_VERSION)],
    )


@migrations()
def m002_chaser_and_target(db: Database) -> None:
    """2.3.0 names both sides of a docking; 2.2.0 events get them too (spacecraft → station)."""
    for column in ("chaser_kind", "chaser_name", "target_kind", "target_id", "target_name"):
        kind = "INTEGER" if column == "target_id" else "TEXT"
        db.execute(f"ALTER TABLE docking_events ADD COLUMN {column} {kind}")
    db.execute(
        "UPDATE docking_events SET chaser_kind = 'spacecraft', chaser_name = spacecraft_name,"
        " target_kind = CASE WHEN station_id IS NULL THEN NULL ELSE 'station' END,"
        " target_id = station_id, target_name = station_name"
    )
    db.execute("UPDATE dockview_meta SET value = '2' WHERE key = 'schema_version'")


@migrations()
def m003_fetched_lookups(db: Database) -> None:
    """2.3.0 and 2.4.0 events carry only a short configuration and agency; the full records
    come from their own endpoints (``dockview/lookup_records.py``). ``fetched_at`` marks such a
    record, and ``lookup_misses`` remembers ids that were asked for and did not resolve."""
    for table in ("agencies", "spacecraft_configs"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN fetched_at TEXT")
    db.execute(
        "CREATE TABLE lookup_misses (kind TEXT NOT NULL, id INTEGER NOT NULL,"
        " asked_at TEXT NOT NULL, PRIMARY KEY (kind, id))"
    )
    db.execute("UPDATE dockview_meta SET value = '3' WHERE key = 'schema_version'")
