# Type stubs for the Rust extension `httprs._httprs` (src/), typed as httpx 0.28.1 types the
# same names. Kept true by tests/models/test_stubs.py: mypy's stubtest compares every
# signature here with the built extension's, and the docstrings with the Rust doc comments
# (`python scripts/sync_stub_docs.py` copies those here).
import os
import ssl
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Coroutine,
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    MutableMapping,
    ValuesView,
)
from contextlib import AbstractAsyncContextManager, AbstractContextManager
from datetime import timedelta
from http.cookiejar import CookieJar
from typing import Any, Final, Self, final

from typing_extensions import disjoint_base

from ._auth import Auth
from ._models import Request, Response
from ._sse import EventSource
from ._transports import AsyncBaseTransport, BaseTransport
from ._types import (
    AuthTypes,
    CertTypes,
    CookieTypes,
    EventHook,
    HeaderTypes,
    ProxyTypes,
    QueryParamTypes,
    RequestContent,
    RequestData,
    RequestExtensions,
    RequestFiles,
    ResponseContent,
    ResponseExtensions,
    TimeoutTypes,
)

__all__ = [
    "__version__",
    "EventStreamParser",
    "ServerSentEvent",
    "URL",
    "QueryParams",
    "Headers",
    "Cookies",
    "Timeout",
    "Limits",
    "Retry",
    "UseClientDefault",
    "USE_CLIENT_DEFAULT",
    "SystemTrustStore",
    "SYSTEM_TRUST_STORE",
    "BasicAuth",
    "DigestAuth",
    "RequestCore",
    "ResponseCore",
    "BodyIterator",
    "BaseClient",
    "Client",
    "AsyncClient",
    "StreamContext",
    "Steps",
    "Pending",
    "Hub",
    "NetworkTransport",
    "HTTPTransport",
    "AsyncHTTPTransport",
    "NetworkStream",
    "AsyncNetworkStream",
    "_set_network_hook",
    "_set_observer",
]

__version__: str

# A body as a stream. httpx types it `SyncByteStream | AsyncByteStream` (both are iterables
# of bytes); any iterable or async iterable of bytes is accepted and given back.
_Stream = Iterable[bytes] | AsyncIterable[bytes]

@final
class UseClientDefault:
    """The type of `httprs.USE_CLIENT_DEFAULT`: "use the client's setting".

    A request's `auth=`, `follow_redirects=` and `timeout=` default to it, so that leaving
    them out uses the client's value, while `None` (`auth=None`, `timeout=None`) turns the
    setting off for that request. User code seldom needs to name it.
    """

USE_CLIENT_DEFAULT: Final[UseClientDefault]

@final
class SystemTrustStore:
    """The type of `httprs.SYSTEM_TRUST_STORE`: pass `verify=httprs.SYSTEM_TRUST_STORE` to
    trust the operating system's certificate store instead of the bundled Mozilla roots.
    """

SYSTEM_TRUST_STORE: Final[SystemTrustStore]

# What `verify=` accepts: httpx's types, and httprs's `SYSTEM_TRUST_STORE`.
_VerifyTypes = ssl.SSLContext | str | bool | SystemTrustStore

@final
class URL:
    """A URL, parsed and normalised as httpx does it.

    ```python
    url = httprs.URL("https://example.org:8080/search?q=rust#top")
    url.scheme, url.host, url.port, url.path, url.params["q"], url.fragment
    ```

    Keyword arguments set components: `scheme`, `username`, `password`, `host`, `port`,
    `path`, `fragment` (str; `port` an int), `userinfo`, `netloc`, `query`, `raw_path`
    (bytes), `params` (query parameters). URLs are immutable: the `copy_*` methods return
    new ones. A URL compares equal to its string.
    """
    def __new__(cls, url: URL | str = "", **kwargs: Any) -> Self: ...
    @property
    def scheme(self) -> str:
        """The scheme, lower-cased: `"https"`; `""` for a relative URL."""
    @property
    def raw_scheme(self) -> bytes:
        """The scheme as ASCII bytes."""
    @property
    def userinfo(self) -> bytes:
        """The percent-encoded `username:password` part, as bytes (`b""` if none)."""
    @property
    def username(self) -> str:
        """The username, percent-decoded."""
    @property
    def password(self) -> str:
        """The password, percent-decoded."""
    @property
    def host(self) -> str:
        """The host, lower-cased, as text: an internationalised domain name is decoded
        (`"中国.icom.museum"`); an IPv6 address has no brackets.
        """
    @property
    def raw_host(self) -> bytes:
        """The host as ASCII bytes: IDNA-encoded (`b"xn--fiqs8s.icom.museum"`)."""
    @property
    def port(self) -> int | None:
        """The port, or None when the URL has none or it is the scheme's default."""
    @property
    def netloc(self) -> bytes:
        """The host and port as ASCII bytes (`b"example.org:8080"`), for the `Host` header."""
    @property
    def path(self) -> str:
        """The path, percent-decoded (`"/"` for `"https://example.org"`)."""
    @property
    def query(self) -> bytes:
        """The query string, percent-encoded, as bytes, without the `?`."""
    @property
    def params(self) -> QueryParams:
        """The query parameters, as `QueryParams`."""
    @property
    def raw_path(self) -> bytes:
        """The path and query, percent-encoded, as bytes: what goes on the request line
        (`b"/search?q=rust"`).
        """
    @property
    def fragment(self) -> str:
        """The fragment (after `#`), percent-decoded."""
    @property
    def is_absolute_url(self) -> bool:
        """True when the URL has a scheme and a host."""
    @property
    def is_relative_url(self) -> bool:
        """True when the URL lacks a scheme or a host."""
    def copy_with(self, **kwargs: Any) -> URL:
        """A copy with the given components replaced (the keyword arguments of `URL()`)."""
    def copy_set_param(self, key: str, value: Any = None) -> URL:
        """A copy whose query has `key` set to `value` (replacing every value of `key`)."""
    def copy_add_param(self, key: str, value: Any = None) -> URL:
        """A copy whose query has `value` added for `key`."""
    def copy_remove_param(self, key: str) -> URL:
        """A copy whose query has no `key`."""
    def copy_merge_params(self, params: QueryParamTypes) -> URL:
        """A copy whose query has `params` merged in (their keys replaced)."""
    def join(self, url: URL | str) -> URL:
        """The URL `url` refers to, relative to this one (RFC 3986):
        `URL("https://example.org/a/b").join("../c") == "https://example.org/c"`.
        """
    def __hash__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

