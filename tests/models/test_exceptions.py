import httprs
import pytest

from tests.conftest import closed_port
from tests.support.servers.raw import RawServer

# Every exception class and its direct parent, as in httpx 0.28.1.
HIERARCHY = [
    ("HTTPError", Exception),
    ("RequestError", "HTTPError"),
    ("TransportError", "RequestError"),
    ("TimeoutException", "TransportError"),
    ("ConnectTimeout", "TimeoutException"),
    ("ReadTimeout", "TimeoutException"),
    ("WriteTimeout", "TimeoutException"),
    ("PoolTimeout", "TimeoutException"),
    ("NetworkError", "TransportError"),
    ("ConnectError", "NetworkError"),
    ("ReadError", "NetworkError"),
    ("WriteError", "NetworkError"),
    ("CloseError", "NetworkError"),
    ("ProtocolError", "TransportError"),
    ("LocalProtocolError", "ProtocolError"),
    ("RemoteProtocolError", "ProtocolError"),
    ("ProxyError", "TransportError"),
    ("UnsupportedProtocol", "TransportError"),
    ("DecodingError", "RequestError"),
    ("TooManyRedirects", "RequestError"),
    ("HTTPStatusError", "HTTPError"),
    ("InvalidURL", Exception),
    ("CookieConflict", Exception),
    ("StreamError", RuntimeError),
    ("StreamConsumed", "StreamError"),
    ("StreamClosed", "StreamError"),
    ("ResponseNotRead", "StreamError"),
    ("RequestNotRead", "StreamError"),
]


def _cls(name_or_cls):
    return getattr(httprs, name_or_cls) if isinstance(name_or_cls, str) else name_or_cls


@pytest.mark.parametrize(("name", "parent"), HIERARCHY)
def test_direct_parent(name, parent):
    cls = getattr(httprs, name)
    assert isinstance(cls, type)
    assert issubclass(cls, BaseException)
    assert cls.__bases__ == (_cls(parent),)


def test_full_ancestry():
    expected_ancestors = {
        "ConnectTimeout": [
            "TimeoutException",
            "TransportError",
            "RequestError",
            "HTTPError",
            Exception,
        ],
        "ReadError": ["NetworkError", "TransportError", "RequestError", "HTTPError"],
        "RemoteProtocolError": ["ProtocolError", "TransportError", "RequestError", "HTTPError"],
        "HTTPStatusError": ["HTTPError", Exception],
        "StreamClosed": ["StreamError", RuntimeError],
        "RequestNotRead": ["StreamError", RuntimeError],
        "DecodingError": ["RequestError", "HTTPError"],
    }
    for name, ancestors in expected_ancestors.items():
        for ancestor in ancestors:
            assert issubclass(getattr(httprs, name), _cls(ancestor)), (name, ancestor)
    # A few things that must NOT be related.
    assert not issubclass(httprs.HTTPStatusError, httprs.RequestError)
    assert not issubclass(httprs.InvalidURL, httprs.HTTPError)
    assert not issubclass(httprs.CookieConflict, httprs.HTTPError)
    assert not issubclass(httprs.StreamError, httprs.HTTPError)
    assert not issubclass(httprs.DecodingError, httprs.TransportError)
    assert not issubclass(httprs.TooManyRedirects, httprs.TransportError)
    assert not issubclass(httprs.TimeoutException, httprs.NetworkError)


def test_request_error_request_attribute():
    exc = httprs.ConnectError("msg")
    with pytest.raises(RuntimeError):
        _ = exc.request
    request = httprs.Request("GET", "http://example.org/")
    exc = httprs.ConnectError("msg", request=request)
    assert exc.request is request
    assert str(exc) == "msg"
    assert exc.args == ("msg",)


def test_http_status_error_requires_request_and_response():
    request = httprs.Request("GET", "http://example.org/")
    response = httprs.Response(500)
    exc = httprs.HTTPStatusError("m", request=request, response=response)
    assert exc.request is request
    assert exc.response is response
    with pytest.raises(TypeError):
        httprs.HTTPStatusError("m")


def test_stream_errors_have_default_messages():
    assert "already been streamed" in str(httprs.StreamConsumed())
    assert "stream has been closed" in str(httprs.StreamClosed())
    assert "without having called `read()`" in str(httprs.ResponseNotRead())
    assert "without having called `read()`" in str(httprs.RequestNotRead())


# --- raised over the network -----------------------------------------------------------


@pytest.mark.network
def test_closed_port_raises_connect_error():
    url = f"http://127.0.0.1:{closed_port()}/path"
    with pytest.raises(httprs.ConnectError) as info:
        httprs.get(url)
    assert info.value.request.url == url
    assert info.value.request.method == "GET"
    with httprs.Client() as client:
        with pytest.raises(httprs.ConnectError):
            client.post(url, content=b"x")


@pytest.mark.network
def test_read_timeout(server):
    url = server.url + "/slow?delay=1"
    with pytest.raises(httprs.ReadTimeout) as info:
        httprs.get(url, timeout=0.2)
    assert info.value.request.url == url
    assert isinstance(info.value, httprs.TimeoutException)


