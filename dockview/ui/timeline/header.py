"""The strip above the timeline's canvas: colour mode, zoom buttons and a one-line summary."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QToolButton, QWidget

from dockview.ui.common import named
from dockview.ui.timeline.categories import ColourMode


class TimelineHeader(QWidget):
    """Buttons only: the view connects them to what they do."""

    #: Agency or Type was clicked.
    colourModeChosen = Signal(ColourMode)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.setSpacing(4)
        layout.addWidget(QLabel("Colour by:"))
        self.agency = self._button("Agency", "timelineColourAgency", "Colour the bars by agency")
        self.type = self._button(
            "Type", "timelineColourType", "Colour the bars by vehicle type (Soyuz, Progress, …)"
        )
        self.agency.setCheckable(True)
        self.type.setCheckable(True)
        self.agency.setChecked(True)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.group.addButton(self.agency)
        self.group.addButton(self.type)
        self.agency.clicked.connect(lambda: self.colourModeChosen.emit(ColourMode.AGENCY))
        self.type.clicked.connect(lambda: self.colourModeChosen.emit(ColourMode.TYPE))
        layout.addWidget(self.agency)
        layout.addWidget(self.type)
        layout.addSpacing(12)
        self.summary = named(QLabel(), "timelineSummary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        layout.addWidget(self.summary, 1)
        self.fit_all = self._button("Fit all", "timelineFitAll", "Show every docking (Home)")
        self.last_year = self._button(
            "Last year", "timelineLastYear", "Show the last twelve months (End)"
        )
        self.zoom_out = self._button("\u2212", "timelineZoomOut", "Zoom out (-)")
        self.zoom_in = self._button("+", "timelineZoomIn", "Zoom in (+)")
        for button in (self.fit_all, self.last_year, self.zoom_out, self.zoom_in):
            layout.addWidget(button)

    def mode_button(self, mode: ColourMode) -> QToolButton:
        return self.agency if mode == ColourMode.AGENCY else self.type

    def _button(self, text: str, object_name: str, tip: str) -> QToolButton:
        button = named(QToolButton(self), object_name, tip.split(" (")[0])
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button
