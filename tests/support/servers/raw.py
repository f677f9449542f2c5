"""A tiny raw-socket HTTP "server" for malformed-response tests.

``RawServer(payload)`` listens on 127.0.0.1 (random port) in a background thread. For every
connection it reads the request head (up to the blank line), writes ``payload`` verbatim,
and closes the connection. Use it as a context manager::

    with RawServer(b"garbage\\r\\n\\r\\n") as raw:
        httprs.get(raw.url)
"""

from __future__ import annotations

import socket
import threading


class RawServer:
    def __init__(self, payload: bytes, *, read_request: bool = True) -> None:
        self.payload = payload
        self.read_request = read_request
        self.requests: list[bytes] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.1)
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except (TimeoutError, OSError):
                continue
            with conn:
                conn.settimeout(5)
                try:
                    head = b""
                    while self.read_request and b"\r\n\r\n" not in head:
                        data = conn.recv(65536)
                        if not data:
                            break
                        head += data
                    self.requests.append(head)
                    conn.sendall(self.payload)
                    conn.shutdown(socket.SHUT_WR)
                    # Drain whatever the client still sends so the close is a clean FIN.
                    while conn.recv(65536):
                        pass
                except OSError:
                    pass

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()
