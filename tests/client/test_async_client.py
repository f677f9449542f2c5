"""`httprs.AsyncClient` only: async auth flows and event hooks, and scenarios written for the
async client alone. What both clients do is in test_client.py (on both, through
tests/drivers.py).

Every test is an ``anyio`` test, run once per backend (the ``anyio_backend`` fixture in
conftest.py).
"""

import anyio
import httprs
import pytest

from tests.support.helpers import echo_body, echo_headers

pytestmark = [pytest.mark.network, pytest.mark.anyio]


@pytest.fixture
async def client():
    async with httprs.AsyncClient() as c:
        yield c


# --- verbs, request(), build_request() + send() -------------------------------------


async def test_request_with_body_arguments(client, server):
    response = await client.request("PUT", server.url + "/echo", json={"k": "v"})
    data = response.json()
    assert data["method"] == "PUT"
    assert data["body"] == '{"k":"v"}'


# --- client lifecycle ---------------------------------------------------------------


async def test_aclose_without_any_request():
    client = httprs.AsyncClient()
    assert not client.is_closed
    await client.aclose()
    assert client.is_closed


# --- auth -------------------------------------------------------------------------------


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


# --- timeouts and errors -----------------------------------------------------------------


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


async def test_content_async_iterator_with_build_request_and_send(client, server):
    async def body():
        yield b"part1-"
        yield b"part2"

    request = client.build_request("PUT", server.url + "/echo", content=body())
    response = await client.send(request)
    assert echo_body(response.json()) == b"part1-part2"


# --- errors raised where httpx raises them --------------------------------------------


async def test_argument_errors_are_raised_when_awaited_not_when_called(server):
    """httpx's AsyncClient methods are ``async def``: a bad value surfaces at ``await`` (or
    on entering ``stream()``), so a coroutine made and never awaited raises nothing."""
    bad_headers = {"X-Bad": object()}
    async with httprs.AsyncClient() as client:
        pending = client.get(server.url + "/echo", headers=bad_headers)
        with pytest.raises(TypeError, match="Header value"):
            await pending
        pending = client.send("GET /echo")
        with pytest.raises(TypeError, match="httprs.Request"):
            await pending
        context = client.stream("GET", server.url + "/echo", headers=bad_headers)
        with pytest.raises(TypeError, match="Header value"):
            async with context:
                pass
        never_awaited = client.post(server.url + "/echo", json=object())
        never_awaited.close()
        assert (await client.get(server.url + "/echo")).status_code == 200
    pending = client.get(server.url + "/echo")
    with pytest.raises(RuntimeError, match="closed"):
        await pending


def test_the_sync_client_raises_argument_errors_at_once(server):
    with httprs.Client() as client:
        with pytest.raises(TypeError, match="Header value"):
            client.get(server.url + "/echo", headers={"X-Bad": object()})


async def test_a_transport_subclass_sends_an_async_body(server):
    """httpx's logging-transport pattern: ``handle_async_request`` overridden, then
    ``super().handle_async_request(request)`` with an async iterable body."""
    seen = []

    class Logging(httprs.AsyncHTTPTransport):
        async def handle_async_request(self, request):
            seen.append(request.method)
            return await super().handle_async_request(request)

    async def body():
        yield b"part one, "
        yield b"part two"

    async with httprs.AsyncClient(transport=Logging()) as client:
        response = await client.post(server.url + "/echo", content=body())
    assert seen == ["POST"]
    assert echo_body(response.json()) == b"part one, part two"


def test_a_sync_transport_refuses_an_async_body(server):
    async def body():
        yield b"x"  # pragma: no cover

    request = httprs.Request("POST", server.url + "/echo", content=body())
    with httprs.HTTPTransport() as transport:
        with pytest.raises(RuntimeError, match="async request with a sync transport"):
            transport.handle_request(request)
