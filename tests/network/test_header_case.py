"""Header names keep their spelling on HTTP/1.1, as in httpx (h11).

Response names come back as the server sent them in ``Headers.raw`` (``keys()``, ``items()``,
``multi_items()`` and the repr are lower-case in httpx too; lookups are case-insensitive), and
request names go on the wire as the caller wrote them (httpx's defaults are ``Host``,
``Accept``, ``Accept-Encoding``, ``Connection``, ``User-Agent``). HTTP/2 names are lower-case
by the protocol. ``RawServer`` records the request heads it reads and answers with fixed bytes.
"""

from __future__ import annotations

import httprs
import httpx
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.servers.raw import RawServer
from tests.support.tls_fixtures import h2_server_fixture, tls_certs_fixture  # noqa: F401

pytestmark = [pytest.mark.network, pytest.mark.anyio]

MIXED = (
    b"HTTP/1.1 200 OK\r\n"
    b"Content-Type: text/plain\r\n"
    b"X-Bread: Baguette\r\n"
    b"server: uvicorn\r\n"
    b"x-BREAD: Pain\r\n"
    b"ETag: abc\r\n"
    b"Content-Length: 2\r\n"
    b"\r\n"
    b"ok"
)

EMPTY = b"HTTP/1.1 204 No Content\r\n\r\n"


def header_lines(head: bytes) -> list[str]:
    """The header lines of a recorded request head, the request line left out."""
    return head.decode("latin-1").split("\r\n")[1:-2]


def names(head: bytes) -> list[str]:
    return [line.split(":", 1)[0] for line in header_lines(head)]


async def test_response_names_as_sent(driver):
    with RawServer(MIXED) as raw:
        async with driver.client() as c:
            response = await c.get(raw.url)
    headers = response.headers
    # The lines in the order sent (a repeated name's lines apart), each name as spelled.
    assert headers.raw == [
        (b"Content-Type", b"text/plain"),
        (b"X-Bread", b"Baguette"),
        (b"server", b"uvicorn"),
        (b"x-BREAD", b"Pain"),
        (b"ETag", b"abc"),
        (b"Content-Length", b"2"),
    ]
    assert [name for name, _ in headers.multi_items()] == [
        "content-type",
        "x-bread",
        "server",
        "x-bread",
        "etag",
        "content-length",
    ]
    # As in httpx: every other view is lower-case.
    assert list(headers.keys()) == ["content-type", "x-bread", "server", "etag", "content-length"]
    assert dict(headers.items())["x-bread"] == "Baguette, Pain"
    assert ("x-bread", "Pain") in headers.multi_items()
    assert "'x-bread'" in repr(headers) and "X-Bread" not in repr(headers)
    # Lookups ignore case.
    assert headers["CONTENT-type"] == "text/plain"
    assert headers.get_list("X-BREAD") == ["Baguette", "Pain"]
    assert "etag" in headers and "ETAG" in headers
    assert response.text == "ok"


async def test_streamed_response_names_as_sent(driver):
    with RawServer(MIXED) as raw:
        async with driver.client() as c:
            async with c.stream("GET", raw.url) as response:
                assert (b"ETag", b"abc") in response.headers.raw
                assert await c.read(response) == b"ok"


async def test_request_names_as_written(driver):
    headers = {"X-Custom": "1", "x-lower": "2", "X-API-Key": "k", "ETag": "e"}
    with RawServer(EMPTY) as raw:
        async with driver.client() as c:
            await c.get(raw.url, headers=headers)
    assert names(raw.requests[0]) == [
        "Host",
        "Accept",
        "Accept-Encoding",
        "Connection",
        "User-Agent",
        "X-Custom",
        "x-lower",
        "X-API-Key",
        "ETag",
    ]
    assert header_lines(raw.requests[0])[-3:] == ["x-lower: 2", "X-API-Key: k", "ETag: e"]


async def test_title_case_names_as_written(driver):
    # No spelling differs from title case here: the common request, sent without a map.
    with RawServer(EMPTY) as raw:
        async with driver.client() as c:
            await c.post(raw.url, headers={"X-Custom": "1"}, content=b"hello")
    assert names(raw.requests[0]) == [
        "Host",
        "Accept",
        "Accept-Encoding",
        "Connection",
        "User-Agent",
        "X-Custom",
        "Content-Length",
    ]


async def test_repeated_request_name_keeps_each_spelling(driver):
    pairs = [("x-dup", "1"), ("X-DUP", "2"), ("X-Dup", "3")]
    with RawServer(EMPTY) as raw:
        async with driver.client(headers={"x-client": "c"}) as c:
            await c.get(raw.url, headers=pairs)
    assert header_lines(raw.requests[0])[-4:] == ["x-client: c", "x-dup: 1", "X-DUP: 2", "X-Dup: 3"]


async def test_overridden_default_takes_the_callers_spelling(driver):
    with RawServer(EMPTY) as raw:
        async with driver.client() as c:
            await c.get(raw.url, headers={"user-agent": "me", "accept": "text/html"})
    lines = header_lines(raw.requests[0])
    assert "user-agent: me" in lines and "accept: text/html" in lines
    assert not any(line.startswith(("User-Agent", "Accept:")) for line in lines)


def test_request_head_names_match_httpx():
    headers = [
        ("x-lower", "1"),
        ("X-API-Key", "2"),
        ("accept", "*/*"),
        ("X-dup", "3"),
        ("x-DUP", "4"),
    ]
    heads = []
    for client_class in (httprs.Client, httpx.Client):
        with RawServer(EMPTY) as raw, client_class() as c:
            c.post(raw.url, headers=headers, json={"a": 1})
        heads.append(names(raw.requests[0]))
    assert heads[0] == heads[1]


def test_response_raw_names_match_httpx():
    raws = []
    for client_class in (httprs.Client, httpx.Client):
        with RawServer(MIXED) as raw, client_class() as c:
            raws.append(sorted(c.get(raw.url).headers.raw))
    assert raws[0] == raws[1]


async def test_http2_names_are_lower_case(driver, h2_server, tls_certs):
    async with driver.client(http2=True, verify=tls_certs.context()) as c:
        response = await c.get(h2_server.url + "/echo", headers={"X-API-Key": "k", "x-lower": "l"})
    assert response.http_version == "HTTP/2"
    assert all(name == name.lower() for name, _ in response.headers.raw)
    echoed = response.json()["headers"]
    assert ["x-api-key", "k"] in echoed and ["x-lower", "l"] in echoed
