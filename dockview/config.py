"""One settings object: where the API is, its key, when data is stale, the time zone.

Resolved once, by :func:`resolve_settings`, with one precedence: the command line, then the
environment, then the settings file (and the system keyring for the key), then the defaults.
The command line and the window both take the :class:`Settings` it returns. Qt-free: the file
is read by :mod:`dockview.settings_file`, which hands over a :class:`StoredSettings`.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from dockview.api import DEFAULT_API_URL, normalise_api_url
from dockview.store import default_db_path

ENV_API_URL = "DOCKVIEW_API_URL"
ENV_API_KEY = "DOCKVIEW_API_KEY"
ENV_DB = "DOCKVIEW_DB"
DEFAULT_AUTO_SYNC_HOURS = 6


class Source(StrEnum):
    """Where a setting in use came from, as the Settings dialog names it."""

    COMMAND_LINE = "command line"
    ENVIRONMENT = "environment"
    SETTINGS = "settings"
    DEFAULT = "default"


@dataclass(frozen=True)
class StoredSettings:
    """What the settings file holds (the key: what the keyring holds), already checked: a
    damaged value has become its default on the way in."""

    api_url: str = DEFAULT_API_URL
    api_key: str | None = None
    auto_sync_hours: int = DEFAULT_AUTO_SYNC_HOURS
    utc: bool = False
    #: The person ticked "store the key in the settings file" (there was no keyring).
    key_in_file: bool = False
    #: The keyring was not asked yet (``api_key`` is then None): the window asks it when a
    #: sync or the Settings dialog first needs the key, not before its first paint.
    keyring_unread: bool = False


@dataclass(frozen=True)
class Settings:
    """The settings in use. The API key is never given on the command line (it would show in
    the process list and the shell's history), and never shown: ``repr`` hides it."""

    db_path: Path
    api_url: str
    api_key: str | None = dataclasses.field(repr=False)
    auto_sync_hours: int
    utc: bool
    url_from: Source
    key_from: Source

    def with_keyring_key(self, stored: StoredSettings) -> Settings:
        """Once the keyring has been read: its key, unless DOCKVIEW_API_KEY already gave one."""
        if self.key_from == Source.ENVIRONMENT or not stored.api_key:
            return self
        return dataclasses.replace(self, api_key=stored.api_key, key_from=Source.SETTINGS)

    def with_stored(self, stored: StoredSettings) -> Settings:
        """After the Settings dialog: the new stored values, except where the command line or
        the environment still win."""
        overridden = (Source.COMMAND_LINE, Source.ENVIRONMENT)
        url_kept = self.url_from in overridden
        key_kept = self.key_from in overridden
        return dataclasses.replace(
            self,
            api_url=self.api_url if url_kept else stored.api_url,
            url_from=self.url_from if url_kept else Source.SETTINGS,
            api_key=self.api_key if key_kept else stored.api_key,
            key_from=self.key_from if key_kept else Source.SETTINGS,
            auto_sync_hours=stored.auto_sync_hours,
            utc=stored.utc,
        )


def resolve_settings(
    *,
    db_path: str | Path | None = None,
    api_url: str | None = None,
    environ: Mapping[str, str] | None = None,
    stored: StoredSettings | None = None,
) -> Settings:
    """The one place precedence is decided. ``db_path`` and ``api_url`` are the command line's
    (None: not given). A bad URL from the command line or the environment raises
    :class:`~dockview.errors.ApiError` with one sentence; the stored one was checked on reading.
    """
    env = os.environ if environ is None else environ
    kept = stored or StoredSettings()
    db = db_path or env.get(ENV_DB) or default_db_path()
    if api_url:
        url, url_from = normalise_api_url(api_url), Source.COMMAND_LINE
    elif env.get(ENV_API_URL):
        url, url_from = normalise_api_url(env[ENV_API_URL]), Source.ENVIRONMENT
    elif stored is not None:
        url, url_from = kept.api_url, Source.SETTINGS
    else:
        url, url_from = DEFAULT_API_URL, Source.DEFAULT
    key: str | None = env.get(ENV_API_KEY, "").strip() or None
    if key:
        key_from = Source.ENVIRONMENT
    else:
        key, key_from = kept.api_key, Source.SETTINGS if kept.api_key else Source.DEFAULT
    return Settings(
        db_path=Path(db).expanduser(),
        api_url=url,
        api_key=key,
        auto_sync_hours=kept.auto_sync_hours,
        utc=kept.utc,
        url_from=url_from,
        key_from=key_from,
    )
