"""The client API of httpx 0.28.1 over the network: verbs, lifecycle, defaults, configuration
merged with per-request values, auth, timeouts, redirects, request bodies, cookies and
responses.

The ``async def`` tests take ``driver`` and run on ``sync`` (``httprs.Client``),
``async-asyncio`` and ``async-trio`` (``httprs.AsyncClient``): see tests/drivers.py.
The plain ``def`` tests are about the sync client only (or need no request); behaviour only
the async client has is in test_async_client.py.
"""

import datetime
import decimal
import io
import json
import warnings

import httprs
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.apps.main_app import (
    CHARSET_TEXT,
    COMPRESSED_TEXT,
    JSON_DOC,
    NOCHARSET_TEXT,
)
from tests.support.helpers import basic_auth, echo_body, echo_headers, parse_multipart
from tests.support.servers.raw import RawServer

pytestmark = [pytest.mark.network, pytest.mark.anyio]


@pytest.fixture
def client():
    with httprs.Client() as c:
        yield c


# --- verbs, request(), build_request() + send() --------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
async def test_each_verb_method(driver, server, method):
    async with driver.client() as c:
        response = await getattr(c, method.lower())(server.url + "/echo")
    assert isinstance(response, httprs.Response)
    assert response.status_code == 200
    assert response.json()["method"] == method
    assert response.request.method == method


async def test_head(driver, server):
    async with driver.client() as c:
        response = await c.head(server.url + "/bytes?size=100")
    assert response.status_code == 200
    assert response.headers["content-length"] == "100"
    assert response.content == b""


async def test_request_with_custom_method(driver, server):
    async with driver.client() as c:
        response = await c.request("purge", server.url + "/echo")
    assert response.json()["method"] == "PURGE"


async def test_build_request_and_send(driver, server):
    async with driver.client() as c:
        request = c.build_request("POST", server.url + "/echo", content=b"hello")
        assert isinstance(request, httprs.Request)
        assert request.headers["content-length"] == "5"
        response = await c.send(request)
    assert response.request is request
    assert response.json()["body"] == "hello"


async def test_url_may_be_a_url_object(driver, server):
    async with driver.client() as c:
        response = await c.get(httprs.URL(server.url + "/echo"))
    assert response.json()["path"] == "/echo"


async def test_path_and_query_reach_the_server(driver, server):
    async with driver.client() as c:
        response = await c.get(server.url + "/echo?a=1&b=%20x", params={"c": "d e"})
        data = response.json()
        assert data["path"] == "/echo"
        # Request params replace the URL's query.
        assert data["query"] == "c=d+e"
        response = await c.get(server.url + "/echo?a=1&b=%20x")
        assert response.json()["query"] == "a=1&b=%20x"


# --- client lifecycle ------------------------------------------------------------------------


async def test_context_manager_and_close(driver, server):
    c = driver.client()
    async with c:
        assert c.entered is c.client
        assert not c.is_closed
        assert (await c.get(server.url + "/echo")).status_code == 200
    assert c.is_closed
    with pytest.raises(RuntimeError):
        await c.get(server.url + "/echo")


async def test_close_then_use_raises_runtime_error(driver, server):
    c = driver.client()
    await c.get(server.url + "/echo")
    await c.close()
    assert c.is_closed
    await c.close()  # closing twice is fine
    with pytest.raises(RuntimeError):
        await c.get(server.url + "/echo")
    with pytest.raises(RuntimeError):
        await c.post(server.url + "/echo", content=b"x")
    with pytest.raises(RuntimeError):
        await c.send(c.build_request("GET", server.url + "/echo"))
    with pytest.raises(RuntimeError):
        async with c.stream("GET", server.url + "/echo"):
            pass
    with pytest.raises(RuntimeError):
        async with c:
            pass


async def test_cannot_open_twice(driver):
    c = driver.client()
    async with c:
        with pytest.raises(RuntimeError):
            await c.__aenter__()


# --- defaults --------------------------------------------------------------------------------


async def test_default_client_configuration(driver):
    async with driver.client() as c:
        assert c.timeout == httprs.Timeout(5.0)
        assert c.follow_redirects is False
        assert c.max_redirects == 20
        assert c.base_url == httprs.URL("")
        assert c.params == httprs.QueryParams()
        assert isinstance(c.cookies, httprs.Cookies)
        assert c.headers["accept"] == "*/*"
        assert c.headers["connection"] == "keep-alive"
        assert {"gzip", "deflate"} <= set(c.headers.get_list("accept-encoding", True))


