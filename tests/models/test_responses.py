import decimal
import json

import httprs
import pytest


def req(url="https://example.org/x"):
    return httprs.Request("GET", url)


def test_bytes_content():
    r = httprs.Response(200, content=b"hi")
    assert r.status_code == 200
    assert r.reason_phrase == "OK"
    assert r.http_version == "HTTP/1.1"
    assert r.headers.raw == [(b"Content-Length", b"2")]
    assert r.content == b"hi"
    assert r.text == "hi"
    assert r.encoding == "utf-8"
    assert r.num_bytes_downloaded == 0  # nothing came over the network
    assert repr(r) == "<Response [200 OK]>"
    assert r.is_closed
    assert r.is_stream_consumed


def test_empty_content_has_no_content_length():
    assert httprs.Response(200).content == b""
    assert httprs.Response(200).headers.raw == []
    assert httprs.Response(200, content=b"").headers.raw == []


def test_explicit_headers_are_not_overridden():
    r = httprs.Response(200, content=b"x", headers={"Content-Length": "99"})
    assert r.headers.raw == [(b"Content-Length", b"99")]


def test_text_argument():
    r = httprs.Response(200, text="héllo")
    assert r.headers.raw == [
        (b"Content-Length", b"6"),
        (b"Content-Type", b"text/plain; charset=utf-8"),
    ]
    assert r.content == "héllo".encode()
    assert r.text == "héllo"


def test_html_argument():
    r = httprs.Response(200, html="<p>é</p>")
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    assert r.text == "<p>é</p>"


def test_json_argument():
    r = httprs.Response(200, json={"a": "é"})
    assert r.headers["content-type"] == "application/json"
    assert r.content == '{"a":"é"}'.encode()
    assert r.json() == {"a": "é"}


def test_charset_from_content_type():
    content = "café".encode("latin-1")
    r = httprs.Response(
        200, content=content, headers={"Content-Type": "text/plain; charset=latin-1"}
    )
    assert r.charset_encoding == "latin-1"
    assert r.encoding == "latin-1"
    assert r.text == "café"


def test_quoted_uppercase_charset():
    r = httprs.Response(200, content=b"x", headers={"Content-Type": 'text/plain; charset="UTF-8"'})
    assert r.charset_encoding == "utf-8"
    assert r.text == "x"


def test_no_charset_defaults_to_utf8_with_replacement():
    r = httprs.Response(200, content="café".encode("latin-1"))
    assert r.charset_encoding is None
    assert r.encoding == "utf-8"
    assert r.text == "caf\ufffd"


def test_unknown_charset_falls_back_to_utf8():
    r = httprs.Response(
        200, content="é".encode(), headers={"Content-Type": "text/plain; charset=bogus"}
    )
    assert r.encoding == "utf-8"
    assert r.text == "é"


def test_default_encoding_argument():
    content = "こんにちは".encode("shift_jis")
    r = httprs.Response(200, content=content, default_encoding="shift_jis")
    assert r.encoding == "shift_jis"
    assert r.text == "こんにちは"
    r = httprs.Response(200, content=content, default_encoding=lambda data: "shift_jis")
    assert r.text == "こんにちは"


def test_encoding_override():
    r = httprs.Response(200, content="café".encode())
    r.encoding = "latin-1"
    assert r.encoding == "latin-1"
    assert r.text == "cafÃ©"


def test_encoding_cannot_change_after_text_was_read():
    r = httprs.Response(200, content=b"abc")
    assert r.text == "abc"
    with pytest.raises(ValueError):
        r.encoding = "latin-1"


def test_json_method():
    r = httprs.Response(200, content=b'{"p": 1.1, "n": [1, 2]}')
    assert r.json() == {"p": 1.1, "n": [1, 2]}
    assert r.json(parse_float=decimal.Decimal) == {"p": decimal.Decimal("1.1"), "n": [1, 2]}


def test_json_with_bom_and_utf16():
    assert httprs.Response(200, content=b'\xef\xbb\xbf{"a":1}').json() == {"a": 1}
    assert httprs.Response(200, content='{"a":"é"}'.encode("utf-16")).json() == {"a": "é"}


def test_json_decode_error():
    with pytest.raises(json.JSONDecodeError):
        httprs.Response(200, content=b"not json").json()


