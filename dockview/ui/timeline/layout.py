"""Where everything goes, computed before painting: header, axis, port-name gutter, lanes, plot,
scroll bar and legend.

Qt-free: the view measures its font once (``FontNumbers``) and this turns widget size, those
numbers and the rows of the picture into a frozen ``Layout``. Painting, hit-testing and
scrolling all read the same one, so what is drawn and what a click finds cannot drift apart.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dockview.ui.timeline.axis import TickUnit
from dockview.ui.timeline.data import LegendEntry
from dockview.ui.timeline.lanes import LaneIndex, Line
from dockview.ui.timeline.viewport import Viewport

#: A bar fills its lane but for this much above and below.
BAR_INSET = 3.0
#: Bars reaching further than this beyond the plot's edges are cut there: far-off coordinates
#: would only slow the paint engine.
BAR_OVERHANG = 8.0


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in widget coordinates (the view makes a QRectF of it)."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height


@dataclass(frozen=True, slots=True)
class FontNumbers:
    """The font's measurements the layout needs, taken by the view."""

    #: The height of a line of text.
    line_height: float
    #: The width of each row's label (bold for a station's header row), row by row.
    label_widths: Sequence[float]
    #: The width of each legend entry's text, entry by entry.
    legend_widths: Sequence[float]
    #: The width of each tick unit's widest label (``axis.TICK_SAMPLES``).
    tick_widths: Mapping[TickUnit, float]


@dataclass(frozen=True, slots=True)
class LegendPlace:
    x: float
    row: int
    entry: LegendEntry


@dataclass(frozen=True, slots=True)
class Layout:
    """The geometry of one picture. Row positions (``tops``, ``heights``) are in content
    coordinates: 0 is the first row's top, before scrolling."""

    width: float
    height: float
    header_height: float
    line_height: float
    gutter: float
    axis_height: float
    station_height: float
    lane_height: float
    tops: tuple[float, ...]
    heights: tuple[float, ...]
    content_height: float
    plot: Box
    #: Where the lanes' scroll bar goes; zero wide when every row fits.
    scroll_bar: Box
    legend_places: tuple[LegendPlace, ...]
    legend_row_height: float
    legend_height: float
    tick_widths: Mapping[TickUnit, float]

    @property
    def overflow(self) -> bool:
        return self.content_height > self.plot.height

    def scroll_range(self) -> int:
        """The scroll bar's maximum (0 when every row fits)."""
        return math.ceil(self.content_height - self.plot.height) if self.overflow else 0

    def band(self, number: int, scroll: float) -> tuple[float, float]:
        """Top and height of the bars in row ``number``, in widget coordinates."""
        top = self.plot.top + self.tops[number] - scroll
        return top + BAR_INSET, self.heights[number] - 2 * BAR_INSET

    def bar(self, number: int, start: float, end: float, viewport: Viewport, scroll: float) -> Box:
        """A stay's bar in row ``number`` (it may lie outside the plot)."""
        x1 = viewport.time_to_x(start)
        x2 = viewport.time_to_x(end)
        top, height = self.band(number, scroll)
        return Box(x1, top, max(x2 - x1, 0.0), height)

    def stay_bar(
        self, index: LaneIndex, event_id: int, viewport: Viewport, scroll: float
    ) -> Box | None:
        """An event's bar, None when the filters hide it. A still-docked bar ends at now."""
        found = index.get(event_id)
        if found is None:
            return None
        lane, i = found
        return self.bar(lane.line, lane.starts[i], lane.ends[i], viewport, scroll)

    def shown(self, bar: Box) -> Box | None:
        """The part of a bar an outline goes round: cut a little beyond the plot's edges,
        at least 2 pixels wide; None when it lies beside the plot."""
        left = max(bar.left, self.plot.left - BAR_OVERHANG)
        right = min(bar.right, self.plot.right + BAR_OVERHANG)
        if right < left:
            return None
        return Box(left, bar.top, max(right - left, 2.0), bar.height)

    def line_at(self, y: float, scroll: float) -> int | None:
        """The row at widget height ``y``, or None above or below them all."""
        content_y = y - self.plot.top + scroll
        if content_y < 0 or content_y >= self.content_height:
            return None
        position = bisect_right(self.tops, content_y) - 1
        return position if position >= 0 else None

    def visible_lines(self, scroll: float) -> tuple[int, int]:
        """The rows that meet the plot's height: [first, last)."""
        if not self.tops:
            return 0, 0
        first = max(0, bisect_right(self.tops, scroll) - 1)
        last = bisect_left(self.tops, scroll + self.plot.height)
        return first, min(last, len(self.tops))

    def scroll_revealing(self, number: int, scroll: int) -> int:
        """The scroll value that brings row ``number`` into the plot (with its station's
        header row when scrolling up), or ``scroll`` when it is shown already."""
        top, height = self.tops[number], self.heights[number]
        if top < scroll:
            return int(top) - int(self.station_height)
        if top + height > scroll + self.plot.height:
            return int(top + height - self.plot.height) + 1
        return scroll


