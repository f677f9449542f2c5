"""The auth-flow protocol (httpx's `Auth`): Python generators the client drives.

The client (Rust) calls ``sync_auth_flow(request)``, sends each request the generator yields
and sends the response back into it. A plain `BasicAuth` skips the generator: the engine sets
its precomputed header directly.
"""

from __future__ import annotations

from ._httprs import BasicAuth as _RustBasicAuth
from ._httprs import DigestAuth as _RustDigestAuth

TYPE_CHECKING = False  # `typing` for the type checkers only: it costs milliseconds to import
if TYPE_CHECKING:  # pragma: no cover
    import typing

    from ._models import Request, Response

__all__ = ["Auth", "BasicAuth", "DigestAuth", "NetRCAuth"]


class Auth:
    """Base class for authentication schemes: override `auth_flow`."""

    requires_request_body = False
    requires_response_body = False

    def auth_flow(self, request: Request) -> typing.Generator[Request, Response, None]:
        """The authentication flow: yield each request to send (changed as needed); the
        response to it is sent back into the generator.

        Set `requires_request_body` / `requires_response_body` when the flow reads the
        request's or the response's body.
        """
        yield request

    def sync_auth_flow(self, request: Request) -> typing.Generator[Request, Response, None]:
        """`auth_flow` as `Client` runs it (bodies read first when the flow requires them)."""
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
        """`auth_flow` as `AsyncClient` runs it (bodies read first when the flow requires
        them)."""
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
    """HTTP Basic authentication: `auth=httprs.BasicAuth("user", "pass")` (or the tuple
    `auth=("user", "pass")`) sends `Authorization: Basic ...` with each request."""

    def auth_flow(self, request: Request) -> typing.Generator[Request, Response, None]:
        """Set the `Authorization: Basic ...` header and send the request."""
        request.headers["Authorization"] = self._auth_header
        yield request


class NetRCAuth(Auth):
    """Basic auth with the credentials a netrc file has for the request's host."""

    def __init__(self, file: str | None = None) -> None:
        import netrc

        self._netrc_info = netrc.netrc(file)

    def auth_flow(self, request: Request) -> typing.Generator[Request, Response, None]:
        """Set the `Authorization` header from the netrc entry of the request's host, if any."""
        auth_info = self._netrc_info.authenticators(request.url.host)
        if auth_info is not None and auth_info[2]:
            request.headers["Authorization"] = _RustBasicAuth(
                auth_info[0], auth_info[2]
            )._auth_header
        yield request


class DigestAuth(_RustDigestAuth, Auth):
    """HTTP Digest authentication (RFC 7616 / 2617): `auth=httprs.DigestAuth("user", "pass")`
    answers the server's 401 challenge.

    Challenge parsing, hashing and the nonce count are in Rust; this flow only sends, reads
    the 401 challenge and retries once.
    """

    def auth_flow(self, request: Request) -> typing.Generator[Request, Response, None]:
        """Send the request (with the last challenge's answer, if any); on a 401 with a Digest
        challenge, send it again with the answer."""
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
