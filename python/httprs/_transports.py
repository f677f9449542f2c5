"""Transports written in Python: the base classes users subclass, and `MockTransport`.

The client calls `handle_request(request)` (Client) or `await handle_async_request(request)`
(AsyncClient) on them and gives the returned `Response` full client treatment (redirects,
auth, cookies, hooks). The network transports (`HTTPTransport`, `AsyncHTTPTransport`) are in
Rust and are driven without going through Python.
"""

from __future__ import annotations

import abc
import os
import types
from _collections_abc import Iterable  # what `collections.abc` re-exports, loaded at start-up

from ._httprs import AsyncHTTPTransport, HTTPTransport
from ._models import Request, Response

# Names for the type checkers only: `typing` and `inspect` cost milliseconds to import, and
# this module is loaded by a first request with a streamed body or a mock.
TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    import typing

__all__ = [
    "AsyncBaseTransport",
    "AsyncByteStream",
    "BaseTransport",
    "ByteStream",
    "MockTransport",
    "SyncByteStream",
]


class SyncByteStream:
    """A response or request body for `Response(stream=...)`: iterate bytes; `close()`."""

    def __iter__(self) -> typing.Iterator[bytes]:
        raise NotImplementedError("The '__iter__' method must be implemented.")
        yield b""  # pragma: no cover

    def close(self) -> None:
        """Subclasses that hold resources release them here."""


class AsyncByteStream:
    """An async body for `Response(stream=...)`: async-iterate bytes; `aclose()`."""

    async def __aiter__(self) -> typing.AsyncIterator[bytes]:
        raise NotImplementedError("The '__aiter__' method must be implemented.")
        yield b""  # pragma: no cover

    async def aclose(self) -> None:
        """Subclasses that hold resources release them here."""


class ByteStream(AsyncByteStream, SyncByteStream):
    """A body held in memory: iterable and async-iterable alike (`request.stream` of a
    bytes body, `response.stream` once read), as httpx's `ByteStream`."""

    def __init__(self, stream: bytes) -> None:
        self._stream = stream

    def __iter__(self) -> typing.Iterator[bytes]:
        yield self._stream

    async def __aiter__(self) -> typing.AsyncIterator[bytes]:
        yield self._stream


class IteratorByteStream(SyncByteStream):
    """`content=` given as an iterable of bytes or a file-like object, as httpx wraps it:
    a file is read in 64 KiB chunks; a generator can be iterated once (`StreamConsumed`)."""

    CHUNK_SIZE = 65_536

    def __init__(self, stream: typing.Any) -> None:
        self._stream = stream
        self._is_stream_consumed = False
        self._is_generator = isinstance(stream, types.GeneratorType)

    def __iter__(self) -> typing.Iterator[bytes]:
        if self._is_generator and self._is_stream_consumed:
            from ._exceptions import StreamConsumed

            raise StreamConsumed()
        self._is_stream_consumed = True
        if hasattr(self._stream, "read"):
            chunk = self._stream.read(self.CHUNK_SIZE)
            while chunk:
                yield chunk
                chunk = self._stream.read(self.CHUNK_SIZE)
        else:
            yield from self._stream


class AsyncIteratorByteStream(AsyncByteStream):
    """`content=` given as an async iterable of bytes or an object with `async aread(n)`;
    an async generator can be iterated once (`StreamConsumed`)."""

    CHUNK_SIZE = 65_536

    def __init__(self, stream: typing.Any) -> None:
        self._stream = stream
        self._is_stream_consumed = False
        self._is_generator = isinstance(stream, types.AsyncGeneratorType)

    async def __aiter__(self) -> typing.AsyncIterator[bytes]:
        if self._is_generator and self._is_stream_consumed:
            from ._exceptions import StreamConsumed

            raise StreamConsumed()
        self._is_stream_consumed = True
        if hasattr(self._stream, "aread"):
            chunk = await self._stream.aread(self.CHUNK_SIZE)
            while chunk:
                yield chunk
                chunk = await self._stream.aread(self.CHUNK_SIZE)
        else:
            iterator = self._stream.__aiter__()
            try:
                async for part in iterator:
                    yield part
            finally:
                # Closed with this stream (an upload stopped midway: the task was cancelled,
                # the server answered early) rather than whenever it is garbage collected.
                aclose = getattr(iterator, "aclose", None)
                if aclose is not None:
                    await aclose()


def peek_filelike_length(stream: typing.Any) -> int | None:
    """The length of a file (its size) or of a seekable stream (from where it is), else None:
    what httpx sends as `Content-Length` for a file-like `content=`."""
    try:
        size = os.fstat(stream.fileno()).st_size
        remaining: int = size - stream.tell()
        return remaining
    except (AttributeError, OSError, ValueError, TypeError):
        pass
    try:
        offset = stream.tell()
        length = stream.seek(0, os.SEEK_END)
        stream.seek(offset)
    except (AttributeError, OSError, ValueError, TypeError):
        return None
    return length - offset if isinstance(length, int) else None


def wrap_content(content: typing.Any) -> tuple[int | None, typing.Any, bool]:
    """`content=` that is neither bytes nor str, as httpx encodes it: (its length if known,
    the stream object the request keeps, whether it is async). A stream that is already one
    of httpx's stream classes is kept as it is (as `Request(stream=...)` keeps it in httpx):
    one of both kinds goes with either client."""
    if isinstance(content, SyncByteStream | AsyncByteStream):
        return None, content, not isinstance(content, SyncByteStream)
    if isinstance(content, Iterable):
        return peek_filelike_length(content), IteratorByteStream(content), False
    return None, AsyncIteratorByteStream(content), True


