"""A server that fails the first requests it gets, then answers: for the retry tests.

``FlakyServer(failures)`` serves HTTP/1.1 (keep-alive) on 127.0.0.1. The first
``len(failures)`` requests get the failures in order, every later one ``200 OK`` with the body
``ok``. A failure is one of:

- ``(status, headers)``: a response with that status, those headers (a dict) and the body
  ``failed``, on a kept-alive connection;
- ``"reset"``: the request is read, then the connection is reset (RST, no response);
- ``"close"``: the request is read, then the connection is closed (FIN, no response).

Every request is recorded in ``hits`` (``Hit``: method, path, body and the time it arrived,
``time.monotonic()``), failures and successes alike::

    with FlakyServer([(503, {"Retry-After": "0"})]) as srv:
        r = client.get(srv.url + "/x")
        assert [h.path for h in srv.hits] == ["/x", "/x"]
"""

from __future__ import annotations

import dataclasses
import http
import socket
import struct
import threading
import time

from tests.support.servers.threaded import ThreadedServer

Failure = tuple[int, dict[str, str]] | str


@dataclasses.dataclass
class Hit:
    method: str
    path: str
    body: bytes
    at: float


def _fill(conn: socket.socket, buffer: bytes, needed: int | bytes) -> bytes | None:
    """``buffer`` plus what ``conn`` sends until it holds ``needed`` bytes (or the marker)."""
    while (len(buffer) < needed) if isinstance(needed, int) else (needed not in buffer):
        data = conn.recv(65536)
        if not data:
            return None
        buffer += data
    return buffer


def read_request(conn: socket.socket, buffer: bytes) -> tuple[str, str, bytes, bytes] | None:
    """One request (head, then a Content-Length or chunked body) from ``buffer`` plus what
    ``conn`` sends: ``(method, path, body, rest)``, or None when the client closed first."""
    buffer = _fill(conn, buffer, b"\r\n\r\n")
    if buffer is None:
        return None
    head, _, buffer = buffer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    fields = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        fields[name.strip().lower()] = value.strip()
    if fields.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            buffer = _fill(conn, buffer, b"\r\n")
            if buffer is None:
                return None
            size_line, _, buffer = buffer.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            buffer = _fill(conn, buffer, size + 2)
            if buffer is None:
                return None
            if size == 0:
                # No trailers are sent by the clients under test.
                return method, path, body, buffer[2:]
            body, buffer = body + buffer[:size], buffer[size + 2 :]
    length = int(fields.get("content-length", "0"))
    buffer = _fill(conn, buffer, length)
    if buffer is None:
        return None
    return method, path, buffer[:length], buffer[length:]


class FlakyServer(ThreadedServer):
    connection_timeout = 10.0

    def __init__(self, failures: list[Failure]) -> None:
        super().__init__()
        self.failures = list(failures)
        self.hits: list[Hit] = []
        self._hits_lock = threading.Lock()

    def _next(self, method: str, path: str, body: bytes) -> Failure | None:
        with self._hits_lock:
            index = len(self.hits)
            self.hits.append(Hit(method, path, body, time.monotonic()))
        return self.failures[index] if index < len(self.failures) else None

    def handle(self, conn: socket.socket) -> None:
        buffer = b""
        while not self.stopping.is_set():
            request = read_request(conn, buffer)
            if request is None:
                return
            method, path, body, buffer = request
            failure = self._next(method, path, body)
            if failure == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return
            if failure == "close":
                return
            status, headers, payload = 200, {}, b"ok"
            if failure is not None:
                status, headers = failure
                payload = b"failed"
            reason = http.HTTPStatus(status).phrase
            lines = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(payload)}"]
            lines += [f"{name}: {value}" for name, value in headers.items()]
            conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload)
