"""Every number in an event comes back from export exactly as the API sent it, of any size."""

from __future__ import annotations

import copy
import io
import itertools
import json
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockview.api import LL2Client, decode_json
from dockview.export import export_from_store, write_export
from dockview.query import EventQuery
from dockview.sample import load_sample_page
from dockview.store import Store
from dockview.sync import run_sync

API = "https://ll.example.org/2.2.0"
SAMPLE_EVENT = load_sample_page()["results"][0]

numbers = st.one_of(
    st.integers(),
    # Around and past the 64-bit edges, where a fast decoder may turn an integer into a float.
    st.integers(min_value=2**63 - 2, max_value=2**200),
    st.integers(min_value=-(2**200), max_value=-(2**63) + 2),
    st.floats(allow_nan=False, allow_infinity=False),
)
json_values = st.recursive(
    numbers | st.text(max_size=5) | st.booleans() | st.none(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=12,
)
_runs = itertools.count()


def served_and_exported(tmp_path: Path, event: dict[str, Any]) -> tuple[Any, Any]:
    """Serve ``event`` as the API would (bytes on the wire), sync it, export it."""
    body = json.dumps({"count": 1, "next": None, "previous": None, "results": [event]}).encode()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    client = LL2Client(API, transport=httpx.MockTransport(answer))
    db = tmp_path / f"run{next(_runs)}" / "cache.db"
    with Store(db) as store:
        result = run_sync(store, client, full=True)
        assert result.complete and not result.rejected
        out = io.StringIO()
        write_export(export_from_store(store, EventQuery(), api_url=API), "-", stdout=out)
    client.close()
    return json.loads(body)["results"][0], json.loads(out.getvalue())["results"][0]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(extra=json_values, nested=st.lists(numbers, max_size=4))
def test_export_equals_what_was_served_for_numbers_of_any_size(
    tmp_path: Path, extra: Any, nested: list[int | float]
) -> None:
    event = copy.deepcopy(SAMPLE_EVENT)
    event["extra"] = extra
    event["flight_vehicle"]["numbers"] = nested
    served, exported = served_and_exported(tmp_path, event)
    assert exported == served


def test_an_integer_past_128_bits_survives_sync_and_export(tmp_path: Path) -> None:
    big = 100322131641334474675754099306676506203
    event = copy.deepcopy(SAMPLE_EVENT)
    event["extra"] = {"big": big, "negative": -(2**63) - 1, "u64": 2**64 - 1}
    _, exported = served_and_exported(tmp_path, event)
    assert exported["extra"] == {"big": big, "negative": -(2**63) - 1, "u64": 2**64 - 1}
    assert all(type(value) is int for value in exported["extra"].values())


def test_pages_of_ordinary_numbers_decode_the_same_either_way() -> None:
    page = json.dumps(load_sample_page()).encode()
    assert decode_json(page) == json.loads(page)
