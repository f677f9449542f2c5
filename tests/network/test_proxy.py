"""Proxies as in httpx 0.28.1, through tests/support/servers/proxy.py (a forwarding proxy on
127.0.0.1).

Plain ``http://`` requests are sent to the proxy in absolute form; ``https://`` requests go
through a ``CONNECT`` tunnel to the TLS test server. Covers ``proxy=``, credentials in the proxy
URL, ``mounts=`` with proxied transports, the proxy environment variables (``HTTP_PROXY``,
``http_proxy``, ``HTTPS_PROXY``, ``ALL_PROXY``, ``NO_PROXY``) with and without ``trust_env``,
and the errors: a proxy refusing ``CONNECT`` (``ProxyError``), a proxy not listening
(``ConnectError``, as httpx). Every test runs on ``sync``, ``async-asyncio`` and
``async-trio`` (tests/drivers.py).
"""

from __future__ import annotations

import httprs
import pytest

from tests.conftest import closed_port
from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.helpers import basic_auth, echo_headers
from tests.support.servers.proxy import ProxyServer
from tests.support.tls_fixtures import tls_certs_fixture, tls_server_fixture  # noqa: F401

pytestmark = pytest.mark.anyio

PROXY_ENV = [
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "REQUEST_METHOD",  # (urllib ignores HTTP_PROXY when it is set: CGI)
]


@pytest.fixture(autouse=True)
def clean_proxy_env(monkeypatch):
    for name in PROXY_ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def proxy():
    with ProxyServer() as handle:
        yield handle


@pytest.fixture
def auth_proxy():
    with ProxyServer(auth=("user", "p@ss:w")) as handle:
        yield handle


def assert_proxied(response, proxy, url):
    assert response.status_code == 200
    assert response.headers.get("x-test-proxy") == "1"
    assert proxy.request_lines == [f"GET {url} HTTP/1.1"]


def assert_direct(response, proxy):
    assert response.status_code == 200
    assert "x-test-proxy" not in response.headers
    assert proxy.requests == []


# --- proxy= -----------------------------------------------------------------------------------


async def test_http_request_through_the_proxy(driver, server, proxy):
    url = server.url + "/echo?x=1"
    async with driver.client(proxy=proxy.url) as c:
        response = await c.get(url, headers={"X-Custom": "value"})
    assert_proxied(response, proxy, url)
    echo = response.json()
    assert echo["path"] == "/echo"
    assert echo["query"] == "x=1"
    assert echo_headers(echo, "x-custom") == ["value"]
    assert echo_headers(echo, "host") == [f"127.0.0.1:{server.port}"]
    assert proxy.requests[0].proxy_authorization is None


async def test_http_request_body_through_the_proxy(driver, server, proxy):
    async with driver.client(proxy=proxy.url) as c:
        response = await c.post(server.url + "/echo", content=b"payload")
        assert response.json()["body"] == "payload"
        assert response.json()["method"] == "POST"
        response = await c.post(server.url + "/echo", content=driver.iter_content(b"a", b"b"))
        assert response.json()["body"] == "ab"
    assert [r.method for r in proxy.requests] == ["POST", "POST"]


async def test_several_requests_through_the_proxy(driver, server, proxy):
    async with driver.client(proxy=proxy.url) as c:
        for i in range(3):
            response = await c.get(server.url + f"/echo?i={i}")
            assert response.json()["query"] == f"i={i}"
    assert proxy.request_lines == [f"GET {server.url}/echo?i={i} HTTP/1.1" for i in range(3)]


async def test_proxy_credentials_from_the_url(driver, server, auth_proxy):
    # Percent-encoded in the URL, sent decoded.
    url = f"http://user:p%40ss%3Aw@127.0.0.1:{auth_proxy.port}"
    async with driver.client(proxy=url) as c:
        response = await c.get(server.url + "/echo")
    assert_proxied(response, auth_proxy, server.url + "/echo")
    assert auth_proxy.requests[0].proxy_authorization == basic_auth("user", "p@ss:w")


async def test_a_proxy_object_with_credentials_and_headers(driver, server):
    with ProxyServer(auth=("user", "p@ss:w")) as auth_proxy:
        from_url = httprs.Proxy(f"http://user:p%40ss%3Aw@127.0.0.1:{auth_proxy.port}")
        assert from_url.auth == ("user", "p@ss:w")
        assert (
            repr(from_url)
            == f"Proxy('http://127.0.0.1:{auth_proxy.port}', auth=('user', '********'))"
        )
        given = httprs.Proxy(auth_proxy.url, auth=("user", "p@ss:w"), headers={"X-Proxy-Tag": "t1"})
        for proxy in (from_url, given):
            async with driver.client(proxy=proxy) as c:
                response = await c.get(server.url + "/echo")
            assert response.status_code == 200
        assert [r.proxy_authorization for r in auth_proxy.requests] == [
            basic_auth("user", "p@ss:w")
        ] * 2
        assert ("X-Proxy-Tag", "t1") not in auth_proxy.requests[0].headers
        assert ("x-proxy-tag", "t1") in [(k.lower(), v) for k, v in auth_proxy.requests[1].headers]
    with pytest.raises(ValueError, match="Unknown scheme"):
        httprs.Proxy("ftp://127.0.0.1:1")


