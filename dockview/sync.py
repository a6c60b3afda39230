"""Full, incremental and resumable sync: the cache follows LL2 at 15 requests an hour.

How pages are followed: in ascending ``docking`` order, by keyset rather than by offset. Each
request asks for ``docking__gte=<latest docking seen>`` and skips the events at exactly that
time that were already seen (as ``offset``). An event added or removed upstream *behind* the
cursor therefore cannot shift the rest of the list and make us skip one (offset paging would),
and events added meanwhile land ahead of the cursor and are simply fetched.

A last request asks for the unfiltered list from the offset where it should end: normally it
is empty and only tells the server's total, which is compared with what the pass stored. Any
events there (one with no docking time sorts last and never matches ``docking__gte``) are
stored or counted as rejected. 560 events take 6 pages plus that one request.

The cursor is committed with each page, in the page's own transaction, so a sync stopped by
Ctrl-C, a kill, a lost network or a spent hourly budget resumes where it stopped.

No Qt here: the window's worker drives the same code through ``progress`` and the client's
``should_cancel``.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, BinaryIO

from dockview.api import (
    DEFAULT_API_URL,
    PAGE_SIZE,
    UNSUPPORTED_VERSIONS,
    LL2Client,
    api_version_of,
    origin_of,
)
from dockview.errors import CacheBusy, StoreError
from dockview.lookups import refresh_lookups
from dockview.records import RejectedEvent, parse_events
from dockview.store import Change, ChangeKind, Store, UpsertResult
from dockview.timefmt import iso_utc, parse_time, utc_now_iso

log = logging.getLogger(__name__)

FULL_STATE = "full_sync"
INCREMENTAL_STATE = "incremental_sync"
LAST_SYNC_STATE = "last_sync"
CHANGES_STATE = "last_sync_changes"
UNSUPPORTED_NOTED_STATE = "unsupported_version_noted"
#: How many changes of one sync are kept for the Changes panel (all are counted).
CHANGES_LISTED = 5000
#: Incremental syncs reach back this far before the newest docking or oldest open one.
INCREMENTAL_MARGIN = timedelta(days=1)
#: An event still "docked" after this long is a data error upstream, not a reason to fetch
#: years of history on every incremental sync; full syncs still refresh it.
OPEN_EVENT_HORIZON = timedelta(days=730)
#: How many rejected events are named in the summary (all are counted).
REJECTED_NAMED = 20


@dataclass(frozen=True)
class SyncProgress:
    kind: str
    stored: int
    total: int | None
    requests: int
    message: str = ""


@dataclass
class SyncResult:
    kind: str
    #: What the pages written did, added up.
    written: UpsertResult = field(default_factory=UpsertResult)
    gone_ids: list[int] = field(default_factory=list)
    rejected: list[RejectedEvent] = field(default_factory=list)
    requests: int = 0
    complete: bool = False
    resumed: bool = False
    server_count: int | None = None
    stored_in_run: int | None = None
    next_link_refused: bool = False
    seconds: float = 0.0
    #: Why the configuration and agency records could not be fetched (the events are kept).
    lookup_failure: str | None = None

    @property
    def new(self) -> int:
        return self.written.new

    @property
    def changed(self) -> int:
        return self.written.changed

    @property
    def gone(self) -> int:
        return len(self.gone_ids)

    @property
    def changes(self) -> list[Change]:
        """What the pages changed, then the events gone upstream."""
        gone = (
            Change(event_id, ChangeKind.GONE, None, None, None, None) for event_id in self.gone_ids
        )
        return [*self.written.changes, *gone]

    def change_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ChangeKind, 0)
        for change in self.written.changes:
            counts[change.kind] += 1
        counts[ChangeKind.GONE] = len(self.gone_ids)
        return {kind.value: count for kind, count in counts.items()}

    def summary(self) -> str:
        """The one line a person reads at the end of a sync."""
        what = "Full sync" if self.kind == "full" else "Incremental sync"
        if self.resumed:
            what += " (resumed)"
        parts = [
            f"{self.new} new",
            f"{self.changed} changed",
            f"{len(self.rejected)} rejected",
        ]
        text = f"{what}: {', '.join(parts)}; {plural(self.requests, 'request')}"
        if self.kind == "full" and self.complete:
            text += f"; {self.gone} gone upstream"
        if self.rejected:
            named = ", ".join(
                f"#{r.event_id} ({r.reason})"
                if r.event_id is not None
                else f"item {r.index} ({r.reason})"
                for r in self.rejected[:REJECTED_NAMED]
            )
            text += f". Rejected: {named}"
        if self.lookup_failure:
            text += (
                ". Configuration and agency details were not fetched this time; the next sync"
                " tries again"
            )
        if self.kind == "full" and not self.complete:
            text += (
                f". The server's total ({self.server_count}) differs from the {self.stored_in_run}"
                " events stored, because its data changed during the sync; the next sync runs"
                " a full pass again"
            )
        return text + "."


ProgressCallback = Callable[[SyncProgress], None]


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def needs_full_sync(store: Store, api_url: str) -> bool:
    """A full pass is due until one has completed against this API URL."""
    full = store.get_state(FULL_STATE) or {}
    return not (full.get("status") == "complete" and full.get("api_url") == api_url)


def api_switched(store: Store, api_url: str) -> str | None:
    """The API URL of the last complete full sync, when it is not this one (another host or
    another API version): the next sync then fetches everything again."""
    full = store.get_state(FULL_STATE) or {}
    previous = full.get("api_url")
    if full.get("status") == "complete" and isinstance(previous, str) and previous != api_url:
        return previous
    return None


def unsupported_version_note(store: Store, api_url: str) -> str | None:
    """Once per cache and version: the sentence saying upstream no longer supports the API
    version this person chose (they keep it; dockview only says so)."""
    version = api_version_of(api_url)
    if version not in UNSUPPORTED_VERSIONS:
        return None
    noted = store.get_state(UNSUPPORTED_NOTED_STATE)
    if isinstance(noted, list) and version in noted:
        return None
    store.set_state(UNSUPPORTED_NOTED_STATE, [*(noted if isinstance(noted, list) else []), version])
    return (
        f"The API's own documentation lists version {version} as unsupported (no new "
        f"fixes or features); {DEFAULT_API_URL} is the recommended one. dockview keeps using "
        f"{version} because it was chosen."
    )


def unfinished_sync(store: Store) -> dict[str, Any] | None:
    """The state of a sync that stopped before its end, if any (for ``info`` and the window)."""
    for key, kind in ((FULL_STATE, "full"), (INCREMENTAL_STATE, "incremental")):
        state = store.get_state(key) or {}
        if state.get("status") == "running":
            return {"kind": kind, **state}
    return None


def run_sync(
    store: Store,
    client: LL2Client,
    *,
    full: bool = False,
    progress: ProgressCallback | None = None,
) -> SyncResult:
    """Bring the cache up to date: resume an unfinished pass, else full or incremental.

    One sync at a time per cache (the window and ``dockview sync`` may both try): a second
    one gets :class:`CacheBusy` at once instead of interleaving its pages with the first's.
    """
    with sync_lock(store.path):
        return _run_sync_locked(store, client, full=full, progress=progress)


def _run_sync_locked(
    store: Store,
    client: LL2Client,
    *,
    full: bool,
    progress: ProgressCallback | None,
) -> SyncResult:
    started = time.monotonic()
    requests_before = client.requests_made
    # After the first real data, or a switch to another host, everything is "new" or
    # "changed": listing it all in the Changes panel would say nothing. Another API version
    # on the same host is the same data in another shape, which the store does not count
    # as a change, so what it lists is what really changed.
    previous = api_switched(store, client.base_url)
    first_real_data = (
        store.has_sample()
        or store.event_count() == 0
        or (previous is not None and origin_of(previous) != origin_of(client.base_url))
    )
    full_state = store.get_state(FULL_STATE) or {}
    resumable_full = (
        full_state.get("status") == "running" and full_state.get("api_url") == client.base_url
    )
    if resumable_full or full or needs_full_sync(store, client.base_url):
        result = _full_sync(store, client, full_state if resumable_full else None, progress)
    else:
        result = _incremental_sync(store, client, progress)
    lookups = refresh_lookups(store, client, incremental=result.kind == "incremental")
    result.lookup_failure = lookups.failure
    result.requests = client.requests_made - requests_before
    result.seconds = time.monotonic() - started
    store.set_state(
        LAST_SYNC_STATE,
        {
            "kind": result.kind,
            "finished_at": utc_now_iso(),
            "new": result.new,
            "changed": result.changed,
            "rejected": len(result.rejected),
            "requests": result.requests,
            "complete": result.complete,
            "api_url": client.base_url,
        },
    )
    store.set_state(
        CHANGES_STATE,
        {
            "finished_at": utc_now_iso(),
            "counts": result.change_counts(),
            # The first real data is all "new": listing it would say nothing.
            "first_sync": first_real_data,
            "changes": []
            if first_real_data
            else [change.as_json() for change in result.changes[:CHANGES_LISTED]],
        },
    )
    return result


def last_changes(store: Store) -> tuple[dict[str, int], list[Change], bool]:
    """What the last successful sync changed: counts by kind, the listed changes, and
    whether it was the first sync (everything new, nothing listed)."""
    state = store.get_state(CHANGES_STATE)
    if not isinstance(state, dict):
        return {}, [], False
    counts = state.get("counts") if isinstance(state.get("counts"), dict) else {}
    changes = [c for c in map(Change.from_json, state.get("changes") or []) if c is not None]
    return (
        {k: v for k, v in (counts or {}).items() if isinstance(v, int)},
        changes,
        state.get("first_sync") is True,
    )


def last_sync_finished(store: Store) -> datetime | None:
    """When the last successful sync ended (aware, UTC), or None before the first one or
    when the stored state cannot be read: how old the cached data is."""
    state = store.get_state(LAST_SYNC_STATE)
    return parse_time(state.get("finished_at")) if isinstance(state, dict) else None


@contextlib.contextmanager
def sync_lock(db_path: Path) -> Iterator[None]:
    """An OS file lock beside the cache, released by the OS however the holder ends (even
    SIGKILL), so a crashed sync never leaves the cache locked."""
    lock_path = db_path.with_name(db_path.name + ".sync-lock")
    try:
        handle = open(lock_path, "a+b")  # noqa: SIM115  (closed below, after unlocking)
    except OSError as exc:
        raise StoreError(f"Cannot create the sync lock {lock_path}: {exc.strerror}.") from exc
    try:
        if not _try_lock(handle):
            raise CacheBusy(
                "Another dockview is syncing this cache right now; try again when it has finished."
            )
        try:
            yield
        finally:
            _unlock(handle)
    finally:
        handle.close()


def _try_lock(handle: BinaryIO) -> bool:
    if sys.platform == "win32":
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(handle: BinaryIO) -> None:
    if sys.platform == "win32":
        import msvcrt

        with contextlib.suppress(OSError):
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _full_sync(
    store: Store,
    client: LL2Client,
    resume_state: dict[str, Any] | None,
    progress: ProgressCallback | None,
) -> SyncResult:
    result = SyncResult(kind="full", resumed=resume_state is not None)
    if resume_state is not None:
        state = dict(resume_state)
    else:
        state = {
            "status": "running",
            "run_id": uuid.uuid4().hex,
            "api_url": client.base_url,
            "started_at": utc_now_iso(),
            "after": None,
            "skip": 0,
            "count": None,
        }
        store.set_state(FULL_STATE, state)
    _page_through(store, client, state, FULL_STATE, result, progress, floor=None)

    # The pass is at its end: read the list's tail, where nothing should be left, to learn the
    # server's total now and to catch events that no docking__gte filter matches.
    rejected_total = int(state.get("rejected_total", 0))
    tail_offset = store.count_seen_in_run(state["run_id"]) + rejected_total
    tail = client.fetch_events_page(offset=tail_offset, limit=PAGE_SIZE)
    events, rejected = parse_events(tail.results, client.api_version)
    if tail.results:
        written = store.write_page(events, source_url=client.base_url, run_id=state["run_id"])
        result.written.add(written)
    known_rejected = {(r.event_id, r.reason) for r in result.rejected}
    fresh_rejected = [r for r in rejected if (r.event_id, r.reason) not in known_rejected]
    result.rejected.extend(fresh_rejected)
    rejected_total += len(fresh_rejected)
    state["rejected_total"] = rejected_total
    total = tail.count
    stored = store.count_seen_in_run(state["run_id"])
    result.server_count = total
    result.stored_in_run = stored
    if total is not None and stored + rejected_total != total:
        state["status"] = "mismatch"
        log.warning("Full sync stored %d (+%d rejected) of %s", stored, rejected_total, total)
    else:
        result.gone_ids = store.mark_gone(state["run_id"])
        state["status"] = "complete"
        result.complete = True
    state["completed_at"] = utc_now_iso()
    state["count"] = total
    store.set_state(FULL_STATE, state)
    # A complete full pass makes any interrupted incremental one pointless.
    store.set_state(INCREMENTAL_STATE, None)
    return result


def _incremental_sync(
    store: Store, client: LL2Client, progress: ProgressCallback | None
) -> SyncResult:
    result = SyncResult(kind="incremental")
    state = store.get_state(INCREMENTAL_STATE) or {}
    if state.get("status") == "running" and state.get("api_url") == client.base_url:
        result.resumed = True
        floor = parse_time(state.get("floor"))
    else:
        floor = _incremental_floor(store)
        state = {
            "status": "running",
            "api_url": client.base_url,
            "started_at": utc_now_iso(),
            "floor": iso_utc(floor) if floor else None,
            "after": None,
            "skip": 0,
        }
        store.set_state(INCREMENTAL_STATE, state)
    _page_through(store, client, state, INCREMENTAL_STATE, result, progress, floor=floor)
    state["status"] = "complete"
    state["completed_at"] = utc_now_iso()
    store.set_state(INCREMENTAL_STATE, state)
    result.complete = True
    return result


def _incremental_floor(store: Store) -> datetime | None:
    """From the earliest still-open docking or the newest known one, whichever is earlier,
    minus a day: that is where departures get filled in and new dockings appear."""
    newest = store.newest_docking()
    if newest is None:
        return None
    earliest_open = store.earliest_open_docking(not_before=datetime.now(UTC) - OPEN_EVENT_HORIZON)
    start = min(newest, earliest_open) if earliest_open else newest
    return start - INCREMENTAL_MARGIN


def _page_through(
    store: Store,
    client: LL2Client,
    state: dict[str, Any],
    state_key: str,
    result: SyncResult,
    progress: ProgressCallback | None,
    *,
    floor: datetime | None,
) -> None:
    """Fetch pages by keyset until the end, committing each page with its cursor."""
    run_id = state.get("run_id")
    stored_so_far = int(state.get("stored", 0))
    drop_sample = store.has_sample()
    while True:
        after = state.get("after") or (iso_utc(floor) if floor is not None else None)
        skip = int(state.get("skip", 0))
        filters = {"docking__gte": after} if after else {}
        page = client.fetch_events_page(offset=skip, limit=PAGE_SIZE, filters=filters)
        result.next_link_refused = result.next_link_refused or page.next_link_refused
        events, rejected = parse_events(page.results, client.api_version)
        result.rejected.extend(rejected)

        new_after, new_skip = _advance_cursor(page.results, after, skip)
        state["after"], state["skip"] = new_after, new_skip
        state["requests"] = int(state.get("requests", 0)) + 1
        state["rejected_total"] = int(state.get("rejected_total", 0)) + len(rejected)
        if state.get("count") is None and not after:
            state["count"] = page.count
        state["stored"] = stored_so_far + len({event.id for event in events})
        written = store.write_page(
            events,
            source_url=client.base_url,
            run_id=run_id,
            state={state_key: state},
            drop_sample=drop_sample,
        )
        drop_sample = False
        result.written.add(written)
        stored_so_far = state["stored"]
        if progress is not None:
            progress(
                SyncProgress(
                    kind=result.kind,
                    stored=stored_so_far,
                    total=state.get("count") if result.kind == "full" else None,
                    requests=client.requests_made,
                    message=f"{stored_so_far} events fetched",
                )
            )
        at_end = not page.has_next or len(page.results) < PAGE_SIZE
        stuck = new_after == after and new_skip == skip
        if at_end or stuck:
            return


def _advance_cursor(results: list[Any], after: str | None, skip: int) -> tuple[str | None, int]:
    """The next keyset position: the latest docking time in this page, and how many events at
    exactly that time (counting from the first of them) have been seen, to skip next time."""
    times = [
        parse_time(item.get("docking")) if isinstance(item, dict) else None for item in results
    ]
    valid = [moment for moment in times if moment is not None]
    if not valid:
        return after, skip + len(results)
    latest = max(valid)
    latest_text = iso_utc(latest)
    first_at_latest = times.index(latest)
    seen_at_latest = len(results) - first_at_latest
    after_time = parse_time(after) if after else None
    if after_time is not None and latest <= after_time:
        # The whole page sat at the cursor's own time: keep counting past it.
        return after, skip + len(results)
    return latest_text, seen_at_latest
