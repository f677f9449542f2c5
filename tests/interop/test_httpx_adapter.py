"""httprs's adapter transports under httpx's and httpx2's own clients (``httprs.compat.httpx``,
``httprs.compat.httpx2``): what a user of ``httpx.Client(transport=HTTPTransport())`` sees.

Every scenario runs six times (tests/drivers.py ``adapter_driver``): ``httpx.Client``,
``httpx.AsyncClient`` on asyncio and on trio, and the same for httpx2. Request bodies of each
kind arrive as httpx encoded them; the response head is as received and the body streams
from the socket (httpx decodes it); the timeouts of the request's extensions apply; httprs's
failures are raised as the library's exception classes; HTTP/2, TLS options, proxies and
limits given to the adapter are used.
"""

from __future__ import annotations

import gzip
import importlib
import io
import json
import subprocess
import sys
import time

import anyio
import httprs
import pytest

from tests.conftest import closed_port
from tests.drivers import (  # noqa: F401
    LIBRARIES,
    adapter_driver_fixture,
    anyio_backend_fixture,
    library_fixture,
    variant_fixture,
)
from tests.network.test_async_upload import UploadServer
from tests.network.test_timeouts import DeafServer
from tests.support.apps.main_app import pattern
from tests.support.helpers import echo_body, echo_headers, parse_multipart
from tests.support.servers.proxy import ProxyServer
from tests.support.servers.raw import RawServer
from tests.support.tls_fixtures import (  # noqa: F401
    h2_server_fixture,
    mtls_server_fixture,
    tls_certs_fixture,
    tls_server_fixture,
)

pytestmark = pytest.mark.anyio

# The async variants alone (the parameter overrides the `variant` fixture's own).
ASYNC_ONLY = pytest.mark.parametrize(
    "variant", [("async", "asyncio"), ("async", "trio")], ids=["async-asyncio", "async-trio"]
)


# --- requests and responses -------------------------------------------------------------------


async def test_a_request_and_its_response(adapter_driver, server):
    lib = adapter_driver.lib
    async with adapter_driver.client() as c:
        response = await c.post(server.url + "/echo?a=1", json={"k": "v"}, headers={"X-Case": "A"})
    assert isinstance(response, lib.Response)
    assert response.status_code == 200
    assert response.reason_phrase == "OK"
    assert response.http_version == "HTTP/1.1"
    assert response.headers["content-type"] == "application/json"
    echo = response.json()
    assert echo["method"] == "POST"
    assert echo["query"] == "a=1"
    assert json.loads(echo["body"]) == {"k": "v"}
    # The library's own headers, as it wrote them.
    assert echo_headers(echo, "user-agent") == [f"python-{lib.__name__}/{lib.__version__}"]
    assert echo_headers(echo, "x-case") == ["A"]
    assert echo_headers(echo, "content-length") == [str(len(echo["body"]))]
    assert response.request.url == server.url + "/echo?a=1"


async def test_status_and_repeated_headers(adapter_driver, server):
    async with adapter_driver.client() as c:
        not_found = await c.get(server.url + "/status/404")
        multi = await c.get(server.url + "/headers-multi")
    assert not_found.status_code == 404
    assert not_found.reason_phrase == "Not Found"
    assert multi.headers.get_list("x-multi") == ["a", "b"]


