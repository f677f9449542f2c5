"""A tour of httprs against a local server (started for you by ``./scripts/demo``).

    python examples/quickstart.py http://127.0.0.1:8000

The server is ``examples/demo_app.py``. The script exits non-zero if anything
does not behave as shown.
"""

from __future__ import annotations

import socket
import sys
import time

import httprs


def section(title: str) -> None:
    print(f"\n=== {title} ===")


def check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"quickstart: unexpected result: {message}")


def closed_port_url() -> str:
    """A URL on a local port where nothing listens (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


def main(base_url: str) -> None:
    base_url = base_url.rstrip("/")
    print(f"httprs {httprs.__version__} against {base_url}")

    section("GET with query parameters")
    r = httprs.get(f"{base_url}/get", params={"q": "rust", "page": 2})
    print(r)
    print("url:         ", r.url)
    print("status:      ", r.status_code, r.reason_phrase, "| is_success:", r.is_success)
    print("http version:", r.http_version)
    print("content-type:", r.headers["content-type"])
    print("args seen by the server:", r.json()["args"])
    check(r.status_code == 200, "GET status")
    check(r.json()["args"] == {"q": "rust", "page": "2"}, "query parameters")

    section("POST a form, then JSON")
    r = httprs.post(f"{base_url}/post", data={"name": "httprs", "lang": "rust"})
    print("form ->", r.json()["content_type"], r.json()["form"])
    check(r.json()["form"] == {"name": "httprs", "lang": "rust"}, "form echo")
    r = httprs.post(f"{base_url}/post", json={"numbers": [1, 2, 3], "ok": True})
    print("json ->", r.json()["content_type"], r.json()["json"])
    check(r.json()["json"] == {"numbers": [1, 2, 3], "ok": True}, "json echo")

    section("response.json(), .text, .content")
    r = httprs.get(f"{base_url}/json")
    data = r.json()
    print("json():", data)
    print("encoding:", r.encoding, "| len(content):", len(r.content), "| elapsed:", r.elapsed)
    check(data["name"] == "httprs", "json document")

    section("Streaming: iter_bytes() and iter_lines()")
    with httprs.stream("GET", f"{base_url}/stream", params={"n": 3}) as r:
        sizes = [len(chunk) for chunk in r.iter_bytes()]
        print("chunk sizes:", sizes, "| total:", sum(sizes), "bytes")
    with httprs.Client() as client:
        with client.stream("GET", f"{base_url}/stream", params={"n": 4}) as r:
            lines = list(r.iter_lines())
    for line in lines:
        print("line:", repr(line))
    check(lines == [f"line {i} of 4" for i in range(1, 5)], "streamed lines")

    section("Timeouts raise httprs.ReadTimeout")
    start = time.monotonic()
    try:
        httprs.get(f"{base_url}/slow", params={"delay": 3}, timeout=0.5)
    except httprs.TimeoutException as exc:  # the base class of the four timeouts
        print(f"{type(exc).__name__} after {time.monotonic() - start:.2f}s: {exc!r}")
        check(isinstance(exc, httprs.ReadTimeout), "the read timed out")
    else:
        check(False, "expected ReadTimeout")

    section("Nothing listening raises httprs.ConnectError")
    url = closed_port_url()
    try:
        httprs.get(url)
    except httprs.TransportError as exc:  # the base class of the network errors
        print(f"{type(exc).__name__} for {url}: {exc!r}")
        check(isinstance(exc, httprs.ConnectError), "the connection was refused")
    else:
        check(False, "expected ConnectError")

    section("raise_for_status()")
    r = httprs.get(f"{base_url}/status/418")
    print(r.status_code, httprs.codes.get_reason_phrase(r.status_code))
    try:
        r.raise_for_status()
    except httprs.HTTPStatusError as exc:
        print(f"HTTPStatusError: {exc}")
    else:
        check(False, "expected HTTPStatusError")

    section("A Client with base_url and default headers")
    with httprs.Client(
        base_url=base_url,
        headers={"User-Agent": "httprs-quickstart", "X-Demo": "1"},
        timeout=httprs.Timeout(5.0, connect=2.0),
    ) as client:
        for i in range(3):
            r = client.get("/get", params={"i": i})
            seen = r.json()["headers"]
            print(f"{r.request.method} {r.url} -> {r.status_code};", end=" ")
            print(f"user-agent={seen['user-agent']!r} x-demo={seen['x-demo']!r}")
            check(seen["x-demo"] == "1", "client default header")
        r = client.post("/post", content=b"raw bytes", headers={"Content-Type": "text/plain"})
        print("POST /post with content= ->", r.json()["text"])

    section("AsyncClient: the same API, under asyncio and under trio")
    import asyncio

    import trio

    async def fetch_many(label: str) -> None:
        async with httprs.AsyncClient(base_url=base_url) as client:
            started = time.monotonic()
            responses: list[httprs.Response] = []

            async def one(i: int) -> None:
                responses.append(await client.get("/slow", params={"delay": 0.5, "i": i}))

            if label == "trio":
                async with trio.open_nursery() as nursery:
                    for i in range(20):
                        nursery.start_soon(one, i)
            else:
                await asyncio.gather(*(one(i) for i in range(20)))
            took = time.monotonic() - started
            print(f"{label}: 20 requests to /slow?delay=0.5 in {took:.2f} s (concurrently)")
            check(all(r.status_code == 200 for r in responses), "all 200")
            check(took < 5, "requests ran concurrently")
            async with client.stream("GET", "/stream", params={"n": 3}) as r:
                lines = [line async for line in r.aiter_lines()]
            print(f"{label}: streamed lines {lines}")

    asyncio.run(fetch_many("asyncio"))
    trio.run(fetch_many, "trio")

    print("\nquickstart: all good")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python examples/quickstart.py BASE_URL")
    main(sys.argv[1])