async def test_missing_proxy_credentials_give_the_407_response(driver, server, auth_proxy):
    # For plain http, the proxy's 407 is just the response.
    async with driver.client(proxy=auth_proxy.url) as c:
        response = await c.get(server.url + "/echo")
    assert response.status_code == 407
    assert response.headers["proxy-authenticate"] == 'Basic realm="test-proxy"'
    assert auth_proxy.requests[0].proxy_authorization is None


async def test_https_through_a_connect_tunnel(driver, tls_server, tls_certs, proxy):
    async with driver.client(proxy=proxy.url, verify=tls_certs.context()) as c:
        response = await c.get(tls_server.url + "/echo?y=2")
        assert response.status_code == 200
        assert response.json()["query"] == "y=2"
        # The tunnel is kept and reused.
        response = await c.get(tls_server.url + "/echo?y=3")
        assert response.json()["query"] == "y=3"
    # The proxy only saw the CONNECT, not the requests inside the tunnel.
    assert proxy.request_lines == [f"CONNECT 127.0.0.1:{tls_server.port} HTTP/1.1"]
    assert "x-test-proxy" not in response.headers


async def test_https_tunnel_with_proxy_credentials(driver, tls_server, tls_certs, auth_proxy):
    url = f"http://user:p%40ss%3Aw@127.0.0.1:{auth_proxy.port}"
    async with driver.client(proxy=url, verify=tls_certs.context()) as c:
        response = await c.get(tls_server.url + "/echo")
    assert response.status_code == 200
    assert auth_proxy.request_lines == [f"CONNECT 127.0.0.1:{tls_server.port} HTTP/1.1"]
    assert auth_proxy.requests[0].proxy_authorization == basic_auth("user", "p@ss:w")
    # The credentials are for the proxy only: not sent to the target through the tunnel.
    assert echo_headers(response.json(), "proxy-authorization") == []


async def test_https_tunnel_without_credentials_is_a_proxy_error(
    driver, tls_server, tls_certs, auth_proxy
):
    async with driver.client(proxy=auth_proxy.url, verify=tls_certs.context()) as c:
        with pytest.raises(httprs.ProxyError):
            await c.get(tls_server.url + "/echo")
    assert auth_proxy.request_lines == [f"CONNECT 127.0.0.1:{tls_server.port} HTTP/1.1"]


async def test_refused_connect_is_a_proxy_error(driver, tls_server, tls_certs):
    with ProxyServer(refuse_connect=True) as proxy:
        async with driver.client(proxy=proxy.url, verify=tls_certs.context()) as c:
            with pytest.raises(httprs.ProxyError):
                await c.get(tls_server.url + "/echo")
    assert proxy.request_lines == [f"CONNECT 127.0.0.1:{tls_server.port} HTTP/1.1"]


@pytest.mark.parametrize(
    "auth, refuse, status",
    [(("user", "pw"), False, "407"), (None, True, "403")],
    ids=["407", "403"],
)
async def test_proxy_error_message_has_the_status(
    driver, tls_server, tls_certs, auth, refuse, status
):
    # httpx: ProxyError("407 Proxy Authentication Required") / ProxyError("403 Forbidden").
    # httprs says 407 too; for other refusals reqwest's tunnel does not keep the status, so
    # the message says the tunnel was refused ("unsuccessful") instead (README).
    with ProxyServer(auth=auth, refuse_connect=refuse) as proxy:
        async with driver.client(proxy=proxy.url, verify=tls_certs.context()) as c:
            with pytest.raises(httprs.ProxyError) as exc_info:
                await c.get(tls_server.url + "/echo")
    message = str(exc_info.value)
    if "httpx" in type(exc_info.value).__module__ or status == "407":
        assert status in message, message
    else:
        assert "unsuccessful" in message, message


@pytest.mark.parametrize("scheme", ["http", "https"])
async def test_proxy_not_listening_is_a_connect_error(driver, server, tls_server, scheme):
    target = server.url if scheme == "http" else tls_server.url
    async with driver.client(proxy=f"http://127.0.0.1:{closed_port()}", verify=False) as c:
        with pytest.raises(httprs.ConnectError):
            await c.get(target + "/echo")


# --- mounts= ----------------------------------------------------------------------------------


async def test_mount_a_proxy_for_http_only(driver, server, tls_server, tls_certs, proxy):
    mounts = {"http://": driver.http_transport(proxy=proxy.url)}
    async with driver.client(mounts=mounts, verify=tls_certs.context()) as c:
        response = await c.get(server.url + "/echo")
        assert_proxied(response, proxy, server.url + "/echo")
        response = await c.get(tls_server.url + "/echo")
        assert response.status_code == 200
    # The https request went direct.
    assert len(proxy.requests) == 1


