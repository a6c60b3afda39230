"""The timeline widget: it follows the table's filter proxy and turns input into view changes.

Input:
- Wheel over the plot: zoom around the cursor. Shift+wheel (or a sideways wheel/touchpad):
  pan in time. Wheel over the port names, or Alt+wheel anywhere: scroll the lanes.
- Drag with the left button: pan in time and scroll the lanes. A click without a drag on a
  bar selects it (``eventActivated``).
- Keys (the view takes focus): Left/Right the previous/next stay on the lane, Up/Down the
  nearest stay in the lane above/below, Enter/Space select the focused stay
  (``eventActivated``), +/= and - zoom, Shift+Left/Right pan, PageUp/PageDown scroll the
  lanes, Home fit all, End the last year.

The picture is painted by ``painting`` into a pixmap cached under everything it depends on,
so hover and selection repaint only their outlines on top of it.
"""

from __future__ import annotations

import time
from datetime import UTC, tzinfo

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QScrollBar, QToolTip, QWidget

from dockview.ui.common import named
from dockview.ui.event_model import EventFilterProxy, local_zone
from dockview.ui.timeline.axis import Tick, Ticks, TickUnit, axis_ticks
from dockview.ui.timeline.categories import ColourMode
from dockview.ui.timeline.data import TimelineData
from dockview.ui.timeline.header import TimelineHeader
from dockview.ui.timeline.lanes import Lane
from dockview.ui.timeline.layout import compute_layout, initial_layout
from dockview.ui.timeline.overlaps import Pair
from dockview.ui.timeline.painting import (
    SLOT_QCOLOURS,
    Frame,
    PictureCache,
    font_numbers,
    paint_marks,
    paint_picture,
    qrect,
    shown_rect,
    tick_widths,
)
from dockview.ui.timeline.source import TimelineSource
from dockview.ui.timeline.tooltips import place_tooltip, rich_tooltip, stay_tooltip
from dockview.ui.timeline.viewport import YEAR, Viewport, fitting, last_year

#: A press moves this far (Manhattan, pixels) before it is a drag rather than a click.
_DRAG_START = 4


