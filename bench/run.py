"""dockview benchmarks: each figure beside its baseline from the same run, with the goals.

    python bench/run.py                 # 50,000 events, every benchmark (a few minutes)
    python bench/run.py --quick         # 5,000 events: checks the harness in about a minute
    python bench/run.py --only sort     # one benchmark (a comma-separated list works too)
    python bench/run.py --json out.json # results elsewhere than bench/results.json

Why it is built this way:
- This process only orchestrates. Every measurement runs in a child (``child.py``) with fresh
  settings and caches in a temporary folder, so start time and peak memory are those of a new
  process and no benchmark inherits another's heap. The loopback LL2 server runs in a child
  of its own, so its work does not compete with the sync it serves.
- Inputs are generated once (``prepare``) with the loopback server's generator: the same
  events feed the server, the store benchmark's pages and the window's caches.
- A measurement that runs past its cap (``--cap``, 20 s; syncs and store ingest get
  ``--sync-cap``, 120 s, so that a slow sync still yields its figure) is killed and reported
  as "> cap"; the child is restarted for the measurements after it.
- Baselines are measured in the same run, never remembered: a ratio compares like with like
  on whatever machine runs it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import queue
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make ``bench`` and ``dockview`` importable
    sys.path.insert(0, str(ROOT))

from bench.protocol import parse_line  # noqa: E402

CHILD = ROOT / "bench" / "child.py"
DEFAULT_JSON = ROOT / "bench" / "results.json"
BENCHMARKS = ("sync", "store", "start", "sort", "filter", "rss", "export", "block", "checks")
FULL_EVENTS = 50_000
QUICK_EVENTS = 5_000
SMALL_EVENTS = 560
SEED = 1
#: Seconds a child may take beyond a measurement's cap to report it, and between measurements.
GRACE = 2.0
SETUP_CAP = 240.0
START_REPEATS = 3
#: A start slower than this is not repeated (it would only repeat a failure).
START_REPEAT_BELOW = 3.0


# -- running children ---------------------------------------------------------------------------


@dataclass
class Outcome:
    """What one group of measurements gave: figures by name, or why there are none."""

    results: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: dict[str, dict[str, Any]] = field(default_factory=dict)


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


class Runner:
    """Starts children with fresh settings folders and enforces the caps by their messages."""

    def __init__(self, workdir: Path, *, verbose: bool) -> None:
        self.workdir = workdir
        self.verbose = verbose
        self.count = 0

    def env(self) -> dict[str, str]:
        self.count += 1
        home = self.workdir / "home" / str(self.count)
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("DOCKVIEW_API_URL", "DOCKVIEW_API_KEY", "DOCKVIEW_DB")
        }
        path = env.get("PYTHONPATH")
        env.update(
            QT_QPA_PLATFORM="offscreen",
            PYTHONPATH=str(ROOT) + (os.pathsep + path if path else ""),
            XDG_CONFIG_HOME=str(home / "config"),
            XDG_CACHE_HOME=str(home / "cache"),
            XDG_DATA_HOME=str(home / "data"),
            XDG_STATE_HOME=str(home / "state"),
            DOCKVIEW_LOG_FILE=str(home / "dockview.log"),
            # dockview as installed runs from compiled bytecode (pip and the frozen build
            # write it, as they did for Qt's and every other package here); with writing it
            # turned off, each start would compile dockview's modules again (70-220 ms
            # that only the program's side of the start ratio pays). The run's own folder
            # keeps the checkout clean; the discarded first starts fill it.
            PYTHONPYCACHEPREFIX=str(self.workdir / "pycache"),
        )
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        return env

    def log(self, text: str) -> None:
        if self.verbose:
            print(f"  … {text}", file=sys.stderr, flush=True)

    def run(
        self,
        mode: str,
        names: list[str],
        options: list[str],
        *,
        caps: dict[str, float],
        setup_cap: float = SETUP_CAP,
    ) -> Outcome:
        """Run ``names`` in one child; after a timeout, a fresh child does the rest."""
        outcome = Outcome()
        remaining = list(names)
        while remaining:
            self._run_once(mode, remaining, options, caps, setup_cap, outcome)
        return outcome

    def _run_once(
        self,
        mode: str,
        remaining: list[str],
        options: list[str],
        caps: dict[str, float],
        setup_cap: float,
        outcome: Outcome,
    ) -> None:
        errors = self.workdir / "logs" / f"{self.count + 1:03d}-{mode}.err"
        errors.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, str(CHILD), mode, "--measure", ",".join(remaining), *options]
        self.log(f"{mode}: {', '.join(remaining)}")
        with errors.open("w") as stderr:
            proc = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=stderr, text=True, env=self.env(), cwd=ROOT
            )
        assert proc.stdout is not None
        lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_pump, args=(proc.stdout, lines), daemon=True).start()
        current: str | None = None
        deadline = time.monotonic() + setup_cap
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                _kill(proc)
                if current is None:
                    for name in remaining:
                        outcome.problems[name] = {"problem": f"setup ran over {setup_cap:.0f} s"}
                    remaining.clear()
                else:
                    outcome.problems[current] = {"problem": "timeout", "cap": caps[current]}
                    remaining.remove(current)
                return
            if line is None:
                code = proc.wait()
                summary, tail = _summary(errors)
                failed = [current] if current is not None else list(remaining)
                for name in failed:
                    outcome.problems[name] = {
                        "problem": f"exit {code}: {summary}",
                        "stderr": tail,
                        "log": str(errors),
                    }
                    remaining.remove(name)
                return
            message = parse_line(line)
            if message is None:
                continue
            kind, name = message.get("kind"), str(message.get("name"))
            now = time.monotonic()
            if kind == "begin":
                current = name
                deadline = now + caps.get(name, setup_cap) + GRACE
            elif kind == "result":
                outcome.results[name] = message.get("data") or {}
                if name in remaining:
                    remaining.remove(name)
                current = None
                deadline = now + GRACE * 6
                if not remaining:
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        proc.wait(timeout=30)
                    _kill(proc)
                    return
            elif kind == "ready":
                deadline = now + GRACE * 6


def _kill(proc: subprocess.Popen[str]) -> None:
    """End our own child (by its Popen handle, i.e. its pid) if it is still running."""
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def _summary(path: Path) -> tuple[str, str]:
    """A crashed child's cause in a few words (the fatal error or the exception), and the
    end of its stderr for the JSON."""
    try:
        lines = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return "no stderr", ""
    tail = "\n".join(lines[-40:])
    fatal = [line for line in lines if line.startswith("Fatal Python error")]
    errors = [line for line in lines if line and not line[0].isspace() and "Error" in line]
    cause = (fatal or errors or lines or ["no stderr"])[-1 if not fatal else 0]
    return cause.strip()[:90], tail


class Server:
    """The loopback LL2 server (ll2_loopback/) in a child; it stops when stdin closes."""

    def __init__(self, runner: Runner, events: int, options: Sequence[str] = ()) -> None:
        command = [sys.executable, str(CHILD), "serve", "--events", str(events)]
        command += ["--seed", str(SEED), *options]
        self.proc = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=runner.env(),
            cwd=ROOT,
        )
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], SETUP_CAP)
        line = self.proc.stdout.readline().strip() if ready else ""
        if not line.startswith("http://"):
            self.stop()
            raise RuntimeError("the loopback LL2 server did not start")
        self.url = line
        self.pid = self.proc.pid

    def send(self, command: dict[str, Any]) -> None:
        """A command for the server (see ``data_bench.serve``), one JSON line on its stdin."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()

    def stop(self) -> None:
        if self.proc.stdin is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            _kill(self.proc)


