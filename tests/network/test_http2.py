"""HTTP/2 as in httpx 0.28.1: negotiated by ALPN over TLS with hypercorn.

``h2_server`` (tests/support/tls_fixtures.py) is hypercorn serving the test app over TLS with ALPN
``h2`` + ``http/1.1``; ``tls_server`` is uvicorn over TLS (HTTP/1.1 only). Requests to the
recording app carry a unique ``tag=`` so the test can see which client connections (ports)
the server saw. (httpx needs the ``h2`` package for ``http2=True``; httprs does not.)
"""

from __future__ import annotations

import httprs
import pytest

from tests.conftest import closed_port
from tests.drivers import (  # noqa: F401
    anyio_backend_fixture,
    driver_fixture,
    get_concurrently,
    variant_fixture,
)
from tests.support.servers.asgi import RecordingApp
from tests.support.tls_fixtures import h2_server_fixture, tls_certs_fixture, tls_server_fixture  # noqa: F401

pytestmark = pytest.mark.anyio


async def test_http2_is_negotiated(driver, h2_server, tls_certs):
    async with driver.client(http2=True, verify=tls_certs.context()) as c:
        response = await c.get(h2_server.url + "/echo?a=1", headers={"X-Test": "yes"})
        assert response.status_code == 200
        assert response.http_version == "HTTP/2"
        echo = response.json()
        assert echo["path"] == "/echo"
        assert echo["query"] == "a=1"
        assert ["x-test", "yes"] in echo["headers"]
        # A body over HTTP/2.
        response = await c.post(h2_server.url + "/echo", content=b"hello h2")
        assert response.http_version == "HTTP/2"
        assert response.json()["body"] == "hello h2"


async def test_http2_streaming_response(driver, h2_server, tls_certs):
    async with driver.client(http2=True, verify=tls_certs.context()) as c:
        async with c.stream("GET", h2_server.url + "/stream?chunks=20&size=1000") as response:
            assert response.http_version == "HTTP/2"
            body = b"".join(await c.iter_bytes(response))
    assert len(body) == 20_000


async def test_http1_by_default(driver, h2_server, tls_certs):
    async with driver.client(verify=tls_certs.context()) as c:
        response = await c.get(h2_server.url + "/echo")
    assert response.status_code == 200
    assert response.http_version == "HTTP/1.1"


async def test_http2_false_uses_http1(driver, h2_server, tls_certs):
    async with driver.client(http2=False, verify=tls_certs.context()) as c:
        response = await c.get(h2_server.url + "/echo")
    assert response.http_version == "HTTP/1.1"


async def test_http2_falls_back_to_http1_when_the_server_has_no_h2(driver, tls_server, tls_certs):
    async with driver.client(http2=True, verify=tls_certs.context()) as c:
        response = await c.get(tls_server.url + "/echo")
        assert response.status_code == 200
        assert response.http_version == "HTTP/1.1"
        response = await c.get(tls_server.url + "/echo")
        assert response.http_version == "HTTP/1.1"


async def test_sequential_http2_requests_reuse_the_connection(driver, h2_server, tls_certs):
    tag = RecordingApp.new_tag()
    async with driver.client(http2=True, verify=tls_certs.context()) as c:
        for _ in range(5):
            response = await c.get(h2_server.url + f"/echo?tag={tag}")
            assert response.http_version == "HTTP/2"
    assert len(set(h2_server.app.stats(tag).ports)) == 1


async def test_concurrent_http2_requests_share_one_connection(driver, h2_server, tls_certs):
    # 50 requests at once on a new client: they are all multiplexed on one TCP connection
    # (httpx treats a connection still connecting with http2 over https as available).
    tag = RecordingApp.new_tag()
    urls = [h2_server.url + f"/slow?delay=0.2&tag={tag}&n={i}" for i in range(50)]
    async with driver.client(http2=True, verify=tls_certs.context()) as c:
        responses = await get_concurrently(driver, c, urls)
    assert [r.status_code for r in responses] == [200] * 50
    assert {r.http_version for r in responses} == {"HTTP/2"}
    assert [r.headers["x-echo-query"] for r in responses] == [u.split("?")[1] for u in urls]
    stats = h2_server.app.stats(tag)
    assert len(stats.clients) == 50
    # One connection: the first request connects alone and the others wait for it to be
    # up (src/transport/warmup.rs) instead of racing it with connections of their own.
    assert len(set(stats.ports)) == 1, f"{len(set(stats.ports))} connections"
    # They really were in flight together.
    assert stats.max_in_flight > 1


async def test_concurrent_http2_requests_after_a_first_one_share_its_connection(
    driver, h2_server, tls_certs
):
    tag = RecordingApp.new_tag()
    urls = [h2_server.url + f"/slow?delay=0.2&tag={tag}&n={i}" for i in range(50)]
    async with driver.client(http2=True, verify=tls_certs.context()) as c:
        first = await c.get(h2_server.url + f"/echo?tag={tag}")
        assert first.http_version == "HTTP/2"
        responses = await get_concurrently(driver, c, urls)
    assert [r.status_code for r in responses] == [200] * 50
    assert {r.http_version for r in responses} == {"HTTP/2"}
    stats = h2_server.app.stats(tag)
    assert len(stats.clients) == 51
    assert len(set(stats.ports)) == 1, f"{len(set(stats.ports))} connections"


async def test_concurrent_burst_falls_back_to_http1_connections(driver, tls_server, tls_certs):
    # http2=True against an HTTP/1.1-only server: the burst waits for the first connection,
    # then the others open their own (HTTP/1.1 connections carry one request at a time).
    urls = [tls_server.url + f"/slow?delay=0.2&n={i}" for i in range(10)]
    async with driver.client(http2=True, verify=tls_certs.context()) as c:
        responses = await get_concurrently(driver, c, urls)
    assert [r.status_code for r in responses] == [200] * 10
    assert {r.http_version for r in responses} == {"HTTP/1.1"}


async def test_concurrent_burst_to_a_closed_port_all_fail(driver, tls_certs):
    # The first request cannot connect: the waiting ones take their turn and fail too,
    # none of them waits forever.
    url = f"https://127.0.0.1:{closed_port()}/"
    async with driver.client(http2=True, verify=tls_certs.context()) as c:
        results = await get_concurrently(driver, c, [url] * 10, return_exceptions=True)
    assert all(isinstance(r, httprs.ConnectError) for r in results), results
