"""Full configuration and agency records for 2.3.0 and 2.4.0 events, within the budget.

2.2.0's detailed mode put the whole configuration and agency inside every event. 2.3.0's
events carry only a short copy, and 2.4.0 has no detailed mode, so the detail pane's
Configuration and Agency sections need the records from their own endpoints. Every record
costs budget (15 requests an hour), so:

- all configurations fit one page of 100, and one request for agencies with spacecraft
  (``spacecraft=true``) covers the agencies the events name; an id still missing after that
  is asked for by itself, and an id that never resolves is asked for at most once a day;
- the tables are refreshed at most once a week, or when an event names an id they lack; an
  incremental sync refreshes at most one stale table, so it stays within 2 requests (+1
  only when an unseen configuration or agency appears);
- a failure here (an error, a timeout, the rate limit) never fails the sync: the events are
  stored, the pane says the details are not fetched yet, and the next sync tries again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from dockview.api import LOOKUP_AGENCIES, LOOKUP_CONFIGS, LL2Client
from dockview.errors import ApiError, SyncCancelled
from dockview.lookup_records import LookupRecords
from dockview.store import Store
from dockview.timefmt import iso_utc_seconds, parse_time, utc_now_iso

log = logging.getLogger(__name__)

LOOKUP_STATE = "lookups"
KINDS = (LOOKUP_CONFIGS, LOOKUP_AGENCIES)
REFRESH_EVERY = timedelta(days=7)
#: An id that did not resolve is asked for again after this long.
RETRY_MISSING_AFTER = timedelta(days=1)
#: Ids still missing after the page request are asked for one by one, at most this many
#: per kind and sync (each is a request of the hourly budget).
MAX_SINGLE_REQUESTS = 2
#: What the whole-table request of each kind filters by.
_PAGE_FILTERS = {LOOKUP_CONFIGS: {}, LOOKUP_AGENCIES: {"spacecraft": "true"}}


@dataclass
class LookupOutcome:
    """What the lookup step did: requests spent, records stored, and a failure if any."""

    requests: int = 0
    stored: dict[str, int] = field(default_factory=dict)
    failure: str | None = None


def refresh_lookups(store: Store, client: LL2Client, *, incremental: bool) -> LookupOutcome:
    """Fetch what the stored events need (see the module docstring); never raises ApiError."""
    outcome = LookupOutcome()
    if not client.flavour.lookup_paths:
        return outcome  # 2.2.0: the events carry the full records
    now = datetime.now(UTC)
    state = store.get_state(LOOKUP_STATE)
    state = dict(state) if isinstance(state, dict) else {}
    not_since = iso_utc_seconds(now - RETRY_MISSING_AFTER)
    records_kept = LookupRecords(store)
    missing = {kind: records_kept.missing_ids(kind, not_asked_since=not_since) for kind in KINDS}
    stale = [kind for kind in KINDS if _is_stale(state.get(kind), now)]
    plan = [kind for kind in KINDS if missing[kind]]
    if incremental:
        if not plan and stale:
            plan = [min(stale, key=lambda kind: str(state.get(kind) or ""))]
    else:
        plan += [kind for kind in stale if kind not in plan]
    before = client.requests_made
    try:
        for kind in plan:
            records = list(client.fetch_lookup(kind, _PAGE_FILTERS[kind]))
            still = records_kept.write(kind, records, missing[kind])
            state[kind] = utc_now_iso()
            outcome.stored[kind] = len(records)
            for ident in still[:MAX_SINGLE_REQUESTS]:
                found = client.fetch_lookup(kind, {"id": str(ident)})
                records_kept.write(kind, found, [ident])
                outcome.stored[kind] += len(found)
    except (ApiError, SyncCancelled) as exc:
        outcome.failure = str(exc)
        log.warning("Configuration and agency records not fetched: %s", client.redact(str(exc)))
    finally:
        outcome.requests = client.requests_made - before
        store.set_state(LOOKUP_STATE, state)
    return outcome


def _is_stale(refreshed_at: object, now: datetime) -> bool:
    when = parse_time(refreshed_at)
    return when is None or now - when >= REFRESH_EVERY
