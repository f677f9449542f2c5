"""The type aliases of httprs's signatures, as httpx 0.28.1 spells them (`httpx._types`).

Code that annotates with httpx's aliases (`from httpx._types import HeaderTypes`) can take
them from here. They are plain `typing` objects: importing this module costs nothing at run
time beyond `typing` itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Callable, Iterable, Mapping, Sequence
from http.cookiejar import CookieJar
from typing import IO, TYPE_CHECKING, Any, Union

if TYPE_CHECKING:  # pragma: no cover
    from ._auth import Auth
    from ._config import Proxy
    from ._httprs import URL, Cookies, Headers, QueryParams, Timeout
    from ._models import Request

# An alias that names one of httprs's classes is a `Union[...]` with the name in quotes (a
# forward reference): these aliases are evaluated at run time, where the classes are not
# imported (this module is imported by the modules that define them), and `|` needs classes.

PrimitiveData = str | int | float | bool | None

URLTypes = Union["URL", str]

QueryParamTypes = Union[
    "QueryParams",
    Mapping[str, PrimitiveData | Sequence[PrimitiveData]],
    list[tuple[str, PrimitiveData]],
    tuple[tuple[str, PrimitiveData], ...],
    str,
    bytes,
]

HeaderTypes = Union[
    "Headers",
    Mapping[str, str],
    Mapping[bytes, bytes],
    Sequence[tuple[str, str]],
    Sequence[tuple[bytes, bytes]],
]

CookieTypes = Union["Cookies", CookieJar, dict[str, str], list[tuple[str, str]]]

TimeoutTypes = Union[
    float | None,
    tuple[float | None, float | None, float | None, float | None],
    "Timeout",
]
ProxyTypes = Union["URL", str, "Proxy"]
CertTypes = str | tuple[str, str] | tuple[str, str, str]

AuthTypes = Union[
    tuple[str | bytes, str | bytes],
    Callable[["Request"], "Request"],
    "Auth",
]

RequestContent = str | bytes | Iterable[bytes] | AsyncIterable[bytes]
ResponseContent = str | bytes | Iterable[bytes] | AsyncIterable[bytes]
ResponseExtensions = Mapping[str, Any]

RequestData = Mapping[str, Any]

FileContent = IO[bytes] | bytes | str
FileTypes = (
    # file (or bytes)
    FileContent
    # (filename, file (or bytes))
    | tuple[str | None, FileContent]
    # (filename, file (or bytes), content_type)
    | tuple[str | None, FileContent, str | None]
    # (filename, file (or bytes), content_type, headers)
    | tuple[str | None, FileContent, str | None, Mapping[str, str]]
)
RequestFiles = Mapping[str, FileTypes] | Sequence[tuple[str, FileTypes]]

RequestExtensions = Mapping[str, Any]

#: A hook of `event_hooks={"request": [...], "response": [...]}`: called with the request or
#: the response (an `async def` function with `AsyncClient`).
EventHook = Callable[..., Any]

__all__ = [
    "AuthTypes",
    "CertTypes",
    "CookieTypes",
    "EventHook",
    "FileContent",
    "FileTypes",
    "HeaderTypes",
    "PrimitiveData",
    "ProxyTypes",
    "QueryParamTypes",
    "RequestContent",
    "RequestData",
    "RequestExtensions",
    "RequestFiles",
    "ResponseContent",
    "ResponseExtensions",
    "TimeoutTypes",
    "URLTypes",
]
