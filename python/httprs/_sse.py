"""Server-sent events: ``client.sse()`` and ``EventSource``, the thin drivers of the Rust parser.

The parsing (WHATWG rules, incremental, bounded) is ``EventStreamParser`` in Rust
(``src/codecs/sse.rs``). What is here only iterates the response's decoded bytes, through the
client's own ``stream()`` and the response's ``iter_bytes()`` / ``aiter_bytes()`` (so a
subclass's ``send``, hooks, auth and redirects apply, and the body is never held whole),
hands each chunk to the parser, and reconnects when asked. It is Python because that is the
job: calling the client's overridable methods, context managers, and the event loop's sleep
(asyncio or trio).

Names follow httpx2 (``EventSource``, ``ServerSentEvent``, ``SSEError``, ``max_event_size``)
and httpx-sse (``iter_sse()`` / ``aiter_sse()``).
"""

from __future__ import annotations

import time

from ._exceptions import SSEError, TransportError
from ._httprs import EventStreamParser, Headers, ServerSentEvent

TYPE_CHECKING = False  # `typing` for the type checkers only: it costs milliseconds to import
if TYPE_CHECKING:  # pragma: no cover
    import typing

    from ._models import Response

__all__ = ["EventSource", "ServerSentEvent", "SSEError"]

#: The most bytes one event may buffer (httpx2's default): ``SSEError`` past it.
DEFAULT_MAX_EVENT_SIZE = 1024 * 1024
#: The wait before a reconnection when the stream never sent ``retry:`` (milliseconds).
DEFAULT_RETRY_MS = 3000


def _check_content_type(response: Response) -> None:
    content_type = response.headers.get("content-type", "").partition(";")[0].strip()
    if content_type.lower() != "text/event-stream":
        raise SSEError(
            f"Expected response with content type 'text/event-stream', got {content_type!r}.",
            request=response.request,
        )


class EventSource:
    """The events of a ``text/event-stream`` response: iterate it (``for`` on a ``Client``'s
    response, ``async for`` on an ``AsyncClient``'s) for ``ServerSentEvent`` objects.

    ``EventSource(response)`` wraps a response from ``client.stream()``; ``client.sse()``
    makes one for you (and reconnects when asked). Iterating raises ``SSEError`` when the
    response is not an event stream.
    """

    def __init__(
        self,
        response: Response,
        max_event_size: int | None = DEFAULT_MAX_EVENT_SIZE,
        *,
        last_event_id: str | None = None,
        _connection: _Connection | None = None,
    ) -> None:
        self._response = response
        self._parser = EventStreamParser(max_event_size, last_event_id)
        self._connection = _connection

    @property
    def response(self) -> Response:
        """The response being read (after a reconnection, the new one)."""
        return self._response

    @property
    def last_event_id(self) -> str:
        """The id of the last event received ("" before any): a reconnection sends it as
        ``Last-Event-ID``."""
        return self._parser.last_event_id

    @property
    def retry(self) -> int | None:
        """The reconnection time the server asked for (``retry:``), in milliseconds."""
        return self._parser.retry

    def _raise_unless_reconnecting(self, error: TransportError) -> None:
        """A dropped connection is what reconnecting is for; an ``SSEError`` is not."""
        if self._connection is None or isinstance(error, SSEError):
            raise error

    def _reconnect_delay(self) -> float:
        retry = self._parser.retry
        return (DEFAULT_RETRY_MS if retry is None else retry) / 1000

    def __iter__(self) -> typing.Iterator[ServerSentEvent]:
        while True:
            _check_content_type(self._response)
            try:
                for chunk in self._response.iter_bytes():
                    yield from self._parser.feed(chunk)
            except TransportError as error:
                self._raise_unless_reconnecting(error)
            finally:
                self._parser.finish()
            if self._connection is None:
                return
            time.sleep(self._reconnect_delay())
            response = self._connection.reopen(self.last_event_id)
            if response is None:
                return
            self._response = response

    async def __aiter__(self) -> typing.AsyncIterator[ServerSentEvent]:
        while True:
            _check_content_type(self._response)
            try:
                async for chunk in self._response.aiter_bytes():
                    for event in self._parser.feed(chunk):
                        yield event
            except TransportError as error:
                self._raise_unless_reconnecting(error)
            finally:
                self._parser.finish()
            if self._connection is None:
                return
            await _sleep(self._reconnect_delay())
            response = await self._connection.areopen(self.last_event_id)
            if response is None:
                return
            self._response = response

    def iter_sse(self) -> typing.Iterator[ServerSentEvent]:
        """httpx-sse's name for ``iter(event_source)``."""
        return iter(self)

    def aiter_sse(self) -> typing.AsyncIterator[ServerSentEvent]:
        """httpx-sse's name for ``aiter(event_source)``."""
        return self.__aiter__()