# -- the plan ----------------------------------------------------------------------------------


@dataclass
class Plan:
    events: int
    cap: float
    sync_cap: float
    start_repeats: int
    selected: set[str]
    workdir: Path


def run_all(plan: Plan, runner: Runner) -> dict[str, Any]:
    """Every selected benchmark and the baselines it needs; raw figures by key."""
    measured: dict[str, Any] = {}
    selected = plan.selected
    workdir = plan.workdir
    n = str(plan.events)

    def keep(prefix: str, outcome: Outcome) -> None:
        for name, data in outcome.results.items():
            measured[f"{prefix}.{name}"] = data
        for name, problem in outcome.problems.items():
            measured[f"{prefix}.{name}"] = problem

    what = []
    if selected & {"sync", "store"}:
        what.append("pages")
    if selected & {"start", "sort", "filter", "rss", "export", "block", "checks"}:
        what.append("cache")
    if selected & {"start", "sort", "filter"}:
        what.append("cache_560")
    print(f"Preparing {plan.events:,} events …", file=sys.stderr, flush=True)
    prepared = runner.run(
        "prepare",
        ["prepare"],
        ["--events", n, "--seed", str(SEED), "--workdir", str(workdir), "--what", ",".join(what)],
        caps={},
        setup_cap=900,
    )
    if "prepare" not in prepared.results:
        raise SystemExit(f"Preparing the events failed: {prepared.problems.get('prepare')}")
    files = prepared.results["prepare"]
    measured["prepare"] = files
    pages, cache = files.get("pages", ""), files.get("cache", "")

    data_options = ["--workdir", str(workdir), "--pages", pages, "--db", cache]
    data_options += ["--cap", str(plan.cap), "--sync-cap", str(plan.sync_cap)]
    throughput_cap = plan.sync_cap + 30

    def data(name: str, extra: list[str] | None = None) -> None:
        caps = {name: throughput_cap if name in ("store", "store_floor", "sync") else plan.cap}
        keep("data", runner.run("data", [name], data_options + (extra or []), caps=caps))

    server: Server | None = None
    try:
        if selected & {"sync", "block"}:
            print("Starting the loopback LL2 server …", file=sys.stderr, flush=True)
            server = Server(runner, plan.events)
        if "store" in selected:
            print("Store ingest and its SQLite floor …", file=sys.stderr, flush=True)
            data("store_floor")
        if selected & {"store", "sync"}:
            data("store")
        if "sync" in selected and server is not None:
            print("Sync over loopback …", file=sys.stderr, flush=True)
            data("sync", ["--api-url", server.url, "--server-pid", str(server.pid)])
        if "block" in selected and server is not None:
            print("Window responsiveness during syncs …", file=sys.stderr, flush=True)
            block_options = ["--api-url", server.url, "--sync-cap", str(plan.sync_cap)]
            caps = {"idle_gap": 10.0, "sync_gap": throughput_cap}
            full = workdir / "block_full.db"
            shutil.copyfile(cache, full)
            fresh = workdir / "block_fresh" / "dockview.db"  # created by the window itself
            for key, db in (("block_full", full), ("block_fresh", fresh)):
                options = ["--db", str(db), *block_options]
                keep(key, runner.run("block", ["idle_gap", "sync_gap"], options, caps=caps))
    finally:
        if server is not None:
            server.stop()

    if "export" in selected:
        print("Export …", file=sys.stderr, flush=True)
        data("export_floor")
        data("export")
    if "checks" in selected:
        print("Data checks and occupancy …", file=sys.stderr, flush=True)
        data("checks")
    if "start" in selected:
        print("Start to first painted rows …", file=sys.stderr, flush=True)
        measured.update(_starts(plan, runner, cache, files["cache_560"]))
    if "rss" in selected:
        print("Peak memory …", file=sys.stderr, flush=True)
        caps = {"first_paint": plan.cap, "peak_rss": plan.cap}
        names = ["first_paint", "peak_rss"]
        keep("rss_empty", runner.run("window", names, ["--empty"], caps=caps))
        keep("rss", runner.run("window", names, ["--db", cache], caps=caps))
    names = []
    if "sort" in selected:
        names += ["sort_asc", "sort_desc", "sort_text", "plain_sort", "sort_floor"]
    if "filter" in selected:
        names += ["station", "station_reset", "docked_now", "search"]
    if names:
        print("Sorting and filtering in the window …", file=sys.stderr, flush=True)
        caps = dict.fromkeys(names, plan.cap)
        keep("interact", runner.run("interact", names, ["--db", cache], caps=caps))
        small = [name for name in names if name not in ("plain_sort", "sort_floor")]
        keep(
            "interact_small",
            runner.run("interact", small, ["--db", files["cache_560"]], caps=caps),
        )
    return measured


