"""Property-based robustness tests (hypothesis) for the pure models: URL, Headers, QueryParams,
Cookies and Response decoding.

Every operation fed random input must either succeed or raise one of the exceptions httpx
documents for it; it must never raise ``pyo3_runtime.PanicException`` (a Rust panic, which
derives from ``BaseException`` and so slips through ``except Exception``) nor crash the
interpreter. A few properties also check the results: round trips, chunking invariance, and
agreement with httpx 0.28.1 (the reference, imported by this file only) on valid URLs.

No network: nothing here needs the test servers. The whole file runs in well under 30 s.
"""

from __future__ import annotations

import gzip
import json
import os
import string
import zlib

import httprs
import httpx
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

# About 7,000 examples in all (~25 s); HTTPRS_PROPERTY_SCALE=20 runs twenty times as many.
# No deadline (the first call of some paths imports modules); no example database (nothing is
# written to the working tree: known counterexamples are pinned with @example instead).
SCALE = float(os.environ.get("HTTPRS_PROPERTY_SCALE", "1"))


def _settings(n: int) -> settings:
    return settings(
        max_examples=max(1, int(n * SCALE)),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )


FAST = _settings(300)
MEDIUM = _settings(500)


# ---------------------------------------------------------------------------------------------
# The harness: succeed, or raise an allowed exception; a panic or anything else fails the test.
# ---------------------------------------------------------------------------------------------


class Raised:
    """The outcome of a call that raised an allowed exception."""

    def __init__(self, exc: BaseException) -> None:
        self.exc = exc

    def __repr__(self) -> str:
        return f"Raised({type(self.exc).__name__}: {self.exc})"


def attempt(fn, allowed: tuple[type[BaseException], ...]):
    """``fn()``'s result, or a ``Raised`` for an allowed exception; fail on anything else."""
    try:
        return fn()
    except BaseException as exc:  # noqa: BLE001 - PanicException derives from BaseException
        if type(exc).__name__ == "PanicException":
            pytest.fail(f"Rust panic: {type(exc).__module__}.PanicException: {exc}")
        if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        if isinstance(exc, allowed):
            return Raised(exc)
        pytest.fail(f"unexpected {type(exc).__module__}.{type(exc).__name__}: {exc!r}")


def ok(value) -> bool:
    return not isinstance(value, Raised)


URL_ERRORS = (httprs.InvalidURL, TypeError, ValueError)  # UnicodeError is a ValueError
HEADER_ERRORS = (TypeError, ValueError, KeyError, LookupError)
PARAM_ERRORS = (TypeError, ValueError, KeyError)
COOKIE_ERRORS = (httprs.CookieConflict, TypeError, ValueError, KeyError)
# JSONDecodeError and UnicodeDecodeError are ValueErrors; ResponseNotRead (a StreamError) is
# what `.content` raises after a streamed `read()` failed.
BODY_ERRORS = (httprs.DecodingError, httprs.StreamError, ValueError, TypeError, LookupError)

# ---------------------------------------------------------------------------------------------
# Strategies
# ---------------------------------------------------------------------------------------------

# Any code point, lone surrogates and control characters included.
any_char = st.characters(codec=None, exclude_categories=())
any_text = st.text(any_char, max_size=40)
latin_text = st.text(st.characters(max_codepoint=0xFF, exclude_categories=()), max_size=30)

