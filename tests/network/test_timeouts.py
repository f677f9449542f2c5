"""Timeouts as in httpx 0.28.1 against the test app's ``/slow`` and ``/slow-body`` endpoints.

``/slow?delay=D`` answers after D seconds; ``/slow-body?delay=D&chunks=N`` sends the headers at
once, then N chunks, D seconds apart. httpx's read timeout applies to each read (not to the
whole response). Margins are wide; the measured times are in the assertion messages. The pool
timeout is covered in tests/network/test_limits.py. Every test runs on ``sync``, ``async-asyncio``
and ``async-trio`` (tests/drivers.py).
"""

from __future__ import annotations

import socket
import threading
import time

import httprs
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.servers.threaded import ThreadedServer

pytestmark = pytest.mark.anyio


class Stopwatch:
    def __enter__(self):
        self.start = time.monotonic()
        self.elapsed = None
        return self

    def __exit__(self, *exc_info):
        self.elapsed = time.monotonic() - self.start

    def __str__(self) -> str:
        return f"elapsed {self.elapsed:.3f}s"


async def raises(exc_type, awaitable):
    """Await ``awaitable`` expecting ``exc_type``: return ``(exception, elapsed seconds)``.

    If it completes instead, fail with the time it took (pytest.raises would not say).
    """
    start = time.monotonic()
    try:
        await awaitable
    except exc_type as exc:
        return exc, time.monotonic() - start
    elapsed = time.monotonic() - start
    pytest.fail(f"DID NOT RAISE {exc_type.__name__}: completed after {elapsed:.3f}s")


@pytest.mark.parametrize(
    "timeout",
    [httprs.Timeout(5.0, read=0.3), httprs.Timeout(0.3)],
    ids=["read=0.3", "all=0.3"],
)
async def test_read_timeout_waiting_for_the_response(driver, server, timeout):
    async with driver.client(timeout=timeout) as c:
        exc, elapsed = await raises(httprs.ReadTimeout, c.get(server.url + "/slow?delay=2"))
    assert 0.25 <= elapsed < 1.5, f"elapsed {elapsed:.3f}s"
    assert isinstance(exc, httprs.TimeoutException)
    assert isinstance(exc, httprs.TransportError)


async def test_no_timeout_waits(driver, server):
    async with driver.client(timeout=None) as c:
        with Stopwatch() as sw:
            response = await c.get(server.url + "/slow?delay=0.5")
    assert response.status_code == 200
    assert response.text == "ok"
    assert sw.elapsed >= 0.45, sw


async def test_per_request_timeout_none_overrides_the_client(driver, server):
    async with driver.client(timeout=0.2) as c:
        response = await c.get(server.url + "/slow?delay=0.5", timeout=None)
        assert response.status_code == 200
        # The client's timeout still applies to other requests.
        await raises(httprs.ReadTimeout, c.get(server.url + "/slow?delay=2"))


async def test_per_request_longer_timeout(driver, server):
    async with driver.client(timeout=0.2) as c:
        response = await c.get(server.url + "/slow?delay=0.5", timeout=5.0)
    assert response.status_code == 200


async def test_per_request_shorter_timeout(driver, server):
    async with driver.client(timeout=5.0) as c:
        _, elapsed = await raises(
            httprs.ReadTimeout,
            c.get(server.url + "/slow?delay=2", timeout=httprs.Timeout(5.0, read=0.3)),
        )
        assert 0.25 <= elapsed < 1.5, f"elapsed {elapsed:.3f}s"
        # The client is still usable afterwards.
        response = await c.get(server.url + "/echo")
        assert response.status_code == 200


async def test_read_timeout_while_reading_the_body(driver, server):
    # Headers at once, then no data for 1 s: the read timeout (0.2 s) fires while iterating,
    # long before the 1 s default would.
    async with driver.client(timeout=httprs.Timeout(1.0, read=0.2)) as c:
        async with c.stream("GET", server.url + "/slow-body?delay=1.0&chunks=2") as response:
            assert response.status_code == 200
            _, elapsed = await raises(httprs.ReadTimeout, c.read(response))
    assert 0.15 <= elapsed < 0.9, f"elapsed {elapsed:.3f}s"


