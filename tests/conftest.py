from __future__ import annotations

import socket

import pytest

from tests.support.servers.asgi import start_uvicorn


@pytest.fixture(scope="session")
def server():
    """The test app (tests/support/apps/main_app.py) on 127.0.0.1: ``.url``, ``.port``,
    ``.host``."""
    with start_uvicorn() as handle:
        yield handle


@pytest.fixture(scope="session")
def other_server():
    """A second instance of the app on another port (a different origin)."""
    with start_uvicorn() as handle:
        yield handle


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
