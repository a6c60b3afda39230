"""The command line: the window (default), sync, export, check and info.

``main(argv)`` takes its arguments as a list and returns an exit code, so tests and the frozen
program call it the same way. Every failure a person can cause or fix is one sentence on
stderr and a non-zero exit; tracebacks go to the log file only.
"""

from __future__ import annotations

import argparse
import json
import logging
import logging.handlers
import os
import sys
import time
from collections.abc import Sequence
from datetime import UTC, date
from pathlib import Path
from typing import IO, Any

import platformdirs

from dockview import __version__
from dockview.api import (
    DEFAULT_API_URL,
    LL2Client,
    api_version_of,
    is_insecure_remote,
    version_label,
)
from dockview.checks import check_events, read_facts, read_rows, stay_line
from dockview.config import (
    ENV_API_KEY,
    ENV_API_URL,
    ENV_DB,
    Settings,
    StoredSettings,
    resolve_settings,
)
from dockview.display import offscreen_if_headless, screen_problem
from dockview.errors import ApiThrottled, DockviewError, SyncCancelled
from dockview.export import (
    DEFAULT_CSV_COLUMNS,
    export_from_store,
    query_rows,
    stream_csv,
    write_export,
    write_text,
)
from dockview.lookup_records import LookupRecords
from dockview.progress import SyncReporter
from dockview.query import EventQuery, day_span
from dockview.sample import seed_sample_if_empty
from dockview.store import Store, default_db_path
from dockview.sync import (
    FULL_STATE,
    INCREMENTAL_STATE,
    LAST_SYNC_STATE,
    api_switched,
    plural,
    run_sync,
    unfinished_sync,
    unsupported_version_note,
)
from dockview.timefmt import age_text, parse_time, timestamp_of

log = logging.getLogger("dockview")

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_THROTTLED = 75  # EX_TEMPFAIL: try again later
EXIT_INTERRUPTED = 130

ENV_LOG_FILE = "DOCKVIEW_LOG_FILE"


def resolve(args: argparse.Namespace) -> Settings:
    """The settings in use, from the command line, the environment and the settings file."""
    return resolve_settings(
        db_path=getattr(args, "db", None),
        api_url=getattr(args, "api_url", None),
        # The window asks the keyring when a sync or its Settings dialog needs the key.
        stored=stored_settings(keyring=args.command != "gui"),
    )


def stored_settings(*, keyring: bool = True) -> StoredSettings | None:
    """What the window's Settings dialog saved (and the key in the keyring); None where Qt's
    core library cannot be loaded, so sync, export and info still run on their defaults."""
    try:
        from dockview.settings_file import load_stored, open_settings
    except ImportError as exc:
        log.info("The settings file could not be read (Qt core is missing): %s", exc)
        return None
    return load_stored(open_settings(), keyring=keyring)


def log_file_path() -> Path:
    override = os.environ.get(ENV_LOG_FILE)
    if override:
        return Path(override)
    return platformdirs.user_log_path("dockview", appauthor=False) / "dockview.log"


def setup_logging(verbose: bool = False) -> None:
    """Details and tracebacks go to a rotating log file; the terminal gets sentences."""
    root = logging.getLogger()
    path = log_file_path()
    for old in [h for h in root.handlers if getattr(h, "_dockview", False)]:
        root.removeHandler(old)
        old.close()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=1_000_000, backupCount=2, encoding="utf-8"
        )
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    except OSError:
        handler = logging.NullHandler()
    handler._dockview = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    # httpx logs each request line at INFO; URLs carry no secrets (the key is a header).
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    if verbose:
        console = logging.StreamHandler(sys.stderr)
        console.setLevel(logging.DEBUG)
        console._dockview = True  # type: ignore[attr-defined]
        root.addHandler(console)


