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

from collections.abc import Sequence
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
        self._accepted: list[bool] | None = None
        # The ids of the rows shown, once asked for; a sort keeps them, other changes of the
        # rows or of the query forget them.
        self._shown_ids: set[int] | None = None
        # The last query's answers by source row, while the source's rows stay where they were.
        self._answers: list[bool] | None = None
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        # A dataChanged about looks (time zone, marks, the clock) names roles other than this
        # one, so Qt does not filter the rows again for it.
        self.setFilterRole(int(EventRole.FILTER))

    # -- the source -----------------------------------------------------------------------------

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        if not isinstance(model, EventTableModel):
            raise TypeError("EventFilterProxy works over an EventTableModel")
        self._rows = model.rows
        super().setSourceModel(model)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._forget_shown_ids)
        model.layoutAboutToBeChanged.connect(self._forget_answers)
        model.dataChanged.connect(self._values_changed)

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
        111-182 / 477-611. Fastest, or level for "docked now", for every kind of change.

        The query's answers are worked out first, in one pass in Python (a few ms at 50,000
        rows), so that each of Qt's calls to ``filterAcceptsRow`` while it maps the rows again
        is one list index. Qt maps them while it announces the change, or when first asked
        after it: ``rowCount()`` asks before the answers are let go; any later call (rows a
        sync adds, a sort) asks the query itself. The answers stay for ``visible_ids`` until
        the source's rows move."""
        if query == self._query:
            return
        self._query = query
        self._accepts = query.predicate()
        self._accepted = self._answers = query.answers(self._rows)
        self._shown_ids = None
        try:
            self.invalidate()
            self.rowCount()
        finally:
            self._accepted = None

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
        # Called from C++ once per source row whenever Qt maps the rows (a filter change, a
        # sort, a reset): kept to a list index, or two lookups and one call. PySide's own cost
        # per call (about 0.5 us) is most of a change at 50,000 rows, whatever runs here; an
        # override put in the instance's __dict__ costs twice that, even Qt's own.
        accepted = self._accepted
        if accepted is not None:
            return accepted[source_row]
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
        """The ids of the rows shown (the Data issues panel asks on every change); the
        caller must not change the set."""
        if self._shown_ids is None:
            accepted = self._answers
            if accepted is None:
                accepted = list(map(self._accepts, self._rows))
            self._shown_ids = set(compress(map(_EVENT_ID, self._rows), accepted))
        return self._shown_ids

    def _forget_shown_ids(self, *_: object) -> None:
        self._shown_ids = self._answers = None

    def _forget_answers(self, *_: object) -> None:
        self._answers = None

    def _values_changed(self, _top: object, _bottom: object, roles: Sequence[int] = ()) -> None:
        if not roles:  # values (a sync), not looks
            self._forget_shown_ids()
