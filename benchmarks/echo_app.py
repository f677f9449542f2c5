"""A minimal raw ASGI app for load.py's thread check: it echoes the request's ``v`` query value.

The body is the value of the (first) ``v`` query parameter, percent-decoded, as UTF-8; the
``X-Echo-Query`` header is the raw query string. So a client can check that each response is
the answer to its own request.
"""

from urllib.parse import parse_qs


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    raw = scope["query_string"]
    value = parse_qs(raw.decode("latin-1"), keep_blank_values=True).get("v", [""])[0]
    body = value.encode("utf-8")
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"x-echo-query", raw),
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
