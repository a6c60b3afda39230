"""The timeline widget: bars where their dates are, lanes per port, filters, overlaps,
relocations, selection both ways, zoom and pan, the axis, and 50,000 events drawn correctly.
Lanes, overlaps, colours, ticks, zoom and layout are tested without a widget in
tests/test_timeline_*.py."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QTableView,
    QToolButton,
    QToolTip,
)
from pytestqt.qtbot import QtBot

from dockview.records import parse_events
from dockview.store import TABLE_FIELDS, Store
from dockview.ui import timeline
from dockview.ui.event_model import (
    COLUMN_INDEX,
    Column,
    EventFilterProxy,
    EventRow,
    EventTableModel,
)
from dockview.ui.timeline import TimelineView
from ll2_loopback import generate_events

WIDTH, HEIGHT = 1400, 800
Fields = tuple[Any, ...]


def ts(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> float:
    return datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp()


def seed_fields(db_path: Path) -> list[Fields]:
    with Store(db_path) as opened:
        return opened.table_rows()


def like(fields: Fields, **changes: Any) -> Fields:
    """A copy of one cache row with some fields changed (a crafted event)."""
    values = list(fields)
    for name, value in changes.items():
        values[TABLE_FIELDS.index(name)] = value
    return tuple(values)


def by_id(rows: list[Fields], event_id: int) -> Fields:
    return next(fields for fields in rows if fields[TABLE_FIELDS.index("id")] == event_id)


def make_proxy(rows: list[Fields]) -> EventFilterProxy:
    model = EventTableModel()
    model.set_utc(True)
    model.set_rows([EventRow(fields) for fields in rows])
    proxy = EventFilterProxy()
    proxy.setSourceModel(model)
    return proxy


def make_view(qtbot: QtBot, proxy: EventFilterProxy, height: int = HEIGHT) -> TimelineView:
    view = TimelineView(proxy)
    qtbot.addWidget(view)
    view.resize(WIDTH, height)
    view.show()
    qtbot.waitExposed(view)
    return view


@pytest.fixture
def proxy(seeded_db: Path) -> EventFilterProxy:
    return make_proxy(seed_fields(seeded_db))


@pytest.fixture
def view(qtbot: QtBot, proxy: EventFilterProxy) -> TimelineView:
    return make_view(qtbot, proxy)


def visible_in_plot(view: TimelineView, event_id: int) -> bool:
    rect = view.bar_rect(event_id)
    return rect is not None and rect.intersects(view.plot_rect())


# -- geometry ---------------------------------------------------------------------------------


def test_bars_sit_at_their_dates(view: TimelineView) -> None:
    start, end = ts(2024, 1, 1), ts(2026, 1, 1)
    view.set_visible_range(start, end)
    plot = view.plot_rect()
    assert view.visible_range() == (start, end)
    assert view.time_to_x(start) == pytest.approx(plot.left())
    assert view.time_to_x(end) == pytest.approx(plot.right())

    def expected_x(moment: float) -> float:
        return plot.left() + (moment - start) / (end - start) * plot.width()

    known = {
        568: (ts(2024, 5, 2, 13, 46), ts(2024, 10, 23, 21, 5)),
        566: (ts(2024, 3, 23, 11, 19), ts(2024, 4, 28, 17, 10)),
        529: (ts(2024, 1, 17, 17, 46), ts(2024, 11, 10, 8, 30)),
        619: (ts(2025, 3, 16, 4, 52), ts(2025, 8, 8, 22, 15)),
    }
    for event_id, (docked, departed) in known.items():
        rect = view.bar_rect(event_id)
        assert rect is not None
        assert rect.left() == pytest.approx(expected_x(docked), abs=1)
        assert rect.right() == pytest.approx(expected_x(departed), abs=1)
        assert rect.left() == pytest.approx(view.time_to_x(docked), abs=1)
        assert view.x_to_time(view.time_to_x(docked)) == pytest.approx(docked)
    # Mid-2024: about a quarter of the way across a two-year range.
    assert view.time_to_x(ts(2024, 7, 1)) == pytest.approx(plot.left() + plot.width() * 182 / 731)

    # Still docked: from its docking to "now", which lies past the right edge here.
    still = view.bar_rect(620)
    assert still is not None
    assert still.left() == pytest.approx(expected_x(ts(2025, 4, 8, 8, 57)), abs=1)
    assert still.right() == pytest.approx(view.time_to_x(view.now), abs=1)
    assert view.now == pytest.approx(time.time(), abs=600)
    assert still.right() > plot.right()


def test_ports_are_lanes_grouped_by_station(view: TimelineView) -> None:
    iss, tiangong = "International Space Station", "Tiangong space station"
    assert view.lanes() == [
        (iss, None),
        (iss, "Harmony forward"),
        (iss, "Harmony zenith"),
        (iss, "Poisk zenith"),
        (iss, "Prichal nadir"),
        (iss, "Unity nadir"),
        (iss, "Zvezda aft"),
        (tiangong, None),
        (tiangong, "Tianhe aft"),
        (tiangong, "Tianhe nadir"),
    ]
    # The two Harmony zenith dockings share a lane, and their bars one height.
    assert view.lane_of(568) == view.lane_of(566) == 2
    first, second = view.bar_rect(566), view.bar_rect(568)
    assert first is not None and second is not None
    assert first.top() == second.top()
    assert first.right() < second.left()  # the gap between the stays is empty lane
    # The Tiangong ports come after Tiangong's own header row.
    assert view.lane_of(529) == 8
    assert view.lane_of(569) == 9
    assert view.lanes()[7] == (tiangong, None)
    assert all(view.lane_of(event_id) != view.lane_of(569) for event_id in (529, 568, 620))


def test_the_view_follows_the_filters(qtbot: QtBot, proxy: EventFilterProxy) -> None:
    view = make_view(qtbot, proxy)
    rebuilt: list[None] = []
    view.rebuilt.connect(lambda: rebuilt.append(None))
    with qtbot.waitSignal(view.rebuilt):
        # A burst of changes rebuilds the lanes once.
        proxy.set_filters(text="dragon")
        proxy.set_filters(text="")
        proxy.set_filters(station_id=18)
    assert len(rebuilt) == 1
    assert view.lanes() == [
        ("Tiangong space station", None),
        ("Tiangong space station", "Tianhe aft"),
        ("Tiangong space station", "Tianhe nadir"),
    ]
    assert view.bar_rect(568) is None
    assert view.bar_rect(529) is not None
    assert view.bar_rect(569) is not None

    # Sorting the table reorders the rows, not which: the lanes stay as they are.
    lanes = view.lanes()
    with qtbot.waitSignal(view.rebuilt):
        proxy.sort(COLUMN_INDEX[Column.SPACECRAFT], Qt.SortOrder.DescendingOrder)
    assert view.lanes() == lanes

    with qtbot.waitSignal(view.rebuilt):
        proxy.set_filters(text="no such vehicle")
    assert view.lanes() == []
    assert view.bar_rect(569) is None
    assert not view.grab().isNull()

    with qtbot.waitSignal(view.rebuilt):
        proxy.set_filters(text="", station_id=None, docked_now=True)
    assert [port for _, port in view.lanes()] == [None, "Prichal nadir"]
    with qtbot.waitSignal(view.rebuilt):
        proxy.clear_filters()
    assert len(view.lanes()) == 10


# -- overlaps and relocations -----------------------------------------------------------------


def test_overlapping_stays_on_one_port_are_flagged(qtbot: QtBot, seeded_db: Path) -> None:
    rows = seed_fields(seeded_db)
    # A second vehicle at Harmony zenith while Cargo Dragon C209 (566) is still there, and
    # one that docks exactly when Endeavour (568) leaves: touching is not overlapping.
    overlapping = like(
        by_id(rows, 568),
        id=9001,
        spacecraft_name="Crew Dragon Overlap",
        docking_ts=ts(2024, 4, 1),
        departure_ts=ts(2024, 4, 10),
        flight_vehicle_id=9901,
    )
    touching = like(
        by_id(rows, 568),
        id=9002,
        docking_ts=ts(2024, 10, 23, 21, 5),
        departure_ts=ts(2024, 11, 1),
        flight_vehicle_id=9902,
    )
    view = make_view(qtbot, make_proxy([*rows, overlapping, touching]))
    assert view.conflicts == [(566, 9001)]
    tip = view.tooltip_text(9001)
    assert tip is not None and "Overlaps Cargo Dragon C209 on this port" in tip
    assert "overlap" not in (view.tooltip_text(9002) or "").casefold()
    summary = view.findChild(QLabel, "timelineSummary")
    assert summary is not None and "1 overlap" in summary.text()

    # The overlapping stretch is outlined in the warning colour.
    view.set_visible_range(ts(2024, 3, 1), ts(2024, 5, 1))
    image = view.grab().toImage()
    rect = view.bar_rect(9001)
    assert rect is not None
    warning = QColor(timeline.WARNING_COLOUR).rgb()
    top = int(rect.top()) - 2
    found = [
        x
        for x in range(int(rect.left()) - 3, int(rect.right()) + 3)
        if image.pixel(x, top) == warning or image.pixel(x, top + 1) == warning
    ]
    assert found, "no warning outline above the overlap"


def test_a_vehicle_that_moved_ports_is_linked(qtbot: QtBot, seeded_db: Path) -> None:
    rows = seed_fields(seeded_db)
    # Progress MS-27 (570, flight vehicle 833) moves from Poisk zenith to Zvezda aft.
    moved = like(
        by_id(rows, 570),
        id=9003,
        location_id=2,
        location_name="Zvezda aft",
        docking_ts=ts(2024, 11, 19, 14, 30),
        departure_ts=ts(2025, 1, 10),
    )
    view = make_view(qtbot, make_proxy([*rows, moved]))
    assert view.relocations == [(570, 9003)]
    assert view.conflicts == []
    assert "Relocated to Zvezda aft" in (view.tooltip_text(570) or "")
    assert "Relocated from Poisk zenith" in (view.tooltip_text(9003) or "")
    assert view.lane_of(9003) == view.lane_of(563)
    assert view.lane_of(9003) != view.lane_of(570)


# -- selection both ways ----------------------------------------------------------------------


def link_table(view: TimelineView, table: QTableView, proxy: EventFilterProxy) -> None:
    """The window's wiring, in small: a bar click selects the row, the row scrolls the bar."""

    def select_row(event_id: int) -> None:
        row = proxy.proxy_row_for_id(event_id)
        assert row is not None
        table.selectionModel().setCurrentIndex(
            proxy.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def current_changed(current: QModelIndex, _previous: QModelIndex) -> None:
        event_id = proxy.event_id_at(current.row())
        if event_id is not None:
            view.scroll_to_event(event_id)

    view.eventActivated.connect(select_row)
    table.selectionModel().currentRowChanged.connect(current_changed)


def test_selection_follows_between_timeline_and_table(
    qtbot: QtBot, proxy: EventFilterProxy
) -> None:
    view = make_view(qtbot, proxy)
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(proxy)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    link_table(view, table, proxy)

    view.set_visible_range(ts(2024, 1, 1), ts(2026, 1, 1))
    rect = view.bar_rect(568)
    assert rect is not None
    with qtbot.waitSignal(view.eventActivated) as activated:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert activated.args == [568]
    assert proxy.event_id_at(table.currentIndex().row()) == 568
    assert view.selected_event() == 568

    # Selecting in the table scrolls the timeline to the bar, zoom kept.
    view.set_visible_range(ts(2025, 6, 1), ts(2025, 8, 1))
    span = view.visible_range()[1] - view.visible_range()[0]
    assert not visible_in_plot(view, 566)
    table.selectRow(proxy.proxy_row_for_id(566) or 0)
    assert proxy.event_id_at(table.currentIndex().row()) == 566
    assert view.selected_event() == 566
    assert visible_in_plot(view, 566)
    assert view.visible_range()[1] - view.visible_range()[0] == pytest.approx(span)
    shown = view.bar_rect(566)
    assert shown is not None and view.plot_rect().contains(shown)

    # A bar wider than the view: the view zooms out to hold it.
    view.set_visible_range(ts(2024, 6, 1), ts(2024, 6, 4))
    view.scroll_to_event(529)
    wide = view.bar_rect(529)
    assert wide is not None and view.plot_rect().contains(wide)


def test_scroll_to_event_scrolls_the_lanes_too(qtbot: QtBot, proxy: EventFilterProxy) -> None:
    view = make_view(qtbot, proxy, height=220)
    plot = view.plot_rect()
    rect = view.bar_rect(569)
    assert rect is not None and rect.top() > plot.bottom()  # Tiangong is below the fold
    view.scroll_to_event(569)
    rect = view.bar_rect(569)
    assert rect is not None and plot.top() <= rect.top() and rect.bottom() <= plot.bottom()
    assert view.event_at(rect.center()) == 569


def test_keyboard_moves_between_stays_and_enter_selects(qtbot: QtBot, view: TimelineView) -> None:
    view.setFocus()
    view.scroll_to_event(568)
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.focused_event() == 566  # the previous stay on Harmony zenith
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.focused_event() == 528  # Harmony forward, nearest in time
    with qtbot.waitSignal(view.eventActivated) as activated:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert activated.args == [528]

    start, end = view.visible_range()
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.visible_range()[1] - view.visible_range()[0] == pytest.approx((end - start) / 1.5)
    qtbot.keyClick(view, Qt.Key.Key_Home)
    for event_id in (529, 568, 619, 620):
        rect = view.bar_rect(event_id)
        assert rect is not None and view.plot_rect().contains(rect)


# -- zoom, pan, axis --------------------------------------------------------------------------


def wheel(view: TimelineView, x: float, y: float, delta: int, modifiers: Any = None) -> None:
    position = QPointF(x, y)
    event = QWheelEvent(
        position,
        view.mapToGlobal(position),
        QPoint(0, 0),
        QPoint(0, delta),
        Qt.MouseButton.NoButton,
        modifiers or Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view, event)


def test_zoom_and_pan_keep_the_time_under_the_cursor(qtbot: QtBot, view: TimelineView) -> None:
    view.set_visible_range(ts(2024, 1, 1), ts(2026, 1, 1))
    plot = view.plot_rect()
    x = plot.left() + 300
    anchor = view.x_to_time(x)
    view.zoom(2.0, x)
    assert view.x_to_time(x) == pytest.approx(anchor, abs=1)
    assert view.visible_range()[1] - view.visible_range()[0] == pytest.approx(365.5 * 86400)

    # The wheel zooms around the cursor too.
    y = plot.top() + 40
    wheel(view, x, y, 240)
    assert view.x_to_time(x) == pytest.approx(anchor, abs=60)
    assert view.visible_range()[1] - view.visible_range()[0] < 365 * 86400
    wheel(view, x, y, -240)
    assert view.x_to_time(x) == pytest.approx(anchor, abs=60)

    # Shift+wheel pans; so does a drag, which carries the time under the mouse along.
    before = view.visible_range()
    wheel(view, x, y, 120, Qt.KeyboardModifier.ShiftModifier)
    assert view.visible_range()[0] < before[0]
    start = QPoint(int(x), int(y))
    moment = view.x_to_time(start.x())
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start)
    for step in range(1, 6):
        qtbot.mouseMove(view, start + QPoint(20 * step, 0))
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=start + QPoint(100, 0))
    assert view.x_to_time(start.x() + 100) == pytest.approx(moment, abs=view.seconds_per_pixel())


