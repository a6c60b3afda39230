"""Full configuration and agency records fetched from 2.3.0's and 2.4.0's own endpoints.

Their docking events carry only a short configuration and agency; the detail pane wants the
full records (capacities, maiden flight, the agency's description and administrator). They live
in the same lookup tables as the events' short copies, marked by ``fetched_at``, with their raw
JSON whole (unknown fields included); an event's short copy never overwrites them (see
``dockview/store_schema.py``). Ids that were asked for and did not resolve are remembered in
``lookup_misses``, so that they are not asked again within a day.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from dockview.records import parse_agency, parse_config
from dockview.store import Store
from dockview.store_schema import dump
from dockview.timefmt import utc_now_iso

#: Lookup kinds fetched from their own endpoints, and the table each is kept in.
LOOKUP_TABLES = {"configs": "spacecraft_configs", "agencies": "agencies"}
#: The column of ``docking_events`` that names each kind's id.
_EVENT_COLUMNS = {"configs": "config_id", "agencies": "agency_id"}


class LookupRecords:
    """The fetched records in one open cache."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def write(
        self, kind: str, records: Sequence[Mapping[str, Any]], asked_ids: Iterable[int] = ()
    ) -> list[int]:
        """Store full records of ``kind`` (a key of :data:`LOOKUP_TABLES`) as fetched; ids in
        ``asked_ids`` that none of them has are remembered as misses and returned."""
        table = LOOKUP_TABLES[kind]
        now = utc_now_iso()
        rows: dict[int, tuple[Any, ...]] = {}
        for raw in records:
            ident = raw.get("id")
            if not isinstance(ident, int) or isinstance(ident, bool):
                continue
            name = raw.get("name") if isinstance(raw.get("name"), str) else None
            if kind == "configs":
                config = parse_config(raw)
                agency_id = config.agency.id if config and config.agency else None
                rows[ident] = (ident, name, config.type if config else None, agency_id)
            else:
                agency = parse_agency(raw)
                rows[ident] = (
                    ident,
                    name,
                    agency.type if agency else None,
                    agency.abbrev if agency else None,
                    agency.country_code if agency else None,
                )
            rows[ident] += (dump(raw), now)
        columns = (
            ["id", "name", "type", "agency_id"]
            if kind == "configs"
            else ["id", "name", "type", "abbrev", "country_code"]
        ) + ["raw_json", "fetched_at"]
        updates = ", ".join(f"{name} = excluded.{name}" for name in columns[1:])
        marks = ",".join("?" * len(columns))
        missing = [ident for ident in dict.fromkeys(asked_ids) if ident not in rows]
        with self.store.writing("write lookup records to") as conn:
            conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
                f" ON CONFLICT(id) DO UPDATE SET {updates}",
                list(rows.values()),
            )
            conn.executemany(
                "DELETE FROM lookup_misses WHERE kind = ? AND id = ?",
                [(kind, ident) for ident in rows],
            )
            conn.executemany(
                "INSERT INTO lookup_misses (kind, id, asked_at) VALUES (?, ?, ?)"
                " ON CONFLICT(kind, id) DO UPDATE SET asked_at = excluded.asked_at",
                [(kind, ident, now) for ident in missing],
            )
        return missing

    def missing_ids(self, kind: str, *, not_asked_since: str | None = None) -> list[int]:
        """Ids of ``kind`` that stored 2.3.0/2.4.0 events name and no fetched record has,
        leaving out misses asked for at or after ``not_asked_since`` (ISO UTC)."""
        table = LOOKUP_TABLES[kind]
        column = _EVENT_COLUMNS[kind]
        sql = (
            f"SELECT DISTINCT e.{column} FROM docking_events e"
            f" LEFT JOIN {table} t ON t.id = e.{column}"
            f" LEFT JOIN lookup_misses m ON m.kind = ? AND m.id = e.{column}"
            f" WHERE e.{column} IS NOT NULL AND e.api_version != '2.2.0'"
            " AND t.fetched_at IS NULL AND (m.asked_at IS NULL OR m.asked_at < ?)"
            f" ORDER BY e.{column}"
        )
        since = not_asked_since or "9999"
        return [row[0] for row in self.store.conn.execute(sql, [kind, since])]

    def record(self, kind: str, ident: int) -> dict[str, Any] | None:
        """The full record of ``kind`` fetched from its own endpoint, as the API sent it."""
        row = self.store.conn.execute(
            f"SELECT raw_json FROM {LOOKUP_TABLES[kind]} WHERE id = ? AND fetched_at IS NOT NULL",
            [ident],
        ).fetchone()
        return json.loads(row[0]) if row else None

    def for_event(self, event_id: int) -> tuple[dict[str, Any] | None, ...]:
        """The fetched (config, agency) records of one event's spacecraft configuration."""
        row = self.store.conn.execute(
            "SELECT config_id, agency_id FROM docking_events WHERE id = ?", [event_id]
        ).fetchone()
        if row is None:
            return None, None
        return tuple(
            self.record(kind, ident) if ident is not None else None
            for kind, ident in zip(LOOKUP_TABLES, row, strict=True)
        )

    def summary(self) -> dict[str, tuple[int, str | None]]:
        """Per lookup kind: how many full records are stored and when the newest came."""
        out: dict[str, tuple[int, str | None]] = {}
        for kind, table in LOOKUP_TABLES.items():
            count, newest = self.store.conn.execute(
                f"SELECT count(*), max(fetched_at) FROM {table} WHERE fetched_at IS NOT NULL"
            ).fetchone()
            out[kind] = (int(count), newest)
        return out
