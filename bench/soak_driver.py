"""A seeded soak of the real main window, shared by the test (``tests/gui/test_soak.py``) and
the benchmark (``bench/soak.py``).

Why it is built this way:
- It touches the window only where a person does: widgets found by objectName, QActions
  found by their shortcut, key clicks, mouse clicks on header sections, rows and tabs, wheel
  events on the timeline. It calls no private method, so it keeps working while the window's
  insides are rebuilt; it is the safety net for that rebuilding.
- Step N draws its action and everything about it from its own ``random.Random`` seeded by
  the master ``random.Random(seed)``: the same seed replays the same actions in the same
  order. What a step finds differs when timing does (a sync runs in a thread against a real
  socket), so a replay repeats the sequence, not every interleaving.
- It never sleeps: between actions it runs the event loop for a few milliseconds
  (``QTest.qWait``), and it waits for a sync's end by running the event loop until the
  Cancel button has gone.
- It checks after every action and stops at the first problem: whatever the host reports
  (an exception in a slot or override, a Qt warning: pytest-qt in the test, hooks in the
  benchmark child), an ERROR that dockview logged (the sync worker logs a crash rather than
  raise it), or a status bar that no longer counts the rows the table shows.
- The longest stall is the largest gap between ticks of a 10 ms timer on the GUI thread,
  minus those 10 ms: the longest the window could not have answered a person.
- It lives in bench/ because the benchmark runs it in a child process without pytest, and
  bench/ must not import from tests/; the test imports it from here.
"""

from __future__ import annotations

import gc
import logging
import random
import re
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QAction, QHelpEvent, QKeyEvent, QKeySequence, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QTabWidget,
    QToolTip,
    QWidget,
)

from bench.protocol import status_kb

W = TypeVar("W", bound=QObject)
Key = Qt.Key
Mod = Qt.KeyboardModifier
LEFT = Qt.MouseButton.LeftButton

#: A sync that has not ended after this long is cancelled (faults and 429s included, a sync
#: of a few thousand events ends within seconds on loopback).
SYNC_PATIENCE_MS = 45_000
#: Memory may grow this much between the end of the warm-up and the end of the soak.
GROWTH_LIMIT_MB = 30.0
#: Event-loop time between two actions: mostly quicker than a person, sometimes long enough
#: for the search field's debounce and the views' deferred rebuilds to run.
PAUSES_MS = (0, 0, 2, 5, 10, 20, 40, 80, 250)
SUMMARY = re.compile(r"Showing ([\d,]+) of ([\d,]+) events")
#: What the offscreen platform (no screen, as in CI) says it cannot do: not ours, not a failure.
OFFSCREEN_NOTES = r"This plugin does not support (raise|grabbing the (keyboard|mouse))"

#: Faults the loopback server injects before a sync, with their options: each ends within a
#: few seconds (the client retries after 2 and 4 s; a 429 here asks for 1 s).
FAULTS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("500", {}),
    ("502", {}),
    ("503", {}),
    ("html_error", {}),
    ("html_500", {}),
    ("invalid_json", {}),
    ("wrong_content_type", {}),
    ("truncated", {}),
    ("drop", {}),
    ("drop", {"when": "start"}),
    ("slow", {"delay": 0.3}),
    ("slow", {"delay": 1.5}),
    ("foreign_next", {}),
    ("insert_between_pages", {}),
    ("remove_between_pages", {}),
    ("status", {}),  # 404
    (
        "status",
        {
            "status": 429,
            "retry_after": 1,
            "body": '{"detail": "Request was throttled. Expected available in 1 second."}',
        },
    ),
)

Inject = Callable[..., None]


class SoakFailure(AssertionError):
    """The window misbehaved; the message names the seed, the step and the last actions."""


class SoakSetupError(LookupError):
    """The window lacks a widget or action the soak drives (renamed by a refactor?)."""


def resident_mb() -> float | None:
    """This process's resident set size now (Linux), after a full collection."""
    gc.collect()
    kb = status_kb("VmRSS")
    return kb / 1024 if kb is not None else None


def wait_until(condition: Callable[[], bool], timeout_ms: int) -> bool:
    """Run the event loop until ``condition()`` holds (what qtbot.waitUntil does, without
    pytest); False when the time ran out."""
    deadline = time.monotonic() + timeout_ms / 1000
    while not condition():
        if time.monotonic() >= deadline:
            return False
        QTest.qWait(5)
    return True


