"""Streaming responses: ``client.stream(...)``, the iterators, ``read()``, closing, and the
errors for a stream read twice or after it was closed.

The ``async def`` tests take ``driver`` and run on ``sync``, ``async-asyncio`` and
``async-trio`` (tests/drivers.py); a streamed response is read the way of its client
(``iter_bytes()`` / ``aiter_bytes()``, ...) through the ``ClientDriver`` helpers
(``await c.iter_bytes(r)``, ``await c.read(r)``, ...). The plain ``def`` tests are sync-only;
what only the async client does is in test_async_streaming.py.
"""

import gzip
import time

import httprs
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.apps.main_app import CHARSET_TEXT, COMPRESSED_TEXT, pattern
from tests.support.servers.raw import RawServer

pytestmark = [pytest.mark.network, pytest.mark.anyio]

TEN_MB = 10 * 1024 * 1024


async def test_stream_is_not_read_until_asked(driver, server):
    async with driver.client() as c:
        async with c.stream("GET", server.url + "/stream?chunks=5&size=10") as r:
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
            body = b"".join(await c.iter_bytes(r))
            assert body == pattern(50)
            assert r.is_stream_consumed
            assert r.is_closed
            assert r.num_bytes_downloaded == 50


@pytest.mark.parametrize("chunk_size", [1, 7, 10, 64, 1000])
async def test_iter_bytes_chunk_size(driver, server, chunk_size):
    async with driver.client() as c:
        async with c.stream("GET", server.url + "/stream?chunks=5&size=10") as r:
            chunks = await c.iter_bytes(r, chunk_size)
    assert b"".join(chunks) == pattern(50)
    assert all(len(chunk) == chunk_size for chunk in chunks[:-1])
    assert 0 < len(chunks[-1]) <= chunk_size
    assert len(chunks) == -(-50 // chunk_size)


async def test_iter_bytes_without_chunk_size_yields_data_as_it_arrives(driver, server):
    async with driver.client() as c:
        async with c.stream("GET", server.url + "/slow-body?delay=0.4&chunks=3") as r:
            start = time.monotonic()
            iterator = c.aiter(r, "bytes")
            first = await anext(iterator)
            first_at = time.monotonic() - start
            rest = b"".join([chunk async for chunk in iterator])
    # The whole body takes ~1.2 s to arrive; the first chunk must not wait for all of it.
    assert first_at < 1.0
    assert first == b"chunk0\n"
    assert rest == b"chunk1\nchunk2\n"


async def test_headers_are_available_before_the_body(driver, server):
    async with driver.client() as c:
        start = time.monotonic()
        async with c.stream("GET", server.url + "/slow-body?delay=0.5&chunks=3") as r:
            headers_at = time.monotonic() - start
            assert r.headers["content-type"] == "text/plain"
            assert await c.read(r) == b"chunk0\nchunk1\nchunk2\n"
    assert headers_at < 1.2  # the body needs ~1.5 s


async def test_iter_text(driver, server):
    async with driver.client() as c:
        async with c.stream("GET", server.url + "/slow-body?delay=0.01&chunks=3") as r:
            assert "".join(await c.iter_text(r)) == "chunk0\nchunk1\nchunk2\n"


async def test_iter_text_chunk_size_and_charset(driver, server):
    async with driver.client() as c:
        async with c.stream("GET", server.url + "/charset/shift_jis") as r:
            chunks = await c.iter_text(r, 2)
    assert "".join(chunks) == CHARSET_TEXT["shift_jis"]
    assert chunks == ["こん", "にち", "は世", "界"]


def test_iter_text_multibyte_split_across_chunks():
    # Chunked encoding that splits multi-byte characters; decoding must be incremental.
    body = "é✓\n世".encode()
    chunked = b"".join(b"%x\r\n%s\r\n" % (1, body[i : i + 1]) for i in range(len(body)))
    payload = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + chunked + b"0\r\n\r\n"
    )
    with RawServer(payload) as raw:
        with httprs.stream("GET", raw.url) as r:
            assert "".join(r.iter_text()) == "é✓\n世"
        with httprs.stream("GET", raw.url) as r:
            assert list(r.iter_lines()) == ["é✓", "世"]


