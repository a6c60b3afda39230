"""The LL2 client against httpx.MockTransport: what it sends, how it waits, how it fails."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from dockview import __version__
from dockview.api import LL2Client, normalise_api_url
from dockview.errors import (
    ApiDataError,
    ApiError,
    ApiResponseError,
    ApiRetired,
    ApiThrottled,
    ApiUnavailable,
    SyncCancelled,
)

BASE = "https://ll.example.org/2.2.0"
KEY = "s3cret-key-123"


def page(
    results: list[Any] | None = None, count: int = 1, next_url: str | None = None
) -> dict[str, Any]:
    return {"count": count, "next": next_url, "previous": None, "results": results or [{"id": 1}]}


class Recorder:
    """A MockTransport handler that answers from a script and keeps every request."""

    def __init__(
        self, *answers: httpx.Response | Callable[[httpx.Request], httpx.Response]
    ) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return answer(request) if callable(answer) else answer


def client_for(recorder: Recorder, **options: Any) -> tuple[LL2Client, list[float]]:
    slept: list[float] = []
    options.setdefault("backoff", 1.0)
    client = LL2Client(BASE, transport=httpx.MockTransport(recorder), sleep=slept.append, **options)
    return client, slept


def ok(body: Any = None) -> httpx.Response:
    return httpx.Response(200, json=body if body is not None else page())


def test_a_page_request_asks_politely_for_detailed_json() -> None:
    recorder = Recorder(ok())
    client, _ = client_for(recorder)
    client.fetch_events_page(offset=200, filters={"docking__gte": "2024-01-01T00:00:00Z"})
    request = recorder.requests[0]
    assert request.url.path == "/2.2.0/docking_event/"
    assert dict(request.url.params) == {
        "format": "json",
        "limit": "100",
        "offset": "200",
        "mode": "detailed",
        "ordering": "docking",
        "docking__gte": "2024-01-01T00:00:00Z",
    }
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"].startswith(f"dockview/{__version__}")
    assert "authorization" not in request.headers


def test_the_key_goes_in_a_header_to_the_configured_host_only() -> None:
    recorder = Recorder(
        ok(page(next_url="https://elsewhere.example.net/2.2.0/docking_event/?offset=100"))
    )
    client, _ = client_for(recorder, api_key=KEY)
    result = client.fetch_events_page()
    assert recorder.requests[0].headers["authorization"] == f"Token {KEY}"
    assert result.next_link_refused
    assert all(r.url.host == "ll.example.org" for r in recorder.requests)


def test_a_next_link_on_another_scheme_is_refused() -> None:
    recorder = Recorder(ok(page(next_url="http://ll.example.org/2.2.0/docking_event/?offset=100")))
    client, _ = client_for(recorder, api_key=KEY)
    assert client.fetch_events_page().next_link_refused


def test_throttled_with_retry_after_waits_that_long_then_goes_on() -> None:
    recorder = Recorder(
        httpx.Response(429, headers={"Retry-After": "3"}, json={"detail": "x"}), ok()
    )
    countdown: list[float] = []
    client, slept = client_for(recorder, on_wait=lambda left, reason: countdown.append(left))
    assert client.fetch_events_page().results == [{"id": 1}]
    assert sum(slept) == 3
    assert countdown == [3, 2, 1, 0]
    assert len(recorder.requests) == 2


def test_throttled_with_only_the_body_reads_the_seconds_from_it() -> None:
    body = {"detail": "Request was throttled. Expected available in 7 seconds."}
    recorder = Recorder(httpx.Response(429, json=body), ok())
    client, slept = client_for(recorder)
    client.fetch_events_page()
    assert sum(slept) == 7


@pytest.mark.parametrize("as_list", [False, True])
def test_throttled_with_no_hint_asks_api_throttle(as_list: bool) -> None:
    status = {
        "your_request_limit": 15,
        "limit_frequency_secs": 3600,
        "current_use": 15,
        "next_use_secs": 5,
        "ident": "1.2.3.4",
    }

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/2.3.0/api-throttle/":
            return httpx.Response(200, json=[status] if as_list else status)
        return httpx.Response(429, json={"detail": "Request was throttled."})

    recorder = Recorder(answer, answer, ok())
    client, slept = client_for(recorder, api_key=KEY)
    client.fetch_events_page()
    paths = [r.url.path for r in recorder.requests]
    assert paths == ["/2.2.0/docking_event/", "/2.3.0/api-throttle/", "/2.2.0/docking_event/"]
    assert recorder.requests[1].headers["authorization"] == f"Token {KEY}"
    assert sum(slept) == 5


def test_no_wait_stops_with_the_seconds_to_wait() -> None:
    recorder = Recorder(httpx.Response(429, headers={"Retry-After": "1200"}))
    client, slept = client_for(recorder, wait_when_throttled=False)
    with pytest.raises(ApiThrottled) as caught:
        client.fetch_events_page()
    assert caught.value.wait_seconds == 1200
    assert "about 20 minutes" in str(caught.value)
    assert slept == []


def test_cancel_during_a_throttle_wait_stops_at_once() -> None:
    recorder = Recorder(httpx.Response(429, headers={"Retry-After": "30"}), ok())
    ticks: list[float] = []
    client, slept = client_for(
        recorder,
        on_wait=lambda left, reason: ticks.append(left),
        should_cancel=lambda: len(ticks) >= 2,
    )
    with pytest.raises(SyncCancelled):
        client.fetch_events_page()
    assert len(slept) == 2
    assert len(recorder.requests) == 1


def test_server_errors_are_retried_twice_with_backoff() -> None:
    recorder = Recorder(httpx.Response(503), httpx.Response(502), ok())
    client, slept = client_for(recorder)
    client.fetch_events_page()
    assert len(recorder.requests) == 3
    assert sum(slept) == 1 + 2


def test_after_two_retries_a_server_error_is_one_sentence() -> None:
    recorder = Recorder(httpx.Response(500, text="Internal Server Error"))
    client, _ = client_for(recorder)
    with pytest.raises(ApiResponseError) as caught:
        client.fetch_events_page()
    assert len(recorder.requests) == 3
    assert caught.value.status == 500
    assert (
        str(caught.value) == "The API answered HTTP 500 Internal Server Error for docking events."
    )


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (
            httpx.Response(
                200, text="<html><body>Oops</body></html>", headers={"Content-Type": "text/html"}
            ),
            "instead of JSON",
        ),
        (
            httpx.Response(
                200, text='{"count": 5, "results": [', headers={"Content-Type": "application/json"}
            ),
            "cut off or is not valid JSON",
        ),
        (httpx.Response(200, json={"detail": "odd"}), "not a page of docking events"),
    ],
)
def test_answers_that_are_not_a_page_become_data_errors(
    response: httpx.Response, message: str
) -> None:
    recorder = Recorder(response)
    client, _ = client_for(recorder)
    with pytest.raises(ApiDataError, match=message):
        client.fetch_events_page()


def test_a_dropped_connection_is_retried_then_reported() -> None:
    def drop(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("peer closed connection", request=request)

    recorder = Recorder(drop)
    client, _ = client_for(recorder)
    with pytest.raises(ApiUnavailable) as caught:
        client.fetch_events_page()
    assert len(recorder.requests) == 3
    assert (
        str(caught.value)
        == "The connection to the API at ll.example.org broke off; check the network connection."
    )


def test_a_timeout_is_named() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    client, _ = client_for(Recorder(slow), max_retries=0)
    with pytest.raises(ApiUnavailable, match="did not answer in time"):
        client.fetch_events_page()


@pytest.mark.parametrize("status", [404, 410])
def test_a_missing_endpoint_says_the_version_looks_retired(status: int) -> None:
    client, _ = client_for(Recorder(httpx.Response(status, json={"detail": "Not found."})))
    with pytest.raises(ApiRetired, match=r"2\.2\.0 looks retired"):
        client.fetch_events_page()


def test_client_errors_are_not_retried_and_never_show_the_key() -> None:
    recorder = Recorder(httpx.Response(401, json={"detail": f"Invalid token {KEY}."}))
    client, _ = client_for(recorder, api_key=KEY)
    with pytest.raises(ApiResponseError) as caught:
        client.fetch_events_page()
    assert len(recorder.requests) == 1
    assert KEY not in str(caught.value) and KEY not in caught.value.excerpt
    assert "***" in caught.value.excerpt


def test_redirects_are_not_followed() -> None:
    recorder = Recorder(httpx.Response(302, headers={"Location": "https://evil.example.net/"}))
    client, _ = client_for(recorder, api_key=KEY)
    with pytest.raises(ApiResponseError, match="redirect"):
        client.fetch_events_page()
    assert len(recorder.requests) == 1


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://ll.thespacedevs.com/2.2.0/", "https://ll.thespacedevs.com/2.2.0"),
        ("  http://127.0.0.1:8000/2.2.0  ", "http://127.0.0.1:8000/2.2.0"),
    ],
)
def test_api_urls_are_normalised(url: str, expected: str) -> None:
    assert normalise_api_url(url) == expected


@pytest.mark.parametrize(
    "url",
    ["ftp://ll.example.org/2.2.0", "ll.example.org/2.2.0", "https://user:pw@ll.example.org/2.2.0"],
)
def test_unusable_api_urls_are_refused(url: str) -> None:
    with pytest.raises(ApiError):
        normalise_api_url(url)


def test_no_network_is_reported_at_once_without_retries() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Name or service not known", request=request)

    recorder = Recorder(refuse)
    client, slept = client_for(recorder)
    with pytest.raises(ApiUnavailable, match=r"Could not reach the API at ll\.example\.org"):
        client.fetch_events_page()
    assert len(recorder.requests) == 1 and slept == []
