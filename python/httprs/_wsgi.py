"""`WSGITransport`: send a `Client`'s requests to a WSGI app in this process (PEP 3333)."""

from __future__ import annotations

import io
import sys

from ._models import Request, Response
from ._transports import BaseTransport

TYPE_CHECKING = False  # `typing` for the type checkers only: it costs milliseconds to import
if TYPE_CHECKING:  # pragma: no cover
    import typing

__all__ = ["WSGITransport"]


def _body(result: typing.Iterable[bytes]) -> typing.Generator[bytes, None, None]:
    """The app's result as body chunks; its `close()` is called when the body ends or is
    dropped (PEP 3333 requires it)."""
    try:
        for chunk in result:
            if chunk:
                yield chunk
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()


class WSGITransport(BaseTransport):
    """Send a `Client`'s requests to a WSGI app in this process, without a network.

    ```python
    transport = httprs.WSGITransport(app=app)
    with httprs.Client(transport=transport, base_url="http://testserver") as client:
        response = client.get("/")
    ```

    `raise_app_exceptions`: an exception in the app propagates; `script_name`: the WSGI
    `SCRIPT_NAME`; `remote_addr`: the client address the app sees; `wsgi_errors`: the
    app's `wsgi.errors` stream (default `sys.stderr`).
    """

    def __init__(
        self,
        app: typing.Callable[..., typing.Iterable[bytes]],
        raise_app_exceptions: bool = True,
        script_name: str = "",
        remote_addr: str = "127.0.0.1",
        wsgi_errors: typing.TextIO | None = None,
    ) -> None:
        self.app = app
        self.raise_app_exceptions = raise_app_exceptions
        self.script_name = script_name
        self.remote_addr = remote_addr
        self.wsgi_errors = wsgi_errors

    def handle_request(self, request: Request) -> Response:
        """Run the app on `request` and return its response (the body iterates the app's)."""
        content = request.read()
        url = request.url
        port = url.port or {"http": 80, "https": 443}.get(url.scheme, 80)
        environ: dict[str, typing.Any] = {
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": url.scheme,
            "wsgi.input": io.BytesIO(content),
            "wsgi.errors": self.wsgi_errors or sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            "REQUEST_METHOD": request.method,
            "SCRIPT_NAME": self.script_name,
            "PATH_INFO": url.path,  # already percent-decoded, as in httpx
            "QUERY_STRING": url.query.decode("ascii"),
            "SERVER_NAME": url.host,
            "SERVER_PORT": str(port),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": self.remote_addr,
        }
        for name, value in request.headers.raw:
            key = name.decode("ascii").upper().replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                key = "HTTP_" + key
            environ[key] = value.decode("ascii")

        started: dict[str, typing.Any] = {}

        def start_response(
            status: str, response_headers: list[tuple[str, str]], exc_info: typing.Any = None
        ) -> typing.Callable[[bytes], None]:
            started.update(status=status, headers=response_headers, exc_info=exc_info)
            return lambda _data: None

        result = self.app(environ, start_response)
        body = _body(result)
        # Apps may call start_response only once iteration begins: pull the first chunk now.
        first = next(body, None)
        if "status" not in started:
            raise RuntimeError("The WSGI app did not call start_response().")
        exc_info = started["exc_info"]
        if exc_info and exc_info[0] and self.raise_app_exceptions:
            body.close()
            raise exc_info[1]
        status_code = int(started["status"].split()[0])
        headers = [(k.encode("ascii"), v.encode("ascii")) for k, v in started["headers"]]
        chunks = body if first is None else _prepend(first, body)
        return Response(status_code, headers=headers, stream=chunks)


def _prepend(first: bytes, rest: typing.Iterator[bytes]) -> typing.Iterator[bytes]:
    yield first
    yield from rest
