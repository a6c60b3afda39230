"""One filter, three forms: ``accepts(row)`` for the window, SQL for the cache and
``dockview export``, JSON for the window's remembered filters.

Meaning, the same in every form:
- ``station_id``, ``location_id`` (port), ``spacecraft_id``, ``flight_vehicle_id``: equal ids;
  an event without that id (no station known, say) never matches a chosen one.
- ``text``: after trimming, a case-folded substring of ``dockview.rows.search_text`` (chaser,
  target, spacecraft, serial, configuration, type, agency, port, station). Full Unicode case
  folding, in SQL too: SQLite's ``lower()`` and ``LIKE`` fold ASCII only, so the SQL form calls
  the very Python function the rows use, registered on the connection (``install``). That costs
  one Python call per row, only when there is text to find; a folded column would need a schema
  migration and a rewrite of every row for a search the command line rarely makes.
- ``since_ts``/``until_ts``: stays that overlap the span; a stay still open overlaps any span
  that starts before now.
- ``docked_now``: no departure and still listed upstream (an event the API dropped is not known
  to be docked).
- ``include_gone``: events the API no longer lists are shown (struck out in the window) and
  exported unless this is off (``dockview export --skip-gone``).
- ``ids``: only these events (Export selected, ``--ids``).
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import repeat
from operator import attrgetter, contains, eq
from typing import Any

from dockview.rows import SEARCH_COLUMNS, EventRow, search_text

SQL_SEARCH_FUNCTION = "dockview_search_text"


@dataclass(frozen=True)
class EventQuery:
    station_id: int | None = None
    location_id: int | None = None
    spacecraft_id: int | None = None
    flight_vehicle_id: int | None = None
    text: str = ""
    since_ts: float | None = None
    until_ts: float | None = None
    docked_now: bool = False
    include_gone: bool = True
    ids: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        # Hashable and order-free, whatever sequence the caller gave.
        if self.ids is not None and not isinstance(self.ids, tuple):
            object.__setattr__(self, "ids", tuple(self.ids))

    # -- derived --------------------------------------------------------------------------------

    @property
    def needle(self) -> str:
        """The text as it is searched for: trimmed and case-folded."""
        return self.text.strip().casefold()

    def is_filtered(self) -> bool:
        return self != EventQuery()

    def changed(self, **changes: Any) -> EventQuery:
        return replace(self, **changes)

    # -- the Python form ------------------------------------------------------------------------

    def accepts(self, row: EventRow) -> bool:
        """The filter on one row: precomputed fields only (the proxy calls this per row)."""
        if self.station_id is not None and row.station_id != self.station_id:
            return False
        if self.location_id is not None and row.location_id != self.location_id:
            return False
        if self.spacecraft_id is not None and row.spacecraft_id != self.spacecraft_id:
            return False
        if self.flight_vehicle_id is not None and row.flight_vehicle_id != self.flight_vehicle_id:
            return False
        if self.ids is not None and row.id not in self.ids:
            return False
        if self.docked_now and (row.departure_ts is not None or row.gone):
            return False
        if not self.include_gone and row.gone:
            return False
        if self.until_ts is not None and row.docking_ts > self.until_ts:
            return False
        if (
            self.since_ts is not None
            and row.departure_ts is not None
            and row.departure_ts < self.since_ts
        ):
            return False
        needle = self.needle
        return not needle or needle in row.search_text

    def predicate(self) -> Callable[[EventRow], bool]:
        """``accepts`` as the tightest function for this query: the proxy calls it once per
        row on every change, so the common single filters skip the other checks."""
        alone = EventQuery(station_id=self.station_id)
        if self == EventQuery():
            return _accept_all
        if self == alone:
            station = self.station_id
            return lambda row: row.station_id == station
        if self == EventQuery(text=self.text):
            needle = self.needle
            return lambda row: needle in row.search_text
        if self == EventQuery(docked_now=True):
            return _docked_now
        return self.accepts

    def answers(self, rows: Sequence[EventRow]) -> list[bool]:
        """``accepts`` for every row, in order. The common single filters compare a column
        of the rows in C (``map`` over ``operator`` functions), with no Python call per row:
        the window asks this on every filter change, over tens of thousands of rows."""
        if self == EventQuery():
            return [True] * len(rows)
        if self == EventQuery(station_id=self.station_id):
            return list(map(eq, map(_STATION_ID, rows), repeat(self.station_id)))
        if self == EventQuery(text=self.text):
            return list(map(contains, map(_SEARCH_TEXT, rows), repeat(self.needle)))
        if self == EventQuery(docked_now=True):
            return list(map(_DOCKED_NOW, rows))
        return list(map(self.predicate(), rows))

    # -- the SQL form ---------------------------------------------------------------------------

    def where(self, conn: sqlite3.Connection) -> tuple[str, list[object]]:
        """``WHERE …`` (or nothing) and its parameters, over the ``docking_events`` table of
        ``conn``; a query with text registers its folding function there first."""
        clauses: list[str] = []
        params: list[object] = []
        for column in ("station_id", "location_id", "spacecraft_id", "flight_vehicle_id"):
            value = getattr(self, column)
            if value is not None:
                clauses.append(f"{column} = ?")
                params.append(value)
        if self.ids is not None:
            # One parameter however many ids (a selection may hold more than SQLite's limit).
            clauses.append("id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(self.ids))
        if self.docked_now:
            clauses.append("departure_ts IS NULL AND gone_upstream_at IS NULL")
        if not self.include_gone:
            clauses.append("gone_upstream_at IS NULL")
        if self.until_ts is not None:
            clauses.append("docking_ts <= ?")
            params.append(self.until_ts)
        if self.since_ts is not None:
            clauses.append("(departure_ts IS NULL OR departure_ts >= ?)")
            params.append(self.since_ts)
        needle = self.needle
        if needle:
            install(conn)
            clauses.append(f"instr({SQL_SEARCH_FUNCTION}({', '.join(SEARCH_COLUMNS)}), ?) > 0")
            params.append(needle)
        return ("WHERE " + " AND ".join(clauses) if clauses else ""), params

    # -- the JSON form --------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """Only what differs from the defaults, so a remembered state stays readable."""
        default = EventQuery()
        state = {
            name: value for name, value in asdict(self).items() if value != getattr(default, name)
        }
        if "ids" in state:
            state["ids"] = list(state["ids"])
        return state

    @classmethod
    def from_json(cls, state: object) -> EventQuery:
        """The inverse of ``to_json``; anything malformed is left at its default, never fatal
        (a remembered state may come from another version)."""
        if not isinstance(state, dict):
            return cls()
        changes: dict[str, Any] = {}
        for name in ("station_id", "location_id", "spacecraft_id", "flight_vehicle_id"):
            value = state.get(name)
            if isinstance(value, int) and not isinstance(value, bool):
                changes[name] = value
        for name in ("since_ts", "until_ts"):
            value = state.get(name)
            if (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and math.isfinite(value)
            ):
                changes[name] = float(value)
        for name in ("docked_now", "include_gone"):
            value = state.get(name)
            if isinstance(value, bool):
                changes[name] = value
        text = state.get("text")
        if isinstance(text, str):
            changes["text"] = text
        ids = state.get("ids")
        if isinstance(ids, list) and all(
            isinstance(i, int) and not isinstance(i, bool) for i in ids
        ):
            changes["ids"] = tuple(ids)
        return cls(**changes)


_STATION_ID = attrgetter("station_id")
_SEARCH_TEXT = attrgetter("search_text")
_DOCKED_NOW = attrgetter("docked_now")


def _accept_all(row: EventRow) -> bool:
    return True


def _docked_now(row: EventRow) -> bool:
    return row.departure_ts is None and not row.gone


def install(conn: sqlite3.Connection) -> None:
    """Register the text folding the SQL form calls (idempotent, per connection)."""
    conn.create_function(SQL_SEARCH_FUNCTION, len(SEARCH_COLUMNS), search_text, deterministic=True)


def day_span(
    first: date | None, last: date | None, zone: tzinfo
) -> tuple[float | None, float | None]:
    """Whole calendar days in a time zone → the query's span: from the first day's midnight to
    the last day's end (the window's date range and ``--from``/``--to`` both use this)."""
    since = datetime.combine(first, time.min, zone).timestamp() if first else None
    until = (
        (datetime.combine(last, time.min, zone) + timedelta(days=1)).timestamp() - 1e-3
        if last
        else None
    )
    return since, until
