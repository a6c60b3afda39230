"""The window's filter lists, worked out from the rows it loaded, are the cache's own lists."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from dockview.records import parse_events
from dockview.rows import EventRow, choices_from_rows
from dockview.store import Store


def test_lists_from_rows_match_the_cache_with_odd_names(
    db_path: Path, seed_events: list[dict[str, Any]]
) -> None:
    events = copy.deepcopy(seed_events)
    twins = copy.deepcopy(events)
    for offset, twin in enumerate(twins, start=1):
        twin["id"] = 90_000 + offset
    with Store(db_path) as store:
        parsed, _ = parse_events([*events, *twins])
        store.write_page(parsed, source_url="https://ll.thespacedevs.com/2.2.0")
        ids = [row[0] for row in store.conn.execute("SELECT id FROM docking_events ORDER BY id")]
        odd = [
            # A name in other case, one missing, one beyond ASCII, a station unknown.
            ("station_name", "international space station", ids[0]),
            ("station_name", None, ids[1]),
            ("location_name", None, ids[2]),
            ("location_name", "Ünity nadir", ids[3]),
            ("location_name", "zarya nadir", ids[4]),
            ("spacecraft_name", None, ids[5]),
            ("spacecraft_name", "ÉCLAIR", ids[6]),
            ("serial_number", None, ids[7]),
            ("station_id", None, ids[8]),
        ]
        for column, value, event_id in odd:
            store.conn.execute(
                f"UPDATE docking_events SET {column} = ? WHERE id = ?", [value, event_id]
            )
        store.conn.commit()
        rows = [EventRow(fields) for fields in store.table_rows()]
        expected = store.filter_choices()
    chosen = choices_from_rows(rows)
    assert chosen.stations == expected.stations
    assert chosen.ports == expected.ports
    assert chosen.spacecraft == expected.spacecraft
    assert len(expected.ports) > 1 and len(expected.spacecraft) > 1
