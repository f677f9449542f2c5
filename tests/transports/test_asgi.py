"""`httprs.ASGITransport` with `httprs.AsyncClient`, as in httpx 0.28.1: requests go to an ASGI
app in this process (FastAPI's ``app`` and the plain ``raw_app`` in
tests/support/apps/fastapi_apps.py).

Every test is an ``anyio`` test, run on asyncio and on trio (conftest.py). Nothing here opens
a socket. What the WSGI transport does alike (the FastAPI and Flask apps serve the same
endpoints) is tested once for both in test_asgi_and_wsgi.py; this file has what is particular
to ASGI: the scope, app exceptions, raw ASGI apps, FastAPI's own features.
"""

from __future__ import annotations

import httprs
import pytest

from tests.support.apps.fastapi_apps import HEAD_BODY, AppError, app, raw_app

pytestmark = pytest.mark.anyio

BASE = "http://testserver"


@pytest.fixture
async def client():
    async with httprs.AsyncClient(transport=httprs.ASGITransport(app=app), base_url=BASE) as c:
        yield c


@pytest.fixture
async def raw_client():
    async with httprs.AsyncClient(transport=httprs.ASGITransport(app=raw_app), base_url=BASE) as c:
        yield c


def header_values(echo: dict, name: str) -> list[str]:
    return [v for k, v in echo["headers"] if k == name]


# --- as a FastAPI user writes it -------------------------------------------------------------


async def test_fastapi_user_style_test(anyio_backend):
    from httprs import ASGITransport, AsyncClient

    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as ac:
        response = await ac.get("/")
    assert response.status_code == 200
    assert response.json() == {"message": "Hello World"}


async def test_constructor_arguments_and_defaults(anyio_backend):
    transport = httprs.ASGITransport(app)
    assert transport.app is app
    assert transport.raise_app_exceptions is True
    assert transport.root_path == ""
    assert transport.client == ("127.0.0.1", 123)

    transport = httprs.ASGITransport(raw_app, False, "/root", ("10.0.0.1", 4000))
    assert transport.app is raw_app
    assert transport.raise_app_exceptions is False
    assert transport.root_path == "/root"
    assert transport.client == ("10.0.0.1", 4000)
    assert isinstance(transport, httprs.AsyncBaseTransport)


# --- request round trips ---------------------------------------------------------------------


async def test_fastapi_file_and_form_parameters(client):
    response = await client.post(
        "/upload",
        data={"name": "report"},
        files={"file": ("report.csv", b"a,b\n1,2\n", "text/csv")},
    )
    assert response.status_code == 200
    assert response.json() == {
        "name": "report",
        "filename": "report.csv",
        "content_type": "text/csv",
        "content": "a,b\n1,2\n",
    }

    response = await client.post("/upload", data={"name": "no file"})
    assert response.status_code == 422


async def test_request_headers_reach_the_app_lowercased(anyio_backend):
    async with httprs.AsyncClient(
        transport=httprs.ASGITransport(app=app),
        base_url=BASE,
        headers={"X-Client-Header": "client"},
    ) as c:
        response = await c.get(
            "/headers", headers={"X-Request-Header": "Mixed Case Value", "X-Multi": "1"}
        )
    echo = response.json()
    names = [k for k, _ in echo["headers"]]
    assert names == [k.lower() for k in names]
    assert header_values(echo, "host") == ["testserver"]
    assert header_values(echo, "x-client-header") == ["client"]
    assert header_values(echo, "x-request-header") == ["Mixed Case Value"]
    assert header_values(echo, "accept") == ["*/*"]
    assert len(header_values(echo, "user-agent")) == 1
    assert echo["method"] == "GET"
    assert echo["http_version"] == "1.1"
    assert echo["scheme"] == "http"


async def test_streaming_request_body(client):
    async def body():
        yield b"part one, "
        yield b"part two"

    response = await client.post("/headers", content=body())
    echo = response.json()
    assert echo["body"] == "part one, part two"
    assert header_values(echo, "transfer-encoding") == ["chunked"]
    assert header_values(echo, "content-length") == []


