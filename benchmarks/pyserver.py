"""The benchmark's own HTTP/1.1 server: asyncio (on uvloop when installed), one process.

    python benchmarks/pyserver.py --port P [--tls-port Q --cert C --key K] [--root DIR]
                                  [--delay-ms 20]

It serves what nginx cannot do cheaply, for ``harness.py``:

- ``PUT``/``POST /upload``: reads the whole body (``Content-Length``; ``Expect: 100-continue``
  is answered), counts it and only then answers ``200`` with ``ok`` (scenario E). nginx's
  ``return 200`` answers before the body has been read, which would time the upload short.
- ``GET /delay``: answers after ``--delay-ms`` (default 20 ms) without blocking anything
  else (``loop.call_later``): scenario K.
- ``GET /stats``: ``{"accepted": N}``, the connections accepted so far (the harness reads it
  before and after each run to count the connections a client opened).
- ``GET /<name>``: the files of ``--root``, read into memory at start (with ``--server
  python``: every plain endpoint, for a machine without nginx, e.g. the smoke test).

Responses are HTTP/1.1 with ``Content-Length``; connections are kept alive unless the request
says ``Connection: close``. The bytes of a request body go into one scratch buffer
(``BufferedProtocol``): one copy from the kernel, as nginx does, nothing kept.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import ssl
import sys
from pathlib import Path

SCRATCH = memoryview(bytearray(1 << 20))  # every connection's reads land here (one at a time)
MAX_HEAD = 64 * 1024
CONTENT_TYPES = {".json": b"application/json", ".txt": b"text/plain"}


class Server:
    def __init__(self, files: dict[str, tuple[bytes, bytes]], delay: float) -> None:
        self.files = files  # path -> (content type, body)
        self.delay = delay
        self.accepted = 0


def response(status: bytes, body: bytes, content_type: bytes, close: bool) -> bytes:
    head = [
        b"HTTP/1.1 " + status,
        b"Server: pyserver",
        b"Content-Type: " + content_type,
        b"Content-Length: " + str(len(body)).encode(),
    ]
    if close:
        head.append(b"Connection: close")
    return b"\r\n".join(head) + b"\r\n\r\n" + body


class Connection(asyncio.BufferedProtocol):
    def __init__(self, server: Server) -> None:
        self.server = server
        self.transport: asyncio.Transport | None = None
        self.head = bytearray()
        self.body_left = 0
        self.pending: tuple[bytes, bytes, bool] | None = None  # method, path, close

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.server.accepted += 1
        self.transport = transport  # type: ignore[assignment]

    def get_buffer(self, sizehint: int) -> memoryview:
        return SCRATCH

    def buffer_updated(self, nbytes: int) -> None:
        self.feed(SCRATCH[:nbytes])

    def feed(self, data: memoryview) -> None:
        while data:
            if self.body_left:
                take = min(len(data), self.body_left)
                self.body_left -= take
                data = data[take:]
                if self.body_left == 0 and self.pending is not None:
                    self.answer(*self.pending)
                continue
            self.head += data
            end = self.head.find(b"\r\n\r\n")
            if end < 0:
                if len(self.head) > MAX_HEAD:
                    self.fail(b"431 Request Header Fields Too Large")
                return
            head, rest = bytes(self.head[:end]), bytes(self.head[end + 4 :])
            self.head = bytearray()
            if not self.start_request(head):
                return
            data = memoryview(rest)

    def start_request(self, head: bytes) -> bool:
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ")
        if len(parts) != 3:
            self.fail(b"400 Bad Request")
            return False
        method, target, version = parts
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            headers[name.strip().lower()] = value.strip()
        if b"transfer-encoding" in headers:
            self.fail(b"411 Length Required")  # the clients here send Content-Length
            return False
        length = int(headers.get(b"content-length", b"0"))
        close = headers.get(b"connection", b"").lower() == b"close" or version == b"HTTP/1.0"
        self.pending = (method, target.split(b"?", 1)[0], close)
        if length:
            if headers.get(b"expect", b"").lower() == b"100-continue":
                self.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            self.body_left = length
        else:
            self.answer(*self.pending)
        return True

    def answer(self, method: bytes, path: bytes, close: bool) -> None:
        self.pending = None
        server = self.server
        if path == b"/delay":
            reply = response(b"200 OK", b"delayed\n", b"text/plain", close)
            asyncio.get_running_loop().call_later(server.delay, self.send, reply, close)
            return
        if path == b"/upload" and method in (b"PUT", b"POST"):
            reply = response(b"200 OK", b"ok\n", b"text/plain", close)
        elif path == b"/stats":
            body = json.dumps({"accepted": server.accepted}).encode()
            reply = response(b"200 OK", body, b"application/json", close)
        elif path in server.files and method == b"GET":
            content_type, body = server.files[path]
            reply = response(b"200 OK", body, content_type, close)
        else:
            reply = response(b"404 Not Found", b"not found\n", b"text/plain", close)
        self.send(reply, close)

    def send(self, reply: bytes, close: bool) -> None:
        self.write(reply)
        if close and self.transport is not None:
            self.transport.close()

    def write(self, data: bytes) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.write(data)

    def fail(self, status: bytes) -> None:
        self.send(response(status, b"", b"text/plain", True), True)


async def serve(args: argparse.Namespace) -> None:
    files: dict[str, tuple[bytes, bytes]] = {}
    if args.root:
        for path in sorted(Path(args.root).iterdir()):
            if path.is_file():
                content_type = CONTENT_TYPES.get(path.suffix, b"application/octet-stream")
                files[f"/{path.name}".encode()] = (content_type, path.read_bytes())
    server = Server(files, args.delay_ms / 1000)
    loop = asyncio.get_running_loop()
    listeners = [
        await loop.create_server(
            lambda: Connection(server), "127.0.0.1", args.port, backlog=4096, reuse_address=True
        )
    ]
    if args.tls_port:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
        context.set_alpn_protocols(["http/1.1"])
        listeners.append(
            await loop.create_server(
                lambda: Connection(server),
                "127.0.0.1",
                args.tls_port,
                ssl=context,
                backlog=4096,
                reuse_address=True,
            )
        )
    print("ready", flush=True)
    await asyncio.gather(*(listener.serve_forever() for listener in listeners))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tls-port", type=int)
    parser.add_argument("--cert", help="the server's certificate chain (PEM), with --tls-port")
    parser.add_argument("--key", help="its private key (PEM)")
    parser.add_argument("--root", help="serve the files of this folder")
    parser.add_argument("--delay-ms", type=float, default=20.0)
    args = parser.parse_args()
    try:
        import uvloop
    except ImportError:
        asyncio.run(serve(args))
    else:
        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            runner.run(serve(args))


if __name__ == "__main__":
    try:
        main()
    except KeyboardInterrupt:
        sys.exit(0)
