"""The auth-flow protocol (httpx's `Auth`): Python generators the client drives.

The client (Rust) calls ``sync_auth_flow(request)``, sends each request the generator yields
and sends the response back into it. A plain `BasicAuth` skips the generator: the engine sets
its precomputed header directly.
"""

from __future__ import annotations

import typing

from ._httprs import BasicAuth as _RustBasicAuth

if typing.TYPE_CHECKING:  # pragma: no cover
    from ._httprs import Request, Response

__all__ = ["Auth", "BasicAuth", "NetRCAuth"]


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
