"""Chosen events → a JSON file any LL2 client can read, or a CSV file for a spreadsheet, written
so that failure leaves nothing.

JSON: each result is the event object exactly as the API sent it; the envelope adds when and
from where. CSV: the table's columns as the table shows them, plus the id, one event a line.
The file is written to a temporary name beside the target and renamed over it only when
complete, so a full disk or a killed process leaves the old file (if any) untouched and no
partial file behind.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import IO

from dockview.errors import ExportError
from dockview.query import EventQuery
from dockview.records import json_text
from dockview.rows import COLUMN_INDEX, COLUMNS, Column, EventRow, cell_text
from dockview.store import TABLE_FIELDS, Store
from dockview.timefmt import utc_now_iso

#: Ids per statement when events are fetched in a given order.
_CHUNK = 500


@dataclass(frozen=True)
class Export:
    """What to export and the envelope's facts; the events are streamed from the cache when
    written, so 50,000 of them never sit in memory as Python objects."""

    store: Store
    query: EventQuery
    api_url: str
    api_version: str
    exported_at: str
    #: When given, exactly these events in this order (the window's "Export shown…": the rows
    #: shown, as ordered there); otherwise the query's events in docking order.
    ordered_ids: tuple[int, ...] | None = None


def export_from_store(
    store: Store,
    query: EventQuery,
    *,
    api_url: str,
    ordered_ids: Sequence[int] | None = None,
) -> Export:
    """The source names the API the events came from, not just the configured one, when the
    cache holds events of a single origin. ``api_url`` never carries credentials (the key
    lives in a header)."""
    sources = {
        row[0]: row[1]
        for row in store.conn.execute(
            "SELECT DISTINCT source_url, api_version FROM docking_events"
            " WHERE gone_upstream_at IS NULL"
        )
    }
    source_url, version = next(iter(sources.items())) if len(sources) == 1 else (api_url, None)
    ordered = tuple(ordered_ids) if ordered_ids is not None else None
    versions = store.event_api_versions(EventQuery(ids=ordered) if ordered is not None else query)
    api_version = version or (versions[0] if len(versions) == 1 else ",".join(versions))
    return Export(
        store=store,
        query=query,
        api_url=source_url or api_url,
        api_version=api_version,
        exported_at=utc_now_iso(),
        ordered_ids=ordered,
    )


def stream_export(export: Export, out: IO[str]) -> int:
    """Write the document: the envelope, then each event's stored JSON as it is (one event a
    line), all from one snapshot of the cache so the count matches the results."""
    store = export.store
    with store.reading():
        if export.ordered_ids is None:
            count = store.count_events(export.query)
            texts: Iterator[str] = store.iter_raw_json(export.query)
        else:
            count = store.count_events(EventQuery(ids=export.ordered_ids))
            texts = _raw_json_in_order(store, export.ordered_ids)
        source = json_text({"api_url": export.api_url, "api_version": export.api_version})
        out.write(
            f'{{\n  "count": {count},\n  "exported_at": {json_text(export.exported_at)},\n'
            f'  "source": {source},\n  "results": ['
        )
        separator = "\n    "
        for raw_json in texts:
            out.write(separator)
            out.write(raw_json)
            separator = ",\n    "
        out.write("\n  ]\n}\n")
    return count


def _raw_json_in_order(store: Store, ids: Sequence[int]) -> Iterator[str]:
    """The stored JSON of these events in this order, a chunk at a time (memory stays small
    however many there are); ids not in the cache are skipped."""
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        found = dict(
            store.conn.execute(
                f"SELECT id, raw_json FROM docking_events WHERE id IN ({marks})", chunk
            )
        )
        yield from (found[event_id] for event_id in chunk if event_id in found)


def dumps(export: Export) -> str:
    """The document as text (Copy as JSON, small selections)."""
    buffer = io.StringIO()
    stream_export(export, buffer)
    return buffer.getvalue()


def write_export(export: Export, destination: str | Path, stdout: IO[str] | None = None) -> int:
    """Write atomically to ``destination``, or to standard output when it is ``-``; returns
    how many events were written."""
    return write_text(destination, lambda handle: stream_export(export, handle), stdout)


# -- CSV ----------------------------------------------------------------------------------------


def csv_columns(shown: Sequence[int]) -> list[int]:
    """The columns shown, in their order, then the id if it is not among them."""
    columns = list(shown)
    if COLUMN_INDEX[Column.ID] not in columns:
        columns.append(COLUMN_INDEX[Column.ID])
    return columns


#: What ``dockview export --format csv`` writes: the table's columns as it first shows them,
#: plus the id.
DEFAULT_CSV_COLUMNS = tuple(
    csv_columns([COLUMN_INDEX[column] for column in COLUMNS if column is not Column.ID])
)


def stream_csv(
    rows: Iterator[EventRow] | Sequence[EventRow],
    columns: Sequence[int],
    out: IO[str],
    *,
    zone: tzinfo,
    now: float,
) -> int:
    """One header line of column titles, then one line per event, cells as the table shows
    them (times in ``zone``)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([COLUMNS[column].title for column in columns])
    count = 0
    for row in rows:
        writer.writerow([cell_text(row, column, zone, now) for column in columns])
        count += 1
    return count


def query_rows(store: Store, query: EventQuery) -> Iterator[EventRow]:
    """The query's events as table rows, in docking order, from one statement."""
    where, params = query.where(store.conn)
    sql = f"SELECT {', '.join(TABLE_FIELDS)} FROM docking_events {where} ORDER BY docking_ts, id"
    for fields in store.conn.execute(sql, params):
        yield EventRow(fields)


def write_text(
    destination: str | Path, write: Callable[[IO[str]], int], stdout: IO[str] | None = None
) -> int:
    """``write`` into ``destination`` atomically, or to standard output when it is ``-``."""
    if str(destination) == "-":
        stream = stdout or sys.stdout
        try:
            count = write(stream)
            stream.flush()
        except OSError as exc:
            raise ExportError(
                f"Could not write the export to standard output: {exc.strerror}."
            ) from exc
        return count
    return write_atomically(Path(destination), write)


def write_atomically(target: Path, write: Callable[[IO[str]], int]) -> int:
    """Temporary file beside the target, fsync, rename: all of it or nothing."""
    target = target.expanduser()
    if target.is_dir():
        raise ExportError(f"{target} is a folder; give a file name to export to.")
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(f"The folder {folder} does not exist; the export was not written.")
    temp_name: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w",
            encoding="utf-8",
            newline="",
            dir=folder,
            prefix=f".{target.name}.",
            suffix=".part",
            delete=False,
        ) as handle:
            temp_name = handle.name
            count = write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
        temp_name = None
    except OSError as exc:
        raise ExportError(_export_failure(exc, target)) from exc
    finally:
        if temp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
    return count


def _export_failure(exc: OSError, target: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return f"The disk is full; {target} was not written."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"dockview may not write to {target.parent}; the export was not written."
    if exc.errno == errno.EISDIR:
        return f"{target} is a folder; give a file name to export to."
    return f"Could not write {target}: {exc.strerror or exc}."
