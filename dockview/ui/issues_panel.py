"""The "Data issues" panel: what the API's data gets wrong, for the events the filters show.

The checks (:mod:`dockview.checks`) run over every row of the window's model with the cache's
lookup tables, once after each load or sync and once an hour (an open stay can become stale, a
future docking past); a filter change only picks again which issues involve a shown event,
which costs a set lookup per issue. Issues are
grouped by kind, with counts; activating one (or a kind) asks the window to select its events.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from itertools import compress
from operator import attrgetter, or_
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from dockview.checks import CheckReport, CheckRow, Issue, IssueKind, write_issues
from dockview.errors import ExportError
from dockview.sync import plural
from dockview.ui.common import named
from dockview.ui.event_model import EventFilterProxy, EventRow

log = logging.getLogger(__name__)

ModelIndex = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_TOOLTIP = Qt.ItemDataRole.ToolTipRole
_FONT = Qt.ItemDataRole.FontRole
_HORIZONTAL = Qt.Orientation.Horizontal
_ENABLED = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_KIND = attrgetter("kind")
#: What a window gets when it paints: the first exposure, then update requests.
_FIRST_PAINT = (QEvent.Type.Expose, QEvent.Type.UpdateRequest)
HEADERS = ("Problem", "Events")
#: An hour: how often the checks run again by themselves (stale stays, future dockings).
RECHECK_MS = 3_600_000
#: A burst of model signals (a load, a sync's merge) causes one check this long after it,
#: once the window has finished taking the sync in.
SETTLE_MS = 100
_TOP = 0  # internalId of a kind's row; an issue's row holds its kind's row number + 1


class IssuesModel(QAbstractItemModel):
    """Two levels: a row per kind ("Port overlap (17)"), under it a row per issue."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[IssueKind, list[Issue]]] = []
        self._group_event_ids: list[list[int]] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_report(self, report: CheckReport) -> None:
        self.beginResetModel()
        try:
            self._groups = list(report.by_kind().items())
            # A kind's row shows how many events its issues name: worked out once here, not
            # on every paint (a kind may hold tens of thousands of issues).
            self._group_event_ids = [
                list(dict.fromkeys(i for issue in issues for i in issue.event_ids))
                for _, issues in self._groups
            ]
        finally:
            self.endResetModel()

    def issue_at(self, index: ModelIndex) -> Issue | None:
        if not index.isValid() or index.internalId() == _TOP:
            return None
        return self._groups[index.internalId() - 1][1][index.row()]

    def event_ids_at(self, index: ModelIndex) -> list[int]:
        """The events of an issue, or of every issue of a kind."""
        if not index.isValid():
            return []
        if index.internalId() == _TOP:
            return list(self._group_event_ids[index.row()])
        issue = self.issue_at(index)
        return list(issue.event_ids) if issue else []

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not (0 <= column < len(HEADERS)) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _TOP) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != _TOP or parent.column() != 0:
            return QModelIndex()
        group = parent.row()
        if group >= len(self._groups) or row >= len(self._groups[group][1]):
            return QModelIndex()
        return self.createIndex(row, column, group + 1)

    def parent(self, child: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == _TOP:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, _TOP)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == _TOP and parent.column() == 0:
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation == _HORIZONTAL and role == _DISPLAY and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: ModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        column = index.column()
        if index.internalId() == _TOP:
            kind, issues = self._groups[index.row()]
            if role == _DISPLAY or role == _TOOLTIP:
                if column == 0:
                    return f"{kind.heading} ({len(issues)})"
                return plural(len(self._group_event_ids[index.row()]), "event")
            if role == _FONT:
                return self._bold
            return None
        issue = self.issue_at(index)
        if issue is None:
            return None
        if role == _DISPLAY or role == _TOOLTIP:
            return issue.message if column == 0 else ", ".join(map(str, issue.event_ids))
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        return _ENABLED if index.isValid() else _NO_FLAGS


