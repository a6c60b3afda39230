"""The docked-now and changes panels, as a person reads them."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dockview.ui.main_window import MainWindow
from ll2_loopback import LL2TestServer

MakeWindow = Callable[..., MainWindow]


def lines(panel: Any) -> list[list[str]]:
    model = panel.model
    return [
        [model.index(row, column).data() for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def test_docked_now_lists_the_vehicles_still_docked(
    make_window: MakeWindow, seeded_db: Path
) -> None:
    window = make_window(seeded_db, offline=True)
    panel = window.docked_now_panel
    assert panel.objectName() == "dockedNow"
    rows = lines(panel)
    assert [row[:4] for row in rows] == [
        ["Soyuz MS-27", "International Space Station", "Prichal nadir", rows[0][3]]
    ]
    assert rows[0][3].startswith("2025-04-08")
    assert rows[0][4].endswith(" d") and int(rows[0][4][:-2].replace(",", "")) > 500
    assert panel.summary.text() == "1 vehicle docked now."


def test_the_station_filter_narrows_docked_now(
    make_window: MakeWindow, seeded_db: Path, qtbot: Any
) -> None:
    window = make_window(seeded_db, offline=True)
    bar = window.filter_bar
    bar.station_filter.setCurrentIndex(bar.station_filter.findData(18))
    qtbot.waitUntil(lambda: window.docked_now_panel.model.rowCount() == 0)
    assert window.docked_now_panel.summary.text() == "0 vehicles docked now at this station."
    bar.search_field.setText("dragon")  # other filters do not narrow it
    bar.flush_search()
    bar.station_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.docked_now_panel.model.rowCount() == 1)


def test_clicking_a_docked_vehicle_selects_it(make_window: MakeWindow, seeded_db: Path) -> None:
    window = make_window(seeded_db, offline=True)
    panel = window.docked_now_panel
    panel.table.clicked.emit(panel.model.index(0, 0))
    assert window.current_id() == 620
    assert "Soyuz MS-27" in window.detail_pane.section_text("spacecraft")


def test_the_changes_panel_lists_what_a_sync_changed(
    make_window: MakeWindow, db_path: Path, ll2_server: LL2TestServer, qtbot: Any
) -> None:
    window = make_window(db_path, api_url=ll2_server.base_url)
    with qtbot.waitSignal(window.syncFinished, timeout=30_000):
        window.sync_now()
    assert window.changes_panel.summary.text() == "The first sync brought 570 dockings."
    assert window.changes_panel.model.rowCount() == 0

    # Upstream: one vehicle leaves, one docking's time is corrected, one new arrival.
    docked = next(e for e in ll2_server.events if e["departure"] is None)
    corrected = next(e for e in ll2_server.events if e["departure"] is not None)
    departed = copy.deepcopy(docked)
    departed["departure"] = "2026-11-20T10:00:00Z"
    fixed = copy.deepcopy(corrected)
    fixed["docking"] = fixed["docking"][:-3] + "30Z"
    arrival = copy.deepcopy(docked)
    arrival["id"] = 999_999
    arrival["docking"] = "2026-11-25T08:00:00Z"
    replaced = {departed["id"]: departed, fixed["id"]: fixed}
    ll2_server.events = [replaced.get(e["id"], e) for e in ll2_server.events]
    ll2_server.add_event(arrival)

    qtbot.waitUntil(lambda: not window.syncing)  # the worker has left
    with qtbot.waitSignal(window.syncFinished, timeout=30_000):
        window.sync_now(full=True)
    text = window.changes_panel.summary.text()
    assert text == (
        "Last sync: 1 new docking, 1 departure filled in, 1 changed time, 0 gone upstream."
    )
    by_kind = {row[0]: row for row in lines(window.changes_panel)}
    assert set(by_kind) == {"New docking", "Departure filled in", "Times changed"}
    assert by_kind["Departure filled in"][3].endswith("→ docked now")
    assert (
        by_kind["Departure filled in"][4].endswith("2026-11-20 10:00")
        or "2026-11-20" in (by_kind["Departure filled in"][4])
    )
    assert window.changes_panel.event_ids().count(999_999) == 1
    assert window.sync_label.text().endswith(
        ": 1 new docking, 1 departure filled in, 1 changed time, 0 gone upstream."
    )
    marks = window.model.marks()
    assert marks == {999_999: "new", departed["id"]: "changed", fixed["id"]: "changed"}


def open_stays_proxy(seeded_db: Path) -> Any:
    """A table whose events are all still docked, so the panel has lines to sort."""
    from dockview.rows import EventRow
    from dockview.store import TABLE_FIELDS, Store
    from dockview.ui.event_model import EventFilterProxy, EventTableModel

    departure = TABLE_FIELDS.index("departure_ts")
    with Store(seeded_db) as store:
        rows = [
            EventRow((*fields[:departure], None, *fields[departure + 1 :]))
            for fields in store.table_rows()
        ]
    proxy = EventFilterProxy()
    model = EventTableModel(proxy)  # lives as long as the proxy
    model.set_rows(rows)
    proxy.setSourceModel(model)
    return proxy


def test_sorting_docked_now_keeps_the_selected_vehicle(
    seeded_db: Path, qtbot: Any, qtmodeltester: Any
) -> None:
    from PySide6.QtCore import QItemSelectionModel, Qt

    from dockview.ui.panels import DockedNowPanel

    panel = DockedNowPanel(open_stays_proxy(seeded_db))
    qtbot.addWidget(panel)
    qtmodeltester.check(panel.model)
    assert panel.model.rowCount() == 10
    selection = panel.table.selectionModel()
    selection.setCurrentIndex(
        panel.model.index(3, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    chosen = panel.model.event_id(3)
    for column in range(panel.model.columnCount()):
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
            panel.table.sortByColumn(column, order)
            row = panel.table.currentIndex().row()
            assert panel.model.event_id(row) == chosen
            assert [panel.model.event_id(i.row()) for i in selection.selectedRows()] == [chosen]
    # The minute's refresh keeps the order chosen and the selection.
    order_before = panel.event_ids()
    panel.refresh()
    assert panel.event_ids() == order_before
    assert panel.model.event_id(panel.table.currentIndex().row()) == chosen
    qtmodeltester.check(panel.model)


def test_sorting_changes_keeps_the_selected_line(
    make_window: MakeWindow,
    seeded_db: Path,
    qtbot: Any,
    qtmodeltester: Any,
) -> None:
    from PySide6.QtCore import QItemSelectionModel, Qt

    from dockview.store import Change

    window = make_window(seeded_db, offline=True)
    panel = window.changes_panel
    changes = [
        Change(
            event_id=event_id,
            kind=kind,
            docking_before=None,
            departure_before=None,
            docking_after=None,
            departure_after=None,
        )
        for event_id, kind in ((568, "new"), (620, "gone"), (566, "new"), (529, "new"))
    ]
    panel.show_changes({"new": 3, "gone": 1}, changes, False)
    qtmodeltester.check(panel.model)
    selection = panel.table.selectionModel()
    selection.setCurrentIndex(
        panel.model.index(panel.event_ids().index(620), 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    for column in range(panel.model.columnCount()):
        for order in (Qt.SortOrder.DescendingOrder, Qt.SortOrder.AscendingOrder):
            panel.table.sortByColumn(column, order)
            assert panel.model.event_id(panel.table.currentIndex().row()) == 620
            assert len(selection.selectedRows()) == 1