async def test_iter_lines(driver, server):
    async with driver.client() as c:
        async with c.stream("GET", server.url + "/slow-body?delay=0.01&chunks=3") as r:
            assert await c.iter_lines(r) == ["chunk0", "chunk1", "chunk2"]


async def test_iter_lines_across_chunk_boundaries(driver, server):
    # 7-byte chunks: the pattern has no newlines so it is one single line.
    async with driver.client() as c:
        async with c.stream("GET", server.url + "/stream?chunks=4&size=7") as r:
            assert await c.iter_lines(r) == [pattern(28).decode()]


async def test_iter_raw_returns_undecoded_bytes(driver, server):
    async with driver.client() as c:
        async with c.stream("GET", server.url + "/gzip") as r:
            raw = b"".join(await c.iter_raw(r))
            assert len(raw) == int(r.headers["content-length"])
            assert raw != COMPRESSED_TEXT
            assert r.num_bytes_downloaded == len(raw)
    assert gzip.decompress(raw) == COMPRESSED_TEXT


async def test_iter_raw_chunk_size(driver, server):
    async with driver.client() as c:
        async with c.stream("GET", server.url + "/bytes?size=100") as r:
            chunks = await c.iter_raw(r, 16)
    assert [len(chunk) for chunk in chunks] == [16] * 6 + [4]
    assert b"".join(chunks) == pattern(100)


async def test_iter_bytes_decodes_gzip_and_deflate(driver, server):
    async with driver.client() as c:
        async with c.stream("GET", server.url + "/gzip") as r:
            assert b"".join(await c.iter_bytes(r, 100)) == COMPRESSED_TEXT
        async with c.stream("GET", server.url + "/deflate") as r:
            assert await c.read(r) == COMPRESSED_TEXT


async def test_read_then_content(driver, server):
    async with driver.client() as c:
        async with c.stream("GET", server.url + "/stream?chunks=5&size=10") as r:
            assert await c.read(r) == pattern(50)
            assert r.content == pattern(50)
            assert r.text == pattern(50).decode()
            assert r.is_closed
            # read() again returns the cached content.
            assert await c.read(r) == pattern(50)
            # A read response can be iterated again from its buffer.
            chunks = await c.iter_bytes(r, 20)
            assert chunks == [pattern(20), pattern(20, 20), pattern(10, 40)]


async def test_iterating_twice_raises_stream_consumed(driver, server):
    async with driver.client() as c:
        async with c.stream("GET", server.url + "/stream?chunks=3&size=5") as r:
            await c.iter_bytes(r)
            with pytest.raises(httprs.StreamConsumed):
                await c.iter_bytes(r)
            with pytest.raises(httprs.StreamConsumed):
                await c.read(r)
            with pytest.raises(httprs.ResponseNotRead):
                _ = r.content


@pytest.mark.parametrize(
    ("first", "second"),
    [("raw", "raw"), ("bytes", "raw"), ("text", "lines"), ("read", "raw")],
)
async def test_stream_consumed_combinations(driver, server, first, second):
    async with driver.client() as c:
        async with c.stream("GET", server.url + "/stream?chunks=3&size=5") as r:
            if first == "read":
                await c.read(r)
            else:
                await c.collect(r, first)
            with pytest.raises(httprs.StreamConsumed):
                await c.collect(r, second)


