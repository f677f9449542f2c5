"""httprs: an httpx-compatible HTTP client whose engine is Rust (reqwest + tokio via PyO3).

This module only re-exports the public API (the one-shot helpers, ``httprs.get(...)`` and
friends, are in ``_api.py``) and adds ``main``, the command line client.
"""

import sys as _sys

# `_collections_abc` is what `collections.abc` re-exports, and Python has loaded it at start-up:
# importing `collections.abc` would load the `collections` package besides.
from _collections_abc import Mapping as _Mapping
from _collections_abc import MutableMapping as _MutableMapping

from ._api import delete, get, head, options, patch, post, put, request, stream
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
    ServerSentEvent,
    Timeout,
    __version__,
)
from ._models import Request, Response

# The rest is loaded on first use (`_LAZY`, below); type checkers see it imported here.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import typing as _typing
    from types import ModuleType as _ModuleType

    from ._asgi import ASGITransport
    from ._auth import Auth, BasicAuth, DigestAuth, NetRCAuth
    from ._config import Proxy, create_ssl_context
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
    from ._sse import EventSource
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
else:
    _ModuleType = type(_sys)  # `types` itself is not loaded at start-up
del TYPE_CHECKING

# httpx's QueryParams and Headers subclass these ABCs; ours are Rust classes, so register them.
# (typeshed does not give `Mapping` the `register` of its ABCMeta.)
_Mapping.register(QueryParams)  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
_MutableMapping.register(Headers)  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]

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

    def _load(self) -> "_typing.Any":
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

    def __call__(self, *args: "_typing.Any", **kwargs: "_typing.Any") -> "_typing.Any":
        return self._load()(*args, **kwargs)

    def __getattr__(self, name: str) -> "_typing.Any":
        # Introspection (inspect, pydoc, copy, pickle) probes dunder names: answering those
        # from here keeps it from importing click.
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._load(), name)

    def __repr__(self) -> str:
        return "<httprs command line client (not loaded yet)>"


def _cli_unavailable(missing: str) -> "_typing.Callable[..., _typing.NoReturn]":
    """What ``main`` is without the ``cli`` extra: says what to install, exits with 1."""

    def main(*args: "_typing.Any", **kwargs: "_typing.Any") -> "_typing.NoReturn":
        print(
            f"The httprs command line client could not run: the Python package {missing!r}"
            " is not installed.\nInstall httprs with its 'cli' extra: pip install"
            " 'httprs-client[cli]' (from an httprs checkout: pip install '.[cli]').",
            file=_sys.stderr,
        )
        _sys.exit(1)

    return main


main = _CommandLine()


# Names loaded on first use, by the module of this package that defines them. `import httprs`
# loads only what a first request needs (the extension, `_api`, `_models`); the rest costs
# milliseconds (`codes` needs `enum`, `ASGITransport` `sniffio`, ...) that most programs never
# use. Each name is still a real attribute from the start: `vars(httprs)` has it (httpx's
# test_exported_members compares `__all__` with it), which a module `__getattr__` would not
# give. Until first read it holds a `_NotLoaded`; the module's type (`_Package`) has a property
# per name that imports the module on first read and puts the value in its place.
_LAZY = {
    "_asgi": "ASGITransport",
    "_auth": "Auth BasicAuth DigestAuth NetRCAuth",
    "_config": "Proxy create_ssl_context",
    "_exceptions": (
        "CloseError ConnectError ConnectTimeout CookieConflict DecodingError HTTPError"
        " HTTPStatusError InvalidURL LocalProtocolError NetworkError PoolTimeout ProtocolError"
        " ProxyError ReadError ReadTimeout RemoteProtocolError RequestError RequestNotRead"
        " ResponseNotRead ResponseTooLarge SSEError StreamClosed StreamConsumed StreamError"
        " TimeoutException TooManyRedirects TransportError UnsupportedProtocol WriteError"
        " WriteTimeout"
    ),
    "_sse": "EventSource",
    "_status_codes": "codes",
    "_transports": (
        "AsyncBaseTransport AsyncByteStream BaseTransport ByteStream MockTransport SyncByteStream"
    ),
    "_wsgi": "WSGITransport",
}


class _NotLoaded:
    """What `vars(httprs)` holds for a name of `_LAZY` until it is first read."""

    __slots__ = ("module",)

    def __init__(self, module: str) -> None:
        self.module = module

    def __repr__(self) -> str:
        return f"<not loaded yet: httprs.{self.module}>"


def _lazy(name: str) -> property:
    """The property of `_Package` for `name`: its value, its module imported on first read."""

    def get(package: "_ModuleType") -> object:
        try:
            value = package.__dict__[name]
        except KeyError:
            raise AttributeError(f"module {package.__name__!r} has no attribute {name!r}") from None
        if isinstance(value, _NotLoaded):
            __import__(f"{package.__name__}.{value.module}")
            module = _sys.modules[f"{package.__name__}.{value.module}"]
            # Every name of that module at once, so that `vars(httprs)` shows them all.
            for other in _LAZY[value.module].split():
                if isinstance(package.__dict__.get(other), _NotLoaded):
                    package.__dict__[other] = getattr(module, other)
            value = package.__dict__[name]
        return value

    # Set and deleted as any module attribute (`unittest.mock.patch`): a `_NotLoaded` put
    # back makes the name load again on its next read.
    def set(package: "_ModuleType", value: object) -> None:
        package.__dict__[name] = value

    def delete(package: "_ModuleType") -> None:
        try:
            del package.__dict__[name]
        except KeyError:
            raise AttributeError(name) from None

    return property(get, set, delete)


class _Package(_ModuleType):
    """The type of the `httprs` module: a property per name of `_LAZY` (see there)."""


def _install_lazy_names() -> None:
    for module, names in _LAZY.items():
        for name in names.split():
            setattr(_Package, name, _lazy(name))
            globals()[name] = _NotLoaded(module)
    _sys.modules[__name__].__class__ = _Package


_install_lazy_names()
