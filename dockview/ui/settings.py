"""Remembered settings (QSettings) and the Settings dialog.

Every value is read through a typed reader that falls back to the default for anything of the
wrong type or out of range: a hand-edited or damaged settings file must never stop the window
from starting. The API key is stored here when entered in the dialog; it is shown masked and
never logged.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dockview.api import DEFAULT_API_URL, KNOWN_VERSIONS, normalise_api_url
from dockview.errors import ApiError
from dockview.ui.common import named

ORGANISATION = "dockview"
APPLICATION = "dockview"
DEFAULT_AUTO_SYNC_HOURS = 6


def open_settings() -> QSettings:
    """An INI file in the user's config folder on every platform: readable, and easy to move."""
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
    )


def read_str(settings: QSettings, key: str, default: str = "") -> str:
    value = settings.value(key, default)
    return value if isinstance(value, str) else default


def read_int(settings: QSettings, key: str, default: int, low: int, high: int) -> int:
    value = settings.value(key, default)
    try:
        number = int(value) if isinstance(value, int | str) else default
    except ValueError:
        return default
    return number if low <= number <= high else default


def read_bool(settings: QSettings, key: str, default: bool) -> bool:
    value = settings.value(key, default)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return default


def read_bytes(settings: QSettings, key: str) -> bytes | None:
    value = settings.value(key)
    if isinstance(value, bytes | bytearray):
        return bytes(value)
    if hasattr(value, "data"):  # QByteArray
        data = value.data()
        return bytes(data) if isinstance(data, bytes | bytearray) else None
    return None


@dataclass(frozen=True)
class Preferences:
    api_url: str
    api_key: str | None
    auto_sync_hours: int
    utc: bool


def load_preferences(settings: QSettings) -> Preferences:
    url = read_str(settings, "api/url", DEFAULT_API_URL) or DEFAULT_API_URL
    try:
        url = normalise_api_url(url)
    except ApiError:
        url = DEFAULT_API_URL
    key = read_str(settings, "api/key").strip() or None
    return Preferences(
        api_url=url,
        api_key=key,
        auto_sync_hours=read_int(settings, "sync/auto_hours", DEFAULT_AUTO_SYNC_HOURS, 0, 24 * 365),
        utc=read_bool(settings, "view/utc", False),
    )


def save_preferences(settings: QSettings, preferences: Preferences) -> None:
    settings.setValue("api/url", preferences.api_url)
    if preferences.api_key:
        settings.setValue("api/key", preferences.api_key)
    else:
        settings.remove("api/key")
    settings.setValue("sync/auto_hours", preferences.auto_sync_hours)
    settings.setValue("view/utc", preferences.utc)
    settings.sync()


class SettingsDialog(QDialog):
    """API URL and key, auto-sync age, time zone."""

    def __init__(
        self, preferences: Preferences, *, overridden: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.url_field = named(QLineEdit(preferences.api_url), "apiUrlField", "API URL")
        self.url_field.setToolTip(
            f"The Launch Library 2 base URL, with its version, e.g. {DEFAULT_API_URL}"
        )
        self.key_field = named(QLineEdit(preferences.api_key or ""), "apiKeyField", "API key")
        self.key_field.setEchoMode(QLineEdit.EchoMode.Password)
        self.key_field.setPlaceholderText("none (free use: 15 requests an hour)")
        self.auto_sync = named(QSpinBox(), "autoSyncHours", "Sync automatically after")
        self.auto_sync.setRange(0, 24 * 365)
        self.auto_sync.setSuffix(" h")
        self.auto_sync.setSpecialValueText("never")
        self.auto_sync.setValue(preferences.auto_sync_hours)
        self.zone = named(QComboBox(), "timeZoneChoice", "Show times in")
        self.zone.addItems(["Local time", "UTC"])
        self.zone.setCurrentIndex(1 if preferences.utc else 0)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setVisible(False)

        self.version_choice = self._version_choice()
        form = QFormLayout()
        form.addRow("API &version", self.version_choice)
        form.addRow("API &URL", self.url_field)
        form.addRow("API &key", self.key_field)
        form.addRow("&Sync when data is older than", self.auto_sync)
        form.addRow("Show &times in", self.zone)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if overridden:
            note = QLabel(overridden)
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def _version_choice(self) -> QComboBox:
        """The known versions by name (any other URL stays possible): picking one fills the
        URL field, and typing a URL picks the version it names."""
        choice = named(QComboBox(), "apiVersionChoice", "API version")
        for version, (url, status) in KNOWN_VERSIONS.items():
            choice.addItem(f"{version} ({status})", url)
        choice.addItem("Another URL", "")
        choice.activated.connect(self._version_picked)
        self.url_field.textChanged.connect(self._url_typed)
        self._url_typed(self.url_field.text(), choice)
        return choice

    def _version_picked(self, index: int) -> None:
        url = self.version_choice.itemData(index)
        if url:
            self.url_field.setText(url)

    def _url_typed(self, text: str, choice: QComboBox | None = None) -> None:
        choice = choice or self.version_choice
        index = choice.findData(text.strip().rstrip("/"))
        choice.setCurrentIndex(index if index >= 0 else choice.count() - 1)

    def preferences(self) -> Preferences:
        return Preferences(
            api_url=normalise_api_url(self.url_field.text()),
            api_key=self.key_field.text().strip() or None,
            auto_sync_hours=self.auto_sync.value(),
            utc=self.zone.currentIndex() == 1,
        )

    def accept(self) -> None:
        try:
            self.preferences()
        except ApiError as exc:
            self.error.setText(str(exc))
            self.error.setVisible(True)
            self.url_field.setFocus()
            return
        super().accept()
