"""Entry point of every benchmark child process: ``python bench/child.py MODE [options]``.

The orchestrator (``run.py``) starts one of these per group of measurements, so each group
gets a fresh interpreter: start time and peak memory are a new process's, and no group pays
for another's garbage. Only ``sys`` and ``time`` are imported before ``TOP`` is taken; every
heavier import happens inside ``main`` so it counts towards the start figure like the
program's own imports do.

Modes (see ``run.py`` for who asks for what):
  prepare   generate the events once: pages file, caches with N and 560 events
  serve     the loopback LL2 server (ll2_loopback/) until stdin closes
  data      sync, store ingest, export and their baselines (no Qt)
  window    start to first painted rows, peak memory (fresh process each)
  interact  sort and filter in a shown window
  block     the GUI thread's longest stall during a sync
  soak      the seeded soak of the window (bench/soak.py), with its own server and baseline
  idle      an idle event loop's longest stall, until stdin closes (the soak's baseline)
"""

from __future__ import annotations

import time

#: Taken before any other import: the start figure's in-process clock.
TOP = time.perf_counter()


def main(argv: list[str] | None = None) -> int:
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "mode",
        choices=("prepare", "serve", "data", "window", "interact", "block", "soak", "idle"),
    )
    parser.add_argument("--measure", default="", help="comma-separated measurement names")
    parser.add_argument("--events", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--pages", type=Path, help="JSON lines, one page of events each")
    parser.add_argument("--db", type=Path, help="a dockview cache (missing: a fresh one)")
    parser.add_argument("--empty", action="store_true", help="an empty QMainWindow instead")
    parser.add_argument("--api-url")
    parser.add_argument("--server-pid", type=int)
    parser.add_argument("--cap", type=float, default=20.0)
    parser.add_argument("--sync-cap", type=float, default=120.0)
    parser.add_argument("--what", default="pages,cache,cache_560")
    parser.add_argument("--throttle-limit", type=int, help="serve: requests before a 429")
    parser.add_argument("--throttle-wait", type=float, help="serve: seconds a 429 lasts")
    parser.add_argument("--seconds", type=float, default=300.0, help="soak: how long")
    args = parser.parse_args(argv)
    names = [name for name in args.measure.split(",") if name]

    if args.mode == "serve":
        from bench.data_bench import serve

        return serve(args.events, args.seed, args.throttle_limit, args.throttle_wait)
    if args.mode == "prepare":
        from bench.data_bench import prepare

        return prepare(args.events, args.seed, args.workdir, args.what.split(","))
    if args.mode == "data":
        from bench.data_bench import run_data

        return run_data(names, args)
    if args.mode in ("soak", "idle"):
        from bench.soak import idle_mode, soak_mode

        return soak_mode(args) if args.mode == "soak" else idle_mode()
    from bench.gui_bench import run_gui

    return run_gui(args.mode, names, args, TOP)


if __name__ == "__main__":
    raise SystemExit(main())
