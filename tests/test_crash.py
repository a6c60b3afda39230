"""Crash consistency: `dockview sync` killed at random moments, two syncs at once, a reader
while a sync writes, a disk that fills up.

What must hold whatever happens to a sync process: the cache passes SQLite's integrity check,
holds whole pages only (the page and its cursor commit together), and the next sync ends with
the server's exact set. The syncs run as real subprocesses (`python -m dockview ... sync`)
against the loopback LL2 server; each page is slowed a little so that a sync lasts long enough
to be killed in the middle.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dockview.api import PAGE_SIZE
from dockview.sample import load_sample_page
from dockview.store import Store
from dockview.sync import FULL_STATE, run_sync
from ll2_loopback import LL2TestServer, generate_events
from tests.test_sync import assert_exact_copy, make_client

TOTAL = 3000  # 30 pages of PAGE_SIZE
SAMPLE_SIZE = len(load_sample_page()["results"])
#: Each page's answer is held back this long, so a full sync takes over a second here.
PAGE_DELAY = 0.02
TRIALS = 20
#: Kill delays are drawn over this multiple of an uninterrupted run, to cover its end too.
SPAN = 1.1
MIN_MID_SYNC_KILLS = 10
PROCESS_TIMEOUT = 30.0
BUSY_SENTENCE = (
    "dockview: Another dockview is syncing this cache right now; try again when it has finished."
)


@pytest.fixture
def big_server() -> Iterator[LL2TestServer]:
    server = LL2TestServer(generate_events(TOTAL, seed=20261126))
    server.cache_results = True
    with server:
        yield server


def slow_pages(server: LL2TestServer, delay: float = PAGE_DELAY) -> None:
    server.clear_faults()
    server.inject("slow", delay=delay, times=10_000)


def sync_command(db_path: Path, server: LL2TestServer) -> list[str]:
    return [
        sys.executable,
        "-m",
        "dockview",
        "--db",
        str(db_path),
        "--api-url",
        server.base_url,
        "sync",
        "--quiet",  # no progress lines, no once-a-cache notes: stderr holds only errors
    ]


def child_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "DOCKVIEW_LOG_FILE": str(tmp_path / "child-dockview.log")}


@contextmanager
def started(command: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """A subprocess that is killed and reaped on the way out, however the test ends."""
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=PROCESS_TIMEOUT)


@dataclass(frozen=True)
class Snapshot:
    events: int
    samples: int
    state: dict[str, Any] | None
    seen_in_run: int | None


def snapshot(store: Store) -> Snapshot:
    """Event counts and the full-sync cursor, read in one transaction (one WAL snapshot)."""
    conn = store.conn
    conn.execute("BEGIN")
    try:
        events, samples = conn.execute(
            "SELECT count(*), coalesce(sum(is_sample), 0) FROM docking_events"
        ).fetchone()
        state = store.get_state(FULL_STATE)
        run_id = (state or {}).get("run_id")
        seen = store.count_seen_in_run(run_id) if run_id else None
    finally:
        conn.execute("COMMIT")
    return Snapshot(int(events), int(samples), state, seen)


def assert_whole_pages(snap: Snapshot) -> str:
    """No half page: the cache is the sample, or whole pages matching the cursor, or all.

    Returns the phase the sync was in: "before", "start", "mid", "end" or "complete".
    """
    state = snap.state
    if state is None:
        # Nothing synced yet: empty, or only the bundled sample `dockview sync` seeds.
        assert snap.events in (0, SAMPLE_SIZE), snap
        assert snap.samples == snap.events, snap
        return "before"
    if state["status"] == "complete":
        assert (snap.events, snap.samples) == (TOTAL, 0), snap
        return "complete"
    assert state["status"] == "running", snap
    stored = int(state.get("stored", 0))
    assert stored % PAGE_SIZE == 0 or stored == TOTAL, snap
    # The first page replaces the sample in its own transaction.
    assert snap.samples == (SAMPLE_SIZE if stored == 0 else 0), snap
    assert snap.events - snap.samples == stored == snap.seen_in_run, snap
    if stored == 0:
        return "start"
    return "mid" if stored < TOTAL else "end"


def test_sigkill_at_random_moments_leaves_whole_pages_and_resumes(
    big_server: LL2TestServer, tmp_path: Path
) -> None:
    rng = random.Random(20261126)
    env = child_env(tmp_path)

    # One uninterrupted run sets the span the kill delays are drawn from.
    slow_pages(big_server)
    calibration_db = tmp_path / "calibration" / "dockview.db"
    began = time.monotonic()
    with started(sync_command(calibration_db, big_server), env) as process:
        _, stderr = process.communicate(timeout=PROCESS_TIMEOUT)
    full_run = time.monotonic() - began
    assert process.returncode == 0, stderr
    with Store(calibration_db) as store:
        assert_exact_copy(store, big_server)

    # Stratified: one random moment in each twentieth of the span, in random order, so the
    # trials cover start-up, the pages and the end evenly.
    width = full_run * SPAN / TRIALS
    delays = [(i + rng.random()) * width for i in range(TRIALS)]
    rng.shuffle(delays)

    phases: list[str] = []
    for trial, delay in enumerate(delays):
        db_path = tmp_path / f"trial-{trial:02d}" / "dockview.db"
        slow_pages(big_server)
        with started(sync_command(db_path, big_server), env) as process:
            time.sleep(delay)
            finished_first = process.poll() is not None
            if not finished_first:
                process.send_signal(signal.SIGKILL)
            _, stderr = process.communicate(timeout=PROCESS_TIMEOUT)
        big_server.clear_faults()
        if finished_first:
            assert process.returncode == 0, stderr
        else:
            assert process.returncode in (0, -signal.SIGKILL), stderr

        with Store(db_path) as store:
            where = f"trial {trial}, killed after {delay:.3f} s"
            assert store.moved_aside is None, (where, store.moved_aside_reason)
            assert store.integrity_ok(), where
            snap = snapshot(store)
            phase = assert_whole_pages(snap)
            phases.append(phase)

            with make_client(big_server) as client:
                result = run_sync(store, client)
            assert result.complete, result.summary()
            if phase in ("start", "mid", "end"):
                stored = int((snap.state or {}).get("stored", 0))
                assert result.resumed, f"trial {trial}: a {phase} sync was not resumed"
                # Resumed, not started again: the remaining pages, the end check and the tail.
                assert result.requests <= (TOTAL - stored) // PAGE_SIZE + 2, result.summary()
            assert store.summary()["sample"] == 0
            assert_exact_copy(store, big_server)

    mid = phases.count("mid")
    print(
        f"\nuninterrupted sync {full_run:.2f} s; kills by phase: "
        + ", ".join(f"{name} {phases.count(name)}" for name in sorted(set(phases)))
    )
    assert mid >= MIN_MID_SYNC_KILLS, (full_run, sorted(zip(delays, phases, strict=True)))


def test_two_syncs_at_once_one_runs_and_the_other_is_told(
    big_server: LL2TestServer, db_path: Path, tmp_path: Path
) -> None:
    """Both start together on the same cache; each page is slowed so the runs overlap,
    so exactly one syncs and the other stops at once with the one sentence."""
    # A brand-new cache: both processes also create it, switch it to WAL and seed it at once.
    env = child_env(tmp_path)
    slow_pages(big_server, 2 * PAGE_DELAY)
    command = sync_command(db_path, big_server)
    with started(command, env) as first, started(command, env) as second:
        outcomes = []
        for process in (first, second):
            _, stderr = process.communicate(timeout=PROCESS_TIMEOUT)
            outcomes.append((process.returncode, stderr))
    big_server.clear_faults()
    assert_one_synced_and_the_other_was_told(outcomes)
    # The runs overlap, so "both exit 0" would mean both synced at once.
    assert sorted(code for code, _ in outcomes) == [0, 1], outcomes
    with Store(db_path) as store:
        assert store.integrity_ok()
        assert_exact_copy(store, big_server)
        # One more sync (incremental) keeps it exact.
        with make_client(big_server) as client:
            assert run_sync(store, client).complete
        assert_exact_copy(store, big_server)


def test_a_reader_never_waits_and_never_sees_half_a_page(
    big_server: LL2TestServer, db_path: Path, tmp_path: Path
) -> None:
    Store(db_path).close()
    slow_pages(big_server)
    seen: list[Snapshot] = []
    slowest = 0.0
    with (
        Store(db_path) as reader,
        started(sync_command(db_path, big_server), child_env(tmp_path)) as process,
    ):
        deadline = time.monotonic() + PROCESS_TIMEOUT
        while process.poll() is None and time.monotonic() < deadline:
            began = time.monotonic()
            snap = snapshot(reader)
            slowest = max(slowest, time.monotonic() - began)
            assert_whole_pages(snap)
            seen.append(snap)
            time.sleep(0.005)
        _, stderr = process.communicate(timeout=PROCESS_TIMEOUT)
        assert process.returncode == 0, stderr
        seen.append(snapshot(reader))
    big_server.clear_faults()

    real = [snap.events - snap.samples for snap in seen]
    assert real == sorted(real), "a reader saw the cache go backwards"
    assert real[-1] == TOTAL
    mid_counts = {count for count in real if 0 < count < TOTAL}
    assert len(mid_counts) >= 5, f"the reader saw too little of the sync: {sorted(set(real))}"
    assert slowest < 1.0, f"a read waited {slowest:.2f} s for the writer"
    with Store(db_path) as store:
        assert_exact_copy(store, big_server)


# -- the first open of a new cache, with one moment stretched or cut short by a hook -------

#: `dockview` with one moment cut short or held: argv is HOOK MARKER DOCKVIEW-ARGS... A held
#: moment creates the MARKER file when it starts, so the test knows when to go on.
HOOKED_DOCKVIEW = """
import os, signal, sys, time
from pathlib import Path
import dockview.migrations
import dockview.store

