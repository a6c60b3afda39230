"""The cache's tables as data: each column named once, with its SQL type, how its value comes
from the records, and what an upsert does to it. The upsert statements and the rows are derived
from this spec, in the spirit of sqlite-utils building SQL from column specs.

The tables themselves were built by the steps in ``dockview/migrations.py``, which are history
and stay as they were; a test checks that a fresh cache's tables equal this spec. A new column is
a new migration step plus an entry here. A column that another path fills later (details fetched
on their own, say) is ``Update.UNLESS_NULL`` and left out of what the page writer supplies: new
rows get NULL, stored rows keep their value.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from itertools import repeat
from operator import attrgetter, call
from typing import Any, Generic, Protocol, TypeVar

import orjson

from dockview.records import (
    Agency,
    DockingEvent,
    DockingLocation,
    FlightVehicle,
    Spacecraft,
    SpacecraftConfig,
    SpaceStation,
    json_text,
)
from dockview.timefmt import iso_utc, timestamp_of


class Keyed(Protocol):
    @property
    def id(self) -> int: ...


Source = TypeVar("Source")
KeyedSource = TypeVar("KeyedSource", bound=Keyed)


class Update(Enum):
    """What an upsert does to a column of a row that is already stored."""

    REPLACE = "replace"
    #: The first value stays: keys, first-seen times.
    KEEP = "keep"
    #: The new value, unless the write has none (a write outside a sync run, say).
    UNLESS_NULL = "unless_null"


@dataclass(frozen=True)
class Column(Generic[Source]):
    name: str
    #: As written in CREATE TABLE after the name.
    sql_type: str
    #: How the value comes from the record; None: the writer supplies it (NULL if it does not).
    value: Callable[[Source], object] | None = None
    update: Update = Update.REPLACE


@dataclass(frozen=True)
class Table(Generic[Source]):
    name: str
    columns: tuple[Column[Source], ...]
    key: str = "id"
    #: A row whose column of this name is set is never updated by an upsert: a full record
    #: fetched from its own endpoint outranks an event's short copy of it.
    final_when_set: str | None = None

    @cached_property
    def names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @cached_property
    def _derived(self) -> tuple[Column[Source], ...]:
        return tuple(column for column in self.columns if column.value is not None)

    @cached_property
    def _supplied(self) -> tuple[Column[Source], ...]:
        return tuple(column for column in self.columns if column.value is None)

    @cached_property
    def row_names(self) -> tuple[str, ...]:
        """The columns in row order: those read from the record, then the writer's, so that a
        row is one ``map`` over the record (see ``row_maker``)."""
        return tuple(column.name for column in (*self._derived, *self._supplied))

    def position(self, name: str) -> int:
        """Where a column's value sits in a row."""
        return self.row_names.index(name)

    def create_sql(self) -> str:
        """The table as this spec describes it (what the migrations built, in one step)."""
        body = ", ".join(f"{column.name} {column.sql_type}" for column in self.columns)
        return f"CREATE TABLE {self.name} ({body})"

    @cached_property
    def upsert_sql(self) -> str:
        """INSERT of a whole row that, when the key is stored already, updates each column as
        its ``update`` says."""
        marks = ",".join("?" * len(self.columns))
        updates = []
        for column in self.columns:
            if column.name == self.key or column.update is Update.KEEP:
                continue
            new = f"excluded.{column.name}"
            if column.update is Update.UNLESS_NULL:
                new = f"coalesce({new}, {self.name}.{column.name})"
            updates.append(f"{column.name} = {new}")
        final = f" WHERE {self.name}.{self.final_when_set} IS NULL" if self.final_when_set else ""
        return (
            f"INSERT INTO {self.name} ({', '.join(self.row_names)}) VALUES ({marks})"
            f" ON CONFLICT({self.key}) DO UPDATE SET {', '.join(updates)}{final}"
        )

    def row_maker(self, supplied: Mapping[str, object]) -> Callable[[Source], list[Any]]:
        """Rows for one write: the writer's values are fixed once, the record's read per row.

        The events' rows are built 50,000 times in a full sync: one ``map`` calls the column
        getters without a Python loop, which keeps the row as fast to build as one written out
        by hand.
        """
        unknown = set(supplied) - {column.name for column in self._supplied}
        if unknown:
            raise ValueError(f"{self.name} has no writer-supplied column {sorted(unknown)}")
        getters = [column.value for column in self._derived if column.value is not None]
        fixed = [supplied.get(column.name) for column in self._supplied]

        def make_row(source: Source) -> list[Any]:
            return [*map(call, getters, repeat(source)), *fixed]

        return make_row