async def test_default_user_agent(driver, server):
    # Deliberate difference: httprs identifies itself as python-httprs (httpx: python-httpx),
    # so this test fails under the httpx shim (tests/README.md).
    expected = f"python-httprs/{httprs.__version__}"
    async with driver.client() as c:
        assert c.headers["user-agent"] == expected
        data = (await c.get(server.url + "/echo")).json()
    assert echo_headers(data, "user-agent") == [expected]


async def test_default_headers_on_the_wire(driver, server):
    async with driver.client() as c:
        data = (await c.get(server.url + "/echo")).json()
    assert echo_headers(data, "host") == [f"127.0.0.1:{server.port}"]
    assert echo_headers(data, "accept") == ["*/*"]
    assert echo_headers(data, "connection") == ["keep-alive"]
    (accept_encoding,) = echo_headers(data, "accept-encoding")
    assert {"gzip", "deflate"} <= {v.strip() for v in accept_encoding.split(",")}
    assert echo_headers(data, "content-length") == []
    assert echo_headers(data, "transfer-encoding") == []


def test_user_agent_override(server):
    with httprs.Client(headers={"User-Agent": "mine/1.0"}) as c:
        assert echo_headers(c.get(server.url + "/echo").json(), "user-agent") == ["mine/1.0"]
    with httprs.Client() as c:
        data = c.get(server.url + "/echo", headers={"user-agent": "per-request"}).json()
        assert echo_headers(data, "user-agent") == ["per-request"]


async def test_repeated_request_headers_are_sent(driver, server):
    async with driver.client() as c:
        response = await c.get(server.url + "/echo", headers=[("X-Dup", "1"), ("X-Dup", "2")])
    assert echo_headers(response.json(), "x-dup") == ["1", "2"]


# --- client-level configuration merged with per-request values --------------------------------


async def test_headers_merge(driver, server):
    async with driver.client(headers={"X-Client": "c", "X-Both": "client"}) as c:
        response = await c.get(server.url + "/echo", headers={"X-Both": "request", "X-Req": "r"})
    data = response.json()
    assert echo_headers(data, "x-client") == ["c"]
    assert echo_headers(data, "x-both") == ["request"]
    assert echo_headers(data, "x-req") == ["r"]


async def test_params_merge(driver, server):
    async def query(c, url, **kwargs) -> str:
        return (await c.get(server.url + url, **kwargs)).json()["query"]

    async with driver.client(params={"a": "1", "b": "2"}) as c:
        assert await query(c, "/echo") == "a=1&b=2"
        assert await query(c, "/echo", params={"b": "9", "d": "4"}) == "a=1&b=9&d=4"
        assert await query(c, "/echo", params={"a": ["x", "y"]}) == "a=x&a=y&b=2"
        # Surprising but httpx 0.28.1: when the client has params, the merged params
        # *replace* the URL's own query string instead of being merged into it.
        assert await query(c, "/echo?a=0&z=1") == "a=1&b=2"
    async with driver.client() as c:
        # Without client params the URL's query string is kept.
        assert await query(c, "/echo?a=0&z=1") == "a=0&z=1"


async def test_build_request_merges_client_config(driver):
    c = driver.client(
        params={"a": "1"}, headers={"X-Client": "c"}, cookies={"cc": "1"}, base_url="http://h/api"
    )
    request = c.build_request("GET", "p", params={"b": "2"}, headers={"X-Req": "r"})
    assert request.url == "http://h/api/p?a=1&b=2"
    assert request.headers["x-client"] == "c"
    assert request.headers["x-req"] == "r"
    assert request.headers["cookie"] == "cc=1"
    assert request.headers["host"] == "h"
    await c.close()


def test_mutating_client_attributes():
    client = httprs.Client()
    client.headers["X-New"] = "1"
    client.params = {"p": "1"}
    client.cookies.set("k", "v")
    client.base_url = "http://h/b"
    assert isinstance(client.params, httprs.QueryParams)
    assert client.base_url == "http://h/b/"
    request = client.build_request("GET", "x")
    assert request.url == "http://h/b/x?p=1"
    assert request.headers["x-new"] == "1"
    assert request.headers["cookie"] == "k=v"
    client.close()