@pytest.mark.parametrize(
    "kind", ["bytes", "str", "empty", "json", "form", "multipart", "multipart-file", "iterator"]
)
async def test_request_bodies(adapter_driver, server, kind):
    """Each body kind arrives as the library encoded it: its bytes and its framing headers
    (Content-Length, or chunked for a stream of unknown length)."""
    kwargs = {
        "bytes": {"content": b"\x00raw bytes\xff"},
        "str": {"content": "text \u00e9"},
        "empty": {},
        "json": {"json": {"a": [1, 2]}},
        "form": {"data": {"a": "1", "b": "x y"}},
        "multipart": {"data": {"field": "value"}, "files": {"f": ("a.txt", b"file data")}},
        "multipart-file": {"files": {"f": ("b.bin", io.BytesIO(b"\x01" * 100_000))}},
        "iterator": {"content": adapter_driver.iter_content(b"chunk1-", b"chunk2")},
    }[kind]
    reference = adapter_driver.lib.Request("POST", server.url + "/echo", **kwargs)
    async with adapter_driver.client() as c:
        if kind == "multipart-file":  # The file was read by `reference`: a fresh one.
            kwargs = {"files": {"f": ("b.bin", io.BytesIO(b"\x01" * 100_000))}}
        if kind == "iterator":
            kwargs = {"content": adapter_driver.iter_content(b"chunk1-", b"chunk2")}
        response = await c.post(server.url + "/echo", **kwargs)
    echo = response.json()
    body = echo_body(echo)
    if kind == "iterator":
        assert body == b"chunk1-chunk2"
        assert echo_headers(echo, "transfer-encoding") == ["chunked"]
        return
    if kind.startswith("multipart"):
        content_type = echo_headers(echo, "content-type")[0]
        parts = parse_multipart(content_type, body)
        assert [p["name"] for p in parts] == (["field", "f"] if kind == "multipart" else ["f"])
        assert parts[-1]["data"] == (b"file data" if kind == "multipart" else b"\x01" * 100_000)
    else:
        assert body == reference.read()
    if kind != "empty":
        assert echo_headers(echo, "content-length") == [str(len(body))]
    expected_type = [v for k, v in reference.headers.items() if k == "content-type"]
    if kind.startswith("multipart"):  # (a boundary of its own each time)
        expected_type = [content_type]
        assert content_type.startswith("multipart/form-data; boundary=")
    assert echo_headers(echo, "content-type") == expected_type


@ASYNC_ONLY  # (async iterator bodies are the AsyncClient's)
async def test_an_async_body_streams_out_as_it_is_produced(adapter_driver):
    """An async iterator body (an AsyncClient's) goes out chunk by chunk, as httpx sends it,
    not collected first: the server has the first chunk before the second is made."""
    with UploadServer() as srv:
        async with adapter_driver.client() as c:
            with anyio.fail_after(10):
                response = await c.post(srv.url, content=srv.paced_body())
    assert response.text == str(len(b"firstsecond"))
    assert srv.complete


async def test_what_the_body_stream_raises_propagates_as_it_is(adapter_driver, server):
    """A generator's own exception, and the library's `StreamConsumed` when a redirect (307)
    would send a one-shot body again, come out as httpx raises them."""
    lib = adapter_driver.lib

    def broken():
        yield b"a"
        raise ValueError("the source broke")

    async def abroken():
        yield b"a"
        raise ValueError("the source broke")

    async with adapter_driver.client(follow_redirects=True) as c:
        with pytest.raises(ValueError, match="the source broke"):
            await c.post(server.url + "/echo", content=abroken() if c.is_async else broken())
        content = adapter_driver.iter_content(b"once")
        with pytest.raises(lib.StreamConsumed):
            await c.post(server.url + "/redirect-to?url=/echo&status=307", content=content)


async def test_the_library_decodes_the_body(adapter_driver, server):
    """The raw bytes come up as received: httpx decodes them (gzip here) as after its own
    transport."""
    async with adapter_driver.client() as c:
        response = await c.get(server.url + "/gzip")
        async with c.stream("GET", server.url + "/gzip") as streamed:
            raw = b"".join(await c.iter_raw(streamed))
    assert response.headers["content-encoding"] == "gzip"
    assert response.text.startswith("hello compressed world!")
    assert gzip.decompress(raw) == response.content


# --- streaming responses ----------------------------------------------------------------------


async def test_a_chunked_response_streams(adapter_driver, server):
    async with adapter_driver.client() as c:
        async with c.stream("GET", server.url + "/stream?chunks=20&size=1000") as response:
            chunks = await c.iter_raw(response)
    assert b"".join(chunks) == pattern(20_000)
    assert len(chunks) > 1


