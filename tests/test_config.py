"""One settings object, resolved once: command line, then environment, then settings file."""

from __future__ import annotations

from pathlib import Path

import pytest

from dockview.api import DEFAULT_API_URL
from dockview.config import Settings, Source, StoredSettings, resolve_settings
from dockview.errors import ApiError

CLI_URL = "https://cli.example.org/2.2.0"
ENV_URL = "https://env.example.org/2.3.0"
FILE_URL = "https://file.example.org/2.2.0"
STORED = StoredSettings(api_url=FILE_URL, api_key="file-key", auto_sync_hours=3, utc=True)


def test_the_command_line_wins_then_the_environment_then_the_file() -> None:
    env = {"DOCKVIEW_API_URL": ENV_URL, "DOCKVIEW_API_KEY": "env-key"}
    both = resolve_settings(api_url=CLI_URL + "/", environ=env, stored=STORED)
    assert (both.api_url, both.url_from) == (CLI_URL, Source.COMMAND_LINE)
    assert (both.api_key, both.key_from) == ("env-key", Source.ENVIRONMENT)
    environment = resolve_settings(environ=env, stored=STORED)
    assert (environment.api_url, environment.url_from) == (ENV_URL, Source.ENVIRONMENT)
    stored = resolve_settings(environ={}, stored=STORED)
    assert (stored.api_url, stored.url_from) == (FILE_URL, Source.SETTINGS)
    assert (stored.api_key, stored.key_from) == ("file-key", Source.SETTINGS)
    assert (stored.auto_sync_hours, stored.utc) == (3, True)
    nothing = resolve_settings(environ={})
    assert (nothing.api_url, nothing.url_from, nothing.api_key) == (
        DEFAULT_API_URL,
        Source.DEFAULT,
        None,
    )


def test_the_cache_path_comes_from_the_command_line_then_the_environment(
    tmp_path: Path,
) -> None:
    env = {"DOCKVIEW_DB": str(tmp_path / "env.db")}
    assert resolve_settings(db_path=tmp_path / "cli.db", environ=env).db_path == tmp_path / "cli.db"
    assert resolve_settings(environ=env).db_path == tmp_path / "env.db"


def test_a_bad_url_from_the_environment_is_one_sentence() -> None:
    with pytest.raises(ApiError, match="must start with http:// or https://"):
        resolve_settings(environ={"DOCKVIEW_API_URL": "ll.example.org"})


def test_a_blank_environment_key_does_not_hide_the_stored_one() -> None:
    settings = resolve_settings(environ={"DOCKVIEW_API_KEY": "  "}, stored=STORED)
    assert (settings.api_key, settings.key_from) == ("file-key", Source.SETTINGS)


def test_after_the_dialog_the_command_line_and_environment_still_win() -> None:
    settings = resolve_settings(
        api_url=CLI_URL, environ={"DOCKVIEW_API_KEY": "env-key"}, stored=STORED
    )
    changed = StoredSettings(api_url=ENV_URL, api_key="new", auto_sync_hours=0, utc=False)
    after = settings.with_stored(changed)
    assert (after.api_url, after.api_key) == (CLI_URL, "env-key")
    assert (after.auto_sync_hours, after.utc) == (0, False)
    from_file = resolve_settings(environ={}, stored=STORED).with_stored(changed)
    assert (from_file.api_url, from_file.api_key) == (ENV_URL, "new")


def test_the_key_is_not_in_the_settings_repr() -> None:
    settings: Settings = resolve_settings(environ={"DOCKVIEW_API_KEY": "hidden-key-123"})
    assert "hidden-key-123" not in repr(settings)
