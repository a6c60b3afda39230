"""export.py: the API's objects, an envelope, and a file that is whole or absent."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path
from typing import Any

import pytest

from dockview.errors import ExportError
from dockview.export import export_from_store, write_export
from dockview.query import EventQuery
from dockview.records import parse_events
from dockview.store import Store

SOURCE = "https://ll.example.org/2.2.0"


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder of its own, so the listing shows only what export left."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def filled(store: Store, seed_events: list[dict[str, Any]]) -> Store:
    events, _ = parse_events(seed_events)
    store.write_page(events, source_url=SOURCE)
    return store


def test_export_holds_the_objects_the_api_sent(
    filled: Store, seed_events: list[dict[str, Any]], out: Path
) -> None:
    target = out / "three.json"
    document = export_from_store(filled, EventQuery(ids=(568, 572, 620)), api_url=SOURCE)
    write_export(document, target)
    written = json.loads(target.read_text("utf-8"))
    assert written["count"] == 3
    assert written["source"] == {"api_url": SOURCE, "api_version": "2.2.0"}
    assert written["exported_at"].endswith("Z")
    by_id = {e["id"]: e for e in seed_events}
    assert written["results"] == [by_id[568], by_id[572], by_id[620]]
    assert "\u201cDick\u201d" in target.read_text("utf-8")
    assert [p.name for p in out.iterdir()] == ["three.json"]


def test_export_to_a_missing_folder_leaves_nothing(filled: Store, out: Path) -> None:
    document = export_from_store(filled, EventQuery(), api_url=SOURCE)
    with pytest.raises(ExportError, match="does not exist"):
        write_export(document, out / "nope" / "x.json")
    assert list(out.iterdir()) == []


def test_export_to_a_folder_name_is_refused(filled: Store, out: Path) -> None:
    document = export_from_store(filled, EventQuery(), api_url=SOURCE)
    with pytest.raises(ExportError, match="is a folder"):
        write_export(document, out)


def test_a_full_disk_keeps_the_old_file_and_leaves_no_partial_one(
    filled: Store, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = out / "events.json"
    target.write_text("old contents")

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full_disk)
    document = export_from_store(filled, EventQuery(), api_url=SOURCE)
    with pytest.raises(ExportError) as caught:
        write_export(document, target)
    assert str(caught.value) == f"The disk is full; {target} was not written."
    assert target.read_text() == "old contents"
    assert [p.name for p in out.iterdir()] == ["events.json"]


def test_a_read_only_folder_is_one_sentence(
    filled: Store, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root here, where chmod does not stop writes, so the refusal is simulated.
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("tempfile.NamedTemporaryFile", refuse)
    document = export_from_store(filled, EventQuery(), api_url=SOURCE)
    with pytest.raises(ExportError, match="may not write to"):
        write_export(document, out / "events.json")
    assert list(out.iterdir()) == []
