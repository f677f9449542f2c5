"""`httprs.WSGITransport` with `httprs.Client`, as in httpx 0.28.1: requests go to a WSGI app
in this process (the Flask apps and the raw WSGI callables in tests/support/apps/flask_apps.py).

Nothing here opens a socket. What the ASGI transport does alike (the Flask and FastAPI apps
serve the same endpoints) is tested once for both in test_asgi_and_wsgi.py; this file has what
is particular to WSGI: the environ, the iterable protocol, app exceptions, ``wsgi.errors``.
"""

from __future__ import annotations

import io
import sys

import httprs
import pytest

from tests.support.apps.flask_apps import (
    HEAD_BODY,
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


def test_head_with_raw_app_keeps_the_headers():
    with wsgi_client(head_body_app) as c:
        response = c.head("/")
    assert response.status_code == 200
    assert response.headers["content-length"] == str(len(HEAD_BODY))


# --- redirects -------------------------------------------------------------------------------


def test_307_keeps_method_and_body(client):
    response = client.post("/redirect-307", content=b"payload", follow_redirects=True)
    echo = response.json()
    assert echo["method"] == "POST"
    assert echo["body"] == "payload"
    assert [r.status_code for r in response.history] == [307]


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
