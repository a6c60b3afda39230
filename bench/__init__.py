"""dockview's benchmarks: ``python bench/run.py`` prints each figure beside its baseline.

Not part of the test run. ``run.py`` only orchestrates; every measurement runs in a child
process (``child.py``) so that start time and memory are those of a fresh process and no
benchmark inherits another one's heap, caches or Qt state.
"""
