"""Occupancy over time, a page of the statistics tab: per station a step chart of how many
vehicles were docked over its life, the peak labelled, and a table of each port's share of
each year, both for the rows the filters show, exportable as CSV.

The chart is painted with QPainter, like the statistics' bar chart and the timeline: Qt Charts
is not in PySide6-Essentials, and a plotting library (matplotlib, pyqtgraph) would add tens of
megabytes and a second look to draw a few polylines; a step function is one ``QPolygonF`` a
station, in the palette's colours, so it follows a light or dark theme.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dockview.errors import ExportError
from dockview.occupancy import (
    Occupancy,
    OccupancyRow,
    PortYear,
    StationOccupancy,
    compute_occupancy,
    write_occupancy_csv,
)
from dockview.timefmt import utc_year, utc_year_start
from dockview.ui.common import named

ModelIndex = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_HORIZONTAL = Qt.Orientation.Horizontal
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
EMPTY_TEXT = "No dockings match the filters"
PORTS_FILTER = "Port share of each year (*.csv)"
STATIONS_FILTER = "Vehicles docked over time (*.csv)"
_COLUMNS = ("Port", "Year", "Days occupied", "Share of the year")


class PortYearsModel(QAbstractTableModel):
    """Each port's share of each year; small (ports by years), sorted by precomputed keys."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[PortYear] = []

    def set_entries(self, entries: Sequence[PortYear]) -> None:
        self.beginResetModel()
        try:
            self._entries = list(entries)
        finally:
            self.endResetModel()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == _HORIZONTAL and role == _DISPLAY and 0 <= section < len(_COLUMNS):
            return _COLUMNS[section]
        return None

    def data(self, index: ModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._entries)):
            return None
        entry = self._entries[index.row()]
        column = index.column()
        if role == _DISPLAY:
            return _cell(entry, column)
        if role == _TOOLTIP:
            if column == 3:
                return f"{entry.occupied_seconds:,.0f} of {entry.year_seconds:,.0f} seconds"
            return _cell(entry, column)
        if role == _ALIGN:
            return _LEFT if column == 0 else _RIGHT
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        keys = {
            0: lambda e: (e.port.casefold(), e.year),
            1: lambda e: (e.year, e.port.casefold()),
            2: lambda e: (e.occupied_seconds, e.port.casefold()),
            3: lambda e: (e.share, e.port.casefold()),
        }
        key = keys.get(column)
        if key is None:
            return
        self.layoutAboutToBeChanged.emit()
        try:
            persistent = self.persistentIndexList()
            held = [(index, self._entries[index.row()]) for index in persistent]
            self._entries.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
            row_of = {id(entry): row for row, entry in enumerate(self._entries)}
            self.changePersistentIndexList(
                [index for index, _ in held],
                [self.createIndex(row_of[id(entry)], index.column()) for index, entry in held],
            )
        finally:
            self.layoutChanged.emit()


def _cell(entry: PortYear, column: int) -> str:
    if column == 0:
        return entry.port
    if column == 1:
        return str(entry.year)
    if column == 2:
        return f"{entry.occupied_seconds / 86400:,.1f}"
    return f"{entry.share * 100:.1f} %"


