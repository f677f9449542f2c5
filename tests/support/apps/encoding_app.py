"""A plain ASGI app serving content-encoded bodies, for ``tests/robustness/test_decoding.py``.

Served by uvicorn from the ``encoding_server`` fixture of ``tests/robustness/test_decoding.py``.
Compresses with the standard library (gzip, deflate) and the ``brotli`` and ``zstandard`` packages.

Endpoints (query parameters):

``/encoded?coding=gzip,br&size=N&chunk=M&raw=1``
    ``size`` bytes of :func:`body` (default ``BODY_SIZE``) with each coding of the
    comma-separated ``coding`` list applied in order (``identity`` and unknown names change
    nothing), sent with ``Content-Encoding: {coding}`` verbatim. ``raw=1`` makes deflate raw
    (no zlib wrapper). With ``chunk`` the encoded bytes go out in pieces of that size
    (chunked transfer, one ASGI body message each), else in one piece with a Content-Length.
    ``cut=K`` sends only the first K encoded bytes (a stream cut short); ``frames=N`` makes
    zstd N frames of the body split in N parts; ``members=N`` the same for gzip.
``/corrupt?coding=br``
    ``CORRUPT`` sent with ``Content-Encoding: {coding}``.
``/zeros?coding=gzip&size=N&chunk=M``
    ``size`` zero bytes encoded (a decompression bomb), in pieces of ``chunk`` bytes.
``/echo-headers``
    JSON list of the request's ``[name, value]`` header pairs.
"""

from __future__ import annotations

import functools
import gzip
import json
import zlib
from urllib.parse import parse_qsl

import brotli
import zstandard

BODY_SIZE = 50_000
CORRUPT = b"this is not compressed at all, in any coding"


def body(size: int = BODY_SIZE) -> bytes:
    """Deterministic, compressible, not trivial: numbered lines."""
    lines = b"".join(b"line %06d: the quick brown fox\n" % i for i in range(size // 30 + 1))
    return lines[:size]


def _deflate(data: bytes, raw: bool) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS if raw else zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def _split(data: bytes, parts: int) -> list[bytes]:
    step = max(1, -(-len(data) // parts))
    return [data[i : i + step] for i in range(0, len(data), step)] or [b""]


def encode(data: bytes, coding: str, raw: bool = False, parts: int = 1) -> bytes:
    """Apply one coding (``parts`` > 1: several gzip members or zstd frames)."""
    coding = coding.strip().lower()
    if coding == "gzip":
        return b"".join(gzip.compress(p, mtime=0) for p in _split(data, parts))
    if coding == "deflate":
        return _deflate(data, raw)
    if coding == "br":
        return brotli.compress(data)
    if coding == "zstd":
        return b"".join(zstandard.compress(p) for p in _split(data, parts))
    return data


def encode_all(data: bytes, codings: str, raw: bool = False, parts: int = 1) -> bytes:
    for coding in codings.split(","):
        data = encode(data, coding, raw, parts)
    return data


@functools.lru_cache(maxsize=8)
def zeros(coding: str, size: int) -> bytes:
    if coding == "gzip":
        compressor = zlib.compressobj(9, wbits=zlib.MAX_WBITS | 16)
        block = bytes(1 << 20)
        out = []
        left = size
        while left > 0:
            out.append(compressor.compress(block[: min(left, len(block))]))
            left -= len(block)
        out.append(compressor.flush())
        return b"".join(out)
    return encode_all(bytes(size), coding)


async def _send(send, payload: bytes, headers: list[tuple[bytes, bytes]], chunk: int) -> None:
    if chunk <= 0:
        headers = [*headers, (b"content-length", str(len(payload)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    if chunk <= 0:
        await send({"type": "http.response.body", "body": payload})
        return
    for i in range(0, len(payload), chunk):
        await send(
            {"type": "http.response.body", "body": payload[i : i + chunk], "more_body": True}
        )
    await send({"type": "http.response.body", "body": b""})


async def app(scope, receive, send):
    assert scope["type"] == "http"
    query = dict(parse_qsl(scope["query_string"].decode(), keep_blank_values=True))
    coding = query.get("coding", "")
    chunk = int(query.get("chunk", "0"))
    headers = [(b"content-type", b"application/octet-stream")]
    if coding:
        headers.append((b"content-encoding", coding.encode()))
    path = scope["path"]
    if path == "/encoded":
        parts = int(query.get("frames", query.get("members", "1")))
        size = int(query.get("size", str(BODY_SIZE)))
        payload = encode_all(body(size), coding, query.get("raw") == "1", parts)
        if "cut" in query:
            payload = payload[: int(query["cut"])]
        await _send(send, payload, headers, chunk)
    elif path == "/corrupt":
        await _send(send, CORRUPT, headers, chunk)
    elif path == "/zeros":
        await _send(send, zeros(coding, int(query["size"])), headers, chunk)
    elif path == "/echo-headers":
        pairs = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"]]
        await _send(send, json.dumps(pairs).encode(), [(b"content-type", b"application/json")], 0)
    else:
        await _send(send, b"not found", [], 0)
