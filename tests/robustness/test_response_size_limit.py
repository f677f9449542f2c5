"""``max_response_size``: the bound of a decoded body held in memory (``.read()`` /
``.content``), on the client and per request (``extensions``). Over it:
``httprs.ResponseTooLarge``, a ``DecodingError``."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import textwrap
import zlib

import httprs
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.servers.threaded import ThreadedServer

pytestmark = pytest.mark.anyio

MiB = 1 << 20
GiB = 1 << 30


def _gzip_zeros_pieces() -> tuple[bytes, bytes]:
    """The gzip stream of zeros as (first MiB with the gzip header, every next MiB): a full
    flush resets the compressor, so each further MiB compresses to the same ~1 KiB."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(MiB)
    first = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    again = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    return first, again


class GzipBombServer(ThreadedServer):
    """Answers every request with ``size`` bytes of zeros, gzip-compressed (~1/1000 of that on
    the wire), written until the client goes away; ``sent`` counts the compressed bytes."""

    connection_timeout = 60.0

    def __init__(self, size: int = 10 * GiB) -> None:
        super().__init__()
        self.size = size
        self.first, self.again = _gzip_zeros_pieces()
        self.sent = 0

    def handle(self, conn: socket.socket) -> None:
        if self.read_head(conn) is None:
            return
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
            b"Content-Encoding: gzip\r\nConnection: close\r\n\r\n" + self.first
        )
        batch = self.again * 64  # 64 MiB decoded per write
        for _ in range(self.size // (64 * MiB)):
            if self.stopping.is_set():
                return
            conn.sendall(batch)
            self.sent += len(batch)


@pytest.fixture(scope="module")
def bomb():
    with GzipBombServer() as server:
        yield server


CHILD = textwrap.dedent(
    r"""
    import json, re, sys, time
    import httprs


    def peak_rss_mib():
        # VmHWM: this program's own peak. getrusage()'s ru_maxrss would not do: Linux carries
        # the high-water mark of the memory image replaced by exec (the forked test runner,
        # hundreds of MiB late in the suite) into the child's.
        with open("/proc/self/status") as status:
            return int(re.search(r"VmHWM:\s+(\d+) kB", status.read()).group(1)) / 1024


    url, how = sys.argv[1], sys.argv[2]
    start = time.monotonic()
    outcome = "no error"
    with httprs.Client(max_response_size=64 * 1024 * 1024, timeout=60) as client:
        try:
            if how == "content":
                client.get(url).content
            else:
                with client.stream("GET", url) as response:
                    response.read()
        except httprs.ResponseTooLarge as e:
            outcome = str(e)
    print(json.dumps({
        "outcome": outcome,
        "seconds": time.monotonic() - start,
        "peak_rss_mib": peak_rss_mib(),
    }))
    """
)


@pytest.mark.parametrize("how", ["content", "stream-read"])
def test_a_10_gib_gzip_bomb_is_refused_quickly_with_low_memory(bomb, how):
    """The whole 10 GiB would be killed for memory; with a 64 MiB bound the read stops at
    64 MiB + 1 byte. Measured in a child process, so that the peak RSS is the request's
    (Python and httprs themselves: ~20 MiB)."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, bomb.url, how],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    print(f"\n10 GiB gzip bomb, {how}, max_response_size=64 MiB: {result}")
    assert result["outcome"] == (
        "The decoded response body exceeds max_response_size (67108864 bytes)"
    )
    assert result["peak_rss_mib"] < 300
    assert result["seconds"] < 30


async def test_a_bomb_is_refused_on_every_client_kind(driver, bomb):
    async with driver.client(max_response_size=8 * MiB) as c:
        with pytest.raises(httprs.ResponseTooLarge) as info:
            await c.get(bomb.url)
        assert isinstance(info.value, httprs.DecodingError)
        assert not isinstance(info.value, httprs.TransportError)
        assert info.value.request.url == bomb.url
        async with c.stream("GET", bomb.url) as response:
            with pytest.raises(httprs.ResponseTooLarge):
                await c.read(response)


async def test_a_plain_body_over_the_bound_and_exactly_at_it(driver, server):
    url = server.url + "/bytes?size=100000"
    async with driver.client(max_response_size=100_000) as c:
        assert len((await c.get(url)).content) == 100_000
        async with c.stream("GET", url) as response:
            assert len(await c.read(response)) == 100_000
    async with driver.client(max_response_size=99_999) as c:
        with pytest.raises(httprs.ResponseTooLarge, match=r"\(99999 bytes\)"):
            await c.get(url)
        async with c.stream("GET", server.url + "/stream?chunks=10&size=10000") as response:
            with pytest.raises(httprs.ResponseTooLarge):
                await c.read(response)
        # The connection of a refused body is not reused half-read: the next request works.
        assert (await c.get(server.url + "/echo")).status_code == 200


async def test_the_request_extension_overrides_the_client(driver, server):
    url = server.url + "/bytes?size=1000"
    async with driver.client(max_response_size=10) as c:
        response = await c.get(url, extensions={"max_response_size": 1000})
        assert len(response.content) == 1000
        # None lifts the client's bound for this request.
        response = await c.get(url, extensions={"max_response_size": None})
        assert len(response.content) == 1000
        with pytest.raises(httprs.ResponseTooLarge):
            await c.get(url)
        request = c.build_request("GET", url)
        assert request.extensions["max_response_size"] == 10
    async with driver.client() as c:
        with pytest.raises(httprs.ResponseTooLarge):
            await c.get(url, extensions={"max_response_size": 999})
        assert len((await c.get(url)).content) == 1000


async def test_streaming_iterators_are_not_bounded(driver, server):
    """The bound is on what is held in memory; ``iter_bytes()`` holds nothing."""
    async with driver.client(max_response_size=10) as c:
        async with c.stream("GET", server.url + "/bytes?size=1000") as response:
            assert sum(map(len, await c.iter_bytes(response))) == 1000


def test_a_transport_stream_is_bounded_when_read():
    def handler(request):
        return httprs.Response(200, content=iter([b"x" * 60, b"x" * 60]))

    with httprs.Client(transport=httprs.MockTransport(handler), max_response_size=100) as c:
        with pytest.raises(httprs.ResponseTooLarge):
            c.get("http://example.org/")
        assert (
            len(c.get("http://example.org/", extensions={"max_response_size": 120}).content) == 120
        )


def test_max_response_size_argument_errors():
    with pytest.raises(ValueError, match="max_response_size must be a non-negative int, got -1"):
        httprs.Client(max_response_size=-1)
    with pytest.raises(TypeError, match="max_response_size must be an int or None, got str"):
        httprs.Client(max_response_size="10")
    with pytest.raises(TypeError, match="got bool"):
        httprs.AsyncClient(max_response_size=True)
    assert httprs.Client(max_response_size=5).max_response_size == 5
    assert httprs.Client().max_response_size is None
