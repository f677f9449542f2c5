"""`Request` and `Response`: Python classes over Rust cores (`RequestCore`, `ResponseCore`).

Why Python classes: a class written in Rust has an instance layout of its own, and Python
refuses a class with two such bases ("multiple bases have instance lay-out conflict"), so
`class APIError(httprs.Response, Exception)` could not exist. These classes keep one
attribute, `_core`, in the instance `__dict__` (no `__slots__`, so that any base mixes in).
Each method is one call into the core, which does the work; objects the engine makes (a
response from the network, a redirect's request) get their Python object without running
`__init__` (`src/models/handle.rs`). This is pydantic's split: `BaseModel` is a Python class
over pydantic-core.
"""

from __future__ import annotations

from operator import attrgetter

from ._httprs import RequestCore, ResponseCore

# Names for the type checkers only (`typing` costs milliseconds at `import httprs`).
TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime
    import typing
    from typing import Self

    from ._httprs import URL, Cookies, Headers
    from ._types import (
        CookieTypes,
        HeaderTypes,
        QueryParamTypes,
        RequestContent,
        RequestData,
        RequestExtensions,
        RequestFiles,
        ResponseContent,
        ResponseExtensions,
    )

    _T = typing.TypeVar("_T")

__all__ = ["Request", "Response"]


def _new(cls: type[_T]) -> _T:
    """An empty instance for unpickling (`__setstate__` gives it its core)."""
    return cls.__new__(cls)


class _Faced:
    """Pickling and copying, shared by `Request` and `Response`: the core's state travels
    (as httpx's `__getstate__` defines it) with the instance's own attributes."""

    _core: typing.Any
    _core_type: typing.ClassVar[typing.Any]

    def __getstate__(self) -> dict[str, typing.Any]:
        state = dict(self.__dict__)
        state["_core"] = self._core.state()
        return state

    def __setstate__(self, state: dict[str, typing.Any]) -> None:
        state = dict(state)
        core = state.pop("_core")
        if isinstance(core, self._core_type):
            # A base with its own `__reduce__` (an Exception) hands over the `__dict__` as it is.
            core = core.state()
        self.__dict__.update(state)
        self._core = self._core_type.from_state(core)

    # Pickling by state whatever the other bases are (BaseException has its own `__reduce__`).
    def __reduce__(self) -> tuple[typing.Any, ...]:
        return (_new, (type(self),), self.__getstate__())


class Request(_Faced):
    """An HTTP request: method, URL, headers, body and extensions (as `httpx.Request`).

    ```python
    request = httprs.Request("POST", "https://example.org/items", json={"name": "x"})
    response = client.send(request)
    ```

    The body is one of `content` (bytes, str or an iterable of bytes), `data` (form
    fields; with `files`, multipart), `files` (uploads) or `json`; `params` are added to the
    URL's query and `cookies` become a `Cookie` header. `extensions` are read by the
    transport (`"timeout"`, ...).
    """

    _core: RequestCore
    _core_type = RequestCore

    def __init__(
        self,
        method: str | bytes,
        url: URL | str,
        *,
        params: QueryParamTypes | None = None,
        headers: HeaderTypes | None = None,
        cookies: CookieTypes | None = None,
        content: RequestContent | None = None,
        data: RequestData | None = None,
        files: RequestFiles | None = None,
        json: typing.Any | None = None,
        stream: typing.Iterable[bytes] | typing.AsyncIterable[bytes] | None = None,
        extensions: RequestExtensions | None = None,
    ) -> None:
        self._core = RequestCore(
            method,
            url,
            params=params,
            headers=headers,
            cookies=cookies,
            content=content,
            data=data,
            files=files,
            json=json,
            stream=stream,
            extensions=extensions,
        )

    @property
    def method(self) -> str:
        """The method, upper-cased (`"GET"`; settable)."""
        return self._core.method

    @method.setter
    def method(self, value: str | bytes) -> None:
        self._core.method = value

    @property
    def url(self) -> URL:
        """The URL (settable)."""
        return self._core.url

    @url.setter
    def url(self, value: URL | str) -> None:
        self._core.url = value

    @property
    def headers(self) -> Headers:
        """The headers, `Host` and the body's `Content-Type` / `Content-Length` included
        (settable)."""
        return self._core.headers

    @headers.setter
    def headers(self, value: HeaderTypes) -> None:
        self._core.headers = value

    @property
    def extensions(self) -> dict[str, typing.Any]:
        """Options for the transport (`{"timeout": {...}}` from the client; settable)."""
        return self._core.extensions

    @extensions.setter
    def extensions(self, value: dict[str, typing.Any]) -> None:
        self._core.extensions = value

    @property
    def content(self) -> bytes:
        """The body; `RequestNotRead` while it is a stream not read yet."""
        return self._core.content

    @property
    def stream(self) -> typing.Iterable[bytes] | typing.AsyncIterable[bytes]:
        """The body as a stream: a `ByteStream` when in memory, else the iterable given."""
        return self._core.stream

    def read(self) -> bytes:
        """Read a streaming body into memory (then it can be sent again)."""
        return self._core.read()

    async def aread(self) -> bytes:
        """`read()` for a body that is an async iterable too."""
        return await self._core.aread()

    def __repr__(self) -> str:
        return repr(self._core)