def test_axis_ticks_go_from_years_to_months_to_days_to_hours(view: TimelineView) -> None:
    view.set_visible_range(ts(1990, 1, 1), ts(2026, 1, 1))
    assert view.tick_unit() == "year"
    labels = [text for _, text in view.tick_labels()]
    assert labels and all(text.isdigit() and len(text) == 4 for text in labels)

    view.set_visible_range(ts(2024, 1, 1), ts(2026, 1, 1))
    assert view.tick_unit() == "month"
    months = view.tick_labels()
    assert {text for _, text in months} <= set(timeline.MONTHS)
    july = next(x for x, text in months if text == "Jul")
    assert july == pytest.approx(view.time_to_x(ts(2024, 7, 1)))

    view.set_visible_range(ts(2024, 5, 1), ts(2024, 5, 21))
    assert view.tick_unit() == "day"
    days = [text for _, text in view.tick_labels()]
    assert days[:3] == ["1", "2", "3"]

    view.set_visible_range(ts(2024, 5, 2), ts(2024, 5, 2, 12))
    assert view.tick_unit() == "hour"
    hours = view.tick_labels()
    assert hours[0] == (pytest.approx(view.plot_rect().left()), "00:00")
    assert all(text.endswith(":00") for _, text in hours)

    # Labels never crowd each other, whatever the zoom.
    for span in (40 * 365, 5 * 365, 365, 90, 20, 3):
        view.set_visible_range(ts(2024, 5, 2) - span * 86400, ts(2024, 5, 2))
        xs = [x for x, _ in view.tick_labels()]
        assert all(b - a >= 30 for a, b in pairwise(xs))


