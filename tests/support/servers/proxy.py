"""A small threaded forwarding HTTP proxy on 127.0.0.1 for the proxy tests.

``ProxyServer()`` listens on a random port; use it as a context manager::

    with ProxyServer(auth=("user", "pw")) as proxy:
        httprs.get(target_url, proxy=proxy.url)
        proxy.requests  # [ProxyRequest(method="GET", target="http://127.0.0.1:PORT/echo", ...)]

- Plain HTTP proxying: an absolute-form request (``GET http://host:port/path HTTP/1.1``) is
  forwarded to the target (``Proxy-*`` headers removed, ``Connection: close``), and the
  target's response is relayed with ``Connection: close`` and an added ``X-Test-Proxy: 1``
  header. One request per client connection.
- ``CONNECT host:port`` answers ``200 Connection established`` and then relays bytes both
  ways (the TLS tunnel for https), unless ``refuse_connect=True``: then ``403 Forbidden``.
- ``auth=(user, password)``: requests without the matching ``Proxy-Authorization: Basic ...``
  get ``407 Proxy Authentication Required`` (with ``Proxy-Authenticate``).
- Only 127.0.0.1 / localhost targets are allowed (others get ``502``).

Every request head it receives is recorded in ``requests`` (method, target, request line,
``Proxy-Authorization`` value or None), including refused ones.
"""

from __future__ import annotations

import base64
import dataclasses
import select
import socket
import threading
from urllib.parse import urlsplit

from tests.support.servers.threaded import ThreadedServer

ALLOWED_HOSTS = {"127.0.0.1", "localhost"}
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authorization",
    "proxy-connection",
    "proxy-authenticate",
    "te",
    "trailer",
    "upgrade",
}


@dataclasses.dataclass
class ProxyRequest:
    method: str
    target: str
    request_line: str
    proxy_authorization: str | None
    headers: list[tuple[str, str]]


