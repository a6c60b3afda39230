"""The window's commands: one QAction each (text, key, tip, object name), and the menus.

Each action is also added to the window itself, so its key works wherever the focus is, and
has an object name, so tests and accessibility tools find it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from dockview.ui.main_window import MainWindow


def make_action(
    parent: QWidget,
    text: str,
    slot: Callable[..., Any],
    shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    *,
    name: str,
    checkable: bool = False,
    tip: str = "",
) -> QAction:
    action = QAction(text, parent)
    action.setObjectName(name)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setCheckable(checkable)
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    action.triggered.connect(slot)
    parent.addAction(action)
    return action


def build_actions(window: MainWindow) -> None:
    keys = QKeySequence.StandardKey
    window.export_action = make_action(
        window,
        "&Export selected…",
        window.export_selected,
        "Ctrl+E",
        name="exportAction",
        tip="Write the selected events as Launch Library 2 JSON or as CSV",
    )
    window.export_shown_action = make_action(
        window,
        "Export s&hown…",
        window.export_shown,
        "Ctrl+Shift+E",
        name="exportShownAction",
        tip="Write the events shown, in the order shown, as JSON or CSV",
    )
    window.copy_action = make_action(
        window, "&Copy as JSON", window.copy_selected_json, keys.Copy, name="copyJsonAction"
    )
    window.quit_action = make_action(window, "&Quit", window.close, keys.Quit, name="quitAction")
    window.find_action = make_action(
        window, "&Find…", window.filter_bar.focus_search, keys.Find, name="findAction"
    )
    window.clear_action = make_action(
        window,
        "C&lear filters",
        window.filter_bar.clear,
        "Ctrl+Shift+L",
        name="clearFiltersAction",
    )
    preferences_key = QKeySequence(keys.Preferences)
    window.settings_action = make_action(
        window,
        "&Settings…",
        window.open_settings,
        preferences_key if not preferences_key.isEmpty() else "Ctrl+,",
        name="settingsAction",
    )
    window.utc_action = make_action(
        window, "Show times in &UTC", window.set_utc, name="utcAction", checkable=True
    )
    window.utc_action.setChecked(window.model.utc)
    window.id_column_action = make_action(
        window, "Show &ID column", window.show_id_column, name="idColumnAction", checkable=True
    )
    window.sync_action = make_action(
        window,
        "&Sync now",
        lambda: window.sync_now(),
        "F5",
        name="syncAction",
        tip="Fetch what changed since the last sync",
    )
    window.full_sync_action = make_action(
        window,
        "&Full resync",
        lambda: window.sync_now(full=True),
        "Ctrl+F5",
        name="fullSyncAction",
        tip="Fetch every event again (about 9 of the 15 requests an hour)",
    )
    window.cancel_action = make_action(
        window, "&Cancel sync", window.cancel_sync, name="cancelSyncAction"
    )
    window.cancel_action.setEnabled(False)
    window.about_action = make_action(
        window, "&About dockview", window.show_about, name="aboutAction"
    )


def build_menus(window: MainWindow) -> None:
    menus = window.menuBar()
    file_menu = menus.addMenu("&File")
    file_menu.addAction(window.export_action)
    file_menu.addAction(window.export_shown_action)
    file_menu.addSeparator()
    file_menu.addAction(window.quit_action)
    edit_menu = menus.addMenu("&Edit")
    edit_menu.addAction(window.copy_action)
    edit_menu.addAction(window.find_action)
    edit_menu.addAction(window.clear_action)
    edit_menu.addSeparator()
    edit_menu.addAction(window.settings_action)
    view_menu = menus.addMenu("&View")
    view_menu.addAction(window.utc_action)
    view_menu.addAction(window.id_column_action)
    view_menu.addSeparator()
    for dock, key in (
        (window.docked_now_dock, "Ctrl+1"),
        (window.changes_dock, "Ctrl+2"),
        (window.issues_dock, "Ctrl+3"),
    ):
        toggle = dock.toggleViewAction()
        toggle.setShortcut(QKeySequence(key))
        view_menu.addAction(toggle)
    sync_menu = menus.addMenu("&Sync")
    sync_menu.addAction(window.sync_action)
    sync_menu.addAction(window.full_sync_action)
    sync_menu.addAction(window.cancel_action)
    help_menu = menus.addMenu("&Help")
    help_menu.addAction(window.about_action)