URL_PIECES = [
    "http://",
    "https://",
    "HTTP://",
    "ftp://",
    "ws://",
    "//",
    "/",
    "\\",
    "?",
    "#",
    "&",
    "=",
    ":",
    "@",
    "[",
    "]",
    "%",
    "%2",
    "%20",
    "%zz",
    "%ff",
    "%C3%A9",
    ".",
    "..",
    "/../",
    "./",
    "xn--",
    "xn--nxasmq6b",
    "::1",
    "[::1]",
    "[::ffff:1.2.3.4]",
    "[fe80::1%25eth0]",
    "127.0.0.1",
    "0x7f.1",
    "256.0.0.1",
    "localhost",
    "EXAMPLE.com",
    "a.b.c",
    "é",
    "ß",
    "日本",
    "\u200b",
    "\ufeff",
    "\x00",
    "\x7f",
    " ",
    "\t",
    "\r\n",
    "0",
    "80",
    "65535",
    "65536",
    "99999999999999999999",
    "user:pw@",
    "a@b@",
    "~",
    "!$'()*+,;",
    "{}|^`",
    '"<>',
]
url_like = st.lists(st.sampled_from(URL_PIECES) | st.text(any_char, max_size=4), max_size=14).map(
    "".join
)
url_text = url_like | any_text

VALID_BASES = [
    "http://example.com",
    "https://user:pw@example.com:8443/a/b/c?x=1&y=2#frag",
    "http://[::1]:8080/dir/",
    "http://127.0.0.1/a%20b/",
    "https://xn--nxasmq6b.com/path;params?q",
    "/relative/path?q=1",
    "relative",
    "",
]


def st_url():
    return st.sampled_from(VALID_BASES).map(httprs.URL)


# ---------------------------------------------------------------------------------------------
# URL
# ---------------------------------------------------------------------------------------------


def exercise_url(url: httprs.URL) -> None:
    """Read every property of a URL that parsed: none may fail."""
    for name in (
        "scheme", "raw_scheme", "userinfo", "username", "password", "host", "raw_host",
        "port", "netloc", "path", "query", "raw_path", "fragment", "is_absolute_url",
        "is_relative_url",
    ):  # fmt: skip
        getattr(url, name)
    params = url.params
    params.multi_items()
    str(params)
    str(url)
    repr(url)
    hash(url)
    assert url == url
    assert url == httprs.URL(url)


@FAST
@given(url_text)
@example("http://[::1")
@example("http://x:99999/")
@example("http://\udcff/")
@example("https://%00/")
@example("http://[v1.x]/")
@example("http://a\u0000b/")
@example("http://" + "a" * 300 + ".com/")
@example("http://" + "a." * 200 + "com/")
def test_url_parse_never_panics(text):
    url = attempt(lambda: httprs.URL(text), URL_ERRORS)
    if ok(url):
        exercise_url(url)
        # Re-parsing the serialization must not fail: it is a URL we produced.
        again = attempt(lambda: httprs.URL(str(url)), URL_ERRORS)
        assert ok(again), f"str(URL({text!r})) = {str(url)!r} does not parse: {again!r}"


@FAST
@given(st.sampled_from(VALID_BASES) | url_text, url_text)
def test_url_join_never_panics(base, relative):
    url = attempt(lambda: httprs.URL(base), URL_ERRORS)
    assume(ok(url))
    joined = attempt(lambda: url.join(relative), URL_ERRORS)
    if ok(joined):
        exercise_url(joined)


copy_with_values = st.fixed_dictionaries(
    {},
    optional={
        "scheme": url_text,
        "username": any_text,
        "password": any_text,
        "host": url_text,
        "port": st.none() | st.integers(-(2**70), 2**70) | any_text,
        "netloc": st.binary(max_size=20) | url_text,
        "path": url_text,
        "raw_path": st.binary(max_size=20) | url_text,
        "query": st.binary(max_size=20) | url_text,
        "fragment": any_text,
        "params": st.none() | any_text | st.dictionaries(any_text, any_text, max_size=3),
        "bogus": st.integers(),
        "userinfo": st.binary(max_size=10),
    },
)


@FAST
@given(st_url(), copy_with_values)
def test_url_copy_with_never_panics(url, kwargs):
    copied = attempt(lambda: url.copy_with(**kwargs), URL_ERRORS)
    if ok(copied):
        exercise_url(copied)


