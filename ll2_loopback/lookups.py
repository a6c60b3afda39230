"""The reference records 2.3.0 and 2.4.0 keep outside their docking events.

2.3.0's docking events carry only a short configuration and agency, and 2.4.0 has no
detailed mode at all, so a client fetches the full records from
``spacecraft_configurations`` and ``agencies``. They are built here from the same catalogue
rows as 2.2.0's detailed events, so the same config or agency has the same values in every
version (2.2.0's ``country_code`` string becomes 2.3.0's ``country`` list, its
``image_url``/``logo_url`` strings become image objects).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs, urlencode

from ll2_loopback.catalogue import (
    AGENCIES,
    CONFIGS,
    COUNTRIES,
    EXTRA_AGENCIES,
    X_CONFIGS,
    Event,
    agency_brief,
)
from ll2_loopback.handler import Reply, json_reply, not_found
from ll2_loopback.query import DEFAULT_LIMIT, MAX_LIMIT, positive_int
from ll2_loopback.v220 import config_detailed
from ll2_loopback.v230 import V230Builder

#: Path parts of the lookup collections, as 2.3.0 names them.
CONFIGS_PATH = "spacecraft_configurations"
AGENCIES_PATH = "agencies"

_DETAIL_FIELDS = (
    "capability",
    "history",
    "details",
    "maiden_flight",
    "height",
    "diameter",
    "human_rated",
    "crew_capacity",
    "payload_capacity",
)
_LINK_FIELDS = ("flight_life", "wiki_link", "info_link")


def _countries(codes: str) -> list[Event]:
    out: list[Event] = []
    for code in (c.strip() for c in codes.split(",") if c.strip()):
        known = COUNTRIES.get(code)
        name = known.name if known else code
        nationality = known.nationality if known else ""
        out.append(
            {
                "id": known.id if known else 0,
                "name": name,
                "alpha_2_code": known.alpha_2 if known else "",
                "alpha_3_code": code,
                "nationality_name": nationality,
                "nationality_name_composed": nationality,
            }
        )
    return out


def agency_record(builder: V230Builder, ident: int) -> Event | None:
    """AgencyDetailed for an agency id (None for an id the catalogue does not know)."""
    normal = builder.agency_normal(ident)
    brief = agency_brief(ident)
    if normal is None or brief is None:
        return None
    return {
        **normal,
        "response_mode": "detailed",
        "country": _countries(brief.country),
        "total_launch_count": 0,
        "successful_launches": 0,
        "failed_launches": 0,
        "pending_launches": 0,
        "info_url": None,
        "wiki_url": None,
        "social_media_links": [],
    }


def config_record(builder: V230Builder, ident: int) -> Event | None:
    """SpacecraftConfigDetailed for a config id (None for an unknown one)."""
    if ident in CONFIGS:
        source = config_detailed(ident)
    elif ident in X_CONFIGS:
        row = X_CONFIGS[ident]
        brief = agency_brief(row.agency)
        source = {
            "id": ident,
            "name": row.name,
            "type": {"id": row.type_id, "name": row.type_name},
            "agency": {"id": row.agency, "name": brief.name if brief else None},
            "in_use": False,
            "image_url": None,
        }
    else:
        return None
    normal = builder.config(source)
    if normal is None:
        return None
    record: Event = {**normal, "response_mode": "detailed"}
    for key in (*_DETAIL_FIELDS, "payload_return_capacity", *_LINK_FIELDS):
        record[key] = source.get(key)
    record.update(
        {
            "spacecraft_flown": 0,
            "total_launch_count": 0,
            "successful_launches": 0,
            "failed_launches": 0,
            "attempted_landings": 0,
            "successful_landings": 0,
            "failed_landings": 0,
            "fastest_turnaround": None,
        }
    )
    return record


def all_configs(builder: V230Builder) -> list[Event]:
    """Every config record, by id (there are fewer than one page of 100)."""
    ids = sorted({*CONFIGS, *X_CONFIGS})
    return [record for ident in ids if (record := config_record(builder, ident)) is not None]


def all_agencies(builder: V230Builder) -> list[Event]:
    """Every agency the catalogue knows, by id."""
    ids = sorted({*AGENCIES, *EXTRA_AGENCIES})
    return [record for ident in ids if (record := agency_record(builder, ident)) is not None]


def select(records: list[Event], query: Mapping[str, str]) -> list[Event] | None:
    """The records the ``id`` and ``spacecraft`` filters keep; None when ``id`` is not one
    integer (the API answers 400 then)."""
    out = records
    text = query.get("id", "").strip()
    if text:
        try:
            wanted = int(text)
        except ValueError:
            return None
        out = [r for r in out if r.get("id") == wanted]
    flag = query.get("spacecraft", "").strip()
    if flag in ("true", "True", "1"):
        out = [r for r in out if r.get("spacecraft")]
    elif flag in ("false", "False", "0"):
        out = [r for r in out if not r.get("spacecraft")]
    return out


def shorten(record: Mapping[str, Any]) -> Event:
    """The normal mode of a detailed record: the detail fields left out."""
    dropped = {*_DETAIL_FIELDS, *_LINK_FIELDS, "description", "administrator", "founding_year"}
    out = {k: v for k, v in record.items() if k not in dropped}
    out["response_mode"] = "normal"
    return out


def lookup_reply(match: re.Match[str], raw_query: str, origin: str) -> Reply:
    """The answer to a lookup path (groups: root, collection, 2.4.0's ``detailed/``, id):
    one record by id, or a page (filters ``id`` and ``spacecraft``, ``limit``/``offset``)."""
    root, kind, mode_path, ident = match.groups()
    query = {k: v[-1] for k, v in parse_qs(raw_query, keep_blank_values=True).items()}
    detailed = query.get("mode") == "detailed" if root == "2.3.0" else mode_path is not None
    builder = V230Builder()
    records = all_configs(builder) if kind == CONFIGS_PATH else all_agencies(builder)
    if not detailed:
        records = [shorten(r) for r in records]
    if ident is not None:
        found = next((r for r in records if r.get("id") == int(ident)), None)
        return json_reply(200, found) if found is not None else not_found()
    selected = select(records, query)
    if selected is None:
        return json_reply(400, {"id": ["Enter a whole number."]})
    limit = min(positive_int(query.get("limit"), DEFAULT_LIMIT, strict=True), MAX_LIMIT)
    offset = positive_int(query.get("offset"), 0, strict=False)
    page = selected[offset : offset + limit]
    more = offset + limit < len(selected)
    payload: dict[str, Any] = {
        "count": len(selected),
        "next": None,
        "previous": None,
        "results": page,
    }
    if more:
        params = {**query, "limit": str(limit), "offset": str(offset + limit)}
        payload["next"] = f"{origin}{match.group(0)}?{urlencode(sorted(params.items()))}"
    return json_reply(200, payload)
