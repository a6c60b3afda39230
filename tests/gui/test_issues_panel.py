"""The Data issues panel, doubtful open dockings and the occupancy page, as a person uses them."""

from __future__ import annotations

import copy
import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from dockview.checks import IssueKind
from dockview.cli import main
from dockview.records import parse_events
from dockview.store import Store
from dockview.ui.event_model import COLUMN_INDEX, Column
from dockview.ui.main_window import MainWindow

MakeWindow = Callable[..., MainWindow]


@pytest.fixture
def flawed_db(db_path: Path, open_seed: list[dict[str, Any]]) -> Path:
    """The seed with Soyuz MS-27 (620) open although it is no longer in space, Endeavour's
    flight (568) also at Harmony zenith at the same time, and Progress MS-26's (563) mission
    ending before its departure."""
    events = copy.deepcopy(open_seed)
    endeavour = next(e for e in events if e["id"] == 568)
    twin = copy.deepcopy(endeavour)
    twin["id"] = 9568
    twin["docking_location"] = copy.deepcopy(
        next(e for e in events if e["id"] == 528)["docking_location"]
    )
    progress = next(e for e in events if e["id"] == 563)
    progress["flight_vehicle"]["mission_end"] = "2024-08-12T00:00:00Z"
    with Store(db_path) as store:
        parsed, _ = parse_events([*events, twin])
        store.write_page(parsed, source_url="https://ll.thespacedevs.com/2.2.0")
    return db_path


def shown_lines(window: MainWindow) -> list[tuple[str, list[str]]]:
    model = window.issues_panel.model
    lines = []
    for group in range(model.rowCount()):
        kind = model.index(group, 0)
        lines.append(
            (
                kind.data(),
                [model.index(row, 1, kind).data() for row in range(model.rowCount(kind))],
            )
        )
    return lines


def checked(window: MainWindow, qtbot: Any) -> MainWindow:
    qtbot.waitUntil(lambda: window.issues_panel.report().checked > 0)
    return window


def test_issues_grouped_by_kind_with_counts_and_in_the_status_bar(
    make_window: MakeWindow, flawed_db: Path, qtbot: Any, qtmodeltester: Any
) -> None:
    window = checked(make_window(flawed_db, offline=True), qtbot)
    qtbot.waitUntil(lambda: window.issues_panel.model.rowCount() == 3)
    assert shown_lines(window) == [
        ("Stale open docking (1)", ["620"]),
        ("Same flight twice (1)", ["568, 9568"]),
        ("Mission end before departure (1)", ["563"]),
    ]
    assert window.issues_panel.status_label.text() == "3 data issues"
    assert window.issues_panel.summary.text().startswith("3 data issues, of 3 kinds.")
    qtmodeltester.check(window.issues_panel.model)


def test_clicking_an_issue_selects_its_events_in_the_table_and_on_the_timeline(
    make_window: MakeWindow, flawed_db: Path, qtbot: Any
) -> None:
    window = checked(make_window(flawed_db, offline=True), qtbot)
    panel = window.issues_panel
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3)
    kind = panel.model.index(1, 0)
    panel.tree.clicked.emit(panel.model.index(0, 0, kind))
    assert sorted(window.selected_ids()) == [568, 9568]
    assert window.current_id() == 568
    assert window.timeline.marked_events() == {568, 9568}
    window.select_event(620)  # one row again: no marks besides the selected bar
    assert window.timeline.marked_events() == frozenset()


def test_an_issue_hidden_by_the_filters_clears_them_to_select_its_events(
    make_window: MakeWindow, flawed_db: Path, qtbot: Any
) -> None:
    window = checked(make_window(flawed_db, offline=True), qtbot)
    bar = window.filter_bar
    bar.station_filter.setCurrentIndex(bar.station_filter.findData(18))  # Tiangong
    qtbot.waitUntil(lambda: window.issues_panel.model.rowCount() == 0)
    assert window.issues_panel.status_label.text() == "No data issues"
    assert window.issues_panel.summary.text() == "0 data issues among the events shown."
    assert window.select_events([563]) == 1
    assert window.proxy.is_filtered() is False
    qtbot.waitUntil(lambda: window.issues_panel.model.rowCount() == 3)


