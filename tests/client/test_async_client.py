"""`httprs.AsyncClient`: parity with the sync `Client` (tests/client/test_client.py), on asyncio
and trio.

Every test is an ``anyio`` test, run once per backend (the ``anyio_backend`` fixture in
conftest.py).
"""

import base64
import warnings

import anyio
import httprs
import pytest

from tests.support.apps.main_app import COMPRESSED_TEXT, JSON_DOC
from tests.support.helpers import echo_body, echo_headers, parse_multipart

pytestmark = [pytest.mark.network, pytest.mark.anyio]


@pytest.fixture
async def client():
    async with httprs.AsyncClient() as c:
        yield c


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# --- verbs, request(), build_request() + send() -------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
async def test_each_verb_method(client, server, method):
    response = await getattr(client, method.lower())(server.url + "/echo")
    assert isinstance(response, httprs.Response)
    assert response.status_code == 200
    assert response.json()["method"] == method
    assert response.request.method == method


async def test_head(client, server):
    response = await client.head(server.url + "/bytes?size=100")
    assert response.status_code == 200
    assert response.headers["content-length"] == "100"
    assert response.content == b""


async def test_request_with_custom_method(client, server):
    response = await client.request("purge", server.url + "/echo")
    assert response.json()["method"] == "PURGE"


async def test_request_with_body_arguments(client, server):
    response = await client.request("PUT", server.url + "/echo", json={"k": "v"})
    data = response.json()
    assert data["method"] == "PUT"
    assert data["body"] == '{"k":"v"}'


async def test_build_request_and_send(client, server):
    request = client.build_request("POST", server.url + "/echo", content=b"hello")
    assert isinstance(request, httprs.Request)
    assert request.headers["content-length"] == "5"
    response = await client.send(request)
    assert response.request is request
    assert response.json()["body"] == "hello"


async def test_url_may_be_a_url_object(client, server):
    url = httprs.URL(server.url + "/echo")
    assert (await client.get(url)).json()["path"] == "/echo"


async def test_path_and_query_reach_the_server(client, server):
    response = await client.get(server.url + "/echo?a=1&b=%20x", params={"c": "d e"})
    data = response.json()
    assert data["path"] == "/echo"
    # Request params replace the URL's query.
    assert data["query"] == "c=d+e"
    response = await client.get(server.url + "/echo?a=1&b=%20x")
    assert response.json()["query"] == "a=1&b=%20x"


async def test_response_is_fully_read(client, server):
    response = await client.get(server.url + "/json")
    assert response.status_code == 200
    assert response.reason_phrase == "OK"
    assert response.http_version == "HTTP/1.1"
    assert response.url == server.url + "/json"
    assert response.json() == JSON_DOC
    assert response.is_closed
    assert response.is_stream_consumed
    assert response.num_bytes_downloaded == len(response.content)
    assert response.history == []
    assert repr(response) == "<Response [200 OK]>"


async def test_gzip_body_is_decoded(client, server):
    response = await client.get(server.url + "/gzip")
    assert response.content == COMPRESSED_TEXT
    assert response.headers["content-encoding"] == "gzip"


# --- client lifecycle ---------------------------------------------------------------


async def test_context_manager_and_aclose(server):
    client = httprs.AsyncClient()
    async with client as entered:
        assert entered is client
        assert not client.is_closed
        assert (await client.get(server.url + "/echo")).status_code == 200
    assert client.is_closed
    with pytest.raises(RuntimeError):
        await client.get(server.url + "/echo")


async def test_aclose_then_use_raises_runtime_error(server):
    client = httprs.AsyncClient()
    await client.get(server.url + "/echo")
    await client.aclose()
    assert client.is_closed
    await client.aclose()  # closing twice is fine
    with pytest.raises(RuntimeError):
        await client.get(server.url + "/echo")
    with pytest.raises(RuntimeError):
        await client.post(server.url + "/echo", content=b"x")
    with pytest.raises(RuntimeError):
        await client.send(client.build_request("GET", server.url + "/echo"))
    with pytest.raises(RuntimeError):
        async with client.stream("GET", server.url + "/echo"):
            pass
    with pytest.raises(RuntimeError):
        async with client:
            pass


async def test_aclose_without_any_request():
    client = httprs.AsyncClient()
    assert not client.is_closed
    await client.aclose()
    assert client.is_closed