def _common_options(*, in_subcommand: bool) -> argparse.ArgumentParser:
    """Options that may stand before or after the command (``dockview --db X sync`` and
    ``dockview sync --db X``). In a subcommand they default to SUPPRESS, so an option given
    before the command is not overwritten by the subcommand's default."""
    default: object = argparse.SUPPRESS if in_subcommand else None
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help=f"the cache file (default: ${ENV_DB} or {default_db_path()})",
    )
    common.add_argument(
        "--api-url",
        metavar="URL",
        default=default,
        help=f"the LL2 API base URL with its version (default: ${ENV_API_URL} or "
        f"{DEFAULT_API_URL}); the API key comes from ${ENV_API_KEY} or the system keyring",
    )
    common.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        default=argparse.SUPPRESS if in_subcommand else False,
        help="also log to the terminal",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _common_options(in_subcommand=True)
    parser = argparse.ArgumentParser(
        prog="dockview",
        description="The history of spacecraft dockings from Launch Library 2, kept offline.",
        parents=[_common_options(in_subcommand=False)],
    )
    parser.add_argument("--version", action="version", version=f"dockview {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    sync = commands.add_parser(
        "sync", parents=[common], help="bring the cache up to date from the API"
    )
    sync.add_argument("--full", action="store_true", help="fetch every event again")
    sync.add_argument(
        "--no-wait",
        action="store_true",
        help="stop instead of waiting when the hourly request limit is reached (resumable)",
    )
    sync.add_argument(
        "-q", "--quiet", action="store_true", help="no progress on stderr, only errors"
    )

    export = commands.add_parser(
        "export",
        parents=[common],
        help="write cached events as LL2-shaped JSON (or CSV); the window's filters apply",
    )
    add_filter_options(export)
    export.add_argument(
        "--skip-gone",
        action="store_true",
        help="leave out events the API no longer lists (the window strikes them out)",
    )
    export.add_argument(
        "--format",
        choices=("json", "csv"),
        default="json",
        help="json (LL2-shaped, the default) or csv (the table's columns, times in UTC)",
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", default="-", help="file to write, or - for stdout"
    )

    gui = commands.add_parser(
        "gui", parents=[common], help="open the window (the default with no command)"
    )
    gui.add_argument("--offline", action="store_true", help="never touch the network")
    gui.add_argument(
        "--screenshot", metavar="FILE.png", type=Path, help="render the window to a PNG and exit"
    )
    gui.add_argument(
        "--select", metavar="ID", type=int, help="the event to select (with --screenshot)"
    )
    gui.add_argument(
        "--view",
        choices=("table", "timeline", "statistics", "occupancy", "issues"),
        default="table",
        help="the view to show first",
    )

    check = commands.add_parser(
        "check", parents=[common], help="report what looks wrong in the cached data"
    )
    add_filter_options(check)
    check.add_argument("--json", action="store_true", help="print the issues as JSON")

    info = commands.add_parser("info", parents=[common], help="show what the cache holds")
    info.add_argument("--json", action="store_true", help="print it as JSON")

    desktop = commands.add_parser(
        "desktop-entry",
        parents=[common],
        help="add dockview to the desktop's menu (or remove it), for this user",
    )
    desktop.add_argument("action", choices=("install", "uninstall"))
    return parser


class UsageError(DockviewError):
    """Options that parse one by one but make no sense together."""


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def add_filter_options(command: argparse.ArgumentParser) -> None:
    """The window's filters, as options export and check share (read by :func:`event_query`)."""
    command.add_argument("--ids", metavar="1,2,3", type=_id_list, help="only these event ids")
    command.add_argument("--station", metavar="ID", type=int, help="space station id")
    command.add_argument("--vehicle", metavar="ID", type=int, help="flight vehicle id")
    command.add_argument("--port", metavar="ID", type=int, help="docking location (port) id")
    command.add_argument("--spacecraft", metavar="ID", type=int, help="spacecraft id")
    command.add_argument(
        "--search",
        metavar="TEXT",
        help="text in the chaser, target, serial, config, type, agency, port or station",
    )
    command.add_argument(
        "--from",
        dest="date_from",
        metavar="DATE",
        type=_day,
        help="stays that end on or after DATE (UTC, YYYY-MM-DD)",
    )
    command.add_argument(
        "--to",
        dest="date_to",
        metavar="DATE",
        type=_day,
        help="stays that begin on or before DATE (UTC, YYYY-MM-DD)",
    )
    command.add_argument(
        "--docked-now", action="store_true", help="only vehicles that are docked now"
    )


def event_query(args: argparse.Namespace) -> EventQuery:
    """The query the options of :func:`add_filter_options` describe."""
    if args.date_from and args.date_to and args.date_from > args.date_to:
        raise UsageError(f"--from {args.date_from} is after --to {args.date_to}.")
    since_ts, until_ts = day_span(args.date_from, args.date_to, UTC)
    return EventQuery(
        ids=tuple(args.ids) if args.ids is not None else None,
        station_id=args.station,
        flight_vehicle_id=args.vehicle,
        spacecraft_id=args.spacecraft,
        location_id=args.port,
        text=args.search or "",
        since_ts=since_ts,
        until_ts=until_ts,
        docked_now=args.docked_now,
        include_gone=not getattr(args, "skip_gone", False),
    )