def test_docked_now_marks_stale_open_dockings_and_can_hide_them(
    make_window: MakeWindow, flawed_db: Path, qtbot: Any
) -> None:
    window = checked(make_window(flawed_db, offline=True), qtbot)
    panel = window.docked_now_panel
    qtbot.waitUntil(lambda: "(doubtful)" in (panel.model.index(0, 0).data() or ""))
    assert panel.model.index(0, 0).data() == "Soyuz MS-27 (doubtful)"
    assert panel.summary.text().startswith("1 vehicle docked now (1 doubtful")
    panel.hide_doubtful.setChecked(True)
    assert panel.model.rowCount() == 0
    assert "1 doubtful hidden" in panel.summary.text()


def test_statistics_can_leave_stale_open_dockings_out(
    make_window: MakeWindow, flawed_db: Path, qtbot: Any
) -> None:
    window = checked(make_window(flawed_db, offline=True), qtbot)
    window.show_view("statistics")
    stats = window.statistics_view
    assert stats.statistics().dockings == 11
    assert stats.leave_out_doubtful.text() == "Leave out doubtful open dockings (1)"
    stats.leave_out_doubtful.setChecked(True)
    qtbot.waitUntil(lambda: stats.statistics().dockings == 10)
    assert stats.statistics().docked_now == 0


def test_ctrl_3_shows_and_hides_the_panel(
    make_window: MakeWindow, flawed_db: Path, qtbot: Any
) -> None:
    window = make_window(flawed_db, offline=True)
    toggle = window.issues_dock.toggleViewAction()
    assert toggle.shortcut() == QKeySequence("Ctrl+3")
    assert toggle.text() == "Data issues"
    window.show()
    toggle.trigger()
    assert window.issues_dock.isHidden()
    toggle.trigger()
    assert not window.issues_dock.isHidden()


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_export_the_list(
    make_window: MakeWindow,
    flawed_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: Any,
    suffix: str,
) -> None:
    window = checked(make_window(flawed_db, offline=True), qtbot)
    target = tmp_path / f"issues.{suffix}"

    def choose(parent: QWidget, caption: str, folder: str, filters: str) -> tuple[str, str]:
        return str(target), filters.split(";;")[0]

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    qtbot.mouseClick(window.issues_panel.export_button, Qt.MouseButton.LeftButton)
    if suffix == "json":
        document = json.loads(target.read_text(encoding="utf-8"))
        assert document["checked"] == 11
        assert [(i["kind"], i["event_ids"]) for i in document["issues"]] == [
            ("stale_open_docking", [620]),
            ("same_flight_twice", [568, 9568]),
            ("mission_end_before_departure", [563]),
        ]
    else:
        with target.open(encoding="utf-8", newline="") as handle:
            lines = list(csv.reader(handle))
        assert lines[0] == ["Kind", "Event ids", "Message"]
        assert lines[2][:2] == ["same_flight_twice", "568 9568"]
    assert window.issues_panel.summary.text() == f"Wrote 3 data issues to issues.{suffix}."
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".issues")] == []


def test_an_export_that_cannot_be_written_is_one_sentence(
    make_window: MakeWindow,
    flawed_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: Any,
) -> None:
    window = checked(make_window(flawed_db, offline=True), qtbot)
    missing = tmp_path / "gone" / "issues.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(missing), ""))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda p, t, text, *r: warnings.append(text))
    window.issues_panel.export_dialog()
    assert warnings == [f"The folder {missing.parent} does not exist; the export was not written."]


def test_a_sync_that_fixes_the_data_clears_its_issue(
    make_window: MakeWindow, flawed_db: Path, open_seed: list[dict[str, Any]], qtbot: Any
) -> None:
    window = checked(make_window(flawed_db, offline=True), qtbot)
    events = copy.deepcopy(open_seed)
    progress = next(e for e in events if e["id"] == 563)
    progress["flight_vehicle"] = copy.deepcopy(progress["flight_vehicle"])
    progress["flight_vehicle"]["mission_end"] = "2024-08-13T05:49:00Z"
    with Store(flawed_db) as store:
        parsed, _ = parse_events([progress])
        store.write_page(parsed, source_url="https://ll.thespacedevs.com/2.2.0")
    window.load_from_cache()
    qtbot.waitUntil(lambda: window.issues_panel.model.rowCount() == 2)
    assert IssueKind.MISSION_END_BEFORE_DEPARTURE not in window.issues_panel.report().by_kind()


# -- the occupancy page -------------------------------------------------------------------------


