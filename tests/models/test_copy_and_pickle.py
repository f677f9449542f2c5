"""Models behave like httpx's Python objects: `copy.copy`, `copy.deepcopy` and `pickle` give
equal, independent objects; Headers and Cookies have the `MutableMapping` methods httpx's do;
the module exports exactly its public names, as httpx's does."""

from __future__ import annotations

import copy
import pickle
import types

import httprs
import pytest

ROUND_TRIPS = {
    "copy": copy.copy,
    "deepcopy": copy.deepcopy,
    "pickle": lambda obj: pickle.loads(pickle.dumps(obj)),
}


@pytest.fixture(params=sorted(ROUND_TRIPS), name="round_trip")
def round_trip_fixture(request):
    return ROUND_TRIPS[request.param]


def test_headers_round_trip_keeps_raw_bytes_and_order(round_trip):
    headers = httprs.Headers([(b"X-Name", b"caf\xe9"), ("a", "1"), ("A", "2")])
    other = round_trip(headers)
    assert other == headers
    assert other is not headers
    assert other.raw == [(b"X-Name", b"caf\xe9"), (b"a", b"1"), (b"A", b"2")]
    other["a"] = "changed"
    assert headers.get_list("a") == ["1", "2"]


def test_timeout_and_limits_round_trip(round_trip):
    timeout = httprs.Timeout(5, read=None, pool=2.5)
    assert round_trip(timeout) == timeout
    assert repr(round_trip(timeout)) == repr(timeout)
    limits = httprs.Limits(max_connections=3, keepalive_expiry=None)
    assert round_trip(limits) == limits
    assert round_trip(limits).keepalive_expiry is None


def test_cookies_round_trip_keeps_domain_and_path(round_trip):
    cookies = httprs.Cookies()
    cookies.set("a", "1", domain="example.org", path="/x")
    cookies.set("b", "2")
    other = round_trip(cookies)
    assert dict(other) == {"a": "1", "b": "2"}
    assert other.get("a", domain="example.org", path="/x") == "1"
    assert other.get("a", domain="other.org") is None
    other["c"] = "3"
    assert "c" not in cookies, "a copy is independent (httpx's copy.copy shares the jar)"


def test_url_and_query_params_round_trip(round_trip):
    url = httprs.URL("https://user:pw@example.org:8443/p?q=1#f")
    assert round_trip(url) == url
    params = httprs.QueryParams([("a", "1"), ("a", "2")])
    assert round_trip(params) == params


def test_headers_clear_and_popitem():
    headers = httprs.Headers([("A", "1"), ("b", "2"), ("a", "3")])
    assert headers.popitem() == ("a", "1, 3")
    assert list(headers.items()) == [("b", "2")]
    headers.clear()
    assert len(headers) == 0
    with pytest.raises(KeyError):
        headers.popitem()


def test_cookies_mapping_methods():
    cookies = httprs.Cookies({"a": "1", "b": "2"})
    assert cookies.setdefault("a", "x") == "1"
    assert cookies.setdefault("c", "3") == "3"
    assert cookies["c"] == "3"
    assert cookies.pop("a") == "1"
    assert "a" not in cookies
    assert cookies.pop("a", None) is None
    with pytest.raises(KeyError):
        cookies.pop("a")
    assert cookies.popitem() == ("b", "2")
    assert cookies.popitem() == ("c", "3")
    with pytest.raises(KeyError):
        cookies.popitem()


def test_cookies_extract_cookies_from_a_response():
    request = httprs.Request("GET", "https://www.example.org/path/page")
    response = httprs.Response(
        200,
        request=request,
        headers=[
            ("Set-Cookie", "a=1; Path=/; Domain=.example.org"),
            ("Set-Cookie", "b=2"),
        ],
    )
    cookies = httprs.Cookies()
    cookies.extract_cookies(response)
    assert len(cookies) == 2
    assert cookies.get("a", domain=".example.org") == "1"
    assert cookies.get("b", domain="www.example.org", path="/path") == "2"
    with pytest.raises(RuntimeError, match="request"):
        cookies.extract_cookies(httprs.Response(200))