async def test_cannot_open_twice():
    client = httprs.AsyncClient()
    async with client:
        with pytest.raises(RuntimeError):
            await client.__aenter__()


# --- defaults -------------------------------------------------------------------------


async def test_default_client_configuration():
    async with httprs.AsyncClient() as client:
        assert client.timeout == httprs.Timeout(5.0)
        assert client.follow_redirects is False
        assert client.max_redirects == 20
        assert client.base_url == httprs.URL("")
        assert client.params == httprs.QueryParams()
        assert isinstance(client.cookies, httprs.Cookies)
        assert client.headers["accept"] == "*/*"
        assert client.headers["connection"] == "keep-alive"
        assert {"gzip", "deflate"} <= set(client.headers.get_list("accept-encoding", True))


async def test_default_user_agent(client, server):
    # Deliberate difference: httprs identifies itself as python-httprs (httpx: python-httpx),
    # so this test fails under the httpx shim, like test_client.py::test_default_user_agent.
    expected = f"python-httprs/{httprs.__version__}"
    assert client.headers["user-agent"] == expected
    data = (await client.get(server.url + "/echo")).json()
    assert echo_headers(data, "user-agent") == [expected]


async def test_default_headers_on_the_wire(client, server):
    data = (await client.get(server.url + "/echo")).json()
    assert echo_headers(data, "host") == [f"127.0.0.1:{server.port}"]
    assert echo_headers(data, "accept") == ["*/*"]
    assert echo_headers(data, "connection") == ["keep-alive"]
    (accept_encoding,) = echo_headers(data, "accept-encoding")
    assert {"gzip", "deflate"} <= {v.strip() for v in accept_encoding.split(",")}
    assert echo_headers(data, "content-length") == []
    assert echo_headers(data, "transfer-encoding") == []


# --- client-level configuration merged with per-request values -------------------------


async def test_headers_merge(server):
    async with httprs.AsyncClient(headers={"X-Client": "c", "X-Both": "client"}) as c:
        response = await c.get(server.url + "/echo", headers={"X-Both": "request", "X-Req": "r"})
    data = response.json()
    assert echo_headers(data, "x-client") == ["c"]
    assert echo_headers(data, "x-both") == ["request"]
    assert echo_headers(data, "x-req") == ["r"]


async def test_repeated_request_headers_are_sent(client, server):
    response = await client.get(server.url + "/echo", headers=[("X-Dup", "1"), ("X-Dup", "2")])
    assert echo_headers(response.json(), "x-dup") == ["1", "2"]


async def test_params_merge(server):
    async with httprs.AsyncClient(params={"a": "1", "b": "2"}) as c:
        assert (await c.get(server.url + "/echo")).json()["query"] == "a=1&b=2"
        merged = await c.get(server.url + "/echo", params={"b": "9", "d": "4"})
        assert merged.json()["query"] == "a=1&b=9&d=4"
        listed = await c.get(server.url + "/echo", params={"a": ["x", "y"]})
        assert listed.json()["query"] == "a=x&a=y&b=2"


async def test_build_request_merges_client_config():
    client = httprs.AsyncClient(
        params={"a": "1"}, headers={"X-Client": "c"}, cookies={"cc": "1"}, base_url="http://h/api"
    )
    request = client.build_request("GET", "p", params={"b": "2"}, headers={"X-Req": "r"})
    assert request.url == "http://h/api/p?a=1&b=2"
    assert request.headers["x-client"] == "c"
    assert request.headers["x-req"] == "r"
    assert request.headers["cookie"] == "cc=1"
    assert request.headers["host"] == "h"
    await client.aclose()


async def test_base_url(server):
    async with httprs.AsyncClient(base_url=server.url + "/") as c:
        assert c.base_url == server.url + "/"
        assert (await c.get("/echo")).json()["path"] == "/echo"
        assert (await c.get("echo")).json()["path"] == "/echo"
        assert (await c.get("echo", params={"q": "1"})).json()["query"] == "q=1"
    async with httprs.AsyncClient(base_url=server.url + "/redirect") as c:
        # The base path gets a trailing slash; relative URLs are joined below it.
        assert (await c.get("3")).headers["location"] == "/redirect/2"


