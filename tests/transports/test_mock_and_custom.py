"""Transports as in httpx 0.28.1: `MockTransport`, user-defined `BaseTransport` /
`AsyncBaseTransport` subclasses, `HTTPTransport` / `AsyncHTTPTransport`, and ``mounts``.

Each test runs on ``sync``, ``async-asyncio`` and ``async-trio`` (see tests/drivers.py).
Host names such as ``mock.test`` appear only in requests answered by a mock transport; they are
never resolved.
"""

import json
import time

import httprs
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.helpers import echo_body, echo_headers, parse_multipart

pytestmark = pytest.mark.anyio


def json_handler(request):
    return httprs.Response(200, json={"method": request.method, "url": str(request.url)})


# --- MockTransport ----------------------------------------------------------------------------


async def test_mock_transport(driver):
    async with driver.client(transport=httprs.MockTransport(json_handler)) as c:
        response = await c.get("http://mock.test/path?q=1")
    assert response.status_code == 200
    assert response.json() == {"method": "GET", "url": "http://mock.test/path?q=1"}
    assert response.headers["content-type"] == "application/json"
    assert response.url == "http://mock.test/path?q=1"
    assert response.request.url == "http://mock.test/path?q=1"
    assert response.http_version == "HTTP/1.1"
    assert response.is_closed
    # (Not .elapsed: httpx never sets it for a mock response with fixed content.)


async def test_async_handler(driver):
    coroutines = []

    async def answer(request):
        return httprs.Response(201, text=f"async {request.method}")

    def handler(request):
        coroutines.append(answer(request))
        return coroutines[-1]

    async with driver.client(transport=httprs.MockTransport(handler)) as c:
        if driver.is_async:
            # The async client awaits what an (async) handler returns.
            response = await c.post("http://mock.test/")
            assert response.status_code == 201
            assert response.text == "async POST"
        else:
            # The sync client cannot.
            with pytest.raises(TypeError):
                await c.post("http://mock.test/")
            coroutines[0].close()


async def test_handler_returning_a_non_response_is_a_type_error(driver):
    async with driver.client(transport=httprs.MockTransport(lambda request: {"no": 1})) as c:
        with pytest.raises(TypeError):
            await c.get("http://mock.test/")


async def test_handler_sees_the_full_request(driver):
    seen = []

    def handler(request):
        # MockTransport reads the request body before calling the handler.
        seen.append(
            {
                "method": request.method,
                "url": str(request.url),
                "host": request.headers["host"],
                "custom": request.headers.get("x-custom"),
                "user_agent": request.headers.get("user-agent"),
                "transfer_encoding": request.headers.get("transfer-encoding"),
                "content": request.content,
            }
        )
        return httprs.Response(204)

    body = driver.iter_content(b"streamed ", b"body")
    async with driver.client(transport=httprs.MockTransport(handler)) as c:
        response = await c.put("http://mock.test:8080/x", content=body, headers={"X-Custom": "1"})
    assert response.status_code == 204
    (request,) = seen
    assert request["user_agent"]
    del request["user_agent"]
    assert request == {
        "method": "PUT",
        "url": "http://mock.test:8080/x",
        "host": "mock.test:8080",
        "custom": "1",
        "transfer_encoding": "chunked",
        "content": b"streamed body",
    }


