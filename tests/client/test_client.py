import base64
import datetime
import decimal
import io
import warnings

import httprs
import pytest

from tests.support.apps.main_app import (
    CHARSET_TEXT,
    COMPRESSED_TEXT,
    JSON_DOC,
    NOCHARSET_TEXT,
)
from tests.support.helpers import echo_body, echo_headers, parse_multipart
from tests.support.servers.raw import RawServer

pytestmark = pytest.mark.network


@pytest.fixture
def client():
    with httprs.Client() as c:
        yield c


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# --- verbs and request() -----------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
def test_each_verb_method(client, server, method):
    response = getattr(client, method.lower())(server.url + "/echo")
    assert response.status_code == 200
    assert response.json()["method"] == method
    assert response.request.method == method


def test_head(client, server):
    response = client.head(server.url + "/bytes?size=100")
    assert response.status_code == 200
    assert response.headers["content-length"] == "100"
    assert response.content == b""


def test_request_with_custom_method(client, server):
    response = client.request("purge", server.url + "/echo")
    assert response.json()["method"] == "PURGE"


def test_build_request_and_send(client, server):
    request = client.build_request("POST", server.url + "/echo", content=b"hello")
    assert isinstance(request, httprs.Request)
    assert request.headers["content-length"] == "5"
    response = client.send(request)
    assert response.request is request
    assert response.json()["body"] == "hello"


def test_url_may_be_a_url_object(client, server):
    url = httprs.URL(server.url + "/echo")
    assert client.get(url).json()["path"] == "/echo"


def test_path_and_query_reach_the_server(client, server):
    response = client.get(server.url + "/echo?a=1&b=%20x", params={"c": "d e"})
    data = response.json()
    assert data["path"] == "/echo"
    # Request params replace the URL's query.
    assert data["query"] == "c=d+e"
    response = client.get(server.url + "/echo?a=1&b=%20x")
    assert response.json()["query"] == "a=1&b=%20x"


# --- client lifecycle ----------------------------------------------------------


def test_context_manager_and_close(server):
    client = httprs.Client()
    with client as entered:
        assert entered is client
        assert not client.is_closed
        assert client.get(server.url + "/echo").status_code == 200
    assert client.is_closed
    with pytest.raises(RuntimeError):
        client.get(server.url + "/echo")


def test_close_then_use_raises_runtime_error(server):
    client = httprs.Client()
    client.get(server.url + "/echo")
    client.close()
    client.close()  # closing twice is fine
    with pytest.raises(RuntimeError):
        client.get(server.url + "/echo")
    with pytest.raises(RuntimeError):
        with client:
            pass


def test_cannot_open_twice():
    client = httprs.Client()
    with client:
        with pytest.raises(RuntimeError):
            client.__enter__()


# --- defaults -----------------------------------------------------------------


def test_default_client_configuration():
    client = httprs.Client()
    assert client.timeout == httprs.Timeout(5.0)
    assert client.follow_redirects is False
    assert client.max_redirects == 20
    assert client.base_url == httprs.URL("")
    assert client.params == httprs.QueryParams()
    assert isinstance(client.cookies, httprs.Cookies)
    assert client.headers["accept"] == "*/*"
    assert client.headers["connection"] == "keep-alive"
    assert {"gzip", "deflate"} <= set(client.headers.get_list("accept-encoding", True))
    client.close()


def test_default_user_agent(client, server):
    # Deliberate difference: httprs identifies itself as python-httprs (httpx: python-httpx).
    expected = f"python-httprs/{httprs.__version__}"
    assert client.headers["user-agent"] == expected
    data = client.get(server.url + "/echo").json()
    assert echo_headers(data, "user-agent") == [expected]


def test_default_headers_on_the_wire(client, server):
    data = client.get(server.url + "/echo").json()
    assert echo_headers(data, "host") == [f"127.0.0.1:{server.port}"]
    assert echo_headers(data, "accept") == ["*/*"]
    assert echo_headers(data, "connection") == ["keep-alive"]
    (accept_encoding,) = echo_headers(data, "accept-encoding")
    assert {"gzip", "deflate"} <= {v.strip() for v in accept_encoding.split(",")}
    assert echo_headers(data, "content-length") == []
    assert echo_headers(data, "transfer-encoding") == []


