"""A tiny raw-socket HTTP "server" for malformed-response tests.

``RawServer(payload)`` listens on 127.0.0.1 (random port). For every connection it reads the
request head (up to the blank line; not at all with ``read_request=False``), records it in
``requests``, writes ``payload`` verbatim, half-closes, and drains what the client still sends
so that the close is a clean FIN. Use it as a context manager::

    with RawServer(b"garbage\\r\\n\\r\\n") as raw:
        httprs.get(raw.url)
"""

from __future__ import annotations

import socket

from tests.support.servers.threaded import ThreadedServer


class RawServer(ThreadedServer):
    backlog = 16
    connection_timeout = 5.0

    def __init__(self, payload: bytes, *, read_request: bool = True) -> None:
        super().__init__()
        self.payload = payload
        self.read_request = read_request
        self.requests: list[bytes] = []

    def handle(self, conn: socket.socket) -> None:
        head = b""
        while self.read_request and b"\r\n\r\n" not in head:
            data = conn.recv(65536)
            if not data:
                break
            head += data
        self.requests.append(head)
        conn.sendall(self.payload)
        conn.shutdown(socket.SHUT_WR)
        while conn.recv(65536):
            pass