@pytest.mark.parametrize(
    ("kwargs", "headers", "body"),
    [
        ({"content": b"raw"}, {"content-length": "3"}, b"raw"),
        (
            {"text": "héllo"},
            {"content-length": "6", "content-type": "text/plain; charset=utf-8"},
            "héllo".encode(),
        ),
        (
            {"html": "<p>x</p>"},
            {"content-length": "8", "content-type": "text/html; charset=utf-8"},
            b"<p>x</p>",
        ),
        (
            {"json": {"a": [1, "é"]}},
            {"content-length": "14", "content-type": "application/json"},
            '{"a":[1,"é"]}'.encode(),
        ),
        ({}, {}, b""),
        (
            {"content": b"x", "headers": {"Content-Type": "app/x", "X-Extra": "1"}},
            {"content-type": "app/x", "x-extra": "1", "content-length": "1"},
            b"x",
        ),
    ],
    ids=["content", "text", "html", "json", "empty", "headers"],
)
async def test_response_construction_through_a_mock(driver, kwargs, headers, body):
    def handler(request):
        return httprs.Response(200, **kwargs)

    async with driver.client(transport=httprs.MockTransport(handler)) as c:
        response = await c.get("http://mock.test/")
    assert dict(response.headers) == headers
    assert response.content == body


async def test_streaming_response_content_through_a_mock(driver):
    def handler(request):
        return httprs.Response(200, content=driver.iter_content(b"one,", b"two,", b"three"))

    async with driver.client(transport=httprs.MockTransport(handler)) as c:
        response = await c.get("http://mock.test/")
        assert response.content == b"one,two,three"
        assert response.headers["transfer-encoding"] == "chunked"
        assert "content-length" not in response.headers
        async with c.stream("GET", "http://mock.test/") as response:
            assert not response.is_closed
            chunks = await c.iter_bytes(response)
    assert b"".join(chunks) == b"one,two,three"
    assert response.is_closed


async def test_response_stream_argument(driver):
    # stream= takes a byte stream object (httpx: SyncByteStream / AsyncByteStream subclasses).
    if driver.is_async:

        class Chunks(httprs.AsyncByteStream):
            async def __aiter__(self):
                for chunk in (b"s1", b"s2"):
                    yield chunk

    else:

        class Chunks(httprs.SyncByteStream):
            def __iter__(self):
                yield from (b"s1", b"s2")

    def handler(request):
        return httprs.Response(200, stream=Chunks(), headers={"X-Kind": "stream"})

    async with driver.client(transport=httprs.MockTransport(handler)) as c:
        response = await c.get("http://mock.test/")
        assert response.content == b"s1s2"
        # No length is implied for stream=.
        assert dict(response.headers) == {"x-kind": "stream"}
        async with c.stream("GET", "http://mock.test/") as response:
            assert await c.iter_bytes(response) == [b"s1", b"s2"]


# --- full client behaviour over a mock -----------------------------------------------------------


async def test_redirects_through_a_mock(driver):
    def handler(request):
        if request.url.path == "/old":
            return httprs.Response(302, headers={"Location": "/new?x=1"})
        return httprs.Response(200, text=f"at {request.url}")

    async with driver.client(transport=httprs.MockTransport(handler)) as c:
        response = await c.get("http://mock.test/old")
        assert response.status_code == 302
        assert response.next_request.url == "http://mock.test/new?x=1"
        response = await c.get("http://mock.test/old", follow_redirects=True)
    assert response.text == "at http://mock.test/new?x=1"
    assert [r.status_code for r in response.history] == [302]


async def test_cookies_through_a_mock(driver):
    def handler(request):
        if request.url.path == "/login":
            return httprs.Response(200, headers={"Set-Cookie": "session=s1; Path=/"})
        return httprs.Response(200, text=request.headers.get("cookie", "<none>"))

    async with driver.client(transport=httprs.MockTransport(handler)) as c:
        assert (await c.get("http://mock.test/me")).text == "<none>"
        await c.get("http://mock.test/login")
        assert dict(c.cookies) == {"session": "s1"}
        assert (await c.get("http://mock.test/me")).text == "session=s1"
        # Host-scoped, as over the network.
        assert (await c.get("http://other.test/me")).text == "<none>"