async def test_mount_a_proxy_for_https_only(driver, server, tls_server, tls_certs, proxy):
    mounts = {"https://": driver.http_transport(proxy=proxy.url, verify=tls_certs.context())}
    async with driver.client(mounts=mounts) as c:
        response = await c.get(tls_server.url + "/echo")
        assert response.status_code == 200
        response = await c.get(server.url + "/echo")
        assert response.status_code == 200
        assert "x-test-proxy" not in response.headers
    assert proxy.request_lines == [f"CONNECT 127.0.0.1:{tls_server.port} HTTP/1.1"]


async def test_mount_with_credentials_in_the_proxy_url(driver, server, auth_proxy):
    url = f"http://user:p%40ss%3Aw@127.0.0.1:{auth_proxy.port}"
    async with driver.client(mounts={"all://": driver.http_transport(proxy=url)}) as c:
        response = await c.get(server.url + "/echo")
    assert_proxied(response, auth_proxy, server.url + "/echo")
    assert auth_proxy.requests[0].proxy_authorization == basic_auth("user", "p@ss:w")


async def test_a_none_mount_bypasses_the_proxy_for_that_host(driver, server, proxy):
    async with driver.client(proxy=proxy.url, mounts={"all://127.0.0.1": None}) as c:
        response = await c.get(server.url + "/echo")
        assert_direct(response, proxy)
        response = await c.get(f"http://localhost:{server.port}/echo")
        assert response.headers.get("x-test-proxy") == "1"
    assert proxy.request_lines == [f"GET http://localhost:{server.port}/echo HTTP/1.1"]


# --- environment ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
async def test_proxy_env_is_used_with_trust_env(driver, server, proxy, monkeypatch, name):
    monkeypatch.setenv(name, proxy.url)
    async with driver.client(trust_env=True) as c:
        response = await c.get(server.url + "/echo")
    assert_proxied(response, proxy, server.url + "/echo")


async def test_proxy_env_without_a_scheme_means_http(driver, server, proxy, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", f"127.0.0.1:{proxy.port}")
    async with driver.client() as c:
        response = await c.get(server.url + "/echo")
    assert_proxied(response, proxy, server.url + "/echo")


async def test_proxy_env_credentials(driver, server, auth_proxy, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", f"http://user:p%40ss%3Aw@127.0.0.1:{auth_proxy.port}")
    async with driver.client() as c:
        response = await c.get(server.url + "/echo")
    assert_proxied(response, auth_proxy, server.url + "/echo")
    assert auth_proxy.requests[0].proxy_authorization == basic_auth("user", "p@ss:w")


@pytest.mark.parametrize("name", ["HTTP_PROXY", "ALL_PROXY"])
async def test_proxy_env_is_ignored_without_trust_env(driver, server, proxy, monkeypatch, name):
    monkeypatch.setenv(name, proxy.url)
    async with driver.client(trust_env=False) as c:
        response = await c.get(server.url + "/echo")
    assert_direct(response, proxy)


async def test_https_proxy_env_tunnels_https(
    driver, server, tls_server, tls_certs, proxy, monkeypatch
):
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    async with driver.client(verify=tls_certs.context()) as c:
        response = await c.get(tls_server.url + "/echo")
        assert response.status_code == 200
        # HTTPS_PROXY is not used for http.
        response = await c.get(server.url + "/echo")
        assert "x-test-proxy" not in response.headers
    assert proxy.request_lines == [f"CONNECT 127.0.0.1:{tls_server.port} HTTP/1.1"]


async def test_http_proxy_env_is_not_used_for_https(
    driver, tls_server, tls_certs, proxy, monkeypatch
):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    async with driver.client(verify=tls_certs.context()) as c:
        response = await c.get(tls_server.url + "/echo")
    assert response.status_code == 200
    assert proxy.requests == []


@pytest.mark.parametrize(
    "no_proxy, host",
    [
        ("127.0.0.1", "127.0.0.1"),
        ("example.com, 127.0.0.1", "127.0.0.1"),
        ("localhost", "localhost"),
        ("*", "127.0.0.1"),
    ],
)
async def test_no_proxy_env_bypasses_the_proxy(driver, server, proxy, monkeypatch, no_proxy, host):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", no_proxy)
    async with driver.client() as c:
        response = await c.get(f"http://{host}:{server.port}/echo")
    assert_direct(response, proxy)


async def test_no_proxy_env_for_another_host_keeps_the_proxy(driver, server, proxy, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "example.com,localhost")
    async with driver.client() as c:
        response = await c.get(server.url + "/echo")
    assert_proxied(response, proxy, server.url + "/echo")


async def test_explicit_proxy_wins_over_the_env(driver, server, proxy, monkeypatch):
    # The env proxy does not exist: it would fail if it were used. NO_PROXY is ignored too.
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    async with driver.client(proxy=proxy.url) as c:
        response = await c.get(server.url + "/echo")
    assert_proxied(response, proxy, server.url + "/echo")


async def test_proxy_env_is_ignored_with_an_explicit_transport(driver, server, proxy, monkeypatch):
    # httpx only reads the proxy environment when it builds the transports itself.
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    async with driver.client(transport=driver.http_transport()) as c:
        response = await c.get(server.url + "/echo")
    assert_direct(response, proxy)
