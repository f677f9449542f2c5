"""httpx-ws, the WebSocket client for httpx, unchanged on httprs's clients: it sends the
upgrade request with ``client.stream()`` and speaks WebSocket over
``response.extensions["network_stream"]`` (see test_upgrade.py for the stream itself)."""

from __future__ import annotations

import contextlib

import httpx_ws
import pytest

from tests.drivers import (  # noqa: F401
    adapter_driver_fixture,
    anyio_backend_fixture,
    driver_fixture,
    library_fixture,
    variant_fixture,
)
from tests.support.apps.websocket_app import app as websocket_app
from tests.support.servers.asgi import start_uvicorn

pytestmark = [
    pytest.mark.anyio,
    # httpx-ws's sync session reads in a thread of its own: nothing may go wrong there.
    pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning"),
]


@pytest.fixture(scope="module")
def ws_server():
    with start_uvicorn(websocket_app, ws="wsproto") as handle:
        yield handle


@contextlib.asynccontextmanager
async def connect(driver, client, url, **kwargs):
    if driver.is_async:
        async with httpx_ws.aconnect_ws(url, client, **kwargs) as ws:
            yield ws
    else:
        with httpx_ws.connect_ws(url, client, **kwargs) as ws:
            yield ws


async def done(value):
    return await value if hasattr(value, "__await__") else value


async def test_echo(driver, ws_server):
    async with driver.client() as c:
        async with connect(driver, c.client, ws_server.url + "/ws") as ws:
            await done(ws.send_text("hello"))
            assert await done(ws.receive_text()) == "hello"
            await done(ws.send_bytes(b"\x00" * 100_000))
            assert await done(ws.receive_bytes()) == b"\x00" * 100_000
            await done(ws.send_json({"a": [1, 2]}))
            assert await done(ws.receive_json()) == {"a": [1, 2]}


async def test_subprotocol(driver, ws_server):
    async with driver.client() as c:
        url = ws_server.url + "/ws"
        async with connect(driver, c.client, url, subprotocols=["echo.v1"]) as ws:
            assert ws.subprotocol == "echo.v1"


async def test_server_closes(driver, ws_server):
    async with driver.client() as c:
        async with connect(driver, c.client, ws_server.url + "/ws") as ws:
            await done(ws.send_text("close"))
            with pytest.raises(httpx_ws.WebSocketDisconnect) as info:
                await done(ws.receive_text())
            assert (info.value.code, info.value.reason) == (1000, "bye")


async def test_handshake_refused(driver, ws_server):
    async with driver.client() as c:
        with pytest.raises(httpx_ws.WebSocketUpgradeError) as info:
            async with connect(driver, c.client, ws_server.url + "/elsewhere"):
                pass
        assert info.value.response.status_code == 403


async def test_echo_on_httpx_over_the_adapter(adapter_driver, ws_server):
    # httpx's (and httpx2's) own client over httprs's transport passes the stream on.
    async with adapter_driver.client() as c:
        async with connect(adapter_driver, c.client, ws_server.url + "/ws") as ws:
            await done(ws.send_text("through httpx"))
            assert await done(ws.receive_text()) == "through httpx"