class UnattachedStream(AsyncByteStream, SyncByteStream):
    """The stream of an unpickled request or response whose body was not read: the body
    did not travel with it, so reading it raises `StreamClosed` (as in httpx)."""

    def __iter__(self) -> typing.Iterator[bytes]:
        from ._exceptions import StreamClosed

        raise StreamClosed()
        yield b""  # pragma: no cover

    async def __aiter__(self) -> typing.AsyncIterator[bytes]:
        from ._exceptions import StreamClosed

        raise StreamClosed()
        yield b""  # pragma: no cover


# ABCMeta only so that the Rust transports can be registered as subclasses (below).
class BaseTransport(metaclass=abc.ABCMeta):  # noqa: B024
    """A transport for `Client`: implement `handle_request`."""

    def __enter__(self) -> typing.Self:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()

    def handle_request(self, request: Request) -> Response:
        """Send `request` and return the response (its body may be a stream to read later)."""
        raise NotImplementedError("The 'handle_request' method must be implemented.")

    def close(self) -> None:  # noqa: B027 (optional, as in httpx)
        """Release the transport's resources (the client calls it when it closes)."""


class AsyncBaseTransport(metaclass=abc.ABCMeta):  # noqa: B024
    """A transport for `AsyncClient`: implement `handle_async_request`."""

    async def __aenter__(self) -> typing.Self:
        return self

    async def __aexit__(self, *args: object) -> None:
        await self.aclose()

    async def handle_async_request(self, request: Request) -> Response:
        """Send `request` and return the response (its body may be a stream to read later)."""
        raise NotImplementedError("The 'handle_async_request' method must be implemented.")

    async def aclose(self) -> None:  # noqa: B027 (optional, as in httpx)
        """Release the transport's resources (the client calls it when it closes)."""


# The Rust network transports are transports in the eyes of isinstance().
BaseTransport.register(HTTPTransport)
AsyncBaseTransport.register(AsyncHTTPTransport)


class MockTransport(AsyncBaseTransport, BaseTransport):
    """Answer every request with `handler(request)`: test code without a network.

    The handler returns an `httprs.Response`, or an `httpx.Response` (a handler written for
    httpx, respx's `router.handler`), which is converted. It may be an `async def` function
    when used with `AsyncClient`.
    """

    # What the handler returns is checked when it is called: a Response (ours or httpx's), or
    # an awaitable of one.
    def __init__(self, handler: typing.Callable[[Request], typing.Any]) -> None:
        self.handler = handler

    def handle_request(self, request: Request) -> Response:
        """The handler's response to `request` (its body read first)."""
        request.read()
        returned = self.handler(request)
        if _is_awaitable(returned):
            _discard(returned)
            raise TypeError(
                "Cannot use an async handler in a sync Client: MockTransport's handler "
                f"returned an awaitable ({type(returned).__name__}); use httprs.AsyncClient, "
                "or a plain function that returns a Response"
            )
        return as_response(returned, "MockTransport's handler")

    async def handle_async_request(self, request: Request) -> Response:
        """The handler's response to `request` (its body read first; an async handler is
        awaited)."""
        await request.aread()
        returned = self.handler(request)
        if _is_awaitable(returned):
            returned = await returned
        return as_response(returned, "MockTransport's handler")


def _is_awaitable(obj: object) -> bool:
    import inspect  # on first use: with `ast` and `dis`, milliseconds

    return inspect.isawaitable(obj)


def _discard(awaitable: typing.Any) -> None:
    """Close a coroutine nobody will await (no "never awaited" warning on top of the error)."""
    close = getattr(awaitable, "close", None)
    if close is not None:
        close()


def as_response(returned: typing.Any, who: str) -> Response:
    """What a mock handler returned, as an `httprs.Response`: ours as it is; an httpx (or
    httpx2) `Response` converted (status, headers as sent, body or stream, `http_version` and
    `reason_phrase`); anything else a TypeError saying what is expected."""
    if isinstance(returned, Response):
        return returned
    if _is_httpx_response(returned):
        return _from_httpx_response(returned)
    raise TypeError(
        f"{who} must return an httprs.Response (or an httpx.Response, which is converted), "
        f"got {type(returned).__name__}"
    )


def _is_httpx_response(obj: typing.Any) -> bool:
    # By name, not isinstance: httprs never imports httpx.
    return any(
        cls.__name__ == "Response" and cls.__module__.split(".")[0] in ("httpx", "httpx2")
        for cls in type(obj).__mro__
    )


def _from_httpx_response(foreign: typing.Any) -> Response:
    extensions = {
        key: foreign.extensions[key]
        for key in ("http_version", "reason_phrase")
        if key in foreign.extensions
    }
    body: dict[str, typing.Any]
    if hasattr(foreign, "_content"):  # made with content/json/text, or read already
        body = {"content": foreign.content}
    else:
        body = {"stream": ForeignStream(foreign.stream)}
    return Response(
        foreign.status_code, headers=list(foreign.headers.raw), extensions=extensions, **body
    )


class ForeignStream(AsyncByteStream, SyncByteStream):
    """Another library's byte stream (an httpx response's `stream`), as one of ours: iterated,
    async-iterated and closed through it."""

    def __init__(self, stream: typing.Any) -> None:
        self._stream = stream

    def __iter__(self) -> typing.Iterator[bytes]:
        if not hasattr(self._stream, "__iter__"):
            raise RuntimeError("Attempted to call a sync iterator on an async stream.")
        yield from self._stream

    async def __aiter__(self) -> typing.AsyncIterator[bytes]:
        if not hasattr(self._stream, "__aiter__"):
            raise RuntimeError("Attempted to call an async iterator on a sync stream.")
        async for chunk in self._stream:
            yield chunk

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()

    async def aclose(self) -> None:
        aclose = getattr(self._stream, "aclose", None)
        if aclose is not None:
            await aclose()
