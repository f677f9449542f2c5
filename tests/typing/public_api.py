"""httprs's whole public API, used as httpx's users use it: type-checked by `mypy --strict`
and `pyright --strict` (scripts/test), and run against the test server by
tests/typing/test_public_api.py, so that what type-checks here also works.

`sync_tour(url)` and `async_tour(url)` take the test server's base URL (the app of
tests/support/apps/main_app.py); `closed_url` is a URL nothing listens on.
"""

from __future__ import annotations

import datetime
import http.cookiejar
import os
import ssl
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterable, Iterator
from typing import Any

import httprs

Message = dict[str, Any]


# ---------------------------------------------------------------------------------------
# The models, without a network.


def models() -> None:
    url = httprs.URL("https://user:pw@example.org:8080/a/b?q=1&q=2#frag")
    scheme: str = url.scheme
    raw_host: bytes = url.raw_host
    port: int | None = url.port
    assert (scheme, url.host, raw_host, port) == ("https", "example.org", b"example.org", 8080)
    assert (url.username, url.password, url.userinfo) == ("user", "pw", b"user:pw")
    assert (url.path, url.query, url.raw_path) == ("/a/b", b"q=1&q=2", b"/a/b?q=1&q=2")
    assert (url.fragment, url.netloc, url.raw_scheme) == ("frag", b"example.org:8080", b"https")
    assert url.params.get_list("q") == ["1", "2"]
    assert url.is_absolute_url and not url.is_relative_url
    assert url.join("../c") == "https://user:pw@example.org:8080/c"
    assert url.copy_with(scheme="http", port=None).port is None
    assert url.copy_set_param("q", 3).query == b"q=3"
    assert url.copy_add_param("r", "x").params["r"] == "x"
    assert url.copy_remove_param("q").query == b""
    assert url.copy_merge_params({"z": "1"}).params["z"] == "1"
    assert httprs.URL(url="/relative", host="example.org").host == "example.org"
    assert hash(url) == hash(httprs.URL(str(url)))

    params = httprs.QueryParams({"a": "1", "b": ["2", "3"]})
    assert str(params) == "a=1&b=2&b=3"
    assert httprs.QueryParams("a=1&a=2").multi_items() == [("a", "1"), ("a", "2")]
    assert httprs.QueryParams([("a", 1), ("b", None)])["a"] == "1"
    assert httprs.QueryParams(a="1", b=True)["b"] == "true"
    assert params.set("a", "9").add("c", 0).remove("b").merge({"d": 1.5}).keys() == {
        "a",
        "c",
        "d",
    }
    assert list(params.values()) == ["1", "2"] and dict(params.items()) == {"a": "1", "b": "2"}
    assert params.get("missing", "default") == "default" and "a" in params and len(params) == 2

    headers = httprs.Headers({"Content-Type": "text/plain"})
    headers["X-Multi"] = "a"
    headers.update([("x-multi", "b")])
    assert headers["content-type"] == "text/plain" and "X-MULTI" in headers
    assert headers.get_list("x-multi") == ["b"]
    headers = httprs.Headers([(b"Set-Cookie", b"a=1"), (b"Set-Cookie", b"b=2")])
    assert headers.raw == [(b"Set-Cookie", b"a=1"), (b"Set-Cookie", b"b=2")]
    assert headers.get_list("set-cookie") == ["a=1", "b=2"] and headers.encoding == "ascii"
    assert headers.multi_items() == [("set-cookie", "a=1"), ("set-cookie", "b=2")]
    assert headers.setdefault("x-new", "v") == "v" and headers.pop("x-new") == "v"
    assert headers.copy() == headers and dict(headers) == {"set-cookie": "a=1, b=2"}
    assert headers.keys() == ["set-cookie"] and headers.values() == ["a=1, b=2"]
    del headers["set-cookie"]
    assert len(headers) == 0 and headers.items() == []

    cookies = httprs.Cookies({"a": "1"})
    cookies.set("b", "2", domain="example.org", path="/")
    cookies["c"] = "3"
    assert cookies.get("b", domain="example.org") == "2" and cookies["a"] == "1"
    assert sorted(cookies.keys()) == ["a", "b", "c"] and len(cookies) == 3 and "c" in cookies
    jar: http.cookiejar.CookieJar = cookies.jar
    assert len(jar) == 3
    cookies.delete("c")
    cookies.update({"d": "4"})
    assert cookies.pop("d") == "4" and bool(cookies)
    cookies.clear(domain="example.org")
    assert cookies.items() == [("a", "1")] and cookies.values() == ["1"]
    request = httprs.Request("GET", "https://example.org/")
    cookies.set_cookie_header(request)
    assert request.headers["cookie"] == "a=1"

    timeout = httprs.Timeout(10.0, connect=2.0)
    assert timeout.as_dict() == {"connect": 2.0, "read": 10.0, "write": 10.0, "pool": 10.0}
    assert httprs.Timeout(None).read is None and httprs.Timeout(timeout) == timeout
    assert httprs.Timeout(timeout=(1.0, 2.0, 3.0, 4.0)).pool == 4.0
    limits = httprs.Limits(max_connections=10, max_keepalive_connections=5, keepalive_expiry=None)
    assert (limits.max_connections, limits.max_keepalive_connections) == (10, 5)
    assert limits.keepalive_expiry is None and httprs.Limits().keepalive_expiry == 5.0
    retry = httprs.Retry(
        2,
        backoff_factor=0.1,
        backoff_max=None,
        jitter=0,
        status_forcelist={503},
        allowed_methods=None,
        respect_retry_after=False,
        retry_after_max=30,
    )
    assert (retry.total, retry.backoff_max, retry.allowed_methods) == (2, None, None)
    assert retry.status_forcelist == (503,) and retry.backoff(2) == 0.2
    assert httprs.Retry() != retry and httprs.Retry().allowed_methods is not None

    proxy = httprs.Proxy("http://user:secret@127.0.0.1:3128", headers={"X-Proxy": "1"})
    assert proxy.url == "http://127.0.0.1:3128" and proxy.auth == ("user", "secret")
    assert proxy.raw_auth == (b"user", b"secret") and proxy.headers["x-proxy"] == "1"
    context: ssl.SSLContext = httprs.create_ssl_context(verify=False)
    assert context.verify_mode == ssl.CERT_NONE

    assert int(httprs.codes.NOT_FOUND) == 404 and httprs.codes.NOT_FOUND.phrase == "Not Found"
    assert httprs.codes.get_reason_phrase(418) == "I'm a teapot"
    assert httprs.codes.is_success(204) and httprs.codes.is_error(500)
    assert str(httprs.codes.OK) == "200"

    request = httprs.Request(
        "POST",
        "https://example.org/items",
        params={"page": 2},
        headers={"X-Test": "1"},
        json={"name": "x"},
        extensions={"timeout": {"read": 1.0}},
    )
    assert request.method == "POST" and request.url.params["page"] == "2"
    assert request.content == b'{"name":"x"}' and request.read() == request.content
    assert request.headers["content-type"] == "application/json"
    request.url = httprs.URL("https://example.org/other")
    request.headers = httprs.Headers({"X-New": "1"})
    assert request.extensions["timeout"] == {"read": 1.0}

    response = httprs.Response(200, json={"ok": True}, request=request)
    assert response.json() == {"ok": True} and response.is_success and not response.is_error
    assert response.headers["content-type"] == "application/json"
    assert response.raise_for_status() is response and response.reason_phrase == "OK"
    assert response.text == '{"ok":true}' and response.encoding == "utf-8"
    assert response.http_version == "HTTP/1.1" and response.url == "https://example.org/other"
    assert response.request is request and response.history == []
    assert response.next_request is None and not response.is_redirect
    assert response.num_bytes_downloaded == 0 and response.is_closed
    assert response.charset_encoding is None and response.links == {}
    assert list(response.iter_bytes()) == [b'{"ok":true}'] and len(response.cookies) == 0
    response = httprs.Response(404, text="nope", request=request)
    try:
        response.raise_for_status()
    except httprs.HTTPStatusError as exc:
        assert exc.response is response and exc.request is request
    else:
        raise AssertionError("expected HTTPStatusError")
    assert response.is_client_error and not response.is_server_error

    streamed = httprs.Response(200, stream=_Chunks([b"line 1\n", b"line 2\n"]))
    assert list(streamed.iter_lines()) == ["line 1", "line 2"]
    assert streamed.is_stream_consumed and streamed.is_closed
    try:
        streamed.read()
    except httprs.StreamConsumed:
        pass
    else:
        raise AssertionError("expected StreamConsumed")

    try:
        httprs.URL("https://exa mple.org")
    except httprs.InvalidURL as exc:
        assert "Invalid" in str(exc)
    assert issubclass(httprs.ReadTimeout, httprs.TimeoutException)
    assert issubclass(httprs.ConnectError, httprs.NetworkError)
    assert repr(httprs.USE_CLIENT_DEFAULT) == "<USE_CLIENT_DEFAULT>"


