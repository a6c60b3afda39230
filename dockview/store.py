"""The SQLite cache: one file a person can also open in Datasette or DB Browser.

Why it looks like this:
- ``docking_events`` holds one row per event with the flat columns the window shows (so the
  table loads without parsing JSON) and the raw object exactly as the API sent it (so export
  hands on what the API said and nothing we do not model is lost).
- Lookup tables (stations, ports, spacecraft, configs, agencies, flight vehicles) hold each
  nested object once, for the detail pane and for people querying the file.
- A page is written in one transaction together with the sync cursor, so a crash or a kill
  leaves whole pages and a cursor that matches them.
- WAL mode and a busy timeout let the window read while ``dockview sync`` writes.
- The schema is created and upgraded by sqlite-utils migrations; a file that is not ours, or
  is damaged, is moved aside (never deleted) and a fresh cache is started.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import platformdirs
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from dockview.errors import CacheBusy, StoreError
from dockview.records import DockingEvent, json_text

log = logging.getLogger(__name__)

APP_NAME = "dockview"
SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 5000

migrations = Migrations("dockview")

#: The columns of ``docking_events`` the window's table is built from, in this order.
TABLE_FIELDS = (
    "id",
    "docking_ts",
    "departure_ts",
    "spacecraft_id",
    "spacecraft_name",
    "serial_number",
    "config_type",
    "config_name",
    "agency_name",
    "station_id",
    "station_name",
    "location_id",
    "location_name",
    "flight_vehicle_id",
    "gone_upstream_at",
    "chaser_name",
    "target_kind",
    "target_name",
)


def default_db_path() -> Path:
    """Where the cache lives unless ``--db`` or ``DOCKVIEW_DB`` says otherwise."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / "dockview.db"


def utc_now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso(moment: datetime | None) -> str | None:
    """UTC as LL2 writes it (``2024-05-02T13:46:00Z``); isoformat is the fast formatter."""
    return moment.isoformat().replace("+00:00", "Z") if moment else None


def _ts(moment: datetime | None) -> float | None:
    return moment.timestamp() if moment else None


def _dump(obj: object) -> str:
    """Compact JSON, readable (non-ASCII as itself) and always storable. orjson refuses lone
    surrogates and integers past 64 bits; json_text takes those."""
    try:
        return orjson.dumps(obj).decode()
    except (orjson.JSONEncodeError, TypeError):
        return json_text(obj)


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


CHANGE_NEW = "new"
CHANGE_DEPARTED = "departed"
CHANGE_TIMES = "times"
CHANGE_DETAILS = "details"
CHANGE_GONE = "gone"


@dataclass(frozen=True)
class Change:
    """What one sync did to one event, with its times before and after (ISO UTC)."""

    event_id: int
    kind: str  # CHANGE_NEW, _DEPARTED (departure filled in), _TIMES, _DETAILS or _GONE
    docking_before: str | None
    departure_before: str | None
    docking_after: str | None
    departure_after: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "kind": self.kind,
            "docking_before": self.docking_before,
            "departure_before": self.departure_before,
            "docking_after": self.docking_after,
            "departure_after": self.departure_after,
        }

    @classmethod
    def from_json(cls, value: object) -> Change | None:
        if not isinstance(value, dict) or not isinstance(value.get("event_id"), int):
            return None
        text = {k: v if isinstance(v, str) else None for k, v in value.items()}
        return cls(
            event_id=value["event_id"],
            kind=text.get("kind") or CHANGE_DETAILS,
            docking_before=text.get("docking_before"),
            departure_before=text.get("departure_before"),
            docking_after=text.get("docking_after"),
            departure_after=text.get("departure_after"),
        )


def _change_kind(
    docking_before: str | None,
    departure_before: str | None,
    docking_after: str | None,
    departure_after: str | None,
) -> str:
    if departure_before is None and departure_after is not None:
        return CHANGE_DEPARTED
    if (docking_before, departure_before) != (docking_after, departure_after):
        return CHANGE_TIMES
    return CHANGE_DETAILS


