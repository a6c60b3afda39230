"""`dockview sync` progress: one updating line on a terminal, a few lines elsewhere."""

from __future__ import annotations

import errno
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dockview.cli import EXIT_OK, main
from ll2_loopback import LL2TestServer, generate_events

EVENTS = 5050  # 51 pages of 100
PTY_TIMEOUT = 120  # seconds, for a loaded machine; it takes a few


@pytest.fixture(scope="module")
def fifty_one_pages() -> Iterator[LL2TestServer]:
    server = LL2TestServer(generate_events(EVENTS, seed=51), v230_extras=False)
    server.cache_results = True
    with server:
        yield server


def read_all(fd: int) -> bytes:
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError as exc:  # EIO: the child closed the terminal
            if exc.errno != errno.EIO:
                raise
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_51_page_sync_on_a_terminal_is_one_updating_line(
    fifty_one_pages: LL2TestServer, tmp_path: Path
) -> None:
    server = fifty_one_pages
    server.throttle_limit, server.throttle_wait = 30, 2.0  # one short wait on the way
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"},
        "DOCKVIEW_LOG_FILE": str(tmp_path / "dockview.log"),
        "TERM": "xterm",
    }
    command = [sys.executable, "-m", "dockview", "--db", str(tmp_path / "c.db")]
    command += ["--api-url", server.base_url, "sync"]
    controller, terminal = pty.openpty()
    try:
        child = subprocess.Popen(
            command, stdin=terminal, stdout=terminal, stderr=terminal, env=env, close_fds=True
        )
        os.close(terminal)
        output = read_all(controller)
        assert child.wait(timeout=PTY_TIMEOUT) == EXIT_OK, output.decode()
    finally:
        os.close(controller)
        server.throttle_limit = server.throttle_wait = None
    text = output.decode("utf-8")
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    assert len(lines) <= 3, text
    last_shown = lines[-1].split("\r")[-1].replace("\x1b[K", "")
    assert last_shown.startswith(f"Full sync: {EVENTS} new, 0 changed")
    # What the line showed while it ran: the count of the total, pages, the hourly budget,
    # and the countdown while throttled.
    assert f" of {EVENTS} events stored · 51 pages · " in text
    assert "requests left this hour" in text
    assert "hourly request limit reached; going on in 2 s" in text


def test_plain_output_is_a_few_lines_not_one_a_page(
    fifty_one_pages: LL2TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = fifty_one_pages.base_url_v230
    code = main(["--db", str(tmp_path / "c.db"), "--api-url", url, "sync"])
    captured = capsys.readouterr()
    assert code == EXIT_OK
    lines = captured.err.splitlines()
    assert 2 <= len(lines) <= 12, captured.err  # the first page, then each tenth
    assert lines[0].startswith(f"100 of {EVENTS} events stored · 1 page")
    assert lines[-1].startswith(f"{EVENTS} of {EVENTS} events stored · 51 pages")
    assert captured.out.startswith(f"Full sync: {EVENTS} new")


def test_quiet_prints_no_progress(
    fifty_one_pages: LL2TestServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(tmp_path / "c.db"), "--api-url", fifty_one_pages.base_url]
    assert main([*db, "sync", "-q"]) == EXIT_OK
    captured = capsys.readouterr()
    assert captured.err == ""
    assert captured.out.startswith(f"Full sync: {EVENTS} new")
