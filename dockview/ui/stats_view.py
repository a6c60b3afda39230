"""The statistics view: figures per station, port, config or agency, the longest stays and the
busiest port of each year, as a sortable table beside a small bar chart, exportable as CSV.

The figures come from :mod:`dockview.stats` over the rows the window's filters let through
(``EventFilterProxy.visible_rows()``), so the view always agrees with the table. Every change
of the proxy marks the figures stale; they are computed again once, a moment later (a
single-shot timer coalesces a burst of signals), and only while the view is visible: a hidden
tab recomputes when it is shown.

The chart is painted with QPainter, not with Qt Charts: Qt Charts is not part of
PySide6-Essentials, which is all dockview depends on; it would take the full PySide6 wheels
(about three times the download and install size) to draw ten bars. A horizontal bar chart is
a few rectangles and labels, in the palette's colours, so it follows a light or dark theme.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from dockview.errors import ExportError
from dockview.records import format_duration, format_stay
from dockview.stats import (
    GROUPINGS,
    GroupFigures,
    Grouping,
    Statistics,
    Stay,
    compute_statistics,
    utc_text,
    write_csv,
)
from dockview.ui.common import named
from dockview.ui.event_model import EventFilterProxy
from dockview.ui.occupancy_view import OccupancyView
from dockview.ui.sorting import RowMove, identity_move, relayout

ModelIndex = QModelIndex | QPersistentModelIndex
SortValue = int | float | str

#: What the grouping selector says, by the grouping's name in code and CSV.
GROUPING_TITLES: dict[str, str] = {
    Grouping.STATION: "Station",
    Grouping.PORT: "Port",
    Grouping.CONFIG: "Config",
    Grouping.AGENCY: "Agency",
    Grouping.LONGEST: "Longest stays",
    Grouping.BUSIEST: "Busiest ports by year",
}
CHART_TITLES: dict[str, str] = {
    Grouping.STATION: "Stations by dockings",
    Grouping.PORT: "Ports by dockings",
    Grouping.CONFIG: "Configs by dockings",
    Grouping.AGENCY: "Agencies by dockings",
    Grouping.LONGEST: "Longest stays",
    Grouping.BUSIEST: "Busiest ports by year, by dockings",
}
CHART_BARS = 10
#: Signals from the proxy within this many milliseconds cause one recomputation.
RECOMPUTE_DELAY_MS = 50
EMPTY_CHART_TEXT = "No dockings match the filters"

# Module-level role constants, compared with == in data(): it runs for every cell, and looking
# Qt's enums up on each call would cost microseconds every time.
_DISPLAY = Qt.ItemDataRole.DisplayRole
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
#: The value a column sorts by (int, float or str: Qt compares them natively).
SORT_KEY_ROLE = Qt.ItemDataRole.UserRole + 1
_SORT_KEY = int(SORT_KEY_ROLE)
_HORIZONTAL = Qt.Orientation.Horizontal
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


@dataclass(frozen=True)
class StatsColumn:
    """One table column: its header, the cell text, the numeric or text key it sorts by, and
    an optional tooltip with the exact figure."""

    title: str
    tooltip: str
    text: Callable[[Any], str]
    key: Callable[[Any], SortValue]
    numeric: bool = False
    detail: Callable[[Any], str] | None = None


def _text_key(text: str) -> str:
    return text.casefold()


def _seconds_detail(seconds: float) -> str:
    return f"{format_duration(seconds)} ({seconds:,.0f} seconds)"


def _group_columns(grouping: str) -> list[StatsColumn]:
    title = GROUPING_TITLES[grouping]
    return [
        StatsColumn(
            title,
            f"The {title.lower()}",
            lambda f: f.label,
            lambda f: _text_key(f.label),
        ),
        StatsColumn(
            "Dockings",
            "How many dockings",
            lambda f: str(f.dockings),
            lambda f: f.dockings,
            numeric=True,
        ),
        StatsColumn(
            "Docked now",
            "How many vehicles are docked there now",
            lambda f: str(f.docked_now),
            lambda f: f.docked_now,
            numeric=True,
        ),
        StatsColumn(
            "Total docked",
            "All stays added up; stays still running count up to now",
            lambda f: format_stay(f.total_seconds),
            lambda f: f.total_seconds,
            numeric=True,
            detail=lambda f: _seconds_detail(f.total_seconds),
        ),
        StatsColumn(
            "Median stay",
            "Half the stays were shorter, half longer",
            lambda f: format_stay(f.median_seconds),
            lambda f: f.median_seconds,
            numeric=True,
            detail=lambda f: _seconds_detail(f.median_seconds),
        ),
        StatsColumn(
            "Longest stay",
            "The longest single stay",
            lambda f: format_stay(f.longest_seconds),
            lambda f: f.longest_seconds,
            numeric=True,
            detail=lambda f: _seconds_detail(f.longest_seconds),
        ),
    ]


def _date(timestamp: float) -> str:
    return utc_text(timestamp)[:10]


def _exact_time(timestamp: float | None) -> str:
    if timestamp is None:
        return ""
    return utc_text(timestamp).replace("T", " ").replace("Z", " UTC")


# A longest-stays row is (rank, Stay).
_LONGEST_COLUMNS = [
    StatsColumn("#", "Rank, longest first", lambda r: str(r[0]), lambda r: r[0], numeric=True),
    StatsColumn(
        "Spacecraft",
        "The spacecraft",
        lambda r: r[1].spacecraft,
        lambda r: _text_key(r[1].spacecraft),
    ),
    StatsColumn("Port", "The docking port", lambda r: r[1].port, lambda r: _text_key(r[1].port)),
    StatsColumn(
        "Station", "The space station", lambda r: r[1].station, lambda r: _text_key(r[1].station)
    ),
    StatsColumn(
        "Docked",
        "When it docked (UTC date)",
        lambda r: _date(r[1].docking_ts),
        lambda r: r[1].docking_ts,
        numeric=True,
        detail=lambda r: _exact_time(r[1].docking_ts),
    ),
    StatsColumn(
        "Departed",
        "When it left (UTC date); still docked stays count up to now",
        lambda r: _date(r[1].departure_ts) if r[1].departure_ts is not None else "docked now",
        lambda r: r[1].departure_ts if r[1].departure_ts is not None else math.inf,
        numeric=True,
        detail=lambda r: _exact_time(r[1].departure_ts) or "Still docked",
    ),
    StatsColumn(
        "Docked for",
        "How long the stay lasted, or has lasted so far",
        lambda r: format_stay(r[1].seconds),
        lambda r: r[1].seconds,
        numeric=True,
        detail=lambda r: _seconds_detail(r[1].seconds),
    ),
]

# A busiest-ports row is (year, "Port (Station)", dockings).
_BUSIEST_COLUMNS = [
    StatsColumn(
        "Year", "The year the vehicles docked (UTC)", lambda r: str(r[0]), lambda r: r[0], True
    ),
    StatsColumn(
        "Busiest port",
        "The port with the most dockings that year; ports that tie are all listed",
        lambda r: r[1],
        lambda r: _text_key(r[1]),
    ),
    StatsColumn(
        "Dockings", "Dockings at that port that year", lambda r: str(r[2]), lambda r: r[2], True
    ),
]


def columns_for(grouping: str) -> list[StatsColumn]:
    if grouping == Grouping.LONGEST:
        return _LONGEST_COLUMNS
    if grouping == Grouping.BUSIEST:
        return _BUSIEST_COLUMNS
    return _group_columns(grouping)


def table_items(statistics: Statistics, grouping: str) -> list[Any]:
    """The rows of one grouping, in their natural order (the order of the statistics)."""
    if grouping == Grouping.LONGEST:
        return list(enumerate(statistics.longest_stays, start=1))
    if grouping == Grouping.BUSIEST:
        return list(statistics.busiest_ports_by_year)
    return list(statistics.groups(grouping))


def _identity(item: Any) -> Any:
    """What a table row is about, whatever its figures: a group, a docking, a year's port."""
    if isinstance(item, GroupFigures):
        return item.key
    if isinstance(item, tuple) and len(item) == 2:
        return item[1].event_id
    return item[:2]


