"""The server the documentation's examples talk to: the test apps under one origin.

``http://localhost:8080`` in a page (and ``https://localhost:8443``) is this app, served by
``test_docs_examples.py`` on an ephemeral port of 127.0.0.1. It adds no endpoint of its own:

- ``/digest`` and ``/basic-only``: ``tests/support/apps/digest_app.py`` (Digest
  authentication, user ``user``, password ``pass`` unless the query says otherwise);
- ``/encoded``, ``/zeros``: ``tests/support/apps/encoding_app.py`` (content-encoded bodies,
  e.g. ``/zeros?coding=gzip&size=N``: N zero bytes, gzip-compressed);
- ``/v1/...``: ``tests/support/apps/fake_llm_api.py`` (a fake OpenAI and Anthropic API:
  ``base_url="http://localhost:8080/v1"`` for openai, ``"http://localhost:8080"`` for
  anthropic; docs/sdks.md);
- ``/sse/...``: ``tests/support/apps/sse_app.py`` (server-sent events: ``/sse/events``,
  ``/sse/count?n=N&retry=MS``, ``/sse/headers``, ``/sse/not-a-stream``);
- WebSocket handshakes: ``tests/support/apps/websocket_app.py`` (an echo at ``/ws``;
  docs/upgrades.md);
- everything else: ``tests/support/apps/main_app.py`` (``/echo``, ``/json``, ``/status/{code}``,
  ``/redirect/{n}``, ``/slow``, ``/stream``, ``/bytes``, ``/set-cookie``, ``/cookies``,
  ``/gzip``, ... : see its docstring).
"""

from __future__ import annotations

from tests.support.apps import encoding_app, main_app, sse_app, websocket_app
from tests.support.apps.digest_app import DigestApp
from tests.support.apps.fake_llm_api import FakeLLMApi

_digest = DigestApp()
_llm_api = FakeLLMApi()
_sse = sse_app.make_app()


async def app(scope, receive, send):
    path = scope["path"]
    if scope["type"] == "websocket":
        await websocket_app.app(scope, receive, send)
    elif path in ("/digest", "/basic-only"):
        await _digest(scope, receive, send)
    elif path in ("/encoded", "/zeros"):
        await encoding_app.app(scope, receive, send)
    elif path.startswith("/v1/"):
        await _llm_api(scope, receive, send)
    elif path.startswith("/sse/"):
        await _sse(scope, receive, send)
    else:
        await main_app.app(scope, receive, send)