async def test_read_timeout_applies_to_each_read_not_the_whole_body(driver, server):
    # 3 chunks 0.25 s apart: 0.75 s in total, but no single read waits more than ~0.25 s.
    async with driver.client(timeout=0.6) as c:
        with Stopwatch() as sw:
            response = await c.get(server.url + "/slow-body?delay=0.25&chunks=3")
    assert response.status_code == 200
    assert response.text == "chunk0\nchunk1\nchunk2\n"
    assert sw.elapsed >= 0.7, sw


async def test_streamed_chunks_arrive_within_the_read_timeout(driver, server):
    async with driver.client(timeout=httprs.Timeout(5.0, read=0.6)) as c:
        async with c.stream("GET", server.url + "/slow-body?delay=0.2&chunks=2") as response:
            body = b"".join(await c.iter_bytes(response))
    assert body == b"chunk0\nchunk1\n"


class DeafServer(ThreadedServer):
    """Accepts connections and never reads from them: an upload stalls once the socket
    buffers are full. Small receive buffers make that happen after a few hundred KiB. Each
    connection is held open until the server is closed."""

    backlog = 8

    def __init__(self) -> None:
        super().__init__()
        self.upload_url = self.url + "/upload"

    def configure_listener(self, sock: socket.socket) -> None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)

    def handle(self, conn: socket.socket) -> None:
        self.stopping.wait()


@pytest.fixture
def deaf_server():
    with DeafServer() as server:
        yield server


BIG = b"x" * (32 * 1024 * 1024)


@pytest.mark.parametrize(
    "timeout",
    [httprs.Timeout(5.0, write=0.3), httprs.Timeout(0.3)],
    ids=["write=0.3", "all=0.3"],
)
async def test_write_timeout_when_the_server_stops_reading(driver, deaf_server, timeout):
    async with driver.client(timeout=timeout) as c:
        exc, elapsed = await raises(
            httprs.WriteTimeout, c.post(deaf_server.upload_url, content=BIG)
        )
    assert 0.25 <= elapsed < 2.0, f"elapsed {elapsed:.3f}s"
    assert isinstance(exc, httprs.TimeoutException)
    assert str(exc) == "The write operation timed out"


def test_write_timeout_for_a_generator_body(deaf_server):
    def pieces():
        for _ in range(64):
            yield b"y" * (512 * 1024)

    with httprs.Client(timeout=httprs.Timeout(5.0, write=0.3)) as c:
        start = time.monotonic()
        with pytest.raises(httprs.WriteTimeout):
            c.post(deaf_server.upload_url, content=pieces())
    elapsed = time.monotonic() - start
    assert 0.25 <= elapsed < 2.0, f"elapsed {elapsed:.3f}s"


async def test_no_write_timeout_when_none(driver, deaf_server):
    # write=None: the stalled upload is bounded by nothing but the overall test; the read
    # budget does not start until the body is out, so nothing fires within 0.8 s.
    async with driver.client(timeout=httprs.Timeout(0.2, write=None)) as c:
        if driver.is_async:
            import anyio

            with anyio.move_on_after(0.8) as scope:
                await c.post(deaf_server.upload_url, content=BIG)
            assert scope.cancelled_caught
        else:
            # The sync client cannot be cancelled from here: give the upload a pool-free
            # thread and check it is still going after 0.8 s.
            result: list[BaseException | None] = []

            def upload() -> None:
                try:
                    c.client.post(deaf_server.upload_url, content=BIG)
                    result.append(None)
                except BaseException as exc:  # noqa: BLE001 - reported below
                    result.append(exc)

            worker = threading.Thread(target=upload, daemon=True)
            worker.start()
            worker.join(0.8)
            assert worker.is_alive(), f"the upload ended early: {result}"
            deaf_server.close()
            worker.join(5)
            assert result and isinstance(result[0], httprs.TransportError), result


