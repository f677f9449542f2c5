"""httprs's network engine under a real `httpx.Client` / `httpx.AsyncClient`.

    import httpx
    from httprs.compat.httpx import AsyncHTTPTransport, HTTPTransport

    client = httpx.Client(transport=HTTPTransport(http2=True))
    async_client = httpx.AsyncClient(transport=AsyncHTTPTransport())

The client stays httpx's (SDKs that check `isinstance(http_client, httpx.Client)` accept it);
each request goes over httprs's Rust network stack. The transports take the arguments of
`httpx.HTTPTransport`, raise httpx's exception classes and stream response bodies: see
`httprs.compat._adapter` and docs/sdks.md. Importing this module imports httpx.
"""

from __future__ import annotations

import httpx

from ._adapter import AsyncNetworkAdapter, AsyncResponseBody, Library, NetworkAdapter, ResponseBody

__all__ = ["AsyncHTTPTransport", "AsyncResponseStream", "HTTPTransport", "ResponseStream"]


class ResponseStream(ResponseBody, httpx.SyncByteStream):
    """An `httpx.SyncByteStream` over an httprs response body on the wire."""


class AsyncResponseStream(AsyncResponseBody, httpx.AsyncByteStream):
    """An `httpx.AsyncByteStream` over an httprs response body on the wire."""


_LIBRARY = Library(httpx, ResponseStream, AsyncResponseStream)


class HTTPTransport(NetworkAdapter, httpx.BaseTransport):
    """An `httpx.BaseTransport` that sends over httprs (`httpx.Client(transport=...)`);
    arguments as `httpx.HTTPTransport`'s."""

    _library = _LIBRARY


class AsyncHTTPTransport(AsyncNetworkAdapter, httpx.AsyncBaseTransport):
    """An `httpx.AsyncBaseTransport` that sends over httprs (`httpx.AsyncClient(transport=
    ...)`, asyncio or trio); arguments as `httpx.AsyncHTTPTransport`'s."""

    _library = _LIBRARY
