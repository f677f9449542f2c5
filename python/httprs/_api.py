"""The one-shot helpers (`httprs.get(...)` and friends), as httpx's `_api.py`: each opens a
temporary `Client`, sends one request and closes it."""

from __future__ import annotations

from ._httprs import Client, Timeout

# Names for the type checkers only: `import httprs` loads no module a first request does not
# need (`typing` alone costs milliseconds; `ssl` ~12 ms).
TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    import ssl
    import typing
    from contextlib import AbstractContextManager
    from types import TracebackType

    from ._httprs import URL, SystemTrustStore
    from ._models import Response
    from ._types import (
        AuthTypes,
        CookieTypes,
        HeaderTypes,
        ProxyTypes,
        QueryParamTypes,
        RequestContent,
        RequestData,
        RequestFiles,
        TimeoutTypes,
    )

__all__ = ["delete", "get", "head", "options", "patch", "post", "put", "request", "stream"]


#: The default timeout of the one-shot helpers (and of ``Client``): 5 seconds for every phase.
_DEFAULT_TIMEOUT_CONFIG = Timeout(5.0)


def request(
    method: str,
    url: URL | str,
    *,
    params: QueryParamTypes | None = None,
    content: RequestContent | None = None,
    data: RequestData | None = None,
    files: RequestFiles | None = None,
    json: typing.Any | None = None,
    headers: HeaderTypes | None = None,
    cookies: CookieTypes | None = None,
    auth: AuthTypes | None = None,
    proxy: ProxyTypes | None = None,
    timeout: TimeoutTypes = _DEFAULT_TIMEOUT_CONFIG,
    follow_redirects: bool = False,
    verify: ssl.SSLContext | str | bool | SystemTrustStore = True,
    trust_env: bool = True,
) -> Response:
    """Send one request with a temporary ``Client`` and return the read response.

    Connection settings (``cookies``, ``proxy``, ``verify``, ``timeout``, ``trust_env``)
    configure the temporary client; the rest describe the request.
    """
    with Client(
        cookies=cookies, proxy=proxy, verify=verify, timeout=timeout, trust_env=trust_env
    ) as client:
        return client.request(
            method,
            url,
            content=content,
            data=data,
            files=files,
            json=json,
            params=params,
            headers=headers,
            auth=auth,
            follow_redirects=follow_redirects,
        )


def stream(
    method: str,
    url: URL | str,
    *,
    params: QueryParamTypes | None = None,
    content: RequestContent | None = None,
    data: RequestData | None = None,
    files: RequestFiles | None = None,
    json: typing.Any | None = None,
    headers: HeaderTypes | None = None,
    cookies: CookieTypes | None = None,
    auth: AuthTypes | None = None,
    proxy: ProxyTypes | None = None,
    timeout: TimeoutTypes = _DEFAULT_TIMEOUT_CONFIG,
    follow_redirects: bool = False,
    verify: ssl.SSLContext | str | bool | SystemTrustStore = True,
    trust_env: bool = True,
) -> _OneShotStream:
    """Like ``request``, but yields a response whose body is not read yet.

    Use as ``with httprs.stream("GET", url) as response: ...``; the body is read
    through ``response.iter_bytes()`` and friends, and the connection is released
    when the block exits.
    """
    client_options = dict(
        cookies=cookies, proxy=proxy, verify=verify, timeout=timeout, trust_env=trust_env
    )
    request_options = dict(
        content=content,
        data=data,
        files=files,
        json=json,
        params=params,
        headers=headers,
        auth=auth,
        follow_redirects=follow_redirects,
    )
    return _OneShotStream(method, url, client_options, request_options)


class _OneShotStream:
    """What ``httprs.stream(...)`` returns: entering it opens a temporary ``Client`` and
    streams the request; leaving it closes the response, then the client. (httpx's is a
    ``contextlib.contextmanager`` generator; a class keeps ``contextlib`` out of
    ``import httprs``.) As there, the client is made when the block is entered."""

    def __init__(
        self,
        method: str,
        url: URL | str,
        client_options: dict[str, typing.Any],
        request_options: dict[str, typing.Any],
    ) -> None:
        self._call = (method, url, client_options, request_options)
        self._client: Client | None = None
        self._context: AbstractContextManager[Response] | None = None

    def __enter__(self) -> Response:
        if self._client is not None:
            raise RuntimeError("httprs.stream(...) can be entered once")
        method, url, client_options, request_options = self._call
        self._client = client = Client(**client_options).__enter__()
        try:
            self._context = context = client.stream(method, url, **request_options)
            return context.__enter__()
        except BaseException as exc:
            client.__exit__(type(exc), exc, exc.__traceback__)
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        client, context = self._client, self._context
        if client is None or context is None:
            raise RuntimeError("httprs.stream(...) was not entered")
        try:
            context.__exit__(exc_type, exc, tb)
        except BaseException as raised:
            client.__exit__(type(raised), raised, raised.__traceback__)
            raise
        client.__exit__(exc_type, exc, tb)


def get(
    url: URL | str,
    *,
    params: QueryParamTypes | None = None,
    headers: HeaderTypes | None = None,
    cookies: CookieTypes | None = None,
    auth: AuthTypes | None = None,
    proxy: ProxyTypes | None = None,
    follow_redirects: bool = False,
    verify: ssl.SSLContext | str | bool | SystemTrustStore = True,
    timeout: TimeoutTypes = _DEFAULT_TIMEOUT_CONFIG,
    trust_env: bool = True,
) -> Response:
    """Send a ``GET`` request (see ``request``)."""
    return request(
        "GET",
        url,
        params=params,
        headers=headers,
        cookies=cookies,
        auth=auth,
        proxy=proxy,
        follow_redirects=follow_redirects,
        verify=verify,
        timeout=timeout,
        trust_env=trust_env,
    )