class _Chunks(httprs.SyncByteStream):
    """A response body of fixed chunks, that can be iterated once."""

    def __init__(self, chunks: list[bytes]) -> None:
        self._chunks: Iterator[bytes] = iter(chunks)

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks


# ---------------------------------------------------------------------------------------
# Transports and auth written in Python.


def mock_handler(request: httprs.Request) -> httprs.Response:
    return httprs.Response(200, json={"mocked": str(request.url)})


async def async_mock_handler(request: httprs.Request) -> httprs.Response:
    return httprs.Response(200, json={"mocked": str(request.url)})


def wsgi_app(
    environ: dict[str, Any], start_response: Callable[[str, list[tuple[str, str]]], Any]
) -> Iterable[bytes]:
    body = f"wsgi {environ['PATH_INFO']}".encode()
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [body]


async def asgi_app(
    scope: dict[str, Any],
    receive: Callable[[], Awaitable[Message]],
    send: Callable[[Message], Awaitable[None]],
) -> None:
    await receive()
    body = f"asgi {scope['path']}".encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


class CountingTransport(httprs.BaseTransport):
    """A transport wrapping another one, as users write them."""

    def __init__(self, inner: httprs.BaseTransport) -> None:
        self.inner = inner
        self.count = 0

    def handle_request(self, request: httprs.Request) -> httprs.Response:
        self.count += 1
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