# -- colours, legend, tooltip -----------------------------------------------------------------


def test_colour_by_agency_or_type_with_a_legend(qtbot: QtBot, view: TimelineView) -> None:
    names = [name for name, _ in view.legend_items()]
    assert names == ["SpaceX", "ROSCOSMOS", "CASC", "CNSA", "Northrop Grumman"]
    legend = dict(view.legend_items())
    assert view.bar_colour(620) == legend["ROSCOSMOS"] == QColor("#E15759")
    assert view.bar_colour(568) == legend["SpaceX"]

    type_button = view.findChild(QToolButton, "timelineColourType")
    assert type_button is not None
    qtbot.mouseClick(type_button, Qt.MouseButton.LeftButton)
    assert view.colour_mode == "type"
    legend = dict(view.legend_items())
    assert set(legend) == {
        "Crew Dragon",
        "Cargo Dragon",
        "Progress",
        "Soyuz",
        "Cygnus",
        "Shenzhou",
        "Tianzhou",
    }
    assert view.bar_colour(620) == legend["Soyuz"]
    assert view.bar_colour(570) == legend["Progress"] != legend["Soyuz"]
    assert view.bar_colour(566) == legend["Cargo Dragon"] != legend["Crew Dragon"]
    with pytest.raises(ValueError):
        view.set_colour_mode("rainbow")


