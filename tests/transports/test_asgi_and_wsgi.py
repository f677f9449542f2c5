"""What `httprs.WSGITransport` and `httprs.ASGITransport` have in common, as in httpx 0.28.1:
a client that sends its requests to a web app in this process.

The Flask ``app`` of tests/support/apps/flask_apps.py and the FastAPI ``app`` of
tests/support/apps/fastapi_apps.py serve the same endpoints, so each scenario is written once
and runs on ``sync`` (``httprs.Client`` + ``WSGITransport`` + Flask), ``async-asyncio`` and
``async-trio`` (``httprs.AsyncClient`` + ``ASGITransport`` + FastAPI): see
tests/drivers.py. What the frameworks do differently is in :class:`AppKind`; what is
particular to one transport (the WSGI environ, the ASGI scope, app exceptions, raw apps) is
in test_wsgi.py and test_asgi.py. Nothing here opens a socket: other hosts are answered by a
``MockTransport``.
"""

from __future__ import annotations

import dataclasses
import datetime

import httprs
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.apps import fastapi_apps, flask_apps

pytestmark = pytest.mark.anyio

BASE = "http://testserver"
# (The same in both apps.)
STREAM_BODY = b"".join(flask_apps.STREAM_CHUNKS)
HEAD_BODY = flask_apps.HEAD_BODY


@dataclasses.dataclass(frozen=True)
class AppKind:
    """The app a client kind calls in process, and where the two frameworks differ."""

    app: object
    transport_class: type
    #: The status of ``GET /redirect`` (FastAPI's ``RedirectResponse`` defaults to 307).
    redirect_status: int
    #: ``GET /items/not-an-int``: FastAPI rejects the parameter (422), Flask's ``<int:...>``
    #: route does not match (404).
    bad_item_id_status: int

    def transport(self, **kwargs):
        return self.transport_class(app=self.app, **kwargs)


FLASK = AppKind(flask_apps.app, httprs.WSGITransport, redirect_status=302, bad_item_id_status=404)
FASTAPI = AppKind(
    fastapi_apps.app, httprs.ASGITransport, redirect_status=307, bad_item_id_status=422
)


@pytest.fixture
def kind(driver) -> AppKind:
    return FASTAPI if driver.is_async else FLASK


@pytest.fixture
def app_client(driver, kind):
    """``app_client(**kwargs)``: a client of the driver's kind for the app of that kind."""

    def make(**kwargs):
        return driver.client(transport=kind.transport(), base_url=BASE, **kwargs)

    return make


def header_values(echo: dict, name: str) -> list[str]:
    return [v for k, v in echo["headers"] if k.lower() == name]


# --- request round trips ---------------------------------------------------------------------


async def test_path_params(app_client, kind):
    async with app_client() as c:
        response = await c.get("/items/42", params={"q": "foo"})
        assert response.status_code == 200
        assert response.json() == {"item_id": 42, "q": "foo"}
        assert response.headers["content-type"] == "application/json"

        response = await c.get("/items/not-an-int")
        assert response.status_code == kind.bad_item_id_status


async def test_query_params(app_client):
    async with app_client() as c:
        params = {"a": "x y", "b": ["1", "2"], "c": "ä&="}
        response = await c.get("/query?first=1", params=params)
        assert response.status_code == 200
        # httpx: params= replaces a query already in the URL.
        assert response.json()["items"] == [["a", "x y"], ["b", "1"], ["b", "2"], ["c", "ä&="]]

        response = await c.get("/query?first=1&first=2&e=")
        assert response.json()["items"] == [["first", "1"], ["first", "2"], ["e", ""]]


async def test_json_body_echo(app_client):
    doc = {"name": "widget", "tags": ["a", "b"], "price": 1.5, "nested": {"ok": True}, "u": "é✓"}
    async with app_client() as c:
        response = await c.post("/json", json=doc)
    assert response.status_code == 200
    assert response.json() == {"received": doc}


async def test_urlencoded_form(app_client):
    async with app_client() as c:
        response = await c.post("/form", data={"a": "1", "b": ["x", "y"], "c": "s p&ce"})
    assert response.status_code == 200
    assert response.json() == {
        "fields": [["a", "1"], ["b", "x"], ["b", "y"], ["c", "s p&ce"]],
        "files": [],
    }