def _starts(plan: Plan, runner: Runner, cache: str, cache_560: str) -> dict[str, Any]:
    """Fresh processes, interleaved so that each variant sees the same machine; the first
    (discarded) ones warm the disk cache with Qt's libraries and write dockview's bytecode."""
    variants = {"empty": ["--empty"], "small": ["--db", cache_560], "full": ["--db", cache]}
    caps = {"first_paint": plan.cap}
    for options in (variants["empty"], variants["small"]):
        runner.run("window", ["first_paint"], options, caps=caps)
    samples: dict[str, list[dict[str, Any]]] = {key: [] for key in variants}
    for _ in range(plan.start_repeats):
        for key, options in variants.items():
            done = samples[key]
            if done and ("problem" in done[-1] or done[-1].get("seconds", 0) > START_REPEAT_BELOW):
                continue
            outcome = runner.run("window", ["first_paint"], options, caps=caps)
            done.append(outcome.results.get("first_paint") or outcome.problems["first_paint"])
    out: dict[str, Any] = {}
    for key, runs in samples.items():
        good = [run["seconds"] for run in runs if "seconds" in run]
        out[f"start.{key}"] = (
            {"seconds": statistics.median(good), "samples": runs} if good else runs[-1]
        )
    return out


# -- figures, goals and the table --------------------------------------------------------------


