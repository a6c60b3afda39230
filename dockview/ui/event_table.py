"""The events table's source model: every cached event, one row each, in the order the person
chose (the proxy over it filters; ordering is carried out here, over cached keys).

Why it is built this way (the model/view rules in the repository's design notes):
- Rows are ``dockview.rows.EventRow`` objects built once from the cache's flat columns, with
  every value a filter or a sort needs precomputed, so neither calls ``data()`` or parses.
- ``sort()`` here is one ``sorted()`` over one key per row and one layout change that moves
  persistent indexes (``dockview.ui.sorting.relayout``). Qt's own sort would call Python twice
  per comparison (2.7 s at 50,000 rows, against tens of milliseconds this way).
- Roles are compared with ``==`` against module constants: ``data()`` runs for every visible
  cell on every paint.
- Updates after a sync go through ``beginInsertRows``/``dataChanged``, so selection, order and
  scroll survive, and new or changed rows then move to their sorted place; only a first load
  or a cache swap resets the model.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from datetime import tzinfo
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from dockview.rows import (
    COLUMN_INDEX,
    COLUMNS,
    TEXT_FIELDS,
    Column,
    EventRow,
    SortKey,
    cell_text,
    departure_key,
    docking_key,
    id_key,
    stay_key,
    text_key,
)
from dockview.timefmt import display_zone, local_zone
from dockview.ui.sorting import relayout

ModelIndex = QModelIndex | QPersistentModelIndex


class EventRole(IntEnum):
    SORT_KEY = Qt.ItemDataRole.UserRole + 1
    EVENT_ID = Qt.ItemDataRole.UserRole + 2
    #: Never served: the proxy's filterRole, so that a dataChanged about looks (display,
    #: font, colour) does not make it filter again; a dataChanged with no roles still does.
    FILTER = Qt.ItemDataRole.UserRole + 3


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
_DESCENDING = Qt.SortOrder.DescendingOrder
#: dataChanged with these roles changes how rows look, never what they hold: the proxy need
#: not filter again. A dataChanged with no roles means the values changed.
_PRESENTATION_ROLES = [int(_DISPLAY), int(_TOOLTIP), int(_BACKGROUND), int(_FONT)]

_DOCKING = COLUMN_INDEX[Column.DOCKING]
_DEPARTURE = COLUMN_INDEX[Column.DEPARTURE]
_DOCKED_FOR = COLUMN_INDEX[Column.DOCKED_FOR]
_ID = COLUMN_INDEX[Column.ID]
_TARGET = COLUMN_INDEX[Column.TARGET]


class EventTableModel(QAbstractTableModel):
    """All cached events, one row each, in the order the person chose (``sort``)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[EventRow] = []
        self._row_of_id: dict[int, int] = {}
        self._utc = False
        self._zone: tzinfo = local_zone()
        self._marks: dict[int, str] = {}
        self._now = time.time()
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._mark_brush = QBrush()
        self._gone_font = QFont()
        self._gone_font.setItalic(True)
        self._gone_font.setStrikeOut(True)
        self._refresh_mark_brush()

    # -- reading --------------------------------------------------------------------------------

    @property
    def rows(self) -> list[EventRow]:
        """The row objects, by row number (the proxy's filter reads these, never ``data()``).
        Always the same list object: it is reordered and refilled in place, so the proxy may
        hold on to it."""
        return self._rows

    def row_for_id(self, event_id: int) -> int | None:
        return self._row_of_id.get(event_id)

    def event_at(self, row: int) -> EventRow:
        return self._rows[row]

    @property
    def utc(self) -> bool:
        return self._utc

    @property
    def zone(self) -> tzinfo:
        """The time zone the times are shown in."""
        return self._zone

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
        """``data()`` by row number."""
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

    def _display(self, row: EventRow, column: int) -> str:
        return cell_text(row, column, self._zone, self._now)

    def _sort_key(self, row: EventRow, column: int) -> SortKey:
        return self.column_sort_key(column)(row)

    def sort_key(self, row: EventRow, column: Column) -> SortKey:
        return self._sort_key(row, COLUMN_INDEX[column])

    def column_sort_key(self, column: int) -> Callable[[EventRow], SortKey]:
        """The order of one column, as a key function over row objects (``sort`` calls it
        once per row; ``EventRole.SORT_KEY`` serves the same values)."""
        if column == _DOCKING:
            return docking_key
        if column == _DEPARTURE:
            return departure_key
        if column == _ID:
            return id_key
        if column == _DOCKED_FOR:
            return stay_key(self._now)
        return text_key(TEXT_FIELDS[column])

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
            self._now = time.time()
            self._rows[:] = rows
            if self._sort_column >= 0:
                self._sort_rows()
            self._index_ids()
        finally:
            self.endResetModel()

    def apply_rows(self, rows: Iterable[EventRow]) -> tuple[int, int]:
        """Merge fresh rows after a sync: changed rows get ``dataChanged`` and new ones are
        appended with ``beginInsertRows``, so the view keeps its selection and scroll; then
        they move to their sorted place in one layout change."""
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
        if (new_rows or changed_rows) and self._sort_column >= 0:
            self.sort(self._sort_column, self._sort_order)
        return len(new_rows), len(changed_rows)

    # -- ordering -------------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the rows by one column (-1: leave them as they are): one ``sorted()`` over
        one cached key per row, ties by id, then one layout change."""
        if not (-1 <= column < len(COLUMNS)):
            return
        self._sort_column = column
        self._sort_order = order
        if column < 0 or not self._rows:
            return
        relayout(self, self._reorder)

    def _sort_rows(self) -> None:
        # Two stable sorts, both with keys computed once per row: by id first, so that ties
        # keep the API's own tie-break in either direction.
        self._rows.sort(key=id_key)
        key = self.column_sort_key(self._sort_column)
        self._rows.sort(key=key, reverse=self._sort_order == _DESCENDING)

    def _reorder(self) -> Callable[[int], int | None]:
        before = self._rows.copy()
        self._sort_rows()
        self._index_ids()
        row_of_id = self._row_of_id
        return lambda old_row: row_of_id[before[old_row].id]

    def _index_ids(self) -> None:
        rows = self._rows
        self._row_of_id = dict(zip(map(id_key, rows), range(len(rows)), strict=True))

    def set_marks(self, marks: dict[int, str]) -> None:
        """Rows new or changed in the last sync stay marked until the next one."""
        touched = set(self._marks) | set(marks)
        self._marks = dict(marks)
        self._emit_rows_changed(touched)

    def set_utc(self, utc: bool) -> None:
        if utc == self._utc:
            return
        self._utc = utc
        self._zone = display_zone(utc)
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


def _runs(numbers: Sequence[int]) -> list[tuple[int, int]]:
    """[1, 2, 3, 7, 8] → [(1, 3), (7, 8)]: one dataChanged per block, not per row."""
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs
