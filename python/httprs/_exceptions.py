"""The httpx exception hierarchy.

These are declarations only: the Rust engine decides which one to raise (see ``src/errors.rs``).
They live in Python so that ``request=`` / ``response=`` keyword arguments and the
``.request`` property behave exactly as in httpx for users who construct them too.
"""

from __future__ import annotations

TYPE_CHECKING = False  # without importing `typing` (milliseconds, at the first error)
if TYPE_CHECKING:  # pragma: no cover
    from types import TracebackType

    from ._models import Request, Response

__all__ = [
    "CloseError",
    "ConnectError",
    "ConnectTimeout",
    "CookieConflict",
    "DecodingError",
    "HTTPError",
    "HTTPStatusError",
    "InvalidURL",
    "LocalProtocolError",
    "NetworkError",
    "PoolTimeout",
    "ProtocolError",
    "ProxyError",
    "ReadError",
    "ReadTimeout",
    "RemoteProtocolError",
    "RequestError",
    "RequestNotRead",
    "ResponseTooLarge",
    "SSEError",
    "ResponseNotRead",
    "StreamClosed",
    "StreamConsumed",
    "StreamError",
    "TimeoutException",
    "TooManyRedirects",
    "TransportError",
    "UnsupportedProtocol",
    "WriteError",
    "WriteTimeout",
    "request_context",
]


class HTTPError(Exception):
    """Base class for `RequestError` and `HTTPStatusError`."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self._request: Request | None = None

    @property
    def request(self) -> Request:
        """The request that failed (`RuntimeError` when none was attached)."""
        if self._request is None:
            raise RuntimeError("The .request property has not been set.")
        return self._request

    @request.setter
    def request(self, request: Request) -> None:
        self._request = request


class RequestError(HTTPError):
    """An error occurred while issuing a request."""

    def __init__(self, message: str, *, request: Request | None = None) -> None:
        super().__init__(message)
        self._request = request


class TransportError(RequestError):
    """An error occurred at the level of the transport."""


class TimeoutException(TransportError):
    """The base class for timeout errors."""


class ConnectTimeout(TimeoutException):
    """Timed out while connecting to the host."""


class ReadTimeout(TimeoutException):
    """Timed out while receiving data from the host."""


class WriteTimeout(TimeoutException):
    """Timed out while sending data to the host."""


class PoolTimeout(TimeoutException):
    """Timed out waiting to acquire a connection from the pool."""


class NetworkError(TransportError):
    """The base class for network-related errors."""


class ReadError(NetworkError):
    """Failed to receive data from the network."""


class WriteError(NetworkError):
    """Failed to send data through the network."""


class ConnectError(NetworkError):
    """Failed to establish a connection."""


class CloseError(NetworkError):
    """Failed to close a connection."""


class ProxyError(TransportError):
    """An error occurred while establishing a proxy connection."""


class SSEError(TransportError):
    """A server-sent events endpoint answered with something other than an event stream
    (its ``Content-Type`` is not ``text/event-stream``), or one event was larger than
    ``max_event_size``. The name and base class of httpx-sse's and httpx2's ``SSEError``."""


class UnsupportedProtocol(TransportError):
    """Attempted to make a request to an unsupported protocol (e.g. not http or https)."""


class ProtocolError(TransportError):
    """The protocol was violated."""


class LocalProtocolError(ProtocolError):
    """A protocol was violated by the client."""


class RemoteProtocolError(ProtocolError):
    """The protocol was violated by the server."""


class DecodingError(RequestError):
    """Decoding of the response failed, due to a malformed encoding."""


class ResponseTooLarge(DecodingError):
    """The decoded response body is larger than ``max_response_size`` (an httprs addition).

    A ``DecodingError``: it is raised while the body is read and decoded into ``.content``
    (a decompression bomb is a body that decodes to too much), and it is not a
    ``TransportError``, so retry policies that retry transport failures do not send the
    request again for a body that would be just as large.
    """


class TooManyRedirects(RequestError):
    """Too many redirects."""


class HTTPStatusError(HTTPError):
    """The response had an error HTTP status of 4xx or 5xx."""

    def __init__(self, message: str, *, request: Request, response: Response) -> None:
        super().__init__(message)
        self.request = request
        self.response = response


class InvalidURL(Exception):
    """URL is improperly formed or cannot be parsed."""


class CookieConflict(Exception):
    """Attempted to look up a cookie by name, but multiple cookies existed."""


class StreamError(RuntimeError):
    """The base class for stream exceptions: a programming error, not a network failure."""


class StreamConsumed(StreamError):
    """The body was iterated already (a one-shot generator, or a response streamed twice)."""

    def __init__(self) -> None:
        super().__init__(
            "Attempted to read or stream some content, but the content has "
            "already been streamed. For requests, this could be due to passing "
            "a generator as request content, and then receiving a redirect "
            "response or a secondary request as part of an authentication flow. "
            "For responses, this could be due to attempting to stream the response "
            "content more than once."
        )


class StreamClosed(StreamError):
    """The body's stream was closed before it was read."""

    def __init__(self) -> None:
        super().__init__("Attempted to read or stream content, but the stream has been closed.")


class ResponseNotRead(StreamError):
    """`content` / `text` of a streamed response whose body was not read yet."""

    def __init__(self) -> None:
        super().__init__(
            "Attempted to access streaming response content, without having called `read()`."
        )


class RequestNotRead(StreamError):
    """`content` of a request whose streaming body was not read yet."""

    def __init__(self) -> None:
        super().__init__(
            "Attempted to access streaming request content, without having called `read()`."
        )


class request_context:
    """Attach ``request`` to any `RequestError` raised inside the block (as httpx's
    ``request_context`` does: ``with request_context(request=request): ...``)."""

    def __init__(self, request: Request | None = None) -> None:
        self._request = request

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if isinstance(exc, RequestError) and self._request is not None and exc._request is None:  # pyright: ignore[reportPrivateUsage]
            exc._request = self._request  # pyright: ignore[reportPrivateUsage]
