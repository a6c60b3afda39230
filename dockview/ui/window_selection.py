"""The table's selection and what follows it: the detail pane, the timeline's marks and the
export commands; and selecting events asked for elsewhere (the timeline, the panels, a data
issue, ``--select``), clearing the filters when they hide them.

The table's selection is the window's only selection: the timeline and the panels select by
asking for an event id here, so every view agrees on what is selected.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, QTimer
from PySide6.QtWidgets import QAbstractItemView

from dockview.lookup_records import LookupRecords
from dockview.sync import plural
from dockview.timefmt import from_timestamp
from dockview.ui.detail_pane import FullRecords, PortDocking

if TYPE_CHECKING:
    from dockview.ui.main_window import MainWindow

#: The timeline marks a handful of selected events (a data issue's); past this many (a select
#: all) the selection is not read back row by row on every change.
MOST_MARKED = 500


def selected_rows(window: MainWindow) -> list[int]:
    """The table's selected row numbers, from the selection's ranges. Not ``selectedRows()``:
    it asks the model for every cell's flags, in Python, so Ctrl+A held the window 5.8 s with
    20,000 rows (0.6 s with 2,000; the soak test found it)."""
    rows: set[int] = set()
    selection = window.table.selectionModel().selection()
    for number in range(selection.size()):
        span = selection.at(number)
        rows.update(range(span.top(), span.bottom() + 1))
    return sorted(rows)


def selected_ids(window: MainWindow) -> list[int]:
    proxy = window.proxy
    ids = []
    for row in selected_rows(window):
        event_id = proxy.event_id_at(row)
        if event_id is not None:
            ids.append(event_id)
    return ids


def current_id(window: MainWindow) -> int | None:
    index = window.table.currentIndex()
    return window.proxy.event_id_at(index.row()) if index.isValid() else None


def select_event(window: MainWindow, event_id: int) -> bool:
    """Select and show one event, clearing the filters if they hide it."""
    proxy = window.proxy
    row = proxy.proxy_row_for_id(event_id)
    if row is None and window.model.row_for_id(event_id) is not None:
        window.filter_bar.clear()
        row = proxy.proxy_row_for_id(event_id)
    if row is None:
        return False
    index = proxy.index(row, 0)
    window.table.selectionModel().setCurrentIndex(
        index,
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    window.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
    return True


def select_events(window: MainWindow, event_ids: Sequence[int]) -> int:
    """Select several events (a data issue's) in the table, and so on the timeline, clearing
    the filters when they hide every one; returns how many are selected."""
    proxy = window.proxy
    rows = [r for i in event_ids if (r := proxy.proxy_row_for_id(i)) is not None]
    if not rows and any(window.model.row_for_id(i) is not None for i in event_ids):
        window.filter_bar.clear()
        rows = [r for i in event_ids if (r := proxy.proxy_row_for_id(i)) is not None]
    if not rows:
        return 0
    selection = QItemSelection()
    for row in rows:
        selection.select(proxy.index(row, 0), proxy.index(row, 0))
    flags = QItemSelectionModel.SelectionFlag
    chooser = window.table.selectionModel()
    first = proxy.index(rows[0], 0)
    chooser.setCurrentIndex(first, flags.NoUpdate)
    chooser.select(selection, flags.ClearAndSelect | flags.Rows)
    window.table.scrollTo(first, QAbstractItemView.ScrollHint.PositionAtCenter)
    if len(rows) < len(event_ids):
        hidden = len(event_ids) - len(rows)
        window.statusBar().showMessage(
            f"{plural(hidden, 'event')} of this issue hidden by the filters", 8000
        )
    return len(rows)


def keep_current_in_view(window: MainWindow) -> None:
    """After a sort or a filter change the selected row may sit elsewhere: scroll to it."""
    table = window.table
    current = table.currentIndex()
    if current.isValid() and table.selectionModel().isRowSelected(current.row()):
        # On the next turn, once the view has laid out its new rows.
        QTimer.singleShot(0, window, lambda: table.scrollTo(table.currentIndex()))


def current_changed(window: MainWindow, current: QModelIndex) -> None:
    event_id = window.proxy.event_id_at(current.row()) if current.isValid() else None
    window.show_details(event_id)
    timeline = window.built_timeline()
    if event_id is not None and timeline is not None:
        timeline.scroll_to_event(event_id)


def marked_ids(window: MainWindow, count: int | None = None) -> Sequence[int]:
    """The events the timeline outlines: a handful selected at once (a data issue's)."""
    if count is None:
        count = len(selected_rows(window))
    return selected_ids(window) if 1 < count <= MOST_MARKED else ()


def selection_changed(window: MainWindow) -> None:
    """Mark a handful of selected events on the timeline, and name the count in Export."""
    count = len(selected_rows(window))
    timeline = window.built_timeline()
    if timeline is not None:
        timeline.mark_events(marked_ids(window, count))
    window.export_action.setEnabled(count > 0)
    window.copy_action.setEnabled(count > 0)
    window.export_action.setText(
        f"&Export {plural(count, 'selected event')}…" if count else "&Export selected…"
    )


def show_details(window: MainWindow, event_id: int | None) -> None:
    """Fill the detail pane: the event as the API sent it, the other dockings at its port and
    the full configuration and agency records, each read from the cache by id."""
    store, model = window.store, window.model
    raw = store.raw_event(event_id) if event_id is not None else None
    port_dockings: list[PortDocking] = []
    row_number = model.row_for_id(event_id) if event_id is not None else None
    if row_number is not None:
        location_id = model.event_at(row_number).location_id
        if location_id is not None:
            port_dockings = [
                PortDocking(
                    event_id=other_id,
                    docking=from_timestamp(docking),
                    departure=from_timestamp(departure) if departure else None,
                    spacecraft_name=name,
                )
                for other_id, docking, departure, name in store.port_dockings(location_id)
            ]
    config, agency = (
        LookupRecords(store).for_event(event_id) if event_id is not None else (None, None)
    )
    window.detail_pane.show_event(raw, port_dockings, FullRecords(config, agency))