hook, marker, *argv = sys.argv[1:]
migration = dockview.migrations.migrations._migrations[0]
create_tables = migration.fn
upsert_events = dockview.store.upsert_events

def hold(seconds):
    if not Path(marker).exists():
        Path(marker).touch()
        time.sleep(seconds)

def in_first_migration(db):
    # Inside the migration that creates the tables.
    if hook == "kill-in-first-migration":
        os.kill(os.getpid(), signal.SIGKILL)
    hold(1.0)
    create_tables(db)

def writing_events(*args, **kwargs):
    # Inside a write transaction (the sample seed's: after it found the cache empty), before
    # it writes the events.
    hold(1.0)
    return upsert_events(*args, **kwargs)

if hook == "hold-sample-seed":
    dockview.store.upsert_events = writing_events
else:
    migration.fn = in_first_migration

from dockview.cli import main
sys.exit(main(argv))
"""


def hooked_sync(hook: str, marker: Path, db_path: Path, server: LL2TestServer) -> list[str]:
    command = sync_command(db_path, server)
    return [sys.executable, "-c", HOOKED_DOCKVIEW, hook, str(marker), *command[3:]]


def wait_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + PROCESS_TIMEOUT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


def assert_one_synced_and_the_other_was_told(outcomes: list[tuple[int, str]]) -> None:
    """Each exits 0, or one exits 0 and the other 1 with the sync lock's sentence."""
    for _, stderr in outcomes:
        assert "Traceback" not in stderr
    codes = sorted(code for code, _ in outcomes)
    assert codes in ([0, 0], [0, 1]), outcomes
    for code, stderr in outcomes:
        if code == 1:
            assert stderr.strip() == BUSY_SENTENCE