class OccupancyChart(QWidget):
    """One step chart per station, stacked, each over the station's own life."""

    ROW_HEIGHT = 136

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self._stations: tuple[StationOccupancy, ...] = ()

    def set_stations(self, stations: Sequence[StationOccupancy]) -> None:
        self._stations = tuple(stations)
        self.setAccessibleDescription(
            "; ".join(f"{s.label}: peak {s.peak_label()}" for s in self._stations) or EMPTY_TEXT
        )
        self.updateGeometry()
        self.update()

    def stations(self) -> tuple[StationOccupancy, ...]:
        return self._stations

    def sizeHint(self) -> QSize:
        return QSize(600, max(1, len(self._stations)) * self.ROW_HEIGHT)

    def minimumSizeHint(self) -> QSize:
        return QSize(300, max(1, len(self._stations)) * self.ROW_HEIGHT)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            palette = self.palette()
            painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
            if not self._stations:
                painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
                painter.drawText(QRectF(self.rect()), Qt.AlignmentFlag.AlignCenter, EMPTY_TEXT)
                return
            # Few stations share the room there is; many scroll, each at least ROW_HEIGHT.
            height = max(self.ROW_HEIGHT, self.height() // len(self._stations))
            for number, station in enumerate(self._stations):
                band = QRectF(0, number * height, self.width(), height)
                if band.intersects(QRectF(event.rect())):
                    self._paint_station(painter, palette, station, band.adjusted(12, 6, -16, -4))
        finally:
            painter.end()

    def _paint_station(
        self, painter: QPainter, palette: QPalette, station: StationOccupancy, band: QRectF
    ) -> None:
        metrics = self.fontMetrics()
        line = metrics.height()
        text = palette.color(QPalette.ColorRole.Text)
        faint = palette.color(QPalette.ColorRole.Mid)
        bold = QFont(self.font())
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text)
        title = f"{station.label} — peak {station.peak_label()}"
        painter.drawText(
            QRectF(band.left(), band.top(), band.width(), line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title,
        )
        painter.setFont(self.font())
        gutter = metrics.horizontalAdvance("99") + 6
        # A row for the title, a row for the peak's label above its moment, then the plot.
        plot = QRectF(
            band.left() + gutter, band.top() + 2 * line + 4, band.width() - gutter, band.height()
        )
        plot.setBottom(band.bottom() - line - 2)
        start, end = station.start, max(station.end, station.start + 1)
        peak = max(station.peak, 1)

        def x_of(moment: float) -> float:
            return plot.left() + (moment - start) / (end - start) * plot.width()

        def y_of(count: int) -> float:
            return plot.bottom() - count / peak * plot.height()

        # Count grid and labels: 0, the peak, and a middle line when there is room.
        painter.setPen(QPen(faint, 1, Qt.PenStyle.DotLine))
        for count in sorted({0, peak, peak // 2}):
            y = y_of(count)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.drawText(
                QRectF(band.left(), y - line / 2, gutter - 4, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                str(count),
            )
        # Year ticks along the bottom, as many as fit.
        first_year = utc_year(start) + 1
        last_year = utc_year(end)
        years = list(range(first_year, last_year + 1))
        room = max(1, int(plot.width() // (metrics.horizontalAdvance("2000") + 12)))
        step = max(1, math.ceil(len(years) / room)) if years else 1
        for year in years[::step]:
            x = x_of(utc_year_start(year))
            painter.setPen(QPen(faint, 1))
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3))
            painter.drawText(
                QRectF(x - 30, plot.bottom() + 2, 60, line),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                str(year),
            )
        # The step function, and the peak stretches marked.
        points = QPolygonF()
        previous = 0
        for moment, count in station.steps:
            x = x_of(moment)
            points.append(QPointF(x, y_of(previous)))
            points.append(QPointF(x, y_of(count)))
            previous = count
        highlight = palette.color(QPalette.ColorRole.Highlight)
        fill = QColor(highlight)
        fill.setAlpha(60)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        area = QPolygonF(points)
        area.append(QPointF(x_of(end), plot.bottom()))
        area.append(QPointF(x_of(start), plot.bottom()))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawPolygon(area)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(highlight, 1.5))
        painter.drawPolyline(points)
        painter.setPen(QPen(text, 2))
        for span_start, span_end in station.peak_spans:
            y = y_of(station.peak)
            left, right = x_of(span_start), max(x_of(span_end), x_of(span_start) + 2)
            painter.drawLine(QPointF(left, y), QPointF(right, y))
        first = station.peak_spans[0][0] if station.peak_spans else start
        label = station.peak_label().split(" (and")[0]
        width = metrics.horizontalAdvance(label) + 8
        x = min(max(plot.left(), x_of(first) - width / 2), plot.right() - width)
        painter.drawLine(QPointF(x_of(first), plot.top() - 3), QPointF(x_of(first), plot.top()))
        painter.drawText(
            QRectF(x, plot.top() - line - 3, width, line),
            Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
            label,
        )


class OccupancyView(QWidget):
    """The chart above, the port table below; ``set_rows`` gives it the filtered rows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "occupancyView", "Occupancy over time")
        self._occupancy = compute_occupancy((), 0.0)
        self._export_folder = Path.home()
        self.summary = named(QLabel(), "occupancySummary", "Occupancy summary")
        self.summary.setWordWrap(True)
        self.export_button = named(
            QPushButton("Export CSV…"), "exportOccupancy", "Export occupancy as CSV"
        )
        self.export_button.setToolTip(
            "Save the ports' share of each year, or the vehicles docked over time, as CSV"
        )
        self.export_button.clicked.connect(self.export_dialog)
        self.chart = named(OccupancyChart(), "occupancyChart", "Vehicles docked over time")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chart)
        self.model = PortYearsModel(self)
        self.table = named(QTableView(), "portYearsTable", "Port share of each year")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button)
        splitter = named(QSplitter(Qt.Orientation.Vertical), "occupancySplitter")
        splitter.addWidget(scroll)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def occupancy(self) -> Occupancy:
        return self._occupancy

    def set_rows(self, rows: Sequence[OccupancyRow], now: float, note: str = "") -> None:
        self._occupancy = compute_occupancy(rows, now)
        self.chart.set_stations(self._occupancy.stations)
        self.model.set_entries(self._occupancy.port_years)
        header = self.table.horizontalHeader()
        if header.sortIndicatorSection() >= 0:
            self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        stations = len(self._occupancy.stations)
        text = (
            f"Vehicles docked at each moment, at {stations} station{'s' if stations != 1 else ''};"
            " below, how much of each year each port was occupied (UTC)"
            if stations
            else EMPTY_TEXT
        )
        self.summary.setText(text + (f" · {note}" if note else ""))
        self.export_button.setEnabled(bool(stations))

    def export_to(self, path: Path, what: str) -> int:
        """Write "ports" or "stations" as CSV; raises ExportError (one sentence)."""
        return write_occupancy_csv(self._occupancy, path, what)

    def export_dialog(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(
            self,
            "Export occupancy as CSV",
            str(self._export_folder / "dockview-occupancy.csv"),
            f"{PORTS_FILTER};;{STATIONS_FILTER}",
        )
        if not path:
            return
        target = Path(path)
        try:
            count = self.export_to(target, "stations" if chosen == STATIONS_FILTER else "ports")
        except ExportError as exc:
            QMessageBox.warning(self, "Export failed", str(exc))
            return
        self._export_folder = target.parent
        self.summary.setText(f"Wrote {count} row{'s' if count != 1 else ''} to {target.name}.")