async def test_large_request_body(raw_client):
    payload = bytes(range(256)) * 4096  # 1 MiB
    response = await raw_client.post("/body-messages", content=payload)
    assert response.json()["body"].encode("latin-1") == payload


# --- the ASGI scope --------------------------------------------------------------------------


async def test_scope(raw_client):
    response = await raw_client.get("/scope/x", params={"a": "1", "b": "two words"})
    scope = response.json()
    assert scope["type"] == "http"
    assert scope["asgi"]["version"] == "3.0"
    assert scope["http_version"] == "1.1"
    assert scope["method"] == "GET"
    assert scope["scheme"] == "http"
    assert scope["path"] == "/scope/x"
    assert scope["raw_path"] == "/scope/x"
    assert scope["query_string"] == "a=1&b=two+words"
    assert scope["root_path"] == ""
    assert scope["client"] == ["127.0.0.1", 123]
    # httpx gives the URL's port, None when the URL has none.
    assert scope["server"] == ["testserver", None]
    assert scope["headers"][0] == ["host", "testserver"]
    assert scope["body"] == ""
    types = scope["types"]
    assert types["raw_path"] == "bytes"
    assert types["query_string"] == "bytes"
    assert types["path"] == "str"
    assert types["root_path"] == "str"
    assert scope["header_types"] == ["bytes,bytes"]


async def test_scope_server_port_and_scheme(anyio_backend):
    transport = httprs.ASGITransport(app=raw_app)
    async with httprs.AsyncClient(transport=transport) as c:
        explicit = (await c.get("http://example.org:8000/scope")).json()
        https = (await c.get("https://example.org/scope")).json()
        https_port = (await c.get("https://example.org:8443/scope")).json()
    assert explicit["server"] == ["example.org", 8000]
    assert explicit["scheme"] == "http"
    assert explicit["headers"][0] == ["host", "example.org:8000"]
    assert https["server"] == ["example.org", None]
    assert https["scheme"] == "https"
    assert https_port["server"] == ["example.org", 8443]


async def test_scope_path_is_decoded_and_raw_path_is_not(raw_client):
    response = await raw_client.get("/scope/caf%C3%A9/a%20b?x=%2F")
    scope = response.json()
    assert scope["path"] == "/scope/café/a b"
    assert scope["raw_path"].encode("latin-1") == b"/scope/caf%C3%A9/a%20b"
    assert scope["query_string"] == "x=%2F"


async def test_root_path_and_client_in_the_scope(anyio_backend):
    transport = httprs.ASGITransport(app=raw_app, root_path="/api", client=("1.2.3.4", 5678))
    async with httprs.AsyncClient(transport=transport, base_url=BASE) as c:
        scope = (await c.get("/api/scope")).json()
    assert scope["root_path"] == "/api"
    # The path is the full URL path: root_path is not stripped from it.
    assert scope["path"] == "/api/scope"
    assert scope["client"] == ["1.2.3.4", 5678]


async def test_root_path_with_fastapi(anyio_backend):
    transport = httprs.ASGITransport(app=app, root_path="/api", client=("10.1.2.3", 9999))
    async with httprs.AsyncClient(transport=transport, base_url=BASE) as c:
        response = await c.get("/api/headers")
    assert response.status_code == 200
    echo = response.json()
    assert echo["root_path"] == "/api"
    assert echo["path"] == "/api/headers"
    assert echo["url"] == "http://testserver/api/headers"
    assert echo["client"] == ["10.1.2.3", 9999]
    assert echo["server"] == ["testserver", None]


async def test_request_body_is_delivered_in_http_request_messages(raw_client):
    response = await raw_client.post("/body-messages", content=b"abc")
    data = response.json()
    assert data["body"] == "abc"
    assert data["messages"] >= 1

    response = await raw_client.get("/body-messages")
    assert response.json()["body"] == ""


