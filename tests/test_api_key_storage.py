"""The API key lives in the system keyring; the settings file holds it only when the person
ticks that for want of a keyring, and then only its owner can read it."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QSettings

from dockview.cli import EXIT_OK, main, setup_logging
from dockview.config import StoredSettings
from dockview.keychain import ACCOUNT, SERVICE
from dockview.settings_file import KeyPlace, load_stored, open_settings, save_stored
from ll2_loopback import LL2TestServer
from tests.conftest import MemoryKeyring

KEY = "keyring-secret-key-0815"


def ini_text(settings: QSettings) -> str:
    settings.sync()
    path = Path(settings.fileName())
    return path.read_text("utf-8") if path.exists() else ""


def test_a_saved_key_goes_to_the_keyring_not_the_file(memory_keyring: MemoryKeyring) -> None:
    settings = open_settings()
    place = save_stored(settings, StoredSettings(api_key=KEY))
    assert place == KeyPlace.KEYRING
    assert memory_keyring.secrets == {(SERVICE, ACCOUNT): KEY}
    assert KEY not in ini_text(settings)
    assert load_stored(open_settings()).api_key == KEY
    save_stored(settings, StoredSettings(api_key=None))
    assert memory_keyring.secrets == {}


def test_a_key_in_an_old_settings_file_moves_to_the_keyring(
    memory_keyring: MemoryKeyring, _isolated_environment: Path
) -> None:
    setup_logging()
    old = open_settings()
    old.setValue("api/key", KEY)
    old.setValue("view/utc", True)
    old.sync()
    stored = load_stored(open_settings())
    assert (stored.api_key, stored.utc) == (KEY, True)
    assert memory_keyring.secrets == {(SERVICE, ACCOUNT): KEY}
    assert KEY not in ini_text(open_settings()) and "utc=true" in ini_text(open_settings())
    assert load_stored(open_settings()).api_key == KEY  # from the keyring now
    assert KEY not in _isolated_environment.read_text("utf-8")


def test_without_a_keyring_the_key_is_kept_for_this_run_only() -> None:
    keyring.set_keyring(fail.Keyring())
    settings = open_settings()
    place = save_stored(settings, StoredSettings(api_key=KEY))
    assert place == KeyPlace.THIS_RUN
    assert KEY not in ini_text(settings)
    assert load_stored(open_settings()).api_key is None


@pytest.mark.skipif(not hasattr(stat, "S_IRWXG"), reason="POSIX permissions")
def test_without_a_keyring_the_ticked_file_is_readable_by_its_owner_only() -> None:
    keyring.set_keyring(fail.Keyring())
    settings = open_settings()
    place = save_stored(settings, StoredSettings(api_key=KEY, key_in_file=True))
    assert place == KeyPlace.FILE
    assert KEY in ini_text(settings)
    assert stat.S_IMODE(Path(settings.fileName()).stat().st_mode) == 0o600
    reloaded = load_stored(open_settings())
    assert (reloaded.api_key, reloaded.key_in_file) == (KEY, True)


def test_an_old_file_key_without_a_keyring_stays_but_is_made_private() -> None:
    keyring.set_keyring(fail.Keyring())
    old = open_settings()
    old.setValue("api/key", KEY)
    old.sync()
    Path(old.fileName()).chmod(0o644)
    assert load_stored(open_settings()).api_key == KEY
    assert stat.S_IMODE(Path(old.fileName()).stat().st_mode) == 0o600


def test_the_command_line_uses_the_keyring_key_and_the_environment_wins(
    memory_keyring: MemoryKeyring,
    ll2_server: LL2TestServer,
    db_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    memory_keyring.set_password(SERVICE, ACCOUNT, KEY)
    common = ["--db", str(db_path), "--api-url", ll2_server.base_url]
    assert main(["sync", "-q", *common]) == EXIT_OK
    assert {r.headers.get("authorization") for r in ll2_server.requests} == {f"Token {KEY}"}
    capsys.readouterr()
    assert main(["info", "--json", *common]) == EXIT_OK
    out = capsys.readouterr().out
    assert json.loads(out)["api_key"] == "set (hidden)" and KEY not in out
    monkeypatch.setenv("DOCKVIEW_API_KEY", "env-key-wins")
    ll2_server.requests.clear()
    assert main(["sync", "-q", *common]) == EXIT_OK
    assert {r.headers.get("authorization") for r in ll2_server.requests} == {"Token env-key-wins"}
