"""Following the table's filter proxy: the timeline's data, rebuilt when its rows change.

A burst of proxy signals (a filter change is a layoutChanged, a sync adds rows and changes
others) is coalesced by a zero timer into one rebuild. A layoutChanged may be only the table's
new sort order: then the rows are the same and the rebuild is skipped. Behind another tab the
work (~75 ms at 50,000 events) would slow every filter change in the table for nothing, so it
waits until the view is shown again.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QTimer, Signal

from dockview.collector import collector_paused
from dockview.ui.event_model import EventFilterProxy
from dockview.ui.timeline.data import TimelineData


class TimelineSource(QObject):
    """The data the view paints, kept in step with the proxy's visible rows."""

    #: New data was built; the argument says whether there was data before.
    changed = Signal(bool)
    #: The model's clock moved and the still-docked stays were extended to it.
    clockMoved = Signal()
    #: A rebuild was done or found needless (the rows were the same).
    rebuilt = Signal()

    def __init__(
        self, proxy: EventFilterProxy, is_shown: Callable[[], bool], parent: QObject
    ) -> None:
        super().__init__(parent)
        self.proxy = proxy
        self.data = TimelineData([], time.time())
        #: Goes up with every new ``data``: a painted picture's cache key holds it.
        self.version = 0
        self.stale = True
        self._is_shown = is_shown
        self._forced = True
        self._shown: frozenset[int] = frozenset()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.rebuild)
        proxy.layoutChanged.connect(self._layout_changed)
        proxy.modelReset.connect(self._schedule)
        proxy.rowsInserted.connect(self._schedule)
        proxy.rowsRemoved.connect(self._schedule)
        proxy.dataChanged.connect(self._data_changed)

    def _schedule(self, *_: object) -> None:
        self._forced = True
        self._timer.start()

    def _layout_changed(self, *_: object) -> None:
        self._timer.start()

    def _data_changed(self, _top: object, _bottom: object, roles: Iterable[int] = ()) -> None:
        if list(roles):
            # How rows look (time zone, the clock, sync marks): only the clock matters here.
            now = getattr(self.proxy.sourceModel(), "now", None)
            if isinstance(now, float) and self.data.refresh_now(now):
                self.clockMoved.emit()
            return
        self._schedule()

    def rebuild(self) -> None:
        """Re-read the proxy's visible rows: lanes, colours, overlaps and relocations (only
        while the view is shown; otherwise the data is marked stale)."""
        self._timer.stop()
        if not self._is_shown():
            self.stale = True
            return
        self.stale = False
        model = self.proxy.sourceModel()
        rows = self.proxy.visible_rows() if model is not None else []
        # The lanes hold the row objects, so their ids stay unique while compared.
        shown = frozenset(map(id, rows))
        if not self._forced and shown == self._shown:
            self.rebuilt.emit()
            return
        self._forced = False
        self._shown = shown
        now = getattr(model, "now", None)
        had_data = self.data.extent is not None
        # Building makes some 100,000 small objects at 50,000 events; the cyclic collector
        # would walk the whole heap several times meanwhile (measured: 130 ms instead of 75).
        with collector_paused():
            self.data = TimelineData(
                rows, now if isinstance(now, float) else time.time(), self.data.mode
            )
        self.version += 1
        self.changed.emit(had_data)
        self.rebuilt.emit()
