"""`dockview desktop-entry install|uninstall`: a menu entry and icon under $XDG_DATA_HOME."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dockview.bundled import APP_ID, resource_dir
from dockview.cli import EXIT_OK, main
from dockview.desktop_entry import exec_line

pytestmark = pytest.mark.skipif(
    sys.platform in ("win32", "darwin"), reason="freedesktop menus are for Linux and BSD"
)


def read_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_install_writes_entry_and_icons_pointing_at_this_program_and_uninstall_removes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    assert main(["desktop-entry", "install"]) == EXIT_OK
    entry_path = data / "applications" / f"{APP_ID}.desktop"
    assert capsys.readouterr().out.startswith(f"Added dockview to the menu: {entry_path} runs ")
    entry = read_entry(entry_path)
    # Run from pytest, "this program" is this Python with -m dockview.
    assert entry["Exec"] == exec_line([str(Path(sys.executable).resolve()), "-m", "dockview"])
    assert entry["Icon"] == APP_ID and entry["Type"] == "Application"
    svg = data / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    png = data / "icons" / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png"
    assert svg.read_bytes() == (resource_dir() / "dockview.svg").read_bytes()
    assert png.read_bytes().startswith(b"\x89PNG")
    assert (data / "metainfo" / f"{APP_ID}.metainfo.xml").is_file()

    assert main(["desktop-entry", "uninstall"]) == EXIT_OK
    assert capsys.readouterr().out == "Removed dockview from the menu (4 files).\n"
    assert [p for p in data.rglob("*") if p.is_file()] == []
    assert main(["desktop-entry", "uninstall"]) == EXIT_OK
    assert capsys.readouterr().out == "dockview had no menu entry for this user.\n"


def test_the_frozen_program_points_at_its_own_executable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = tmp_path / "My Apps" / "dockview"
    program.parent.mkdir()
    program.write_text("")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program))
    assert main(["desktop-entry", "install"]) == EXIT_OK
    entry = read_entry(tmp_path / "data" / "applications" / f"{APP_ID}.desktop")
    assert entry["Exec"] == f'"{program}"' == entry["TryExec"]


def test_a_pip_installed_script_is_what_the_entry_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "venv" / "bin" / "dockview"
    script.parent.mkdir(parents=True)
    script.write_text("#!/usr/bin/python\n")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(sys, "argv", [str(script), "desktop-entry", "install"])
    assert main(["desktop-entry", "install"]) == EXIT_OK
    entry = read_entry(tmp_path / "data" / "applications" / f"{APP_ID}.desktop")
    assert entry["Exec"] == str(script)


def test_an_unwritable_data_folder_is_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where a folder should be")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker))
    assert main(["desktop-entry", "install"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("dockview: Could not write ") and err.count("\n") == 1


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="no validator")
def test_the_installed_entry_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["desktop-entry", "install"]) == EXIT_OK
    entry = tmp_path / "applications" / f"{APP_ID}.desktop"
    done = subprocess.run(
        ["desktop-file-validate", str(entry)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and "error" not in done.stdout, done.stdout


@pytest.mark.skipif(shutil.which("appstreamcli") is None, reason="no validator")
def test_the_metainfo_is_valid() -> None:
    done = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(resource_dir() / f"{APP_ID}.metainfo.xml")],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout
