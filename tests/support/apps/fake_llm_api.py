"""A fake OpenAI and Anthropic API (Starlette): what the SDK tests and benchmarks/bench_sdk.py
talk to over a real socket.

``POST /v1/chat/completions`` (OpenAI) and ``POST /v1/messages`` (Anthropic) answer with the
documents the SDKs parse: a completion / message whose text is ``"Hello, world"``, or, with
``"stream": true``, the same text as server-sent events (OpenAI's ``data:`` chunks ending
with ``data: [DONE]``; Anthropic's named events), one event per write with a short pause
between them, so the client reads them as they come.

The ``model`` field picks the behaviour:

- ``missing-model``: 404 with the API's error document;
- ``busy:<tag>:<n>``: 429 (``retry-after-ms: 10``) for the first ``n`` requests with that tag,
  then the normal answer; ``hits[tag]`` counts the requests;
- ``slow:<seconds>``: the answer after that delay;
- anything else: the normal answer.

``requests`` keeps the headers of the last requests (newest last, at most 100).
"""

from __future__ import annotations

import asyncio
import collections
import json
import time

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

TEXT_PIECES = ["Hello", ", ", "world"]


def completion(model: str) -> dict:
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "".join(TEXT_PIECES)},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 3, "total_tokens": 6},
    }


def completion_events(model: str) -> list[bytes]:
    def chunk(delta: dict, finish: str | None) -> bytes:
        document = {
            "id": "chatcmpl-1",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return b"data: " + json.dumps(document).encode() + b"\n\n"

    events = [chunk({"role": "assistant", "content": ""}, None)]
    events += [chunk({"content": piece}, None) for piece in TEXT_PIECES]
    events += [chunk({}, "stop"), b"data: [DONE]\n\n"]
    return events


def message(model: str) -> dict:
    return {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": [{"type": "text", "text": "".join(TEXT_PIECES)}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": 3, "output_tokens": 3},
    }


def message_events(model: str) -> list[bytes]:
    def event(name: str, document: dict) -> bytes:
        return f"event: {name}\ndata: {json.dumps(document)}\n\n".encode()

    start = dict(message(model), content=[], stop_reason=None)
    events = [
        event("message_start", {"type": "message_start", "message": start}),
        event(
            "content_block_start",
            {
                "type": "content_block_start",
                "index": 0,
                "content_block": {"type": "text", "text": ""},
            },
        ),
    ]
    events += [
        event(
            "content_block_delta",
            {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": p}},
        )
        for p in TEXT_PIECES
    ]
    events += [
        event("content_block_stop", {"type": "content_block_stop", "index": 0}),
        event(
            "message_delta",
            {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                "usage": {"output_tokens": 3},
            },
        ),
        event("message_stop", {"type": "message_stop"}),
    ]
    return events


class FakeLLMApi:
    """The ASGI app, with what it saw: ``hits`` per busy tag, ``requests`` (headers)."""

    def __init__(self) -> None:
        self.hits: collections.Counter[str] = collections.Counter()
        self.requests: collections.deque[dict[str, str]] = collections.deque(maxlen=100)
        self.app = Starlette(
            routes=[
                Route("/v1/chat/completions", self.chat_completions, methods=["POST"]),
                Route("/v1/messages", self.messages, methods=["POST"]),
            ]
        )

    async def __call__(self, scope, receive, send) -> None:
        await self.app(scope, receive, send)

    async def chat_completions(self, request: Request) -> Response:
        return await self._answer(request, completion, completion_events, openai_not_found)

    async def messages(self, request: Request) -> Response:
        return await self._answer(request, message, message_events, anthropic_not_found)

    async def _answer(self, request: Request, document, events, not_found) -> Response:
        """The answer the model asks for (see the module docstring): `document(model)` as
        JSON, `events(model)` as SSE when streaming, `not_found(model)` with a 404."""
        self.requests.append(dict(request.headers))
        body = await request.json()
        model = str(body.get("model", ""))
        if model == "missing-model":
            return JSONResponse(not_found(model), status_code=404)
        if model.startswith("busy:"):
            _, tag, failures = model.split(":")
            self.hits[tag] += 1
            if self.hits[tag] <= int(failures):
                error = {"error": {"message": "Rate limit reached", "type": "requests"}}
                return JSONResponse(error, status_code=429, headers={"retry-after-ms": "10"})
        if model.startswith("slow:"):
            await asyncio.sleep(float(model.split(":")[1]))
        if body.get("stream"):
            return sse(events(model))
        return JSONResponse(document(model))


def openai_not_found(model: str) -> dict:
    return {
        "error": {
            "message": f"The model `{model}` does not exist",
            "type": "invalid_request_error",
            "param": None,
            "code": "model_not_found",
        }
    }


def anthropic_not_found(model: str) -> dict:
    return {"type": "error", "error": {"type": "not_found_error", "message": f"model: {model}"}}


def sse(events: list[bytes]) -> StreamingResponse:
    async def produce():
        for event in events:
            yield event
            await asyncio.sleep(0.005)

    return StreamingResponse(produce(), media_type="text/event-stream")


app = FakeLLMApi()
