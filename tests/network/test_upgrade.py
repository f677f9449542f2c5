"""Connection upgrades: after ``101 Switching Protocols`` the connection is handed over in
``response.extensions["network_stream"]`` (httpcore's ``NetworkStream`` /
``AsyncNetworkStream``), for WebSocket clients such as httpx-ws.

Against a WebSocket echo app on uvicorn (driven with wsproto's framing, as httpx-ws does) and
a raw-socket server that answers ``101`` and echoes bytes (``tests/support/servers/upgrade.py``).
Each scenario runs on ``Client``, and ``AsyncClient`` on asyncio and trio.
"""

from __future__ import annotations

import base64
import contextlib
import os
import threading
import time

import anyio
import httprs
import pytest
import wsproto
import wsproto.events as ws_events
from wsproto.connection import Connection, ConnectionType

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.apps.websocket_app import app as websocket_app
from tests.support.servers.asgi import start_uvicorn
from tests.support.servers.upgrade import GREETING, UpgradeEchoServer

pytestmark = pytest.mark.anyio

UPGRADE = {"Connection": "Upgrade", "Upgrade": "echo"}


@pytest.fixture(scope="module")
def ws_server():
    with start_uvicorn(websocket_app, ws="wsproto") as handle:
        yield handle


@pytest.fixture(name="echo")
def echo_fixture():
    with UpgradeEchoServer() as server:
        yield server


async def done(value):
    """The value of a stream call: awaited for the async client's stream, as it is for the
    sync one's."""
    if hasattr(value, "__await__"):
        return await value
    return value


async def close_stream(stream):
    await done(stream.aclose() if hasattr(stream, "aclose") else stream.close())


@contextlib.asynccontextmanager
async def upgraded(driver, echo):
    """A client of the driver's kind, its streamed ``101`` from the echo server and that
    response's ``network_stream``."""
    async with driver.client() as c:
        async with c.stream("GET", echo.url + "/upgrade", headers=UPGRADE) as r:
            yield c, r, r.extensions["network_stream"]


def websocket_headers(**extra: str) -> dict[str, str]:
    key = base64.b64encode(os.urandom(16)).decode()
    return {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Key": key,
        "Sec-WebSocket-Version": "13",
        **extra,
    }


async def next_event(stream, ws: Connection):
    """The next WebSocket event, reading from the stream as needed."""
    while True:
        for event in ws.events():
            return event
        data = await done(stream.read(65536, timeout=5))
        ws.receive_data(data or None)


async def test_websocket_echo_and_close_handshake(driver, ws_server):
    async with driver.client() as c:
        async with c.stream("GET", ws_server.url + "/ws", headers=websocket_headers()) as r:
            assert r.status_code == 101
            assert r.headers["upgrade"].lower() == "websocket"
            stream = r.extensions["network_stream"]
            ws = Connection(ConnectionType.CLIENT)

            await done(stream.write(ws.send(ws_events.TextMessage(data="hello"))))
            event = await next_event(stream, ws)
            assert isinstance(event, ws_events.TextMessage)
            assert event.data == "hello"

            await done(stream.write(ws.send(ws_events.BytesMessage(data=b"\x00\xff" * 5000))))
            received = b""
            while len(received) < 10000:
                event = await next_event(stream, ws)
                assert isinstance(event, ws_events.BytesMessage)
                received += event.data
            assert received == b"\x00\xff" * 5000

            # The client closes: the server answers the close frame, then closes the TCP
            # connection, which the stream reports as b"".
            await done(stream.write(ws.send(ws_events.CloseConnection(code=1000))))
            event = await next_event(stream, ws)
            assert isinstance(event, ws_events.CloseConnection)
            assert event.code == 1000
            assert ws.state is wsproto.connection.ConnectionState.CLOSED
            assert await done(stream.read(100, timeout=5)) == b""
            await close_stream(stream)


async def test_websocket_server_closes(driver, ws_server):
    headers = websocket_headers(**{"Sec-WebSocket-Protocol": "echo.v1"})
    async with driver.client() as c:
        async with c.stream("GET", ws_server.url + "/ws", headers=headers) as r:
            assert r.status_code == 101
            assert r.headers["sec-websocket-protocol"] == "echo.v1"
            stream = r.extensions["network_stream"]
            ws = Connection(ConnectionType.CLIENT)
            await done(stream.write(ws.send(ws_events.TextMessage(data="close"))))
            event = await next_event(stream, ws)
            assert isinstance(event, ws_events.CloseConnection)
            assert (event.code, event.reason) == (1000, "bye")
            await done(stream.write(ws.send(event.response())))
            # The peer has closed: b"" from now on, as from a socket.
            assert await done(stream.read(100, timeout=5)) == b""
            assert await done(stream.read(100, timeout=5)) == b""