# --- responses -------------------------------------------------------------------------------


async def test_body_sent_in_several_messages_is_joined(raw_client):
    response = await raw_client.get("/chunks")
    assert response.content == b"one,two,three"
    async with raw_client.stream("GET", "/chunks") as response:
        raw = [chunk async for chunk in response.aiter_raw()]
    assert b"".join(raw) == b"one,two,three"


async def test_response_headers_keep_order_repeats_and_raw_casing(raw_client):
    response = await raw_client.get("/raw-headers")
    assert response.headers["x-mixed-case"] == "Value"
    assert response.headers["X-MIXED-CASE"] == "Value"
    assert response.headers.get_list("x-repeated") == ["one", "two"]
    assert response.headers.raw == [
        (b"X-Mixed-Case", b"Value"),
        (b"x-repeated", b"one"),
        (b"x-repeated", b"two"),
        (b"content-type", b"text/plain"),
    ]
    assert response.text == "ok"


async def test_head_drops_the_body_the_app_sends(raw_client):
    response = await raw_client.head("/head-body")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-length"] == str(len(HEAD_BODY))

    response = await raw_client.get("/head-body")
    assert response.content == HEAD_BODY


# --- app exceptions --------------------------------------------------------------------------


async def test_app_exception_propagates_by_default(client):
    with pytest.raises(AppError, match="boom"):
        await client.get("/error")


async def test_http_exception_is_a_response_not_an_error(client):
    response = await client.get("/http-error")
    assert response.status_code == 418
    assert response.json() == {"detail": "I'm a teapot"}
    # An unknown path too: FastAPI's 404 is JSON.
    response = await client.get("/does-not-exist")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


async def test_app_exception_gives_a_500_when_not_raised(anyio_backend):
    transport = httprs.ASGITransport(app=app, raise_app_exceptions=False)
    async with httprs.AsyncClient(transport=transport, base_url=BASE) as c:
        response = await c.get("/error")
        # Starlette's ServerErrorMiddleware sends its 500 page, then re-raises.
        assert response.status_code == 500
        assert response.text == "Internal Server Error"
        # The client is still usable.
        assert (await c.get("/")).json() == {"message": "Hello World"}


@pytest.mark.parametrize(
    ("path", "message", "status", "headers", "content"),
    [
        # Nothing was sent: a bare 500, no headers, no body.
        ("/error-before-start", "before start", 500, [], b""),
        # What was sent before the exception is kept.
        ("/error-after-start", "after start", 202, [("x-partial", "yes")], b"partial"),
        ("/error-after-body", "after body", 200, [], b"complete"),
    ],
    ids=["before-start", "after-start", "after-body"],
)
async def test_raw_app_exception(anyio_backend, path, message, status, headers, content):
    async with httprs.AsyncClient(transport=httprs.ASGITransport(app=raw_app), base_url=BASE) as c:
        with pytest.raises(AppError, match=message):
            await c.get(path)

    transport = httprs.ASGITransport(app=raw_app, raise_app_exceptions=False)
    async with httprs.AsyncClient(transport=transport, base_url=BASE) as c:
        response = await c.get(path)
    assert response.status_code == status
    assert list(response.headers.items()) == headers
    assert response.content == content


# --- client features through the transport --------------------------------------------------


async def test_two_apps_mounted_side_by_side(anyio_backend):
    async with httprs.AsyncClient(
        mounts={
            "http://fastapi.test": httprs.ASGITransport(app=app),
            "http://raw.test": httprs.ASGITransport(app=raw_app, client=("9.9.9.9", 1)),
        },
    ) as c:
        fastapi_response = await c.get("http://fastapi.test/")
        raw_response = await c.get("http://raw.test/scope")
    assert fastapi_response.json() == {"message": "Hello World"}
    assert raw_response.json()["client"] == ["9.9.9.9", 1]
    assert raw_response.json()["server"] == ["raw.test", None]
