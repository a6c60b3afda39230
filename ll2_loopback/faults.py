"""The ways the loopback server misbehaves on demand, by name.

Faults act only on docking-event requests (list and detail), in the order they were
queued (or at a chosen request). A fault that replaces the answer is answered before the
rate limit is consulted and spends no budget; the others wrap whatever the API would have
answered, 429 included.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ll2_loopback.handler import Reply, html_page


class Fault(StrEnum):
    """What :meth:`LL2TestServer.inject` accepts; the value is the name tests pass."""

    #: ``{"detail": "Internal server error."}`` with status 500.
    HTTP_500 = "500"
    #: A plain-text 502 from the proxy.
    HTTP_502 = "502"
    #: A JSON 503.
    HTTP_503 = "503"
    #: Any status, body, content type and headers (``status=``, ``body=``, ...).
    STATUS = "status"
    #: Cloudflare's HTML error page with status 200.
    HTML_ERROR = "html_error"
    #: Django's HTML "Server Error (500)".
    HTML_500 = "html_500"
    #: The real answer with another ``Content-Type`` (``content_type=``).
    WRONG_CONTENT_TYPE = "wrong_content_type"
    #: Half the body, then the connection closes.
    TRUNCATED = "truncated"
    #: The connection closes after the headers (``when="start"``: before anything).
    DROP = "drop"
    #: A body that is not JSON, with status 200.
    INVALID_JSON = "invalid_json"
    #: The answer after ``delay`` seconds (5 by default); stopping the server cuts it.
    SLOW = "slow"
    #: A ``next`` link to another origin (``next_origin=``).
    FOREIGN_NEXT = "foreign_next"
    #: After answering, an event appears before the first one (``event=``, ``docking=``).
    INSERT_BETWEEN_PAGES = "insert_between_pages"
    #: After answering, the first event of the page (or ``event_id=``) disappears.
    REMOVE_BETWEEN_PAGES = "remove_between_pages"

    @classmethod
    def named(cls, name: str) -> Fault:
        """The fault of this name, or ValueError listing the known ones."""
        try:
            return cls(name)
        except ValueError:
            known = ", ".join(sorted(fault.value for fault in cls))
            raise ValueError(f"unknown fault {name!r}; known: {known}") from None


#: Faults that answer instead of the API (so they neither reach nor spend the rate limit).
REPLACING = frozenset(
    {
        Fault.HTTP_500,
        Fault.HTTP_502,
        Fault.HTTP_503,
        Fault.STATUS,
        Fault.HTML_ERROR,
        Fault.HTML_500,
        Fault.INVALID_JSON,
    }
)


@dataclass
class QueuedFault:
    fault: Fault
    remaining: int
    start: int | None
    options: dict[str, Any]


def fault_reply(fault: Fault, options: Mapping[str, Any]) -> Reply:
    """The answer of a fault that replaces the API's; ``options`` override its parts."""
    defaults: dict[Fault, tuple[int, str, str]] = {
        Fault.HTTP_500: (500, "application/json", '{"detail":"Internal server error."}'),
        Fault.HTTP_502: (502, "text/plain; charset=utf-8", "502 Bad Gateway"),
        Fault.HTTP_503: (
            503,
            "application/json",
            '{"detail":"Service temporarily unavailable, try again later."}',
        ),
        Fault.STATUS: (404, "application/json", '{"detail":"Not found."}'),
        Fault.HTML_ERROR: (
            200,
            "text/html; charset=utf-8",
            html_page(
                "ll.thespacedevs.com | 502: Bad gateway",
                "The web server reported a bad gateway error. Please try again in a few minutes.",
            ).decode(),
        ),
        Fault.HTML_500: (
            500,
            "text/html; charset=utf-8",
            '<!doctype html>\n<html lang="en"><head><title>Server Error (500)'
            "</title></head><body><h1>Server Error (500)</h1><p></p></body></html>\n",
        ),
        Fault.INVALID_JSON: (
            200,
            "application/json",
            '{"count": 5, "results": [{"id": 1, "docking": "2024-0\x00<<garbage>> }{ ]]',
        ),
    }
    status, content_type, body = defaults[fault]
    reply = Reply(
        int(options.get("status", status)),
        str(options.get("body", body)).encode("utf-8"),
        str(options.get("content_type", content_type)),
    )
    if "retry_after" in options:
        reply.headers["Retry-After"] = str(options["retry_after"])
    reply.headers.update({str(k): str(v) for k, v in options.get("headers", {}).items()})
    return reply
