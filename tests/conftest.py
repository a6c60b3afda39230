"""Shared fixtures. Qt runs offscreen and logs go to a temporary file, set before Qt loads."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

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
