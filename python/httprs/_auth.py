"""The auth-flow protocol (httpx's `Auth`): Python generators the client drives.

The client (Rust) calls ``sync_auth_flow(request)``, sends each request the generator yields
and sends the response back into it. A plain `BasicAuth` skips the generator: the engine sets
its precomputed header directly.
"""

from __future__ import annotations

import typing

from ._httprs import BasicAuth as _RustBasicAuth
from ._httprs import DigestAuth as _RustDigestAuth

if typing.TYPE_CHECKING:  # pragma: no cover
    from ._models import Request, Response

__all__ = ["Auth", "BasicAuth", "DigestAuth", "NetRCAuth"]


class Auth:
    """Base class for authentication schemes: override `auth_flow`."""

    requires_request_body = False
    requires_response_body = False

    def auth_flow(self, request: Request) -> typing.Generator[Request, Response, None]:
        yield request

    def sync_auth_flow(self, request: Request) -> typing.Generator[Request, Response, None]:
        if self.requires_request_body:
            request.read()
        flow = self.auth_flow(request)
        request = next(flow)
        while True:
            response = yield request
            if self.requires_response_body:
                response.read()
            try:
                request = flow.send(response)
            except StopIteration:
                break

    async def async_auth_flow(self, request: Request) -> typing.AsyncGenerator[Request, Response]:
        if self.requires_request_body:
            await request.aread()
        flow = self.auth_flow(request)
        request = next(flow)
        while True:
            response = yield request
            if self.requires_response_body:
                await response.aread()
            try:
                request = flow.send(response)
            except StopIteration:
                break


class BasicAuth(_RustBasicAuth, Auth):
    """HTTP Basic authentication; the header is computed once, in Rust."""

    def auth_flow(self, request: Request) -> typing.Generator[Request, Response, None]:
        request.headers["Authorization"] = self._auth_header
        yield request


class NetRCAuth(Auth):
    """Basic auth with the credentials a netrc file has for the request's host."""

    def __init__(self, file: str | None = None) -> None:
        import netrc

        self._netrc_info = netrc.netrc(file)

    def auth_flow(self, request: Request) -> typing.Generator[Request, Response, None]:
        auth_info = self._netrc_info.authenticators(request.url.host)
        if auth_info is not None and auth_info[2]:
            request.headers["Authorization"] = _RustBasicAuth(
                auth_info[0], auth_info[2]
            )._auth_header
        yield request


class DigestAuth(_RustDigestAuth, Auth):
    """HTTP Digest authentication (RFC 7616 / 2617): challenge parsing, hashing and the nonce
    count are in Rust; this flow only sends, reads the 401 challenge and retries once."""

    def auth_flow(self, request: Request) -> typing.Generator[Request, Response, None]:
        uri = request.url.raw_path.decode("ascii")
        value = self._header_for_request(request.method, uri)
        if value is not None:
            request.headers["Authorization"] = value
        response = yield request
        if response.status_code != 401:
            return
        value = self._header_for_challenge(
            request.method, uri, response.headers.get_list("www-authenticate")
        )
        if value is None:
            return
        request.headers["Authorization"] = value
        if response.cookies:
            response.cookies.set_cookie_header(request)
        yield request
