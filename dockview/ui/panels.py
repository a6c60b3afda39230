"""Two side panels: who is docked now, and what the last sync changed.

Both are small tables over the window's row objects (no extra cache reads), and a click or
Enter on a line selects that event in the table and the detail pane.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import tzinfo
from heapq import nlargest
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QLabel,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dockview.store import Change, ChangeKind
from dockview.sync import plural
from dockview.timefmt import display_zone, format_time, parse_time
from dockview.ui.common import named
from dockview.ui.event_model import EventFilterProxy, EventRow
from dockview.ui.sorting import RowMove, identity_move, relayout, sorted_order

ModelIndex = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_SORT = Qt.ItemDataRole.UserRole + 1
_HORIZONTAL = Qt.Orientation.Horizontal

CHANGE_TEXT = {
    ChangeKind.NEW: "New docking",
    ChangeKind.DEPARTED: "Departure filled in",
    ChangeKind.TIMES: "Times changed",
    ChangeKind.DETAILS: "Details changed",
    ChangeKind.GONE: "Gone upstream",
}


def describe_counts(counts: dict[str, int]) -> str:
    """ "3 new dockings, 1 departure filled in, …": the status bar's summary of a sync."""
    parts = [
        plural(counts.get(ChangeKind.NEW, 0), "new docking"),
        plural(counts.get(ChangeKind.DEPARTED, 0), "departure") + " filled in",
        plural(counts.get(ChangeKind.TIMES, 0), "changed time"),
    ]
    if counts.get(ChangeKind.DETAILS):
        parts.append(f"{counts[ChangeKind.DETAILS]} with other changes")
    parts.append(f"{counts.get(ChangeKind.GONE, 0)} gone upstream")
    return ", ".join(parts)


class _RowsModel(QAbstractTableModel):
    """A read-only table of precomputed cells; each line knows its event id."""

    linesChanged = Signal()

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._lines: list[tuple[int, list[str], list[Any]]] = []
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder

    def set_lines(self, lines: list[tuple[int, list[str], list[Any]]]) -> None:
        """New lines, in the order a person chose. About the same events as before (the
        clock ticked), they are updated in place, so the selection stays on its event."""
        old_ids = [line[0] for line in self._lines]
        new_ids = [line[0] for line in lines]
        if old_ids and len(set(new_ids)) == len(new_ids) and set(new_ids) == set(old_ids):
            relayout(self, lambda: self._take(lines))
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(lines) - 1, len(self._headers) - 1)
            )
        else:
            self.beginResetModel()
            try:
                self._take(lines)
            finally:
                self.endResetModel()
        self.linesChanged.emit()

    def _take(self, lines: list[tuple[int, list[str], list[Any]]]) -> RowMove:
        old_ids = [line[0] for line in self._lines]
        if self._sort_column >= 0:
            keys = [line[2][self._sort_column] for line in lines]
            descending = self._sort_order == Qt.SortOrder.DescendingOrder
            lines = [lines[number] for number in sorted_order(keys, descending=descending)]
        self._lines = lines
        return identity_move(old_ids, [line[0] for line in lines])

    def event_id(self, row: int) -> int | None:
        return self._lines[row][0] if 0 <= row < len(self._lines) else None

    def column_texts(self, column: int) -> list[str]:
        return [texts[column] for _, texts, _ in self._lines]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == _HORIZONTAL and role == _DISPLAY and 0 <= section < len(self._headers):
            return self._headers[section]
        return None

    def data(self, index: ModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        _, texts, keys = self._lines[index.row()]
        if role == _DISPLAY or role == _TOOLTIP:
            return texts[index.column()]
        if role == _SORT:
            return keys[index.column()]
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order by a column's key; the selection stays on the line it was on."""
        if not (-1 <= column < len(self._headers)):
            return
        self._sort_column, self._sort_order = column, order
        relayout(self, lambda: self._take(self._lines))


class _Panel(QWidget):
    eventActivated = Signal(int)

    def __init__(self, object_name: str, title: str, headers: Sequence[str]) -> None:
        super().__init__()
        named(self, object_name, title)
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.model = _RowsModel(headers, self)
        self.table = named(QTableView(), f"{object_name}Table", title)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setResizeContentsPrecision(100)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.model.linesChanged.connect(self._fit_columns)
        self.table.activated.connect(self._activated)
        self.table.clicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)

    def _fit_columns(self) -> None:
        """Each column as wide as its widest text, among all lines, as Qt's
        ``resizeColumnsToContents`` would make it; measured on each column's few longest texts
        rather than through ``data()`` for every cell (a station change re-fills the panel
        while the table filters 50,000 rows)."""
        table = self.table
        metrics = table.fontMetrics()
        style = table.style()
        margin = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1)
        grid = 1 if table.showGrid() else 0
        header = table.horizontalHeader()
        for column in range(self.model.columnCount()):
            longest = nlargest(8, self.model.column_texts(column), key=len)
            widest = max(map(metrics.horizontalAdvance, longest), default=0)
            cell = widest + margin + grid if longest else 0
            table.setColumnWidth(column, max(cell, header.sectionSizeHint(column)))

    def _activated(self, index: QModelIndex) -> None:
        event_id = self.model.event_id(index.row())
        if event_id is not None:
            self.eventActivated.emit(event_id)

    def event_ids(self) -> list[int]:
        ids = (self.model.event_id(row) for row in range(self.model.rowCount()))
        return [event_id for event_id in ids if event_id is not None]


