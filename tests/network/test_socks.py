"""SOCKS5 proxies (``proxy="socks5://..."`` / ``"socks5h://..."``) through the test SOCKS5
server in tests/support/servers/socks.py, which records every CONNECT it is asked for.

``socks5://`` resolves the target's name on the client and sends the proxy an address;
``socks5h://`` sends the name for the proxy to resolve (as in httpx with ``socksio``).
Every test runs on ``sync``, ``async-asyncio`` and ``async-trio`` (tests/drivers.py).
"""

from __future__ import annotations

import httprs
import pytest

from tests.conftest import closed_port
from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.network.test_proxy import clean_proxy_env  # noqa: F401 - autouse fixture
from tests.support.helpers import echo_headers
from tests.support.servers.socks import SocksConnect, SocksServer
from tests.support.tls_fixtures import tls_certs_fixture, tls_server_fixture  # noqa: F401

pytestmark = pytest.mark.anyio


@pytest.fixture
def socks():
    with SocksServer() as handle:
        yield handle


async def test_http_through_socks5(driver, server, socks):
    async with driver.client(proxy=socks.proxy_url("socks5")) as c:
        response = await c.get(server.url + "/echo?via=socks")
        assert response.status_code == 200
        assert response.json()["query"] == "via=socks"
        # The connection through the proxy is kept and reused (the next request waits for it
        # to come back to the pool rather than connecting again: transport/pool.rs).
        response = await c.get(server.url + "/echo")
        assert response.status_code == 200
    assert socks.connects == [SocksConnect("127.0.0.1", server.port, "ipv4", None)]


async def test_socks5_resolves_names_on_the_client(driver, server, socks):
    async with driver.client(proxy=socks.proxy_url("socks5")) as c:
        response = await c.get(f"http://localhost:{server.port}/echo")
    assert response.status_code == 200
    [connect] = socks.connects
    assert connect.address_type in ("ipv4", "ipv6")
    assert connect.port == server.port


async def test_socks5h_lets_the_proxy_resolve_names(driver, server, socks):
    async with driver.client(proxy=socks.proxy_url("socks5h")) as c:
        response = await c.get(f"http://localhost:{server.port}/echo")
    assert response.status_code == 200
    assert socks.connects == [SocksConnect("localhost", server.port, "domain", None)]


async def test_socks5_credentials_from_the_proxy_url(driver, server):
    with SocksServer(auth=("user", "s3cret")) as socks:
        async with driver.client(proxy=socks.proxy_url("socks5")) as c:
            response = await c.get(server.url + "/echo")
        assert response.status_code == 200
        assert socks.connects == [SocksConnect("127.0.0.1", server.port, "ipv4", "user")]
        assert socks.failed_logins == []
    # The proxy's credentials are not sent to the target.
    assert echo_headers(response.json(), "proxy-authorization") == []
    assert echo_headers(response.json(), "authorization") == []


async def test_socks5_wrong_credentials_is_a_proxy_error(driver, server):
    with SocksServer(auth=("user", "s3cret")) as socks:
        url = f"socks5://user:wrong@127.0.0.1:{socks.port}"
        async with driver.client(proxy=url) as c:
            with pytest.raises(httprs.ProxyError):
                await c.get(server.url + "/echo")
        assert socks.failed_logins == [("user", "wrong")]


async def test_socks5_refused_connect_is_a_proxy_error(driver, server):
    with SocksServer(refuse=True) as socks:
        async with driver.client(proxy=socks.proxy_url("socks5")) as c:
            with pytest.raises(httprs.ProxyError):
                await c.get(server.url + "/echo")
        assert [c.port for c in socks.connects] == [server.port]


async def test_socks5_not_listening_is_a_connect_error(driver, server):
    async with driver.client(proxy=f"socks5://127.0.0.1:{closed_port()}") as c:
        with pytest.raises(httprs.ConnectError):
            await c.get(server.url + "/echo")


async def test_https_through_socks5(driver, tls_server, tls_certs, socks):
    async with driver.client(proxy=socks.proxy_url("socks5h"), verify=tls_certs.context()) as c:
        response = await c.get(f"https://localhost:{tls_server.port}/echo?tls=1")
    assert response.status_code == 200
    assert response.json()["query"] == "tls=1"
    assert socks.connects == [SocksConnect("localhost", tls_server.port, "domain", None)]


@pytest.mark.parametrize("name", ["ALL_PROXY", "all_proxy", "HTTP_PROXY"])
async def test_socks5_proxy_from_the_environment(driver, server, socks, monkeypatch, name):
    monkeypatch.setenv(name, socks.proxy_url("socks5"))
    async with driver.client() as c:
        response = await c.get(server.url + "/echo")
    assert response.status_code == 200
    assert [c.port for c in socks.connects] == [server.port]


async def test_socks5_mounted_for_one_scheme(driver, server, socks):
    mounts = {"http://": driver.http_transport(proxy=socks.proxy_url("socks5"))}
    async with driver.client(mounts=mounts) as c:
        response = await c.get(server.url + "/echo")
    assert response.status_code == 200
    assert [c.port for c in socks.connects] == [server.port]