class IssuesPanel(QWidget):
    """The issues of the shown events; a click selects an issue's events in the window."""

    #: The events of the issue (or kind) a person clicked, in docking order.
    eventsActivated = Signal(list)
    #: The checks ran again over the whole cache (the window hands stale stays on).
    reportChanged = Signal()
    #: From the checks' thread: (its generation, the report, the rows it checked).
    _checkedInThread = Signal(int, object, object)

    def __init__(
        self,
        proxy: EventFilterProxy,
        check: Callable[[Sequence[CheckRow], float], CheckReport],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        named(self, "issuesPanel", "Data issues")
        self._proxy = proxy
        self._check = check
        self._report = CheckReport(0, ())  # every event in the cache
        self._checked = False  # the first check waits for the window's first paint
        self._generation = 0  # of the latest check asked for; older reports are dropped
        self._checkedInThread.connect(self._apply)
        self._shown = CheckReport(0, ())  # those involving a shown event
        self._end_rows: tuple[list[EventRow], list[EventRow]] | None = None
        # The tree is filled only while a person can see it (``set_on_screen``): at 50,000
        # events it lists tens of thousands of issues, which a filter change must not wait for.
        self._on_screen = True
        self._tree_stale = False
        self._export_folder = Path.home()

        self.summary = named(QLabel(), "issuesSummary", "Data issues summary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        self.export_button = named(QPushButton("Export…"), "exportIssues", "Export data issues")
        self.export_button.setToolTip("Save these issues as a CSV or JSON file")
        self.export_button.clicked.connect(self.export_dialog)
        #: For the window's status bar.
        self.status_label = named(QLabel(), "issuesStatus", "Data issues count")
        self.model = IssuesModel(self)
        self.tree = named(QTreeView(), "issuesTree", "Data issues")
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setWordWrap(False)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.clicked.connect(self._activated)
        self.tree.activated.connect(self._activated)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.tree)

        self._recheck_soon = QTimer(self, singleShot=True, interval=SETTLE_MS)
        self._recheck_soon.timeout.connect(self._recheck_when_painted)
        # The first check waits for the window's first paint: at 50,000 events it takes a
        # few hundred ms that the first painted rows need not wait for.
        self._window_painted = False
        self._check_waits = False
        self._refilter_soon = QTimer(self, singleShot=True, interval=0)
        self._refilter_soon.timeout.connect(self._refilter_if_changed)
        self._filtered_for: tuple[object, ...] = ()
        self._clock = QTimer(self, interval=RECHECK_MS)
        self._clock.timeout.connect(self.recheck)
        self._clock.start()
        model = proxy.event_model()
        for signal in (model.modelReset, model.rowsInserted):
            signal.connect(self._recheck_soon.start)
        model.dataChanged.connect(self._values_changed)
        for signal in (
            proxy.layoutChanged,
            proxy.modelReset,
            proxy.rowsInserted,
            proxy.rowsRemoved,
        ):
            signal.connect(self._refilter_soon.start)
        # The first check runs when the window loads its rows (the model's reset).

    # -- for the window and for tests ---------------------------------------------------------

    def report(self) -> CheckReport:
        """Every issue in the cache (the filters aside)."""
        return self._report

    def shown_report(self) -> CheckReport:
        """The issues involving an event the filters show."""
        return self._shown

    def doubtful(self) -> dict[int, str]:
        """Open stays the checks find stale, with why: "Docked now" and Statistics use it."""
        return {
            issue.event_ids[0]: issue.message
            for issue in self._report.issues
            if issue.kind == IssueKind.STALE_OPEN_DOCKING
        }

    def recheck(self, *, wait: bool = False) -> None:
        """Check every row again, on a thread of its own: at 50,000 events the checks take
        about 200 ms of Python, which on the GUI thread held the window that long after every
        sync (the sync benchmark's stall went from under 100 ms to 205 ms). The rows are a
        snapshot (row objects are never changed in place), and the check opens its own
        connection to the cache. ``wait``: apply the report before returning (a screenshot,
        a keyboard person's first issue)."""
        self._generation += 1
        generation, rows, now = self._generation, list(self._proxy.event_model().rows), time.time()
        if wait:
            self._apply(generation, self._run_check(rows, now), rows)
            return

        def work() -> None:
            report = self._run_check(rows, now)
            with contextlib.suppress(RuntimeError):  # the panel closed meanwhile: nobody to tell
                self._checkedInThread.emit(generation, report, rows)

        threading.Thread(target=work, name="dockview-checks", daemon=True).start()

    def _run_check(self, rows: list[EventRow], now: float) -> CheckReport | None:
        try:
            return self._check(rows, now)
        except sqlite3.Error as exc:  # the cache is closing or busy: keep what was found
            log.info("Data checks skipped: %s", exc)
            return None

    def _apply(self, generation: int, report: CheckReport | None, rows: list[EventRow]) -> None:
        if report is None or generation != self._generation:
            return  # failed, or a newer check is on its way
        self._report = report
        self._checked = True
        self._end_rows = _end_rows(report, rows)
        self.reportChanged.emit()
        self.refilter()

    def _refilter_if_changed(self) -> None:
        """A sort is a layout change too, but shows the same events: nothing to pick again."""
        if self._filtered_for != self._filter_state():
            self.refilter()

    def _filter_state(self) -> tuple[object, ...]:
        return (self._report, self._proxy.query, self._proxy.rowCount())

    def refilter(self) -> None:
        self._refilter_soon.stop()
        self._filtered_for = self._filter_state()
        proxy = self._proxy
        if proxy.is_filtered():
            self._shown = self._involving_shown()
        else:  # every event shows, so every issue does: no set of 50,000 ids to build
            self._shown = replace(self._report, checked=proxy.rowCount())
        self._tree_stale = True
        if self._on_screen:
            self._fill_tree()
        if not self._checked:
            self.summary.setText("The data has not been checked yet.")
            self.status_label.setText("")
            self.export_button.setEnabled(False)
            return
        count = len(self._shown.issues)
        filtered = " among the events shown" if proxy.is_filtered() else ""
        kinds = len(set(map(_KIND, self._shown.issues)))
        self.summary.setText(
            f"{plural(count, 'data issue')}{filtered}"
            + (f", of {plural(kinds, 'kind')}" if count else "")
            + (". Click one to select its events." if count else ".")
        )
        self.status_label.setText(plural(count, "data issue") if count else "No data issues")
        self.export_button.setEnabled(count > 0)

    def _involving_shown(self) -> CheckReport:
        """The issues of the events shown: the query is asked about each issue's own rows
        (two per issue at most, in C for the common filters), not about all 50,000 to make a
        set of the ids shown, which costs three times as much once a sort has scattered
        the rows in memory."""
        proxy = self._proxy
        ends = self._end_rows
        if ends is None:
            return self._report.involving(proxy.visible_ids())
        answers = proxy.query.answers
        involved = map(or_, answers(ends[0]), answers(ends[1]))
        kept = tuple(compress(self._report.issues, involved))
        return CheckReport(checked=proxy.rowCount(), issues=kept)

    def _recheck_when_painted(self) -> None:
        if self._window_painted or not self.isVisible():
            self.recheck()
        else:  # the window's first paint starts the timer again (eventFilter)
            self._check_waits = True

    def showEvent(self, event: QShowEvent) -> None:
        if not self._window_painted:
            self.window().installEventFilter(self)
        super().showEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self._window_painted and event.type() in _FIRST_PAINT:
            watched.removeEventFilter(self)
            self._window_painted = True
            if self._recheck_soon.isActive() or self._check_waits:
                self._check_waits = False
                self._recheck_soon.start()  # settles after the paint this event starts
        return False

    def set_on_screen(self, on_screen: bool) -> None:
        """Whether a person can see the panel (its dock shown and its tab raised); a hidden
        panel keeps its counts current and fills its tree when it comes into view."""
        self._on_screen = on_screen
        if on_screen and self._tree_stale:
            self._fill_tree()

    def _fill_tree(self) -> None:
        self._tree_stale = False
        self.model.set_report(self._shown)
        self.tree.expandAll()

    def activate_first(self) -> bool:
        """Select the events of the first issue that has several (else of the first issue):
        what a screenshot shows, and where a keyboard person starts."""
        self.recheck(wait=True)
        if self._tree_stale:
            self._fill_tree()
        candidates = [
            self.model.index(row, 0, self.model.index(group, 0))
            for group in range(self.model.rowCount())
            for row in range(self.model.rowCount(self.model.index(group, 0)))
        ]
        if not candidates:
            return False
        several = [index for index in candidates if len(self.model.event_ids_at(index)) > 1]
        issue = (several or candidates)[0]
        self.tree.setCurrentIndex(issue)
        self.tree.scrollTo(issue)
        self._activated(issue)
        return True

    def export_to(self, path: Path, file_format: str) -> int:
        """Write the shown issues; raises ExportError (one sentence) on failure."""
        return write_issues(self._shown, path, file_format)

    def export_dialog(self) -> None:
        csv_filter, json_filter = "CSV files (*.csv)", "JSON files (*.json)"
        path, chosen = QFileDialog.getSaveFileName(
            self,
            "Export data issues",
            str(self._export_folder / "dockview-data-issues.csv"),
            f"{csv_filter};;{json_filter}",
        )
        if not path:
            return
        target = Path(path)
        file_format = "json" if target.suffix.lower() == ".json" or chosen == json_filter else "csv"
        try:
            count = self.export_to(target, file_format)
        except ExportError as exc:
            QMessageBox.warning(self, "Export failed", str(exc))
            return
        self._export_folder = target.parent
        self.summary.setText(f"Wrote {plural(count, 'data issue')} to {target.name}.")

    # -- internals ----------------------------------------------------------------------------

    def _values_changed(self, _top: object, _bottom: object, roles: Sequence[int] = ()) -> None:
        if not roles:  # values (a sync), not looks
            self._recheck_soon.start()

    def _activated(self, index: QModelIndex) -> None:
        ids = self.model.event_ids_at(index)
        if ids:
            self.eventsActivated.emit(ids)


def _end_rows(
    report: CheckReport, rows: Sequence[EventRow]
) -> tuple[list[EventRow], list[EventRow]] | None:
    """Each issue's first and last event as the window's row objects (an overlap is a pair,
    most other kinds one event); None when an issue has more, or names a row not there."""
    pairs = [issue.event_ids for issue in report.issues]
    if not all(0 < len(ids) <= 2 for ids in pairs):
        return None
    by_id = {row.id: row for row in rows}
    try:
        return [by_id[ids[0]] for ids in pairs], [by_id[ids[-1]] for ids in pairs]
    except KeyError:
        return None
