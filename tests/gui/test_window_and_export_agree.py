"""End to end: a cache synced from the loopback server; for every station, for "docked now" and
for several search words, the rows the window shows are the events ``dockview export`` writes
with the same filter, and both are the events the server serves that match."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dockview.cli import EXIT_OK, main
from dockview.ui.main_window import MainWindow
from ll2_loopback import LL2TestServer

MakeWindow = Callable[..., MainWindow]
SEARCH_WORDS = ["dragon", "SOYUZ", "progress", "Zvezda", "  cygnus ", "harmony", "tianhe"]


def served_text(event: dict[str, Any]) -> str:
    """The served fields a search looks in, folded as a person's search is."""
    craft = event["flight_vehicle"]["spacecraft"]
    config = craft["spacecraft_config"]
    location = event["docking_location"]
    station = location.get("spacestation") or {}
    parts = [
        craft["name"],
        craft.get("serial_number"),
        config["name"],
        config["type"]["name"],
        config["agency"]["name"],
        location["name"],
        station.get("name"),
    ]
    return "\n".join(part for part in parts if part).casefold()


def exported_ids(db_path: Path, out: Path, *flags: str) -> list[int]:
    assert main(["export", "--db", str(db_path), "-o", str(out), *flags]) == EXIT_OK
    return [event["id"] for event in json.loads(out.read_text("utf-8"))["results"]]


def test_window_export_and_server_agree(
    make_window: MakeWindow, db_path: Path, ll2_server: LL2TestServer, qtbot: Any, tmp_path: Path
) -> None:
    window = make_window(db_path, api_url=ll2_server.base_url)
    with qtbot.waitSignal(window.syncFinished, timeout=60_000):
        window.sync_now()
    bar = window.filter_bar
    out = tmp_path / "export.json"

    def shown() -> list[int]:
        return sorted(row.id for row in window.proxy.visible_rows())

    stations = {
        event["docking_location"]["spacestation"]["id"]
        for event in ll2_server.events
        if event["docking_location"].get("spacestation")
    }
    assert len(stations) >= 2
    for station in sorted(stations):
        bar.station_filter.setCurrentIndex(bar.station_filter.findData(station))
        served = sorted(
            e["id"]
            for e in ll2_server.events
            if (e["docking_location"].get("spacestation") or {}).get("id") == station
        )
        assert shown() == sorted(exported_ids(db_path, out, "--station", str(station))) == served
    bar.clear()

    bar.docked_now_toggle.setChecked(True)
    served = sorted(e["id"] for e in ll2_server.events if e["departure"] is None)
    assert served and shown() == sorted(exported_ids(db_path, out, "--docked-now")) == served
    bar.clear()

    for word in SEARCH_WORDS:
        bar.search_field.setText(word)
        bar.flush_search()
        needle = word.strip().casefold()
        served = sorted(e["id"] for e in ll2_server.events if needle in served_text(e))
        assert shown() == sorted(exported_ids(db_path, out, "--search", word)) == served, word
    assert any(exported_ids(db_path, out, "--search", word) for word in SEARCH_WORDS)

    # Export shown: exactly the rows shown, in the order shown, as JSON and as CSV.
    bar.search_field.setText("dragon")
    bar.flush_search()
    order = [row.id for row in window.proxy.visible_rows()]
    assert window.export_to(None, tmp_path / "shown.json")
    document = json.loads((tmp_path / "shown.json").read_text("utf-8"))
    assert [event["id"] for event in document["results"]] == order
    assert document["count"] == len(order)
    assert window.export_to(None, tmp_path / "shown.csv")
    with (tmp_path / "shown.csv").open(encoding="utf-8", newline="") as handle:
        table = list(csv.reader(handle))
    header = window.table.horizontalHeader()
    titles = [
        window.proxy.headerData(header.logicalIndex(visual), header.orientation())
        for visual in range(header.count())
        if not header.isSectionHidden(header.logicalIndex(visual))
    ]
    assert table[0] == [*titles, "ID"]
    assert [int(line[-1]) for line in table[1:]] == order
    first = window.proxy.index(0, header.logicalIndex(0)).data()
    assert table[1][0] == first