@FAST
@given(st_url(), any_text, st.one_of(st.none(), any_text, st.integers(), st.booleans()))
def test_url_param_helpers_never_panic(url, key, value):
    for op in (
        lambda: url.copy_set_param(key, value),
        lambda: url.copy_add_param(key, value),
        lambda: url.copy_remove_param(key),
        lambda: url.copy_merge_params({key: value}),
    ):
        result = attempt(op, URL_ERRORS)
        if ok(result):
            exercise_url(result)


@FAST
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "scheme": st.sampled_from(["http", "https", "", "x"]) | any_text,
            "host": url_text,
            "port": st.none() | st.integers(-5, 70000),
            "path": url_text,
            "query": st.binary(max_size=20),
            "fragment": any_text,
        },
    )
)
def test_url_from_keyword_components_never_panics(kwargs):
    url = attempt(lambda: httprs.URL(**kwargs), URL_ERRORS)
    if ok(url):
        exercise_url(url)


# --- Agreement with httpx on valid URLs built from components --------------------------------

UNRESERVED = string.ascii_letters + string.digits + "-._~"
SUB_DELIMS = "!$&'()*+,;="
pct_triplet = st.integers(0, 255).map(lambda b: f"%{b:02X}")
NON_ASCII = "éüñöåçøœ日本語Ωж😀"


def component(extra: str, max_size: int = 8):
    """Text valid in a URL component: unreserved, sub-delims, ``extra``, non-ASCII letters,
    spaces, and well-formed percent-escapes."""
    char = st.sampled_from(UNRESERVED + SUB_DELIMS + extra + NON_ASCII + " ") | pct_triplet
    return st.lists(char, max_size=max_size).map("".join)


ALNUM = string.ascii_lowercase + string.digits
dns_label = st.text(ALNUM, min_size=1, max_size=6) | st.builds(
    lambda first, middle, last: first + middle + last,
    st.sampled_from(ALNUM),
    st.text(ALNUM + "-", max_size=8),
    st.sampled_from(ALNUM),
)
idn_label = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyzéüñöåç"), min_size=1, max_size=8)
hostname = st.lists(dns_label | idn_label, min_size=1, max_size=4).map(".".join)
ipv4 = st.ip_addresses(v=4).map(str)
ipv6 = st.ip_addresses(v=6).map(lambda a: f"[{a.compressed}]")
host_strategy = (
    hostname
    | ipv4
    | ipv6
    | st.sampled_from(["localhost", "EXAMPLE.COM", "Example.Org", "[::1]", "[::ffff:1.2.3.4]"])
)


@st.composite
def valid_urls(draw):
    scheme = draw(st.sampled_from(["http", "https", "HTTP", "ws", "wss", "ftp"]))
    userinfo = ""
    if draw(st.booleans()):
        userinfo = draw(component(":")) + "@"
    host = draw(host_strategy)
    port = draw(st.none() | st.integers(0, 65535))
    netloc = userinfo + host + ("" if port is None else f":{port}")
    segments = draw(st.lists(component(":@") | st.sampled_from([".", ".."]), max_size=5))
    path = "".join("/" + s for s in segments)
    if draw(st.booleans()):
        path += "/"
    query = draw(st.none() | component(":@/?", max_size=12))
    fragment = draw(st.none() | component(":@/?#", max_size=8))
    url = f"{scheme}://{netloc}{path}"
    if query is not None:
        url += "?" + query
    if fragment is not None:
        url += "#" + fragment
    return url


def url_outcome(module, text):
    """(str, components) of ``module.URL(text)``, or the exception's class name."""
    try:
        url = module.URL(text)
        return (
            str(url),
            url.scheme,
            url.host,
            url.port,
            url.path,
            url.raw_path,
            url.query,
            url.fragment,
            url.userinfo,
        )
    except BaseException as exc:  # noqa: BLE001 - compared below, panics fail
        if type(exc).__name__ == "PanicException":
            pytest.fail(f"Rust panic on {text!r}: {exc}")
        if not isinstance(exc, Exception):
            raise
        return type(exc).__name__


