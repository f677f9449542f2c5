"""A scripted raw-socket HTTP "server" for hostile-response tests.

``HostileServer(cases)`` (a :class:`tests.support.servers.threaded.ThreadedServer`) listens on
127.0.0.1 (random port) and serves every connection in its own thread: it reads the request head (up to the blank line), picks the case named by the
request path ``/case/<name>[/anything][?query]`` and plays that case's list of actions::

    CASES = {
        "hello": [Send(b"HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\n\\r\\nhello")],
        "rst": [Send(b"HTTP/1.1 200 OK\\r\\n"), Reset()],
    }
    with HostileServer(CASES) as srv:
        httpx.get(srv.url_for("hello"))

Actions (see the classes below): ``Send`` bytes, ``Sleep``, ``Drip`` bytes slowly, ``Close``
(a clean FIN), ``Reset`` (an RST: ``SO_LINGER`` 0), ``Endless`` data until the client goes
away, ``Hold`` the connection open without sending, and ``KeepAlive`` (read the next request
on the same connection and play the case it names). When the actions run out the connection
is closed cleanly. ``Send`` data may be a callable ``f(server) -> bytes`` (for bytes that need
the server's port, or that are expensive and built lazily).

An unknown case answers ``404``. The server keeps a log of connections (``server.log``: one
:class:`ConnectionLog` per accepted connection, with the request heads read on it and every
byte received) so that tests can check what was sent and whether a connection was reused.
Every action is bounded in time, so that a client which hangs never keeps a server thread
alive for long.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.support.servers.threaded import ThreadedServer

MAX_HEAD = 256 * 1024
# No action keeps a connection for longer than this.
MAX_ACTION_SECONDS = 15.0

Data = bytes | Callable[["HostileServer"], bytes]


@dataclass(frozen=True)
class Send:
    """Send bytes (or ``data(server)``) in one ``sendall``."""

    data: Data


@dataclass(frozen=True)
class Sleep:
    seconds: float


@dataclass(frozen=True)
class Drip:
    """Send ``data`` ``chunk`` bytes at a time, sleeping ``interval`` seconds before each."""

    data: Data
    interval: float = 0.05
    chunk: int = 1


@dataclass(frozen=True)
class Close:
    """Half-close (FIN), drain what the client still sends, then close: a clean close."""


@dataclass(frozen=True)
class Reset:
    """Close with ``SO_LINGER`` 0: the kernel sends an RST instead of a FIN."""


@dataclass(frozen=True)
class Endless:
    """Send ``chunk`` over and over until the client goes away (or ``seconds`` pass)."""

    chunk: bytes = b"x" * 65536
    seconds: float = MAX_ACTION_SECONDS


@dataclass(frozen=True)
class Hold:
    """Keep the connection open without sending until the client closes it (or timeout)."""

    seconds: float = MAX_ACTION_SECONDS


@dataclass(frozen=True)
class KeepAlive:
    """Read the next request head on this connection and play the case it names."""


Action = Send | Sleep | Drip | Close | Reset | Endless | Hold | KeepAlive


def response(
    status: bytes | str = b"200 OK",
    headers: list[tuple[str, str]] | list[bytes] | None = None,
    body: bytes = b"",
    *,
    content_length: bool = True,
    version: bytes = b"HTTP/1.1",
) -> bytes:
    """A well-formed response (``Content-Length`` added unless ``content_length=False``)."""
    if isinstance(status, str):
        status = status.encode("latin-1")
    lines = [version + b" " + status]
    for header in headers or []:
        if isinstance(header, bytes):
            lines.append(header)
        else:
            lines.append(f"{header[0]}: {header[1]}".encode("latin-1"))
    if content_length:
        lines.append(b"Content-Length: " + str(len(body)).encode())
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


@dataclass
class ConnectionLog:
    """What one accepted connection saw: the request heads read on it, all bytes received."""

    number: int
    heads: list[bytes] = field(default_factory=list)
    received: bytearray = field(default_factory=bytearray)
    cases: list[str] = field(default_factory=list)
    finished: threading.Event = field(default_factory=threading.Event)

    @property
    def paths(self) -> list[str]:
        return [_request_path(head) for head in self.heads]


def _request_path(head: bytes) -> str:
    first = head.split(b"\r\n", 1)[0].split(b" ")
    return first[1].decode("latin-1") if len(first) > 1 else ""


def case_name(path: str) -> str:
    """``/case/<name>[/...][?...]`` -> ``name`` (``""`` for anything else)."""
    path = path.split("?", 1)[0]
    if not path.startswith("/case/"):
        return ""
    return path[len("/case/") :].split("/", 1)[0]


NOT_FOUND = response(b"404 Not Found", [("Content-Type", "text/plain")], b"no such case")


class HostileServer(ThreadedServer):
    connection_timeout = MAX_ACTION_SECONDS

    def __init__(self, cases: dict[str, list[Action]]) -> None:
        super().__init__()
        self.cases = cases
        self.log: list[ConnectionLog] = []
        self._log_lock = threading.Lock()
        self._entries: dict[socket.socket, ConnectionLog] = {}
        self._cache: dict[int, bytes] = {}

    # --- public helpers ------------------------------------------------------------------

    def url_for(self, name: str, suffix: str = "") -> str:
        return f"{self.url}/case/{name}{suffix}"

    def mark(self) -> int:
        """The current length of the connection log (to look at what happened since)."""
        with self._log_lock:
            return len(self.log)

    def connections_since(self, mark: int, settle: float = 0.2) -> list[ConnectionLog]:
        """Connections accepted since ``mark``, after waiting up to ``settle`` s for them to end."""
        deadline = time.monotonic() + settle
        while True:
            with self._log_lock:
                conns = self.log[mark:]
            if all(c.finished.is_set() for c in conns) or time.monotonic() > deadline:
                return conns
            time.sleep(0.01)

    def cached(self, key: Callable[[], bytes]) -> bytes:
        """``key()`` computed once per server (for expensive payloads)."""
        ident = id(key)
        if ident not in self._cache:
            self._cache[ident] = key()
        return self._cache[ident]

    # --- serving -------------------------------------------------------------------------

    def connection_started(self, conn: socket.socket) -> None:
        # Logged on the accept thread, so that the log is in accept order.
        with self._log_lock:
            entry = ConnectionLog(number=len(self.log))
            self.log.append(entry)
            self._entries[conn] = entry

    def _recv(self, conn: socket.socket, entry: ConnectionLog, size: int = 65536) -> bytes:
        data = conn.recv(size)
        entry.received += data
        return data

    def _read_head(
        self, conn: socket.socket, entry: ConnectionLog, buffered: bytes
    ) -> tuple[bytes, bytes]:
        """Read one request head: ``(head, bytes read past the request)``.

        ``head`` is b"" if the client closed first.

        A request body (Content-Length only) is read and discarded so the next request on a
        kept-alive connection starts at the right place.
        """
        data = buffered
        while b"\r\n\r\n" not in data:
            if len(data) > MAX_HEAD:
                return data, b""
            chunk = self._recv(conn, entry)
            if not chunk:
                return b"", b""
            data += chunk
        head, rest = data.split(b"\r\n\r\n", 1)
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                try:
                    length = int(value.strip())
                except ValueError:
                    length = 0
        while len(rest) < length:
            chunk = self._recv(conn, entry)
            if not chunk:
                break
            rest += chunk
        return head + b"\r\n\r\n", rest[length:]

    def handle(self, conn: socket.socket) -> None:
        with self._log_lock:
            entry = self._entries.pop(conn)
        try:
            buffered = b""
            while True:
                head, buffered = self._read_head(conn, entry, buffered)
                if not head:
                    return
                entry.heads.append(head)
                name = case_name(_request_path(head))
                entry.cases.append(name)
                actions = self.cases.get(name, [Send(NOT_FOUND)])
                if not self._play(conn, entry, actions):
                    return
        except OSError:
            pass
        finally:
            self.release(conn)  # closed before the log says so
            entry.finished.set()

    def _data(self, data: Data) -> bytes:
        return data(self) if callable(data) else data

    def _play(self, conn: socket.socket, entry: ConnectionLog, actions: list[Action]) -> bool:
        """Play ``actions``; True if the connection stays open for another request."""
        for action in actions:
            if isinstance(action, Send):
                conn.sendall(self._data(action.data))
            elif isinstance(action, Sleep):
                time.sleep(action.seconds)
            elif isinstance(action, Drip):
                data = self._data(action.data)
                for i in range(0, len(data), action.chunk):
                    time.sleep(action.interval)
                    conn.sendall(data[i : i + action.chunk])
            elif isinstance(action, Endless):
                deadline = time.monotonic() + action.seconds
                while time.monotonic() < deadline:
                    conn.sendall(action.chunk)
                return False
            elif isinstance(action, Hold):
                self._wait_for_client_close(conn, entry, action.seconds)
                return False
            elif isinstance(action, Reset):
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return False
            elif isinstance(action, Close):
                break
            elif isinstance(action, KeepAlive):
                return True
            else:  # pragma: no cover - a bug in a case table
                raise TypeError(f"unknown action {action!r}")
        # The default ending (and Close): a clean FIN, then drain until the client closes.
        conn.shutdown(socket.SHUT_WR)
        self._wait_for_client_close(conn, entry, 5.0)
        return False

    def _wait_for_client_close(self, conn: socket.socket, entry: ConnectionLog, seconds: float):
        conn.settimeout(0.05)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not self.stopping.is_set():
            try:
                if not self._recv(conn, entry):
                    return
            except TimeoutError:
                continue
