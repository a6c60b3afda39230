"""The window benchmarks, run inside a child process on Qt's offscreen platform.

Why the figures are taken this way:
- Start: the kernel's start time of the process to the end of the first paint of the table's
  viewport that shows rows (an event filter notices the paint; a zero timer fires once it has
  finished). The baseline is the same for an empty QMainWindow: Qt's own floor.
- Sort and filter: the call a person's click makes (``EventFilterProxy.sort``, the station
  combo's ``setCurrentIndex``, a typed character) plus ``processEvents()``, so the repaint of
  the reordered table is in the figure too. Fast actions are repeated and the median kept.
- Search: the filter bar's debounce timer is wrapped so that the moment it fires is known;
  the figure is from that moment to the repainted table, and the total counts the keystroke.
- Block: a 10 ms timer on the GUI thread; its longest gap while ``sync_now()`` runs (worker
  thread, merge into the model, repaint) is the longest time the window could not react.
- Nothing here imports dockview at module level: the empty-window baseline must not pay for it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QEventLoop, QObject, QSortFilterProxyModel, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from bench.protocol import emit, process_age, status_kb

if TYPE_CHECKING:
    from dockview.ui.main_window import MainWindow

#: The International Space Station's LL2 id: the busiest entry of the station filter.
ISS_ID = 4
#: What the search benchmark types: the first letter of "dragon".
SEARCH_CHARACTER = "d"
#: Fast actions are repeated up to this many times; one slower than REPEAT_BELOW is not.
REPEATS = 3
REPEAT_BELOW = 0.3
#: Where the window would sync from when a benchmark must not touch the network.
UNREACHABLE = "http://127.0.0.1:9/2.2.0"


def _app() -> QApplication:
    app = QApplication.instance()
    return app if isinstance(app, QApplication) else QApplication([])


def settle(seconds: float) -> None:
    """Run the event loop for a while (timers, paints, queued signals)."""
    loop = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), loop.quit)
    loop.exec()


class PaintWatch(QObject):
    """Notices the first paint of a widget once ``ready()`` holds, and when it has finished."""

    def __init__(self, ready: Callable[[], bool]) -> None:
        super().__init__()
        self.ready = ready
        self.loop = QEventLoop()
        self.event_at: float | None = None
        self.done_at: float | None = None
        self.age: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.event_at is None and event.type() == QEvent.Type.Paint and self.ready():
            self.event_at = time.perf_counter()
            # Runs after this paint event has been handled, i.e. once the rows are drawn.
            QTimer.singleShot(0, self._painted)
        return False

    def _painted(self) -> None:
        self.done_at = time.perf_counter()
        self.age = process_age()
        self.loop.quit()


def open_window(db: Path, api_url: str | None) -> MainWindow:
    """The window as ``dockview`` builds it; offline unless a server is given."""
    from dockview.config import resolve_settings
    from dockview.ui.app import WindowOptions, build_window

    options = WindowOptions(
        settings=resolve_settings(db_path=db, api_url=api_url or UNREACHABLE, environ={}),
        offline=api_url is None,
    )
    return build_window(options)


def show_and_wait(window: QWidget, target: QWidget, ready: Callable[[], bool]) -> PaintWatch:
    watch = PaintWatch(ready)
    target.installEventFilter(watch)
    window.show()
    watch.loop.exec()
    target.removeEventFilter(watch)
    return watch


def _median(samples: list[float]) -> float:
    return statistics.median(samples)


# -- start and memory --------------------------------------------------------------------------


def window_mode(names: list[str], args: argparse.Namespace, top: float) -> int:
    """First painted rows since process start; then, if asked, the peak resident set size."""
    emit("begin", "first_paint")  # the measurement began with the process
    _app()
    main: MainWindow | None = None
    window: QWidget
    target: QWidget
    if args.empty:
        window = target = QMainWindow()
        window.setWindowTitle("empty")
        window.resize(1360, 820)
    else:
        window = main = open_window(args.db, None)
        target = main.table.viewport()

    def ready() -> bool:
        return main is None or main.proxy.rowCount() > 0

    watch = show_and_wait(window, target, ready)
    rows = main.proxy.rowCount() if main is not None else 0
    assert watch.done_at is not None and watch.event_at is not None
    emit(
        "result",
        "first_paint",
        {
            "seconds": watch.age,
            "since_top": watch.done_at - top,
            "paint_event_since_top": watch.event_at - top,
            "rows": rows,
            "vm_hwm_kb": status_kb("VmHWM"),
        },
    )
    if "peak_rss" in names:
        emit("begin", "peak_rss")
        settle(0.5)
        if main is not None:
            main.table.scrollToBottom()
            settle(0.2)
            main.table.scrollToTop()
            settle(0.2)
        emit(
            "result",
            "peak_rss",
            {"vm_hwm_kb": status_kb("VmHWM"), "vm_rss_kb": status_kb("VmRSS"), "rows": rows},
        )
    if main is not None:
        main.shutdown()
    return 0


# -- sort and filter ---------------------------------------------------------------------------


class Interact:
    """Sort and filter measurements on one shown window, in the order they are asked for."""

    def __init__(self, window: MainWindow) -> None:
        from dockview.ui.event_model import COLUMN_INDEX, Column

        self.app = _app()
        self.window = window
        self.proxy = window.proxy
        self.model = window.model
        self.docking = COLUMN_INDEX[Column.DOCKING]
        self.docking_column = Column.DOCKING
        self.reset_samples: list[float] = []

    def timed(self, action: Callable[[], object]) -> float:
        """The action and the paint it causes (posted events are handled by processEvents)."""
        started = time.perf_counter()
        action()
        self.app.processEvents()
        return time.perf_counter() - started

    def run(self, name: str) -> dict[str, Any]:
        measurements: dict[str, Callable[[], dict[str, Any]]] = {
            "sort_asc": lambda: self.sort(Qt.SortOrder.AscendingOrder),
            "sort_desc": lambda: self.sort(Qt.SortOrder.DescendingOrder),
            "plain_sort": self.plain_sort,
            "sort_floor": self.sort_floor,
            "station": self.station,
            "station_reset": self.station_reset,
            "docked_now": self.docked_now,
            "search": self.search,
            "sort_text": self.sort_text,
        }
        return measurements[name]()

    # sorting

    def _docking_at(self, proxy_row: int) -> float | None:
        event_id = self.proxy.event_id_at(proxy_row)
        source_row = self.model.row_for_id(event_id) if event_id is not None else None
        return self.model.event_at(source_row).docking_ts if source_row is not None else None

    def _is_ordered(self, order: Qt.SortOrder) -> bool | None:
        """A sanity check that the sort did what it should (first vs last row)."""
        count = self.proxy.rowCount()
        try:
            first, last = self._docking_at(0), self._docking_at(count - 1)
        except (AttributeError, IndexError, TypeError):
            return None
        if first is None or last is None:
            return None
        return first <= last if order == Qt.SortOrder.AscendingOrder else first >= last

    def sort(self, order: Qt.SortOrder) -> dict[str, Any]:
        other = (
            Qt.SortOrder.DescendingOrder
            if order == Qt.SortOrder.AscendingOrder
            else Qt.SortOrder.AscendingOrder
        )
        samples = [self.timed(lambda: self.proxy.sort(self.docking, order))]
        while len(samples) < REPEATS and samples[-1] <= REPEAT_BELOW:
            self.timed(lambda: self.proxy.sort(self.docking, other))
            samples.append(self.timed(lambda: self.proxy.sort(self.docking, order)))
        return {
            "seconds": _median(samples),
            "samples": samples,
            "ordered": self._is_ordered(order),
            "rows": self.proxy.rowCount(),
        }

    def sort_text(self) -> dict[str, Any]:
        """Another kind of sort: a text column, case-folded keys."""
        from dockview.ui.event_model import COLUMN_INDEX, Column

        column = COLUMN_INDEX[Column.SPACECRAFT]
        samples = []
        for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder) * 2:

            def click(order: Qt.SortOrder = order) -> None:
                self.proxy.sort(column, order)

            samples.append(self.timed(click))
        return {"seconds": _median(samples), "samples": samples, "rows": self.proxy.rowCount()}

    def _sort_role(self) -> int:
        """The model's sort-key role, so the plain proxy compares the window's own keys."""
        try:
            from dockview.ui.event_model import EventRole

            return int(EventRole.SORT_KEY)
        except (ImportError, AttributeError):
            return int(Qt.ItemDataRole.DisplayRole)

    def plain_sort(self) -> dict[str, Any]:
        """Qt's default sort over the same source model: ``data()`` twice per comparison."""
        role = self._sort_role()
        plain = QSortFilterProxyModel()
        plain.setSortRole(role)
        plain.setSourceModel(self.model)
        started = time.perf_counter()
        plain.sort(self.docking, Qt.SortOrder.AscendingOrder)
        seconds = time.perf_counter() - started
        count = plain.rowCount()
        first = plain.index(0, self.docking).data(role)
        last = plain.index(count - 1, self.docking).data(role)
        del plain  # no Qt parent: Python owns it, so this deletes it now
        return {"seconds": seconds, "rows": count, "ordered": first <= last}

    def sort_floor(self) -> dict[str, Any]:
        """Python's sorted() over keys computed beforehand: what a sort cannot beat by much."""
        rows = self.model.rows
        try:
            keys = [self.model.sort_key(row, self.docking_column) for row in rows]
        except AttributeError:
            keys = [row.docking_ts for row in rows]
        # The rows arrive in docking order, which Python's sort finds in one pass; the same
        # keys shuffled show what an unordered column costs.
        shuffled = list(keys)
        random.Random(0).shuffle(shuffled)
        samples: list[float] = []
        shuffled_samples: list[float] = []
        for _ in range(5):
            for column, times in ((keys, samples), (shuffled, shuffled_samples)):
                started = time.perf_counter()
                sorted(range(len(column)), key=column.__getitem__)
                times.append(time.perf_counter() - started)
        return {
            "seconds": _median(samples),
            "samples": samples,
            "shuffled_seconds": _median(shuffled_samples),
            "rows": len(keys),
        }

    # filtering

    def _floor(self, accept: Callable[[Any], bool]) -> float | None:
        """A list comprehension over the row objects: the filter's Python floor."""
        rows = self.model.rows
        samples = []
        try:
            for _ in range(5):
                started = time.perf_counter()
                [row for row in rows if accept(row)]
                samples.append(time.perf_counter() - started)
        except AttributeError:
            return None
        return _median(samples)

    def _station_index(self) -> int:
        combo = self.window.filter_bar.station_filter
        found = combo.findData(ISS_ID)
        return found if found > 0 else min(1, combo.count() - 1)

    def station(self) -> dict[str, Any]:
        combo = self.window.filter_bar.station_filter
        index = self._station_index()
        station_id = combo.itemData(index)
        if combo.currentIndex() != 0:
            self.timed(lambda: combo.setCurrentIndex(0))
        samples = [self.timed(lambda: combo.setCurrentIndex(index))]
        while len(samples) < REPEATS and samples[-1] <= REPEAT_BELOW:
            self.reset_samples.append(self.timed(lambda: combo.setCurrentIndex(0)))
            samples.append(self.timed(lambda: combo.setCurrentIndex(index)))
            if self.reset_samples[-1] > REPEAT_BELOW:
                break
        return {
            "seconds": _median(samples),
            "samples": samples,
            "rows": self.proxy.rowCount(),
            "station": combo.itemText(index),
            "floor_seconds": self._floor(lambda row: row.station_id == station_id),
        }

    def station_reset(self) -> dict[str, Any]:
        combo = self.window.filter_bar.station_filter
        if combo.currentIndex() == 0:
            self.timed(lambda: combo.setCurrentIndex(self._station_index()))
        self.reset_samples.append(self.timed(lambda: combo.setCurrentIndex(0)))
        return {
            "seconds": _median(self.reset_samples),
            "samples": list(self.reset_samples),
            "rows": self.proxy.rowCount(),
            "floor_seconds": self._floor(lambda row: True),
        }

    def docked_now(self) -> dict[str, Any]:
        toggle = self.window.filter_bar.docked_now_toggle
        samples: list[float] = []
        off: list[float] = []
        for _ in range(REPEATS):
            samples.append(self.timed(lambda: toggle.setChecked(True)))
            rows = self.proxy.rowCount()
            off.append(self.timed(lambda: toggle.setChecked(False)))
            if samples[-1] > REPEAT_BELOW:
                break
        return {
            "seconds": _median(samples),
            "samples": samples,
            "off_samples": off,
            "rows": rows,
            "floor_seconds": self._floor(lambda row: row.docked_now),
        }

    def _keystroke(self) -> dict[str, Any]:
        """Type one character and follow it through the debounce to the repainted table."""
        from PySide6.QtTest import QTest

        bar = self.window.filter_bar
        field = bar.search_field
        timer: QTimer | None = getattr(bar, "_debounce", None)
        apply: Callable[[], None] | None = getattr(bar, "_apply_search", None)
        stamps: dict[str, float] = {}
        if timer is None or apply is None:
            # Debounce internals renamed: apply at once and add the interval by arithmetic.
            stamps["key"] = time.perf_counter()
            QTest.keyClicks(field, SEARCH_CHARACTER)
            stamps["fired"] = time.perf_counter()
            bar.flush_search()
            self.app.processEvents()
            stamps["painted"] = time.perf_counter()
            after = stamps["painted"] - stamps["fired"]
            return {"after_debounce": after, "total": after + 0.2, "exact": False}
        loop = QEventLoop()
        try:
            timer.timeout.disconnect(apply)
            wrapped = True
        except (RuntimeError, TypeError):
            wrapped = False  # then our slot runs after the filter bar's own

        def fired() -> None:
            stamps["fired"] = time.perf_counter()
            if wrapped:
                assert apply is not None
                apply()
            stamps["applied"] = time.perf_counter()
            loop.quit()

        timer.timeout.connect(fired)
        try:
            field.setFocus()
            stamps["key"] = time.perf_counter()
            QTest.keyClicks(field, SEARCH_CHARACTER)
            stamps["typed"] = time.perf_counter()
            loop.exec()
            self.app.processEvents()
            stamps["painted"] = time.perf_counter()
        finally:
            timer.timeout.disconnect(fired)
            if wrapped:
                timer.timeout.connect(apply)
        if not wrapped:  # the filter was applied before "fired": count from the interval
            stamps["fired"] = stamps["key"] + timer.interval() / 1000
        return {
            "after_debounce": stamps["painted"] - stamps["fired"],
            "apply": stamps["applied"] - stamps["fired"],
            "total": stamps["painted"] - stamps["key"],
            "debounce": stamps["fired"] - stamps["key"],
            "keystroke": stamps["typed"] - stamps["key"],
            "interval": timer.interval() / 1000,
            "exact": wrapped,
        }

    def clear_search(self) -> None:
        bar = self.window.filter_bar
        bar.search_field.clear()
        bar.flush_search()

    def search(self) -> dict[str, Any]:
        bar = self.window.filter_bar
        combo = bar.station_filter
        if combo.currentIndex() != 0:
            self.timed(lambda: combo.setCurrentIndex(0))
        if bar.search_field.text():
            self.timed(self.clear_search)
        strokes = [self._keystroke()]
        rows = self.proxy.rowCount()
        clears: list[float] = []
        while len(strokes) < REPEATS and strokes[-1]["after_debounce"] <= REPEAT_BELOW:
            clears.append(self.timed(self.clear_search))
            if clears[-1] > REPEAT_BELOW:
                break
            strokes.append(self._keystroke())
        return {
            "seconds": _median([s["after_debounce"] for s in strokes]),
            "total": _median([s["total"] for s in strokes]),
            "strokes": strokes,
            "clear_samples": clears,
            "rows": rows,
            "text": SEARCH_CHARACTER,
            "floor_seconds": self._floor(lambda row: SEARCH_CHARACTER in row.search_text),
        }


