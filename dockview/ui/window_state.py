"""What the window remembers between runs: geometry, docks, splitter, columns, filters, UTC.

Every remembered value is read defensively (see ``settings.read_*``): a value of the wrong type
or an unreadable state falls back to the first-start layout instead of stopping the window.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QTableView

from dockview.ui.event_model import COLUMN_INDEX, Column
from dockview.ui.settings import read_bool, read_bytes, read_str

if TYPE_CHECKING:
    from dockview.ui.main_window import MainWindow

log = logging.getLogger(__name__)


def restore_window_state(window: MainWindow) -> None:
    settings = window.context.settings
    geometry = read_bytes(settings, "window/geometry")
    if geometry is None or not window.restoreGeometry(QByteArray(geometry)):
        window.resize(1360, 820)
    state = read_bytes(settings, "window/state")
    if state is not None:
        window.restoreState(QByteArray(state))
    splitter = read_bytes(settings, "window/splitter")
    if splitter is None or not window.splitter.restoreState(QByteArray(splitter)):
        window.splitter.setSizes([940, 420])
    table = window.table
    header_state = read_bytes(settings, "table/header")
    if header_state is None or not table.horizontalHeader().restoreState(QByteArray(header_state)):
        default_columns(table)
    window.id_column_action.setChecked(not table.isColumnHidden(COLUMN_INDEX[Column.ID]))
    filters = read_str(settings, "filters/state")
    if filters:
        try:
            window.filter_bar.restore(json.loads(filters))
        except ValueError:
            log.info("Ignoring unreadable remembered filters")
    if read_bool(settings, "view/utc", window.model.utc) != window.model.utc:
        window.set_utc(not window.model.utc)


def default_columns(table: QTableView) -> None:
    """First start: columns as wide as their contents (a sample of rows, so it stays fast
    with any number of events), within bounds, newest dockings first."""
    header = table.horizontalHeader()
    # 50 rows: column widths are clamped below anyway, and 200 cost ~100 ms more at start.
    header.setResizeContentsPrecision(50)
    table.resizeColumnsToContents()
    for number in range(table.model().columnCount()):
        width = table.columnWidth(number)
        widest = 150 if number == COLUMN_INDEX[Column.AGENCY] else 190
        table.setColumnWidth(number, max(60, min(width + 12, widest)))
    # Room for a stay still going on, even when the first rows have none.
    stay_width = table.fontMetrics().horizontalAdvance("docked now · 9999 d 23 h") + 16
    docked_for = COLUMN_INDEX[Column.DOCKED_FOR]
    table.setColumnWidth(docked_for, max(table.columnWidth(docked_for), stay_width))
    table.setColumnHidden(COLUMN_INDEX[Column.ID], True)
    table.sortByColumn(COLUMN_INDEX[Column.DOCKING], Qt.SortOrder.DescendingOrder)


def save_window_state(window: MainWindow) -> None:
    settings = window.context.settings
    settings.setValue("window/geometry", window.saveGeometry())
    settings.setValue("window/state", window.saveState())
    settings.setValue("window/splitter", window.splitter.saveState())
    settings.setValue("table/header", window.table.horizontalHeader().saveState())
    settings.setValue("filters/state", json.dumps(window.filter_bar.state()))
    settings.setValue("view/utc", window.model.utc)
    settings.sync()