async def test_plain_http_on_the_websocket_server(driver, ws_server):
    async with driver.client() as c:
        async with c.stream("GET", ws_server.url + "/ws") as r:
            assert r.status_code == 200
            assert await c.read(r) == b"not a websocket"
            # httpx's HTTP/1.1 responses carry the socket's stream (httpcore's); hyper keeps
            # the connection of a response that did not switch protocols: no stream.
            assert "network_stream" not in r.extensions


async def test_raw_echo_after_101(driver, echo):
    async with driver.client() as c:
        async with c.stream("GET", echo.url + "/upgrade", headers=UPGRADE) as r:
            assert r.status_code == 101
            assert r.http_version == "HTTP/1.1"
            assert r.extensions["http_version"] == b"HTTP/1.1"
            assert r.extensions["reason_phrase"] == b"Switching Protocols"
            stream = r.extensions["network_stream"]
            # The bytes that came with the head are handed out first, as much as asked for.
            assert await done(stream.read(3)) == GREETING[:3]
            assert await done(stream.read(100)) == GREETING[3:]
            await done(stream.write(b"ping"))
            assert await done(stream.read(100, timeout=5)) == b"ping"
            await done(stream.write(bytearray(b"pong")))
            assert await done(stream.read(100, timeout=5)) == b"pong"
            assert await done(stream.read(0)) == b""

            client_addr = stream.get_extra_info("client_addr")
            assert client_addr[0] == "127.0.0.1" and isinstance(client_addr[1], int)
            assert stream.get_extra_info("server_addr") == ("127.0.0.1", echo.port)
            assert stream.get_extra_info("ssl_object") is None
            assert stream.get_extra_info("nonsense") is None

            # Server closes: b"".
            await done(stream.write(b"bye"))
            assert await done(stream.read(100, timeout=5)) == b""


async def test_is_readable(driver, echo):
    async with upgraded(driver, echo) as (c, r, stream):
        assert stream.get_extra_info("is_readable") is True  # the greeting is there
        assert await done(stream.read(100)) == GREETING
        assert stream.get_extra_info("is_readable") is False
        await done(stream.write(b"data"))
        deadline = time.monotonic() + 5
        while not stream.get_extra_info("is_readable"):
            assert time.monotonic() < deadline
            await anyio.sleep(0.01)
        # What is_readable looked at is not lost.
        assert await done(stream.read(100)) == b"data"


async def test_read_timeout_then_the_stream_still_works(driver, echo):
    async with upgraded(driver, echo) as (c, r, stream):
        assert await done(stream.read(100)) == GREETING
        started = time.monotonic()
        with pytest.raises(httprs.ReadTimeout):
            await done(stream.read(100, timeout=0.2))
        assert 0.15 < time.monotonic() - started < 3
        await done(stream.write(b"again"))
        assert await done(stream.read(100, timeout=5)) == b"again"


async def test_after_close_reads_end_and_writes_raise(driver, echo):
    async with upgraded(driver, echo) as (c, r, stream):
        await close_stream(stream)
        await close_stream(stream)  # twice is fine
        # httpcore raises ReadError here; b"" keeps httpx-ws's reading thread quiet when
        # it races the session's close (docs/upgrades.md).
        assert await done(stream.read(100)) == b""
        with pytest.raises(httprs.WriteError):
            await done(stream.write(b"x"))
        assert echo.closed_by_client.wait(5)


async def test_closing_the_response_closes_the_stream_and_it_is_not_pooled(driver, echo):
    async with driver.client() as c:
        async with c.stream("GET", echo.url + "/upgrade", headers=UPGRADE) as r:
            stream = r.extensions["network_stream"]
            assert await done(stream.read(100)) == GREETING
        # httpcore closes the connection with the response.
        assert echo.closed_by_client.wait(5)
        with pytest.raises(httprs.WriteError):
            await done(stream.write(b"x"))
        # The next request needs a new connection: the upgraded one never went to the pool.
        response = await c.get(echo.url)
        assert response.text == "ok"
        response = await c.get(echo.url)
        assert response.text == "ok"
        assert echo.connections == 2


