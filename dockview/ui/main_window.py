"""The main window: filters above, the table and the detail pane side by side, sync below.

It reads the cache on the GUI thread only in small, indexed pieces (the table's flat rows once,
one event's JSON per selection); syncing runs in a worker thread with its own connection, and
its results are merged into the model in one batch so selection, sort and scroll survive.
"""

from __future__ import annotations

import gc
import json
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QSettings,
    Qt,
    QThread,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dockview import __version__
from dockview.errors import DockviewError
from dockview.export import Export, dumps, export_from_store, write_export
from dockview.store import EventFilter, Store
from dockview.sync import LAST_SYNC_STATE, last_changes, plural
from dockview.ui.common import collector_paused, named
from dockview.ui.detail_pane import DetailPane, PortDocking
from dockview.ui.event_model import (
    COLUMN_INDEX,
    Column,
    EventFilterProxy,
    EventRow,
    EventTableModel,
)
from dockview.ui.filter_bar import FilterBar
from dockview.ui.images import ImageCache
from dockview.ui.panels import ChangesPanel, DockedNowPanel, describe_counts
from dockview.ui.settings import (
    Preferences,
    SettingsDialog,
    read_bool,
    read_bytes,
    read_str,
    save_preferences,
)
from dockview.ui.stats_view import StatisticsView
from dockview.ui.sync_worker import (
    FAILED_CANCELLED,
    FAILED_OFFLINE,
    MARKS_STATE,
    SyncOutcome,
    SyncRequest,
    SyncWorker,
    start_sync,
)
from dockview.ui.timeline import TimelineView

log = logging.getLogger(__name__)


@dataclass
class WindowContext:
    """What the window needs from the command line, the environment and the settings."""

    db_path: Path
    api_url: str
    api_key: str | None
    settings: QSettings
    preferences: Preferences
    offline: bool = False
    image_dir: Path | None = None
    url_from: str = "settings"
    key_from: str = "settings"
    notices: list[str] = field(default_factory=list)