def test_hover_tooltip_says_vehicle_port_dates_and_stay(view: TimelineView) -> None:
    assert view.tooltip_text(568) == (
        "Crew Dragon Endeavour (C206)\n"
        "Crew Dragon 2 · SpaceX\n"
        "Harmony zenith, International Space Station\n"
        "2024-05-02 13:46 → 2024-10-23 21:05 (UTC)\n"
        "Docked for 174 d 7 h"
    )
    still = view.tooltip_text(620) or ""
    assert "2025-04-08 08:57 (UTC) → docked now" in still
    assert "so far" in still
    view.set_utc(False)
    assert "(local time)" in (view.tooltip_text(568) or "")


# The offscreen platform warns when the tooltip window raises itself; that is not ours.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_hovering_a_bar_shows_its_tooltip(qtbot: QtBot, view: TimelineView) -> None:
    rect = view.bar_rect(620)
    assert rect is not None
    point = rect.center().toPoint()
    qtbot.mouseMove(view, point)
    QApplication.sendEvent(view, QHelpEvent(QEvent.Type.ToolTip, point, view.mapToGlobal(point)))
    qtbot.waitUntil(QToolTip.isVisible)
    assert "Soyuz MS-27" in QToolTip.text()
    assert "docked now" in QToolTip.text()
    QToolTip.hideText()


