"""The filter bar above the table: every control changes the proxy's ``EventQuery``.

Choices (stations with their counts, the ports of the chosen station, spacecraft for type-ahead)
are computed from the model's row objects, so they always match what the table can show.
Typing in the search field is debounced so that a fast typist filters once, not per key.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QDate, QSignalBlocker, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from dockview.query import EventQuery, day_span
from dockview.store import FilterChoices
from dockview.timefmt import display_zone
from dockview.ui.common import named
from dockview.ui.event_proxy import EventFilterProxy

SEARCH_DEBOUNCE_MS = 200
ALL_STATIONS = "All stations"
ALL_PORTS = "All ports"
ALL_SPACECRAFT = "All spacecraft"


class SearchField(QLineEdit):
    """A search box that Esc clears (and, when already empty, lets Esc pass on)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.text():
            self.clear()
            event.accept()
            return
        super().keyPressEvent(event)


class FilterBar(QWidget):
    """Station, port, spacecraft, free text, a date range and "docked now"."""

    filtersChanged = Signal()

    def __init__(self, proxy: EventFilterProxy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self.proxy = proxy

        self.search_field = named(SearchField(), "searchField", "Search")
        self.search_field.setPlaceholderText(
            "Search spacecraft, serial, config, agency, port or station  (Ctrl+F)"
        )
        self.search_field.setClearButtonEnabled(True)
        self.search_field.setAccessibleName("Search")
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._apply_search)
        self.search_field.textChanged.connect(self._debounce.start)

        self.docked_now_toggle = named(QCheckBox("Docked now"), "dockedNowToggle", "Docked now")
        self.docked_now_toggle.setToolTip("Only vehicles that are docked now")
        self.docked_now_toggle.toggled.connect(lambda on: self._set(docked_now=on))
        self.clear_button = named(QPushButton("Clear filters"), "clearFilters")
        self.clear_button.setToolTip("Show every event again")
        self.clear_button.clicked.connect(self.clear)

        self.station_filter = named(QComboBox(), "stationFilter")
        self.station_filter.setAccessibleName("Station")
        self.station_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.station_filter.currentIndexChanged.connect(self._station_chosen)

        self.port_filter = named(QComboBox(), "portFilter")
        self.port_filter.setAccessibleName("Docking port")
        self.port_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.port_filter.currentIndexChanged.connect(
            lambda _: self._set(location_id=self.port_filter.currentData())
        )

        self.vehicle_filter = named(QComboBox(), "vehicleFilter")
        self.vehicle_filter.setAccessibleName("Spacecraft")
        self.vehicle_filter.setEditable(True)
        self.vehicle_filter.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.vehicle_filter.setMinimumContentsLength(22)
        self.vehicle_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        # Thousands of spacecraft: a C++ string list model, filled in one call, with the ids
        # beside it in Python (addItem per entry costs ~65 ms for 40,000).
        self._vehicle_names = QStringListModel(self)
        self._vehicle_ids: list[int | None] = [None]
        self._vehicle_row: dict[int, int] = {}
        self.vehicle_filter.setModel(self._vehicle_names)
        completer = QCompleter(self._vehicle_names, self.vehicle_filter)
        self.vehicle_filter.setCompleter(completer)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.vehicle_filter.currentIndexChanged.connect(
            lambda _: self._set(spacecraft_id=self._chosen_vehicle())
        )
        line_edit = self.vehicle_filter.lineEdit()
        assert line_edit is not None  # editable combos always have one
        line_edit.setPlaceholderText(ALL_SPACECRAFT)
        line_edit.editingFinished.connect(self._vehicle_text_done)

        self.date_toggle = named(QCheckBox("Docked between"), "dateRangeToggle")
        self.date_toggle.setToolTip("Only stays that overlap these dates")
        self.date_from = named(QDateEdit(), "dateFrom")
        self.date_to = named(QDateEdit(), "dateTo")
        for edit, name in ((self.date_from, "From date"), (self.date_to, "To date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.setEnabled(False)
            edit.dateChanged.connect(self._apply_dates)
        self.date_from.setDate(QDate(1971, 1, 1))
        self.date_to.setDate(QDate.currentDate())
        self.date_toggle.toggled.connect(self._dates_toggled)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.search_field, 1)
        top.addWidget(self.docked_now_toggle)
        top.addWidget(self.clear_button)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        for label, widget in (
            ("&Station", self.station_filter),
            ("&Port", self.port_filter),
            ("Space&craft", self.vehicle_filter),
        ):
            caption = QLabel(label)
            caption.setBuddy(widget)
            bottom.addWidget(caption)
            bottom.addWidget(widget)
            bottom.addSpacing(8)
        bottom.addWidget(self.date_toggle)
        bottom.addWidget(self.date_from)
        bottom.addWidget(QLabel("to"))
        bottom.addWidget(self.date_to)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(top)
        layout.addLayout(bottom)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._choices = FilterChoices()
        self.refresh_choices(self._choices)

    # -- choices --------------------------------------------------------------------------------

    def refresh_choices(self, choices: FilterChoices | None = None) -> None:
        """Rebuild the lists (after loading or a sync), keeping what is chosen where it still
        exists."""
        if choices is not None:
            self._choices = choices
        with QSignalBlocker(self.station_filter):
            _fill(
                self.station_filter,
                ALL_STATIONS,
                [(sid, f"{name} ({count})") for sid, name, count in self._choices.stations],
                self.proxy.query.station_id,
            )
        self._fill_ports()
        with QSignalBlocker(self.vehicle_filter):
            crafts = self._choices.spacecraft
            self._vehicle_ids = [None, *(craft_id for craft_id, _, _ in crafts)]
            self._vehicle_row = {
                craft_id: row
                for row, craft_id in enumerate(self._vehicle_ids)
                if craft_id is not None
            }
            self._vehicle_names.setStringList(
                [ALL_SPACECRAFT, *(f"{name} ({count})" for _, name, count in crafts)]
            )
        self._sync_from_proxy()

    def _chosen_vehicle(self) -> int | None:
        row = self.vehicle_filter.currentIndex()
        return self._vehicle_ids[row] if 0 <= row < len(self._vehicle_ids) else None

    def _fill_ports(self) -> None:
        ports = self._choices.ports_at(self.proxy.query.station_id)
        with QSignalBlocker(self.port_filter):
            _fill(
                self.port_filter,
                ALL_PORTS,
                [(pid, f"{name} ({count})") for pid, name, count in ports],
                self.proxy.query.location_id,
            )
        if self.port_filter.currentData() != self.proxy.query.location_id:
            self._set(location_id=None)

    def _sync_from_proxy(self) -> None:
        """Make the widgets show the proxy's state (after restore or clear)."""
        for combo, value in (
            (self.station_filter, self.proxy.query.station_id),
            (self.port_filter, self.proxy.query.location_id),
        ):
            with QSignalBlocker(combo):
                found = combo.findData(value)
                combo.setCurrentIndex(found if found >= 0 else 0)
        with QSignalBlocker(self.vehicle_filter):
            craft = self.proxy.query.spacecraft_id
            row = self._vehicle_row.get(craft, 0) if craft is not None else 0
            self.vehicle_filter.setCurrentIndex(row)
            if row == 0:
                self.vehicle_filter.setEditText("")
        with QSignalBlocker(self.docked_now_toggle):
            self.docked_now_toggle.setChecked(self.proxy.query.docked_now)
        if self.search_field.text().strip() != self.proxy.query.text.strip():
            with QSignalBlocker(self.search_field):
                self.search_field.setText(self.proxy.query.text)

    # -- reacting -------------------------------------------------------------------------------

    def _set(self, **changes: Any) -> None:
        self.proxy.set_filters(**changes)
        self.filtersChanged.emit()

    def _station_chosen(self, _index: int) -> None:
        self.proxy.set_filters(station_id=self.station_filter.currentData())
        self._fill_ports()
        self.filtersChanged.emit()

    def _vehicle_text_done(self) -> None:
        """Typed text that names no spacecraft means "all"; a unique match is chosen."""
        text = self.vehicle_filter.currentText().strip()
        if not text:
            self.vehicle_filter.setCurrentIndex(0)
            self._set(spacecraft_id=None)
            return
        found = self.vehicle_filter.findText(text, Qt.MatchFlag.MatchContains)
        if found >= 0 and found != self.vehicle_filter.currentIndex():
            self.vehicle_filter.setCurrentIndex(found)

    def _apply_search(self) -> None:
        self._set(text=self.search_field.text().strip())

    def flush_search(self) -> None:
        """Apply typed text now, without waiting for the debounce (Enter, tests, restore)."""
        if self._debounce.isActive():
            self._debounce.stop()
            self._apply_search()

    def _dates_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self._apply_dates()

    def _apply_dates(self) -> None:
        if not self.date_toggle.isChecked():
            self._set(since_ts=None, until_ts=None)
            return
        since, until = day_span(
            _as_date(self.date_from.date()), _as_date(self.date_to.date()), self._zone()
        )
        self._set(since_ts=since, until_ts=until)

    def _zone(self) -> Any:
        return display_zone(self.proxy.event_model().utc)

    def clear(self) -> None:
        with QSignalBlocker(self.date_toggle):
            self.date_toggle.setChecked(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        self._debounce.stop()
        with QSignalBlocker(self.search_field):
            self.search_field.clear()
        self.proxy.clear_filters()
        self._fill_ports()
        self._sync_from_proxy()
        self.filtersChanged.emit()

    def focus_search(self) -> None:
        self.search_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_field.selectAll()

    # -- remembering ----------------------------------------------------------------------------

    def state(self) -> dict[str, Any]:
        """What to remember: the query's JSON form."""
        return self.proxy.query.to_json()

    def restore(self, state: object) -> None:
        """Bring back remembered filters; anything malformed is ignored, never fatal."""
        query = EventQuery.from_json(state)
        self.proxy.set_query(query)
        with QSignalBlocker(self.search_field):
            self.search_field.setText(query.text)
        zone = self._zone()
        for edit, moment in ((self.date_from, query.since_ts), (self.date_to, query.until_ts)):
            if moment is not None:
                day = datetime.fromtimestamp(moment, zone).date()
                with QSignalBlocker(edit):
                    edit.setDate(QDate(day.year, day.month, day.day))
        self.date_toggle.setChecked(query.since_ts is not None or query.until_ts is not None)
        self.refresh_choices()
        self.filtersChanged.emit()

    def choose_vehicle(self, spacecraft_id: int | None) -> None:
        """Pick a spacecraft as if from the list (tests, and the timeline later)."""
        self.vehicle_filter.setCurrentIndex(
            self._vehicle_row.get(spacecraft_id, 0) if spacecraft_id else 0
        )


def _as_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _fill(combo: QComboBox, everything: str, items: list[tuple[int, str]], chosen: object) -> None:
    combo.clear()
    combo.addItem(everything, None)
    for value, text in items:
        combo.addItem(text, value)
    found = combo.findData(chosen) if chosen is not None else 0
    combo.setCurrentIndex(found if found >= 0 else 0)
