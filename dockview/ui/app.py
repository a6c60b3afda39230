"""Start the window: settings, the QApplication, the icon, and the screenshot mode.

``run_window`` reuses a running QApplication (tests, embedding) and returns an exit code, so
``cli.main(["gui", ...])`` behaves like every other command.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import platformdirs
from PySide6.QtCore import (
    QCoreApplication,
    QMessageLogContext,
    QTimer,
    QtMsgType,
    qInstallMessageHandler,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from dockview import __version__
from dockview.api import is_insecure_remote
from dockview.errors import DockviewError
from dockview.sample import seed_sample_if_empty
from dockview.store import Store
from dockview.ui.main_window import MainWindow, WindowContext, application
from dockview.ui.settings import APPLICATION, ORGANISATION, load_preferences, open_settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WindowOptions:
    db_path: Path
    api_url: str | None  # from --api-url or DOCKVIEW_API_URL; None → settings
    url_from: str
    api_key: str | None  # from DOCKVIEW_API_KEY; None → settings
    offline: bool = False
    screenshot: Path | None = None
    select: int | None = None
    view: str = "table"


def app_icon() -> QIcon:
    icon = QIcon()
    folder = resources.files("dockview").joinpath("resources")
    for name in ("dockview.svg", "dockview-256.png"):
        entry = folder.joinpath(name)
        if entry.is_file():
            with resources.as_file(entry) as path:
                icon.addFile(str(path))
    return icon


def _qt_message(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own warnings go to the log file, not the person's terminal."""
    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
    }.get(mode, logging.ERROR)
    logging.getLogger("qt").log(level, "%s", message)


def route_qt_messages_to_log() -> None:
    if "PYTEST_CURRENT_TEST" not in os.environ:  # pytest-qt captures Qt messages itself
        qInstallMessageHandler(_qt_message)


def build_window(options: WindowOptions) -> MainWindow:
    route_qt_messages_to_log()
    application()
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    QApplication.setWindowIcon(app_icon())
    settings = open_settings()
    preferences = load_preferences(settings)
    with Store(options.db_path) as store:
        seed_sample_if_empty(store)
        moved = (store.moved_aside, store.moved_aside_reason)
    context = WindowContext(
        db_path=options.db_path,
        api_url=options.api_url or preferences.api_url,
        api_key=options.api_key or preferences.api_key,
        settings=settings,
        preferences=preferences,
        offline=options.offline,
        image_dir=platformdirs.user_cache_path("dockview", appauthor=False) / "images",
        url_from=options.url_from if options.api_url else "settings",
        key_from="environment" if options.api_key else "settings",
    )
    if is_insecure_remote(context.api_url):
        context.notices.append(
            f"Warning: {context.api_url} is plain http; the data (and any key) travel unencrypted."
        )
    if moved[0] is not None:
        context.notices.append(
            f"The cache could not be used ({moved[1]}); it was moved to {moved[0].name} and a "
            "fresh one was started."
        )
    window = MainWindow(context)
    window.setWindowIcon(app_icon())
    return window


def run_window(options: WindowOptions) -> int:
    route_qt_messages_to_log()
    app = application()
    try:
        window = build_window(options)
    except DockviewError as exc:
        log.info("The window could not start: %s", exc, exc_info=True)
        raise
    if options.screenshot is not None:
        return take_screenshot(window, options.screenshot, options.select, options.view)
    window.show_view(options.view)
    window.show()
    QTimer.singleShot(0, window.maybe_auto_sync)
    return app.exec()


def take_screenshot(window: MainWindow, path: Path, select: int | None, view: str = "table") -> int:
    """Render the window as a person would see it and save a PNG: README's screenshots."""
    window.resize(1720, 980)
    window.show_view(view)
    window.show()
    window.splitter.setSizes([1320, 400])
    if select is not None and not window.select_event(select):
        window.shutdown()
        raise DockviewError(f"There is no event {select} in the cache to select.")
    if view == "issues" and select is None:
        window.issues_panel.activate_first()
    elif select is None and window.proxy.rowCount():
        window.select_event(window.proxy.event_id_at(0) or 0)
    app = application()
    for _ in range(5):
        app.processEvents()
    image = window.grab()
    window.shutdown()  # no save_state: a screenshot must not change the person's layout
    window.hide()
    window.deleteLater()
    target = path.expanduser()
    if not target.parent.is_dir():
        raise DockviewError(f"The folder {target.parent} does not exist; no screenshot was saved.")
    if not image.save(str(target), "PNG"):
        raise DockviewError(f"Could not save the screenshot to {target}.")
    return 0


def offscreen_if_headless() -> None:
    """A screenshot needs no screen: use Qt's offscreen platform when there is none."""
    if os.environ.get("QT_QPA_PLATFORM"):
        return
    if (
        os.name == "posix"
        and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
        and not _is_macos()
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def _is_macos() -> bool:
    import sys

    return sys.platform == "darwin"