def test_the_module_exports_exactly_its_public_names():
    # A submodule is an attribute once imported (`httprs.testing`, which the `httprs_mock`
    # fixture imports; `httprs.otel`), not an export.
    public = [
        name
        for name, value in vars(httprs).items()
        if not isinstance(value, types.ModuleType)
        and (not name.startswith("_") or name in ("__description__", "__title__", "__version__"))
    ]
    assert httprs.__all__ == sorted(public, key=str.casefold)
    assert httprs.__title__ == "httprs"
    assert httprs.__description__


def test_a_request_round_trip_keeps_a_body_in_memory(round_trip):
    request = httprs.Request("POST", "http://example.org", json={"test": 123})
    other = round_trip(request)
    assert (other.method, str(other.url), other.content) == (
        "POST",
        "http://example.org",
        b'{"test":123}',
    )
    assert other.headers["Content-Type"] == "application/json"
    assert list(other.stream) == [b'{"test":123}']
    assert other.extensions == {}


@pytest.mark.anyio
async def test_an_unread_streaming_request_unpickles_closed():
    async def body():
        yield b"test 123"

    request = pickle.loads(pickle.dumps(httprs.Request("POST", "http://a/", content=body())))
    with pytest.raises(httprs.RequestNotRead):
        request.content  # noqa: B018
    with pytest.raises(httprs.StreamClosed):
        await request.aread()


def test_a_read_response_round_trip(round_trip):
    response = httprs.Response(
        200, content=b"Hello, world!", request=httprs.Request("GET", "https://example.org")
    )
    other = round_trip(response)
    assert (other.status_code, other.content, other.is_closed) == (200, b"Hello, world!", True)
    assert other.is_stream_consumed is True
    assert other.request.url == response.request.url
    assert (other.history, other.next_request, other.extensions) == ([], None, {})
    assert list(other.stream) == [b"Hello, world!"]


@pytest.mark.anyio
async def test_a_streaming_response_unpickles_closed_unless_read():
    async def body():
        yield b"Hello, world!"

    response = pickle.loads(pickle.dumps(httprs.Response(200, content=body())))
    with pytest.raises(httprs.ResponseNotRead):
        response.content  # noqa: B018
    with pytest.raises(httprs.StreamClosed):
        await response.aread()
    assert (response.is_stream_consumed, response.num_bytes_downloaded) == (False, 0)
    assert response.headers == {"Transfer-Encoding": "chunked"}

    read = httprs.Response(200, content=body())
    await read.aread()
    response = pickle.loads(pickle.dumps(read))
    assert (response.is_stream_consumed, response.content) == (True, b"Hello, world!")
    assert response.num_bytes_downloaded == 13


@pytest.mark.anyio
async def test_a_body_in_memory_is_a_byte_stream_both_ways():
    request = httprs.Request("POST", "https://example.org", content=b"abc")
    assert isinstance(request.stream, httprs.SyncByteStream)
    assert isinstance(request.stream, httprs.AsyncByteStream)
    assert b"".join(request.stream) == b"abc"
    assert b"".join([part async for part in request.stream]) == b"abc"


def test_headers_encoding_can_be_set_and_shows_in_the_repr():
    headers = httprs.Headers({b"custom": "example ☃".encode()})
    assert repr(headers) == "Headers({'custom': 'example ☃'}, encoding='utf-8')"
    headers.encoding = "iso-8859-1"
    assert dict(headers) == {"custom": "example â\x98\x83"}
    assert headers.raw == [(b"custom", "example ☃".encode())]
    assert round_trip_keeps_encoding(headers)
    assert httprs.Headers({"a": "b"}, encoding="latin-1").encoding == "latin-1"
    assert repr(httprs.Headers({"a": "b"})) == "Headers({'a': 'b'})"


def round_trip_keeps_encoding(headers) -> bool:
    other = pickle.loads(pickle.dumps(headers))
    return (other.encoding, dict(other)) == (headers.encoding, dict(headers))
