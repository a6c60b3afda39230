"""The settings file (QSettings, an INI file in the user's config folder) read into and
written from :class:`~dockview.config.StoredSettings`, with the API key kept in the keyring.

QtCore only, no widgets: the command line reads the same file as the window and runs without
a display. Every value is read through a typed reader that falls back to the default for
anything of the wrong type or out of range: a hand-edited or damaged file must never stop the
program from starting.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QSettings

from dockview.api import DEFAULT_API_URL, normalise_api_url
from dockview.config import DEFAULT_AUTO_SYNC_HOURS, StoredSettings
from dockview.errors import ApiError
from dockview.keychain import read_key, store_key

log = logging.getLogger(__name__)

ORGANISATION = "dockview"
APPLICATION = "dockview"
KEY_ENTRY = "api/key"
#: Set when the person ticked "store in the settings file" (no keyring): the key stays there.
KEY_IN_FILE_ENTRY = "api/key_in_file"


class KeyPlace(StrEnum):
    """Where a saved API key went."""

    KEYRING = "keyring"
    FILE = "settings file"
    THIS_RUN = "this run only"
    NONE = "none"  # no key


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


def load_stored(settings: QSettings, *, keyring: bool = True) -> StoredSettings:
    """The file's settings, and the key from the keyring. A key an older dockview left in the
    file moves to the keyring here, once, and its line is removed.

    ``keyring=False`` leaves the keyring unasked (``keyring_unread``; see
    :func:`with_keyring_key`): loading and probing keyring's backends costs 100-150 ms, which
    the window would otherwise spend before its first paint."""
    url = read_str(settings, "api/url", DEFAULT_API_URL) or DEFAULT_API_URL
    try:
        url = normalise_api_url(url)
    except ApiError:
        url = DEFAULT_API_URL
    key, unread = _load_key(settings, keyring=keyring)
    return StoredSettings(
        api_url=url,
        api_key=key,
        auto_sync_hours=read_int(settings, "sync/auto_hours", DEFAULT_AUTO_SYNC_HOURS, 0, 24 * 365),
        utc=read_bool(settings, "view/utc", False),
        key_in_file=key is not None and read_bool(settings, KEY_IN_FILE_ENTRY, False),
        keyring_unread=unread,
    )


def with_keyring_key(stored: StoredSettings) -> StoredSettings:
    """``stored`` with the keyring's key, if it was loaded without (else as it is)."""
    if not stored.keyring_unread:
        return stored
    return dataclasses.replace(stored, api_key=read_key(), keyring_unread=False)


def _load_key(settings: QSettings, *, keyring: bool) -> tuple[str | None, bool]:
    """The key, and whether the keyring is still to be asked for it."""
    in_file = read_str(settings, KEY_ENTRY).strip() or None
    if in_file is None:
        return (read_key(), False) if keyring else (None, True)
    return _file_key(settings, in_file), False


def _file_key(settings: QSettings, in_file: str) -> str:
    if read_bool(settings, KEY_IN_FILE_ENTRY, False):
        return in_file  # the person chose the file: no keyring was there
    if store_key(in_file):
        settings.remove(KEY_ENTRY)
        settings.sync()
        log.info("The API key moved from the settings file to the system keyring.")
    else:
        restrict_to_owner(settings)  # it stays where it was: at least not readable by others
    return in_file


def save_stored(settings: QSettings, stored: StoredSettings) -> KeyPlace:
    """Write the settings; the key goes to the keyring, or to the file only when the person
    ticked that (then the file is made readable by its owner only), or nowhere (this run)."""
    settings.setValue("api/url", stored.api_url)
    settings.setValue("sync/auto_hours", stored.auto_sync_hours)
    settings.setValue("view/utc", stored.utc)
    place = _save_key(settings, stored.api_key, key_in_file=stored.key_in_file)
    settings.sync()
    if place == KeyPlace.FILE:
        restrict_to_owner(settings)
    return place


def _save_key(settings: QSettings, key: str | None, *, key_in_file: bool) -> KeyPlace:
    if store_key(key):
        settings.remove(KEY_ENTRY)
        settings.remove(KEY_IN_FILE_ENTRY)
        return KeyPlace.KEYRING if key else KeyPlace.NONE
    if key and key_in_file:
        settings.setValue(KEY_ENTRY, key)
        settings.setValue(KEY_IN_FILE_ENTRY, True)
        return KeyPlace.FILE
    settings.remove(KEY_ENTRY)
    settings.remove(KEY_IN_FILE_ENTRY)
    return KeyPlace.THIS_RUN if key else KeyPlace.NONE


def restrict_to_owner(settings: QSettings) -> None:
    """chmod 600: the file holds a key. (On Windows the user's profile folder is private.)"""
    path = Path(settings.fileName())
    if os.name == "posix" and path.is_file():
        try:
            path.chmod(0o600)
        except OSError as exc:
            log.warning("Could not make %s readable by its owner only: %s", path, exc.strerror)