class StallClock(QObject):
    """A 10 ms timer on the GUI thread: a tick that comes late is a window that could not
    react. ``doing`` names the action under way, so the longest stall has a culprit."""

    INTERVAL = 0.010

    def __init__(self) -> None:
        super().__init__()
        self.timer = QTimer(self)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(round(self.INTERVAL * 1000))
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.doing = ""
        self.longest = 0.0
        self.longest_during = ""
        self.over_100ms = 0
        self.ticks = 0

    def start(self) -> None:
        self.last = time.perf_counter()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        stall = now - self.last - self.INTERVAL
        self.last = now
        self.ticks += 1
        if stall > 0.1:
            self.over_100ms += 1
        if stall > self.longest:
            self.longest = stall
            self.longest_during = self.doing


@dataclass
class SoakReport:
    """What a soak did and measured; ``summary()`` is the text both hosts print."""

    seed: int
    seconds: float = 0.0
    steps: int = 0
    actions: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    syncs_started: int = 0
    syncs_succeeded: int = 0
    syncs_failed: int = 0
    longest_stall_ms: float = 0.0
    longest_stall_during: str = ""
    stalls_over_100ms: int = 0
    rss_after_warmup_mb: float | None = None
    rss_end_mb: float | None = None
    first_sync_seconds: float = 0.0
    #: The longest wait for a cancelled sync to end (before each memory reading).
    cancel_seconds: float = 0.0
    #: (seconds in, resident MB without a collection first): the trend, read every few seconds.
    rss_trend: list[tuple[float, float]] = field(default_factory=list)
    #: Objects in the collector's permanent generation (``gc.freeze``) at the same readings.
    frozen_trend: list[int] = field(default_factory=list)

    @property
    def growth_mb(self) -> float | None:
        if self.rss_after_warmup_mb is None or self.rss_end_mb is None:
            return None
        return self.rss_end_mb - self.rss_after_warmup_mb

    def summary(self) -> str:
        growth = self.growth_mb
        memory = (
            f"{self.rss_after_warmup_mb:.1f} MB after warm-up → {self.rss_end_mb:.1f} MB "
            f"at the end ({growth:+.1f} MB; limit +{GROWTH_LIMIT_MB:.0f} MB)"
            if growth is not None
            and self.rss_end_mb is not None
            and self.rss_after_warmup_mb is not None
            else "not measured (no /proc/self/status)"
        )
        top = ", ".join(f"{name} {count}" for name, count in self.actions.most_common())
        return "\n".join(
            [
                f"soak seed {self.seed}: {self.steps} actions in {self.seconds:.1f} s",
                f"  longest event-loop stall: {self.longest_stall_ms:.0f} ms "
                f"(during: {self.longest_stall_during}); "
                f"stalls over 100 ms: {self.stalls_over_100ms}",
                f"  memory: {memory}",
                f"  the first sync took {self.first_sync_seconds:.1f} s; the longest wait "
                f"for a cancelled sync to end: {self.cancel_seconds:.1f} s",
                f"  syncs: {self.syncs_started} started, {self.syncs_succeeded} succeeded, "
                f"{self.syncs_failed} failed or cancelled; faults injected: "
                f"{sum(self.faults.values())} ({', '.join(sorted(self.faults)) or 'none'})",
                f"  actions: {top}",
                "  resident MB over time: "
                + ", ".join(f"{at:.0f} s {mb:.0f}" for at, mb in self.rss_trend),
                "  frozen objects (gc.freeze) at the same times: "
                + ", ".join(f"{count:,}" for count in self.frozen_trend),
            ]
        )


