"""Everything but the window imports, and the command line runs, in a Python where PySide6
cannot be imported: the cache, the API client, sync, export, the checks and statistics are
usable on a server with no Qt at all, and a module that pulls Qt in by accident is caught here.

Every module is found by walking the packages, so a new one is covered without a change here.
Qt by design, and so left out:
- ``dockview.ui`` and everything under it: the window and its widgets (QtWidgets), except the
  two package ``__init__`` files and the timeline's lanes, overlaps, categories, data, axis,
  viewport and layout modules (``TIMELINE_QT_FREE``), kept free of Qt so that they are tested
  without a widget.
- ``dockview.settings_file``: the settings file is Qt's own QSettings INI file, read with
  QtCore so the window and the command line agree on it; without Qt the command line runs on
  the command line, the environment and the defaults (``cli.stored_settings``).
- ``__main__`` modules are not imported (that would run the program); the command line is run
  instead, below.
"""

from __future__ import annotations

import json
import pkgutil
from pathlib import Path
from types import ModuleType

import dockview
import ll2_loopback
from ll2_loopback import LL2TestServer
from tests.without_qt import COMMAND_LINE, HIDDEN, IMPORT_EACH, run_without_qt

TIMELINE_QT_FREE = [
    f"dockview.ui.timeline.{name}"
    for name in ("lanes", "overlaps", "categories", "data", "axis", "viewport", "layout")
]
QT_FREE_UI = {"dockview.ui", "dockview.ui.timeline", *TIMELINE_QT_FREE}
QT_BY_DESIGN = {"dockview.settings_file"}


def modules_of(package: ModuleType) -> list[str]:
    found = pkgutil.walk_packages(package.__path__, f"{package.__name__}.")
    names = [package.__name__, *(info.name for info in found)]
    return [name for name in names if name.rsplit(".", 1)[-1] != "__main__"]


def qt_free_modules() -> list[str]:
    return [
        name
        for name in modules_of(dockview) + modules_of(ll2_loopback)
        if name not in QT_BY_DESIGN and (not name.startswith("dockview.ui") or name in QT_FREE_UI)
    ]


def test_every_qt_free_module_imports_without_pyside6() -> None:
    modules = qt_free_modules()
    # The walk finds the program's modules, not just a few: the core, the timeline's, the server's.
    assert {"dockview.store", "dockview.cli", "dockview.ui.timeline.layout"} <= set(modules)
    assert "ll2_loopback.server" in modules
    assert not any(name.startswith("dockview.ui.") for name in set(modules) - QT_FREE_UI)
    result = run_without_qt(IMPORT_EACH, *modules)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"failed": {}, "qt_loaded": []}


def test_the_qt_modules_do_fail_without_pyside6() -> None:
    """The hiding works: a module that needs Qt fails to import, saying so."""
    needs_qt = ["dockview.settings_file", "dockview.ui.main_window", "dockview.ui.timeline.view"]
    result = run_without_qt(IMPORT_EACH, *needs_qt)
    failed = json.loads(result.stdout)["failed"]
    assert sorted(failed) == sorted(needs_qt)
    assert all(HIDDEN in error for error in failed.values())


def test_the_command_line_syncs_and_exports_without_pyside6(
    ll2_server: LL2TestServer, db_path: Path, tmp_path: Path
) -> None:
    common = ["--db", str(db_path), "--api-url", ll2_server.base_url]
    synced = run_without_qt(COMMAND_LINE, "sync", *common)
    assert synced.returncode == 0, synced.stderr
    assert synced.stdout.startswith("Full sync: 570 new, 0 changed, 0 rejected")

    target = tmp_path / "docked-now.json"
    exported = run_without_qt(COMMAND_LINE, "export", *common, "--docked-now", "-o", str(target))
    assert exported.returncode == 0, exported.stderr
    document = json.loads(target.read_text("utf-8"))
    assert {event["id"] for event in document["results"]} == {
        event["id"] for event in ll2_server.events if event["departure"] is None
    }

    info = run_without_qt(COMMAND_LINE, "info", *common)
    assert info.returncode == 0, info.stderr
    assert "Events:           570 (" in info.stdout