@FAST
@given(valid_urls())
@example("http://straße.de/")  # IDNA 2008 (httpx's idna package) vs UTS-46 transitional
@example("http://example.com:0/")
@example("HTTP://EXAMPLE.COM:80/a/./b/../c?#")
def test_valid_url_round_trip_agrees_with_httpx(text):
    ours = url_outcome(httprs, text)
    theirs = url_outcome(httpx, text)
    assert ours == theirs, f"URL({text!r}): httprs {ours!r} != httpx {theirs!r}"


relative_refs = st.lists(
    component(":@?#", max_size=6) | st.sampled_from([".", "..", "", "?q=1", "#f", "//h/"]),
    max_size=4,
).map("/".join)


@FAST
@given(valid_urls(), relative_refs)
def test_valid_url_join_agrees_with_httpx(base, relative):
    def joined(module):
        try:
            return str(module.URL(base).join(relative))
        except BaseException as exc:  # noqa: BLE001
            if type(exc).__name__ == "PanicException":
                pytest.fail(f"Rust panic joining {relative!r} to {base!r}: {exc}")
            if not isinstance(exc, Exception):
                raise
            return type(exc).__name__

    ours, theirs = joined(httprs), joined(httpx)
    assert ours == theirs, f"URL({base!r}).join({relative!r}): {ours!r} != httpx {theirs!r}"


# ---------------------------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------------------------

header_atom = any_text | latin_text | st.binary(max_size=30)
header_pairs = st.lists(st.tuples(header_atom, header_atom), max_size=6)
header_input = (
    header_pairs
    | st.dictionaries(latin_text | st.binary(max_size=10), header_atom, max_size=5)
    | st.lists(st.tuples(header_atom, st.integers() | st.none()), max_size=2)  # bad values
    | st.none()
)
encodings = st.none() | st.sampled_from(["ascii", "utf-8", "latin-1", "utf-16", "nope", ""])


@MEDIUM
@given(header_input, encodings, header_atom, header_atom)
@example([("a\x00b", "c\r\nd")], None, "A\x00B", "x")
@example([(b"\xff", b"\xfe\x00")], "ascii", b"\xff", b"\x00")
@example([("é", "x")], None, "é", "y")
def test_headers_never_panic(raw, encoding, key, value):
    kwargs = {} if encoding is None else {"encoding": encoding}
    headers = attempt(lambda: httprs.Headers(raw, **kwargs), HEADER_ERRORS)
    if not ok(headers):
        return
    for op in (
        lambda: headers.raw,
        lambda: headers.encoding,
        headers.keys,
        headers.values,
        headers.items,
        headers.multi_items,
        lambda: list(headers),
        lambda: len(headers),
        lambda: repr(headers),
        lambda: dict(headers),
        lambda: headers.get(key),
        lambda: headers.get_list(key),
        lambda: headers.get_list(key, split_commas=True),
        lambda: key in headers,
        lambda: headers[key],
        lambda: headers == httprs.Headers(raw, **kwargs),
        lambda: headers == raw,
        headers.copy,
        lambda: headers.setdefault(key, value),
        lambda: headers.__setitem__(key, value),
        lambda: headers.__getitem__(key),
        lambda: headers.update({key: value}),
        lambda: headers.pop(key, None),
        lambda: headers.__delitem__(key),
        lambda: headers.raw,
        lambda: httprs.Headers(headers),
    ):
        attempt(op, HEADER_ERRORS)


@FAST
@given(st.lists(st.tuples(st.binary(max_size=15), st.binary(max_size=30)), max_size=6))
def test_headers_keep_raw_bytes(pairs):
    """As in httpx, bytes given for names and values are kept as they are: ``.raw`` (and what
    goes on the wire) must not turn a Latin-1 byte such as ``b"\\xe9"`` into UTF-8."""
    headers = httprs.Headers(pairs)
    assert headers.raw == pairs
    assert len(headers.multi_items()) == len(pairs)