async def test_upgraded_connection_keeps_its_place_under_max_connections(driver, echo):
    limits = httprs.Limits(max_connections=1)
    async with driver.client(limits=limits, timeout=httprs.Timeout(5, pool=0.3)) as c:
        async with c.stream("GET", echo.url + "/upgrade", headers=UPGRADE) as r:
            stream = r.extensions["network_stream"]
            with pytest.raises(httprs.PoolTimeout):
                await c.get(echo.url)
            await close_stream(stream)
        response = await c.get(echo.url)
        assert response.status_code == 200


async def while_waiting(driver, wait, then):
    """Start ``wait()`` (a stream call) in another task (a thread for the sync client), call
    ``then()`` once it is waiting, and return what ``wait()`` returned or raised."""
    outcome = []

    async def waiter():
        try:
            outcome.append(await done(wait()))
        except Exception as e:
            outcome.append(e)

    if driver.is_async:
        async with anyio.create_task_group() as tg:
            tg.start_soon(waiter)
            await anyio.sleep(0.1)  # the call is waiting now
            await done(then())
    else:
        thread = threading.Thread(target=lambda: anyio.run(waiter))
        thread.start()
        time.sleep(0.1)
        then()
        thread.join(5)
        assert not thread.is_alive()
    (result,) = outcome
    return result


async def test_read_while_another_task_writes(driver, echo):
    async with upgraded(driver, echo) as (c, r, stream):
        assert await done(stream.read(100)) == GREETING
        received = await while_waiting(
            driver, lambda: stream.read(100, timeout=5), lambda: stream.write(b"crossed")
        )
        assert received == b"crossed"


async def test_close_wakes_a_waiting_read(driver, echo):
    async with upgraded(driver, echo) as (c, r, stream):
        assert await done(stream.read(100)) == GREETING
        close = stream.aclose if driver.is_async else stream.close
        # The waiting read ends as at the end of the stream.
        assert await while_waiting(driver, lambda: stream.read(100), close) == b""
        with pytest.raises(httprs.WriteError):
            await done(stream.write(b"x"))


async def test_cancelled_read_leaves_the_stream_usable(driver, echo):
    if not driver.is_async:
        pytest.skip("cancellation is the async client's (a sync read's limit is timeout=)")
    async with upgraded(driver, echo) as (c, r, stream):
        assert await stream.read(100) == GREETING
        with anyio.move_on_after(0.1) as scope:
            await stream.read(100)
        assert scope.cancelled_caught
        await stream.write(b"still here")
        assert await stream.read(100, timeout=5) == b"still here"


async def test_arguments(driver, echo):
    async with upgraded(driver, echo) as (c, r, stream):
        with pytest.raises(ValueError, match="max_bytes"):
            await done(stream.read(-1))
        with pytest.raises(ValueError, match="timeout"):
            await done(stream.read(10, timeout=-1))
        with pytest.raises(TypeError):
            await done(stream.write("text"))
        assert type(stream).__name__ == (
            "AsyncNetworkStream" if driver.is_async else "NetworkStream"
        )


async def test_101_read_whole_has_no_stream(driver, echo):
    # Not streamed, the response is read and closed before it is returned: the connection
    # too (httpx gives a stream that is closed already).
    async with driver.client() as c:
        response = await c.get(echo.url + "/upgrade", headers=UPGRADE)
        assert response.status_code == 101
        assert response.content == b""
        assert "network_stream" not in response.extensions
        assert echo.closed_by_client.wait(5)


async def test_reading_the_body_of_a_101_closes_the_stream(driver, echo):
    async with upgraded(driver, echo) as (c, r, stream):
        assert await c.read(r) == b""
        assert r.is_closed
        assert echo.closed_by_client.wait(5)
        with pytest.raises(httprs.WriteError):
            await done(stream.write(b"x"))


async def test_connect_tunnel(driver, echo):
    # httpcore hands over the connection of a successful CONNECT as it does after a 101.
    async with driver.client() as c:
        async with c.stream("CONNECT", echo.url) as r:
            assert r.status_code == 200
            stream = r.extensions["network_stream"]
            await done(stream.write(b"through"))
            assert await done(stream.read(100, timeout=5)) == b"through"
    assert echo.requests == [("CONNECT", f"127.0.0.1:{echo.port}")]
