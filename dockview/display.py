"""Whether the window can open here, asked before Qt is: Qt aborts the process when it finds no
usable platform plugin, and says why only in its own messages.

Qt-free on purpose: it runs before PySide6's libraries are loaded, and ``sync``, ``export``,
``info`` and ``gui --screenshot`` never need it.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path

#: Qt platform plugins that draw without a window system (nothing to connect to).
NO_SCREEN_PLATFORMS = frozenset(
    {"offscreen", "minimal", "minimalegl", "vnc", "linuxfb", "eglfs", "vkkhrdisplay"}
)

WAY_OUT = "`dockview sync`, `export`, `info` and `gui --screenshot FILE.png` work without a screen"

_MISSING_LIBRARY = re.compile(r"^(?P<name>lib[\w+.-]+?\.so(?:\.\d+)*): cannot open shared object")


def chosen_platform(environ: Mapping[str, str]) -> str:
    """The first platform QT_QPA_PLATFORM names ("xcb:option;wayland" → "xcb"), or ""."""
    first = environ.get("QT_QPA_PLATFORM", "").split(";")[0]
    return first.split(":")[0].strip().lower()


def screen_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """One sentence on why the window cannot open here, or None when it probably can.

    Only X11 and Wayland desktops are checked (Linux and the BSDs); Windows and macOS always
    have a screen for a program a person starts.
    """
    env = os.environ if environ is None else environ
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None
    platform = chosen_platform(env)
    if platform in NO_SCREEN_PLATFORMS:
        return None
    has_x11 = bool(env.get("DISPLAY"))
    has_wayland = bool(env.get("WAYLAND_DISPLAY"))
    if platform == "xcb" and not has_x11:
        return (
            "There is no X11 display to open the window on (DISPLAY is not set, and "
            f"QT_QPA_PLATFORM asks for xcb); {WAY_OUT}."
        )
    if platform in ("", "wayland") and not (has_x11 or has_wayland):
        return (
            "There is no screen to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is "
            f"set); {WAY_OUT}."
        )
    if platform == "xcb" or (platform == "" and has_x11 and not has_wayland):
        missing = missing_xcb_library()
        if missing is not None:
            return (
                f"The window cannot open: Qt's X11 support needs the system library {missing}, "
                f"which is not installed (on Debian and Ubuntu: apt install "
                f"{debian_package(missing)}); {WAY_OUT}."
            )
    return None


def missing_xcb_library() -> str | None:
    """The first system library Qt's xcb plugin cannot load, found by loading the plugin the
    way Qt would (the dynamic loader names what it lacks); None when it loads or is not there.
    """
    plugin = _xcb_plugin()
    if plugin is None:
        return None
    try:
        ctypes.CDLL(str(plugin))
    except OSError as exc:
        # The frozen program's ctypes wraps the loader's error in one of its own.
        for error in (exc, exc.__cause__):
            match = _MISSING_LIBRARY.match(str(error or ""))
            if match:
                return match.group("name")
    return None


def _xcb_plugin() -> Path | None:
    """Qt's xcb plugin inside PySide6, found without importing it (the frozen program keeps
    PySide6 beside its executable, in PyInstaller's folder)."""
    folders = [Path(bundle) / "PySide6"] if (bundle := getattr(sys, "_MEIPASS", None)) else []
    spec = importlib.util.find_spec("PySide6")
    if spec is not None and spec.submodule_search_locations:
        folders += [Path(folder) for folder in spec.submodule_search_locations]
    for folder in folders:
        plugin = folder / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def debian_package(library: str) -> str:
    """The usual Debian/Ubuntu package of a library: libxcb-cursor.so.0 → libxcb-cursor0."""
    name, _, version = library.partition(".so")
    version = version.lstrip(".").split(".")[0]
    if not version:
        return name
    return f"{name}-{version}" if name[-1].isdigit() else f"{name}{version}"


def offscreen_if_headless() -> None:
    """A screenshot needs no screen: use Qt's offscreen platform when the window could not
    open here (no display, or a system library the window system's plugin needs is missing)."""
    if screen_problem() is not None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