async def test_auth_flow_through_a_mock(driver):
    class RetryAuth(httprs.Auth):
        def auth_flow(self, request):
            response = yield request
            if response.status_code == 401:
                request.headers["Authorization"] = "Bearer ok"
                yield request

    def handler(request):
        if request.headers.get("authorization") != "Bearer ok":
            return httprs.Response(401, headers={"WWW-Authenticate": "Bearer"})
        return httprs.Response(200, json={"body": request.content.decode()})

    async with driver.client(transport=httprs.MockTransport(handler)) as c:
        response = await c.post("http://mock.test/", content=b"payload", auth=RetryAuth())
        assert response.json() == {"body": "payload"}
        assert [r.status_code for r in response.history] == [401]
        response = await c.get("http://mock.test/", auth=("basic", "pw"))
        assert response.status_code == 401
        assert response.request.headers["authorization"].startswith("Basic ")


async def test_hooks_base_url_and_params_through_a_mock(driver):
    seen = []

    def on_request(request):
        seen.append(("request", str(request.url)))

    def on_response(response):
        seen.append(("response", response.status_code))

    async with driver.client(
        transport=httprs.MockTransport(json_handler),
        base_url="http://mock.test/api",
        params={"key": "k"},
        headers={"X-Client": "c"},
        event_hooks={"request": [driver.hook(on_request)], "response": [driver.hook(on_response)]},
    ) as c:
        response = await c.get("items", params={"page": "2"})
    assert response.json()["url"] == "http://mock.test/api/items?key=k&page=2"
    assert response.request.headers["x-client"] == "c"
    assert seen == [("request", "http://mock.test/api/items?key=k&page=2"), ("response", 200)]


async def test_request_bodies_through_a_mock(driver):
    seen = []

    def handler(request):
        seen.append((request.headers.get("content-type"), request.content))
        return httprs.Response(200)

    async with driver.client(transport=httprs.MockTransport(handler)) as c:
        await c.post("http://mock.test/", data={"a": "1", "b": ["x", "y"]})
        await c.post("http://mock.test/", json={"k": None})
        await c.post("http://mock.test/", files={"f": ("f.txt", b"file data", "text/plain")})
        request = httprs.Request("POST", "http://mock.test/", content=b"prebuilt")
        await c.send(request)
    assert seen[0] == ("application/x-www-form-urlencoded", b"a=1&b=x&b=y")
    assert seen[1] == ("application/json", b'{"k":null}')
    content_type, body = seen[2]
    (part,) = parse_multipart(content_type, body)
    assert (part["name"], part["filename"], part["data"]) == ("f", "f.txt", b"file data")
    assert seen[3] == (None, b"prebuilt")


async def test_request_objects_can_be_built_and_read(driver):
    request = httprs.Request(
        "POST",
        "http://mock.test/upload",
        headers={"X-Token": "t"},
        data={"field": "value"},
        files={"file": ("a.bin", b"\x00\x01")},
    )
    content = await request.aread() if driver.is_async else request.read()
    assert content == request.content
    assert request.headers["content-length"] == str(len(content))
    assert request.headers["x-token"] == "t"
    parts = parse_multipart(request.headers["content-type"], content)
    assert [(p["name"], p["data"]) for p in parts] == [("field", b"value"), ("file", b"\x00\x01")]
    request = httprs.Request("PUT", "http://mock.test/", json={"x": 1})
    assert json.loads(request.read()) == {"x": 1}

    received = []

    def handler(request):
        received.append(request.content)
        return httprs.Response(200)

    async with driver.client(transport=httprs.MockTransport(handler)) as c:
        await c.send(request)
    assert received == [b'{"x":1}']


# --- user-defined transports ----------------------------------------------------------------


class RecordingTransport(httprs.BaseTransport):
    def __init__(self) -> None:
        self.requests = []
        self.closed = 0

    def handle_request(self, request):
        self.requests.append(request)
        return httprs.Response(200, text=f"sync transport: {request.url.path}")

    def close(self):
        self.closed += 1


class AsyncRecordingTransport(httprs.AsyncBaseTransport):
    def __init__(self) -> None:
        self.requests = []
        self.closed = 0

    async def handle_async_request(self, request):
        self.requests.append(request)
        body = await request.aread()
        return httprs.Response(200, text=f"async transport: {request.url.path} {body!r}")

    async def aclose(self):
        self.closed += 1


