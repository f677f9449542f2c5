"""Retries: ``HTTPTransport(retries=httprs.Retry(...))`` against a server that fails the first
requests it gets and counts them (tests/support/servers/flaky.py), and httpx's
``retries=<int>``, which retries connection failures only.

The driver tests run on ``sync``, ``async-asyncio`` and ``async-trio`` (tests/drivers.py).
"""

from __future__ import annotations

import copy
import email.utils
import logging
import pickle
import socket
import threading
import time

import anyio
import httprs
import pytest

from tests.conftest import closed_port
from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.servers.flaky import FlakyServer, Hit

pytestmark = [pytest.mark.network, pytest.mark.anyio]

UNAVAILABLE = (503, {"Retry-After": "0"})


def quick(**kwargs) -> httprs.Retry:
    """A policy with short, exact waits (no jitter)."""
    kwargs.setdefault("backoff_factor", 0.05)
    return httprs.Retry(jitter=0, **kwargs)


def gaps(hits: list[Hit]) -> list[float]:
    return [later.at - earlier.at for earlier, later in zip(hits, hits[1:], strict=False)]


async def test_503_with_retry_after_is_retried_until_it_succeeds(driver):
    with FlakyServer([UNAVAILABLE, UNAVAILABLE]) as srv:
        transport = driver.http_transport(retries=quick(total=3))
        async with driver.client(transport=transport) as c:
            response = await c.get(srv.url + "/flaky")
    assert response.status_code == 200
    assert response.text == "ok"
    assert [(h.method, h.path) for h in srv.hits] == [("GET", "/flaky")] * 3


async def test_a_streamed_response_comes_after_the_retries(driver):
    with FlakyServer([UNAVAILABLE, (502, {})]) as srv:
        async with driver.client(transport=driver.http_transport(retries=quick())) as c:
            async with c.stream("GET", srv.url + "/stream") as response:
                chunks = await c.iter_bytes(response)
    assert response.status_code == 200
    assert b"".join(chunks) == b"ok"
    assert len(srv.hits) == 3


async def test_retry_after_seconds_is_waited(driver):
    with FlakyServer([(503, {"Retry-After": "1"})]) as srv:
        async with driver.client(transport=driver.http_transport(retries=quick())) as c:
            response = await c.get(srv.url + "/")
    assert response.status_code == 200
    [gap] = gaps(srv.hits)
    assert 0.95 <= gap < 3


async def test_retry_after_http_date_is_waited(driver):
    # HTTP dates count whole seconds: two seconds ahead is a wait of one to two seconds.
    when = email.utils.formatdate(time.time() + 2, usegmt=True)
    with FlakyServer([(429, {"Retry-After": when})]) as srv:
        async with driver.client(transport=driver.http_transport(retries=quick())) as c:
            response = await c.get(srv.url + "/")
    assert response.status_code == 200
    [gap] = gaps(srv.hits)
    assert 0.9 <= gap < 3


async def test_429_without_retry_after_backs_off_exponentially(driver):
    failures = [(429, {}), (429, {}), (429, {})]
    with FlakyServer(failures) as srv:
        retry = quick(total=3, backoff_factor=0.1)
        async with driver.client(transport=driver.http_transport(retries=retry)) as c:
            response = await c.get(srv.url + "/")
    assert response.status_code == 200
    assert len(srv.hits) == 4
    waits = gaps(srv.hits)
    for wait, expected in zip(waits, [0.1, 0.2, 0.4], strict=True):
        assert expected * 0.9 <= wait < expected + 0.5


async def test_when_retries_run_out_the_last_response_is_returned(driver):
    with FlakyServer([UNAVAILABLE] * 10) as srv:
        async with driver.client(transport=driver.http_transport(retries=quick(total=2))) as c:
            response = await c.get(srv.url + "/")
            # The body of the last response is the caller's, not discarded.
            await c.read(response)
    assert response.status_code == 503
    assert response.content == b"failed"
    assert len(srv.hits) == 3


async def test_a_status_outside_the_forcelist_is_returned_at_once(driver):
    with FlakyServer([(500, {})]) as srv:
        async with driver.client(transport=driver.http_transport(retries=quick())) as c:
            response = await c.get(srv.url + "/")
    assert response.status_code == 500
    assert len(srv.hits) == 1
    with FlakyServer([(500, {}), (500, {})]) as srv:
        retry = quick(status_forcelist=[500])
        async with driver.client(transport=driver.http_transport(retries=retry)) as c:
            response = await c.get(srv.url + "/")
    assert response.status_code == 200
    assert len(srv.hits) == 3