@dataclass(frozen=True)
class UpsertResult:
    new_ids: tuple[int, ...]
    changed_ids: tuple[int, ...]
    unchanged: int
    changes: tuple[Change, ...] = ()

    @property
    def new(self) -> int:
        return len(self.new_ids)

    @property
    def changed(self) -> int:
        return len(self.changed_ids)

    @property
    def stored(self) -> int:
        return self.new + self.changed + self.unchanged


@dataclass(frozen=True)
class EventFilter:
    """The filters export and the window share; they mirror the API's own filter names."""

    ids: Sequence[int] | None = None
    station_id: int | None = None
    flight_vehicle_id: int | None = None
    location_id: int | None = None
    docked_now: bool = False
    include_gone: bool = False


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


@dataclass(frozen=True)
class FilterChoices:
    """What the window's filter lists offer, with counts; made by SQL (a few ms for 50,000
    events) rather than by Python over the rows, and in the sync worker after a sync."""

    stations: list[tuple[int, str, int]] = field(default_factory=list)  # busiest first
    ports: list[tuple[int, str, int | None, int]] = field(default_factory=list)  # by name
    spacecraft: list[tuple[int, str, int]] = field(default_factory=list)  # by name

    def ports_at(self, station_id: int | None) -> list[tuple[int, str, int]]:
        return [
            (port, name, count)
            for port, name, station, count in self.ports
            if station_id is None or station == station_id
        ]