# --- auth -------------------------------------------------------------------------------


async def test_basic_auth_tuple_and_object(server):
    async with httprs.AsyncClient(auth=("user", "pass")) as c:
        data = (await c.get(server.url + "/echo")).json()
        assert echo_headers(data, "authorization") == [basic("user", "pass")]
        # Per-request auth overrides the client's.
        response = await c.get(server.url + "/echo", auth=httprs.BasicAuth("other", "pw"))
        assert echo_headers(response.json(), "authorization") == [basic("other", "pw")]
    async with httprs.AsyncClient(auth=httprs.BasicAuth("u", "p")) as c:
        data = (await c.get(server.url + "/echo")).json()
        assert echo_headers(data, "authorization") == [basic("u", "p")]
    async with httprs.AsyncClient() as c:
        data = (await c.get(server.url + "/echo", auth=("req", "only"))).json()
        assert echo_headers(data, "authorization") == [basic("req", "only")]


async def test_auth_is_not_in_built_request_but_is_sent(server):
    async with httprs.AsyncClient(auth=("user", "pass")) as c:
        request = c.build_request("GET", server.url + "/echo")
        assert "authorization" not in request.headers
        response = await c.send(request)
        assert response.request.headers["authorization"] == basic("user", "pass")
        assert echo_headers(response.json(), "authorization") == [basic("user", "pass")]


async def test_auth_callable(server):
    calls = []

    def add_token(request):
        calls.append(str(request.url))
        request.headers["Authorization"] = "Token from-callable"
        return request

    async with httprs.AsyncClient(auth=add_token) as c:
        data = (await c.get(server.url + "/echo")).json()
    assert echo_headers(data, "authorization") == ["Token from-callable"]
    assert calls == [server.url + "/echo"]


class RetryOn401(httprs.Auth):
    """A token auth: sends a (stale) token; on a 401 it retries once against ``retry_url``
    with a fresh token. Records the status of every response the flow was sent."""

    def __init__(self, retry_url: str) -> None:
        self.retry_url = retry_url
        self.statuses: list[int] = []

    def auth_flow(self, request):
        request.headers["Authorization"] = "Bearer stale"
        response = yield request
        self.statuses.append(response.status_code)
        if response.status_code == 401:
            retry = httprs.Request(
                request.method, self.retry_url, headers={"Authorization": "Bearer fresh"}
            )
            response = yield retry
            self.statuses.append(response.status_code)


async def test_custom_auth_flow_retries_on_401(client, server):
    auth = RetryOn401(retry_url=server.url + "/echo")
    response = await client.get(server.url + "/status/401", auth=auth)
    assert auth.statuses == [401, 200]
    assert response.status_code == 200
    assert response.url == server.url + "/echo"
    assert echo_headers(response.json(), "authorization") == ["Bearer fresh"]
    # The 401 the flow answered is in the history (as in httpx).
    assert [r.status_code for r in response.history] == [401]
    assert response.history[0].url == server.url + "/status/401"
    assert response.history[0].request.headers["authorization"] == "Bearer stale"


async def test_custom_auth_flow_without_401_sends_once(server):
    auth = RetryOn401(retry_url=server.url + "/status/500")
    async with httprs.AsyncClient(auth=auth) as c:
        response = await c.get(server.url + "/echo")
    assert auth.statuses == [200]
    assert echo_headers(response.json(), "authorization") == ["Bearer stale"]
    assert response.history == []


class AsyncTokenAuth(httprs.Auth):
    """Overrides ``async_auth_flow`` itself (an async generator that awaits)."""

    def __init__(self) -> None:
        self.statuses: list[int] = []

    async def async_auth_flow(self, request):
        await anyio.sleep(0.01)  # e.g. fetching a token
        request.headers["Authorization"] = "Bearer async"
        response = yield request
        self.statuses.append(response.status_code)


async def test_custom_async_auth_flow(client, server):
    auth = AsyncTokenAuth()
    response = await client.get(server.url + "/echo", auth=auth)
    assert echo_headers(response.json(), "authorization") == ["Bearer async"]
    assert auth.statuses == [200]


async def test_auth_from_url_userinfo(client, server):
    url = server.url.replace("http://", "http://us%40er:p%3Ass@") + "/echo"
    data = (await client.get(url)).json()
    assert echo_headers(data, "authorization") == [basic("us@er", "p:ss")]


