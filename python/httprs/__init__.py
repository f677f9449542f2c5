"""httprs: an httpx-compatible HTTP client whose engine is Rust (reqwest + tokio via PyO3).

This module only re-exports the public API (the one-shot helpers, ``httprs.get(...)`` and
friends, are in ``_api.py``) and adds ``main``, the command line client.
"""

import collections.abc as _abc
import sys as _sys
import typing as _typing

from ._api import delete, get, head, options, patch, post, put, request, stream
from ._asgi import ASGITransport
from ._auth import Auth, BasicAuth, DigestAuth, NetRCAuth
from ._config import Proxy, create_ssl_context

# The extension raises the classes of `_exceptions` (imported lazily on first use).
from ._exceptions import (
    CloseError,
    ConnectError,
    ConnectTimeout,
    CookieConflict,
    DecodingError,
    HTTPError,
    HTTPStatusError,
    InvalidURL,
    LocalProtocolError,
    NetworkError,
    PoolTimeout,
    ProtocolError,
    ProxyError,
    ReadError,
    ReadTimeout,
    RemoteProtocolError,
    RequestError,
    RequestNotRead,
    ResponseNotRead,
    ResponseTooLarge,
    SSEError,
    StreamClosed,
    StreamConsumed,
    StreamError,
    TimeoutException,
    TooManyRedirects,
    TransportError,
    UnsupportedProtocol,
    WriteError,
    WriteTimeout,
)
from ._httprs import (
    SYSTEM_TRUST_STORE,
    URL,
    USE_CLIENT_DEFAULT,
    AsyncClient,
    AsyncHTTPTransport,
    Client,
    Cookies,
    Headers,
    HTTPTransport,
    Limits,
    QueryParams,
    Retry,
    Timeout,
    __version__,
)
from ._models import Request, Response
from ._sse import EventSource, ServerSentEvent
from ._status_codes import codes
from ._transports import (
    AsyncBaseTransport,
    AsyncByteStream,
    BaseTransport,
    ByteStream,
    MockTransport,
    SyncByteStream,
)
from ._wsgi import WSGITransport

# httpx's QueryParams and Headers subclass these ABCs; ours are Rust classes, so register them.
# (typeshed does not give `Mapping` the `register` of its ABCMeta.)
_abc.Mapping.register(QueryParams)  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
_abc.MutableMapping.register(Headers)  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]

__title__ = "httprs"
__description__ = "An httpx-compatible HTTP client for Python, with a Rust engine."

# Sorted as httpx sorts its own (str.casefold): every public name of the module, and no other.
__all__ = [
    "__description__",
    "__title__",
    "__version__",
    "ASGITransport",
    "AsyncBaseTransport",
    "AsyncByteStream",
    "AsyncClient",
    "AsyncHTTPTransport",
    "Auth",
    "BaseTransport",
    "BasicAuth",
    "ByteStream",
    "Client",
    "CloseError",
    "codes",
    "ConnectError",
    "ConnectTimeout",
    "CookieConflict",
    "Cookies",
    "create_ssl_context",
    "DecodingError",
    "delete",
    "DigestAuth",
    "EventSource",
    "get",
    "head",
    "Headers",
    "HTTPError",
    "HTTPStatusError",
    "HTTPTransport",
    "InvalidURL",
    "Limits",
    "LocalProtocolError",
    "main",
    "MockTransport",
    "NetRCAuth",
    "NetworkError",
    "options",
    "patch",
    "PoolTimeout",
    "post",
    "ProtocolError",
    "Proxy",
    "ProxyError",
    "put",
    "QueryParams",
    "ReadError",
    "ReadTimeout",
    "RemoteProtocolError",
    "request",
    "Request",
    "RequestError",
    "RequestNotRead",
    "Response",
    "ResponseNotRead",
    "ResponseTooLarge",
    "Retry",
    "ServerSentEvent",
    "SSEError",
    "stream",
    "StreamClosed",
    "StreamConsumed",
    "StreamError",
    "SyncByteStream",
    "SYSTEM_TRUST_STORE",
    "Timeout",
    "TimeoutException",
    "TooManyRedirects",
    "TransportError",
    "UnsupportedProtocol",
    "URL",
    "USE_CLIENT_DEFAULT",
    "WriteError",
    "WriteTimeout",
    "WSGITransport",
]


class _CommandLine:
    """``httprs.main``, the command line client (a click command, also the ``httprs``
    console script), loaded on first use.

    Loading it imports click, rich and pygments, which ``import httprs`` must not pay for.
    ``main`` is still a real attribute of the module from the start (httpx's tests compare
    ``__all__`` with ``vars(httpx)``): this stand-in, which loads the command when it is
    called or one of its attributes is read (click's ``CliRunner.invoke`` reads ``.main``
    and ``.name``), then puts the command itself in its place in the module.
    """

    def _load(self) -> _typing.Any:
        try:
            from ._main import main as command
        except ImportError as exc:
            # Only a missing `cli` extra gets the install hint; any other ImportError is a
            # bug to be seen as it is.
            missing = (exc.name or "").partition(".")[0]
            if missing not in ("click", "rich", "pygments"):
                raise
            return _cli_unavailable(missing)
        globals()["main"] = command
        return command

    def __call__(self, *args: _typing.Any, **kwargs: _typing.Any) -> _typing.Any:
        return self._load()(*args, **kwargs)

    def __getattr__(self, name: str) -> _typing.Any:
        # Introspection (inspect, pydoc, copy, pickle) probes dunder names: answering those
        # from here keeps it from importing click.
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._load(), name)

    def __repr__(self) -> str:
        return "<httprs command line client (not loaded yet)>"


def _cli_unavailable(missing: str) -> _typing.Callable[..., _typing.NoReturn]:
    """What ``main`` is without the ``cli`` extra: says what to install, exits with 1."""

    def main(*args: _typing.Any, **kwargs: _typing.Any) -> _typing.NoReturn:
        print(
            f"The httprs command line client could not run: the Python package {missing!r}"
            " is not installed.\nInstall httprs with its 'cli' extra: pip install"
            " 'httprs-client[cli]' (from an httprs checkout: pip install '.[cli]').",
            file=_sys.stderr,
        )
        _sys.exit(1)

    return main


main = _CommandLine()
