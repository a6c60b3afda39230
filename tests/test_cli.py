"""The command line as a person meets it: commands, one-sentence errors, no secrets anywhere."""

from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from dockview import __version__
from dockview.cli import EXIT_ERROR, EXIT_OK, EXIT_THROTTLED, main
from ll2_loopback import LL2TestServer, generate_events

KEY = "super-secret-ll2-key-0042"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert (code, out) == (EXIT_OK, f"dockview {__version__}\n")


def test_python_dash_m_works_too() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dockview", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stdout.strip() == f"dockview {__version__}"


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == EXIT_OK
    assert all(command in out for command in ("gui", "sync", "export", "info"))


def test_no_command_opens_the_window(
    monkeypatch: pytest.MonkeyPatch, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    opened: list[Any] = []
    monkeypatch.setattr("dockview.ui.app.run_window", lambda options: opened.append(options) or 0)
    code, _, _ = run(capsys, "--db", str(db_path))
    assert code == EXIT_OK
    assert [(o.settings.db_path, o.offline, o.screenshot) for o in opened] == [
        (db_path, False, None)
    ]


def test_info_on_a_fresh_machine_shows_the_sample(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, out, _ = run(capsys, "info", "--db", str(db_path))
    assert code == EXIT_OK
    assert f"Cache:            {db_path}" in out
    assert "Events:           10 (0 docked now, 0 gone upstream) at 2 stations, 8 ports" in out
    assert "Last full sync:   never" in out
    code, out, _ = run(capsys, "info", "--json", "--db", str(db_path))
    info = json.loads(out)
    assert (info["events"], info["sample"], info["api_key"]) == (10, 10, "not set")


def test_the_default_cache_lives_in_the_user_data_folder(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "info", "--json")
    assert code == EXIT_OK
    assert json.loads(out)["cache_path"].endswith("dockview/dockview.db")


def test_sync_export_and_info_against_the_loopback_server(
    capsys: pytest.CaptureFixture[str], ll2_server: LL2TestServer, db_path: Path, tmp_path: Path
) -> None:
    common = ["--db", str(db_path), "--api-url", ll2_server.base_url]
    code, out, err = run(capsys, "sync", *common)
    assert code == EXIT_OK, err
    assert out.startswith("Full sync: 570 new, 0 changed, 0 rejected; 7 requests; 0 gone upstream.")
    assert "570 of 570 events stored" in err  # plain progress lines: stderr is not a terminal

    code, out, _ = run(capsys, "sync", *common)
    assert out.startswith("Incremental sync: 0 new, 0 changed, 0 rejected; 1 request.")

    target = tmp_path / "three.json"
    wanted = [e["id"] for e in ll2_server.events[10:13]]
    ids = ",".join(str(i) for i in wanted)
    code, out, err = run(capsys, "export", *common, "--ids", ids, "-o", str(target))
    assert code == EXIT_OK
    assert err == f"dockview: exported 3 events to {target}\n"
    document = json.loads(target.read_text("utf-8"))
    assert document["source"] == {"api_url": ll2_server.base_url, "api_version": "2.2.0"}
    assert document["results"] == [json.loads(json.dumps(e)) for e in ll2_server.events[10:13]]

    station = ll2_server.events[0]["docking_location"]["spacestation"]["id"]
    code, out, _ = run(capsys, "export", *common, "--station", str(station))
    exported = json.loads(out)
    expected = [
        e for e in ll2_server.events if e["docking_location"]["spacestation"]["id"] == station
    ]
    assert exported["count"] == len(expected) > 0

    code, out, _ = run(capsys, "export", *common, "--docked-now")
    assert {e["id"] for e in json.loads(out)["results"]} == {
        e["id"] for e in ll2_server.events if e["departure"] is None
    }

    code, out, _ = run(capsys, "info", *common)
    assert "Events:           570 (" in out
    assert "Last full sync:   20" in out


def test_an_unreachable_api_is_one_sentence(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, out, err = run(
        capsys, "sync", "--db", str(db_path), "--api-url", "http://127.0.0.1:9/2.2.0"
    )
    assert out == ""
    assert code == EXIT_ERROR
    assert err.strip().splitlines()[-1] == (
        "dockview: Could not reach the API at 127.0.0.1:9; check the network connection."
    )
    assert "Traceback" not in err


def test_export_to_a_missing_folder_is_one_sentence_and_no_file(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "out.json"
    code, _, err = run(capsys, "export", "--db", str(db_path), "-o", str(target))
    assert code == EXIT_ERROR
    assert (
        err == f"dockview: The folder {target.parent} does not exist; the export was not written.\n"
    )
    assert not target.parent.exists()


def test_bad_arguments_exit_two(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "export", "--ids", "1,x")
    assert code == 2 and "not a list of event ids" in err


def test_no_wait_stops_with_exit_75_and_resumes(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    with LL2TestServer(generate_events(300, seed=4), throttle_limit=1) as server:
        server.throttle_wait = 1200
        common = ["--db", str(db_path), "--api-url", server.base_url]
        code, _, err = run(capsys, "sync", "--no-wait", *common)
        assert code == EXIT_THROTTLED
        assert "hourly request limit is used up; it can be asked again in about 20 minutes" in err
        code, out, _ = run(capsys, "info", *common)
        assert "Unfinished sync:  full, 100 of 300 events stored" in out
        server.reset_throttle()
        server.throttle_limit = None
        code, out, _ = run(capsys, "sync", *common)
        assert code == EXIT_OK and out.startswith("Full sync (resumed): 200 new")


def test_the_key_never_reaches_output_log_cache_or_export(
    capsys: pytest.CaptureFixture[str],
    ll2_server: LL2TestServer,
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    _isolated_environment: Path,
) -> None:
    monkeypatch.setenv("DOCKVIEW_API_KEY", KEY)
    common = ["--db", str(db_path), "--api-url", ll2_server.base_url, "-v"]
    ll2_server.inject(
        "status", status=403, body=json.dumps({"detail": f"Bad token {KEY}"}), on_request=8
    )
    outputs = []
    for argv in (
        ["sync"],
        ["sync", "--full"],
        ["info"],
        ["info", "--json"],
        ["export", "-o", str(tmp_path / "e.json")],
    ):
        _code, out, err = run(capsys, *argv, *common)
        outputs.append(out + err)
    assert all(r.headers.get("authorization") == f"Token {KEY}" for r in ll2_server.requests)
    assert any("403" in text for text in outputs), "the failing sync was exercised"
    log_text = _isolated_environment.read_text("utf-8")
    assert "HTTP Request" in log_text  # the log really records requests
    for text in [*outputs, log_text, (tmp_path / "e.json").read_text("utf-8")]:
        assert KEY not in text
    for path in db_path.parent.iterdir():
        assert KEY.encode() not in path.read_bytes()


@pytest.mark.parametrize("before", [True, False])
def test_common_options_work_before_or_after_the_command(
    capsys: pytest.CaptureFixture[str], db_path: Path, before: bool
) -> None:
    options = ["--db", str(db_path), "--api-url", "http://127.0.0.1:9/2.2.0"]
    argv = [*options, "info", "--json"] if before else ["info", "--json", *options]
    code, out, _ = run(capsys, *argv)
    assert code == EXIT_OK
    info = json.loads(out)
    assert (info["cache_path"], info["api_url"]) == (str(db_path), "http://127.0.0.1:9/2.2.0")


def test_ctrl_c_keeps_whole_pages_and_the_next_sync_resumes(
    ll2_server: LL2TestServer, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A real process, a real SIGINT while it waits on a slow third page."""
    ll2_server.inject("slow", delay=30, on_request=3)
    argv = ["--db", str(db_path), "--api-url", ll2_server.base_url, "sync"]
    process = subprocess.Popen(
        [sys.executable, "-m", "dockview", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while len(ll2_server.event_requests) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)  # polling a plain HTTP server from a plain thread: no Qt involved
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 130
    assert err.strip().splitlines()[-1] == (
        "dockview: Interrupted; what was stored is kept, and `dockview sync` continues from there."
    )
    assert "Traceback" not in err
    code, out, _ = run(capsys, *argv)
    assert code == EXIT_OK
    assert out.startswith("Full sync (resumed): 370 new")


@pytest.mark.parametrize(
    ("fault", "sentence"),
    [
        ("503", "dockview: The API answered HTTP 503 Service Unavailable for docking events."),
        ("html_error", "dockview: The API answered with text/html instead of JSON."),
        (
            "html_500",
            "dockview: The API answered HTTP 500 Internal Server Error for docking events.",
        ),
        ("invalid_json", "dockview: The API's answer was cut off or is not valid JSON."),
    ],
)
def test_a_lasting_fault_is_one_sentence_on_the_terminal_and_a_rerun_finishes(
    capsys: pytest.CaptureFixture[str],
    ll2_server: LL2TestServer,
    db_path: Path,
    fault: str,
    sentence: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("dockview.api.LL2Client._wait", lambda self, seconds, reason: None)
    ll2_server.inject(fault, times=3, on_request=2)
    common = ["--db", str(db_path), "--api-url", ll2_server.base_url]
    code, out, err = run(capsys, "sync", *common)
    assert code == EXIT_ERROR
    assert err.strip().splitlines()[-1] == sentence
    assert "Traceback" not in err and out == ""
    code, out, _ = run(capsys, "sync", *common)
    assert code == EXIT_OK and out.startswith("Full sync (resumed): 470 new")


def test_plain_http_to_another_host_gets_a_warning(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, _, err = run(capsys, "sync", "--db", str(db_path), "--api-url", "http://ll.invalid/2.2.0")
    assert code == EXIT_ERROR
    assert err.splitlines()[0] == (
        "dockview: warning: http://ll.invalid/2.2.0 is plain http; the data (and any key) "
        "travel unencrypted."
    )


def test_tls_verification_stays_on() -> None:
    import ssl

    from dockview.api import LL2Client

    with LL2Client("https://ll.example.org/2.2.0") as client:
        pool = client._http._transport._pool  # type: ignore[attr-defined]
        assert pool._ssl_context.verify_mode == ssl.CERT_REQUIRED
        assert pool._ssl_context.check_hostname


def test_export_speaks_the_window_filters_and_csv(
    capsys: pytest.CaptureFixture[str], ll2_server: LL2TestServer, db_path: Path
) -> None:
    common = ["--db", str(db_path), "--api-url", ll2_server.base_url]
    assert run(capsys, "sync", *common, "-q")[0] == EXIT_OK

    def ids(*flags: str) -> list[int]:
        code, out, err = run(capsys, "export", *common, *flags)
        assert code == EXIT_OK, err
        return [event["id"] for event in json.loads(out)["results"]]

    craft = ll2_server.events[0]["flight_vehicle"]["spacecraft"]["id"]
    assert ids("--spacecraft", str(craft)) == [
        e["id"] for e in ll2_server.events if e["flight_vehicle"]["spacecraft"]["id"] == craft
    ]
    # Stays that overlap 2020: docked before its end, left after its start (or still there).
    expected = [
        e["id"]
        for e in ll2_server.events
        if e["docking"] < "2021-01-01" and (e["departure"] is None or e["departure"] >= "2020")
    ]
    assert ids("--from", "2020-01-01", "--to", "2020-12-31") == expected
    code, _, err = run(capsys, "export", *common, "--from", "2020-13-01")
    assert code != EXIT_OK and "not a date (YYYY-MM-DD): '2020-13-01'" in err

    code, out, _ = run(capsys, "export", *common, "--search", "DRAGON", "--format", "csv")
    lines = list(csv.reader(io.StringIO(out)))
    assert lines[0][:3] == ["Docking", "Departure", "Docked for"] and lines[0][-1] == "ID"
    assert [int(line[-1]) for line in lines[1:]] == ids("--search", "dragon")
    assert all("dragon" in ",".join(line).casefold() for line in lines[1:])