def test_repeated_url_string_follows_base_url_and_timeout_changes():
    """The client keeps the last URL string it parsed and its timeout dict (a loop of
    `get(url)` parses once): a new `base_url` or `timeout` is seen by the very next request,
    an invalid URL raises every time, and each request has a timeout dict of its own."""
    client = httprs.Client(base_url="http://h/a")
    assert client.build_request("GET", "x").url == "http://h/a/x"
    assert client.build_request("GET", "x").url == "http://h/a/x"
    client.base_url = "http://h/b"
    assert client.build_request("GET", "x").url == "http://h/b/x"
    for _ in range(2):
        with pytest.raises(httprs.InvalidURL):
            client.build_request("GET", "http://[::1")
    first = client.build_request("GET", "x")
    first.extensions["timeout"]["read"] = 99.0
    second = client.build_request("GET", "x")
    assert second.extensions["timeout"] == {"connect": 5.0, "read": 5.0, "write": 5.0, "pool": 5.0}
    assert second.extensions["timeout"] is not first.extensions["timeout"]
    client.timeout = httprs.Timeout(1, read=-0.0)
    third = client.build_request("GET", "x")
    assert third.extensions["timeout"] == {"connect": 1, "read": -0.0, "write": 1, "pool": 1}
    assert type(third.extensions["timeout"]["connect"]) is int
    assert str(third.extensions["timeout"]["read"]) == "-0.0"
    client.timeout = httprs.Timeout(1.0, read=0.0)
    fourth = client.build_request("GET", "x").extensions["timeout"]
    assert type(fourth["connect"]) is float
    assert str(fourth["read"]) == "0.0"
    client.close()


@pytest.mark.parametrize(
    ("base", "url", "expected"),
    [
        ("http://h/api", "x", "http://h/api/x"),
        ("http://h/api", "/x", "http://h/api/x"),
        ("http://h/api/", "x", "http://h/api/x"),
        ("http://h/api/", "/x", "http://h/api/x"),
        ("http://h/api", "", "http://h/api/"),
        ("http://h/api", "/", "http://h/api/"),
        ("http://h/api", "x?y=1", "http://h/api/x?y=1"),
        ("http://h/api", "../up", "http://h/up"),
        ("http://h/api", "http://other/z", "http://other/z"),
        ("http://h", "x", "http://h/x"),
        ("http://h", "", "http://h/"),
    ],
)
def test_base_url_joining(base, url, expected):
    client = httprs.Client(base_url=base)
    # A trailing slash is added to a non-empty base path; "http://h" stays as is.
    expected_base = base if base.endswith("/") or base == "http://h" else base + "/"
    assert str(client.base_url) == expected_base
    assert client.build_request("GET", url).url == expected
    client.close()


async def test_base_url_over_the_wire(driver, server):
    for base_url in (server.url, server.url + "/"):
        async with driver.client(base_url=base_url) as c:
            assert c.base_url == base_url
            assert (await c.get("/echo")).json()["path"] == "/echo"
            assert (await c.get("echo")).json()["path"] == "/echo"
            assert (await c.get("echo", params={"q": "1"})).json()["query"] == "q=1"
    async with driver.client(base_url=server.url + "/redirect") as c:
        # The base path gets a trailing slash; relative URLs are joined below it.
        assert (await c.get("3")).headers["location"] == "/redirect/2"


# --- auth ------------------------------------------------------------------------------------


async def test_basic_auth_tuple_and_object(driver, server):
    async def authorization(c, **kwargs) -> list[str]:
        return echo_headers((await c.get(server.url + "/echo", **kwargs)).json(), "authorization")

    async with driver.client(auth=("user", "pass")) as c:
        assert await authorization(c) == [basic_auth("user", "pass")]
        # Per-request auth overrides the client's.
        assert await authorization(c, auth=httprs.BasicAuth("other", "pw")) == [
            basic_auth("other", "pw")
        ]
    async with driver.client(auth=httprs.BasicAuth("u", "p")) as c:
        assert await authorization(c) == [basic_auth("u", "p")]
    async with driver.client() as c:
        assert await authorization(c, auth=("req", "only")) == [basic_auth("req", "only")]


