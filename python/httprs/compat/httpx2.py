"""httprs's network engine under a real `httpx2.Client` / `httpx2.AsyncClient`.

    import httpx2
    from httprs.compat.httpx2 import AsyncHTTPTransport, HTTPTransport

    client = httpx2.Client(transport=HTTPTransport(http2=True))
    async_client = httpx2.AsyncClient(transport=AsyncHTTPTransport())

The client stays httpx2's (SDKs that check `isinstance(http_client, httpx2.Client)` accept it);
each request goes over httprs's Rust network stack. The transports take the arguments of
`httpx2.HTTPTransport`, raise httpx2's exception classes and stream response bodies: see
`httprs.compat._adapter` and docs/sdks.md. Importing this module imports httpx2.
"""

from __future__ import annotations

import httpx2

from ._adapter import AsyncNetworkAdapter, AsyncResponseBody, Library, NetworkAdapter, ResponseBody

__all__ = ["AsyncHTTPTransport", "AsyncResponseStream", "HTTPTransport", "ResponseStream"]


class ResponseStream(ResponseBody, httpx2.SyncByteStream):
    """An `httpx2.SyncByteStream` over an httprs response body on the wire."""


class AsyncResponseStream(AsyncResponseBody, httpx2.AsyncByteStream):
    """An `httpx2.AsyncByteStream` over an httprs response body on the wire."""


_LIBRARY = Library(httpx2, ResponseStream, AsyncResponseStream)


class HTTPTransport(NetworkAdapter, httpx2.BaseTransport):
    """An `httpx2.BaseTransport` that sends over httprs (`httpx2.Client(transport=...)`);
    arguments as `httpx2.HTTPTransport`'s."""

    _library = _LIBRARY


class AsyncHTTPTransport(AsyncNetworkAdapter, httpx2.AsyncBaseTransport):
    """An `httpx2.AsyncBaseTransport` that sends over httprs (`httpx2.AsyncClient(transport=
    ...)`, asyncio or trio); arguments as `httpx2.AsyncHTTPTransport`'s."""

    _library = _LIBRARY
