"""The Settings dialog: API URL and key, auto-sync age, time zone.

The file behind it is read and written by :mod:`dockview.settings_file` (re-exported here for
the window). The key goes to the system keyring; where there is none, the dialog says so and
keeps the key for this run, or in the settings file when the person ticks that. The key is
shown masked and never logged.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
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
from dockview.config import StoredSettings
from dockview.errors import ApiError
from dockview.keychain import keyring_available, keyring_name
from dockview.settings_file import (
    APPLICATION,
    ORGANISATION,
    KeyPlace,
    load_stored,
    open_settings,
    read_bool,
    read_bytes,
    read_int,
    read_str,
    save_stored,
)
from dockview.ui.common import named

__all__ = [
    "APPLICATION",
    "ORGANISATION",
    "KeyPlace",
    "SettingsDialog",
    "load_stored",
    "open_settings",
    "read_bool",
    "read_bytes",
    "read_int",
    "read_str",
    "save_stored",
]

NO_KEYRING_NOTE = (
    "No system keyring was found, so the API key is kept for this run only, unless you tick "
    "the box below."
)


class SettingsDialog(QDialog):
    """API URL and key, auto-sync age, time zone."""

    def __init__(
        self, preferences: StoredSettings, *, overridden: str = "", parent: QWidget | None = None
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
        self.has_keyring = keyring_available()
        self.key_note = QLabel(
            f"Kept in the system keyring ({keyring_name()})."
            if self.has_keyring
            else NO_KEYRING_NOTE
        )
        self.key_note.setObjectName("apiKeyNote")
        self.key_note.setWordWrap(True)
        self.key_in_file_box = named(
            QCheckBox("Store the key in the settings file (readable by you only)"),
            "apiKeyInFileBox",
            "Store the API key in the settings file",
        )
        self.key_in_file_box.setChecked(preferences.key_in_file)
        self.key_in_file_box.setVisible(not self.has_keyring)
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
        form.addRow("", self.key_note)
        if not self.has_keyring:
            form.addRow("", self.key_in_file_box)
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

    def key_in_file(self) -> bool:
        """The person's choice to keep the key in the settings file (only without a keyring)."""
        return not self.has_keyring and self.key_in_file_box.isChecked()

    def preferences(self) -> StoredSettings:
        return StoredSettings(
            api_url=normalise_api_url(self.url_field.text()),
            api_key=self.key_field.text().strip() or None,
            auto_sync_hours=self.auto_sync.value(),
            utc=self.zone.currentIndex() == 1,
            key_in_file=self.key_in_file(),
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
