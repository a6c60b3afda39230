"""The detail pane: everything the API says about one docking, in four titled sections.

The pane takes the event exactly as the API sent it, reads it through
:func:`dockview.records.parse_event`, and reaches into the raw object only for fields that
records does not model (a config's history and flight life, an agency's launchers). Every
piece of API text is shown as plain text: descriptions are free text typed by people, and a
``<b>`` or ``<img src=...>`` in them must show as those characters, never render. Links are
plain, selectable text too (no rich-text label anywhere in the pane), so nothing the server
sends is ever interpreted by Qt's HTML subset. Absent or null fields are left out.
"""

from __future__ import annotations

import dataclasses
import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeyEvent, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QFrame,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from dockview.records import (
    Agency,
    DockingEvent,
    RecordError,
    SpacecraftConfig,
    parse_agency,
    parse_config,
    parse_event,
)
from dockview.timefmt import format_date, format_duration, format_stay, format_time
from dockview.ui.images import ImageCache

EMPTY_TEXT = "Select a docking to see its details"
#: Shown in the Configuration and Agency sections of a 2.3.0 or 2.4.0 event until the full
#: records have been fetched from their own endpoints.
NOT_FETCHED_TEXT = "Details not fetched yet; the next sync fetches them."
NO_IMAGE = "No image"
LOADING_IMAGE = "Loading image…"
IMAGE_FAILED = "Image unavailable"
PHOTO_SIZE = QSize(300, 150)
LOGO_SIZE = QSize(160, 80)
#: The port list shows this many rows before it scrolls.
PORT_LIST_ROWS = 8
SELECTABLE = (
    Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
)
_EVENT_ID_ROLE = Qt.ItemDataRole.UserRole
SECTIONS = ("spacecraft", "config", "agency", "port")
_WIDEST_CAPTION = "Payload capacity"


@dataclass(frozen=True)
class FullRecords:
    """The full configuration and agency records the cache fetched for an event whose own
    copies are short (2.3.0, 2.4.0); None where none is stored yet."""

    config: Mapping[str, Any] | None = None
    agency: Mapping[str, Any] | None = None


@dataclass(frozen=True)
class PortDocking:
    """One entry in "the port's other dockings"."""

    event_id: int
    docking: datetime
    departure: datetime | None
    spacecraft_name: str | None


# ---------------------------------------------------------------------------------------------
# Small readers and formatters (pure functions, no Qt).


def _dig(obj: object, *keys: str) -> Mapping[str, Any] | None:
    """``obj[k1][k2]...`` when every step is a JSON object; ``None`` otherwise."""
    for key in keys:
        if not isinstance(obj, Mapping):
            return None
        obj = obj.get(key)
    return obj if isinstance(obj, Mapping) else None