# ---------------------------------------------------------------------------------------------
# QueryParams
# ---------------------------------------------------------------------------------------------

param_value = st.one_of(
    any_text, st.integers(), st.floats(), st.booleans(), st.none(), st.binary(max_size=8)
)
params_input = st.one_of(
    any_text,
    url_like,
    st.binary(max_size=30),
    st.dictionaries(any_text, param_value | st.lists(param_value, max_size=3), max_size=4),
    st.lists(st.tuples(any_text, param_value), max_size=5),
    st.lists(st.tuples(param_value, param_value), max_size=3),
    st.none(),
    st.integers(),
)


@MEDIUM
@given(params_input, any_text, param_value)
@example(b"a=1&b=\xff", "a", None)
@example("a=1&&b&=c&%zz=%ff", "%zz", 1.5)
@example({"a": [1, 2.5, None, True]}, "a", float("nan"))
def test_queryparams_never_panic(raw, key, value):
    params = attempt(lambda: httprs.QueryParams(raw), PARAM_ERRORS)
    if not ok(params):
        return
    for op in (
        lambda: str(params),
        lambda: repr(params),
        params.multi_items,
        lambda: list(params.items()),
        lambda: list(params.keys()),
        lambda: list(params.values()),
        lambda: len(params),
        lambda: key in params,
        lambda: params.get(key),
        lambda: params.get_list(key),
        lambda: params[key],
        lambda: params.set(key, value),
        lambda: params.add(key, value),
        lambda: params.remove(key),
        lambda: params.merge({key: value}),
        lambda: params.merge(raw),
        lambda: params == httprs.QueryParams(str(params)),
        lambda: hash(params),
        lambda: httprs.QueryParams(params),
    ):
        attempt(op, PARAM_ERRORS)


# Text that survives encoding (no lone surrogates).
clean_text = st.text(st.characters(codec="utf-8", exclude_categories=()), max_size=12)


@FAST
@given(st.lists(st.tuples(clean_text, clean_text), max_size=6))
def test_queryparams_str_round_trip(pairs):
    params = httprs.QueryParams(pairs)
    reference = httpx.QueryParams(pairs)  # groups repeated keys together, as we do
    assert params.multi_items() == reference.multi_items()
    assert sorted(params.multi_items()) == sorted(pairs)
    assert str(params) == str(reference)
    assert httprs.QueryParams(str(params)).multi_items() == params.multi_items()
    assert httprs.QueryParams(str(params)) == params


# ---------------------------------------------------------------------------------------------
# Cookies
# ---------------------------------------------------------------------------------------------

cookie_text = any_text | st.sampled_from(["", "a", "b", "=", ";", " ", '"', "\x00", "é"])
cookie_domain = st.sampled_from(["", "example.com", ".example.com", "other.org", "é.com", "\x00"])
cookie_path = st.sampled_from(["/", "", "/a", "/a/b", "a", "/é", "/\x00"])


@MEDIUM
@given(
    st.one_of(
        st.none(),
        st.dictionaries(cookie_text, cookie_text, max_size=4),
        st.lists(st.tuples(cookie_text, cookie_text), max_size=4),
        st.lists(st.tuples(cookie_text, st.integers() | st.none()), max_size=2),
        st.integers(),
        any_text,
    ),
    cookie_text,
    cookie_text,
    cookie_domain,
    cookie_path,
)
def test_cookies_never_panic(raw, name, value, domain, path):
    cookies = attempt(lambda: httprs.Cookies(raw), COOKIE_ERRORS)
    if not ok(cookies):
        return
    for op in (
        lambda: cookies.set(name, value, domain=domain, path=path),
        lambda: cookies.get(name),
        lambda: cookies.get(name, domain=domain),
        lambda: cookies.get(name, domain=domain, path=path),
        lambda: cookies[name],
        lambda: name in cookies,
        cookies.keys,
        cookies.values,
        cookies.items,
        lambda: list(cookies),
        lambda: len(cookies),
        lambda: bool(cookies),
        lambda: repr(cookies),
        lambda: list(cookies.jar),
        lambda: httprs.Cookies(cookies),
        lambda: cookies.__setitem__(name, value),
        lambda: cookies.update({name: value}),
        lambda: cookies.delete(name, domain=domain, path=path),
        lambda: cookies.__delitem__(name),
        lambda: cookies.clear(domain=domain),
        cookies.clear,
    ):
        attempt(op, COOKIE_ERRORS)


