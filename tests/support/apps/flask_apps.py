"""WSGI apps served in-process by ``WSGITransport`` (tests/transports/test_wsgi.py and
test_asgi_and_wsgi.py).

``create_app(propagate_exceptions=False)`` builds a Flask app; ``app`` is the default one
(Flask turns an unhandled exception into its own 500 page and logs it to ``wsgi.errors``),
``propagating_app`` re-raises it
(``PROPAGATE_EXCEPTIONS``, as in Flask's testing mode):

- ``GET /`` -> ``{"message": "Hello World"}``
- ``GET /items/<int:item_id>`` ``?q=`` -> ``{"item_id", "q"}``
- ``GET /query`` -> ``{"items": [[key, value], ...]}`` (every query parameter, in order)
- ``POST /json`` -> ``{"received": <the JSON body>}``
- ``POST /form`` -> ``{"fields": [[key, value], ...], "files": [{field, filename,
  content_type, content}, ...]}``
- ``GET|POST|PUT /headers`` -> the request as the app sees it: ``headers`` ([[name, value]]),
  ``method``, ``path``, ``script_root``, ``url``, ``body`` and the environ keys in
  ``ENVIRON_KEYS``
- ``GET /stream`` -> a generator response yielding ``STREAM_CHUNKS``
- ``GET /cookies/set?name=value...`` -> sets each query parameter as a cookie
- ``GET /cookies`` -> ``{"cookies": {...}}``
- ``GET /redirect`` -> 302 to ``url_for("read_item", item_id=1, q="redirected")``;
  ``GET /redirect/<n>`` -> a chain of n redirects ending at ``/items/<n>``;
  ``POST /redirect-307`` -> 307 to ``/headers``; ``POST /redirect-303`` -> 303 to ``/headers``
- ``GET /error`` -> raises ``AppError("boom")``
- ``DELETE /items/<int:item_id>`` -> 204
- ``GET|HEAD /head`` -> ``HEAD_BODY`` with ``X-Head-Test: yes``

Raw WSGI callables (no framework) for exact environ and iterable-protocol checks:

- ``environ_app``: the environ as JSON (str values as they are, others by type name), plus
  ``"body"`` (``wsgi.input`` read fully)
- ``exc_info_app``: calls ``start_response("500 ...", ..., sys.exc_info())`` for a caught
  ``AppError``, as a framework's error handler does, and returns an error page
- ``raising_app``: raises ``AppError`` out of the WSGI call itself
- ``ClosingApp``: returns an iterable with ``close()`` that records calls (``.closed``) and
  how many chunks it gave (``.produced``); ``ClosingApp(infinite=True)`` never ends
- ``lazy_start_app``: a generator app that calls ``start_response`` only when first iterated,
  after an empty chunk
- ``head_body_app``: always returns ``HEAD_BODY`` (also for HEAD)
- ``errors_app``: writes a line to ``wsgi.errors``
"""

from __future__ import annotations

import json
import sys

from flask import Flask, Response, jsonify, make_response, redirect, request, url_for
from flask.logging import default_handler

STREAM_CHUNKS = [b"chunk-0;", b"chunk-1;", b"chunk-2;", b"chunk-3;", b"chunk-4"]
HEAD_BODY = b"this body is not sent for HEAD"
ENVIRON_KEYS = [
    "REMOTE_ADDR",
    "SCRIPT_NAME",
    "PATH_INFO",
    "QUERY_STRING",
    "SERVER_NAME",
    "SERVER_PORT",
    "SERVER_PROTOCOL",
    "REQUEST_METHOD",
    "wsgi.url_scheme",
]


class AppError(Exception):
    """The exception the apps raise on purpose."""