@final
class QueryParams(Mapping[str, str]):
    """The query parameters of a URL: an immutable multi-dict of `str` to `str`.

    ```python
    params = httprs.QueryParams({"a": "1", "b": ["2", "3"]})
    params["a"], params.get_list("b"), str(params)  # "a=1&b=2&b=3"
    ```

    Built from a mapping (a list value gives several), a list of pairs, a query string or
    keyword arguments. `set`, `add`, `remove` and `merge` return new instances.
    """
    def __new__(cls, *args: QueryParamTypes | None, **kwargs: Any) -> Self: ...
    def keys(self) -> KeysView[str]:
        """The distinct keys, in first-seen order."""
    def values(self) -> ValuesView[str]:
        """The first value of each key."""
    def items(self) -> ItemsView[str, str]:
        """`(key, first value)` for each key."""
    def multi_items(self) -> list[tuple[str, str]]:
        """Every `(key, value)` pair, a key with several values once per value."""
    def get(self, key: Any, default: Any = None) -> Any:
        """The first value of `key`, or `default`."""
    def get_list(self, key: str) -> list[str]:
        """Every value of `key` (an empty list when it has none)."""
    def set(self, key: str, value: Any = None) -> QueryParams:
        """A copy with `key` set to the single `value`."""
    def add(self, key: str, value: Any = None) -> QueryParams:
        """A copy with `value` added to the values of `key`."""
    def remove(self, key: str) -> QueryParams:
        """A copy without `key`."""
    def merge(self, params: QueryParamTypes | None = None) -> QueryParams:
        """A copy with `params` merged in: their keys replace these."""
    def update(self, params: QueryParamTypes | None = None) -> None:
        """Not supported: `QueryParams` is immutable; raises RuntimeError (use `merge()`)."""
    def __getitem__(self, key: Any, /) -> str: ...
    def __setitem__(self, key: str, value: str, /) -> None: ...
    def __contains__(self, key: Any, /) -> bool: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...
    def __bool__(self) -> bool: ...
    def __hash__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __ne__(self, other: object, /) -> bool: ...

# `collections.abc.MutableMapping.register(Headers)` in `httprs/__init__.py`.
@final
class Headers(MutableMapping[str, str]):
    """HTTP headers: a case-insensitive multi-dict of `str` to `str`.

    ```python
    headers = httprs.Headers({"Content-Type": "text/plain"})
    headers["content-type"], headers.get_list("set-cookie"), headers.raw
    ```

    `headers[name]` joins several values with `", "`; `get_list` gives them apart. Names
    and values given as bytes are kept as bytes (`raw`) and decoded with `encoding`.
    """
    def __new__(cls, headers: HeaderTypes | None = None, encoding: str | None = None) -> Self: ...
    @property
    def encoding(self) -> str:
        """The codec header values are decoded with: the one set, else `"ascii"`, else
        `"utf-8"`, else `"iso-8859-1"` (whichever decodes every value).
        """
    @encoding.setter
    def encoding(self, value: str) -> None: ...
    @property
    def raw(self) -> list[tuple[bytes, bytes]]:
        """The `(name, value)` byte pairs, names as they were given."""
    # Lists, where httpx's are views (`MutableMapping`'s types): hence the ignores.
    def keys(self) -> list[str]:  # type: ignore[override]
        """The distinct names, lower-cased, in first-seen order."""
    def values(self) -> list[str]:  # type: ignore[override]
        """The value of each name (several values joined with `", "`)."""
    def items(self) -> list[tuple[str, str]]:  # type: ignore[override]
        """`(name, value)` for each distinct name, lower-cased (several values joined)."""
    def multi_items(self) -> list[tuple[str, str]]:
        """Every `(name, value)` pair, lower-cased names, a repeated header once per value."""
    def get(self, key: str | bytes, default: Any = None) -> Any:
        """The value of `key` (several joined with `", "`), or `default`."""
    def get_list(self, key: str | bytes, split_commas: bool = False) -> list[str]:
        """Every value of `key`; with `split_commas`, comma-separated values split too."""
    def update(self, headers: HeaderTypes) -> None:  # type: ignore[override]
        """Set the headers of `headers`, replacing those of the same names."""
    def copy(self) -> Headers:
        """A copy."""
    def clear(self) -> None:
        """Remove every header."""
    def popitem(self) -> tuple[str, str]:
        """Remove the first header and return its `(name, value)`."""
    def setdefault(self, key: str | bytes, default: str | bytes | None = None) -> str:
        """The value of `key`, set to `default` first when missing."""
    def pop(self, key: str | bytes, *default: Any) -> Any:
        """Remove `key` and return its value, or `default` (KeyError without one)."""
    def __getitem__(self, key: str | bytes, /) -> str: ...
    def __setitem__(self, key: str | bytes, value: str | bytes, /) -> None: ...
    def __delitem__(self, key: str | bytes, /) -> None: ...
    def __contains__(self, key: object, /) -> bool: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...
    def __eq__(self, other: object, /) -> bool: ...

