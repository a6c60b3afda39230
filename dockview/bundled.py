"""Where the bundled files live: the sample, the icons, the desktop entry and its metainfo.

They sit in the top-level ``resources/`` folder of the checkout. The wheel carries them inside
the package as ``dockview/resources/`` (pyproject.toml maps that package onto the folder), and
the frozen program puts them in the same place (dockview.spec), so one lookup serves all four
ways of running: wheel and frozen find ``dockview/resources/``; a run from the checkout and an
editable install (whose ``dockview/`` is the checkout's) find ``resources/`` beside it.
"""

from __future__ import annotations

from pathlib import Path

import dockview
from dockview.errors import DockviewError

#: The reverse-DNS name the desktop entry, its icon and the AppStream metainfo are filed under.
APP_ID = "io.github.dockview.Dockview"

_PACKAGE = Path(dockview.__file__).resolve().parent
_CANDIDATES = (_PACKAGE / "resources", _PACKAGE.parent / "resources")


def resource_dir() -> Path:
    """The folder holding the bundled files; the first candidate that holds the sample."""
    for folder in _CANDIDATES:
        if (folder / "sample_events.json").is_file():
            return folder
    places = " or ".join(str(folder) for folder in _CANDIDATES)
    raise DockviewError(
        f"dockview's bundled files are missing (looked in {places}); reinstall dockview."
    )


def resource_path(name: str) -> Path:
    """One bundled file by name (it may not exist: the caller decides what that means)."""
    return resource_dir() / name
