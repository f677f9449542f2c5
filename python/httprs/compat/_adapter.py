"""The one implementation behind `httprs.compat.httpx` and `httprs.compat.httpx2`.

httpx and httpx2 (pydantic's fork) have the same transport interface: `handle_request(request)`
/ `await handle_async_request(request)` get their `Request` and return their `Response`, whose
`stream` the client reads and closes. An adapter converts at that seam and nothing more: the
library's request becomes an `httprs.Request` (same method, URL, header list with its
spellings, body, `extensions["timeout"]`), which httprs's own network transport
(`httprs.HTTPTransport` / `AsyncHTTPTransport`, one per adapter, closed with it) sends; its
response comes back as the library's `Response` with the head as received and a body stream
that pulls the raw (still content-encoded) bytes from the socket as the library reads them:
httpx decodes them itself, as it does after its own transport. Redirects, cookies, auth and
decoding stay the library client's job, as with any httpx transport.

httprs raises its copies of httpx's exception classes; the adapter raises the library's
class of the same name in their place (`httprs.ConnectTimeout` -> `httpx.ConnectTimeout`),
with the same message and notes, the httpx request attached, and httprs's exception as the
cause, so that code catching `httpx.TimeoutException` (the SDKs' retry loops) sees its own.

This module imports neither library: `Library` is given the module by `compat.httpx` /
`compat.httpx2`.
"""

from __future__ import annotations

import types
import typing

import httprs

from .. import AsyncHTTPTransport as _AsyncNetworkTransport
from .. import HTTPTransport as _NetworkTransport
from .. import Limits, Proxy, Request, Response, Retry

__all__ = ["AsyncNetworkAdapter", "AsyncResponseBody", "Library", "NetworkAdapter", "ResponseBody"]


class Library:
    """What an adapter needs to know of httpx or httpx2: the module, its stream classes for
    response bodies, and which of its exception classes stands for each of httprs's."""

    def __init__(
        self,
        module: types.ModuleType,
        sync_body: type[ResponseBody],
        async_body: type[AsyncResponseBody],
    ) -> None:
        self.module = module
        self.sync_body = sync_body
        self.async_body = async_body
        # Each httprs exception class (httpx's hierarchy, httpx's names) -> the library's.
        self.errors: dict[type[BaseException], type[BaseException]] = {}
        for name in httprs.__all__:
            ours = getattr(httprs, name)
            if not _is_exception_class(ours):
                continue  # (not even looked up: httpx2 warns about some of its names)
            theirs = getattr(module, name, None)
            if _is_exception_class(theirs):
                self.errors[ours] = theirs
        # What an adapter catches to translate: every class it can translate.
        self.caught = tuple(self.errors)

    def reraise(self, exc: BaseException, request: typing.Any) -> typing.NoReturn:
        """Raise the library's exception for httprs's `exc` (being handled), from it."""
        mapped = self.translated(exc, request)
        if mapped is None:
            raise exc
        raise mapped from exc

    def translated(self, exc: BaseException, request: typing.Any) -> BaseException | None:
        """The library's exception for httprs's `exc` (None: raise `exc` as it is)."""
        target: typing.Any = None  # (the library's classes take `request=`: not typed here)
        for cls in type(exc).__mro__:
            target = self.errors.get(cls)
            if target is not None:
                break
        module = self.module
        if target is None or issubclass(target, module.HTTPStatusError):
            return None  # A status error needs a response; transports never raise one.
        mapped: BaseException
        if issubclass(target, module.RequestError):
            mapped = target(str(exc), request=request)
        elif issubclass(target, module.StreamError) and target is not module.StreamError:
            mapped = target()  # Their messages are fixed, the same in httpx and httprs.
        else:
            mapped = target(str(exc))
        for note in getattr(exc, "__notes__", ()):
            mapped.add_note(note)
        return mapped

    def request(self, request: typing.Any, is_async: bool) -> Request:
        """The httprs request for the library's `request`: headers as the library wrote
        them (its Host, Content-Length / Transfer-Encoding, spellings), the body in memory
        or streamed from the library's own stream, the timeouts of `extensions["timeout"]`."""
        try:
            content = request.content
        except self.module.RequestNotRead:
            # A streaming body, passed on as an iterable of the kind the transport pulls.
            # httpx's multipart stream is sync and async at once: an AsyncClient's is pulled
            # through its async side, as httpx's own async transport does.
            content = _async_chunks(request.stream) if is_async else request.stream
        timeout = request.extensions.get("timeout")
        return Request(
            request.method,
            str(request.url),
            headers=request.headers.raw,
            content=content,
            extensions=None if timeout is None else {"timeout": timeout},
        )

    def response(self, response: Response, body: typing.Any) -> typing.Any:
        """The library's response for httprs's: the head as received, `body` its stream."""
        extensions = {
            "http_version": response.http_version.encode("ascii"),
            "reason_phrase": response.reason_phrase.encode("ascii", "ignore"),
        }
        # The connection a 101 handed over (docs/upgrades.md), for WebSocket clients.
        network_stream = response.extensions.get("network_stream")
        if network_stream is not None:
            extensions["network_stream"] = network_stream
        return self.module.Response(
            status_code=response.status_code,
            headers=response.headers.raw,
            stream=body,
            extensions=extensions,
        )

    def network_options(self, options: dict[str, typing.Any]) -> dict[str, typing.Any]:
        """httpx.HTTPTransport's arguments as httprs's transport takes them: the library's
        `Limits`, `Proxy` and `URL` become httprs's (the rest is the same)."""
        limits = options["limits"]
        if limits is not None and not isinstance(limits, Limits):
            options["limits"] = Limits(
                max_connections=limits.max_connections,
                max_keepalive_connections=limits.max_keepalive_connections,
                keepalive_expiry=limits.keepalive_expiry,
            )
        proxy = options["proxy"]
        if isinstance(proxy, self.module.URL):
            options["proxy"] = str(proxy)
        elif isinstance(proxy, self.module.Proxy):
            options["proxy"] = Proxy(
                str(proxy.url),
                auth=proxy.auth,
                headers=proxy.headers.raw or None,
                ssl_context=proxy.ssl_context,
            )
        return options


