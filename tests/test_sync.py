"""Sync against the loopback LL2 server: full, incremental, resumable, throttled, faulty."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

import dockview.store
from dockview.api import LL2Client
from dockview.errors import (
    ApiDataError,
    ApiResponseError,
    ApiThrottled,
    ApiUnavailable,
    SyncCancelled,
)
from dockview.query import EventQuery
from dockview.sample import seed_sample_if_empty
from dockview.store import Store
from dockview.sync import SyncProgress, run_sync, unfinished_sync
from ll2_loopback import Fault, LL2TestServer, generate_events

KEY = "k3y-for-tests-only"


def make_client(server: LL2TestServer, **options: Any) -> LL2Client:
    options.setdefault("backoff", 0.0)
    options.setdefault("api_key", KEY)
    return LL2Client(server.base_url, **options)


def stored_ids(store: Store) -> set[int]:
    return {
        row[0]
        for row in store.conn.execute(
            "SELECT id FROM docking_events WHERE gone_upstream_at IS NULL"
        )
    }


def server_ids(server: LL2TestServer) -> set[int]:
    return {event["id"] for event in server.events}


def assert_exact_copy(store: Store, server: LL2TestServer) -> None:
    """The cache holds the server's set, no more, no fewer, each object field for field."""
    assert stored_ids(store) == server_ids(server)
    assert store.event_count(include_gone=False) == len(server.events)
    cached = {e["id"]: e for e in store.iter_raw_events(EventQuery(include_gone=False))}
    assert cached == {e["id"]: json.loads(json.dumps(e)) for e in server.events}
    assert store.integrity_ok()


def test_full_sync_stores_every_event_in_at_most_seven_requests(
    ll2_server: LL2TestServer, store: Store
) -> None:
    seen: list[SyncProgress] = []
    with make_client(ll2_server) as client:
        result = run_sync(store, client, progress=seen.append)
    assert len(ll2_server.events) == 570
    assert_exact_copy(store, ll2_server)
    assert result.complete and result.kind == "full"
    assert (result.new, result.changed, len(result.rejected)) == (570, 0, 0)
    assert result.requests == len(ll2_server.event_requests) <= 7
    assert [p.total for p in seen] == [570] * len(seen)
    assert seen[-1].stored >= 570
    assert result.summary().startswith("Full sync: 570 new, 0 changed, 0 rejected; ")


def test_every_request_is_polite(ll2_server: LL2TestServer, store: Store) -> None:
    with make_client(ll2_server) as client:
        run_sync(store, client)
    for request in ll2_server.requests:
        assert request.headers["authorization"] == f"Token {KEY}"
        assert request.headers["accept"] == "application/json"
        assert request.headers["user-agent"].startswith("dockview/")
    pages = [r for r in ll2_server.event_requests if r.query["limit"] == "100"]
    assert all(r.query["mode"] == "detailed" and r.query["ordering"] == "docking" for r in pages)


def test_the_sample_is_replaced_by_the_first_sync(ll2_server: LL2TestServer, store: Store) -> None:
    seed_sample_if_empty(store)
    assert store.summary()["sample"] == 10
    with make_client(ll2_server) as client:
        run_sync(store, client)
    assert store.summary()["sample"] == 0
    assert_exact_copy(store, ll2_server)


def test_incremental_sync_takes_one_or_two_requests_and_sees_changes(
    ll2_server: LL2TestServer, store: Store
) -> None:
    with make_client(ll2_server) as client:
        run_sync(store, client)
        docked = [e for e in ll2_server.events if e["departure"] is None]
        assert docked, "the generated data has vehicles docked now"
        departed = copy.deepcopy(docked[0])
        departed["departure"] = "2026-11-20T10:00:00Z"
        ll2_server.events = [
            departed if e["id"] == departed["id"] else e for e in ll2_server.events
        ]
        newest = max(ll2_server.events, key=lambda e: e["docking"])
        arrival = copy.deepcopy(newest)
        arrival["id"] = 999_999
        arrival["docking"] = "2026-11-25T08:00:00Z"
        arrival["departure"] = None
        ll2_server.add_event(arrival)
        before = len(ll2_server.event_requests)
        result = run_sync(store, client)
    assert result.kind == "incremental" and result.complete
    assert 1 <= len(ll2_server.event_requests) - before <= 2
    assert (result.new, result.changed) == (1, 1)
    assert_exact_copy(store, ll2_server)


def test_an_interrupted_sync_resumes_where_it_stopped(
    ll2_server: LL2TestServer, store: Store
) -> None:
    pages: list[SyncProgress] = []
    with (
        make_client(ll2_server, should_cancel=lambda: len(pages) >= 2) as client,
        pytest.raises(SyncCancelled),
    ):
        run_sync(store, client, progress=pages.append)
    assert store.event_count() == 200
    unfinished = unfinished_sync(store)
    assert unfinished is not None and unfinished["kind"] == "full"
    first_run = len(ll2_server.event_requests)
    with make_client(ll2_server) as client:
        result = run_sync(store, client)
    assert result.resumed and result.complete
    assert_exact_copy(store, ll2_server)
    assert first_run + result.requests <= 8
    assert unfinished_sync(store) is None


