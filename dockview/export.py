"""Selected events → a JSON file any LL2 client can read, written so that failure leaves nothing.

Each result is the event object exactly as the API sent it; the envelope adds when and from
where. The file is written to a temporary name beside the target and renamed over it only when
complete, so a full disk or a killed process leaves the old file (if any) untouched and no
partial file behind.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from dockview.errors import ExportError
from dockview.records import json_text
from dockview.store import EventFilter, Store, utc_now_iso


@dataclass(frozen=True)
class Export:
    """What to export and the envelope's facts; the events are streamed from the cache when
    written, so 50,000 of them never sit in memory as Python objects."""

    store: Store
    event_filter: EventFilter
    api_url: str
    api_version: str
    exported_at: str


def export_from_store(store: Store, event_filter: EventFilter, *, api_url: str) -> Export:
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
    versions = store.event_api_versions(event_filter)
    api_version = version or (versions[0] if len(versions) == 1 else ",".join(versions))
    return Export(
        store=store,
        event_filter=event_filter,
        api_url=source_url or api_url,
        api_version=api_version,
        exported_at=utc_now_iso(),
    )


def stream_export(export: Export, out: IO[str]) -> int:
    """Write the document: the envelope, then each event's stored JSON as it is (one event a
    line), all from one snapshot of the cache so the count matches the results."""
    store = export.store
    with store.reading():
        count = store.count_events(export.event_filter)
        source = json_text({"api_url": export.api_url, "api_version": export.api_version})
        out.write(
            f'{{\n  "count": {count},\n  "exported_at": {json_text(export.exported_at)},\n'
            f'  "source": {source},\n  "results": ['
        )
        separator = "\n    "
        for raw_json in store.iter_raw_json(export.event_filter):
            out.write(separator)
            out.write(raw_json)
            separator = ",\n    "
        out.write("\n  ]\n}\n")
    return count


def dumps(export: Export) -> str:
    """The document as text (Copy as JSON, small selections)."""
    buffer = io.StringIO()
    stream_export(export, buffer)
    return buffer.getvalue()


def write_export(export: Export, destination: str | Path, stdout: IO[str] | None = None) -> int:
    """Write atomically to ``destination``, or to standard output when it is ``-``; returns
    how many events were written."""
    if str(destination) == "-":
        stream = stdout or sys.stdout
        try:
            count = stream_export(export, stream)
            stream.flush()
        except OSError as exc:
            raise ExportError(
                f"Could not write the export to standard output: {exc.strerror}."
            ) from exc
        return count
    return write_atomically(Path(destination), lambda handle: stream_export(export, handle))


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