async def test_post_is_not_retried_after_the_server_saw_it(driver):
    with FlakyServer([UNAVAILABLE]) as srv:
        async with driver.client(transport=driver.http_transport(retries=quick())) as c:
            response = await c.post(srv.url + "/", content=b"order #1")
    assert response.status_code == 503
    assert len(srv.hits) == 1


async def test_allowed_methods_none_retries_every_method_with_the_same_body(driver):
    with FlakyServer([UNAVAILABLE]) as srv:
        retry = quick(allowed_methods=None)
        async with driver.client(transport=driver.http_transport(retries=retry)) as c:
            response = await c.post(srv.url + "/", content=b"order #1")
    assert response.status_code == 200
    assert [(h.method, h.body) for h in srv.hits] == [("POST", b"order #1")] * 2


async def test_a_one_shot_body_is_never_sent_twice(driver):
    with FlakyServer([UNAVAILABLE]) as srv:
        retry = quick(allowed_methods=None)
        async with driver.client(transport=driver.http_transport(retries=retry)) as c:
            response = await c.post(srv.url + "/", content=driver.iter_content(b"one", b"-shot"))
    assert response.status_code == 503
    assert [h.body for h in srv.hits] == [b"one-shot"]


async def test_a_retry_after_longer_than_the_cap_returns_the_response(driver):
    with FlakyServer([(503, {"Retry-After": "3600"})]) as srv:
        retry = quick(retry_after_max=5)
        async with driver.client(transport=driver.http_transport(retries=retry)) as c:
            started = time.monotonic()
            response = await c.get(srv.url + "/")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "3600"
    assert time.monotonic() - started < 2
    assert len(srv.hits) == 1


async def test_a_reset_connection_is_retried_for_get_not_for_post(driver):
    with FlakyServer(["reset"]) as srv:
        async with driver.client(transport=driver.http_transport(retries=quick())) as c:
            response = await c.get(srv.url + "/")
    assert response.status_code == 200
    assert len(srv.hits) == 2
    with FlakyServer(["reset"]) as srv:
        async with driver.client(transport=driver.http_transport(retries=quick())) as c:
            with pytest.raises((httprs.ReadError, httprs.RemoteProtocolError)):
                await c.post(srv.url + "/", content=b"x")
    assert len(srv.hits) == 1


async def test_a_server_closing_without_answering_is_retried(driver):
    with FlakyServer(["close", "close"]) as srv:
        async with driver.client(transport=driver.http_transport(retries=quick())) as c:
            response = await c.get(srv.url + "/")
    assert response.status_code == 200
    assert len(srv.hits) == 3


def listen_later(port: int, delay: float) -> threading.Thread:
    """Start a FlakyServer-like listener on ``port`` after ``delay`` seconds: connections to
    the port are refused until then."""

    def run():
        time.sleep(delay)
        with socket.socket() as listener:
            listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listener.bind(("127.0.0.1", port))
            listener.listen(1)
            listener.settimeout(10)
            conn, _ = listener.accept()
            with conn:
                while b"\r\n\r\n" not in conn.recv(65536):
                    pass
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nup")

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


async def test_connection_refused_is_retried_for_any_method(driver):
    port = closed_port()
    server = listen_later(port, 0.3)
    retry = quick(total=8, backoff_factor=0.1, backoff_max=0.2)
    async with driver.client(transport=driver.http_transport(retries=retry)) as c:
        # A POST may go again: nothing reached the server.
        response = await c.post(f"http://127.0.0.1:{port}/", content=b"x")
    server.join(5)
    assert response.status_code == 200
    assert response.content == b"up"


async def test_connection_refused_raises_once_retries_run_out(driver, closed_url):
    retry = quick(total=2, backoff_factor=0.1)
    async with driver.client(transport=driver.http_transport(retries=retry)) as c:
        started = time.monotonic()
        with pytest.raises(httprs.ConnectError):
            await c.get(closed_url)
    # 0.1 s, then 0.2 s.
    assert time.monotonic() - started >= 0.28


