"""Wheel, mouse, keys and tooltips over the timeline, turned into the view's commands.

- Wheel over the plot: zoom around the cursor. Shift+wheel (or a sideways wheel/touchpad):
  pan in time. Wheel over the port names, or Alt+wheel anywhere: scroll the lanes.
- Drag with the left button: pan in time and scroll the lanes. A click without a drag on a
  bar selects it (``eventActivated``).
- Keys (the view takes focus): Left/Right the previous/next stay on the lane, Up/Down the
  nearest stay in the lane above/below, Enter/Space select the focused stay
  (``eventActivated``), +/= and - zoom, Shift+Left/Right pan, PageUp/PageDown scroll the
  lanes, Home fit all, End the last year.
- Hovering a bar outlines it and, after a moment, says what it was (a tooltip); hovering a
  port or station name says how many dockings it had.

The view receives the events and hands them here; this keeps what a gesture needs between
events (where the press was, whether it became a drag, the bar under the pointer).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRect, Qt
from PySide6.QtGui import QHelpEvent, QKeyEvent, QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QScrollBar, QToolTip

from dockview.ui.timeline.painting import shown_rect
from dockview.ui.timeline.tooltips import place_tooltip, rich_tooltip
from dockview.ui.timeline.viewport import ZOOM_STEP

if TYPE_CHECKING:
    from dockview.ui.timeline.view import TimelineView

#: A press moves this far (Manhattan, pixels) before it is a drag rather than a click.
_DRAG_START = 4
#: One wheel notch (120 eighths of a degree) zooms by 1.0015 ** 120, about 1.2.
_ZOOM_PER_EIGHTH = 1.0015
Key = Qt.Key


class TimelineInput:
    """The gestures and keys of one view; ``scroll`` is its lanes' scroll bar."""

    def __init__(self, view: TimelineView, scroll: QScrollBar) -> None:
        self._view = view
        self._scroll = scroll
        #: The event whose bar is under the pointer (outlined), if any.
        self.hover: int | None = None
        self._press: tuple[QPointF, float, int] | None = None
        self._dragging = False

    def wheel(self, event: QWheelEvent) -> None:
        view = self._view
        delta = event.angleDelta()
        modifiers = event.modifiers()
        position = event.position()
        over_names = position.x() < view.frame().layout.gutter
        if modifiers & Qt.KeyboardModifier.AltModifier or over_names:
            # Alt turns the wheel sideways on some platforms: take whichever axis moved.
            steps = delta.y() or delta.x()
            # Three lanes a notch: one step of the scroll bar is one lane.
            lanes = round(steps / 120 * 3 * self._scroll.singleStep())
            self._scroll.setValue(self._scroll.value() - lanes)
        elif modifiers & Qt.KeyboardModifier.ShiftModifier or abs(delta.x()) > abs(delta.y()):
            steps = delta.x() or delta.y()
            view.pan(steps / 120 * view.plot_rect().width() / 10)
        elif delta.y():
            view.zoom(_ZOOM_PER_EIGHTH ** delta.y(), position.x())
        event.accept()

    def press(self, event: QMouseEvent) -> bool:
        """True when the press was taken (the left button: a click or a drag begins)."""
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        self._press = (event.position(), self._view.visible_range()[0], self._scroll.value())
        self._dragging = False
        event.accept()
        return True

    def move(self, event: QMouseEvent) -> None:
        view = self._view
        position = event.position()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            start, t0, scroll = self._press
            moved = position - start
            if not self._dragging and moved.manhattanLength() >= _DRAG_START:
                self._dragging = True
                view.setCursor(Qt.CursorShape.ClosedHandCursor)
            if self._dragging:
                view.pan_to(t0 - moved.x() * view.seconds_per_pixel())
                self._scroll.setValue(scroll - round(moved.y()))
            return
        hover = view.event_at(position)
        if hover != self.hover:
            self.hover = hover
            view.setCursor(
                Qt.CursorShape.PointingHandCursor
                if hover is not None
                else Qt.CursorShape.ArrowCursor
            )
            view.update()

    def release(self, event: QMouseEvent) -> bool:
        """True when the release ended a press taken here (selecting the bar clicked)."""
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            return False
        dragged = self._dragging
        self._press = None
        self._dragging = False
        self._view.unsetCursor()
        if not dragged:
            event_id = self._view.event_at(event.position())
            if event_id is not None:
                self._view.activate(event_id)
        event.accept()
        return True

    def leave(self) -> None:
        if self.hover is not None:
            self.hover = None
            self._view.update()

    def key(self, event: QKeyEvent) -> bool:
        """True when the key was one of the timeline's."""
        view = self._view
        key = event.key()
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if key in (Key.Key_Plus, Key.Key_Equal):
            view.zoom(ZOOM_STEP, self._focus_anchor())
        elif key in (Key.Key_Minus, Key.Key_Underscore):
            view.zoom(1 / ZOOM_STEP, self._focus_anchor())
        elif key == Key.Key_Home:
            view.fit_all()
        elif key == Key.Key_End:
            view.last_year()
        elif key in (Key.Key_Left, Key.Key_Right) and shift:
            step = view.plot_rect().width() / 10
            view.pan(step if key == Key.Key_Left else -step)
        elif key in (Key.Key_Left, Key.Key_Right):
            view.move_focus(along=-1 if key == Key.Key_Left else 1)
        elif key in (Key.Key_Up, Key.Key_Down):
            view.move_focus(across=-1 if key == Key.Key_Up else 1)
        elif key in (Key.Key_PageUp, Key.Key_PageDown):
            page = self._scroll.pageStep()
            self._scroll.setValue(
                self._scroll.value() + (page if key == Key.Key_PageDown else -page)
            )
        elif key in (Key.Key_Return, Key.Key_Enter, Key.Key_Space):
            focused = view.focused_event()
            if focused is not None and view.bar_rect(focused) is not None:
                view.activate(focused)
        else:
            return False
        event.accept()
        return True

    def _focus_anchor(self) -> float | None:
        """Keys zoom around the focused bar while it is in sight (else around the middle)."""
        focused = self._view.focused_event()
        rect = shown_rect(self._view.frame(), focused) if focused is not None else None
        if rect is not None and self._view.plot_rect().contains(rect.center()):
            return rect.center().x()
        return None

    def tooltip(self, event: QHelpEvent) -> None:
        view = self._view
        point = QPointF(event.pos())
        event_id = view.event_at(point)
        area = QRect()
        if event_id is not None:
            text = view.tooltip_text(event_id)
            shown = shown_rect(view.frame(), event_id)
            if shown is not None:
                # Moving onto another bar asks again instead of keeping this text.
                area = shown.toAlignedRect()
        else:
            frame = view.frame()
            text = place_tooltip(frame.data, frame.layout, frame.scroll, point.x(), point.y())
        if text:
            QToolTip.showText(event.globalPos(), rich_tooltip(text), view, area)
        else:
            QToolTip.hideText()
