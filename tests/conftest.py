"""Shared fixtures. Qt runs offscreen and logs go to a temporary file, set before Qt loads."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from hypothesis.configuration import set_hypothesis_home_dir
from keyring.backend import KeyringBackend

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Child processes (python -m dockview ...) never reach the person's keyring either: keyring's
# "fail" backend answers that there is none.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

from PySide6.QtCore import QSettings

from dockview.sample import load_sample_page
from dockview.store import Store

pytest_plugins = ["tests.conftest_ll2"]


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("dockview soak", "the seeded soak of the main window (-k soak)")
    group.addoption(
        "--soak-seconds",
        type=float,
        help="how long the soak drives the window (default: DOCKVIEW_SOAK_SECONDS, else 20)",
    )
    group.addoption(
        "--soak-seed",
        type=int,
        help="the soak's random seed (default: DOCKVIEW_SOAK_SEED, else a fixed one)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "soak: the seeded soak of the real window (-m soak)")


def pytest_sessionstart(session: pytest.Session) -> None:
    """Hypothesis keeps its examples and caches in ./.hypothesis, some written while the tests
    are collected: put them in this run's temporary folder instead, as every test's files are
    (the folder tmp_path_factory hands out; its fixture is not available before collection)."""
    factory: pytest.TempPathFactory = session.config._tmp_path_factory  # type: ignore[attr-defined]
    set_hypothesis_home_dir(factory.mktemp("hypothesis"))


@pytest.fixture(autouse=True)
def _isolated_environment(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """No test reads the person's settings or writes into their home folder."""
    home = tmp_path_factory.mktemp("home")
    log_file = home / "dockview.log"
    monkeypatch.setenv("DOCKVIEW_LOG_FILE", str(log_file))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    for name in ("DOCKVIEW_API_URL", "DOCKVIEW_API_KEY", "DOCKVIEW_DB"):
        monkeypatch.delenv(name, raising=False)
    return log_file


class MemoryKeyring(KeyringBackend):
    """A keyring that lives in this test only."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such password")


@pytest.fixture(autouse=True)
def memory_keyring() -> MemoryKeyring:
    """No test reads or writes the person's keyring: each gets an empty one of its own."""
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture(autouse=True)
def _settings_in_tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """QSettings (the settings file the window and the command line read) writes into a fresh
    folder for each test, never the person's own."""
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture
def seed_events() -> list[dict[str, Any]]:
    """The 10 real 2.2.0 events the project was first described from (a fresh copy)."""
    return json.loads(json.dumps(load_sample_page()["results"]))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "dockview.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store(db_path) as opened:
        yield opened