async def test_auth_is_not_in_built_request_but_is_sent(driver, server):
    async with driver.client(auth=("user", "pass")) as c:
        request = c.build_request("GET", server.url + "/echo")
        assert "authorization" not in request.headers
        response = await c.send(request)
    assert response.request.headers["authorization"] == basic_auth("user", "pass")
    assert echo_headers(response.json(), "authorization") == [basic_auth("user", "pass")]


async def test_auth_from_url_userinfo(driver, server):
    url = server.url.replace("http://", "http://us%40er:p%3Ass@") + "/echo"
    async with driver.client() as c:
        data = (await c.get(url)).json()
    assert echo_headers(data, "authorization") == [basic_auth("us@er", "p:ss")]


# --- timeouts --------------------------------------------------------------------------------


async def test_timeout_configuration(driver, server):
    async with driver.client(timeout=3) as c:
        assert c.timeout == httprs.Timeout(3)
    async with driver.client(timeout=None) as c:
        assert c.timeout == httprs.Timeout(None)
    async with driver.client(timeout=httprs.Timeout(10, connect=2)) as c:
        assert c.timeout.connect == 2
        assert c.timeout.read == 10
        assert (await c.get(server.url + "/slow?delay=0.1")).text == "ok"
    async with driver.client(timeout=0.1) as c:
        # Per-request timeout overrides the client's.
        assert (await c.get(server.url + "/slow?delay=0.3", timeout=5)).text == "ok"
        with pytest.raises(httprs.ReadTimeout):
            await c.get(server.url + "/slow?delay=1")


# --- redirects -------------------------------------------------------------------------------


async def test_redirects_not_followed_by_default(driver, server):
    async with driver.client() as c:
        response = await c.get(server.url + "/redirect/3")
        assert response.status_code == 302
        assert response.is_redirect
        assert response.headers["location"] == "/redirect/2"
        assert response.history == []
        next_request = response.next_request
        assert isinstance(next_request, httprs.Request)
        assert next_request.url == server.url + "/redirect/2"
        followed = await c.send(next_request)
    assert followed.status_code == 302
    assert followed.url == server.url + "/redirect/2"


async def test_follow_redirects_history(driver, server):
    async with driver.client() as c:
        response = await c.get(server.url + "/redirect/3", follow_redirects=True)
    assert response.status_code == 200
    assert response.url == server.url + "/echo"
    assert response.request.url == server.url + "/echo"
    assert response.json()["path"] == "/echo"
    assert [r.url for r in response.history] == [
        server.url + "/redirect/3",
        server.url + "/redirect/2",
        server.url + "/redirect/1",
    ]
    assert [r.status_code for r in response.history] == [302, 302, 302]
    assert all(r.is_closed for r in response.history)
    assert response.next_request is None


async def test_client_level_follow_redirects(driver, server):
    async with driver.client(follow_redirects=True) as c:
        assert c.follow_redirects is True
        assert (await c.get(server.url + "/redirect/2")).status_code == 200
        # Per-request False overrides.
        response = await c.get(server.url + "/redirect/2", follow_redirects=False)
        assert response.status_code == 302


async def test_max_redirects(driver, server):
    async with driver.client(follow_redirects=True, max_redirects=2) as c:
        assert (await c.get(server.url + "/redirect/2")).status_code == 200
        with pytest.raises(httprs.TooManyRedirects) as info:
            await c.get(server.url + "/redirect/3")
    # The error carries the request that would have exceeded the limit.
    assert info.value.request.url == server.url + "/echo"


async def test_default_max_redirects_is_20(driver, server):
    async with driver.client() as c:
        response = await c.get(server.url + "/redirect/20", follow_redirects=True)
        assert response.status_code == 200
        assert len(response.history) == 20
        with pytest.raises(httprs.TooManyRedirects):
            await c.get(server.url + "/redirect/21", follow_redirects=True)


@pytest.mark.parametrize("status", [301, 302, 303])
async def test_redirect_post_becomes_get(driver, server, status):
    url = server.url + f"/redirect-to?url=/echo&status={status}"
    async with driver.client() as c:
        data = (await c.post(url, content=b"payload", follow_redirects=True)).json()
    assert data["method"] == "GET"
    assert data["body"] == ""
    assert echo_headers(data, "content-length") == []


