"""The timeline's data, axis, viewport and layout modules never import Qt, not even through
the package: they import, and work, in a Python where PySide6 cannot be found."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QT_FREE = [
    f"dockview.ui.timeline.{name}"
    for name in ("lanes", "overlaps", "categories", "data", "axis", "viewport", "layout")
]

#: Runs in a fresh interpreter: PySide6 (and shiboken6 under it) cannot be found, then the
#: modules named on the command line are imported and used a little.
WITHOUT_QT = """
import importlib, sys

class NoQt:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ModuleNotFoundError(f"No module named {name!r} (hidden by the test)")
        return None

sys.meta_path.insert(0, NoQt())
for name in sys.argv[1:]:
    importlib.import_module(name)
if "dockview.ui.timeline.data" in sys.argv[1:]:
    from dockview.ui.timeline.data import TimelineData
    from dockview.ui.timeline.viewport import Viewport, fitting
    print(TimelineData([], 0.0).summary(), fitting(None, 0.0, Viewport(0.0, 1.0)).span > 0)
print(sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6")))
"""


def run_without_qt(*modules: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_QT, *modules],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"},
        timeout=120,
        check=False,
    )


def test_the_qt_free_timeline_modules_import_without_pyside6() -> None:
    result = run_without_qt(*QT_FREE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["0 dockings · 0 ports True", "[]"]


def test_the_widget_does_need_pyside6() -> None:
    """The hiding works: the view itself fails to import without PySide6."""
    result = run_without_qt("dockview.ui.timeline.view")
    assert result.returncode != 0
    assert "hidden by the test" in result.stderr