# httpx's `Cookies` is a `MutableMapping`; this one has its methods but is not registered as
# one, so it is typed as what it is.
@final
class Cookies:
    """A cookie jar: cookies by name, with their domain and path.

    ```python
    cookies = httprs.Cookies({"session": "abc"})
    cookies.set("theme", "dark", domain="example.org")
    client = httprs.Client(cookies=cookies)
    ```

    A client's `cookies` collects the cookies of its responses and sends the matching ones.
    """
    def __new__(cls, cookies: CookieTypes | None = None) -> Self: ...
    def set(self, name: str, value: str, domain: str = "", path: str = "/") -> None:
        """Set the cookie `name` for `domain` and `path`."""
    def get(
        self,
        name: str,
        default: str | None = None,
        domain: str | None = None,
        path: str | None = None,
    ) -> str | None:
        """The value of the cookie `name` (narrowed by `domain` / `path`), or `default`.
        CookieConflict when several cookies match.
        """
    def delete(self, name: str, domain: str | None = None, path: str | None = None) -> None:
        """Delete the cookies called `name` (narrowed by `domain` / `path`)."""
    def clear(self, domain: str | None = None, path: str | None = None) -> None:
        """Delete every cookie, or those of `domain` (and `path`)."""
    def set_cookie_header(self, request: Request) -> None:
        """Set the `Cookie` header of `request` to the cookies of this jar that match its URL."""
    def update(self, cookies: CookieTypes | None = None) -> None:
        """Add the cookies of `cookies`."""
    def extract_cookies(self, response: Response) -> None:
        """Store the cookies that `response` sets (its request's URL gives their default domain
        and path).
        """
    def pop(self, name: str, *default: Any) -> Any:
        """Remove the cookies called `name` and return the value, or `default` (KeyError
        without one).
        """
    def popitem(self) -> tuple[str, str]:
        """Remove the first cookie and return its `(name, value)`."""
    def setdefault(self, name: str, default: str) -> str:
        """The value of the cookie `name`, set to `default` first when missing."""
    @property
    def jar(self) -> CookieJar:
        """The cookies as an `http.cookiejar.CookieJar` (a copy: changing it does not change
        these).
        """
    def keys(self) -> list[str]:
        """The cookie names."""
    def values(self) -> list[str]:
        """The cookie values."""
    def items(self) -> list[tuple[str, str]]:
        """`(name, value)` for each cookie."""
    def __getitem__(self, name: str, /) -> str: ...
    def __setitem__(self, name: str, value: str, /) -> None: ...
    def __delitem__(self, name: str, /) -> None: ...
    def __contains__(self, name: str, /) -> bool: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...
    def __bool__(self) -> bool: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class Timeout:
    """Timeouts, in seconds: `connect`, `read`, `write` and `pool` (None: no limit).

    ```python
    httprs.Timeout(10.0)               # 10 s for each
    httprs.Timeout(10.0, connect=2.0)  # 2 s to connect, 10 s for the rest
    httprs.Timeout(None)               # no timeouts
    ```

    `connect`: establishing the connection (TLS included); `read`: waiting for each piece
    of the response; `write`: sending each piece of the request; `pool`: waiting for a
    connection from the pool. Give either a default for all, or all four.
    """
    def __new__(
        cls,
        timeout: TimeoutTypes = ...,
        *,
        connect: float | None = ...,
        read: float | None = ...,
        write: float | None = ...,
        pool: float | None = ...,
    ) -> Self: ...
    @property
    def connect(self) -> float | None:
        """Seconds to establish a connection, or None."""
    @property
    def read(self) -> float | None:
        """Seconds to wait for each piece of the response, or None."""
    @property
    def write(self) -> float | None:
        """Seconds to send each piece of the request, or None."""
    @property
    def pool(self) -> float | None:
        """Seconds to wait for a connection from the pool, or None."""
    def as_dict(self) -> dict[str, float | None]:
        """`{"connect": ..., "read": ..., "write": ..., "pool": ...}`."""
    def __getnewargs_ex__(self) -> tuple[tuple[()], dict[str, Any]]: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class Limits:
    """Connection pool limits.

    ```python
    httprs.Limits(max_connections=10, max_keepalive_connections=5, keepalive_expiry=30.0)
    ```

    `max_connections`: requests in flight at once (None: no limit); `max_keepalive_connections`:
    idle connections kept open; `keepalive_expiry`: seconds an idle connection is kept.
    """
    def __new__(
        cls,
        *,
        max_connections: int | None = None,
        max_keepalive_connections: int | None = None,
        keepalive_expiry: float | None = 5.0,
    ) -> Self: ...
    @property
    def max_connections(self) -> int | None:
        """The most requests in flight at once, or None for no limit."""
    @property
    def max_keepalive_connections(self) -> int | None:
        """The most idle connections kept open, or None for no limit."""
    @property
    def keepalive_expiry(self) -> float | None:
        """Seconds an idle connection is kept open, or None for no limit."""
    def __getnewargs_ex__(self) -> tuple[tuple[()], dict[str, Any]]: ...
    def __eq__(self, other: object, /) -> bool: ...

@final
class Retry:
    """A retry policy for a network transport: `HTTPTransport(retries=Retry(...))`.

    `total`: how many times a request may be sent again (so at most `total + 1` attempts).
    The wait before retry n is `backoff_factor * 2 ** (n - 1)` seconds, at most `backoff_max`
    (None: no cap), minus up to `jitter` (a fraction from 0 to 1) of it at random.

    What is retried: a connection that could not be made (any method: nothing was sent); and,
    for the `allowed_methods` only (the idempotent ones by default; None allows every method),
    a failure once the request was on its way (read/write errors and timeouts, a server that
    disconnected) or a response whose status is in `status_forcelist`. A retried response's
    `Retry-After` (seconds or an HTTP date) is the wait when `respect_retry_after`; one longer
    than `retry_after_max` seconds (None: no limit) is not waited for: that response is
    returned. A request whose body is a one-shot stream (an iterator or generator) is never
    sent twice. The last attempt's response or exception is what the caller gets.
    """
    def __new__(
        cls,
        total: int = 3,
        *,
        backoff_factor: float = 0.5,
        backoff_max: float | None = 60.0,
        jitter: float = 0.5,
        status_forcelist: Iterable[int] = (429, 502, 503, 504),
        allowed_methods: Iterable[str] | None = (
            "DELETE",
            "GET",
            "HEAD",
            "OPTIONS",
            "PUT",
            "TRACE",
        ),
        respect_retry_after: bool = True,
        retry_after_max: float | None = 60.0,
    ) -> Self: ...
    @property
    def total(self) -> int:
        """How many times a request may be sent again."""
    @property
    def backoff_factor(self) -> float:
        """The first wait, in seconds; each next one doubles."""
    @property
    def backoff_max(self) -> float | None:
        """The longest wait between attempts, or None for no cap."""
    @property
    def jitter(self) -> float:
        """The fraction of each wait taken off at random (0 to 1)."""
    @property
    def status_forcelist(self) -> tuple[int, ...]:
        """The response statuses retried."""
    @property
    def allowed_methods(self) -> tuple[str, ...] | None:
        """The methods retried once the server may have seen them, or None for every method."""
    @property
    def respect_retry_after(self) -> bool:
        """Whether a retried response's Retry-After is the wait."""
    @property
    def retry_after_max(self) -> float | None:
        """The longest Retry-After waited for, or None for no limit."""
    def backoff(self, n: int) -> float:
        """The wait before retry `n` (1 for the first), in seconds, jitter drawn at random."""
    def __getnewargs_ex__(self) -> tuple[tuple[()], dict[str, Any]]: ...
    def __eq__(self, other: object, /) -> bool: ...

# The Rust halves of `httprs.BasicAuth` and `httprs.DigestAuth` (`_auth.py`).
@disjoint_base
class BasicAuth:
    """The Rust part of `httprs.BasicAuth`: the `Authorization: Basic ...` header, made once."""
    def __new__(cls, username: str | bytes, password: str | bytes = "") -> Self: ...
    @property
    def _auth_header(self) -> str:
        """The `Authorization` header value this auth sets."""

@disjoint_base
class DigestAuth:
    """The Rust part of `httprs.DigestAuth`: challenge parsing, hashing and the nonce count."""
    def __new__(cls, username: str | bytes, password: str | bytes) -> Self: ...
    def _header_for_request(self, method: str, uri: str) -> str | None:
        """`header_for_request` for a Python-level auth flow."""
    def _header_for_challenge(
        self, method: str, uri: str, www_authenticate: list[str]
    ) -> str | None:
        """`header_for_challenge` for a Python-level auth flow."""

