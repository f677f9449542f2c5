"""The floor of scenario A: a bare Python loop of ``sendall``/``recv`` on one socket.

Not a client and not a peer: a reference row ("socket loop") that shows what one request
costs this machine with nothing but the interpreter and the kernel (issue 15: "the floor for
A"). It writes one fixed request and reads the response up to its ``Content-Length``.
"""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

from clients import BadStatus, Library, Options

NAME = "socket loop"


class Session:
    def __init__(self) -> None:
        self.sock: socket.socket | None = None
        self.request = b""

    def connect(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme != "http" or parts.port is None or parts.hostname is None:
            raise ValueError(f"the socket loop speaks plain HTTP to host:port only, not {url}")
        self.sock = socket.create_connection((parts.hostname, parts.port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.request = f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode()

    def get(self, url: str) -> bytes:
        if self.sock is None:
            self.connect(url)
        sock = self.sock
        assert sock is not None
        sock.sendall(self.request)
        data = sock.recv(65536)
        while (end := data.find(b"\r\n\r\n")) < 0:
            data += sock.recv(65536)
        if not data.startswith(b"HTTP/1.1 200 "):
            raise BadStatus(data.split(b"\r\n", 1)[0].decode(errors="replace"))
        start = data.lower().find(b"content-length:", 0, end) + len(b"content-length:")
        size = end + 4 + int(data[start : data.find(b"\r\n", start)])
        while len(data) < size:
            data += sock.recv(65536)
        return data[end + 4 : size]

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()


class RawSocket(Library):
    name = NAME
    module = "socket"
    asyncio = False

    def load(self) -> str:
        return "stdlib"

    def open(self, opts: Options) -> Session:
        return Session()