class Store:
    """A dockview cache file. Open one per thread: SQLite connections do not cross threads."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        self.moved_aside: Path | None = None
        self.moved_aside_reason: str | None = None
        if not create and not self.path.exists():
            raise StoreError(f"There is no dockview cache at {self.path}.")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"Cannot create the cache folder {self.path.parent}: {exc}.") from exc
        try:
            self.db = self._open()
        except _ForeignCache as reason:
            self.moved_aside = self._move_aside(str(reason))
            self.db = self._open()

    # -- opening ------------------------------------------------------------------------------

    def _open(self) -> Database:
        try:
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot open the cache {self.path}: {exc}.") from exc
        db = Database(conn)
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            tables = set(db.table_names())
            # _sqlite_migrations alone is a cache whose creation another dockview is doing (or
            # a kill interrupted): the migrations finish it. Any other table means not ours.
            if tables - {"_sqlite_migrations", "sqlite_sequence"} and "dockview_meta" not in tables:
                raise _ForeignCache("it is not a dockview cache")
            if "dockview_meta" in tables:
                meta = dict(conn.execute("SELECT key, value FROM dockview_meta").fetchall())
                if meta.get("app") != APP_NAME:
                    raise _ForeignCache("it is not a dockview cache")
                if int(meta.get("schema_version", "0")) > SCHEMA_VERSION:
                    raise _ForeignCache("it was written by a newer dockview")
            _enable_wal(db)
            self._apply_migrations(db)
            conn.execute("PRAGMA synchronous = NORMAL")
            # Checkpoint (and fsync) every ~40 MB of WAL rather than every 4 MB: a full sync
            # writes about 150 MB, and each checkpoint's fsync costs more than its copying.
            conn.execute("PRAGMA wal_autocheckpoint = 10000")
        except _ForeignCache:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            if _is_locked(exc):
                raise CacheBusy(_busy_message(self.path)) from exc
            raise _ForeignCache(f"it is damaged ({exc})") from exc
        return db

    @staticmethod
    def _apply_migrations(db: Database) -> None:
        """Schema steps under a write lock taken up front, so two processes creating the same
        cache queue up (busy timeout) instead of one seeing the other's half-made schema."""
        if not migrations.pending(db):
            return
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            migrations.apply(db)  # its own atomic() blocks nest as savepoints
        except BaseException:
            if db.conn.in_transaction:
                db.conn.execute("ROLLBACK")
            raise
        db.conn.execute("COMMIT")

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """A write transaction that takes the write lock at BEGIN. A deferred transaction
        that reads first and writes later fails at once (SQLITE_BUSY, no waiting) when another
        process wrote in between; IMMEDIATE waits for the busy timeout instead."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def _move_aside(self, reason: str) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = self.path.with_name(f"{self.path.name}.unusable-{stamp}")
        counter = 1
        while target.exists():
            counter += 1
            target = self.path.with_name(f"{self.path.name}.unusable-{stamp}-{counter}")
        try:
            self.path.rename(target)
            for suffix in ("-wal", "-shm"):
                side = self.path.with_name(self.path.name + suffix)
                if side.exists():
                    side.rename(target.with_name(target.name + suffix))
        except OSError as exc:
            raise StoreError(
                f"The cache {self.path} cannot be used ({reason}) and could not be moved aside: "
                f"{exc.strerror or exc}."
            ) from exc
        log.warning("Moved unusable cache (%s) to %s", reason, target)
        self.moved_aside_reason = reason
        return target

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def conn(self) -> sqlite3.Connection:
        return self.db.conn

    # -- writing ------------------------------------------------------------------------------

    def write_page(
        self,
        events: Sequence[DockingEvent],
        *,
        source_url: str,
        run_id: str | None = None,
        state: Mapping[str, object] | None = None,
        drop_sample: bool = False,
        is_sample: bool = False,
    ) -> UpsertResult:
        """Upsert a page of events and, in the same transaction, the sync cursor in ``state``.

        A page is the unit of progress: either all of it and its cursor are stored, or none.
        """
        now = utc_now_iso()
        try:
            with self._writing():
                if drop_sample:
                    self.conn.execute("DELETE FROM docking_events WHERE is_sample = 1")
                result = self._upsert_events(events, source_url, run_id, now, is_sample)
                self._upsert_lookups(events)
                for key, value in (state or {}).items():
                    self._set_state(key, value, now)
        except sqlite3.Error as exc:
            raise _store_error(exc, self.path, "write a page of events to") from exc
        return result

    def seed_if_empty(
        self, events: Sequence[DockingEvent], *, source_url: str, note: object
    ) -> int:
        """Store the bundled sample, but only into a cache that has never held events or
        synced, decided inside the write transaction: two dockviews starting at once on a new
        cache, or one starting while another syncs, must not mark real events as sample."""
        now = utc_now_iso()
        try:
            with self._writing():
                has_events = self.conn.execute("SELECT 1 FROM docking_events LIMIT 1").fetchone()
                has_synced = self.conn.execute(
                    "SELECT 1 FROM sync_state WHERE key IN ('full_sync', 'sample')"
                ).fetchone()
                if has_events or has_synced:
                    return 0
                self._upsert_events(events, source_url, None, now, True)
                self._upsert_lookups(events)
                self._set_state("sample", note, now)
        except sqlite3.Error as exc:
            raise _store_error(exc, self.path, "write the bundled sample to") from exc
        return len(events)

    def _upsert_events(
        self,
        events: Sequence[DockingEvent],
        source_url: str,
        run_id: str | None,
        now: str,
        is_sample: bool,
    ) -> UpsertResult:
        unique = {event.id: event for event in events}
        existing: dict[int, tuple[str, int, str, str | None]] = {}
        ids = list(unique)
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(
                "SELECT id, raw_json, is_sample, docking, departure FROM docking_events"
                f" WHERE id IN ({marks})",
                chunk,
            ):
                existing[row[0]] = (row[1], row[2], row[3], row[4])
        new_ids: list[int] = []
        changed_ids: list[int] = []
        changes: list[Change] = []
        unchanged = 0
        rows = []
        for event in unique.values():
            raw_json = _dump(event.raw)
            before = existing.get(event.id)
            changed_at: str | None
            docking, departure = _iso(event.docking), _iso(event.departure)
            if before is None:
                new_ids.append(event.id)
                changes.append(Change(event.id, CHANGE_NEW, None, None, docking, departure))
                changed_at = None
            elif before[0] != raw_json and not before[1]:
                changed_ids.append(event.id)
                changes.append(
                    Change(
                        event.id,
                        _change_kind(before[2], before[3], docking, departure),
                        before[2],
                        before[3],
                        docking,
                        departure,
                    )
                )
                changed_at = now
            else:
                unchanged += 1
                changed_at = None
            rows.append(_event_row(event, raw_json, source_url, run_id, now, changed_at, is_sample))
        self.conn.executemany(
            """
            INSERT INTO docking_events (
                id, api_version, source_url, docking, docking_ts, departure, departure_ts,
                launch_id, flight_vehicle_id, spacecraft_id, spacecraft_name, serial_number,
                config_id, config_name, config_type, agency_id, agency_name, station_id,
                station_name, location_id, location_name, raw_json, fetched_at, first_seen_at,
                changed_at, gone_upstream_at, is_sample, seen_in_run,
                chaser_kind, chaser_name, target_kind, target_id, target_name
            ) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,NULL,?,?,?,?,?,?,?)
            ON CONFLICT(id) DO UPDATE SET
                api_version = excluded.api_version, source_url = excluded.source_url,
                docking = excluded.docking, docking_ts = excluded.docking_ts,
                departure = excluded.departure, departure_ts = excluded.departure_ts,
                launch_id = excluded.launch_id, flight_vehicle_id = excluded.flight_vehicle_id,
                spacecraft_id = excluded.spacecraft_id,
                spacecraft_name = excluded.spacecraft_name,
                serial_number = excluded.serial_number, config_id = excluded.config_id,
                config_name = excluded.config_name, config_type = excluded.config_type,
                agency_id = excluded.agency_id, agency_name = excluded.agency_name,
                station_id = excluded.station_id, station_name = excluded.station_name,
                location_id = excluded.location_id, location_name = excluded.location_name,
                raw_json = excluded.raw_json, fetched_at = excluded.fetched_at,
                changed_at = coalesce(excluded.changed_at, docking_events.changed_at),
                gone_upstream_at = NULL, is_sample = excluded.is_sample,
                seen_in_run = coalesce(excluded.seen_in_run, docking_events.seen_in_run),
                chaser_kind = excluded.chaser_kind, chaser_name = excluded.chaser_name,
                target_kind = excluded.target_kind, target_id = excluded.target_id,
                target_name = excluded.target_name
            """,
            rows,
        )
        return UpsertResult(
            new_ids=tuple(new_ids),
            changed_ids=tuple(changed_ids),
            unchanged=unchanged,
            changes=tuple(changes),
        )

    def _upsert_lookups(self, events: Iterable[DockingEvent]) -> None:
        stations: dict[int, tuple[Any, ...]] = {}
        locations: dict[int, tuple[Any, ...]] = {}
        agencies: dict[int, tuple[Any, ...]] = {}
        configs: dict[int, tuple[Any, ...]] = {}
        crafts: dict[int, tuple[Any, ...]] = {}
        vehicles: dict[int, tuple[Any, ...]] = {}
        for event in events:
            # Each nested object is written once a page, however many events share it.
            raw = event.raw
            raw_location = _sub(raw, "docking_location")
            raw_config = _sub(_sub(_sub(raw, "flight_vehicle"), "spacecraft"), "spacecraft_config")
            station = event.station
            if station is not None and station.id not in stations:
                raw_station = _sub(raw, "space_station") or _sub(raw_location, "spacestation")
                stations[station.id] = (
                    station.id,
                    station.name,
                    station.image_url,
                    _dump(raw_station),
                )
            location = event.location
            if location is not None and location.id not in locations:
                locations[location.id] = (
                    location.id,
                    location.name,
                    location.station.id if location.station else None,
                    _dump(raw_location),
                )
            agency = event.agency
            if agency is not None and agency.id not in agencies:
                agencies[agency.id] = (
                    agency.id,
                    agency.name,
                    agency.type,
                    agency.abbrev,
                    agency.country_code,
                    _dump(_sub(raw_config, "agency")),
                )
            config = event.config
            if config is not None and config.id not in configs:
                configs[config.id] = (
                    config.id,
                    config.name,
                    config.type,
                    config.agency.id if config.agency else None,
                    _dump(raw_config),
                )
            craft = event.spacecraft
            # Spacecraft and flight vehicles are one per event or nearly: their raw objects stay
            # inside the event's raw_json rather than being written twice.
            if craft is not None and craft.id not in crafts:
                crafts[craft.id] = (
                    craft.id,
                    craft.name,
                    craft.serial_number,
                    craft.config.id if craft.config else None,
                    craft.status,
                    craft.is_placeholder,
                    craft.in_space,
                    craft.flights_count,
                    craft.mission_ends_count,
                    craft.time_in_space_s,
                    craft.time_docked_s,
                    craft.description,
                )
            vehicle = event.flight_vehicle
            if vehicle is not None and vehicle.id not in vehicles:
                vehicles[vehicle.id] = (
                    vehicle.id,
                    craft.id if craft else None,
                    vehicle.destination,
                    _iso(vehicle.mission_end),
                )
        for table, columns, rows in (
            ("space_stations", "id, name, image_url, raw_json", stations),
            ("docking_locations", "id, name, station_id, raw_json", locations),
            ("agencies", "id, name, type, abbrev, country_code, raw_json", agencies),
            ("spacecraft_configs", "id, name, type, agency_id, raw_json", configs),
            (
                "spacecraft",
                "id, name, serial_number, config_id, status, is_placeholder, in_space,"
                " flights_count, mission_ends_count, time_in_space_s, time_docked_s, description",
                crafts,
            ),
            ("flight_vehicles", "id, spacecraft_id, destination, mission_end", vehicles),
        ):
            if not rows:
                continue
            names = [name.strip() for name in columns.split(",")]
            marks = ",".join("?" * len(names))
            updates = ", ".join(f"{name} = excluded.{name}" for name in names[1:])
            self.conn.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks}) "
                f"ON CONFLICT(id) DO UPDATE SET {updates}",
                list(rows.values()),
            )

    def mark_gone(self, run_id: str) -> list[int]:
        """After a complete full pass: events no longer listed are flagged, never deleted."""
        now = utc_now_iso()
        where = (
            "gone_upstream_at IS NULL AND is_sample = 0"
            " AND (seen_in_run IS NULL OR seen_in_run != ?)"
        )
        try:
            with self._writing():
                ids = [
                    row[0]
                    for row in self.conn.execute(
                        f"SELECT id FROM docking_events WHERE {where}", [run_id]
                    )
                ]
                self.conn.execute(
                    f"UPDATE docking_events SET gone_upstream_at = ? WHERE {where}", [now, run_id]
                )
        except sqlite3.Error as exc:
            raise _store_error(exc, self.path, "update") from exc
        return ids

    def count_seen_in_run(self, run_id: str) -> int:
        row = self.conn.execute(
            "SELECT count(*) FROM docking_events WHERE seen_in_run = ?", [run_id]
        ).fetchone()
        return int(row[0])

    # -- sync state ---------------------------------------------------------------------------

    def _set_state(self, key: str, value: object, now: str) -> None:
        if value is None:
            self.conn.execute("DELETE FROM sync_state WHERE key = ?", [key])
            return
        self.conn.execute(
            "INSERT INTO sync_state (key, value, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value,"
            " updated_at = excluded.updated_at",
            [key, json.dumps(value), now],
        )

    def set_state(self, key: str, value: object) -> None:
        """Store a JSON value under ``key``; None deletes it."""
        try:
            with self._writing():
                self._set_state(key, value, utc_now_iso())
        except sqlite3.Error as exc:
            raise _store_error(exc, self.path, "update") from exc

    def get_state(self, key: str) -> Any:
        row = self.conn.execute("SELECT value FROM sync_state WHERE key = ?", [key]).fetchone()
        if row is None:
            return None
        try:
            return json.loads(row[0])
        except ValueError:
            log.warning("Ignoring unreadable sync state %r", key)
            return None

    # -- reading ------------------------------------------------------------------------------

    def event_count(self, *, include_gone: bool = True) -> int:
        sql = "SELECT count(*) FROM docking_events"
        if not include_gone:
            sql += " WHERE gone_upstream_at IS NULL"
        return int(self.conn.execute(sql).fetchone()[0])

    def has_sample(self) -> bool:
        row = self.conn.execute("SELECT 1 FROM docking_events WHERE is_sample = 1 LIMIT 1")
        return row.fetchone() is not None

    def summary(self) -> dict[str, int]:
        """The figures ``dockview info`` and the window's About show."""
        row = self.conn.execute(
            """
            SELECT count(*),
                   coalesce(sum(departure IS NULL AND gone_upstream_at IS NULL), 0),
                   coalesce(sum(gone_upstream_at IS NOT NULL), 0),
                   coalesce(sum(is_sample), 0),
                   count(DISTINCT station_id), count(DISTINCT location_id),
                   count(DISTINCT spacecraft_id)
            FROM docking_events
            """
        ).fetchone()
        keys = (
            "events",
            "docked_now",
            "gone_upstream",
            "sample",
            "stations",
            "ports",
            "spacecraft",
        )
        return dict(zip(keys, (int(value) for value in row), strict=True))

    def earliest_open_docking(self, not_before: datetime | None = None) -> datetime | None:
        sql = (
            "SELECT min(docking_ts) FROM docking_events WHERE departure IS NULL"
            " AND gone_upstream_at IS NULL AND is_sample = 0"
        )
        params: list[object] = []
        if not_before is not None:
            sql += " AND docking_ts >= ?"
            params.append(not_before.timestamp())
        value = self.conn.execute(sql, params).fetchone()[0]
        return datetime.fromtimestamp(value, UTC) if value is not None else None

    def newest_docking(self) -> datetime | None:
        value = self.conn.execute(
            "SELECT max(docking_ts) FROM docking_events WHERE is_sample = 0"
        ).fetchone()[0]
        return datetime.fromtimestamp(value, UTC) if value is not None else None

    @contextlib.contextmanager
    def reading(self) -> Iterator[None]:
        """One snapshot for several reads (WAL: a writer meanwhile is neither seen nor
        waited for)."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")

    def count_events(self, event_filter: EventFilter) -> int:
        where, params = _where(event_filter)
        return int(
            self.conn.execute(f"SELECT count(*) FROM docking_events {where}", params).fetchone()[0]
        )

    def iter_raw_json(self, event_filter: EventFilter) -> Iterator[str]:
        """The stored JSON text of each event, in docking order, for streaming out."""
        where, params = _where(event_filter)
        sql = f"SELECT raw_json FROM docking_events {where} ORDER BY docking_ts, id"
        for (raw_json,) in self.conn.execute(sql, params):
            yield raw_json

    def iter_raw_events(self, event_filter: EventFilter | None = None) -> Iterator[dict[str, Any]]:
        """Raw API objects in docking order, for export: exactly what the API sent."""
        where, params = _where(event_filter or EventFilter())
        sql = f"SELECT raw_json FROM docking_events {where} ORDER BY docking_ts, id"
        for (raw_json,) in self.conn.execute(sql, params):
            yield json.loads(raw_json)

    def event_api_versions(self, event_filter: EventFilter | None = None) -> list[str]:
        where, params = _where(event_filter or EventFilter())
        sql = f"SELECT DISTINCT api_version FROM docking_events {where} ORDER BY api_version"
        return [row[0] for row in self.conn.execute(sql, params)]

    def ids_written_since(self, moment: str) -> list[int]:
        """Events stored or changed at or after ``moment`` (a ``utc_now_iso`` time): what a
        sync that failed after some pages left in the cache."""
        return [
            row[0]
            for row in self.conn.execute(
                "SELECT id FROM docking_events WHERE first_seen_at >= ? OR changed_at >= ?",
                [moment, moment],
            )
        ]

    def table_rows(self, ids: Sequence[int] | None = None) -> list[tuple[Any, ...]]:
        """The flat fields the window's table shows, in ``TABLE_FIELDS`` order; no raw JSON, so
        loading stays fast and small however many events there are."""
        sql = f"SELECT {', '.join(TABLE_FIELDS)} FROM docking_events"
        if ids is None:
            return list(self.conn.execute(sql + " ORDER BY docking_ts, id"))
        found: list[tuple[Any, ...]] = []
        wanted = list(ids)
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.extend(self.conn.execute(f"{sql} WHERE id IN ({marks})", chunk))
        return found

    def filter_choices(self) -> FilterChoices:
        stations = [
            (row[0], row[1] or f"Station {row[0]}", row[2])
            for row in self.conn.execute(
                "SELECT station_id, max(station_name), count(*) FROM docking_events"
                " WHERE station_id IS NOT NULL GROUP BY station_id ORDER BY count(*) DESC, 2"
            )
        ]
        ports = [
            (row[0], row[1] or f"Port {row[0]}", row[2], row[3])
            for row in self.conn.execute(
                "SELECT location_id, max(location_name), max(station_id), count(*)"
                " FROM docking_events WHERE location_id IS NOT NULL GROUP BY location_id"
                " ORDER BY lower(max(location_name)), location_id"
            )
        ]
        spacecraft = []
        for craft_id, name, serial, count in self.conn.execute(
            "SELECT spacecraft_id, max(spacecraft_name), max(serial_number), count(*)"
            " FROM docking_events WHERE spacecraft_id IS NOT NULL GROUP BY spacecraft_id"
            " ORDER BY lower(max(spacecraft_name)), spacecraft_id"
        ):
            label = name or f"Spacecraft {craft_id}"
            if serial and serial not in label:
                label = f"{label} ({serial})"
            spacecraft.append((craft_id, label, count))
        return FilterChoices(stations=stations, ports=ports, spacecraft=spacecraft)

    def raw_event(self, event_id: int) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT raw_json FROM docking_events WHERE id = ?", [event_id]
        ).fetchone()
        return json.loads(row[0]) if row else None

    def port_dockings(self, location_id: int) -> list[tuple[int, float, float | None, str | None]]:
        """Every docking at one port, oldest first: (id, docking_ts, departure_ts, spacecraft)."""
        return list(
            self.conn.execute(
                "SELECT id, docking_ts, departure_ts, spacecraft_name FROM docking_events"
                " WHERE location_id = ? AND gone_upstream_at IS NULL ORDER BY docking_ts, id",
                [location_id],
            )
        )

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _enable_wal(db: Database) -> None:
    """Switching a new file to WAL takes a lock SQLite does not wait for (busy_timeout does
    not apply): when two dockviews open a new cache at once, one is told "locked" at once.
    Wait it out as the busy timeout would."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as exc:
            if not _is_locked(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


class _ForeignCache(Exception):
    """The file at the cache path is not a usable dockview cache."""


def _sub(obj: object, key: str) -> Any:
    return obj.get(key) if isinstance(obj, Mapping) else None


def _event_row(
    event: DockingEvent,
    raw_json: str,
    source_url: str,
    run_id: str | None,
    now: str,
    changed_at: str | None,
    is_sample: bool,
) -> tuple[Any, ...]:
    craft = event.spacecraft
    config = event.config
    agency = event.agency
    location = event.location
    station = event.station
    return (
        event.id,
        event.api_version,
        source_url,
        _iso(event.docking),
        _ts(event.docking),
        _iso(event.departure),
        _ts(event.departure),
        event.launch_id,
        event.flight_vehicle.id if event.flight_vehicle else None,
        craft.id if craft else None,
        craft.name if craft else None,
        craft.serial_number if craft else None,
        config.id if config else None,
        config.name if config else None,
        config.type if config else None,
        agency.id if agency else None,
        agency.name if agency else None,
        station.id if station else None,
        station.name if station else None,
        location.id if location else None,
        location.name if location else None,
        raw_json,
        now,
        now,
        changed_at,
        1 if is_sample else 0,
        run_id,
        event.chaser.kind if event.chaser else None,
        event.chaser.name if event.chaser else None,
        event.target.kind if event.target else None,
        event.target.id if event.target else None,
        event.target.name if event.target else None,
    )


def _where(event_filter: EventFilter) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if event_filter.ids is not None:
        ids = list(event_filter.ids)
        clauses.append(f"id IN ({','.join('?' * len(ids))})" if ids else "0")
        params.extend(ids)
    if event_filter.station_id is not None:
        clauses.append("station_id = ?")
        params.append(event_filter.station_id)
    if event_filter.flight_vehicle_id is not None:
        clauses.append("flight_vehicle_id = ?")
        params.append(event_filter.flight_vehicle_id)
    if event_filter.location_id is not None:
        clauses.append("location_id = ?")
        params.append(event_filter.location_id)
    if event_filter.docked_now:
        clauses.append("departure IS NULL")
    if not event_filter.include_gone and event_filter.ids is None:
        # Events named by id are exported whatever their state; filters skip the gone ones.
        clauses.append("gone_upstream_at IS NULL")
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), params


def _is_locked(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _busy_message(path: Path) -> str:
    return f"The cache {path} is busy: another dockview is writing to it; try again in a moment."


def _store_error(exc: sqlite3.Error, path: Path, verb: str) -> StoreError:
    if _is_locked(exc):
        return CacheBusy(_busy_message(path))
    if "full" in str(exc).lower():
        return StoreError(f"Could not {verb} the cache {path}: the disk is full.")
    return StoreError(f"Could not {verb} the cache {path}: {exc}.")
