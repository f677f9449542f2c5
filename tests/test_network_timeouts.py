"""Timeouts as in httpx 0.28.1 against the test app's ``/slow`` and ``/slow-body`` endpoints.

``/slow?delay=D`` answers after D seconds; ``/slow-body?delay=D&chunks=N`` sends the headers at
once, then N chunks, D seconds apart. httpx's read timeout applies to each read (not to the
whole response). Margins are wide; the measured times are in the assertion messages. The pool
timeout is covered in test_network_limits.py. Every test runs on ``sync``, ``async-asyncio``
and ``async-trio`` (tests/drivers.py).
"""

from __future__ import annotations

import time

import httprs
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401

pytestmark = pytest.mark.anyio


class Stopwatch:
    def __enter__(self):
        self.start = time.monotonic()
        self.elapsed = None
        return self

    def __exit__(self, *exc_info):
        self.elapsed = time.monotonic() - self.start

    def __str__(self) -> str:
        return f"elapsed {self.elapsed:.3f}s"


async def raises(exc_type, awaitable):
    """Await ``awaitable`` expecting ``exc_type``: return ``(exception, elapsed seconds)``.

    If it completes instead, fail with the time it took (pytest.raises would not say).
    """
    start = time.monotonic()
    try:
        await awaitable
    except exc_type as exc:
        return exc, time.monotonic() - start
    elapsed = time.monotonic() - start
    pytest.fail(f"DID NOT RAISE {exc_type.__name__}: completed after {elapsed:.3f}s")


@pytest.mark.parametrize(
    "timeout",
    [httprs.Timeout(5.0, read=0.3), httprs.Timeout(0.3)],
    ids=["read=0.3", "all=0.3"],
)
async def test_read_timeout_waiting_for_the_response(driver, server, timeout):
    async with driver.client(timeout=timeout) as c:
        exc, elapsed = await raises(httprs.ReadTimeout, c.get(server.url + "/slow?delay=2"))
    assert 0.25 <= elapsed < 1.5, f"elapsed {elapsed:.3f}s"
    assert isinstance(exc, httprs.TimeoutException)
    assert isinstance(exc, httprs.TransportError)


async def test_no_timeout_waits(driver, server):
    async with driver.client(timeout=None) as c:
        with Stopwatch() as sw:
            response = await c.get(server.url + "/slow?delay=0.5")
    assert response.status_code == 200
    assert response.text == "ok"
    assert sw.elapsed >= 0.45, sw


async def test_per_request_timeout_none_overrides_the_client(driver, server):
    async with driver.client(timeout=0.2) as c:
        response = await c.get(server.url + "/slow?delay=0.5", timeout=None)
        assert response.status_code == 200
        # The client's timeout still applies to other requests.
        await raises(httprs.ReadTimeout, c.get(server.url + "/slow?delay=2"))


async def test_per_request_longer_timeout(driver, server):
    async with driver.client(timeout=0.2) as c:
        response = await c.get(server.url + "/slow?delay=0.5", timeout=5.0)
    assert response.status_code == 200


async def test_per_request_shorter_timeout(driver, server):
    async with driver.client(timeout=5.0) as c:
        _, elapsed = await raises(
            httprs.ReadTimeout,
            c.get(server.url + "/slow?delay=2", timeout=httprs.Timeout(5.0, read=0.3)),
        )
        assert 0.25 <= elapsed < 1.5, f"elapsed {elapsed:.3f}s"
        # The client is still usable afterwards.
        response = await c.get(server.url + "/echo")
        assert response.status_code == 200


async def test_read_timeout_while_reading_the_body(driver, server):
    # Headers at once, then no data for 1 s: the read timeout (0.2 s) fires while iterating,
    # long before the 1 s default would.
    async with driver.client(timeout=httprs.Timeout(1.0, read=0.2)) as c:
        async with c.stream("GET", server.url + "/slow-body?delay=1.0&chunks=2") as response:
            assert response.status_code == 200
            _, elapsed = await raises(httprs.ReadTimeout, c.read(response))
    assert 0.15 <= elapsed < 0.9, f"elapsed {elapsed:.3f}s"


async def test_read_timeout_applies_to_each_read_not_the_whole_body(driver, server):
    # 3 chunks 0.25 s apart: 0.75 s in total, but no single read waits more than ~0.25 s.
    async with driver.client(timeout=0.6) as c:
        with Stopwatch() as sw:
            response = await c.get(server.url + "/slow-body?delay=0.25&chunks=3")
    assert response.status_code == 200
    assert response.text == "chunk0\nchunk1\nchunk2\n"
    assert sw.elapsed >= 0.7, sw


async def test_streamed_chunks_arrive_within_the_read_timeout(driver, server):
    async with driver.client(timeout=httprs.Timeout(5.0, read=0.6)) as c:
        async with c.stream("GET", server.url + "/slow-body?delay=0.2&chunks=2") as response:
            body = b"".join(await c.iter_bytes(response))
    assert body == b"chunk0\nchunk1\n"