class EarlyAnswerServer(ThreadedServer):
    """Answers ``200 ok`` as soon as it has the request head, before reading the body (as
    httpx's own test server does for ``/slow_response``). Then, with ``read_rest``, it reads
    the body, counting the bytes in ``received``; without, it never reads again (small
    receive buffers make the upload stall soon)."""

    def __init__(self, read_rest: bool) -> None:
        super().__init__()
        self.read_rest = read_rest
        self.received = 0

    def configure_listener(self, sock: socket.socket) -> None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)

    def handle(self, conn: socket.socket) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return
            data += chunk
        self.received = len(data.split(b"\r\n\r\n", 1)[1])
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        if not self.read_rest:
            self.stopping.wait()
            return
        while chunk := conn.recv(65536):
            self.received += len(chunk)


async def test_write_timeout_when_the_server_answers_before_reading(driver):
    # httpx sends the whole body before it reads the response: a server that answers at
    # once and then stops reading gives WriteTimeout, every time (not the early response).
    with EarlyAnswerServer(read_rest=False) as early:
        for _ in range(3):
            async with driver.client(timeout=httprs.Timeout(5.0, write=0.3)) as c:
                exc, elapsed = await raises(
                    httprs.WriteTimeout, c.post(early.url + "/upload", content=BIG)
                )
            assert 0.25 <= elapsed < 2.0, f"elapsed {elapsed:.3f}s"
            assert str(exc) == "The write operation timed out"


async def test_an_early_answer_is_returned_once_the_body_is_sent(driver):
    with EarlyAnswerServer(read_rest=True) as early:
        async with driver.client(timeout=httprs.Timeout(5.0, write=0.5)) as c:
            response = await c.post(early.url + "/upload", content=BIG)
            # Not before the body is out: the server has it all, but what is still in the
            # socket buffers (a few MiB at most on loopback).
            assert early.received >= len(BIG) - 8 * 1024 * 1024, early.received
        assert response.status_code == 200
        assert response.text == "ok"


async def test_write_budget_does_not_shorten_the_wait_for_the_response(driver, server):
    # A body sent at once, then a 0.6 s wait for the answer: only the read budget applies.
    async with driver.client(timeout=httprs.Timeout(5.0, write=0.1)) as c:
        response = await c.post(server.url + "/slow?delay=0.6", content=b"z" * 200_000)
    assert response.status_code == 200


async def test_client_usable_after_a_write_timeout(driver, deaf_server, server):
    async with driver.client(timeout=httprs.Timeout(5.0, write=0.2)) as c:
        await raises(httprs.WriteTimeout, c.post(deaf_server.upload_url, content=BIG))
        response = await c.get(server.url + "/echo")
        assert response.status_code == 200


async def test_connect_timeout_while_the_tls_handshake_stalls(driver, deaf_server):
    # The TCP connection is accepted but the server never answers the TLS ClientHello: in
    # httpx the connect budget covers the TLS handshake, and so it does here.
    url = deaf_server.upload_url.replace("http://", "https://")
    async with driver.client(timeout=httprs.Timeout(5.0, connect=0.3)) as c:
        exc, elapsed = await raises(httprs.ConnectTimeout, c.get(url))
    assert 0.25 <= elapsed < 2.0, f"elapsed {elapsed:.3f}s"
    assert isinstance(exc, httprs.TimeoutException)
    assert str(exc) == "The connect operation timed out"


async def test_connect_timeout_when_the_server_does_not_accept(driver):
    # A listening socket whose accept queue is full: Linux drops further SYNs, so the TCP
    # connect itself hangs until the budget runs out.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = []
    try:
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        time.sleep(0.05)
        async with driver.client(timeout=httprs.Timeout(5.0, connect=0.3)) as c:
            _, elapsed = await raises(httprs.ConnectTimeout, c.get(f"http://127.0.0.1:{port}/"))
        assert 0.25 <= elapsed < 2.0, f"elapsed {elapsed:.3f}s"
    finally:
        for filler in fillers:
            filler.close()
        listener.close()
