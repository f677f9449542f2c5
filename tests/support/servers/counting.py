"""An HTTP/1.1 keep-alive server that counts the connections clients make.

``CountingServer()`` answers every request on a connection, for as long as the client keeps
it open, with ``200 OK`` and a small body; ``?delay=S`` in the target holds the answer for S
seconds (so that requests pile up behind a connection limit). It counts:

- ``accepted``: connections accepted since the start (or the last ``reset()``);
- ``open`` / ``peak_open``: connections open now / at most at once. A connection counts as
  open from its accept until the server reads its end (the client's FIN), so a client that
  closes one connection and opens the next at the same instant may be counted with both for
  a moment: ``accepted`` is the exact figure;
- ``requests``: requests answered.

    with CountingServer() as srv:
        ...
        assert srv.accepted == 4
"""

from __future__ import annotations

import socket
import threading
import time
from urllib.parse import parse_qsl, urlsplit

from tests.support.servers.threaded import ThreadedServer

BODY = b"counted"


class CountingServer(ThreadedServer):
    backlog = 256
    connection_timeout = 30.0

    def __init__(self) -> None:
        super().__init__()
        self._count_lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Start counting afresh (``peak_open`` from the connections open now)."""
        with self._count_lock:
            self.accepted = 0
            self.requests = 0
            self.peak_open = getattr(self, "open", 0)
            self.open = getattr(self, "open", 0)

    def connection_started(self, conn: socket.socket) -> None:
        # On the accept thread, in accept order: a new connection is counted before the
        # client can send anything on it.
        with self._count_lock:
            self.accepted += 1
            self.open += 1
            self.peak_open = max(self.peak_open, self.open)

    def handle(self, conn: socket.socket) -> None:
        try:
            self._serve_requests(conn)
        finally:
            with self._count_lock:
                self.open -= 1

    def _serve_requests(self, conn: socket.socket) -> None:
        buffer = b""
        while not self.stopping.is_set():
            while b"\r\n\r\n" not in buffer:
                data = conn.recv(65536)
                if not data:
                    return
                buffer += data
            head, _, buffer = buffer.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            length = 0
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            while len(buffer) < length:
                data = conn.recv(65536)
                if not data:
                    return
                buffer += data
            buffer = buffer[length:]
            target = lines[0].split(" ")[1] if " " in lines[0] else "/"
            delay = float(dict(parse_qsl(urlsplit(target).query)).get("delay", 0))
            if delay:
                time.sleep(delay)
            with self._count_lock:
                self.requests += 1
            conn.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (len(BODY), BODY)
            )
