"""httpx's rule: a client sends request bodies of its own kind, and a response's stream is
closed the way it is read (bytes in memory are both). Every client test runs on ``sync``,
``async-asyncio`` and ``async-trio`` (tests/drivers.py)."""

from __future__ import annotations

import httprs
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401

pytestmark = [pytest.mark.network, pytest.mark.anyio]


async def test_a_body_of_the_other_kind_is_a_runtime_error(driver, server):
    """httpx's rule: a client sends bodies of its own kind (bytes are both)."""

    def sync_body():
        yield b"a"

    async def async_body():
        yield b"a"

    other = sync_body() if driver.is_async else async_body()
    message = "sync request with an AsyncClient" if driver.is_async else "async request with a sync"
    async with driver.client() as c:
        with pytest.raises(RuntimeError, match=message):
            await c.post(server.url + "/echo", content=other)
        own = async_body() if driver.is_async else sync_body()
        assert (await c.post(server.url + "/echo", content=own)).json()["body"] == "a"


@pytest.mark.parametrize("kind", ["sync", "async"])
async def test_closing_a_stream_of_the_other_kind_is_a_runtime_error(kind):
    def sync_body():
        yield b"a"  # pragma: no cover

    async def async_body():
        yield b"a"  # pragma: no cover

    if kind == "sync":
        with pytest.raises(RuntimeError, match="async close on an sync stream"):
            await httprs.Response(200, content=sync_body()).aclose()
        httprs.Response(200, content=sync_body()).close()
    else:
        with pytest.raises(RuntimeError, match="sync close on an async stream"):
            httprs.Response(200, content=async_body()).close()
        await httprs.Response(200, content=async_body()).aclose()