def test_occupancy_follows_the_filters_and_exports_csv(
    make_window: MakeWindow,
    flawed_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: Any,
    qtmodeltester: Any,
) -> None:
    window = make_window(flawed_db, offline=True)
    window.show()
    window.show_view("occupancy")
    occupancy = window.statistics_view.occupancy_view
    qtbot.waitUntil(lambda: len(occupancy.chart.stations()) == 2)
    labels = [station.label for station in occupancy.chart.stations()]
    assert labels == ["International Space Station", "Tiangong space station"]
    qtmodeltester.check(occupancy.model)
    bar = window.filter_bar
    bar.station_filter.setCurrentIndex(bar.station_filter.findData(18))
    qtbot.waitUntil(lambda: len(occupancy.chart.stations()) == 1)
    (tiangong,) = occupancy.chart.stations()
    # Tianzhou-7 from 2024-01-17 and Shenzhou 18 from 04-25 overlap until 2024-11-03.
    assert tiangong.peak_label() == "2 vehicles, 2024-04-25"
    rows = [
        [occupancy.model.index(r, c).data() for c in range(4)]
        for r in range(occupancy.model.rowCount())
    ]
    # By port: Tianzhou-7 297 d 14 h 44 min of leap 2024's 366 days, Shenzhou 18 191 d 12 h 40 min.
    assert rows == [
        ["Tianhe aft (Tiangong space station)", "2024", "297.6", "81.3 %"],
        ["Tianhe nadir (Tiangong space station)", "2024", "191.5", "52.3 %"],
    ]
    target = tmp_path / "steps.csv"
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        lambda *a: (str(target), "Vehicles docked over time (*.csv)"),
    )
    qtbot.mouseClick(occupancy.export_button, Qt.MouseButton.LeftButton)
    with target.open(encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    assert lines[0] == ["Station", "Station id", "From (UTC)", "Vehicles docked"]
    assert [line[3] for line in lines[1:]] == ["1", "2", "1", "0"]


def test_screenshots_of_the_panel_and_the_chart(
    flawed_db: Path, tmp_path: Path, qtbot: Any
) -> None:
    for view in ("issues", "occupancy"):
        target = tmp_path / f"{view}.png"
        argv = ["gui", "--db", str(flawed_db), "--offline", "--view", view]
        assert main([*argv, "--screenshot", str(target)]) == 0
        assert QImage(str(target)).width() == 1720


def test_behind_another_tab_the_panel_keeps_its_count_and_lists_when_raised(
    make_window: MakeWindow, flawed_db: Path, qtbot: Any
) -> None:
    window = make_window(flawed_db, offline=True)
    window.show()
    qtbot.waitExposed(window)
    window.docked_now_dock.raise_()  # the Data issues tab lies behind it, as at start
    panel = checked(window, qtbot).issues_panel  # checked once the window has painted
    bar = window.filter_bar
    bar.station_filter.setCurrentIndex(bar.station_filter.findData(18))  # Tiangong
    qtbot.waitUntil(lambda: panel.status_label.text() == "No data issues")
    bar.station_filter.setCurrentIndex(0)
    qtbot.waitUntil(lambda: panel.status_label.text() == "3 data issues")
    window.issues_dock.raise_()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3)
    assert [kind for kind, _ in shown_lines(window)] == [
        "Stale open docking (1)",
        "Same flight twice (1)",
        "Mission end before departure (1)",
    ]


def test_the_issues_listed_are_those_of_the_events_shown_whatever_the_filter_and_order(
    make_window: MakeWindow, flawed_db: Path, qtbot: Any
) -> None:
    window = checked(make_window(flawed_db, offline=True), qtbot)
    panel, bar = window.issues_panel, window.filter_bar
    window.table.sortByColumn(COLUMN_INDEX[Column.SPACECRAFT], Qt.SortOrder.AscendingOrder)
    every = panel.report().issues
    for search in ("", "endeavour", "progress", "soyuz", "dragon"):
        for docked_now in (False, True):
            bar.search_field.setText(search)
            bar.flush_search()
            bar.docked_now_toggle.setChecked(docked_now)
            qtbot.waitUntil(lambda: panel.shown_report().checked == window.proxy.rowCount())
            shown = {row.id for row in window.proxy.visible_rows()}
            expected = [issue for issue in every if shown & set(issue.event_ids)]
            qtbot.waitUntil(lambda e=expected: list(panel.shown_report().issues) == e)
            count = len(expected)
            assert panel.status_label.text() == (
                f"{count} data issue{'s' if count != 1 else ''}" if count else "No data issues"
            )