@dataclass(frozen=True)
class Lookup(Generic[KeyedSource]):
    """A lookup table, which object of an event it holds, and where that object's raw JSON sits
    in the event's (for its ``raw_json`` column, when it has one)."""

    table: Table[KeyedSource]
    find: Callable[[DockingEvent], KeyedSource | None]
    raw: Callable[[Mapping[str, Any]], object] | None = None


def dump(obj: object) -> str:
    """Compact JSON, readable (non-ASCII as itself) and always storable. orjson refuses lone
    surrogates and integers past 64 bits; json_text takes those."""
    try:
        return orjson.dumps(obj).decode()
    except (orjson.JSONEncodeError, TypeError):
        return json_text(obj)


def sub(obj: object, key: str) -> Any:
    return obj.get(key) if isinstance(obj, Mapping) else None


def _path(dotted: str) -> Callable[[Any], object]:
    """A value at ``dotted`` in a record (``flight_vehicle.spacecraft.name``), None where a step
    on the way is None. The whole path is one C call; only a missing step costs an exception,
    and a misspelt step still raises."""
    get = attrgetter(dotted)
    if "." not in dotted:
        return get
    steps = dotted.split(".")[:-1]

    def value(record: Any) -> object:
        try:
            return get(record)
        except AttributeError:
            for step in steps:
                record = getattr(record, step)
                if record is None:
                    return None
            raise

    return value


RAW_JSON = "raw_json"

EVENTS: Table[DockingEvent] = Table(
    "docking_events",
    (
        Column("id", "INTEGER PRIMARY KEY", _path("id"), Update.KEEP),
        Column("api_version", "TEXT NOT NULL", _path("api_version")),
        Column("source_url", "TEXT"),
        Column("docking", "TEXT NOT NULL", lambda event: iso_utc(event.docking)),
        Column("docking_ts", "REAL NOT NULL", lambda event: event.docking.timestamp()),
        Column(
            "departure", "TEXT", lambda event: iso_utc(event.departure) if event.departure else None
        ),
        Column("departure_ts", "REAL", lambda event: timestamp_of(event.departure)),
        Column("launch_id", "TEXT", _path("launch_id")),
        Column("flight_vehicle_id", "INTEGER", _path("flight_vehicle.id")),
        Column("spacecraft_id", "INTEGER", _path("flight_vehicle.spacecraft.id")),
        Column("spacecraft_name", "TEXT", _path("flight_vehicle.spacecraft.name")),
        Column("serial_number", "TEXT", _path("flight_vehicle.spacecraft.serial_number")),
        Column("config_id", "INTEGER", _path("flight_vehicle.spacecraft.config.id")),
        Column("config_name", "TEXT", _path("flight_vehicle.spacecraft.config.name")),
        Column("config_type", "TEXT", _path("flight_vehicle.spacecraft.config.type")),
        Column("agency_id", "INTEGER", _path("flight_vehicle.spacecraft.config.agency.id")),
        Column("agency_name", "TEXT", _path("flight_vehicle.spacecraft.config.agency.name")),
        Column("station_id", "INTEGER", _path("station.id")),
        Column("station_name", "TEXT", _path("station.name")),
        Column("location_id", "INTEGER", _path("location.id")),
        Column("location_name", "TEXT", _path("location.name")),
        # Exactly what the API sent, for export and for what we do not model.
        Column(RAW_JSON, "TEXT NOT NULL", lambda event: dump(event.raw)),
        Column("fetched_at", "TEXT NOT NULL"),
        Column("first_seen_at", "TEXT NOT NULL", update=Update.KEEP),
        # Set by the writer when the stored raw JSON differed.
        Column("changed_at", "TEXT", update=Update.UNLESS_NULL),
        # Written NULL: an event listed again is back upstream.
        Column("gone_upstream_at", "TEXT"),
        Column("is_sample", "INTEGER NOT NULL DEFAULT 0"),
        Column("seen_in_run", "TEXT", update=Update.UNLESS_NULL),
        Column("chaser_kind", "TEXT", _path("chaser.kind")),
        Column("chaser_name", "TEXT", _path("chaser.name")),
        Column("target_kind", "TEXT", _path("target.kind")),
        Column("target_id", "INTEGER", _path("target.id")),
        Column("target_name", "TEXT", _path("target.name")),
    ),
)


