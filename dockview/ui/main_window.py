"""The main window: filters above, the table and the detail pane side by side, sync below.

It reads the cache on the GUI thread only in small, indexed pieces (the table's flat rows once,
one event's JSON per selection); syncing runs in a worker thread with its own connection, and
its results are merged into the model in one batch so selection, sort and scroll survive.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dockview.checks import check_rows_with_cache
from dockview.collector import collector_paused, settle_long_lived_objects
from dockview.config import Settings, Source, StoredSettings
from dockview.rows import choices_from_rows
from dockview.settings_file import with_keyring_key
from dockview.store import Store
from dockview.sync import last_changes
from dockview.ui import window_dialogs, window_export, window_selection, window_sync
from dockview.ui.common import named
from dockview.ui.detail_pane import DetailPane
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
from dockview.ui.panels import ChangesPanel, DockedNowPanel
from dockview.ui.status_bar import SyncStatus
from dockview.ui.sync_controller import SyncController, SyncState
from dockview.ui.sync_worker import SyncOutcome, SyncRequest, stored_marks
from dockview.ui.window_menus import build_actions, build_menus
from dockview.ui.window_state import restore_window_state, save_window_state

if TYPE_CHECKING:
    from dockview.ui.stats_view import StatisticsView
    from dockview.ui.timeline import TimelineView


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
        if self.config.key_from != Source.ENVIRONMENT:  # DOCKVIEW_API_KEY wins unasked
            self.read_keyring()
        return self.config.api_key

    def read_keyring(self) -> None:
        """Ask the keyring for the key if the settings were loaded without it: at the first
        sync or Settings dialog, not before the window's first paint."""
        if self.preferences.keyring_unread:
            self.preferences = with_keyring_key(self.preferences)
            self.config = self.config.with_keyring_key(self.preferences)


