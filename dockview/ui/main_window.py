"""The main window: filters above, the table and the detail pane side by side, sync below.

It reads the cache on the GUI thread only in small, indexed pieces (the table's flat rows once,
one event's JSON per selection); syncing runs in a worker thread with its own connection, and
its results are merged into the model in one batch so selection, sort and scroll survive.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication
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
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dockview import __version__
from dockview.checks import check_events, read_facts
from dockview.config import Settings, Source, StoredSettings
from dockview.errors import DockviewError
from dockview.export import Export, dumps, export_from_store
from dockview.lookup_records import LookupRecords
from dockview.query import EventQuery
from dockview.rows import choices_from_rows
from dockview.store import Store
from dockview.sync import last_changes, last_sync_finished, plural
from dockview.ui.common import collector_paused, named
from dockview.ui.detail_pane import DetailPane, FullRecords, PortDocking
from dockview.ui.event_model import (
    COLUMN_INDEX,
    Column,
    EventFilterProxy,
    EventRow,
    EventTableModel,
)
from dockview.ui.filter_bar import FilterBar
from dockview.ui.images import ImageCache
from dockview.ui.issues_panel import IssuesPanel
from dockview.ui.panels import ChangesPanel, DockedNowPanel, describe_counts
from dockview.ui.settings import KeyPlace, SettingsDialog, read_str, save_stored
from dockview.ui.stats_view import StatisticsView
from dockview.ui.status_bar import SyncStatus
from dockview.ui.sync_controller import SyncController, SyncState
from dockview.ui.sync_worker import SyncFailure, SyncOutcome, SyncRequest, stored_marks
from dockview.ui.table_export import FILE_TYPES, is_csv, write_rows
from dockview.ui.timeline import TimelineView
from dockview.ui.window_menus import build_actions, build_menus
from dockview.ui.window_state import restore_window_state, save_window_state

log = logging.getLogger(__name__)


@dataclass
class WindowContext:
    """What the window needs: the settings in use (``config``, resolved once from the command
    line, the environment and the settings file), the file itself, and what the file holds
    (``preferences``, which the Settings dialog edits)."""

    config: Settings
    settings: QSettings
    preferences: StoredSettings
    offline: bool = False
    image_dir: Path | None = None
    notices: list[str] = field(default_factory=list)

    @property
    def db_path(self) -> Path:
        return self.config.db_path

    @property
    def api_url(self) -> str:
        return self.config.api_url

    @property
    def api_key(self) -> str | None:
        return self.config.api_key


class MainWindow(QMainWindow):
    syncFinished = Signal(bool)  # True when the sync succeeded (for tests and embedding)

    # The window's commands, made by window_menus.build_actions.
    export_action: QAction
    export_shown_action: QAction
    copy_action: QAction
    quit_action: QAction
    find_action: QAction
    clear_action: QAction
    settings_action: QAction
    utc_action: QAction
    id_column_action: QAction
    sync_action: QAction
    full_sync_action: QAction
    cancel_action: QAction
    about_action: QAction

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
        self._shut_down = False
        self._showing_sample = False

        self.model = EventTableModel(self)
        self.proxy = EventFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.model.set_utc(context.config.utc)

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
        self.detail_pane.set_utc(context.config.utc)
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
        self.issues_panel = IssuesPanel(
            self.proxy, lambda rows, now: check_events(rows, now, read_facts(self.store.conn))
        )
        self.issues_panel.eventsActivated.connect(self.select_events)
        self.issues_panel.reportChanged.connect(self._issues_checked)
        self.issues_dock = self._dock(self.issues_panel, "Data issues", "issuesDock")
        self.tabifyDockWidget(self.changes_dock, self.issues_dock)
        # Behind another tab or closed, the panel only keeps its count (the status bar's).
        self.issues_dock.visibilityChanged.connect(self.issues_panel.set_on_screen)
        self.docked_now_dock.raise_()
        self.resizeDocks([self.docked_now_dock], [150], Qt.Orientation.Vertical)

        self._build_status_bar()
        self._build_sync()
        self.statusBar().addPermanentWidget(self.issues_panel.status_label)
        build_actions(self)
        build_menus(self)

        self.proxy.rowsInserted.connect(self._update_summary)
        self.proxy.rowsRemoved.connect(self._update_summary)
        self.proxy.modelReset.connect(self._update_summary)
        self.proxy.layoutChanged.connect(self._update_summary)
        # After a sort or a filter change the selected row may sit elsewhere: keep it in view.
        self.proxy.layoutChanged.connect(self._keep_current_in_view)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self._clock = QTimer(self, interval=60_000)
        self._clock.timeout.connect(self.model.refresh_now)
        self._clock.start()

        self.load_from_cache()
        restore_window_state(self)
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
        self.summary_label = named(QLabel(), "statusSummary", "Events shown")
        self.sync_status = SyncStatus()
        self.sync_status.cancelRequested.connect(self.cancel_sync)
        self.sync_status.retryRequested.connect(lambda: self.sync_now())
        # Reached by tests and bench/ through the window, as before the status bar moved out.
        self.sync_label = self.sync_status.sync_label
        self.cancel_button = self.sync_status.cancel_button
        self.retry_button = self.sync_status.retry_button
        self.statusBar().addWidget(self.summary_label)
        self.sync_status.place_in(self.statusBar())

    def _build_sync(self) -> None:
        self.sync_controller = SyncController(self._sync_request, self)
        self.sync_status.follow(self.sync_controller)
        self.sync_controller.stateChanged.connect(self._sync_state_changed)
        self.sync_controller.rowsArrived.connect(self._merge_sync_rows)
        self.sync_controller.succeeded.connect(self._show_sync_outcome)
        self.sync_controller.failed.connect(self._show_sync_failure)
        self.sync_controller.finished.connect(self.syncFinished)

    # -- data ---------------------------------------------------------------------------------

    def load_from_cache(self) -> None:
        """Fill the table from the cache (at start, or when the cache was swapped)."""
        with collector_paused():
            rows = [EventRow(fields) for fields in self.store.table_rows()]
            self._showing_sample = self.store.has_sample()
            self.model.set_rows(rows)
        settle_long_lived_objects()
        self.model.set_marks(self._stored_marks())
        # From the rows in memory: the SQL form reads the whole cache again (raw JSON too).
        self.filter_bar.refresh_choices(choices_from_rows(rows))
        self.changes_panel.show_changes(*last_changes(self.store))
        self.docked_now_panel.refresh()

    def _stored_marks(self) -> dict[int, str]:
        return stored_marks(self.store)

    def _update_summary(self, *_: object) -> None:
        if self._shut_down:  # views may still signal while the window is torn down
            return
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = f"Showing {shown:,} of {total:,} events"
        if self._showing_sample:
            text += " (bundled sample)"
        self.summary_label.setText(text)

    def selected_ids(self) -> list[int]:
        ids = []
        for index in self.table.selectionModel().selectedRows():
            event_id = self.proxy.event_id_at(index.row())
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

    def _keep_current_in_view(self, *_: object) -> None:
        current = self.table.currentIndex()
        if current.isValid() and self.table.selectionModel().isRowSelected(current.row()):
            # On the next turn, once the view has laid out its new rows.
            QTimer.singleShot(0, self, lambda: self.table.scrollTo(self.table.currentIndex()))

    def select_events(self, event_ids: Sequence[int]) -> int:
        """Select several events (a data issue's) in the table, and so on the timeline,
        clearing the filters when they hide every one; returns how many are selected."""
        rows = [r for i in event_ids if (r := self.proxy.proxy_row_for_id(i)) is not None]
        if not rows and any(self.model.row_for_id(i) is not None for i in event_ids):
            self.filter_bar.clear()
            rows = [r for i in event_ids if (r := self.proxy.proxy_row_for_id(i)) is not None]
        if not rows:
            return 0
        selection = QItemSelection()
        for row in rows:
            selection.select(self.proxy.index(row, 0), self.proxy.index(row, 0))
        flags = QItemSelectionModel.SelectionFlag
        chooser = self.table.selectionModel()
        first = self.proxy.index(rows[0], 0)
        chooser.setCurrentIndex(first, flags.NoUpdate)
        chooser.select(selection, flags.ClearAndSelect | flags.Rows)
        self.table.scrollTo(first, QAbstractItemView.ScrollHint.PositionAtCenter)
        if len(rows) < len(event_ids):
            hidden = len(event_ids) - len(rows)
            self.statusBar().showMessage(
                f"{plural(hidden, 'event')} of this issue hidden by the filters", 8000
            )
        return len(rows)

    def _issues_checked(self) -> None:
        doubtful = self.issues_panel.doubtful()
        self.docked_now_panel.set_doubtful(doubtful)
        self.statistics_view.set_doubtful(set(doubtful))

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
        config, agency = (
            LookupRecords(self.store).for_event(event_id) if event_id is not None else (None, None)
        )
        self.detail_pane.show_event(raw, port_dockings, FullRecords(config, agency))

    def _selection_changed(self, *_: object) -> None:
        count = len(self.table.selectionModel().selectedRows())
        self.timeline.mark_events(self.selected_ids() if 1 < count <= 500 else ())
        self.export_action.setEnabled(count > 0)
        self.copy_action.setEnabled(count > 0)
        self.export_action.setText(
            f"&Export {plural(count, 'selected event')}…" if count else "&Export selected…"
        )

    # -- export -------------------------------------------------------------------------------

    def _export_document(self, ids: list[int]) -> Export:
        return export_from_store(
            self.store, EventQuery(ids=tuple(ids)), api_url=self.context.api_url
        )

    def suggested_export_name(self, count: int) -> str:
        return f"dockview-{plural(count, 'event').replace(' ', '-')}-{datetime.now():%Y-%m-%d}.json"

    def export_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self._ask_and_export(ids, "Export selected events")

    def export_shown(self) -> None:
        self._ask_and_export(None, "Export the events shown")

    def _ask_and_export(self, ids: list[int] | None, title: str) -> None:
        count = len(ids) if ids is not None else self.proxy.rowCount()
        folder = read_str(self.context.settings, "export/folder", str(Path.home()))
        suggested = str(Path(folder) / self.suggested_export_name(count))
        path, chosen_type = QFileDialog.getSaveFileName(self, title, suggested, FILE_TYPES)
        if path:
            self.export_to(ids, Path(path), csv=is_csv(Path(path), chosen_type))

    def export_to(self, ids: list[int] | None, path: Path, *, csv: bool | None = None) -> bool:
        """Write these events (None: every event shown), in the order shown: JSON, or CSV
        when asked or when the name ends in .csv."""
        shown = self.proxy.visible_rows()
        if ids is not None:
            wanted = set(ids)
            shown = [row for row in shown if row.id in wanted]
        try:
            count = write_rows(
                shown,
                path,
                table=self.table,
                model=self.model,
                store=self.store,
                api_url=self.context.api_url,
                csv=is_csv(path) if csv is None else csv,
            )
        except DockviewError as exc:
            log.info("Export failed: %s", exc, exc_info=True)
            QMessageBox.warning(self, "Export failed", str(exc))
            return False
        self.context.settings.setValue("export/folder", str(path.parent))
        self.statusBar().showMessage(f"Exported {plural(count, 'event')} to {path}", 8000)
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

    def _sync_request(self, full: bool) -> SyncRequest:
        context = self.context
        return SyncRequest(context.db_path, context.api_url, context.api_key, full=full)

    @property
    def syncing(self) -> bool:
        return self.sync_controller.state is not SyncState.IDLE

    def sync_now(self, full: bool = False) -> bool:
        if self.context.offline:
            self.sync_status.show_message("Offline mode (--offline): sync is off.")
            return False
        return self.sync_controller.start(full)

    def cancel_sync(self) -> None:
        self.sync_controller.cancel()

    def _sync_state_changed(self, state: SyncState) -> None:
        for action in (self.sync_action, self.full_sync_action):
            action.setEnabled(state is SyncState.IDLE)
        self.cancel_action.setEnabled(state is SyncState.RUNNING)

    def _merge_sync_rows(self, outcome: SyncOutcome) -> None:
        """Take the worker's ready-made rows: a reset when they replace the sample, otherwise
        a merge of just the rows that changed, so selection, order and scroll stay."""
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

    def _show_sync_outcome(self, outcome: SyncOutcome) -> None:
        """The rest of a sync's outcome, a turn after its rows: lists, panels, status."""
        result = outcome.result
        self.filter_bar.refresh_choices(outcome.choices)
        counts, changes, first_sync = last_changes(self.store)
        self.changes_panel.show_changes(counts, changes, first_sync)
        self.docked_now_panel.refresh()
        if first_sync:
            summary = f"{plural(result.new, 'docking')} now in the cache"
        else:
            summary = describe_counts(counts)
        self.sync_status.show_synced(
            f"{datetime.now():%H:%M}",
            summary,
            result.complete,
            lookups_fetched=not result.lookup_failure,
        )
        if outcome.note:  # once per cache; the status line's own text stays as it was
            self.statusBar().showMessage(outcome.note)
        self._update_summary()
        current = self.current_id()
        if current is not None and any(row.id == current for row in outcome.rows):
            self.show_details(current)

    def _show_sync_failure(self, message: str, why: SyncFailure) -> None:
        self.sync_status.show_failure(message, why, self.data_as_of())

    def data_as_of(self) -> str:
        finished = last_sync_finished(self.store)
        if finished is not None:
            zone = UTC if self.model.utc else None
            return finished.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        return "the bundled sample" if self.store.has_sample() else "the last sync"

    def _show_idle_status(self) -> None:
        if self.context.notices:
            self.sync_status.show_message(" ".join(self.context.notices))
        elif self.context.offline:
            self.sync_status.show_message(f"Offline mode — data as of {self.data_as_of()}")
        else:
            self.sync_status.show_message(f"Data as of {self.data_as_of()}")

    def cache_age_hours(self) -> float | None:
        finished = last_sync_finished(self.store)
        return None if finished is None else (datetime.now(UTC) - finished).total_seconds() / 3600

    def maybe_auto_sync(self) -> bool:
        """At start: sync in the background if the data is older than the setting."""
        hours = self.context.config.auto_sync_hours
        if self.context.offline or hours <= 0:
            return False
        age = self.cache_age_hours()
        if age is not None and age < hours:
            return False
        return self.sync_now()

    # -- view settings ------------------------------------------------------------------------

    VIEWS = ("table", "timeline", "statistics", "occupancy", "issues")

    def show_view(self, name: str) -> None:
        """Bring a view's tab to the front: "table", "timeline" or "statistics"; "occupancy"
        is the statistics' occupancy page, "issues" the table with the Data issues panel."""
        if name == "occupancy":
            self.statistics_view.show_occupancy()
            name = "statistics"
        elif name == "issues":
            self.issues_dock.show()
            self.issues_dock.raise_()
            self.resizeDocks([self.issues_dock], [320], Qt.Orientation.Vertical)
            name = "table"
        widget = {
            "table": self.table,
            "timeline": self.timeline,
            "statistics": self.statistics_view,
        }.get(name)
        if widget is None:
            raise ValueError(f"no view named {name!r}")
        self.views.setCurrentWidget(widget)

    def set_utc(self, utc: bool) -> None:
        self.context.config = dataclasses.replace(self.context.config, utc=utc)
        self.context.preferences = dataclasses.replace(self.context.preferences, utc=utc)
        self.model.set_utc(utc)
        self.detail_pane.set_utc(utc)
        self.docked_now_panel.set_utc(utc)
        self.changes_panel.set_utc(utc)
        self.timeline.set_utc(utc)
        self.context.settings.setValue("view/utc", utc)
        if self.utc_action.isChecked() != utc:
            self.utc_action.setChecked(utc)

    def show_id_column(self, shown: bool) -> None:
        self.table.setColumnHidden(COLUMN_INDEX[Column.ID], not shown)

    def open_settings(self) -> None:
        overridden = []
        config = self.context.config
        if config.url_from in (Source.COMMAND_LINE, Source.ENVIRONMENT):
            overridden.append(f"The API URL in use comes from the {config.url_from}.")
        if config.key_from == Source.ENVIRONMENT:
            overridden.append("The API key in use comes from DOCKVIEW_API_KEY.")
        dialog = SettingsDialog(
            self.context.preferences, overridden=" ".join(overridden), parent=self
        )
        if dialog.exec() != SettingsDialog.DialogCode.Accepted:
            return
        preferences = dialog.preferences()
        place = save_stored(self.context.settings, preferences)
        if place == KeyPlace.THIS_RUN:
            self.statusBar().showMessage(
                "No system keyring: the API key is kept until dockview closes.", 10_000
            )
        self.context.preferences = preferences
        previous_url = config.api_url
        self.context.config = config.with_stored(preferences)
        if self.context.api_url != previous_url:
            self.offer_full_resync(previous_url)
        self.set_utc(self.context.config.utc)

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
            f"{self.context.api_url}? It takes about 9 of the 15 requests an hour; until then "
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

    def save_state(self) -> None:
        save_window_state(self)

    def shutdown(self) -> None:
        """Stop background work and release the cache: for closing and for tests."""
        if self._shut_down:
            return
        self._shut_down = True
        self._clock.stop()
        if self.syncing:
            self.hide()  # closing may wait for the sync's request under way to end
        self.sync_controller.shutdown()
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
