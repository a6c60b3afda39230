"""Images named by the API (config photos, agency logos, station pictures), fetched in background.

The window asks :meth:`ImageCache.pixmap` for a URL at a size. What is on disk comes back at
once; what is not comes back as ``None`` while a worker fetches it, and :attr:`imageReady`
says when to ask again. The rules come from the issues: only ``http(s)`` URLs, a size cap that
is checked before any byte is decoded, only data Qt can read as an image is kept, cache file
names are the sha256 of the URL (never a name from the server), files are written atomically,
the GUI thread never waits on the network, and a URL that failed is not tried again in the same
session. httpx, not QtNetwork: QtNetwork is left out of the packaged program.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QObject,
    QRunnable,
    QSize,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QImage, QImageReader, QPixmap

from dockview import __version__
from dockview.lazy import lazy_import

if TYPE_CHECKING:
    import httpx
else:  # imported at the first fetch: the window's start does not wait for it
    httpx = lazy_import("httpx")

log = logging.getLogger(__name__)

USER_AGENT = f"dockview/{__version__}"
DEFAULT_MAX_BYTES = 5_000_000
#: Connect quickly or not at all; a slow image host must not hold up a clean exit for long.
#: Seconds: a whole fetch, and its connection.
TIMEOUT = (10.0, 5.0)
MAX_REDIRECTS = 5
#: Larger pictures than this are refused before they are decoded (a small file can still
#: claim enormous dimensions).
MAX_DIMENSION = 8192
MEMORY_ENTRIES = 128
WORKERS = 4
_SCHEMES = ("http", "https")


class _Cancelled(Exception):
    """The cache went offline or shut down while a fetch was running."""


class _Refused(Exception):
    """The fetch ran but its result may not be kept; the message is the one-sentence reason."""


def cache_name(url: str) -> str:
    """The cache file name for ``url``: the hex sha256 of the URL, nothing from the server."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def is_web_url(url: str) -> bool:
    try:
        scheme = httpx.URL(url).scheme
    except (httpx.InvalidURL, TypeError, ValueError):
        return False
    return scheme in _SCHEMES


def _read_image(reader: QImageReader) -> QImage | None:
    """Decode with ``reader`` if its dimensions are sane; ``None`` if it is not an image."""
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid() and (size.width() > MAX_DIMENSION or size.height() > MAX_DIMENSION):
        return None
    image = reader.read()
    return None if image.isNull() else image