class LazyPage(QWidget):
    """A tab's page whose view is made the first time it is needed (shown, or asked for)."""

    def __init__(self, make: Callable[[], QWidget]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._make = make
        self.view: QWidget | None = None

    def ensure(self) -> QWidget:
        if self.view is None:
            self.view = self._make()
            layout = self.layout()
            assert layout is not None
            layout.addWidget(self.view)
        return self.view


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
        self.table.customContextMenuRequested.connect(
            lambda position: window_export.show_table_menu(self, position)
        )
        self.table.activated.connect(
            lambda index: self.show_details(self.proxy.event_id_at(index.row()))
        )

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
        # The timeline and the statistics are made (and their modules imported) when their
        # tab is first shown or they are first asked for: the first paint needs neither.
        self._timeline: TimelineView | None = None
        self._statistics_view: StatisticsView | None = None
        self._timeline_page = LazyPage(self._make_timeline)
        self._statistics_page = LazyPage(self._make_statistics_view)
        self.views.addTab(self._timeline_page, "Time&line")
        self.views.addTab(self._statistics_page, "Stat&istics")
        self.views.currentChanged.connect(self._tab_shown)
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
        self.issues_panel = IssuesPanel(self.proxy, partial(check_rows_with_cache, self.store.path))
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
        self.proxy.layoutChanged.connect(lambda *_: window_selection.keep_current_in_view(self))
        chooser = self.table.selectionModel()
        chooser.currentRowChanged.connect(
            lambda current, _previous: window_selection.current_changed(self, current)
        )
        chooser.selectionChanged.connect(lambda *_: window_selection.selection_changed(self))

        self._clock = QTimer(self, interval=60_000)
        self._clock.timeout.connect(self.model.refresh_now)
        self._clock.start()

        self.load_from_cache()
        restore_window_state(self)
        self._update_summary()
        window_sync.show_idle_status(self)
        window_selection.selection_changed(self)

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

    @property
    def timeline(self) -> TimelineView:
        self._timeline_page.ensure()
        assert self._timeline is not None
        return self._timeline

    @property
    def statistics_view(self) -> StatisticsView:
        self._statistics_page.ensure()
        assert self._statistics_view is not None
        return self._statistics_view

    def built_timeline(self) -> TimelineView | None:
        """The timeline if it was made: what follows the selection need not make it."""
        return self._timeline

    def _make_timeline(self) -> QWidget:
        from dockview.ui.timeline.view import TimelineView

        view = TimelineView(self.proxy)
        view.eventActivated.connect(self.select_event)
        self._timeline = view
        current = self.current_id()  # what it would have followed had it been there
        if current is not None:
            view.scroll_to_event(current)
        view.mark_events(window_selection.marked_ids(self))
        return view

    def _make_statistics_view(self) -> QWidget:
        from dockview.ui.stats_view import StatisticsView

        view = StatisticsView(self.proxy)
        self._statistics_view = view
        view.set_doubtful(set(self.issues_panel.doubtful()))
        return view

    def _tab_shown(self, index: int) -> None:
        page = self.views.widget(index)
        if isinstance(page, LazyPage):
            page.ensure()

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
        self.sync_controller.failed.connect(
            lambda message, why: window_sync.show_failure(self, message, why)
        )
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

    # -- selection (window_selection) ---------------------------------------------------------

    def selected_rows(self) -> list[int]:
        return window_selection.selected_rows(self)

    def selected_ids(self) -> list[int]:
        return window_selection.selected_ids(self)

    def current_id(self) -> int | None:
        return window_selection.current_id(self)

    def select_event(self, event_id: int) -> bool:
        return window_selection.select_event(self, event_id)

    def select_events(self, event_ids: Sequence[int]) -> int:
        return window_selection.select_events(self, event_ids)

    def _issues_checked(self) -> None:
        doubtful = self.issues_panel.doubtful()
        self.docked_now_panel.set_doubtful(doubtful)
        if self._statistics_view is not None:
            self._statistics_view.set_doubtful(set(doubtful))

    def show_details(self, event_id: int | None) -> None:
        if not self._shut_down:
            window_selection.show_details(self, event_id)

    # -- export (window_export) ---------------------------------------------------------------

    def suggested_export_name(self, count: int) -> str:
        return window_export.suggested_export_name(count)

    def export_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            window_export.ask_and_export(self, ids, "Export selected events")

    def export_shown(self) -> None:
        window_export.ask_and_export(self, None, "Export the events shown")

    def export_to(self, ids: list[int] | None, path: Path, *, csv: bool | None = None) -> bool:
        return window_export.export_to(self, ids, path, csv=csv)

    def copy_selected_json(self) -> None:
        window_export.copy_as_json(self, self.selected_ids())

    # -- sync ---------------------------------------------------------------------------------

    def _sync_request(self, full: bool) -> SyncRequest:
        context = self.context
        if context.config.key_from != Source.ENVIRONMENT and context.preferences.keyring_unread:
            # The worker asks the keyring: loading its backends would hold the window.
            return SyncRequest(
                context.db_path, context.api_url, None, full=full, key_in_keyring=True
            )
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
        window_sync.merge_rows(self, outcome)
        self._showing_sample = outcome.sample_left
        self._update_summary()

    def _show_sync_outcome(self, outcome: SyncOutcome) -> None:
        window_sync.show_outcome(self, outcome)
        self._update_summary()

    def data_as_of(self) -> str:
        return window_sync.data_as_of(self.store, utc=self.model.utc)

    def cache_age_hours(self) -> float | None:
        return window_sync.cache_age_hours(self.store)

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
            "timeline": self._timeline_page,
            "statistics": self._statistics_page,
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
        if self._timeline is not None:  # one made later reads the model's
            self._timeline.set_utc(utc)
        self.context.settings.setValue("view/utc", utc)
        if self.utc_action.isChecked() != utc:
            self.utc_action.setChecked(utc)

    def show_id_column(self, shown: bool) -> None:
        self.table.setColumnHidden(COLUMN_INDEX[Column.ID], not shown)

    # -- dialogs (window_dialogs) -------------------------------------------------------------

    def open_settings(self) -> None:
        window_dialogs.open_settings(self)

    def offer_full_resync(self, previous_url: str) -> bool:
        return window_dialogs.offer_full_resync(self, previous_url)

    def show_about(self) -> None:
        window_dialogs.show_about(self)

    def about_text(self) -> str:
        return window_dialogs.about_text(self)

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


def application() -> QApplication:
    """The running QApplication, or a new one (tests and embedding bring their own)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    return QApplication([])