class StatisticsTableModel(QAbstractTableModel):
    """The figures of one grouping. Small (a few hundred rows at most), so cell texts are
    computed once per change; ``sort()`` orders by precomputed numeric or text keys, so a
    click on "Dockings" puts 10 after 9, not after 1."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._grouping: str = Grouping.STATION
        self._columns = columns_for(self._grouping)
        self._items: list[Any] = []
        self._texts: list[list[str]] = []
        self._keys: list[list[SortValue]] = []
        self._order: list[int] = []  # table row → item number
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    @property
    def grouping(self) -> str:
        return self._grouping

    def set_content(self, grouping: str, items: Sequence[Any]) -> None:
        """New figures. The same grouping keeps the order a person chose; another grouping
        starts in its natural order. When the rows are about the same things as before (the
        clock ticked, a sync changed a stay), they are updated in place, not reset, so the
        selection and scroll survive."""
        items = list(items)
        identities = [_identity(item) for item in items]
        if (
            grouping == self._grouping
            and len(set(identities)) == len(identities)
            and set(identities) == {_identity(item) for item in self._items}
        ):
            self._relayout(items)
            if items:
                self.dataChanged.emit(
                    self.index(0, 0), self.index(len(items) - 1, len(self._columns) - 1)
                )
            return
        self.beginResetModel()
        try:
            if grouping != self._grouping:
                self._sort_column = -1
                self._sort_order = Qt.SortOrder.AscendingOrder
            self._grouping = grouping
            self._columns = columns_for(grouping)
            self._take(items)
            self._order = self._sorted_order()
        finally:
            self.endResetModel()

    def _take(self, items: list[Any]) -> None:
        self._items = items
        self._texts = [[column.text(item) for column in self._columns] for item in items]
        self._keys = [[column.key(item) for column in self._columns] for item in items]

    def item_at(self, row: int) -> Any:
        return self._items[self._order[row]]

    def label_column(self) -> int:
        """The column that takes the spare width: the name of what a row is about."""
        return 1 if self._grouping in (Grouping.LONGEST, Grouping.BUSIEST) else 0

    # -- the model interface ------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == _HORIZONTAL and 0 <= section < len(self._columns):
            if role == _DISPLAY:
                return self._columns[section].title
            if role == _TOOLTIP:
                return self._columns[section].tooltip
            if role == _ALIGN:
                return _RIGHT if self._columns[section].numeric else _LEFT
        return None

    def data(self, index: ModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._order) and 0 <= column < len(self._columns)):
            return None
        number = self._order[row]
        if role == _DISPLAY or role == _ACCESSIBLE:
            return self._texts[number][column]
        if role == _SORT_KEY:
            return self._keys[number][column]
        if role == _ALIGN:
            return _RIGHT if self._columns[column].numeric else _LEFT
        if role == _TOOLTIP:
            described = self._columns[column]
            if described.detail is not None:
                return described.detail(self._items[number])
            # Names may be elided in a narrow column: the tooltip has them whole.
            return None if described.numeric else self._texts[number][column]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- ordering -----------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order by a column's key (-1: the natural order); ties keep the natural order."""
        if not (-1 <= column < len(self._columns)):
            return
        self._sort_column = column
        self._sort_order = order
        self._relayout(None)

    def _relayout(self, items: list[Any] | None) -> None:
        """Order the rows again (with new figures for the same rows, when given), moving the
        views' persistent indexes (selection, current row) with the rows they point at."""

        def change() -> RowMove:
            old = [_identity(self.item_at(row)) for row in range(len(self._order))]
            if items is not None:
                self._take(items)
            self._order = self._sorted_order()
            return identity_move(
                old, [_identity(self.item_at(row)) for row in range(len(self._order))]
            )

        relayout(self, change)

    def sort_column(self) -> int:
        return self._sort_column

    def _sorted_order(self) -> list[int]:
        natural = list(range(len(self._items)))
        column = self._sort_column
        if column < 0 or column >= len(self._columns):
            return natural
        keys = self._keys
        return sorted(
            natural,
            key=lambda number: keys[number][column],
            reverse=self._sort_order == Qt.SortOrder.DescendingOrder,
        )


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str