def test_user_agent_override(server):
    with httprs.Client(headers={"User-Agent": "mine/1.0"}) as c:
        assert echo_headers(c.get(server.url + "/echo").json(), "user-agent") == ["mine/1.0"]
    with httprs.Client() as c:
        data = c.get(server.url + "/echo", headers={"user-agent": "per-request"}).json()
        assert echo_headers(data, "user-agent") == ["per-request"]


def test_repeated_request_headers_are_sent(client, server):
    data = client.get(server.url + "/echo", headers=[("X-Dup", "1"), ("X-Dup", "2")]).json()
    assert echo_headers(data, "x-dup") == ["1", "2"]


# --- client-level configuration merged with per-request values ----------------


def test_headers_merge(server):
    with httprs.Client(headers={"X-Client": "c", "X-Both": "client"}) as c:
        data = c.get(server.url + "/echo", headers={"X-Both": "request", "X-Req": "r"}).json()
    assert echo_headers(data, "x-client") == ["c"]
    assert echo_headers(data, "x-both") == ["request"]
    assert echo_headers(data, "x-req") == ["r"]


def test_params_merge(server):
    with httprs.Client(params={"a": "1", "b": "2"}) as c:
        assert c.get(server.url + "/echo").json()["query"] == "a=1&b=2"
        merged = c.get(server.url + "/echo", params={"b": "9", "d": "4"}).json()["query"]
        assert merged == "a=1&b=9&d=4"
        listed = c.get(server.url + "/echo", params={"a": ["x", "y"]}).json()["query"]
        assert listed == "a=x&a=y&b=2"
        # Surprising but httpx 0.28.1: when the client has params, the merged params
        # *replace* the URL's own query string instead of being merged into it.
        assert c.get(server.url + "/echo?a=0&z=1").json()["query"] == "a=1&b=2"
    with httprs.Client() as c:
        # Without client params the URL's query string is kept.
        assert c.get(server.url + "/echo?a=0&z=1").json()["query"] == "a=0&z=1"


def test_build_request_merges_client_config():
    client = httprs.Client(
        params={"a": "1"}, headers={"X-Client": "c"}, cookies={"cc": "1"}, base_url="http://h/api"
    )
    request = client.build_request("GET", "p", params={"b": "2"}, headers={"X-Req": "r"})
    assert request.url == "http://h/api/p?a=1&b=2"
    assert request.headers["x-client"] == "c"
    assert request.headers["x-req"] == "r"
    assert request.headers["cookie"] == "cc=1"
    assert request.headers["host"] == "h"
    client.close()


def test_mutating_client_attributes():
    client = httprs.Client()
    client.headers["X-New"] = "1"
    client.params = {"p": "1"}
    client.cookies.set("k", "v")
    client.base_url = "http://h/b"
    assert isinstance(client.params, httprs.QueryParams)
    assert client.base_url == "http://h/b/"
    request = client.build_request("GET", "x")
    assert request.url == "http://h/b/x?p=1"
    assert request.headers["x-new"] == "1"
    assert request.headers["cookie"] == "k=v"
    client.close()


@pytest.mark.parametrize(
    ("base", "url", "expected"),
    [
        ("http://h/api", "x", "http://h/api/x"),
        ("http://h/api", "/x", "http://h/api/x"),
        ("http://h/api/", "x", "http://h/api/x"),
        ("http://h/api/", "/x", "http://h/api/x"),
        ("http://h/api", "", "http://h/api/"),
        ("http://h/api", "/", "http://h/api/"),
        ("http://h/api", "x?y=1", "http://h/api/x?y=1"),
        ("http://h/api", "../up", "http://h/up"),
        ("http://h/api", "http://other/z", "http://other/z"),
        ("http://h", "x", "http://h/x"),
        ("http://h", "", "http://h/"),
    ],
)
def test_base_url_joining(base, url, expected):
    client = httprs.Client(base_url=base)
    # A trailing slash is added to a non-empty base path; "http://h" stays as is.
    expected_base = base if base.endswith("/") or base == "http://h" else base + "/"
    assert str(client.base_url) == expected_base
    assert client.build_request("GET", url).url == expected
    client.close()


