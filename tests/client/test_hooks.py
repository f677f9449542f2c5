"""Event hook semantics of httpx 0.28.1, on both `Client` and `AsyncClient`.

Each test runs on ``sync``, ``async-asyncio`` and ``async-trio`` (see tests/drivers.py); on
the async client every hook is an ``async def`` (``driver.hook`` wraps a plain function).
test_async_client.py also has a few async-only hook tests.
"""

import httprs
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.helpers import echo_headers

pytestmark = [pytest.mark.network, pytest.mark.anyio]


async def test_hooks_receive_the_request_and_the_response(driver, server):
    seen = []

    def on_request(request):
        seen.append(request)

    def on_response(response):
        seen.append(response)

    hooks = {"request": [driver.hook(on_request)], "response": [driver.hook(on_response)]}
    async with driver.client(event_hooks=hooks) as c:
        response = await c.post(server.url + "/echo?x=1", content=b"abc")
    request, hooked_response = seen
    assert isinstance(request, httprs.Request)
    assert request.method == "POST"
    assert request.url == server.url + "/echo?x=1"
    assert request.headers["content-length"] == "3"
    assert isinstance(hooked_response, httprs.Response)
    assert hooked_response is response
    assert hooked_response.request is request
    assert hooked_response.status_code == 200


async def test_multiple_hooks_run_in_order(driver, server):
    order = []

    def record(name):
        return driver.hook(lambda _: order.append(name))

    hooks = {
        "request": [record("req1"), record("req2"), record("req3")],
        "response": [record("resp1"), record("resp2")],
    }
    async with driver.client(event_hooks=hooks) as c:
        await c.get(server.url + "/echo")
    assert order == ["req1", "req2", "req3", "resp1", "resp2"]


async def test_request_hook_changes_are_sent(driver, server):
    def add_headers(request):
        request.headers["X-Hook"] = "1"
        request.headers["User-Agent"] = "hooked"

    async with driver.client(event_hooks={"request": [driver.hook(add_headers)]}) as c:
        data = (await c.get(server.url + "/echo")).json()
    assert echo_headers(data, "x-hook") == ["1"]
    assert echo_headers(data, "user-agent") == ["hooked"]


async def test_response_hook_may_read_the_body(driver, server):
    bodies = []

    def read_body(response):
        bodies.append(response.json()["path"])

    async with driver.client(event_hooks={"response": [driver.hook(read_body, read=True)]}) as c:
        response = await c.get(server.url + "/echo")
    assert bodies == ["/echo"]
    assert response.json()["path"] == "/echo"


async def test_raise_for_status_in_a_response_hook(driver, server):
    def raise_for_status(response):
        response.raise_for_status()

    hooks = {"response": [driver.hook(raise_for_status)]}
    async with driver.client(event_hooks=hooks) as c:
        assert (await c.get(server.url + "/status/204")).status_code == 204
        with pytest.raises(httprs.HTTPStatusError) as info:
            await c.get(server.url + "/status/503")
        assert info.value.response.status_code == 503
        assert info.value.request.url == server.url + "/status/503"
        # Hooks see every hop, and raise_for_status() raises on a 3xx too: following
        # redirects with such a hook fails on the first hop.
        with pytest.raises(httprs.HTTPStatusError) as info:
            await c.get(server.url + "/redirect/1", follow_redirects=True)
        assert info.value.response.status_code == 302


async def test_hooks_run_on_every_redirect_hop(driver, server):
    seen = []

    def on_request(request):
        seen.append(("request", request.url.path))

    def on_response(response):
        seen.append(("response", response.status_code, response.url.path))

    hooks = {"request": [driver.hook(on_request)], "response": [driver.hook(on_response)]}
    async with driver.client(event_hooks=hooks, follow_redirects=True) as c:
        response = await c.get(server.url + "/redirect/2")
    assert response.status_code == 200
    assert seen == [
        ("request", "/redirect/2"),
        ("response", 302, "/redirect/2"),
        ("request", "/redirect/1"),
        ("response", 302, "/redirect/1"),
        ("request", "/echo"),
        ("response", 200, "/echo"),
    ]


async def test_hooks_run_for_every_request_of_an_auth_flow(driver, server):
    class TokenAuth(httprs.Auth):
        requires_response_body = True

        def auth_flow(self, request):
            response = yield request
            if response.status_code == 401:
                request.headers["Authorization"] = f"Bearer {response.json()['nonce']}"
                yield request

    seen = []

    def on_request(request):
        seen.append(("request", request.headers.get("authorization")))

    def on_response(response):
        seen.append(("response", response.status_code))

    hooks = {"request": [driver.hook(on_request)], "response": [driver.hook(on_response)]}
    async with driver.client(event_hooks=hooks, auth=TokenAuth()) as c:
        response = await c.get(server.url + "/protected?token=t")
    assert response.status_code == 200
    assert seen == [
        ("request", None),
        ("response", 401),
        ("request", "Bearer t"),
        ("response", 200),
    ]


async def test_hooks_run_for_send(driver, server):
    seen = []
    hooks = {"request": [driver.hook(lambda r: seen.append(r.method))]}
    async with driver.client(event_hooks=hooks) as c:
        request = c.build_request("PUT", server.url + "/echo")
        assert seen == []  # building does not run hooks
        await c.send(request)
    assert seen == ["PUT"]


async def test_event_hooks_property_and_replacement(driver, server):
    calls = []
    first = driver.hook(lambda _: calls.append("first"))
    second = driver.hook(lambda _: calls.append("second"))
    on_response = driver.hook(lambda _: calls.append("response"))

    async with driver.client(event_hooks={"request": [first]}) as c:
        assert c.event_hooks == {"request": [first], "response": []}
        await c.get(server.url + "/echo")
        assert calls == ["first"]

        # Assigning replaces all the hooks; a missing key means no hooks of that kind.
        c.event_hooks = {"response": [on_response]}
        assert c.event_hooks == {"request": [], "response": [on_response]}
        await c.get(server.url + "/echo")
        assert calls == ["first", "response"]

        c.event_hooks = {"request": [second], "response": []}
        await c.get(server.url + "/echo")
        assert calls == ["first", "response", "second"]


async def test_event_hooks_dict_is_live(driver, server):
    # As in the httpx docs: ``client.event_hooks["request"] = [...]`` installs hooks.
    calls = []
    first = driver.hook(lambda _: calls.append("first"))
    second = driver.hook(lambda _: calls.append("second"))
    async with driver.client() as c:
        c.event_hooks["request"] = [first]
        await c.get(server.url + "/echo")
        assert calls == ["first"]
        # The lists are live too: appending to them adds a hook.
        c.event_hooks["request"].append(second)
        await c.get(server.url + "/echo")
        assert calls == ["first", "first", "second"]


async def test_request_hook_exception_stops_the_request(driver, server):
    class Blocked(Exception):
        pass

    responses = []

    def block(request):
        raise Blocked(request.url.path)

    hooks = {
        "request": [driver.hook(block)],
        "response": [driver.hook(responses.append)],
    }
    async with driver.client(event_hooks=hooks) as c:
        with pytest.raises(Blocked, match="/echo"):
            await c.get(server.url + "/echo")
    assert responses == []
