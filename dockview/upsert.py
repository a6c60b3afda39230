"""Writing a page of events into an open write transaction: which events are new or changed,
and their rows, derived from the column spec in ``dockview/store_schema.py``.

The caller (``Store``) owns the transaction; nothing here commits.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from dockview.records import DockingEvent
from dockview.store_schema import EVENTS, LOOKUPS, RAW_JSON, dump


class ChangeKind(StrEnum):
    """What one sync did to one event; stored by value in the last sync's changes."""

    NEW = "new"
    #: The departure was filled in.
    DEPARTED = "departed"
    #: The docking or departure time moved.
    TIMES = "times"
    #: Anything else in the event's JSON.
    DETAILS = "details"
    #: No longer listed upstream after a complete full pass.
    GONE = "gone"


@dataclass(frozen=True)
class Change:
    """What one sync did to one event, with its times before and after (ISO UTC)."""

    event_id: int
    kind: ChangeKind
    docking_before: str | None
    departure_before: str | None
    docking_after: str | None
    departure_after: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "kind": self.kind.value,
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
        try:
            kind = ChangeKind(text.get("kind") or "")
        except ValueError:
            kind = ChangeKind.DETAILS  # none, or one a newer dockview knows
        return cls(
            event_id=value["event_id"],
            kind=kind,
            docking_before=text.get("docking_before"),
            departure_before=text.get("departure_before"),
            docking_after=text.get("docking_after"),
            departure_after=text.get("departure_after"),
        )


def change_kind(
    docking_before: str | None,
    departure_before: str | None,
    docking_after: str | None,
    departure_after: str | None,
) -> ChangeKind:
    if departure_before is None and departure_after is not None:
        return ChangeKind.DEPARTED
    if (docking_before, departure_before) != (docking_after, departure_after):
        return ChangeKind.TIMES
    return ChangeKind.DETAILS


@dataclass
class UpsertResult:
    """What writing one page (or, added up, a whole sync) did."""

    new_ids: list[int] = field(default_factory=list)
    changed_ids: list[int] = field(default_factory=list)
    unchanged: int = 0
    changes: list[Change] = field(default_factory=list)

    @property
    def new(self) -> int:
        return len(self.new_ids)

    @property
    def changed(self) -> int:
        return len(self.changed_ids)

    @property
    def stored(self) -> int:
        return self.new + self.changed + self.unchanged

    def add(self, other: UpsertResult) -> None:
        self.new_ids.extend(other.new_ids)
        self.changed_ids.extend(other.changed_ids)
        self.unchanged += other.unchanged
        self.changes.extend(other.changes)


_RAW_JSON = EVENTS.position(RAW_JSON)
_DOCKING = EVENTS.position("docking")
_DEPARTURE = EVENTS.position("departure")
_CHANGED_AT = EVENTS.position("changed_at")
#: Rows are looked up in chunks: SQLite allows at most 999 parameters in old builds.
_CHUNK = 500


def upsert_events(
    conn: sqlite3.Connection,
    events: Sequence[DockingEvent],
    *,
    source_url: str,
    run_id: str | None,
    now: str,
    is_sample: bool,
) -> UpsertResult:
    """Insert or update each event (the last of a repeated id wins), telling new, changed
    (raw JSON differs; never for the sample) and unchanged ones apart."""
    unique = {event.id: event for event in events}
    existing: dict[int, tuple[str, int, str, str | None, str]] = {}
    ids = list(unique)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(
            "SELECT id, raw_json, is_sample, docking, departure, api_version"
            f" FROM docking_events WHERE id IN ({marks})",
            chunk,
        ):
            existing[row[0]] = (row[1], row[2], row[3], row[4], row[5])
    make_row = EVENTS.row_maker(
        {
            "source_url": source_url,
            "fetched_at": now,
            "first_seen_at": now,
            "changed_at": None,
            "gone_upstream_at": None,
            "is_sample": 1 if is_sample else 0,
            "seen_in_run": run_id,
        }
    )
    result = UpsertResult()
    rows = []
    for event in unique.values():
        row = make_row(event)
        docking, departure = row[_DOCKING], row[_DEPARTURE]
        before = existing.get(event.id)
        if before is None:
            result.new_ids.append(event.id)
            result.changes.append(Change(event.id, ChangeKind.NEW, None, None, docking, departure))
        elif (
            before[0] != row[_RAW_JSON]
            and not before[1]
            # The same event from another API version is another shape, not a change, unless
            # its times differ: a switch of version keeps the change marks.
            and (before[4] == event.api_version or (before[2], before[3]) != (docking, departure))
        ):
            result.changed_ids.append(event.id)
            kind = change_kind(before[2], before[3], docking, departure)
            result.changes.append(Change(event.id, kind, before[2], before[3], docking, departure))
            row[_CHANGED_AT] = now
        else:
            result.unchanged += 1
        rows.append(row)
    conn.executemany(EVENTS.upsert_sql, rows)
    return result


def upsert_lookups(conn: sqlite3.Connection, events: Sequence[DockingEvent]) -> None:
    """Each nested object once a page, as the first event that has it says it."""
    for lookup in LOOKUPS:
        table = lookup.table
        make_row = table.row_maker({})
        raw, raw_at = lookup.raw, table.position(RAW_JSON) if lookup.raw else -1
        rows: dict[int, list[Any]] = {}
        for event in events:
            found = lookup.find(event)
            if found is None or found.id in rows:
                continue
            row = make_row(found)
            if raw is not None:
                row[raw_at] = dump(raw(event.raw))
            rows[found.id] = row
        if rows:
            conn.executemany(table.upsert_sql, list(rows.values()))