def recording_transport(driver):
    return AsyncRecordingTransport() if driver.is_async else RecordingTransport()


async def test_user_defined_transport(driver):
    transport = recording_transport(driver)
    async with driver.client(transport=transport) as c:
        response = await c.post("http://custom.test/p", content=b"b")
    (request,) = transport.requests
    assert response.request is request
    assert request.headers["host"] == "custom.test"
    if driver.is_async:
        assert response.text == "async transport: /p b'b'"
    else:
        assert response.text == "sync transport: /p"


async def test_closing_the_client_closes_the_transport(driver):
    transport = recording_transport(driver)
    c = driver.client(transport=transport)
    await c.get("http://custom.test/")
    assert transport.closed == 0
    await c.close()
    assert transport.closed == 1
    assert c.is_closed

    transport = recording_transport(driver)
    async with driver.client(transport=transport) as c:
        await c.get("http://custom.test/")
    assert transport.closed == 1


async def test_closing_the_client_closes_mounted_transports(driver):
    default, mounted = recording_transport(driver), recording_transport(driver)
    async with driver.client(transport=default, mounts={"http://mounted.test": mounted}) as c:
        await c.get("http://mounted.test/")
        await c.get("http://default.test/")
    assert [len(default.requests), len(mounted.requests)] == [1, 1]
    assert [default.closed, mounted.closed] == [1, 1]


async def test_base_transport_needs_handle_request(driver):
    # The base classes refuse to send anything themselves.
    transport = httprs.AsyncBaseTransport() if driver.is_async else httprs.BaseTransport()
    async with driver.client(transport=transport) as c:
        with pytest.raises(NotImplementedError):
            await c.get("http://custom.test/")


# --- network transports -------------------------------------------------------------------


@pytest.mark.network
async def test_http_transport_against_the_server(driver, server):
    async with driver.client(transport=driver.http_transport(retries=1)) as c:
        response = await c.post(server.url + "/echo", content=b"over the wire")
        assert response.json()["body"] == "over the wire"
        response = await c.get(server.url + "/redirect/1", follow_redirects=True)
        assert response.url == server.url + "/echo"


@pytest.mark.network
async def test_http_transport_connect_error(driver, closed_url):
    async with driver.client(transport=driver.http_transport(retries=1)) as c:
        with pytest.raises(httprs.ConnectError):
            await c.get(closed_url)


@pytest.mark.network
async def test_http_transport_used_directly(driver, server):
    request = httprs.Request("GET", server.url + "/echo?direct=1")
    if driver.is_async:
        async with httprs.AsyncHTTPTransport() as transport:
            response = await transport.handle_async_request(request)
            await response.aread()
    else:
        with httprs.HTTPTransport() as transport:
            response = transport.handle_request(request)
            response.read()
    assert response.status_code == 200
    assert response.json()["query"] == "direct=1"


# --- mounts --------------------------------------------------------------------------------


@pytest.mark.network
async def test_mounts_route_by_host_and_fall_back_to_the_default(driver, server):
    mock = httprs.MockTransport(lambda request: httprs.Response(200, text="mocked"))
    async with driver.client(mounts={"http://mock.test": mock}) as c:
        assert (await c.get("http://mock.test/anything")).text == "mocked"
        response = await c.post(server.url + "/echo", content=b"real")
        assert echo_body(response.json()) == b"real"


