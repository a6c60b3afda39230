"""The events table's proxy: a QSortFilterProxyModel, so Qt's own mapping, persistent indexes
and selection handling do the work, with one ``EventQuery`` deciding which rows show.

- Filtering: ``filterAcceptsRow`` asks the query about the source's row object (precomputed
  fields; no ``data()``, no parsing). A change of query is announced with whichever of Qt's
  invalidation calls measured fastest (``bench/gui_bench.py``): see ``set_query``.
- Ordering: ``sort()`` is the one entry point (header clicks, ``sortByColumn``). It hands the
  work to the source model, which reorders its rows by cached keys in one layout change; the
  proxy itself keeps no sort column, so Qt never sorts again through Python comparisons. The
  column and order a person chose are still what ``sortColumn()``/``sortOrder()`` report, and
  the header's indicator shows them.
"""

from __future__ import annotations

from itertools import compress
from operator import attrgetter
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from dockview.query import EventQuery
from dockview.rows import EventRow
from dockview.ui.event_table import EventRole, EventTableModel

ModelIndex = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_VERTICAL = Qt.Orientation.Vertical
_EVENT_ID = attrgetter("id")


class EventFilterProxy(QSortFilterProxyModel):
    """Which events show (one ``EventQuery``) and in which order (the source's)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._query = EventQuery()
        self._accepts = self._query.predicate()
        self._rows: list[EventRow] = []  # the source's own list (it reorders it in place)
        # While a query change is announced: the query's answer for every source row, worked
        # out in one pass beforehand (see ``set_query``); None the rest of the time.
        self._accepted: bytearray | None = None
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        # A dataChanged about looks (time zone, marks, the clock) names roles other than this
        # one, so Qt does not filter the rows again for it.
        self.setFilterRole(int(EventRole.FILTER))
        self._filter_in_python(False)

    # -- the source -----------------------------------------------------------------------------

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        if not isinstance(model, EventTableModel):
            raise TypeError("EventFilterProxy works over an EventTableModel")
        self._rows = model.rows
        super().setSourceModel(model)

    def event_model(self) -> EventTableModel:
        model = self.sourceModel()
        assert isinstance(model, EventTableModel)
        return model

    # -- filtering ------------------------------------------------------------------------------

    @property
    def query(self) -> EventQuery:
        return self._query

    def set_query(self, query: EventQuery) -> None:
        """Show the rows ``query`` accepts, announced with ``invalidate()`` (one layout change;
        with no sort column it sorts nothing). Measured at 50,000 rows on a loaded 2-core
        machine, ms for station / docked now / one search letter: ``invalidate()`` 35-125 /
        43-150 / 67-248; ``beginFilterChange`` + ``endFilterChange(Rows)`` 300-730 / 47-136 /
        412-685 (it announces every row that comes or goes); ``invalidateFilter()`` 400-690 /
        111-182 / 477-611. Fastest, or level for "docked now", for every kind of change."""
        if query == self._query:
            return
        self._query = query
        self._accepts = query.predicate()
        self._filter_in_python(query.is_filtered())
        if not query.is_filtered():
            self.invalidate()
            return
        # One pass in Python over the rows (a few ms at 50,000), so that each of Qt's calls to
        # filterAcceptsRow is one index into a bytearray. Qt maps the rows again while it
        # announces the change, or when asked first after it: ``rowCount()`` asks before the
        # answers are let go, and any later call (new rows, a sort) asks the query itself.
        self._accepted = bytearray(map(self._accepts, self._rows))
        try:
            self.invalidate()
            self.rowCount()
        finally:
            self._accepted = None

    def _filter_in_python(self, needed: bool) -> None:
        """With nothing to filter, Qt's own ``filterAcceptsRow`` (an empty pattern accepts
        every row) stands in for ours, through an attribute of this object: PySide then calls
        no Python per row, so an unfiltered sort or start maps 50,000 rows in C++ alone
        (measured: 80-120 ms of Python calls saved per change on this machine)."""
        qt_stands_in = "filterAcceptsRow" in self.__dict__
        if needed and qt_stands_in:
            del self.__dict__["filterAcceptsRow"]
        elif not needed and not qt_stands_in:
            self.__dict__["filterAcceptsRow"] = QSortFilterProxyModel.filterAcceptsRow.__get__(self)

    def set_filters(self, **changes: Any) -> None:
        """Change some of the query's fields at once; the rows are filtered once."""
        self.set_query(self._query.changed(**changes))

    def clear_filters(self) -> None:
        self.set_query(EventQuery())

    def filters(self) -> dict[str, Any]:
        return self._query.to_json()

    def is_filtered(self) -> bool:
        return self._query.is_filtered()

    def accepts(self, row: EventRow) -> bool:
        return self._query.accepts(row)

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        # Called from C++ once per source row on every change: an index into the answers of
        # ``set_query`` when there are some, else two lookups and one call.
        accepted = self._accepted
        if accepted is not None:
            return accepted[source_row] == 1
        return self._accepts(self._rows[source_row])

    # -- ordering -------------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order by a column: the source reorders its rows, and Qt's mapping follows."""
        self._sort_column = column
        self._sort_order = order
        self.event_model().sort(column, order)

    def sortColumn(self) -> int:
        return self._sort_column

    def sortOrder(self) -> Qt.SortOrder:
        return self._sort_order

    # -- reading --------------------------------------------------------------------------------

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == _VERTICAL:
            return str(section + 1) if role == _DISPLAY else None
        return super().headerData(section, orientation, role)

    def event_id_at(self, proxy_row: int) -> int | None:
        if not (0 <= proxy_row < self.rowCount()):
            return None
        source = self.mapToSource(self.index(proxy_row, 0))
        return self.event_model().rows[source.row()].id

    def proxy_row_for_id(self, event_id: int) -> int | None:
        model = self.event_model()
        source_row = model.row_for_id(event_id)
        if source_row is None:
            return None
        found = self.mapFromSource(model.index(source_row, 0))
        return found.row() if found.isValid() else None

    def visible_rows(self) -> list[EventRow]:
        """The rows shown, in the order shown. The proxy keeps the source's order (it has no
        sort column of its own), so this is the source's rows the query accepts: one pass in
        Python, no index per row."""
        return list(filter(self._accepts, self._rows))

    def visible_ids(self) -> set[int]:
        """The ids of the rows shown (the Data issues panel asks on every change)."""
        if not self._query.is_filtered():
            return set(map(_EVENT_ID, self._rows))
        return set(compress(map(_EVENT_ID, self._rows), map(self._accepts, self._rows)))