def test_a_sync_killed_mid_page_keeps_whole_pages(
    ll2_server: LL2TestServer, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crash between the upsert and the commit leaves the previous pages and their cursor."""
    calls = {"n": 0}
    original = dockview.store.upsert_lookups

    def crash_on_third_page(conn: Any, events: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        original(conn, events)

    monkeypatch.setattr(dockview.store, "upsert_lookups", crash_on_third_page)
    with (
        Store(db_path) as store,
        make_client(ll2_server) as client,
        pytest.raises(KeyboardInterrupt),
    ):
        run_sync(store, client)
    monkeypatch.undo()
    with Store(db_path) as store:
        assert store.event_count() == 200
        assert store.integrity_ok()
        with make_client(ll2_server) as client:
            run_sync(store, client)
        assert_exact_copy(store, ll2_server)


def test_a_throttled_sync_waits_and_completes(store: Store) -> None:
    with LL2TestServer(generate_events(300, seed=2), throttle_limit=2) as server:
        server.throttle_wait = 1
        waits: list[float] = []
        with make_client(server, on_wait=lambda left, reason: waits.append(left)) as client:
            result = run_sync(store, client)
        assert result.complete
        assert waits and waits[0] == 1
        assert any(r.status == 429 for r in server.event_requests)
        assert_exact_copy(store, server)


def test_no_wait_stops_throttled_and_the_next_sync_finishes(store: Store) -> None:
    with LL2TestServer(generate_events(300, seed=3), throttle_limit=2) as server:
        with make_client(server, wait_when_throttled=False) as client, pytest.raises(ApiThrottled):
            run_sync(store, client)
        assert store.event_count() == 200
        server.reset_throttle()
        with make_client(server) as client:
            result = run_sync(store, client)
        assert result.resumed and result.complete
        assert_exact_copy(store, server)


#: Faults that are not one broken answer: a chosen status, a wait, a foreign link, and
#: data that changes between pages each have tests of their own.
NOT_A_BROKEN_ANSWER = {
    Fault.STATUS,
    Fault.SLOW,
    Fault.FOREIGN_NEXT,
    Fault.INSERT_BETWEEN_PAGES,
    Fault.REMOVE_BETWEEN_PAGES,
}


@pytest.mark.parametrize("fault", [f for f in Fault if f not in NOT_A_BROKEN_ANSWER])
def test_a_passing_fault_is_retried_and_the_sync_completes(
    ll2_server: LL2TestServer, store: Store, fault: Fault
) -> None:
    ll2_server.inject(fault, times=2, on_request=2)
    with make_client(ll2_server) as client:
        result = run_sync(store, client)
    assert result.complete
    assert_exact_copy(store, ll2_server)


@pytest.mark.parametrize(
    ("fault", "error", "sentence"),
    [
        (
            "503",
            ApiResponseError,
            "The API answered HTTP 503 Service Unavailable for docking events.",
        ),
        ("html_error", ApiDataError, "The API answered with text/html instead of JSON."),
        ("truncated", ApiUnavailable, "The connection to the API at 127.0.0.1:"),
        ("invalid_json", ApiDataError, "The API's answer was cut off or is not valid JSON."),
    ],
)
def test_a_lasting_fault_is_one_sentence_and_the_cache_stays_whole(
    ll2_server: LL2TestServer, store: Store, fault: str, error: type[Exception], sentence: str
) -> None:
    ll2_server.inject(fault, times=3, on_request=3)
    with make_client(ll2_server) as client, pytest.raises(error) as caught:
        run_sync(store, client)
    assert str(caught.value).startswith(sentence)
    assert store.event_count() == 200
    assert store.integrity_ok()
    with make_client(ll2_server) as client:
        assert run_sync(store, client).complete
    assert_exact_copy(store, ll2_server)


def test_a_slow_answer_times_out_and_is_retried(ll2_server: LL2TestServer, store: Store) -> None:
    ll2_server.inject("slow", delay=3, on_request=2)
    with make_client(ll2_server, timeout=httpx.Timeout(0.5)) as client:
        result = run_sync(store, client)
    assert result.complete
    assert_exact_copy(store, ll2_server)


def test_a_foreign_next_link_is_never_followed(ll2_server: LL2TestServer, store: Store) -> None:
    ll2_server.inject("foreign_next", times=10)
    sent: list[httpx.Request] = []
    with make_client(ll2_server) as client:
        client._http.event_hooks["request"].append(sent.append)
        result = run_sync(store, client)
    assert result.next_link_refused and result.complete
    assert {r.url.host for r in sent} == {"127.0.0.1"}
    assert_exact_copy(store, ll2_server)


@pytest.mark.parametrize("fault", ["insert_between_pages", "remove_between_pages"])
def test_data_shifting_during_paging_ends_exact_after_one_rerun(
    ll2_server: LL2TestServer, store: Store, fault: str
) -> None:
    ll2_server.inject(fault, on_request=2)
    with make_client(ll2_server) as client:
        first = run_sync(store, client)
        if not first.complete:
            assert "differs" in first.summary()
            second = run_sync(store, client)
            assert second.kind == "full" and second.complete
    assert_exact_copy(store, ll2_server)
    ids = [row[0] for row in store.conn.execute("SELECT id FROM docking_events")]
    assert len(ids) == len(set(ids))


def test_an_event_added_ahead_of_the_cursor_is_fetched_in_the_same_pass(
    ll2_server: LL2TestServer, store: Store
) -> None:
    ll2_server.inject("insert_between_pages", docking="2026-11-01T00:00:00Z", on_request=1)
    with make_client(ll2_server) as client:
        result = run_sync(store, client)
    assert result.complete
    assert_exact_copy(store, ll2_server)


def test_events_gone_upstream_are_marked_not_deleted(
    ll2_server: LL2TestServer, store: Store
) -> None:
    with make_client(ll2_server) as client:
        run_sync(store, client)
        gone_id = ll2_server.events[100]["id"]
        assert ll2_server.remove_event(gone_id)
        result = run_sync(store, client, full=True)
    assert result.complete and result.gone == 1
    assert store.event_count() == 570
    assert stored_ids(store) == server_ids(ll2_server)
    row = store.conn.execute("SELECT gone_upstream_at FROM docking_events WHERE id = ?", [gone_id])
    assert row.fetchone()[0] is not None


def test_a_bad_event_is_rejected_named_and_the_rest_stored(
    ll2_server: LL2TestServer, store: Store
) -> None:
    broken = copy.deepcopy(ll2_server.events[5])
    broken["docking"] = "not a time"
    ll2_server.events = [broken if e["id"] == broken["id"] else e for e in ll2_server.events]
    with make_client(ll2_server) as client:
        result = run_sync(store, client)
    assert [r.event_id for r in result.rejected] == [broken["id"]]
    assert f"Rejected: #{broken['id']} (no valid docking time)" in result.summary()
    assert stored_ids(store) == server_ids(ll2_server) - {broken["id"]}
    assert result.complete


def test_progress_and_cancel_are_plain_callbacks(ll2_server: LL2TestServer, store: Store) -> None:
    cancel = {"now": False}

    def on_progress(update: SyncProgress) -> None:
        cancel["now"] = update.stored >= 300

    with (
        make_client(ll2_server, should_cancel=lambda: cancel["now"]) as client,
        pytest.raises(SyncCancelled),
    ):
        run_sync(store, client, progress=on_progress)
    assert 300 <= store.event_count() < 570


def test_a_second_sync_of_the_same_cache_is_told_it_is_busy(
    ll2_server: LL2TestServer, store: Store, db_path: Path
) -> None:
    from dockview.errors import CacheBusy
    from dockview.sync import sync_lock

    with sync_lock(db_path), make_client(ll2_server) as client, pytest.raises(CacheBusy) as caught:
        run_sync(store, client)
    assert str(caught.value) == (
        "Another dockview is syncing this cache right now; try again when it has finished."
    )
    assert ll2_server.requests == []
    with make_client(ll2_server) as client:
        assert run_sync(store, client).complete


@pytest.mark.parametrize("style", ["header", "body", "none"])
def test_each_kind_of_429_is_waited_out(store: Store, style: str) -> None:
    """Retry-After; only the body's "Expected available in N seconds"; neither (ask
    /2.3.0/api-throttle/)."""
    with LL2TestServer(
        generate_events(250, seed=5), throttle_limit=2, throttle_style=style
    ) as server:
        server.throttle_wait = 1
        waits: list[float] = []
        with make_client(server, on_wait=lambda left, reason: waits.append(left)) as client:
            result = run_sync(store, client)
        assert result.complete
        assert waits and 0 < waits[0] <= 1
        throttle_asked = [r for r in server.requests if r.api_throttle]
        assert bool(throttle_asked) == (style == "none")
        assert_exact_copy(store, server)


def test_a_next_link_on_another_scheme_is_never_followed(
    ll2_server: LL2TestServer, store: Store
) -> None:
    ll2_server.inject("foreign_next", times=10, next_origin=f"https://127.0.0.1:{ll2_server.port}")
    sent: list[httpx.Request] = []
    with make_client(ll2_server) as client:
        client._http.event_hooks["request"].append(sent.append)
        result = run_sync(store, client)
    assert result.next_link_refused and result.complete
    assert {r.url.scheme for r in sent} == {"http"}
    assert all(r.headers["authorization"] == f"Token {KEY}" for r in ll2_server.requests)
    assert_exact_copy(store, ll2_server)


def test_a_wrong_content_type_on_good_json_loses_nothing(
    ll2_server: LL2TestServer, store: Store
) -> None:
    ll2_server.inject("wrong_content_type", times=20)
    with make_client(ll2_server) as client:
        result = run_sync(store, client)
    assert result.complete and result.requests == 7  # no retries spent on it
    assert_exact_copy(store, ll2_server)
