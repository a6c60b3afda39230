"""The benchmarks that need no Qt: sync over loopback, store ingest, export, the data checks and
occupancy, and their baselines.

Why the figures are taken this way:
- Every benchmark reads the same pages: ``prepare`` generates the events once with the loopback
  server's own generator and writes them in the order a sync receives them (docking, then id)
  as JSON lines of 100. Decoding a line is left out of the store figures, as httpx's decoding
  is not the store's work; the sync over loopback includes everything.
- The server runs in a process of its own (``serve``): in the sync's process its JSON work
  would compete for the GIL and the figure would be the server's, not dockview's.
- Throughput figures stop at the cap and report the rate reached so far rather than nothing.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sqlite3
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.protocol import cpu_seconds, emit

#: The source URL written with the prepared caches (never contacted).
FIXTURE_URL = "http://127.0.0.1:9/2.2.0"
PAGES_FILE = "pages.jsonl"
CACHE_FILE = "cache.db"
CACHE_560_FILE = "cache_560.db"
SMALL_CACHE_EVENTS = 560


def serve(
    events: int, seed: int, throttle_limit: int | None = None, throttle_wait: float | None = None
) -> int:
    """Serve ``generate_events(events, seed)`` until stdin closes (so it dies with its parent).

    Each line on stdin is a command, so that whoever started the server can make it misbehave:
    ``{"inject": {"fault": "503", "times": 1, ...}}`` calls ``inject`` with those keywords.
    """
    from ll2_loopback import LL2TestServer, generate_events

    server = LL2TestServer(generate_events(events, seed=seed), throttle_limit=throttle_limit)
    server.throttle_wait = throttle_wait
    server.cache_results = True  # nobody edits events in place here: reuse filtered results
    server.start()
    print(server.base_url, flush=True)
    try:
        for line in sys.stdin:
            try:
                command = json.loads(line)
                server.inject(**command["inject"])
            except (ValueError, KeyError, TypeError) as exc:
                print(f"serve: ignoring the command {line.strip()!r}: {exc}", file=sys.stderr)
    finally:
        server.stop()
    return 0


def _docking_order(event: dict[str, Any]) -> tuple[float, int]:
    return datetime.fromisoformat(event["docking"]).timestamp(), event["id"]


def _pages(events: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    from dockview.api import PAGE_SIZE

    ordered = sorted(events, key=_docking_order)
    for start in range(0, len(ordered), PAGE_SIZE):
        yield ordered[start : start + PAGE_SIZE]


def _fill_cache(path: Path, events: list[dict[str, Any]]) -> None:
    """A cache as a person's is after a sync: the events, and the time of that sync (without
    it the window takes the cache for one no sync ever finished, and its next sync hands it
    every row again instead of what changed)."""
    from dockview.records import parse_events
    from dockview.store import Store
    from dockview.sync import LAST_SYNC_STATE
    from dockview.timefmt import utc_now_iso

    with Store(path) as store:
        for page in _pages(events):
            parsed, _ = parse_events(page)
            store.write_page(parsed, source_url=FIXTURE_URL)
        store.set_state(LAST_SYNC_STATE, {"finished_at": utc_now_iso(), "kind": "full"})


def prepare(events: int, seed: int, workdir: Path, what: list[str]) -> int:
    """Write the inputs the other children share: pages file and caches."""
    from ll2_loopback import generate_events

    started = time.perf_counter()
    generated = generate_events(events, seed=seed)
    made: dict[str, str] = {}
    if "pages" in what:
        path = workdir / PAGES_FILE
        with path.open("w", encoding="utf-8") as handle:
            for page in _pages(generated):
                handle.write(json.dumps(page, ensure_ascii=False) + "\n")
        made["pages"] = str(path)
    if "cache" in what:
        _fill_cache(workdir / CACHE_FILE, generated)
        made["cache"] = str(workdir / CACHE_FILE)
    if "cache_560" in what:
        _fill_cache(workdir / CACHE_560_FILE, generate_events(SMALL_CACHE_EVENTS, seed=seed))
        made["cache_560"] = str(workdir / CACHE_560_FILE)
    emit("result", "prepare", {"seconds": time.perf_counter() - started, **made})
    return 0


# -- measurements ----------------------------------------------------------------------------


def _read_pages(path: Path) -> Iterator[list[dict[str, Any]]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def _ingest(
    pages: Path, cap: float, write: Callable[[list[dict[str, Any]], int], int]
) -> dict[str, Any]:
    """Time only ``write`` (one page → events stored), page by page, until done or capped."""
    spent = 0.0
    stored = 0
    count = 0
    capped = False
    for number, page in enumerate(_read_pages(pages)):
        started = time.perf_counter()
        stored += write(page, number)
        spent += time.perf_counter() - started
        count += 1
        if spent > cap:
            capped = True
            break
    return {
        "events": stored,
        "pages": count,
        "seconds": spent,
        "rate": stored / spent if spent else None,
        "capped": capped,
    }


def measure_store(args: argparse.Namespace) -> dict[str, Any]:
    """parse_events + Store.write_page, with the cursor state a sync commits with each page."""
    from dockview.records import parse_events
    from dockview.store import Store

    store = Store(args.workdir / "ingest.db")
    run_id = uuid.uuid4().hex
    state: dict[str, Any] = {"status": "running", "run_id": run_id, "api_url": FIXTURE_URL}

    def write(page: list[dict[str, Any]], number: int) -> int:
        events, _ = parse_events(page)
        state.update(after=page[-1]["docking"] if page else None, requests=number + 1)
        store.write_page(events, source_url=FIXTURE_URL, run_id=run_id, state={"bench": state})
        return len(events)

    try:
        return _ingest(args.pages, args.sync_cap, write)
    finally:
        store.close()


def measure_store_floor(args: argparse.Namespace) -> dict[str, Any]:
    """The SQLite floor: each raw object serialised and inserted as one row, a transaction per
    page, WAL and synchronous=NORMAL like the store; no parsing, no lookup tables."""
    conn = sqlite3.connect(str(args.workdir / "floor.db"))
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, docking TEXT NOT NULL, raw_json TEXT)"
    )

    def write(page: list[dict[str, Any]], _number: int) -> int:
        rows = [
            (e["id"], e["docking"], json.dumps(e, ensure_ascii=False, separators=(",", ":")))
            for e in page
        ]
        with conn:
            conn.executemany("INSERT OR REPLACE INTO events VALUES (?, ?, ?)", rows)
        return len(rows)

    try:
        return _ingest(args.pages, args.sync_cap, write)
    finally:
        conn.close()


def measure_sync(args: argparse.Namespace) -> dict[str, Any]:
    """run_sync with LL2Client against the loopback server, into a fresh cache."""
    from dockview.api import LL2Client
    from dockview.errors import SyncCancelled
    from dockview.store import Store
    from dockview.sync import SyncProgress, run_sync

    with LL2Client(args.api_url) as warm_up:
        # The server builds its docking index on the first request: not dockview's time.
        warm_up.fetch_events_page(offset=0, limit=1)
    deadline = time.perf_counter() + args.sync_cap
    last: dict[str, float] = {"stored": 0, "at": 0.0}
    started = 0.0

    def progress(update: SyncProgress) -> None:
        last["stored"] = update.stored
        last["at"] = time.perf_counter() - started

    store = Store(args.workdir / "sync.db")
    client = LL2Client(args.api_url, should_cancel=lambda: time.perf_counter() > deadline)
    server_cpu = cpu_seconds(args.server_pid) if args.server_pid else None
    started = time.perf_counter()
    capped = False
    try:
        result = run_sync(store, client, full=True, progress=progress)
    except SyncCancelled:
        capped = True
    seconds = time.perf_counter() - started
    requests = client.requests_made
    server_after = cpu_seconds(args.server_pid) if args.server_pid else None
    events = store.event_count()
    client.close()
    store.close()
    out: dict[str, Any] = {"requests": requests, "capped": capped}
    if capped:
        out.update(events=int(last["stored"]), seconds=last["at"])
    else:
        out.update(events=events, seconds=seconds, complete=result.complete)
    out["rate"] = out["events"] / out["seconds"] if out["seconds"] else None
    if server_cpu is not None and server_after is not None and requests:
        out["server_cpu_ms_per_request"] = (server_after - server_cpu) * 1000 / requests
    return out


def measure_export(args: argparse.Namespace) -> dict[str, Any]:
    """export_from_store + write_export of every event, to a file beside the others."""
    from dockview.export import export_from_store, write_export
    from dockview.query import EventQuery
    from dockview.store import Store

    target = args.workdir / "export.json"
    with Store(args.db) as store:
        started = time.perf_counter()
        document: Any = export_from_store(store, EventQuery(), api_url=FIXTURE_URL)
        written: Any = write_export(document, target)
        seconds = time.perf_counter() - started
    # write_export returns the count since it streams; earlier it returned None (a dict then).
    count = written if isinstance(written, int) else document["count"]
    return {"seconds": seconds, "events": count, "megabytes": target.stat().st_size / 1e6}


def measure_export_floor(args: argparse.Namespace) -> dict[str, Any]:
    """The floor: the stored raw JSON strings streamed into one file and fsynced, as they are
    (no parsing, no re-serialising); what any export must at least do."""
    target = args.workdir / "export_floor.json"
    conn = sqlite3.connect(str(args.db))
    try:
        started = time.perf_counter()
        rows = conn.execute(
            "SELECT raw_json FROM docking_events WHERE gone_upstream_at IS NULL"
            " ORDER BY docking_ts, id"
        )
        with target.open("w", encoding="utf-8") as handle:
            write = handle.write
            separator = "[\n"
            for (raw,) in rows:
                write(separator)
                write(raw)
                separator = ",\n"
            write("\n]\n")
            handle.flush()
            os.fsync(handle.fileno())
        seconds = time.perf_counter() - started
    finally:
        conn.close()
    return {"seconds": seconds, "megabytes": target.stat().st_size / 1e6}


class _Row:
    """What the window's rows carry for statistics and occupancy (``EventRow`` without Qt)."""

    __slots__ = (
        "agency_name",
        "chaser",
        "config_name",
        "departure_ts",
        "docking_ts",
        "flight_vehicle_id",
        "gone",
        "id",
        "location_id",
        "location_name",
        "spacecraft_id",
        "spacecraft_name",
        "station_id",
        "station_name",
    )

    def __init__(self, fields: tuple[Any, ...]) -> None:
        (
            self.id,
            self.docking_ts,
            self.departure_ts,
            self.spacecraft_name,
            self.config_name,
            self.agency_name,
            self.station_id,
            self.station_name,
            self.location_id,
            self.location_name,
            self.spacecraft_id,
            self.flight_vehicle_id,
            gone_at,
            self.chaser,
        ) = fields
        self.gone = gone_at is not None