def _raw_config(raw: Mapping[str, Any]) -> object:
    return sub(sub(sub(raw, "flight_vehicle"), "spacecraft"), "spacecraft_config")


def _raw_station(raw: Mapping[str, Any]) -> object:
    return sub(raw, "space_station") or sub(sub(raw, "docking_location"), "spacestation")


#: Each nested object once, for the detail pane and for people querying the file. Spacecraft
#: and flight vehicles are one per event or nearly: their raw objects stay inside the event's
#: raw_json rather than being written twice.
LOOKUPS: tuple[Lookup[Any], ...] = (
    Lookup(
        Table[SpaceStation](
            "space_stations",
            (
                Column("id", "INTEGER PRIMARY KEY", _path("id")),
                Column("name", "TEXT", _path("name")),
                Column("image_url", "TEXT", _path("image_url")),
                Column(RAW_JSON, "TEXT NOT NULL"),
            ),
        ),
        find=attrgetter("station"),
        raw=_raw_station,
    ),
    Lookup(
        Table[DockingLocation](
            "docking_locations",
            (
                Column("id", "INTEGER PRIMARY KEY", _path("id")),
                Column("name", "TEXT", _path("name")),
                Column("station_id", "INTEGER", _path("station.id")),
                Column(RAW_JSON, "TEXT NOT NULL"),
            ),
        ),
        find=attrgetter("location"),
        raw=lambda raw: sub(raw, "docking_location"),
    ),
    Lookup(
        Table[Agency](
            "agencies",
            (
                Column("id", "INTEGER PRIMARY KEY", _path("id")),
                Column("name", "TEXT", _path("name")),
                Column("type", "TEXT", _path("type")),
                Column("abbrev", "TEXT", _path("abbrev")),
                Column("country_code", "TEXT", _path("country_code")),
                Column(RAW_JSON, "TEXT NOT NULL"),
                Column("fetched_at", "TEXT", update=Update.KEEP),
            ),
            final_when_set="fetched_at",
        ),
        find=attrgetter("agency"),
        raw=lambda raw: sub(_raw_config(raw), "agency"),
    ),
    Lookup(
        Table[SpacecraftConfig](
            "spacecraft_configs",
            (
                Column("id", "INTEGER PRIMARY KEY", _path("id")),
                Column("name", "TEXT", _path("name")),
                Column("type", "TEXT", _path("type")),
                Column("agency_id", "INTEGER", _path("agency.id")),
                Column(RAW_JSON, "TEXT NOT NULL"),
                Column("fetched_at", "TEXT", update=Update.KEEP),
            ),
            final_when_set="fetched_at",
        ),
        find=attrgetter("config"),
        raw=_raw_config,
    ),
    Lookup(
        Table[Spacecraft](
            "spacecraft",
            (
                Column("id", "INTEGER PRIMARY KEY", _path("id")),
                Column("name", "TEXT", _path("name")),
                Column("serial_number", "TEXT", _path("serial_number")),
                Column("config_id", "INTEGER", _path("config.id")),
                Column("status", "TEXT", _path("status")),
                Column("is_placeholder", "INTEGER", _path("is_placeholder")),
                Column("in_space", "INTEGER", _path("in_space")),
                Column("flights_count", "INTEGER", _path("flights_count")),
                Column("mission_ends_count", "INTEGER", _path("mission_ends_count")),
                Column("time_in_space_s", "REAL", _path("time_in_space_s")),
                Column("time_docked_s", "REAL", _path("time_docked_s")),
                Column("description", "TEXT", _path("description")),
            ),
        ),
        find=attrgetter("spacecraft"),
    ),
    Lookup(
        Table[FlightVehicle](
            "flight_vehicles",
            (
                Column("id", "INTEGER PRIMARY KEY", _path("id")),
                Column("spacecraft_id", "INTEGER", _path("spacecraft.id")),
                Column("destination", "TEXT", _path("destination")),
                Column(
                    "mission_end",
                    "TEXT",
                    lambda vehicle: iso_utc(vehicle.mission_end) if vehicle.mission_end else None,
                ),
            ),
        ),
        find=attrgetter("flight_vehicle"),
    ),
)
