"""`ASGITransport`: send an `AsyncClient`'s requests to an ASGI app in this process, under
asyncio or trio. As httpx does, the app runs to completion in the caller's task and its
response body is collected before the `Response` is returned."""

from __future__ import annotations

from ._models import Request, Response
from ._transports import AsyncBaseTransport

TYPE_CHECKING = False  # `typing` for the type checkers only: it costs milliseconds to import
if TYPE_CHECKING:  # pragma: no cover
    import typing

__all__ = ["ASGITransport"]


def _event() -> typing.Any:
    import sniffio  # here: the event loop is running, and has imported far more

    if sniffio.current_async_library() == "trio":
        import trio

        return trio.Event()
    import asyncio

    return asyncio.Event()


class ASGITransport(AsyncBaseTransport):
    """Send an `AsyncClient`'s requests to an ASGI app in this process, without a network.

    ```python
    transport = httprs.ASGITransport(app=app)
    async with httprs.AsyncClient(transport=transport, base_url="http://testserver") as client:
        response = await client.get("/")
    ```

    `raise_app_exceptions`: an exception in the app propagates (else a 500 response);
    `root_path`: the ASGI `root_path`; `client`: the `(host, port)` the app sees as the client.
    """

    def __init__(
        self,
        app: typing.Callable[..., typing.Awaitable[None]],
        raise_app_exceptions: bool = True,
        root_path: str = "",
        client: tuple[str, int] = ("127.0.0.1", 123),
    ) -> None:
        self.app = app
        self.raise_app_exceptions = raise_app_exceptions
        self.root_path = root_path
        self.client = client

    async def handle_async_request(self, request: Request) -> Response:
        """Run the app on `request` and return its response, the body collected."""
        url = request.url
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "headers": [(k.lower(), v) for (k, v) in request.headers.raw],
            "scheme": url.scheme,
            "path": url.path,
            "raw_path": url.raw_path.split(b"?")[0],
            "query_string": url.query,
            "server": (url.host, url.port),
            "client": self.client,
            "root_path": self.root_path,
        }
        body = await request.aread()
        request_sent = False
        response_complete = _event()
        status_code: int | None = None
        response_headers: typing.Any = None
        body_parts: list[bytes] = []

        async def receive() -> dict[str, typing.Any]:
            nonlocal request_sent
            if request_sent:
                await response_complete.wait()
                return {"type": "http.disconnect"}
            request_sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def send(message: dict[str, typing.Any]) -> None:
            nonlocal status_code, response_headers
            if message["type"] == "http.response.start":
                if status_code is not None:
                    raise RuntimeError("The ASGI app sent http.response.start twice.")
                status_code = message["status"]
                response_headers = message.get("headers", [])
            elif message["type"] == "http.response.body":
                if response_complete.is_set():
                    raise RuntimeError("The ASGI app sent a body after the response ended.")
                chunk = message.get("body", b"")
                if chunk and request.method != "HEAD":
                    body_parts.append(chunk)
                if not message.get("more_body", False):
                    response_complete.set()

        try:
            await self.app(scope, receive, send)
        except Exception:
            if self.raise_app_exceptions:
                raise
            response_complete.set()
            if status_code is None:
                status_code = 500
            if response_headers is None:
                response_headers = {}

        if status_code is None or response_headers is None:
            raise RuntimeError("The ASGI app returned without sending a response.")
        # `stream=`, not `content=`: the headers stay exactly the app's (no Content-Length
        # added), and the body can still be iterated raw.
        return Response(status_code, headers=response_headers, stream=_Body(body_parts))


class _Body:
    """The collected response body, as an async stream of one chunk."""

    def __init__(self, parts: list[bytes]) -> None:
        self._body = b"".join(parts)

    async def __aiter__(self) -> typing.AsyncIterator[bytes]:
        if self._body:
            yield self._body
