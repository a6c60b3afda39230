"""The table's rows, free of Qt: the cache's flat fields plus every value a filter or a sort needs.

A row is built once from ``Store.table_rows()``; filters (``dockview.query``) and sorts read its
precomputed fields, so neither parses a date nor calls into a model per row. The query's SQL
form calls ``search_text`` too, so the window and ``dockview export`` fold text the same way.
"""

from __future__ import annotations

import math
import operator
import string
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import tzinfo
from enum import Enum
from typing import Any

from dockview.store import TABLE_FIELDS, FilterChoices
from dockview.timefmt import format_stay, format_time

_FIELD_POSITION = {name: position for position, name in enumerate(TABLE_FIELDS)}

#: The cache's columns, in the order ``search_text`` takes them (the SQL form passes these).
SEARCH_COLUMNS = (
    "chaser_name",
    "spacecraft_name",
    "target_name",
    "station_name",
    "serial_number",
    "config_name",
    "config_type",
    "agency_name",
    "location_name",
)


def search_text(
    chaser_name: str | None,
    spacecraft_name: str | None,
    target_name: str | None,
    station_name: str | None,
    serial_number: str | None,
    config_name: str | None,
    config_type: str | None,
    agency_name: str | None,
    location_name: str | None,
) -> str:
    """What free text is searched in, case-folded (full Unicode folding: "STRASSE" finds
    "Straße"). Fields are joined by a line break so a search never matches across two."""
    chaser = chaser_name or spacecraft_name
    target = target_name or station_name
    return "\n".join(
        value
        for value in (
            chaser,
            target,
            spacecraft_name,
            serial_number,
            config_name,
            config_type,
            agency_name,
            location_name,
            station_name,
        )
        if value
    ).casefold()


class EventRow:
    """One table row: the cache's flat fields plus what filters and sorts need, precomputed."""

    __slots__ = (
        "agency_name",
        "chaser",
        "config_name",
        "config_type",
        "departure_ts",
        "docked_now",
        "docking_ts",
        "flight_vehicle_id",
        "gone",
        "id",
        "location_id",
        "location_name",
        "search_text",
        "serial_number",
        "spacecraft_id",
        "spacecraft_name",
        "station_id",
        "station_name",
        "target",
        "target_kind",
    )

    def __init__(self, fields: Sequence[Any]) -> None:
        get = fields.__getitem__
        position = _FIELD_POSITION
        self.id: int = get(position["id"])
        self.docking_ts: float = get(position["docking_ts"])
        self.departure_ts: float | None = get(position["departure_ts"])
        self.spacecraft_id: int | None = get(position["spacecraft_id"])
        self.spacecraft_name: str | None = get(position["spacecraft_name"])
        self.serial_number: str | None = get(position["serial_number"])
        self.config_type: str | None = get(position["config_type"])
        self.config_name: str | None = get(position["config_name"])
        self.agency_name: str | None = get(position["agency_name"])
        self.station_id: int | None = get(position["station_id"])
        self.station_name: str | None = get(position["station_name"])
        self.location_id: int | None = get(position["location_id"])
        self.location_name: str | None = get(position["location_name"])
        self.flight_vehicle_id: int | None = get(position["flight_vehicle_id"])
        self.gone: bool = get(position["gone_upstream_at"]) is not None
        #: Still docked as far as the cache knows: no departure, and still listed upstream (an
        #: event the API dropped is not known to be docked). Kept, not worked out per read:
        #: "Docked now" asks it of every row at each change of the filter.
        self.docked_now: bool = self.departure_ts is None and not self.gone
        chaser_name: str | None = get(position["chaser_name"])
        target_name: str | None = get(position["target_name"])
        # 2.3.0 names both sides; a 2.2.0 event is a spacecraft (chaser) at a station (target).
        self.chaser: str | None = chaser_name or self.spacecraft_name
        self.target_kind: str | None = get(position["target_kind"])
        self.target: str | None = target_name or self.station_name
        self.search_text = search_text(
            chaser_name,
            self.spacecraft_name,
            target_name,
            self.station_name,
            self.serial_number,
            self.config_name,
            self.config_type,
            self.agency_name,
            self.location_name,
        )

    def stay_seconds(self, now: float) -> float:
        end = self.departure_ts if self.departure_ts is not None else now
        return max(0.0, end - self.docking_ts)

    def same_values(self, other: EventRow) -> bool:
        return all(getattr(self, name) == getattr(other, name) for name in EventRow.__slots__)


SortKey = float | str | int


#: Attribute getters run in C: a sort calls its key once per row.
docking_key: Callable[[EventRow], float] = operator.attrgetter("docking_ts")


def departure_key(row: EventRow) -> float:
    # Open stays last when ascending: they have not ended yet.
    return row.departure_ts if row.departure_ts is not None else math.inf


id_key: Callable[[EventRow], int] = operator.attrgetter("id")


def stay_key(now: float) -> Callable[[EventRow], float]:
    return lambda row: row.stay_seconds(now)


def text_key(field: str) -> Callable[[EventRow], str]:
    """Text orders without regard to case (full case folding)."""
    return lambda row: (getattr(row, field) or "").casefold()