def test_base_url_over_the_wire(server):
    with httprs.Client(base_url=server.url) as c:
        assert c.get("/echo").json()["path"] == "/echo"
        assert c.get("echo").json()["path"] == "/echo"


def test_basic_auth_tuple_and_object(server):
    with httprs.Client(auth=("user", "pass")) as c:
        data = c.get(server.url + "/echo").json()
        assert echo_headers(data, "authorization") == [basic("user", "pass")]
        # Per-request auth overrides the client's.
        data = c.get(server.url + "/echo", auth=httprs.BasicAuth("other", "pw")).json()
        assert echo_headers(data, "authorization") == [basic("other", "pw")]
    with httprs.Client(auth=httprs.BasicAuth("u", "p")) as c:
        data = c.get(server.url + "/echo").json()
        assert echo_headers(data, "authorization") == [basic("u", "p")]


def test_auth_is_not_in_built_request_but_is_sent(server):
    with httprs.Client(auth=("user", "pass")) as c:
        request = c.build_request("GET", server.url + "/echo")
        assert "authorization" not in request.headers
        response = c.send(request)
        assert response.request.headers["authorization"] == basic("user", "pass")


def test_auth_from_url_userinfo(client, server):
    url = server.url.replace("http://", "http://us%40er:p%3Ass@") + "/echo"
    data = client.get(url).json()
    assert echo_headers(data, "authorization") == [basic("us@er", "p:ss")]


def test_timeout_configuration(server):
    with httprs.Client(timeout=3) as c:
        assert c.timeout == httprs.Timeout(3)
    with httprs.Client(timeout=None) as c:
        assert c.timeout == httprs.Timeout(None)
    with httprs.Client(timeout=httprs.Timeout(10, connect=2)) as c:
        assert c.timeout.connect == 2
        assert c.timeout.read == 10
        assert c.get(server.url + "/slow?delay=0.1").text == "ok"
    with httprs.Client(timeout=0.1) as c:
        # Per-request timeout overrides the client's.
        assert c.get(server.url + "/slow?delay=0.3", timeout=5).text == "ok"
        with pytest.raises(httprs.ReadTimeout):
            c.get(server.url + "/slow?delay=1")


def test_timeout_model():
    t = httprs.Timeout(5, read=None)
    assert (t.connect, t.read, t.write, t.pool) == (5, None, 5, 5)
    assert t.as_dict() == {"connect": 5, "read": None, "write": 5, "pool": 5}
    assert t == httprs.Timeout(5, read=None)
    assert repr(httprs.Timeout(5)) == "Timeout(timeout=5)"
    assert repr(httprs.Timeout(5, connect=1)) == "Timeout(connect=1, read=5, write=5, pool=5)"
    assert httprs.Timeout((1, 2, 3, 4)).as_dict() == {
        "connect": 1,
        "read": 2,
        "write": 3,
        "pool": 4,
    }
    assert httprs.Timeout(httprs.Timeout(1)) == httprs.Timeout(1)
    assert httprs.Timeout(None).read is None
    with pytest.raises(ValueError):
        httprs.Timeout()
    with pytest.raises(ValueError):
        httprs.Timeout(connect=1)
    assert httprs.Timeout(connect=1, read=2, write=3, pool=4).pool == 4


def test_limits_model():
    assert repr(httprs.Limits()) == (
        "Limits(max_connections=None, max_keepalive_connections=None, keepalive_expiry=5.0)"
    )
    limits = httprs.Limits(max_connections=10, max_keepalive_connections=5)
    assert limits.max_connections == 10
    assert limits.max_keepalive_connections == 5
    assert limits == httprs.Limits(max_connections=10, max_keepalive_connections=5)


# --- redirects -----------------------------------------------------------------


def test_redirects_not_followed_by_default(client, server):
    response = client.get(server.url + "/redirect/3")
    assert response.status_code == 302
    assert response.is_redirect
    assert response.headers["location"] == "/redirect/2"
    assert response.history == []
    next_request = response.next_request
    assert isinstance(next_request, httprs.Request)
    assert next_request.url == server.url + "/redirect/2"
    followed = client.send(next_request)
    assert followed.status_code == 302
    assert followed.url == server.url + "/redirect/2"


