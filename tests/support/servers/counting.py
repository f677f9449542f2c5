"""An HTTP/1.1 keep-alive server that counts the connections clients make.

``CountingServer()`` answers every request on a connection, for as long as the client keeps
it open, with ``200 OK`` and a small body; ``?delay=S`` in the target holds the answer for S
seconds (so that requests pile up behind a connection limit). It counts:

- ``accepted``: connections accepted since the start (or the last ``reset()``);
- ``open`` / ``peak_open``: connections open now / at most at once. A connection counts as
  open from its accept until its end (the client's FIN) reaches the server's socket. The
  handler thread may read that end only later (on a loaded machine, after the client's next
  connection was accepted), so each accept first looks, without reading, for an end already
  received on the connections still counted (``MSG_PEEK``): a client that closed one
  connection before opening the next is never counted with both;
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


def _ended(peeker: socket.socket) -> bool:
    """Whether the client's end (FIN or reset) has reached this connection, with nothing
    unread before it; reads nothing. `peeker` is a non-blocking duplicate of the
    connection's socket: `recv` on the connection itself, which has a timeout, would wait
    for data whatever its flags if the handler thread took the bytes first."""
    try:
        return peeker.recv(1, socket.MSG_PEEK) == b""
    except (BlockingIOError, InterruptedError):
        return False
    except OSError:
        return True


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
            self._live: dict[socket.socket, socket.socket] = getattr(self, "_live", {})
            self.accepted = 0
            self.requests = 0
            self.peak_open = getattr(self, "open", 0)
            self.open = getattr(self, "open", 0)

    def connection_started(self, conn: socket.socket) -> None:
        # On the accept thread, in accept order: a new connection is counted before the
        # client can send anything on it.
        with self._count_lock:
            for other in [c for c, peeker in self._live.items() if _ended(peeker)]:
                self._ended_locked(other)
            self.accepted += 1
            self.open += 1
            peeker = conn.dup()
            peeker.setblocking(False)
            self._live[conn] = peeker
            self.peak_open = max(self.peak_open, self.open)

    def handle(self, conn: socket.socket) -> None:
        try:
            self._serve_requests(conn)
        finally:
            with self._count_lock:
                self._ended_locked(conn)

    def _ended_locked(self, conn: socket.socket) -> None:
        # Counted once, by whichever of the accept thread and the handler sees the end first.
        peeker = self._live.pop(conn, None)
        if peeker is not None:
            peeker.close()
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