class MainWindow(QMainWindow):
    syncFinished = Signal(bool)  # True when the sync succeeded (for tests and embedding)

    def __init__(self, context: WindowContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.context = context
        self.setWindowTitle("dockview")
        self.store = Store(context.db_path)
        if self.store.moved_aside is not None:
            context.notices.append(
                f"The cache could not be used ({self.store.moved_aside_reason}); it was moved "
                f"to {self.store.moved_aside.name} and a fresh one was started."
            )
        self.images = ImageCache(
            context.image_dir or context.db_path.parent / "images", offline=context.offline
        )
        self._sync_worker: SyncWorker | None = None
        self._sync_thread: QThread | None = None
        self._shut_down = False
        self._showing_sample = False
        self._retired_syncs: list[tuple[SyncWorker, QThread]] = []

        self.model = EventTableModel(self)
        self.proxy = EventFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.model.set_utc(context.preferences.utc)

        self.table = named(QTableView(), "eventsTable", "Docking events")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._table_menu)
        self.table.activated.connect(self._row_activated)

        self.filter_bar = FilterBar(self.proxy, self)
        self.filter_bar.filtersChanged.connect(self._update_summary)
        self.detail_pane = DetailPane(self.images, self)
        self.detail_pane.set_utc(context.preferences.utc)
        self.detail_pane.eventActivated.connect(self.select_event)

        # The filters sit above every view: the table, the timeline and the statistics all
        # show the same filtered events.
        self.views = named(QTabWidget(), "viewTabs", "Views")
        self.views.setDocumentMode(True)
        self.views.addTab(self.table, "&Table")
        self.timeline = TimelineView(self.proxy)
        self.timeline.eventActivated.connect(self.select_event)
        self.views.addTab(self.timeline, "Time&line")
        self.statistics_view = StatisticsView(self.proxy)
        self.views.addTab(self.statistics_view, "Stat&istics")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter_bar)
        left_layout.addWidget(self.views)
        self.splitter = named(QSplitter(Qt.Orientation.Horizontal), "mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail_pane)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self.docked_now_panel = DockedNowPanel(self.proxy)
        self.docked_now_panel.eventActivated.connect(self.select_event)
        self.changes_panel = ChangesPanel(self._row_by_id)
        self.changes_panel.eventActivated.connect(self.select_event)
        self.docked_now_dock = self._dock(self.docked_now_panel, "Docked now", "dockedNowDock")
        self.changes_dock = self._dock(self.changes_panel, "Changes", "changesDock")
        self.tabifyDockWidget(self.docked_now_dock, self.changes_dock)
        self.docked_now_dock.raise_()
        self.resizeDocks([self.docked_now_dock], [150], Qt.Orientation.Vertical)

        self._build_status_bar()
        self._build_actions()
        self._build_menus()

        self.proxy.rowsInserted.connect(self._update_summary)
        self.proxy.rowsRemoved.connect(self._update_summary)
        self.proxy.modelReset.connect(self._update_summary)
        self.proxy.layoutChanged.connect(self._update_summary)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self._clock = QTimer(self, interval=60_000)
        self._clock.timeout.connect(self.model.refresh_now)
        self._clock.start()

        self.load_from_cache()
        self._restore_state()
        self._update_summary()
        self._show_idle_status()
        self._selection_changed()

    # -- building ----------------------------------------------------------------------------

    def _dock(self, panel: QWidget, title: str, name: str) -> QDockWidget:
        dock = named(QDockWidget(title, self), name, title)
        dock.setWidget(panel)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable
            | QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        return dock

    def _row_by_id(self, event_id: int) -> EventRow | None:
        number = self.model.row_for_id(event_id)
        return self.model.event_at(number) if number is not None else None

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.summary_label = named(QLabel(), "statusSummary", "Events shown")
        self.sync_label = named(QLabel(), "syncStatus", "Sync status")
        self.sync_label.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = named(QProgressBar(), "syncProgress", "Sync progress")
        self.progress.setMaximumWidth(180)
        self.progress.setVisible(False)
        self.cancel_button = named(QPushButton("Cancel"), "cancelSync", "Cancel sync")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel_sync)
        self.retry_button = named(QPushButton("Retry"), "retrySync", "Retry sync")
        self.retry_button.setVisible(False)
        self.retry_button.clicked.connect(lambda: self.sync_now())
        bar.addWidget(self.summary_label)
        bar.addWidget(self.sync_label, 1)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.retry_button)

    def _action(
        self,
        text: str,
        slot: Any,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        *,
        name: str,
        checkable: bool = False,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setCheckable(checkable)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.export_action = self._action(
            "&Export selected…",
            self.export_selected,
            "Ctrl+E",
            name="exportAction",
            tip="Write the selected events as Launch Library 2 JSON",
        )
        self.copy_action = self._action(
            "&Copy as JSON", self.copy_selected_json, keys.Copy, name="copyJsonAction"
        )
        self.quit_action = self._action("&Quit", self.close, keys.Quit, name="quitAction")
        self.find_action = self._action(
            "&Find…", self.filter_bar.focus_search, keys.Find, name="findAction"
        )
        self.clear_action = self._action(
            "C&lear filters", self.filter_bar.clear, "Ctrl+Shift+L", name="clearFiltersAction"
        )
        preferences_key = QKeySequence(keys.Preferences)
        self.settings_action = self._action(
            "&Settings…",
            self.open_settings,
            preferences_key if not preferences_key.isEmpty() else "Ctrl+,",
            name="settingsAction",
        )
        self.utc_action = self._action(
            "Show times in &UTC", self.set_utc, name="utcAction", checkable=True
        )
        self.utc_action.setChecked(self.model.utc)
        self.id_column_action = self._action(
            "Show &ID column", self._show_id_column, name="idColumnAction", checkable=True
        )
        self.sync_action = self._action(
            "&Sync now",
            lambda: self.sync_now(),
            "F5",
            name="syncAction",
            tip="Fetch what changed since the last sync",
        )
        self.full_sync_action = self._action(
            "&Full resync",
            lambda: self.sync_now(full=True),
            "Ctrl+F5",
            name="fullSyncAction",
            tip="Fetch every event again (about 7 of the 15 requests an hour)",
        )
        self.cancel_action = self._action("&Cancel sync", self.cancel_sync, name="cancelSyncAction")
        self.cancel_action.setEnabled(False)
        self.about_action = self._action("&About dockview", self.show_about, name="aboutAction")

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = menus.addMenu("&Edit")
        edit_menu.addAction(self.copy_action)
        edit_menu.addAction(self.find_action)
        edit_menu.addAction(self.clear_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.settings_action)
        view_menu = menus.addMenu("&View")
        view_menu.addAction(self.utc_action)
        view_menu.addAction(self.id_column_action)
        view_menu.addSeparator()
        for dock, key in ((self.docked_now_dock, "Ctrl+1"), (self.changes_dock, "Ctrl+2")):
            toggle = dock.toggleViewAction()
            toggle.setShortcut(QKeySequence(key))
            view_menu.addAction(toggle)
        sync_menu = menus.addMenu("&Sync")
        sync_menu.addAction(self.sync_action)
        sync_menu.addAction(self.full_sync_action)
        sync_menu.addAction(self.cancel_action)
        help_menu = menus.addMenu("&Help")
        help_menu.addAction(self.about_action)

    # -- data ---------------------------------------------------------------------------------

    def load_from_cache(self) -> None:
        """Fill the table from the cache (at start, or when the cache was swapped)."""
        with collector_paused():
            rows = [EventRow(fields) for fields in self.store.table_rows()]
            self._showing_sample = self.store.has_sample()
            self.model.set_rows(rows)
        settle_long_lived_objects()
        self.model.set_marks(self._stored_marks())
        self.filter_bar.refresh_choices(self.store.filter_choices())
        self.changes_panel.show_changes(*last_changes(self.store))
        self.docked_now_panel.refresh()

    def _stored_marks(self) -> dict[int, str]:
        state = self.store.get_state(MARKS_STATE) or {}
        marks: dict[int, str] = {}
        for kind in ("new", "changed"):
            for event_id in state.get(kind, []) if isinstance(state, dict) else []:
                if isinstance(event_id, int):
                    marks[event_id] = kind
        return marks

    def _update_summary(self, *_: object) -> None:
        if self._shut_down:  # views may still signal while the window is torn down
            return
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = f"Showing {shown:,} of {total:,} events"
        if self._showing_sample:
            text += " (bundled sample)"
        self.summary_label.setText(text)

    def selected_rows(self) -> list[int]:
        """The table's selected row numbers, from the selection's ranges. Not
        ``selectedRows()``: it asks the model for every cell's flags, in Python, so Ctrl+A held
        the window 5.8 s with 20,000 rows (0.6 s with 2,000; the soak test found it)."""
        rows: set[int] = set()
        selection = self.table.selectionModel().selection()
        for number in range(selection.size()):
            span = selection.at(number)
            rows.update(range(span.top(), span.bottom() + 1))
        return sorted(rows)

    def selected_ids(self) -> list[int]:
        ids = []
        for row in self.selected_rows():
            event_id = self.proxy.event_id_at(row)
            if event_id is not None:
                ids.append(event_id)
        return ids

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.proxy.event_id_at(index.row()) if index.isValid() else None

    def select_event(self, event_id: int) -> bool:
        """Select and show one event, clearing the filters if they hide it."""
        row = self.proxy.proxy_row_for_id(event_id)
        if row is None and self.model.row_for_id(event_id) is not None:
            self.filter_bar.clear()
            row = self.proxy.proxy_row_for_id(event_id)
        if row is None:
            return False
        index = self.proxy.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        event_id = self.proxy.event_id_at(current.row()) if current.isValid() else None
        self.show_details(event_id)
        if event_id is not None:
            self.timeline.scroll_to_event(event_id)

    def _row_activated(self, index: QModelIndex) -> None:
        self.show_details(self.proxy.event_id_at(index.row()))

    def show_details(self, event_id: int | None) -> None:
        if self._shut_down:
            return
        raw = self.store.raw_event(event_id) if event_id is not None else None
        port_dockings: list[PortDocking] = []
        row_number = self.model.row_for_id(event_id) if event_id is not None else None
        if row_number is not None:
            location_id = self.model.event_at(row_number).location_id
            if location_id is not None:
                port_dockings = [
                    PortDocking(
                        event_id=other_id,
                        docking=datetime.fromtimestamp(docking, UTC),
                        departure=datetime.fromtimestamp(departure, UTC) if departure else None,
                        spacecraft_name=name,
                    )
                    for other_id, docking, departure, name in self.store.port_dockings(location_id)
                ]
        self.detail_pane.show_event(raw, port_dockings)

    def _selection_changed(self, *_: object) -> None:
        count = len(self.selected_rows())
        self.export_action.setEnabled(count > 0)
        self.copy_action.setEnabled(count > 0)
        self.export_action.setText(
            f"&Export {plural(count, 'selected event')}…" if count else "&Export selected…"
        )

    # -- export -------------------------------------------------------------------------------

    def _export_document(self, ids: list[int]) -> Export:
        return export_from_store(self.store, EventFilter(ids=ids), api_url=self.context.api_url)

    def suggested_export_name(self, count: int) -> str:
        return f"dockview-{plural(count, 'event').replace(' ', '-')}-{datetime.now():%Y-%m-%d}.json"

    def export_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        folder = read_str(self.context.settings, "export/folder", str(Path.home()))
        suggested = str(Path(folder) / self.suggested_export_name(len(ids)))
        path, _ = QFileDialog.getSaveFileName(
            self, "Export selected events", suggested, "JSON files (*.json);;All files (*)"
        )
        if path:
            self.export_to(ids, Path(path))

    def export_to(self, ids: list[int], path: Path) -> bool:
        try:
            write_export(self._export_document(ids), path)
        except DockviewError as exc:
            log.info("Export failed: %s", exc, exc_info=True)
            QMessageBox.warning(self, "Export failed", str(exc))
            return False
        self.context.settings.setValue("export/folder", str(path.parent))
        self.statusBar().showMessage(f"Exported {plural(len(ids), 'event')} to {path}", 8000)
        return True

    def copy_selected_json(self) -> None:
        ids = self.selected_ids()
        if ids:
            QGuiApplication.clipboard().setText(dumps(self._export_document(ids)))
            self.statusBar().showMessage(f"Copied {plural(len(ids), 'event')} as JSON", 5000)

    def _table_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(self.export_action)
        menu.addAction(self.copy_action)
        menu.exec(self.table.viewport().mapToGlobal(position))

    # -- sync ---------------------------------------------------------------------------------

    @property
    def syncing(self) -> bool:
        return self._sync_worker is not None

    def sync_now(self, full: bool = False) -> bool:
        if self.syncing:
            return False
        if self.context.offline:
            self.sync_label.setText("Offline mode (--offline): sync is off.")
            return False
        request = SyncRequest(
            db_path=self.context.db_path,
            api_url=self.context.api_url,
            api_key=self.context.api_key,
            full=full,
        )
        self._sync_worker, self._sync_thread = start_sync(request, self)
        self._sync_worker.progressed.connect(self._sync_progressed)
        self._sync_worker.waiting.connect(self._sync_waiting)
        self._sync_worker.succeeded.connect(self._sync_succeeded)
        self._sync_worker.failed.connect(self._sync_failed)
        self._sync_worker.done.connect(self._sync_done)
        self._sync_thread.finished.connect(self._sync_thread_finished)
        for action in (self.sync_action, self.full_sync_action):
            action.setEnabled(False)
        self.cancel_action.setEnabled(True)
        self.cancel_button.setVisible(True)
        self.retry_button.setVisible(False)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.sync_label.setText("Full resync…" if full else "Syncing…")
        return True

    def cancel_sync(self) -> None:
        if self._sync_worker is not None:
            self._sync_worker.cancel()
            self.sync_label.setText("Cancelling…")

    def _sync_progressed(self, stored: int, total: int, requests: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(stored, total))
            self.sync_label.setText(f"Syncing… {stored:,} of {total:,} events")
        else:
            self.sync_label.setText(f"Syncing… {stored:,} events")

    def _sync_waiting(self, seconds_left: float, reason: str) -> None:
        if seconds_left <= 0:
            self.sync_label.setText("Syncing…")
            return
        what = "Hourly request limit reached" if reason == "rate limit" else "No good answer"
        self.sync_label.setText(f"{what}; going on in {int(seconds_left + 0.999)} s")

    def _sync_succeeded(self, outcome: SyncOutcome) -> None:
        """Take the worker's ready-made rows: a reset when they replace the sample, otherwise
        a merge of just the rows that changed, so selection, order and scroll stay."""
        if self._shut_down:
            return
        current = self.current_id()
        with collector_paused():
            if outcome.replaces_all:
                self.model.set_rows(outcome.rows)
                if current is not None:
                    self.select_event(current)
            else:
                self.model.apply_rows(outcome.rows)
        settle_long_lived_objects()
        self._showing_sample = outcome.sample_left
        self.model.set_marks(outcome.marks)
        self._update_summary()
        # The rest on the next turn of the event loop, so that neither step holds the window
        # for long (50,000 new rows: the reset, then the lists and panels).
        QTimer.singleShot(0, self, lambda: self._finish_sync(outcome, current))

    def _finish_sync(self, outcome: SyncOutcome, current: int | None) -> None:
        if self._shut_down:
            return
        result = outcome.result
        self.filter_bar.refresh_choices(outcome.choices)
        counts, changes, first_sync = last_changes(self.store)
        self.changes_panel.show_changes(counts, changes, first_sync)
        self.docked_now_panel.refresh()
        if first_sync:
            summary = f"{plural(result.new, 'docking')} now in the cache"
        else:
            summary = describe_counts(counts)
        self.sync_label.setText(f"Synced at {datetime.now():%H:%M}: {summary}.")
        if not result.complete:
            self.sync_label.setText(
                self.sync_label.text() + " The data changed meanwhile; "
                "the next sync does a full pass."
            )
        self._update_summary()
        if current is not None and any(row.id == current for row in outcome.rows):
            self.show_details(current)
        self.syncFinished.emit(True)

    def _sync_failed(self, message: str, why: str) -> None:
        if self._shut_down:
            return
        if why == FAILED_CANCELLED:
            self.sync_label.setText("Sync cancelled; it continues where it stopped next time.")
        elif why == FAILED_OFFLINE:
            self._show_offline_status(message)
        else:
            # The cache is busy, or the API said something unexpected: say it as it is.
            self.sync_label.setText(f"Sync failed: {message}")
            self.sync_label.setToolTip(message)
            self.retry_button.setVisible(True)
        self.syncFinished.emit(False)

    def _sync_done(self) -> None:
        # The worker is leaving run(); its thread finishes next. Keep both references until
        # then (see start_sync), but let the person sync again right away.
        if self._sync_worker is not None and self._sync_thread is not None:
            self._retired_syncs.append((self._sync_worker, self._sync_thread))
        self._sync_worker = None
        self._sync_thread = None
        for action in (self.sync_action, self.full_sync_action):
            action.setEnabled(True)
        self.cancel_action.setEnabled(False)
        self.cancel_button.setVisible(False)
        self.progress.setVisible(False)

    def _sync_thread_finished(self) -> None:
        still_running = []
        for worker, thread in self._retired_syncs:
            if thread.isFinished():
                thread.deleteLater()
            else:
                still_running.append((worker, thread))
        self._retired_syncs = still_running

    def data_as_of(self) -> str:
        last = self.store.get_state(LAST_SYNC_STATE) or {}
        finished = last.get("finished_at") if isinstance(last, dict) else None
        if isinstance(finished, str):
            try:
                moment = datetime.fromisoformat(finished.replace("Z", "+00:00"))
                zone = UTC if self.model.utc else None
                return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
            except ValueError:
                pass
        return "the bundled sample" if self.store.has_sample() else "the last sync"

    def _show_offline_status(self, reason: str) -> None:
        self.sync_label.setText(f"Offline — data as of {self.data_as_of()}")
        self.sync_label.setToolTip(reason)
        self.retry_button.setVisible(True)

    def _show_idle_status(self) -> None:
        if self.context.notices:
            self.sync_label.setText(" ".join(self.context.notices))
        elif self.context.offline:
            self.sync_label.setText(f"Offline mode — data as of {self.data_as_of()}")
        else:
            self.sync_label.setText(f"Data as of {self.data_as_of()}")

    def cache_age_hours(self) -> float | None:
        last = self.store.get_state(LAST_SYNC_STATE) or {}
        finished = last.get("finished_at") if isinstance(last, dict) else None
        if not isinstance(finished, str):
            return None
        try:
            moment = datetime.fromisoformat(finished.replace("Z", "+00:00"))
        except ValueError:
            return None
        return (datetime.now(UTC) - moment).total_seconds() / 3600

    def maybe_auto_sync(self) -> bool:
        """At start: sync in the background if the data is older than the setting."""
        hours = self.context.preferences.auto_sync_hours
        if self.context.offline or hours <= 0:
            return False
        age = self.cache_age_hours()
        if age is not None and age < hours:
            return False
        return self.sync_now()

    # -- view settings ------------------------------------------------------------------------

    VIEWS = ("table", "timeline", "statistics")

    def show_view(self, name: str) -> None:
        """Bring a view's tab to the front: "table", "timeline" or "statistics"."""
        widget = {
            "table": self.table,
            "timeline": self.timeline,
            "statistics": self.statistics_view,
        }.get(name)
        if widget is None:
            raise ValueError(f"no view named {name!r}")
        self.views.setCurrentWidget(widget)

    def set_utc(self, utc: bool) -> None:
        self.model.set_utc(utc)
        self.detail_pane.set_utc(utc)
        self.docked_now_panel.set_utc(utc)
        self.changes_panel.set_utc(utc)
        self.timeline.set_utc(utc)
        self.context.settings.setValue("view/utc", utc)
        if self.utc_action.isChecked() != utc:
            self.utc_action.setChecked(utc)

    def _show_id_column(self, shown: bool) -> None:
        self.table.setColumnHidden(COLUMN_INDEX[Column.ID], not shown)

    def open_settings(self) -> None:
        overridden = []
        if self.context.url_from in ("command line", "environment"):
            overridden.append(f"The API URL in use comes from the {self.context.url_from}.")
        if self.context.key_from == "environment":
            overridden.append("The API key in use comes from DOCKVIEW_API_KEY.")
        dialog = SettingsDialog(
            self.context.preferences, overridden=" ".join(overridden), parent=self
        )
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        preferences = dialog.preferences()
        save_preferences(self.context.settings, preferences)
        self.context.preferences = preferences
        previous_url = self.context.api_url
        if self.context.url_from not in ("command line", "environment"):
            self.context.api_url = preferences.api_url
        if self.context.api_url != previous_url:
            self.offer_full_resync(previous_url)
        if self.context.key_from != "environment":
            self.context.api_key = preferences.api_key
        self.set_utc(preferences.utc)

    def offer_full_resync(self, previous_url: str) -> bool:
        """A new API URL (another version, another host): offer to fetch everything again now,
        rather than mix two sources until the next sync."""
        from dockview.api import api_version_of

        old, new = api_version_of(previous_url), api_version_of(self.context.api_url)
        change = f"API {old} to {new}" if old != new else f"{previous_url} to the new URL"
        answer = QMessageBox.question(
            self,
            "Full resync?",
            f"You switched from {change}. Fetch every event again now from "
            f"{self.context.api_url}? It takes about 7 of the 15 requests an hour; until then "
            "the cache keeps what the old source sent.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            return self.sync_now(full=True)
        return False

    def show_about(self) -> None:
        box = QMessageBox(self)
        box.setWindowTitle("About dockview")
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(f"dockview {__version__}")
        box.setInformativeText(self.about_text())
        box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        box.exec()

    def about_text(self) -> str:
        from dockview.api import api_version_of

        return (
            "Every spacecraft docking, offline too.\n\n"
            "Data: The Space Devs, Launch Library 2 (https://thespacedevs.com/llapi).\n"
            f"API version {api_version_of(self.context.api_url)} at {self.context.api_url}\n"
            f"Cache: {self.context.db_path}\n"
            f"dockview {__version__}"
        )

    # -- remembering --------------------------------------------------------------------------

    def _restore_state(self) -> None:
        settings = self.context.settings
        geometry = read_bytes(settings, "window/geometry")
        if geometry is None or not self.restoreGeometry(QByteArray(geometry)):
            self.resize(1360, 820)
        state = read_bytes(settings, "window/state")
        if state is not None:
            self.restoreState(QByteArray(state))
        splitter = read_bytes(settings, "window/splitter")
        if splitter is None or not self.splitter.restoreState(QByteArray(splitter)):
            self.splitter.setSizes([940, 420])
        header = self.table.horizontalHeader()
        header_state = read_bytes(settings, "table/header")
        if header_state is None or not header.restoreState(QByteArray(header_state)):
            self._default_columns()
        self.id_column_action.setChecked(not self.table.isColumnHidden(COLUMN_INDEX[Column.ID]))
        filters = read_str(settings, "filters/state")
        if filters:
            try:
                self.filter_bar.restore(json.loads(filters))
            except ValueError:
                log.info("Ignoring unreadable remembered filters")
        if read_bool(settings, "view/utc", self.model.utc) != self.model.utc:
            self.set_utc(not self.model.utc)

    def _default_columns(self) -> None:
        """First start: columns as wide as their contents (a sample of rows, so it stays fast
        with any number of events), within bounds, newest dockings first."""
        header = self.table.horizontalHeader()
        header.setResizeContentsPrecision(200)
        self.table.resizeColumnsToContents()
        for number in range(self.model.columnCount()):
            width = self.table.columnWidth(number)
            widest = 150 if number == COLUMN_INDEX[Column.AGENCY] else 190
            self.table.setColumnWidth(number, max(60, min(width + 12, widest)))
        # Room for a stay still going on, even when the first rows have none.
        stay_width = self.table.fontMetrics().horizontalAdvance("docked now · 9999 d 23 h") + 16
        docked_for = COLUMN_INDEX[Column.DOCKED_FOR]
        self.table.setColumnWidth(docked_for, max(self.table.columnWidth(docked_for), stay_width))
        self.table.setColumnHidden(COLUMN_INDEX[Column.ID], True)
        self.table.sortByColumn(COLUMN_INDEX[Column.DOCKING], Qt.SortOrder.DescendingOrder)

    def save_state(self) -> None:
        settings = self.context.settings
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.setValue("window/splitter", self.splitter.saveState())
        settings.setValue("table/header", self.table.horizontalHeader().saveState())
        settings.setValue("filters/state", json.dumps(self.filter_bar.state()))
        settings.setValue("view/utc", self.model.utc)
        settings.sync()

    def shutdown(self) -> None:
        """Stop background work and release the cache: for closing and for tests."""
        if self._shut_down:
            return
        self._shut_down = True
        self._clock.stop()
        if self._sync_worker is not None and self._sync_thread is not None:
            # The worker stops at its next request or second of waiting; a request already
            # under way ends within the client's timeout.
            self.hide()
            self._sync_worker.cancel()
            self._sync_thread.quit()
            self._sync_thread.wait(45_000)
        for _worker, thread in self._retired_syncs:
            thread.wait(45_000)
        self.images.shutdown()
        self.store.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        self.shutdown()
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.model.refresh_palette()
        super().changeEvent(event)


def settle_long_lived_objects() -> None:
    """The table's rows live as long as the window: move everything alive now out of the
    collector's sight (gc.freeze), so later collections do not walk them on every pass."""
    gc.freeze()


def application() -> QApplication:
    """The running QApplication, or a new one (tests and embedding bring their own)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    return QApplication([])
