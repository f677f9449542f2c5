"""ASGI apps served in-process by ``ASGITransport`` (tests/transports/test_asgi.py and
test_asgi_and_wsgi.py).

``app`` is a FastAPI app, as a FastAPI user would write it:

- ``GET /`` -> ``{"message": "Hello World"}``
- ``GET /items/{item_id}`` (int) ``?q=`` -> ``{"item_id", "q"}``
- ``GET /query`` -> ``{"items": [[key, value], ...]}`` (every query parameter, in order)
- ``POST /json`` -> ``{"received": <the JSON body>}``
- ``POST /form`` -> ``{"fields": [[key, value], ...], "files": [{field, filename,
  content_type, content}, ...]}`` (urlencoded or multipart, parsed by Starlette)
- ``POST /upload`` -> FastAPI ``File``/``Form`` parameters: ``{"name", "filename",
  "content_type", "content"}``
- ``GET|POST|PUT /headers`` -> the request as the app sees it: ``headers`` ([[name, value]] in
  order), ``method``, ``path``, ``root_path``, ``url``, ``scheme``, ``http_version``,
  ``client``, ``server``, ``query_string``, ``body`` (text)
- ``GET /stream`` -> ``StreamingResponse`` of ``STREAM_CHUNKS``
- ``GET /cookies/set?name=value...`` -> sets each query parameter as a cookie
- ``GET /cookies`` -> ``{"cookies": {...}}`` (the cookies received)
- ``GET /redirect`` -> 307 to ``/items/1?q=redirected``; ``GET /redirect/{n}`` -> a chain of n
  redirects ending at ``/items/{n}``; ``POST /redirect-303`` -> 303 to ``/headers``
- ``GET /error`` -> raises ``AppError("boom")``
- ``GET /http-error`` -> ``HTTPException(418)``
- ``DELETE /items/{item_id}`` -> 204, no body
- ``GET|HEAD /head`` -> ``HEAD_BODY`` with ``x-head-test: yes``

``raw_app`` is a plain ASGI callable (no framework) for exact scope checks; its behaviour
depends on the path (below ``root_path`` when the path starts with it):

- ``/scope...`` (any path starting so) -> the scope as JSON (bytes as latin-1 text, tuples as
  lists), plus ``"types"`` (the Python type name of each scope value), ``"header_types"``
  (the types of the header names and values) and ``"body"``
- ``/error-before-start`` -> raises ``AppError`` before sending anything
- ``/error-after-start`` -> sends 202 + ``x-partial`` header + ``b"partial"`` (more_body), then
  raises ``AppError``
- ``/error-after-body`` -> sends a complete 200 response, then raises ``AppError``
- ``/head-body`` -> always sends ``HEAD_BODY`` (also for HEAD) with a content-length
- ``/raw-headers`` -> response headers with mixed-case names and a repeated header
- ``/body-messages`` -> the number of ``http.request`` messages and the body received
- ``/chunks`` -> the body sent in several ``more_body`` messages
- anything else -> 404
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import FastAPI, File, Form, HTTPException, Request, Response, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, StreamingResponse
from starlette.datastructures import UploadFile as StarletteUploadFile

STREAM_CHUNKS = [b"chunk-0;", b"chunk-1;", b"chunk-2;", b"chunk-3;", b"chunk-4"]
HEAD_BODY = b"this body is not sent for HEAD"


class AppError(Exception):
    """The exception the apps raise on purpose."""


app = FastAPI()


@app.get("/")
async def root():
    return {"message": "Hello World"}


@app.get("/items/{item_id}")
async def read_item(item_id: int, q: str | None = None):
    return {"item_id": item_id, "q": q}


@app.delete("/items/{item_id}", status_code=204)
async def delete_item(item_id: int):
    return Response(status_code=204)


@app.get("/query")
async def query(request: Request):
    return {"items": [list(kv) for kv in request.query_params.multi_items()]}


@app.post("/json")
async def echo_json(request: Request):
    return {"received": await request.json()}


@app.post("/form")
async def echo_form(request: Request):
    fields = []
    files = []
    async with request.form() as form:
        for key, value in form.multi_items():
            if isinstance(value, StarletteUploadFile):
                files.append(
                    {
                        "field": key,
                        "filename": value.filename,
                        "content_type": value.content_type,
                        "content": (await value.read()).decode("latin-1"),
                    }
                )
            else:
                fields.append([key, value])
    return {"fields": fields, "files": files}


@app.post("/upload")
async def upload(name: Annotated[str, Form()], file: Annotated[UploadFile, File()]):
    return {
        "name": name,
        "filename": file.filename,
        "content_type": file.content_type,
        "content": (await file.read()).decode("latin-1"),
    }


@app.api_route("/headers", methods=["GET", "POST", "PUT"])
async def headers(request: Request):
    scope = request.scope
    server = scope.get("server")
    client = scope.get("client")
    return {
        "headers": [[k.decode("latin-1"), v.decode("latin-1")] for k, v in scope["headers"]],
        "method": request.method,
        "path": scope["path"],
        "root_path": scope.get("root_path"),
        "url": str(request.url),
        "scheme": scope["scheme"],
        "http_version": scope["http_version"],
        "client": list(client) if client is not None else None,
        "server": list(server) if server is not None else None,
        "query_string": scope["query_string"].decode("latin-1"),
        "body": (await request.body()).decode("latin-1"),
    }


@app.get("/stream")
async def stream():
    async def generate():
        for chunk in STREAM_CHUNKS:
            yield chunk

    return StreamingResponse(generate(), media_type="text/plain")


@app.get("/cookies/set")
async def set_cookies(request: Request):
    response = JSONResponse({"set": dict(request.query_params)})
    for key, value in request.query_params.items():
        response.set_cookie(key, value)
    return response


@app.get("/cookies")
async def read_cookies(request: Request):
    return {"cookies": request.cookies}


@app.get("/redirect")
async def redirect():
    return RedirectResponse("/items/1?q=redirected")  # 307


@app.get("/redirect/{n}")
async def redirect_chain(n: int, remaining: int | None = None):
    left = n if remaining is None else remaining
    if left <= 1:
        return RedirectResponse(f"/items/{n}", status_code=302)
    return RedirectResponse(f"/redirect/{n}?remaining={left - 1}", status_code=302)


@app.post("/redirect-303")
async def redirect_303():
    return RedirectResponse("/headers", status_code=303)


@app.get("/error")
async def error():
    raise AppError("boom")


@app.get("/http-error")
async def http_error():
    raise HTTPException(status_code=418, detail="I'm a teapot")


@app.api_route("/head", methods=["GET", "HEAD"])
async def head():
    return Response(HEAD_BODY, media_type="text/plain", headers={"x-head-test": "yes"})


# --- a raw ASGI app -------------------------------------------------------------------------


def _jsonable(value):
    if isinstance(value, bytes):
        return value.decode("latin-1")
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


async def _read_body(receive) -> tuple[bytes, int]:
    body = b""
    messages = 0
    while True:
        message = await receive()
        assert message["type"] == "http.request", message
        messages += 1
        body += message.get("body", b"")
        if not message.get("more_body", False):
            return body, messages


async def _send_json(send, data, status=200) -> None:
    payload = json.dumps(data).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


async def raw_app(scope, receive, send) -> None:
    assert scope["type"] == "http"
    path = scope["path"]
    root_path = scope.get("root_path", "")
    if root_path and path.startswith(root_path + "/"):
        path = path[len(root_path) :]  # dispatch on the path below the root path
    if path.startswith("/scope"):
        body, _ = await _read_body(receive)
        data = _jsonable(dict(scope))
        data["types"] = {k: type(v).__name__ for k, v in scope.items()}
        data["header_types"] = sorted(
            {f"{type(k).__name__},{type(v).__name__}" for k, v in scope["headers"]}
        )
        data["body"] = body.decode("latin-1")
        await _send_json(send, data)
    elif path == "/error-before-start":
        raise AppError("before start")
    elif path == "/error-after-start":
        await send(
            {
                "type": "http.response.start",
                "status": 202,
                "headers": [(b"x-partial", b"yes")],
            }
        )
        await send({"type": "http.response.body", "body": b"partial", "more_body": True})
        raise AppError("after start")
    elif path == "/error-after-body":
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"complete"})
        raise AppError("after body")
    elif path == "/head-body":
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/plain"),
                    (b"content-length", str(len(HEAD_BODY)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": HEAD_BODY})
    elif path == "/raw-headers":
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"X-Mixed-Case", b"Value"),
                    (b"x-repeated", b"one"),
                    (b"x-repeated", b"two"),
                    (b"content-type", b"text/plain"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b"ok"})
    elif path == "/body-messages":
        body, messages = await _read_body(receive)
        await _send_json(send, {"messages": messages, "body": body.decode("latin-1")})
    elif path == "/chunks":
        await send({"type": "http.response.start", "status": 200, "headers": [(b"x-chunks", b"3")]})
        await send({"type": "http.response.body", "body": b"one,", "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": True})
        await send({"type": "http.response.body", "body": b"two,", "more_body": True})
        await send({"type": "http.response.body", "body": b"three", "more_body": False})
    else:
        await _send_json(send, {"detail": "Not Found"}, status=404)
