"""The table on Qt's QSortFilterProxyModel: what a person selected stays selected, current and
in view through every sort and every filter change that keeps it; new rows land in order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt

from dockview.rows import EventRow
from dockview.store import TABLE_FIELDS
from dockview.ui.event_model import COLUMN_INDEX, Column
from dockview.ui.main_window import MainWindow
from ll2_loopback import generate_events

MakeWindow = Callable[..., MainWindow]
ASCENDING, DESCENDING = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


def add_events(window: MainWindow, count: int) -> None:
    """Generated events in the window's cache and table: enough that a sort moves rows far."""
    from dockview.records import parse_events

    events, _ = parse_events(generate_events(count, seed=11))
    window.store.write_page(events, source_url="https://ll.example.org/2.2.0")
    window.model.set_rows(EventRow(fields) for fields in window.store.table_rows())


@pytest.fixture
def window(make_window: MakeWindow, seeded_db: Path) -> MainWindow:
    window = make_window(seeded_db, offline=True)
    window.resize(1000, 500)
    add_events(window, 400)
    return window


def choose(window: MainWindow, event_id: int) -> None:
    assert window.select_event(event_id)


def in_view(window: MainWindow) -> bool:
    rect = window.table.visualRect(window.table.currentIndex())
    return rect.isValid() and window.table.viewport().rect().intersects(rect)


def test_the_table_model_is_qt_sort_filter_proxy(window: MainWindow, qtmodeltester: Any) -> None:
    assert isinstance(window.table.model(), QSortFilterProxyModel)
    qtmodeltester.check(window.proxy)


@pytest.mark.parametrize("column", list(Column))
def test_selection_current_row_and_view_survive_every_sort(
    window: MainWindow, qtbot: Any, column: Column
) -> None:
    picked = window.proxy.event_id_at(window.proxy.rowCount() // 3)
    assert picked is not None
    choose(window, picked)
    for order in (ASCENDING, DESCENDING):
        window.table.sortByColumn(COLUMN_INDEX[column], order)
        assert window.proxy.sortColumn() == COLUMN_INDEX[column]
        assert window.proxy.sortOrder() == order
        assert window.table.horizontalHeader().sortIndicatorSection() == COLUMN_INDEX[column]
        assert window.selected_ids() == [picked]
        assert window.current_id() == picked
        qtbot.waitUntil(lambda: in_view(window))


def test_selection_survives_filter_changes_that_keep_the_row(
    window: MainWindow, qtbot: Any
) -> None:
    window.table.sortByColumn(COLUMN_INDEX[Column.DOCKING], DESCENDING)
    row = window.proxy.visible_rows()[150]
    choose(window, row.id)
    bar = window.filter_bar
    changes: list[Callable[[], None]] = [
        lambda: bar.station_filter.setCurrentIndex(bar.station_filter.findData(row.station_id)),
        lambda: bar.port_filter.setCurrentIndex(bar.port_filter.findData(row.location_id)),
        lambda: (bar.search_field.setText((row.spacecraft_name or "")[:4]), bar.flush_search()),
        lambda: bar.port_filter.setCurrentIndex(0),
        bar.clear,
    ]
    for change in changes:
        change()
        assert window.selected_ids() == [row.id], change
        assert window.current_id() == row.id
        qtbot.waitUntil(lambda: in_view(window))


def test_a_filter_that_hides_the_selected_row_clears_the_selection(window: MainWindow) -> None:
    row = window.proxy.visible_rows()[10]
    choose(window, row.id)
    window.proxy.set_filters(ids=(row.id + 100_000,))
    assert window.selected_ids() == []
    window.proxy.clear_filters()
    assert window.proxy.rowCount() == window.model.rowCount()


def test_rows_a_sync_adds_or_changes_land_in_their_sorted_place(window: MainWindow) -> None:
    window.table.sortByColumn(COLUMN_INDEX[Column.DOCKING], DESCENDING)
    newest = window.proxy.visible_rows()[0]
    choose(window, window.proxy.visible_rows()[5].id)
    kept = window.current_id()
    fields = dict.fromkeys(TABLE_FIELDS)
    fields.update(id=999_001, docking_ts=newest.docking_ts + 3600, spacecraft_name="Newcomer")
    added = EventRow(tuple(fields[name] for name in TABLE_FIELDS))
    moved = window.proxy.visible_rows()[-1]
    fields.update(id=moved.id, docking_ts=newest.docking_ts + 60, spacecraft_name="Moved")
    changed = EventRow(tuple(fields[name] for name in TABLE_FIELDS))
    assert window.model.apply_rows([added, changed]) == (1, 1)
    assert [row.id for row in window.proxy.visible_rows()[:3]] == [999_001, moved.id, newest.id]
    times = [row.docking_ts for row in window.proxy.visible_rows()]
    assert times == sorted(times, reverse=True)
    assert window.current_id() == kept


def test_the_table_shows_the_rows_the_query_accepts_in_order(window: MainWindow) -> None:
    window.table.sortByColumn(COLUMN_INDEX[Column.SPACECRAFT], ASCENDING)
    window.proxy.set_filters(text="a")
    proxy = window.proxy
    shown = [proxy.event_id_at(row) for row in range(proxy.rowCount())]
    assert shown == [row.id for row in proxy.visible_rows()]
    names = [proxy.index(row, COLUMN_INDEX[Column.SPACECRAFT]).data() for row in range(5)]
    assert names == sorted(names, key=str.casefold)
    selection = window.table.selectionModel()
    selection.select(
        proxy.index(0, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    assert window.selected_ids() == [shown[0]]


def test_export_selected_as_csv_follows_the_order_shown(window: MainWindow, tmp_path: Path) -> None:
    import csv

    window.table.sortByColumn(COLUMN_INDEX[Column.SPACECRAFT], DESCENDING)
    shown = [row.id for row in window.proxy.visible_rows()]
    picked = [shown[7], shown[2], shown[30]]
    assert window.export_to(picked, tmp_path / "picked.csv")
    with (tmp_path / "picked.csv").open(encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[0][-1] == "ID" and "Chaser" in lines[0]
    assert [int(line[-1]) for line in lines[1:]] == [shown[2], shown[7], shown[30]]


def test_the_shown_ids_follow_sorts_syncs_and_filters(window: MainWindow) -> None:
    proxy = window.proxy

    def shown() -> set[int]:
        return {proxy.event_id_at(row) for row in range(proxy.rowCount())} - {None}

    proxy.set_filters(text="a")
    assert proxy.visible_ids() == shown()
    window.table.sortByColumn(COLUMN_INDEX[Column.SPACECRAFT], DESCENDING)
    assert proxy.visible_ids() == shown()
    fields = dict.fromkeys(TABLE_FIELDS)
    fields.update(id=999_002, docking_ts=1.0e9, spacecraft_name="Atlantis")
    hidden = proxy.visible_rows()[0]
    fields_hidden = dict.fromkeys(TABLE_FIELDS)
    fields_hidden.update(id=hidden.id, docking_ts=hidden.docking_ts, spacecraft_name="Zond")
    window.model.apply_rows(
        [
            EventRow(tuple(fields[name] for name in TABLE_FIELDS)),
            EventRow(tuple(fields_hidden[name] for name in TABLE_FIELDS)),
        ]
    )
    assert 999_002 in proxy.visible_ids()
    assert hidden.id not in proxy.visible_ids()
    assert proxy.visible_ids() == shown()
    proxy.set_filters(text="")
    assert proxy.visible_ids() == shown() == {row.id for row in window.model.rows}