class _Conn:
    """A socket with a read buffer."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""

    def _fill(self) -> bool:
        data = self.sock.recv(65536)
        if not data:
            return False
        self.buffer += data
        return True

    def read_until(self, marker: bytes, limit: int = 1 << 20) -> bytes | None:
        while marker not in self.buffer:
            if len(self.buffer) > limit or not self._fill():
                return None
        index = self.buffer.index(marker) + len(marker)
        data, self.buffer = self.buffer[:index], self.buffer[index:]
        return data

    def read_exact(self, n: int) -> bytes | None:
        while len(self.buffer) < n:
            if not self._fill():
                return None
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def read_chunked(self) -> bytes | None:
        """A chunked body, returned still chunk-encoded (up to and including the trailers)."""
        raw = b""
        while True:
            size_line = self.read_until(b"\r\n")
            if size_line is None:
                return None
            raw += size_line
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                while True:
                    line = self.read_until(b"\r\n")
                    if line is None:
                        return None
                    raw += line
                    if line == b"\r\n":
                        return raw
            chunk = self.read_exact(size + 2)
            if chunk is None:
                return None
            raw += chunk


def _parse_head(head: bytes) -> tuple[str, list[tuple[str, str]]]:
    lines = head.decode("latin-1").split("\r\n")
    headers = []
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers.append((name.strip(), value.strip()))
    return lines[0], headers


def _header(headers: list[tuple[str, str]], name: str) -> str | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def _simple_response(status: str, extra_headers: str = "") -> bytes:
    body = status.encode("latin-1")
    return (
        f"HTTP/1.1 {status}\r\n{extra_headers}Content-Type: text/plain\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode("latin-1") + body


class ProxyServer(ThreadedServer):
    backlog = 64
    connection_timeout = 10.0

    def __init__(
        self, *, auth: tuple[str, str] | None = None, refuse_connect: bool = False
    ) -> None:
        super().__init__()
        self.auth = auth
        self.refuse_connect = refuse_connect
        self.requests: list[ProxyRequest] = []

    def url_with_auth(self, username: str, password: str) -> str:
        return f"http://{username}:{password}@127.0.0.1:{self.port}"

    @property
    def request_lines(self) -> list[str]:
        return [r.request_line for r in self.requests]

    # --- internals ---------------------------------------------------------------------------

    def _authorized(self, headers) -> bool:
        if self.auth is None:
            return True
        expected = "Basic " + base64.b64encode(
            f"{self.auth[0]}:{self.auth[1]}".encode("latin-1")
        ).decode("ascii")
        return _header(headers, "proxy-authorization") == expected

    def handle(self, sock: socket.socket) -> None:
        client = _Conn(sock)
        head = client.read_until(b"\r\n\r\n")
        if head is None:
            return
        request_line, headers = _parse_head(head)
        method, target, _ = request_line.split(" ", 2)
        self.requests.append(
            ProxyRequest(
                method=method,
                target=target,
                request_line=request_line,
                proxy_authorization=_header(headers, "proxy-authorization"),
                headers=headers,
            )
        )
        if not self._authorized(headers):
            sock.sendall(
                _simple_response(
                    "407 Proxy Authentication Required",
                    'Proxy-Authenticate: Basic realm="test-proxy"\r\n',
                )
            )
            return
        if method == "CONNECT":
            self._connect(client, target)
        else:
            self._forward(client, method, target, headers)

    def _open_upstream(self, host: str, port: int) -> socket.socket | None:
        if host not in ALLOWED_HOSTS:
            return None
        try:
            upstream = socket.create_connection((host, port), timeout=10)
        except OSError:
            return None
        return self.track(upstream)

    def _connect(self, client: _Conn, target: str) -> None:
        if self.refuse_connect:
            client.sock.sendall(_simple_response("403 Forbidden"))
            return
        host, _, port = target.rpartition(":")
        upstream = self._open_upstream(host.strip("[]"), int(port))
        if upstream is None:
            client.sock.sendall(_simple_response("502 Bad Gateway"))
            return
        try:
            client.sock.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            if client.buffer:
                upstream.sendall(client.buffer)
            relay(client.sock, upstream, self.stopping)
        finally:
            self.release(upstream)

    def _forward(self, client: _Conn, method: str, target: str, headers) -> None:
        url = urlsplit(target)
        upstream = self._open_upstream(url.hostname or "", url.port or 80) if url.scheme else None
        if upstream is None:
            client.sock.sendall(_simple_response("502 Bad Gateway"))
            return
        try:
            if _header(headers, "transfer-encoding"):
                body = client.read_chunked()
            else:
                body = client.read_exact(int(_header(headers, "content-length") or 0))
            if body is None:
                return
            path = url.path or "/"
            if url.query:
                path += "?" + url.query
            out = [f"{method} {path} HTTP/1.1"]
            out += [f"{k}: {v}" for k, v in headers if k.lower() not in HOP_BY_HOP]
            out.append("Connection: close")
            upstream.sendall(("\r\n".join(out) + "\r\n\r\n").encode("latin-1") + body)

            response = _Conn(upstream)
            response_head = response.read_until(b"\r\n\r\n")
            if response_head is None:
                client.sock.sendall(_simple_response("502 Bad Gateway"))
                return
            status_line, response_headers = _parse_head(response_head)
            out = [status_line]
            out += [f"{k}: {v}" for k, v in response_headers if k.lower() != "connection"]
            out += ["X-Test-Proxy: 1", "Connection: close"]
            client.sock.sendall(("\r\n".join(out) + "\r\n\r\n").encode("latin-1"))
            # The rest (the body) until the target closes (it was asked to).
            if response.buffer:
                client.sock.sendall(response.buffer)
            while True:
                data = upstream.recv(65536)
                if not data:
                    break
                client.sock.sendall(data)
        finally:
            self.release(upstream)


def relay(a: socket.socket, b: socket.socket, stop: threading.Event) -> None:
    """Copy bytes both ways between two connected sockets until one side closes (or `stop`)."""
    peers = {a: b, b: a}
    while not stop.is_set():
        readable, _, _ = select.select([a, b], [], [], 0.1)
        for sock in readable:
            try:
                data = sock.recv(65536)
            except OSError:
                return
            if not data:
                return
            peers[sock].sendall(data)