@dataclass
class Figure:
    """One measured value; ``over`` means it was capped and the truth is larger."""

    value: float | None
    over: bool = False
    problem: str | None = None


def figure_of(measured: dict[str, Any], key: str, name: str = "seconds") -> Figure:
    data = measured.get(key)
    if not isinstance(data, dict):
        return Figure(None, problem="not measured")
    if data.get("problem") == "timeout":
        return Figure(float(data["cap"]), over=True)
    if "problem" in data:
        return Figure(None, problem=str(data["problem"]))
    if "error" in data:
        return Figure(None, problem=str(data["error"]))
    value = data.get(name)
    return Figure(float(value) if isinstance(value, int | float) else None)


@dataclass
class Row:
    """A line of the table and an entry of the JSON."""

    key: str
    title: str
    unit: str
    value: float | None
    shown: str
    baseline_title: str
    baseline: float | None
    baseline_shown: str
    ratio: float | None
    ratio_shown: str
    goal: str
    passed: bool | None
    capped: bool = False
    note: str = ""


def show_problem(fig: Figure) -> str:
    return f"error: {fig.problem[:60]}" if fig.problem else "—"


def show_time(fig: Figure) -> str:
    if fig.value is None:
        return show_problem(fig)
    if fig.over:
        return f"> {fig.value:.0f} s"
    if fig.value < 0.01:
        return f"{fig.value * 1000:.1f} ms"
    if fig.value < 1:
        return f"{fig.value * 1000:.0f} ms"
    return f"{fig.value:.2f} s"


def show_rate(fig: Figure) -> str:
    if fig.value is None:
        return show_problem(fig)
    return f"{fig.value:,.0f} ev/s"


def show_mb(fig: Figure) -> str:
    if fig.value is None:
        return show_problem(fig)
    return f"{fig.value:,.0f} MB"


def ratio_of(fig: Figure, base: Figure, *, faster: bool = False) -> tuple[float | None, str]:
    """``fig / base`` ("1.9x"), or for sorts ``base / fig`` ("12x faster")."""
    if fig.value is None or base.value is None or fig.value <= 0 or base.value <= 0:
        return None, "—"
    if faster:
        ratio = base.value / fig.value
        bound = "< " if fig.over and not base.over else "> " if base.over and not fig.over else ""
        return ratio, f"{bound}{ratio:,.1f}x faster"
    ratio = fig.value / base.value
    bound = "> " if fig.over and not base.over else "< " if base.over and not fig.over else ""
    return ratio, f"{bound}{ratio:,.2f}x"


def at_most(fig: Figure, limit: float) -> bool | None:
    if fig.value is None:
        return None
    return not fig.over and fig.value <= limit


def at_least(fig: Figure, limit: float) -> bool | None:
    return None if fig.value is None else fig.value >= limit