@MEDIUM
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "sid", "é", ""]),
            cookie_text,
            cookie_domain,
            cookie_path,
        ),
        max_size=8,
    ),
    st.sampled_from(["a", "b", "sid", "é", "", "missing"]),
    st.none() | cookie_domain,
    st.none() | cookie_path,
)
# Two cookies of one name with the same value: httpx raises CookieConflict all the same.
@example([("a", "1", "example.com", "/"), ("a", "1", "other.org", "/")], "a", None, None)
@example([("a", "", "", "/"), ("a", "", "", "")], "a", None, None)
def test_cookies_set_get_follows_httpx_model(ops, name, domain, path):
    """After a series of ``set``, ``get`` answers like httpx: the value of the one matching
    cookie, the default when none matches, ``CookieConflict`` when several do."""
    cookies = httprs.Cookies()
    model: dict[tuple[str, str, str], str] = {}
    for op_name, op_value, op_domain, op_path in ops:
        done = attempt(
            lambda n=op_name, v=op_value, d=op_domain, p=op_path: cookies.set(n, v, d, p),
            COOKIE_ERRORS,
        )
        if ok(done):
            model[(op_name, op_domain, op_path)] = op_value
    matches = [
        v
        for (n, d, p), v in model.items()
        if n == name and (domain is None or d == domain) and (path is None or p == path)
    ]
    got = attempt(lambda: cookies.get(name, "DEFAULT", domain=domain, path=path), COOKIE_ERRORS)
    if len(matches) > 1:
        assert isinstance(got, Raised) and isinstance(got.exc, httprs.CookieConflict), got
    elif len(matches) == 1:
        assert got == matches[0]
    else:
        assert got == "DEFAULT"
    assert len(cookies) == len(model)


# ---------------------------------------------------------------------------------------------
# Response bodies: Content-Encoding, charsets, JSON
# ---------------------------------------------------------------------------------------------

CODINGS = [
    "gzip", "deflate", "br", "zstd", "identity", "x-garbage", "GZIP", "gzip, deflate",
    "deflate, gzip", "br, zstd", "gzip,gzip", "", " , ", "identity, gzip", "compress",
]  # fmt: skip
CHARSETS = [
    None, "utf-8", "latin-1", "utf-16", "utf-32", "shift_jis", "ascii", "cp1252", "nope",
    "\x00bad", "", "utf-8-sig", "idna", "rot13", "base64", "uu", "punycode", "utf-7",
]  # fmt: skip

# Valid streams in the codings the stdlib cannot produce (made with the zstd CLI / brotli).
VALID_BR = b"\x0b\x02\x80hello\x03"  # brotli.compress(b"hello")
VALID_ZSTD = b"(\xb5/\xfd\x04X\x81\x00\x00hello zstd world\x7f\x81h`"


