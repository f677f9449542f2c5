"""A WebSocket echo server as a plain ASGI app, for the ``network_stream`` extension
(connection upgrades): uvicorn serves it with ``ws="wsproto"``.

``/ws``
    Accepts the handshake (the subprotocol the client offers first, if any) and echoes every
    text or binary message back until the client closes; a text message ``"close"`` makes
    the server close instead (code 1000, reason ``"bye"``).
A WebSocket handshake on any other path
    Refused before it is accepted: uvicorn answers ``403``.
Any HTTP request
    ``200 text/plain`` ``"not a websocket"``.
"""

from __future__ import annotations


async def app(scope, receive, send):
    if scope["type"] == "http":
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"text/plain")],
            }
        )
        await send({"type": "http.response.body", "body": b"not a websocket"})
        return
    assert scope["type"] == "websocket"
    message = await receive()
    assert message["type"] == "websocket.connect"
    if scope["path"] != "/ws":
        await send({"type": "websocket.close", "code": 1008})
        return
    subprotocols = scope.get("subprotocols") or []
    accept = {"type": "websocket.accept"}
    if subprotocols:
        accept["subprotocol"] = subprotocols[0]
    await send(accept)
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        text = message.get("text")
        if text == "close":
            await send({"type": "websocket.close", "code": 1000, "reason": "bye"})
            return
        if text is not None:
            await send({"type": "websocket.send", "text": text})
        else:
            await send({"type": "websocket.send", "bytes": message.get("bytes") or b""})
