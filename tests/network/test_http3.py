"""HTTP/3 (QUIC), opt-in with ``http3=True``: against hypercorn's HTTP/3 server (its ``h3``
extra, aioquic) with a trustme certificate, on 127.0.0.1 (TCP and UDP on the same port).

``h3_server`` serves the recording app over QUIC and over TCP (ALPN h2 + http/1.1);
``h2_server`` (tests/support/tls_fixtures.py) over TCP only: nothing answers on its UDP port,
which is what a network that drops UDP looks like, and the client falls back to TCP.
"""

from __future__ import annotations

import time

import anyio
import httprs
import pytest

from tests.conftest import closed_port
from tests.drivers import (  # noqa: F401
    anyio_backend_fixture,
    driver_fixture,
    get_concurrently,
    variant_fixture,
)
from tests.support.servers.asgi import RecordingApp, start_hypercorn
from tests.support.tls_fixtures import h2_server_fixture, tls_certs_fixture  # noqa: F401

pytestmark = pytest.mark.anyio


@pytest.fixture(name="h3_server", scope="module")
def h3_server_fixture(tls_certs):
    with start_hypercorn(
        RecordingApp(), certfile=tls_certs.server_cert, keyfile=tls_certs.server_key, quic=True
    ) as handle:
        yield handle


async def test_get_over_http3(driver, h3_server, tls_certs):
    async with driver.client(http3=True, verify=tls_certs.context()) as c:
        response = await c.get(h3_server.url + "/echo?a=1", headers={"X-Test": "yes"})
    assert response.status_code == 200
    assert response.http_version == "HTTP/3"
    echo = response.json()
    assert echo["path"] == "/echo"
    assert echo["query"] == "a=1"
    assert ["x-test", "yes"] in echo["headers"]
    # HTTP/1's connection headers (httpx's default `Connection: keep-alive`) are not sent:
    # an HTTP/3 server refuses a request with one.
    assert "connection" not in [name for name, _ in echo["headers"]]


async def test_post_bodies_over_http3(driver, h3_server, tls_certs):
    async with driver.client(http3=True, verify=tls_certs.ca_pem) as c:
        response = await c.post(h3_server.url + "/echo", content=b"hello h3")
        assert response.http_version == "HTTP/3"
        assert response.json()["body"] == "hello h3"
        response = await c.post(
            h3_server.url + "/echo", content=driver.iter_content(b"streamed ", b"body")
        )
        assert response.http_version == "HTTP/3"
        assert response.json()["body"] == "streamed body"
        response = await c.post(h3_server.url + "/echo", data={"a": "1"})
        assert response.json()["body"] == "a=1"


async def test_streaming_response_over_http3(driver, h3_server, tls_certs):
    url = h3_server.url + "/slow-body?delay=0.1&chunks=3"
    async with driver.client(http3=True, verify=tls_certs.context()) as c:
        async with c.stream("GET", url) as response:
            # The head is handed over before the body, which the server sends a line every
            # 0.1 s: the last line comes at least two intervals after it (timed from the head,
            # not from the call, so a slow QUIC handshake on a loaded machine does not count).
            head_at = time.monotonic()
            assert response.http_version == "HTTP/3"
            lines = await c.iter_lines(response)
            assert time.monotonic() - head_at >= 0.15
        big = await c.get(h3_server.url + "/stream?chunks=20&size=1000")
    assert lines == ["chunk0", "chunk1", "chunk2"]
    assert len(big.content) == 20_000


async def test_read_timeout_over_http3_and_the_connection_goes_on(driver, h3_server, tls_certs):
    async with driver.client(http3=True, verify=tls_certs.context()) as c:
        started = time.monotonic()
        with pytest.raises(httprs.ReadTimeout):
            # The server answers after 0.5 s (and so is done before it shuts down).
            await c.get(h3_server.url + "/slow?delay=0.5", timeout=0.2)
        assert time.monotonic() - started < 0.45
        # Only the request's stream was given up: the next one goes over HTTP/3 again.
        response = await c.get(h3_server.url + "/echo")
        assert response.http_version == "HTTP/3"


async def test_a_request_given_up_frees_its_place_under_the_limits(driver, h3_server, tls_certs):
    # One place: the request given up (cancelled, or timed out for the sync client) must
    # free it, or the next one waits out its pool budget.
    limits = httprs.Limits(max_connections=1)
    timeout = httprs.Timeout(5.0, pool=1.0)
    async with driver.client(
        http3=True, verify=tls_certs.context(), limits=limits, timeout=timeout
    ) as c:
        if driver.is_async:
            with anyio.move_on_after(0.2) as scope:
                await c.get(h3_server.url + "/slow?delay=0.5")
            assert scope.cancelled_caught
        else:
            with pytest.raises(httprs.ReadTimeout):
                await c.get(h3_server.url + "/slow?delay=0.5", timeout=0.2)
        response = await c.get(h3_server.url + "/echo")
        assert response.http_version == "HTTP/3"


