"""Selected events → a JSON file any LL2 client can read, written so that failure leaves nothing.

Each result is the event object exactly as the API sent it; the envelope adds when and from
where. The file is written to a temporary name beside the target and renamed over it only when
complete, so a full disk or a killed process leaves the old file (if any) untouched and no
partial file behind.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from dockview.errors import ExportError
from dockview.records import json_text
from dockview.store import EventFilter, Store, utc_now_iso


def build_export(
    events: Iterable[dict[str, Any]], *, api_url: str, api_version: str
) -> dict[str, Any]:
    """The export document; ``api_url`` must never carry credentials (the key lives in headers)."""
    results = list(events)
    return {
        "count": len(results),
        "exported_at": utc_now_iso(),
        "source": {"api_url": api_url, "api_version": api_version},
        "results": results,
    }


def export_from_store(store: Store, event_filter: EventFilter, *, api_url: str) -> dict[str, Any]:
    """Gather the filtered events; the source names the API they came from, not just the
    configured one, when the cache holds events of a single origin."""
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
    return build_export(
        store.iter_raw_events(event_filter), api_url=source_url or api_url, api_version=api_version
    )


def dumps(document: dict[str, Any]) -> str:
    return json_text(document, indent=2) + "\n"


def write_export(
    document: dict[str, Any], destination: str | Path, stdout: IO[str] | None = None
) -> None:
    """Write atomically to ``destination``, or to standard output when it is ``-``."""
    text = dumps(document)
    if str(destination) == "-":
        stream = stdout or sys.stdout
        try:
            stream.write(text)
            stream.flush()
        except OSError as exc:
            raise ExportError(
                f"Could not write the export to standard output: {exc.strerror}."
            ) from exc
        return
    write_text_atomically(Path(destination), text)


def write_text_atomically(target: Path, text: str) -> None:
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
            handle.write(text)
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


def _export_failure(exc: OSError, target: Path) -> str:
    if exc.errno == errno.ENOSPC:
        return f"The disk is full; {target} was not written."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"dockview may not write to {target.parent}; the export was not written."
    if exc.errno == errno.EISDIR:
        return f"{target} is a folder; give a file name to export to."
    return f"Could not write {target}: {exc.strerror or exc}."