class DockedNowPanel(_Panel):
    """Every vehicle whose departure is empty, with days docked counting up; narrowed by the
    station filter only (who is at this station now, whatever else is filtered)."""

    def __init__(self, proxy: EventFilterProxy) -> None:
        super().__init__(
            "dockedNow", "Docked now", ["Vehicle", "Station", "Port", "Since", "Days docked"]
        )
        self.proxy = proxy
        self._utc = False
        self._doubtful: dict[int, str] = {}  # event id → why the data checks doubt it
        self.hide_doubtful = named(
            QCheckBox("Hide doubtful"), "hideDoubtful", "Hide doubtful open dockings"
        )
        self.hide_doubtful.setToolTip(
            "Hide vehicles the data checks doubt are still docked (see Data issues)"
        )
        self.hide_doubtful.toggled.connect(self.refresh)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(1, self.hide_doubtful)
        self._docked: list[EventRow] | None = None  # all still-docked rows; None = stale
        self._shown_station: object = object()
        # Every still-docked row with its line, in docking order, made once per refresh: a
        # station change only picks among them (hundreds of lines at 50,000 events).
        self._all_lines: list[tuple[EventRow, tuple[int, list[str], list[Any]]]] | None = None
        self._refresh_soon = QTimer(self, singleShot=True, interval=0)
        self._refresh_soon.timeout.connect(self.refresh)
        self._station_soon = QTimer(self, singleShot=True, interval=0)
        self._station_soon.timeout.connect(self._show)
        # The rows themselves change with the model; only the station filter narrows the
        # panel, so a sort or a text filter in the table costs nothing here.
        model = proxy.event_model()
        for signal in (model.modelReset, model.rowsInserted):
            signal.connect(self._rows_changed)
        model.dataChanged.connect(self._values_changed)
        proxy.layoutChanged.connect(self._maybe_station_changed)
        self._clock = QTimer(self, interval=60_000)
        self._clock.timeout.connect(self.refresh)
        self._clock.start()
        self.refresh()

    def set_utc(self, utc: bool) -> None:
        self._utc = utc
        self.refresh()

    def set_doubtful(self, reasons: dict[int, str]) -> None:
        """Open stays the data checks find stale: marked "(doubtful)", or hidden."""
        if reasons != self._doubtful:
            self._doubtful = dict(reasons)
            self.refresh()

    def _rows_changed(self, *_: object) -> None:
        self._docked = None
        self._refresh_soon.start()

    def _values_changed(self, _top: object, _bottom: object, roles: Sequence[int] = ()) -> None:
        if not roles:  # values, not looks
            self._rows_changed()

    def _maybe_station_changed(self, *_: object) -> None:
        if self.proxy.query.station_id != self._shown_station:
            self._station_soon.start()

    def refresh(self) -> None:
        """Every line again: the rows, the clock, the time zone or the doubts changed."""
        self._all_lines = None
        self._show()

    def _show(self) -> None:
        self._station_soon.stop()
        station = self.proxy.query.station_id
        self._shown_station = station
        if self._all_lines is None:
            self._all_lines = self._make_lines()
        picked = [
            (row, line)
            for row, line in self._all_lines
            if station is None or row.station_id == station
        ]
        doubtful = sum(row.id in self._doubtful for row, _ in picked)
        if self.hide_doubtful.isChecked():
            picked = [(row, line) for row, line in picked if row.id not in self._doubtful]
        lines = [line for _, line in picked]
        self.model.set_lines(lines)
        where = " at this station" if station is not None else ""
        text = f"{plural(len(lines), 'vehicle')} docked now{where}"
        if doubtful:
            hidden = " hidden" if self.hide_doubtful.isChecked() else ""
            text += f" ({doubtful} doubtful{hidden}: the data says docked, the checks doubt it)"
        self.summary.setText(text + ".")
        self.hide_doubtful.setVisible(bool(doubtful) or self.hide_doubtful.isChecked())

    def _make_lines(self) -> list[tuple[EventRow, tuple[int, list[str], list[Any]]]]:
        now = time.time()
        zone = display_zone(self._utc)
        if self._docked is None:
            self._docked = [row for row in self.proxy.event_model().rows if row.docked_now]
        rows = sorted(self._docked, key=lambda row: row.docking_ts)
        lines = []
        for row in rows:
            days = (now - row.docking_ts) / 86400
            vehicle = row.chaser or "Unknown vehicle"
            if row.id in self._doubtful:
                vehicle += " (doubtful)"
            lines.append(
                (
                    row.id,
                    [
                        vehicle,
                        row.station_name or "",
                        row.location_name or "",
                        format_time(row.docking_ts, zone),
                        f"{days:,.0f} d",
                    ],
                    [
                        vehicle.casefold(),
                        (row.station_name or "").casefold(),
                        (row.location_name or "").casefold(),
                        row.docking_ts,
                        days,
                    ],
                )
            )
        return list(zip(rows, lines, strict=True))


