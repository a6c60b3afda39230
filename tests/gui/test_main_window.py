"""The window as a person uses it: start offline, find, read, export, sync, come back."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QLabel,
    QMessageBox,
    QTableView,
    QWidget,
)

from dockview.cli import main
from dockview.ui.event_model import COLUMN_INDEX, Column
from dockview.ui.main_window import MainWindow
from ll2_loopback import NON_STATION_IDS, LL2TestServer

MakeWindow = Callable[..., MainWindow]


def summary(window: MainWindow) -> str:
    label = window.findChild(QLabel, "statusSummary")
    assert label is not None
    return label.text()


def test_starts_from_the_cache_with_the_network_gone(
    make_window: MakeWindow, seeded_db: Path, qtbot: Any
) -> None:
    window = make_window(seeded_db)
    window.show()
    table = window.findChild(QTableView, "eventsTable")
    assert table is not None and table.model().rowCount() == 10
    assert summary(window) == "Showing 10 of 10 events"
    window.context.config = dataclasses.replace(window.context.config, auto_sync_hours=1)
    with qtbot.waitSignal(window.syncFinished, timeout=15_000) as finished:
        assert window.maybe_auto_sync()
    assert finished.args == [False]
    assert window.sync_label.text().startswith("Offline — data as of 2026-11-26")
    assert window.retry_button.isVisibleTo(window)
    assert table.model().rowCount() == 10


def test_offline_mode_never_syncs(make_window: MakeWindow, seeded_db: Path) -> None:
    window = make_window(seeded_db, offline=True)
    assert not window.maybe_auto_sync()
    assert not window.sync_now()
    assert window.sync_label.text() == "Offline mode (--offline): sync is off."


def test_a_fresh_cache_shows_the_bundled_sample(make_window: MakeWindow, db_path: Path) -> None:
    window = make_window(db_path, offline=True)
    assert summary(window) == "Showing 10 of 10 events (bundled sample)"


def test_selecting_a_row_fills_the_detail_pane(make_window: MakeWindow, seeded_db: Path) -> None:
    window = make_window(seeded_db, offline=True)
    assert window.select_event(568)
    pane = window.detail_pane
    assert "Crew Dragon Endeavour" in pane.section_text("spacecraft")
    assert "868 d 14 h 14 min" in pane.section_text("spacecraft")
    assert "Crew Dragon 2" in pane.section_text("config")
    assert "SpaceX" in pane.section_text("agency")
    assert "Harmony zenith" in pane.section_text("port")
    assert "Cargo Dragon C209" in pane.section_text("port")  # the port's other docking


def test_clicking_another_docking_at_the_port_selects_it(
    make_window: MakeWindow, seeded_db: Path, qtbot: Any
) -> None:
    window = make_window(seeded_db, offline=True)
    window.select_event(568)
    window.detail_pane.eventActivated.emit(566)
    assert window.current_id() == 566
    assert "Cargo Dragon C209" in window.detail_pane.section_text("spacecraft")


def test_find_every_progress_at_zvezda_aft(
    make_window: MakeWindow, seeded_db: Path, qtbot: Any
) -> None:
    window = make_window(seeded_db, offline=True)
    bar = window.filter_bar
    bar.station_filter.setCurrentIndex(bar.station_filter.findData(4))
    assert bar.port_filter.findData(41) == -1  # Tiangong's ports are not offered for the ISS
    bar.port_filter.setCurrentIndex(bar.port_filter.findData(2))
    qtbot.keyClicks(bar.search_field, "progress")
    with qtbot.waitSignal(bar.filtersChanged, timeout=2000):
        pass
    assert [row.id for row in window.proxy.visible_rows()] == [563]
    assert summary(window) == "Showing 1 of 10 events"
    bar.clear_button.click()
    assert summary(window) == "Showing 10 of 10 events"
    assert bar.search_field.text() == ""


def test_who_is_docked_now(make_window: MakeWindow, seeded_db: Path) -> None:
    window = make_window(seeded_db, offline=True)
    window.filter_bar.docked_now_toggle.setChecked(True)
    assert [row.id for row in window.proxy.visible_rows()] == [620]


def test_keyboard_find_and_escape(make_window: MakeWindow, seeded_db: Path, qtbot: Any) -> None:
    window = make_window(seeded_db, offline=True)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    window.find_action.trigger()
    assert window.focusWidget() is window.filter_bar.search_field
    qtbot.keyClicks(window.filter_bar.search_field, "soyuz")
    qtbot.keyClick(window.filter_bar.search_field, Qt.Key.Key_Escape)
    assert window.filter_bar.search_field.text() == ""


def select_rows(window: MainWindow, ids: list[int]) -> None:
    from PySide6.QtCore import QItemSelectionModel

    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    window.table.clearSelection()
    for event_id in ids:
        row = window.proxy.proxy_row_for_id(event_id)
        assert row is not None
        window.table.selectionModel().select(window.proxy.index(row, 0), flags)


def test_export_three_selected_events(
    make_window: MakeWindow,
    seeded_db: Path,
    open_seed: list[dict[str, Any]],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(seeded_db, offline=True)
    select_rows(window, [568, 572, 620])
    assert window.export_action.text() == "&Export 3 selected events…"
    target = tmp_path / "picked.json"
    offered: list[str] = []

    def save_dialog(parent: Any, caption: str, suggested: str, filters: str) -> tuple[str, str]:
        offered.append(suggested)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    window.export_action.trigger()
    assert Path(offered[0]).name.startswith("dockview-3-events-")
    document = json.loads(target.read_text("utf-8"))
    by_id = {e["id"]: e for e in open_seed}
    assert document["count"] == 3
    assert document["results"] == [by_id[620], by_id[568], by_id[572]] or sorted(
        e["id"] for e in document["results"]
    ) == [568, 572, 620]
    assert {e["id"]: e for e in document["results"]} == {i: by_id[i] for i in (568, 572, 620)}


def test_a_failed_export_is_one_sentence_and_leaves_no_file(
    make_window: MakeWindow, seeded_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window(seeded_db, offline=True)
    select_rows(window, [568])
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    target = tmp_path / "missing-folder" / "x.json"
    assert not window.export_to([568], target)
    assert shown == [f"The folder {target.parent} does not exist; the export was not written."]
    assert not target.parent.exists()


def test_copy_as_json(make_window: MakeWindow, seeded_db: Path) -> None:
    window = make_window(seeded_db, offline=True)
    select_rows(window, [566])
    window.copy_action.trigger()
    copied = json.loads(QApplication.clipboard().text())
    assert [e["id"] for e in copied["results"]] == [566]


def test_sync_through_the_worker_keeps_the_selection(
    make_window: MakeWindow, seeded_db: Path, ll2_server: LL2TestServer, qtbot: Any
) -> None:
    window = make_window(seeded_db, api_url=ll2_server.base_url)
    window.table.sortByColumn(COLUMN_INDEX[Column.DOCKING], Qt.SortOrder.AscendingOrder)
    assert window.select_event(568)
    with qtbot.waitSignal(window.syncFinished, timeout=30_000) as finished:
        assert window.sync_now()
    assert finished.args == [True]
    assert window.current_id() == 568
    assert window.model.rowCount() == 570
    assert summary(window) == "Showing 570 of 570 events"
    times = [row.docking_ts for row in window.proxy.visible_rows()]
    assert times == sorted(times)
    assert window.sync_label.text().startswith("Synced at ")
    assert window.sync_label.text().endswith(
        ": 560 new dockings, 1 departure filled in, 0 changed times, 9 with other changes, "
        "0 gone upstream."
    )
    marks = window.model.marks()
    # The seed rows came in list mode; the server sends detailed objects, so they changed.
    assert sorted(marks.values()).count("new") == 560
    assert marks[568] == "changed"


def test_cancel_stops_a_sync_and_keeps_the_window(
    make_window: MakeWindow, seeded_db: Path, ll2_server: LL2TestServer, qtbot: Any
) -> None:
    ll2_server.inject("slow", delay=20, on_request=1)
    window = make_window(seeded_db, api_url=ll2_server.base_url)
    window.sync_now()
    assert window.cancel_button.isVisibleTo(window)
    with qtbot.waitSignal(window.syncFinished, timeout=30_000) as finished:
        ll2_server.stop()  # ends the slow answer at once
        window.cancel_sync()
    assert finished.args == [False]
    assert window.model.rowCount() == 10


def test_window_state_and_filters_are_remembered(
    make_window: MakeWindow, seeded_db: Path, qtbot: Any
) -> None:
    window = make_window(seeded_db, offline=True)
    window.filter_bar.station_filter.setCurrentIndex(window.filter_bar.station_filter.findData(18))
    window.set_utc(True)
    window.id_column_action.trigger()
    window.table.sortByColumn(COLUMN_INDEX[Column.SPACECRAFT], Qt.SortOrder.AscendingOrder)
    window.close()
    again = make_window(seeded_db, offline=True)
    assert again.proxy.query.station_id == 18
    assert summary(again) == "Showing 2 of 10 events"
    assert again.model.utc and again.utc_action.isChecked()
    assert not again.table.isColumnHidden(COLUMN_INDEX[Column.ID])
    header = again.table.horizontalHeader()
    assert header.sortIndicatorSection() == COLUMN_INDEX[Column.SPACECRAFT]
    assert again.proxy.sortColumn() == COLUMN_INDEX[Column.SPACECRAFT]
    names = [row.chaser or "" for row in again.proxy.visible_rows()]
    assert names == sorted(names, key=str.casefold)


def test_settings_of_the_wrong_type_do_not_stop_the_window(
    make_window: MakeWindow, seeded_db: Path
) -> None:
    from dockview.ui.settings import open_settings

    settings = open_settings()
    for key, value in {
        "window/geometry": "not bytes",
        "window/state": 42,
        "table/header": [1, 2],
        "filters/state": "{broken json",
        "view/utc": "perhaps",
        "sync/auto_hours": "lots",
        "api/url": "ftp://nowhere",
        "api/key": 7,
    }.items():
        settings.setValue(key, value)
    settings.sync()
    window = make_window(seeded_db, offline=True)
    assert summary(window) == "Showing 10 of 10 events"
    assert window.context.preferences.auto_sync_hours == 6
    assert isinstance(QSettings, type)


def test_about_names_source_version_host_and_cache(
    make_window: MakeWindow, seeded_db: Path
) -> None:
    window = make_window(seeded_db, offline=True)
    text = window.about_text()
    assert "The Space Devs, Launch Library 2" in text
    assert "API version 2.2.0 at http://127.0.0.1:9/2.2.0" in text
    assert str(seeded_db) in text


def test_gui_screenshot_from_the_command_line(seeded_db: Path, tmp_path: Path, qtbot: Any) -> None:
    target = tmp_path / "shot.png"
    code = main(
        ["gui", "--db", str(seeded_db), "--offline", "--screenshot", str(target), "--select", "572"]
    )
    assert code == 0
    image = QImage(str(target))
    assert (image.width(), image.height()) == (1720, 980)


def test_a_screenshot_of_an_unknown_event_is_one_sentence(
    seeded_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], qtbot: Any
) -> None:
    code = main(
        [
            "gui",
            "--db",
            str(seeded_db),
            "--offline",
            "--screenshot",
            str(tmp_path / "x.png"),
            "--select",
            "1",
        ]
    )
    assert code == 1
    assert capsys.readouterr().err == "dockview: There is no event 1 in the cache to select.\n"


def test_settings_dialog_masks_the_key_and_refuses_a_bad_url(qtbot: Any) -> None:
    from PySide6.QtWidgets import QLineEdit

    from dockview.config import StoredSettings
    from dockview.ui.settings import SettingsDialog

    dialog = SettingsDialog(
        StoredSettings(
            api_url="https://ll.thespacedevs.com/2.2.0",
            api_key="s3cret",
            auto_sync_hours=6,
            utc=False,
        )
    )
    qtbot.addWidget(dialog)
    assert dialog.key_field.echoMode() == QLineEdit.EchoMode.Password
    dialog.url_field.setText("ftp://example.org/2.2.0")
    dialog.accept()
    assert dialog.result() == 0 and dialog.error.isVisibleTo(dialog)
    assert "http:// or https://" in dialog.error.text()
    dialog.url_field.setText("https://lldev.thespacedevs.com/2.2.0/")
    dialog.accept()
    assert dialog.preferences().api_url == "https://lldev.thespacedevs.com/2.2.0"


def test_settings_offer_the_known_api_versions_by_name_and_any_url(qtbot: Any) -> None:
    from dockview.config import StoredSettings
    from dockview.ui.settings import SettingsDialog

    old = StoredSettings(api_url="https://ll.thespacedevs.com/2.2.0", utc=True)
    dialog = SettingsDialog(old)
    qtbot.addWidget(dialog)
    choice = dialog.version_choice
    names = [choice.itemText(i) for i in range(choice.count())]
    assert names == [
        "2.3.0 (recommended)",
        "2.2.0 (unsupported upstream)",
        "2.4.0 (preview, unreleased)",
        "Another URL",
    ]
    assert choice.currentText() == "2.2.0 (unsupported upstream)"
    choice.activated.emit(2)
    assert dialog.url_field.text() == "https://ll.thespacedevs.com/api/ll/2.4.0"
    dialog.url_field.setText("http://127.0.0.1:8000/2.3.0")
    assert choice.currentText() == "Another URL"
    dialog.url_field.setText("https://ll.thespacedevs.com/2.3.0/")
    assert choice.currentText() == "2.3.0 (recommended)"
    dialog.accept()
    assert dialog.preferences().api_url == "https://ll.thespacedevs.com/2.3.0"


def test_the_app_icon_is_found_through_the_package(qtbot: Any) -> None:
    from dockview.ui.app import app_icon

    assert not app_icon().pixmap(64, 64).isNull()


def test_the_first_sync_replaces_the_sample_without_marking_everything_new(
    make_window: MakeWindow, db_path: Path, ll2_server: LL2TestServer, qtbot: Any
) -> None:
    window = make_window(db_path, api_url=ll2_server.base_url)
    assert summary(window) == "Showing 10 of 10 events (bundled sample)"
    with qtbot.waitSignal(window.syncFinished, timeout=30_000):
        window.sync_now()
    assert summary(window) == "Showing 570 of 570 events"
    assert window.model.marks() == {}


def test_a_corrupt_cache_is_moved_aside_and_the_status_bar_says_so(
    make_window: MakeWindow, db_path: Path
) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is not a database" * 100)
    window = make_window(db_path, offline=True)
    text = window.sync_label.text()
    assert text.startswith("The cache could not be used (it is damaged")
    assert "dockview.db.unusable-" in text and text.endswith("a fresh one was started.")
    assert summary(window) == "Showing 10 of 10 events (bundled sample)"
    moved = [p for p in db_path.parent.iterdir() if ".unusable-" in p.name]
    assert [p.read_bytes() for p in moved if not p.name.endswith(("-wal", "-shm"))] == [
        b"this is not a database" * 100
    ]


def test_plain_http_to_another_host_is_flagged_in_the_window(
    make_window: MakeWindow, seeded_db: Path
) -> None:
    window = make_window(seeded_db, api_url="http://ll.example.org/2.2.0", offline=True)
    assert "plain http" in window.sync_label.text()


def test_the_key_never_shows_in_the_window_or_its_log(
    make_window: MakeWindow,
    seeded_db: Path,
    ll2_server: LL2TestServer,
    qtbot: Any,
    _isolated_environment: Path,
) -> None:
    from PySide6.QtWidgets import QAbstractButton, QLineEdit, QPlainTextEdit, QWidget

    from dockview.cli import setup_logging

    setup_logging()
    key = "window-secret-key-77"
    ll2_server.inject(
        "status", status=401, body=json.dumps({"detail": f"Bad key {key}"}), on_request=3
    )
    window = make_window(seeded_db, api_url=ll2_server.base_url, api_key=key)
    window.show()
    with qtbot.waitSignal(window.syncFinished, timeout=30_000):
        window.sync_now()
    assert "401" in window.sync_label.toolTip()
    window.select_event(568)
    texts = [window.windowTitle(), window.about_text(), window.sync_label.toolTip()]
    for widget in window.findChildren(QWidget):
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            texts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit):
            texts.append(widget.toPlainText())
        texts.append(widget.toolTip())
    assert all(key not in text for text in texts)
    assert all(r.headers["authorization"] == f"Token {key}" for r in ll2_server.requests)
    window.shutdown()
    log_text = _isolated_environment.read_text("utf-8")
    assert "docking_event" in log_text and key not in log_text
    for path in seeded_db.parent.iterdir():
        assert key.encode() not in path.read_bytes()


def test_a_sync_while_another_holds_the_cache_says_so(
    make_window: MakeWindow, seeded_db: Path, ll2_server: LL2TestServer, qtbot: Any
) -> None:
    from dockview.sync import sync_lock

    window = make_window(seeded_db, api_url=ll2_server.base_url)
    with sync_lock(seeded_db), qtbot.waitSignal(window.syncFinished, timeout=10_000):
        window.sync_now()
    assert window.sync_label.text() == (
        "Sync failed: Another dockview is syncing this cache right now; try again when it has "
        "finished."
    )
    assert window.retry_button.isVisibleTo(window)
    assert ll2_server.requests == []


def test_the_spacecraft_list_finds_one_by_typing(
    make_window: MakeWindow, seeded_db: Path, qtbot: Any
) -> None:
    window = make_window(seeded_db, offline=True)
    combo = window.filter_bar.vehicle_filter
    assert combo.count() == 11  # "All spacecraft" and the ten of the seed
    assert combo.itemText(combo.findText("Endeavour", Qt.MatchFlag.MatchContains)) == (
        "Crew Dragon Endeavour (C206) (1)"
    )
    combo.lineEdit().setText("endeavour")
    combo.lineEdit().editingFinished.emit()
    assert [row.id for row in window.proxy.visible_rows()] == [568]
    window.filter_bar.choose_vehicle(None)
    assert summary(window) == "Showing 10 of 10 events"


def test_timeline_and_table_select_each_other(
    make_window: MakeWindow, seeded_db: Path, qtbot: Any
) -> None:
    window = make_window(seeded_db, offline=True)
    window.resize(1400, 900)
    window.show()
    window.show_view("timeline")
    timeline = window.timeline
    assert timeline.objectName() == "timelineView"
    qtbot.waitUntil(lambda: timeline.bar_rect(566) is not None)
    timeline.eventActivated.emit(566)
    assert window.current_id() == 566
    window.show_view("table")
    window.select_event(572)
    assert timeline.selected_event() == 572


def test_a_timeline_first_shown_later_shows_the_selection_and_time_zone_chosen_before(
    make_window: MakeWindow, seeded_db: Path, qtbot: Any
) -> None:
    """The timeline is made when its tab is first clicked: what was chosen before is there."""
    window = make_window(seeded_db, offline=True)
    window.resize(1400, 900)
    window.show()
    window.select_event(572)
    window.set_utc(True)
    tabs = window.views
    tabs.tabBar().setCurrentIndex(1)
    timeline = tabs.currentWidget().findChild(QWidget, "timelineView")
    assert timeline is window.timeline
    assert timeline.selected_event() == 572
    qtbot.waitUntil(lambda: timeline.bar_rect(572) is not None)
    assert timeline.frame().utc  # the axis says "UTC", not "Local time"


def test_the_statistics_follow_the_filters(
    make_window: MakeWindow, seeded_db: Path, qtbot: Any
) -> None:
    window = make_window(seeded_db, offline=True)
    window.show()
    window.show_view("statistics")
    stats = window.statistics_view.statistics()
    assert [g.label for g in stats.by_station] == [
        "International Space Station",
        "Tiangong space station",
    ]
    bar = window.filter_bar
    bar.station_filter.setCurrentIndex(bar.station_filter.findData(18))
    qtbot.waitUntil(lambda: window.statistics_view.statistics().dockings == 2)


def test_screenshots_of_each_view(seeded_db: Path, tmp_path: Path, qtbot: Any) -> None:
    for view in ("timeline", "statistics"):
        target = tmp_path / f"{view}.png"
        argv = ["gui", "--db", str(seeded_db), "--offline", "--view", view]
        assert main([*argv, "--screenshot", str(target)]) == 0
        assert QImage(str(target)).width() == 1720


def test_a_2_3_0_cache_shows_chaser_and_target(
    make_window: MakeWindow, db_path: Path, ll2_server: LL2TestServer, qtbot: Any
) -> None:
    window = make_window(db_path, api_url=ll2_server.base_url_v230)
    with qtbot.waitSignal(window.syncFinished, timeout=30_000) as finished:
        window.sync_now()
    assert finished.args == [True]
    assert window.model.rowCount() == len(ll2_server.events_v230)
    window.filter_bar.search_field.setText("intelsat 901")
    window.filter_bar.flush_search()
    assert [row.id for row in window.proxy.visible_rows()] == [900005]
    cells = {
        column: window.proxy.index(0, COLUMN_INDEX[column]).data()
        for column in (Column.SPACECRAFT, Column.TARGET, Column.STATION)
    }
    assert cells[Column.TARGET] == "Intelsat 901" and cells[Column.STATION] == ""
    assert cells[Column.SPACECRAFT]
    window.select_event(900005)
    assert "Docked to" in window.detail_pane.section_text("port")
    assert "Intelsat 901 (satellite)" in window.detail_pane.section_text("port")


def test_changing_the_api_version_offers_a_full_resync(
    make_window: MakeWindow,
    seeded_db: Path,
    ll2_server: LL2TestServer,
    qtbot: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = make_window(seeded_db, api_url=ll2_server.base_url, url_from="settings")
    with qtbot.waitSignal(window.syncFinished, timeout=30_000):
        window.sync_now()  # a complete 2.2.0 sync first
    marks_before = window.model.marks()
    assert window.select_event(568)
    asked: list[str] = []

    def yes(parent: Any, title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    window.context.config = dataclasses.replace(
        window.context.config, api_url=ll2_server.base_url_v230
    )
    with qtbot.waitSignal(window.syncFinished, timeout=30_000) as finished:
        assert window.offer_full_resync(ll2_server.base_url)
    assert finished.args == [True]
    assert asked and asked[0].startswith("You switched from API 2.2.0 to 2.3.0.")
    assert window.model.rowCount() == len(ll2_server.events_v230)
    # A switch is not a list of changes: the marks stay, and only the dockings that 2.3.0
    # alone holds are new.
    assert window.model.marks() == {**marks_before, **dict.fromkeys(NON_STATION_IDS, "new")}
    assert window.current_id() == 568
    assert sorted(window.changes_panel.event_ids()) == sorted(NON_STATION_IDS)


def test_a_chosen_2_2_0_is_noted_once_in_the_status_bar(
    make_window: MakeWindow, seeded_db: Path, ll2_server: LL2TestServer, qtbot: Any
) -> None:
    window = make_window(seeded_db, api_url=ll2_server.base_url, url_from="settings")
    with qtbot.waitSignal(window.syncFinished, timeout=30_000):
        window.sync_now()
    note = window.statusBar().currentMessage()
    assert note.startswith("The API's own documentation lists version 2.2.0 as unsupported")
    assert note.endswith("dockview keeps using 2.2.0 because it was chosen.")
    window.statusBar().clearMessage()
    qtbot.waitUntil(lambda: not window.syncing)
    with qtbot.waitSignal(window.syncFinished, timeout=30_000):
        window.sync_now()
    assert window.statusBar().currentMessage() == ""


def test_a_retired_2_2_0_is_explained_in_the_status_bar(
    make_window: MakeWindow, seeded_db: Path, ll2_server: LL2TestServer, qtbot: Any
) -> None:
    ll2_server.retire_v220 = 410
    window = make_window(seeded_db, api_url=ll2_server.base_url)
    with qtbot.waitSignal(window.syncFinished, timeout=30_000) as finished:
        window.sync_now()
    assert finished.args == [False]
    text = window.sync_label.text()
    assert text.startswith("Sync failed: The API at 127.0.0.1:")
    assert "API version 2.2.0 looks retired" in text
    assert f"Switch to 2.3.0 with --api-url {ll2_server.base_url_v230}" in text
    assert window.model.rowCount() == 10