async def test_chunks_arrive_as_the_server_sends_them(adapter_driver, server):
    """The first chunk is in the caller's hands while the server still sleeps before the
    next: the body is pulled from the socket, not buffered."""
    async with adapter_driver.client() as c:
        async with c.stream("GET", server.url + "/slow-body?delay=0.3&chunks=3") as response:
            started = time.monotonic()
            arrivals = []
            async for chunk in c.aiter(response, "raw"):
                arrivals.append((time.monotonic() - started, chunk))
    assert [chunk for _, chunk in arrivals] == [b"chunk0\n", b"chunk1\n", b"chunk2\n"]
    assert arrivals[-1][0] - arrivals[0][0] >= 0.45


async def test_server_sent_events(adapter_driver, fake_api):
    body = {"model": "m", "messages": [], "stream": True}
    async with adapter_driver.client() as c:
        async with c.stream("POST", fake_api.url + "/v1/chat/completions", json=body) as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            lines = [line for line in await c.iter_lines(response) if line]
    assert lines[-1] == "data: [DONE]"
    contents = [json.loads(line[6:])["choices"][0]["delta"].get("content") for line in lines[:-1]]
    assert contents == ["", "Hello", ", ", "world", None]


async def test_a_stream_iterated_again_goes_on_where_it_stopped(adapter_driver, server):
    """SDKs drain `response.stream` after reading it: a second pass gives what is left."""
    async with adapter_driver.client() as c:
        async with c.stream("GET", server.url + "/stream?chunks=3&size=10") as response:
            first = await c.iter_raw(response)
            again = [chunk async for chunk in _iterate(adapter_driver, response.stream)]
    assert len(b"".join(first)) == 30
    assert again == []


async def _iterate(adapter_driver, stream):
    if adapter_driver.is_async:
        async for chunk in stream:
            yield chunk
    else:
        for chunk in stream:
            yield chunk


async def test_closing_a_stream_early_frees_its_connection(adapter_driver, server):
    lib = adapter_driver.lib
    limits = lib.Limits(max_connections=1)
    async with adapter_driver.client(limits=limits, timeout=lib.Timeout(5, pool=1)) as c:
        for _ in range(3):
            async with c.stream("GET", server.url + "/stream?chunks=50&size=10000") as response:
                async for _chunk in c.aiter(response, "raw"):
                    break
        response = await c.get(server.url + "/echo")
    assert response.status_code == 200


@ASYNC_ONLY
async def test_a_cancelled_request_frees_its_connection(adapter_driver, server):
    """An SDK's own deadline (a cancel scope, `asyncio.wait_for`) around a request: the
    request is dropped with its connection and pool slot, so the next one gets the slot."""
    lib = adapter_driver.lib
    timeout = lib.Timeout(5, pool=1)
    async with adapter_driver.client(limits=lib.Limits(max_connections=1), timeout=timeout) as c:
        with anyio.move_on_after(0.2) as scope:
            await c.get(server.url + "/slow?delay=2")
        assert scope.cancelled_caught
        response = await c.get(server.url + "/echo")
    assert response.status_code == 200


# --- timeouts and errors ----------------------------------------------------------------------


async def test_connect_error(adapter_driver):
    lib = adapter_driver.lib
    url = f"http://127.0.0.1:{closed_port()}/"
    async with adapter_driver.client() as c:
        with pytest.raises(lib.ConnectError) as caught:
            await c.get(url)
    assert str(caught.value) == "[Errno 111] Connection refused"
    assert caught.value.request.url == url
    assert isinstance(caught.value.request, lib.Request)
    assert isinstance(caught.value.__cause__, httprs.ConnectError)


