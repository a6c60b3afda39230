"""The events table: a model over cached row objects and the proxy that filters and orders it.

Why it is built this way (DESIGN.md's model/view rules):
- Rows are plain objects built once from the cache's flat columns, with every value a filter or
  a sort needs precomputed (timestamps as floats, a lower-cased search text), so neither
  filtering nor ordering calls ``data()`` or parses anything.
- Sort keys are values Qt compares natively (float, str, int) under ``EventRole.SORT_KEY``.
- Roles are compared with ``==`` against module constants: ``data()`` runs for every visible
  cell on every paint.
- Updates after a sync go through ``beginInsertRows``/``dataChanged``, so selection, sort and
  scroll survive; only a first load or a cache swap resets the model.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from enum import Enum, IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from dockview.records import format_stay
from dockview.store import TABLE_FIELDS

ModelIndex = QModelIndex | QPersistentModelIndex


class Column(Enum):
    DOCKING = ("Docking", "When the vehicle docked")
    DEPARTURE = ("Departure", "When it left; empty while it is still docked")
    DOCKED_FOR = ("Docked for", "How long the stay lasted, or has lasted so far")
    SPACECRAFT = ("Chaser", "The vehicle that docked (the chaser)")
    SERIAL = ("Serial", "The spacecraft's serial number")
    TYPE = ("Type", "The spacecraft configuration's type")
    CONFIG = ("Config", "The spacecraft configuration")
    AGENCY = ("Agency", "The agency that operates the configuration")
    TARGET = ("Target", "What it docked to: a space station, a spacecraft or a satellite")
    STATION = ("Station", "The space station")
    PORT = ("Port", "The docking port (location)")
    ID = ("ID", "The event's Launch Library 2 id")

    @property
    def title(self) -> str:
        return self.value[0]

    @property
    def tooltip(self) -> str:
        return self.value[1]


COLUMNS = list(Column)
COLUMN_INDEX = {column: number for number, column in enumerate(COLUMNS)}


class EventRole(IntEnum):
    SORT_KEY = Qt.ItemDataRole.UserRole + 1
    EVENT_ID = Qt.ItemDataRole.UserRole + 2


# Module-level role constants: comparing against these is cheap in data(), enum lookups are not.
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_FONT = Qt.ItemDataRole.FontRole
_ACCESSIBLE = Qt.ItemDataRole.AccessibleTextRole
_SORT_KEY = int(EventRole.SORT_KEY)
_EVENT_ID = int(EventRole.EVENT_ID)
_HORIZONTAL = Qt.Orientation.Horizontal
#: dataChanged with these roles changes how rows look, never what they hold: the proxy need
#: not filter or sort again. A dataChanged with no roles means the values changed.
_PRESENTATION_ROLES = [int(_DISPLAY), int(_TOOLTIP), int(_BACKGROUND), int(_FONT)]

_DOCKING = COLUMN_INDEX[Column.DOCKING]
_DEPARTURE = COLUMN_INDEX[Column.DEPARTURE]
_DOCKED_FOR = COLUMN_INDEX[Column.DOCKED_FOR]
_ID = COLUMN_INDEX[Column.ID]
_TARGET = COLUMN_INDEX[Column.TARGET]
_TEXT_FIELDS = {
    COLUMN_INDEX[Column.SPACECRAFT]: "chaser",
    COLUMN_INDEX[Column.TARGET]: "target",
    COLUMN_INDEX[Column.SERIAL]: "serial_number",
    COLUMN_INDEX[Column.TYPE]: "config_type",
    COLUMN_INDEX[Column.CONFIG]: "config_name",
    COLUMN_INDEX[Column.AGENCY]: "agency_name",
    COLUMN_INDEX[Column.STATION]: "station_name",
    COLUMN_INDEX[Column.PORT]: "location_name",
}
_FIELD_POSITION = {name: position for position, name in enumerate(TABLE_FIELDS)}


class EventRow:
    """One table row: the cache's flat fields plus what filters and sorts need, precomputed."""

    __slots__ = (
        "agency_name",
        "chaser",
        "config_name",
        "config_type",
        "departure_ts",
        "docking_ts",
        "flight_vehicle_id",
        "gone",
        "id",
        "location_id",
        "location_name",
        "search_text",
        "serial_number",
        "spacecraft_id",
        "spacecraft_name",
        "station_id",
        "station_name",
        "target",
        "target_kind",
    )

    def __init__(self, fields: Sequence[Any]) -> None:
        get = fields.__getitem__
        position = _FIELD_POSITION
        self.id: int = get(position["id"])
        self.docking_ts: float = get(position["docking_ts"])
        self.departure_ts: float | None = get(position["departure_ts"])
        self.spacecraft_id: int | None = get(position["spacecraft_id"])
        self.spacecraft_name: str | None = get(position["spacecraft_name"])
        self.serial_number: str | None = get(position["serial_number"])
        self.config_type: str | None = get(position["config_type"])
        self.config_name: str | None = get(position["config_name"])
        self.agency_name: str | None = get(position["agency_name"])
        self.station_id: int | None = get(position["station_id"])
        self.station_name: str | None = get(position["station_name"])
        self.location_id: int | None = get(position["location_id"])
        self.location_name: str | None = get(position["location_name"])
        self.flight_vehicle_id: int | None = get(position["flight_vehicle_id"])
        self.gone: bool = get(position["gone_upstream_at"]) is not None
        # 2.3.0 names both sides; a 2.2.0 event is a spacecraft (chaser) at a station (target).
        self.chaser: str | None = get(position["chaser_name"]) or self.spacecraft_name
        self.target_kind: str | None = get(position["target_kind"])
        self.target: str | None = get(position["target_name"]) or self.station_name
        self.search_text = "\n".join(
            value
            for value in (
                self.chaser,
                self.target,
                self.spacecraft_name,
                self.serial_number,
                self.config_name,
                self.config_type,
                self.agency_name,
                self.location_name,
                self.station_name,
            )
            if value
        ).casefold()

    @property
    def docked_now(self) -> bool:
        return self.departure_ts is None and not self.gone

    def stay_seconds(self, now: float) -> float:
        end = self.departure_ts if self.departure_ts is not None else now
        return max(0.0, end - self.docking_ts)

    def same_values(self, other: EventRow) -> bool:
        return all(getattr(self, name) == getattr(other, name) for name in EventRow.__slots__)


