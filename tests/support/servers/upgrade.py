"""A raw-socket server that switches protocols: :class:`UpgradeEchoServer`.

A request for ``/upgrade`` gets ``101 Switching Protocols`` (``Upgrade: echo``),
followed in the same write by ``GREETING`` (bytes after the head, which the client's
``network_stream`` must hand out first); then the connection is a raw echo: every chunk
received is sent back, ``b"bye"`` makes the server close the connection, and the client's
own close (EOF) is recorded in ``closed_by_client``. A request for any other path gets
``200`` ``"ok"`` and the connection stays open for the next request (keep-alive).
A ``CONNECT`` request gets ``200 Connection Established``, then the same echo (a tunnel, as
httpcore hands over the connection of a successful ``CONNECT`` too).
``connections`` counts the accepted connections; ``requests`` keeps each request's ``(method, path)``.
"""

from __future__ import annotations

import socket
import threading

from tests.support.servers.flaky import read_request
from tests.support.servers.threaded import ThreadedServer

GREETING = b"welcome\n"


class UpgradeEchoServer(ThreadedServer):
    connection_timeout = 10.0

    def __init__(self) -> None:
        super().__init__()
        self.connections = 0
        self.requests: list[bytes] = []
        self.closed_by_client = threading.Event()

    def connection_started(self, conn: socket.socket) -> None:
        self.connections += 1

    def handle(self, conn: socket.socket) -> None:
        buffer = b""
        while True:
            request = read_request(conn, buffer)
            if request is None:
                return
            method, path, _, buffer = request
            self.requests.append((method, path))
            if method == "CONNECT":
                conn.sendall(b"HTTP/1.1 200 Connection Established\r\n\r\n")
            elif path == "/upgrade":
                conn.sendall(
                    b"HTTP/1.1 101 Switching Protocols\r\n"
                    b"Connection: Upgrade\r\nUpgrade: echo\r\n\r\n" + GREETING
                )
            else:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                continue
            if buffer:
                conn.sendall(buffer)
            self._echo(conn)
            return

    def _echo(self, conn: socket.socket) -> None:
        while True:
            data = conn.recv(65536)
            if not data:
                self.closed_by_client.set()
                return
            if data == b"bye":
                return
            conn.sendall(data)
