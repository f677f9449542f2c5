"""Runs tests/typing/public_api.py (the public API, type-checked strictly by scripts/test)
against the test server, so that what the type checkers accept also works."""

from __future__ import annotations

import pytest

from tests.typing import public_api


def test_sync_api(server, closed_url):
    public_api.sync_tour(server.url, closed_url)


@pytest.mark.anyio
async def test_async_api(server):
    await public_api.async_tour(server.url)