def local_zone() -> tzinfo:
    zone = datetime.now().astimezone().tzinfo
    return zone if zone is not None else UTC


def format_time(timestamp: float, zone: tzinfo) -> str:
    return datetime.fromtimestamp(timestamp, zone).strftime("%Y-%m-%d %H:%M")


class EventTableModel(QAbstractTableModel):
    """All cached events, one row each, in the order they were loaded (ordering is the proxy's)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[EventRow] = []
        self._row_of_id: dict[int, int] = {}
        self._utc = False
        self._zone: tzinfo = local_zone()
        self._marks: dict[int, str] = {}
        self._now = time.time()
        self._mark_brush = QBrush()
        self._gone_font = QFont()
        self._gone_font.setItalic(True)
        self._gone_font.setStrikeOut(True)
        self._refresh_mark_brush()

    # -- reading --------------------------------------------------------------------------------

    @property
    def rows(self) -> list[EventRow]:
        """The row objects, by source row number (the proxy reads these, never ``data()``)."""
        return self._rows

    def row_for_id(self, event_id: int) -> int | None:
        return self._row_of_id.get(event_id)

    def event_at(self, row: int) -> EventRow:
        return self._rows[row]

    @property
    def utc(self) -> bool:
        return self._utc

    @property
    def now(self) -> float:
        return self._now

    def marks(self) -> dict[int, str]:
        return dict(self._marks)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == _HORIZONTAL and 0 <= section < len(COLUMNS):
            if role == _DISPLAY:
                return COLUMNS[section].title
            if role == _TOOLTIP:
                return COLUMNS[section].tooltip
        return None

    def data(self, index: ModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        return self.row_data(index.row(), index.column(), role)

    def row_data(self, source_row: int, column: int, role: int) -> Any:
        """``data()`` by row number: the proxy calls this directly, one call per cell."""
        row = self._rows[source_row]
        if role == _DISPLAY or role == _ACCESSIBLE:
            return self._display(row, column)
        if role == _SORT_KEY:
            return self._sort_key(row, column)
        if role == _EVENT_ID:
            return row.id
        if role == _BACKGROUND:
            return self._mark_brush if row.id in self._marks else None
        if role == _FONT:
            return self._gone_font if row.gone else None
        if role == _TOOLTIP:
            return self._tooltip(row, column)
        if role == _ALIGN and (column == _ID or column == _DOCKED_FOR):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: EventRow, column: int) -> str | None:
        if column == _DOCKING:
            return format_time(row.docking_ts, self._zone)
        if column == _DEPARTURE:
            return format_time(row.departure_ts, self._zone) if row.departure_ts else ""
        if column == _DOCKED_FOR:
            stay = format_stay(row.stay_seconds(self._now))
            if row.departure_ts is None:
                return "gone upstream" if row.gone else f"docked now · {stay}"
            return stay
        if column == _ID:
            return str(row.id)
        value = getattr(row, _TEXT_FIELDS[column])
        return value if value is not None else ""

    def _sort_key(self, row: EventRow, column: int) -> float | str | int:
        if column == _DOCKING:
            return row.docking_ts
        if column == _DEPARTURE:
            # Open stays last when ascending: they have not ended yet.
            return row.departure_ts if row.departure_ts is not None else math.inf
        if column == _DOCKED_FOR:
            return row.stay_seconds(self._now)
        if column == _ID:
            return row.id
        value = getattr(row, _TEXT_FIELDS[column])
        return value.casefold() if value else ""

    def sort_key(self, row: EventRow, column: Column) -> float | str | int:
        return self._sort_key(row, COLUMN_INDEX[column])

    def column_sort_key(self, column: int) -> Callable[[EventRow], float | str | int]:
        """A key function for one column, for the proxy's ``sorted()``: the same values as
        ``EventRole.SORT_KEY``, without a model call per row."""
        if column == _DOCKING:
            return _docking_key
        if column == _DEPARTURE:
            return _departure_key
        if column == _ID:
            return _id_key
        if column == _DOCKED_FOR:
            now = self._now
            return lambda row: row.stay_seconds(now)
        field = _TEXT_FIELDS[column]
        return lambda row: (getattr(row, field) or "").casefold()

    def _tooltip(self, row: EventRow, column: int) -> str | None:
        mark = self._marks.get(row.id)
        notes = []
        if mark == "new":
            notes.append("New in the last sync")
        elif mark == "changed":
            notes.append("Changed in the last sync")
        if row.gone:
            notes.append("No longer listed by the API (gone upstream)")
        if column == _DOCKING or column == _DEPARTURE:
            zone = "UTC" if self._utc else "local time"
            notes.append(f"Times in {zone}")
        if column == _TARGET and row.target_kind and row.target_kind != "station":
            kind = "a satellite" if row.target_kind == "payload" else "a spacecraft"
            notes.append(f"Docked to {kind}, not a station")
        return "\n".join(notes) if notes else None

    # -- changing -------------------------------------------------------------------------------

    def set_rows(self, rows: Iterable[EventRow]) -> None:
        """Replace everything (first load, or another cache): a reset, kept exception-safe."""
        self.beginResetModel()
        try:
            self._rows = list(rows)
            self._row_of_id = {row.id: number for number, row in enumerate(self._rows)}
            self._now = time.time()
        finally:
            self.endResetModel()

    def apply_rows(self, rows: Iterable[EventRow]) -> tuple[int, int]:
        """Merge fresh rows after a sync: changed rows get ``dataChanged`` and new ones are
        appended with ``beginInsertRows``, so the view keeps its selection, sort and scroll."""
        changed_rows: list[int] = []
        new_rows: list[EventRow] = []
        for row in rows:
            position = self._row_of_id.get(row.id)
            if position is None:
                new_rows.append(row)
            elif not self._rows[position].same_values(row):
                self._rows[position] = row
                changed_rows.append(position)
        self._now = time.time()
        if changed_rows:
            last_column = len(COLUMNS) - 1
            for start, end in _runs(sorted(changed_rows)):
                self.dataChanged.emit(self.index(start, 0), self.index(end, last_column))
        if new_rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new_rows) - 1)
            try:
                for offset, row in enumerate(new_rows):
                    self._row_of_id[row.id] = first + offset
                self._rows.extend(new_rows)
            finally:
                self.endInsertRows()
        return len(new_rows), len(changed_rows)

    def set_marks(self, marks: dict[int, str]) -> None:
        """Rows new or changed in the last sync stay marked until the next one."""
        touched = set(self._marks) | set(marks)
        self._marks = dict(marks)
        self._emit_rows_changed(touched)

    def set_utc(self, utc: bool) -> None:
        if utc == self._utc:
            return
        self._utc = utc
        self._zone = UTC if utc else local_zone()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, _DOCKING),
                self.index(len(self._rows) - 1, _DEPARTURE),
                _PRESENTATION_ROLES,
            )

    def refresh_now(self) -> None:
        """Let "docked now · N d" count up: re-read the clock and repaint that column."""
        self._now = time.time()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, _DOCKED_FOR),
                self.index(len(self._rows) - 1, _DOCKED_FOR),
                _PRESENTATION_ROLES,
            )

    def refresh_palette(self) -> None:
        self._refresh_mark_brush()
        if self._marks:
            self._emit_rows_changed(set(self._marks))

    def _refresh_mark_brush(self) -> None:
        colour = QColor(QApplication.palette().color(QPalette.ColorRole.Highlight))
        colour.setAlpha(48)
        self._mark_brush = QBrush(colour)

    def _emit_rows_changed(self, event_ids: Iterable[int]) -> None:
        """Marks changed on these rows: how they look, not what they hold."""
        positions = sorted(p for i in event_ids if (p := self._row_of_id.get(i)) is not None)
        last_column = len(COLUMNS) - 1
        for start, end in _runs(positions):
            self.dataChanged.emit(
                self.index(start, 0), self.index(end, last_column), _PRESENTATION_ROLES
            )


def _docking_key(row: EventRow) -> float:
    return row.docking_ts


def _departure_key(row: EventRow) -> float:
    # Open stays last when ascending: they have not ended yet.
    return row.departure_ts if row.departure_ts is not None else math.inf


def _id_key(row: EventRow) -> int:
    return row.id


def _runs(numbers: Sequence[int]) -> list[tuple[int, int]]:
    """[1, 2, 3, 7, 8] → [(1, 3), (7, 8)]: one dataChanged per block, not per row."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


