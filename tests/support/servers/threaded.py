"""The one skeleton of the raw-socket test servers: :class:`ThreadedServer`.

A subclass overrides :meth:`ThreadedServer.handle` (one accepted connection; the base closes
it afterwards) and gets the rest: a listening socket on 127.0.0.1 with a free port, an accept
loop on a daemon thread, a thread per connection, and a clean shutdown::

    class Hello(ThreadedServer):
        def handle(self, conn):
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\\r\\nContent-Length: 5\\r\\n\\r\\nhello")

    with Hello() as srv:  # or srv = Hello().start(); ...; srv.close()
        httprs.get(srv.url)

``close()`` (also on leaving the ``with`` block; calling it again does nothing) stops the
accept loop, closes the listening socket, shuts down every socket still open (the accepted
connections and any socket a handler registered with :meth:`ThreadedServer.track`, such as an
upstream connection), which wakes handlers blocked on them, waits for the handler threads,
and closes whatever is left: no thread or socket outlives the server for long.
"""

from __future__ import annotations

import socket
import threading


class ThreadedServer:
    """A TCP server on 127.0.0.1 (port 0) with one thread per connection; see the module."""

    #: The scheme of :attr:`url`.
    scheme = "http"
    #: The listening socket's backlog.
    backlog = 128
    #: A timeout set on every accepted connection (``None``: blocking, no timeout).
    connection_timeout: float | None = None
    #: How long ``close()`` waits for the accept thread and for each handler thread.
    join_timeout = 5.0
    #: How often the accept loop looks at the stop flag.
    poll_interval = 0.05

    def __init__(self) -> None:
        self.host = "127.0.0.1"
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.configure_listener(self._listener)
        self._listener.bind((self.host, 0))
        self._listener.listen(self.backlog)
        self._listener.settimeout(self.poll_interval)
        self.port: int = self._listener.getsockname()[1]
        #: Set once ``close()`` begins: long-running handlers should look at it.
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._handlers: set[threading.Thread] = set()
        self._accept_thread = threading.Thread(
            target=self._accept_loop, name=f"{type(self).__name__}:{self.port}", daemon=True
        )
        self._closed = False

    @property
    def url(self) -> str:
        """``scheme://127.0.0.1:port`` (no trailing slash)."""
        return f"{self.scheme}://{self.host}:{self.port}"

    # --- what subclasses override --------------------------------------------------------

    def configure_listener(self, sock: socket.socket) -> None:
        """Set options on the listening socket before it is bound (inherited by accepted
        connections)."""

    def connection_started(self, conn: socket.socket) -> None:
        """Called on the accept thread, in accept order, before ``handle(conn)`` starts."""

    def handle(self, conn: socket.socket) -> None:
        """Serve one accepted connection (on its own thread). ``OSError`` (the client went
        away, the server is closing) ends it quietly; the connection is closed afterwards."""
        raise NotImplementedError

    # --- lifecycle -------------------------------------------------------------------------

    @staticmethod
    def read_head(conn: socket.socket) -> bytes | None:
        """What the client sent up to and including the blank line ending its request head
        (and whatever came with it), or None when it closed first."""
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            data += chunk
        return data

    def start(self):
        """Start accepting (once); returns the server."""
        if not self._accept_thread.is_alive() and not self._closed:
            self._accept_thread.start()
        return self

    def close(self) -> None:
        """Stop and release everything (see the module docstring). Idempotent."""
        if self._closed:
            return
        self._closed = True
        self.stopping.set()
        if self._accept_thread.is_alive():
            self._accept_thread.join(self.join_timeout)
        self._listener.close()
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        with self._lock:
            handlers = list(self._handlers)
        for thread in handlers:
            thread.join(self.join_timeout)
        with self._lock:
            sockets = list(self._sockets)
            self._sockets.clear()
        for sock in sockets:
            sock.close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.close()

    # --- sockets handlers open -------------------------------------------------------------

    def track(self, sock: socket.socket) -> socket.socket:
        """Register a socket (e.g. an upstream connection) for ``close()`` to shut down."""
        with self._lock:
            self._sockets.add(sock)
        return sock

    def release(self, sock: socket.socket) -> None:
        """Forget a tracked socket and close it."""
        with self._lock:
            self._sockets.discard(sock)
        try:
            sock.close()
        except OSError:
            pass

    # --- internals -------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            if self.connection_timeout is not None:
                conn.settimeout(self.connection_timeout)
            self.track(conn)
            self.connection_started(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            with self._lock:
                self._handlers.add(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            self.handle(conn)
        except OSError:
            pass
        finally:
            self.release(conn)
            with self._lock:
                self._handlers.discard(threading.current_thread())
