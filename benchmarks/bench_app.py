"""The benchmark's fallback server: a minimal raw ASGI app (no framework) for uvicorn.

Every request gets the same small plain-text body.
"""

BODY = b"Hello, world! " * 8 + b"\n"
HEADERS = [
    (b"content-type", b"text/plain"),
    (b"content-length", str(len(BODY)).encode()),
]


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