class EventFilterProxy(QAbstractProxyModel):
    """All filtering and ordering of the table, computed in Python over precomputed keys.

    Why not QSortFilterProxyModel (measured here, 50,000 rows, PySide6 6.12): its sort calls
    ``data()`` in Python twice per comparison (about 6 s), and its filter calls
    ``filterAcceptsRow`` in Python once per row (100-180 ms) on every change, sort included.
    This proxy keeps the same public shape (``sort()`` is the one entry point for ordering,
    ``filterAcceptsRow``/``accepts`` decide each row, filter state changes are bracketed) but
    does the work with ``sorted()`` over cached key lists and one pass over the rows, then tells
    the views with a single ``layoutChanged`` (as ``QSortFilterProxyModel.invalidate()`` does),
    moving persistent indexes so selection and current row survive. Per paint, only visible
    cells cost a Python call.

    The filters mirror the API's own (``space_station__id``, spacecraft, ``docking_location__id``)
    plus free text, a date range (stays that overlap it) and "docked now".
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.station_id: int | None = None
        self.spacecraft_id: int | None = None
        self.location_id: int | None = None
        self.text = ""
        self.since_ts: float | None = None
        self.until_ts: float | None = None
        self.docked_now = False
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._order: list[int] = []  # every source row, in the current sort order
        self._visible: list[int] = []  # proxy row → source row
        self._proxy_row: list[int] = []  # source row → proxy row, or -1 when filtered out
        self._keys: dict[int, list[Any]] = {}  # sort keys per column, by source row
        self._filter_depth = 0

    # -- the source ---------------------------------------------------------------------------

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        if not isinstance(model, EventTableModel):
            raise TypeError("EventFilterProxy works over an EventTableModel")
        old = self.sourceModel()
        if old is not None:
            old.disconnect(self)
        self.beginResetModel()
        try:
            super().setSourceModel(model)
            self._rebuild_all()
        finally:
            self.endResetModel()
        model.modelAboutToBeReset.connect(self.beginResetModel)
        model.modelReset.connect(self._source_reset)
        model.rowsInserted.connect(self._source_rows_inserted)
        model.dataChanged.connect(self._source_data_changed)

    def event_model(self) -> EventTableModel:
        model = self.sourceModel()
        assert isinstance(model, EventTableModel)
        return model

    def _source_reset(self) -> None:
        try:
            self._rebuild_all()
        finally:
            self.endResetModel()

    def _rebuild_all(self) -> None:
        self._keys.clear()
        self._order = self._sorted_rows()
        self._apply_visible(self._filtered(self._order))

    def _source_rows_inserted(self, parent: ModelIndex, first: int, last: int) -> None:
        """New rows (after a sync): append the accepted ones, then move them into order."""
        self._keys.clear()
        rows = self.event_model().rows
        self._proxy_row.extend([-1] * (last - first + 1))
        added = [number for number in range(first, last + 1) if self.accepts(rows[number])]
        if added:
            start = len(self._visible)
            self.beginInsertRows(QModelIndex(), start, start + len(added) - 1)
            try:
                self._visible.extend(added)
                for offset, number in enumerate(added):
                    self._proxy_row[number] = start + offset
            finally:
                self.endInsertRows()
        self._order.extend(range(first, last + 1))
        if self._sort_column >= 0:
            self._relayout(resort=True)

    def _source_data_changed(
        self, top_left: QModelIndex, bottom_right: QModelIndex, roles: Sequence[int] = ()
    ) -> None:
        if not roles:
            # Values changed (a sync): keys and filter results may have too.
            self._keys.clear()
            self._relayout(resort=self._sort_column >= 0)
        first_column, last_column = top_left.column(), bottom_right.column()
        shown = [
            position
            for number in range(top_left.row(), bottom_right.row() + 1)
            if (position := self._proxy_row[number]) >= 0
        ]
        if not shown:
            return
        if len(shown) > 1000:
            # Everything (time zone, clock): one signal for the whole visible block.
            self.dataChanged.emit(
                self.index(0, first_column),
                self.index(len(self._visible) - 1, last_column),
                list(roles),
            )
            return
        for start, end in _runs(sorted(shown)):
            self.dataChanged.emit(
                self.index(start, first_column), self.index(end, last_column), list(roles)
            )

    # -- the model interface ------------------------------------------------------------------

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._visible)):
            return QModelIndex()
        if not (0 <= column < len(COLUMNS)):
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        return QModelIndex()

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._visible)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def hasChildren(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and bool(self._visible)

    def mapToSource(self, proxy_index: ModelIndex) -> QModelIndex:
        if not proxy_index.isValid() or proxy_index.row() >= len(self._visible):
            return QModelIndex()
        return self.event_model().index(self._visible[proxy_index.row()], proxy_index.column())

    def mapFromSource(self, source_index: ModelIndex) -> QModelIndex:
        if not source_index.isValid() or source_index.row() >= len(self._proxy_row):
            return QModelIndex()
        position = self._proxy_row[source_index.row()]
        if position < 0:
            return QModelIndex()
        return self.createIndex(position, source_index.column())

    def data(self, index: ModelIndex, role: int = _DISPLAY) -> Any:
        # One Python call per cell instead of two (mapToSource, then the source's data()).
        if not index.isValid() or index.row() >= len(self._visible):
            return None
        return self.event_model().row_data(self._visible[index.row()], index.column(), role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == _HORIZONTAL:
            return self.event_model().headerData(section, orientation, role)
        if role == _DISPLAY and 0 <= section < len(self._visible):
            return str(section + 1)
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- ordering -----------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order by a column: a Python sort over that column's cached keys (the floor)."""
        if not (-1 <= column < len(COLUMNS)):
            return
        self._sort_column = column
        self._sort_order = order
        self._relayout(resort=True)

    def sortColumn(self) -> int:
        return self._sort_column

    def sortOrder(self) -> Qt.SortOrder:
        return self._sort_order

    def _column_keys(self, column: int) -> list[Any]:
        keys = self._keys.get(column)
        if keys is None:
            model = self.event_model()
            sort_key = model.column_sort_key(column)
            keys = [sort_key(row) for row in model.rows]
            self._keys[column] = keys
        return keys

    def _sorted_rows(self) -> list[int]:
        count = len(self.event_model().rows)
        if self._sort_column < 0:
            return list(range(count))
        keys = self._column_keys(self._sort_column)
        ids = self._column_keys(COLUMN_INDEX[Column.ID])
        descending = self._sort_order == Qt.SortOrder.DescendingOrder
        # Ties keep a stable, meaningful order: by id, the API's own tie-break.
        by_id = sorted(range(count), key=ids.__getitem__)
        return sorted(by_id, key=keys.__getitem__, reverse=descending)

    # -- filtering ----------------------------------------------------------------------------

    def set_filters(self, **changes: Any) -> None:
        """Change any of the filter attributes at once; the rows are filtered again once."""
        unknown = set(changes) - set(FILTER_DEFAULTS)
        if unknown:
            raise TypeError(f"unknown filters: {sorted(unknown)}")
        if "text" in changes:
            changes["text"] = (changes["text"] or "").strip().casefold()
        if all(getattr(self, name) == value for name, value in changes.items()):
            return
        self.begin_filter_change()
        try:
            for name, value in changes.items():
                setattr(self, name, value)
        finally:
            self.end_filter_change()

    def begin_filter_change(self) -> None:
        """Bracket several filter changes so the rows are filtered once, at the end."""
        self._filter_depth += 1

    def end_filter_change(self) -> None:
        self._filter_depth -= 1
        if self._filter_depth == 0:
            self._relayout(resort=False)

    def clear_filters(self) -> None:
        self.set_filters(**FILTER_DEFAULTS)

    def filters(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FILTER_DEFAULTS}

    def is_filtered(self) -> bool:
        return self.filters() != FILTER_DEFAULTS

    def accepts(self, row: EventRow) -> bool:
        """The filter itself, on one row object: the table and the other views share it."""
        if self.station_id is not None and row.station_id != self.station_id:
            return False
        if self.spacecraft_id is not None and row.spacecraft_id != self.spacecraft_id:
            return False
        if self.location_id is not None and row.location_id != self.location_id:
            return False
        if self.docked_now and not row.docked_now:
            return False
        if self.until_ts is not None and row.docking_ts > self.until_ts:
            return False
        if (
            self.since_ts is not None
            and row.departure_ts is not None
            and row.departure_ts < self.since_ts
        ):
            return False
        return not self.text or self.text in row.search_text

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return self.accepts(self.event_model().rows[source_row])

    def _filtered(self, order: list[int]) -> list[int]:
        """One pass over the rows; the common single filters get a tighter loop."""
        rows = self.event_model().rows
        if not self.is_filtered():
            return list(order)
        only = {name for name, value in self.filters().items() if value != FILTER_DEFAULTS[name]}
        if only == {"station_id"}:
            wanted = self.station_id
            return [number for number in order if rows[number].station_id == wanted]
        if only == {"text"}:
            text = self.text
            return [number for number in order if text in rows[number].search_text]
        accepts = self.accepts
        return [number for number in order if accepts(rows[number])]

    # -- telling the views --------------------------------------------------------------------

    def _relayout(self, *, resort: bool) -> None:
        """Recompute order and filter, and move the views' persistent indexes along."""
        self.layoutAboutToBeChanged.emit()
        try:
            persistent = self.persistentIndexList()
            held = [
                (index, self._visible[index.row()] if index.row() < len(self._visible) else -1)
                for index in persistent
            ]
            if resort:
                self._order = self._sorted_rows()
            self._apply_visible(self._filtered(self._order))
            if held:
                old = [index for index, _ in held]
                new = [
                    self.createIndex(self._proxy_row[source], index.column())
                    if source >= 0 and self._proxy_row[source] >= 0
                    else QModelIndex()
                    for index, source in held
                ]
                self.changePersistentIndexList(old, new)
        finally:
            self.layoutChanged.emit()

    def _apply_visible(self, visible: list[int]) -> None:
        self._visible = visible
        positions = [-1] * len(self.event_model().rows)
        for position, number in enumerate(visible):
            positions[number] = position
        self._proxy_row = positions

    # -- helpers for the window ---------------------------------------------------------------

    def event_id_at(self, proxy_row: int) -> int | None:
        if not (0 <= proxy_row < len(self._visible)):
            return None
        return self.event_model().rows[self._visible[proxy_row]].id

    def proxy_row_for_id(self, event_id: int) -> int | None:
        source_row = self.event_model().row_for_id(event_id)
        if source_row is None or source_row >= len(self._proxy_row):
            return None
        position = self._proxy_row[source_row]
        return position if position >= 0 else None

    def visible_rows(self) -> list[EventRow]:
        rows = self.event_model().rows
        return [rows[number] for number in self._visible]


FILTER_DEFAULTS: dict[str, Any] = {
    "station_id": None,
    "spacecraft_id": None,
    "location_id": None,
    "text": "",
    "since_ts": None,
    "until_ts": None,
    "docked_now": False,
}