def create_app(propagate_exceptions: bool = False) -> Flask:
    flask_app = Flask(__name__)
    flask_app.config["PROPAGATE_EXCEPTIONS"] = propagate_exceptions
    # Flask logs unhandled errors to the request's wsgi.errors through this handler; it skips
    # adding it when another handler (pytest's log capture) is configured, so add it here.
    if default_handler not in flask_app.logger.handlers:
        flask_app.logger.addHandler(default_handler)

    @flask_app.get("/")
    def root():
        return {"message": "Hello World"}

    @flask_app.get("/items/<int:item_id>")
    def read_item(item_id: int):
        return {"item_id": item_id, "q": request.args.get("q")}

    @flask_app.delete("/items/<int:item_id>")
    def delete_item(item_id: int):
        return "", 204

    @flask_app.get("/query")
    def query():
        return {"items": [list(kv) for kv in request.args.items(multi=True)]}

    @flask_app.post("/json")
    def echo_json():
        return {"received": request.get_json()}

    @flask_app.post("/form")
    def echo_form():
        files = [
            {
                "field": key,
                "filename": f.filename,
                "content_type": f.content_type,
                "content": f.read().decode("latin-1"),
            }
            for key, f in request.files.items(multi=True)
        ]
        return {"fields": [list(kv) for kv in request.form.items(multi=True)], "files": files}

    @flask_app.route("/headers", methods=["GET", "POST", "PUT"])
    def headers():
        data = {
            "headers": [[k, v] for k, v in request.headers.items()],
            "method": request.method,
            "path": request.path,
            "script_root": request.script_root,
            "url": request.url,
            "body": request.get_data().decode("latin-1"),
        }
        data.update({key: request.environ.get(key) for key in ENVIRON_KEYS})
        return data

    @flask_app.get("/stream")
    def stream():
        def generate():
            yield from STREAM_CHUNKS

        return Response(generate(), mimetype="text/plain")

    @flask_app.get("/cookies/set")
    def set_cookies():
        response = make_response({"set": request.args.to_dict()})
        for key, value in request.args.items():
            response.set_cookie(key, value)
        return response

    @flask_app.get("/cookies")
    def read_cookies():
        return {"cookies": request.cookies.to_dict()}

    @flask_app.get("/redirect")
    def redirect_once():
        return redirect(url_for("read_item", item_id=1, q="redirected"))

    @flask_app.get("/redirect/<int:n>")
    def redirect_chain(n: int):
        left = request.args.get("remaining", n, type=int)
        if left <= 1:
            return redirect(f"/items/{n}")
        return redirect(f"/redirect/{n}?remaining={left - 1}")

    @flask_app.post("/redirect-307")
    def redirect_307():
        return redirect("/headers", code=307)

    @flask_app.post("/redirect-303")
    def redirect_303():
        return redirect("/headers", code=303)

    @flask_app.get("/error")
    def error():
        raise AppError("boom")

    @flask_app.route("/head", methods=["GET", "HEAD"])
    def head():
        return Response(HEAD_BODY, mimetype="text/plain", headers={"X-Head-Test": "yes"})

    @flask_app.get("/json-list")
    def json_list():
        return jsonify([1, 2, 3])

    return flask_app


app = create_app()
propagating_app = create_app(propagate_exceptions=True)


# --- raw WSGI apps --------------------------------------------------------------------------


def environ_app(environ, start_response):
    body = environ["wsgi.input"].read()
    data = {k: (v if isinstance(v, str) else type(v).__name__) for k, v in environ.items()}
    data["wsgi.version"] = list(environ["wsgi.version"])
    data["wsgi.multithread"] = environ["wsgi.multithread"]
    data["wsgi.multiprocess"] = environ["wsgi.multiprocess"]
    data["wsgi.run_once"] = environ["wsgi.run_once"]
    data["body"] = body.decode("latin-1")
    payload = json.dumps(data).encode()
    start_response(
        "200 OK",
        [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))],
    )
    return [payload]


def exc_info_app(environ, start_response):
    try:
        raise AppError("handled by the app")
    except AppError:
        start_response(
            "500 Internal Server Error", [("Content-Type", "text/plain")], sys.exc_info()
        )
        return [b"error page"]


def raising_app(environ, start_response):
    raise AppError("raised out of the WSGI call")


class ClosingApp:
    """A WSGI app whose result is an iterable with ``close()``."""

    def __init__(self, chunks=(b"first;", b"second;", b"third"), infinite=False):
        self.chunks = list(chunks)
        self.infinite = infinite
        self.closed = 0
        self.produced = 0

    def __call__(self, environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return _ClosingResult(self)


class _ClosingResult:
    def __init__(self, owner: ClosingApp) -> None:
        self.owner = owner

    def __iter__(self):
        owner = self.owner
        i = 0
        while owner.infinite or i < len(owner.chunks):
            owner.produced += 1
            yield owner.chunks[i % len(owner.chunks)]
            i += 1

    def close(self):
        self.owner.closed += 1


def lazy_start_app(environ, start_response):
    yield b""
    start_response("201 Created", [("Content-Type", "text/plain"), ("X-Lazy", "yes")])
    yield b"started "
    yield b"late"


def head_body_app(environ, start_response):
    start_response(
        "200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(HEAD_BODY)))]
    )
    return [HEAD_BODY]


def errors_app(environ, start_response):
    environ["wsgi.errors"].write("written to wsgi.errors\n")
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
