"""Mocked responses for every request httprs would send over the network: the mock the
`httprs_mock` fixture of httprs's pytest plugin gives a test, with pytest-httpx's API
(`add_response`, `add_callback`, `add_exception`, `get_requests`). Public for type hints
(`HTTPRSMock`), streams (`IteratorStream`) and use outside pytest (`with HTTPRSMock() as
mock:`); see docs/testing.md.

While a mock is active, the engine shows each request about to go to the network to a hook
(`_httprs._set_network_hook`, see `src/transport/stand_in.rs`); the hook hands the request to
`_StandIn`, a transport that answers with the first registered response that matches it.
`MockTransport`, `ASGITransport`, `WSGITransport` and other Python transports are not the
network: their requests are left alone.

Its frames are hidden from pytest's tracebacks (`__tracebackhide__`): a failure shows the
test's line that sent the request, then the message. This module does not import pytest.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import json as jsonlib
import re
import threading
import typing

from ._exceptions import RequestError, TimeoutException
from ._httprs import (
    URL,
    QueryParams,
    _set_network_hook,  # pyright: ignore[reportPrivateUsage]
)
from ._models import Request, Response
from ._transports import (
    AsyncBaseTransport,
    AsyncByteStream,
    AsyncIteratorByteStream,
    BaseTransport,
    SyncByteStream,
    _discard,  # pyright: ignore[reportPrivateUsage]
    as_response,
)

__all__ = ["HTTPRSMock", "IteratorStream", "MockOptions"]

DOCS = "docs/testing.md in httprs"

Callback = typing.Callable[[Request], typing.Any]


@dataclasses.dataclass
class MockOptions:
    """What `@pytest.mark.httprs_mock(...)` sets (pytest-httpx's `httpx_mock` options)."""

    #: Fail the test at teardown if a registered response was never requested.
    assert_all_responses_were_requested: bool = True
    #: Fail the test at teardown if a request matched no registered response.
    assert_all_requests_were_expected: bool = True
    #: Whether a response answers more than one request (the default of `is_reusable`).
    can_send_already_matched_responses: bool = False
    #: `should_mock(request) -> bool`: False sends the request to the network after all.
    should_mock: typing.Callable[[Request], bool] = lambda request: True

    @classmethod
    def from_markers(cls, markers: typing.Iterable[typing.Mapping[str, typing.Any]]) -> MockOptions:
        """The options of `@pytest.mark.httprs_mock(...)` markers' keyword arguments, the
        closest first (a test's marker wins over its class's and module's)."""
        __tracebackhide__ = True
        options: dict[str, typing.Any] = {}
        for kwargs in markers:
            options = dict(kwargs) | options
        known = [field.name for field in dataclasses.fields(cls)]
        unknown = sorted(set(options) - set(known))
        if unknown:
            raise TypeError(
                f"@pytest.mark.httprs_mock got unknown options {unknown}; the options are {known}"
            )
        return cls(**options)


class IteratorStream(AsyncByteStream, SyncByteStream):
    """A response body streamed in the chunks of `chunks` (a list of bytes, or any iterable),
    for `add_response(stream=...)`: read by `Client` and `AsyncClient` alike. A list can be
    sent again (`is_reusable=True`); a generator only once."""

    def __init__(self, chunks: typing.Iterable[bytes]) -> None:
        self._chunks = chunks

    def __iter__(self) -> typing.Iterator[bytes]:
        yield from self._chunks

    async def __aiter__(self) -> typing.AsyncIterator[bytes]:
        for chunk in self._chunks:
            yield chunk


def _as_stream(stream: typing.Any) -> typing.Any:
    """`add_response(stream=...)` as a response stream: httprs's byte streams as they are,
    any iterable of bytes as an `IteratorStream`, an async iterable as an async stream."""
    if stream is None or isinstance(stream, SyncByteStream | AsyncByteStream):
        return stream
    if isinstance(stream, bytes | str):
        raise TypeError("stream= takes chunks (an iterable of bytes); use content= for bytes")
    if hasattr(stream, "__iter__"):
        return IteratorStream(stream)
    if hasattr(stream, "__aiter__"):
        return AsyncIteratorByteStream(stream)
    raise TypeError(
        f"stream= must be an iterable of bytes or a byte stream, got {type(stream).__name__}"
    )


def _params_dict(params: QueryParams) -> dict[str, str | list[str]]:
    """Query parameters as pytest-httpx compares them: a value, or a list for a repeated
    name; the order of names does not matter."""
    out: dict[str, str | list[str]] = {}
    for key in params:
        values = params.get_list(key)
        out[key] = values if len(values) > 1 else values[0]
    return out


def _url_matches(expected: URL | re.Pattern[str], received: URL, params: typing.Any) -> bool:
    if isinstance(expected, re.Pattern):
        return expected.match(str(received)) is not None
    if params is None:
        params = _params_dict(expected.params)
    same_place = expected.copy_with(query=None) == received.copy_with(query=None)
    return same_place and _params_dict(received.params) == params


class _Matcher:
    """What a registered response answers: every criterion given must hold (pytest-httpx's
    matchers, same names)."""

    def __init__(
        self,
        options: MockOptions,
        url: str | re.Pattern[str] | URL | None = None,
        method: str | None = None,
        match_headers: typing.Mapping[str, str] | None = None,
        match_content: bytes | str | None = None,
        match_json: typing.Any = None,
        match_data: typing.Mapping[str, typing.Any] | None = None,
        match_files: typing.Any = None,
        match_extensions: typing.Mapping[str, typing.Any] | None = None,
        match_params: typing.Mapping[str, str | list[str]] | None = None,
        is_optional: bool | None = None,
        is_reusable: bool | None = None,
        proxy_url: typing.Any = None,
    ) -> None:
        if proxy_url is not None:
            raise TypeError(
                "httprs_mock does not match on proxy_url=: the mock answers before a proxy "
                "is chosen; match on url= instead"
            )
        self.nb_calls = 0
        if url is None or isinstance(url, re.Pattern | URL):
            self.url = url
        elif isinstance(url, str):  # pyright: ignore[reportUnnecessaryIsInstance] (httpx.URL too)
            self.url = URL(url)
        else:  # another library's URL (httpx.URL)
            self.url = URL(str(url))
        self.method = method.upper() if method else None
        self.headers = dict(match_headers) if match_headers else None
        self.content = match_content.encode() if isinstance(match_content, str) else match_content
        self.json = match_json
        self.data = match_data
        self.files = match_files
        self.extensions = match_extensions
        # As the URL's own would be: a value, or a list for a repeated name.
        self.params = _params_dict(QueryParams(match_params)) if match_params is not None else None
        self.is_optional = (
            not options.assert_all_responses_were_requested if is_optional is None else is_optional
        )
        self.is_reusable = (
            options.can_send_already_matched_responses if is_reusable is None else is_reusable
        )
        if sum(x is not None for x in (self.content, self.json, self.files)) > 1:
            raise ValueError(
                "Only one way of matching against the body can be provided: match_json for "
                "the JSON decoded body, match_files (and match_data) for a multipart body, "
                "match_data alone for a form, otherwise match_content."
            )
        if self.data is not None and (self.content is not None or self.json is not None):
            raise ValueError("match_data cannot be combined with match_content or match_json.")
        if self.params is not None:
            if self.url is None:
                raise ValueError("URL must be provided when match_params is used.")
            if isinstance(self.url, re.Pattern):
                raise ValueError("match_params cannot be used with a regex URL.")
            if self.url.params:
                raise ValueError(
                    "Provided URL must not contain any query parameter when match_params is used."
                )

    def expects_body(self) -> bool:
        return any(x is not None for x in (self.content, self.json, self.files, self.data))

    def matches(self, request: Request) -> bool:
        return (
            (self.url is None or _url_matches(self.url, request.url, self.params))
            and (self.method is None or request.method == self.method)
            and (self.headers is None or self._headers_match(request))
            and self._body_matches(request)
            and (
                self.extensions is None
                or all(request.extensions.get(k) == v for k, v in self.extensions.items())
            )
        )

    def _headers_match(self, request: Request) -> bool:
        assert self.headers is not None
        return all(
            name in request.headers and ", ".join(request.headers.get_list(name)) == value
            for name, value in self.headers.items()
        )

    def _body_matches(self, request: Request) -> bool:
        if self.content is not None:
            return request.content == self.content
        if self.json is not None:
            try:
                return bool(jsonlib.loads(request.content) == self.json)
            except ValueError:
                return False
        if self.files is not None:
            return request.content == self._multipart(request)
        if self.data is not None:  # a form (with match_files, a multipart body: above)
            content_type = request.headers.get("content-type", "")
            if not content_type.startswith("application/x-www-form-urlencoded"):
                return False
            received = QueryParams(request.content.decode("latin-1"))
            return _params_dict(received) == _params_dict(QueryParams(self.data))
        return True

    def _multipart(self, request: Request) -> bytes | None:
        """The body `data=match_data, files=match_files` makes, with the request's boundary."""
        found = re.match(rb"^--([^\r\n]+)\r\n", request.content)
        if found is None:
            return None
        boundary = found.group(1).decode("latin-1")
        expected = Request(
            "POST",
            "http://multipart.invalid/",
            data=self.data or {},
            files=self.files,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        return expected.read()

    def should_have_matched(self) -> bool:
        return not self.is_optional and not self.nb_calls

    def __str__(self) -> str:
        if self.is_reusable:
            text = f"Match {self.method or 'every'} request"
        else:
            text = "Already matched" if self.nb_calls else "Match"
            text += f" {self.method or 'any'} request"
        if self.url is not None:
            text += f" on {self.url.pattern if isinstance(self.url, re.Pattern) else self.url}"
        data_kind = "multipart" if self.files is not None else "form"
        described = [
            (self.params, "{} query parameters"),
            (self.headers, "{} headers"),
            (self.content, "{!r} body"),
            (self.json, "{} json body"),
            (self.data, "{} " + data_kind + " data"),
            (self.files, "{} files"),
            (self.extensions, "{} extensions"),
        ]
        extra = [form.format(value) for value, form in described if value is not None]
        if extra:
            text += " with " + " and ".join(extra)
        return text


def _describe(request: Request, matchers: list[_Matcher]) -> str:
    """The request as the failure message shows it: what the registered matchers look at."""
    text = f"{request.method} request on {request.url}"
    extra: list[str] = []
    wanted = {name.lower() for m in matchers if m.headers for name in m.headers}
    if wanted:
        present = {
            name: ", ".join(request.headers.get_list(name))
            for name in request.headers.keys()
            if name.lower() in wanted
        }
        extra.append(f"{present} headers")
    if any(m.expects_body() for m in matchers):
        extra.append(f"{request.content!r} body")
    wanted_extensions = {name for m in matchers if m.extensions for name in m.extensions}
    if wanted_extensions:
        present_extensions = {k: v for k, v in request.extensions.items() if k in wanted_extensions}
        extra.append(f"{present_extensions} extensions")
    if extra:
        text += " with " + " and ".join(extra)
    return text


class HTTPRSMock:
    """The `httprs_mock` fixture: responses for the requests httprs would send over the
    network, registered with `add_response`, `add_callback` or `add_exception`, each answering
    the first request that matches it (`is_reusable=True`: every one). Requests answered or
    not are kept (`get_requests`). A request nothing answers raises `httprs.TimeoutException`
    listing what is registered.

    Outside pytest: `with HTTPRSMock() as mock:` mocks for the block, and checks at its end.
    """

    def __init__(self, options: MockOptions | None = None, **kwargs: typing.Any) -> None:
        self._options = options if options is not None else MockOptions(**kwargs)
        self._lock = threading.Lock()
        self._callbacks: list[tuple[_Matcher, Callback]] = []
        self._requests: list[Request] = []
        self._requests_not_matched: list[Request] = []
        self._previous_hook: typing.Any = None
        self._stand_in = _StandIn(self)

    # --- registering -----------------------------------------------------------------------

    def add_response(
        self,
        status_code: int = 200,
        http_version: str = "HTTP/1.1",
        headers: typing.Any = None,
        content: bytes | None = None,
        text: str | None = None,
        html: str | None = None,
        stream: typing.Any = None,
        json: typing.Any = None,
        **matchers: typing.Any,
    ) -> None:
        """Answer a matching request with this response (a new `Response` each time).

        The body is `content=` (bytes), `text=`, `html=`, `json=`, or `stream=` (an
        iterable of bytes chunks, an `IteratorStream` or an httprs byte stream) for a streamed
        body. Matchers: `url=` (a str or `httprs.URL`, compared without regard to the order
        of query parameters, or an `re.Pattern`), `method=`, `match_params=`,
        `match_headers=` (those headers with those values; others may be there too),
        `match_content=`, `match_json=`, `match_data=` (a form, or with `match_files=` a
        multipart body), `match_extensions=`; `is_optional=`, `is_reusable=`.
        """
        json = copy.deepcopy(json)
        extensions = {"http_version": http_version.encode("ascii")}

        def respond(request: Request) -> Response:
            return Response(
                status_code,
                headers=headers,
                content=content,
                text=text,
                html=html,
                json=json,
                stream=_as_stream(stream),
                extensions=extensions,
            )

        self.add_callback(respond, **matchers)

    def add_callback(self, callback: Callback, **matchers: typing.Any) -> None:
        """Answer a matching request with `callback(request)`: a `Response` (an
        `httpx.Response` is converted), or `None` for "no match after all". An `async def`
        callback answers `AsyncClient` requests. Matchers as for `add_response`."""
        matcher = _Matcher(self._options, **matchers)
        with self._lock:
            self._callbacks.append((matcher, callback))

    def add_exception(self, exception: BaseException, **matchers: typing.Any) -> None:
        """Raise `exception` for a matching request (e.g. `httprs.ReadTimeout("...")`); a
        `RequestError` gets the request as its `.request`. Matchers as for `add_response`."""

        def raise_exception(request: Request) -> typing.NoReturn:
            __tracebackhide__ = True
            if isinstance(exception, RequestError):
                exception.request = request
            raise exception

        self.add_callback(raise_exception, **matchers)

    # --- looking at what was sent ----------------------------------------------------------

    def get_requests(self, **matchers: typing.Any) -> list[Request]:
        """The requests sent (answered or not), in order; with matchers, those that match."""
        matcher = _Matcher(self._options, **matchers)
        with self._lock:
            requests = list(self._requests)
        return [r for r in requests if matcher.matches(r)]

    def get_request(self, **matchers: typing.Any) -> Request | None:
        """The one request that matches, or None; an AssertionError if more than one does."""
        requests = self.get_requests(**matchers)
        assert len(requests) <= 1, (
            f"More than one request ({len(requests)}) matched, use get_requests instead or "
            "refine your filters."
        )
        return requests[0] if requests else None

    def reset(self) -> None:
        """Forget the registered responses and the requests sent."""
        with self._lock:
            self._callbacks.clear()
            self._requests.clear()
            self._requests_not_matched.clear()

    # --- answering -------------------------------------------------------------------------

    def _callback_for(self, request: Request) -> Callback | None:
        with self._lock:
            self._requests.append(request)
            matching = [(m, cb) for m, cb in self._callbacks if m.matches(request)]
            for matcher, callback in matching:
                if not matcher.nb_calls:
                    matcher.nb_calls += 1
                    return callback
            # All matched before: the last registered answers again if it may.
            if matching and matching[-1][0].is_reusable:
                matching[-1][0].nb_calls += 1
                return matching[-1][1]
            return None

    def _not_matched(self, request: Request) -> typing.NoReturn:
        __tracebackhide__ = True
        with self._lock:
            self._requests_not_matched.append(request)
            matchers = [m for m, _ in self._callbacks]
        message = f"No response can be found for {_describe(request, matchers)}"
        fresh = [m for m in matchers if not m.nb_calls]
        used = [m for m in matchers if m.nb_calls]
        if matchers:
            message += " amongst:\n" + "\n".join(f"- {m}" for m in fresh + used)
            if any(not m.is_reusable for m in used):
                message += (
                    "\n\nIf you wanted to reuse an already matched response instead of "
                    "registering it again, pass is_reusable=True (see " + DOCS + ")."
                )
        raise TimeoutException(message, request=request)

    def _handle_request(self, request: Request) -> Response:
        __tracebackhide__ = True
        request.read()
        callback = self._callback_for(request)
        if callback is not None:
            returned = callback(request)
            if inspect.isawaitable(returned):
                _discard(returned)
                raise TypeError(
                    f"The callback registered for {request.method} {request.url} is async: "
                    "async callbacks answer httprs.AsyncClient requests; use a plain function "
                    "with httprs.Client"
                )
            if returned is not None:
                return as_response(returned, "An httprs_mock callback")
        self._not_matched(request)

    async def _handle_async_request(self, request: Request) -> Response:
        __tracebackhide__ = True
        await request.aread()
        callback = self._callback_for(request)
        if callback is not None:
            returned = callback(request)
            if inspect.isawaitable(returned):
                returned = await returned
            if returned is not None:
                return as_response(returned, "An httprs_mock callback")
        self._not_matched(request)

    # --- being active ----------------------------------------------------------------------

    def _hook(self, request: Request) -> _StandIn | None:
        return self._stand_in if self._options.should_mock(request) else None

    def start(self) -> None:
        """Answer the network's requests from now on (the fixture does this)."""
        self._previous_hook = _set_network_hook(self._hook)

    def stop(self) -> None:
        """Let requests go to the network again (or to the mock active before this one)."""
        _set_network_hook(self._previous_hook)
        self._previous_hook = None

    def assert_options(self) -> None:
        """The checks made at teardown: every response requested, every request expected
        (as the options say). Raises AssertionError listing what is wrong."""
        __tracebackhide__ = True
        with self._lock:
            not_requested = [m for m, _ in self._callbacks if m.should_have_matched()]
            not_expected = list(self._requests_not_matched)
        assert not not_requested, (
            "The following responses are mocked but not requested:\n"
            + "\n".join(f"- {m}" for m in not_requested)
            + "\n\nIf this is on purpose, pass is_optional=True to add_response, or mark the "
            "test with @pytest.mark.httprs_mock(assert_all_responses_were_requested=False)."
        )
        if self._options.assert_all_requests_were_expected:
            assert not not_expected, (
                "The following requests were not expected:\n"
                + "\n".join(f"- {r.method} request on {r.url}" for r in not_expected)
                + "\n\nIf this is on purpose, mark the test with "
                "@pytest.mark.httprs_mock(assert_all_requests_were_expected=False)."
            )

    def __enter__(self) -> HTTPRSMock:
        self.start()
        return self

    def __exit__(self, exc_type: typing.Any, *args: typing.Any) -> None:
        self.stop()
        try:
            if exc_type is None:
                self.assert_options()
        finally:
            self.reset()


class _StandIn(AsyncBaseTransport, BaseTransport):
    """The transport answering in the network's place while a mock is active."""

    def __init__(self, mock: HTTPRSMock) -> None:
        self._mock = mock

    def handle_request(self, request: Request) -> Response:
        __tracebackhide__ = True
        return self._mock._handle_request(request)  # pyright: ignore[reportPrivateUsage]

    async def handle_async_request(self, request: Request) -> Response:
        __tracebackhide__ = True
        return await self._mock._handle_async_request(request)  # pyright: ignore[reportPrivateUsage]
