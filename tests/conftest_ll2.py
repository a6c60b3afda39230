"""The ``ll2_server`` fixture: a fresh loopback Launch Library 2 (``ll2_loopback``) per test.

Kept out of conftest.py so the project's conftest can pull it in with
``pytest_plugins = ["tests.conftest_ll2"]`` (or an import) without owning it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ll2_loopback import LL2TestServer, generate_events, real_events


@pytest.fixture
def ll2_server() -> Iterator[LL2TestServer]:
    """A started server with generate_events(560, seed=1) + real_events(); stopped after."""
    server = LL2TestServer(generate_events(560, seed=1) + real_events()).start()
    try:
        yield server
    finally:
        server.stop()
