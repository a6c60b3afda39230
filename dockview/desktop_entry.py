"""A place in the desktop's menu: the freedesktop entry, its icon and its AppStream metainfo,
written under the user's XDG data folder and pointing at the program that wrote them.

The entry is the bundled ``resources/<app id>.desktop`` with its ``Exec`` line set to this
program: the console script pip installed, the frozen executable, or ``python -m dockview``.
Files are written whole or not at all (a temporary file renamed over the old one).
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from dockview.bundled import APP_ID, resource_path
from dockview.errors import DockviewError

#: Characters that make an Exec argument need quotes (the Desktop Entry spec's reserved set).
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


@dataclass(frozen=True)
class DesktopFiles:
    """Where each file of the entry goes, under one XDG data folder."""

    data_home: Path

    @property
    def entry(self) -> Path:
        return self.data_home / "applications" / f"{APP_ID}.desktop"

    @property
    def icons(self) -> dict[str, Path]:
        """Bundled icon name → where the icon theme looks for it."""
        hicolor = self.data_home / "icons" / "hicolor"
        return {
            "dockview.svg": hicolor / "scalable" / "apps" / f"{APP_ID}.svg",
            "dockview-256.png": hicolor / "256x256" / "apps" / f"{APP_ID}.png",
        }

    @property
    def metainfo(self) -> Path:
        return self.data_home / "metainfo" / f"{APP_ID}.metainfo.xml"

    def all(self) -> list[Path]:
        return [self.entry, *self.icons.values(), self.metainfo]


def data_home() -> Path:
    """$XDG_DATA_HOME, or ~/.local/share as the XDG base directory spec says."""
    configured = os.environ.get("XDG_DATA_HOME", "")
    if configured and Path(configured).is_absolute():
        return Path(configured)
    return Path.home() / ".local" / "share"


def program_command() -> list[str]:
    """How to start this very program again: the frozen executable, the ``dockview`` script
    it was started as, or this Python with ``-m dockview``."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    started_as = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started_as is not None and started_as.stem == "dockview" and started_as.is_file():
        return [str(started_as.resolve())]
    return [str(Path(sys.executable).resolve()), "-m", "dockview"]


def exec_line(command: list[str]) -> str:
    """The Desktop Entry spec's quoting: reserved characters in double quotes, with ``"``,
    `` ` ``, ``$`` and ``\\`` escaped; and ``\\`` escaped again as a string value."""
    quoted = []
    for argument in command:
        if _RESERVED & set(argument):
            escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
            argument = f'"{escaped}"'
        quoted.append(argument.replace("\\", "\\\\"))
    return " ".join(quoted)


def entry_text(command: list[str]) -> str:
    """The bundled entry with ``Exec`` (and ``TryExec`` for a lone executable) set."""
    lines = []
    for line in resource_path(f"{APP_ID}.desktop").read_text("utf-8").splitlines():
        if line.startswith("Exec="):
            line = f"Exec={exec_line(command)}"
            if len(command) == 1:
                lines.append(f"TryExec={exec_line(command)}")
        lines.append(line)
    return "\n".join(lines) + "\n"


def install(home: Path | None = None) -> tuple[DesktopFiles, list[str]]:
    """Write the entry, the icons and the metainfo; returns where, and the command it runs."""
    _linux_only()
    files = DesktopFiles(home or data_home())
    command = program_command()
    _write(files.entry, entry_text(command).encode("utf-8"))
    for name, target in files.icons.items():
        _write(target, resource_path(name).read_bytes())
    _write(files.metainfo, resource_path(f"{APP_ID}.metainfo.xml").read_bytes())
    return files, command


def uninstall(home: Path | None = None) -> list[Path]:
    """Remove what :func:`install` wrote; returns what was there."""
    _linux_only()
    removed = []
    for path in DesktopFiles(home or data_home()).all():
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise DockviewError(f"Could not remove {path}: {exc.strerror}.") from exc
        removed.append(path)
    return removed


def _linux_only() -> None:
    if sys.platform in ("win32", "darwin"):
        raise DockviewError(
            "Desktop entries are for Linux and BSD desktops; on Windows and macOS, use the "
            "packaged program's own shortcut."
        )


def _write(target: Path, data: bytes) -> None:
    temporary: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            dir=target.parent, prefix=f".{target.name}.", delete=False
        ) as handle:
            temporary = handle.name
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except OSError as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise DockviewError(f"Could not write {target}: {exc.strerror}.") from exc
