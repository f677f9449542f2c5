from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn

from tests.app import app


class ServerHandle:
    """A running uvicorn server: ``.url`` is ``"http://127.0.0.1:PORT"`` (no trailing slash)."""

    def __init__(self, server: uvicorn.Server, thread: threading.Thread) -> None:
        self._server = server
        self._thread = thread
        self.port = server.servers[0].sockets[0].getsockname()[1]
        self.host = "127.0.0.1"
        self.url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


def start_server() -> ServerHandle:
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("test server failed to start")
        time.sleep(0.01)
    return ServerHandle(server, thread)


@pytest.fixture(scope="session")
def server():
    handle = start_server()
    yield handle
    handle.stop()


@pytest.fixture(scope="session")
def other_server():
    """A second instance of the app on another port (a different origin)."""
    handle = start_server()
    yield handle
    handle.stop()


def closed_port() -> int:
    """A port on 127.0.0.1 nothing listens on (bound then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def closed_url() -> str:
    return f"http://127.0.0.1:{closed_port()}/"


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request):
    """Every ``@pytest.mark.anyio`` test runs once on asyncio and once on trio."""
    return request.param
