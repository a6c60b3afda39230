"""One sync's end, whichever comes first: the worker's thread ending or its outcome applied.

A sync's outcome is applied over two turns of the event loop while the worker's thread ends on
its own schedule. These tests hold the thread at a chosen point to force each order, and
check that the window hears of the end once, idle, and can sync again straight away.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QThread
from PySide6.QtWidgets import QApplication

from dockview.ui.main_window import MainWindow
from dockview.ui.sync_controller import SyncState
from dockview.ui.sync_worker import SyncOutcome, SyncRequest, SyncWorker
from ll2_loopback import LL2TestServer

MakeWindow = Callable[..., MainWindow]


def worker_held_after_reporting(let_go: threading.Event, order: list[str]) -> type[SyncWorker]:
    """A real sync whose thread stays alive after it reported, until ``let_go`` is set; it
    notes "thread let go" in ``order`` just before its thread ends."""

    class HeldWorker(SyncWorker):
        def __init__(self, request: SyncRequest) -> None:
            super().__init__(request)
            # Called in the worker's thread as it says ``done``, so the thread cannot end
            # before the test lets it. (Overriding ``run`` would not do: PySide then calls
            # it on the GUI thread.) Once let go, the thread ends on its own, even while the
            # GUI thread waits for it.
            self.done.connect(self._held, Qt.ConnectionType.DirectConnection)

        def _held(self) -> None:
            let_go.wait(30)
            order.append("thread let go")
            QThread.currentThread().quit()

    return HeldWorker


@pytest.mark.parametrize("thread_ends", ["before", "after"])
def test_a_sync_finishes_once_and_idle_whether_its_thread_ends_before_or_after_the_outcome(
    make_window: MakeWindow,
    seeded_db: Path,
    ll2_server: LL2TestServer,
    qtbot: Any,
    thread_ends: str,
) -> None:
    window = make_window(seeded_db, api_url=ll2_server.base_url)
    controller = window.sync_controller
    let_go = threading.Event()
    order: list[str] = []
    controller.worker_type = worker_held_after_reporting(let_go, order)
    heard: list[tuple[bool, bool, bool]] = []
    window.syncFinished.connect(
        lambda ok: heard.append((ok, window.syncing, window.sync_action.isEnabled()))
    )
    controller.succeeded.connect(lambda _outcome: order.append("outcome applied"))

    assert window.sync_now()
    thread = controller.findChild(QThread)
    assert thread is not None

    def end_thread_first(_outcome: SyncOutcome) -> None:
        # Between the rows and the rest of the outcome: the thread ends, and its
        # ``finished`` is queued to the controller ahead of the outcome's second step.
        controller.rowsArrived.disconnect(end_thread_first)  # this first sync only
        let_go.set()
        assert thread.wait(10_000)

    if thread_ends == "before":
        controller.rowsArrived.connect(end_thread_first)
        with qtbot.waitSignal(window.syncFinished, timeout=30_000):
            pass
        assert order == ["thread let go", "outcome applied"]
    else:
        with qtbot.waitSignal(controller.succeeded, timeout=30_000):
            pass
        # The outcome is in the window, the thread still runs: not finished, not idle.
        assert window.sync_label.text().startswith("Synced at ")
        assert window.model.rowCount() == 570
        assert heard == [] and window.syncing and controller.state is SyncState.RUNNING
        assert not window.sync_now()  # one sync at a time
        with qtbot.waitSignal(window.syncFinished, timeout=10_000):
            let_go.set()
        assert order == ["outcome applied", "thread let go"]

    assert heard == [(True, False, True)]
    assert controller.state is SyncState.IDLE
    assert window.sync_label.text().startswith("Synced at ")
    assert not window.cancel_button.isVisibleTo(window)

    # The next sync starts from the finished handler's state, and ends once too: had the
    # first sync said "finished" twice, the second would have been heard by now.
    with qtbot.waitSignal(window.syncFinished, timeout=30_000) as second:
        assert window.sync_now()
    assert second.args == [True]
    assert heard == [(True, False, True), (True, False, True)]


def test_a_failed_sync_finishes_once_idle_after_its_thread_ends(
    make_window: MakeWindow, seeded_db: Path, ll2_server: LL2TestServer, qtbot: Any
) -> None:
    from dockview.sync import sync_lock

    window = make_window(seeded_db, api_url=ll2_server.base_url)
    controller = window.sync_controller
    let_go = threading.Event()
    controller.worker_type = worker_held_after_reporting(let_go, [])
    heard: list[tuple[bool, bool]] = []
    window.syncFinished.connect(lambda ok: heard.append((ok, window.syncing)))
    with sync_lock(seeded_db), qtbot.waitSignal(controller.failed, timeout=10_000):
        assert window.sync_now()
    assert window.sync_label.text().startswith("Sync failed: Another dockview is syncing")
    assert heard == [] and window.syncing
    with qtbot.waitSignal(window.syncFinished, timeout=10_000):
        let_go.set()
    assert heard == [(False, False)]
    assert window.retry_button.isVisibleTo(window)


def test_cancel_says_so_then_the_sync_ends_cancelled(
    make_window: MakeWindow, seeded_db: Path, ll2_server: LL2TestServer, qtbot: Any
) -> None:
    ll2_server.inject("slow", delay=20, on_request=1)
    window = make_window(seeded_db, api_url=ll2_server.base_url)
    assert window.sync_now()
    assert window.sync_label.text() == "Syncing…"
    window.cancel_sync()
    assert window.sync_label.text() == "Cancelling…"
    assert window.sync_controller.state is SyncState.CANCELLING
    assert not window.cancel_action.isEnabled()
    with qtbot.waitSignal(window.syncFinished, timeout=30_000) as finished:
        ll2_server.stop()  # ends the slow answer at once
    assert finished.args == [False]
    assert window.sync_label.text() == "Sync cancelled; it continues where it stopped next time."
    assert window.sync_action.isEnabled() and not window.syncing


def test_closing_the_window_during_a_sync_stops_it_and_reports_nothing(
    make_window: MakeWindow, seeded_db: Path, ll2_server: LL2TestServer, qtbot: Any
) -> None:
    ll2_server.inject("slow", delay=20, on_request=1)
    window = make_window(seeded_db, api_url=ll2_server.base_url)
    window.show()
    heard: list[bool] = []
    window.syncFinished.connect(heard.append)
    assert window.sync_now()
    thread = window.sync_controller.findChild(QThread)
    assert thread is not None
    ll2_server.stop()  # ends the slow answer at once
    window.close()
    assert not window.isVisible()
    assert thread.isFinished()
    QApplication.processEvents()  # whatever the worker said before its thread ended
    assert heard == []
    assert window.sync_label.text() == "Syncing…"


def test_the_status_bar_counts_down_a_wait_then_says_what_the_sync_brought(
    make_window: MakeWindow, seeded_db: Path, ll2_server: LL2TestServer, qtbot: Any
) -> None:
    ll2_server.inject("503", on_request=1)
    window = make_window(seeded_db, api_url=ll2_server.base_url)
    progress = window.sync_status.progress
    with qtbot.waitSignal(
        window.sync_controller.waiting,
        check_params_cb=lambda seconds_left, _reason: seconds_left > 0,
        timeout=15_000,
    ):
        assert window.sync_now()
    assert window.sync_label.text() == "No good answer; going on in 2 s"
    assert window.cancel_button.isVisibleTo(window) and progress.isVisibleTo(window)
    assert not window.retry_button.isVisibleTo(window)
    with qtbot.waitSignal(window.syncFinished, timeout=30_000) as finished:
        pass
    assert finished.args == [True]
    assert window.sync_label.text().startswith("Synced at ")
    assert not window.cancel_button.isVisibleTo(window) and not progress.isVisibleTo(window)
