"""The bundled sample: 10 real events, so a first start with no network has real data to show.

They come from the 2.2.0 page the project was first described from. They are stored marked as
sample, and the first page of the first successful sync replaces them.
"""

from __future__ import annotations

import json
from typing import Any

from dockview.bundled import resource_path
from dockview.records import parse_events
from dockview.store import Store

SAMPLE_SOURCE_URL = "https://ll.thespacedevs.com/2.2.0"


def load_sample_page() -> dict[str, Any]:
    """The sample as a page object, from the bundled resources (checkout, wheel or frozen)."""
    text = resource_path("sample_events.json").read_text("utf-8")
    page: dict[str, Any] = json.loads(text)
    return page


def seed_sample_if_empty(store: Store) -> int:
    """Fill an empty cache that has never synced with the sample; returns how many were stored."""
    if store.event_count() or store.get_state("full_sync") is not None:
        return 0  # the common case, without taking the write lock
    page = load_sample_page()
    events, _ = parse_events(page["results"], page.get("api_version", "2.2.0"))
    return store.seed_if_empty(
        events,
        source_url=SAMPLE_SOURCE_URL,
        note={"events": len(events), "source": page.get("source")},
    )