def _is_exception_class(value: object) -> typing.TypeGuard[type[BaseException]]:
    return isinstance(value, type) and issubclass(value, BaseException)


async def _async_chunks(stream: typing.AsyncIterable[bytes]) -> typing.AsyncIterator[bytes]:
    """An async-only view of a request stream (httprs takes a stream that is also a sync
    iterable for a sync one)."""
    async for chunk in stream:
        yield chunk


class ResponseBody:
    """The body of a response from `NetworkAdapter`: the raw bytes, pulled from the socket
    one chunk per iteration step; `close()` closes httprs's response (its connection goes
    back to the pool when the body was read to its end). The library's `SyncByteStream`
    comes beside it in the concrete class."""

    def __init__(self, response: Response, request: typing.Any, library: Library) -> None:
        self._response = response
        self._request = request
        self._library = library
        self._chunks: typing.Iterator[bytes] | None = None

    def __iter__(self) -> typing.Iterator[bytes]:
        # Iterating again goes on where the last iteration stopped (nothing once the body
        # has been read), as httpx's own stream does: SDKs drain a stream they gave out.
        return self

    def __next__(self) -> bytes:
        if self._chunks is None:
            self._chunks = self._response.iter_raw()
        try:
            return next(self._chunks)
        except self._library.caught as exc:
            self._library.reraise(exc, self._request)

    def close(self) -> None:
        self._response.close()


class AsyncResponseBody:
    """`ResponseBody` for `AsyncNetworkAdapter`: async iteration, `aclose()`."""

    def __init__(self, response: Response, request: typing.Any, library: Library) -> None:
        self._response = response
        self._request = request
        self._library = library
        self._chunks: typing.AsyncIterator[bytes] | None = None

    def __aiter__(self) -> typing.AsyncIterator[bytes]:
        return self  # Again: goes on where it stopped (see `ResponseBody.__iter__`).

    async def __anext__(self) -> bytes:
        if self._chunks is None:
            self._chunks = self._response.aiter_raw()
        try:
            return await self._chunks.__anext__()
        except self._library.caught as exc:
            self._library.reraise(exc, self._request)

    async def aclose(self) -> None:
        await self._response.aclose()


class _Adapter:
    """What both adapters share: the arguments of httpx's `HTTPTransport`, passed to the
    httprs network transport underneath (one per adapter)."""

    _library: typing.ClassVar[Library]
    _network_class: typing.ClassVar[type[typing.Any]]

    def __init__(
        self,
        verify: typing.Any = True,
        cert: typing.Any = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        limits: typing.Any = None,
        proxy: typing.Any = None,
        uds: str | None = None,
        local_address: str | None = None,
        # httpx's int (connection failures only), or an `httprs.Retry` policy.
        retries: int | Retry = 0,
        socket_options: typing.Any = None,
    ) -> None:
        options = self._library.network_options(
            {
                "verify": verify,
                "cert": cert,
                "trust_env": trust_env,
                "http1": http1,
                "http2": http2,
                "limits": limits,
                "proxy": proxy,
                "uds": uds,
                "local_address": local_address,
                "retries": retries,
                "socket_options": socket_options,
            }
        )
        self._network = self._network_class(**options)


class NetworkAdapter(_Adapter):
    """A sync transport for the library's `Client` over httprs's `HTTPTransport`."""

    _network_class = _NetworkTransport

    def handle_request(self, request: typing.Any) -> typing.Any:
        library = self._library
        try:
            response = self._network.handle_request(library.request(request, is_async=False))
        except library.caught as exc:
            library.reraise(exc, request)
        return library.response(response, library.sync_body(response, request, library))

    def close(self) -> None:
        self._network.close()


class AsyncNetworkAdapter(_Adapter):
    """An async transport for the library's `AsyncClient` (asyncio and trio) over httprs's
    `AsyncHTTPTransport`."""

    _network_class = _AsyncNetworkTransport

    async def handle_async_request(self, request: typing.Any) -> typing.Any:
        library = self._library
        try:
            response = await self._network.handle_async_request(
                library.request(request, is_async=True)
            )
        except library.caught as exc:
            library.reraise(exc, request)
        return library.response(response, library.async_body(response, request, library))

    async def aclose(self) -> None:
        await self._network.aclose()
