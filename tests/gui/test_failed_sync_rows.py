"""What a failed or cancelled sync stored reaches the window with the next sync.

A sync commits each page as it goes, so one that fails halfway leaves new events in the cache.
The next sync finds them already stored and unchanged; the window must still be given them
(the soak test found events missing from the table until a restart).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QLabel

from dockview.ui.main_window import MainWindow
from ll2_loopback import LL2TestServer


def test_events_a_failed_sync_stored_show_after_the_next_sync(
    make_window: Callable[..., MainWindow],
    seeded_db: Path,
    ll2_server: LL2TestServer,
    qtbot: Any,
) -> None:
    window = make_window(seeded_db, api_url=ll2_server.base_url)
    summary = window.findChild(QLabel, "statusSummary")
    assert summary is not None
    ll2_server.inject("status", on_request=2)  # a 404 after the first page of 100 is stored
    with qtbot.waitSignal(window.syncFinished, timeout=30_000) as finished:
        window.sync_now()
    assert finished.args == [False]
    assert summary.text() == "Showing 10 of 10 events"
    qtbot.waitUntil(window.sync_action.isEnabled)
    with qtbot.waitSignal(window.syncFinished, timeout=30_000) as finished:
        window.sync_now()
    assert finished.args == [True]
    assert summary.text() == "Showing 570 of 570 events"
