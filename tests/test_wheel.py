"""The wheel carries resources/: installed from it, a fresh cache is seeded with the 10 bundled
sample events and the window's icon is found, with no checkout in sight. An editable install
finds them in the checkout."""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parent.parent
BUILD_TIMEOUT = 300  # seconds; pip sets up its build environment from the package index


@pytest.fixture(scope="module")
def source_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the checkout: building must not leave build/ or egg-info in it."""
    source = tmp_path_factory.mktemp("wheel") / "source"
    shutil.copytree(
        CHECKOUT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".hypothesis", "tests"
        ),
    )
    return source


def fresh_venv(folder: Path) -> list[str]:
    """An empty virtual environment whose dependencies are this environment's (through a .pth
    file); returns the pip command that installs into it."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    venv_site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(venv_site, "outer.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    return [sys.executable, "-m", "pip", "--python", str(python)]


def pip_install(pip: list[str], *what: str) -> None:
    done = subprocess.run(
        # --ignore-installed: the dependencies come through outer.pth, and where they come
        # from a dockview installed from this checkout (as CI installs it), pip would take
        # that one as already there and install nothing.
        [*pip, "install", "-q", "--no-deps", "--ignore-installed", *what],
        env=without_checkout(),  # else pip may take the checkout for an installed dockview
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"dockview could not be built here: {done.stderr.strip()[-300:]}")


@pytest.fixture(scope="module")
def installed_wheel(source_copy: Path) -> Path:
    """A fresh virtual environment with only the wheel installed; returns its ``dockview``."""
    work = source_copy.parent
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(work),
            str(source_copy),
        ],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    if built.returncode != 0:
        pytest.skip(f"the wheel could not be built here: {built.stderr.strip()[-300:]}")
    wheel = next(work.glob("dockview-*.whl"))
    pip_install(fresh_venv(work / "venv"), str(wheel))
    return work / "venv" / "bin" / "dockview"


def without_checkout() -> dict[str, str]:
    """This environment without PYTHONPATH: the checkout must not be importable."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTEST_CURRENT_TEST")}


def clean_env(tmp_path: Path) -> dict[str, str]:
    """No checkout on the path, and a home of its own."""
    env = without_checkout()
    env.update(
        HOME=str(tmp_path),
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        XDG_CACHE_HOME=str(tmp_path / "cache"),
        DOCKVIEW_LOG_FILE=str(tmp_path / "dockview.log"),
        QT_QPA_PLATFORM="offscreen",
    )
    return env


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX virtual environment layout")
def test_the_installed_wheel_seeds_the_sample_and_finds_its_icon(
    installed_wheel: Path, tmp_path: Path
) -> None:
    env = clean_env(tmp_path)
    info = subprocess.run(
        [installed_wheel, "info", "--json"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    shown = json.loads(info.stdout)
    assert (shown["events"], shown["sample"]) == (10, 10)
    shot = tmp_path / "shot.png"
    subprocess.run(
        [installed_wheel, "gui", "--offline", "--screenshot", str(shot)],
        env=env,
        cwd=tmp_path,
        check=True,
        timeout=120,
    )
    assert shot.read_bytes().startswith(b"\x89PNG")
    log = (tmp_path / "dockview.log").read_text("utf-8")
    assert "window icon: dockview.svg" in log
    where = subprocess.run(
        [installed_wheel.parent / "python", "-c", "import dockview; print(dockview.__file__)"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert not where.startswith(str(CHECKOUT))  # the wheel's copy, not the checkout


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX virtual environment layout")
def test_an_editable_install_finds_resources_in_the_checkout(
    source_copy: Path, tmp_path: Path
) -> None:
    pip_install(fresh_venv(tmp_path / "venv"), "-e", str(source_copy))
    info = subprocess.run(
        [tmp_path / "venv" / "bin" / "dockview", "info", "--json"],
        env=clean_env(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    shown = json.loads(info.stdout)
    assert (shown["events"], shown["sample"]) == (10, 10)