# --- timeouts and errors -----------------------------------------------------------------


async def test_timeout_configuration(server):
    async with httprs.AsyncClient(timeout=httprs.Timeout(10, connect=2)) as c:
        assert c.timeout.connect == 2
        assert c.timeout.read == 10
        assert (await c.get(server.url + "/slow?delay=0.1")).text == "ok"
    async with httprs.AsyncClient(timeout=None) as c:
        assert c.timeout == httprs.Timeout(None)


async def test_read_timeout(server):
    async with httprs.AsyncClient(timeout=0.2) as c:
        with pytest.raises(httprs.ReadTimeout) as info:
            await c.get(server.url + "/slow?delay=2")
        assert isinstance(info.value, httprs.TimeoutException)
        assert info.value.request.url == server.url + "/slow?delay=2"
        # Per-request timeout overrides the client's.
        assert (await c.get(server.url + "/slow?delay=0.4", timeout=5)).text == "ok"
        # The client is still usable after a timeout.
        assert (await c.get(server.url + "/echo")).status_code == 200
    async with httprs.AsyncClient() as c:
        with pytest.raises(httprs.ReadTimeout):
            await c.get(server.url + "/slow?delay=2", timeout=0.2)


async def test_read_timeout_is_prompt(client, server):
    start = anyio.current_time()
    with pytest.raises(httprs.ReadTimeout):
        await client.get(server.url + "/slow?delay=3", timeout=0.3)
    assert anyio.current_time() - start < 2.0


async def test_connect_error(client, closed_url):
    with pytest.raises(httprs.ConnectError) as info:
        await client.get(closed_url)
    assert isinstance(info.value, httprs.TransportError)
    assert info.value.request.url == closed_url


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/file", "127.0.0.1/echo"])
async def test_unsupported_protocol(client, url):
    with pytest.raises(httprs.UnsupportedProtocol):
        await client.get(url)


# --- redirects ---------------------------------------------------------------------------


async def test_redirects_not_followed_by_default(client, server):
    response = await client.get(server.url + "/redirect/3")
    assert response.status_code == 302
    assert response.is_redirect
    assert response.headers["location"] == "/redirect/2"
    assert response.history == []
    next_request = response.next_request
    assert isinstance(next_request, httprs.Request)
    assert next_request.url == server.url + "/redirect/2"
    followed = await client.send(next_request)
    assert followed.status_code == 302
    assert followed.url == server.url + "/redirect/2"


async def test_follow_redirects_history(client, server):
    response = await client.get(server.url + "/redirect/3", follow_redirects=True)
    assert response.status_code == 200
    assert response.url == server.url + "/echo"
    assert response.json()["path"] == "/echo"
    assert [r.url for r in response.history] == [
        server.url + "/redirect/3",
        server.url + "/redirect/2",
        server.url + "/redirect/1",
    ]
    assert [r.status_code for r in response.history] == [302, 302, 302]
    assert all(r.is_closed for r in response.history)
    assert response.next_request is None


async def test_client_level_follow_redirects(server):
    async with httprs.AsyncClient(follow_redirects=True) as c:
        assert c.follow_redirects is True
        assert (await c.get(server.url + "/redirect/2")).status_code == 200
        # Per-request False overrides.
        response = await c.get(server.url + "/redirect/2", follow_redirects=False)
        assert response.status_code == 302


async def test_max_redirects(server):
    async with httprs.AsyncClient(follow_redirects=True, max_redirects=2) as c:
        assert (await c.get(server.url + "/redirect/2")).status_code == 200
        with pytest.raises(httprs.TooManyRedirects) as info:
            await c.get(server.url + "/redirect/3")
    assert info.value.request.url == server.url + "/echo"


async def test_default_max_redirects_is_20(client, server):
    response = await client.get(server.url + "/redirect/20", follow_redirects=True)
    assert response.status_code == 200
    assert len(response.history) == 20
    with pytest.raises(httprs.TooManyRedirects):
        await client.get(server.url + "/redirect/21", follow_redirects=True)


async def test_redirect_303_post_becomes_get(client, server):
    url = server.url + "/redirect-to?url=/echo&status=303"
    data = (await client.post(url, content=b"payload", follow_redirects=True)).json()
    assert data["method"] == "GET"
    assert data["body"] == ""