def build_rows(measured: dict[str, Any], plan: Plan) -> list[Row]:
    """The table's rows, for the selected benchmarks, each with its same-run baseline."""
    n = f"{plan.events:,}"
    rows: list[Row] = []
    selected = plan.selected

    def add(
        key: str,
        title: str,
        fig: Figure,
        base_title: str,
        base: Figure,
        *,
        goal: str = "",
        passed: bool | None = None,
        show: Callable[[Figure], str] = show_time,
        faster: bool = False,
        unit: str = "s",
        note: str = "",
    ) -> None:
        ratio, ratio_shown = ratio_of(fig, base, faster=faster)
        rows.append(
            Row(
                key=key,
                title=title,
                unit=unit,
                value=fig.value,
                shown=show(fig) + (f" ({note})" if note else ""),
                baseline_title=base_title,
                baseline=base.value,
                baseline_shown=f"{base_title} {show(base)}",
                ratio=ratio,
                ratio_shown=ratio_shown,
                goal=goal,
                passed=passed,
                capped=fig.over,
                note=note,
            )
        )

    def details(key: str) -> dict[str, Any]:
        data = measured.get(key)
        return data if isinstance(data, dict) else {}

    def rate_note(key: str) -> str:
        data = details(key)
        return f"capped after {data.get('events', 0):,} events" if data.get("capped") else ""

    if selected & {"sync", "store"}:
        store = figure_of(measured, "data.store", "rate")
        if "sync" in selected:
            sync = figure_of(measured, "data.sync", "rate")
            server = details("data.sync").get("server_cpu_ms_per_request")
            note = rate_note("data.sync")
            if not note and isinstance(server, float):
                note = f"server {server:.1f} ms CPU/request"
            add(
                "sync",
                f"Full sync over loopback, {n} events",
                sync,
                "store ingest",
                store,
                goal="≥ 5,000 ev/s",
                passed=at_least(sync, 5000),
                show=show_rate,
                unit="ev/s",
                note=note,
            )
        if "store" in selected:
            add(
                "store",
                "Store ingest (parse_events + write_page)",
                store,
                "bare SQLite insert",
                figure_of(measured, "data.store_floor", "rate"),
                goal="≥ 20,000 ev/s",
                passed=at_least(store, 20000),
                show=show_rate,
                unit="ev/s",
                note=rate_note("data.store"),
            )
    if "start" in selected:
        empty = figure_of(measured, "start.empty")
        small_start = figure_of(measured, "start.small")
        times_empty, _ = ratio_of(small_start, empty)
        add(
            "start_small",
            f"First painted rows, {SMALL_EVENTS} events",
            small_start,
            "empty QMainWindow",
            empty,
            goal="≤ 3x empty window",
            passed=None if times_empty is None else times_empty <= 3,
        )
        full_start = figure_of(measured, "start.full")
        add(
            "start_full",
            f"First painted rows, {n} events",
            full_start,
            "empty QMainWindow",
            empty,
            goal="≤ 1.5 s",
            passed=at_most(full_start, 1.5),
        )
    if "sort" in selected:
        plain = figure_of(measured, "interact.plain_sort")
        for key, arrow in (("sort_asc", "↑"), ("sort_desc", "↓")):
            fig = figure_of(measured, f"interact.{key}")
            speedup, _ = ratio_of(fig, plain, faster=True)
            ok = at_most(fig, 0.15)
            add(
                key,
                f"Sort by Docking {arrow} (window proxy)",
                fig,
                "plain QSortFilterProxyModel",
                plain,
                goal="≤ 150 ms, ≥ 30x faster",
                passed=None if ok is None else ok and speedup is not None and speedup >= 30,
                faster=True,
            )
        shuffled = details("interact.sort_floor").get("shuffled_seconds")
        add(
            "sort_floor",
            "Sort floor: sorted() over keys (info)",
            figure_of(measured, "interact.sort_floor"),
            "plain QSortFilterProxyModel",
            plain,
            faster=True,
            note=f"shuffled: {show_time(Figure(shuffled))}" if isinstance(shuffled, float) else "",
        )
    if "filter" in selected:
        station = figure_of(measured, "interact.station")
        add(
            "station",
            "Station filter → ISS",
            station,
            "Python loop",
            figure_of(measured, "interact.station", "floor_seconds"),
            goal="≤ 60 ms",
            passed=at_most(station, 0.06),
        )
        add(
            "station_reset",
            "Station filter → all (info)",
            figure_of(measured, "interact.station_reset"),
            "Python loop",
            figure_of(measured, "interact.station_reset", "floor_seconds"),
        )
        search = figure_of(measured, "interact.search")
        add(
            "search",
            "Search keystroke, after debounce",
            search,
            "Python loop",
            figure_of(measured, "interact.search", "floor_seconds"),
            goal="≤ 60 ms",
            passed=at_most(search, 0.06),
        )
        docked = figure_of(measured, "interact.docked_now")
        add(
            "docked_now",
            "Docked now on",
            docked,
            "Python loop",
            figure_of(measured, "interact.docked_now", "floor_seconds"),
            goal="≤ 60 ms",
            passed=at_most(docked, 0.06),
        )
        strokes = details("interact.search").get("strokes") or [{}]
        interval = strokes[0].get("interval", 0.2)
        add(
            "search_total",
            "Search keystroke incl. debounce (info)",
            figure_of(measured, "interact.search", "total"),
            "debounce",
            Figure(float(interval)),
        )
    small_names = {
        "sort_asc": "Sort by Docking ↑",
        "sort_desc": "Sort by Docking ↓",
        "sort_text": "Sort by Chaser",
        "station": "Station filter → ISS",
        "station_reset": "Station filter → all",
        "docked_now": "Docked now on",
        "search": "Search keystroke, after debounce",
    }
    for name, title in small_names.items():
        key = f"interact_small.{name}"
        if key not in measured:
            continue
        fig = figure_of(measured, key)
        add(
            f"small_{name}",
            f"{title}, {SMALL_EVENTS} events",
            fig,
            f"same, {n} events",
            figure_of(measured, f"interact.{name}"),
            goal="≤ 20 ms",
            passed=at_most(fig, 0.02),
        )
    if "rss" in selected:
        peak = figure_of(measured, "rss.peak_rss", "vm_hwm_kb")
        empty = figure_of(measured, "rss_empty.peak_rss", "vm_hwm_kb")
        peak_mb = Figure(peak.value / 1024 if peak.value else None, problem=peak.problem)
        empty_mb = Figure(empty.value / 1024 if empty.value else None, problem=empty.problem)
        add(
            "rss",
            f"Peak RSS, {n} events in the window",
            peak_mb,
            "empty QMainWindow",
            empty_mb,
            goal="≤ 300 MB",
            passed=at_most(peak_mb, 300),
            show=show_mb,
            unit="MB",
        )
    if "export" in selected:
        export = figure_of(measured, "data.export")
        megabytes = details("data.export").get("megabytes")
        add(
            "export",
            f"Export {n} events",
            export,
            "raw JSON copy",
            figure_of(measured, "data.export_floor"),
            goal="≤ 2 s",
            passed=at_most(export, 2.0),
            note=f"{megabytes:,.0f} MB" if isinstance(megabytes, float) else "",
        )
    if "checks" in selected:
        total = figure_of(measured, "data.checks")
        data = details("data.checks")
        add(
            "checks",
            f"Data checks + occupancy, {n} events",
            total,
            "SQL read of the checks' columns",
            figure_of(measured, "data.checks", "read_floor_seconds"),
            goal="≤ 300 ms",
            passed=at_most(total, 0.3),
            note=(
                f"{data['issues']} issues; check {show_time(Figure(data['check_seconds']))},"
                f" occupancy {show_time(Figure(data['occupancy_seconds']))},"
                f" CPU {show_time(Figure(data['cpu_seconds']))}"
                if "cpu_seconds" in data
                else ""
            ),
        )
        add(
            "occupancy",
            "Occupancy alone (info)",
            figure_of(measured, "data.checks", "occupancy_seconds"),
            "statistics of the same rows",
            figure_of(measured, "data.checks", "statistics_seconds"),
        )
    if "block" in selected:
        for key, title in (
            ("block_full", "Window block during a sync (cache has them)"),
            ("block_fresh", "Window block during first sync (fresh cache)"),
        ):
            gap = figure_of(measured, f"{key}.sync_gap", "max_gap")
            data = details(f"{key}.sync_gap")
            seconds = data.get("sync_seconds")
            note = f"sync {seconds:.1f} s" if isinstance(seconds, float) else ""
            if data.get("capped"):
                note += ", sync capped"
            elif data.get("ok") is False:
                note += ", sync failed"
            add(
                key,
                title,
                gap,
                "idle 10 ms timer",
                figure_of(measured, f"{key}.idle_gap", "max_gap"),
                goal="≤ 100 ms",
                passed=at_most(gap, 0.1),
                note=note,
            )
    return rows