class TimelineView(QWidget):
    """Port occupancy over time for the events the table's filters let through."""

    #: A bar was clicked (or Enter pressed on the focused bar): select it in the table.
    eventActivated = Signal(int)
    #: The lanes were rebuilt from the proxy (after a burst of its signals, coalesced).
    rebuilt = Signal()

    def __init__(self, proxy: EventFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "timelineView", "Docking timeline")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(QSize(360, 220))
        self._utc = bool(getattr(proxy.sourceModel(), "utc", False))
        self._zone: tzinfo = UTC if self._utc else local_zone()
        self._source = TimelineSource(proxy, self.isVisible, self)
        self._source.changed.connect(self._data_rebuilt)
        self._source.clockMoved.connect(self._invalidate)
        self._source.rebuilt.connect(self.rebuilt)
        now = self._source.data.now
        self._viewport = Viewport(now - 10 * YEAR, 10 * YEAR)
        self._layout = initial_layout(tick_widths(self.font()))
        self._plot = QRectF()
        self._selected: int | None = None
        self._focus_id: int | None = None
        self._hover: int | None = None
        self._press: tuple[QPointF, float, int] | None = None
        self._dragging = False
        self._picture = PictureCache()
        self.last_paint: dict[str, float] = {"ms": 0.0, "bars": 0, "cached": 0}

        self._header = TimelineHeader(self)
        self._header.agency.clicked.connect(lambda: self.set_colour_mode(ColourMode.AGENCY))
        self._header.type.clicked.connect(lambda: self.set_colour_mode(ColourMode.TYPE))
        self._header.fit_all.clicked.connect(self.fit_all)
        self._header.last_year.clicked.connect(self.last_year)
        self._header.zoom_in.clicked.connect(lambda: self.zoom(1.5))
        self._header.zoom_out.clicked.connect(lambda: self.zoom(1 / 1.5))
        self._scroll = named(QScrollBar(Qt.Orientation.Vertical, self), "timelineScroll")
        self._scroll.valueChanged.connect(self._invalidate)
        self._scroll.hide()

        self.setToolTip("")
        self._source.rebuild()
        self.fit_all()

    @property
    def _data(self) -> TimelineData:
        return self._source.data

    # -- public API ---------------------------------------------------------------------------

    def proxy(self) -> EventFilterProxy:
        """The table's filter proxy this view follows."""
        return self._source.proxy

    @property
    def now(self) -> float:
        """The clock the still-docked bars run to (the table model's, re-read on changes)."""
        return self._data.now

    @property
    def conflicts(self) -> list[Pair]:
        """Stays that overlap on one port, as (earlier, later) event ids."""
        return self._data.conflicts

    @property
    def relocations(self) -> list[Pair]:
        """One vehicle's consecutive stays at two ports, as (before, after) event ids."""
        return self._data.relocations

    @property
    def colour_mode(self) -> ColourMode:
        return self._data.mode

    def set_colour_mode(self, mode: ColourMode | str) -> None:
        """Colour the bars by "agency" or by vehicle "type" (the config's family)."""
        try:
            mode = ColourMode(mode)
        except ValueError:
            choices = ", ".join(ColourMode)
            raise ValueError(f"colour mode must be one of {choices}, not {mode!r}") from None
        self._header.mode_button(mode).setChecked(True)
        if mode == self._data.mode:
            return
        self._data.recolour(mode)
        self._relayout()
        self._invalidate()

    def set_utc(self, utc: bool) -> None:
        """Axis labels and tooltips in UTC or in local time."""
        if utc == self._utc:
            return
        self._utc = utc
        self._zone = UTC if utc else local_zone()
        self._invalidate()

    def fit_all(self) -> None:
        """Show every docking the filters let through, with a little room on both sides."""
        self._show(fitting(self._data.extent, self.now, self._viewport))

    def last_year(self) -> None:
        """The twelve months up to now, and a little room after the "now" line."""
        self._show(last_year(self.now, self._viewport))

    def zoom(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom in (factor > 1) or out, keeping the time under ``anchor_x`` where it is."""
        self._show(self._viewport.zoomed(factor, anchor_x, self._data.extent))

    def pan(self, dx: float) -> None:
        """Move the picture ``dx`` pixels to the right (earlier times come into view)."""
        self._show(self._viewport.panned(dx, self._data.extent))

    def set_visible_range(self, start: float, end: float) -> None:
        """Show exactly [start, end] across the plot's width (clamped to the zoom limits)."""
        self._show(self._viewport.showing(start, end))

    def visible_range(self) -> tuple[float, float]:
        return self._viewport.visible_range()

    def seconds_per_pixel(self) -> float:
        return self._viewport.seconds_per_pixel()

    def time_to_x(self, ts: float) -> float:
        return self._viewport.time_to_x(ts)

    def x_to_time(self, x: float) -> float:
        return self._viewport.x_to_time(x)

    def plot_rect(self) -> QRectF:
        """Where the bars are drawn, in this widget's coordinates (below the axis, right of
        the port names, above the legend)."""
        return QRectF(self._plot)

    def bar_rect(self, event_id: int) -> QRectF | None:
        """A bar's rectangle in this widget's coordinates (it may lie outside the plot), or
        None when the filters hide the event. A still-docked bar ends at ``now``."""
        bar = self._layout.stay_bar(
            self._data.index, event_id, self._viewport, self._scroll.value()
        )
        return qrect(bar) if bar is not None else None

    def lane_of(self, event_id: int) -> int | None:
        """The row (counting station headers) the event's port is drawn in."""
        return self._data.lane_line(event_id)

    def lanes(self) -> list[tuple[str, str | None]]:
        """Every row top to bottom: (station, port), port None for a station's header row."""
        return [
            (line.station_name, line.lane.port_name if line.lane else None)
            for line in self._data.lines
        ]

    def event_at(self, pos: QPointF | QPoint) -> int | None:
        """The event whose bar is at ``pos`` (a few pixels' grace for thin bars), or None."""
        point = QPointF(pos)
        if not self._plot.contains(point):
            return None
        number = self._layout.line_at(point.y(), self._scroll.value())
        lane = self._data.lines[number].lane if number is not None else None
        if lane is None:
            return None
        viewport = self._viewport
        i = lane.stay_at(viewport.x_to_time(point.x()), 3 * viewport.seconds_per_pixel())
        return lane.ids[i] if i is not None else None

    def scroll_to_event(self, event_id: int) -> None:
        """Bring an event's bar into view and show it selected. The zoom stays, unless the
        bar is wider than the view; then the view zooms out to show all of it."""
        found = self._data.index.get(event_id)
        self._selected = event_id
        if found is not None:
            self._focus_id = event_id
            self._reveal(*found)
        self.update()

    def selected_event(self) -> int | None:
        return self._selected

    def focused_event(self) -> int | None:
        return self._focus_id

    def tick_unit(self) -> TickUnit:
        """The unit of the axis ticks at this zoom: "year", "month", "day" or "hour"."""
        return self._ticks().unit

    def tick_labels(self) -> list[Tick]:
        """The axis's tick labels now shown: (x in widget coordinates, text)."""
        left, right = self._plot.left(), self._plot.right()
        time_to_x = self._viewport.time_to_x
        return [
            (x, text) for ts, text in self._ticks().ticks if left <= (x := time_to_x(ts)) <= right
        ]

    def legend_items(self) -> list[tuple[str, QColor]]:
        """The legend's entries in order: up to ten names, then "other" when it is used."""
        return [(name, QColor(SLOT_QCOLOURS[slot])) for name, slot in self._data.legend]

    def bar_colour(self, event_id: int) -> QColor | None:
        found = self._data.index.get(event_id)
        if found is None:
            return None
        lane, i = found
        return QColor(SLOT_QCOLOURS[lane.cats[i]])

    def tooltip_text(self, event_id: int) -> str | None:
        """What hovering the bar says: vehicle, port, dates, how long it stayed, and any
        overlap or relocation."""
        return stay_tooltip(self._data, event_id, self._zone, self._utc)

    # -- following the proxy ------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._source.stale:
            self._source.rebuild()
            if self._selected is not None:
                self.scroll_to_event(self._selected)

    def _data_rebuilt(self, had_data: bool) -> None:
        summary = self._data.summary()
        self._header.summary.setText(summary)
        self.setAccessibleDescription(f"Timeline of {summary}")
        self._relayout()
        if not had_data and self._data.extent is not None:
            self.fit_all()
        else:
            viewport = self._viewport
            self._show(viewport.moved(viewport.t0, viewport.span, self._data.extent))
        self._invalidate()

    # -- view state and geometry --------------------------------------------------------------

    def _show(self, viewport: Viewport) -> None:
        if (viewport.t0, viewport.span) != (self._viewport.t0, self._viewport.span):
            self._viewport = viewport
            self._invalidate()

    def _reveal(self, lane: Lane, i: int) -> None:
        self._show(self._viewport.revealing(lane.starts[i], lane.ends[i]))
        self._scroll.setValue(self._layout.scroll_revealing(lane.line, self._scroll.value()))

    def _invalidate(self, *_: object) -> None:
        self._picture.invalidate()
        self.update()

    def _relayout(self) -> None:
        """Measure the font, lay everything out, and place the header and scroll bar."""
        header_height = self._header.sizeHint().height()
        self._header.setGeometry(0, 0, self.width(), header_height)
        lines = self._data.lines
        legend = self._data.legend_entries()
        layout = compute_layout(
            self.width(),
            self.height(),
            lines,
            legend,
            font_numbers(self.font(), lines, legend),
            header_height=header_height,
            scroll_bar_width=self._scroll.sizeHint().width(),
        )
        self._layout = layout
        plot = layout.plot
        self._plot = qrect(plot)
        self._viewport = self._viewport.placed(plot.left, plot.width)
        if layout.overflow:
            bar = layout.scroll_bar
            self._scroll.setGeometry(int(bar.left), int(bar.top), int(bar.width), int(bar.height))
            self._scroll.setRange(0, layout.scroll_range())
            self._scroll.setPageStep(int(plot.height))
            self._scroll.setSingleStep(int(layout.lane_height))
            self._scroll.show()
        else:
            self._scroll.setRange(0, 0)
            self._scroll.hide()

    def _ticks(self) -> Ticks:
        viewport = self._viewport
        start, end = viewport.visible_range()
        spp = viewport.seconds_per_pixel()
        return axis_ticks(start, end, spp, self._zone, self._layout.tick_widths)

    def _frame(self) -> Frame:
        return Frame(
            self._data,
            self._layout,
            self._viewport,
            self._scroll.value(),
            self.palette(),
            self.font(),
            self._utc,
        )

    def _shown_rect(self, event_id: int) -> QRectF | None:
        return shown_rect(self._frame(), event_id)

    # -- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        began = time.perf_counter()
        dpr = self.devicePixelRatioF()
        frame = self._frame()
        viewport = frame.viewport
        key = (
            self.width(),
            self.height(),
            dpr,
            viewport.t0,
            viewport.span,
            frame.scroll,
            self._source.version,
            self._data.mode,
            self._utc,
            frame.palette.cacheKey(),
            frame.font.key(),
        )
        cached = self._picture.holds(key)
        if not cached:
            self.last_paint["bars"] = self._picture.repaint(
                key, self.size(), dpr, lambda painter: paint_picture(painter, frame, self._ticks())
            )
        painter = QPainter(self)
        try:
            painter.drawPixmap(0, 0, self._picture.pixmap)
            paint_marks(
                painter,
                frame,
                hover=self._hover,
                selected=self._selected,
                focus=self._focus_id,
                has_focus=self.hasFocus(),
            )
        finally:
            painter.end()
        self.last_paint["ms"] = (time.perf_counter() - began) * 1000
        self.last_paint["cached"] = int(cached)

    # -- input --------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()
        self._invalidate()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        kind = event.type()
        if kind == QEvent.Type.FontChange or kind == QEvent.Type.StyleChange:
            self._relayout()
            self._invalidate()
        elif kind == QEvent.Type.PaletteChange:
            self._invalidate()

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            self._show_tooltip(event)
            return True
        return super().event(event)

    def _show_tooltip(self, event: QHelpEvent) -> None:
        point = QPointF(event.pos())
        event_id = self.event_at(point)
        area = QRect()
        if event_id is not None:
            text = self.tooltip_text(event_id)
            shown = self._shown_rect(event_id)
            if shown is not None:
                # Moving onto another bar asks again instead of keeping this text.
                area = shown.toAlignedRect()
        else:
            scroll = self._scroll.value()
            text = place_tooltip(self._data, self._layout, scroll, point.x(), point.y())
        if text:
            QToolTip.showText(event.globalPos(), rich_tooltip(text), self, area)
        else:
            QToolTip.hideText()

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        modifiers = event.modifiers()
        position = event.position()
        over_names = position.x() < self._layout.gutter
        if modifiers & Qt.KeyboardModifier.AltModifier or over_names:
            # Alt turns the wheel sideways on some platforms: take whichever axis moved.
            steps = delta.y() or delta.x()
            lines = round(steps / 120 * 3 * self._layout.lane_height)
            self._scroll.setValue(self._scroll.value() - lines)
        elif modifiers & Qt.KeyboardModifier.ShiftModifier or abs(delta.x()) > abs(delta.y()):
            steps = delta.x() or delta.y()
            self.pan(steps / 120 * self._plot.width() / 10)
        elif delta.y():
            self.zoom(1.0015 ** delta.y(), position.x())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = (event.position(), self._viewport.t0, self._scroll.value())
            self._dragging = False
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        position = event.position()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            start, t0, scroll = self._press
            moved = position - start
            if not self._dragging and moved.manhattanLength() >= _DRAG_START:
                self._dragging = True
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
            if self._dragging:
                viewport = self._viewport
                t0 -= moved.x() * viewport.seconds_per_pixel()
                self._show(viewport.moved(t0, viewport.span, self._data.extent))
                self._scroll.setValue(scroll - round(moved.y()))
            return
        hover = self.event_at(position)
        if hover != self._hover:
            self._hover = hover
            self.setCursor(
                Qt.CursorShape.PointingHandCursor
                if hover is not None
                else Qt.CursorShape.ArrowCursor
            )
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            super().mouseReleaseEvent(event)
            return
        dragged = self._dragging
        self._press = None
        self._dragging = False
        self.unsetCursor()
        if not dragged:
            event_id = self.event_at(event.position())
            if event_id is not None:
                self._activate(event_id)
        event.accept()

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        if self._hover is not None:
            self._hover = None
            self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        Key = Qt.Key
        if key in (Key.Key_Plus, Key.Key_Equal):
            self.zoom(1.5, self._focus_anchor())
        elif key in (Key.Key_Minus, Key.Key_Underscore):
            self.zoom(1 / 1.5, self._focus_anchor())
        elif key == Key.Key_Home:
            self.fit_all()
        elif key == Key.Key_End:
            self.last_year()
        elif key in (Key.Key_Left, Key.Key_Right) and shift:
            step = self._plot.width() / 10
            self.pan(step if key == Key.Key_Left else -step)
        elif key in (Key.Key_Left, Key.Key_Right):
            self._move_focus_along(-1 if key == Key.Key_Left else 1)
        elif key in (Key.Key_Up, Key.Key_Down):
            self._move_focus_across(-1 if key == Key.Key_Up else 1)
        elif key in (Key.Key_PageUp, Key.Key_PageDown):
            page = self._scroll.pageStep()
            self._scroll.setValue(
                self._scroll.value() + (page if key == Key.Key_PageDown else -page)
            )
        elif key in (Key.Key_Return, Key.Key_Enter, Key.Key_Space):
            if self._focus_id is not None and self._focus_id in self._data.index:
                self._activate(self._focus_id)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _activate(self, event_id: int) -> None:
        self._selected = event_id
        self._focus_id = event_id
        self.update()
        self.eventActivated.emit(event_id)

    def _focus_anchor(self) -> float | None:
        rect = self._shown_rect(self._focus_id) if self._focus_id is not None else None
        if rect is not None and self._plot.contains(rect.center()):
            return rect.center().x()
        return None

    def _move_focus_along(self, step: int) -> None:
        data = self._data
        found: tuple[Lane, int] | None
        if self._focus_id is not None and self._focus_id in data.index:
            found = data.step_along(self._focus_id, step)
        else:
            # Without a focused bar, start near the middle of the first lane shown.
            first, last = self._layout.visible_lines(self._scroll.value())
            middle = self._viewport.x_to_time(self._plot.center().x())
            found = data.nearest_in_lines(first, last, middle)
        if found is not None:
            self._focus_on(*found)

    def _move_focus_across(self, step: int) -> None:
        if self._focus_id is None or self._focus_id not in self._data.index:
            self._move_focus_along(0)
            return
        found = self._data.step_across(self._focus_id, step)
        if found is not None:
            self._focus_on(*found)

    def _focus_on(self, lane: Lane, i: int) -> None:
        self._focus_id = lane.ids[i]
        self._reveal(lane, i)
        self.update()