def test_follow_redirects_history(client, server):
    response = client.get(server.url + "/redirect/3", follow_redirects=True)
    assert response.status_code == 200
    assert response.url == server.url + "/echo"
    assert response.request.url == server.url + "/echo"
    assert response.json()["path"] == "/echo"
    assert [r.url for r in response.history] == [
        server.url + "/redirect/3",
        server.url + "/redirect/2",
        server.url + "/redirect/1",
    ]
    assert [r.status_code for r in response.history] == [302, 302, 302]
    assert all(r.is_closed for r in response.history)
    assert response.next_request is None


def test_client_level_follow_redirects(server):
    with httprs.Client(follow_redirects=True) as c:
        assert c.follow_redirects is True
        assert c.get(server.url + "/redirect/2").status_code == 200
        # Per-request False overrides.
        assert c.get(server.url + "/redirect/2", follow_redirects=False).status_code == 302


def test_max_redirects(server):
    with httprs.Client(follow_redirects=True, max_redirects=2) as c:
        assert c.get(server.url + "/redirect/2").status_code == 200
        with pytest.raises(httprs.TooManyRedirects) as info:
            c.get(server.url + "/redirect/3")
    # The error carries the request that would have exceeded the limit.
    assert info.value.request.url == server.url + "/echo"


def test_default_max_redirects_is_20(client, server):
    assert client.get(server.url + "/redirect/20", follow_redirects=True).status_code == 200
    with pytest.raises(httprs.TooManyRedirects):
        client.get(server.url + "/redirect/21", follow_redirects=True)


@pytest.mark.parametrize(
    ("status", "method", "body"), [(301, "GET", ""), (302, "GET", ""), (303, "GET", "")]
)
def test_redirect_post_becomes_get(client, server, status, method, body):
    url = server.url + f"/redirect-to?url=/echo&status={status}"
    data = client.post(url, content=b"payload", follow_redirects=True).json()
    assert data["method"] == method
    assert data["body"] == body
    assert echo_headers(data, "content-length") == []


@pytest.mark.parametrize("status", [307, 308])
def test_redirect_preserves_method_and_body(client, server, status):
    url = server.url + f"/redirect-to?url=/echo&status={status}"
    data = client.post(url, content=b"payload", follow_redirects=True).json()
    assert data["method"] == "POST"
    assert data["body"] == "payload"
    assert echo_headers(data, "content-length") == ["7"]


def test_redirect_to_other_origin_drops_authorization(server, other_server):
    with httprs.Client(auth=("u", "p"), follow_redirects=True) as c:
        same = c.get(server.url + "/redirect-to?url=/echo").json()
        assert echo_headers(same, "authorization") == [basic("u", "p")]
        response = c.get(server.url + f"/redirect-to?url={other_server.url}/echo")
        assert response.url == other_server.url + "/echo"
        assert echo_headers(response.json(), "authorization") == []


# --- request bodies ----------------------------------------------------------------


def test_content_bytes_and_str(client, server):
    data = client.post(server.url + "/echo", content=b"\x00\xffraw").json()
    assert echo_body(data) == b"\x00\xffraw"
    assert echo_headers(data, "content-length") == ["5"]
    data = client.post(server.url + "/echo", content="héllo").json()
    assert data["body"] == "héllo"
    assert echo_headers(data, "content-length") == ["6"]


def test_content_iterator_is_chunked(client, server):
    def gen():
        yield b"a"
        yield b""
        yield b"bc" * 1000

    data = client.post(server.url + "/echo", content=gen()).json()
    assert data["body"] == "a" + "bc" * 1000
    assert echo_headers(data, "transfer-encoding") == ["chunked"]
    assert echo_headers(data, "content-length") == []


def test_empty_post_sends_content_length_zero(client, server):
    data = client.post(server.url + "/echo").json()
    assert echo_headers(data, "content-length") == ["0"]
    assert data["body"] == ""


def test_form_data(client, server):
    data = client.post(server.url + "/echo", data={"a": "1", "b": ["x", "y z"], "é": "ü"}).json()
    assert echo_headers(data, "content-type") == ["application/x-www-form-urlencoded"]
    assert data["body"] == "a=1&b=x&b=y+z&%C3%A9=%C3%BC"