@final
class RequestCore:
    """The Rust core of `httprs.Request` (the Python class in `python/httprs/_models.py`; see
    `models/handle.rs` for why the class users see is Python).
    """
    def __new__(
        cls,
        method: str | bytes,
        url: URL | str,
        *,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        content: RequestContent | None = None,
        data: RequestData | None = None,
        files: RequestFiles | None = None,
        json: Any = None,
        stream: _Stream | None = None,
        extensions: RequestExtensions | None = None,
    ) -> Self: ...
    @property
    def method(self) -> str: ...
    @method.setter
    def method(self, value: str | bytes) -> None: ...
    @property
    def url(self) -> URL: ...
    @url.setter
    def url(self, value: URL | str) -> None: ...
    @property
    def headers(self) -> Headers: ...
    @headers.setter
    def headers(self, value: HeaderTypes) -> None: ...
    @property
    def extensions(self) -> dict[str, Any]: ...
    @extensions.setter
    def extensions(self, value: dict[str, Any]) -> None: ...
    @property
    def content(self) -> bytes:
        """The body bytes; `RequestNotRead` while the body is an unread stream."""
    @property
    def stream(self) -> _Stream:
        """The body as httpx exposes it: a `ByteStream` (iterable and async-iterable) for a body
        in memory, else the iterable that was given.
        """
    def read(self) -> bytes:
        """Read a streaming body into memory (so it can be sent again, e.g. after a redirect)."""
    async def aread(self) -> bytes:
        """`read()` for async iterable bodies too: a coroutine returning the body bytes."""
    def state(self) -> dict[str, Any]:
        """Pickling: method, URL, headers and the body if it is in memory (as httpx, neither the
        extensions nor an unread stream travel). (The Python class pickles this state.)
        """
    @staticmethod
    def from_state(state: dict[str, Any]) -> RequestCore:
        """staticmethod(function) -> method

        Convert a function to be a static method.

        A static method does not receive an implicit first argument.
        To declare a static method, use this idiom:

             class C:
                 @staticmethod
                 def f(arg1, arg2, argN):
                     ...

        It can be called either on the class (e.g. C.f()) or on an instance
        (e.g. C().f()). Both the class and the instance are ignored, and
        neither is passed implicitly as the first argument to the method.

        Static methods in Python are similar to those found in Java or C++.
        For a more advanced concept, see the classmethod builtin.
        """

@final
class BodyIterator(Iterator[Any], AsyncIterator[Any]):
    """The iterator `Response.iter_bytes()` and friends return (`aiter_*`: async)."""
    def __iter__(self) -> Self: ...
    def __next__(self) -> Any: ...
    def __aiter__(self) -> Self: ...
    def __anext__(self) -> Awaitable[Any]: ...

@final
class ResponseCore:
    """The Rust core of `httprs.Response` (the Python class in `python/httprs/_models.py`; see
    `models/handle.rs` for why the class users see is Python).
    """
    def __new__(
        cls,
        status_code: int,
        *,
        headers: HeaderTypes | None = None,
        content: ResponseContent | None = None,
        text: str | None = None,
        html: str | None = None,
        json: Any = None,
        stream: _Stream | None = None,
        request: Request | None = None,
        extensions: ResponseExtensions | None = None,
        history: list[Response] | None = None,
        default_encoding: str | Callable[[bytes], str] | None = None,
    ) -> Self: ...
    @property
    def status_code(self) -> int: ...
    @status_code.setter
    def status_code(self, value: int) -> None: ...
    @property
    def reason_phrase(self) -> str: ...
    @property
    def http_version(self) -> str: ...
    @property
    def headers(self) -> Headers: ...
    @headers.setter
    def headers(self, value: HeaderTypes) -> None: ...
    @property
    def request(self) -> Request: ...
    @request.setter
    def request(self, value: Request) -> None: ...
    @property
    def url(self) -> URL: ...
    @property
    def history(self) -> list[Response]: ...
    @history.setter
    def history(self, value: list[Response]) -> None: ...
    @property
    def next_request(self) -> Request | None: ...
    @next_request.setter
    def next_request(self, value: Request | None) -> None: ...
    @property
    def extensions(self) -> dict[str, Any]: ...
    @property
    def elapsed(self) -> timedelta:
        """A `timedelta`; only once the response has been read or closed, as in httpx."""
    @elapsed.setter
    def elapsed(self, value: timedelta) -> None: ...
    @property
    def stream(self) -> _Stream:
        """The body as httpx exposes it: a `ByteStream` once read, the iterable a transport
        gave, or (closed unread, or unpickled) a stream whose reading raises `StreamClosed`.
        """
    @property
    def is_closed(self) -> bool: ...
    @property
    def is_stream_consumed(self) -> bool: ...
    @property
    def num_bytes_downloaded(self) -> int: ...
    @property
    def content(self) -> bytes: ...
    @property
    def text(self) -> str: ...
    @property
    def encoding(self) -> str: ...
    @encoding.setter
    def encoding(self, value: str | None) -> None: ...
    @property
    def charset_encoding(self) -> str | None: ...
    @property
    def default_encoding(self) -> str | Callable[[bytes], str]: ...
    @default_encoding.setter
    def default_encoding(self, value: str | Callable[[bytes], str]) -> None: ...
    def json(self, **kwargs: Any) -> Any: ...
    @property
    def is_informational(self) -> bool: ...
    @property
    def is_success(self) -> bool: ...
    @property
    def is_redirect(self) -> bool: ...
    @property
    def is_client_error(self) -> bool: ...
    @property
    def is_server_error(self) -> bool: ...
    @property
    def is_error(self) -> bool: ...
    @property
    def has_redirect_location(self) -> bool: ...
    def raise_for_status(self, face: Response) -> None:
        """Raises `HTTPStatusError` for a 4xx/5xx (and 1xx/3xx) status; `face` is the Python
        object the error names as its `response`.
        """
    @property
    def links(self) -> dict[str | None, dict[str, str]]:
        """`{rel or url: {"url": ..., "rel": ..., ...}}` from the Link header."""
    @property
    def cookies(self) -> Cookies:
        """Cookies set by this response alone."""
    def read(self) -> bytes: ...
    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]: ...
    def iter_raw(self, chunk_size: int | None = None) -> Iterator[bytes]: ...
    def iter_text(self, chunk_size: int | None = None) -> Iterator[str]: ...
    def iter_lines(self) -> Iterator[str]: ...
    def close(self) -> None: ...
    async def aread(self) -> bytes: ...
    def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]: ...
    def aiter_raw(self, chunk_size: int | None = None) -> AsyncIterator[bytes]: ...
    def aiter_text(self, chunk_size: int | None = None) -> AsyncIterator[str]: ...
    def aiter_lines(self) -> AsyncIterator[str]: ...
    async def aclose(self) -> None: ...
    def state(self) -> dict[str, Any]:
        """Pickling, as httpx: status, headers, request, history and the content if it was read;
        the unpickled response is closed, and an unread body reads as `StreamClosed`.
        (The Python class pickles this state, see `Response.__getstate__`.)
        """
    @staticmethod
    def from_state(state: dict[str, Any]) -> ResponseCore:
        """staticmethod(function) -> method

        Convert a function to be a static method.

        A static method does not receive an implicit first argument.
        To declare a static method, use this idiom:

             class C:
                 @staticmethod
                 def f(arg1, arg2, argN):
                     ...

        It can be called either on the class (e.g. C.f()) or on an instance
        (e.g. C().f()). Both the class and the instance are ignored, and
        neither is passed implicitly as the first argument to the method.

        Static methods in Python are similar to those found in Java or C++.
        For a more advanced concept, see the classmethod builtin.
        """