async def test_multipart_form_with_files(app_client):
    async with app_client() as c:
        response = await c.post(
            "/form",
            data={"field": "value"},
            files=[
                ("file", ("hello.txt", b"hello world", "text/plain")),
                ("file", ("data.bin", bytes(range(256)), "application/octet-stream")),
            ],
        )
    assert response.status_code == 200
    body = response.json()
    assert body["fields"] == [["field", "value"]]
    assert body["files"] == [
        {
            "field": "file",
            "filename": "hello.txt",
            "content_type": "text/plain",
            "content": "hello world",
        },
        {
            "field": "file",
            "filename": "data.bin",
            "content_type": "application/octet-stream",
            "content": bytes(range(256)).decode("latin-1"),
        },
    ]


async def test_request_body_and_content_headers(app_client):
    async with app_client() as c:
        response = await c.put("/headers", content=b"raw body", headers={"Content-Type": "x/y"})
    echo = response.json()
    assert echo["method"] == "PUT"
    assert echo["body"] == "raw body"
    assert header_values(echo, "content-length") == ["8"]
    assert header_values(echo, "content-type") == ["x/y"]


# --- responses -------------------------------------------------------------------------------


async def test_response_attributes(app_client):
    async with app_client() as c:
        response = await c.get("/items/7")
    assert response.status_code == 200
    assert response.reason_phrase == "OK"
    assert response.http_version == "HTTP/1.1"
    assert response.url == "http://testserver/items/7"
    assert response.request.url == "http://testserver/items/7"
    assert response.request.method == "GET"
    assert response.is_closed
    assert response.elapsed >= datetime.timedelta(0)


async def test_streamed_response_read_fully(app_client):
    async with app_client() as c:
        response = await c.get("/stream")
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/plain; charset=utf-8"
        assert response.content == STREAM_BODY
        assert response.text == STREAM_BODY.decode()

        async with c.stream("GET", "/stream") as response:
            assert "".join(await c.iter_text(response)) == STREAM_BODY.decode()


async def test_streamed_response_iter_bytes(app_client):
    async with app_client() as c:
        async with c.stream("GET", "/stream") as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/plain")
            # The response headers are the app's: no Content-Length is made up for the body.
            assert "content-length" not in response.headers
            chunks = await c.iter_bytes(response)
        assert b"".join(chunks) == STREAM_BODY
        assert all(chunks)
        assert response.is_closed

        async with c.stream("GET", "/stream") as response:
            sized = await c.iter_bytes(response, 5)
    assert b"".join(sized) == STREAM_BODY
    assert all(len(chunk) == 5 for chunk in sized[:-1])


async def test_head(app_client):
    async with app_client() as c:
        response = await c.head("/head")
        assert response.status_code == 200
        assert response.content == b""
        assert response.headers["x-head-test"] == "yes"
        assert response.headers["content-length"] == str(len(HEAD_BODY))

        assert (await c.get("/head")).content == HEAD_BODY


async def test_204_no_content(app_client):
    async with app_client() as c:
        response = await c.delete("/items/3")
    assert response.status_code == 204
    assert response.content == b""
    assert response.text == ""


async def test_404_from_the_app(app_client):
    async with app_client() as c:
        response = await c.get("/does-not-exist")
    assert response.status_code == 404
    with pytest.raises(httprs.HTTPStatusError):
        response.raise_for_status()


# --- cookies ---------------------------------------------------------------------------------


async def test_cookies_set_by_the_app_are_sent_back(app_client):
    async with app_client() as c:
        response = await c.get("/cookies/set", params={"session": "abc123", "theme": "dark"})
        assert response.status_code == 200
        assert response.cookies["session"] == "abc123"
        assert c.cookies["session"] == "abc123"
        assert c.cookies["theme"] == "dark"

        response = await c.get("/cookies")
        assert response.json() == {"cookies": {"session": "abc123", "theme": "dark"}}


async def test_client_cookies_are_sent(app_client):
    async with app_client(cookies={"preset": "yes"}) as c:
        assert (await c.get("/cookies")).json() == {"cookies": {"preset": "yes"}}
        c.cookies.clear()
        assert (await c.get("/cookies")).json() == {"cookies": {}}


# --- redirects -------------------------------------------------------------------------------


async def test_redirect_followed_inside_the_app(app_client, kind):
    async with app_client() as c:
        response = await c.get("/redirect", follow_redirects=True)
    assert response.status_code == 200
    assert response.json() == {"item_id": 1, "q": "redirected"}
    assert response.url == "http://testserver/items/1?q=redirected"
    assert [r.status_code for r in response.history] == [kind.redirect_status]
    assert response.history[0].url == "http://testserver/redirect"
    assert response.history[0].headers["location"] == "/items/1?q=redirected"