@pytest.mark.parametrize("status", [307, 308])
async def test_redirect_preserves_method_and_body(driver, server, status):
    url = server.url + f"/redirect-to?url=/echo&status={status}"
    async with driver.client() as c:
        data = (await c.post(url, content=b"payload", follow_redirects=True)).json()
    assert data["method"] == "POST"
    assert data["body"] == "payload"
    assert echo_headers(data, "content-length") == ["7"]


async def test_redirect_to_other_origin_drops_authorization(driver, server, other_server):
    async with driver.client(auth=("u", "p"), follow_redirects=True) as c:
        same = (await c.get(server.url + "/redirect-to?url=/echo")).json()
        assert echo_headers(same, "authorization") == [basic_auth("u", "p")]
        response = await c.get(server.url + f"/redirect-to?url={other_server.url}/echo")
    assert response.url == other_server.url + "/echo"
    assert echo_headers(response.json(), "authorization") == []


# --- request bodies --------------------------------------------------------------------------


async def test_content_bytes_and_str(driver, server):
    async with driver.client() as c:
        data = (await c.post(server.url + "/echo", content=b"\x00\xffraw")).json()
        assert echo_body(data) == b"\x00\xffraw"
        assert echo_headers(data, "content-length") == ["5"]
        data = (await c.post(server.url + "/echo", content="héllo")).json()
        assert data["body"] == "héllo"
        assert echo_headers(data, "content-length") == ["6"]


async def test_content_iterator_is_sent_exactly_and_chunked(driver, server):
    chunks = [b"a", b"\x00\xff", b"", b"bc" * 1000, bytes(range(256)), b"\r\n0\r\n\r\n"]
    async with driver.client() as c:
        # (A short pause before each chunk: the async generator awaits, the loop runs.)
        content = driver.iter_content(*chunks, pause=0.001)
        data = (await c.post(server.url + "/echo", content=content)).json()
    assert echo_body(data) == b"".join(chunks)
    assert echo_headers(data, "transfer-encoding") == ["chunked"]
    assert echo_headers(data, "content-length") == []


def test_a_body_iterators_exception_propagates_as_it_is(server):
    """As in httpx (and as an async iterator's does): the generator's own exception, not a
    transport error."""

    def body():
        yield b"a"
        raise ValueError("the source broke")

    with httprs.Client() as c:
        with pytest.raises(ValueError, match="the source broke"):
            c.post(server.url + "/echo", content=body())
        assert c.post(server.url + "/echo", content=b"next").json()["body"] == "next"


async def test_empty_post_sends_content_length_zero(driver, server):
    async with driver.client() as c:
        data = (await c.post(server.url + "/echo")).json()
    assert echo_headers(data, "content-length") == ["0"]
    assert data["body"] == ""


async def test_form_data(driver, server):
    form = {"a": "1", "b": ["x", "y z"], "é": "ü"}
    async with driver.client() as c:
        data = (await c.post(server.url + "/echo", data=form)).json()
    assert echo_headers(data, "content-type") == ["application/x-www-form-urlencoded"]
    assert data["body"] == "a=1&b=x&b=y+z&%C3%A9=%C3%BC"


async def test_json_body(driver, server):
    async with driver.client() as c:
        data = (await c.post(server.url + "/echo", json={"a": [1, 2], "s": "é"})).json()
    assert echo_headers(data, "content-type") == ["application/json"]
    assert data["body"] == '{"a":[1,2],"s":"é"}'