class ChangesPanel(_Panel):
    """What the last sync changed: new dockings, departures filled in, changed times, events
    gone upstream, each with its times before and after."""

    def __init__(self, row_for_id: Callable[[int], EventRow | None]) -> None:
        super().__init__(
            "changesPanel", "Changes", ["Change", "Vehicle", "Port", "Before", "After"]
        )
        self._row_for_id = row_for_id
        self._utc = False
        self._changes: list[Change] = []
        self._counts: dict[str, int] = {}
        self._first_sync = False
        self.summary.setText("No sync yet in this cache.")

    def set_utc(self, utc: bool) -> None:
        self._utc = utc
        self.show_changes(self._counts, self._changes, self._first_sync)

    def show_changes(self, counts: dict[str, int], changes: list[Change], first_sync: bool) -> None:
        self._counts, self._changes, self._first_sync = counts, changes, first_sync
        zone = display_zone(self._utc)
        lines = []
        for change in changes:
            row = self._row_for_id(change.event_id)
            vehicle = (row.chaser if row else None) or f"Event {change.event_id}"
            port = (row.location_name if row else None) or ""
            before = _stay_text(change.docking_before, change.departure_before, zone)
            after = _stay_text(change.docking_after, change.departure_after, zone)
            if change.kind == ChangeKind.GONE:
                before, after = "listed", "no longer listed"
            kind = CHANGE_TEXT[change.kind]
            lines.append(
                (
                    change.event_id,
                    [kind, vehicle, port, before, after],
                    [kind, vehicle.casefold(), port.casefold(), before, after],
                )
            )
        self.model.set_lines(lines)
        if not counts:
            self.summary.setText("No sync yet in this cache.")
        elif first_sync:
            total = counts.get(ChangeKind.NEW, 0)
            self.summary.setText(f"The first sync brought {plural(total, 'docking')}.")
        else:
            self.summary.setText(f"Last sync: {describe_counts(counts)}.")


def _stay_text(docking: str | None, departure: str | None, zone: tzinfo) -> str:
    """ "2024-05-02 13:46 → 2024-10-23 21:05" from a change's stored ISO times; a time that
    does not read as one is shown as it was stored."""
    if docking is None:
        return ""
    times = []
    for text in (docking, departure):
        moment = parse_time(text)
        times.append(format_time(moment.timestamp(), zone) if moment else text)
    return f"{times[0]} → {times[1] or 'docked now'}"
