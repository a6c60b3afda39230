"""ImageCache: background fetches into a sha256-named disk cache, and what it refuses."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QColor, QImage, QImageWriter
from pytestqt.qtbot import QtBot

from dockview import __version__
from dockview.ui.images import ImageCache

URL = "https://thespacedevs-prod.nyc3.digitaloceanspaces.com/media/images/dragon.png"
SIZE = QSize(40, 40)
Handler = Callable[[httpx.Request], httpx.Response]


def make_png(width: int = 64, height: int = 32) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("steelblue"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    assert QImageWriter(buffer, QByteArray(b"png")).write(image)
    return bytes(buffer.data().data())


class Server:
    """A MockTransport that records every request and answers with ``handler``."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.requests: list[httpx.Request] = []
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.handler(request)


@pytest.fixture
def png(qapp: object) -> bytes:
    return make_png()


@pytest.fixture
def cache_dir(tmp_path: Path) -> Path:
    return tmp_path / "images"


@pytest.fixture
def make_cache(cache_dir: Path) -> Iterator[Callable[..., ImageCache]]:
    made: list[ImageCache] = []

    def make(server: Server | None = None, **kwargs: object) -> ImageCache:
        transport = server.transport if server else httpx.MockTransport(_no_network)
        cache = ImageCache(cache_dir, transport=transport, **kwargs)  # type: ignore[arg-type]
        made.append(cache)
        return cache

    yield make
    for cache in made:
        cache.shutdown()


def _no_network(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"unexpected request to {request.url}")


def cache_files(cache_dir: Path) -> list[str]:
    return sorted(path.name for path in cache_dir.iterdir()) if cache_dir.exists() else []


def test_fetches_in_background_and_caches_under_sha256_name(
    qtbot: QtBot, make_cache: Callable[..., ImageCache], cache_dir: Path, png: bytes
) -> None:
    server = Server(lambda request: httpx.Response(200, content=png))
    cache = make_cache(server)

    with qtbot.waitSignal(cache.imageReady, timeout=3000) as ready:
        assert cache.pixmap(URL, SIZE) is None  # not cached yet: a fetch is queued
        assert cache.is_pending(URL)
    assert ready.args == [URL]

    name = hashlib.sha256(URL.encode()).hexdigest()
    assert cache_files(cache_dir) == [name]  # no temporary file left beside it
    stored = QImage(str(cache_dir / name))
    assert (stored.width(), stored.height()) == (64, 32)

    pixmap = cache.pixmap(URL, SIZE)
    assert pixmap is not None
    assert (pixmap.width(), pixmap.height()) == (40, 20)  # scaled down, aspect kept
    assert cache.pixmap(URL, SIZE) is pixmap  # the memory cache answers the second time
    assert len(server.requests) == 1
    assert server.requests[0].headers["User-Agent"] == f"dockview/{__version__}"


def test_second_instance_offline_serves_from_disk_without_requests(
    qtbot: QtBot, make_cache: Callable[..., ImageCache], png: bytes
) -> None:
    online = make_cache(Server(lambda request: httpx.Response(200, content=png)))
    with qtbot.waitSignal(online.imageReady, timeout=3000):
        online.pixmap(URL, SIZE)
    online.shutdown()

    never = Server(_no_network)
    offline = make_cache(never, offline=True)
    pixmap = offline.pixmap(URL, QSize(200, 200))
    assert pixmap is not None
    assert (pixmap.width(), pixmap.height()) == (64, 32)  # never scaled up
    assert offline.pixmap("https://example.org/not-cached.png", SIZE) is None
    assert not offline.is_pending("https://example.org/not-cached.png")
    offline.shutdown()
    assert never.requests == []


def test_one_request_for_a_url_asked_for_twice(
    qtbot: QtBot, make_cache: Callable[..., ImageCache], png: bytes
) -> None:
    server = Server(lambda request: httpx.Response(200, content=png))
    cache = make_cache(server)
    with qtbot.waitSignal(cache.imageReady, timeout=3000):
        cache.pixmap(URL, SIZE)
        cache.pixmap(URL, QSize(10, 10))
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/a.png",
        "data:image/png;base64,iVBORw0KGgo=",
        "javascript:alert(1)",
        "../../etc/passwd",
    ],
)
def test_non_http_url_fails_without_a_request(
    qtbot: QtBot, make_cache: Callable[..., ImageCache], cache_dir: Path, url: str
) -> None:
    server = Server(_no_network)
    cache = make_cache(server)
    with qtbot.waitSignal(cache.imageFailed, timeout=1000) as failed:
        assert cache.pixmap(url, SIZE) is None
    assert failed.args[0] == url
    assert "http" in failed.args[1]
    assert cache.failure(url) is not None
    cache.shutdown()
    assert server.requests == []
    assert cache_files(cache_dir) == []


