from __future__ import annotations

import signal
import socket

import pytest

from tests.support.servers.asgi import start_uvicorn


def pytest_configure(config):
    # A shell without job control starts a background command (`./scripts/test &`, nohup)
    # with SIGINT ignored, and an ignored signal stays ignored across exec: the Ctrl-C tests'
    # child interpreters would then have no KeyboardInterrupt to test. Python's own handler
    # here makes every child start with SIGINT at its default, as from a terminal.
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


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