@pytest.mark.parametrize("status", [307, 308])
async def test_redirect_preserves_method_and_body(client, server, status):
    url = server.url + f"/redirect-to?url=/echo&status={status}"
    data = (await client.post(url, content=b"payload", follow_redirects=True)).json()
    assert data["method"] == "POST"
    assert data["body"] == "payload"


async def test_redirect_to_other_origin_drops_authorization(server, other_server):
    async with httprs.AsyncClient(auth=("u", "p"), follow_redirects=True) as c:
        response = await c.get(server.url + f"/redirect-to?url={other_server.url}/echo")
    assert response.url == other_server.url + "/echo"
    assert echo_headers(response.json(), "authorization") == []


# --- event hooks ---------------------------------------------------------------------------


async def test_async_event_hooks_run_for_every_hop(server):
    seen = []

    async def on_request(request):
        await anyio.sleep(0)  # the hooks are awaited inside the running loop
        seen.append(("request", request.method, str(request.url)))

    async def on_response(response):
        await anyio.sleep(0)
        seen.append(("response", response.status_code, str(response.url)))

    hooks = {"request": [on_request], "response": [on_response]}
    async with httprs.AsyncClient(event_hooks=hooks) as c:
        response = await c.get(server.url + "/redirect/1", follow_redirects=True)
    assert response.status_code == 200
    assert seen == [
        ("request", "GET", server.url + "/redirect/1"),
        ("response", 302, server.url + "/redirect/1"),
        ("request", "GET", server.url + "/echo"),
        ("response", 200, server.url + "/echo"),
    ]


async def test_request_hook_can_modify_the_request(server):
    async def add_header(request):
        request.headers["X-Hooked"] = "yes"

    async with httprs.AsyncClient(event_hooks={"request": [add_header]}) as c:
        data = (await c.get(server.url + "/echo")).json()
    assert echo_headers(data, "x-hooked") == ["yes"]


async def test_response_hook_can_read_the_body(server):
    bodies = []

    async def read_body(response):
        await response.aread()
        bodies.append(response.json()["path"])

    async with httprs.AsyncClient(event_hooks={"response": [read_body]}) as c:
        response = await c.get(server.url + "/echo")
    assert bodies == ["/echo"]
    assert response.json()["path"] == "/echo"


async def test_response_hook_exception_propagates(server):
    async def raise_on_4xx_5xx(response):
        response.raise_for_status()

    class HookError(Exception):
        pass

    async def custom(response):
        raise HookError(response.status_code)

    async with httprs.AsyncClient(event_hooks={"response": [raise_on_4xx_5xx]}) as c:
        assert (await c.get(server.url + "/status/200")).status_code == 200
        with pytest.raises(httprs.HTTPStatusError) as info:
            await c.get(server.url + "/status/404")
        assert info.value.response.status_code == 404
    async with httprs.AsyncClient(event_hooks={"response": [custom]}) as c:
        with pytest.raises(HookError) as hook_info:
            await c.get(server.url + "/echo")
        assert hook_info.value.args == (200,)
        # The client survives a failing hook.
        c.event_hooks = {"response": []}
        assert (await c.get(server.url + "/echo")).status_code == 200


async def test_request_hook_exception_propagates(server):
    class Refused(Exception):
        pass

    async def refuse(request):
        raise Refused(str(request.url))

    async with httprs.AsyncClient(event_hooks={"request": [refuse]}) as c:
        with pytest.raises(Refused):
            await c.get(server.url + "/echo")


# --- request bodies -----------------------------------------------------------------------


async def test_content_bytes_and_str(client, server):
    data = (await client.post(server.url + "/echo", content=b"\x00\xffraw")).json()
    assert echo_body(data) == b"\x00\xffraw"
    assert echo_headers(data, "content-length") == ["5"]
    data = (await client.post(server.url + "/echo", content="héllo")).json()
    assert data["body"] == "héllo"
    assert echo_headers(data, "content-length") == ["6"]


