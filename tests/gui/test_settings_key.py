"""The Settings dialog and the API key: the keyring, or a plain word about where it is kept."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail

from dockview.config import StoredSettings
from dockview.keychain import ACCOUNT, SERVICE
from dockview.settings_file import open_settings
from dockview.ui.main_window import MainWindow
from dockview.ui.settings import NO_KEYRING_NOTE, SettingsDialog
from ll2_loopback import LL2TestServer
from tests.conftest import MemoryKeyring

KEY = "dialog-secret-key-4711"
MakeWindow = Callable[..., MainWindow]


def test_with_a_keyring_the_dialog_says_where_the_key_goes(qtbot: Any) -> None:
    dialog = SettingsDialog(StoredSettings())
    qtbot.addWidget(dialog)
    assert dialog.key_note.text().startswith("Kept in the system keyring")
    assert not dialog.key_in_file_box.isVisibleTo(dialog)
    assert not dialog.key_in_file()


def test_without_a_keyring_the_dialog_says_so_and_offers_the_file(qtbot: Any) -> None:
    keyring.set_keyring(fail.Keyring())
    dialog = SettingsDialog(StoredSettings())
    qtbot.addWidget(dialog)
    assert dialog.key_note.text() == NO_KEYRING_NOTE
    assert dialog.key_in_file_box.isVisibleTo(dialog) and not dialog.key_in_file()
    dialog.key_in_file_box.setChecked(True)
    assert dialog.key_in_file()


def accept_with_key(monkeypatch: pytest.MonkeyPatch, *, tick: bool = False) -> None:
    def fill_and_accept(dialog: SettingsDialog) -> int:
        dialog.key_field.setText(KEY)
        dialog.key_in_file_box.setChecked(tick)
        return SettingsDialog.DialogCode.Accepted.value

    monkeypatch.setattr(SettingsDialog, "exec", fill_and_accept)


def test_a_key_entered_in_the_window_is_used_and_kept_in_the_keyring(
    make_window: MakeWindow,
    seeded_db: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(seeded_db)
    accept_with_key(monkeypatch)
    window.open_settings()
    assert window.context.api_key == KEY
    assert memory_keyring.secrets == {(SERVICE, ACCOUNT): KEY}
    assert KEY not in Path(open_settings().fileName()).read_text("utf-8")


def test_without_a_keyring_the_window_keeps_the_key_for_this_run(
    make_window: MakeWindow, seeded_db: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    keyring.set_keyring(fail.Keyring())
    window = make_window(seeded_db)
    accept_with_key(monkeypatch)
    window.open_settings()
    assert window.context.api_key == KEY
    assert "kept until dockview closes" in window.statusBar().currentMessage()
    assert KEY not in Path(open_settings().fileName()).read_text("utf-8")
    accept_with_key(monkeypatch, tick=True)
    window.open_settings()
    assert KEY in Path(open_settings().fileName()).read_text("utf-8")
    again = SettingsDialog(window.context.preferences)  # the tick is remembered
    qtbot.addWidget(again)
    assert again.key_in_file_box.isChecked()


def test_the_environment_key_wins_over_the_dialog(
    make_window: MakeWindow, seeded_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(seeded_db, api_key="env-key-1")
    accept_with_key(monkeypatch)
    window.open_settings()
    assert window.context.api_key == "env-key-1"


def test_the_keyring_key_is_asked_for_when_a_sync_needs_it_not_at_start(
    seeded_db: Path, memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch, qtbot: Any
) -> None:
    """The window starts as ``dockview gui`` starts it (the keyring unasked: it is slow to
    load); the key the keyring holds is still the one a sync sends."""
    from dockview.cli import build_parser, resolve
    from dockview.ui.app import WindowOptions, build_window

    memory_keyring.set_password(SERVICE, ACCOUNT, KEY)
    asked: list[str] = []
    reader = memory_keyring.get_password

    def get_password(service: str, username: str) -> str | None:
        asked.append(username)
        return reader(service, username)

    monkeypatch.setattr(memory_keyring, "get_password", get_password)
    settings = resolve(build_parser().parse_args(["gui", "--db", str(seeded_db)]))
    window = build_window(WindowOptions(settings=settings, offline=True))
    qtbot.addWidget(window)
    try:
        assert asked == []
        assert window.context.api_key == KEY  # what a sync sends
        assert asked == [ACCOUNT]
        assert window.context.preferences.api_key == KEY
        assert KEY not in repr(window.context.config)
    finally:
        window.shutdown()


def test_a_window_sync_sends_the_keyring_key_read_off_the_gui_thread(
    seeded_db: Path, memory_keyring: MemoryKeyring, ll2_server: LL2TestServer, qtbot: Any
) -> None:
    """The window starts with the keyring unasked; its first sync reads the key in the sync's
    own thread (loading the keyring holds whoever asks), and sends it."""
    from dockview.cli import build_parser, resolve
    from dockview.ui.app import WindowOptions, build_window

    memory_keyring.set_password(SERVICE, ACCOUNT, KEY)
    argv = ["gui", "--db", str(seeded_db), "--api-url", ll2_server.base_url_v230]
    window = build_window(WindowOptions(settings=resolve(build_parser().parse_args(argv))))
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(window.syncFinished, timeout=60_000):
            assert window.sync_now()
        assert ll2_server.requests
        assert {r.headers.get("authorization") for r in ll2_server.requests} == {f"Token {KEY}"}
        assert KEY not in window.sync_label.text()
    finally:
        window.shutdown()