def test_a_kill_during_the_first_open_leaves_a_usable_cache(
    ll2_server: LL2TestServer, db_path: Path, tmp_path: Path
) -> None:
    command = hooked_sync("kill-in-first-migration", tmp_path / "unused", db_path, ll2_server)
    with started(command, child_env(tmp_path)) as process:
        process.communicate(timeout=PROCESS_TIMEOUT)
    assert process.returncode == -signal.SIGKILL
    with Store(db_path) as store:
        assert store.moved_aside is None, store.moved_aside_reason
        assert store.integrity_ok()
        with make_client(ll2_server) as client:
            assert run_sync(store, client).complete
        assert_exact_copy(store, ll2_server)


def test_two_syncs_creating_the_cache_at_once_keep_one_cache(
    ll2_server: LL2TestServer, db_path: Path, tmp_path: Path
) -> None:
    env = child_env(tmp_path)
    marker = tmp_path / "creating"
    # The first is held for a second inside the migration that creates the tables; the
    # second starts then.
    with started(hooked_sync("hold-first-migration", marker, db_path, ll2_server), env) as first:
        wait_until(marker.exists, "the first sync to start creating the cache")
        with started(sync_command(db_path, ll2_server), env) as second:
            outcomes = []
            for process in (first, second):
                _, stderr = process.communicate(timeout=PROCESS_TIMEOUT)
                outcomes.append((process.returncode, stderr))
    assert_one_synced_and_the_other_was_told(outcomes)
    assert list(db_path.parent.glob("*.unusable-*")) == [], outcomes
    with Store(db_path) as store:
        assert store.moved_aside is None
        assert_exact_copy(store, ll2_server)


