"""A Starlette app serving server-sent events (``text/event-stream``), for ``client.sse()``.

Endpoints:

``/sse/events``
    A fixed stream exercising the format: a plain event, a typed event with an id and JSON
    data, a comment, multi-line data, a ``retry``, and a last ``done`` event (``EVENTS_BODY``).
``/sse/count?n=N&retry=MS&stop=K``
    Resumable counter: events ``id: k`` / ``data: {"n": k}`` for the ``n`` ids after the
    request's ``Last-Event-ID`` (0 without it), preceded by ``retry: MS`` when given, then
    the stream ends. With ``stop``, a ``Last-Event-ID`` of ``K`` or more gets ``204`` (what a
    server answers a reconnection to say "stop"). Every ``Last-Event-ID`` received is appended to ``app.state.last_ids``
    (``None`` when absent).
``/sse/headers``
    One event whose data is JSON of the request's ``accept``, ``cache-control`` and
    ``last-event-id`` headers.
``/sse/not-a-stream``
    ``200 application/json`` instead of an event stream.
"""

from __future__ import annotations

import json

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

EVENTS_BODY = [
    b"data: hello\n\n",
    b'event: update\nid: 1\ndata: {"n": 1}\n\n',
    b": this is a comment\n\n",
    b"data: line one\ndata: line two\n\n",
    b"retry: 2500\ndata: with retry\n\n",
    b"event: done\ndata: bye\n\n",
]


def _stream(chunks) -> StreamingResponse:
    async def body():
        for chunk in chunks:
            yield chunk

    return StreamingResponse(body(), media_type="text/event-stream")


async def events(request: Request) -> Response:
    return _stream(EVENTS_BODY)


async def count(request: Request) -> Response:
    last = request.headers.get("last-event-id")
    request.app.state.last_ids.append(last)
    start = int(last or 0)
    if "stop" in request.query_params and start >= int(request.query_params["stop"]):
        return Response(status_code=204)
    n = int(request.query_params.get("n", "2"))
    chunks = []
    if "retry" in request.query_params:
        chunks.append(f"retry: {request.query_params['retry']}\n\n".encode())
    for k in range(start + 1, start + n + 1):
        chunks.append(f'id: {k}\ndata: {{"n": {k}}}\n\n'.encode())
    return _stream(chunks)


async def headers(request: Request) -> Response:
    wanted = {
        name: request.headers.get(name) for name in ("accept", "cache-control", "last-event-id")
    }
    return _stream([f"data: {json.dumps(wanted)}\n\n".encode()])


async def not_a_stream(request: Request) -> Response:
    return JSONResponse({"error": "not an event stream"})


def make_app() -> Starlette:
    app = Starlette(
        routes=[
            Route("/sse/events", events),
            Route("/sse/count", count),
            Route("/sse/headers", headers, methods=["GET", "POST"]),
            Route("/sse/not-a-stream", not_a_stream),
        ]
    )
    app.state.last_ids = []
    return app


app = make_app()