def test_header_buttons_and_the_clock(qtbot: QtBot, view: TimelineView) -> None:
    def click(name: str) -> None:
        button = view.findChild(QToolButton, name)
        assert button is not None, name
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    click("timelineLastYear")
    start, end = view.visible_range()
    assert start == pytest.approx(view.now - 365 * 86400)
    assert view.time_to_x(view.now) < view.plot_rect().right()
    click("timelineZoomIn")
    assert view.visible_range()[1] - view.visible_range()[0] == pytest.approx((end - start) / 1.5)
    click("timelineZoomOut")
    assert view.visible_range()[1] - view.visible_range()[0] == pytest.approx(end - start)
    click("timelineFitAll")
    assert view.visible_range()[0] < ts(2024, 1, 17, 17, 46)

    # The model's clock ticks (a presentation-only dataChanged): the open bar follows it.
    model = view.proxy().event_model()
    model.refresh_now()
    assert view.now == model.now
    rect = view.bar_rect(620)
    assert rect is not None and rect.right() == pytest.approx(view.time_to_x(model.now))


def test_seed_screenshot(view: TimelineView, tmp_path: Path) -> None:
    view.fit_all()
    for event_id in (529, 568, 620):
        assert visible_in_plot(view, event_id)
    assert view.objectName() == "timelineView"
    assert view.accessibleName()
    assert view.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert view.grab().save(str(tmp_path / "timeline_seed.png"))