def test_a_sync_starting_while_another_seeds_the_sample(
    ll2_server: LL2TestServer, db_path: Path, tmp_path: Path
) -> None:
    Store(db_path).close()
    env = child_env(tmp_path)
    marker = tmp_path / "seeding"
    slow_pages(ll2_server, 0.05)
    # The first has read the empty cache and is held while writing the sample when the
    # second starts, finds the cache empty too and seeds or syncs.
    with started(hooked_sync("hold-sample-seed", marker, db_path, ll2_server), env) as first:
        wait_until(marker.exists, "the first sync to start seeding")
        with started(sync_command(db_path, ll2_server), env) as second:
            outcomes = []
            for process in (first, second):
                _, stderr = process.communicate(timeout=PROCESS_TIMEOUT)
                outcomes.append((process.returncode, stderr))
    ll2_server.clear_faults()
    assert_one_synced_and_the_other_was_told(outcomes)
    with Store(db_path) as store:
        assert store.summary()["sample"] == 0
        assert_exact_copy(store, ll2_server)


# -- a full disk: a child whose files may not grow past a limit (``ulimit -f``) -------------

#: `dockview` under a file size limit: argv is LIMIT DOCKVIEW-ARGS... Writing past the limit
#: fails with EFBIG (Python ignores SIGXFSZ), as writing to a full disk fails with ENOSPC.
LIMITED_DOCKVIEW = """
import resource, sys

limit, *argv = sys.argv[1:]
_, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
resource.setrlimit(resource.RLIMIT_FSIZE, (int(limit), hard))

from dockview.cli import main
sys.exit(main(argv))
"""

#: The one sentence a full disk gives, with the room there is and the room needed.
FULL_DISK_SENTENCE = (
    r"dockview: Could not {verb} the cache {path}: the disk may be full, with [\d.]+ [kM]B left"
    r" under a file size limit of [\d.]+ [kM]B \(ulimit -f\) for a cache that needs about"
    r" [\d.]+ MB; make room and try again, as what is stored is kept and a sync goes on where"
    r" it stopped\."
)


def limited(limit: int, command: list[str]) -> list[str]:
    """``command`` (a ``python -m dockview`` one) with its files held under ``limit`` bytes."""
    return [sys.executable, "-c", LIMITED_DOCKVIEW, str(limit), *command[3:]]


def assert_full_disk_sentence(stderr: str, verb: str, db_path: Path) -> None:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    pattern = FULL_DISK_SENTENCE.format(verb=verb, path=re.escape(str(db_path)))
    assert re.fullmatch(pattern, lines[0]), lines[0]


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_mid_sync_is_one_sentence_and_the_next_sync_resumes(
    big_server: LL2TestServer, db_path: Path, tmp_path: Path
) -> None:
    env = child_env(tmp_path)
    # A whole sync elsewhere tells how big the cache grows; the disk "fills" at half of that.
    calibration_db = tmp_path / "calibration" / "dockview.db"
    with started(sync_command(calibration_db, big_server), env) as process:
        _, stderr = process.communicate(timeout=PROCESS_TIMEOUT)
    assert process.returncode == 0, stderr
    limit = calibration_db.stat().st_size // 2

    command = limited(limit, sync_command(db_path, big_server))
    with started(command, env) as process:
        _, stderr = process.communicate(timeout=PROCESS_TIMEOUT)
    assert process.returncode == 1, stderr
    assert_full_disk_sentence(stderr, "write a page of events to", db_path)

    with Store(db_path) as store:
        assert store.moved_aside is None, store.moved_aside_reason
        assert store.integrity_ok()
        snap = snapshot(store)
        # Whole pages, and the cursor of the last one stored: the failed page is not there.
        assert assert_whole_pages(snap) == "mid", snap
        with make_client(big_server) as client:
            result = run_sync(store, client)
        assert result.resumed and result.complete, result.summary()
        assert_exact_copy(store, big_server)


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_full_disk_while_creating_the_cache_moves_nothing_aside(
    ll2_server: LL2TestServer, db_path: Path, tmp_path: Path
) -> None:
    """The cache's first tables do not fit: that is not a damaged file to move aside."""
    calibration_db = tmp_path / "calibration" / "dockview.db"
    with Store(calibration_db):
        # The new cache's tables are in the WAL until the last connection closes.
        limit = calibration_db.with_name("dockview.db-wal").stat().st_size // 2
    command = limited(limit, sync_command(db_path, ll2_server))
    with started(command, child_env(tmp_path)) as process:
        _, stderr = process.communicate(timeout=PROCESS_TIMEOUT)
    assert process.returncode == 1, stderr
    assert_full_disk_sentence(stderr, "prepare", db_path)
    assert list(db_path.parent.glob("*.unusable-*")) == []
    with Store(db_path) as store:
        assert store.moved_aside is None, store.moved_aside_reason
        assert store.integrity_ok()
        with make_client(ll2_server) as client:
            assert run_sync(store, client).complete
        assert_exact_copy(store, ll2_server)
