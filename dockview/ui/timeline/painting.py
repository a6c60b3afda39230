"""Painting the timeline: functions of the data, the viewport, the layout and the palette.

The painting functions keep no state and read no widget: a ``Frame`` carries what one picture
needs. ``PictureCache`` keeps the costly picture in a pixmap until something in its frame
changes, so a repaint for hover, selection or focus draws only those marks on top of it.

Why it is fast at 50,000 events: each lane's stays that meet the visible range are one bisect
away; bars narrower than a few pixels are merged into runs per colour and drawn with one
``drawRects`` call per colour; only bars wide enough are drawn one by one, rounded.
Colours of text, grid and background come from the palette (light and dark schemes); bar
colours come from a fixed qualitative palette that reads on both.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import tzinfo

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QPolygonF,
)

from dockview.ui.timeline.axis import TICK_SAMPLES, Tick, Ticks, TickUnit, axis_ticks
from dockview.ui.timeline.categories import OTHER_COLOUR, SLOT_COLOURS, WARNING_COLOUR
from dockview.ui.timeline.data import LegendEntry, LegendMark, TimelineData
from dockview.ui.timeline.lanes import Lane, Line
from dockview.ui.timeline.layout import BAR_OVERHANG, Box, FontNumbers, Layout
from dockview.ui.timeline.viewport import Viewport

#: Colour slot → brush colour (see ``categories.SLOT_COLOURS``).
SLOT_QCOLOURS = tuple(QColor(code) for code in SLOT_COLOURS)
#: Bars at least this wide are drawn one by one, rounded; narrower ones are merged into runs.
_WIDE = 4.0
_LABEL_MIN = 56.0
#: Relocation links are drawn between bars at least this wide (zoomed out they are clutter).
_LINKED_MIN = 6.0
_LEFT_MIDDLE = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
_Role = QPalette.ColorRole

Labelled = list[tuple[QRectF, Lane, int, QColor]]


def qrect(box: Box) -> QRectF:
    return QRectF(box.left, box.top, box.width, box.height)


@dataclass(frozen=True, slots=True)
class Frame:
    """What one picture is painted from."""

    data: TimelineData
    #: Goes up with every new ``data`` (see ``source.TimelineSource.version``).
    version: int
    layout: Layout
    viewport: Viewport
    scroll: int
    palette: QPalette
    font: QFont
    utc: bool
    zone: tzinfo

    def ticks(self) -> Ticks:
        viewport = self.viewport
        start, end = viewport.visible_range()
        spp = viewport.seconds_per_pixel()
        return axis_ticks(start, end, spp, self.zone, self.layout.tick_widths)


class PictureCache:
    """The costly picture (all but the marks), kept until something it is painted from
    changes, so hover and selection repaint only their outlines on top of it."""

    def __init__(self) -> None:
        self.pixmap = QPixmap()
        #: How many bars met the visible range in the last picture painted.
        self.bars = 0
        self._key: tuple[object, ...] | None = None

    def invalidate(self) -> None:
        self._key = None

    def draw(self, painter: QPainter, frame: Frame, size: QSize, dpr: float) -> bool:
        """Draw the picture, painting it afresh first when anything it depends on changed;
        True when it came from the cache."""
        viewport = frame.viewport
        key: tuple[object, ...] = (size.width(), size.height(), dpr, frame.scroll)
        key += (viewport.t0, viewport.span, frame.version, frame.data.mode, frame.utc)
        key += (frame.palette.cacheKey(), frame.font.key())
        cached = key == self._key
        if not cached:
            pixmap = QPixmap(
                QSize(max(1, round(size.width() * dpr)), max(1, round(size.height() * dpr)))
            )
            pixmap.setDevicePixelRatio(dpr)
            layer = QPainter(pixmap)
            try:
                self.bars = paint_picture(layer, frame)
            finally:
                layer.end()
            self.pixmap = pixmap
            self._key = key
        painter.drawPixmap(0, 0, self.pixmap)
        return cached


def tick_widths(font: QFont) -> dict[TickUnit, float]:
    metrics = QFontMetricsF(font)
    return {unit: metrics.horizontalAdvance(text) for unit, text in TICK_SAMPLES.items()}


def font_numbers(font: QFont, lines: Sequence[Line], legend: Sequence[LegendEntry]) -> FontNumbers:
    """What the layout needs to know of the font: row labels (station names in bold), legend
    texts and tick labels measured."""
    metrics = QFontMetricsF(font)
    bold = QFont(font)
    bold.setBold(True)
    bold_metrics = QFontMetricsF(bold)
    return FontNumbers(
        line_height=metrics.height(),
        label_widths=[
            (bold_metrics if line.lane is None else metrics).horizontalAdvance(line.text)
            for line in lines
        ],
        legend_widths=[metrics.horizontalAdvance(entry.text) for entry in legend],
        tick_widths=tick_widths(font),
    )


def _luminance(colour: QColor) -> float:
    return 0.299 * colour.redF() + 0.587 * colour.greenF() + 0.114 * colour.blueF()


def shown_rect(frame: Frame, event_id: int) -> QRectF | None:
    """The part of a stay's bar an outline goes round, None when it is hidden or off the plot."""
    layout = frame.layout
    bar = layout.stay_bar(frame.data.index, event_id, frame.viewport, frame.scroll)
    shown = layout.shown(bar) if bar is not None else None
    return None if shown is None else qrect(shown)


