"""`httprs.WSGITransport` with `httprs.Client`, as in httpx 0.28.1: requests go to a WSGI app
in this process (the Flask apps and the raw WSGI callables in tests/support/apps/flask_apps.py).

Nothing here opens a socket: other hosts are answered by a ``MockTransport``.
"""

from __future__ import annotations

import datetime
import io
import sys

import httprs
import pytest

from tests.support.apps.flask_apps import (
    HEAD_BODY,
    STREAM_CHUNKS,
    AppError,
    ClosingApp,
    app,
    environ_app,
    errors_app,
    exc_info_app,
    head_body_app,
    lazy_start_app,
    propagating_app,
    raising_app,
)

BASE = "http://testserver"


@pytest.fixture
def client():
    with httprs.Client(transport=httprs.WSGITransport(app=app), base_url=BASE) as c:
        yield c


def wsgi_client(wsgi_app, base_url=BASE, **kwargs) -> httprs.Client:
    return httprs.Client(transport=httprs.WSGITransport(app=wsgi_app, **kwargs), base_url=base_url)


def header_values(echo: dict, name: str) -> list[str]:
    return [v for k, v in echo["headers"] if k.lower() == name.lower()]


# --- as a Flask user writes it ---------------------------------------------------------------


def test_flask_user_style_test():
    from httprs import Client, WSGITransport

    with Client(transport=WSGITransport(app=app), base_url="http://test") as client:
        response = client.get("/")
    assert response.status_code == 200
    assert response.json() == {"message": "Hello World"}


def test_constructor_arguments_and_defaults():
    transport = httprs.WSGITransport(app)
    assert transport.app is app
    assert transport.raise_app_exceptions is True
    assert transport.script_name == ""
    assert transport.remote_addr == "127.0.0.1"
    assert transport.wsgi_errors is None

    errors = io.StringIO()
    transport = httprs.WSGITransport(environ_app, False, "/mount", "10.0.0.1", errors)
    assert transport.app is environ_app
    assert transport.raise_app_exceptions is False
    assert transport.script_name == "/mount"
    assert transport.remote_addr == "10.0.0.1"
    assert transport.wsgi_errors is errors
    assert isinstance(transport, httprs.BaseTransport)


# --- request round trips ---------------------------------------------------------------------


def test_path_params(client):
    response = client.get("/items/42", params={"q": "foo"})
    assert response.status_code == 200
    assert response.json() == {"item_id": 42, "q": "foo"}
    assert response.headers["content-type"] == "application/json"

    assert client.get("/items/not-an-int").status_code == 404


def test_query_params(client):
    response = client.get("/query?first=1", params={"a": "x y", "b": ["1", "2"], "c": "ä&="})
    assert response.status_code == 200
    assert response.json()["items"] == [["a", "x y"], ["b", "1"], ["b", "2"], ["c", "ä&="]]

    response = client.get("/query?first=1&first=2&e=")
    assert response.json()["items"] == [["first", "1"], ["first", "2"], ["e", ""]]


def test_json_body_echo(client):
    doc = {"name": "widget", "tags": ["a", "b"], "price": 1.5, "nested": {"ok": True}, "u": "é✓"}
    response = client.post("/json", json=doc)
    assert response.status_code == 200
    assert response.json() == {"received": doc}


def test_urlencoded_form(client):
    response = client.post("/form", data={"a": "1", "b": ["x", "y"], "c": "s p&ce"})
    assert response.status_code == 200
    assert response.json() == {
        "fields": [["a", "1"], ["b", "x"], ["b", "y"], ["c", "s p&ce"]],
        "files": [],
    }