class AsyncCountingTransport(httprs.AsyncBaseTransport):
    def __init__(self, inner: httprs.AsyncBaseTransport) -> None:
        self.inner = inner
        self.count = 0

    async def handle_async_request(self, request: httprs.Request) -> httprs.Response:
        self.count += 1
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


class BearerAuth(httprs.Auth):
    """The /protected endpoint's scheme: the 401's body names the token to send."""

    requires_response_body = True

    def auth_flow(
        self, request: httprs.Request
    ) -> Generator[httprs.Request, httprs.Response, None]:
        response = yield request
        if response.status_code == 401:
            request.headers["Authorization"] = f"Bearer {response.json()['nonce']}"
            yield request


def _echoed_headers(response: httprs.Response) -> dict[str, str]:
    pairs: list[list[str]] = response.json()["headers"]
    return {name: value for name, value in pairs}


def _netrc_auth(directory: str) -> httprs.NetRCAuth:
    path = os.path.join(directory, "netrc")
    with open(path, "w") as f:
        f.write("machine 127.0.0.1\nlogin netrc-user\npassword netrc-pass\n")
    os.chmod(path, 0o600)
    return httprs.NetRCAuth(path)


# ---------------------------------------------------------------------------------------
# Client.


def sync_tour(url: str, closed_url: str) -> None:
    models()

    # The one-shot helpers.
    assert httprs.get(f"{url}/echo", params={"q": "1"}).json()["query"] == "q=1"
    assert httprs.request("PUT", f"{url}/echo", content=b"x").json()["body"] == "x"
    assert httprs.post(f"{url}/echo", data={"a": "1"}).json()["body"] == "a=1"
    assert httprs.put(f"{url}/echo", json=[1]).json()["method"] == "PUT"
    assert httprs.patch(f"{url}/echo", content="text").json()["body"] == "text"
    assert httprs.delete(f"{url}/echo", timeout=5.0).json()["method"] == "DELETE"
    assert httprs.head(f"{url}/echo").content == b""
    assert httprs.options(f"{url}/echo", verify=False).status_code == 200
    with httprs.stream("GET", f"{url}/stream?chunks=3&size=10") as response:
        assert len(b"".join(response.iter_raw())) == 30 and response.is_stream_consumed

    hooks: list[str] = []

    def on_request(request: httprs.Request) -> None:
        hooks.append(f"request {request.method}")

    def on_response(response: httprs.Response) -> None:
        hooks.append(f"response {response.status_code}")

    transport = CountingTransport(
        httprs.HTTPTransport(retries=httprs.Retry(1, backoff_factor=0), http1=True)
    )
    with httprs.Client(
        auth=("user", "pass"),
        params={"client": "1"},
        headers={"X-Client": "1"},
        cookies={"session": "abc"},
        verify=True,
        cert=None,
        trust_env=False,
        http1=True,
        http2=False,
        proxy=None,
        mounts={"http://mocked.invalid": httprs.MockTransport(mock_handler)},
        timeout=httprs.Timeout(10.0, connect=5.0),
        follow_redirects=True,
        limits=httprs.Limits(max_connections=10),
        max_redirects=5,
        event_hooks={"request": [on_request], "response": [on_response]},
        base_url=url,
        transport=transport,
        default_encoding="utf-8",
    ) as client:
        response = client.get("/echo", params={"q": "2"}, headers={"X-Request": "1"})
        echoed = _echoed_headers(response)
        assert echoed["x-client"] == "1" and echoed["x-request"] == "1"
        assert echoed["cookie"] == "session=abc" and echoed["authorization"].startswith("Basic")
        assert response.json()["query"] == "client=1&q=2"
        assert hooks == ["request GET", "response 200"] and transport.count == 1
        assert response.elapsed >= datetime.timedelta(0) and response.http_version == "HTTP/1.1"

        assert client.get("/redirect/2").history[0].status_code == 302
        assert client.get("/redirect/1", follow_redirects=False).next_request is not None
        mocked = client.get("http://mocked.invalid/x").json()
        assert mocked == {"mocked": "http://mocked.invalid/x?client=1"}
        assert client.post("/echo", files={"f": ("a.txt", b"data", "text/plain")}).is_success
        assert client.put("/echo", content=iter([b"a", b"b"])).json()["body"] == "ab"
        assert client.patch("/echo", data={"k": "v"}, auth=None).status_code == 200
        assert client.delete("/echo", timeout=None, extensions={}).status_code == 200
        assert client.head("/echo", follow_redirects=httprs.USE_CLIENT_DEFAULT).is_success
        assert client.options("/echo", auth=httprs.BasicAuth("u", "p")).is_success
        assert client.get("/protected", params={"token": "t1"}, auth=BearerAuth()).is_success
        assert client.get("/echo", auth=httprs.DigestAuth("u", "p")).status_code == 200
        with tempfile.TemporaryDirectory() as directory:
            echoed = _echoed_headers(client.get("/echo", auth=_netrc_auth(directory)))
        assert echoed["authorization"] == "Basic bmV0cmMtdXNlcjpuZXRyYy1wYXNz"

        request = client.build_request("GET", "/echo", cookies={"extra": "1"}, timeout=2.0)
        assert request.extensions["timeout"]["read"] == 2.0
        response = client.send(request, stream=True)
        try:
            chunks = list(response.iter_bytes(chunk_size=4))
            assert all(len(chunk) == 4 for chunk in chunks[:-1]) and b'"GET"' in b"".join(chunks)
        finally:
            response.close()
        response = client.request("GET", "/json")
        assert response.json()["city"] == "Zürich" and response.encoding == "utf-8"

        # (`params=`, not the URL's query: httpx lets the merged params replace it.)
        with client.stream("GET", "/stream", params={"chunks": 3, "size": 10}) as response:
            text = "".join(response.iter_text())
            assert len(text) == 30 and response.num_bytes_downloaded == 30

        client.headers = {"X-Replaced": "1"}
        client.params = {"p": "1"}
        client.cookies = {"c": "1"}
        client.timeout = 3.0
        client.auth = None
        client.follow_redirects = False
        client.max_redirects = 3
        client.base_url = url + "/"
        client.event_hooks = {"request": [], "response": []}
        assert client.headers["x-replaced"] == "1" and client.params["p"] == "1"
        assert client.cookies["c"] == "1" and client.timeout == httprs.Timeout(3.0)
        assert client.auth is None and not client.follow_redirects
        assert client.max_redirects == 3 and client.base_url == url + "/"
        assert client.event_hooks == {"request": [], "response": []} and not client.trust_env
        try:
            client.get("/redirect/5", follow_redirects=True)
        except httprs.TooManyRedirects as exc:
            assert exc.request.url.path.startswith("/redirect/")
        else:
            raise AssertionError("expected TooManyRedirects")
    assert client.is_closed

    with httprs.Client(transport=httprs.WSGITransport(app=wsgi_app)) as client:
        assert client.get("http://testserver/hello").text == "wsgi /hello"
    with httprs.Client(verify=httprs.SYSTEM_TRUST_STORE, timeout=1.0) as client:
        try:
            client.get(closed_url)
        except httprs.ConnectError as exc:
            assert exc.request.url == closed_url
        else:
            raise AssertionError("expected ConnectError")
    try:
        httprs.get(f"{url}/slow?delay=1", timeout=httprs.Timeout(5.0, read=0.05))
    except httprs.ReadTimeout:
        pass
    else:
        raise AssertionError("expected ReadTimeout")


