"""A tiny raw-ASGI app for ``scripts/demo`` and ``examples/quickstart.py``.

Run it with ``uvicorn --app-dir examples demo_app:app``. Endpoints:

- ``GET  /get``           echo of method, path, query parameters and request headers (JSON)
- ``POST /post``          echo of the body: form fields, JSON document or raw size (JSON)
- ``GET  /json``          a small JSON document
- ``GET  /stream?n=5``    ``n`` newline-terminated lines, sent as separate chunks
- ``GET  /slow?delay=2``  answers after ``delay`` seconds
- ``GET  /status/{code}`` an empty response with that status code
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl

Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _send(
    send: Send, status: int, body: bytes, content_type: str = "application/json"
) -> None:
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _send_json(send: Send, document: Any, status: int = 200) -> None:
    await _send(send, status, json.dumps(document, indent=2).encode())


def _query(scope: Scope) -> dict[str, str]:
    return dict(parse_qsl(scope["query_string"].decode("latin-1")))


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
        return
    if scope["type"] != "http":
        return

    method: str = scope["method"]
    path: str = scope["path"]
    raw_headers: list[tuple[bytes, bytes]] = scope["headers"]
    headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in raw_headers}
    body = await _read_body(receive)

    if path == "/get" and method in ("GET", "HEAD", "DELETE", "OPTIONS"):
        await _send_json(
            send, {"method": method, "path": path, "args": _query(scope), "headers": headers}
        )
    elif path == "/post" and method in ("POST", "PUT", "PATCH"):
        content_type = headers.get("content-type", "")
        echo: dict[str, Any] = {"method": method, "content_type": content_type, "size": len(body)}
        if content_type.startswith("application/x-www-form-urlencoded"):
            echo["form"] = dict(parse_qsl(body.decode()))
        elif content_type.startswith("application/json"):
            echo["json"] = json.loads(body)
        else:
            echo["text"] = body.decode("utf-8", "replace")
        await _send_json(send, echo)
    elif path == "/json":
        await _send_json(
            send,
            {
                "name": "httprs",
                "engine": ["reqwest", "tokio", "pyo3"],
                "compatible_with": "httpx",
                "stars": 0,
                "released": False,
            },
        )
    elif path == "/stream":
        count = int(_query(scope).get("n", "5"))
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")],
            }
        )
        for i in range(count):
            line = f"line {i + 1} of {count}\n".encode()
            await send({"type": "http.response.body", "body": line, "more_body": True})
            await asyncio.sleep(0.05)
        await send({"type": "http.response.body", "body": b""})
    elif path == "/slow":
        delay = float(_query(scope).get("delay", "2"))
        await asyncio.sleep(delay)
        await _send_json(send, {"slept": delay})
    elif path.startswith("/status/") and path[len("/status/") :].isdigit():
        await _send(send, int(path[len("/status/") :]), b"", "text/plain")
    else:
        await _send_json(send, {"error": "not found", "path": path}, status=404)
