"""Streaming with `httprs.AsyncClient` (the async twin of tests/client/test_streaming.py),
on asyncio and trio."""

import gzip

import anyio
import httprs
import pytest

from tests.support.apps.main_app import CHARSET_TEXT, COMPRESSED_TEXT, JSON_DOC, pattern

pytestmark = [pytest.mark.network, pytest.mark.anyio]

FOUR_MB = 4 * 1024 * 1024


@pytest.fixture
async def client():
    async with httprs.AsyncClient() as c:
        yield c


async def collect(aiterator) -> list:
    return [item async for item in aiterator]


async def test_stream_is_not_read_until_asked(client, server):
    async with client.stream("GET", server.url + "/stream?chunks=5&size=10") as r:
        assert isinstance(r, httprs.Response)
        assert r.status_code == 200
        assert not r.is_closed
        assert not r.is_stream_consumed
        assert r.num_bytes_downloaded == 0
        with pytest.raises(httprs.ResponseNotRead):
            _ = r.content
        with pytest.raises(httprs.ResponseNotRead):
            _ = r.text
        with pytest.raises(httprs.ResponseNotRead):
            r.json()
        body = b"".join(await collect(r.aiter_bytes()))
        assert body == pattern(50)
        assert r.is_stream_consumed
        assert r.is_closed
        assert r.num_bytes_downloaded == 50


async def test_aread(client, server):
    async with client.stream("GET", server.url + "/stream?chunks=5&size=10") as r:
        assert await r.aread() == pattern(50)
        assert r.content == pattern(50)
        assert r.text == pattern(50).decode()
        assert r.is_closed
        # aread() again returns the cached content.
        assert await r.aread() == pattern(50)
        # A read response can be iterated again from its buffer.
        chunks = await collect(r.aiter_bytes(20))
        assert chunks == [pattern(20), pattern(20, 20), pattern(10, 40)]


async def test_aread_json(client, server):
    async with client.stream("GET", server.url + "/json") as r:
        await r.aread()
        assert r.json() == JSON_DOC


@pytest.mark.parametrize("chunk_size", [1, 7, 10, 64, 1000])
async def test_aiter_bytes_chunk_size(client, server, chunk_size):
    async with client.stream("GET", server.url + "/stream?chunks=5&size=10") as r:
        chunks = await collect(r.aiter_bytes(chunk_size))
    assert b"".join(chunks) == pattern(50)
    assert all(len(chunk) == chunk_size for chunk in chunks[:-1])
    assert 0 < len(chunks[-1]) <= chunk_size
    assert len(chunks) == -(-50 // chunk_size)


async def test_aiter_bytes_yields_data_as_it_arrives(client, server):
    async with client.stream("GET", server.url + "/slow-body?delay=0.4&chunks=3") as r:
        start = anyio.current_time()
        iterator = r.aiter_bytes()
        first = await anext(iterator)
        first_at = anyio.current_time() - start
        rest = b"".join(await collect(iterator))
    # The whole body takes ~1.2 s to arrive; the first chunk must not wait for all of it.
    assert first_at < 1.0
    assert first == b"chunk0\n"
    assert rest == b"chunk1\nchunk2\n"


async def test_headers_are_available_before_the_body(client, server):
    start = anyio.current_time()
    async with client.stream("GET", server.url + "/slow-body?delay=0.5&chunks=3") as r:
        headers_at = anyio.current_time() - start
        assert r.headers["content-type"] == "text/plain"
        assert await r.aread() == b"chunk0\nchunk1\nchunk2\n"
    assert headers_at < 1.2  # the body needs ~1.5 s


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


async def test_aiter_text(client, server):
    async with client.stream("GET", server.url + "/slow-body?delay=0.01&chunks=3") as r:
        assert "".join(await collect(r.aiter_text())) == "chunk0\nchunk1\nchunk2\n"


async def test_aiter_text_chunk_size_and_charset(client, server):
    async with client.stream("GET", server.url + "/charset/shift_jis") as r:
        chunks = await collect(r.aiter_text(2))
    assert "".join(chunks) == CHARSET_TEXT["shift_jis"]
    assert chunks == ["こん", "にち", "は世", "界"]


async def test_aiter_lines(client, server):
    async with client.stream("GET", server.url + "/slow-body?delay=0.01&chunks=3") as r:
        assert await collect(r.aiter_lines()) == ["chunk0", "chunk1", "chunk2"]


async def test_aiter_lines_across_chunk_boundaries(client, server):
    # 7-byte chunks: the pattern has no newlines so it is one single line.
    async with client.stream("GET", server.url + "/stream?chunks=4&size=7") as r:
        assert await collect(r.aiter_lines()) == [pattern(28).decode()]


async def test_aiter_raw_returns_undecoded_bytes(client, server):
    async with client.stream("GET", server.url + "/gzip") as r:
        raw = b"".join(await collect(r.aiter_raw()))
        assert len(raw) == int(r.headers["content-length"])
        assert raw != COMPRESSED_TEXT
        assert r.num_bytes_downloaded == len(raw)
    assert gzip.decompress(raw) == COMPRESSED_TEXT


async def test_aiter_bytes_decodes_gzip(client, server):
    async with client.stream("GET", server.url + "/gzip") as r:
        assert b"".join(await collect(r.aiter_bytes(100))) == COMPRESSED_TEXT
    async with client.stream("GET", server.url + "/deflate") as r:
        assert await r.aread() == COMPRESSED_TEXT


async def test_aiter_raw_chunk_size(client, server):
    async with client.stream("GET", server.url + "/bytes?size=100") as r:
        chunks = await collect(r.aiter_raw(16))
    assert [len(c) for c in chunks] == [16] * 6 + [4]
    assert b"".join(chunks) == pattern(100)


async def test_iterating_twice_raises_stream_consumed(client, server):
    async with client.stream("GET", server.url + "/stream?chunks=3&size=5") as r:
        await collect(r.aiter_bytes())
        with pytest.raises(httprs.StreamConsumed):
            await collect(r.aiter_bytes())
        with pytest.raises(httprs.StreamConsumed):
            await r.aread()
        with pytest.raises(httprs.ResponseNotRead):
            _ = r.content


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("aiter_raw", "aiter_raw"),
        ("aiter_bytes", "aiter_raw"),
        ("aiter_text", "aiter_lines"),
        ("aread", "aiter_raw"),
    ],
)
async def test_stream_consumed_combinations(client, server, first, second):
    async with client.stream("GET", server.url + "/stream?chunks=3&size=5") as r:
        if first == "aread":
            await r.aread()
        else:
            await collect(getattr(r, first)())
        with pytest.raises(httprs.StreamConsumed):
            await collect(getattr(r, second)())