class Column(Enum):
    DOCKING = ("Docking", "When the vehicle docked")
    DEPARTURE = ("Departure", "When it left; empty while it is still docked")
    DOCKED_FOR = ("Docked for", "How long the stay lasted, or has lasted so far")
    SPACECRAFT = ("Chaser", "The vehicle that docked (the chaser)")
    SERIAL = ("Serial", "The spacecraft's serial number")
    TYPE = ("Type", "The spacecraft configuration's type")
    CONFIG = ("Config", "The spacecraft configuration")
    AGENCY = ("Agency", "The agency that operates the configuration")
    TARGET = ("Target", "What it docked to: a space station, a spacecraft or a satellite")
    STATION = ("Station", "The space station")
    PORT = ("Port", "The docking port (location)")
    ID = ("ID", "The event's Launch Library 2 id")

    @property
    def title(self) -> str:
        return self.value[0]

    @property
    def tooltip(self) -> str:
        return self.value[1]


COLUMNS = list(Column)
COLUMN_INDEX = {column: number for number, column in enumerate(COLUMNS)}


COLUMNS = list(Column)
COLUMN_INDEX = {column: number for number, column in enumerate(COLUMNS)}
_DOCKING = COLUMN_INDEX[Column.DOCKING]
_DEPARTURE = COLUMN_INDEX[Column.DEPARTURE]
_DOCKED_FOR = COLUMN_INDEX[Column.DOCKED_FOR]
_ID = COLUMN_INDEX[Column.ID]
#: The text columns and the row field each shows.
TEXT_FIELDS = {
    COLUMN_INDEX[Column.SPACECRAFT]: "chaser",
    COLUMN_INDEX[Column.TARGET]: "target",
    COLUMN_INDEX[Column.SERIAL]: "serial_number",
    COLUMN_INDEX[Column.TYPE]: "config_type",
    COLUMN_INDEX[Column.CONFIG]: "config_name",
    COLUMN_INDEX[Column.AGENCY]: "agency_name",
    COLUMN_INDEX[Column.STATION]: "station_name",
    COLUMN_INDEX[Column.PORT]: "location_name",
}


def cell_text(row: EventRow, column: int, zone: tzinfo, now: float) -> str:
    """A cell as the table shows it (and as the CSV export writes it)."""
    if column == _DOCKING:
        return format_time(row.docking_ts, zone)
    if column == _DEPARTURE:
        return format_time(row.departure_ts, zone) if row.departure_ts else ""
    if column == _DOCKED_FOR:
        stay = format_stay(row.stay_seconds(now))
        if row.departure_ts is None:
            return "gone upstream" if row.gone else f"docked now · {stay}"
        return stay
    if column == _ID:
        return str(row.id)
    value = getattr(row, TEXT_FIELDS[column])
    return value if value is not None else ""


_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def choices_from_rows(rows: Sequence[EventRow]) -> FilterChoices:
    """``Store.filter_choices`` worked out from rows already in memory, in the same order
    (SQL's ``max`` skips NULLs, SQLite's ``lower`` folds ASCII only, NULLs sort first). The
    window starts with this: the SQL form reads every row of the cache, raw JSON and all
    (300-500 ms at 50,000 events here), where these passes run mostly in C."""

    def column(name: str) -> list[Any]:
        return list(map(operator.attrgetter(name), rows))

    def counted(ids: list[Any]) -> Counter[Any]:
        counts = Counter(ids)
        counts.pop(None, None)
        return counts

    def largest(ids: list[Any], values: list[Any]) -> dict[Any, Any]:
        """The largest non-NULL value for each id, like SQL's ``max`` (the last one wins)."""
        pairs = [
            pair
            for pair in set(zip(ids, values, strict=True))
            if pair[0] is not None and pair[1] is not None
        ]
        pairs.sort()
        return dict(pairs)

    def by_name(names: dict[Any, Any]) -> Callable[[tuple[Any, int]], tuple[bool, str, Any]]:
        def key(item: tuple[Any, int]) -> tuple[bool, str, Any]:
            name = names.get(item[0])
            return (name is not None, (name or "").translate(_ASCII_LOWER), item[0])

        return key

    station_ids, location_ids, craft_ids = (
        column("station_id"),
        column("location_id"),
        column("spacecraft_id"),
    )
    station_names = largest(station_ids, column("station_name"))
    stations = [
        (sid, station_names.get(sid) or f"Station {sid}", count)
        for sid, count in counted(station_ids).items()
    ]
    stations.sort(key=lambda item: (item[0] in station_names, station_names.get(item[0], "")))
    stations.sort(key=lambda item: -item[2])

    port_names = largest(location_ids, column("location_name"))
    port_stations = largest(location_ids, station_ids)
    ports = [
        (pid, port_names.get(pid) or f"Port {pid}", port_stations.get(pid), count)
        for pid, count in sorted(counted(location_ids).items(), key=by_name(port_names))
    ]

    craft_names = largest(craft_ids, column("spacecraft_name"))
    craft_serials = largest(craft_ids, column("serial_number"))
    spacecraft = []
    for craft_id, count in sorted(counted(craft_ids).items(), key=by_name(craft_names)):
        label = craft_names.get(craft_id) or f"Spacecraft {craft_id}"
        serial = craft_serials.get(craft_id)
        if serial and serial not in label:
            label = f"{label} ({serial})"
        spacecraft.append((craft_id, label, count))
    return FilterChoices(stations=stations, ports=ports, spacecraft=spacecraft)
