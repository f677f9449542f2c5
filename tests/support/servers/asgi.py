"""ASGI apps served on real sockets: uvicorn and hypercorn in a thread, on 127.0.0.1.

- :func:`start_uvicorn` – any ASGI app served by uvicorn in a thread, on 127.0.0.1 (port 0) or
  on a Unix socket (``uds=``), with any extra ``uvicorn.Config`` options (TLS, ...).
- :func:`start_hypercorn` – an ASGI app served by hypercorn (asyncio) in a thread on
  127.0.0.1, over TLS with ALPN ``h2`` + ``http/1.1`` (so HTTP/2 is negotiated when the
  client offers it), and with ``quic=True`` HTTP/3 on the same port number over UDP.
- :class:`RecordingApp` – wraps ``tests.support.apps.main_app.app`` and records, per ``tag`` query
  parameter, the client address of every request and the peak number of requests / distinct client
  connections in flight at once. Tests put a unique ``tag=`` in their URLs, so that requests left
  over from other tests (a timed-out ``/slow`` still sleeping server-side) never count.
"""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import socket
import threading
import time
import uuid
from urllib.parse import parse_qsl

import uvicorn

from tests.support.apps.main_app import app as test_app


@dataclasses.dataclass
class TagStats:
    clients: list[tuple[str, int]] = dataclasses.field(default_factory=list)
    in_flight: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    max_in_flight: int = 0
    max_connections: int = 0

    @property
    def ports(self) -> list[int]:
        """The client port of every request, in arrival order."""
        return [port for _, port in self.clients]


class RecordingApp:
    """``tests.support.apps.main_app.app`` plus per-tag bookkeeping of who connected (see the
    module docstring)."""

    def __init__(self, inner=test_app) -> None:
        self.inner = inner
        self._lock = threading.Lock()
        self._stats: dict[str, TagStats] = collections.defaultdict(TagStats)

    @staticmethod
    def new_tag() -> str:
        return uuid.uuid4().hex

    def stats(self, tag: str) -> TagStats:
        with self._lock:
            return self._stats[tag]

    async def __call__(self, scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        tag = dict(parse_qsl(scope["query_string"].decode("latin-1"))).get("tag")
        if tag is None:
            await self.inner(scope, receive, send)
            return
        client = tuple(scope["client"]) if scope.get("client") else ("?", 0)
        with self._lock:
            stats = self._stats[tag]
            stats.clients.append(client)
            stats.in_flight[client] += 1
            stats.max_in_flight = max(stats.max_in_flight, sum(stats.in_flight.values()))
            stats.max_connections = max(stats.max_connections, len(stats.in_flight))
        try:
            await self.inner(scope, receive, send)
        finally:
            with self._lock:
                stats.in_flight[client] -= 1
                if not stats.in_flight[client]:
                    del stats.in_flight[client]


class ServerHandle:
    """A server running in a thread: ``.url`` (no trailing slash), ``.port``, ``.host`` and
    ``.app`` (the ASGI app it serves)."""

    def __init__(self, url: str, port: int | None, stop, app) -> None:
        self.url = url
        self.port = port
        self.host = "127.0.0.1"
        self.app = app
        self._stop = stop

    def stop(self) -> None:
        self._stop()

    def __enter__(self) -> ServerHandle:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def start_uvicorn(app=test_app, *, scheme: str = "http", uds: str | None = None, **options):
    """Serve ``app`` with uvicorn in a daemon thread; ``options`` go to ``uvicorn.Config``."""
    if uds is None:
        options.update(host="127.0.0.1", port=0)
    else:
        options.update(uds=uds)
    config = uvicorn.Config(app, log_level="warning", lifespan="off", **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn test server failed to start")
        time.sleep(0.01)

    def stop() -> None:
        server.should_exit = True
        thread.join(timeout=10)

    if uds is not None:
        return ServerHandle("http://localhost", None, stop, app)
    port = server.servers[0].sockets[0].getsockname()[1]
    return ServerHandle(f"{scheme}://127.0.0.1:{port}", port, stop, app)


def start_hypercorn(
    app, *, certfile: str, keyfile: str, quic: bool = False, quic_elsewhere: bool = False
) -> ServerHandle:
    """Serve ``app`` with hypercorn over TLS (ALPN h2, http/1.1) on 127.0.0.1 in a thread;
    with ``quic``, HTTP/3 too, on the same port number over UDP (hypercorn's ``h3`` extra), or
    with ``quic_elsewhere`` on another UDP port, which only its ``Alt-Svc`` header names."""
    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)  # Connections queue up from now on, before hypercorn accepts them.
    port = sock.getsockname()[1]

    config = Config()
    config.bind = [f"fd://{sock.detach()}"]  # hypercorn owns the descriptor from now on
    config.certfile = certfile
    config.keyfile = keyfile
    config.alpn_protocols = ["h2", "http/1.1"]
    if quic or quic_elsewhere:
        from tests.support.servers import hypercorn_fixes

        hypercorn_fixes.apply()
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        # Datagrams queue up from now on.
        udp.bind(("127.0.0.1", 0 if quic_elsewhere else port))
        config.quic_bind = [f"fd://{udp.detach()}"]
    config.graceful_timeout = 1.0
    config.accesslog = None
    config.errorlog = None

    ready = threading.Event()
    state: dict = {}

    def run() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        shutdown = asyncio.Event()
        state["loop"], state["shutdown"] = loop, shutdown
        ready.set()
        try:
            loop.run_until_complete(serve(app, config, shutdown_trigger=shutdown.wait))
        finally:
            loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    if not ready.wait(10):
        raise RuntimeError("hypercorn test server failed to start")

    def stop() -> None:
        state["loop"].call_soon_threadsafe(state["shutdown"].set)
        thread.join(timeout=10)

    return ServerHandle(f"https://127.0.0.1:{port}", port, stop, app)