async def _sleep(seconds: float) -> None:
    import sniffio  # here: the event loop is running, and has imported far more

    if sniffio.current_async_library() == "trio":
        import trio

        await trio.sleep(seconds)
    else:
        import asyncio

        await asyncio.sleep(seconds)


class _Connection:
    """What ``client.sse()`` entered: the request, sent again on a reconnection."""

    def __init__(
        self,
        client: typing.Any,
        method: str,
        url: typing.Any,
        headers: typing.Any,
        kwargs: dict[str, typing.Any],
        reconnect: bool,
        last_event_id: str | None,
        max_event_size: int | None,
    ) -> None:
        self._client = client
        self._method = method
        self._url = url
        # httpx2's defaults; the caller's headers win.
        self._headers = Headers({"Accept": "text/event-stream", "Cache-Control": "no-store"})
        self._headers.update(Headers(headers))
        self._kwargs = kwargs
        self._reconnect = reconnect
        self._last_event_id = last_event_id
        self._max_event_size = max_event_size
        self._stream: typing.Any = None

    def _request_stream(self, last_event_id: str | None) -> typing.Any:
        headers = self._headers.copy()
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        return self._client.stream(self._method, self._url, headers=headers, **self._kwargs)

    def _event_source(self, response: Response) -> EventSource:
        return EventSource(
            response,
            self._max_event_size,
            last_event_id=self._last_event_id,
            _connection=self if self._reconnect else None,
        )

    def __enter__(self) -> EventSource:
        self._stream = self._request_stream(self._last_event_id)
        return self._event_source(self._stream.__enter__())

    def __exit__(self, *exc_info: object) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            stream.__exit__(*exc_info)

    async def __aenter__(self) -> EventSource:
        self._stream = self._request_stream(self._last_event_id)
        return self._event_source(await self._stream.__aenter__())

    async def __aexit__(self, *exc_info: object) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            await stream.__aexit__(*exc_info)

    def reopen(self, last_event_id: str) -> Response | None:
        """The next connection's response, or None when the server said to stop (204)."""
        self.__exit__(None, None, None)
        self._stream = self._request_stream(last_event_id)
        response = self._stream.__enter__()
        return None if response.status_code == 204 else response

    async def areopen(self, last_event_id: str) -> Response | None:
        await self.__aexit__(None, None, None)
        self._stream = self._request_stream(last_event_id)
        response = await self._stream.__aenter__()
        return None if response.status_code == 204 else response


def connect(
    client: typing.Any,
    args: tuple[typing.Any, ...],
    *,
    method: str | None = None,
    url: typing.Any = None,
    headers: typing.Any = None,
    max_event_size: int | None = DEFAULT_MAX_EVENT_SIZE,
    reconnect: object = False,
    last_event_id: object = None,
    **kwargs: typing.Any,
) -> _Connection:
    """``client.sse(method, url, **kwargs)``, also spelled as httpx2 does:
    ``client.sse(url, method="GET", ...)``. ``reconnect`` and ``last_event_id`` are checked
    here (a user's mistake is a ``TypeError`` naming them), so they are typed ``object``."""
    if len(args) == 2 and method is None and url is None:
        method, url = args
    elif len(args) == 1 and url is None:
        (url,) = args
    elif args or url is None:
        raise TypeError("sse() takes (method, url) or (url, method=...)")
    if not isinstance(reconnect, bool):
        raise TypeError(f"reconnect must be a bool, got {type(reconnect).__name__}")
    if last_event_id is not None and not isinstance(last_event_id, str):
        raise TypeError(f"last_event_id must be a str or None, got {type(last_event_id).__name__}")
    return _Connection(
        client,
        "GET" if method is None else method,
        url,
        headers,
        kwargs,
        reconnect,
        last_event_id,
        max_event_size,
    )