def initial_layout(tick_widths: Mapping[TickUnit, float]) -> Layout:
    """The layout before the view is first laid out: nothing to show, an empty plot."""
    return Layout(
        width=0.0,
        height=0.0,
        header_height=0.0,
        line_height=0.0,
        gutter=160.0,
        axis_height=36.0,
        station_height=22.0,
        lane_height=20.0,
        tops=(),
        heights=(),
        content_height=0.0,
        plot=Box(0.0, 0.0, 0.0, 0.0),
        scroll_bar=Box(0.0, 0.0, 0.0, 0.0),
        legend_places=(),
        legend_row_height=0.0,
        legend_height=24.0,
        tick_widths=tick_widths,
    )


def place_legend(
    entries: Sequence[LegendEntry], widths: Sequence[float], width: float, row_height: float
) -> tuple[tuple[LegendPlace, ...], float]:
    """Legend entries left to right, wrapping to a new row when one would not fit: their
    places, and the legend strip's height."""
    x, row = 8.0, 0
    placed: list[LegendPlace] = []
    for entry, text_width in zip(entries, widths, strict=True):
        item_width = 22 + text_width + 14
        if x + item_width > width - 8 and x > 8:
            row += 1
            x = 8.0
        placed.append(LegendPlace(x, row, entry))
        x += item_width
    rows = row + 1 if placed else 1
    return tuple(placed), rows * row_height + 6


def compute_layout(
    width: float,
    height: float,
    lines: Sequence[Line],
    legend: Sequence[LegendEntry],
    font: FontNumbers,
    *,
    header_height: float,
    scroll_bar_width: float,
) -> Layout:
    """The layout of a widget ``width`` by ``height`` showing ``lines`` and ``legend``.

    A few lanes grow (up to 1.6 times) into the room there is; a few too many shrink a little
    (down to the text's height) before a scroll bar is needed. The port-name gutter is as
    wide as the longest name, at least 120 pixels and at most 160 or 22 % of the width."""
    line = font.line_height
    station_height = max(18.0, math.ceil(line + 7))
    base_lane = max(16.0, math.ceil(line + 5))
    widest = 0.0
    for entry, label_width in zip(lines, font.label_widths, strict=True):
        widest = max(widest, label_width + (12 if entry.lane is None else 24))
    gutter = min(max(widest, 120.0), max(160.0, width * 0.22))
    axis_height = math.ceil(2 * line + 10)
    legend_row_height = line + 6
    places, legend_height = place_legend(legend, font.legend_widths, width, legend_row_height)
    top = header_height + axis_height
    bottom = height - legend_height
    available = max(bottom - top, 1.0)

    lanes = sum(1 for entry in lines if entry.lane is not None)
    stations = len(lines) - lanes
    lanes_room = available - stations * station_height
    lane_height = base_lane
    if lanes and lanes_room > lanes * base_lane:
        lane_height = min(lanes_room / lanes, base_lane * 1.6)
    elif lanes:
        lane_height = max(lanes_room / lanes, max(14.0, math.ceil(line + 1)))
    lane_height = float(math.floor(lane_height))
    tops: list[float] = []
    heights: list[float] = []
    row_top = 0.0
    for entry in lines:
        row_height = lane_height if entry.lane else station_height
        tops.append(row_top)
        heights.append(row_height)
        row_top += row_height

    overflow = row_top > available
    scroll_width = scroll_bar_width if overflow else 0.0
    right = width - scroll_width
    return Layout(
        width=width,
        height=height,
        header_height=header_height,
        line_height=line,
        gutter=gutter,
        axis_height=axis_height,
        station_height=station_height,
        lane_height=lane_height,
        tops=tuple(tops),
        heights=tuple(heights),
        content_height=row_top,
        plot=Box(gutter, top, max(right - gutter, 1.0), available),
        scroll_bar=Box(right, top, scroll_width, available),
        legend_places=places,
        legend_row_height=legend_row_height,
        legend_height=legend_height,
        tick_widths=font.tick_widths,
    )
