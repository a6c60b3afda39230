"""Python code run in a fresh interpreter where PySide6 (and shiboken6 under it) cannot be
imported, for the tests that check which modules and which commands need no Qt.

A fresh interpreter, because this one has long imported Qt; a finder at the head of
``sys.meta_path`` that refuses the names, because uninstalling PySide6 is not an option here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: What an import of PySide6 or shiboken6 fails with; tests look for it in the error output.
HIDDEN = "hidden by the test"

HIDE_QT = f"""
import sys

class _NoQt:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6"):
            raise ModuleNotFoundError(f"No module named {{name!r}} ({HIDDEN})")
        return None

sys.meta_path.insert(0, _NoQt())
"""

#: Imports each module named on the command line, and prints, as JSON, those that failed (with
#: the error) and the Qt modules loaded by the end (none, when the hiding works).
IMPORT_EACH = """
import importlib, json
failed = {}
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception as exc:
        failed[name] = f"{type(exc).__name__}: {exc}"
qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6"))
print(json.dumps({"failed": failed, "qt_loaded": qt}))
"""

#: Runs ``python -m dockview`` with the arguments given.
COMMAND_LINE = """
import runpy
sys.argv = ["dockview", *sys.argv[1:]]
runpy.run_module("dockview", run_name="__main__", alter_sys=True)
"""


def run_without_qt(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` with ``args`` as ``sys.argv[1:]``, in this test's environment (its own
    settings, data and log folders) with this checkout first on the path."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-c", HIDE_QT + code, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=environment,
        timeout=120,
        check=False,
    )
