"""How old the cached data is: read from the last sync's state in one place, for the window's
"data as of" and for the automatic sync's age check alike."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dockview.store import Store
from dockview.sync import LAST_SYNC_STATE, last_sync_finished


def test_the_last_sync_time_is_read_as_utc(store: Store) -> None:
    store.set_state(LAST_SYNC_STATE, {"finished_at": "2026-11-26T09:00:00Z", "kind": "full"})
    assert last_sync_finished(store) == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def test_an_offset_is_turned_into_utc(store: Store) -> None:
    store.set_state(LAST_SYNC_STATE, {"finished_at": "2026-11-26T10:30:00+01:30"})
    assert last_sync_finished(store) == datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("state", [None, {}, {"finished_at": "yesterday"}, {"finished_at": 7}, []])
def test_no_or_unreadable_last_sync_is_none(store: Store, state: object) -> None:
    if state is not None:
        store.set_state(LAST_SYNC_STATE, state)
    assert last_sync_finished(store) is None
