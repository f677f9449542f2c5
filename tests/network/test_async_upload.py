"""An AsyncClient streams an async iterable request body: each chunk goes out as the iterator
yields it, through a small bounded buffer, as httpx does (httprs used to collect it first).

``UploadServer`` reads a chunked upload on 127.0.0.1 and records what arrived; it answers
with the byte count, or answers 413 and closes after a few KiB (``reject_after``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import threading
import time

import anyio
import httprs
import pytest

from tests.drivers import Driver
from tests.support.servers.threaded import ThreadedServer
from tests.support.tls_fixtures import h2_server_fixture, tls_certs_fixture  # noqa: F401

pytestmark = pytest.mark.anyio


class UploadServer(ThreadedServer):
    connection_timeout = 10.0

    def __init__(self, *, reject_after: int | None = None) -> None:
        super().__init__()
        self.reject_after = reject_after
        #: Set once the first byte of body data has arrived.
        self.first_chunk = threading.Event()
        #: Set when a request's handling is over (``complete``: its body arrived whole).
        self.done = threading.Event()
        self.received = 0
        self.complete = False

    def paced_body(self):
        """An async generator body: ``b"first"``, then, once the server has it, ``b"second"``
        (a client that collected the body first would never get that far)."""

        async def body():
            yield b"first"
            arrived = await anyio.to_thread.run_sync(self.first_chunk.wait, 5.0)
            assert arrived, "the first chunk did not reach the server before the second"
            yield b"second"

        return body()

    def handle(self, conn: socket.socket) -> None:
        self.received, self.complete = 0, False
        try:
            while self._serve_one(conn):
                pass
        finally:
            self.done.set()

    def _serve_one(self, conn: socket.socket) -> bool:
        buf = bytearray()

        def fill() -> None:
            data = conn.recv(1 << 20)
            if not data:
                raise ConnectionError("the client went away")
            buf.extend(data)

        while b"\r\n\r\n" not in buf:
            fill()
        end = buf.index(b"\r\n\r\n") + 4
        del buf[:end]
        while True:
            while b"\r\n" not in buf:
                fill()
            line_end = buf.index(b"\r\n")
            size = int(bytes(buf[:line_end]).split(b";")[0], 16)
            del buf[: line_end + 2]
            if size == 0:
                while len(buf) < 2:
                    fill()
                self.complete = True
                break
            while len(buf) < size + 2:
                fill()
                if self.reject_after is not None and self.received + len(buf) > self.reject_after:
                    conn.sendall(
                        b"HTTP/1.1 413 Payload Too Large\r\nContent-Length: 8\r\n"
                        b"Connection: close\r\n\r\ntoo much"
                    )
                    conn.shutdown(socket.SHUT_WR)
                    return False
            self.received += size
            self.first_chunk.set()
            del buf[: size + 2]
        body = str(self.received).encode()
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        self.done.set()
        return True


class DeafServer(ThreadedServer):
    """Accepts connections and never reads: an upload stalls once the buffers are full."""

    def configure_listener(self, sock: socket.socket) -> None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)

    def handle(self, conn: socket.socket) -> None:
        self.stopping.wait()


class Body:
    """An async generator of ``count`` chunks of ``size`` bytes that records its closing."""

    def __init__(self, count: int = 1 << 20, size: int = 64 * 1024) -> None:
        self.count, self.size = count, size
        self.yielded = 0
        self.closed = False

    async def chunks(self):
        try:
            for _ in range(self.count):
                self.yielded += 1
                yield b"x" * self.size
        finally:
            self.closed = True


@pytest.fixture
def driver():
    """Async iterable bodies are the AsyncClient's: these tests run it alone, on asyncio and
    on trio (conftest.py's ``anyio_backend``)."""
    return Driver(is_async=True)


async def test_chunks_go_out_as_they_are_produced(driver):
    with UploadServer() as srv:
        async with driver.client() as c:
            with anyio.fail_after(10):
                response = await c.post(srv.url, content=srv.paced_body())
        assert response.status_code == 200
        assert response.text == str(len(b"firstsecond"))
        assert srv.complete


async def test_a_transport_called_directly_streams_too():
    """`AsyncHTTPTransport.handle_async_request` (a subclass's `super()` call, httprs's
    adapter under httpx) feeds the body as the client does, rather than collecting it."""
    with UploadServer() as srv:
        transport = httprs.AsyncHTTPTransport()
        with anyio.fail_after(10):
            request = httprs.Request("POST", srv.url, content=srv.paced_body())
            response = await transport.handle_async_request(request)
            assert (await response.aread()) == str(len(b"firstsecond")).encode()
        await transport.aclose()
        assert srv.complete


async def test_an_upload_holds_a_few_chunks_in_memory_not_the_body(tmp_path):
    # 256 MiB produced on the fly in 1 MiB chunks; collected first, the peak RSS would grow
    # by the body's size (twice: the chunks, then their join).
    script = tmp_path / "upload.py"
    script.write_text(
        textwrap.dedent(
            """
            import resource, socket, sys, threading
            import anyio, httprs

            MiB = 1 << 20
            TOTAL = 256

            listener = socket.socket()
            listener.bind(("127.0.0.1", 0))
            listener.listen(1)
            received = 0

            def serve():
                global received
                buf = bytearray(MiB)
                for _ in range(2):
                    conn, _ = listener.accept()
                    received, tail = 0, b""
                    while True:
                        n = conn.recv_into(buf)
                        received += n
                        tail = (tail + bytes(buf[max(0, n - 5):n]))[-5:]
                        if n == 0 or tail == b"0\\r\\n\\r\\n":
                            break
                    conn.sendall(
                        b"HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n"
                        b"Connection: close\\r\\n\\r\\nok"
                    )
                    conn.close()

            async def body():
                for _ in range(TOTAL):
                    yield bytes(MiB)

            async def main():
                url = "http://127.0.0.1:%d/" % listener.getsockname()[1]
                async with httprs.AsyncClient() as c:
                    async def warm():
                        for _ in range(8):
                            yield bytes(MiB)
                    await c.post(url, content=warm())
                    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                    response = await c.post(url, content=body())
                    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                assert response.text == "ok", response.text
                print(before, after, received)

            threading.Thread(target=serve, daemon=True).start()
            anyio.run(main, backend=sys.argv[1])
            """
        )
    )
    for backend in ("asyncio", "trio"):
        out = subprocess.run(
            [sys.executable, str(script), backend],
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ},
        )
        assert out.returncode == 0, out.stderr
        before, after, received = map(int, out.stdout.split())
        growth_mib = (after - before) / 1024  # ru_maxrss is in KiB on Linux
        assert received > 256 * (1 << 20), received
        assert growth_mib < 48, f"{backend}: peak RSS grew by {growth_mib:.1f} MiB"