def body_bytes():
    return st.one_of(
        st.binary(max_size=300),
        st.binary(max_size=200).map(gzip.compress),
        st.binary(max_size=200).map(zlib.compress),
        st.binary(max_size=200).map(lambda b: zlib.compress(b)[2:-4]),  # raw deflate
        st.binary(max_size=200).map(gzip.compress).map(lambda b: b[: len(b) // 2]),  # cut
        st.binary(max_size=200).map(gzip.compress).map(lambda b: b + b"trailing junk"),
        st.sampled_from([VALID_BR, VALID_ZSTD, VALID_ZSTD[:-3], VALID_BR + b"x", b"", b"\x00"]),
        st.text(max_size=100).map(lambda t: json.dumps(t).encode("utf-8")),
        st.text(max_size=50).map(lambda t: t.encode("utf-16")),
        st.just(b"[" * 3000),  # deeply nested JSON: json.loads raises RecursionError
    )


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts})
    pieces, start = [], 0
    for p in points:
        pieces.append(data[start:p])
        start = p
    pieces.append(data[start:])
    return pieces


# Python's bytes-to-bytes / str-to-str codecs: a charset naming one makes the incremental text
# decoder fail with AssertionError (errors="replace" is refused) or TypeError, in httpx 0.28.1
# exactly as in httprs; only `.text` differs (httprs: LookupError, httpx: AssertionError).
NON_TEXT_CODECS = {"base64", "uu", "rot13", "hex", "zlib", "bz2", "quopri"}


def exercise_response(response, charset: str | None) -> None:
    allowed = BODY_ERRORS + (RecursionError,)  # json.loads of deeply nested arrays
    if charset in NON_TEXT_CODECS:
        allowed += (AssertionError, TypeError)
    for op in (
        response.read,
        lambda: response.content,
        lambda: response.text,
        lambda: response.encoding,
        lambda: response.charset_encoding,
        response.json,
        lambda: list(response.iter_lines()),
        lambda: list(response.iter_text(7)),
        lambda: list(response.iter_bytes(5)),
        lambda: response.links,
        lambda: response.num_bytes_downloaded,
        lambda: repr(response),
    ):
        attempt(op, allowed)


@MEDIUM
@given(
    body_bytes(),
    st.sampled_from(CODINGS),
    st.sampled_from(CHARSETS),
    st.lists(st.integers(0, 400), max_size=5),
    st.booleans(),
)
@example(b"\x1f\x8bxx", "gzip", None, [], False)
@example(b"\xff", "identity", "\x00bad", [], False)
@example(b"[" * 3000, "identity", None, [], False)
def test_response_decoding_never_panics(data, coding, charset, cuts, streamed):
    headers = {"Content-Encoding": coding}
    if charset is not None:
        headers["Content-Type"] = f"text/plain; charset={charset}"
    content = iter(split(data, cuts)) if streamed else data
    response = attempt(lambda: httprs.Response(200, content=content, headers=headers), BODY_ERRORS)
    if ok(response):
        exercise_response(response, charset)


def decoded(data, coding: str, pieces: list[bytes] | None):
    """``Response(...).read()`` of ``data`` (as bytes, or streamed in ``pieces``)."""
    content = data if pieces is None else iter(pieces)
    return attempt(
        lambda: httprs.Response(200, content=content, headers={"Content-Encoding": coding}).read(),
        BODY_ERRORS,
    )


@MEDIUM
@given(body_bytes(), st.sampled_from(CODINGS), st.lists(st.integers(0, 400), max_size=6))
def test_decoding_does_not_depend_on_chunking(data, coding, cuts):
    """The incremental decoders give the same result however the body is cut up."""
    whole = decoded(data, coding, [data])
    pieces = decoded(data, coding, split(data, cuts))
    bytewise = decoded(data, coding, [data[i : i + 1] for i in range(len(data))])
    for other in (pieces, bytewise):
        if ok(whole):
            assert other == whole
        else:
            assert not ok(other), f"whole body: {whole!r}, in pieces: {other!r}"
            assert type(other.exc) is type(whole.exc)


compressors = {
    "gzip": gzip.compress,
    "deflate": zlib.compress,
    "deflate-raw": lambda b: zlib.compress(b)[2:-4],
}