async def test_aclose_then_stream_closed(client, server):
    async with client.stream("GET", server.url + "/stream?chunks=5&size=10") as r:
        await r.aclose()
        assert r.is_closed
        await r.aclose()  # closing twice is fine
        with pytest.raises(httprs.StreamClosed):
            await collect(r.aiter_bytes())
        with pytest.raises(httprs.StreamClosed):
            await collect(r.aiter_raw())
        with pytest.raises(httprs.StreamClosed):
            await r.aread()
        with pytest.raises(httprs.ResponseNotRead):
            _ = r.content
    # The client is still usable afterwards.
    assert (await client.get(server.url + "/bytes?size=5")).content == pattern(5)


async def test_leaving_the_block_closes_the_response(client, server):
    async with client.stream("GET", server.url + "/bytes?size=10") as r:
        pass
    assert r.is_closed
    with pytest.raises(httprs.ResponseNotRead):
        _ = r.content
    with pytest.raises(httprs.StreamClosed):
        await r.aread()


async def test_partial_iteration_then_exit(client, server):
    async with client.stream("GET", server.url + "/stream?chunks=100&size=1000") as r:
        first = await anext(r.aiter_bytes(10))
        assert first == pattern(10)
    assert r.is_closed
    # The client is still usable afterwards.
    assert (await client.get(server.url + "/bytes?size=5")).content == pattern(5)


async def test_exception_inside_the_block_closes_the_response(client, server):
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        async with client.stream("GET", server.url + "/stream?chunks=100&size=1000") as r:
            raise Boom()
    assert r.is_closed
    assert (await client.get(server.url + "/echo")).status_code == 200


async def test_send_with_stream_true(client, server):
    request = client.build_request("GET", server.url + "/bytes?size=10")
    response = await client.send(request, stream=True)
    try:
        assert not response.is_closed
        assert await response.aread() == pattern(10)
    finally:
        await response.aclose()
    assert response.is_closed


async def test_sync_reads_on_an_async_stream_raise_runtime_error(client, server):
    # As in httpx: a response streamed by an AsyncClient must be read with the a* methods.
    async with client.stream("GET", server.url + "/bytes?size=10") as r:
        with pytest.raises(RuntimeError):
            r.read()
        with pytest.raises(RuntimeError):
            list(r.iter_bytes())
        assert await r.aread() == pattern(10)


async def test_stream_follows_redirects(client, server):
    url = server.url + "/redirect/2"
    async with client.stream("GET", url, follow_redirects=True) as r:
        assert r.status_code == 200
        assert [h.status_code for h in r.history] == [302, 302]
        assert (await r.aread()).startswith(b"{")
        assert r.json()["path"] == "/echo"


async def test_stream_with_request_body(client, server):
    async with client.stream("POST", server.url + "/echo", json={"a": 1}) as r:
        await r.aread()
        assert r.json()["body"] == '{"a":1}'


async def test_large_body_streamed_in_chunks(client, server):
    chunk_size = 64 * 1024
    received = bytearray()
    count = 0
    async with client.stream("GET", server.url + f"/bytes?size={FOUR_MB}") as r:
        assert r.headers["content-length"] == str(FOUR_MB)
        async for chunk in r.aiter_bytes(chunk_size):
            assert len(chunk) == chunk_size or len(received) + len(chunk) == FOUR_MB
            received += chunk
            count += 1
        assert r.num_bytes_downloaded == FOUR_MB
    assert count == FOUR_MB // chunk_size
    assert bytes(received) == pattern(FOUR_MB)


async def test_large_chunked_body(client, server):
    async with client.stream("GET", server.url + "/stream?chunks=200&size=10000") as r:
        assert "content-length" not in r.headers
        assert r.headers["transfer-encoding"] == "chunked"
        total = sum([len(chunk) for chunk in await collect(r.aiter_raw())])
    assert total == 2_000_000


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