def _median_seconds(work: Callable[[], Any], repeats: int = 3) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return sorted(times)[len(times) // 2], result


def measure_checks(args: argparse.Namespace) -> dict[str, Any]:
    """The data checks and the occupancy of every event, as the window runs them after a load:
    over the rows it holds, with the lookup tables read from the cache. Baselines: the bare
    SQL read of the checks' columns from the events table (what the command line pays on
    top), and the statistics over the same rows (an existing one-pass figure)."""
    from dockview.checks import ROWS_QUERY, check_events, read_facts
    from dockview.occupancy import compute_occupancy
    from dockview.stats import compute_statistics
    from dockview.store import Store

    now = time.time()
    with Store(args.db) as store:
        rows = [
            _Row(fields)
            for fields in store.conn.execute(
                "SELECT id, docking_ts, departure_ts, spacecraft_name, config_name, agency_name,"
                " station_id, station_name, location_id, location_name, spacecraft_id,"
                " flight_vehicle_id, gone_upstream_at, coalesce(chaser_name, spacecraft_name)"
                " FROM docking_events ORDER BY docking_ts, id"
            )
        ]
        gc.freeze()  # as the window does with its rows (collector.settle_long_lived_objects)
        cpu_before = time.process_time()
        check, report = _median_seconds(lambda: check_events(rows, now, read_facts(store.conn)))
        occupancy, _ = _median_seconds(lambda: compute_occupancy(rows, now))
        # CPU time beside the wall clock: on a shared machine the two part ways.
        cpu = (time.process_time() - cpu_before) / 3
        floor, _ = _median_seconds(lambda: store.conn.execute(ROWS_QUERY).fetchall())
        statistics, _ = _median_seconds(lambda: compute_statistics(rows, now))
    return {
        "seconds": check + occupancy,
        "cpu_seconds": cpu,
        "check_seconds": check,
        "occupancy_seconds": occupancy,
        "read_floor_seconds": floor,
        "statistics_seconds": statistics,
        "events": report.checked,
        "issues": len(report.issues),
    }


MEASUREMENTS: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "checks": measure_checks,
    "store_floor": measure_store_floor,
    "store": measure_store,
    "sync": measure_sync,
    "export": measure_export,
    "export_floor": measure_export_floor,
}


def run_data(names: list[str], args: argparse.Namespace) -> int:
    emit("ready")
    for name in names:
        emit("begin", name)
        emit("result", name, MEASUREMENTS[name](args))
    return 0
