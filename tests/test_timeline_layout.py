"""The timeline's layout without a widget: lanes that grow into the room or scroll, the
port-name gutter, the legend's rows, and finding rows and bars by position."""

from __future__ import annotations

import math

import pytest

from dockview.ui.timeline.axis import TickUnit
from dockview.ui.timeline.data import TimelineData
from dockview.ui.timeline.layout import Box, FontNumbers, Layout, compute_layout
from dockview.ui.timeline.viewport import Viewport
from tests.timeline_stays import Stay, ts

LINE = 17.0  # a 9-point font's line height
HEADER = 30.0
SCROLL_BAR = 12.0
TICKS = dict.fromkeys(TickUnit, 20.0)
NOW = ts(2026, 1, 1)


def data_with(ports: int, *, stations: int = 1, name: str = "Port") -> TimelineData:
    stays = [
        Stay(
            n,
            ts(2024, 1, 1) + n,
            ts(2024, 2, 1),
            station_id=n % stations,
            station_name=f"Station {n % stations}",
            location_id=n,
            location_name=f"{name} {n:02d}",
        )
        for n in range(ports)
    ]
    return TimelineData(stays, NOW)


def lay_out(
    data: TimelineData, width: float = 1400, height: float = 800, label: float = 60.0
) -> Layout:
    legend = data.legend_entries()
    font = FontNumbers(
        line_height=LINE,
        label_widths=[label] * len(data.lines),
        legend_widths=[50.0] * len(legend),
        tick_widths=TICKS,
    )
    return compute_layout(
        width,
        height,
        data.lines,
        legend,
        font,
        header_height=HEADER,
        scroll_bar_width=SCROLL_BAR,
    )


def test_a_few_lanes_grow_into_the_room_there_is() -> None:
    layout = lay_out(data_with(3))
    base_lane, station = math.ceil(LINE + 5), math.ceil(LINE + 7)
    assert layout.station_height == station
    assert layout.lane_height == math.floor(base_lane * 1.6)
    assert layout.heights == (station, *[layout.lane_height] * 3)
    lane = layout.lane_height
    assert layout.tops == (0.0, station, station + lane, station + 2 * lane)
    # Header, axis (two text lines), plot, legend (one row), top to bottom, full width.
    plot = layout.plot
    assert plot.top == HEADER + layout.axis_height == HEADER + math.ceil(2 * LINE + 10)
    assert layout.legend_height == LINE + 6 + 6
    assert plot.bottom == 800 - layout.legend_height
    assert plot.left == layout.gutter == 120.0  # short names: the narrowest gutter
    assert plot.right == 1400
    assert not layout.overflow
    assert layout.scroll_bar.width == 0
    assert layout.scroll_range() == 0


def test_too_many_lanes_shrink_a_little_then_scroll() -> None:
    # Just too many for the base height: they shrink to fit instead of scrolling.
    layout = lay_out(data_with(32), height=800)
    assert layout.lane_height < math.ceil(LINE + 5)
    assert not layout.overflow
    assert layout.content_height <= layout.plot.height
    # Far too many: the text's height, and a scroll bar.
    layout = lay_out(data_with(200), height=800)
    assert layout.lane_height == max(14.0, math.ceil(LINE + 1))
    assert layout.overflow
    assert layout.content_height == layout.station_height + 200 * layout.lane_height
    assert layout.scroll_range() == math.ceil(layout.content_height - layout.plot.height)
    assert layout.scroll_bar == Box(
        1400 - SCROLL_BAR, layout.plot.top, SCROLL_BAR, layout.plot.height
    )
    assert layout.plot.right == 1400 - SCROLL_BAR


@pytest.mark.parametrize(
    ("label", "width", "gutter"),
    [
        (60.0, 1400, 120.0),  # at least 120
        (150.0, 1400, 174.0),  # the longest port name and its indent (24)
        (400.0, 1400, 1400 * 0.22),  # at most 22 % of the width
        (400.0, 600, 160.0),  # or 160 on a narrow window
    ],
)
def test_the_gutter_fits_the_longest_name_within_bounds(
    label: float, width: float, gutter: float
) -> None:
    assert lay_out(data_with(3), width=width, label=label).gutter == pytest.approx(gutter)


def test_the_legend_wraps_onto_more_rows() -> None:
    data = data_with(30, stations=1)
    for stay_lane in data.lanes:  # twelve agencies: ten colours and "other"
        for row in stay_lane.rows:
            assert isinstance(row, Stay)
            row.agency_name = f"Agency {row.id % 12}"
    data.recolour(data.mode)
    wide, narrow = lay_out(data, width=1400), lay_out(data, width=400)
    assert len(wide.legend_places) == len(narrow.legend_places) == 11
    assert {place.row for place in wide.legend_places} == {0}
    rows = max(place.row for place in narrow.legend_places) + 1
    assert rows > 1
    assert narrow.legend_height == rows * (LINE + 6) + 6
    assert narrow.plot.height < wide.plot.height
    # Every entry fits the width (the first of a row even when alone).
    for place in narrow.legend_places:
        assert place.x == 8.0 or place.x + 22 + 50 + 14 <= 400 - 8


def test_rows_and_bars_are_found_by_position() -> None:
    data = data_with(200, stations=2)
    layout = lay_out(data)
    plot = layout.plot
    assert layout.line_at(plot.top, 0) == 0
    assert layout.line_at(plot.top + layout.tops[5] + 1, 0) == 5
    assert layout.line_at(plot.top + 1, layout.tops[7]) == 7  # scrolled down to row 7
    assert layout.line_at(plot.top - 1, 0) is None
    assert layout.line_at(plot.top + layout.content_height, 0) is None
    first, last = layout.visible_lines(0)
    assert first == 0
    assert layout.tops[last - 1] < plot.height <= layout.tops[last] + layout.heights[last]
    assert layout.visible_lines(layout.tops[50] + 1)[0] == 50

    # Scrolling to a row below the fold puts it at the bottom; above, it comes back with
    # its station's header row.
    below = 120
    value = layout.scroll_revealing(below, 0)
    assert value == int(layout.tops[below] + layout.heights[below] - plot.height) + 1
    assert layout.scroll_revealing(3, 1000) == int(layout.tops[3]) - int(layout.station_height)
    assert layout.scroll_revealing(3, 0) == 0

    viewport = Viewport(ts(2024, 1, 1), 62 * 86400.0, plot.left, plot.width)
    stay_id = data.lines[5].lane.ids[0]  # type: ignore[union-attr]
    bar = layout.stay_bar(data.index, stay_id, viewport, 0)
    assert bar is not None
    assert bar.top == plot.top + layout.tops[5] + 3
    assert bar.height == layout.heights[5] - 6
    assert bar.left == pytest.approx(viewport.time_to_x(ts(2024, 1, 1) + stay_id))
    assert bar.right == pytest.approx(viewport.time_to_x(ts(2024, 2, 1)))
    assert layout.stay_bar(data.index, 99999, viewport, 0) is None
    # An outline goes round the part of a bar near the plot, never less than 2 pixels wide.
    wide = Box(plot.left - 500, 100, plot.width + 1000, 10)
    assert layout.shown(wide) == Box(plot.left - 8, 100, plot.width + 16, 10)
    assert layout.shown(Box(plot.left - 100, 100, 0.0, 10)) is None
    assert layout.shown(Box(plot.left + 5, 100, 0.0, 10)) == Box(plot.left + 5, 100, 2.0, 10)
