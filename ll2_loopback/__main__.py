"""Serve the loopback LL2 by hand: ``python -m ll2_loopback --port 8000 --events 600``.

The lines printed are the 2.2.0, 2.3.0 and 2.4.0 base URLs, in that order; Ctrl-C or SIGTERM
stops it.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from ll2_loopback.generator import generate_events
from ll2_loopback.server import LL2TestServer
from ll2_loopback.v220 import real_events


def _parse_throttle(text: str) -> tuple[int, float]:
    """``"15/3600"`` -> (15, 3600.0); the window defaults to an hour."""
    limit, _, window = text.partition("/")
    return int(limit), float(window or 3600)


def main(argv: list[str] | None = None) -> int:
    """Serve by hand until Ctrl-C: ``python -m ll2_loopback --port 8000 --events 600``."""
    parser = argparse.ArgumentParser(description="Imitation of Launch Library 2 (2.2.0, 2.3.0).")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--events", type=int, default=560, help="generated events")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-real", action="store_true", help="leave out the 10 real events")
    parser.add_argument("--throttle", metavar="N/SECS", help="e.g. 15/3600 (the real limit)")
    parser.add_argument("--throttle-style", choices=("header", "body", "none"), default="header")
    parser.add_argument("--throttle-wait", type=float, help="seconds a 429 lasts")
    parser.add_argument("--quiet", action="store_true", help="no request log on stderr")
    parser.add_argument(
        "--retire-v220", type=int, metavar="STATUS", help="answer 2.2.0 with 404 or 410"
    )
    parser.add_argument(
        "--no-v230-extras", action="store_true", help="2.3.0 without the non-station dockings"
    )
    args = parser.parse_args(argv)

    events = generate_events(args.events, seed=args.seed)
    if not args.no_real:
        events += real_events()
    limit: int | None = None
    window = 3600.0
    if args.throttle:
        limit, window = _parse_throttle(args.throttle)
    server = LL2TestServer(
        events,
        throttle_limit=limit,
        throttle_window=window,
        throttle_style=args.throttle_style,
        port=args.port,
        v230_extras=not args.no_v230_extras,
    )
    server.retire_v220 = args.retire_v220
    server.throttle_wait = args.throttle_wait
    server.log_requests = not args.quiet
    server.cache_results = True  # nobody edits events in place here; pages come fast
    server.start()
    print(server.base_url, flush=True)  # then 2.3.0, then 2.4.0
    print(server.base_url_v230, flush=True)
    print(server.base_url_v240, flush=True)
    n_v230 = len(server.events_v230)
    print(
        f"{len(events)} docking events (2.3.0: {n_v230}); Ctrl-C stops.",
        file=sys.stderr,
        flush=True,
    )
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())  # `kill` stops it cleanly too
    try:
        while not done.wait(0.5):  # short waits keep Ctrl-C responsive everywhere
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