def test_oversize_by_content_length_is_refused_before_reading(
    qtbot: QtBot, make_cache: Callable[..., ImageCache], cache_dir: Path
) -> None:
    read: list[int] = []

    def body() -> Iterator[bytes]:
        read.append(1)
        yield make_png(400, 400)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body(), headers={"Content-Length": "5000000"})

    cache = make_cache(Server(handler), max_bytes=1000)
    with qtbot.waitSignal(cache.imageFailed, timeout=3000) as failed:
        cache.pixmap(URL, SIZE)
    assert "larger than 1,000 bytes" in failed.args[1]
    assert read == []  # the declared length alone was enough to refuse
    assert cache_files(cache_dir) == []


def test_oversize_stream_without_length_is_cut_off(
    qtbot: QtBot, make_cache: Callable[..., ImageCache], cache_dir: Path
) -> None:
    sent: list[int] = []

    def chunks() -> Iterator[bytes]:
        for index in range(100):
            sent.append(index)
            yield b"\x89PNG" + b"x" * 996

    def handler(request: httpx.Request) -> httpx.Response:
        response = httpx.Response(200, content=chunks())
        assert "Content-Length" not in response.headers
        return response

    cache = make_cache(Server(handler), max_bytes=2500)
    with qtbot.waitSignal(cache.imageFailed, timeout=3000) as failed:
        cache.pixmap(URL, SIZE)
    assert "larger than" in failed.args[1]
    assert len(sent) <= 4  # aborted as soon as the count passed the cap
    assert cache_files(cache_dir) == []


def test_bytes_that_are_not_an_image_are_refused(
    qtbot: QtBot, make_cache: Callable[..., ImageCache], cache_dir: Path
) -> None:
    html_page = b"<html><body><img src=x onerror=alert(1)></body></html>"
    server = Server(
        lambda request: httpx.Response(
            200, content=html_page, headers={"Content-Type": "image/png"}
        )
    )
    cache = make_cache(server)
    with qtbot.waitSignal(cache.imageFailed, timeout=3000) as failed:
        cache.pixmap(URL, SIZE)
    assert "image" in failed.args[1]
    assert cache_files(cache_dir) == []


def test_failed_url_is_not_retried_in_the_same_session(
    qtbot: QtBot, make_cache: Callable[..., ImageCache]
) -> None:
    server = Server(lambda request: httpx.Response(404))
    cache = make_cache(server)
    with qtbot.waitSignal(cache.imageFailed, timeout=3000) as failed:
        cache.pixmap(URL, SIZE)
    assert "404" in failed.args[1]
    assert cache.pixmap(URL, SIZE) is None
    assert not cache.is_pending(URL)
    cache.shutdown()
    assert len(server.requests) == 1


def test_redirects_followed_only_to_http(
    qtbot: QtBot, make_cache: Callable[..., ImageCache], png: bytes
) -> None:
    moved = "https://cdn.example.org/moved.png"
    bad = "https://example.org/to-file.png"

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == URL:
            return httpx.Response(302, headers={"Location": moved})
        if str(request.url) == bad:
            return httpx.Response(302, headers={"Location": "file:///etc/passwd"})
        return httpx.Response(200, content=png)

    server = Server(handler)
    cache = make_cache(server)
    with qtbot.waitSignal(cache.imageReady, timeout=3000):
        cache.pixmap(URL, SIZE)
    assert cache.pixmap(URL, SIZE) is not None
    with qtbot.waitSignal(cache.imageFailed, timeout=3000) as failed:
        cache.pixmap(bad, SIZE)
    assert "http" in failed.args[1]
    assert [str(request.url) for request in server.requests] == [URL, moved, bad]


def test_absent_url_gives_the_placeholder_path(make_cache: Callable[..., ImageCache]) -> None:
    cache = make_cache()
    assert cache.pixmap(None, SIZE) is None
    assert cache.pixmap("", SIZE) is None


def test_damaged_cache_entry_is_dropped(
    make_cache: Callable[..., ImageCache], cache_dir: Path
) -> None:
    cache = make_cache(offline=True)
    cache_dir.mkdir()
    cache.path_for(URL).write_bytes(b"not an image")
    assert cache.pixmap(URL, SIZE) is None
    assert cache_files(cache_dir) == []