async def test_retries_int_keeps_httpx_meaning_connection_failures_only(driver):
    with FlakyServer([UNAVAILABLE]) as srv:
        async with driver.client(transport=driver.http_transport(retries=3)) as c:
            response = await c.get(srv.url + "/")
    assert response.status_code == 503
    assert len(srv.hits) == 1
    with FlakyServer(["reset"]) as srv:
        async with driver.client(transport=driver.http_transport(retries=3)) as c:
            with pytest.raises((httprs.ReadError, httprs.RemoteProtocolError)):
                await c.get(srv.url + "/")
    assert len(srv.hits) == 1


async def test_a_transport_called_directly_retries_too(driver):
    """What a custom transport (or the httpx adapter) gets when it calls the network
    transport itself."""
    with FlakyServer([UNAVAILABLE]) as srv:
        transport = driver.http_transport(retries=quick())
        request = httprs.Request("GET", srv.url + "/direct")
        response = await driver.handle_request(transport, request)
    assert response.status_code == 200
    assert len(srv.hits) == 2


async def test_mounts_carry_their_transport_s_policy(driver):
    with FlakyServer([UNAVAILABLE]) as srv, FlakyServer([UNAVAILABLE]) as other:
        mounts = {srv.url: driver.http_transport(retries=quick())}
        async with driver.client(mounts=mounts) as c:
            retried = await c.get(srv.url + "/")
            plain = await c.get(other.url + "/")
    assert (retried.status_code, len(srv.hits)) == (200, 2)
    assert (plain.status_code, len(other.hits)) == (503, 1)


async def test_each_retry_is_logged_at_debug(driver, caplog):
    caplog.set_level(logging.DEBUG, logger="httprs")
    with FlakyServer([(503, {"Retry-After": "0"}), (429, {})]) as srv:
        retry = quick(total=4, backoff_factor=0.01)
        async with driver.client(transport=driver.http_transport(retries=retry)) as c:
            await c.get(srv.url + "/r")
    messages = [r.getMessage() for r in caplog.records if r.name == "httprs"]
    retries = [m for m in messages if m.startswith("retry.")]
    request = f"GET {srv.url}/r"
    assert retries == [
        f"retry.waiting request='{request}' reason='HTTP/1.1 503 Service Unavailable' "
        "retry=1 total=4 delay=0.000",
        f"retry.waiting request='{request}' reason='HTTP/1.1 429 Too Many Requests' "
        "retry=2 total=4 delay=0.020",
    ]
    # httpx's INFO line is written once, for the response the caller gets.
    assert [m for m in messages if m.startswith("HTTP Request")] == [
        f'HTTP Request: GET {srv.url}/r "HTTP/1.1 200 OK"'
    ]


# --- the wait does not block the event loop, and cancelling it stops the retries ------------


@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_the_wait_leaves_the_event_loop_free_and_cancels(anyio_backend):
    with FlakyServer([(503, {"Retry-After": "1"})] * 5) as srv:
        transport = httprs.AsyncHTTPTransport(retries=httprs.Retry(total=5))
        async with httprs.AsyncClient(transport=transport) as c:
            ticks = 0

            async def tick():
                nonlocal ticks
                while True:
                    await anyio.sleep(0.02)
                    ticks += 1

            async with anyio.create_task_group() as tg:
                tg.start_soon(tick)
                with anyio.move_on_after(0.5):
                    await c.get(srv.url + "/")
                tg.cancel_scope.cancel()
            assert len(srv.hits) == 1
            # The retry would have come by now: the cancelled request is not retried.
            await anyio.sleep(1.2)
            assert len(srv.hits) == 1, "a cancelled request was retried"
    assert ticks >= 10


# --- the Retry object ------------------------------------------------------------------------


def test_retry_defaults_and_repr():
    retry = httprs.Retry()
    assert retry.total == 3
    assert retry.backoff_factor == 0.5
    assert retry.backoff_max == 60.0
    assert retry.jitter == 0.5
    assert retry.status_forcelist == (429, 502, 503, 504)
    assert retry.allowed_methods == ("DELETE", "GET", "HEAD", "OPTIONS", "PUT", "TRACE")
    assert retry.respect_retry_after is True
    assert retry.retry_after_max == 60.0
    assert repr(retry) == (
        "Retry(total=3, backoff_factor=0.5, backoff_max=60.0, jitter=0.5, "
        "status_forcelist=(429, 502, 503, 504), allowed_methods=('DELETE', 'GET', 'HEAD', "
        "'OPTIONS', 'PUT', 'TRACE'), respect_retry_after=True, retry_after_max=60.0)"
    )
    assert repr(httprs.Retry(2, allowed_methods=None, backoff_max=None)).startswith(
        "Retry(total=2, backoff_factor=0.5, backoff_max=None,"
    )