def _id_list(text: str) -> list[int]:
    try:
        ids = [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of event ids: {text!r}") from None
    if not ids:
        raise argparse.ArgumentTypeError("give at least one event id")
    return ids


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    setup_logging(getattr(args, "verbose", False))
    if args.command is None:
        args = parser.parse_args(["gui", *(list(argv) if argv is not None else sys.argv[1:])])
    try:
        settings = resolve(args)
        handler = {
            "sync": cmd_sync,
            "export": cmd_export,
            "check": cmd_check,
            "info": cmd_info,
            "gui": cmd_gui,
            "desktop-entry": cmd_desktop_entry,
        }[args.command]
        return handler(args, settings)
    except SyncCancelled as exc:
        _say(str(exc))
        return EXIT_INTERRUPTED
    except ApiThrottled as exc:
        _say(str(exc))
        return EXIT_THROTTLED
    except UsageError as exc:
        _say(str(exc))
        return EXIT_USAGE
    except DockviewError as exc:
        log.info("%s failed: %s", args.command, exc, exc_info=True)
        _say(str(exc))
        return EXIT_ERROR
    except KeyboardInterrupt:
        _say("Interrupted; what was stored is kept, and `dockview sync` continues from there.")
        return EXIT_INTERRUPTED


def _say(message: str, stream: IO[str] | None = None) -> None:
    print(f"dockview: {message}", file=stream or sys.stderr)


def open_store(settings: Settings) -> Store:
    """Open (or create) the cache, telling the person if a damaged one had to be moved aside."""
    store = Store(settings.db_path)
    if store.moved_aside is not None:
        _say(
            f"The cache could not be used ({store.moved_aside_reason}); it was moved to "
            f"{store.moved_aside} and a fresh one was started."
        )
    seed_sample_if_empty(store)
    return store


# -- sync ---------------------------------------------------------------------------------------


def cmd_sync(args: argparse.Namespace, settings: Settings) -> int:
    if is_insecure_remote(settings.api_url):
        _say(
            f"warning: {settings.api_url} is plain http; the data (and any key) travel unencrypted."
        )
    with open_store(settings) as store:
        note = unsupported_version_note(store, settings.api_url)
        if note is not None and not args.quiet:
            _say(note)
        previous = api_switched(store, settings.api_url)
        if previous is not None:
            _say(
                f"the cache was last synced from {previous}; this sync fetches every event "
                f"again from {settings.api_url} (events keep the shape their API sent)."
            )
        reporter = SyncReporter(sys.stderr, quiet=args.quiet)
        client = LL2Client(
            settings.api_url,
            api_key=settings.api_key,
            wait_when_throttled=not args.no_wait,
            on_wait=reporter.waiting,
        )
        try:
            if reporter.is_tty and not args.quiet:
                reporter.requests_left = requests_left(client)
            result = run_sync(store, client, full=args.full, progress=reporter.progress)
        finally:
            reporter.finish()
            client.close()
    print(result.summary())
    return EXIT_OK if result.complete else EXIT_ERROR


def requests_left(client: LL2Client) -> int | None:
    """What the hourly budget has left, from the API's throttle endpoint (it costs none)."""
    status = client.throttle_status()
    if status is None or status.limit is None or status.used is None:
        return None
    return max(0, status.limit - status.used)


# -- export -------------------------------------------------------------------------------------


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    query = event_query(args)
    with open_store(settings) as store:
        if args.format == "csv":
            now = time.time()
            count = write_text(
                args.output,
                lambda out: stream_csv(
                    query_rows(store, query), DEFAULT_CSV_COLUMNS, out, zone=UTC, now=now
                ),
            )
        else:
            count = write_export(
                export_from_store(store, query, api_url=settings.api_url), args.output
            )
    if args.output != "-":
        _say(f"exported {count} events to {args.output}")
    return EXIT_OK


# -- check --------------------------------------------------------------------------------------


def cmd_check(args: argparse.Namespace, settings: Settings) -> int:
    """Every check runs over the whole cache; the filters pick the issues that involve an event
    they select. Issues are findings, not failures: the exit code is 0."""
    with open_store(settings) as store, store.reading():
        rows = read_rows(store.conn)
        report = check_events(rows, time.time(), read_facts(store.conn))
        report = report.involving(store.event_ids(event_query(args)))
    if args.json:
        print(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
        return EXIT_OK
    by_id = {row.id: row for row in rows}
    print(f"Checked {plural(report.checked, 'event')}: {plural(len(report.issues), 'issue')}.")
    for kind, issues in report.by_kind().items():
        print(f"\n{kind.heading} ({len(issues)})")
        for issue in issues:
            print(f"  {issue.message}")
            for event_id in issue.event_ids:
                print(f"    {event_id:>6}  {stay_line(by_id[event_id])}")
    return EXIT_OK


# -- the window --------------------------------------------------------------------------------


def cmd_gui(args: argparse.Namespace, settings: Settings) -> int:
    # Qt is imported only here, so sync, export and info start fast and run without a display.
    if args.screenshot is not None:
        offscreen_if_headless()
    else:
        problem = screen_problem()
        if problem is not None:
            raise DockviewError(problem)  # before Qt, which would abort the process
    from dockview.ui.app import WindowOptions, run_window

    options = WindowOptions(
        settings=settings,
        offline=args.offline,
        screenshot=args.screenshot,
        select=args.select,
        view=args.view,
    )
    return run_window(options)


# -- info ---------------------------------------------------------------------------------------


def gather_info(store: Store, settings: Settings) -> dict[str, Any]:
    summary = store.summary()
    full = store.get_state(FULL_STATE) or {}
    incremental = store.get_state(INCREMENTAL_STATE) or {}
    unfinished = unfinished_sync(store)
    try:
        size = store.path.stat().st_size
    except OSError:
        size = None
    return {
        "cache_path": str(store.path),
        "cache_bytes": size,
        "api_url": settings.api_url,
        "api_version": api_version_of(settings.api_url),
        "api_key": "set (hidden)" if settings.api_key else "not set",
        "lookups": {
            kind: {"records": count, "fetched_at": fetched_at}
            for kind, (count, fetched_at) in LookupRecords(store).summary().items()
        },
        **summary,
        "last_full_sync": full.get("completed_at") if full.get("status") == "complete" else None,
        "last_incremental_sync": incremental.get("completed_at"),
        "last_sync": store.get_state(LAST_SYNC_STATE),
        "unfinished_sync": (
            {
                "kind": unfinished["kind"],
                "started_at": unfinished.get("started_at"),
                "events_stored": unfinished.get("stored", 0),
                "total": unfinished.get("count"),
            }
            if unfinished
            else None
        ),
    }


def cmd_info(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(settings) as store:
        info = gather_info(store, settings)
    if args.json:
        print(json.dumps(info, indent=2))
        return EXIT_OK
    size = f" ({info['cache_bytes'] / 1_000_000:.1f} MB)" if info["cache_bytes"] else ""
    lines = [
        f"Cache:            {info['cache_path']}{size}",
        f"API:              {info['api_url']} (API key {info['api_key']})",
        f"API version:      {version_label(info['api_version'])}",
        f"Events:           {info['events']} ({info['docked_now']} docked now, "
        f"{info['gone_upstream']} gone upstream) at {info['stations']} stations, "
        f"{info['ports']} ports",
    ]
    if info["sample"]:
        lines.append(
            f"Sample:           {info['sample']} bundled sample events (replaced by the first sync)"
        )
    last = info["last_sync"] or {}
    if last.get("api_url") and last["api_url"] != info["api_url"]:
        lines.append(f"Synced from:      {last['api_url']}")
    for kind, caption in (("configs", "Configurations:   "), ("agencies", "Agencies:         ")):
        lookup = info["lookups"][kind]
        fetched = lookup["fetched_at"]
        lines.append(
            f"{caption}{lookup['records']} full records"
            + (
                f", fetched {fetched} ({age_text(timestamp_of(parse_time(fetched)))} ago)"
                if fetched
                else ""
            )
        )
    lines.append(f"Last full sync:   {info['last_full_sync'] or 'never'}")
    lines.append(f"Last incremental: {info['last_incremental_sync'] or 'never'}")
    unfinished = info["unfinished_sync"]
    if unfinished:
        of_total = f" of {unfinished['total']}" if unfinished["total"] else ""
        lines.append(
            f"Unfinished sync:  {unfinished['kind']}, {unfinished['events_stored']}{of_total} "
            "events stored; `dockview sync` continues it"
        )
    print("\n".join(lines))
    return EXIT_OK


# -- desktop entry ------------------------------------------------------------------------------


def cmd_desktop_entry(args: argparse.Namespace, settings: Settings) -> int:
    from dockview import desktop_entry

    if args.action == "install":
        files, command = desktop_entry.install()
        print(f"Added dockview to the menu: {files.entry} runs {' '.join(command)}")
        return EXIT_OK
    removed = desktop_entry.uninstall()
    if removed:
        print(f"Removed dockview from the menu ({len(removed)} files).")
    else:
        print("dockview had no menu entry for this user.")
    return EXIT_OK
