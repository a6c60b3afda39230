"""HTTP plumbing of the loopback server: request records, replies and the handler.

Stdlib only (``http.server``), so the server also runs by hand without any package. The
handler hands every GET to :meth:`LL2TestServer._serve` and keeps connections alive, like
the real API behind its proxy.
"""

from __future__ import annotations

import json
import socket
import sys
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from ll2_loopback.server import LL2TestServer


class Headers(dict[str, str]):
    """A dict of request headers whose lookups ignore case (keys are stored lower-case)."""

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key.lower() if isinstance(key, str) else key)

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


@dataclass
class RecordedRequest:
    """One request as the server saw it, so tests can check what a client sent.

    ``headers`` is a dict whose lookups ignore case (``headers["authorization"]`` and
    ``headers["Authorization"]`` both work; iteration yields lower-case names).
    ``api_throttle`` marks requests to /2.3.0/api-throttle/ (they spend no budget).
    ``status`` is the status sent (0 when the connection was dropped without one).
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    api_throttle: bool = False
    status: int = 0


@dataclass
class Reply:
    """What the server will send: status, body, content type, extra headers."""

    status: int
    body: bytes
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    event_ids: list[int] = field(default_factory=list)


def json_reply(status: int, payload: Any, **headers: str) -> Reply:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Reply(status, body, headers=dict(headers))


def not_found() -> Reply:
    return json_reply(404, {"detail": "Not found."})


def html_page(title: str, text: str) -> bytes:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title></head>\n<body><h1>{title}</h1><p>{text}</p>"
        "<hr><p>cloudflare</p></body></html>\n"
    ).encode()


class HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], ll2: LL2TestServer) -> None:
        self.ll2 = ll2
        super().__init__(address, Handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet when a client hangs up: tests do that on purpose."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like the real API behind its proxy
    server_version = "LL2TestServer/2.2.0"
    sys_version = ""
    timeout = 30  # idle keep-alive connections go away eventually

    @property
    def ll2(self) -> LL2TestServer:
        return cast(HTTPServer, self.server).ll2

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes; without this, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every response.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.ll2._track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.ll2._track(self.connection, add=False)

    def log_message(self, format: str, *args: Any) -> None:
        if self.ll2.log_requests:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def do_GET(self) -> None:
        try:
            self.ll2._serve(self)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _refuse(self) -> None:
        record = self.ll2._record(self)
        reply = json_reply(
            405, {"detail": f'Method "{self.command}" not allowed.'}, Allow="GET, HEAD, OPTIONS"
        )
        self.send(reply, record)

    do_POST = do_PUT = do_PATCH = do_DELETE = _refuse

    def send(
        self,
        reply: Reply,
        record: RecordedRequest,
        *,
        content_type: str | None = None,
        cut: str | None = None,
    ) -> None:
        """Write a reply; ``cut`` = "half" sends half the body, "headers" none of it."""
        record.status = reply.status
        self.send_response(reply.status)
        self.send_header("Content-Type", content_type or reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self.send_header("Vary", "Accept")
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if cut == "headers":
            self.close_connection = True
            return
        if cut == "half":
            self.wfile.write(reply.body[: len(reply.body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(reply.body)
