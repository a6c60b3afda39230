"""Start the window: settings, the QApplication, the icon, and the screenshot mode.

``run_window`` reuses a running QApplication (tests, embedding) and returns an exit code, so
``cli.main(["gui", ...])`` behaves like every other command.
"""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass
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
from dockview.bundled import APP_ID, resource_path
from dockview.config import Settings
from dockview.display import WAY_OUT
from dockview.errors import DockviewError
from dockview.sample import seed_sample_if_empty
from dockview.settings_file import APPLICATION, ORGANISATION, load_stored, open_settings
from dockview.store import Store
from dockview.ui.main_window import MainWindow, WindowContext, application

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WindowOptions:
    settings: Settings  # resolved once (dockview.config.resolve_settings)
    offline: bool = False
    screenshot: Path | None = None
    select: int | None = None
    view: str = "table"


def app_icon() -> QIcon:
    """The bundled icon; the PNG stands in where Qt has no SVG image plugin. The log names the
    files that drew, so a packaged program missing its icon shows in the log."""
    icon = QIcon()
    drawn = []
    for name in ("dockview.svg", "dockview-256.png"):
        path = resource_path(name)
        if path.is_file() and not QIcon(str(path)).pixmap(32, 32).isNull():
            icon.addFile(str(path))
            drawn.append(name)
    if drawn:
        log.info("window icon: %s", ", ".join(drawn))
    else:
        log.warning("No window icon could be drawn from %s.", resource_path(""))
    return icon


_last_qt_warning = ""


def _qt_message(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    """Qt's own warnings go to the log file, not the person's terminal; a fatal one goes to both,
    and ends the program with exit code 1 instead of Qt's abort (a crash with no word)."""
    global _last_qt_warning
    level = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
    }.get(mode, logging.ERROR)
    logging.getLogger("qt").log(level, "%s", message)
    if mode != QtMsgType.QtFatalMsg:
        _last_qt_warning = message.strip()
    else:
        sys.stderr.write(f"dockview: {fatal_sentence(message, _last_qt_warning)}\n")
        sys.stderr.flush()
        logging.shutdown()
        os._exit(1)


def fatal_sentence(fatal: str, last_warning: str) -> str:
    """Qt's fatal message in one sentence: its first line, with the warning that explains it
    (Qt says *which* library or display it lacked only in the warning before)."""
    first = fatal.strip().splitlines()[0].split(". ")[0] if fatal.strip() else "a fatal error"
    because = f" ({last_warning.splitlines()[0].rstrip('.')})" if last_warning else ""
    return f"Qt stopped: {first.rstrip('.')}{because}; {WAY_OUT}."


def route_qt_messages_to_log() -> None:
    if "PYTEST_CURRENT_TEST" not in os.environ:  # pytest-qt captures Qt messages itself
        qInstallMessageHandler(_qt_message)


#: How long a Python thread may keep the interpreter's lock while another waits for it (the
#: interpreter's default is 5 ms). The sync worker and the data checks are Python on threads
#: of their own; at 1 ms the window gets the lock back sooner while they run.
SWITCH_INTERVAL_S = 0.001


def build_window(options: WindowOptions) -> MainWindow:
    route_qt_messages_to_log()
    application()
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    QCoreApplication.setApplicationVersion(__version__)
    QApplication.setWindowIcon(app_icon())
    QApplication.setDesktopFileName(APP_ID)  # Wayland finds the installed entry's icon by it
    file = open_settings()
    config = options.settings
    with Store(config.db_path) as store:
        seed_sample_if_empty(store)
        moved = (store.moved_aside, store.moved_aside_reason)
    context = WindowContext(
        config=config,
        settings=file,
        # What the Settings dialog shows and edits; the keyring is asked at first need.
        preferences=load_stored(file, keyring=False),
        offline=options.offline,
        image_dir=platformdirs.user_cache_path("dockview", appauthor=False) / "images",
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
    window.setWindowIcon(QApplication.windowIcon())
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