async def async_tour(url: str) -> None:
    statuses: list[int] = []

    async def on_response(response: httprs.Response) -> None:
        statuses.append(response.status_code)

    transport = AsyncCountingTransport(httprs.AsyncHTTPTransport(retries=1))
    async with httprs.AsyncClient(
        base_url=url,
        transport=transport,
        mounts={"http://mocked.invalid": httprs.MockTransport(async_mock_handler)},
        event_hooks={"response": [on_response]},
        timeout=10.0,
        http2=False,
    ) as client:
        response = await client.get("/echo", params={"q": "1"})
        assert response.json()["query"] == "q=1" and transport.count == 1 and statuses == [200]
        assert (await client.get("http://mocked.invalid/")).json()["mocked"]
        assert (await client.post("/echo", json={"a": 1})).json()["body"] == '{"a":1}'
        assert (await client.put("/echo", content=_agen())).json()["body"] == "ab"
        assert (await client.patch("/echo", data={"k": "v"})).is_success
        assert (await client.delete("/echo")).is_success
        assert (await client.head("/echo")).is_success
        assert (await client.options("/echo")).is_success
        assert (await client.request("GET", "/json")).json()["name"] == "Zoë"
        assert (await client.get("/protected?token=t2", auth=BearerAuth())).status_code == 200

        request = client.build_request("GET", "/stream?chunks=2&size=5")
        response = await client.send(request, stream=True)
        try:
            chunks = [chunk async for chunk in response.aiter_bytes()]
            assert b"".join(chunks) == b"abcdefghij"
        finally:
            await response.aclose()

        async with client.stream("GET", "/stream?chunks=2&size=5") as response:
            lines = [line async for line in response.aiter_lines()]
            assert lines == ["abcdefghij"]
        async with client.stream("GET", "/bytes?size=8") as response:
            raw = [chunk async for chunk in response.aiter_raw()]
            assert b"".join(raw) == b"abcdefgh"
        async with client.stream("GET", "/bytes?size=4") as response:
            assert [text async for text in response.aiter_text()] == ["abcd"]
        async with client.stream("GET", "/bytes?size=4") as response:
            assert await response.aread() == b"abcd" and response.text == "abcd"
    assert client.is_closed

    async with httprs.AsyncClient(transport=httprs.ASGITransport(app=asgi_app)) as client:
        assert (await client.get("http://testserver/hello")).text == "asgi /hello"


async def _agen() -> AsyncIterator[bytes]:
    yield b"a"
    yield b"b"