async def test_an_early_answer_stops_the_upload_and_closes_the_iterator(driver):
    with UploadServer(reject_after=16 * 1024) as srv:
        body = Body()
        async with driver.client() as c:
            with anyio.fail_after(10):
                try:
                    response = await c.post(srv.url, content=body.chunks())
                except (httprs.WriteError, httprs.ReadError, httprs.RemoteProtocolError):
                    pass  # what httpx gives when the close wins the race
                else:
                    assert response.status_code == 413
                    assert response.text == "too much"
            assert body.closed
            assert body.yielded < 1000
            # The client is usable again.
            small = UploadServer()
            with small:

                async def one():
                    yield b"abc"

                response = await c.post(small.url, content=one())
                assert response.text == "3"


async def test_the_iterators_exception_propagates(driver):
    with UploadServer() as srv:

        async def body():
            yield b"a" * 1000
            # On the wire already, so that the server sees how the body ends.
            await anyio.to_thread.run_sync(srv.first_chunk.wait, 5.0)
            yield b"b" * 1000
            raise ValueError("the source broke")

        async with driver.client() as c:
            with anyio.fail_after(10), pytest.raises(ValueError, match="the source broke"):
                await c.post(srv.url, content=body())
        assert srv.done.wait(5.0)
        # Not taken for a whole body: the connection was closed before the body's end.
        assert not srv.complete
        assert srv.received >= 1000


@pytest.mark.parametrize("where", ["iterator", "network"])
async def test_cancelling_an_upload_closes_the_iterator_and_frees_the_slot(driver, where):
    closed = False

    async def waits_in_the_iterator():
        nonlocal closed
        try:
            yield b"first"
            await anyio.sleep_forever()
            yield b"never"
        finally:
            closed = True

    async def waits_for_the_network():
        nonlocal closed
        try:
            while True:
                yield b"x" * (256 * 1024)
        finally:
            closed = True

    body = waits_in_the_iterator if where == "iterator" else waits_for_the_network
    limits = httprs.Limits(max_connections=1)
    with UploadServer() as live, DeafServer() as deaf:
        target = live.url if where == "iterator" else deaf.url
        async with driver.client(limits=limits, timeout=httprs.Timeout(5.0, write=None)) as c:
            with anyio.move_on_after(0.5) as scope:
                await c.post(target, content=body())
            assert scope.cancelled_caught
            assert closed
            # The one pool slot was given back.

            async def small():
                yield b"abc"

            with anyio.fail_after(5):
                response = await c.post(live.url, content=small())
            assert response.text == "3"


async def test_write_timeout_while_the_server_does_not_read(driver):
    body = Body(count=256, size=512 * 1024)
    with DeafServer() as deaf:
        async with driver.client(timeout=httprs.Timeout(5.0, write=0.3)) as c:
            start = time.monotonic()
            with pytest.raises(httprs.WriteTimeout):
                await c.post(deaf.url, content=body.chunks())
            elapsed = time.monotonic() - start
    assert 0.25 <= elapsed < 3.0, f"elapsed {elapsed:.3f}s"
    assert body.closed
    assert body.yielded < 256


async def test_a_slow_iterator_is_no_write_timeout(driver):
    # httpx's write budget covers writing to the socket, not the wait for the next chunk.
    with UploadServer() as srv:

        async def slow():
            for _ in range(3):
                yield b"tick"
                await anyio.sleep(0.4)

        async with driver.client(timeout=httprs.Timeout(0.25)) as c:
            response = await c.post(srv.url, content=slow())
        assert response.text == "12"


async def test_an_async_upload_over_http2(driver, h2_server, tls_certs):
    async def body():
        for part in (b"hello ", b"over ", b"h2"):
            yield part

    async with driver.client(http2=True, verify=tls_certs.context()) as c:
        response = await c.post(h2_server.url + "/echo", content=body())
    assert response.http_version == "HTTP/2"
    assert response.json()["body"] == "hello over h2"