def _text(value: object) -> str | None:
    """A string or number worth showing; ``None`` for null, empty, booleans and objects."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _number(value: float | None, unit: str) -> str | None:
    return None if value is None else f"{value:g} {unit}"


def _count(value: int | None, unit: str = "") -> str | None:
    if value is None:
        return None
    return f"{value:,} {unit}".strip()


def port_docking_lines(entry: PortDocking, utc: bool) -> tuple[str, str | None]:
    """("2024-05-02 → 2024-10-23", "Crew Dragon Endeavour"); still docked: "… → docked now"."""
    zone = UTC if utc else None  # local: each moment's own offset, as the details show it
    end = format_date(entry.departure.timestamp(), zone) if entry.departure else "docked now"
    return f"{format_date(entry.docking.timestamp(), zone)} → {end}", _text(entry.spacecraft_name)


def port_docking_text(entry: PortDocking, utc: bool) -> str:
    """One entry on one line: "2024-05-02 → 2024-10-23  Crew Dragon Endeavour"."""
    dates, name = port_docking_lines(entry, utc)
    return f"{dates}  {name}" if name else dates


def _escaped_tooltip(text: str) -> str:
    """Tool tips guess their format, so a plain one is escaped inside a tag to stay plain."""
    return f"<span>{html.escape(text)}</span>"


# ---------------------------------------------------------------------------------------------
# Widgets.


def _plain_label(text: str = "", *, selectable: bool = True, wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    if selectable:
        label.setTextInteractionFlags(SELECTABLE)
    return label


def _field_label(text: str) -> QLabel:
    """A wrapping value that takes the width it is given: a long word (a URL) never widens
    the pane. The policy keeps QLabel's height-for-width flag, which a plain
    ``setSizePolicy(Ignored, Preferred)`` would drop (rows would then get their height from
    the size hint's guessed width and gape)."""
    label = _plain_label(text)
    policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    policy.setHeightForWidth(True)
    label.setSizePolicy(policy)
    return label


class _ImageBox(QLabel):
    """A fixed-size picture frame: the image when the cache has it, a grey placeholder if not."""

    def __init__(self, size: QSize, accessible_name: str) -> None:
        super().__init__()
        self.url: str | None = None
        self.box_size = size
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setFixedSize(size)
        self.setAccessibleName(accessible_name)
        self.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.setFrameShape(QFrame.Shape.StyledPanel)

    @property
    def has_image(self) -> bool:
        return not self.pixmap().isNull()

    def show_url(self, url: str | None, images: ImageCache | None) -> None:
        self.url = url
        if not url or images is None:
            self._placeholder(NO_IMAGE)
            return
        dpr = self.devicePixelRatioF()
        wanted = QSize(round(self.box_size.width() * dpr), round(self.box_size.height() * dpr))
        pixmap = images.pixmap(url, wanted)
        if pixmap is not None:
            if dpr != 1.0:
                pixmap = QPixmap(pixmap)
                pixmap.setDevicePixelRatio(dpr)
            self.setAutoFillBackground(False)
            self.setFrameShape(QFrame.Shape.NoFrame)
            self.setToolTip("")
            self.setPixmap(pixmap)
        elif (reason := images.failure(url)) is not None:
            self.show_failure(reason)
        else:
            self._placeholder(LOADING_IMAGE if images.is_pending(url) else NO_IMAGE)

    def show_failure(self, reason: str) -> None:
        self._placeholder(IMAGE_FAILED)
        self.setToolTip(_escaped_tooltip(reason))

    def _placeholder(self, text: str) -> None:
        self.clear()
        self.setAutoFillBackground(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setToolTip("")
        self.setText(text)


class _PortList(QListWidget):
    """The port's other dockings; Enter on an entry activates it like a click does."""

    entered = Signal(QListWidgetItem)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            self.entered.emit(item)
            event.accept()
            return
        super().keyPressEvent(event)


class _Section(QGroupBox):
    """One titled section: an optional picture, then label/value rows and free text."""

    def __init__(self, title: str, image: _ImageBox | None = None) -> None:
        super().__init__(title)
        self.image = image
        self._lines: list[str] = []
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        if image is not None:
            layout.addWidget(image, 0, Qt.AlignmentFlag.AlignHCenter)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.form.setHorizontalSpacing(12)
        self.form.setVerticalSpacing(4)
        layout.addLayout(self.form)

    def clear(self) -> None:
        while self.form.rowCount():
            self.form.removeRow(0)
        self._lines.clear()

    def text(self) -> str:
        return "" if self.isHidden() else "\n".join([self.title(), *self._lines])

    def add_row(self, name: str, value: str | None) -> QLabel | None:
        """A "name  value" row; nothing at all when the value is absent."""
        if value is None or not value.strip():
            return None
        caption = _plain_label(name, selectable=False, wrap=False)
        caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        # One caption width in every section, so the value columns line up down the pane.
        caption.setMinimumWidth(caption.fontMetrics().horizontalAdvance(_WIDEST_CAPTION))
        caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        field = _field_label(value)
        field.setAccessibleName(name)
        self.form.addRow(caption, field)
        self._lines.append(f"{name}: {value}")
        return field

    def add_heading(self, text: str) -> None:
        heading = _plain_label(text, selectable=False, wrap=False)
        if self.form.rowCount():
            heading.setContentsMargins(0, 8, 0, 0)
        font = QFont(heading.font())
        font.setBold(True)
        heading.setFont(font)
        self.form.addRow(heading)
        self._lines.append(text)

    def add_paragraph(self, name: str, value: str | None) -> None:
        """Free text (a description) under a small caption, across the whole width."""
        if value is None or not value.strip():
            return
        caption = _plain_label(name, selectable=False, wrap=False)
        caption.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        caption.setContentsMargins(0, 6, 0, 0)
        body = _field_label(value.strip())
        body.setAccessibleName(name)
        self.form.addRow(caption)
        self.form.addRow(body)
        self._lines.append(f"{name}: {value.strip()}")

    def add_widget(self, widget: QWidget, lines: Sequence[str]) -> None:
        self.form.addRow(widget)
        self._lines.extend(lines)


class DetailPane(QWidget):
    """Everything about one docking event; the window only adds it to a layout or splitter."""

    eventActivated = Signal(int)

    def __init__(self, images: ImageCache | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.setAccessibleName("Docking details")
        self._images = images
        self._utc = True
        self._raw: Mapping[str, Any] | None = None
        self._records = FullRecords()
        self._ports: tuple[PortDocking, ...] = ()
        self._shown_id: int | None = None

        self._title = _plain_label()
        title_font = QFont(self._title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.35)
        title_font.setBold(True)
        self._title.setFont(title_font)
        self._title.setAccessibleName("Spacecraft")
        self._subtitle = _plain_label()
        self._subtitle.setAccessibleName("Docking port")
        self._empty = _plain_label(EMPTY_TEXT, selectable=False)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self._empty.setContentsMargins(12, 48, 12, 48)

        self._sections: dict[str, _Section] = {
            "spacecraft": _Section("Spacecraft"),
            "config": _Section("Configuration", _ImageBox(PHOTO_SIZE, "Configuration image")),
            "agency": _Section("Agency", _ImageBox(LOGO_SIZE, "Agency logo")),
            "port": _Section("Docking port", _ImageBox(PHOTO_SIZE, "Space station image")),
        }
        self._port_list: _PortList | None = None

        content = QWidget()
        content.setObjectName("detailPaneContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(10, 10, 10, 10)
        column.setSpacing(10)
        column.addWidget(self._title)
        column.addWidget(self._subtitle)
        column.addWidget(self._empty)
        for section in self._sections.values():
            column.addWidget(section)
        column.addStretch(1)

        self._scroll = QScrollArea()
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._scroll)

        if images is not None:
            images.imageReady.connect(self._on_image_ready)
            images.imageFailed.connect(self._on_image_failed)
        self._render()

    # -- public ------------------------------------------------------------------------------

    def show_event(
        self,
        raw: Mapping[str, Any] | None,
        port_dockings: Sequence[PortDocking] = (),
        records: FullRecords | None = None,
    ) -> None:
        """Show ``raw`` (an event as the API sent it, any version and mode); None → empty.
        ``records`` completes the configuration and agency of a 2.3.0 or 2.4.0 event."""
        self._raw = raw
        self._ports = tuple(port_dockings)
        self._records = records or FullRecords()
        self._render()

    def set_utc(self, utc: bool) -> None:
        """Show times in UTC (True) or in the computer's local time (False)."""
        if utc != self._utc:
            self._utc = utc
            self._render()

    def section_text(self, name: str) -> str:
        """The plain text of a section as shown ("" while hidden); name in :data:`SECTIONS`."""
        if name not in self._sections:
            raise KeyError(f"no section {name!r}; expected one of {', '.join(SECTIONS)}")
        return self._sections[name].text()

    # -- rendering ---------------------------------------------------------------------------

    def _render(self) -> None:
        previous_id = self._shown_id
        scroll_bar = self._scroll.verticalScrollBar()
        scroll_value = scroll_bar.value()
        self.setUpdatesEnabled(False)
        try:
            for section in self._sections.values():
                section.clear()
            self._port_list = None
            event = self._parse()
            self._shown_id = event.id if event else None
            if event is None:
                self._show_empty()
            else:
                self._empty.hide()
                self._fill_header(event)
                self._fill_spacecraft(event)
                self._fill_config(event)
                self._fill_agency(event)
                self._fill_port(event)
        finally:
            self.setUpdatesEnabled(True)
        # Re-rendering the same event (a time zone switch) keeps the reader's place.
        if self._shown_id is not None and self._shown_id == previous_id:
            QTimer.singleShot(0, self, lambda: scroll_bar.setValue(scroll_value))
        else:
            scroll_bar.setValue(0)

    def _parse(self) -> DockingEvent | None:
        if self._raw is None:
            self._empty.setText(EMPTY_TEXT)
            return None
        try:
            return parse_event(self._raw)
        except RecordError as exc:
            self._empty.setText(f"This docking cannot be shown: {exc}.")
            return None

    def _show_empty(self) -> None:
        self._title.hide()
        self._subtitle.hide()
        for section in self._sections.values():
            section.hide()
            if section.image is not None:
                section.image.url = None
        self._empty.show()

    def _fill_header(self, event: DockingEvent) -> None:
        craft = event.spacecraft
        chaser = event.chaser.name if event.chaser else None
        self._title.setText((craft.name if craft else None) or chaser or f"Docking {event.id}")
        self._title.show()
        where = [
            name
            for name in (
                event.location.name if event.location else None,
                event.target.name if event.target else None,
            )
            if name
        ]
        self._subtitle.setText(" · ".join(where))
        self._subtitle.setVisible(bool(where))

    def _fill_spacecraft(self, event: DockingEvent) -> None:
        section = self._sections["spacecraft"]
        # Local time with each moment's own offset, which the zone name beside it tells.
        zone = UTC if self._utc else None
        section.add_heading("This docking")
        section.add_row("Docked", format_time(event.docking.timestamp(), zone, zone_name=True))
        if event.departure is not None:
            section.add_row(
                "Departed", format_time(event.departure.timestamp(), zone, zone_name=True)
            )
            section.add_row("Docked for", format_stay(event.docked_seconds()))
        else:
            section.add_row("Departed", "docked now")
            section.add_row("Docked for", f"docked now · {format_stay(event.docked_seconds())}")
        vehicle = event.flight_vehicle
        if vehicle is not None:
            section.add_row("Destination", vehicle.destination)
            if vehicle.mission_end is not None:
                section.add_row(
                    "Mission end",
                    format_time(vehicle.mission_end.timestamp(), zone, zone_name=True),
                )
        craft = event.spacecraft
        if craft is not None:
            section.add_heading("Vehicle")
            section.add_row("Name", craft.name)
            section.add_row("Serial", craft.serial_number)
            section.add_row("Status", craft.status)
            section.add_row("Placeholder", _yes_no(craft.is_placeholder))
            section.add_row("In space now", _yes_no(craft.in_space))
            if craft.time_in_space_s is not None:
                section.add_row("Time in space", format_duration(craft.time_in_space_s))
            if craft.time_docked_s is not None:
                section.add_row("Time docked", format_duration(craft.time_docked_s))
            section.add_row("Flights", _count(craft.flights_count))
            section.add_row("Missions ended", _count(craft.mission_ends_count))
            section.add_paragraph("Description", craft.description)
        for role, key in (("chaser", "payload_flight_chaser"), ("target", "payload_flight_target")):
            payload = _dig(self._raw, key, "payload")
            if payload is not None:  # 2.3.0: a satellite or a module on one side
                section.add_heading(f"Payload ({role})")
                section.add_row("Name", _text(payload.get("name")))
                section.add_row("Type", _text((_dig(payload, "type") or {}).get("name")))
                section.add_row("Operator", _text((_dig(payload, "operator") or {}).get("name")))
        section.show()

    def _config_source(self, event: DockingEvent) -> tuple[Mapping[str, Any] | None, bool]:
        """The config object to show, and whether it is the full record: 2.2.0's detailed
        event holds it; 2.3.0 (``flight_vehicle_chaser``) and 2.4.0 hold a short copy that
        the fetched record replaces."""
        short = _dig(self._raw, "flight_vehicle", "spacecraft", "spacecraft_config") or _dig(
            self._raw, "flight_vehicle_chaser", "spacecraft", "spacecraft_config"
        )
        if event.api_version.startswith("2.2"):
            return short, True
        return (self._records.config, True) if self._records.config else (short, False)

    def _fill_config(self, event: DockingEvent) -> None:
        section = self._sections["config"]
        raw, full = self._config_source(event)
        config: SpacecraftConfig | None = parse_config(raw)
        if config is None or raw is None:
            self._hide(section)
            return
        if not full:
            section.add_row("Details", NOT_FETCHED_TEXT)
        if config.agency is None and event.agency is not None:
            config = dataclasses.replace(config, agency=event.agency)
        self._show_image(section, config.image_url)
        section.add_row("Name", config.name)
        section.add_row("Type", config.type)
        section.add_row("In use", _yes_no(config.in_use))
        section.add_row("Agency", config.agency.name if config.agency else None)
        section.add_row("Human rated", _yes_no(config.human_rated))
        section.add_row("Crew capacity", _count(config.crew_capacity))
        section.add_row("Payload capacity", _count(config.payload_capacity, "kg"))
        section.add_row("Maiden flight", config.maiden_flight)
        section.add_row("Height", _number(config.height, "m"))
        section.add_row("Diameter", _number(config.diameter, "m"))
        section.add_row("Flight life", _text(raw.get("flight_life")))
        section.add_row("Capability", config.capability)
        section.add_row("Wikipedia", config.wiki_link)
        section.add_row("More info", config.info_link)
        section.add_paragraph("Details", config.details)
        section.add_paragraph("History", _text(raw.get("history")))
        section.show()

    def _fill_agency(self, event: DockingEvent) -> None:
        section = self._sections["agency"]
        config_raw, _ = self._config_source(event)
        raw = _dig(config_raw, "agency")
        full = event.api_version.startswith("2.2")
        if not full and self._records.agency is not None:
            raw, full = self._records.agency, True
        agency: Agency | None = parse_agency(raw)
        if agency is None or raw is None:
            self._hide(section)
            return
        if not full:
            section.add_row("Details", NOT_FETCHED_TEXT)
        self._show_image(section, agency.logo_url)
        section.add_row("Name", agency.name)
        section.add_row("Abbreviation", agency.abbrev)
        section.add_row("Type", agency.type)
        section.add_row("Country", agency.country_code)
        section.add_row("Founded", agency.founding_year)
        section.add_row("Administrator", agency.administrator)
        section.add_row("Launchers", _text(raw.get("launchers")))
        section.add_row("Spacecraft", _text(raw.get("spacecraft")))
        section.add_paragraph("Description", agency.description)
        section.show()

    def _fill_port(self, event: DockingEvent) -> None:
        section = self._sections["port"]
        if event.location is None and event.station is None and not self._ports:
            self._hide(section)
            return
        target = event.target
        image = event.station.image_url if event.station else None
        self._show_image(section, image or (target.image_url if target else None))
        section.add_row("Port", event.location.name if event.location else None)
        section.add_row("Station", event.station.name if event.station else None)
        if target is not None and target.kind != "station":
            # 2.3.0: a docking to a spacecraft or a satellite, with no station at all.
            section.add_row("Docked to", f"{target.name or 'unnamed'} ({target.kind_text})")
        if event.chaser is not None and event.chaser.kind != "spacecraft":
            section.add_row(
                "Chaser", f"{event.chaser.name or 'unnamed'} ({event.chaser.kind_text})"
            )
        section.add_heading("Other dockings at this port")
        if not self._ports:
            section.add_widget(
                _plain_label("No other dockings at this port are stored.", selectable=False),
                ["No other dockings at this port are stored."],
            )
        else:
            lines = self._fill_port_list(event.id)
            assert self._port_list is not None
            section.add_widget(self._port_list, lines)
        section.show()

    def _fill_port_list(self, current_id: int) -> list[str]:
        # A new list each time: the section's rows (and the old list with them) are deleted.
        ports = self._port_list = _PortList()
        ports.setAccessibleName("Other dockings at this port")
        ports.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        ports.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        ports.setTextElideMode(Qt.TextElideMode.ElideRight)
        ports.setUniformItemSizes(True)
        ports.itemClicked.connect(self._activate)
        ports.entered.connect(self._activate)
        lines = []
        ordered = sorted(self._ports, key=lambda entry: entry.docking, reverse=True)
        for entry in ordered:
            # Shown on two lines (dates, then the name) so a long name fits a narrow pane;
            # the one-line form goes to section_text and the item's accessible text.
            text = port_docking_text(entry, self._utc)
            dates, name = port_docking_lines(entry, self._utc)
            current = entry.event_id == current_id
            if current:
                dates = f"{dates} · this docking"
                text = f"{text}  (this docking)"
            item = QListWidgetItem(f"{dates}\n{name}" if name else dates)
            item.setData(_EVENT_ID_ROLE, entry.event_id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, text)
            if current:
                font = QFont(ports.font())
                font.setBold(True)
                item.setFont(font)
            ports.addItem(item)
            lines.append(text)
        rows = min(len(ordered), PORT_LIST_ROWS)
        row_height = ports.fontMetrics().lineSpacing() * 2 + 6
        for row in range(len(ordered)):
            ports.item(row).setSizeHint(QSize(0, row_height))
        ports.setFixedHeight(rows * row_height + 2 * ports.frameWidth())
        return lines

    def _hide(self, section: _Section) -> None:
        section.hide()
        if section.image is not None:
            section.image.url = None

    def _show_image(self, section: _Section, url: str | None) -> None:
        if section.image is not None:
            section.image.show_url(url, self._images)

    # -- slots -------------------------------------------------------------------------------

    def _activate(self, item: QListWidgetItem) -> None:
        event_id = item.data(_EVENT_ID_ROLE)
        if not isinstance(event_id, int) or event_id == self._shown_id:
            return
        # Emitted from the event loop: the window answers by calling show_event, which
        # rebuilds this list, and an item view must not lose its items inside its own signal.
        QTimer.singleShot(0, self, lambda: self.eventActivated.emit(event_id))

    def _on_image_ready(self, url: str) -> None:
        for section in self._sections.values():
            box = section.image
            if box is not None and box.url == url:
                box.show_url(url, self._images)

    def _on_image_failed(self, url: str, reason: str) -> None:
        for section in self._sections.values():
            box = section.image
            if box is not None and box.url == url:
                box.show_failure(reason)
