"""API 2.4.0 (unreleased, at ``/api/ll/2.4.0/``): 2.3.0's normal shape, no detailed mode.

Its docking events have the same fields and filters as 2.3.0's normal mode, and every
chaser, target and docking-location field may be null. Reference collections choose their
mode by path (``agencies/detailed/``) rather than by ``?mode=``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ll2_loopback.catalogue import Event
from ll2_loopback.v230 import to_v230_normal

#: Static prefix of every docking event's ``url`` in 2.4.0.
API_ROOT_V240 = "https://ll.thespacedevs.com/api/ll/2.4.0"


def to_v240(event_v230_detailed: Mapping[str, Any]) -> Event:
    """A stored (detailed) 2.3.0 event as 2.4.0 answers it: the normal shape, own ``url``."""
    out = to_v230_normal(event_v230_detailed)
    ident = out.get("id")
    out["url"] = f"{API_ROOT_V240}/docking_events/{ident}/"
    out["response_mode"] = "normal"
    return out