async def test_read_timeout_from_the_request(adapter_driver, server):
    lib = adapter_driver.lib
    async with adapter_driver.client(timeout=5) as c:
        started = time.monotonic()
        with pytest.raises(lib.ReadTimeout) as caught:
            await c.get(server.url + "/slow?delay=2", timeout=0.2)
        assert time.monotonic() - started < 1.5
        assert isinstance(caught.value, lib.TimeoutException)
        # The client's own timeout when the request gives none.
        response = await c.get(server.url + "/slow?delay=0.3")
    assert response.status_code == 200
    async with adapter_driver.client(timeout=lib.Timeout(5, read=0.2)) as c:
        with pytest.raises(lib.ReadTimeout):
            await c.get(server.url + "/slow?delay=2")


async def test_read_timeout_while_streaming(adapter_driver, server):
    lib = adapter_driver.lib
    async with adapter_driver.client(timeout=lib.Timeout(5, read=0.3)) as c:
        async with c.stream("GET", server.url + "/slow-body?delay=1&chunks=2") as response:
            assert response.status_code == 200
            with pytest.raises(lib.ReadTimeout) as caught:
                await c.read(response)
    assert caught.value.request is response.request


async def test_pool_timeout(adapter_driver, server):
    lib = adapter_driver.lib
    timeout = lib.Timeout(5, pool=0.2)
    async with adapter_driver.client(limits=lib.Limits(max_connections=1), timeout=timeout) as c:
        async with c.stream("GET", server.url + "/stream?chunks=5&size=10"):
            with pytest.raises(lib.PoolTimeout):
                await c.get(server.url + "/echo")


async def test_write_timeout(adapter_driver):
    lib = adapter_driver.lib
    with DeafServer() as deaf:
        async with adapter_driver.client(timeout=lib.Timeout(5, write=0.3)) as c:
            with pytest.raises(lib.WriteTimeout):
                await c.post(deaf.upload_url, content=b"x" * 20_000_000)


async def test_protocol_errors(adapter_driver):
    lib = adapter_driver.lib
    with RawServer(b"NOT HTTP AT ALL\r\n\r\n") as garbage:
        async with adapter_driver.client() as c:
            with pytest.raises(lib.RemoteProtocolError):
                await c.get(garbage.url)
    truncated = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this"
    with RawServer(truncated) as short:
        async with adapter_driver.client() as c:
            async with c.stream("GET", short.url) as response:
                assert response.status_code == 200
                with pytest.raises(lib.RemoteProtocolError):
                    await c.read(response)


async def test_unsupported_protocol_and_bad_header(adapter_driver, server):
    lib = adapter_driver.lib
    transport = adapter_driver.http_transport()
    request = lib.Request("GET", "ftp://127.0.0.1/file")
    with pytest.raises(lib.UnsupportedProtocol):
        await _handle(adapter_driver, transport, request)
    await _close(adapter_driver, transport)


async def _handle(adapter_driver, transport, request):
    if adapter_driver.is_async:
        return await transport.handle_async_request(request)
    return transport.handle_request(request)


async def _close(adapter_driver, transport):
    if adapter_driver.is_async:
        await transport.aclose()
    else:
        transport.close()


async def test_a_closed_transport(adapter_driver, server):
    lib = adapter_driver.lib
    transport = adapter_driver.http_transport()
    response = await _handle(adapter_driver, transport, lib.Request("GET", server.url + "/echo"))
    assert response.status_code == 200
    await _close(adapter_driver, transport)
    with pytest.raises(lib.ConnectError, match="transport has been closed"):
        await _handle(adapter_driver, transport, lib.Request("GET", server.url + "/echo"))


