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
- The schema is created and upgraded by the migrations in ``dockview/migrations.py``; the
  columns, and the rows and upserts derived from them, are specified once in
  ``dockview/store_schema.py``. A file that is not ours, or is damaged, is moved aside (never
  deleted) and a fresh cache is started.
- A failed write rolls its transaction back, and a full disk is named with the room the cache
  needs: what was stored stays, and a sync goes on where it stopped.
"""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
import sqlite3
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
from sqlite_utils import Database

from dockview.errors import CacheBusy, StoreError
from dockview.migrations import APP_NAME, SCHEMA_VERSION, migrations
from dockview.records import DockingEvent
from dockview.timefmt import from_timestamp, iso_utc_seconds, utc_now_iso
from dockview.upsert import Change, ChangeKind, UpsertResult, upsert_events, upsert_lookups

if TYPE_CHECKING:
    from dockview.query import EventQuery

__all__ = [
    "APP_NAME",
    "SCHEMA_VERSION",
    "TABLE_FIELDS",
    "Change",
    "ChangeKind",
    "FilterChoices",
    "Store",
    "UpsertResult",
    "default_db_path",
]

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
#: The WAL grows to this many pages before SQLite copies it back into the cache file.
WAL_CHECKPOINT_PAGES = 10_000

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
            conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_CHECKPOINT_PAGES}")
        except _ForeignCache:
            conn.close()
            raise
        except sqlite3.DatabaseError as exc:
            conn.close()
            if _is_locked(exc):
                raise CacheBusy(_busy_message(self.path)) from exc
            if _no_room(exc, self.path):
                # A cache that could not be written is not damaged: moving it aside loses it.
                raise _store_error(exc, self.path, "prepare") from exc
            raise _ForeignCache(f"it is damaged ({exc})") from exc
        return db

    @staticmethod
    def _apply_migrations(db: Database) -> None:
        """Schema steps under a write lock taken up front, so two processes creating the same
        cache queue up (busy timeout) instead of one seeing the other's half-made schema."""
        if migrations.pending(db):
            with _write_transaction(db.conn):
                migrations.apply(db)  # its own atomic() blocks nest as savepoints

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

    @contextlib.contextmanager
    def writing(self, verb: str) -> Iterator[sqlite3.Connection]:
        """One write transaction for a writer outside this class (fetched lookup records); a
        failure becomes one sentence: "Could not {verb} the cache …"."""
        try:
            with _write_transaction(self.conn):
                yield self.conn
        except sqlite3.Error as exc:
            raise _store_error(exc, self.path, verb) from exc

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
            with _write_transaction(self.conn):
                if drop_sample:
                    self.conn.execute("DELETE FROM docking_events WHERE is_sample = 1")
                result = upsert_events(
                    self.conn,
                    events,
                    source_url=source_url,
                    run_id=run_id,
                    now=now,
                    is_sample=is_sample,
                )
                upsert_lookups(self.conn, events)
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
            with _write_transaction(self.conn):
                has_events = self.conn.execute("SELECT 1 FROM docking_events LIMIT 1").fetchone()
                has_synced = self.conn.execute(
                    "SELECT 1 FROM sync_state WHERE key IN ('full_sync', 'sample')"
                ).fetchone()
                if has_events or has_synced:
                    return 0
                upsert_events(
                    self.conn, events, source_url=source_url, run_id=None, now=now, is_sample=True
                )
                upsert_lookups(self.conn, events)
                self._set_state("sample", note, now)
        except sqlite3.Error as exc:
            raise _store_error(exc, self.path, "write the bundled sample to") from exc
        return len(events)

    def mark_gone(self, run_id: str) -> list[int]:
        """After a complete full pass: events no longer listed are flagged, never deleted."""
        now = utc_now_iso()
        where = (
            "gone_upstream_at IS NULL AND is_sample = 0"
            " AND (seen_in_run IS NULL OR seen_in_run != ?)"
        )
        try:
            with _write_transaction(self.conn):
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
            with _write_transaction(self.conn):
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
        # Only ``seed_if_empty`` writes sample rows, and it notes "sample" in the same
        # transaction: without that note there are none, known without reading every row
        # (no index on is_sample; at 50,000 events the scan took ~100 ms of each start).
        noted = "SELECT 1 FROM sync_state WHERE key = 'sample'"
        if self.conn.execute(noted).fetchone() is None:
            return False
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
        return from_timestamp(value) if value is not None else None

    def newest_docking(self) -> datetime | None:
        value = self.conn.execute(
            "SELECT max(docking_ts) FROM docking_events WHERE is_sample = 0"
        ).fetchone()[0]
        return from_timestamp(value) if value is not None else None

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

    def count_events(self, query: EventQuery) -> int:
        where, params = query.where(self.conn)
        return int(
            self.conn.execute(f"SELECT count(*) FROM docking_events {where}", params).fetchone()[0]
        )

    def event_ids(self, query: EventQuery) -> set[int]:
        where, params = query.where(self.conn)
        return {
            row[0] for row in self.conn.execute(f"SELECT id FROM docking_events {where}", params)
        }

    def iter_raw_json(self, query: EventQuery) -> Iterator[str]:
        """The stored JSON text of each event, in docking order, for streaming out."""
        where, params = query.where(self.conn)
        sql = f"SELECT raw_json FROM docking_events {where} ORDER BY docking_ts, id"
        for (raw_json,) in self.conn.execute(sql, params):
            yield raw_json

    def iter_raw_events(self, query: EventQuery | None = None) -> Iterator[dict[str, Any]]:
        """Raw API objects in docking order, for export: exactly what the API sent."""
        where, params = _query_or_all(query).where(self.conn)
        sql = f"SELECT raw_json FROM docking_events {where} ORDER BY docking_ts, id"
        for (raw_json,) in self.conn.execute(sql, params):
            yield json.loads(raw_json)

    def event_api_versions(self, query: EventQuery | None = None) -> list[str]:
        where, params = _query_or_all(query).where(self.conn)
        sql = f"SELECT DISTINCT api_version FROM docking_events {where} ORDER BY api_version"
        return [row[0] for row in self.conn.execute(sql, params)]

    def ids_written_since(self, moment: datetime) -> list[int]:
        """Events stored or changed after ``moment``: what a sync that failed after some pages
        left in the cache. Strictly after, in the whole seconds the cache keeps: the pages of
        the sync that finished at ``moment`` carry that second too, and are in the window."""
        since = iso_utc_seconds(moment)
        return [
            row[0]
            for row in self.conn.execute(
                "SELECT id FROM docking_events WHERE first_seen_at > ? OR changed_at > ?",
                [since, since],
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


def _query_or_all(query: EventQuery | None) -> EventQuery:
    # Imported here: the query module builds on this one (its rows know TABLE_FIELDS).
    from dockview.query import EventQuery

    return query if query is not None else EventQuery()


def _is_locked(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _busy_message(path: Path) -> str:
    return f"The cache {path} is busy: another dockview is writing to it; try again in a moment."


def _store_error(exc: sqlite3.Error, path: Path, verb: str) -> StoreError:
    if _is_locked(exc):
        return CacheBusy(_busy_message(path))
    if _no_room(exc, path):
        room = _room(path)
        return StoreError(
            f"Could not {verb} the cache {path}: the disk may be full"
            + (f", {room}" if room is not None else "")
            + "; make room and try again, as what is stored is kept and a sync goes on where"
            " it stopped."
        )
    return StoreError(f"Could not {verb} the cache {path}: {exc}.")


@contextlib.contextmanager
def _write_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """A write transaction that takes the write lock at BEGIN, and is rolled back whenever it
    does not commit, a failed COMMIT included.

    A deferred transaction that reads first and writes later fails at once (SQLITE_BUSY, no
    waiting) when another process wrote in between; IMMEDIATE waits for the busy timeout
    instead. A failed COMMIT can leave the transaction open (SQLite rolls back by itself only
    after some errors): this connection would then see a page that was never stored, and its
    next write would fail with "cannot start a transaction within a transaction".
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            try:
                conn.execute("ROLLBACK")
            except sqlite3.Error:
                # The first failure is the one to tell; closing the connection rolls back.
                log.warning("Could not roll back a failed write", exc_info=True)
        raise


#: SQLite's page size for a new cache (its default): the WAL grows by such pages.
_PAGE_BYTES = 4096


def _no_room(exc: sqlite3.Error, path: Path) -> bool:
    """SQLite says the disk is full (ENOSPC), or a write failed (EFBIG past a file size limit
    and EIO look the same to SQLite) where the room is indeed short."""
    primary = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if primary == sqlite3.SQLITE_FULL:
        return True
    if primary == sqlite3.SQLITE_IOERR:
        room = _room(path)
        return room is not None and room.free < room.needed
    return False


@dataclass(frozen=True)
class _Room:
    """How far the cache's files can still grow, against what a sync may need."""

    free: int
    #: A generous estimate, as the rest of a sync's size is not known here: room for the WAL
    #: to reach its checkpoint size, and for the cache to grow by as much as it holds now.
    needed: int
    #: The process's file size limit (``ulimit -f``), when it, not the disk, leaves less room.
    size_limit: int | None = None

    def __str__(self) -> str:
        needed = f"for a cache that needs about {_size(self.needed)}"
        if self.size_limit is not None:
            limit = f"a file size limit of {_size(self.size_limit)} (ulimit -f)"
            return f"with {_size(self.free)} left under {limit} {needed}"
        return f"with {_size(self.free)} free {needed}"


def _room(path: Path) -> _Room | None:
    sizes = []
    for name in (path.name, path.name + "-wal"):
        try:
            sizes.append(path.with_name(name).stat().st_size)
        except OSError:
            sizes.append(0)
    try:
        free = shutil.disk_usage(path.parent).free
    except OSError:
        return None
    needed = sum(sizes) + WAL_CHECKPOINT_PAGES * _PAGE_BYTES
    limit = _file_size_limit()
    if limit is not None and limit - max(sizes) < free:
        return _Room(max(0, limit - max(sizes)), needed, limit)
    return _Room(free, needed)


def _file_size_limit() -> int | None:
    """The soft RLIMIT_FSIZE where there is one: writing past it fails with EFBIG (Python
    ignores the SIGXFSZ that comes with it)."""
    if sys.platform == "win32":
        return None
    import resource

    soft, _hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    return None if soft == resource.RLIM_INFINITY else soft


def _size(count: int) -> str:
    if count >= 1e9:
        return f"{count / 1e9:.1f} GB"
    return f"{count / 1e6:.1f} MB" if count >= 1e6 else f"{count / 1e3:.0f} kB"