def test_multipart_form_with_files(client):
    response = client.post(
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


def test_request_headers_reach_the_app():
    with httprs.Client(
        transport=httprs.WSGITransport(app=app),
        base_url=BASE,
        headers={"X-Client-Header": "client"},
    ) as c:
        response = c.get("/headers", headers={"X-Request-Header": "Mixed Case Value"})
    echo = response.json()
    assert header_values(echo, "host") == ["testserver"]
    assert header_values(echo, "x-client-header") == ["client"]
    assert header_values(echo, "x-request-header") == ["Mixed Case Value"]
    assert header_values(echo, "accept") == ["*/*"]
    assert echo["method"] == "GET"
    assert echo["REMOTE_ADDR"] == "127.0.0.1"
    assert echo["SCRIPT_NAME"] == ""
    assert echo["PATH_INFO"] == "/headers"
    assert echo["wsgi.url_scheme"] == "http"
    assert echo["url"] == "http://testserver/headers"


def test_request_body_and_content_headers(client):
    response = client.put("/headers", content=b"raw body", headers={"Content-Type": "x/y"})
    echo = response.json()
    assert echo["method"] == "PUT"
    assert echo["body"] == "raw body"
    assert header_values(echo, "content-length") == ["8"]
    assert header_values(echo, "content-type") == ["x/y"]


# --- the WSGI environ ------------------------------------------------------------------------


def test_environ():
    with wsgi_client(environ_app) as c:
        response = c.post(
            "/path/x",
            params={"a": "1", "b": "two words"},
            content=b"body bytes",
            headers={"Content-Type": "text/plain", "X-Custom-Header": "v"},
        )
    environ = response.json()
    assert environ["wsgi.version"] == [1, 0]
    assert environ["wsgi.url_scheme"] == "http"
    assert environ["wsgi.multithread"] is True
    assert environ["wsgi.multiprocess"] is False
    assert environ["wsgi.run_once"] is False
    assert environ["REQUEST_METHOD"] == "POST"
    assert environ["SCRIPT_NAME"] == ""
    assert environ["PATH_INFO"] == "/path/x"
    assert environ["QUERY_STRING"] == "a=1&b=two+words"
    assert environ["SERVER_NAME"] == "testserver"
    assert environ["SERVER_PORT"] == "80"
    assert environ["SERVER_PROTOCOL"] == "HTTP/1.1"
    assert environ["REMOTE_ADDR"] == "127.0.0.1"
    assert environ["HTTP_HOST"] == "testserver"
    assert environ["HTTP_X_CUSTOM_HEADER"] == "v"
    assert environ["HTTP_ACCEPT"] == "*/*"
    # Content-Type and Content-Length lose the HTTP_ prefix.
    assert environ["CONTENT_TYPE"] == "text/plain"
    assert environ["CONTENT_LENGTH"] == "10"
    assert "HTTP_CONTENT_TYPE" not in environ
    assert "HTTP_CONTENT_LENGTH" not in environ
    assert environ["body"] == "body bytes"


def test_environ_get_without_body():
    with wsgi_client(environ_app) as c:
        environ = c.get("/").json()
    assert environ["REQUEST_METHOD"] == "GET"
    assert environ["PATH_INFO"] == "/"
    assert environ["QUERY_STRING"] == ""
    assert "CONTENT_LENGTH" not in environ
    assert "CONTENT_TYPE" not in environ
    assert environ["body"] == ""


def test_environ_server_port_and_scheme():
    transport = httprs.WSGITransport(app=environ_app)
    with httprs.Client(transport=transport) as c:
        explicit = c.get("http://example.org:8000/").json()
        https = c.get("https://example.org/").json()
        https_port = c.get("https://example.org:8443/").json()
    assert explicit["SERVER_NAME"] == "example.org"
    assert explicit["SERVER_PORT"] == "8000"
    assert explicit["HTTP_HOST"] == "example.org:8000"
    assert explicit["wsgi.url_scheme"] == "http"
    assert https["SERVER_PORT"] == "443"
    assert https["wsgi.url_scheme"] == "https"
    assert https_port["SERVER_PORT"] == "8443"


def test_path_info_is_decoded_once():
    with wsgi_client(environ_app) as c:
        environ = c.get("/a%20b/%2525x?q=%2F").json()
    assert environ["PATH_INFO"] == "/a b/%25x"
    assert environ["QUERY_STRING"] == "q=%2F"


def test_streaming_request_body_is_read_into_wsgi_input():
    def body():
        yield b"part one, "
        yield b"part two"

    with wsgi_client(environ_app) as c:
        environ = c.post("/", content=body()).json()
    assert environ["body"] == "part one, part two"
    assert environ["HTTP_TRANSFER_ENCODING"] == "chunked"
    assert "CONTENT_LENGTH" not in environ


def test_large_request_body():
    payload = bytes(range(256)) * 4096  # 1 MiB
    with wsgi_client(environ_app) as c:
        environ = c.post("/", content=payload).json()
    assert environ["body"].encode("latin-1") == payload
    assert environ["CONTENT_LENGTH"] == str(len(payload))


def test_remote_addr():
    with wsgi_client(environ_app, remote_addr="1.2.3.4") as c:
        assert c.get("/").json()["REMOTE_ADDR"] == "1.2.3.4"
    with wsgi_client(app, remote_addr="10.9.8.7") as c:
        assert c.get("/headers").json()["REMOTE_ADDR"] == "10.9.8.7"


def test_script_name_is_set_and_path_info_is_the_full_path():
    with wsgi_client(environ_app, script_name="/sub") as c:
        environ = c.get("/sub/page").json()
    assert environ["SCRIPT_NAME"] == "/sub"
    # httpx does not strip script_name from the URL path.
    assert environ["PATH_INFO"] == "/sub/page"


def test_script_name_with_flask():
    with wsgi_client(app, base_url="https://testserver", script_name="/sub") as c:
        response = c.get("/headers")
        assert response.status_code == 200
        echo = response.json()
        assert echo["SCRIPT_NAME"] == "/sub"
        assert echo["script_root"] == "/sub"
        assert echo["path"] == "/headers"
        assert echo["url"] == "https://testserver/sub/headers"
        assert echo["wsgi.url_scheme"] == "https"
        assert echo["SERVER_PORT"] == "443"

        # url_for() in the app builds URLs under SCRIPT_NAME.
        response = c.get("/redirect")
        assert response.status_code == 302
        assert response.headers["location"] == "/sub/items/1?q=redirected"


def test_wsgi_errors_stream():
    errors = io.StringIO()
    with wsgi_client(errors_app, wsgi_errors=errors) as c:
        assert c.get("/").text == "ok"
    assert errors.getvalue() == "written to wsgi.errors\n"


def test_wsgi_errors_defaults_to_sys_stderr():
    seen = {}

    def capture(environ, start_response):
        seen["errors"] = environ["wsgi.errors"]
        start_response("200 OK", [])
        return [b""]

    with wsgi_client(capture) as c:
        c.get("/")
    assert seen["errors"] is sys.stderr


def test_flask_logs_app_errors_to_wsgi_errors():
    errors = io.StringIO()
    with wsgi_client(app, wsgi_errors=errors) as c:
        assert c.get("/error").status_code == 500
    assert "Exception on /error [GET]" in errors.getvalue()
    assert "AppError: boom" in errors.getvalue()


# --- responses -------------------------------------------------------------------------------


def test_response_attributes(client):
    response = client.get("/items/7")
    assert response.status_code == 200
    assert response.reason_phrase == "OK"
    assert response.http_version == "HTTP/1.1"
    assert response.url == "http://testserver/items/7"
    assert response.request.url == "http://testserver/items/7"
    assert response.request.method == "GET"
    assert response.is_closed
    assert response.elapsed >= datetime.timedelta(0)


def test_streamed_generator_response_read_fully(client):
    response = client.get("/stream")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.content == b"".join(STREAM_CHUNKS)
    assert response.text == b"".join(STREAM_CHUNKS).decode()


def test_streamed_generator_response_iter_bytes(client):
    with client.stream("GET", "/stream") as response:
        assert response.status_code == 200
        assert "content-length" not in response.headers
        chunks = list(response.iter_bytes())
    assert b"".join(chunks) == b"".join(STREAM_CHUNKS)
    assert all(chunks)
    assert response.is_closed

    with client.stream("GET", "/stream") as response:
        sized = list(response.iter_bytes(chunk_size=5))
    assert b"".join(sized) == b"".join(STREAM_CHUNKS)
    assert all(len(chunk) == 5 for chunk in sized[:-1])


def test_result_close_is_called_after_reading():
    closing = ClosingApp()
    with wsgi_client(closing) as c:
        response = c.get("/")
        assert response.content == b"first;second;third"
        assert closing.closed == 1

        with c.stream("GET", "/") as response:
            assert b"".join(response.iter_bytes()) == b"first;second;third"
        assert closing.closed == 2


def test_result_is_read_lazily_and_closed_when_the_response_is_closed():
    closing = ClosingApp(infinite=True)
    with wsgi_client(closing) as c:
        with c.stream("GET", "/") as response:
            assert response.status_code == 200
            first = next(response.iter_bytes())
            assert first == b"first;"
            assert closing.closed == 0
        assert response.is_closed
        assert closing.closed == 1
        assert closing.produced < 100


def test_start_response_called_on_first_iteration():
    with wsgi_client(lazy_start_app) as c:
        response = c.get("/")
    assert response.status_code == 201
    assert response.headers["x-lazy"] == "yes"
    assert response.content == b"started late"


def test_response_headers_keep_raw_casing(client):
    with wsgi_client(lazy_start_app) as c:
        response = c.get("/")
    assert response.headers.raw == [(b"Content-Type", b"text/plain"), (b"X-Lazy", b"yes")]
    assert response.headers["x-lazy"] == "yes"


def test_head_on_flask(client):
    response = client.head("/head")
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["x-head-test"] == "yes"
    assert response.headers["content-length"] == str(len(HEAD_BODY))

    assert client.get("/head").content == HEAD_BODY


def test_head_with_raw_app_keeps_the_headers():
    with wsgi_client(head_body_app) as c:
        response = c.head("/")
    assert response.status_code == 200
    assert response.headers["content-length"] == str(len(HEAD_BODY))


def test_204_no_content(client):
    response = client.delete("/items/3")
    assert response.status_code == 204
    assert response.content == b""


def test_404_from_the_app(client):
    response = client.get("/does-not-exist")
    assert response.status_code == 404
    with pytest.raises(httprs.HTTPStatusError):
        response.raise_for_status()


# --- cookies ---------------------------------------------------------------------------------


def test_cookies_set_by_the_app_are_sent_back(client):
    response = client.get("/cookies/set", params={"session": "abc123", "theme": "dark"})
    assert response.status_code == 200
    assert response.cookies["session"] == "abc123"
    assert client.cookies["session"] == "abc123"
    assert client.cookies["theme"] == "dark"

    response = client.get("/cookies")
    assert response.json() == {"cookies": {"session": "abc123", "theme": "dark"}}


def test_client_cookies_are_sent():
    with httprs.Client(
        transport=httprs.WSGITransport(app=app), base_url=BASE, cookies={"preset": "yes"}
    ) as c:
        assert c.get("/cookies").json() == {"cookies": {"preset": "yes"}}
        c.cookies.clear()
        assert c.get("/cookies").json() == {"cookies": {}}


# --- redirects -------------------------------------------------------------------------------


def test_redirect_followed_inside_the_app(client):
    response = client.get("/redirect", follow_redirects=True)
    assert response.status_code == 200
    assert response.json() == {"item_id": 1, "q": "redirected"}
    assert response.url == "http://testserver/items/1?q=redirected"
    assert [r.status_code for r in response.history] == [302]
    assert response.history[0].url == "http://testserver/redirect"


def test_redirect_not_followed_by_default(client):
    response = client.get("/redirect")
    assert response.status_code == 302
    assert response.is_redirect
    assert response.next_request.url == "http://testserver/items/1?q=redirected"
    assert client.send(response.next_request).json() == {"item_id": 1, "q": "redirected"}


def test_redirect_chain_and_max_redirects(client):
    response = client.get("/redirect/3", follow_redirects=True)
    assert response.json()["item_id"] == 3
    assert [r.status_code for r in response.history] == [302, 302, 302]

    with httprs.Client(
        transport=httprs.WSGITransport(app=app),
        base_url=BASE,
        follow_redirects=True,
        max_redirects=2,
    ) as c:
        with pytest.raises(httprs.TooManyRedirects):
            c.get("/redirect/3")


def test_307_keeps_method_and_body(client):
    response = client.post("/redirect-307", content=b"payload", follow_redirects=True)
    echo = response.json()
    assert echo["method"] == "POST"
    assert echo["body"] == "payload"
    assert [r.status_code for r in response.history] == [307]


def test_303_after_post_becomes_get_without_body(client):
    response = client.post("/redirect-303", content=b"payload", follow_redirects=True)
    echo = response.json()
    assert echo["method"] == "GET"
    assert echo["body"] == ""
    assert header_values(echo, "content-length") == []


# --- app exceptions --------------------------------------------------------------------------


@pytest.mark.parametrize("raise_app_exceptions", [True, False])
def test_flask_handles_its_own_errors(raise_app_exceptions):
    # Flask (PROPAGATE_EXCEPTIONS off) answers its own 500 page without exc_info.
    with wsgi_client(
        app, raise_app_exceptions=raise_app_exceptions, wsgi_errors=io.StringIO()
    ) as c:
        response = c.get("/error")
    assert response.status_code == 500
    assert "Internal Server Error" in response.text


@pytest.mark.parametrize("raise_app_exceptions", [True, False])
def test_exception_raised_out_of_the_app_always_propagates(raise_app_exceptions):
    with wsgi_client(propagating_app, raise_app_exceptions=raise_app_exceptions) as c:
        with pytest.raises(AppError, match="boom"):
            c.get("/error")
    with wsgi_client(raising_app, raise_app_exceptions=raise_app_exceptions) as c:
        with pytest.raises(AppError, match="raised out of the WSGI call"):
            c.get("/")


def test_exc_info_passed_to_start_response_is_raised():
    with wsgi_client(exc_info_app) as c:
        with pytest.raises(AppError, match="handled by the app"):
            c.get("/")


def test_exc_info_response_returned_when_not_raising():
    with wsgi_client(exc_info_app, raise_app_exceptions=False) as c:
        response = c.get("/")
        assert response.status_code == 500
        assert response.text == "error page"
        # The client is still usable.
        assert c.get("/").status_code == 500


# --- client features through the transport --------------------------------------------------


def test_event_hooks():
    seen = []

    def on_request(request):
        request.headers["x-from-hook"] = "added"
        seen.append(("request", request.method, str(request.url)))

    def on_response(response):
        response.read()
        seen.append(("response", response.status_code, response.json()["method"]))

    with httprs.Client(
        transport=httprs.WSGITransport(app=app),
        base_url=BASE,
        event_hooks={"request": [on_request], "response": [on_response]},
    ) as c:
        response = c.get("/headers")
    assert header_values(response.json(), "x-from-hook") == ["added"]
    assert seen == [
        ("request", "GET", "http://testserver/headers"),
        ("response", 200, "GET"),
    ]


def test_event_hooks_see_each_redirect():
    urls = []

    def on_response(response):
        urls.append((response.status_code, str(response.url)))

    with httprs.Client(
        transport=httprs.WSGITransport(app=app),
        base_url=BASE,
        event_hooks={"response": [on_response]},
    ) as c:
        c.get("/redirect", follow_redirects=True)
    assert urls == [
        (302, "http://testserver/redirect"),
        (200, "http://testserver/items/1?q=redirected"),
    ]


def test_basic_auth_header():
    with httprs.Client(
        transport=httprs.WSGITransport(app=app), base_url=BASE, auth=("user", "pa ss")
    ) as c:
        echo = c.get("/headers").json()
        assert header_values(echo, "authorization") == ["Basic dXNlcjpwYSBzcw=="]
        echo = c.get("/headers", auth=httprs.BasicAuth("other", "x")).json()
        assert header_values(echo, "authorization") == ["Basic b3RoZXI6eA=="]


def test_custom_auth_flow(client):
    class TokenAuth(httprs.Auth):
        def auth_flow(self, request):
            request.headers["Authorization"] = "Bearer token-123"
            yield request

    echo = client.get("/headers", auth=TokenAuth()).json()
    assert header_values(echo, "authorization") == ["Bearer token-123"]


def test_mounts_route_the_host_to_the_app():
    def fallback(request):
        return httprs.Response(299, json={"fallback": str(request.url)})

    with httprs.Client(
        transport=httprs.MockTransport(fallback),
        mounts={"http://testserver": httprs.WSGITransport(app=app)},
    ) as c:
        mounted = c.get("http://testserver/items/5")
        other_scheme = c.get("https://testserver/items/5")
        other_host = c.get("http://elsewhere.test/items/5")
    assert mounted.status_code == 200
    assert mounted.json() == {"item_id": 5, "q": None}
    assert other_scheme.status_code == 299
    assert other_scheme.json() == {"fallback": "https://testserver/items/5"}
    assert other_host.status_code == 299
    assert other_host.json() == {"fallback": "http://elsewhere.test/items/5"}


def test_two_apps_mounted_side_by_side():
    with httprs.Client(
        mounts={
            "http://flask.test": httprs.WSGITransport(app=app),
            "http://raw.test": httprs.WSGITransport(app=environ_app, remote_addr="9.9.9.9"),
        },
    ) as c:
        flask_response = c.get("http://flask.test/")
        raw_response = c.get("http://raw.test/")
    assert flask_response.json() == {"message": "Hello World"}
    assert raw_response.json()["REMOTE_ADDR"] == "9.9.9.9"
    assert raw_response.json()["SERVER_NAME"] == "raw.test"


def test_many_requests_on_one_client(client):
    for i in range(20):
        assert client.get(f"/items/{i}").json()["item_id"] == i


def test_build_request_and_send(client):
    request = client.build_request("POST", "/json", json={"k": [1, 2]})
    response = client.send(request)
    assert response.json() == {"received": {"k": [1, 2]}}
    assert response.request is request
