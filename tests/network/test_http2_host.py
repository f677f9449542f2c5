"""The host of an HTTP/2 request travels in ``:authority`` only, as with httpx (httpcore drops
the ``Host`` header on HTTP/2 and sends its value as the authority): a ``Host`` header as
well makes servers such as nginx refuse the request ("client sent duplicate host header").
"""

from __future__ import annotations

import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.tls_fixtures import h2_server_fixture, tls_certs_fixture  # noqa: F401

pytestmark = pytest.mark.anyio


async def test_http2_sends_no_host_header(driver, h2_server, tls_certs):
    async with driver.client(http2=True, verify=tls_certs.context()) as c:
        response = await c.get(h2_server.url + "/echo")
    assert response.http_version == "HTTP/2"
    # The request object still has httpx's Host header; the wire does not.
    assert response.request.headers["host"] == h2_server.url.split("//")[1]
    # hypercorn gives the app the authority as its one `host` header; a `Host` header sent
    # as well would be a second one.
    hosts = [value for name, value in response.json()["headers"] if name == "host"]
    assert hosts == [h2_server.url.split("//")[1]]


async def test_http2_host_header_becomes_the_authority(driver, h2_server, tls_certs):
    async with driver.client(http2=True, verify=tls_certs.context()) as c:
        response = await c.get(h2_server.url + "/echo", headers={"Host": "example.org"})
    assert response.http_version == "HTTP/2"
    hosts = [value for name, value in response.json()["headers"] if name == "host"]
    assert hosts == ["example.org"]
