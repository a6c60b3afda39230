"""The detail pane: what a person reads about one docking, and what it refuses to render."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QListWidget, QScrollArea
from pytestqt.qtbot import QtBot

from dockview.ui.detail_pane import EMPTY_TEXT, SECTIONS, DetailPane, PortDocking
from dockview.ui.images import ImageCache
from ll2_loopback import real_events
from tests.gui.test_images import make_png

HOSTILE = "<b>bold</b><img src=x>"
Event = dict[str, Any]


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


PORT_DOCKINGS = [
    PortDocking(566, utc(2024, 3, 23, 11, 19), utc(2024, 4, 28, 17, 10), "Cargo Dragon C209"),
    PortDocking(568, utc(2024, 5, 2, 13, 46), utc(2024, 10, 23, 21, 5), "Crew Dragon Endeavour"),
    PortDocking(700, utc(2025, 1, 5, 8, 0), None, None),
]


@pytest.fixture
def pane(qtbot: QtBot) -> DetailPane:
    widget = DetailPane()
    qtbot.addWidget(widget)
    widget.resize(380, 900)
    return widget


@pytest.fixture
def event_568(seed_events: list[Event]) -> Event:
    return next(event for event in seed_events if event["id"] == 568)


@pytest.fixture
def detailed_568() -> Event:
    return next(event for event in real_events() if event["id"] == 568)


@pytest.fixture
def tokyo(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def all_text(pane: DetailPane) -> str:
    return "\n".join(pane.section_text(name) for name in SECTIONS)


def labels(pane: DetailPane) -> list[QLabel]:
    return pane.findChildren(QLabel)


def visible_label_texts(pane: DetailPane) -> list[str]:
    return [label.text() for label in labels(pane) if label.isVisibleTo(pane) and label.text()]


def image_box(pane: DetailPane, name: str) -> QLabel:
    (box,) = [label for label in labels(pane) if label.accessibleName() == name]
    return box


def port_list(pane: DetailPane) -> QListWidget:
    lists = pane.findChildren(QListWidget)
    assert len(lists) == 1
    return lists[0]


# -- what the sections say -----------------------------------------------------------------


def test_sections_for_seed_event_568(pane: DetailPane, event_568: Event) -> None:
    pane.show_event(event_568, PORT_DOCKINGS)

    spacecraft = pane.section_text("spacecraft")
    for line in (
        "Name: Crew Dragon Endeavour",
        "Serial: C206",
        "Status: Active",
        "Placeholder: no",
        "In space now: no",
        "Time in space: 868 d 14 h 14 min",
        "Time docked: 858 d 15 h 30 min",
        "Flights: 6",
        "Missions ended: 6",
        "Docked: 2024-05-02 13:46 UTC",
        "Departed: 2024-10-23 21:05 UTC",
        "Docked for: 174 d 7 h",
        "Destination: International Space Station",
        "Mission end: 2024-10-25 07:29 UTC",
        "Description: Crew Dragon 6 is the Crew Dragon spacecraft launched on the SpaceX DM-2",
    ):
        assert line in spacecraft

    config = pane.section_text("config")
    for line in ("Name: Crew Dragon 2", "Type: Capsule", "In use: yes", "Agency: SpaceX"):
        assert line in config
    assert "Crew capacity" not in config  # list mode does not have it: left out, not blank

    agency = pane.section_text("agency")
    assert "Name: SpaceX" in agency
    assert "Type: Commercial" in agency

    port = pane.section_text("port")
    assert "Port: Harmony zenith" in port
    assert "Station: International Space Station" in port
    assert "2024-03-23 → 2024-04-28  Cargo Dragon C209" in port
    assert "2024-05-02 → 2024-10-23  Crew Dragon Endeavour  (this docking)" in port
    assert "2025-01-05 → docked now" in port

    texts = visible_label_texts(pane)
    assert "Crew Dragon Endeavour" in texts  # the title
    assert "Harmony zenith · International Space Station" in texts
    assert "None" not in all_text(pane)


def test_detailed_mode_fields(qtbot: QtBot, tmp_path: Path, detailed_568: Event) -> None:
    png = make_png(640, 360)
    logo = make_png(120, 120)
    station_url = detailed_568["space_station"]["image_url"]

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == station_url:
            return httpx.Response(404)
        return httpx.Response(200, content=logo if "logo" in request.url.path else png)

    images = ImageCache(tmp_path / "images", transport=httpx.MockTransport(handler))
    pane = DetailPane(images)
    qtbot.addWidget(pane)
    pane.resize(380, 1800)
    pane.show()
    qtbot.waitExposed(pane)
    try:
        pane.show_event(detailed_568, PORT_DOCKINGS)
        config_box = image_box(pane, "Configuration image")
        logo_box = image_box(pane, "Agency logo")
        station_box = image_box(pane, "Space station image")
        assert config_box.text() == "Loading image…"
        qtbot.waitUntil(
            lambda: (
                not config_box.pixmap().isNull()
                and not logo_box.pixmap().isNull()
                and station_box.text() == "Image unavailable"
            ),
            timeout=3000,
        )
        assert config_box.pixmap().size().toTuple() == (266, 150)  # 16:9 fitted into 300 x 150
        assert "404" in station_box.toolTip()

        config = pane.section_text("config")
        for line in (
            "Human rated: yes",
            "Crew capacity: 4",
            "Payload capacity: 6,000 kg",
            "Maiden flight: 2019-03-02",
            "Height: 8.1 m",
            "Diameter: 4 m",
            "Flight life: up to 210 days",
            "Capability: Crew transport, reusable",
            "Wikipedia: https://en.wikipedia.org/wiki/Crew",
            "More info: https://www.thespacedevs.com/spacecraft/6",
            "Details: The Crew Dragon 2 (capsule) is operated by SpaceX.",
            "History: Crew Dragon 2 first flew on 2019-03-02.",
        ):
            assert line in config
        agency = pane.section_text("agency")
        for line in (
            "Abbreviation: SpX",
            "Country: USA",
            "Founded: 2002",
            "Administrator: CEO: Elon Musk",
            "Launchers: Falcon 9 | Falcon Heavy | Starship",
            "Description: Space Exploration Technologies Corp.",
        ):
            assert line in agency
        assert "None" not in all_text(pane)
        assert pane.findChild(QScrollArea) is not None
        # A picture of the full pane, kept with the test's files for a person to look at.
        screenshot = tmp_path / "detail_pane.png"
        assert pane.grab().save(str(screenshot))
        assert QImage(str(screenshot)).size() == pane.grab().size()
    finally:
        images.shutdown()


def test_no_event_shows_the_empty_state(pane: DetailPane, event_568: Event) -> None:
    pane.show_event(event_568)
    pane.show_event(None)
    assert all(pane.section_text(name) == "" for name in SECTIONS)
    assert visible_label_texts(pane) == [EMPTY_TEXT]


def test_event_without_docking_time_says_why(pane: DetailPane, event_568: Event) -> None:
    event_568["docking"] = None
    pane.show_event(event_568)
    assert visible_label_texts(pane) == ["This docking cannot be shown: no valid docking time."]


def test_open_event_says_docked_now(pane: DetailPane, event_568: Event) -> None:
    event_568["departure"] = None
    pane.show_event(event_568)
    spacecraft = pane.section_text("spacecraft")
    assert "Departed: docked now" in spacecraft
    assert "Docked for: docked now · " in spacecraft


# -- API text stays text ---------------------------------------------------------------------


def test_markup_in_api_text_is_shown_literally(pane: DetailPane, detailed_568: Event) -> None:
    craft = detailed_568["flight_vehicle"]["spacecraft"]
    craft["name"] = f"Dragon {HOSTILE}"
    craft["description"] = f"Before {HOSTILE} after"
    craft["spacecraft_config"]["agency"]["description"] = HOSTILE
    craft["spacecraft_config"]["wiki_link"] = 'https://example.org/"><img src=x>'
    detailed_568["docking_location"]["name"] = "<i>zenith</i>"
    pane.show_event(detailed_568, [PortDocking(1, utc(2020, 1, 1), None, HOSTILE)])

    assert f"Description: Before {HOSTILE} after" in pane.section_text("spacecraft")
    assert f"Description: {HOSTILE}" in pane.section_text("agency")
    assert 'Wikipedia: https://example.org/"><img src=x>' in pane.section_text("config")
    assert "Port: <i>zenith</i>" in pane.section_text("port")

    holding_markup = [label for label in labels(pane) if "<" in label.text()]
    assert len(holding_markup) >= 6  # title, name, description, agency, link, port (+ subtitle)
    for label in labels(pane):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    assert f"Dragon {HOSTILE}" in visible_label_texts(pane)
    assert port_list(pane).item(0).text().endswith(HOSTILE)


def test_value_labels_are_selectable(pane: DetailPane, event_568: Event) -> None:
    pane.show_event(event_568)
    (serial,) = [label for label in labels(pane) if label.text() == "C206"]
    flags = serial.textInteractionFlags()
    assert flags & Qt.TextInteractionFlag.TextSelectableByMouse
    assert flags & Qt.TextInteractionFlag.TextSelectableByKeyboard


def _null(path: tuple[str, ...]) -> Callable[[Event], None]:
    def apply(event: Event) -> None:
        obj = event
        for key in path[:-1]:
            obj = obj[key]
        obj[path[-1]] = None

    return apply


def _drop(path: tuple[str, ...]) -> Callable[[Event], None]:
    def apply(event: Event) -> None:
        obj = event
        for key in path[:-1]:
            obj = obj[key]
        del obj[path[-1]]

    return apply


def _null_all_leaves(event: Event) -> None:
    def walk(obj: dict[str, Any]) -> None:
        for key, value in obj.items():
            if isinstance(value, dict):
                walk(value)
            elif key not in ("id", "docking"):
                obj[key] = None

    walk(event)


FV = ("flight_vehicle",)
SC = (*FV, "spacecraft")
CFG = (*SC, "spacecraft_config")


@pytest.mark.parametrize(
    "damage",
    [
        _null(FV),
        _null(SC),
        _null(CFG),
        _null((*CFG, "agency")),
        _null((*CFG, "type")),
        _null((*SC, "status")),
        _null(("docking_location",)),
        _null(("docking_location", "spacestation")),
        _null(("space_station",)),
        _drop(FV),
        _drop(("docking_location",)),
        _drop(("space_station",)),
        _null_all_leaves,
    ],
)
def test_null_nested_objects_are_left_out(
    pane: DetailPane, detailed_568: Event, damage: Callable[[Event], None]
) -> None:
    event = copy.deepcopy(detailed_568)
    damage(event)
    pane.show_event(event, PORT_DOCKINGS)
    text = all_text(pane)
    assert "Docked: 2024-05-02 13:46 UTC" in text
    assert "None" not in text
    assert "None" not in visible_label_texts(pane)
    assert not [t for t in visible_label_texts(pane) if t.strip() in ("", "None", "null")]


# -- times -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("tokyo")
def test_utc_and_local_time(pane: DetailPane, event_568: Event) -> None:
    pane.show_event(event_568, PORT_DOCKINGS)
    assert "Docked: 2024-05-02 13:46 UTC" in pane.section_text("spacecraft")

    pane.set_utc(False)
    spacecraft = pane.section_text("spacecraft")
    assert "Docked: 2024-05-02 22:46 JST" in spacecraft
    assert "Departed: 2024-10-24 06:05 JST" in spacecraft
    assert "UTC" not in spacecraft
    # The departure crosses midnight in Tokyo, so the port list's date moves too.
    assert "2024-05-02 → 2024-10-24  Crew Dragon Endeavour" in pane.section_text("port")

    pane.set_utc(True)
    assert "Departed: 2024-10-23 21:05 UTC" in pane.section_text("spacecraft")


# -- the port's other dockings ---------------------------------------------------------------


def test_port_list_click_and_enter_activate_events(
    qtbot: QtBot, pane: DetailPane, event_568: Event
) -> None:
    pane.show()
    qtbot.waitExposed(pane)
    pane.show_event(event_568, PORT_DOCKINGS)
    ports = port_list(pane)
    ids = [ports.item(row).data(Qt.ItemDataRole.UserRole) for row in range(ports.count())]
    assert ids == [700, 568, 566]  # newest first

    cargo = ports.item(2)
    with qtbot.waitSignal(pane.eventActivated, timeout=1000) as clicked:
        qtbot.mouseClick(
            ports.viewport(), Qt.MouseButton.LeftButton, pos=ports.visualItemRect(cargo).center()
        )
    assert clicked.args == [566]

    ports.setCurrentRow(0)
    with qtbot.waitSignal(pane.eventActivated, timeout=1000) as entered:
        qtbot.keyClick(ports, Qt.Key.Key_Return)
    assert entered.args == [700]

    ports.setCurrentRow(1)  # the docking already shown: nothing to activate
    with qtbot.assertNotEmitted(pane.eventActivated, wait=20):
        qtbot.keyClick(ports, Qt.Key.Key_Enter)


def test_image_placeholder_without_cache(pane: DetailPane, detailed_568: Event) -> None:
    pane.show_event(detailed_568)
    box = image_box(pane, "Configuration image")
    assert box.text() == "No image"
    assert box.pixmap().isNull()


def test_image_from_cache_shown_at_once(qtbot: QtBot, tmp_path: Path, detailed_568: Event) -> None:
    cache_dir = tmp_path / "images"
    url = detailed_568["flight_vehicle"]["spacecraft"]["spacecraft_config"]["image_url"]
    images = ImageCache(cache_dir, offline=True)
    cache_dir.mkdir()
    images.path_for(url).write_bytes(make_png(60, 30))
    pane = DetailPane(images)
    qtbot.addWidget(pane)
    try:
        pane.show_event(detailed_568)
        assert image_box(pane, "Configuration image").pixmap().width() == 60
        assert image_box(pane, "Agency logo").text() == "No image"  # offline, not cached
    finally:
        images.shutdown()