def decode_image(data: bytes) -> QImage | None:
    """Bytes → image, decoded by Qt; ``None`` for anything Qt cannot read as an image."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    if not buffer.open(QIODevice.OpenModeFlag.ReadOnly):
        return None
    try:
        return _read_image(QImageReader(buffer))
    finally:
        buffer.close()


class _Bridge(QObject):
    """Lives in the GUI thread; workers emit through it, so results arrive queued there."""

    stored = Signal(str)
    failed = Signal(str, str)
    cancelled = Signal(str)


class _FetchJob(QRunnable):
    """Fetch one URL into the cache directory; report through the bridge, touch nothing else."""

    def __init__(
        self,
        url: str,
        target: Path,
        client: httpx.Client,
        max_bytes: int,
        bridge: _Bridge,
        should_stop: Callable[[], bool],
    ) -> None:
        super().__init__()
        self.url = url
        self.target = target
        self.client = client
        self.max_bytes = max_bytes
        self.bridge = bridge
        self.should_stop = should_stop

    def run(self) -> None:
        try:
            data = self._download()
            if decode_image(data) is None:
                raise _Refused("The server did not send an image that can be shown.")
            self._write(data)
        except _Cancelled:
            self.bridge.cancelled.emit(self.url)
        except _Refused as exc:
            self.bridge.failed.emit(self.url, str(exc))
        except httpx.TimeoutException:
            self.bridge.failed.emit(self.url, "The image server did not answer in time.")
        except httpx.HTTPError as exc:
            log.info("Image fetch failed: %s", exc)
            self.bridge.failed.emit(self.url, "The image could not be downloaded.")
        except OSError as exc:
            log.warning("Could not write to the image cache: %s", exc)
            self.bridge.failed.emit(self.url, "The image could not be saved in the cache.")
        except Exception:  # a bug; the worker must still report, or the URL stays pending
            log.exception("Unexpected error while fetching an image")
            self.bridge.failed.emit(self.url, "The image could not be fetched (internal error).")
        else:
            self.bridge.stored.emit(self.url)

    def _download(self) -> bytes:
        url = self.url
        for _ in range(MAX_REDIRECTS + 1):
            if not is_web_url(url):
                raise _Refused("Only http and https image addresses are fetched.")
            if self.should_stop():
                raise _Cancelled
            with self.client.stream("GET", url) as response:
                if response.has_redirect_location:
                    location = response.headers.get("Location", "")
                    try:
                        url = str(response.url.join(location))
                    except (httpx.InvalidURL, TypeError, ValueError) as exc:
                        raise _Refused("The image server sent an unusable redirect.") from exc
                    continue
                if response.status_code != httpx.codes.OK:
                    raise _Refused(f"The image server answered HTTP {response.status_code}.")
                return self._read_body(response)
        raise _Refused("The image server redirected too many times.")

    def _read_body(self, response: httpx.Response) -> bytes:
        too_big = f"The image is larger than {self.max_bytes:,} bytes."
        declared = response.headers.get("Content-Length")
        if declared is not None:
            try:
                if int(declared) > self.max_bytes:
                    raise _Refused(too_big)
            except ValueError:
                pass  # a malformed length proves nothing; the count below still applies
        chunks: list[bytes] = []
        received = 0
        for chunk in response.iter_bytes():
            received += len(chunk)
            if received > self.max_bytes:
                raise _Refused(too_big)
            if self.should_stop():
                raise _Cancelled
            chunks.append(chunk)
        return b"".join(chunks)

    def _write(self, data: bytes) -> None:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(dir=self.target.parent, prefix=".part-", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temp_name, self.target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp_name)
            raise


class ImageCache(QObject):
    """Disk-cached images for the window; fetches run on a private thread pool.

    Create and use it in the GUI thread. Call :meth:`shutdown` before the application exits
    (it is also connected to ``QCoreApplication.aboutToQuit`` when an application exists).
    """

    imageReady = Signal(str)
    imageFailed = Signal(str, str)

    def __init__(
        self,
        cache_dir: Path,
        *,
        offline: bool = False,
        max_bytes: int = DEFAULT_MAX_BYTES,
        transport: httpx.BaseTransport | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.cache_dir = Path(cache_dir)
        self.max_bytes = max_bytes
        self._offline = offline
        self._stop = threading.Event()
        self._closed = False
        self._pending: set[str] = set()
        self._failed: dict[str, str] = {}
        self._memory: OrderedDict[tuple[str, int, int], QPixmap] = OrderedDict()
        # Made at the first fetch: its TLS set-up costs tens of ms the window's start need
        # not pay (most starts show a cached image or none).
        self._transport = transport
        self._client: httpx.Client | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(WORKERS)
        self._bridge = _Bridge(self)
        self._bridge.stored.connect(self._on_stored)
        self._bridge.failed.connect(self._on_failed)
        self._bridge.cancelled.connect(self._on_cancelled)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # -- public ------------------------------------------------------------------------------

    @property
    def offline(self) -> bool:
        return self._offline

    def path_for(self, url: str) -> Path:
        """Where ``url`` is (or would be) kept on disk."""
        return self.cache_dir / cache_name(url)

    def failure(self, url: str) -> str | None:
        """Why ``url`` failed in this session, or ``None`` if it has not."""
        return self._failed.get(url)

    def is_pending(self, url: str) -> bool:
        """A fetch of ``url`` is queued or running."""
        return url in self._pending

    def pixmap(self, url: str | None, size: QSize) -> QPixmap | None:
        """The image for ``url`` scaled to fit ``size``, or ``None`` (and a fetch is queued).

        GUI thread only. Images are only ever scaled down, keeping their aspect ratio.
        """
        if not url:
            return None
        key = (url, size.width(), size.height())
        cached = self._memory.get(key)
        if cached is not None:
            self._memory.move_to_end(key)
            return cached
        if url in self._failed:
            return None
        if not is_web_url(url):
            self._fail_soon(url, "Only http and https image addresses are fetched.")
            return None
        image = self._load_from_disk(url)
        if image is not None:
            pixmap = QPixmap.fromImage(self._fit(image, size))
            self._memory[key] = pixmap
            while len(self._memory) > MEMORY_ENTRIES:
                self._memory.popitem(last=False)
            return pixmap
        if not self._offline and not self._closed and url not in self._pending:
            self._start(url)
        return None

    def set_offline(self, offline: bool) -> None:
        """Offline: serve from the disk cache only; running fetches are abandoned."""
        self._offline = offline

    def shutdown(self) -> None:
        """Cancel queued fetches, wait for running ones (bounded by the timeouts), close."""
        if self._closed:
            return
        self._closed = True
        self._stop.set()
        self._pool.clear()
        self._pool.waitForDone()
        self._pending.clear()
        if self._client is not None:
            self._client.close()

    # -- internals ---------------------------------------------------------------------------

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                transport=self._transport,
                timeout=httpx.Timeout(TIMEOUT[0], connect=TIMEOUT[1]),
                follow_redirects=False,
                headers={"User-Agent": USER_AGENT, "Accept": "image/*"},
            )
        return self._client

    def _start(self, url: str) -> None:
        self._pending.add(url)
        job = _FetchJob(
            url,
            self.path_for(url),
            self._http(),
            self.max_bytes,
            self._bridge,
            self._should_stop,
        )
        self._pool.start(job)

    def _should_stop(self) -> bool:  # called from workers: reads two flags, nothing else
        return self._offline or self._stop.is_set()

    def _load_from_disk(self, url: str) -> QImage | None:
        path = self.path_for(url)
        if not path.is_file():
            return None
        image = _read_image(QImageReader(str(path)))
        if image is None:  # a damaged entry: drop it so it can be fetched again
            log.info("Dropping an unreadable image cache entry %s", path.name)
            with contextlib.suppress(OSError):
                path.unlink()
        return image

    @staticmethod
    def _fit(image: QImage, size: QSize) -> QImage:
        if size.isEmpty() or (image.width() <= size.width() and image.height() <= size.height()):
            return image
        return image.scaled(
            size,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )

    def _fail_soon(self, url: str, reason: str) -> None:
        """Record a failure now, signal it from the event loop (never inside ``pixmap``)."""
        self._failed[url] = reason
        QTimer.singleShot(0, self, lambda: self.imageFailed.emit(url, reason))

    def _on_stored(self, url: str) -> None:
        self._pending.discard(url)
        if not self._closed:
            self.imageReady.emit(url)

    def _on_failed(self, url: str, reason: str) -> None:
        self._pending.discard(url)
        self._failed[url] = reason
        log.info("Image %s not shown: %s", url, reason)
        if not self._closed:
            self.imageFailed.emit(url, reason)

    def _on_cancelled(self, url: str) -> None:
        self._pending.discard(url)
