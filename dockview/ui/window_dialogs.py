"""The window's dialogs: Settings (and the full resync a new API URL calls for) and About.

Settings edits what the settings file holds; what the window uses is worked out again from it
(a URL given on the command line or in the environment still wins, and the dialog says so).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from dockview import __version__
from dockview.api import api_version_of
from dockview.config import Source
from dockview.ui.settings import KeyPlace, SettingsDialog, save_stored

if TYPE_CHECKING:
    from dockview.ui.main_window import MainWindow


def open_settings(window: MainWindow) -> None:
    context = window.context
    context.read_keyring()  # the dialog shows the stored key
    config = context.config
    overridden = []
    if config.url_from in (Source.COMMAND_LINE, Source.ENVIRONMENT):
        overridden.append(f"The API URL in use comes from the {config.url_from}.")
    if config.key_from == Source.ENVIRONMENT:
        overridden.append("The API key in use comes from DOCKVIEW_API_KEY.")
    dialog = SettingsDialog(context.preferences, overridden=" ".join(overridden), parent=window)
    if dialog.exec() != SettingsDialog.DialogCode.Accepted:
        return
    preferences = dialog.preferences()
    place = save_stored(context.settings, preferences)
    if place == KeyPlace.THIS_RUN:
        window.statusBar().showMessage(
            "No system keyring: the API key is kept until dockview closes.", 10_000
        )
    context.preferences = preferences
    previous_url = config.api_url
    context.config = config.with_stored(preferences)
    if context.api_url != previous_url:
        offer_full_resync(window, previous_url)
    window.set_utc(context.config.utc)


def offer_full_resync(window: MainWindow, previous_url: str) -> bool:
    """A new API URL (another version, another host): offer to fetch everything again now,
    rather than mix two sources until the next sync."""
    api_url = window.context.api_url
    old, new = api_version_of(previous_url), api_version_of(api_url)
    change = f"API {old} to {new}" if old != new else f"{previous_url} to the new URL"
    answer = QMessageBox.question(
        window,
        "Full resync?",
        f"You switched from {change}. Fetch every event again now from "
        f"{api_url}? It takes about 9 of the 15 requests an hour; until then "
        "the cache keeps what the old source sent.",
    )
    if answer == QMessageBox.StandardButton.Yes:
        return window.sync_now(full=True)
    return False


def show_about(window: MainWindow) -> None:
    box = QMessageBox(window)
    box.setWindowTitle("About dockview")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(f"dockview {__version__}")
    box.setInformativeText(about_text(window))
    box.setIconPixmap(window.windowIcon().pixmap(64, 64))
    box.exec()


def about_text(window: MainWindow) -> str:
    context = window.context
    return (
        "Every spacecraft docking, offline too.\n\n"
        "Data: The Space Devs, Launch Library 2 (https://thespacedevs.com/llapi).\n"
        f"API version {api_version_of(context.api_url)} at {context.api_url}\n"
        f"Cache: {context.db_path}\n"
        f"dockview {__version__}"
    )
