"""httpx's rule: a client sends request bodies of its own kind, and a response's stream is
closed the way it is read (bytes in memory are both). Every client test runs on ``sync``,
``async-asyncio`` and ``async-trio`` (tests/drivers.py)."""

from __future__ import annotations

import httprs
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.helpers import echo_headers

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


class DualStream(httprs.SyncByteStream, httprs.AsyncByteStream):
    """A stream of both kinds (httpx's ABCs): each client reads it its own way."""

    def __iter__(self):
        yield b"sync "
        yield b"body"

    async def __aiter__(self):
        yield b"async "
        yield b"body"


async def test_a_stream_of_both_kinds_goes_with_either_client(driver, server):
    request = httprs.Request("POST", server.url + "/echo", stream=DualStream())
    async with driver.client() as c:
        response = await c.send(request)
        again = await c.post(server.url + "/echo", content=DualStream())
    expected = "async body" if driver.is_async else "sync body"
    assert (response.json()["body"], again.json()["body"]) == (expected, expected)


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


def test_a_file_like_body_goes_with_its_length(server, tmp_path):
    """A file (a sync body: `Client`) is read in chunks and sent with a Content-Length."""
    import io

    path = tmp_path / "upload.bin"
    path.write_bytes(b"x" * 200_000)
    with httprs.Client() as c:
        for content, length in ((io.BytesIO(b"Hello, world!"), 13), (open(path, "rb"), 200_000)):
            with content:
                response = c.post(server.url + "/echo", content=content)
            echo = response.json()
            assert echo_headers(echo, "content-length") == [str(length)]
            assert echo_headers(echo, "transfer-encoding") == []
            assert len(echo["body"]) == length


def test_a_generator_body_is_a_stream_iterated_once():
    def gen():
        yield b"Hello, "
        yield b"world!"

    request = httprs.Request("POST", "https://example.org", content=gen())
    assert isinstance(request.stream, httprs.SyncByteStream)
    assert request.headers["Transfer-Encoding"] == "chunked"
    assert b"".join(request.stream) == b"Hello, world!"
    with pytest.raises(httprs.StreamConsumed):
        list(request.stream)
    # A list can be iterated again.
    again = httprs.Request("POST", "https://example.org", content=[b"a", b"b"])
    assert list(again.stream) == list(again.stream) == [b"a", b"b"]


def test_raw_content_as_data_is_deprecated_but_sent():
    with pytest.warns(DeprecationWarning, match="content="):
        request = httprs.Request("POST", "https://example.org", data=b"raw")
    assert request.content == b"raw"
    assert request.headers["Content-Length"] == "3"


def test_a_response_generator_body_is_a_stream_iterated_once():
    def gen():
        yield b"Hello, "
        yield b"world!"

    response = httprs.Response(200, content=gen())
    assert isinstance(response.stream, httprs.SyncByteStream)
    assert response.headers == {"Transfer-Encoding": "chunked"}
    assert b"".join(response.stream) == b"Hello, world!"
    with pytest.raises(httprs.StreamConsumed):
        list(response.stream)
    given_length = httprs.Response(200, content=gen(), headers={"Content-Length": "13"})
    assert given_length.headers == {"Content-Length": "13"}
    assert given_length.read() == b"Hello, world!"


def test_closing_a_response_closes_the_stream_it_was_given():
    class Stream(httprs.SyncByteStream):
        closed = 0

        def __iter__(self):
            yield b"a"
            yield b"b"

        def close(self):
            Stream.closed += 1

    stream = Stream()
    response = httprs.Response(200, stream=stream)
    assert response.stream is stream
    assert next(response.iter_bytes()) == b"a"
    response.close()
    assert (Stream.closed, response.is_closed) == (1, True)
