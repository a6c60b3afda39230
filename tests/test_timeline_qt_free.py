"""The timeline's data, axis, viewport and layout modules never import Qt, not even through
the package: they work in a Python where PySide6 cannot be found. (``test_qt_free`` checks
that they import there, with every other Qt-free module, and that the widget does not.)"""

from __future__ import annotations

from tests.test_qt_free import TIMELINE_QT_FREE
from tests.without_qt import run_without_qt

#: Builds the timeline's data for no rows and fits a viewport to it, then names the Qt modules
#: loaded by the end.
USE_THEM = """
import importlib
for name in sys.argv[1:]:
    importlib.import_module(name)
from dockview.ui.timeline.data import TimelineData
from dockview.ui.timeline.viewport import Viewport, fitting
print(TimelineData([], 0.0).summary(), fitting(None, 0.0, Viewport(0.0, 1.0)).span > 0)
print(sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6")))
"""


def test_the_qt_free_timeline_modules_work_without_pyside6() -> None:
    result = run_without_qt(USE_THEM, *TIMELINE_QT_FREE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["0 dockings · 0 ports True", "[]"]