@pytest.mark.parametrize("library", LIBRARIES)
def test_every_exception_class_becomes_the_librarys(library):
    """Each httprs exception class (httpx's hierarchy) becomes the library's class of the
    same name, with the message, the notes and the request; the library's own classes the
    SDKs catch (TimeoutException, RequestError...) catch them."""
    lib = importlib.import_module(library)
    adapter = importlib.import_module(f"httprs.compat.{library}")
    translate = adapter.HTTPTransport._library.translated
    request = lib.Request("GET", "http://127.0.0.1/")
    names = [
        n
        for n in httprs.__all__
        if isinstance(getattr(httprs, n), type) and issubclass(getattr(httprs, n), BaseException)
    ]
    # httpx's 28, and httprs's ResponseTooLarge and SSEError (httpx2 has SSEError; a class the
    # library lacks becomes its nearest base the library has).
    assert len(names) == 30
    for name in names:
        ours = getattr(httprs, name)
        if issubclass(ours, httprs.HTTPStatusError):
            continue  # Needs a response: never raised by a transport.
        exc = ours() if issubclass(ours, httprs.StreamError) else ours("it failed")
        exc.add_note("a note")
        mapped = translate(exc, request)
        nearest = next(c.__name__ for c in ours.__mro__ if hasattr(lib, c.__name__))
        assert type(mapped) is getattr(lib, nearest), name
        assert mapped.__notes__ == ["a note"]
        if issubclass(ours, httprs.RequestError):
            assert mapped.request is request
        if not issubclass(ours, httprs.StreamError):
            assert str(mapped) == "it failed"
    assert isinstance(translate(httprs.ReadTimeout("t"), request), lib.TimeoutException)
    assert translate(ValueError("not ours"), request) is None


# --- network options --------------------------------------------------------------------------


async def test_http2(adapter_driver, h2_server, tls_certs):
    async with adapter_driver.client(http2=True, verify=tls_certs.context()) as c:
        response = await c.get(h2_server.url + "/echo")
        async with c.stream("GET", h2_server.url + "/stream?chunks=10&size=1000") as streamed:
            body = b"".join(await c.iter_bytes(streamed))
    assert response.http_version == "HTTP/2"
    assert streamed.http_version == "HTTP/2"
    assert len(body) == 10_000


async def test_tls_options(adapter_driver, tls_server, mtls_server, tls_certs):
    lib = adapter_driver.lib
    for verify in (tls_certs.ca_pem, tls_certs.context(), False):
        async with adapter_driver.client(verify=verify) as c:
            assert (await c.get(tls_server.url + "/echo")).status_code == 200
    async with adapter_driver.client() as c:
        with pytest.raises(lib.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
            await c.get(tls_server.url + "/echo")
    cert = (tls_certs.client_cert, tls_certs.client_key)
    async with adapter_driver.client(verify=tls_certs.ca_pem, cert=cert) as c:
        assert (await c.get(mtls_server.url + "/echo")).status_code == 200


async def test_proxy_forms(adapter_driver, server):
    lib = adapter_driver.lib
    url = server.url + "/echo"
    with ProxyServer(auth=("user", "pw")) as proxy:
        forms = [
            proxy.url_with_auth("user", "pw"),
            lib.URL(proxy.url_with_auth("user", "pw")),
            lib.Proxy(proxy.url, auth=("user", "pw"), headers={"X-Proxy-Tag": "t"}),
        ]
        for form in forms:
            async with adapter_driver.client(proxy=form) as c:
                response = await c.get(url)
            assert response.status_code == 200
        assert proxy.request_lines == [f"GET {url} HTTP/1.1"] * 3
        assert ("X-Proxy-Tag", "t") in proxy.requests[2].headers


async def test_limits_bound_the_connections(adapter_driver, server):
    lib = adapter_driver.lib
    async with adapter_driver.client(limits=lib.Limits(max_connections=2)) as c:
        async with c.stream("GET", server.url + "/stream?chunks=2&size=10"):
            async with c.stream("GET", server.url + "/stream?chunks=2&size=10"):
                with pytest.raises(lib.PoolTimeout):
                    await c.get(server.url + "/echo", timeout=lib.Timeout(5, pool=0.1))


def test_import_httprs_imports_neither_library():
    code = (
        "import sys, httprs, httprs.compat\n"
        "assert 'httpx' not in sys.modules and 'httpx2' not in sys.modules, sys.modules.keys()\n"
        "import httprs.compat.httpx\n"
        "assert 'httpx' in sys.modules and 'httpx2' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