def print_table(rows: list[Row], plan: Plan, seconds: float) -> None:
    headers = ("Benchmark", "Figure", "Baseline (same run)", "Ratio", "Goal", "")
    verdicts = {True: "PASS", False: "FAIL", None: "ERR"}
    cells = [
        (
            row.title,
            row.shown,
            row.baseline_shown,
            row.ratio_shown,
            row.goal,
            verdicts[row.passed] if row.goal else "",
        )
        for row in rows
    ]
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print()
    print(f"dockview benchmarks: {plan.events:,} events, {dt.datetime.now():%Y-%m-%d %H:%M}")
    print(line.format(*headers).rstrip())
    print("  ".join("-" * w for w in widths))
    for cell in cells:
        print(line.format(*cell).rstrip())
    goals = sum(bool(row.goal) for row in rows)
    met = sum(row.passed is True for row in rows)
    print(f"\n{met} of {goals} goals met; the run took {seconds:.0f} s.")


def _git(*args: str) -> str:
    try:
        done = subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=False
        )
    except OSError:
        return ""
    return done.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="dockview benchmarks: figures beside same-run baselines, with goals."
    )
    parser.add_argument("--events", type=int, help=f"events to generate (default {FULL_EVENTS:,})")
    parser.add_argument(
        "--quick", action="store_true", help=f"{QUICK_EVENTS:,} events, one start each"
    )
    parser.add_argument("--only", help=f"comma-separated, of: {', '.join(BENCHMARKS)}")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where results go")
    parser.add_argument("--cap", type=float, default=20.0, help="seconds per measurement")
    parser.add_argument(
        "--sync-cap", type=float, default=120.0, help="seconds per sync or store ingest"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--verbose", action="store_true", help="name each child as it starts")
    args = parser.parse_args(argv)
    selected = set(BENCHMARKS)
    if args.only:
        selected = {name.strip() for name in args.only.split(",") if name.strip()}
        unknown = selected - set(BENCHMARKS)
        if unknown:
            parser.error(f"unknown benchmark(s) {sorted(unknown)}; known: {', '.join(BENCHMARKS)}")
    events = args.events or (QUICK_EVENTS if args.quick else FULL_EVENTS)
    workdir = Path(tempfile.mkdtemp(prefix="dockview-bench-"))
    plan = Plan(
        events=events,
        cap=args.cap,
        sync_cap=args.sync_cap,
        start_repeats=1 if args.quick else START_REPEATS,
        selected=selected,
        workdir=workdir,
    )
    started = time.monotonic()
    try:
        runner = Runner(workdir, verbose=args.verbose)
        measured = run_all(plan, runner)
    finally:
        if args.keep:
            print(f"Kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    seconds = time.monotonic() - started
    rows = build_rows(measured, plan)
    print_table(rows, plan, seconds)
    document = {
        "meta": {
            "events": events,
            "quick": args.quick,
            "only": sorted(selected),
            "cap_seconds": args.cap,
            "sync_cap_seconds": args.sync_cap,
            "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "seconds": round(seconds, 1),
            "commit": _git("rev-parse", "--short", "HEAD"),
            "uncommitted_changes": bool(_git("status", "--porcelain", "--untracked-files=no")),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
        },
        "rows": [asdict(row) for row in rows],
        "measurements": measured,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"JSON: {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
