"""Large bodies, read whole and streamed, and sent: exactly the bytes that went over the wire.

A response body of 256 KiB or more with a ``Content-Length`` and no content-encoding is read
straight into the ``bytes`` object ``.content`` becomes (made at the announced size); any
other body is gathered as it comes. Both ways must give the same bytes, the same errors and
the same size bound, on every client kind (``get`` and ``stream`` + ``read()``/``aread()``).
A large ``bytes`` request body is sent from the caller's object, not copied."""

from __future__ import annotations

import base64
import gzip
import random

import httprs
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.servers.raw import RawServer

pytestmark = pytest.mark.anyio

KiB = 1 << 10
MiB = 1 << 20

# Sizes on both sides of the 256 KiB from which a body is read into its `bytes` object.
SIZES = [100 * KiB, 3 * MiB + 7]


def body_of(size: int) -> bytes:
    return random.Random(size).randbytes(size)


def answer(body: bytes, *headers: bytes, length: int | None = None) -> bytes:
    """A response the raw server sends on each connection, then closes it (so it says so)."""
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nConnection: close\r\n"
    if length is not None:
        head += b"Content-Length: %d\r\n" % length
    return head + b"".join(h + b"\r\n" for h in headers) + b"\r\n" + body


def chunked(body: bytes, piece: int = 100_000) -> bytes:
    out = b""
    for start in range(0, len(body), piece):
        part = body[start : start + piece]
        out += b"%x\r\n" % len(part) + part + b"\r\n"
    return out + b"0\r\n\r\n"


async def read_every_way(driver, url: str, **kwargs) -> list[bytes]:
    """The body as `.content` of a request, `read()` of a stream and the joined
    `iter_bytes()` of a stream."""
    async with driver.client(**kwargs) as c:
        whole = (await c.get(url)).content
        async with c.stream("GET", url) as response:
            read = await c.read(response)
            assert response.content is read
        async with c.stream("GET", url) as response:
            streamed = b"".join(await c.iter_bytes(response))
    return [whole, read, streamed]


@pytest.mark.parametrize("size", SIZES)
async def test_a_body_with_content_length_arrives_exactly(driver, size):
    body = body_of(size)
    with RawServer(answer(body, length=size)) as raw:
        assert await read_every_way(driver, raw.url) == [body] * 3
        async with driver.client() as c:
            response = await c.get(raw.url)
            assert response.num_bytes_downloaded == size
            assert response.headers["content-length"] == str(size)


@pytest.mark.parametrize("size", SIZES)
async def test_a_chunked_body_arrives_exactly(driver, size):
    body = body_of(size)
    payload = answer(chunked(body), b"Transfer-Encoding: chunked")
    with RawServer(payload) as raw:
        assert await read_every_way(driver, raw.url) == [body] * 3


async def test_a_body_ended_by_the_close_arrives_exactly(driver):
    body = body_of(3 * MiB)
    with RawServer(answer(body)) as raw:
        assert await read_every_way(driver, raw.url) == [body] * 3


@pytest.mark.parametrize("size", SIZES)
async def test_a_gzip_body_with_content_length_is_decoded(driver, size):
    # The length announced is the compressed one; the decoded body is ~4 times longer.
    body = bytes(random.Random(size).choices(b"abcdefgh \n", k=size * 4))
    compressed = gzip.compress(body)
    payload = answer(compressed, b"Content-Encoding: gzip", length=len(compressed))
    with RawServer(payload) as raw:
        assert await read_every_way(driver, raw.url) == [body] * 3
        async with driver.client() as c:
            response = await c.get(raw.url)
            assert response.num_bytes_downloaded == len(compressed)


@pytest.mark.parametrize("size", SIZES)
async def test_a_body_shorter_than_announced_is_an_error(driver, size):
    body = body_of(size)
    with RawServer(answer(body, length=size + 1000)) as raw:
        async with driver.client() as c:
            with pytest.raises(httprs.RemoteProtocolError) as info:
                await c.get(raw.url)
            assert str(info.value) == (
                "peer closed connection without sending complete message body"
            )
            async with c.stream("GET", raw.url) as response:
                with pytest.raises(httprs.RemoteProtocolError):
                    await c.read(response)


@pytest.mark.parametrize("size", SIZES)
async def test_bytes_past_the_announced_length_are_not_the_body(driver, size):
    # As h11 (httpx): the body is what Content-Length says; what follows is not part of it.
    body = body_of(size)
    with RawServer(answer(body + b"x" * 5000, length=size)) as raw:
        assert await read_every_way(driver, raw.url) == [body] * 3


@pytest.mark.parametrize("size", SIZES)
async def test_the_size_bound_holds_for_a_body_of_announced_length(driver, size):
    body = body_of(size)
    with RawServer(answer(body, length=size)) as raw:
        async with driver.client(max_response_size=size - 1) as c:
            with pytest.raises(httprs.ResponseTooLarge):
                await c.get(raw.url)
            async with c.stream("GET", raw.url) as response:
                with pytest.raises(httprs.ResponseTooLarge):
                    await c.read(response)
        # Exactly at the bound is allowed.
        assert await read_every_way(driver, raw.url, max_response_size=size) == [body] * 3


async def test_a_head_response_announcing_a_large_body_has_none(driver):
    with RawServer(answer(b"", length=100 * MiB)) as raw:
        async with driver.client() as c:
            response = await c.head(raw.url)
    assert response.content == b""
    assert response.headers["content-length"] == str(100 * MiB)


@pytest.mark.parametrize("size", SIZES)
async def test_a_large_bytes_upload_is_sent_exactly(driver, server, size):
    body = body_of(size)
    async with driver.client() as c:
        response = await c.put(server.url + "/echo", content=body)
    echoed = response.json()
    assert base64.b64decode(echoed["body_base64"]) == body
    assert ["content-length", str(size)] in echoed["headers"]
    assert response.request.content == body


async def test_a_large_upload_sent_twice_by_a_redirect_is_the_same(driver, server):
    # A 307 sends the body again: the same bytes both times.
    body = body_of(1 * MiB)
    url = server.url + "/redirect-to?url=/echo&status=307"
    async with driver.client(follow_redirects=True) as c:
        response = await c.post(url, content=body)
    assert base64.b64decode(response.json()["body_base64"]) == body
    assert len(response.history) == 1
