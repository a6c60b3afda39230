"""The timeline's viewport without a widget: time to pixels and back, zoom around a point,
pan, the zoom limits and keeping the view on the data."""

from __future__ import annotations

import math

import pytest

from dockview.ui.timeline.viewport import (
    DAY,
    MAX_SPAN,
    MIN_SPAN,
    YEAR,
    Viewport,
    fitting,
    last_year,
)
from tests.timeline_stays import ts

LEFT, WIDTH = 160.0, 1200.0
START, END = ts(2024, 1, 1), ts(2026, 1, 1)
EXTENT = (ts(1971, 4, 23), ts(2026, 1, 1))


def two_years() -> Viewport:
    return Viewport(START, END - START, LEFT, WIDTH)


def test_times_and_pixels_convert_both_ways() -> None:
    view = two_years()
    assert view.visible_range() == (START, END)
    assert view.time_to_x(START) == LEFT
    assert view.time_to_x(END) == pytest.approx(LEFT + WIDTH)
    assert view.time_to_x(ts(2024, 7, 1)) == pytest.approx(LEFT + WIDTH * 182 / 731)
    assert view.seconds_per_pixel() == pytest.approx(731 * DAY / WIDTH)
    for moment in (START, ts(2025, 3, 16, 4), END, ts(1990, 1, 1)):
        assert view.x_to_time(view.time_to_x(moment)) == pytest.approx(moment)
    # Before the first layout the plot has no width: nothing divides by zero.
    unplaced = Viewport(START, DAY)
    assert unplaced.seconds_per_pixel() == DAY
    assert unplaced.x_to_time(10.0) == START + 10 * DAY
    assert unplaced.placed(LEFT, WIDTH).time_to_x(START + DAY) == LEFT + WIDTH


def test_zoom_keeps_the_time_under_the_anchor() -> None:
    view = two_years()
    x = LEFT + 300
    anchor = view.x_to_time(x)
    zoomed = view.zoomed(2.0, x, EXTENT)
    assert zoomed.x_to_time(x) == pytest.approx(anchor)
    assert zoomed.span == pytest.approx(365.5 * DAY)
    back = zoomed.zoomed(0.5, x, EXTENT)
    assert back.visible_range() == pytest.approx(view.visible_range())
    # Without an anchor: around the middle.
    middle = view.x_to_time(LEFT + WIDTH / 2)
    assert view.zoomed(4.0).x_to_time(LEFT + WIDTH / 2) == pytest.approx(middle)
    for nonsense in (0.0, -2.0, math.inf, math.nan):
        assert view.zoomed(nonsense, x) == view


def test_zoom_stops_at_two_hours_and_two_centuries() -> None:
    view = two_years()
    assert view.zoomed(1e9).span == MIN_SPAN == 2 * 3600
    assert view.zoomed(1e-9).span == MAX_SPAN == 200 * YEAR
    assert view.showing(START, START + 60).span == MIN_SPAN
    centre = view.showing(START, START + 60)
    assert centre.t0 + centre.span / 2 == pytest.approx(START + 30)


def test_pan_moves_the_picture_by_pixels() -> None:
    view = two_years()
    right = view.panned(120.0)  # the picture moves right: earlier times come into view
    assert right.t0 == pytest.approx(START - 120 * view.seconds_per_pixel())
    assert right.span == view.span
    assert view.panned(-120.0).t0 > START


def test_the_view_keeps_a_tenth_on_the_data() -> None:
    view = two_years()
    start, end = EXTENT
    far_future = view.panned(-1e6, EXTENT)
    assert far_future.t0 == pytest.approx(end - 0.1 * view.span)
    far_past = view.panned(1e6, EXTENT)
    assert far_past.end == pytest.approx(start + 0.1 * view.span)
    # Without the data's extent (nothing shown) a pan goes where it is told.
    assert view.panned(-1e6).t0 > end
    # Showing a range on purpose is not clamped.
    assert view.showing(ts(2100, 1, 1), ts(2101, 1, 1)).t0 == ts(2100, 1, 1)


def test_showing_an_exact_range_or_none() -> None:
    view = two_years()
    shown = view.showing(ts(2010, 3, 1), ts(2010, 4, 30))
    assert shown.visible_range() == (ts(2010, 3, 1), ts(2010, 4, 30))
    assert (shown.left, shown.width) == (LEFT, WIDTH)
    for start, end in ((END, START), (START, START), (math.nan, END), (START, math.inf)):
        assert view.showing(start, end) == view


def test_revealing_a_stay() -> None:
    view = two_years()
    inside = (ts(2024, 5, 2), ts(2024, 10, 23))
    assert view.revealing(*inside) is view
    # Outside: centred on it, the zoom kept.
    outside = (ts(2020, 1, 1), ts(2020, 3, 1))
    moved = view.revealing(*outside)
    assert moved.span == view.span
    assert moved.t0 + moved.span / 2 == pytest.approx(sum(outside) / 2)
    # Wider than nine tenths of the view: zoomed out to hold it, with a margin.
    long = (ts(2018, 1, 1), ts(2024, 1, 1))
    wide = view.revealing(*long)
    margin = (long[1] - long[0]) * 0.08
    assert wide.visible_range() == pytest.approx((long[0] - margin, long[1] + margin))


def test_fit_all_and_the_last_year() -> None:
    view = two_years()
    start, end = EXTENT
    margin = (end - start) * 0.02
    assert fitting(EXTENT, END, view).visible_range() == pytest.approx(
        (start - margin, end + margin)
    )
    # One short stay: an hour's room either side, then the two-hour minimum.
    short = fitting((START, START + 60), END, view)
    assert short.visible_range() == pytest.approx((START + 30 - 3600, START + 30 + 3600))
    assert fitting(None, END, view).visible_range() == pytest.approx(
        (END - 10 * YEAR, END + 0.3 * YEAR)
    )
    now = ts(2026, 11, 27)
    assert last_year(now, view).visible_range() == pytest.approx((now - 365 * DAY, now + 12 * DAY))
