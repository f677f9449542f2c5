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


# --- a body stream a transport hands on --------------------------------------------------


class HandedOnStream(httprs.AsyncByteStream):
    """A user's body stream over a real network response; records its ``aclose()``. With
    ``fail_after_first`` it raises that exception after the first chunk."""

    def __init__(self, response, fail_after_first=None):
        self.response = response
        self.fail_after_first = fail_after_first
        self.closed = False

    async def __aiter__(self):
        async for chunk in self.response.aiter_raw():
            yield chunk
            if self.fail_after_first is not None:
                raise self.fail_after_first

    async def aclose(self):
        self.closed = True
        await self.response.aclose()


class HandingOnTransport(httprs.AsyncBaseTransport):
    """Sends over the network and hands the response body on in a ``HandedOnStream``."""

    def __init__(self, fail_after_first=None):
        self.network = httprs.AsyncHTTPTransport()
        self.fail_after_first = fail_after_first
        self.streams: list[HandedOnStream] = []

    async def handle_async_request(self, request):
        response = await self.network.handle_async_request(request)
        stream = HandedOnStream(response, self.fail_after_first)
        self.streams.append(stream)
        return httprs.Response(response.status_code, headers=response.headers, stream=stream)

    async def aclose(self):
        await self.network.aclose()


async def test_cancelling_a_read_closes_the_stream_a_transport_gave(server):
    # As httpx's `send()`: `except BaseException: await response.aclose()`.
    transport = HandingOnTransport()
    async with httprs.AsyncClient(transport=transport) as c:
        with anyio.move_on_after(0.3) as scope:
            await c.get(server.url + "/slow-body?delay=0.1&chunks=50")
        assert scope.cancelled_caught
        (stream,) = transport.streams
        assert stream.closed


async def test_cancelling_inside_a_stream_block_closes_the_stream_a_transport_gave(server):
    transport = HandingOnTransport()
    async with httprs.AsyncClient(transport=transport) as c:
        with anyio.move_on_after(0.3) as scope:
            async with c.stream("GET", server.url + "/slow-body?delay=0.1&chunks=50") as r:
                async for _ in r.aiter_raw():
                    pass
        assert scope.cancelled_caught
        (stream,) = transport.streams
        assert stream.closed
        assert r.is_closed


@pytest.mark.parametrize("error", [KeyboardInterrupt, ValueError])
async def test_an_error_from_the_stream_closes_it(server, error):
    transport = HandingOnTransport(fail_after_first=error())
    async with httprs.AsyncClient(transport=transport) as c:
        with pytest.raises(error):
            await c.get(server.url + "/slow-body?delay=0&chunks=3")
        (stream,) = transport.streams
        assert stream.closed


async def test_aclose_of_a_response_awaits_the_aclose_of_its_stream(server):
    transport = HandingOnTransport()
    async with httprs.AsyncClient(transport=transport) as c:
        request = c.build_request("GET", server.url + "/slow-body?delay=0&chunks=3")
        response = await c.send(request, stream=True)
        (stream,) = transport.streams
        assert not stream.closed
        assert await response.aclose() is None
        assert stream.closed and response.is_closed