class BarChart(QFrame):
    """A small horizontal bar chart, painted with QPainter in the palette's colours."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._title = ""
        self._bars: list[Bar] = []
        self._bar_rects: list[QRect] = []

    def set_bars(self, title: str, bars: Sequence[Bar]) -> None:
        self._title = title
        self._bars = list(bars)
        description = "; ".join(f"{bar.label}: {bar.text}" for bar in self._bars)
        self.setAccessibleDescription(f"{title}. {description or EMPTY_CHART_TEXT}")
        self.updateGeometry()
        self.update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    def title(self) -> str:
        return self._title

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 4

    def sizeHint(self) -> QSize:
        """Room for ten bars whatever the grouping, so the table above does not jump."""
        metrics = self.fontMetrics()
        height = (CHART_BARS + 1) * self._row_height() + 2 * metrics.height()
        return QSize(48 * metrics.averageCharWidth(), height)

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(24 * metrics.averageCharWidth(), 4 * self._row_height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            palette = self.palette()
            area = self.contentsRect()
            painter.fillRect(area, palette.color(QPalette.ColorRole.Base))
            self._paint_chart(painter, palette, area.adjusted(12, 8, -12, -8))
        finally:
            painter.end()
        super().paintEvent(event)  # the frame, over the filled background's edge

    def _paint_chart(self, painter: QPainter, palette: QPalette, area: QRect) -> None:
        text_colour = palette.color(QPalette.ColorRole.Text)
        title_font = QFont(self.font())
        title_font.setBold(True)
        title_metrics = QFontMetrics(title_font)
        painter.setFont(title_font)
        painter.setPen(text_colour)
        title_rect = QRect(area.left(), area.top(), area.width(), title_metrics.height())
        painter.drawText(
            title_rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            title_metrics.elidedText(self._title, Qt.TextElideMode.ElideRight, area.width()),
        )
        painter.setFont(self.font())
        metrics = self.fontMetrics()
        top = title_rect.bottom() + 1 + metrics.height() // 2
        self._bar_rects = []
        if not self._bars:
            placeholder = palette.color(QPalette.ColorRole.PlaceholderText)
            painter.setPen(placeholder)
            painter.drawText(
                QRect(area.left(), top, area.width(), area.bottom() - top),
                int(Qt.AlignmentFlag.AlignCenter),
                EMPTY_CHART_TEXT,
            )
            return

        row_height = self._row_height()
        gap = metrics.averageCharWidth()
        label_width = min(
            max(metrics.horizontalAdvance(bar.label) for bar in self._bars) + 2,
            int(area.width() * 0.4),
        )
        value_width = max(metrics.horizontalAdvance(bar.text) for bar in self._bars) + 2
        bar_left = area.left() + label_width + gap
        bar_room = max(1, area.right() - bar_left - gap - value_width)
        largest = max(bar.value for bar in self._bars) or 1.0
        bar_colour = palette.color(QPalette.ColorRole.Highlight)
        axis_colour = palette.color(QPalette.ColorRole.Mid)
        thickness = max(4, row_height - 6)

        for number, bar in enumerate(self._bars):
            row_top = top + number * row_height
            if row_top + row_height > area.bottom() + 1:
                break
            text_rect = QRect(area.left(), row_top, label_width, row_height)
            painter.setPen(text_colour)
            painter.drawText(
                text_rect,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width),
            )
            length = max(2, round(bar_room * bar.value / largest)) if bar.value > 0 else 0
            bar_rect = QRect(bar_left, row_top + (row_height - thickness) // 2, length, thickness)
            painter.fillRect(bar_rect, bar_colour)
            painter.drawText(
                QRect(bar_left + length + gap, row_top, value_width + gap, row_height),
                int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                bar.text,
            )
            self._bar_rects.append(QRect(area.left(), row_top, area.width(), row_height))
        painter.setPen(axis_colour)
        bottom = top + min(len(self._bar_rects), len(self._bars)) * row_height
        painter.drawLine(QPoint(bar_left - 1, top), QPoint(bar_left - 1, bottom))

    def bar_at(self, position: QPoint) -> Bar | None:
        for rect, bar in zip(self._bar_rects, self._bars, strict=False):
            if rect.contains(position):
                return bar
        return None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            bar = self.bar_at(event.pos())
            if bar is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), f"{bar.label}: {bar.text}", self)
            return True
        return super().event(event)


def chart_bars(statistics: Statistics, grouping: str) -> list[Bar]:
    """The chart's bars: the top ten of a grouping by dockings, or the longest stays by time."""
    if grouping == Grouping.LONGEST:
        return [
            Bar(_stay_label(stay), stay.seconds, format_stay(stay.seconds))
            for stay in statistics.longest_stays[:CHART_BARS]
        ]
    if grouping == Grouping.BUSIEST:
        top = sorted(statistics.busiest_ports_by_year, key=lambda entry: -entry[2])[:CHART_BARS]
        return [Bar(f"{year}  {port}", count, str(count)) for year, port, count in top]
    return [
        Bar(figure.label, figure.dockings, str(figure.dockings))
        for figure in statistics.groups(grouping)[:CHART_BARS]
    ]


def _stay_label(stay: Stay) -> str:
    return f"{stay.spacecraft}{' (docked now)' if stay.docked_now else ''}"


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
