"""Transport options as in httpx 0.28.1: ``local_address=``, ``uds=``, and ``trust_env=False``.

(Proxy environment variables and ``trust_env`` are covered in depth in tests/network/test_proxy.py.)
Every test runs on ``sync``, ``async-asyncio`` and ``async-trio`` (tests/drivers.py).
"""

from __future__ import annotations

import os
import tempfile

import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.servers.asgi import RecordingApp, start_uvicorn
from tests.support.servers.proxy import ProxyServer
from tests.support.servers.raw import RawServer

pytestmark = pytest.mark.anyio


@pytest.fixture(scope="module")
def uds_server():
    directory = tempfile.mkdtemp(prefix="httprs-uds-")
    path = os.path.join(directory, "s.sock")
    with start_uvicorn(uds=path) as handle:
        handle.path = path
        yield handle
    if os.path.exists(path):
        os.unlink(path)
    os.rmdir(directory)


async def test_local_address(driver, recording_server):
    tag = RecordingApp.new_tag()
    transport = driver.http_transport(local_address="127.0.0.1")
    async with driver.client(transport=transport) as c:
        response = await c.get(recording_server.url + f"/echo?tag={tag}")
        assert response.status_code == 200
        response = await c.get(f"http://localhost:{recording_server.port}/echo?tag={tag}")
        assert response.status_code == 200
    assert [host for host, _ in recording_server.app.stats(tag).clients] == ["127.0.0.1"] * 2


async def test_local_address_with_a_mount(driver, recording_server):
    transport = driver.http_transport(local_address="127.0.0.1")
    async with driver.client(mounts={"http://": transport}) as c:
        response = await c.get(recording_server.url + "/echo")
    assert response.status_code == 200


async def test_unix_domain_socket(driver, uds_server):
    transport = driver.http_transport(uds=uds_server.path)
    async with driver.client(transport=transport) as c:
        response = await c.get("http://localhost/echo?via=uds", headers={"X-Test": "1"})
        assert response.status_code == 200
        echo = response.json()
        assert echo["query"] == "via=uds"
        assert ["host", "localhost"] in echo["headers"]
        assert ["x-test", "1"] in echo["headers"]
        response = await c.post("http://localhost/echo", content=b"over a unix socket")
        assert response.json()["body"] == "over a unix socket"


async def test_trust_env_false_ignores_proxy_env(driver, server, monkeypatch):
    with ProxyServer() as proxy:
        for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
            monkeypatch.setenv(name, proxy.url)
        async with driver.client(trust_env=False) as c:
            assert c.trust_env is False
            response = await c.get(server.url + "/echo")
        assert response.status_code == 200
        assert proxy.requests == []


# --- connections the server closed while they sat in the pool ------------------------------


OK_KEEP_ALIVE = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"


async def test_a_connection_closed_while_pooled_is_not_reused(driver):
    # The server answers with a keep-alive response and then closes the connection. The
    # next request, after a pause in which nothing drove the client, must notice and open a
    # new connection (httpx checks the socket on checkout). (Without the pause the close
    # may come after the next request went out on that connection: a race no client wins.)
    import anyio

    with RawServer(OK_KEEP_ALIVE) as raw:
        async with driver.client() as c:
            for _ in range(20):
                response = await c.get(raw.url)
                assert response.text == "ok"
                await anyio.sleep(0.05)
        assert len(raw.requests) == 20


# --- header bytes that are not UTF-8 ----------------------------------------------------------


async def test_latin1_header_bytes_go_on_the_wire_unchanged(driver):
    with RawServer(OK_KEEP_ALIVE) as raw:
        async with driver.client() as c:
            response = await c.get(raw.url, headers={b"X-Name": b"caf\xe9"})
        assert response.text == "ok"
        [head] = raw.requests
    assert b"\r\nx-name: caf\xe9\r\n" in head.lower()
    assert response.request.headers.raw[-1] == (b"X-Name", b"caf\xe9")


async def test_latin1_response_header_bytes_are_kept(driver):
    payload = b"HTTP/1.1 200 OK\r\nX-Name: caf\xe9\r\nContent-Length: 2\r\n\r\nok"
    with RawServer(payload) as raw:
        async with driver.client() as c:
            response = await c.get(raw.url)
    assert response.headers["x-name"] == "caf\xe9"
    # (httprs gives response header names lower-cased: README, known differences.)
    assert (b"x-name", b"caf\xe9") in [(k.lower(), v) for k, v in response.headers.raw]
    assert response.headers.encoding == "iso-8859-1"