@final
class StreamContext:
    """What `client.stream(...)` returns: `with` (Client) or `async with` (AsyncClient) gives the
    response, its body unread, and closes it on exit.
    """
    def __enter__(self) -> Response: ...
    def __exit__(self, *args: object) -> None: ...
    async def __aenter__(self) -> Response: ...
    async def __aexit__(self, *args: object) -> None: ...

class _SSEConnection:
    """What `client.sse(...)` returns (`python/httprs/_sse.py`)."""
    def __enter__(self) -> EventSource: ...
    def __exit__(self, *args: object) -> None: ...
    async def __aenter__(self) -> EventSource: ...
    async def __aexit__(self, *args: object) -> None: ...

@final
class ServerSentEvent:
    """One server-sent event: `event` (its type), `data`, `id`, `retry` and `json()`. Frozen,
    comparable and hashable.
    """
    def __new__(
        cls, event: str = "message", data: str = "", id: str = "", retry: int | None = None
    ) -> Self: ...
    @property
    def event(self) -> str:
        """The event's type: its `event:` field, `"message"` without one."""
    @property
    def data(self) -> str:
        """Its `data:` lines, joined with `"\\n"`."""
    @property
    def id(self) -> str:
        """The last event id when it was dispatched (`""` before any)."""
    @property
    def retry(self) -> int | None:
        """The `retry:` of its block, in milliseconds, or None."""
    def json(self, **kwargs: Any) -> Any:
        """`json.loads(self.data, **kwargs)`."""
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...

@final
class EventStreamParser:
    """The incremental `text/event-stream` parser of one event source (it outlives a
    reconnection: the last event id and the retry time carry over).
    """
    def __new__(
        cls, max_event_size: int | None = None, last_event_id: str | None = None
    ) -> Self: ...
    def feed(self, chunk: bytes) -> list[ServerSentEvent]:
        """The events this chunk of the body completes. `SSEError` when an event grows past
        `max_event_size`.
        """
    def finish(self) -> None:
        """The end of one response's body: an unterminated event is discarded."""
    @property
    def last_event_id(self) -> str:
        """The id of the last event dispatched ("" before any): what a reconnection sends as
        `Last-Event-ID`.
        """
    @property
    def retry(self) -> int | None:
        """The last reconnection time the stream asked for, in milliseconds."""