@pytest.mark.parametrize(
    ("code", "reason", "flags"),
    [
        (101, "Switching Protocols", "informational"),
        (200, "OK", "success"),
        (201, "Created", "success"),
        (204, "No Content", "success"),
        (301, "Moved Permanently", "redirect"),
        (304, "Not Modified", "redirect"),
        (404, "Not Found", "client_error"),
        (500, "Internal Server Error", "server_error"),
        (999, "", ""),
    ],
)
def test_status_properties(code, reason, flags):
    r = httprs.Response(code, request=req())
    assert r.reason_phrase == reason
    assert r.is_informational == (flags == "informational")
    assert r.is_success == (flags == "success")
    assert r.is_redirect == (flags == "redirect")
    assert r.is_client_error == (flags == "client_error")
    assert r.is_server_error == (flags == "server_error")
    assert r.is_error == (flags in ("client_error", "server_error"))


@pytest.mark.parametrize("code", [200, 201, 204, 299])
def test_raise_for_status_returns_response_on_2xx(code):
    r = httprs.Response(code, request=req())
    assert r.raise_for_status() is r


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (101, "Informational response '101 Switching Protocols'"),
        (301, "Redirect response '301 Moved Permanently'"),
        (304, "Redirect response '304 Not Modified'"),
        (404, "Client error '404 Not Found'"),
        (418, "Client error '418 I'm a teapot'"),
        (500, "Server error '500 Internal Server Error'"),
        (999, "Invalid status code '999 '"),
    ],
)
def test_raise_for_status_raises_on_everything_else(code, message):
    request = req()
    r = httprs.Response(code, request=request)
    with pytest.raises(httprs.HTTPStatusError) as info:
        r.raise_for_status()
    assert info.value.request is request
    assert info.value.response is r
    assert str(info.value) == (
        f"{message} for url 'https://example.org/x'\n"
        f"For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/{code}"
    )


def test_request_not_set():
    r = httprs.Response(200)
    with pytest.raises(RuntimeError):
        _ = r.request
    with pytest.raises(RuntimeError):
        r.raise_for_status()
    with pytest.raises(RuntimeError):
        _ = r.url


def test_elapsed_not_available_on_user_response():
    with pytest.raises(RuntimeError):
        _ = httprs.Response(200).elapsed


def test_url_comes_from_request():
    assert httprs.Response(200, request=req("https://e.org/p")).url == "https://e.org/p"


def test_has_redirect_location():
    r = httprs.Response(302, headers={"location": "/x"}, request=req())
    assert r.has_redirect_location
    assert not httprs.Response(302, request=req()).has_redirect_location
    assert not httprs.Response(200, headers={"location": "/x"}, request=req()).has_redirect_location


def test_links():
    r = httprs.Response(
        200,
        headers={
            "Link": '<https://example.com/page/2>; rel="next", '
            '<https://example.com/page/9>; rel="last", <https://x/y>; title="nr"'
        },
    )
    assert r.links == {
        "next": {"url": "https://example.com/page/2", "rel": "next"},
        "last": {"url": "https://example.com/page/9", "rel": "last"},
        "https://x/y": {"url": "https://x/y", "title": "nr"},
    }
    assert httprs.Response(200).links == {}


def test_iterators_on_buffered_response():
    r = httprs.Response(200, content=b"a\nb\r\nc\rd")
    assert list(r.iter_lines()) == ["a", "b", "c", "d"]
    assert list(r.iter_bytes(2)) == [b"a\n", b"b\r", b"\nc", b"\rd"]
    assert "".join(r.iter_text()) == "a\nb\r\nc\rd"
    assert list(r.iter_text(3)) == ["a\nb", "\r\nc", "\rd"]
    # Iterating a buffered response again is allowed.
    assert b"".join(r.iter_bytes()) == b"a\nb\r\nc\rd"


def test_streaming_content_must_be_read():
    r = httprs.Response(200, content=iter([b"a", b"b"]))
    assert r.headers.raw == [(b"Transfer-Encoding", b"chunked")]
    with pytest.raises(httprs.ResponseNotRead):
        _ = r.content
    with pytest.raises(httprs.ResponseNotRead):
        _ = r.text
    assert r.read() == b"ab"
    assert r.content == b"ab"
    assert r.is_stream_consumed
    assert r.is_closed
