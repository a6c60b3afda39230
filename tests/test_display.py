"""No screen, or a missing system library: one sentence and exit 1, never Qt's abort."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dockview import display
from dockview.display import debian_package, screen_problem

NO_SCREEN_TIMEOUT = 30  # seconds; it answers in well under one, Qt is never loaded


def headless_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The test's environment without any display, and without pytest's marker (which turns
    off the Qt message handler, as pytest-qt captures Qt's messages itself)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "PYTEST_CURRENT_TEST")
    }
    env["DOCKVIEW_LOG_FILE"] = str(tmp_path / "dockview.log")
    env["XDG_RUNTIME_DIR"] = str(tmp_path)
    return {**env, **extra}


def run_dockview(env: dict[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dockview", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=NO_SCREEN_TIMEOUT,
        check=False,
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland only")
def test_no_display_is_one_sentence_and_exit_1(tmp_path: Path) -> None:
    done = run_dockview(headless_env(tmp_path), "--db", str(tmp_path / "cache.db"))
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert "DISPLAY" in lines[0] and "WAYLAND_DISPLAY" in lines[0]
    assert "gui --screenshot" in lines[0]
    assert not (tmp_path / "cache.db").exists()  # it stopped before touching anything


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland only")
def test_a_qt_fatal_message_reaches_the_terminal_and_exits_1(tmp_path: Path) -> None:
    """A display that is named but not there gets past the early check; Qt's fatal message
    then reaches stderr (and the log) as one sentence, and the exit is 1, not an abort."""
    env = headless_env(tmp_path, QT_QPA_PLATFORM="wayland", WAYLAND_DISPLAY="no-such-display")
    done = run_dockview(env, "--db", str(tmp_path / "cache.db"))
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("dockview: Qt stopped:"), done.stderr
    assert "wayland" in lines[0]
    assert "platform plugin" in (tmp_path / "dockview.log").read_text("utf-8")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="X11/Wayland only")
def test_a_screenshot_needs_no_screen(tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    done = run_dockview(
        headless_env(tmp_path),
        *("gui", "--offline", "--db", str(tmp_path / "c.db"), "--screenshot", str(shot)),
    )
    assert done.returncode == 0, done.stderr
    assert shot.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("platform", ["offscreen", "minimal", "vnc:size=800x600", "linuxfb"])
def test_platforms_that_draw_without_a_screen_pass(
    monkeypatch: pytest.MonkeyPatch, platform: str
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    assert screen_problem({"QT_QPA_PLATFORM": platform}) is None


def test_xcb_asked_for_without_display_names_display(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    problem = screen_problem({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"})
    assert problem is not None and "DISPLAY is not set" in problem


def test_a_missing_xcb_library_is_named_with_its_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """What the dynamic loader says when libxcb-cursor0 is missing, as a person reads it."""
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"")

    def loader_without_cursor(path: str) -> None:
        assert path == str(plugin)
        raise OSError("libxcb-cursor.so.0: cannot open shared object file: No such file")

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(display, "_xcb_plugin", lambda: plugin)
    monkeypatch.setattr(display.ctypes, "CDLL", loader_without_cursor)
    problem = screen_problem({"DISPLAY": ":0"})
    assert problem is not None
    assert "libxcb-cursor.so.0" in problem and "apt install libxcb-cursor0" in problem


def test_the_frozen_programs_wrapped_loader_error_is_read_too(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """PyInstaller's ctypes raises its own error, with the loader's as the cause."""
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(b"")

    def frozen_loader(path: str) -> None:
        try:
            raise OSError("libxcb-icccm.so.4: cannot open shared object file: No such file")
        except OSError as loader_error:
            raise OSError(f"Failed to load dynlib/dll {path!r}.") from loader_error

    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(display, "_xcb_plugin", lambda: plugin)
    monkeypatch.setattr(display.ctypes, "CDLL", frozen_loader)
    problem = screen_problem({"DISPLAY": ":0"})
    assert problem is not None and "apt install libxcb-icccm4" in problem


def test_windows_and_macos_are_not_second_guessed(monkeypatch: pytest.MonkeyPatch) -> None:
    for platform in ("win32", "darwin"):
        monkeypatch.setattr(sys, "platform", platform)
        assert screen_problem({}) is None


@pytest.mark.parametrize(
    ("library", "package"),
    [
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ],
)
def test_debian_package_names(library: str, package: str) -> None:
    assert debian_package(library) == package