@disjoint_base
class BaseClient:
    # Not instantiable (`Client` and `AsyncClient` are); their `__init__` is this one.
    """What `Client` and `AsyncClient` share: the settings and the sending methods.

    Not instantiated itself: use `httprs.Client` or `httprs.AsyncClient`.
    """
    def __init__(
        self,
        *,
        auth: AuthTypes | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        verify: _VerifyTypes = True,
        cert: CertTypes | None = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        http3: bool = False,
        proxy: ProxyTypes | None = None,
        mounts: Mapping[str, BaseTransport | AsyncBaseTransport | None] | None = None,
        timeout: TimeoutTypes = ...,
        follow_redirects: bool = False,
        limits: Limits = ...,
        max_redirects: int = 20,
        event_hooks: Mapping[str, list[EventHook]] | None = None,
        base_url: URL | str = "",
        transport: BaseTransport | AsyncBaseTransport | None = None,
        default_encoding: str | Callable[[bytes], str] = "utf-8",
        max_response_size: int | None = None,
    ) -> None: ...
    @property
    def is_closed(self) -> bool:
        """True once the client is closed (`close()` / `aclose()`, or its `with` block exited)."""
    @property
    def trust_env(self) -> bool:
        """Whether environment variables (proxies, `SSL_CERT_FILE`, ...) and `.netrc` are used."""
    @property
    def max_response_size(self) -> int | None:
        """`max_response_size=`: the most bytes a decoded response body may hold in memory
        (`.read()` / `.content`, every non-streaming request), or None. Past it,
        `ResponseTooLarge` (a `DecodingError`). Added to each request's
        `extensions["max_response_size"]`, which a request may set itself (None: no bound).
        The streaming iterators (`iter_bytes()`...) are not bounded."""
    def sse(self, *args: Any, **kwargs: Any) -> _SSEConnection:
        """Server-sent events: `sse(method, url, **kwargs)` (or httpx2's
        `sse(url, method="GET", ...)`), entered with `with` (Client) or `async with`
        (AsyncClient) to get an `EventSource`. Takes `stream()`'s arguments, plus
        `max_event_size` (bytes, default 1 MiB, None: no bound), `reconnect` (reconnect when
        the stream ends or drops, sending `Last-Event-ID`, after the server's `retry` or 3 s)
        and `last_event_id` (resume from a stored id). Sends `Accept: text/event-stream` and
        `Cache-Control: no-store` unless `headers` say otherwise."""
    @property
    def timeout(self) -> Timeout:
        """The default `Timeout` of requests; settable (anything `timeout=` accepts)."""
    @timeout.setter
    def timeout(self, value: TimeoutTypes) -> None: ...
    @property
    def headers(self) -> Headers:
        """The headers sent with every request; settable (replaces them)."""
    @headers.setter
    def headers(self, value: HeaderTypes) -> None: ...
    @property
    def cookies(self) -> Cookies:
        """The client's cookie jar: cookies responses set, sent back to matching URLs; settable."""
    @cookies.setter
    def cookies(self, value: CookieTypes) -> None: ...
    @property
    def params(self) -> QueryParams:
        """The query parameters added to every request's URL; settable."""
    @params.setter
    def params(self, value: QueryParamTypes) -> None: ...
    @property
    def base_url(self) -> URL:
        """The URL relative request URLs are joined to; settable."""
    @base_url.setter
    def base_url(self, value: URL | str) -> None: ...
    @property
    def auth(self) -> Auth | Callable[[Request], Request] | None:
        """The default authentication: an `Auth` object (a `(user, pass)` tuple becomes
        `BasicAuth`), a function, or None; settable (anything `auth=` accepts).
        """
    @auth.setter
    def auth(self, value: AuthTypes | None) -> None: ...
    @property
    def follow_redirects(self) -> bool:
        """Whether requests follow redirects by default; settable."""
    @follow_redirects.setter
    def follow_redirects(self, value: bool) -> None: ...
    @property
    def max_redirects(self) -> int:
        """The most redirects a request follows before TooManyRedirects; settable."""
    @max_redirects.setter
    def max_redirects(self, value: int) -> None: ...
    @property
    def event_hooks(self) -> dict[str, list[EventHook]]:
        """`{"request": [...], "response": [...]}`: functions called with each request before
        it is sent and each response before it is returned; settable.
        """
    @event_hooks.setter
    def event_hooks(self, value: Mapping[str, list[EventHook]]) -> None: ...
    def build_request(
        self,
        method: str,
        url: URL | str,
        *,
        content: RequestContent | None = None,
        data: RequestData | None = None,
        files: RequestFiles | None = None,
        json: Any | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Request:
        """A `Request` built with the client's defaults (base URL, headers, cookies, params,
        timeout), to be sent with `send()`. Arguments as for `request()`.
        """
    # Sending gives a `Response` (Client) or a coroutine of one (AsyncClient): each
    # subclass below states its own.
    def request(
        self,
        method: str,
        url: URL | str,
        *,
        content: RequestContent | None = None,
        data: RequestData | None = None,
        files: RequestFiles | None = None,
        json: Any | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response | Coroutine[Any, Any, Response]:
        """Build and send a request; return the response, its body read.

        `AsyncClient`: a coroutine. `content` (bytes, str or an iterable of bytes), `data`
        (form fields), `files` (multipart uploads) or `json` give the body; `params`,
        `headers` and `cookies` are merged with the client's; `auth`, `follow_redirects` and
        `timeout` override the client's for this request; `extensions` are passed to the
        transport.

        ```python
        response = client.request("GET", "https://example.org", params={"q": "rust"})
        ```
        """
    def stream(
        self,
        method: str,
        url: URL | str,
        *,
        content: RequestContent | None = None,
        data: RequestData | None = None,
        files: RequestFiles | None = None,
        json: Any | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> AbstractContextManager[Response, None] | AbstractAsyncContextManager[Response, None]:
        """Send a request; return a context manager whose response body is read as it arrives.

        ```python
        with client.stream("GET", url) as response:
            for chunk in response.iter_bytes():
                ...
        ```

        `AsyncClient`: `async with` and `response.aiter_bytes()`. The connection is released when
        the block exits. Arguments as for `request()`.
        """
    def send(
        self,
        request: Request,
        *,
        stream: bool = False,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
    ) -> Response | Coroutine[Any, Any, Response]:
        """Send a `Request` (from `build_request()` or made directly); return the response.

        `AsyncClient`: a coroutine. With `stream=True` the body is not read: read it with
        `response.read()` / `iter_bytes()` (or their async forms) and `close()` the response.
        `auth` and `follow_redirects` override the client's for this request.
        """
    def get(
        self,
        url: URL | str,
        *,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response | Coroutine[Any, Any, Response]:
        """Send a `GET` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    def head(
        self,
        url: URL | str,
        *,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response | Coroutine[Any, Any, Response]:
        """Send a `HEAD` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    def options(
        self,
        url: URL | str,
        *,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response | Coroutine[Any, Any, Response]:
        """Send a `OPTIONS` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    def delete(
        self,
        url: URL | str,
        *,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response | Coroutine[Any, Any, Response]:
        """Send a `DELETE` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    def post(
        self,
        url: URL | str,
        *,
        content: RequestContent | None = None,
        data: RequestData | None = None,
        files: RequestFiles | None = None,
        json: Any | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response | Coroutine[Any, Any, Response]:
        """Send a `POST` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    def put(
        self,
        url: URL | str,
        *,
        content: RequestContent | None = None,
        data: RequestData | None = None,
        files: RequestFiles | None = None,
        json: Any | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response | Coroutine[Any, Any, Response]:
        """Send a `PUT` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    def patch(
        self,
        url: URL | str,
        *,
        content: RequestContent | None = None,
        data: RequestData | None = None,
        files: RequestFiles | None = None,
        json: Any | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response | Coroutine[Any, Any, Response]:
        """Send a `PATCH` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""

class Client(BaseClient):
    """An HTTP client with a connection pool, cookie jar and defaults for its requests.

    ```python
    with httprs.Client(base_url="https://api.example.org", timeout=10.0) as client:
        response = client.get("/users", params={"page": 2})
        response.raise_for_status()
    ```

    `base_url`, `headers`, `params`, `cookies`, `auth`, `timeout` (default 5 s),
    `follow_redirects`, `max_redirects` and `event_hooks` are the defaults of every request;
    `verify` (a bool, a CA bundle path, an `ssl.SSLContext` or `httprs.SYSTEM_TRUST_STORE`),
    `cert`, `http1`, `http2`, `http3`, `proxy`, `limits` and `trust_env` configure the network
    (`http3=True`: https requests go over HTTP/3 (QUIC) first, and over TCP when the QUIC
    handshake fails within the connect timeout);
    `transport` replaces the network transport and `mounts` route URL patterns (`"https://"`,
    `"all://example.org"`) to other transports (None: no proxy for them).

    Use it as a context manager, or call `close()` when done.
    """
    def __init__(
        self,
        *,
        auth: AuthTypes | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        verify: _VerifyTypes = True,
        cert: CertTypes | None = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        http3: bool = False,
        proxy: ProxyTypes | None = None,
        mounts: Mapping[str, BaseTransport | None] | None = None,
        timeout: TimeoutTypes = ...,
        follow_redirects: bool = False,
        limits: Limits = ...,
        max_redirects: int = 20,
        event_hooks: Mapping[str, list[EventHook]] | None = None,
        base_url: URL | str = "",
        transport: BaseTransport | None = None,
        default_encoding: str | Callable[[bytes], str] = "utf-8",
        max_response_size: int | None = None,
    ) -> None: ...
    def request(
        self,
        method: str,
        url: URL | str,
        *,
        content: RequestContent | None = None,
        data: RequestData | None = None,
        files: RequestFiles | None = None,
        json: Any | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response:
        """Build and send a request; return the response, its body read.

        `AsyncClient`: a coroutine. `content` (bytes, str or an iterable of bytes), `data`
        (form fields), `files` (multipart uploads) or `json` give the body; `params`,
        `headers` and `cookies` are merged with the client's; `auth`, `follow_redirects` and
        `timeout` override the client's for this request; `extensions` are passed to the
        transport.

        ```python
        response = client.request("GET", "https://example.org", params={"q": "rust"})
        ```
        """
    def stream(
        self,
        method: str,
        url: URL | str,
        *,
        content: RequestContent | None = None,
        data: RequestData | None = None,
        files: RequestFiles | None = None,
        json: Any | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> AbstractContextManager[Response, None]:
        """Send a request; return a context manager whose response body is read as it arrives.

        ```python
        with client.stream("GET", url) as response:
            for chunk in response.iter_bytes():
                ...
        ```

        `AsyncClient`: `async with` and `response.aiter_bytes()`. The connection is released when
        the block exits. Arguments as for `request()`.
        """
    def send(
        self,
        request: Request,
        *,
        stream: bool = False,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
    ) -> Response:
        """Send a `Request` (from `build_request()` or made directly); return the response.

        `AsyncClient`: a coroutine. With `stream=True` the body is not read: read it with
        `response.read()` / `iter_bytes()` (or their async forms) and `close()` the response.
        `auth` and `follow_redirects` override the client's for this request.
        """
    def get(
        self,
        url: URL | str,
        *,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response:
        """Send a `GET` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    def head(
        self,
        url: URL | str,
        *,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response:
        """Send a `HEAD` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    def options(
        self,
        url: URL | str,
        *,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response:
        """Send a `OPTIONS` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    def delete(
        self,
        url: URL | str,
        *,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response:
        """Send a `DELETE` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    def post(
        self,
        url: URL | str,
        *,
        content: RequestContent | None = None,
        data: RequestData | None = None,
        files: RequestFiles | None = None,
        json: Any | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response:
        """Send a `POST` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    def put(
        self,
        url: URL | str,
        *,
        content: RequestContent | None = None,
        data: RequestData | None = None,
        files: RequestFiles | None = None,
        json: Any | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response:
        """Send a `PUT` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    def patch(
        self,
        url: URL | str,
        *,
        content: RequestContent | None = None,
        data: RequestData | None = None,
        files: RequestFiles | None = None,
        json: Any | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response:
        """Send a `PATCH` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    def close(self) -> None:
        """Close the client's connections and transports; it cannot send afterwards."""
    def __enter__(self) -> Self: ...
    def __exit__(self, *exc_info: object) -> None: ...

class AsyncClient(BaseClient):
    """An async HTTP client, for asyncio and trio: the API of `Client`, with coroutines.

    ```python
    async with httprs.AsyncClient(base_url="https://api.example.org") as client:
        response = await client.get("/users", params={"page": 2})
    ```

    `base_url`, `headers`, `params`, `cookies`, `auth`, `timeout` (default 5 s),
    `follow_redirects`, `max_redirects` and `event_hooks` are the defaults of every request;
    `verify` (a bool, a CA bundle path, an `ssl.SSLContext` or `httprs.SYSTEM_TRUST_STORE`),
    `cert`, `http1`, `http2`, `http3`, `proxy`, `limits` and `trust_env` configure the network
    (`http3=True`: https requests go over HTTP/3 (QUIC) first, and over TCP when the QUIC
    handshake fails within the connect timeout);
    `transport` replaces the network transport and `mounts` route URL patterns (`"https://"`,
    `"all://example.org"`) to other transports (None: no proxy for them). `transport` and
    `mounts` take async transports.

    Use it with `async with`, or `await client.aclose()` when done.
    """
    def __init__(
        self,
        *,
        auth: AuthTypes | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        verify: _VerifyTypes = True,
        cert: CertTypes | None = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        http3: bool = False,
        proxy: ProxyTypes | None = None,
        mounts: Mapping[str, AsyncBaseTransport | None] | None = None,
        timeout: TimeoutTypes = ...,
        follow_redirects: bool = False,
        limits: Limits = ...,
        max_redirects: int = 20,
        event_hooks: Mapping[str, list[EventHook]] | None = None,
        base_url: URL | str = "",
        transport: AsyncBaseTransport | None = None,
        default_encoding: str | Callable[[bytes], str] = "utf-8",
        max_response_size: int | None = None,
    ) -> None: ...
    async def request(
        self,
        method: str,
        url: URL | str,
        *,
        content: RequestContent | None = None,
        data: RequestData | None = None,
        files: RequestFiles | None = None,
        json: Any | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response:
        """Build and send a request; return the response, its body read.

        `AsyncClient`: a coroutine. `content` (bytes, str or an iterable of bytes), `data`
        (form fields), `files` (multipart uploads) or `json` give the body; `params`,
        `headers` and `cookies` are merged with the client's; `auth`, `follow_redirects` and
        `timeout` override the client's for this request; `extensions` are passed to the
        transport.

        ```python
        response = client.request("GET", "https://example.org", params={"q": "rust"})
        ```
        """
    def stream(
        self,
        method: str,
        url: URL | str,
        *,
        content: RequestContent | None = None,
        data: RequestData | None = None,
        files: RequestFiles | None = None,
        json: Any | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> AbstractAsyncContextManager[Response, None]:
        """Send a request; return a context manager whose response body is read as it arrives.

        ```python
        with client.stream("GET", url) as response:
            for chunk in response.iter_bytes():
                ...
        ```

        `AsyncClient`: `async with` and `response.aiter_bytes()`. The connection is released when
        the block exits. Arguments as for `request()`.
        """
    async def send(
        self,
        request: Request,
        *,
        stream: bool = False,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
    ) -> Response:
        """Send a `Request` (from `build_request()` or made directly); return the response.

        `AsyncClient`: a coroutine. With `stream=True` the body is not read: read it with
        `response.read()` / `iter_bytes()` (or their async forms) and `close()` the response.
        `auth` and `follow_redirects` override the client's for this request.
        """
    async def get(
        self,
        url: URL | str,
        *,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response:
        """Send a `GET` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    async def head(
        self,
        url: URL | str,
        *,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response:
        """Send a `HEAD` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    async def options(
        self,
        url: URL | str,
        *,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response:
        """Send a `OPTIONS` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    async def delete(
        self,
        url: URL | str,
        *,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response:
        """Send a `DELETE` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    async def post(
        self,
        url: URL | str,
        *,
        content: RequestContent | None = None,
        data: RequestData | None = None,
        files: RequestFiles | None = None,
        json: Any | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response:
        """Send a `POST` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    async def put(
        self,
        url: URL | str,
        *,
        content: RequestContent | None = None,
        data: RequestData | None = None,
        files: RequestFiles | None = None,
        json: Any | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response:
        """Send a `PUT` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    async def patch(
        self,
        url: URL | str,
        *,
        content: RequestContent | None = None,
        data: RequestData | None = None,
        files: RequestFiles | None = None,
        json: Any | None = None,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        auth: AuthTypes | UseClientDefault | None = ...,
        follow_redirects: bool | UseClientDefault = ...,
        timeout: TimeoutTypes | UseClientDefault = ...,
        extensions: RequestExtensions | None = None,
    ) -> Response:
        """Send a `PATCH` request (`AsyncClient`: a coroutine). Arguments as for `request()`."""
    async def aclose(self) -> None:
        """Close the client's connections and transports (a coroutine); it cannot send afterwards."""
    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *exc_info: object) -> None: ...

# The async bridge (`httprs._bridge` drives these; not part of the public API).
@final
class Steps:
    """An async operation in progress: the object `httprs._bridge.drive` steps."""
    def step(self) -> tuple[int, Any]:
        """`(0, result)`, `(1, Pending)` to wait for, or `(2, awaitable)` to await and pass back."""
    def give(self, value: Any) -> None:
        """The value of the awaitable from the last step."""
    def throw(self, exc: BaseException) -> None:
        """The exception the awaitable from the last step raised."""
    def cancel(self) -> Awaitable[None] | None:
        """Stop: abort any wait in flight and drop the operation (and the connection it holds).
        Returns what the stepper's `interrupted` asks to be awaited, if anything.
        """

@final
class Pending:
    """A wait running as a runtime task, awaited from Python through `httprs._bridge`."""
    def on_done(self, hub: Hub, waker: Any) -> bool:
        """Have `waker` handed to `hub` when the wait is over. False when it is over already:
        then there is nothing to wait for.
        """
    def cancel(self) -> bool:
        """Abort the wait. True when the waker will never reach its hub; False when completion
        won the race (the waker is in the hub's queue already).
        """

@final
class Hub:
    """Where a runtime thread leaves the wakers of finished waits for one event loop
    (`httprs._bridge`; internal).
    """
    def __new__(cls) -> Self: ...
    def fileno(self) -> int:
        """The descriptor that becomes readable when wakers are waiting (-1 once closed)."""
    def drain(self) -> list[Any]:
        """The wakers of the waits finished since the last call."""
    def close(self) -> None:
        """Close the socket pair (when the loop that watched it ends)."""

@disjoint_base
class NetworkTransport:
    """What `HTTPTransport` and `AsyncHTTPTransport` share: the network options."""
    def __init__(
        self,
        verify: _VerifyTypes = True,
        cert: CertTypes | None = None,
        trust_env: bool = True,
        http1: bool = True,
        http2: bool = False,
        limits: Limits = ...,
        proxy: ProxyTypes | None = None,
        uds: str | os.PathLike[str] | None = None,
        local_address: str | None = None,
        retries: int | Retry = 0,
        # httpx's socket options are not supported yet: anything but None raises.
        socket_options: None = None,
        http3: bool = False,
    ) -> None: ...

# `BaseTransport.register(HTTPTransport)` and `AsyncBaseTransport.register(AsyncHTTPTransport)`
# in `_transports.py` make these transports instances of httpx's base classes.
class HTTPTransport(NetworkTransport, BaseTransport):
    """The network transport of `Client`: connection pooling, TLS, HTTP/1.1, HTTP/2 and (opt-in)
    HTTP/3, proxies.

    ```python
    transport = httprs.HTTPTransport(retries=2, local_address="0.0.0.0")
    client = httprs.Client(transport=transport)
    ```

    `verify`, `cert`, `trust_env`, `http1`, `http2`, `http3`, `limits` and `proxy` as for
    `Client`;
    `uds`: a Unix socket path to connect to; `local_address`: the IP address to connect from;
    `retries`: how many times to retry a failed connection attempt. `socket_options` is not
    supported yet (only None).
    """
    def handle_request(self, request: Request) -> Response:
        """Send `request` over the network and return the response, its body not read yet."""
    def close(self) -> None:
        """Close the pooled connections."""
    def __enter__(self) -> Self: ...
    def __exit__(self, *args: object) -> None: ...

class AsyncHTTPTransport(NetworkTransport, AsyncBaseTransport):
    """The network transport of `AsyncClient` (asyncio and trio): as `HTTPTransport`.

    `verify`, `cert`, `trust_env`, `http1`, `http2`, `http3`, `limits` and `proxy` as for
    `Client`;
    `uds`: a Unix socket path to connect to; `local_address`: the IP address to connect from;
    `retries`: how many times to retry a failed connection attempt. `socket_options` is not
    supported yet (only None).
    """
    async def handle_async_request(self, request: Request) -> Response:
        """Send `request` over the network and return the response, its body not read yet (a
        coroutine).
        """
    async def aclose(self) -> None:
        """Close the pooled connections (a coroutine)."""
    async def __aenter__(self) -> Self: ...
    async def __aexit__(self, *args: object) -> None: ...

@final
class NetworkStream:
    """The connection a `101 Switching Protocols` (or a successful `CONNECT`) handed over:
    `response.extensions["network_stream"]` of a `Client`'s streamed response, as httpcore's
    `NetworkStream`. Closing the response closes it too.
    """
    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Up to `max_bytes` bytes, as soon as some have arrived; `b""` once the peer has closed
        the connection. `timeout`: seconds to wait (None: no limit), then `ReadTimeout`.
        """
    def write(self, buffer: bytes | bytearray, timeout: float | None = None) -> None:
        """Send all of `buffer`. `timeout`: seconds to wait (None: no limit), then `WriteTimeout`."""
    def close(self) -> None:
        """Close the connection. A read waiting meanwhile, or made later, returns `b""`; a write
        raises `WriteError`.
        """
    def get_extra_info(self, info: str) -> Any:
        """`"client_addr"` / `"server_addr"`: the local / remote address as a tuple;
        `"is_readable"`: whether a read would not wait; None for anything else (`"ssl_object"`
        and `"socket"` included: httprs's TLS and sockets are not Python objects).
        """

@final
class AsyncNetworkStream:
    """The connection a `101 Switching Protocols` (or a successful `CONNECT`) handed over:
    `response.extensions["network_stream"]` of an `AsyncClient`'s streamed response, as
    httpcore's `AsyncNetworkStream` (asyncio and trio). Closing the response closes it too.
    """
    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Up to `max_bytes` bytes, as soon as some have arrived; `b""` once the peer has closed
        the connection (a coroutine). `timeout`: seconds to wait (None: no limit), then
        `ReadTimeout`.
        """
    async def write(self, buffer: bytes | bytearray, timeout: float | None = None) -> None:
        """Send all of `buffer` (a coroutine). `timeout`: seconds to wait (None: no limit), then
        `WriteTimeout`.
        """
    async def aclose(self) -> None:
        """Close the connection (a coroutine). A read waiting meanwhile, or made later, returns
        `b""`; a write raises `WriteError`.
        """
    def get_extra_info(self, info: str) -> Any:
        """`"client_addr"` / `"server_addr"`: the local / remote address as a tuple;
        `"is_readable"`: whether a read would not wait; None for anything else (`"ssl_object"`
        and `"socket"` included: httprs's TLS and sockets are not Python objects).
        """

# While set, `hook(request)` sees each request about to go over the network; a transport it
# returns answers instead (src/transport/stand_in.rs). Returns the previous hook.
def _set_network_hook(hook: Callable[[Request], Any] | None) -> Callable[[Request], Any] | None: ...

# The observer of httprs.otel: `start(request)` and `end(token, response, error)` around each
# exchange with the network (src/observe/instrument.rs); None removes it.
def _set_observer(observer: Any | None) -> None: ...