async def test_files_with_data(driver, server, tmp_path):
    path = tmp_path / "report.csv"
    path.write_bytes(b"a,b\n1,2\n")
    async with driver.client() as c:
        with open(path, "rb") as fileobj:
            response = await c.post(
                server.url + "/echo",
                data={"field": "value", "many": ["1", "2"]},
                files={
                    "upload": fileobj,
                    "tuple": ("name.txt", io.BytesIO(b"tuple data"), "text/x-custom"),
                    "raw": ("r.bin", b"\x00\x01"),
                    "typed": ("t.bin", b"\x02\x03", "application/x-raw"),
                },
            )
    data = response.json()
    (content_type,) = echo_headers(data, "content-type")
    assert content_type.startswith("multipart/form-data; boundary=")
    parts = parse_multipart(content_type, echo_body(data))
    summary = [(p["name"], p["filename"], p["content_type"], p["data"]) for p in parts]
    assert summary == [
        ("field", None, None, b"value"),
        ("many", None, None, b"1"),
        ("many", None, None, b"2"),
        ("upload", "report.csv", "text/csv", b"a,b\n1,2\n"),
        ("tuple", "name.txt", "text/x-custom", b"tuple data"),
        ("raw", "r.bin", "application/octet-stream", b"\x00\x01"),
        ("typed", "t.bin", "application/x-raw", b"\x02\x03"),
    ]
    assert echo_headers(data, "content-length") == [str(len(echo_body(data)))]


# --- cookies ---------------------------------------------------------------------------------


async def test_cookies_persist_on_client(driver, server):
    async with driver.client() as c:
        response = await c.get(server.url + "/set-cookie?session=abc&theme=dark")
        assert dict(response.cookies) == {"session": "abc", "theme": "dark"}
        assert dict(c.cookies) == {"session": "abc", "theme": "dark"}
        received = (await c.get(server.url + "/cookies")).json()
        assert received == {"session": "abc", "theme": "dark"}
    async with driver.client() as fresh:
        assert (await fresh.get(server.url + "/cookies")).json() == {}


async def test_client_cookies_argument(driver, server):
    async with driver.client(cookies={"preset": "1"}) as c:
        assert (await c.get(server.url + "/cookies")).json() == {"preset": "1"}
        c.cookies.set("added", "2")
        assert (await c.get(server.url + "/cookies")).json() == {"preset": "1", "added": "2"}
        c.cookies.clear()
        assert (await c.get(server.url + "/cookies")).json() == {}


async def test_per_request_cookies_are_sent_and_deprecated(driver, server):
    async with driver.client(cookies={"c": "1"}) as c:
        with pytest.warns(DeprecationWarning):
            response = await c.get(server.url + "/cookies", cookies={"r": "2"})
        assert response.json() == {"c": "1", "r": "2"}
        # Per-request cookies are not persisted on the client.
        assert dict(c.cookies) == {"c": "1"}


async def test_per_request_cookies_on_stream_are_sent_without_a_warning(driver, server):
    """httpx warns in ``request()`` (and so the verbs), not in ``stream()``."""
    async with driver.client(cookies={"c": "1"}) as c:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            async with c.stream("GET", server.url + "/cookies", cookies={"r": "2"}) as response:
                body = await c.read(response)
    assert json.loads(body) == {"c": "1", "r": "2"}


async def test_cookies_set_during_redirects_are_kept(driver, server):
    url = server.url + "/redirect-to?url=/set-cookie%3Fa%3D1"
    async with driver.client() as c:
        response = await c.get(url, follow_redirects=True)
        assert response.url == server.url + "/set-cookie?a=1"
        assert dict(c.cookies) == {"a": "1"}
        assert (await c.get(server.url + "/cookies")).json() == {"a": "1"}


def test_multiple_set_cookie_headers(client, server):
    response = client.get(server.url + "/headers-multi")
    assert response.headers.get_list("set-cookie") == ["one=1; Path=/", "two=2; Path=/"]
    assert dict(response.cookies) == {"one": "1", "two": "2"}
    assert response.headers.get_list("x-multi") == ["a", "b"]
    assert response.headers["x-multi"] == "a, b"


# --- responses -------------------------------------------------------------------------------


async def test_response_properties(driver, server):
    async with driver.client() as c:
        response = await c.get(server.url + "/json")
    assert response.status_code == 200
    assert response.reason_phrase == "OK"
    assert response.http_version == "HTTP/1.1"
    assert response.url == server.url + "/json"
    assert isinstance(response.url, httprs.URL)
    assert isinstance(response.headers, httprs.Headers)
    assert response.headers["content-type"] == "application/json"
    assert response.headers["server"] == "uvicorn"
    assert response.json() == JSON_DOC
    assert response.encoding == "utf-8"
    assert isinstance(response.elapsed, datetime.timedelta)
    assert response.elapsed > datetime.timedelta(0)
    assert response.is_closed
    assert response.is_stream_consumed
    assert response.request.url == server.url + "/json"
    assert response.num_bytes_downloaded == len(response.content)
    assert response.history == []
    assert repr(response) == "<Response [200 OK]>"


