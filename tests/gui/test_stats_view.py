"""The statistics view over the seed events: its model, groupings, sorting, filters and export."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from dockview.store import Store
from dockview.ui.event_model import EventFilterProxy, EventRow, EventTableModel
from dockview.ui.stats_view import RECOMPUTE_DELAY_MS, StatisticsView

#: A fixed clock: Soyuz MS-27 (still docked in the seed) has been docked 21 days.
NOW = datetime(2025, 4, 30, tzinfo=UTC).timestamp()


@pytest.fixture
def proxy(seeded_db: Path) -> EventFilterProxy:
    with Store(seeded_db) as store:
        rows = [EventRow(fields) for fields in store.table_rows()]
    model = EventTableModel()
    model.set_rows(rows)
    filtered = EventFilterProxy()
    filtered.setSourceModel(model)
    return filtered


@pytest.fixture
def view(proxy: EventFilterProxy, qtbot: Any) -> Iterator[StatisticsView]:
    widget = StatisticsView(proxy, clock=lambda: NOW)
    qtbot.addWidget(widget)
    widget.resize(1000, 600)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def column(view: StatisticsView, number: int) -> list[str]:
    model = view.table_model()
    return [model.index(row, number).data() for row in range(model.rowCount())]


def test_every_grouping_passes_qt_model_tester(view: StatisticsView, qtmodeltester: Any) -> None:
    for name in ("station", "port", "config", "agency", "longest", "busiest"):
        view.set_grouping(name)
        qtmodeltester.check(view.table_model())
        view.table_model().sort(1, Qt.SortOrder.DescendingOrder)
        qtmodeltester.check(view.table_model())


def test_station_figures_as_shown(view: StatisticsView) -> None:
    model = view.table_model()
    headers = [model.headerData(n, Qt.Orientation.Horizontal) for n in range(model.columnCount())]
    assert headers == [
        "Station",
        "Dockings",
        "Docked now",
        "Total docked",
        "Median stay",
        "Longest stay",
    ]
    rows = [[model.index(r, c).data() for c in range(6)] for r in range(model.rowCount())]
    assert rows == [
        ["International Space Station", "8", "1", "979 d 2 h", "158 d 9 h", "234 d 3 h"],
        ["Tiangong space station", "2", "0", "489 d 3 h", "244 d 13 h", "297 d 14 h"],
    ]
    assert model.index(0, 1).data(Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    assert view.summary_label.text() == (
        "10 dockings at 2 stations · 1 docked now (counted up to now)"
    )
    assert [(bar.label, bar.value) for bar in view.chart.bars()] == [
        ("International Space Station", 8),
        ("Tiangong space station", 2),
    ]


def test_switching_the_grouping_changes_rows_columns_and_chart(view: StatisticsView) -> None:
    view.set_grouping("port")
    assert view.table_model().rowCount() == 8
    assert column(view, 0)[:2] == [
        "Harmony forward (International Space Station)",
        "Harmony zenith (International Space Station)",
    ]
    view.set_grouping("Longest stays")  # the selector's title works too
    assert view.grouping_box.currentText() == "Longest stays"
    assert view.table_model().rowCount() == 10
    assert column(view, 1)[:2] == ["Tianzhou-7", "Cygnus CRS NG-21 (S.S. Francis R. “Dick” Scobee)"]
    assert column(view, 6)[0] == "297 d 14 h"
    assert view.table_model().index(0, 6).data(Qt.ItemDataRole.ToolTipRole) == (
        "297 d 14 h 44 min (25,713,840 seconds)"
    )
    assert column(view, 5).count("docked now") == 1
    assert view.chart.bars()[0].value == 25713840.0
    view.set_grouping("busiest")
    assert [column(view, n) for n in range(3)] == [
        ["2024", "2025", "2025"],
        [
            "Harmony zenith (International Space Station)",
            "Harmony forward (International Space Station)",
            "Prichal nadir (International Space Station)",
        ],
        ["2", "1", "1"],
    ]
    with pytest.raises(ValueError, match="unknown grouping"):
        view.set_grouping("weekday")


def click_header(view: StatisticsView, section: int, qtbot: Any) -> None:
    header = view.table.horizontalHeader()
    position = QPoint(header.sectionViewportPosition(section) + 4, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=position)


def test_header_click_sorts_numbers_as_numbers(view: StatisticsView, qtbot: Any) -> None:
    view.set_grouping("longest")
    docked_for = 6
    click_header(view, docked_for, qtbot)
    order = view.table.horizontalHeader().sortIndicatorOrder()
    ascending = [
        "18 d 3 h",  # as text, "18 d" would sort after "174 d"
        "21 d 15 h",
        "36 d 5 h",
        "145 d 17 h",
        "171 d 1 h",
        "174 d 7 h",
        "177 d 19 h",
        "191 d 12 h",
        "234 d 3 h",
        "297 d 14 h",
    ]
    expected = ascending if order == Qt.SortOrder.AscendingOrder else ascending[::-1]
    assert column(view, docked_for) == expected
    click_header(view, docked_for, qtbot)
    assert column(view, docked_for) == expected[::-1]
    # The rank column is numeric too: 10 after 9, not after 1.
    click_header(view, 0, qtbot)
    ranks = [int(text) for text in column(view, 0)]
    assert ranks in (list(range(1, 11)), list(range(10, 0, -1)))
    # Another grouping starts in its natural order (most dockings first), indicator cleared.
    view.set_grouping("station")
    assert view.table.horizontalHeader().sortIndicatorSection() == -1
    assert column(view, 1) == ["8", "2"]


def test_a_sort_survives_a_recomputation(
    view: StatisticsView, proxy: EventFilterProxy, qtbot: Any
) -> None:
    view.set_grouping("agency")
    view.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert column(view, 1) == ["1", "1", "1", "3", "4"]
    with qtbot.waitSignal(view.statisticsChanged, timeout=2000):
        proxy.set_filters(text="progress")
    assert column(view, 0) == ["Russian Federal Space Agency (ROSCOSMOS)"]
    with qtbot.waitSignal(view.statisticsChanged, timeout=2000):
        proxy.clear_filters()
    assert column(view, 1) == ["1", "1", "1", "3", "4"]


def test_follows_the_station_filter(
    view: StatisticsView, proxy: EventFilterProxy, qtbot: Any
) -> None:
    assert view.statistics().dockings == 10
    emitted: list[int] = []
    view.statisticsChanged.connect(lambda: emitted.append(1))
    with qtbot.waitSignal(view.statisticsChanged, timeout=2000):
        proxy.set_filters(station_id=4)
        proxy.set_filters(station_id=18)  # a burst of changes: one recomputation
    assert emitted == [1]
    assert view.statistics().dockings == 2
    assert column(view, 0) == ["Tiangong space station"]
    assert view.summary_label.text().endswith("· filtered")
    view.set_grouping("longest")
    assert column(view, 1) == ["Tianzhou-7", "Shenzhou 18"]


def test_new_figures_for_the_same_rows_keep_selection_and_sort(
    view: StatisticsView, proxy: EventFilterProxy, qtbot: Any
) -> None:
    view.set_grouping("longest")
    view.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # by spacecraft
    view.table.selectRow(8)
    selected = view.table_model().index(8, 1).data()
    assert selected == "Soyuz MS-27"
    later = NOW + 100 * 86400
    view._clock = lambda: later
    model = view.table_model()
    with (
        qtbot.assertNotEmitted(model.modelReset),
        qtbot.waitSignal(view.statisticsChanged, timeout=2000),
    ):
        proxy.event_model().refresh_now()  # the window's minute clock
    assert view.table.selectionModel().selectedRows(1)[0].data() == selected
    assert view.table_model().index(8, 6).data() == "121 d 15 h"  # counted up 100 days
    assert view.table_model().index(8, 0).data() == "8"  # and ranked up from 9
    assert view.statistics().now == later


def test_a_hidden_view_waits_until_shown(
    view: StatisticsView, proxy: EventFilterProxy, qtbot: Any
) -> None:
    view.hide()
    with qtbot.assertNotEmitted(view.statisticsChanged, wait=RECOMPUTE_DELAY_MS * 3):
        proxy.set_filters(docked_now=True)
    assert column(view, 1) == ["8", "2"]  # still the old figures, not recomputed
    with qtbot.waitSignal(view.statisticsChanged, timeout=2000):
        view.show()
    assert column(view, 1) == ["1"]
    assert view.statistics().docked_now == 1


def test_export_csv_writes_the_current_grouping(
    view: StatisticsView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    target = tmp_path / "ports.csv"
    asked: list[str] = []

    def choose(parent: QWidget, caption: str, folder: str, filters: str) -> tuple[str, str]:
        asked.append(folder)
        return str(target), "CSV files (*.csv)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    view.set_grouping("port")
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert asked[0].endswith("dockview-statistics-port.csv")
    with target.open(encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    assert len(lines) == 9
    assert lines[0][:3] == ["Port", "Port id", "Dockings"]
    assert lines[1][:3] == ["Harmony forward (International Space Station)", "19", "2"]
    assert view.summary_label.text().endswith("wrote 8 rows to ports.csv")


def test_export_failure_shows_one_sentence(
    view: StatisticsView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    missing = tmp_path / "gone" / "stats.csv"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *args: (str(missing), "CSV files (*.csv)")
    )
    warnings: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox,
        "warning",
        lambda parent, title, text, *rest: warnings.append((title, text)),
    )
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert warnings == [
        (
            "Export failed",
            f"The folder {missing.parent} does not exist; the export was not written.",
        )
    ]
    assert not missing.parent.exists()


def test_cancelled_export_writes_nothing(
    view: StatisticsView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args: ("", ""))
    before = view.summary_label.text()
    qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert view.summary_label.text() == before


def test_screenshot(view: StatisticsView, qtbot: Any, tmp_path: Path) -> None:
    view.set_grouping("longest")
    assert view.table.horizontalScrollBar().maximum() == 0  # every column fits
    for grouping in ("longest", "station"):
        view.set_grouping(grouping)
        picture = view.grab()
        screenshot = tmp_path / f"stats-{grouping}.png"
        assert picture.save(str(screenshot))
        assert QImage(str(screenshot)).size() == picture.size()
