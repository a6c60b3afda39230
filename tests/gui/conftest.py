"""Window fixtures: a cache holding the 10 real seed events, settings in a temporary folder."""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from dockview.config import resolve_settings
from dockview.records import parse_events
from dockview.settings_file import load_stored, open_settings
from dockview.store import Store
from dockview.ui.app import WindowOptions, build_window
from dockview.ui.main_window import MainWindow

UNREACHABLE = "http://127.0.0.1:9/2.2.0"


@pytest.fixture
def open_seed(seed_events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The seed events, with Soyuz MS-27 (620) made still docked, as it was in April 2025."""
    events = copy.deepcopy(seed_events)
    soyuz = next(e for e in events if e["id"] == 620)
    soyuz["departure"] = None
    soyuz["flight_vehicle"]["mission_end"] = None
    return events


@pytest.fixture
def seeded_db(db_path: Path, open_seed: list[dict[str, Any]]) -> Path:
    with Store(db_path) as store:
        events, _ = parse_events(open_seed)
        store.write_page(events, source_url="https://ll.thespacedevs.com/2.2.0")
        store.set_state("last_sync", {"finished_at": "2026-11-26T09:00:00Z", "kind": "full"})
    return db_path


@pytest.fixture
def make_window(qtbot: Any) -> Iterator[Callable[..., MainWindow]]:
    made: list[MainWindow] = []

    def make(
        db_path: Path,
        api_url: str = UNREACHABLE,
        api_key: str | None = None,
        url_from: str = "command line",
        **options: Any,
    ) -> MainWindow:
        """``api_key`` as DOCKVIEW_API_KEY would give it; ``url_from="settings"``: the URL as
        if saved in the Settings dialog."""
        stored = load_stored(open_settings())
        if url_from == "settings":
            stored = dataclasses.replace(stored, api_url=api_url)
        settings = resolve_settings(
            db_path=db_path,
            api_url=api_url if url_from == "command line" else None,
            environ={"DOCKVIEW_API_KEY": api_key} if api_key else {},
            stored=stored,
        )
        window = build_window(WindowOptions(settings=settings, **options))
        qtbot.addWidget(window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.shutdown()