def test_json_body(client, server):
    data = client.post(server.url + "/echo", json={"a": [1, 2], "s": "é"}).json()
    assert echo_headers(data, "content-type") == ["application/json"]
    assert data["body"] == '{"a":[1,2],"s":"é"}'


def test_files_with_data(client, server, tmp_path):
    path = tmp_path / "report.csv"
    path.write_bytes(b"a,b\n1,2\n")
    with open(path, "rb") as fileobj:
        response = client.post(
            server.url + "/echo",
            data={"field": "value", "many": ["1", "2"]},
            files={
                "upload": fileobj,
                "tuple": ("name.txt", io.BytesIO(b"tuple data"), "text/x-custom"),
                "raw": ("r.bin", b"\x00\x01"),
            },
        )
    data = response.json()
    (content_type,) = echo_headers(data, "content-type")
    assert content_type.startswith("multipart/form-data; boundary=")
    parts = parse_multipart(content_type, echo_body(data))
    summary = [(p["name"], p["filename"], p["content_type"], p["data"]) for p in parts]
    assert summary == [
        ("field", None, None, b"value"),
        ("many", None, None, b"1"),
        ("many", None, None, b"2"),
        ("upload", "report.csv", "text/csv", b"a,b\n1,2\n"),
        ("tuple", "name.txt", "text/x-custom", b"tuple data"),
        ("raw", "r.bin", "application/octet-stream", b"\x00\x01"),
    ]
    assert echo_headers(data, "content-length") == [str(len(echo_body(data)))]


# --- cookies -------------------------------------------------------------------------


def test_cookies_persist_on_client(server):
    with httprs.Client() as c:
        response = c.get(server.url + "/set-cookie?session=abc&theme=dark")
        assert dict(response.cookies) == {"session": "abc", "theme": "dark"}
        assert dict(c.cookies) == {"session": "abc", "theme": "dark"}
        assert c.get(server.url + "/cookies").json() == {"session": "abc", "theme": "dark"}
    with httprs.Client() as fresh:
        assert fresh.get(server.url + "/cookies").json() == {}


def test_client_cookies_argument(server):
    with httprs.Client(cookies={"preset": "1"}) as c:
        assert c.get(server.url + "/cookies").json() == {"preset": "1"}
        c.cookies.set("added", "2")
        assert c.get(server.url + "/cookies").json() == {"preset": "1", "added": "2"}
        c.cookies.clear()
        assert c.get(server.url + "/cookies").json() == {}


def test_per_request_cookies_are_sent_and_deprecated(server):
    with httprs.Client(cookies={"c": "1"}) as c:
        with pytest.warns(DeprecationWarning):
            data = c.get(server.url + "/cookies", cookies={"r": "2"}).json()
        assert data == {"c": "1", "r": "2"}
        # Per-request cookies are not persisted on the client.
        assert dict(c.cookies) == {"c": "1"}


def test_cookies_set_during_redirects_are_kept(client, server):
    url = server.url + "/redirect-to?url=/set-cookie%3Fa%3D1"
    response = client.get(url, follow_redirects=True)
    assert response.url == server.url + "/set-cookie?a=1"
    assert dict(client.cookies) == {"a": "1"}


def test_multiple_set_cookie_headers(client, server):
    response = client.get(server.url + "/headers-multi")
    assert response.headers.get_list("set-cookie") == ["one=1; Path=/", "two=2; Path=/"]
    assert dict(response.cookies) == {"one": "1", "two": "2"}
    assert response.headers.get_list("x-multi") == ["a", "b"]
    assert response.headers["x-multi"] == "a, b"


# --- response properties ---------------------------------------------------------------


def test_response_properties(client, server):
    response = client.get(server.url + "/json")
    assert response.status_code == 200
    assert response.reason_phrase == "OK"
    assert response.http_version == "HTTP/1.1"
    assert response.url == server.url + "/json"
    assert isinstance(response.url, httprs.URL)
    assert isinstance(response.headers, httprs.Headers)
    assert response.headers["content-type"] == "application/json"
    assert response.headers["server"] == "uvicorn"
    assert response.json() == JSON_DOC
    assert response.encoding == "utf-8"
    assert isinstance(response.elapsed, datetime.timedelta)
    assert response.elapsed > datetime.timedelta(0)
    assert response.is_closed
    assert response.is_stream_consumed
    assert response.request.url == server.url + "/json"
    assert response.num_bytes_downloaded == len(response.content)
    assert response.history == []
    assert repr(response) == "<Response [200 OK]>"