@pytest.mark.network
def test_read_timeout_between_body_chunks(server):
    with pytest.raises(httprs.ReadTimeout):
        httprs.get(server.url + "/slow-body?delay=1&chunks=2", timeout=0.2)


@pytest.mark.network
def test_read_timeout_only_counts_per_read(server):
    # Each gap (0.2 s) is below the read timeout even though the total (0.6 s) is above it.
    response = httprs.get(server.url + "/slow-body?delay=0.2&chunks=3", timeout=0.5)
    assert response.text == "chunk0\nchunk1\nchunk2\n"


@pytest.mark.network
def test_pool_timeout(server):
    limits = httprs.Limits(max_connections=1)
    with httprs.Client(limits=limits, timeout=httprs.Timeout(5, pool=0.2)) as client:
        with client.stream("GET", server.url + "/bytes?size=10"):
            with pytest.raises(httprs.PoolTimeout) as info:
                client.get(server.url + "/echo")
            assert info.value.request.url == server.url + "/echo"
        # Once the first response is closed the connection is free again.
        assert client.get(server.url + "/echo").status_code == 200


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://127.0.0.1/", "Request URL has an unsupported protocol 'ftp://'."),
        ("127.0.0.1/x", "Request URL is missing an 'http://' or 'https://' protocol."),
        ("/x", "Request URL is missing an 'http://' or 'https://' protocol."),
        ("http:///x", "Request URL is missing an 'http://' or 'https://' protocol."),
    ],
)
def test_unsupported_protocol(url, message):
    with pytest.raises(httprs.UnsupportedProtocol) as info:
        httprs.get(url)
    assert str(info.value) == message
    assert isinstance(info.value.request, httprs.Request)


@pytest.mark.network
def test_too_many_redirects(server):
    with pytest.raises(httprs.TooManyRedirects) as info:
        httprs.get(server.url + "/redirect/30", follow_redirects=True)
    assert str(info.value) == "Exceeded maximum allowed redirects."
    assert isinstance(info.value.request, httprs.Request)


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param(b"garbage\r\n\r\n", id="garbage-status-line"),
        pytest.param(b"HTTP/1.1 abc OK\r\n\r\n", id="non-numeric-status"),
        pytest.param(b"", id="no-response"),
        pytest.param(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort", id="truncated"),
        pytest.param(
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
            id="bad-chunk-size",
        ),
        pytest.param(b"HTTP/1.1 200 OK\r\nBad Header Line\r\n\r\n", id="bad-header-line"),
    ],
)
def test_malformed_responses_raise_remote_protocol_error(payload):
    with RawServer(payload) as raw:
        with pytest.raises(httprs.RemoteProtocolError) as info:
            httprs.get(raw.url)
    assert info.value.request.url == raw.url


def test_no_response_message():
    with RawServer(b"") as raw:
        with pytest.raises(httprs.RemoteProtocolError) as info:
            httprs.get(raw.url)
    assert str(info.value) == "Server disconnected without sending a response."


def test_body_until_eof_without_length_is_fine():
    with RawServer(b"HTTP/1.1 200 OK\r\n\r\nuntil eof") as raw:
        assert httprs.get(raw.url).content == b"until eof"


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
def test_invalid_compressed_body_raises_decoding_error(encoding):
    payload = (
        f"HTTP/1.1 200 OK\r\nContent-Encoding: {encoding}\r\nContent-Length: 10\r\n\r\n".encode()
        + b"notzipped!"
    )
    with RawServer(payload) as raw:
        with pytest.raises(httprs.DecodingError) as info:
            httprs.get(raw.url)
        assert info.value.request.url == raw.url
        # iter_raw() does not decode, so it does not fail.
        with httprs.stream("GET", raw.url) as r:
            assert b"".join(r.iter_raw()) == b"notzipped!"


# --- TypeError for wrong argument types -------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"url": 123}, id="url-int"),
        pytest.param({"url": None}, id="url-none"),
        pytest.param({"url": "http://127.0.0.1:1/", "headers": 5}, id="headers-int"),
        pytest.param({"url": "http://127.0.0.1:1/", "content": 123}, id="content-int"),
        pytest.param({"url": "http://127.0.0.1:1/", "json": object()}, id="json-object"),
        pytest.param({"url": "http://127.0.0.1:1/", "auth": 5}, id="auth-int"),
        pytest.param({"url": "http://127.0.0.1:1/", "files": 5}, id="files-int"),
    ],
)
def test_wrong_argument_types_raise_type_error(kwargs):
    with httprs.Client() as client:
        with pytest.raises(TypeError):
            client.request("POST", **kwargs)


def test_client_get_with_int_url():
    with httprs.Client() as client:
        with pytest.raises(TypeError):
            client.get(123)


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"headers": 5}, id="headers"),
        pytest.param({"auth": 5}, id="auth"),
        pytest.param({"base_url": 5}, id="base_url"),
    ],
)
def test_wrong_client_argument_types(kwargs):
    with pytest.raises(TypeError):
        httprs.Client(**kwargs)


def test_invalid_url_when_requesting():
    with pytest.raises(httprs.InvalidURL):
        httprs.get("http://[::1/")
