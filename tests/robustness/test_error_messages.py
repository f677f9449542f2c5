"""What a failed request says: httpx's words, with the engine's account kept aside.

httpx's message for a socket error is Python's ``str(OSError)`` (``[Errno 111] Connection
refused``), and h11's sentences for a server that hung up (``Server disconnected without
sending a response.``). httprs words its exceptions the same way and never shows reqwest's
wrapping ("error sending request for url (...): client error (Connect): ...") in the message:
that full account is the exception's note (``__notes__``), and an operating-system error is
its ``__cause__``, the ``OSError`` Python would raise (httpx chains one too).

Each scenario runs on ``sync``, ``async-asyncio`` and ``async-trio`` (tests/drivers.py), against
servers on 127.0.0.1; nothing is looked up in DNS.
"""

from __future__ import annotations

import errno
import os

import httprs
import pytest

from tests.conftest import closed_port
from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.servers.hostile import Hold, HostileServer, Reset
from tests.support.servers.raw import RawServer

pytestmark = [pytest.mark.network, pytest.mark.anyio, pytest.mark.timeout(30)]

# reqwest's and hyper-util's wrapping: where the failure happened, never why.
ENGINE_WORDS = ("error sending request", "client error (", "error decoding response body")


async def failure(driver, exc_type, url: str, timeout=5.0, **client_kwargs) -> BaseException:
    async with driver.client(timeout=timeout, trust_env=False, **client_kwargs) as c:
        with pytest.raises(exc_type) as info:
            await c.get(url)
    return info.value


def assert_httpx_words(exc: BaseException) -> None:
    """A short message in httpx's style; the engine's full account is a note."""
    message = str(exc)
    assert message, f"{type(exc).__name__} without a message"
    assert not any(words in message for words in ENGINE_WORDS), message
    notes = getattr(exc, "__notes__", [])
    assert len(notes) == 1 and any(words in notes[0] for words in ENGINE_WORDS), notes


def python_words(code: int) -> str:
    """``str(OSError(code, os.strerror(code)))``: what httpx says for a socket error."""
    return f"[Errno {code}] {os.strerror(code)}"


async def test_connection_refused_reads_like_python(driver):
    port = closed_port()
    exc = await failure(driver, httprs.ConnectError, f"http://127.0.0.1:{port}/")
    assert str(exc) == python_words(errno.ECONNREFUSED)  # "[Errno 111] Connection refused"
    assert isinstance(exc.__cause__, ConnectionRefusedError)
    assert exc.__cause__.errno == errno.ECONNREFUSED
    assert_httpx_words(exc)
    # The note keeps what the message leaves out: which address was refused.
    assert f"127.0.0.1:{port}" in exc.__notes__[0]
    assert exc.request.url == f"http://127.0.0.1:{port}/"


async def test_connection_reset_reads_like_python(driver):
    with HostileServer({"reset": [Reset()]}) as server:
        exc = await failure(driver, httprs.ReadError, server.url_for("reset"))
    assert str(exc) == python_words(errno.ECONNRESET)  # "[Errno 104] Connection reset by peer"
    assert isinstance(exc.__cause__, ConnectionResetError)
    assert_httpx_words(exc)


async def test_server_gone_before_the_response_uses_h11_words(driver):
    with RawServer(b"") as raw:
        exc = await failure(driver, httprs.RemoteProtocolError, raw.url)
    assert str(exc) == "Server disconnected without sending a response."
    assert exc.__cause__ is None
    assert_httpx_words(exc)


async def test_body_cut_short_uses_h11_words(driver):
    with RawServer(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nok") as raw:
        exc = await failure(driver, httprs.RemoteProtocolError, raw.url)
    # httpx adds "(received 2 bytes, expected 10)": hyper does not report the counts.
    assert str(exc) == "peer closed connection without sending complete message body"
    assert_httpx_words(exc)


async def test_malformed_head_says_what_is_wrong(driver):
    with RawServer(b"garbage\r\n\r\n") as raw:
        exc = await failure(driver, httprs.RemoteProtocolError, raw.url)
    assert str(exc) == "invalid HTTP version parsed"
    assert_httpx_words(exc)


async def test_tls_failure_says_what_is_wrong(driver):
    # An https request to a server that answers in plain HTTP: the handshake fails.
    payload = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
    with RawServer(payload, read_request=False) as raw:
        url = raw.url.replace("http://", "https://")
        exc = await failure(driver, httprs.ConnectError, url, verify=False)
    # OpenSSL's words, as httpx shows them (without the "(_ssl.c:NNNN)" place; OpenSSL 3.2
    # and later say "[SSL] record layer failure"); rustls's own in the note.
    assert "wrong version number" in str(exc) or "record layer failure" in str(exc), str(exc)
    assert_httpx_words(exc)


async def test_timeouts_keep_their_own_words(driver):
    # No engine chain behind a timeout: the budget ran out in httprs itself.
    with HostileServer({"silent": [Hold(seconds=3)]}) as server:
        exc = await failure(
            driver, httprs.ReadTimeout, server.url_for("silent"), timeout=httprs.Timeout(0.3)
        )
    assert str(exc) == "The read operation timed out"
    assert not getattr(exc, "__notes__", None)