def test_json_kwargs(client, server):
    data = client.get(server.url + "/json").json(parse_float=decimal.Decimal)
    assert data["price"] == decimal.Decimal("1.1")


# (Not 418: uvicorn sends "I'm a Teapot" and the client reports the server's phrase.)
@pytest.mark.parametrize("code", [201, 204, 400, 404, 500, 503])
def test_status_codes(client, server, code):
    response = client.get(server.url + f"/status/{code}")
    assert response.status_code == code
    assert response.reason_phrase == httprs.codes.get_reason_phrase(code)


def test_raise_for_status(client, server):
    ok = client.get(server.url + "/status/200")
    assert ok.raise_for_status() is ok
    response = client.get(server.url + "/status/404")
    with pytest.raises(httprs.HTTPStatusError) as info:
        response.raise_for_status()
    assert info.value.response is response
    assert info.value.request is response.request
    assert str(info.value).startswith(
        f"Client error '404 Not Found' for url '{server.url}/status/404'"
    )
    redirect = client.get(server.url + "/redirect/1")
    with pytest.raises(httprs.HTTPStatusError):
        redirect.raise_for_status()


def test_reason_phrase_comes_from_the_server():
    payload = b"HTTP/1.1 200 Totally Fine\r\nContent-Length: 2\r\n\r\nok"
    with RawServer(payload) as raw:
        response = httprs.get(raw.url)
    assert response.reason_phrase == "Totally Fine"
    assert response.text == "ok"


def test_http_1_0_response():
    payload = b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nold school"
    with RawServer(payload) as raw:
        response = httprs.get(raw.url)
    assert response.http_version == "HTTP/1.0"
    assert response.text == "old school"


@pytest.mark.parametrize("name", sorted(CHARSET_TEXT))
def test_text_decoded_per_charset(client, server, name):
    response = client.get(server.url + f"/charset/{name}")
    assert response.charset_encoding == name
    assert response.encoding == name
    assert response.text == CHARSET_TEXT[name]


def test_no_charset_defaults_to_utf8(client, server):
    response = client.get(server.url + "/nocharset")
    assert response.charset_encoding is None
    assert response.encoding == "utf-8"
    assert response.text == NOCHARSET_TEXT


def test_encoding_override_on_network_response(client, server):
    response = client.get(server.url + "/nocharset")
    response.encoding = "latin-1"
    assert response.text == NOCHARSET_TEXT.encode("utf-8").decode("latin-1")


def test_client_default_encoding(server):
    with httprs.Client(default_encoding="latin-1") as c:
        response = c.get(server.url + "/nocharset")
        assert response.encoding == "latin-1"
        # A charset in the Content-Type still wins.
        assert c.get(server.url + "/charset/shift_jis").text == CHARSET_TEXT["shift_jis"]


@pytest.mark.parametrize("path", ["/gzip", "/deflate", "/deflate?raw=1"])
def test_compressed_bodies_are_decoded(client, server, path):
    response = client.get(server.url + path)
    assert response.content == COMPRESSED_TEXT
    assert response.text == COMPRESSED_TEXT.decode()
    # The header is left as received; num_bytes_downloaded counts wire bytes.
    assert response.headers["content-encoding"] in ("gzip", "deflate")
    assert response.num_bytes_downloaded == int(response.headers["content-length"])
    assert response.num_bytes_downloaded < len(COMPRESSED_TEXT)


def test_unknown_content_encoding_is_passed_through(client, server):
    response = client.get(server.url + "/unknown-encoding")
    assert response.content == b"plain bytes"


def test_links(client, server):
    response = client.get(server.url + "/links")
    assert response.links == {
        "next": {"url": "https://example.com/page/2", "rel": "next"},
        "last": {"url": "https://example.com/page/9", "rel": "last"},
    }


def test_no_warnings_for_plain_usage(server):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with httprs.Client() as c:
            c.get(server.url + "/echo")
            c.post(server.url + "/echo", content=b"x", headers={"X": "1"})