@pytest.mark.network
async def test_mounted_network_transport_with_a_mock_default(driver, server):
    # Everything is mocked except the local server.
    mock = httprs.MockTransport(lambda request: httprs.Response(599, text="blocked"))
    mounts = {"all://127.0.0.1": driver.http_transport()}
    async with driver.client(transport=mock, mounts=mounts) as c:
        assert (await c.get("http://mock.test/")).status_code == 599
        data = (await c.get(server.url + "/echo")).json()
        assert echo_headers(data, "host") == [f"127.0.0.1:{server.port}"]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://other.test/", "all"),
        ("http://other.test/", "http"),
        ("https://www.example.com/", "wildcard-subdomain"),
        ("http://www.example.com/", "wildcard-subdomain"),  # a longer host beats a scheme
        ("https://example.com/", "all"),  # *.example.com needs a subdomain
        ("http://example.com/", "http"),
        ("http://api.example.com/", "http-api"),
        ("https://api.example.com/", "wildcard-subdomain"),
        ("http://example.com:8080/", "with-port"),  # a port beats everything
        ("https://www.example.com:8080/", "wildcard-subdomain"),
        ("http://example.org/", "wildcard-org"),  # *example.org includes example.org
        ("https://www.example.org/", "wildcard-org"),
    ],
)
async def test_mount_priority(driver, url, expected):
    def named(name):
        return httprs.MockTransport(lambda request: httprs.Response(200, text=name))

    mounts = {
        "all://": named("all"),
        "http://": named("http"),
        "all://*.example.com": named("wildcard-subdomain"),
        "all://*example.org": named("wildcard-org"),
        "http://api.example.com": named("http-api"),
        "all://example.com:8080": named("with-port"),
    }
    async with driver.client(mounts=mounts) as c:
        assert (await c.get(url)).text == expected


def test_mount_keys_must_be_url_patterns():
    transport = httprs.MockTransport(json_handler)
    with pytest.raises(ValueError):
        httprs.Client(mounts={"http": transport})


def test_http_transport_retries_connection_failures(closed_url):
    # httpcore's backoff: the first retry is immediate, the second after 0.5 s.
    started = time.monotonic()
    with httprs.Client(transport=httprs.HTTPTransport(retries=0)) as client:
        with pytest.raises(httprs.ConnectError):
            client.get(closed_url)
    without = time.monotonic() - started
    started = time.monotonic()
    with httprs.Client(transport=httprs.HTTPTransport(retries=2)) as client:
        with pytest.raises(httprs.ConnectError):
            client.get(closed_url)
    with_retries = time.monotonic() - started
    assert without < 0.4
    assert with_retries >= 0.45


async def test_a_client_enters_and_exits_its_transports(driver):
    """As httpx: `with` / `async with` on the client enters its transport and its mounts,
    and exits them (`BaseTransport.__exit__` calls `close()`), in that order."""
    if driver.is_async:

        class Recording(httprs.AsyncBaseTransport):
            def __init__(self, name):
                self.name, self.events = name, []

            async def handle_async_request(self, request):
                return httprs.Response(204)

            async def aclose(self):
                self.events.append(f"{self.name}.close")

            async def __aenter__(self):
                await super().__aenter__()
                self.events.append(f"{self.name}.__enter__")
                return self

            async def __aexit__(self, *args):
                await super().__aexit__(*args)
                self.events.append(f"{self.name}.__exit__")
    else:

        class Recording(httprs.BaseTransport):
            def __init__(self, name):
                self.name, self.events = name, []

            def handle_request(self, request):
                return httprs.Response(204)

            def close(self):
                self.events.append(f"{self.name}.close")

            def __enter__(self):
                super().__enter__()
                self.events.append(f"{self.name}.__enter__")
                return self

            def __exit__(self, *args):
                super().__exit__(*args)
                self.events.append(f"{self.name}.__exit__")

    transport, mounted = Recording("transport"), Recording("mounted")
    client = driver.client(transport=transport, mounts={"http://mounted.example": mounted})
    async with client as c:
        assert (await c.get("http://mounted.example/")).status_code == 204
        assert transport.events == ["transport.__enter__"]
    for t in (transport, mounted):
        assert t.events == [f"{t.name}.__enter__", f"{t.name}.close", f"{t.name}.__exit__"]
