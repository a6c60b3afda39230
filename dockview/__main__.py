"""Lets `python -m dockview` and the frozen program behave exactly like `dockview`."""

import os
import sys


def _attach_parent_console() -> None:
    """The frozen Windows program has no console window of its own (it is a window program),
    so `dockview.exe --version` typed in a terminal would print nowhere: borrow the terminal
    it was started from, if any."""
    if sys.platform != "win32" or not getattr(sys, "frozen", False) or sys.stdout is not None:
        return
    import ctypes

    attach_parent_process = -1
    if ctypes.windll.kernel32.AttachConsole(attach_parent_process):
        sys.stdout = open("CONOUT$", "w", encoding="utf-8")  # noqa: SIM115
        sys.stderr = open("CONOUT$", "w", encoding="utf-8")  # noqa: SIM115
    else:
        sys.stdout = sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115


_attach_parent_console()

from dockview.cli import main  # noqa: E402

sys.exit(main())