class _ErrorLog(logging.Handler):
    """dockview's own ERROR records: the sync worker logs a crash instead of raising it."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            text += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
        self.messages.append(f"{record.name} logged an error: {text}")


class WindowSoak:
    """Drives one shown main window at random for a number of seconds.

    ``inject(fault, times=, on_request=, **options)`` queues a fault on the loopback LL2
    server the window syncs from (``LL2TestServer.inject``, or a command to the benchmark's
    server child); without it, syncs run clean. ``problems()`` returns what the host noticed
    since it was last asked (exceptions, Qt warnings), as sentences.
    """

    def __init__(
        self,
        window: QMainWindow,
        seed: int,
        *,
        inject: Inject | None = None,
        problems: Callable[[], list[str]] = list,
    ) -> None:
        self.window = window
        self.seed = seed
        self.inject = inject
        self.host_problems = problems
        self.master = random.Random(seed)
        self.report = SoakReport(seed=seed)
        self.clock = StallClock()
        self.recent: deque[str] = deque(maxlen=12)
        self.step = 0
        self.started = self.end = 0.0

        find = self._find
        self.table = find(QTableView, "eventsTable")
        self.views = find(QTabWidget, "viewTabs")
        # The window makes a tab's view when the tab is first shown: show each one once.
        for number in range(self.views.count()):
            self.views.setCurrentIndex(number)
        self.views.setCurrentIndex(0)
        self.timeline = find(QWidget, "timelineView")
        self.summary_label = find(QLabel, "statusSummary")
        self.search = find(QLineEdit, "searchField")
        self.docked_now = find(QCheckBox, "dockedNowToggle")
        self.clear_button = find(QAbstractButton, "clearFilters")
        self.station = find(QComboBox, "stationFilter")
        self.port = find(QComboBox, "portFilter")
        self.vehicle = find(QComboBox, "vehicleFilter")
        self.date_toggle = find(QCheckBox, "dateRangeToggle")
        self.date_from = find(QDateEdit, "dateFrom")
        self.date_to = find(QDateEdit, "dateTo")
        self.cancel_button = find(QAbstractButton, "cancelSync")
        self.grouping = find(QComboBox, "statisticsGrouping")
        self.statistics_table = find(QTableView, "statisticsTable")
        self.panel_tables = [
            find(QTableView, "dockedNowTable"),
            find(QTableView, "changesPanelTable"),
        ]
        self.timeline_buttons = [
            find(QAbstractButton, name)
            for name in (
                "timelineColourAgency",
                "timelineColourType",
                "timelineFitAll",
                "timelineLastYear",
                "timelineZoomOut",
                "timelineZoomIn",
            )
        ]
        self.sync_action = self._shortcut("F5")
        self.full_sync_action = self._shortcut("Ctrl+F5")
        self.clear_action = self._shortcut("Ctrl+Shift+L")
        self.dock_toggles = [self._shortcut("Ctrl+1"), self._shortcut("Ctrl+2")]
        self.utc_action = find(QAction, "utcAction")
        self.id_column_action = find(QAction, "idColumnAction")
        self.sync_finished: Any = getattr(window, "syncFinished")  # noqa: B009 (Qt signal)
        self.sync_finished.connect(self._sync_finished)
        self.errors = _ErrorLog()

        self.actions: dict[str, tuple[int, Callable[[random.Random], str]]] = {
            "station": (6, self.choose_station),
            "port": (5, self.choose_port),
            "spacecraft": (5, self.choose_spacecraft),
            "search": (8, self.type_search),
            "dates": (4, self.change_dates),
            "docked now": (3, self.toggle_docked_now),
            "clear filters": (3, self.clear_filters),
            "header": (5, self.click_header),
            "rows": (8, self.select_rows),
            "table wheel": (2, self.wheel_table),
            "tab": (5, self.switch_tab),
            "timeline keys": (8, self.timeline_keys),
            "timeline wheel": (6, self.timeline_wheel),
            "timeline mouse": (3, self.timeline_mouse),
            "timeline buttons": (2, self.timeline_button),
            "statistics": (3, self.statistics),
            "tooltip": (2, self.tooltip),
            "panels": (2, self.panels),
            "sync": (3, self.sync),
            "full sync": (1, self.full_sync),
            "cancel": (2, self.cancel),
            "wait for sync": (1, self.wait_for_sync),
            "view options": (1, self.view_options),
            "resize": (1, self.resize),
            "copy": (1, self.copy),
        }
        self._names = list(self.actions)
        self._weights = [weight for weight, _ in self.actions.values()]

    # -- finding what a person sees ------------------------------------------------------------

    def _find(self, kind: type[W], name: str) -> W:
        found = self.window.findChild(kind, name)
        if found is None:
            raise SoakSetupError(
                f"The soak drives a {kind.__name__} named {name!r}; the window has none."
            )
        return found

    def _shortcut(self, keys: str) -> QAction:
        wanted = QKeySequence(keys)
        for action in self.window.findChildren(QAction):
            if wanted in action.shortcuts():
                return action
        raise SoakSetupError(f"The soak presses {keys}; no action of the window has it.")

    @property
    def syncing(self) -> bool:
        return self.cancel_button.isVisibleTo(self.window)

    # -- running -------------------------------------------------------------------------------

    def run(self, seconds: float, *, warmup: float = 0.25) -> SoakReport:
        """First a clean sync, then random actions; memory is measured once the first
        ``warmup`` share of the time has passed and again at the end."""
        logger = logging.getLogger("dockview")
        logger.addHandler(self.errors)
        try:
            self._show()
            self.clock.start()
            self.started = time.perf_counter()
            self._do("first sync", lambda _rng: self._first_sync())
            self.report.first_sync_seconds = time.perf_counter() - self.started
            warm_until = self.started + seconds * warmup
            end = self.end = self.started + seconds
            measured = False
            next_sample = self.started
            while time.perf_counter() < end:
                now = time.perf_counter()
                if now >= next_sample:
                    kb = status_kb("VmRSS")
                    if kb is not None:
                        self.report.rss_trend.append((round(now - self.started, 1), kb / 1024))
                        self.report.frozen_trend.append(gc.get_freeze_count())
                    next_sample = now + max(1.0, seconds / 30)
                if not measured and time.perf_counter() >= warm_until:
                    self.report.rss_after_warmup_mb = self._measure()
                    measured = True
                self._random_step()
            if not measured:
                self.report.rss_after_warmup_mb = self._measure()
            self.report.rss_end_mb = self._measure()
        finally:
            logger.removeHandler(self.errors)
            self.clock.stop()
        report = self.report
        report.seconds = time.perf_counter() - self.started
        report.longest_stall_ms = self.clock.longest * 1000
        report.longest_stall_during = self.clock.longest_during
        report.stalls_over_100ms = self.clock.over_100ms
        return report

    def _show(self) -> None:
        self.window.show()
        self.window.activateWindow()
        # Shortcuts (F5, Ctrl+Shift+L) reach only the active window.
        QTest.qWaitForWindowActive(self.window, 5000)

    def _random_step(self) -> None:
        rng = random.Random(self.master.getrandbits(64))
        name = rng.choices(self._names, self._weights)[0]
        longest = self.clock.longest
        self._do(name, self.actions[name][1], rng)
        QTest.qWait(rng.choice(PAUSES_MS))
        if self.clock.longest > longest:  # this step's stall is the longest: say what it did
            self.clock.longest_during = self.recent[-1]
        self._check()

    def _do(
        self, name: str, action: Callable[[random.Random], str], rng: random.Random | None = None
    ) -> None:
        self.step += 1
        self.clock.doing = name
        detail = ""
        try:
            detail = action(rng or random.Random(self.master.getrandbits(64)))
        except SoakFailure:
            raise
        except Exception as exc:
            self.recent.append(f"{name}: {detail or '…'}")
            raise self._failure(f"{type(exc).__name__}: {exc}") from exc
        self.recent.append(f"{name}: {detail}" if detail else name)
        self.report.steps += 1
        self.report.actions[name] += 1

    def _check(self) -> None:
        problems = self.host_problems() + self.errors.messages
        self.errors.messages = []
        if problems:
            raise self._failure("; ".join(problems))
        match = SUMMARY.search(self.summary_label.text())
        shown = self.table.model().rowCount()
        if match is None or int(match.group(1).replace(",", "")) != shown:
            raise self._failure(
                f"the status bar says {self.summary_label.text()!r} while the table shows "
                f"{shown} rows"
            )

    def _failure(self, problem: str) -> SoakFailure:
        elapsed = time.perf_counter() - self.started
        recent = "\n".join(f"  {line}" for line in self.recent)
        return SoakFailure(
            f"soak seed {self.seed}, step {self.step} ({elapsed:.1f} s in): {problem}\n"
            f"last actions, oldest first:\n{recent}\n"
            f"replay with --soak-seed {self.seed} (or DOCKVIEW_SOAK_SEED={self.seed})"
        )

    def _measure(self) -> float | None:
        """Resident memory with no sync under way, the clock paused (a full collection is the
        measurement's cost, not the window's)."""
        self.clock.doing = "measuring memory"
        self.settle()
        self.clock.stop()
        megabytes = resident_mb()
        self.clock.start()
        return megabytes

    def settle(self) -> None:
        """Cancel a running sync and wait for its end, then let the views catch up."""
        self._dismiss_popups()
        if self.syncing:
            clicked = time.perf_counter()
            QTest.mouseClick(self.cancel_button, LEFT)
            if not self._wait_for_sync(SYNC_PATIENCE_MS):
                raise self._failure("a cancelled sync did not end")
            waited = time.perf_counter() - clicked
            self.report.cancel_seconds = max(self.report.cancel_seconds, waited)
        QTest.qWait(100)

    # -- syncing -------------------------------------------------------------------------------

    def _sync_finished(self, succeeded: bool) -> None:
        if succeeded:
            self.report.syncs_succeeded += 1
        else:
            self.report.syncs_failed += 1

    def _wait_for_sync(self, timeout_ms: int) -> bool:
        """Until the end a person sees: the Cancel button gone, Sync enabled again. The
        window's ``syncFinished`` can come before that (the worker has not left yet), so a
        signal spy alone would let the next F5 fall on a disabled action."""
        return wait_until(lambda: not self.syncing, timeout_ms)

    def _press(self, action: QAction, keys: str) -> str:
        """A shortcut as a person types it, into the focused widget of the active window;
        the action itself when the window is not active (the platform decides that)."""
        self._dismiss_popups()
        if QApplication.activeWindow() is self.window:
            QTest.keySequence(QApplication.focusWidget() or self.window, QKeySequence(keys))
            return "typed"
        action.trigger()
        return "triggered"

    def _start_sync(
        self, rng: random.Random, action: QAction, keys: str, *, faults: bool = True
    ) -> str:
        injected = []
        if faults and self.inject is not None and rng.random() < 0.6:
            for _ in range(rng.randint(1, 2)):
                name, options = rng.choice(FAULTS)
                self.inject(name, times=rng.randint(1, 2), on_request=rng.randint(1, 5), **options)
                self.report.faults[name] += 1
                injected.append(name)
        was_syncing = self.syncing
        how = self._press(action, keys)
        if self.syncing and not was_syncing:
            self.report.syncs_started += 1
        state = "already syncing" if was_syncing else "started"
        return f"{keys} {how} ({state}; faults: {', '.join(injected) or 'none'})"

    def _first_sync(self) -> str:
        started = self._start_sync(random.Random(0), self.sync_action, "F5", faults=False)
        if not self._wait_for_sync(SYNC_PATIENCE_MS):
            raise self._failure("the first sync did not end")
        return started

    def sync(self, rng: random.Random) -> str:
        return self._start_sync(rng, self.sync_action, "F5")

    def full_sync(self, rng: random.Random) -> str:
        return self._start_sync(rng, self.full_sync_action, "Ctrl+F5")

    def cancel(self, rng: random.Random) -> str:
        if not self.syncing:
            return "nothing to cancel"
        QTest.qWait(rng.choice((0, 50, 300)))
        if not self.syncing:  # it ended meanwhile: the button went away
            return "ended before the click"
        QTest.mouseClick(self.cancel_button, LEFT)
        return "clicked Cancel"

    def wait_for_sync(self, rng: random.Random) -> str:
        if not self.syncing:
            return "no sync"
        # Not past the soak's end: a sync slowed by faults would stretch a 20 s run.
        left_ms = max(0, round((self.end - time.perf_counter()) * 1000))
        return "ended" if self._wait_for_sync(min(SYNC_PATIENCE_MS, left_ms)) else "still running"

    # -- filters -------------------------------------------------------------------------------

    def _key(
        self, widget: QWidget, key: Qt.Key, modifiers: Qt.KeyboardModifier = Mod.NoModifier
    ) -> None:
        """A key goes where the platform sends it: to an open popup first."""
        popup = QApplication.activePopupWidget()
        QTest.keyClick(popup if popup is not None else widget, key, modifiers)

    def _type(self, widget: QWidget, text: str) -> None:
        """Typed text, key by key: QTest's own typing takes only ASCII (it asserts on "ß"), so
        other characters arrive as a keyboard sends them, a key event carrying the text."""
        for char in text:
            if char.isascii():
                QTest.keyClicks(widget, char)
                continue
            code = ord(char.upper()[0])
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, code, Mod.NoModifier, char))

    def _dismiss_popups(self) -> None:
        """Before a click elsewhere: a person's click outside a popup closes it."""
        for _ in range(3):
            popup = QApplication.activePopupWidget()
            if popup is None:
                return
            QTest.keyClick(popup, Key.Key_Escape)
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()

    def _combo(self, combo: QComboBox, rng: random.Random) -> str:
        self._dismiss_popups()
        if combo.count() == 0 or not combo.isEnabled():
            return "empty"
        if rng.random() < 0.5:
            key = rng.choice(
                (Key.Key_Down, Key.Key_Up, Key.Key_Home, Key.Key_End, Key.Key_PageDown)
            )
            self._key(combo, key)
            return f"key {key.name} → {combo.currentText()!r}"
        combo.setCurrentIndex(rng.randrange(combo.count()))
        return f"picked {combo.currentText()!r}"

    def choose_station(self, rng: random.Random) -> str:
        return self._combo(self.station, rng)

    def choose_port(self, rng: random.Random) -> str:
        return self._combo(self.port, rng)

    def choose_spacecraft(self, rng: random.Random) -> str:
        if rng.random() < 0.4:
            return self._combo(self.vehicle, rng)
        line = self.vehicle.lineEdit()
        if line is None:
            return self._combo(self.vehicle, rng)
        self._dismiss_popups()
        QTest.keyClick(line, Key.Key_A, Mod.ControlModifier)
        QTest.keyClick(line, Key.Key_Backspace)
        text = self._fragment(rng, self.vehicle)
        self._type(line, text)
        QTest.qWait(rng.choice((0, 30)))
        ending = rng.choice((Key.Key_Return, Key.Key_Escape, Key.Key_Tab, Key.Key_Down))
        self._key(line, ending)
        self._dismiss_popups()
        return f"typed {text!r} then {ending.name}"

    def _fragment(self, rng: random.Random, combo: QComboBox | None = None) -> str:
        """A piece of a name the lists offer, or something no event matches."""
        if combo is None:
            combo = rng.choice((self.station, self.vehicle, self.port))
        if combo.count() > 1 and rng.random() < 0.8:
            name = combo.itemText(rng.randrange(1, combo.count())).split(" (")[0]
            start = rng.randrange(max(1, len(name) - 2))
            piece = name[start : start + rng.randint(2, 8)]
            return piece.lower() if rng.random() < 0.5 else piece
        return rng.choice(("zzq", "ß", "ПРОГРЕСС", "  ", "%_", "'\"", "1", "tiangong iss"))

    def type_search(self, rng: random.Random) -> str:
        self._dismiss_popups()
        field_ = self.search
        choice = rng.random()
        if choice < 0.15:
            self._key(field_, Key.Key_Escape)
            return "Esc"
        if choice < 0.35 and field_.text():
            count = rng.randint(1, 4)
            for _ in range(count):
                self._key(field_, Key.Key_Backspace)
            return f"{count}x Backspace → {field_.text()!r}"
        if choice < 0.5:
            QTest.keyClick(field_, Key.Key_A, Mod.ControlModifier)
        text = self._fragment(rng)
        self._type(field_, text)
        if rng.random() < 0.3:
            self._key(field_, Key.Key_Return)
        return f"typed {text!r} → {field_.text()!r}"

    def change_dates(self, rng: random.Random) -> str:
        self._dismiss_popups()
        if rng.random() < 0.3 or not self.date_toggle.isChecked():
            QTest.mouseClick(self.date_toggle, LEFT, pos=QPoint(6, self.date_toggle.height() // 2))
            return f"toggle → {self.date_toggle.isChecked()}"
        edit = rng.choice((self.date_from, self.date_to))
        if rng.random() < 0.5:
            year = rng.randint(1970, QDate.currentDate().year() + 1)
            edit.setDate(QDate(year, rng.randint(1, 12), rng.randint(1, 28)))
        else:
            key = rng.choice((Key.Key_Up, Key.Key_Down, Key.Key_PageUp, Key.Key_PageDown))
            for _ in range(rng.randint(1, 5)):
                self._key(edit, key)
        return f"{edit.objectName()} → {edit.date().toString(Qt.DateFormat.ISODate)}"

    def toggle_docked_now(self, rng: random.Random) -> str:
        self._dismiss_popups()
        QTest.mouseClick(self.docked_now, LEFT, pos=QPoint(6, self.docked_now.height() // 2))
        return f"→ {self.docked_now.isChecked()}"

    def clear_filters(self, rng: random.Random) -> str:
        how = rng.choice(("Ctrl+Shift+L", "button"))
        if how == "button":
            self._dismiss_popups()
            QTest.mouseClick(self.clear_button, LEFT)
        else:
            how += " " + self._press(self.clear_action, "Ctrl+Shift+L")
        return how

    # -- the table -----------------------------------------------------------------------------

    def _show_tab(self, widget: QWidget) -> None:
        """Bring the tab holding ``widget`` to the front with a click on its tab."""
        number = next(
            (
                i
                for i in range(self.views.count())
                if (page := self.views.widget(i)) is not None
                and (page is widget or page.isAncestorOf(widget))
            ),
            -1,
        )
        if number >= 0 and self.views.currentIndex() != number:
            self._dismiss_popups()
            bar = self.views.tabBar()
            QTest.mouseClick(bar, LEFT, pos=bar.tabRect(number).center())

    def switch_tab(self, rng: random.Random) -> str:
        number = rng.randrange(self.views.count())
        self._dismiss_popups()
        bar = self.views.tabBar()
        QTest.mouseClick(bar, LEFT, pos=bar.tabRect(number).center())
        return self.views.tabText(number).replace("&", "")

    def click_header(self, rng: random.Random) -> str:
        self._show_tab(self.table)
        header = self.table.horizontalHeader()
        width = header.viewport().width()
        visible = [
            logical
            for logical in range(header.count())
            if not header.isSectionHidden(logical)
            and 0 <= header.sectionViewportPosition(logical) < width - 4
        ]
        if not visible:
            return "no section"
        logical = rng.choice(visible)
        x = header.sectionViewportPosition(logical) + min(header.sectionSize(logical) // 2, 20)
        QTest.mouseClick(header.viewport(), LEFT, pos=QPoint(x, header.height() // 2))
        title = self.table.model().headerData(logical, Qt.Orientation.Horizontal)
        return f"{title} → {header.sortIndicatorOrder().name}"

    def select_rows(self, rng: random.Random) -> str:
        self._show_tab(self.table)
        rows = self.table.model().rowCount()
        if rows == 0:
            return "no rows"
        if rng.random() < 0.5:
            viewport = self.table.viewport()
            first = max(0, self.table.rowAt(0))
            last = self.table.rowAt(viewport.height() - 1)
            last = rows - 1 if last < 0 else last
            row = rng.randint(first, last)
            y = self.table.rowViewportPosition(row) + self.table.rowHeight(row) // 2
            x = rng.randrange(4, max(5, viewport.width() - 4))
            modifier = rng.choice(
                (Mod.NoModifier, Mod.NoModifier, Mod.ControlModifier, Mod.ShiftModifier)
            )
            self._dismiss_popups()
            if rng.random() < 0.15:
                QTest.mouseDClick(viewport, LEFT, modifier, QPoint(x, y))
            else:
                QTest.mouseClick(viewport, LEFT, modifier, QPoint(x, y))
            return f"click row {row} {modifier.name}"
        key, modifier = rng.choice(
            (
                (Key.Key_Down, Mod.NoModifier),
                (Key.Key_Up, Mod.NoModifier),
                (Key.Key_Down, Mod.ShiftModifier),
                (Key.Key_PageDown, Mod.NoModifier),
                (Key.Key_PageUp, Mod.NoModifier),
                (Key.Key_Home, Mod.ControlModifier),
                (Key.Key_End, Mod.ControlModifier),
                (Key.Key_A, Mod.ControlModifier),
                (Key.Key_Return, Mod.NoModifier),
            )
        )
        self._key(self.table, key, modifier)
        return f"{modifier.name}+{key.name}"

    def wheel_table(self, rng: random.Random) -> str:
        self._show_tab(self.table)
        steps = rng.choice((-3, -1, 1, 3, 10))
        self._wheel(self.table.viewport(), rng, QPoint(0, 120 * steps), Mod.NoModifier)
        return f"{steps} notches"

    def copy(self, rng: random.Random) -> str:
        self._show_tab(self.table)
        self._key(self.table, Key.Key_C, Mod.ControlModifier)
        return "Ctrl+C"

    # -- the timeline --------------------------------------------------------------------------

    def timeline_keys(self, rng: random.Random) -> str:
        self._show_tab(self.timeline)
        key, modifier = rng.choice(
            (
                (Key.Key_Plus, Mod.NoModifier),
                (Key.Key_Minus, Mod.NoModifier),
                (Key.Key_Home, Mod.NoModifier),
                (Key.Key_End, Mod.NoModifier),
                (Key.Key_Left, Mod.NoModifier),
                (Key.Key_Right, Mod.NoModifier),
                (Key.Key_Left, Mod.ShiftModifier),
                (Key.Key_Right, Mod.ShiftModifier),
                (Key.Key_Up, Mod.NoModifier),
                (Key.Key_Down, Mod.NoModifier),
                (Key.Key_PageDown, Mod.NoModifier),
                (Key.Key_PageUp, Mod.NoModifier),
                (Key.Key_Return, Mod.NoModifier),
            )
        )
        count = rng.choice((1, 1, 2, 5))
        for _ in range(count):
            self._key(self.timeline, key, modifier)
        return f"{count}x {modifier.name}+{key.name}"

    def _wheel(
        self, widget: QWidget, rng: random.Random, delta: QPoint, modifiers: Qt.KeyboardModifier
    ) -> None:
        self._dismiss_popups()
        position = QPointF(rng.uniform(0, widget.width()), rng.uniform(0, widget.height()))
        event = QWheelEvent(
            position,
            QPointF(widget.mapToGlobal(position)),
            QPoint(),
            delta,
            Qt.MouseButton.NoButton,
            modifiers,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )
        QApplication.sendEvent(widget, event)

    def timeline_wheel(self, rng: random.Random) -> str:
        self._show_tab(self.timeline)
        modifiers = rng.choice(
            (Mod.ControlModifier, Mod.ShiftModifier, Mod.NoModifier, Mod.AltModifier)
        )
        steps = rng.choice((-5, -2, -1, 1, 2, 5, 20))
        delta = QPoint(120 * steps, 0) if rng.random() < 0.1 else QPoint(0, 120 * steps)
        self._wheel(self.timeline, rng, delta, modifiers)
        return f"{modifiers.name} {steps} notches"

    def timeline_mouse(self, rng: random.Random) -> str:
        self._show_tab(self.timeline)
        self._dismiss_popups()
        width, height = max(1, self.timeline.width()), max(1, self.timeline.height())
        start = QPoint(rng.randrange(width), rng.randrange(height))
        if rng.random() < 0.6:
            QTest.mouseClick(self.timeline, LEFT, Mod.NoModifier, start)
            return f"click at {start.x()},{start.y()}"
        end = QPoint(rng.randrange(width), rng.randrange(height))
        QTest.mousePress(self.timeline, LEFT, Mod.NoModifier, start)
        for step in range(1, 5):
            QTest.mouseMove(self.timeline, start + (end - start) * (step / 4))
        QTest.mouseRelease(self.timeline, LEFT, Mod.NoModifier, end)
        return f"drag {start.x()},{start.y()} → {end.x()},{end.y()}"

    def timeline_button(self, rng: random.Random) -> str:
        self._show_tab(self.timeline)
        self._dismiss_popups()
        button = rng.choice(self.timeline_buttons)
        QTest.mouseClick(button, LEFT)
        return button.objectName()

    # -- the rest ------------------------------------------------------------------------------

    def statistics(self, rng: random.Random) -> str:
        self._show_tab(self.grouping)
        if rng.random() < 0.5:
            return "grouping: " + self._combo(self.grouping, rng)
        header = self.statistics_table.horizontalHeader()
        if header.count() == 0:
            return "no columns"
        logical = rng.randrange(header.count())
        x = header.sectionViewportPosition(logical) + min(header.sectionSize(logical) // 2, 20)
        if not 0 <= x < header.viewport().width():
            return "section out of sight"
        self._dismiss_popups()
        QTest.mouseClick(header.viewport(), LEFT, pos=QPoint(x, header.height() // 2))
        return f"sort by column {logical}"

    def tooltip(self, rng: random.Random) -> str:
        widget = rng.choice((self.timeline, self.table.viewport()))
        if not widget.isVisible():
            return "not shown"
        position = QPoint(
            rng.randrange(max(1, widget.width())), rng.randrange(max(1, widget.height()))
        )
        QApplication.sendEvent(
            widget, QHelpEvent(QEvent.Type.ToolTip, position, widget.mapToGlobal(position))
        )
        text = QToolTip.text()
        QToolTip.hideText()
        return f"{widget.objectName() or 'table'}: {text[:30]!r}"

    def panels(self, rng: random.Random) -> str:
        table = rng.choice(self.panel_tables)
        if not table.isVisible() or table.model().rowCount() == 0:
            return f"{table.objectName()}: nothing shown"
        row = rng.randrange(table.model().rowCount())
        self._dismiss_popups()
        y = table.rowViewportPosition(row) + table.rowHeight(row) // 2
        if not 0 <= y < table.viewport().height():
            self._key(table, Key.Key_Down)
            return f"{table.objectName()}: Down"
        QTest.mouseClick(table.viewport(), LEFT, pos=QPoint(10, y))
        self._key(table, Key.Key_Return)
        return f"{table.objectName()}: row {row}"

    def view_options(self, rng: random.Random) -> str:
        action = rng.choice((self.utc_action, self.id_column_action, *self.dock_toggles))
        action.trigger()
        return f"{action.text().replace('&', '')} → {action.isChecked()}"

    def resize(self, rng: random.Random) -> str:
        width, height = rng.choice(((1360, 820), (900, 600), (1720, 980), (640, 480), (1200, 700)))
        self.window.resize(width, height)
        return f"{width}x{height}"