def interact_mode(names: list[str], args: argparse.Namespace) -> int:
    window = open_window(args.db, None)
    show_and_wait(window, window.table.viewport(), lambda: window.proxy.rowCount() > 0)
    bench = Interact(window)
    emit("ready", data={"rows": window.model.rowCount()})
    for name in names:
        emit("begin", name)
        emit("result", name, bench.run(name))
    window.shutdown()
    return 0


# -- blocking during a sync --------------------------------------------------------------------


class Ticker(QObject):
    """A 10 ms timer on the GUI thread; a long gap between its ticks is a stalled window."""

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.started = self.last = 0.0
        self.max_gap = 0.0
        self.ticks = 0
        self.long_gaps: list[tuple[float, float]] = []

    def start(self) -> None:
        self.started = self.last = time.perf_counter()
        self.max_gap = 0.0
        self.ticks = 0
        self.long_gaps = []
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = now - self.last
        self.max_gap = max(self.max_gap, gap)
        if gap > 0.05:
            self.long_gaps.append((round(now - self.started, 3), round(gap, 4)))
        self.ticks += 1
        self.last = now

    def stop(self) -> dict[str, Any]:
        self.timer.stop()
        longest = sorted(self.long_gaps, key=lambda item: -item[1])[:10]
        return {
            "max_gap": self.max_gap,
            "ticks": self.ticks,
            "gaps_over_100ms": sum(1 for _, gap in self.long_gaps if gap > 0.1),
            "longest": longest,
        }