def test_retry_methods_are_upper_cased_and_compared_equal():
    retry = httprs.Retry(allowed_methods=["get", "Post"], status_forcelist={503})
    assert retry.allowed_methods == ("GET", "POST")
    assert retry == httprs.Retry(allowed_methods=("GET", "POST"), status_forcelist=[503])
    assert retry != httprs.Retry()


def test_retry_copies_and_pickles():
    retry = httprs.Retry(5, backoff_factor=1, jitter=0.25, allowed_methods=None)
    assert copy.copy(retry) == retry
    assert pickle.loads(pickle.dumps(retry)) == retry


def test_retry_backoff():
    retry = httprs.Retry(backoff_factor=0.5, backoff_max=3, jitter=0)
    assert [retry.backoff(n) for n in (1, 2, 3, 4, 5)] == [0.5, 1.0, 2.0, 3.0, 3.0]
    jittered = httprs.Retry(backoff_factor=1, jitter=1)
    assert all(0 <= jittered.backoff(3) <= 4 for _ in range(50))


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"total": -1}, ValueError, "total must be >= 0"),
        ({"total": "3"}, TypeError, "total must be an int"),
        ({"total": None}, TypeError, "total must be an int"),
        ({"backoff_factor": -0.1}, ValueError, "backoff_factor"),
        ({"backoff_factor": "1"}, TypeError, "backoff_factor"),
        ({"jitter": 1.5}, ValueError, "jitter must be a number from 0 to 1"),
        ({"status_forcelist": [999]}, ValueError, "999 is not an HTTP status code"),
        ({"status_forcelist": ["503"]}, TypeError, "status_forcelist must hold status codes"),
        ({"status_forcelist": 503}, TypeError, "status_forcelist must be a collection"),
        ({"allowed_methods": "GET"}, TypeError, "allowed_methods must be a collection"),
        ({"allowed_methods": [1]}, TypeError, "allowed_methods must hold method names"),
        ({"retry_after_max": float("nan")}, ValueError, "retry_after_max"),
    ],
)
def test_retry_arguments_are_checked(kwargs, error, words):
    with pytest.raises(error, match=words):
        httprs.Retry(**kwargs)


@pytest.mark.parametrize("cls", [httprs.HTTPTransport, httprs.AsyncHTTPTransport])
def test_transport_retries_argument_is_checked(cls):
    with pytest.raises(TypeError, match="retries must be an int or an httprs.Retry"):
        cls(retries="3")
    with pytest.raises(TypeError, match="retries must be an int or an httprs.Retry"):
        cls(retries=True)
    with pytest.raises(ValueError, match="retries must be >= 0"):
        cls(retries=-1)


# --- under httpx's own client, through httprs.compat.httpx -----------------------------------


def test_a_retry_policy_works_under_an_httpx_client():
    import httpx
    from httprs.compat.httpx import HTTPTransport

    with FlakyServer([UNAVAILABLE, "reset"]) as srv:
        transport = HTTPTransport(retries=quick())
        with httpx.Client(transport=transport) as client:
            response = client.get(srv.url + "/sdk")
    assert isinstance(response, httpx.Response)
    assert (response.status_code, response.text) == (200, "ok")
    assert len(srv.hits) == 3


@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_a_retry_policy_works_under_an_httpx_async_client(anyio_backend):
    import httpx
    from httprs.compat.httpx import AsyncHTTPTransport

    with FlakyServer([(429, {"Retry-After": "0"})]) as srv:
        transport = AsyncHTTPTransport(retries=quick(allowed_methods=None))
        async with httpx.AsyncClient(transport=transport) as client:
            response = await client.post(srv.url + "/sdk", json={"n": 1})
    assert response.status_code == 200
    assert [h.body for h in srv.hits] == [b'{"n":1}'] * 2