def options(
    url: URL | str,
    *,
    params: QueryParamTypes | None = None,
    headers: HeaderTypes | None = None,
    cookies: CookieTypes | None = None,
    auth: AuthTypes | None = None,
    proxy: ProxyTypes | None = None,
    follow_redirects: bool = False,
    verify: ssl.SSLContext | str | bool | SystemTrustStore = True,
    timeout: TimeoutTypes = _DEFAULT_TIMEOUT_CONFIG,
    trust_env: bool = True,
) -> Response:
    """Send an ``OPTIONS`` request (see ``request``)."""
    return request(
        "OPTIONS",
        url,
        params=params,
        headers=headers,
        cookies=cookies,
        auth=auth,
        proxy=proxy,
        follow_redirects=follow_redirects,
        verify=verify,
        timeout=timeout,
        trust_env=trust_env,
    )


def head(
    url: URL | str,
    *,
    params: QueryParamTypes | None = None,
    headers: HeaderTypes | None = None,
    cookies: CookieTypes | None = None,
    auth: AuthTypes | None = None,
    proxy: ProxyTypes | None = None,
    follow_redirects: bool = False,
    verify: ssl.SSLContext | str | bool | SystemTrustStore = True,
    timeout: TimeoutTypes = _DEFAULT_TIMEOUT_CONFIG,
    trust_env: bool = True,
) -> Response:
    """Send a ``HEAD`` request (see ``request``)."""
    return request(
        "HEAD",
        url,
        params=params,
        headers=headers,
        cookies=cookies,
        auth=auth,
        proxy=proxy,
        follow_redirects=follow_redirects,
        verify=verify,
        timeout=timeout,
        trust_env=trust_env,
    )


def post(
    url: URL | str,
    *,
    content: RequestContent | None = None,
    data: RequestData | None = None,
    files: RequestFiles | None = None,
    json: typing.Any | None = None,
    params: QueryParamTypes | None = None,
    headers: HeaderTypes | None = None,
    cookies: CookieTypes | None = None,
    auth: AuthTypes | None = None,
    proxy: ProxyTypes | None = None,
    follow_redirects: bool = False,
    verify: ssl.SSLContext | str | bool | SystemTrustStore = True,
    timeout: TimeoutTypes = _DEFAULT_TIMEOUT_CONFIG,
    trust_env: bool = True,
) -> Response:
    """Send a ``POST`` request (see ``request``)."""
    return request(
        "POST",
        url,
        content=content,
        data=data,
        files=files,
        json=json,
        params=params,
        headers=headers,
        cookies=cookies,
        auth=auth,
        proxy=proxy,
        follow_redirects=follow_redirects,
        verify=verify,
        timeout=timeout,
        trust_env=trust_env,
    )


def put(
    url: URL | str,
    *,
    content: RequestContent | None = None,
    data: RequestData | None = None,
    files: RequestFiles | None = None,
    json: typing.Any | None = None,
    params: QueryParamTypes | None = None,
    headers: HeaderTypes | None = None,
    cookies: CookieTypes | None = None,
    auth: AuthTypes | None = None,
    proxy: ProxyTypes | None = None,
    follow_redirects: bool = False,
    verify: ssl.SSLContext | str | bool | SystemTrustStore = True,
    timeout: TimeoutTypes = _DEFAULT_TIMEOUT_CONFIG,
    trust_env: bool = True,
) -> Response:
    """Send a ``PUT`` request (see ``request``)."""
    return request(
        "PUT",
        url,
        content=content,
        data=data,
        files=files,
        json=json,
        params=params,
        headers=headers,
        cookies=cookies,
        auth=auth,
        proxy=proxy,
        follow_redirects=follow_redirects,
        verify=verify,
        timeout=timeout,
        trust_env=trust_env,
    )


def patch(
    url: URL | str,
    *,
    content: RequestContent | None = None,
    data: RequestData | None = None,
    files: RequestFiles | None = None,
    json: typing.Any | None = None,
    params: QueryParamTypes | None = None,
    headers: HeaderTypes | None = None,
    cookies: CookieTypes | None = None,
    auth: AuthTypes | None = None,
    proxy: ProxyTypes | None = None,
    follow_redirects: bool = False,
    verify: ssl.SSLContext | str | bool | SystemTrustStore = True,
    timeout: TimeoutTypes = _DEFAULT_TIMEOUT_CONFIG,
    trust_env: bool = True,
) -> Response:
    """Send a ``PATCH`` request (see ``request``)."""
    return request(
        "PATCH",
        url,
        content=content,
        data=data,
        files=files,
        json=json,
        params=params,
        headers=headers,
        cookies=cookies,
        auth=auth,
        proxy=proxy,
        follow_redirects=follow_redirects,
        verify=verify,
        timeout=timeout,
        trust_env=trust_env,
    )


def delete(
    url: URL | str,
    *,
    params: QueryParamTypes | None = None,
    headers: HeaderTypes | None = None,
    cookies: CookieTypes | None = None,
    auth: AuthTypes | None = None,
    proxy: ProxyTypes | None = None,
    follow_redirects: bool = False,
    timeout: TimeoutTypes = _DEFAULT_TIMEOUT_CONFIG,
    verify: ssl.SSLContext | str | bool | SystemTrustStore = True,
    trust_env: bool = True,
) -> Response:
    """Send a ``DELETE`` request (see ``request``)."""
    return request(
        "DELETE",
        url,
        params=params,
        headers=headers,
        cookies=cookies,
        auth=auth,
        proxy=proxy,
        follow_redirects=follow_redirects,
        timeout=timeout,
        verify=verify,
        trust_env=trust_env,
    )
