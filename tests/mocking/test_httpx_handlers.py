"""`httprs.MockTransport` with handlers written for httpx: a handler that returns an
`httpx.Response` (converted: status, headers, body or stream, extensions), respx's
`router.handler` / `router.async_handler`, and the messages when a handler cannot work.

Each test runs on ``sync``, ``async-asyncio`` and ``async-trio`` (tests/drivers.py).
"""

import httprs
import httpx
import pytest
import respx

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401

pytestmark = pytest.mark.anyio


async def test_a_handler_returning_an_httpx_response(driver):
    def handler(request):
        assert isinstance(request, httprs.Request)
        return httpx.Response(
            201,
            json={"path": request.url.path},
            headers={"X-Id": "7"},
            extensions={"http_version": b"HTTP/2", "reason_phrase": b"Made"},
        )

    async with driver.client(transport=httprs.MockTransport(handler)) as c:
        response = await c.post("http://mock.test/items")
    assert isinstance(response, httprs.Response)
    assert (response.status_code, response.reason_phrase) == (201, "Made")
    assert response.http_version == "HTTP/2"
    assert response.json() == {"path": "/items"}
    assert response.headers.raw == [
        (b"X-Id", b"7"),
        (b"Content-Length", b"17"),
        (b"Content-Type", b"application/json"),
    ]
    assert response.request.url == "http://mock.test/items"


async def test_an_httpx_streamed_response_streams(driver):
    def sync_chunks():
        yield b"one,"
        yield b"two"

    async def async_chunks():
        yield b"one,"
        yield b"two"

    def handler(request):
        content = async_chunks() if driver.is_async else sync_chunks()
        return httpx.Response(200, content=content)

    async with driver.client(transport=httprs.MockTransport(handler)) as c:
        async with c.stream("GET", "http://mock.test/") as response:
            assert response.headers["transfer-encoding"] == "chunked"
            assert await c.iter_bytes(response) == [b"one,", b"two"]
        assert (await c.get("http://mock.test/")).content == b"one,two"


async def test_an_httpx_stream_of_the_other_kind_is_refused_as_httpx_does(driver):
    async def async_chunks():
        yield b"x"

    def sync_chunks():
        yield b"x"

    def handler(request):
        return httpx.Response(200, content=sync_chunks() if driver.is_async else async_chunks())

    async with driver.client(transport=httprs.MockTransport(handler)) as c:
        kind = "an async iterator on a sync" if driver.is_async else "a sync iterator on an async"
        with pytest.raises(RuntimeError, match=f"Attempted to call {kind} stream"):
            await c.get("http://mock.test/")


async def test_respx_router_as_the_handler(driver):
    router = respx.Router(assert_all_called=False)
    router.get("http://api.test/users", params={"page": "2"}).respond(200, json=[1, 2])
    router.post("http://api.test/users").mock(return_value=httpx.Response(201, text="made"))
    handler = router.async_handler if driver.is_async else router.handler
    async with driver.client(transport=httprs.MockTransport(handler)) as c:
        listed = await c.get("http://api.test/users?page=2")
        made = await c.post("http://api.test/users", json={"name": "x"})
        with pytest.raises(respx.models.AllMockedAssertionError):
            await c.get("http://api.test/other")
    assert listed.json() == [1, 2]
    assert (made.status_code, made.text) == (201, "made")
    assert router.calls.call_count == 2  # respx records the calls it answered


async def test_a_handler_returning_something_else_is_a_type_error(driver):
    async with driver.client(transport=httprs.MockTransport(lambda request: {"no": 1})) as c:
        with pytest.raises(TypeError) as raised:
            await c.get("http://mock.test/")
    assert str(raised.value) == (
        "MockTransport's handler must return an httprs.Response (or an httpx.Response, "
        "which is converted), got dict"
    )


def test_an_async_handler_with_the_sync_client_says_so():
    router = respx.Router()
    router.get("http://api.test/").respond(200)
    with httprs.Client(transport=httprs.MockTransport(router.async_handler)) as c:
        with pytest.raises(TypeError) as raised:
            c.get("http://api.test/")
    assert str(raised.value) == (
        "Cannot use an async handler in a sync Client: MockTransport's handler returned an "
        "awaitable (coroutine); use httprs.AsyncClient, or a plain function that returns a "
        "Response"
    )


async def test_the_fixture_converts_httpx_responses_from_callbacks(driver, httprs_mock):
    httprs_mock.add_callback(lambda request: httpx.Response(204, headers={"X-From": "httpx"}))
    async with driver.client() as c:
        response = await c.delete("https://api.test/item")
    assert (response.status_code, response.headers["x-from"]) == (204, "httpx")
