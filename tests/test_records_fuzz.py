"""Property tests: real events mutated every way LL2's data could go wrong.

Whatever arrives, each object becomes a record or a counted rejection; nothing escapes the
page, and what is stored can be exported and read back.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dockview.export import dumps, export_from_store
from dockview.query import EventQuery
from dockview.records import parse_events
from dockview.sample import load_sample_page
from dockview.store import Store

SEED = load_sample_page()["results"]


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place in a JSON object that can be changed: object keys and list items."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield (*prefix, key)
            yield from paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield (*prefix, index)
            yield from paths(child, (*prefix, index))


ALL_PATHS = sorted({path for event in SEED for path in paths(event)}, key=str)

odd_text = st.text(alphabet=st.characters(codec=None, categories=None), max_size=50)
json_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    odd_text,
)
nested_junk = st.recursive(
    json_leaf,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(odd_text, children, max_size=4)
    ),
    max_leaves=12,
)
mutation = st.one_of(
    st.just(("drop", None)),
    st.just(("null", None)),
    st.tuples(st.just("set"), json_leaf),
    st.tuples(st.just("set"), nested_junk),
    st.tuples(st.just("set"), st.just("x" * 200_000)),
    st.tuples(
        st.just("set"), st.sampled_from(["\ud800", "\udfff\ud800", "\u202e\u0000", "🛰️" * 50])
    ),
)


def mutate(event: dict[str, Any], path: tuple[Any, ...], change: tuple[str, Any]) -> None:
    parent: Any = event
    for step in path[:-1]:
        in_dict = isinstance(parent, dict) and step in parent
        in_list = isinstance(parent, list) and isinstance(step, int) and step < len(parent)
        if not (in_dict or in_list):
            return
        parent = parent[step]
    key = path[-1]
    if isinstance(parent, dict) and key in parent:
        if change[0] == "drop":
            del parent[key]
        else:
            parent[key] = None if change[0] == "null" else change[1]


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with Store(tmp_path_factory.mktemp("fuzz") / "dockview.db") as store:
        yield store


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    picks=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=len(SEED) - 1),
            st.sampled_from(ALL_PATHS),
            mutation,
        ),
        min_size=1,
        max_size=8,
    ),
    whole=st.one_of(st.none(), nested_junk),
)
def test_any_mutation_is_a_record_or_a_counted_rejection(
    fuzz_store: Store, picks: list[tuple[int, tuple[Any, ...], tuple[str, Any]]], whole: Any
) -> None:
    page: list[Any] = copy.deepcopy(SEED)
    for index, path, change in picks:
        mutate(page[index], path, change)
    if whole is not None:
        page.append(whole)  # an item that is not an event at all
    events, rejected = parse_events(page)
    assert len(events) + len(rejected) == len(page)
    assert all(isinstance(r.reason, str) and r.reason for r in rejected)

    fuzz_store.conn.execute("DELETE FROM docking_events")
    fuzz_store.conn.commit()
    written = fuzz_store.write_page(events, source_url="https://ll.example.org/2.2.0")
    assert written.stored == len({event.id for event in events})
    export = export_from_store(fuzz_store, EventQuery(), api_url="https://ll.example.org/2.2.0")
    text = dumps(export)
    text.encode("utf-8")  # a file can hold it
    assert json.loads(text)["count"] == written.stored
    assert fuzz_store.integrity_ok()


def test_huge_and_odd_strings_are_stored_and_read_back(tmp_path: Path) -> None:
    event = copy.deepcopy(SEED[0])
    event["flight_vehicle"]["spacecraft"]["name"] = "\ud800 lone surrogate \U0001f6f0"
    event["flight_vehicle"]["spacecraft"]["description"] = "y" * 1_000_000
    with Store(tmp_path / "dockview.db") as store:
        events, rejected = parse_events([event])
        assert rejected == []
        store.write_page(events, source_url="https://ll.example.org/2.2.0")
        name = store.conn.execute("SELECT spacecraft_name FROM docking_events").fetchone()[0]
        assert name == "\ufffd lone surrogate \U0001f6f0"
        exported = next(store.iter_raw_events(EventQuery()))
        assert exported == event  # the raw object keeps even the lone surrogate