# -- 50,000 events ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def rows_50k(tmp_path_factory: pytest.TempPathFactory) -> list[Fields]:
    """50,000 generated events through parse and the store (a few seconds, once a run)."""
    with Store(tmp_path_factory.mktemp("timeline-50k") / "events.db") as opened:
        events, _ = parse_events(generate_events(50_000, seed=1))
        opened.write_page(events, source_url="http://127.0.0.1/2.2.0")
        return opened.table_rows()


@pytest.fixture
def view_50k(qtbot: QtBot, rows_50k: list[Fields]) -> Iterator[TimelineView]:
    yield make_view(qtbot, make_proxy(rows_50k), height=1000)


def test_50000_events_draw_every_visible_bar(
    view_50k: TimelineView, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    view = view_50k
    rows = view.proxy().visible_rows()
    assert len(rows) == 50_000
    plot = view.plot_rect()
    # 1,000 px high: every lane fits, so each bar meeting the time range is drawn.
    last = view.lanes()[-1]
    last_lane = next(r for r in rows if (r.station_name, r.location_name) == last)
    rect = view.bar_rect(last_lane.id)
    assert rect is not None and rect.bottom() <= plot.bottom()

    now = view.now
    timings = []
    ranges = {
        "10 years": (now - 3652 * 86400, now),
        "last year": (now - 365 * 86400, now),
        "2010, 60 days": (ts(2010, 3, 1), ts(2010, 4, 30)),
        "2 days": (ts(1995, 7, 1), ts(1995, 7, 3)),
        "fit all": None,  # the view's first picture, so last: a fresh paint
    }
    for name, span in ranges.items():
        if span is None:
            view.fit_all()
        else:
            view.set_visible_range(*span)
        start, end = view.visible_range()
        began = time.perf_counter()
        image = view.grab().toImage()
        grab_ms = (time.perf_counter() - began) * 1000
        expected = sum(
            1
            for r in rows
            if r.docking_ts <= end and (r.departure_ts if r.departure_ts else now) >= start
        )
        assert view.last_paint["cached"] == 0
        assert view.last_paint["bars"] == expected, name
        timings.append(f"{name}: {grab_ms:.0f} ms ({expected} bars)")

        # Wide bars that nothing else covers show their own colour.
        sampled = 0
        covered = {i for pair in view.conflicts + view.relocations for i in pair}
        for r in rows:
            if sampled >= 20:
                break
            rect = view.bar_rect(r.id)
            if r.id in covered or rect is None or rect.width() < 12:
                continue
            if not plot.adjusted(2, 0, -2, 0).contains(rect):
                continue
            pixel = image.pixelColor(int(rect.left() + 2.5), int(rect.center().y()))
            colour = view.bar_colour(r.id)
            assert colour is not None
            assert abs(pixel.red() - colour.red()) <= 2, (name, r.id)
            assert abs(pixel.green() - colour.green()) <= 2, (name, r.id)
            sampled += 1
        if name == "2010, 60 days":
            assert sampled == 20

    began = time.perf_counter()
    view.repaint()
    cached_ms = (time.perf_counter() - began) * 1000
    view.fit_all()
    view.resize(WIDTH, HEIGHT)
    assert view.grab().save(str(tmp_path / "timeline_50k.png"))
    with capsys.disabled():
        print(f"\ntimeline, 50,000 events, full repaint: {'; '.join(timings)}")
        print(f"timeline, 50,000 events, repaint from the cached picture: {cached_ms:.1f} ms")


def test_50000_events_rebuild_on_a_filter(
    qtbot: QtBot, view_50k: TimelineView, capsys: pytest.CaptureFixture[str]
) -> None:
    view = view_50k
    proxy = view.proxy()
    began = time.perf_counter()
    with qtbot.waitSignal(view.rebuilt):
        proxy.set_filters(station_id=2)
    elapsed = (time.perf_counter() - began) * 1000
    assert {station for station, _ in view.lanes()} == {"Mir"}
    began = time.perf_counter()
    with qtbot.waitSignal(view.rebuilt):
        proxy.clear_filters()
    full = (time.perf_counter() - began) * 1000
    assert len(view.lanes()) == 37
    with capsys.disabled():
        print(f"timeline rebuild: Mir only {elapsed:.0f} ms, all 50,000 events {full:.0f} ms")
