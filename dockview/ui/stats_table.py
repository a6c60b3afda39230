"""The statistics table: the columns of each grouping (header, cell text, sort key, tooltip)
and the model that shows one grouping's figures, sortable by any column.

Cell texts and sort keys are computed once per change (a few hundred rows at most), so data()
only looks them up; sort keys are ints, floats or strings, which Qt compares natively.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from dockview.stats import GroupFigures, Grouping, Statistics
from dockview.timefmt import format_date, format_duration, format_stay, format_time
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
        lambda r: format_date(r[1].docking_ts, UTC),
        lambda r: r[1].docking_ts,
        numeric=True,
        detail=lambda r: format_time(r[1].docking_ts, UTC, seconds=True, zone_name=True),
    ),
    StatsColumn(
        "Departed",
        "When it left (UTC date); still docked stays count up to now",
        lambda r: (
            format_date(r[1].departure_ts, UTC) if r[1].departure_ts is not None else "docked now"
        ),
        lambda r: r[1].departure_ts if r[1].departure_ts is not None else math.inf,
        numeric=True,
        detail=lambda r: (
            format_time(r[1].departure_ts, UTC, seconds=True, zone_name=True)
            if r[1].departure_ts is not None
            else "Still docked"
        ),
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