def paint_picture(painter: QPainter, frame: Frame) -> int:
    """Everything but the marks; returns how many bars met the visible range."""
    ticks = frame.ticks()
    palette, layout = frame.palette, frame.layout
    painter.fillRect(QRectF(0, 0, layout.width, layout.height), palette.color(_Role.Window))
    plot = qrect(layout.plot)
    lanes_area = QRectF(0, plot.top(), plot.right(), plot.height())
    painter.fillRect(lanes_area, palette.color(_Role.Base))
    first, last = layout.visible_lines(frame.scroll)
    _paint_rows(painter, frame, first, last)
    _paint_grid(painter, frame, ticks)
    painter.save()
    painter.setClipRect(plot)
    bars, labelled = _paint_bars(painter, frame, first, last)
    _paint_conflicts(painter, frame, first, last)
    _paint_labels(painter, frame, labelled)
    _paint_relocations(painter, frame)
    _paint_now(painter, frame)
    painter.restore()
    _paint_gutter(painter, frame, first, last)
    _paint_axis(painter, frame, ticks)
    _paint_legend(painter, frame)
    if not frame.data.lines:
        painter.setPen(palette.color(_Role.PlaceholderText))
        painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "No dockings match the filters.")
    return bars


def paint_marks(
    painter: QPainter,
    frame: Frame,
    *,
    hover: int | None,
    selected: Collection[int],
    focus: int | None,
    has_focus: bool,
) -> None:
    """What changes without a new picture: selection (one event, or the several of a data
    issue), hover and keyboard focus."""
    plot = qrect(frame.layout.plot)
    palette = frame.palette
    painter.save()
    painter.setClipRect(plot.adjusted(-1, -1, 1, 1))
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if hover is not None and hover not in selected:
        rect = shown_rect(frame, hover)
        if rect is not None:
            painter.setPen(QPen(palette.color(_Role.Text), 1.5))
            painter.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), 3, 3)
    for event_id in selected:
        rect = shown_rect(frame, event_id)
        if rect is not None:
            painter.setPen(QPen(palette.color(_Role.Base), 4))
            painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), 3, 3)
            painter.setPen(QPen(palette.color(_Role.Highlight), 2.5))
            painter.drawRoundedRect(rect.adjusted(-2, -2, 2, 2), 3, 3)
    if has_focus and focus is not None:
        rect = shown_rect(frame, focus)
        if rect is not None:
            painter.setPen(QPen(palette.color(_Role.Text), 1, Qt.PenStyle.DotLine))
            painter.drawRect(rect.adjusted(-4, -3, 4, 3))
    painter.restore()
    if has_focus:
        painter.setPen(QPen(palette.color(_Role.Highlight), 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(plot.adjusted(0.5, 0.5, -0.5, -0.5))


def _lanes_in(frame: Frame, first: int, last: int) -> Iterator[tuple[Lane, float, float]]:
    """The lanes among rows [first, last), each with the top and height of its bars."""
    lines, layout, scroll = frame.data.lines, frame.layout, frame.scroll
    for number in range(first, last):
        lane = lines[number].lane
        if lane is not None:
            top, height = layout.band(number, scroll)
            yield lane, top, height


def _paint_rows(painter: QPainter, frame: Frame, first: int, last: int) -> None:
    """Station header rows, and every other lane striped."""
    palette, layout = frame.palette, frame.layout
    stripe = palette.color(_Role.AlternateBase)
    header = QColor(palette.color(_Role.Window))
    rule = QColor(palette.color(_Role.Mid))
    plot = layout.plot
    offset = plot.top - frame.scroll
    lines, tops, heights = frame.data.lines, layout.tops, layout.heights
    painter.save()
    painter.setClipRect(QRectF(0, plot.top, plot.right, plot.height))
    lane_number = 0
    for number in range(first, last):
        rect = QRectF(0, offset + tops[number], plot.right, heights[number])
        if lines[number].lane is None:
            painter.fillRect(rect, header)
            painter.setPen(QPen(rule, 1))
            painter.drawLine(rect.bottomLeft(), rect.bottomRight())
            lane_number = 0
        else:
            if lane_number % 2:
                painter.fillRect(rect, stripe)
            lane_number += 1
    painter.restore()


def _paint_grid(painter: QPainter, frame: Frame, ticks: Ticks) -> None:
    plot = frame.layout.plot
    time_to_x = frame.viewport.time_to_x
    grid = QColor(frame.palette.color(_Role.Mid))
    grid.setAlpha(70)
    strong = QColor(grid)
    strong.setAlpha(150)
    painter.save()
    painter.setClipRect(qrect(plot))
    for colour, times in ((grid, ticks.ticks), (strong, ticks.context)):
        painter.setPen(QPen(colour, 1))
        for ts, _ in times:
            x = round(time_to_x(ts)) + 0.5
            painter.drawLine(QPointF(x, plot.top), QPointF(x, plot.bottom))
    painter.restore()


def _paint_bars(painter: QPainter, frame: Frame, first: int, last: int) -> tuple[int, Labelled]:
    """Every bar that meets the visible range in the visible rows; returns how many, and
    the bars wide enough for a name."""
    layout, viewport = frame.layout, frame.viewport
    plot = layout.plot
    left, right = plot.left, plot.right
    t0 = viewport.t0
    scale = plot.width / viewport.span
    start_time, end_time = viewport.visible_range()
    colours = SLOT_QCOLOURS
    runs: list[list[QRectF]] = [[] for _ in colours]
    wide: list[list[tuple[float, float, float, float, Lane, int]]] = [[] for _ in colours]
    count = 0
    for lane, top, height in _lanes_in(frame, first, last):
        starts, ends, cats = lane.starts, lane.ends, lane.cats
        run_cat = -1
        run_x1 = run_x2 = 0.0
        for i in lane.visible_span(start_time, end_time):
            end = ends[i]
            if end < start_time:
                continue
            count += 1
            x1 = left + (starts[i] - t0) * scale
            x2 = left + (end - t0) * scale
            cat = cats[i]
            if x2 - x1 >= _WIDE:
                wide[cat].append((x1, x2, top, height, lane, i))
                continue
            if cat == run_cat and x1 - run_x2 < 1.0:
                if x2 > run_x2:
                    run_x2 = x2
                continue
            if run_cat >= 0:
                runs[run_cat].append(QRectF(run_x1, top, max(run_x2 - run_x1, 1.0), height))
            run_cat, run_x1, run_x2 = cat, x1, x2
        if run_cat >= 0:
            runs[run_cat].append(QRectF(run_x1, top, max(run_x2 - run_x1, 1.0), height))

    painter.setPen(Qt.PenStyle.NoPen)
    for cat, rects in enumerate(runs):
        if rects:
            painter.setBrush(colours[cat])
            painter.drawRects(rects)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    labelled: Labelled = []
    for cat, bars in enumerate(wide):
        if not bars:
            continue
        colour = colours[cat]
        painter.setBrush(colour)
        painter.setPen(QPen(colour.darker(135), 1))
        for x1, x2, top, height, lane, i in bars:
            # Clip far-off ends so huge coordinates never reach the paint engine; leave
            # a pixel between back-to-back stays so the gap between them shows.
            x1 = max(x1, left - BAR_OVERHANG)
            x2 = min(x2, right + BAR_OVERHANG)
            rect = QRectF(x1 + 0.5, top + 0.5, max(x2 - x1 - 1.5, 1.0), height - 1)
            painter.drawRoundedRect(rect, 3, 3)
            if rect.width() >= _LABEL_MIN:
                labelled.append((rect, lane, i, colour))
    _paint_open_ends(painter, frame, first, last)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    return count, labelled


def _paint_open_ends(painter: QPainter, frame: Frame, first: int, last: int) -> None:
    """Still-docked bars end in an arrow head at "now"; stays that vanished upstream with
    no departure end in a dashed edge."""
    viewport, layout = frame.viewport, frame.layout
    start_time, end_time = viewport.visible_range()
    now_x = viewport.time_to_x(frame.data.now)
    for lane, top, height in _lanes_in(frame, first, last):
        for i in lane.open:
            if lane.ends[i] < start_time or lane.starts[i] > end_time:
                continue
            colour = SLOT_QCOLOURS[lane.cats[i]]
            x1 = max(viewport.time_to_x(lane.starts[i]), layout.plot.left - BAR_OVERHANG)
            if lane.rows[i].gone:
                painter.setPen(QPen(frame.palette.color(_Role.Text), 1, Qt.PenStyle.DashLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(x1, top, max(now_x - x1, 1.0), height))
                continue
            # A tail that brightens towards "now", then a head pointing past it.
            tail = min(48.0, max(now_x - x1, 0.0))
            gradient = QLinearGradient(now_x - tail, 0, now_x, 0)
            gradient.setColorAt(0.0, colour)
            gradient.setColorAt(1.0, colour.lighter(150))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(gradient)
            painter.drawRect(QRectF(now_x - tail, top + 1, tail, height - 2))
            head = QPolygonF(
                [
                    QPointF(now_x - 1, top - 2),
                    QPointF(now_x + height * 0.7, top + height / 2),
                    QPointF(now_x - 1, top + height + 2),
                ]
            )
            painter.setBrush(colour)
            painter.setPen(QPen(colour.darker(150), 1))
            painter.drawPolygon(head)


def _paint_labels(painter: QPainter, frame: Frame, labelled: Labelled) -> None:
    """Vehicle names inside bars wide enough, left to right per lane, never overlapping
    (stays that overlap on a port would otherwise print over each other)."""
    if not labelled:
        return
    font = QFont(frame.font)
    font.setPointSizeF(max(6.0, font.pointSizeF() * 0.88))
    painter.setFont(font)
    metrics = QFontMetricsF(font)
    plot = qrect(frame.layout.plot)
    black, white = QColor("#111111"), QColor("#FFFFFF")
    labelled.sort(key=lambda entry: (entry[0].top(), entry[0].left()))
    lane_top, taken_until = -1.0, -math.inf
    for rect, lane, i, colour in labelled:
        if rect.top() != lane_top:
            lane_top, taken_until = rect.top(), -math.inf
        visible = rect.intersected(plot)
        if visible.left() < taken_until + 6:
            continue  # a name here would sit on another bar's stretch
        left = visible.left()
        room = visible.right() - left - 8
        if room < _LABEL_MIN - 8:
            continue
        row = lane.rows[i]
        text = row.spacecraft_name or row.config_name or f"#{row.id}"
        elided = metrics.elidedText(text, Qt.TextElideMode.ElideRight, room)
        if not elided or elided == "…":
            continue
        painter.setPen(black if _luminance(colour) > 0.55 else white)
        box = QRectF(left + 4, rect.top(), room, rect.height())
        painter.drawText(box, _LEFT_MIDDLE, elided)
        taken_until = left + 4 + metrics.horizontalAdvance(elided)
    painter.setFont(frame.font)


def _paint_conflicts(painter: QPainter, frame: Frame, first: int, last: int) -> None:
    """The overlapping stretch of two stays on one port: hatched, in a warning colour."""
    warning = QColor(WARNING_COLOUR)
    hatch = QBrush(warning, Qt.BrushStyle.BDiagPattern)
    viewport, layout = frame.viewport, frame.layout
    start_time, end_time = viewport.visible_range()
    for lane, top, height in _lanes_in(frame, first, last):
        for start, end in lane.conflict_spans:
            if end < start_time or start > end_time:
                continue
            x1 = max(viewport.time_to_x(start), layout.plot.left - 4)
            x2 = min(viewport.time_to_x(end), layout.plot.right + 4)
            rect = QRectF(x1, top - 2, max(x2 - x1, 3.0), height + 4)
            painter.setPen(QPen(warning, 2))
            painter.setBrush(hatch)
            painter.drawRect(rect)


def _paint_relocations(painter: QPainter, frame: Frame) -> None:
    """A thin curve from the end of one stay to the start of the same vehicle's next."""
    data, viewport, layout = frame.data, frame.viewport, frame.layout
    if not data.relocations:
        return
    start_time, end_time = viewport.visible_range()
    time_to_x = viewport.time_to_x
    colour = QColor(frame.palette.color(_Role.Text))
    colour.setAlpha(170)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setPen(QPen(colour, 1.4))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    index = data.index
    plot = layout.plot
    for before, after in data.relocations:
        lane_a, i = index[before]
        lane_b, j = index[after]
        end_a, start_b = lane_a.ends[i], lane_b.starts[j]
        if max(end_a, start_b) < start_time or min(end_a, start_b) > end_time:
            continue
        top_a, height_a = layout.band(lane_a.line, frame.scroll)
        top_b, height_b = layout.band(lane_b.line, frame.scroll)
        y_a, y_b = top_a + height_a / 2, top_b + height_b / 2
        if max(y_a, y_b) < plot.top or min(y_a, y_b) > plot.bottom:
            continue
        x_a, x_b = time_to_x(end_a), time_to_x(start_b)
        if (
            x_a - time_to_x(lane_a.starts[i]) < _LINKED_MIN
            or time_to_x(lane_b.ends[j]) - x_b < _LINKED_MIN
        ):
            continue  # too thin to tell apart: the link would only hide the bars
        bend = 14.0
        path = QPainterPath(QPointF(x_a, y_a))
        path.cubicTo(QPointF(x_a + bend, y_a), QPointF(x_b - bend, y_b), QPointF(x_b, y_b))
        painter.drawPath(path)
        painter.setBrush(colour)
        painter.drawEllipse(QPointF(x_a, y_a), 2.2, 2.2)
        painter.drawEllipse(QPointF(x_b, y_b), 2.2, 2.2)
        painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)


def _paint_now(painter: QPainter, frame: Frame) -> None:
    x = frame.viewport.time_to_x(frame.data.now)
    plot = frame.layout.plot
    if not plot.left <= x <= plot.right:
        return
    colour = QColor(frame.palette.color(_Role.Highlight))
    painter.setPen(QPen(colour, 1.5, Qt.PenStyle.DashLine))
    painter.drawLine(QPointF(x, plot.top), QPointF(x, plot.bottom))


def _paint_gutter(painter: QPainter, frame: Frame, first: int, last: int) -> None:
    """Station and port names left of the lanes, elided to fit."""
    palette, layout = frame.palette, frame.layout
    plot = layout.plot
    gutter_width = layout.gutter
    painter.save()
    painter.setClipRect(QRectF(0, plot.top, gutter_width, plot.height))
    rule = QColor(palette.color(_Role.Mid))
    text = palette.color(_Role.Text)
    window_text = palette.color(_Role.WindowText)
    bold = QFont(frame.font)
    bold.setBold(True)
    metrics = QFontMetricsF(frame.font)
    bold_metrics = QFontMetricsF(bold)
    offset = plot.top - frame.scroll
    lines, tops, heights = frame.data.lines, layout.tops, layout.heights
    for number in range(first, last):
        line = lines[number]
        if line.lane is None:
            painter.setFont(bold)
            painter.setPen(window_text)
            rect = QRectF(6, offset + tops[number], gutter_width - 10, heights[number])
            label = bold_metrics.elidedText(line.text, Qt.TextElideMode.ElideRight, rect.width())
        else:
            painter.setFont(frame.font)
            painter.setPen(text)
            rect = QRectF(18, offset + tops[number], gutter_width - 24, heights[number])
            label = metrics.elidedText(line.text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, _LEFT_MIDDLE, label)
    painter.setFont(frame.font)
    painter.restore()
    painter.setPen(QPen(rule, 1))
    x = round(gutter_width) - 0.5
    painter.drawLine(QPointF(x, plot.top), QPointF(x, plot.bottom))


def _paint_axis(painter: QPainter, frame: Frame, ticks: Ticks) -> None:
    """Tick labels, the context row above them (sticky at the left edge) and the "now" tag."""
    palette, layout, viewport = frame.palette, frame.layout, frame.viewport
    time_to_x = viewport.time_to_x
    plot = layout.plot
    metrics = QFontMetricsF(frame.font)
    line = metrics.height()
    top = plot.top - layout.axis_height
    text = palette.color(_Role.WindowText)
    faint = QColor(palette.color(_Role.PlaceholderText))
    rule = palette.color(_Role.Mid)
    painter.setPen(QPen(rule, 1))
    painter.drawLine(QPointF(0, plot.top - 0.5), QPointF(layout.width, plot.top - 0.5))
    painter.setPen(faint)
    painter.drawText(
        QRectF(6, top, layout.gutter - 10, layout.axis_height - 2),
        Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignLeft,
        "UTC" if frame.utc else "Local time",
    )
    painter.save()
    painter.setClipRect(QRectF(plot.left, top, plot.width, layout.axis_height))
    _paint_context(painter, frame, ticks.context, top + 3)
    painter.setFont(frame.font)
    tick_y = top + line + 6
    for ts, label in ticks.ticks:
        x = time_to_x(ts)
        painter.setPen(QPen(rule, 1))
        painter.drawLine(QPointF(round(x) + 0.5, plot.top - 5), QPointF(round(x) + 0.5, plot.top))
        painter.setPen(text)
        painter.drawText(QPointF(x + 3, tick_y + metrics.ascent()), label)
    now_x = time_to_x(frame.data.now)
    if plot.left <= now_x <= plot.right:
        label = "now"
        width = metrics.horizontalAdvance(label) + 8
        box = QRectF(now_x - width / 2, top + 2, width, line + 2)
        if box.right() > plot.right:
            box.moveRight(plot.right)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(palette.color(_Role.Highlight))
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(palette.color(_Role.HighlightedText))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
    painter.restore()


def _paint_context(painter: QPainter, frame: Frame, context: list[Tick], y: float) -> None:
    """The context row (the year of month ticks, the month of day ticks, …), each label
    sticky at the left edge until the next one pushes it out."""
    time_to_x = frame.viewport.time_to_x
    left = frame.layout.plot.left
    bold = QFont(frame.font)
    bold.setBold(True)
    painter.setFont(bold)
    bold_metrics = QFontMetricsF(bold)
    painter.setPen(frame.palette.color(_Role.WindowText))
    for number, (ts, label) in enumerate(context):
        x = max(time_to_x(ts), left) + 3
        width = bold_metrics.horizontalAdvance(label)
        if number + 1 < len(context):
            next_x = time_to_x(context[number + 1][0])
            x = min(x, next_x - width - 8)
            if x < left:
                continue  # pushed out by the next one
        painter.drawText(QPointF(x, y + bold_metrics.ascent()), label)


def _paint_legend(painter: QPainter, frame: Frame) -> None:
    palette, layout = frame.palette, frame.layout
    metrics = QFontMetricsF(frame.font)
    row_height = layout.legend_row_height
    top = layout.height - layout.legend_height
    painter.setPen(QPen(palette.color(_Role.Mid), 1))
    painter.drawLine(QPointF(0, top + 0.5), QPointF(layout.width, top + 0.5))
    text_colour = palette.color(_Role.WindowText)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    for place in layout.legend_places:
        x, entry = place.x, place.entry
        y = top + 4 + place.row * row_height
        swatch = QRectF(x, y + (row_height - 10) / 2 - 1, 18, 10)
        _paint_swatch(painter, frame, swatch, entry.mark, entry.slot)
        painter.setPen(text_colour)
        painter.drawText(
            QRectF(x + 24, y, metrics.horizontalAdvance(entry.text) + 4, row_height),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            entry.text,
        )
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)


def _paint_swatch(
    painter: QPainter, frame: Frame, swatch: QRectF, mark: LegendMark, slot: int | None
) -> None:
    """A legend entry's sample: a bar colour, or the mark the picture uses."""
    if mark == LegendMark.OPEN:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(OTHER_COLOUR))
        painter.drawRect(QRectF(swatch.left(), swatch.top() + 1, 11, 8))
        painter.drawPolygon(
            QPolygonF(
                [
                    QPointF(swatch.left() + 10, swatch.top() - 1),
                    QPointF(swatch.right(), swatch.center().y()),
                    QPointF(swatch.left() + 10, swatch.bottom() + 1),
                ]
            )
        )
    elif mark == LegendMark.CONFLICT:
        warning = QColor(WARNING_COLOUR)
        painter.setPen(QPen(warning, 2))
        painter.setBrush(QBrush(warning, Qt.BrushStyle.BDiagPattern))
        painter.drawRect(swatch)
    elif mark == LegendMark.RELOCATION:
        painter.setPen(QPen(QColor(frame.palette.color(_Role.Text)), 1.4))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        path = QPainterPath(QPointF(swatch.left(), swatch.top()))
        path.cubicTo(
            QPointF(swatch.center().x(), swatch.top()),
            QPointF(swatch.center().x(), swatch.bottom()),
            QPointF(swatch.right(), swatch.bottom()),
        )
        painter.drawPath(path)
    else:
        assert slot is not None
        colour = SLOT_QCOLOURS[slot]
        painter.setPen(QPen(colour.darker(135), 1))
        painter.setBrush(colour)
        painter.drawRoundedRect(swatch, 3, 3)