def block_mode(names: list[str], args: argparse.Namespace) -> int:
    window = open_window(args.db, args.api_url)
    show_and_wait(window, window.table.viewport(), lambda: window.proxy.rowCount() > 0)
    ticker = Ticker()
    emit("ready", data={"rows": window.model.rowCount()})
    for name in names:
        emit("begin", name)
        if name == "idle_gap":
            ticker.start()
            settle(2.0)
            emit("result", name, ticker.stop())
            continue
        finished: dict[str, Any] = {}
        loop = QEventLoop()

        def done(ok: bool, finished: dict[str, Any] = finished, loop: QEventLoop = loop) -> None:
            finished.update(ok=ok, at=time.perf_counter())
            QTimer.singleShot(300, loop.quit)  # the repaint after the merge is in the figure

        def cap(finished: dict[str, Any] = finished) -> None:
            if "at" not in finished:
                finished["capped"] = True
                window.cancel_sync()

        window.syncFinished.connect(done)
        QTimer.singleShot(int(args.sync_cap * 1000), cap)
        ticker.start()
        started = time.perf_counter()
        if not window.sync_now():
            emit("result", name, {"error": "sync_now() did not start a sync"})
            continue
        loop.exec()
        gaps = ticker.stop()
        emit(
            "result",
            name,
            {
                **gaps,
                "sync_seconds": finished["at"] - started,
                "ok": finished["ok"],
                "capped": finished.get("capped", False),
                "rows": window.model.rowCount(),
                "status": window.sync_label.text(),
            },
        )
    window.shutdown()
    return 0


def run_gui(mode: str, names: list[str], args: argparse.Namespace, top: float) -> int:
    if mode == "window":
        return window_mode(names, args, top)
    if mode == "interact":
        return interact_mode(names, args)
    return block_mode(names, args)
