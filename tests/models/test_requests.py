import io
import json
import re

import httprs
import pytest

from tests.support.helpers import parse_multipart


def test_method_is_uppercased_and_url_is_a_url():
    r = httprs.Request("get", "https://example.org:8080/p?x=1")
    assert r.method == "GET"
    assert isinstance(r.url, httprs.URL)
    assert r.url == "https://example.org:8080/p?x=1"
    assert repr(r) == "<Request('GET', 'https://example.org:8080/p?x=1')>"


def test_url_may_be_a_url_instance():
    url = httprs.URL("https://example.org/")
    assert httprs.Request("GET", url).url == url


def test_params_replace_the_query():
    r = httprs.Request("GET", "https://example.org/p?x=1", params={"y": "2"})
    assert r.url == "https://example.org/p?y=2"


def test_host_header_is_added():
    r = httprs.Request("GET", "https://example.org:8080/")
    assert r.headers.raw == [(b"Host", b"example.org:8080")]
    assert r.content == b""
    assert httprs.Request("GET", "https://example.org/").headers["host"] == "example.org"


def test_explicit_host_header_wins():
    r = httprs.Request("GET", "https://example.org/", headers={"Host": "override", "X": "1"})
    assert r.headers.raw == [(b"Host", b"override"), (b"X", b"1")]


def test_userinfo_is_not_turned_into_authorization_by_request():
    r = httprs.Request("GET", "https://u:p@example.org/")
    assert "authorization" not in r.headers


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_empty_body_methods_get_content_length_zero(method):
    r = httprs.Request(method, "https://example.org/")
    assert r.headers["content-length"] == "0"
    assert r.content == b""


@pytest.mark.parametrize("method", ["GET", "DELETE", "HEAD", "OPTIONS"])
def test_no_content_length_without_body(method):
    r = httprs.Request(method, "https://example.org/")
    assert "content-length" not in r.headers
    assert "transfer-encoding" not in r.headers


def test_bytes_content():
    r = httprs.Request("POST", "https://example.org/", content=b"abc")
    assert r.headers.raw == [(b"Host", b"example.org"), (b"Content-Length", b"3")]
    assert "content-type" not in r.headers
    assert r.content == b"abc"


def test_str_content_is_utf8():
    r = httprs.Request("POST", "https://example.org/", content="héllo")
    assert r.content == "héllo".encode()
    assert r.headers["content-length"] == "6"


def test_user_content_type_is_kept():
    r = httprs.Request(
        "PUT", "https://example.org/", content=b"abc", headers={"Content-Type": "x/y"}
    )
    assert r.headers.raw == [
        (b"Host", b"example.org"),
        (b"Content-Type", b"x/y"),
        (b"Content-Length", b"3"),
    ]
    r = httprs.Request(
        "POST", "https://example.org/", data={"a": "1"}, headers={"content-type": "custom"}
    )
    assert r.headers["content-type"] == "custom"


def test_form_data():
    r = httprs.Request(
        "POST",
        "https://example.org/",
        data={"a": "1", "b": ["x", "y z"], "c": 3, "d": True, "e": None},
    )
    assert r.headers["content-type"] == "application/x-www-form-urlencoded"
    assert r.content == b"a=1&b=x&b=y+z&c=3&d=true&e="
    assert r.headers["content-length"] == str(len(r.content))


def test_json_body_is_compact_utf8():
    r = httprs.Request("POST", "https://example.org/", json={"a": 1, "b": "é", "c": [1.5]})
    assert r.headers["content-type"] == "application/json"
    assert r.content == '{"a":1,"b":"é","c":[1.5]}'.encode()
    assert r.headers["content-length"] == str(len(r.content))
    assert json.loads(r.content) == {"a": 1, "b": "é", "c": [1.5]}


def test_json_rejects_nan():
    with pytest.raises(ValueError):
        httprs.Request("POST", "https://example.org/", json={"a": float("nan")})


def test_iterator_content_is_chunked_and_must_be_read():
    def gen():
        yield b"a"
        yield b"b"

    r = httprs.Request("POST", "https://example.org/", content=gen())
    assert r.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in r.headers
    with pytest.raises(httprs.RequestNotRead):
        _ = r.content
    assert r.read() == b"ab"
    assert r.content == b"ab"


def test_cookies_become_a_cookie_header():
    r = httprs.Request("GET", "https://example.org/", cookies={"c": "1", "d": "2"})
    assert r.headers["cookie"] == "c=1; d=2"


def test_multipart_files_with_data():
    r = httprs.Request(
        "POST",
        "https://example.org/",
        files={"f": ("a.txt", b"data", "text/plain")},
        data={"k": "v"},
    )
    content_type = r.headers["content-type"]
    assert re.fullmatch(r"multipart/form-data; boundary=[0-9a-f]{32}", content_type)
    r.read()
    assert r.headers["content-length"] == str(len(r.content))
    boundary = content_type.split("boundary=")[1].encode()
    assert r.content.startswith(b"--" + boundary + b"\r\n")
    assert r.content.endswith(b"--" + boundary + b"--\r\n")
    parts = parse_multipart(content_type, r.content)
    # Form fields come first, then files.
    assert [(p["name"], p["filename"], p["content_type"], p["data"]) for p in parts] == [
        ("k", None, None, b"v"),
        ("f", "a.txt", "text/plain", b"data"),
    ]


def test_multipart_file_object_without_name():
    r = httprs.Request("POST", "https://example.org/", files={"f": io.BytesIO(b"xyz")})
    r.read()
    (part,) = parse_multipart(r.headers["content-type"], r.content)
    assert part["name"] == "f"
    assert part["filename"] == "upload"
    assert part["content_type"] == "application/octet-stream"
    assert part["data"] == b"xyz"


def test_multipart_content_type_guessed_from_filename():
    r = httprs.Request("POST", "https://example.org/", files={"f": ("a.png", b"1")})
    r.read()
    (part,) = parse_multipart(r.headers["content-type"], r.content)
    assert part["content_type"] == "image/png"


def test_multipart_none_filename_and_extra_headers():
    r = httprs.Request(
        "POST",
        "https://example.org/",
        files={"plain": (None, b"1"), "f": ("a.txt", b"2", "text/plain", {"X-Extra": "yes"})},
    )
    r.read()
    plain, f = parse_multipart(r.headers["content-type"], r.content)
    assert plain["filename"] is None
    assert plain["data"] == b"1"
    assert "Content-Type" not in plain["headers"]
    assert f["headers"]["X-Extra"] == "yes"


def test_multipart_repeated_field_as_list():
    r = httprs.Request(
        "POST", "https://example.org/", files=[("f", ("a.txt", b"1")), ("f", ("b.txt", b"2"))]
    )
    r.read()
    parts = parse_multipart(r.headers["content-type"], r.content)
    assert [(p["name"], p["filename"], p["data"]) for p in parts] == [
        ("f", "a.txt", b"1"),
        ("f", "b.txt", b"2"),
    ]


def test_requests_compare_by_identity():
    a = httprs.Request("GET", "http://example.org/")
    assert a == a
    assert a != httprs.Request("GET", "http://example.org/")


def test_wrong_content_type_raises_type_error():
    with pytest.raises(TypeError):
        httprs.Request("POST", "https://example.org/", content=123)