def test_json_kwargs(client, server):
    data = client.get(server.url + "/json").json(parse_float=decimal.Decimal)
    assert data["price"] == decimal.Decimal("1.1")


# (Not 418: uvicorn sends "I'm a Teapot" and the client reports the server's phrase.)
@pytest.mark.parametrize("code", [201, 204, 400, 404, 500, 503])
def test_status_codes(client, server, code):
    response = client.get(server.url + f"/status/{code}")
    assert response.status_code == code
    assert response.reason_phrase == httprs.codes.get_reason_phrase(code)


def test_raise_for_status(client, server):
    ok = client.get(server.url + "/status/200")
    assert ok.raise_for_status() is ok
    response = client.get(server.url + "/status/404")
    with pytest.raises(httprs.HTTPStatusError) as info:
        response.raise_for_status()
    assert info.value.response is response
    assert info.value.request is response.request
    assert str(info.value).startswith(
        f"Client error '404 Not Found' for url '{server.url}/status/404'"
    )
    redirect = client.get(server.url + "/redirect/1")
    with pytest.raises(httprs.HTTPStatusError):
        redirect.raise_for_status()


def test_reason_phrase_comes_from_the_server():
    payload = b"HTTP/1.1 200 Totally Fine\r\nContent-Length: 2\r\n\r\nok"
    with RawServer(payload) as raw:
        response = httprs.get(raw.url)
    assert response.reason_phrase == "Totally Fine"
    assert response.text == "ok"


def test_http_1_0_response():
    payload = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nold school"
    with RawServer(payload) as raw:
        response = httprs.get(raw.url)
    assert response.http_version == "HTTP/1.0"
    assert response.text == "old school"


@pytest.mark.parametrize("name", sorted(CHARSET_TEXT))
def test_text_decoded_per_charset(client, server, name):
    response = client.get(server.url + f"/charset/{name}")
    assert response.charset_encoding == name
    assert response.encoding == name
    assert response.text == CHARSET_TEXT[name]


def test_no_charset_defaults_to_utf8(client, server):
    response = client.get(server.url + "/nocharset")
    assert response.charset_encoding is None
    assert response.encoding == "utf-8"
    assert response.text == NOCHARSET_TEXT


def test_encoding_override_on_network_response(client, server):
    response = client.get(server.url + "/nocharset")
    response.encoding = "latin-1"
    assert response.text == NOCHARSET_TEXT.encode("utf-8").decode("latin-1")


def test_client_default_encoding(server):
    with httprs.Client(default_encoding="latin-1") as c:
        response = c.get(server.url + "/nocharset")
        assert response.encoding == "latin-1"
        # A charset in the Content-Type still wins.
        assert c.get(server.url + "/charset/shift_jis").text == CHARSET_TEXT["shift_jis"]


@pytest.mark.parametrize(
    ("path", "coding"), [("/gzip", "gzip"), ("/deflate", "deflate"), ("/deflate?raw=1", "deflate")]
)
async def test_compressed_bodies_are_decoded(driver, server, path, coding):
    async with driver.client() as c:
        response = await c.get(server.url + path)
    assert response.content == COMPRESSED_TEXT
    assert response.text == COMPRESSED_TEXT.decode()
    # The header is left as received; num_bytes_downloaded counts wire bytes.
    assert response.headers["content-encoding"] == coding
    assert response.num_bytes_downloaded == int(response.headers["content-length"])
    assert response.num_bytes_downloaded < len(COMPRESSED_TEXT)


def test_unknown_content_encoding_is_passed_through(client, server):
    response = client.get(server.url + "/unknown-encoding")
    assert response.content == b"plain bytes"


def test_links(client, server):
    response = client.get(server.url + "/links")
    assert response.links == {
        "next": {"url": "https://example.com/page/2", "rel": "next"},
        "last": {"url": "https://example.com/page/9", "rel": "last"},
    }


async def test_no_warnings_for_plain_usage(driver, server):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        async with driver.client() as c:
            await c.get(server.url + "/echo")
            await c.post(server.url + "/echo", content=b"x", headers={"X": "1"})
