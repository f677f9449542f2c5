"""A plain ASGI test application (no framework) served by uvicorn in the test session.

Endpoints (all paths are exact unless a ``{placeholder}`` is shown):

``/echo`` (any method)
    JSON ``{"method", "path", "query", "headers", "body", "body_base64"}``.
    ``query`` is the raw query string (``str``), ``headers`` is the list of
    ``[name, value]`` pairs exactly as received (uvicorn lowercases names),
    ``body`` is the request body decoded as UTF-8 with ``surrogateescape``
    (so arbitrary bytes survive: ``body.encode("utf-8", "surrogateescape")``
    gives back the original bytes) and ``body_base64`` is the same body
    base64-encoded (use it when a test needs the exact bytes).
``/status/{code}``
    Responds with that status. Empty body for 1xx/204/304, else JSON ``{"status": code}``.
``/redirect/{n}``
    302 to ``/redirect/{n-1}``; ``/redirect/1`` redirects to ``/echo``. So ``n`` hops.
``/redirect-to?url=...&status=302``
    Redirect with the given status to the given (possibly relative) URL.
``/slow?delay=0.5``
    Sleeps then answers ``ok``; the raw query string is echoed in ``X-Echo-Query``.
``/slow-body?delay=0.2&chunks=3``
    Headers immediately, then ``chunks`` body chunks of ``b"chunk{i}\\n"``, sleeping
    ``delay`` seconds before each one.
``/stream?chunks=N&size=M``
    Chunked response (no Content-Length) of N chunks of M bytes of :func:`pattern`.
``/bytes?size=N``
    N bytes of :func:`pattern` with a Content-Length.
``/set-cookie?name=value&...``
    One ``Set-Cookie: name=value; Path=/`` per query parameter.
``/cookies``, ``/cookies/{anything}``
    JSON object of the cookies received in the ``Cookie`` header.
``/set-cookie-raw``, ``/set-cookie-raw/{anything}`` ``?header=...&location=...&status=302``
    One ``Set-Cookie`` per ``header`` query value, sent verbatim (so attributes such as
    ``Path``, ``Domain``, ``Max-Age``, ``Secure`` are under the test's control). With
    ``location`` it redirects there with ``status`` (default 302); otherwise it answers
    like ``/cookies`` (JSON object of the cookies received).
``/protected?token=secret`` (any method)
    A bearer-token resource. With ``Authorization: Bearer {token}`` it answers like
    ``/echo``; otherwise 401 with ``WWW-Authenticate: Bearer realm="test"`` and the JSON
    body ``{"status": 401, "nonce": token}`` (the body tells the client the token to use,
    so that an auth flow must read the 401's body). The request body is always consumed.
``/charset/{name}``
    ``CHARSET_TEXT[name]`` (or the default sample) encoded in ``name`` with
    ``Content-Type: text/plain; charset={name}``.
``/nocharset``
    ``NOCHARSET_TEXT`` as UTF-8 with ``Content-Type: text/plain`` (no charset).
``/json``
    ``JSON_DOC`` as UTF-8 JSON, ``Content-Type: application/json``.
``/gzip``, ``/deflate`` (``?raw=1`` for raw deflate without zlib header)
    ``COMPRESSED_TEXT`` compressed, with the matching ``Content-Encoding``.
``/unknown-encoding``
    ``plain bytes`` with ``Content-Encoding: x-unknown`` (must be passed through as-is).
``/links``
    Empty body with a ``Link`` header (``LINK_HEADER``).
``/headers-multi``
    Two ``X-Multi`` headers (``a`` then ``b``) and a ``Set-Cookie`` pair.
``/flaky?key=K&failures=2&status=503&retry_after=0``
    Fails the first ``failures`` requests made with that ``key`` (a response with ``status``,
    and ``Retry-After: retry_after`` when given), then answers JSON
    ``{"key": K, "attempts": n}``, n counting every request made with the key so far (the
    retry examples of the documentation).
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import zlib
from urllib.parse import parse_qsl

CHARSET_TEXT = {
    "utf-8": "Grüße, 世界 ✓",
    "latin-1": "café crème brûlée",
    "iso-8859-1": "café crème brûlée",
    "shift_jis": "こんにちは世界",
    "euc-jp": "こんにちは世界",
    "cp1252": "“smart quotes” cost 5€",
    "utf-16": "Grüße, 世界",
}
DEFAULT_CHARSET_TEXT = "café"
NOCHARSET_TEXT = "naïve café ☕"
JSON_DOC = {"name": "Zoë", "city": "Zürich", "emoji": "🎉", "price": 1.1, "items": [1, 2, 3]}
COMPRESSED_TEXT = ("hello compressed world! " * 200).encode("ascii")
LINK_HEADER = '<https://example.com/page/2>; rel="next", <https://example.com/page/9>; rel="last"'

_PATTERN = b"abcdefghijklmnopqrstuvwxyz0123456789"


def pattern(size: int, offset: int = 0) -> bytes:
    """Deterministic body bytes: the alphabet+digits repeated, starting at ``offset``."""
    reps = (offset + size) // len(_PATTERN) + 2
    return (_PATTERN * reps)[offset : offset + size]


async def _read_body(receive) -> bytes:
    body = b""
    more = True
    while more:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        body += message.get("body", b"")
        more = message.get("more_body", False)
    return body


async def _send(send, status: int, body: bytes = b"", headers=(), content_type=None):
    raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    if content_type is not None:
        raw.append((b"content-type", content_type.encode("latin-1")))
    no_body = status < 200 or status in (204, 304)
    if not no_body:
        raw.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": b"" if no_body else body})


async def _send_json(send, obj, status: int = 200, headers=(), ensure_ascii=False):
    body = json.dumps(obj, ensure_ascii=ensure_ascii).encode("utf-8")
    await _send(send, status, body, headers, "application/json")


def _query(scope) -> dict[str, str]:
    return dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))


async def echo(scope, receive, send):
    body = await _read_body(receive)
    await _send_json(
        send,
        {
            "method": scope["method"],
            "path": scope["path"],
            "query": scope["query_string"].decode("latin-1"),
            "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"]],
            "body": body.decode("utf-8", "surrogateescape"),
            "body_base64": base64.b64encode(body).decode("ascii"),
        },
        # ASCII-escaped so that surrogate-escaped bytes survive as \udcXX escapes.
        ensure_ascii=True,
    )


async def status(scope, receive, send):
    code = int(scope["path"].rsplit("/", 1)[1])
    if code < 200 or code in (204, 304):
        await _send(send, code)
    else:
        await _send_json(send, {"status": code}, status=code)


async def redirect_n(scope, receive, send):
    n = int(scope["path"].rsplit("/", 1)[1])
    location = "/echo" if n <= 1 else f"/redirect/{n - 1}"
    await _send(send, 302, b"", [("location", location)])


async def redirect_to(scope, receive, send):
    await _read_body(receive)
    q = _query(scope)
    await _send(send, int(q.get("status", "302")), b"", [("location", q["url"])])


async def _sleep_unless_disconnected(receive, delay: float) -> bool:
    """Sleep ``delay`` seconds; return False early if the client disconnects meanwhile.

    (So that interrupted/timed-out requests do not keep the server busy at shutdown.)
    """

    async def wait_disconnect():
        while (await receive())["type"] != "http.disconnect":
            pass

    watcher = asyncio.ensure_future(wait_disconnect())
    done, _ = await asyncio.wait({watcher}, timeout=delay)
    watcher.cancel()
    return not done


async def slow(scope, receive, send):
    q = _query(scope)
    if not await _sleep_unless_disconnected(receive, float(q.get("delay", "0.5"))):
        return
    echo_query = scope["query_string"].decode("latin-1")
    await _send(send, 200, b"ok", [("x-echo-query", echo_query)], "text/plain")


async def slow_body(scope, receive, send):
    q = _query(scope)
    delay = float(q.get("delay", "0.2"))
    chunks = int(q.get("chunks", "3"))
    start = {"type": "http.response.start", "status": 200}
    start["headers"] = [(b"content-type", b"text/plain")]
    await send(start)
    for i in range(chunks):
        if not await _sleep_unless_disconnected(receive, delay):
            return
        await send(
            {"type": "http.response.body", "body": f"chunk{i}\n".encode(), "more_body": True}
        )
    await send({"type": "http.response.body", "body": b""})


async def stream(scope, receive, send):
    q = _query(scope)
    chunks = int(q.get("chunks", "10"))
    size = int(q.get("size", "100"))
    headers = [(b"content-type", b"application/octet-stream")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    for i in range(chunks):
        body = pattern(size, offset=i * size)
        await send({"type": "http.response.body", "body": body, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


async def bytes_(scope, receive, send):
    size = int(_query(scope).get("size", "1024"))
    headers = [
        (b"content-type", b"application/octet-stream"),
        (b"content-length", str(size).encode()),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    step = 256 * 1024
    for start in range(0, size, step):
        body = pattern(min(step, size - start), offset=start)
        await send({"type": "http.response.body", "body": body, "more_body": True})
    await send({"type": "http.response.body", "body": b""})


async def set_cookie(scope, receive, send):
    pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
    headers = [("set-cookie", f"{name}={value}; Path=/") for name, value in pairs]
    await _send_json(send, {"set": [name for name, _ in pairs]}, headers=headers)


async def cookies(scope, receive, send):
    await _send_json(send, _received_cookies(scope))


def _received_cookies(scope) -> dict[str, str]:
    received = {}
    for name, value in scope["headers"]:
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                if "=" in part:
                    k, v = part.strip().split("=", 1)
                    received[k] = v
    return received


async def set_cookie_raw(scope, receive, send):
    await _read_body(receive)
    pairs = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
    headers = [("set-cookie", value) for name, value in pairs if name == "header"]
    q = dict(pairs)
    if "location" in q:
        headers.append(("location", q["location"]))
        await _send(send, int(q.get("status", "302")), b"", headers)
    else:
        await _send_json(send, _received_cookies(scope), headers=headers)


async def protected(scope, receive, send):
    token = _query(scope).get("token", "secret")
    authorization = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
    if authorization == f"Bearer {token}":
        await echo(scope, receive, send)
        return
    await _read_body(receive)
    challenge = [("www-authenticate", 'Bearer realm="test"')]
    await _send_json(send, {"status": 401, "nonce": token}, status=401, headers=challenge)


async def charset(scope, receive, send):
    name = scope["path"].rsplit("/", 1)[1]
    text = CHARSET_TEXT.get(name.lower(), DEFAULT_CHARSET_TEXT)
    await _send(send, 200, text.encode(name), content_type=f"text/plain; charset={name}")


async def nocharset(scope, receive, send):
    await _send(send, 200, NOCHARSET_TEXT.encode("utf-8"), content_type="text/plain")


async def json_doc(scope, receive, send):
    await _send_json(send, JSON_DOC)


async def gzip_(scope, receive, send):
    body = gzip.compress(COMPRESSED_TEXT)
    await _send(send, 200, body, [("content-encoding", "gzip")], "text/plain")


async def deflate(scope, receive, send):
    if _query(scope).get("raw"):
        compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        body = compressor.compress(COMPRESSED_TEXT) + compressor.flush()
    else:
        body = zlib.compress(COMPRESSED_TEXT)
    await _send(send, 200, body, [("content-encoding", "deflate")], "text/plain")


async def unknown_encoding(scope, receive, send):
    # An encoding nobody implements: clients must leave the body as-is.
    await _send(send, 200, b"plain bytes", [("content-encoding", "x-unknown")], "text/plain")


async def links(scope, receive, send):
    await _send(send, 200, b"", [("link", LINK_HEADER)], "text/plain")


async def headers_multi(scope, receive, send):
    headers = [
        ("x-multi", "a"),
        ("x-multi", "b"),
        ("set-cookie", "one=1; Path=/"),
        ("set-cookie", "two=2; Path=/"),
    ]
    await _send(send, 200, b"multi", headers, "text/plain")


_FLAKY_ATTEMPTS: dict[str, int] = {}


async def flaky(scope, receive, send):
    query = _query(scope)
    key = query.get("key", "")
    attempts = _FLAKY_ATTEMPTS[key] = _FLAKY_ATTEMPTS.get(key, 0) + 1
    await _read_body(receive)
    if attempts <= int(query.get("failures", "2")):
        headers = [("retry-after", query["retry_after"])] if "retry_after" in query else []
        await _send(send, int(query.get("status", "503")), b"failed", headers, "text/plain")
        return
    await _send_json(send, {"key": key, "attempts": attempts})


ROUTES = {
    "/echo": echo,
    "/redirect-to": redirect_to,
    "/slow": slow,
    "/slow-body": slow_body,
    "/stream": stream,
    "/bytes": bytes_,
    "/set-cookie": set_cookie,
    "/cookies": cookies,
    "/protected": protected,
    "/nocharset": nocharset,
    "/json": json_doc,
    "/gzip": gzip_,
    "/deflate": deflate,
    "/unknown-encoding": unknown_encoding,
    "/links": links,
    "/headers-multi": headers_multi,
    "/flaky": flaky,
}
PREFIX_ROUTES = {
    "/status/": status,
    "/redirect/": redirect_n,
    "/charset/": charset,
    "/cookies/": cookies,
    "/set-cookie-raw": set_cookie_raw,
}


async def app(scope, receive, send):
    assert scope["type"] == "http"
    path = scope["path"]
    handler = ROUTES.get(path)
    if handler is None:
        for prefix, candidate in PREFIX_ROUTES.items():
            if path.startswith(prefix):
                handler = candidate
                break
    if handler is None:
        await _send(send, 404, b"not found", content_type="text/plain")
        return
    await handler(scope, receive, send)
