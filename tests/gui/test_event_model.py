"""The table model and its proxy: Qt's own consistency checks, every filter, every order."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from dockview.store import Store
from dockview.ui.event_model import (
    COLUMN_INDEX,
    Column,
    EventFilterProxy,
    EventRow,
    EventTableModel,
)


@pytest.fixture
def proxy(seeded_db: Path, qtbot: Any) -> EventFilterProxy:
    with Store(seeded_db) as store:
        rows = [EventRow(fields) for fields in store.table_rows()]
    model = EventTableModel()
    model.set_utc(True)
    model.set_rows(rows)
    filtered = EventFilterProxy()
    filtered.setSourceModel(model)
    return filtered


def shown(proxy: EventFilterProxy) -> list[int]:
    return [row.id for row in proxy.visible_rows()]


def column_text(proxy: EventFilterProxy, column: Column) -> list[str]:
    number = COLUMN_INDEX[column]
    return [proxy.index(row, number).data() for row in range(proxy.rowCount())]


def test_model_and_proxy_pass_qt_model_tester(proxy: EventFilterProxy, qtmodeltester: Any) -> None:
    qtmodeltester.check(proxy.event_model())
    qtmodeltester.check(proxy)
    proxy.set_filters(station_id=4, text="dragon")
    proxy.sort(COLUMN_INDEX[Column.DEPARTURE], Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)


def test_cells_read_as_a_person_expects(proxy: EventFilterProxy) -> None:
    proxy.set_filters(text="endeavour")
    row = {column: proxy.index(0, COLUMN_INDEX[column]).data() for column in Column}
    assert row == {
        Column.DOCKING: "2024-05-02 13:46",
        Column.DEPARTURE: "2024-10-23 21:05",
        Column.DOCKED_FOR: "174 d 7 h",
        Column.SPACECRAFT: "Crew Dragon Endeavour",
        Column.SERIAL: "C206",
        Column.TYPE: "Capsule",
        Column.CONFIG: "Crew Dragon 2",
        Column.AGENCY: "SpaceX",
        Column.TARGET: "International Space Station",
        Column.STATION: "International Space Station",
        Column.PORT: "Harmony zenith",
        Column.ID: "568",
    }
    assert proxy.headerData(0, Qt.Orientation.Horizontal) == "Docking"


def test_a_vehicle_still_docked_counts_up(proxy: EventFilterProxy) -> None:
    proxy.set_filters(docked_now=True)
    assert shown(proxy) == [620]
    text = proxy.index(0, COLUMN_INDEX[Column.DOCKED_FOR]).data()
    days = (datetime.now(UTC) - datetime(2025, 4, 8, 8, 57, 43, tzinfo=UTC)).days
    assert text.startswith(f"docked now · {days} d")
    assert proxy.index(0, COLUMN_INDEX[Column.DEPARTURE]).data() == ""


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"station_id": 18}, {569, 529}),
        ({"location_id": 30}, {568, 566}),
        ({"spacecraft_id": 289}, {568}),
        ({"text": "PROGRESS"}, {563, 570}),
        ({"text": "ms-26"}, {563}),
        ({"text": "roscosmos"}, {563, 570, 620}),
        ({"text": "\u201cdick\u201d"}, {572}),
        ({"docked_now": True}, {620}),
        # Stays that overlap March 2024.
        (
            {
                "since_ts": datetime(2024, 3, 1, tzinfo=UTC).timestamp(),
                "until_ts": datetime(2024, 4, 1, tzinfo=UTC).timestamp(),
            },
            {529, 563, 566},
        ),
        # Every Progress at Zvezda aft.
        ({"station_id": 4, "location_id": 2, "text": "progress"}, {563}),
    ],
)
def test_each_filter_shows_the_right_rows(
    proxy: EventFilterProxy, filters: dict[str, Any], expected: set[int]
) -> None:
    proxy.set_filters(**filters)
    assert set(shown(proxy)) == expected
    proxy.clear_filters()
    assert proxy.rowCount() == 10


def test_docking_orders_chronologically_both_ways(proxy: EventFilterProxy) -> None:
    proxy.sort(COLUMN_INDEX[Column.DOCKING], Qt.SortOrder.AscendingOrder)
    times = [row.docking_ts for row in proxy.visible_rows()]
    assert times == sorted(times)
    assert shown(proxy)[:3] == [529, 528, 563]
    proxy.sort(COLUMN_INDEX[Column.DOCKING], Qt.SortOrder.DescendingOrder)
    assert [row.docking_ts for row in proxy.visible_rows()] == sorted(times, reverse=True)


def test_departure_orders_chronologically_with_open_stays_last(proxy: EventFilterProxy) -> None:
    proxy.sort(COLUMN_INDEX[Column.DEPARTURE], Qt.SortOrder.AscendingOrder)
    ids = shown(proxy)
    assert ids[-1] == 620
    departures = [row.departure_ts for row in proxy.visible_rows()[:-1]]
    assert departures == sorted(departures)
    assert column_text(proxy, Column.DEPARTURE)[:2] == ["2024-02-07 14:20", "2024-04-28 17:10"]


def test_the_longest_dragon_stay(proxy: EventFilterProxy) -> None:
    proxy.set_filters(text="dragon")
    proxy.sort(COLUMN_INDEX[Column.DOCKED_FOR], Qt.SortOrder.DescendingOrder)
    assert shown(proxy)[0] == 568
    assert column_text(proxy, Column.DOCKED_FOR)[0] == "174 d 7 h"


def test_text_columns_sort_without_regard_to_case(proxy: EventFilterProxy) -> None:
    proxy.sort(COLUMN_INDEX[Column.SPACECRAFT], Qt.SortOrder.AscendingOrder)
    names = column_text(proxy, Column.SPACECRAFT)
    assert names == sorted(names, key=str.casefold)


def test_ordering_by_id_matches_the_api_field(proxy: EventFilterProxy) -> None:
    proxy.sort(COLUMN_INDEX[Column.ID], Qt.SortOrder.AscendingOrder)
    assert shown(proxy) == sorted(shown(proxy))


def test_time_zone_toggle_changes_what_is_shown(
    proxy: EventFilterProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        proxy.set_filters(text="endeavour")
        model = proxy.event_model()
        model.set_utc(False)
        assert proxy.index(0, COLUMN_INDEX[Column.DOCKING]).data() == "2024-05-02 22:46"
        model.set_utc(True)
        assert proxy.index(0, COLUMN_INDEX[Column.DOCKING]).data() == "2024-05-02 13:46"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_counts_for_the_filter_lists(seeded_db: Path) -> None:
    with Store(seeded_db) as store:
        choices = store.filter_choices()
    assert choices.stations == [
        (4, "International Space Station", 8),
        (18, "Tiangong space station", 2),
    ]
    assert [name for _, name, _ in choices.ports_at(18)] == ["Tianhe aft", "Tianhe nadir"]
    assert ("Crew Dragon Endeavour (C206)", 1) in [(n, c) for _, n, c in choices.spacecraft]


def test_a_sync_merge_keeps_rows_and_appends_new_ones(proxy: EventFilterProxy, qtbot: Any) -> None:
    model = proxy.event_model()
    first = model.rows[0]
    fields = [getattr(first, name) for name in ("id", "docking_ts")]
    assert fields[0] == first.id
    changed = EventRow(
        (
            first.id,
            first.docking_ts,
            first.docking_ts + 3600,
            first.spacecraft_id,
            "Renamed",
            first.serial_number,
            first.config_type,
            first.config_name,
            first.agency_name,
            first.station_id,
            first.station_name,
            first.location_id,
            first.location_name,
            first.flight_vehicle_id,
            None,
            None,
            None,
            None,
        )
    )
    new = EventRow(
        (
            9999,
            first.docking_ts + 10,
            None,
            1,
            "Newcomer",
            None,
            None,
            None,
            None,
            4,
            "International Space Station",
            30,
            "Harmony zenith",
            1,
            None,
            None,
            None,
            None,
        )
    )
    with qtbot.waitSignal(model.rowsInserted), qtbot.waitSignal(model.dataChanged):
        assert model.apply_rows([changed, new]) == (1, 1)
    assert model.rowCount() == 11
    assert model.rows[0].spacecraft_name == "Renamed"
    assert model.rows[0].chaser == "Renamed"  # 2.2.0 rows: the chaser is the spacecraft
