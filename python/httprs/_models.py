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

import typing

from ._httprs import RequestCore, ResponseCore

if typing.TYPE_CHECKING:
    import datetime

    from ._httprs import URL, Cookies, Headers

__all__ = ["Request", "Response"]

_T = typing.TypeVar("_T")


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
    """An HTTP request: method, URL, headers, body and extensions (as `httpx.Request`)."""

    _core_type = RequestCore

    def __init__(
        self,
        method: str | bytes,
        url: URL | str,
        *,
        params: typing.Any = None,
        headers: typing.Any = None,
        cookies: typing.Any = None,
        content: typing.Any = None,
        data: typing.Any = None,
        files: typing.Any = None,
        json: typing.Any = None,
        stream: typing.Any = None,
        extensions: dict[str, typing.Any] | None = None,
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
        """The method, uppercased (`"GET"`)."""
        return self._core.method

    @method.setter
    def method(self, value: str | bytes) -> None:
        self._core.method = value

    @property
    def url(self) -> URL:
        return self._core.url

    @url.setter
    def url(self, value: URL | str) -> None:
        self._core.url = value

    @property
    def headers(self) -> Headers:
        return self._core.headers

    @headers.setter
    def headers(self, value: typing.Any) -> None:
        self._core.headers = value

    @property
    def extensions(self) -> dict[str, typing.Any]:
        return self._core.extensions

    @extensions.setter
    def extensions(self, value: dict[str, typing.Any]) -> None:
        self._core.extensions = value

    @property
    def content(self) -> bytes:
        """The body; `RequestNotRead` while it is a stream not read yet."""
        return self._core.content

    @property
    def stream(self) -> typing.Any:
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
    `httpx.Response`)."""

    _core_type = ResponseCore

    def __init__(
        self,
        status_code: int,
        *,
        headers: typing.Any = None,
        content: typing.Any = None,
        text: str | None = None,
        html: str | None = None,
        json: typing.Any = None,
        stream: typing.Any = None,
        request: Request | None = None,
        extensions: dict[str, typing.Any] | None = None,
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
        return self._core.status_code

    @status_code.setter
    def status_code(self, value: int) -> None:
        self._core.status_code = value

    @property
    def reason_phrase(self) -> str:
        return self._core.reason_phrase

    @property
    def http_version(self) -> str:
        """`"HTTP/1.1"`, `"HTTP/2"`..."""
        return self._core.http_version

    @property
    def headers(self) -> Headers:
        return self._core.headers

    @headers.setter
    def headers(self, value: typing.Any) -> None:
        self._core.headers = value

    @property
    def request(self) -> Request:
        """The request this responds to (`RuntimeError` when none was set)."""
        return self._core.request

    @request.setter
    def request(self, value: Request) -> None:
        self._core.request = value

    @property
    def url(self) -> URL:
        return self._core.url

    @property
    def history(self) -> list[Response]:
        """The responses of the redirects that led here, oldest first."""
        return self._core.history

    @history.setter
    def history(self, value: list[Response]) -> None:
        self._core.history = value

    @property
    def next_request(self) -> Request | None:
        """The redirect's request when redirects are not followed."""
        return self._core.next_request

    @next_request.setter
    def next_request(self, value: Request | None) -> None:
        self._core.next_request = value

    @property
    def extensions(self) -> dict[str, typing.Any]:
        return self._core.extensions

    @property
    def elapsed(self) -> datetime.timedelta:
        """From sending the request to closing the response."""
        return self._core.elapsed

    @elapsed.setter
    def elapsed(self, value: datetime.timedelta) -> None:
        self._core.elapsed = value

    @property
    def stream(self) -> typing.Any:
        return self._core.stream

    @property
    def is_closed(self) -> bool:
        return self._core.is_closed

    @property
    def is_stream_consumed(self) -> bool:
        return self._core.is_stream_consumed

    @property
    def num_bytes_downloaded(self) -> int:
        return self._core.num_bytes_downloaded

    @property
    def content(self) -> bytes:
        """The decoded body (`ResponseNotRead` before `read()` on a streamed response)."""
        return self._core.content

    @property
    def text(self) -> str:
        return self._core.text

    @property
    def encoding(self) -> str | None:
        """The charset of `text`: set, else the Content-Type's, else `default_encoding`."""
        return self._core.encoding

    @encoding.setter
    def encoding(self, value: str | None) -> None:
        self._core.encoding = value

    @property
    def charset_encoding(self) -> str | None:
        return self._core.charset_encoding

    @property
    def default_encoding(self) -> str | typing.Callable[[bytes], str]:
        return self._core.default_encoding

    @default_encoding.setter
    def default_encoding(self, value: str | typing.Callable[[bytes], str]) -> None:
        self._core.default_encoding = value

    def json(self, **kwargs: typing.Any) -> typing.Any:
        return self._core.json(**kwargs)

    @property
    def is_informational(self) -> bool:
        return self._core.is_informational

    @property
    def is_success(self) -> bool:
        return self._core.is_success

    @property
    def is_redirect(self) -> bool:
        return self._core.is_redirect

    @property
    def is_client_error(self) -> bool:
        return self._core.is_client_error

    @property
    def is_server_error(self) -> bool:
        return self._core.is_server_error

    @property
    def is_error(self) -> bool:
        return self._core.is_error

    @property
    def has_redirect_location(self) -> bool:
        return self._core.has_redirect_location

    def raise_for_status(self) -> Response:
        """`HTTPStatusError` unless the status is 2xx; else the response itself."""
        self._core.raise_for_status(self)
        return self

    @property
    def links(self) -> dict[str | None, dict[str, str]]:
        return self._core.links

    @property
    def cookies(self) -> Cookies:
        """The cookies this response sets."""
        return self._core.cookies

    def read(self) -> bytes:
        return self._core.read()

    def iter_bytes(self, chunk_size: int | None = None) -> typing.Iterator[bytes]:
        return self._core.iter_bytes(chunk_size)

    def iter_raw(self, chunk_size: int | None = None) -> typing.Iterator[bytes]:
        return self._core.iter_raw(chunk_size)

    def iter_text(self, chunk_size: int | None = None) -> typing.Iterator[str]:
        return self._core.iter_text(chunk_size)

    def iter_lines(self) -> typing.Iterator[str]:
        return self._core.iter_lines()

    def close(self) -> None:
        self._core.close()

    async def aread(self) -> bytes:
        return await self._core.aread()

    def aiter_bytes(self, chunk_size: int | None = None) -> typing.AsyncIterator[bytes]:
        return self._core.aiter_bytes(chunk_size)

    def aiter_raw(self, chunk_size: int | None = None) -> typing.AsyncIterator[bytes]:
        return self._core.aiter_raw(chunk_size)

    def aiter_text(self, chunk_size: int | None = None) -> typing.AsyncIterator[str]:
        return self._core.aiter_text(chunk_size)

    def aiter_lines(self) -> typing.AsyncIterator[str]:
        return self._core.aiter_lines()

    async def aclose(self) -> None:
        await self._core.aclose()

    def __repr__(self) -> str:
        return repr(self._core)
