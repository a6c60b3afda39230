"""The window's export commands: Export selected, Export shown, Copy as JSON, and the table's
context menu that offers them.

The file is written by :func:`dockview.ui.table_export.write_rows` (JSON or CSV, in the order
shown); here are the person's side of it: the save dialog, the folder remembered for next
time, a failure told in one sentence, and the status line saying what was written where.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from dockview.errors import DockviewError
from dockview.export import dumps, export_from_store
from dockview.query import EventQuery
from dockview.sync import plural
from dockview.ui.settings import read_str
from dockview.ui.table_export import FILE_TYPES, is_csv, write_rows

if TYPE_CHECKING:
    from dockview.ui.main_window import MainWindow

log = logging.getLogger(__name__)

FOLDER_KEY = "export/folder"


def suggested_export_name(count: int) -> str:
    return f"dockview-{plural(count, 'event').replace(' ', '-')}-{datetime.now():%Y-%m-%d}.json"


def ask_and_export(window: MainWindow, ids: list[int] | None, title: str) -> None:
    """Ask where to write these events (None: every event shown), then write them there."""
    count = len(ids) if ids is not None else window.proxy.rowCount()
    folder = read_str(window.context.settings, FOLDER_KEY, str(Path.home()))
    suggested = str(Path(folder) / suggested_export_name(count))
    path, chosen_type = QFileDialog.getSaveFileName(window, title, suggested, FILE_TYPES)
    if path:
        export_to(window, ids, Path(path), csv=is_csv(Path(path), chosen_type))


def export_to(
    window: MainWindow, ids: list[int] | None, path: Path, *, csv: bool | None = None
) -> bool:
    """Write these events (None: every event shown), in the order shown: JSON, or CSV when
    asked or when the name ends in .csv."""
    shown = window.proxy.visible_rows()
    if ids is not None:
        wanted = set(ids)
        shown = [row for row in shown if row.id in wanted]
    try:
        count = write_rows(
            shown,
            path,
            table=window.table,
            model=window.model,
            store=window.store,
            api_url=window.context.api_url,
            csv=is_csv(path) if csv is None else csv,
        )
    except DockviewError as exc:
        log.info("Export failed: %s", exc, exc_info=True)
        QMessageBox.warning(window, "Export failed", str(exc))
        return False
    window.context.settings.setValue(FOLDER_KEY, str(path.parent))
    window.statusBar().showMessage(f"Exported {plural(count, 'event')} to {path}", 8000)
    return True


def copy_as_json(window: MainWindow, ids: list[int]) -> None:
    """Put these events on the clipboard as the JSON an export would write."""
    if not ids:
        return
    document = export_from_store(
        window.store, EventQuery(ids=tuple(ids)), api_url=window.context.api_url
    )
    QGuiApplication.clipboard().setText(dumps(document))
    window.statusBar().showMessage(f"Copied {plural(len(ids), 'event')} as JSON", 5000)


def show_table_menu(window: MainWindow, position: QPoint) -> None:
    menu = QMenu(window)
    menu.addAction(window.export_action)
    menu.addAction(window.copy_action)
    menu.exec(window.table.viewport().mapToGlobal(position))