async def test_redirect_not_followed_by_default(app_client, kind):
    async with app_client() as c:
        response = await c.get("/redirect")
        assert response.status_code == kind.redirect_status
        assert response.is_redirect
        assert response.headers["location"] == "/items/1?q=redirected"
        assert response.next_request is not None
        assert response.next_request.url == "http://testserver/items/1?q=redirected"

        followed = await c.send(response.next_request)
    assert followed.json() == {"item_id": 1, "q": "redirected"}


async def test_redirect_chain_and_max_redirects(app_client):
    async with app_client() as c:
        response = await c.get("/redirect/3", follow_redirects=True)
    assert response.status_code == 200
    assert response.json()["item_id"] == 3
    assert [r.status_code for r in response.history] == [302, 302, 302]

    async with app_client(follow_redirects=True, max_redirects=2) as c:
        with pytest.raises(httprs.TooManyRedirects):
            await c.get("/redirect/3")


async def test_303_after_post_becomes_get_without_body(app_client):
    async with app_client() as c:
        response = await c.post("/redirect-303", content=b"payload", follow_redirects=True)
    assert response.status_code == 200
    echo = response.json()
    assert echo["method"] == "GET"
    assert echo["body"] == ""
    assert header_values(echo, "content-length") == []
    assert [r.status_code for r in response.history] == [303]


# --- client features through the transport --------------------------------------------------


async def test_event_hooks(driver, app_client):
    seen = []

    def on_request(request):
        request.headers["x-from-hook"] = "added"
        seen.append(("request", request.method, str(request.url)))

    def on_response(response):
        seen.append(("response", response.status_code, response.json()["method"]))

    hooks = {
        "request": [driver.hook(on_request)],
        "response": [driver.hook(on_response, read=True)],
    }
    async with app_client(event_hooks=hooks) as c:
        response = await c.get("/headers")
    assert header_values(response.json(), "x-from-hook") == ["added"]
    assert seen == [
        ("request", "GET", "http://testserver/headers"),
        ("response", 200, "GET"),
    ]


async def test_event_hooks_see_each_redirect(driver, app_client, kind):
    urls = []

    def on_response(response):
        urls.append((response.status_code, str(response.url)))

    async with app_client(event_hooks={"response": [driver.hook(on_response)]}) as c:
        await c.get("/redirect", follow_redirects=True)
    assert urls == [
        (kind.redirect_status, "http://testserver/redirect"),
        (200, "http://testserver/items/1?q=redirected"),
    ]


async def test_basic_auth_header(app_client):
    async with app_client(auth=("user", "pa ss")) as c:
        echo = (await c.get("/headers")).json()
        assert header_values(echo, "authorization") == ["Basic dXNlcjpwYSBzcw=="]
        echo = (await c.get("/headers", auth=httprs.BasicAuth("other", "x"))).json()
        assert header_values(echo, "authorization") == ["Basic b3RoZXI6eA=="]


async def test_custom_auth_flow(app_client):
    class TokenAuth(httprs.Auth):
        def auth_flow(self, request):
            request.headers["Authorization"] = "Bearer token-123"
            yield request

    async with app_client() as c:
        echo = (await c.get("/headers", auth=TokenAuth())).json()
    assert header_values(echo, "authorization") == ["Bearer token-123"]


async def test_mounts_route_the_host_to_the_app(driver, kind):
    def fallback(request):
        return httprs.Response(299, json={"fallback": str(request.url)})

    async with driver.client(
        transport=httprs.MockTransport(fallback),
        mounts={"http://testserver": kind.transport()},
    ) as c:
        mounted = await c.get("http://testserver/items/5")
        other_scheme = await c.get("https://testserver/items/5")
        other_host = await c.get("http://elsewhere.test/items/5")
    assert mounted.status_code == 200
    assert mounted.json() == {"item_id": 5, "q": None}
    assert other_scheme.status_code == 299
    assert other_scheme.json() == {"fallback": "https://testserver/items/5"}
    assert other_host.status_code == 299
    assert other_host.json() == {"fallback": "http://elsewhere.test/items/5"}


async def test_many_requests_on_one_client(app_client):
    async with app_client() as c:
        for i in range(20):
            assert (await c.get(f"/items/{i}")).json()["item_id"] == i


async def test_build_request_and_send(app_client):
    async with app_client() as c:
        request = c.build_request("POST", "/json", json={"k": [1, 2]})
        response = await c.send(request)
    assert response.json() == {"received": {"k": [1, 2]}}
    assert response.request is request