async def test_closed_stream_raises_stream_closed(driver, server):
    async with driver.client() as c:
        async with c.stream("GET", server.url + "/stream?chunks=5&size=10") as r:
            await c.close_response(r)
            assert r.is_closed
            await c.close_response(r)  # closing twice is fine
            with pytest.raises(httprs.StreamClosed):
                await c.iter_bytes(r)
            with pytest.raises(httprs.StreamClosed):
                await c.iter_raw(r)
            with pytest.raises(httprs.StreamClosed):
                await c.read(r)
            with pytest.raises(httprs.ResponseNotRead):
                _ = r.content
        # The client is still usable afterwards.
        assert (await c.get(server.url + "/bytes?size=5")).content == pattern(5)


async def test_leaving_the_block_closes_the_response(driver, server):
    async with driver.client() as c:
        async with c.stream("GET", server.url + "/bytes?size=10") as r:
            pass
        assert r.is_closed
        with pytest.raises(httprs.ResponseNotRead):
            _ = r.content
        with pytest.raises(httprs.StreamClosed):
            await c.read(r)
    assert r.elapsed.total_seconds() >= 0


async def test_partial_iteration_then_exit(driver, server):
    async with driver.client() as c:
        async with c.stream("GET", server.url + "/stream?chunks=100&size=1000") as r:
            first = await anext(c.aiter(r, "bytes", 10))
            assert first == pattern(10)
        assert r.is_closed
        # The client is still usable afterwards.
        assert (await c.get(server.url + "/bytes?size=5")).content == pattern(5)


async def test_send_with_stream_true(driver, server):
    async with driver.client() as c:
        request = c.build_request("GET", server.url + "/bytes?size=10")
        response = await c.send(request, stream=True)
        try:
            assert not response.is_closed
            assert await c.read(response) == pattern(10)
        finally:
            await c.close_response(response)
    assert response.is_closed


async def test_stream_follows_redirects(driver, server):
    async with driver.client() as c:
        async with c.stream("GET", server.url + "/redirect/2", follow_redirects=True) as r:
            assert r.status_code == 200
            assert [h.status_code for h in r.history] == [302, 302]
            assert (await c.read(r)).startswith(b"{")
            assert r.json()["path"] == "/echo"


async def test_stream_with_request_body(driver, server):
    async with driver.client() as c:
        async with c.stream("POST", server.url + "/echo", json={"a": 1}) as r:
            await c.read(r)
            assert r.json()["body"] == '{"a":1}'


async def test_large_body_streamed_in_chunks(driver, server):
    chunk_size = 64 * 1024
    received = bytearray()
    count = 0
    async with driver.client() as c:
        async with c.stream("GET", server.url + f"/bytes?size={TEN_MB}") as r:
            assert r.headers["content-length"] == str(TEN_MB)
            async for chunk in c.aiter(r, "bytes", chunk_size):
                assert len(chunk) == chunk_size or len(received) + len(chunk) == TEN_MB
                received += chunk
                count += 1
            assert r.num_bytes_downloaded == TEN_MB
    assert count == TEN_MB // chunk_size
    assert bytes(received) == pattern(TEN_MB)


def test_large_body_buffered(server):
    with httprs.Client() as client:
        response = client.get(server.url + f"/bytes?size={TEN_MB}")
    assert len(response.content) == TEN_MB
    assert response.content == pattern(TEN_MB)


async def test_large_chunked_body(driver, server):
    async with driver.client() as c:
        async with c.stream("GET", server.url + "/stream?chunks=200&size=10000") as r:
            assert "content-length" not in r.headers
            assert r.headers["transfer-encoding"] == "chunked"
            total = sum(len(chunk) for chunk in await c.iter_raw(r))
    assert total == 2_000_000


def test_module_level_stream(server):
    with httprs.stream("GET", server.url + "/bytes?size=5") as r:
        assert r.status_code == 200
        assert not r.is_closed
        assert r.read() == pattern(5)
    assert r.is_closed
    with httprs.stream("POST", server.url + "/echo", content=b"xyz") as r:
        assert r.read()
        assert r.json()["body"] == "xyz"
