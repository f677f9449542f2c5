"""Streaming with `httprs.AsyncClient` only, on asyncio and trio: the event loop runs while a
body is awaited, sync reads of an async stream are refused, ``aread()`` / ``aiter_*()`` on a
response that was not streamed. What both clients do is in test_streaming.py (on both,
through tests/drivers.py)."""

import anyio
import httprs
import pytest

from tests.support.apps.main_app import COMPRESSED_TEXT, JSON_DOC, pattern

pytestmark = [pytest.mark.network, pytest.mark.anyio]


@pytest.fixture
async def client():
    async with httprs.AsyncClient() as c:
        yield c


async def collect(aiterator) -> list:
    return [item async for item in aiterator]


async def test_aread_json(client, server):
    async with client.stream("GET", server.url + "/json") as r:
        await r.aread()
        assert r.json() == JSON_DOC


async def test_loop_keeps_running_while_waiting_for_body(client, server):
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            await anyio.sleep(0.05)
            ticks += 1

    async with anyio.create_task_group() as tg:
        tg.start_soon(ticker)
        async with client.stream("GET", server.url + "/slow-body?delay=0.3&chunks=2") as r:
            assert await r.aread() == b"chunk0\nchunk1\n"
        tg.cancel_scope.cancel()
    # ~0.6 s of waiting for the body: a free loop ticks ~12 times.
    assert ticks >= 5


async def test_exception_inside_the_block_closes_the_response(client, server):
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        async with client.stream("GET", server.url + "/stream?chunks=100&size=1000") as r:
            raise Boom()
    assert r.is_closed
    assert (await client.get(server.url + "/echo")).status_code == 200


async def test_sync_reads_on_an_async_stream_raise_runtime_error(client, server):
    # As in httpx: a response streamed by an AsyncClient must be read with the a* methods.
    async with client.stream("GET", server.url + "/bytes?size=10") as r:
        with pytest.raises(RuntimeError):
            r.read()
        with pytest.raises(RuntimeError):
            list(r.iter_bytes())
        assert await r.aread() == pattern(10)


# --- non-streamed responses ----------------------------------------------------------


async def test_aread_on_a_non_streamed_response_returns_content(client, server):
    response = await client.get(server.url + "/bytes?size=50")
    assert response.is_closed
    assert await response.aread() == pattern(50)
    assert await response.aread() == response.content
    # Its buffer can be iterated (again and again) without touching the network.
    assert b"".join(await collect(response.aiter_bytes(16))) == pattern(50)
    assert b"".join(await collect(response.aiter_bytes())) == pattern(50)
    assert "".join(await collect(response.aiter_text())) == pattern(50).decode()
    await response.aclose()  # a no-op on a closed response


async def test_non_streamed_gzip_response(client, server):
    response = await client.get(server.url + "/gzip")
    assert await response.aread() == COMPRESSED_TEXT
    assert await collect(response.aiter_lines()) == [COMPRESSED_TEXT.decode()]