async def test_concurrent_requests_share_one_quic_connection(driver, h3_server, tls_certs):
    tag = RecordingApp.new_tag()
    async with driver.client(http3=True, verify=tls_certs.context()) as c:
        responses = await get_concurrently(
            driver, c, [h3_server.url + f"/slow?delay=0.2&tag={tag}"] * 10
        )
    assert {r.http_version for r in responses} == {"HTTP/3"}
    stats = h3_server.app.stats(tag)
    assert len(stats.clients) == 10
    assert len(set(stats.clients)) == 1, stats.clients  # one UDP flow: one QUIC connection
    assert stats.max_in_flight > 1


@pytest.mark.parametrize(
    ("how", "version"),
    [("client", "HTTP/3"), ("transport", "HTTP/3"), ("not asked", "HTTP/2")],
)
async def test_http3_where_asked_for(driver, h3_server, tls_certs, how, version):
    # The transports take http3= as the clients do; without it, TCP (here HTTP/2, offered).
    options = {"verify": tls_certs.context(), "http2": True}
    if how == "transport":
        client = driver.client(transport=driver.http_transport(http3=True, **options))
    else:
        client = driver.client(http3=how == "client", **options)
    async with client as c:
        response = await c.get(h3_server.url + "/echo")
    assert response.http_version == version


async def test_verify_applies_to_quic(driver, h3_server, tls_certs):
    # verify=False is honoured over QUIC as over TCP...
    async with driver.client(http3=True, verify=False) as c:
        response = await c.get(h3_server.url + "/echo")
    assert response.http_version == "HTTP/3"
    # ... and the bundled roots do not know the test CA: the QUIC handshake is refused, the
    # TCP one too, with OpenSSL's words.
    async with driver.client(http3=True) as c:
        with pytest.raises(httprs.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await c.get(h3_server.url + "/echo")


async def test_falls_back_to_tcp_when_nothing_answers_on_udp(driver, h2_server, tls_certs):
    timeout = httprs.Timeout(5.0, connect=0.5)
    async with driver.client(
        http3=True, http2=True, verify=tls_certs.context(), timeout=timeout
    ) as c:
        started = time.monotonic()
        response = await c.post(
            h2_server.url + "/echo", content=driver.iter_content(b"not ", b"lost")
        )
        # The handshake had the connect budget; then TCP (HTTP/2 here) within its own.
        assert time.monotonic() - started < 1.5
        assert response.http_version == "HTTP/2"
        # The streamed body was not read by the failed attempt: it all went over TCP.
        assert response.json()["body"] == "not lost"
        # The origin is remembered: no second wait for the handshake.
        started = time.monotonic()
        response = await c.get(h2_server.url + "/echo")
        assert time.monotonic() - started < 0.45
        assert response.http_version == "HTTP/2"


async def test_alt_svc_names_the_http3_port(driver, tls_certs):
    # HTTP/3 on another UDP port than the TCP one: only the Alt-Svc header (hypercorn sends
    # `h3=":PORT"; ma=3600` on its responses) says where.
    with start_hypercorn(
        RecordingApp(),
        certfile=tls_certs.server_cert,
        keyfile=tls_certs.server_key,
        quic_elsewhere=True,
    ) as server:
        timeout = httprs.Timeout(5.0, connect=0.3)
        async with driver.client(
            http3=True, http2=True, verify=tls_certs.context(), timeout=timeout
        ) as c:
            # Nothing answers on UDP at the URL's port: TCP, which names the HTTP/3 port.
            first = await c.get(server.url + "/echo")
            assert first.http_version == "HTTP/2"
            assert 'h3=":' in first.headers["alt-svc"]
            second = await c.get(server.url + "/echo?again=1")
            assert second.http_version == "HTTP/3"
            assert second.json()["query"] == "again=1"
            # The response is the URL's, whatever port carried it.
            assert second.url == server.url + "/echo?again=1"


async def test_falls_back_to_http1_when_only_http1_is_allowed(driver, h2_server, tls_certs):
    timeout = httprs.Timeout(5.0, connect=0.3)
    async with driver.client(http3=True, verify=tls_certs.context(), timeout=timeout) as c:
        response = await c.get(h2_server.url + "/echo")
    assert response.http_version == "HTTP/1.1"


async def test_nothing_listening_at_all_is_a_connect_error(driver):
    url = f"https://127.0.0.1:{closed_port()}/"
    async with driver.client(http3=True, timeout=httprs.Timeout(5.0, connect=0.3)) as c:
        with pytest.raises(httprs.ConnectError):
            await c.get(url)


async def test_plain_http_urls_stay_on_tcp(driver):
    # http3 applies to https only: an http URL goes over TCP as before.
    async with driver.client(http3=True) as c:
        with pytest.raises(httprs.ConnectError):
            await c.get(f"http://127.0.0.1:{closed_port()}/", timeout=1.0)


def test_http3_is_keyword_and_typed():
    with pytest.raises(TypeError):
        httprs.Client(http3="yes")
    with httprs.Client(http3=False) as c:
        assert c is not None
    with httprs.HTTPTransport(http3=True) as t:
        assert t is not None