async def test_content_async_iterator_is_sent_exactly(client, server):
    chunks = [b"\x00\xff", b"", b"bc" * 1000, bytes(range(256)), b"\r\n0\r\n\r\n"]

    async def body():
        for chunk in chunks:
            await anyio.sleep(0.001)
            yield chunk

    data = (await client.post(server.url + "/echo", content=body())).json()
    assert echo_body(data) == b"".join(chunks)
    assert echo_headers(data, "transfer-encoding") == ["chunked"]
    assert echo_headers(data, "content-length") == []


async def test_content_async_iterator_with_build_request_and_send(client, server):
    async def body():
        yield b"part1-"
        yield b"part2"

    request = client.build_request("PUT", server.url + "/echo", content=body())
    response = await client.send(request)
    assert echo_body(response.json()) == b"part1-part2"


async def test_empty_post_sends_content_length_zero(client, server):
    data = (await client.post(server.url + "/echo")).json()
    assert echo_headers(data, "content-length") == ["0"]
    assert data["body"] == ""


async def test_form_data(client, server):
    response = await client.post(server.url + "/echo", data={"a": "1", "b": ["x", "y z"], "é": "ü"})
    data = response.json()
    assert echo_headers(data, "content-type") == ["application/x-www-form-urlencoded"]
    assert data["body"] == "a=1&b=x&b=y+z&%C3%A9=%C3%BC"


async def test_json_body(client, server):
    data = (await client.post(server.url + "/echo", json={"a": [1, 2], "s": "é"})).json()
    assert echo_headers(data, "content-type") == ["application/json"]
    assert data["body"] == '{"a":[1,2],"s":"é"}'


async def test_files_with_data(client, server, tmp_path):
    path = tmp_path / "report.csv"
    path.write_bytes(b"a,b\n1,2\n")
    with open(path, "rb") as fileobj:
        response = await client.post(
            server.url + "/echo",
            data={"field": "value"},
            files={"upload": fileobj, "raw": ("r.bin", b"\x00\x01", "application/x-raw")},
        )
    data = response.json()
    (content_type,) = echo_headers(data, "content-type")
    assert content_type.startswith("multipart/form-data; boundary=")
    parts = parse_multipart(content_type, echo_body(data))
    summary = [(p["name"], p["filename"], p["content_type"], p["data"]) for p in parts]
    assert summary == [
        ("field", None, None, b"value"),
        ("upload", "report.csv", "text/csv", b"a,b\n1,2\n"),
        ("raw", "r.bin", "application/x-raw", b"\x00\x01"),
    ]


# --- cookies -------------------------------------------------------------------------------


async def test_cookies_persist_on_client(server):
    async with httprs.AsyncClient() as c:
        response = await c.get(server.url + "/set-cookie?session=abc&theme=dark")
        assert dict(response.cookies) == {"session": "abc", "theme": "dark"}
        assert dict(c.cookies) == {"session": "abc", "theme": "dark"}
        received = (await c.get(server.url + "/cookies")).json()
        assert received == {"session": "abc", "theme": "dark"}
    async with httprs.AsyncClient() as fresh:
        assert (await fresh.get(server.url + "/cookies")).json() == {}


async def test_client_cookies_argument(server):
    async with httprs.AsyncClient(cookies={"preset": "1"}) as c:
        assert (await c.get(server.url + "/cookies")).json() == {"preset": "1"}
        c.cookies.set("added", "2")
        assert (await c.get(server.url + "/cookies")).json() == {"preset": "1", "added": "2"}


async def test_per_request_cookies_are_sent_and_deprecated(server):
    async with httprs.AsyncClient(cookies={"c": "1"}) as c:
        with pytest.warns(DeprecationWarning):
            response = await c.get(server.url + "/cookies", cookies={"r": "2"})
        assert response.json() == {"c": "1", "r": "2"}
        assert dict(c.cookies) == {"c": "1"}


async def test_cookies_set_during_redirects_are_kept(client, server):
    url = server.url + "/redirect-to?url=/set-cookie%3Fa%3D1"
    response = await client.get(url, follow_redirects=True)
    assert response.url == server.url + "/set-cookie?a=1"
    assert dict(client.cookies) == {"a": "1"}
    assert (await client.get(server.url + "/cookies")).json() == {"a": "1"}


async def test_no_warnings_for_plain_usage(server):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        async with httprs.AsyncClient() as c:
            await c.get(server.url + "/echo")
            await c.post(server.url + "/echo", content=b"x", headers={"X": "1"})
