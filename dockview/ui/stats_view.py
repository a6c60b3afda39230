"""The statistics view: figures per station, port, config or agency, the longest stays and the
busiest port of each year, as a sortable table (:mod:`dockview.ui.stats_table`) above a small
bar chart (:mod:`dockview.ui.stats_chart`), exportable as CSV; and occupancy over time on a
page of its own.

The figures come from :mod:`dockview.stats` over the rows the window's filters let through
(``EventFilterProxy.visible_rows()``), so the view always agrees with the table. Every change
of the proxy marks the figures stale; they are computed again once, a moment later (a
single-shot timer coalesces a burst of signals), and only while the view is visible: a hidden
tab recomputes when it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dockview.errors import ExportError
from dockview.stats import GROUPINGS, Grouping, Statistics, compute_statistics, write_csv
from dockview.ui.common import named
from dockview.ui.event_model import EventFilterProxy
from dockview.ui.occupancy_view import OccupancyView
from dockview.ui.stats_chart import CHART_TITLES, BarChart, chart_bars
from dockview.ui.stats_table import GROUPING_TITLES, StatisticsTableModel, table_items

#: Signals from the proxy within this many milliseconds cause one recomputation.
RECOMPUTE_DELAY_MS = 50


def summary_text(statistics: Statistics, filtered: bool) -> str:
    dockings = statistics.dockings
    parts = [f"{dockings} docking{'s' if dockings != 1 else ''}"]
    stations = len(statistics.by_station)
    if stations:
        parts[0] += f" at {stations} station{'s' if stations != 1 else ''}"
    if statistics.docked_now:
        parts.append(f"{statistics.docked_now} docked now (counted up to now)")
    if filtered:
        parts.append("filtered")
    return " · ".join(parts)


class StatisticsView(QWidget):
    """Figures for the rows the window's filters show: pick a grouping, sort the table by any
    column, read the top ten in the chart, export the grouping as CSV."""

    statisticsChanged = Signal()

    def __init__(
        self,
        proxy: EventFilterProxy,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], float] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("statisticsView")
        self.setAccessibleName("Statistics")
        self._proxy = proxy
        # The table's clock by default, so "docked now" stays agree with its "Docked for".
        self._clock = clock or (lambda: proxy.event_model().now)
        self._grouping: str = Grouping.STATION
        self._statistics = compute_statistics((), 0.0)
        self._stale = True
        self._export_folder = Path.home()

        self.grouping_box = named(QComboBox(), "statisticsGrouping", "Group statistics by")
        for name in GROUPINGS:
            self.grouping_box.addItem(GROUPING_TITLES[name], name)
        self.grouping_box.setToolTip("What the figures are counted by")
        self.grouping_box.currentIndexChanged.connect(self._grouping_chosen)
        grouping_label = QLabel("&Group by")
        grouping_label.setBuddy(self.grouping_box)
        self.summary_label = named(QLabel(), "statisticsSummary", "Statistics summary")
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button = named(
            QPushButton("Export CSV…"), "exportStatistics", "Export statistics as CSV"
        )
        self.export_button.setToolTip("Save the figures of this grouping as a CSV file")
        self.export_button.clicked.connect(self.export_csv)

        self._model = StatisticsTableModel(self)
        self.table = named(QTableView(), "statisticsTable", "Statistics table")
        self.table.setModel(self._model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSectionsClickable(True)
        header.setHighlightSections(False)
        self.table.setSortingEnabled(True)

        self.chart = named(BarChart(), "statisticsChart", "Statistics chart")

        bar = QHBoxLayout()
        bar.addWidget(grouping_label)
        bar.addWidget(self.grouping_box)
        bar.addSpacing(12)
        bar.addWidget(self.summary_label, 1)
        bar.addWidget(self.export_button)
        # The chart below the table, not beside it: the longest-stays table needs the width.
        self.splitter = named(QSplitter(Qt.Orientation.Vertical), "statisticsSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.chart)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)
        figures = QWidget()
        figures_layout = QVBoxLayout(figures)
        figures_layout.setContentsMargins(0, 4, 0, 0)
        figures_layout.addLayout(bar)
        figures_layout.addWidget(self.splitter, 1)
        # Occupancy over time, a page of its own: the step charts need the height.
        self.occupancy_view = OccupancyView()
        self._occupancy_stale = True
        self.pages = named(QTabWidget(), "statisticsPages", "Statistics pages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(figures, "Figures")
        self.pages.addTab(self.occupancy_view, "Occupancy over time")
        self.pages.currentChanged.connect(self._page_changed)
        self._doubtful: set[int] = set()
        self.leave_out_doubtful = named(
            QCheckBox("Leave out doubtful open dockings"),
            "leaveOutDoubtful",
            "Leave out doubtful open dockings",
        )
        self.leave_out_doubtful.setToolTip(
            "Open stays the data checks find stale (see Data issues) would count up to now"
        )
        self.leave_out_doubtful.setEnabled(False)
        self.leave_out_doubtful.toggled.connect(self._source_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(self.leave_out_doubtful)
        layout.addWidget(self.pages, 1)

        self._timer = QTimer(self, singleShot=True, interval=RECOMPUTE_DELAY_MS)
        self._timer.timeout.connect(self._recompute_if_visible)
        for signal in (
            proxy.layoutChanged,
            proxy.modelReset,
            proxy.rowsInserted,
            proxy.rowsRemoved,
            proxy.dataChanged,
        ):
            signal.connect(self._source_changed)

    # -- for the window and for tests ---------------------------------------------------------

    def statistics(self) -> Statistics:
        """The figures for what the filters show now (computed here if they are stale)."""
        if self._stale:
            self._recompute()
        return self._statistics

    def grouping(self) -> str:
        return self._grouping

    def set_grouping(self, name: str) -> None:
        """Show another grouping: "station", "port", "config", "agency", "longest" or
        "busiest" (the selector's titles are accepted too)."""
        for number in range(self.grouping_box.count()):
            if name in (self.grouping_box.itemData(number), self.grouping_box.itemText(number)):
                self.grouping_box.setCurrentIndex(number)
                return
        raise ValueError(f"unknown grouping {name!r}; choose one of {', '.join(GROUPINGS)}")

    def table_model(self) -> StatisticsTableModel:
        return self._model

    def export_csv(self) -> None:
        grouping = self._grouping
        suggested = self._export_folder / f"dockview-statistics-{grouping}.csv"
        path, _ = QFileDialog.getSaveFileName(
            self, "Export statistics as CSV", str(suggested), "CSV files (*.csv);;All files (*)"
        )
        if not path:
            return
        target = Path(path)
        try:
            count = write_csv(self.statistics(), target, grouping)
        except ExportError as exc:
            QMessageBox.warning(self, "Export failed", str(exc))
            return
        self._export_folder = target.parent
        self.summary_label.setText(
            f"{summary_text(self._statistics, self._proxy.is_filtered())}"
            f" · wrote {count} row{'s' if count != 1 else ''} to {target.name}"
        )

    # -- keeping up with the filters ----------------------------------------------------------

    def _source_changed(self, *_: object) -> None:
        self._stale = True
        if self.isVisible():
            self._timer.start()

    def _recompute_if_visible(self) -> None:
        if self._stale and self.isVisible():
            self._recompute()

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self._recompute()
        super().showEvent(event)

    def set_doubtful(self, event_ids: set[int]) -> None:
        """Open stays the data checks find stale, which the figures can leave out."""
        if event_ids == self._doubtful:
            return
        self._doubtful = set(event_ids)
        self.leave_out_doubtful.setEnabled(bool(event_ids) or self.leave_out_doubtful.isChecked())
        self.leave_out_doubtful.setText(
            f"Leave out doubtful open dockings ({len(event_ids)})"
            if event_ids
            else "Leave out doubtful open dockings"
        )
        if self.leave_out_doubtful.isChecked():
            self._source_changed()

    def show_occupancy(self) -> None:
        self.pages.setCurrentWidget(self.occupancy_view)

    def _counted_rows(self) -> list[Any]:
        rows = self._proxy.visible_rows()
        if self._doubtful and self.leave_out_doubtful.isChecked():
            rows = [row for row in rows if row.id not in self._doubtful]
        return rows

    def _page_changed(self, _number: int) -> None:
        if self._occupancy_stale and self.pages.currentWidget() is self.occupancy_view:
            self._recompute()

    def _recompute(self) -> None:
        self._timer.stop()
        self._stale = False
        rows = self._counted_rows()
        self._statistics = compute_statistics(rows, self._clock())
        self._show_figures()
        # Occupancy only while its page is shown: it costs as much as the figures.
        self._occupancy_stale = self.pages.currentWidget() is not self.occupancy_view
        if not self._occupancy_stale:
            left_out = len(self._proxy.visible_rows()) - len(rows)
            note = f"{left_out} doubtful open docking{'s' if left_out != 1 else ''} left out"
            self.occupancy_view.set_rows(rows, self._clock(), note if left_out else "")
        self.statisticsChanged.emit()

    def _grouping_chosen(self, number: int) -> None:
        name = self.grouping_box.itemData(number)
        if name == self._grouping:
            return
        self._grouping = name
        header = self.table.horizontalHeader()
        # A new grouping starts in its natural order (the indicator's -1 tells the model so).
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._show_figures()

    def _show_figures(self) -> None:
        statistics = self._statistics
        grouping = self._grouping
        self._model.set_content(grouping, table_items(statistics, grouping))
        self._fit_columns()
        self.chart.set_bars(CHART_TITLES[grouping], chart_bars(statistics, grouping))
        self.summary_label.setText(summary_text(statistics, self._proxy.is_filtered()))

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        stretch = self._model.label_column()
        for column in range(self._model.columnCount()):
            mode = (
                QHeaderView.ResizeMode.Stretch
                if column == stretch
                else QHeaderView.ResizeMode.ResizeToContents
            )
            header.setSectionResizeMode(column, mode)