@MEDIUM
@given(
    st.binary(max_size=2000),
    st.sampled_from(sorted(compressors)),
    st.lists(st.integers(0, 3000), max_size=5),
)
def test_valid_compressed_stream_decodes(data, kind, cuts):
    encoded = compressors[kind](data)
    coding = "deflate" if kind.startswith("deflate") else kind
    assert decoded(encoded, coding, split(encoded, cuts)) == data


@FAST
@given(st.binary(max_size=500), st.sampled_from(sorted(compressors)))
@example(b"hello", "gzip")
def test_content_bytes_are_decoded_like_httpx(data, kind):
    """httpx decodes ``Response(content=b"...", headers={"Content-Encoding": ...})`` at once
    (``.content`` is the decoded body); so must httprs."""
    encoded = compressors[kind](data)
    coding = "deflate" if kind.startswith("deflate") else kind
    theirs = httpx.Response(200, content=encoded, headers={"Content-Encoding": coding}).content
    assert theirs == data
    ours = decoded(encoded, coding, None)
    assert ours == data


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | clean_text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(clean_text, children, max_size=4)
    ),
    max_leaves=20,
)


@FAST
@given(json_values.filter(lambda v: v is not None))  # json=None means "no JSON body"
def test_json_round_trip(value):
    assert httprs.Response(200, json=value).json() == value


def same_json(a, b) -> bool:
    """Equal with the same types all the way down (True is not 1, 1.0 is not 1), dict keys
    in the same order, and NaN equal to itself: what `json.loads` gives is what `.json()`
    must give."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_json(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_json(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and a != a:
        return b != b
    return a == b


def loads_outcome(load):
    try:
        return ("value", load())
    except Exception as e:  # the exception itself is compared: type and message
        return ("raised", type(e), str(e))


# Documents as servers write them (any spacing, escaped or not), and the same cut or altered
# by a byte: `.json()` reads them itself without `kwargs` (src/codecs/json.rs) and must
# agree with `json.loads` on every one, errors included.
json_documents = st.builds(
    lambda value, indent, ensure_ascii, separators: json.dumps(
        value, indent=indent, ensure_ascii=ensure_ascii, separators=separators
    ).encode(),
    json_values | st.floats() | st.integers(min_value=-(10**30), max_value=10**30),
    st.none() | st.integers(0, 2) | st.just("\t"),
    st.booleans(),
    st.none() | st.just((",", ":")) | st.just((" , ", " : ")),
)


@FAST
@given(json_documents, st.integers(0, 200), st.binary(max_size=2), st.booleans())
@example(b'"\\ud800"', 0, b"", False)
@example(b'"\\ud83d\\ude00"', 0, b"", False)
@example(b"[1e400, -0, -0.0, 1E-400, 12345678901234567890]", 0, b"", False)
@example(b'{"a": 1, "a": 2, "b": 3}', 0, b"", False)
@example(b"NaN", 0, b"", False)
@example(b"\xef\xbb\xbf[1]", 0, b"", False)
@example(b'"a\tb"', 0, b"", False)
@example(b"1" * 5000, 0, b"", False)
@example(b"[" * 300 + b"]" * 300, 0, b"", False)
def test_json_reads_as_json_loads(document, at, inserted, cut):
    at = min(at, len(document))
    if cut:
        document = document[:at]
    elif inserted:
        document = document[:at] + inserted + document[at + 1 :]
    got = loads_outcome(lambda: httprs.Response(200, content=document).json())
    expected = loads_outcome(lambda: json.loads(document))
    assert got[0] == expected[0], (document, got, expected)
    if got[0] == "value":
        assert same_json(got[1], expected[1]), (document, got, expected)
    else:
        assert got[1:] == expected[1:], document


@FAST
@given(any_text)
def test_text_round_trip(text):
    response = attempt(lambda: httprs.Response(200, text=text), BODY_ERRORS)
    if ok(response):
        assert response.text == text
        assert response.content == text.encode("utf-8")