class Response(_Faced):
    """An HTTP response: status, headers and a body in memory or still on the wire (as
    `httpx.Response`).

    ```python
    response = client.get("https://example.org/items")
    response.raise_for_status()
    response.status_code, response.headers["content-type"], response.json()
    ```

    Made directly (in a transport, a mock or a test), the body is one of `content`,
    `text`, `html`, `json` or `stream`, and the matching `Content-Type` / `Content-Length`
    headers are added.
    """

    _core: ResponseCore
    _core_type = ResponseCore

    def __init__(
        self,
        status_code: int,
        *,
        headers: HeaderTypes | None = None,
        content: ResponseContent | None = None,
        text: str | None = None,
        html: str | None = None,
        json: typing.Any = None,
        stream: typing.Iterable[bytes] | typing.AsyncIterable[bytes] | None = None,
        request: Request | None = None,
        extensions: ResponseExtensions | None = None,
        history: list[Response] | None = None,
        default_encoding: str | typing.Callable[[bytes], str] = "utf-8",
    ) -> None:
        self._core = ResponseCore(
            status_code,
            headers=headers,
            content=content,
            text=text,
            html=html,
            json=json,
            stream=stream,
            request=request,
            extensions=extensions,
            history=history,
            default_encoding=default_encoding,
        )

    @property
    def status_code(self) -> int:
        """The status code: `200`, `404`... (settable)."""
        return self._core.status_code

    @status_code.setter
    def status_code(self, value: int) -> None:
        self._core.status_code = value

    @property
    def reason_phrase(self) -> str:
        """The reason phrase of the status code (`"Not Found"`), as httpx's table has it."""
        return self._core.reason_phrase

    @property
    def http_version(self) -> str:
        """The protocol: `"HTTP/1.1"`, `"HTTP/2"`..."""
        return self._core.http_version

    @property
    def headers(self) -> Headers:
        """The headers (settable)."""
        return self._core.headers

    @headers.setter
    def headers(self, value: HeaderTypes) -> None:
        self._core.headers = value

    @property
    def request(self) -> Request:
        """The request this responds to (`RuntimeError` when none was set; settable)."""
        return self._core.request

    @request.setter
    def request(self, value: Request) -> None:
        self._core.request = value

    @property
    def url(self) -> URL:
        """The URL of the request this responds to."""
        return self._core.url

    @property
    def history(self) -> list[Response]:
        """The responses of the redirects that led here, oldest first (settable)."""
        return self._core.history

    @history.setter
    def history(self, value: list[Response]) -> None:
        self._core.history = value

    @property
    def next_request(self) -> Request | None:
        """The request a redirect asks for, when redirects are not followed (settable)."""
        return self._core.next_request

    @next_request.setter
    def next_request(self, value: Request | None) -> None:
        self._core.next_request = value

    @property
    def extensions(self) -> dict[str, typing.Any]:
        """What the transport tells about the exchange (`"http_version"`, ...)."""
        return self._core.extensions

    @property
    def elapsed(self) -> datetime.timedelta:
        """From sending the request to closing the response (settable)."""
        return self._core.elapsed

    @elapsed.setter
    def elapsed(self, value: datetime.timedelta) -> None:
        self._core.elapsed = value

    @property
    def stream(self) -> typing.Iterable[bytes] | typing.AsyncIterable[bytes]:
        """The body as a stream: a `ByteStream` once read, else the stream the transport gave."""
        return self._core.stream

    @property
    def is_closed(self) -> bool:
        """True once the response is closed (read, or `close()` / `aclose()` called)."""
        return self._core.is_closed

    @property
    def is_stream_consumed(self) -> bool:
        """True once the body has been iterated."""
        return self._core.is_stream_consumed

    @property
    def num_bytes_downloaded(self) -> int:
        """How many bytes of the body have arrived so far (before decoding)."""
        return self._core.num_bytes_downloaded

    @property
    def content(self) -> bytes:
        """The decoded body (`ResponseNotRead` before `read()` on a streamed response)."""
        return self._core.content

    @property
    def text(self) -> str:
        """The body decoded as text with `encoding`."""
        return self._core.text

    @property
    def encoding(self) -> str | None:
        """The charset of `text`: set, else the Content-Type's, else `default_encoding`
        (settable)."""
        return self._core.encoding

    @encoding.setter
    def encoding(self, value: str | None) -> None:
        self._core.encoding = value

    @property
    def charset_encoding(self) -> str | None:
        """The `charset` of the `Content-Type` header, or None."""
        return self._core.charset_encoding

    @property
    def default_encoding(self) -> str | typing.Callable[[bytes], str]:
        """The codec of `text` when the headers name none: a name, or a function that
        guesses it from the body (settable)."""
        return self._core.default_encoding

    @default_encoding.setter
    def default_encoding(self, value: str | typing.Callable[[bytes], str]) -> None:
        self._core.default_encoding = value

    def json(self, **kwargs: typing.Any) -> typing.Any:
        """The body parsed as JSON (`kwargs` go to `json.loads`)."""
        return self._core.json(**kwargs)

    @property
    def is_informational(self) -> bool:
        """True for a 1xx status."""
        return self._core.is_informational

    @property
    def is_success(self) -> bool:
        """True for a 2xx status."""
        return self._core.is_success

    @property
    def is_redirect(self) -> bool:
        """True for a redirect status (301, 302, 303, 307, 308) with a `Location` header."""
        return self._core.is_redirect

    @property
    def is_client_error(self) -> bool:
        """True for a 4xx status."""
        return self._core.is_client_error

    @property
    def is_server_error(self) -> bool:
        """True for a 5xx status."""
        return self._core.is_server_error

    @property
    def is_error(self) -> bool:
        """True for a 4xx or 5xx status."""
        return self._core.is_error

    @property
    def has_redirect_location(self) -> bool:
        """True for a redirect status with a `Location` header (what a client follows)."""
        return self._core.has_redirect_location

    def raise_for_status(self) -> Self:
        """Raise `HTTPStatusError` unless the status is 2xx; else return the response."""
        self._core.raise_for_status(self)
        return self

    @property
    def links(self) -> dict[str | None, dict[str, str]]:
        """The `Link` header, parsed: `{rel (or url): {"url": ..., "rel": ..., ...}}`."""
        return self._core.links

    @property
    def cookies(self) -> Cookies:
        """The cookies this response sets."""
        return self._core.cookies

    def read(self) -> bytes:
        """Read the whole body into memory and return it (decoded)."""
        return self._core.read()

    def iter_bytes(self, chunk_size: int | None = None) -> typing.Iterator[bytes]:
        """The decoded body, in chunks (of `chunk_size` bytes when given)."""
        return self._core.iter_bytes(chunk_size)

    def iter_raw(self, chunk_size: int | None = None) -> typing.Iterator[bytes]:
        """The body as it came over the wire (not decompressed), in chunks."""
        return self._core.iter_raw(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> typing.Iterator[str]:
        """The body decoded as text, in chunks."""
        return self._core.iter_text(chunk_size)

    def iter_lines(self) -> typing.Iterator[str]:
        """The body as text, line by line (without the line endings)."""
        return self._core.iter_lines()

    def close(self) -> None:
        """Close the response and release its connection (the body is not read)."""
        self._core.close()

    async def aread(self) -> bytes:
        """Read the whole body into memory and return it (decoded); async."""
        return await self._core.aread()

    def aiter_bytes(self, chunk_size: int | None = None) -> typing.AsyncIterator[bytes]:
        """The decoded body, in chunks (of `chunk_size` bytes when given); async."""
        return self._core.aiter_bytes(chunk_size)

    def aiter_raw(self, chunk_size: int | None = None) -> typing.AsyncIterator[bytes]:
        """The body as it came over the wire (not decompressed), in chunks; async."""
        return self._core.aiter_raw(chunk_size)

    def aiter_text(self, chunk_size: int | None = None) -> typing.AsyncIterator[str]:
        """The body decoded as text, in chunks; async."""
        return self._core.aiter_text(chunk_size)

    def aiter_lines(self) -> typing.AsyncIterator[str]:
        """The body as text, line by line (without the line endings); async."""
        return self._core.aiter_lines()

    async def aclose(self) -> None:
        """Close the response and release its connection; async."""
        await self._core.aclose()

    def __repr__(self) -> str:
        return repr(self._core)


def _read_core_directly(cls: type, names: tuple[str, ...]) -> None:
    """Each property `name` of `cls` reads `self._core.name` through C (`attrgetter`) instead
    of its Python function, which costs a Python frame per read (~0.7k instructions of a
    ~100k sequential GET; docs/performance.md). The class body above keeps the `@property`
    definitions for the type checkers and the documentation; the property stays a
    `property`, with its setter and docstring, so `help()`, setting and `del` are unchanged,
    and a subclass's own property still overrides it."""
    for name in names:
        prop = vars(cls)[name]
        fast = property(attrgetter(f"_core.{name}"), prop.fset, prop.fdel, prop.__doc__)
        # The name its error messages give ("property 'content' of 'Response' object has no
        # setter"), as the class body's; typeshed does not declare `property.__set_name__`.
        fast.__set_name__(cls, name)  # type: ignore[attr-defined]
        setattr(cls, name, fast)


_read_core_directly(Request, ("method", "url", "headers", "extensions", "content", "stream"))
_read_core_directly(
    Response,
    (
        "status_code",
        "reason_phrase",
        "http_version",
        "headers",
        "request",
        "url",
        "history",
        "next_request",
        "extensions",
        "elapsed",
        "stream",
        "is_closed",
        "is_stream_consumed",
        "num_bytes_downloaded",
        "content",
        "text",
        "encoding",
        "charset_encoding",
        "default_encoding",
        "is_informational",
        "is_success",
        "is_redirect",
        "is_client_error",
        "is_server_error",
        "is_error",
        "has_redirect_location",
        "links",
        "cookies",
    ),
)
