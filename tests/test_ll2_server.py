"""The LL2 imitation must behave like LL2 2.2.0, or tests built on it prove nothing."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ll2_loopback import (
    MAX_LIMIT,
    NON_STATION_IDS,
    SAMPLE_PATH,
    Fault,
    LL2TestServer,
    generate_events,
    generate_events_v230,
    iso_duration,
    non_station_events_v230,
    real_events,
    real_events_v230,
    to_detailed_shape,
    to_list_shape,
    to_v230,
    to_v230_normal,
)
from tests.conftest_ll2 import ll2_server  # noqa: F401 - the fixture under test

SAMPLE = json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))["results"]
# One client for the plain calls: building an httpx.Client (its SSL context) costs ~15 ms.
HTTP = httpx.Client(timeout=5)
DURATION = re.compile(r"^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")


@pytest.fixture(scope="module", autouse=True)
def _close_http() -> Iterator[None]:
    yield
    HTTP.close()


@pytest.fixture
def client(ll2_server: LL2TestServer) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=ll2_server.base_url, timeout=5) as c:
        yield c


@pytest.fixture
def small() -> Iterator[LL2TestServer]:
    """A server with the 10 real events only, for throttling and fault tests."""
    with LL2TestServer(real_events()).start() as server:
        yield server


def get(server: LL2TestServer, path: str = "/docking_event/", **params: Any) -> httpx.Response:
    return HTTP.get(server.base_url + path, params=params)


def walk(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    """Follow next links to the end; return every result."""
    out: list[dict[str, Any]] = []
    page = client.get("/docking_event/", params=params).json()
    out += page["results"]
    while page["next"]:
        page = client.get(page["next"]).json()
        out += page["results"]
    return out


# -- data --------------------------------------------------------------------------------


def test_generate_events_is_deterministic_and_realistic() -> None:
    events = generate_events(560, seed=1)
    assert events == generate_events(560, seed=1)
    assert events != generate_events(560, seed=2)
    ids = [e["id"] for e in events]
    assert len(set(ids)) == 560 and min(ids) == 1000 and max(ids) == 1559
    assert events[0]["docking"].startswith("1971") and events[-1]["docking"] >= "2025"
    still_docked = [e for e in events if e["departure"] is None]
    assert 5 <= len(still_docked) <= 12
    for event in still_docked:
        assert event["flight_vehicle"]["mission_end"] is None
        assert event["flight_vehicle"]["spacecraft"]["in_space"] is True
        assert event["docking"] >= "2025"
    for event in events:
        assert event["departure"] is None or event["departure"] > event["docking"]
        craft = event["flight_vehicle"]["spacecraft"]
        assert DURATION.match(craft["time_docked"]), craft["time_docked"]
        assert event["space_station"]["id"] == event["docking_location"]["spacestation"]["id"]
    stations = {e["space_station"]["id"] for e in events}
    assert {2, 4, 18, 8} <= stations
    assert any(e["flight_vehicle"]["spacecraft"]["serial_number"] is None for e in events)
    assert any("“" in e["flight_vehicle"]["spacecraft"]["name"] for e in events)
    configs = {id(e["flight_vehicle"]["spacecraft"]["spacecraft_config"]) for e in events}
    assert len(configs) < 30  # shared objects, like records in a database
    assert generate_events(0) == [] and len(generate_events(3, seed=5, start_id=7)) == 3


def test_iso_duration_leaves_out_zero_parts() -> None:
    assert iso_duration(213 * 86400 + 6 * 3600 + 20 * 60) == "P213DT6H20M"
    assert iso_duration(868 * 86400 + 14 * 3600 + 14 * 60 + 29) == "P868DT14H14M29S"
    assert iso_duration(3 * 86400) == "P3D"
    assert iso_duration(59) == "PT59S"
    assert iso_duration(0) == "PT0S"


def test_real_events_reduce_back_to_the_sample() -> None:
    events = real_events()
    assert [to_list_shape(e) for e in events] == SAMPLE
    first = events[0]
    assert first["space_station"]["id"] == 4 and first["space_station"]["image_url"]
    config = first["flight_vehicle"]["spacecraft"]["spacecraft_config"]
    assert config["human_rated"] is True and "wiki_link" in config
    assert config["agency"]["abbrev"] == "SpX" and "logo_url" in config["agency"]
    assert to_detailed_shape(SAMPLE[3]) == events[3]


# -- paging, ordering, filters, shapes -------------------------------------------------------


def test_paging_defaults_clamp_and_links(client: httpx.Client, ll2_server: LL2TestServer) -> None:  # noqa: F811
    response = client.get("/docking_event/", params={"format": "json"})
    assert response.headers["content-type"] == "application/json"
    page = response.json()
    assert page["count"] == 570 and len(page["results"]) == 10 and page["previous"] is None
    assert page["next"] == f"{ll2_server.base_url}/docking_event/?format=json&limit=10&offset=10"

    params: dict[str, Any] = {
        "limit": 500,
        "mode": "detailed",
        "space_station__id": 4,
        "offset": 200,
    }
    page = client.get("/docking_event/", params=params).json()
    assert len(page["results"]) == MAX_LIMIT
    assert page["next"].startswith(ll2_server.origin + "/2.2.0/docking_event/?")
    query = dict(httpx.URL(page["next"]).params)
    assert query == {"limit": "100", "mode": "detailed", "offset": "300", "space_station__id": "4"}
    assert dict(httpx.URL(page["previous"]).params)["offset"] == "100"
    back = client.get("/docking_event/", params={"limit": 100, "offset": 50}).json()
    assert "offset" not in dict(httpx.URL(back["previous"]).params)
    last = client.get("/docking_event/", params={"limit": 100, "offset": 560}).json()
    assert last["next"] is None and len(last["results"]) == 10


def test_walking_next_links_visits_every_event_once(client: httpx.Client) -> None:
    seen = walk(client, limit=100, ordering="-docking")
    assert len(seen) == 570 and len({e["id"] for e in seen}) == 570


def test_ordering_with_postgres_null_placement(client: httpx.Client) -> None:
    by_docking = walk(client, limit=100, ordering="docking")
    dockings = [e["docking"] for e in by_docking]
    assert dockings == sorted(dockings)
    by_departure = walk(client, limit=100, ordering="departure")
    departures = [e["departure"] for e in by_departure]
    n_open = departures.count(None)
    assert n_open >= 5 and departures[-n_open:] == [None] * n_open
    assert departures[:-n_open] == sorted(departures[:-n_open])
    newest_first = client.get("/docking_event/", params={"ordering": "-departure"}).json()
    assert newest_first["results"][0]["departure"] is None
    ids = [e["id"] for e in walk(client, limit=100, ordering="-id")]
    assert ids == sorted(ids, reverse=True)
    unknown = client.get("/docking_event/", params={"ordering": "name"}).json()
    stored = client.get("/docking_event/").json()
    assert unknown["results"] == stored["results"]  # invalid fields are ignored


def test_ordering_ties_break_by_id(ll2_server: LL2TestServer) -> None:  # noqa: F811
    ll2_server.events = [dict(e, docking="2024-01-01T00:00:00Z") for e in real_events()]
    results = get(ll2_server, ordering="-docking").json()["results"]
    assert [e["id"] for e in results] == sorted(e["id"] for e in real_events())


def test_filters(client: httpx.Client) -> None:
    def ids(**params: Any) -> set[int]:
        return {e["id"] for e in walk(client, limit=100, **params)}

    tiangong = walk(client, limit=100, space_station__id=18, mode="detailed")
    assert tiangong and all(e["space_station"]["id"] == 18 for e in tiangong)
    assert ids(flight_vehicle__id=776) == {568}
    harmony_zenith = walk(client, limit=100, docking_location__id=30)
    assert {568, 566} <= {e["id"] for e in harmony_zenith}
    assert all(e["docking_location"]["name"] == "Harmony zenith" for e in harmony_zenith)
    window = walk(client, limit=100, docking__gte="2024-05-02T13:46:00Z", docking__lt="2024-06-01")
    assert 568 in {e["id"] for e in window}
    assert all("2024-05-02T13:46" <= e["docking"] < "2024-06-01" for e in window)
    assert 568 not in ids(docking__gt="2024-05-02T13:46:00Z", docking__lte="2024-05-03T00:00:00Z")
    scobee = walk(client, limit=100, search="DICK scobee")
    assert 572 in {e["id"] for e in scobee}
    assert all("Scobee" in e["flight_vehicle"]["spacecraft"]["name"] for e in scobee)
    assert 620 in ids(search="prichal") and 620 in ids(search="11F732 #758")
    assert 569 in ids(search="Tiangong space")
    assert 572 in ids(search="northrop")
    assert ids(departure__isnull="true", bogus="1") == ids()  # unknown parameters are ignored
    bad = client.get("/docking_event/", params={"docking__gt": "yesterday"})
    assert bad.status_code == 400 and "docking__gt" in bad.json()


def test_list_and_detailed_shapes(client: httpx.Client) -> None:
    listed = walk(client, limit=100, search="Endeavour", flight_vehicle__id=776)
    assert listed == [SAMPLE[0]]
    assert all(e == s for e, s in zip(listed[0], SAMPLE[0], strict=True))  # same key order
    detailed = client.get("/docking_event/", params={"mode": "detailed", "limit": 100}).json()
    event = detailed["results"][0]
    assert set(event) == {
        "id", "url", "launch_id", "docking", "departure", "flight_vehicle", "docking_location",
        "space_station",
    }  # fmt: skip
    assert "founding_year" in event["flight_vehicle"]["spacecraft"]["spacecraft_config"]["agency"]
    one = client.get("/docking_event/568/")
    assert one.status_code == 200 and one.json() == real_events()[0]
    missing = client.get("/docking_event/999999/")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not found."}
    assert client.get("/launch/").status_code == 404
    assert client.get("/docking_event/568").status_code == 301


def test_requests_are_recorded_with_headers(ll2_server: LL2TestServer) -> None:  # noqa: F811
    headers = {"Authorization": "Token secret", "User-Agent": "dockview/test"}
    with httpx.Client(headers=headers) as c:
        c.get(ll2_server.base_url + "/docking_event/", params={"limit": 5})
        c.get(ll2_server.origin + "/2.3.0/api-throttle/")
    first, second = ll2_server.requests
    assert first.method == "GET" and first.path == "/2.2.0/docking_event/"
    assert first.query == {"limit": "5"} and first.status == 200
    assert first.headers["authorization"] == "Token secret"
    assert first.headers["User-Agent"] == "dockview/test" and "accept" in first.headers
    assert not first.api_throttle and second.api_throttle
    assert ll2_server.event_requests == [first]


def test_cached_results_see_changes_made_through_the_server(small: LL2TestServer) -> None:
    small.cache_results = True
    assert get(small, ordering="docking").json()["count"] == 10
    small.remove_event(620)
    assert get(small, ordering="docking").json()["count"] == 9
    small.events.append(real_events()[-1])
    assert get(small, ordering="docking").json()["results"][-1]["id"] == 620
    small.events[0]["docking"] = "1999-01-01T00:00:00Z"
    small.invalidate_cache()
    assert get(small, ordering="docking").json()["results"][0]["docking"].startswith("1999")


def test_other_methods_are_refused(small: LL2TestServer) -> None:
    response = HTTP.post(small.base_url + "/docking_event/", json={})
    assert response.status_code == 405 and small.requests[-1].method == "POST"


# -- throttling ------------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["header", "body", "none"])
def test_throttle_styles(style: str) -> None:
    with LL2TestServer(real_events(), throttle_limit=2, throttle_style=style).start() as server:
        assert [get(server).status_code for _ in range(2)] == [200, 200]
        throttled = get(server)
        assert throttled.status_code == 429
        detail = throttled.json()["detail"]
        if style == "none":
            assert detail == "Request was throttled." and "retry-after" not in throttled.headers
        else:
            wait = int(re.findall(r"in (\d+) seconds?\.", detail)[0])
            assert 3590 <= wait <= 3600
            assert throttled.headers.get("retry-after") == (
                str(wait) if style == "header" else None
            )
        status = HTTP.get(server.origin + "/2.3.0/api-throttle/").json()
        assert status["your_request_limit"] == 2 and status["current_use"] == 2
        assert status["next_use_secs"] > 3500 and status["limit_frequency_secs"] == 3600
        server.reset_throttle()
        assert get(server).status_code == 200


def test_throttle_wait_really_resets_the_budget(small: LL2TestServer) -> None:
    small.throttle_limit = 1
    small.throttle_wait = 0.3
    assert get(small).status_code == 200
    throttled = get(small)
    assert throttled.headers["retry-after"] == "1"
    assert throttled.json()["detail"] == "Request was throttled. Expected available in 1 second."
    assert get(small).status_code == 429  # still closed
    time.sleep(0.35)
    assert get(small).status_code == 200
    small.throttle_wait = 0
    assert get(small).status_code == 429
    assert get(small).status_code == 200


def test_api_throttle_endpoint(small: LL2TestServer) -> None:
    url = small.origin + "/2.3.0/api-throttle/"
    fresh = HTTP.get(url).json()
    assert fresh["current_use"] == 0 and fresh["next_use_secs"] == 0 and fresh["ident"]
    get(small)
    HTTP.get(url)
    assert HTTP.get(url).json()["current_use"] == 1  # asking does not spend the budget
    small.throttle_endpoint_as_list = True
    listed = HTTP.get(url).json()
    assert isinstance(listed, list) and listed[0]["current_use"] == 1


# -- faults ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "status", "content_type"),
    [
        ("500", 500, "application/json"),
        ("502", 502, "text/plain"),
        ("503", 503, "application/json"),
        ("html_error", 200, "text/html"),
        ("html_500", 500, "text/html"),
    ],
)
def test_status_faults(small: LL2TestServer, fault: str, status: int, content_type: str) -> None:
    small.inject(fault, times=2)
    for _ in range(2):
        response = get(small)
        assert response.status_code == status
        assert response.headers["content-type"].startswith(content_type)
    assert get(small).status_code == 200


def test_generic_status_fault_and_on_request(small: LL2TestServer) -> None:
    small.inject("status", on_request=2, status=410, body='{"detail":"Gone."}', retry_after=7)
    assert get(small).status_code == 200
    gone = get(small)
    assert gone.status_code == 410 and gone.json() == {"detail": "Gone."}
    assert gone.headers["retry-after"] == "7"
    assert get(small).status_code == 200


def test_faults_queue_one_after_another(small: LL2TestServer) -> None:
    small.inject("500")
    small.inject("503")
    small.inject("status", on_request=1, status=404)
    assert [get(small).status_code for _ in range(4)] == [404, 500, 503, 200]
    with pytest.raises(ValueError, match="unknown fault 'teapot'; known: 500, 502"):
        small.inject("teapot")


def test_every_fault_is_accepted_by_name_and_by_member(small: LL2TestServer) -> None:
    for fault in Fault:
        small.inject(fault.value)
        small.inject(fault)
    small.clear_faults()
    assert get(small).status_code == 200


def test_wrong_content_type(small: LL2TestServer) -> None:
    small.inject("wrong_content_type")
    response = get(small)
    assert response.headers["content-type"].startswith("text/plain")
    assert response.json()["count"] == 10


def test_invalid_json(small: LL2TestServer) -> None:
    small.inject("invalid_json")
    response = get(small)
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        response.json()


@pytest.mark.parametrize(
    ("fault", "options"),
    [("truncated", {}), ("drop", {}), ("drop", {"when": "start"})],
)
def test_broken_connections(small: LL2TestServer, fault: str, options: dict[str, Any]) -> None:
    small.inject(fault, **options)
    with pytest.raises(httpx.RemoteProtocolError):
        HTTP.get(small.base_url + "/docking_event/")
    assert HTTP.get(small.base_url + "/docking_event/").status_code == 200


def test_slow_times_out_and_stop_interrupts_it(small: LL2TestServer) -> None:
    small.inject("slow", delay=0.2)
    started = time.monotonic()
    assert get(small).status_code == 200
    assert time.monotonic() - started >= 0.2
    small.inject("slow", delay=0.5)
    with pytest.raises(httpx.ReadTimeout):
        HTTP.get(small.base_url + "/docking_event/", timeout=0.1)

    server = LL2TestServer(real_events()).start()
    server.inject("slow", delay=30)
    errors: list[BaseException] = []

    def call() -> None:
        try:
            HTTP.get(server.base_url + "/docking_event/", timeout=10)
        except httpx.HTTPError as exc:
            errors.append(exc)

    thread = threading.Thread(target=call)
    thread.start()
    time.sleep(0.1)
    started = time.monotonic()
    server.stop()
    thread.join(5)
    assert not thread.is_alive() and time.monotonic() - started < 2 and errors


def test_foreign_next(small: LL2TestServer) -> None:
    small.inject("foreign_next")
    page = get(small, limit=3, mode="detailed").json()
    assert page["next"].startswith("http://evil.example.invalid/2.2.0/docking_event/?")
    assert "mode=detailed" in page["next"]
    small.inject("foreign_next", next_origin="http://127.0.0.1:9")
    assert get(small, limit=3).json()["next"].startswith("http://127.0.0.1:9/2.2.0/")


def test_insert_between_pages(small: LL2TestServer) -> None:
    small.inject("insert_between_pages")
    first = get(small, limit=5, ordering="docking").json()
    second = get(small, limit=5, offset=5, ordering="docking").json()
    assert second["count"] == 11
    assert second["results"][0]["id"] == first["results"][4]["id"]  # everything shifted by one
    added = get(small, limit=1, ordering="docking").json()["results"][0]
    assert added["id"] == 621 and added["docking"] < first["results"][0]["docking"]

    custom = dict(real_events()[0], id=5000, docking="2030-01-01T00:00:00Z")
    small.inject("insert_between_pages", event=custom)
    get(small)
    assert get(small, "/docking_event/5000/").json()["docking"] == "2030-01-01T00:00:00Z"
    small.inject("insert_between_pages", docking="1960-01-01T00:00:00Z")
    get(small)
    assert get(small, ordering="docking").json()["results"][0]["docking"] == "1960-01-01T00:00:00Z"


def test_remove_between_pages(small: LL2TestServer) -> None:
    small.inject("remove_between_pages")
    first = get(small, limit=5, ordering="id").json()
    gone = first["results"][0]["id"]
    assert get(small, f"/docking_event/{gone}/").status_code == 404
    small.inject("remove_between_pages", event_id=620)
    get(small)
    assert get(small).json()["count"] == 8


# -- running -------------------------------------------------------------------------------


def test_context_manager_and_fixture_default(ll2_server: LL2TestServer) -> None:  # noqa: F811
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/2\.2\.0", ll2_server.base_url)
    with LL2TestServer(generate_events(5)) as server:
        assert get(server).json()["count"] == 5
        base = server.base_url
    with pytest.raises(httpx.ConnectError):
        HTTP.get(base + "/docking_event/")


def test_runs_by_hand() -> None:
    args = [sys.executable, "-m", "ll2_loopback", "--port", "0", "--events", "30", "--quiet"]
    root = Path(__file__).parent.parent
    with subprocess.Popen(
        args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=root
    ) as proc:
        try:
            assert proc.stdout is not None
            base = proc.stdout.readline().strip()
            assert re.fullmatch(r"http://127\.0\.0\.1:\d+/2\.2\.0", base)
            assert HTTP.get(base + "/docking_event/").json()["count"] == 40
            base_v230 = proc.stdout.readline().strip()
            assert base_v230 == base.replace("/2.2.0", "/2.3.0")
            count = HTTP.get(base_v230 + "/docking_events/").json()["count"]
            assert count == 40 + len(NON_STATION_IDS)
        finally:
            proc.terminate()
            proc.wait(5)


# -- API 2.3.0 ---------------------------------------------------------------------------

SIDES = (
    "flight_vehicle_chaser",
    "space_station_chaser",
    "payload_flight_chaser",
    "flight_vehicle_target",
    "space_station_target",
    "payload_flight_target",
)


def keys_anywhere(value: Any) -> set[str]:
    """Every dict key at any depth."""
    if isinstance(value, dict):
        return set(value).union(*(keys_anywhere(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(keys_anywhere(v) for v in value))
    return set()


def stray_image_urls(value: Any) -> int:
    """How many dicts carry ``image_url`` without being a 2.3.0 Image object."""
    if isinstance(value, list):
        return sum(stray_image_urls(v) for v in value)
    if not isinstance(value, dict):
        return 0
    own = int("image_url" in value and "thumbnail_url" not in value)
    return own + sum(stray_image_urls(v) for v in value.values())


def get230(server: LL2TestServer, path: str = "/docking_events/", **params: Any) -> httpx.Response:
    return HTTP.get(server.base_url_v230 + path, params=params)


def walk230(server: LL2TestServer, **params: Any) -> list[dict[str, Any]]:
    page = get230(server, **params).json()
    out: list[dict[str, Any]] = page["results"]
    while page["next"]:
        page = HTTP.get(page["next"]).json()
        out += page["results"]
    return out


def test_to_v230_turns_flight_and_station_into_chaser_and_target() -> None:
    old = real_events()[0]
    new = to_v230(old, detailed=False)
    assert new["id"] == 568 and new["url"].endswith("/2.3.0/docking_events/568/")
    assert new["response_mode"] == "normal" and "launch_id" not in keys_anywhere(new)
    assert stray_image_urls(new) == 0 and stray_image_urls(to_v230(old, True)) == 0
    chaser = new["flight_vehicle_chaser"]
    assert chaser["id"] == 776 and chaser["launch"]["id"] == old["launch_id"]
    assert chaser["launch"]["name"] == "Falcon 9 Block 5 | Crew-8"
    assert set(chaser["launch"]) == {"id", "url", "name"}
    craft = chaser["spacecraft"]
    assert craft["name"] == "Crew Dragon Endeavour" and craft["image"]["image_url"]
    config = craft["spacecraft_config"]
    assert config["agency"]["type"] == {"id": 3, "name": "Commercial"}
    assert config["image"]["image_url"].endswith("spacex_dm-2_cre_image_20200504065311.jpeg")
    assert "image_url" not in config and "image_url" not in craft
    assert new["space_station_target"]["id"] == 4 and new["space_station_target"]["image"]
    assert new["docking_location"] == {
        "id": 30,
        "name": "Harmony zenith",
        "spacestation": new["space_station_target"],
        "spacecraft": None,
        "payload": None,
    }
    for side in SIDES:
        if side not in ("flight_vehicle_chaser", "space_station_target"):
            assert new[side] is None
    assert to_v230(to_list_shape(old)) == new  # the list shape converts the same


def test_v230_detailed_grows_only_the_chaser() -> None:
    for detailed, normal in zip(real_events_v230(), real_events_v230(False), strict=True):
        assert detailed["response_mode"] == "detailed" and normal["response_mode"] == "normal"
        assert to_v230_normal(detailed) == normal
        for key in set(normal) - {"flight_vehicle_chaser", "response_mode"}:
            assert detailed[key] == normal[key], key  # the target side stays mini
        grown, mini = detailed["flight_vehicle_chaser"], normal["flight_vehicle_chaser"]
        assert grown["spacecraft"] == mini["spacecraft"]
        assert set(mini["launch"]) == {"id", "url", "name"}
        assert grown["launch"]["net"] < detailed["docking"]
        assert grown["launch"]["launch_service_provider"]["type"]["name"]
        assert {k: grown["launch"][k] for k in mini["launch"]} == mini["launch"]
    nauka = next(e for e in non_station_events_v230() if e["id"] == 900_007)
    assert set(nauka["payload_flight_chaser"]["payload"]["operator"]) >= {"country", "logo"}
    small = to_v230_normal(nauka)["payload_flight_chaser"]
    assert small == non_station_events_v230(False)[-1]["payload_flight_chaser"]
    assert "country" not in small["payload"]["operator"] and "net" not in small["launch"]


def test_generate_events_v230_keeps_the_220_ids() -> None:
    events = generate_events_v230(300, seed=4)
    assert events == generate_events_v230(300, seed=4)
    old = generate_events(300, seed=4)
    assert {e["id"] for e in events} == {e["id"] for e in old} | set(NON_STATION_IDS)
    assert len(events) == 307 and [e["docking"] for e in events] == sorted(
        e["docking"] for e in events
    )
    by_id = {e["id"]: e for e in events}
    launches: dict[str, str] = {}
    for event in old:
        new = by_id[event["id"]]
        assert (new["docking"], new["departure"]) == (event["docking"], event["departure"])
        chaser = new["flight_vehicle_chaser"]
        assert chaser["id"] == event["flight_vehicle"]["id"]
        assert chaser["launch"]["id"] == event["launch_id"]
        # a relocated flight keeps one launch (and one launch time)
        assert (
            launches.setdefault(event["launch_id"], chaser["launch"]["net"])
            == (chaser["launch"]["net"])
        )
        assert new["space_station_target"]["id"] == event["space_station"]["id"]
    assert len(launches) < len(old)  # there are relocations
    crafts = [e["flight_vehicle_chaser"]["spacecraft"] for e in events if e["id"] < 900_000]
    assert any(c["image"] is None for c in crafts) and any(c["image"] for c in crafts)
    assert stray_image_urls(events) == 0
    normal = generate_events_v230(300, seed=4, detailed_store=False)
    assert [to_v230_normal(e) for e in events] == normal


def test_non_station_events_have_the_right_nulls() -> None:
    events = {e["id"]: e for e in non_station_events_v230()}
    assert tuple(events) == NON_STATION_IDS

    def present(event: dict[str, Any]) -> set[str]:
        return {side for side in SIDES if event[side] is not None}

    for ident in (900_001, 900_002, 900_003, 900_004):  # spacecraft docking to spacecraft
        event = events[ident]
        assert present(event) == {"flight_vehicle_chaser", "flight_vehicle_target"}
        location = event["docking_location"]
        assert location["spacestation"] is None and location["payload"] is None
        assert (
            location["spacecraft"]["id"]
            == (event["flight_vehicle_target"]["spacecraft"]["spacecraft_config"]["id"])
        )
    apollo = events[900_003]
    assert apollo["flight_vehicle_chaser"]["spacecraft"]["name"] == "Eagle"
    assert apollo["flight_vehicle_target"]["spacecraft"]["name"] == "Columbia"
    assert apollo["flight_vehicle_chaser"]["mission_end"] is None
    assert apollo["docking_location"]["spacecraft"]["name"] == "Apollo Command and Service Module"
    assert events[900_002]["docking"].startswith("1969-01-16")
    for ident in (900_005, 900_006):  # satellite servicing
        event = events[ident]
        assert present(event) == {"flight_vehicle_chaser", "payload_flight_target"}
        assert event["flight_vehicle_chaser"]["spacecraft"]["name"].startswith("MEV-")
        payload = event["payload_flight_target"]["payload"]
        assert payload["name"].startswith("Intelsat")
        assert event["docking_location"]["payload"] == payload
        assert event["docking_location"]["spacestation"] is None
    assert events[900_006]["departure"] is None
    nauka = events[900_007]
    assert present(nauka) == {"payload_flight_chaser", "space_station_target"}
    assert nauka["docking_location"]["spacestation"]["id"] == 4 and nauka["departure"] is None
    assert nauka["payload_flight_chaser"]["response_mode"] == "normal"


def test_v230_paging_links_and_ids_match_220(ll2_server: LL2TestServer) -> None:  # noqa: F811
    page = get230(ll2_server, format="json").json()
    total = 570 + len(NON_STATION_IDS)
    assert page["count"] == total and len(page["results"]) == 10 and page["previous"] is None
    assert page["next"] == (
        f"{ll2_server.base_url_v230}/docking_events/?format=json&limit=10&offset=10"
    )
    big = get230(ll2_server, limit=500, offset=200, mode="detailed").json()
    assert len(big["results"]) == MAX_LIMIT
    assert dict(httpx.URL(big["next"]).params) == {
        "limit": "100",
        "mode": "detailed",
        "offset": "300",
    }
    assert dict(httpx.URL(big["previous"]).params)["offset"] == "100"
    seen = walk230(ll2_server, limit=100, ordering="-docking")
    assert len(seen) == total
    ids_220 = {e["id"] for e in ll2_server.events}
    assert {e["id"] for e in seen} == ids_220 | set(NON_STATION_IDS)
    assert {e["id"] for e in ll2_server.events_v230} == {e["id"] for e in seen}
    for event in seen:
        assert event["response_mode"] == "normal"
        assert event["url"] == f"https://ll.thespacedevs.com/2.3.0/docking_events/{event['id']}/"


def test_v230_ordering(ll2_server: LL2TestServer) -> None:  # noqa: F811
    dockings = [e["docking"] for e in walk230(ll2_server, limit=100, ordering="docking")]
    assert dockings == sorted(dockings) and dockings[0].startswith("1967")
    departures = [e["departure"] for e in walk230(ll2_server, limit=100, ordering="departure")]
    n_open = departures.count(None)
    assert n_open >= 7 and departures[-n_open:] == [None] * n_open
    assert departures[:-n_open] == sorted(departures[:-n_open])
    assert get230(ll2_server, ordering="-departure").json()["results"][0]["departure"] is None
    newest = get230(ll2_server, ordering="-docking", limit=1).json()["results"][0]
    assert newest["docking"] == max(dockings)
    ids = [e["id"] for e in walk230(ll2_server, limit=100, ordering="-id")]
    assert ids == sorted(ids, reverse=True) and ids[0] == NON_STATION_IDS[-1]
    ll2_server.events = [dict(e, docking="2024-01-01T00:00:00Z") for e in real_events()]
    ll2_server.v230_extras = False
    tied = get230(ll2_server, ordering="-docking").json()["results"]
    assert [e["id"] for e in tied] == sorted(e["id"] for e in real_events())


def test_v230_normal_and_detailed_over_http(ll2_server: LL2TestServer) -> None:  # noqa: F811
    params: dict[str, Any] = {"limit": 100, "ordering": "docking"}
    normal = get230(ll2_server, **params).json()["results"]
    detailed = get230(ll2_server, mode="detailed", **params).json()["results"]
    assert [e["id"] for e in normal] == [e["id"] for e in detailed]
    for small, big in zip(normal, detailed, strict=True):
        assert big["response_mode"] == "detailed"
        for key in ("docking_location", "space_station_target", "flight_vehicle_target"):
            assert small[key] == big[key]
        if small["flight_vehicle_chaser"] is not None:
            assert "slug" in big["flight_vehicle_chaser"]["launch"]
            assert "slug" not in small["flight_vehicle_chaser"]["launch"]
    one = get230(ll2_server, "/docking_events/568/")
    assert one.status_code == 200 and one.json() == real_events_v230()[0]
    assert (
        get230(ll2_server, "/docking_events/568/", mode="normal").json()
        == (real_events_v230(False)[0])
    )
    assert get230(ll2_server, "/docking_events/999999/").status_code == 404
    assert get230(ll2_server, "/docking_events/568").status_code == 301
    assert get230(ll2_server, "/docking_event/").status_code == 404  # the plural path only


def test_v230_filters(ll2_server: LL2TestServer) -> None:  # noqa: F811
    def ids(**params: Any) -> set[int]:
        return {e["id"] for e in walk230(ll2_server, limit=100, **params)}

    everything = ids()
    tiangong = walk230(ll2_server, limit=100, space_station_target__id=18)
    assert tiangong and all(e["space_station_target"]["id"] == 18 for e in tiangong)
    iss = ids(space_station_target__id=4)
    assert 900_007 in iss and 568 in iss and not iss & {900_005, 900_006}
    assert ids(flight_vehicle_chaser__id=776) == {568}
    assert ids(flight_vehicle_chaser__id=900_409) == {900_005}
    assert {568, 566} <= ids(docking_location__id=30)
    assert ids(docking_location__id=900_701) == {900_001, 900_002}
    window = ids(docking__gte="2024-05-02T13:46:00Z", docking__lt="2024-06-01")
    assert 568 in window and 568 not in ids(docking__gt="2024-05-02T13:46:00Z")
    assert ids(docking__lte="1970-01-01T00:00:00Z") == {900_001, 900_002, 900_003}
    docked = walk230(ll2_server, limit=100, docked="true")
    assert docked and all(e["departure"] is None for e in docked)
    assert {900_006, 900_007} <= {e["id"] for e in docked}
    assert ids(docked="false") == everything - {e["id"] for e in docked}
    assert ids(docked="maybe") == everything
    assert ids(search="intelsat") == {900_005, 900_006}
    assert ids(search="columbia") == {900_003}  # the target's name counts too
    assert 900_007 in ids(search="Nauka") and 572 in ids(search="DICK scobee")
    assert 620 in ids(search="prichal") and 569 in ids(search="Tiangong space")
    # the 2.2.0 names mean nothing here: silently ignored, like any unknown parameter
    assert ids(space_station__id=18, flight_vehicle__id=776) == everything
    bad = get230(ll2_server, docking__gt="yesterday", space_station_target__id="x")
    assert bad.status_code == 400 and set(bad.json()) == {
        "docking__gt",
        "space_station_target__id",
    }


def test_v230_follows_220_changes_and_own_changes(small: LL2TestServer) -> None:
    assert small.v230_derived and get230(small).json()["count"] == 17
    small.remove_event(568)
    assert get230(small, "/docking_events/568/").status_code == 404
    assert small.remove_event_v230(900_003) and not small.remove_event_v230(900_003)
    assert get(small).json()["count"] == 9 and get230(small).json()["count"] == 15
    extra = dict(to_v230(real_events()[0], detailed=True), id=5000)
    small.add_event_v230(extra)
    assert get230(small, "/docking_events/5000/").status_code == 200
    assert get(small, "/docking_event/5000/").status_code == 404  # 2.2.0 does not see it
    small.events_v230 = real_events_v230()
    assert not small.v230_derived and get230(small).json()["count"] == 10
    small.cache_results = True  # the keyset fast path works on 2.3.0 too
    keyset = get230(small, ordering="docking", docking__gte="2024-04-01", limit=3).json()
    assert keyset["count"] == 6 and [e["id"] for e in keyset["results"]] == [569, 568, 570]
    small.remove_event_v230(569)
    again = get230(small, ordering="docking", docking__gte="2024-04-01", limit=3).json()
    assert again["count"] == 5 and again["results"][0]["id"] == 568


def test_v230_shares_faults_budget_and_records() -> None:
    with LL2TestServer(real_events(), throttle_limit=3).start() as server:
        server.inject("503")
        assert get230(server).status_code == 503  # faults hit 2.3.0 requests too
        assert get(server).status_code == 200
        assert get230(server).status_code == 200
        assert get230(server, "/docking_events/568/").status_code == 200
        assert get230(server).status_code == 429  # one budget for both versions
        assert get(server).status_code == 429
        status = HTTP.get(server.origin + "/2.3.0/api-throttle/").json()
        assert status["current_use"] == 3
        paths = [r.path for r in server.event_requests]
        assert paths[0] == "/2.3.0/docking_events/" and "/2.3.0/docking_events/568/" in paths
        server.throttle_limit = None
        server.inject("foreign_next")
        assert (
            get230(server, limit=3)
            .json()["next"]
            .startswith("http://evil.example.invalid/2.3.0/docking_events/?")
        )
        server.inject("insert_between_pages")
        first = get230(server, limit=5, ordering="docking").json()
        second = get230(server, limit=5, ordering="docking").json()
        assert second["count"] == first["count"] + 1
        assert second["results"][0]["docking"] < first["results"][0]["docking"]
        assert get(server).json()["count"] == 10  # the 2.2.0 events did not change
        server.inject("remove_between_pages", event_id=568)
        get230(server)
        assert get230(server, "/docking_events/568/").status_code == 404


@pytest.mark.parametrize("status", [404, 410])
def test_retired_220(small: LL2TestServer, status: int) -> None:
    small.throttle_limit = 1
    small.retire_v220 = status
    for path in ("/docking_event/", "/docking_event/568/", "/docking_event"):
        answer = get(small, path, limit=5)
        assert answer.status_code == status and answer.json() == {"detail": "Not found."}
    assert get230(small).status_code == 200  # no budget was spent on the retired calls
    assert [r.status for r in small.requests] == [status, status, status, 200]
    small.retire_v220 = None
    small.reset_throttle()
    assert get(small).status_code == 200


# -- API 2.4.0 and the configuration and agency records ---------------------------------------


def test_v240_serves_the_normal_shape_whatever_the_mode(small: LL2TestServer) -> None:
    url = small.base_url_v240 + "/docking_events/"
    page = HTTP.get(url, params={"mode": "detailed", "limit": 3, "ordering": "docking"}).json()
    v230 = get230(small, mode="normal", limit=3, ordering="docking").json()
    assert page["count"] == v230["count"]
    for event, normal in zip(page["results"], v230["results"], strict=True):
        assert event["response_mode"] == "normal"
        assert (
            event["url"]
            == f"https://ll.thespacedevs.com/api/ll/2.4.0/docking_events/{event['id']}/"
        )
        assert {k: v for k, v in event.items() if k != "url"} == {
            k: v for k, v in normal.items() if k != "url"
        }
    one = HTTP.get(f"{url}{page['results'][0]['id']}/").json()
    assert one == page["results"][0]


def test_lookup_collections_follow_the_published_filters(small: LL2TestServer) -> None:
    configs = HTTP.get(
        small.base_url_v230 + "/spacecraft_configurations/",
        params={"mode": "detailed", "limit": 100},
    ).json()
    assert configs["count"] == len(configs["results"]) and configs["next"] is None
    dragon = next(c for c in configs["results"] if c["id"] == 6)
    assert dragon["flight_life"] == "up to 210 days" and dragon["agency"]["id"] == 121
    normal = HTTP.get(small.base_url_v230 + "/spacecraft_configurations/6/").json()
    assert "flight_life" not in normal and normal["name"] == "Crew Dragon 2"
    agencies = small.base_url_v230 + "/agencies/"
    with_craft = HTTP.get(agencies, params={"spacecraft": "true", "limit": 100}).json()
    everyone = HTTP.get(agencies, params={"limit": 100}).json()
    assert 0 < with_craft["count"] < everyone["count"]
    spacex = HTTP.get(agencies, params={"id": 121, "mode": "detailed"}).json()["results"]
    assert [a["abbrev"] for a in spacex] == ["SpX"] and spacex[0]["founding_year"] == 2002
    assert HTTP.get(agencies, params={"id": "1,2"}).status_code == 400
    v240 = HTTP.get(small.base_url_v240 + "/agencies/detailed/", params={"id": 121}).json()
    assert v240["results"] == spacex
    assert len(small.lookup_requests) == 7 and small.event_requests[-1].path.endswith("/detailed/")


def test_lookups_spend_the_budget_and_fail_on_demand(small: LL2TestServer) -> None:
    small.throttle_limit = 1
    url = small.base_url_v230 + "/agencies/"
    assert HTTP.get(url).status_code == 200
    assert HTTP.get(url).status_code == 429
    small.reset_throttle()
    small.lookup_failure = 503
    assert HTTP.get(url).status_code == 503
