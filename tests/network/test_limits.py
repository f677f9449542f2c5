"""Connection-pool limits as in httpx 0.28.1: ``Limits(max_connections=...,
max_keepalive_connections=..., keepalive_expiry=...)`` and the pool timeout.

The server is uvicorn serving a :class:`tests.support.servers.asgi.RecordingApp`: every
request carries a unique ``tag=`` and the app records, for that tag, the client port of each
request and the peak number of requests / connections in flight at once; or, to count the
connections themselves (every accept, and how many are open at once), a
:class:`tests.support.servers.counting.CountingServer`. Every test runs on
``sync`` (threads for concurrency), ``async-asyncio`` and ``async-trio``
(tests/drivers.py). Timings have wide margins; the measured values are in the assertion
messages.
"""

from __future__ import annotations

import time

import anyio
import httprs
import pytest

from tests.drivers import (  # noqa: F401
    anyio_backend_fixture,
    driver_fixture,
    get_concurrently,
    get_in_workers,
    variant_fixture,
)
from tests.support.servers.asgi import RecordingApp
from tests.support.servers.counting import CountingServer

pytestmark = pytest.mark.anyio


@pytest.fixture
def tag():
    return RecordingApp.new_tag()


@pytest.fixture
def counting_server():
    with CountingServer() as srv:
        yield srv


async def test_max_connections_caps_concurrent_connections(driver, recording_server, tag):
    urls = [recording_server.url + f"/slow?delay=0.3&tag={tag}&n={i}" for i in range(6)]
    limits = httprs.Limits(max_connections=2)
    async with driver.client(limits=limits, timeout=10) as c:
        start = time.monotonic()
        responses = await get_concurrently(driver, c, urls)
        elapsed = time.monotonic() - start
    assert [r.status_code for r in responses] == [200] * 6
    assert [r.headers["x-echo-query"] for r in responses] == [u.split("?")[1] for u in urls]
    stats = recording_server.app.stats(tag)
    assert stats.max_connections == 2, stats
    assert stats.max_in_flight == 2, stats
    # Three batches of 0.3 s.
    assert 0.85 <= elapsed < 5, f"elapsed {elapsed:.3f}s"


async def test_enough_connections_run_all_requests_at_once(driver, recording_server, tag):
    urls = [recording_server.url + f"/slow?delay=0.3&tag={tag}&n={i}" for i in range(6)]
    async with driver.client(limits=httprs.Limits(max_connections=6), timeout=10) as c:
        responses = await get_concurrently(driver, c, urls)
    assert [r.status_code for r in responses] == [200] * 6
    stats = recording_server.app.stats(tag)
    assert stats.max_in_flight == 6, stats
    assert len(set(stats.ports)) == 6, stats.ports


async def test_pool_timeout_while_the_only_connection_is_held(driver, recording_server, tag):
    limits = httprs.Limits(max_connections=1)
    timeout = httprs.Timeout(5.0, pool=0.2)
    async with driver.client(limits=limits, timeout=timeout) as c:
        url = recording_server.url + f"/slow-body?delay=0.1&chunks=2&tag={tag}"
        async with c.stream("GET", url) as response:
            # Headers received, body not read: the connection stays checked out.
            assert response.status_code == 200
            start = time.monotonic()
            with pytest.raises(httprs.PoolTimeout):
                await c.get(recording_server.url + f"/echo?tag={tag}")
            elapsed = time.monotonic() - start
            assert 0.15 <= elapsed < 2, f"elapsed {elapsed:.3f}s"
        # Once the streamed response is closed, the connection is free again.
        response = await c.get(recording_server.url + f"/echo?tag={tag}")
        assert response.status_code == 200
    # The request that timed out in the pool never reached the server.
    assert len(recording_server.app.stats(tag).clients) == 2


async def test_pool_timeout_per_request(driver, recording_server, tag):
    limits = httprs.Limits(max_connections=1)
    async with driver.client(limits=limits, timeout=5.0) as c:
        url = recording_server.url + f"/slow-body?delay=0.1&chunks=2&tag={tag}"
        async with c.stream("GET", url):
            start = time.monotonic()
            with pytest.raises(httprs.PoolTimeout):
                await c.get(recording_server.url + "/echo", timeout=httprs.Timeout(5.0, pool=0.2))
            elapsed = time.monotonic() - start
    assert 0.15 <= elapsed < 2, f"elapsed {elapsed:.3f}s"


@pytest.mark.parametrize("max_connections", [1, 2])
async def test_queued_requests_reuse_the_released_connections(
    driver, recording_server, tag, max_connections
):
    # Requests queued for the pool wait (no pool timeout) and then get a released
    # connection: httpx keeps it alive and reuses it rather than opening a new one.
    n = 3 * max_connections
    urls = [recording_server.url + f"/slow?delay=0.1&tag={tag}&n={i}" for i in range(n)]
    limits = httprs.Limits(max_connections=max_connections)
    async with driver.client(limits=limits, timeout=10) as c:
        responses = await get_concurrently(driver, c, urls)
    assert [r.status_code for r in responses] == [200] * n
    stats = recording_server.app.stats(tag)
    assert stats.max_in_flight == max_connections, stats
    assert len(set(stats.ports)) == max_connections, stats.ports


async def test_requests_queued_for_the_connections_the_limit_allows_reuse_them(
    driver, counting_server
):
    # 40 requests at once, 4 connections allowed: the first 4 open them, the other 36 wait
    # and each gets one of those 4 as it is freed. Never a fifth, even for a moment.
    urls = [counting_server.url + f"/?delay=0.05&n={i}" for i in range(40)]
    async with driver.client(limits=httprs.Limits(max_connections=4), timeout=10) as c:
        responses = await get_concurrently(driver, c, urls)
    assert [r.status_code for r in responses] == [200] * 40
    assert counting_server.requests == 40
    assert counting_server.accepted == 4
    assert counting_server.peak_open == 4


async def test_a_keepalive_limit_below_the_load_does_not_churn_connections(driver, counting_server):
    # 8 workers, each sending requests one after the other, on 8 connections of which only 2
    # may stay idle: the connection a worker frees is the next request's, not closed because
    # 2 others happen to be idle at that instant (httpx opens a connection for most requests
    # here). At most the 8 that the limit allows are ever made.
    limits = httprs.Limits(max_connections=8, max_keepalive_connections=2)
    async with driver.client(limits=limits, timeout=10) as c:
        codes = await get_in_workers(driver, c, counting_server.url, workers=8, each=25)
    assert codes == [200] * 200
    assert counting_server.requests == 200
    assert counting_server.accepted <= 8, counting_server.accepted
    assert counting_server.peak_open <= 8, counting_server.peak_open


async def test_idle_connections_beyond_the_keepalive_limit_close_after_a_second(
    driver, counting_server
):
    # A burst of 6 opens 6 connections; once they have stayed idle for a second, all but
    # the 2 the keep-alive limit allows are closed (the last requests keep one in use).
    limits = httprs.Limits(max_connections=6, max_keepalive_connections=2)
    urls = [counting_server.url + f"/?delay=0.1&n={i}" for i in range(6)]
    async with driver.client(limits=limits, timeout=10) as c:
        await get_concurrently(driver, c, urls)
        assert counting_server.accepted == 6
        deadline = time.monotonic() + 10
        while counting_server.open > 2 and time.monotonic() < deadline:
            # The sync client's runtime runs while a request waits: these drive it.
            await c.get(counting_server.url)
            await anyio.sleep(0.1)
        assert counting_server.open <= 2, counting_server.open
        assert counting_server.accepted == 6


async def test_an_idle_connection_to_another_origin_makes_room(driver, counting_server):
    # One connection allowed, idle to another server: it is closed for this request's, as in
    # httpx, rather than the request waiting for the keep-alive expiry.
    with CountingServer() as other:
        limits = httprs.Limits(max_connections=1, keepalive_expiry=30)
        async with driver.client(limits=limits, timeout=httprs.Timeout(5, pool=2)) as c:
            assert (await c.get(other.url)).status_code == 200
            assert (await c.get(counting_server.url)).status_code == 200
            assert (await c.get(other.url)).status_code == 200
        assert (other.accepted, counting_server.accepted) == (2, 1)
        assert other.peak_open == counting_server.peak_open == 1


async def test_keepalive_reuses_one_connection(driver, recording_server, tag):
    async with driver.client() as c:
        for _ in range(3):
            response = await c.get(recording_server.url + f"/echo?tag={tag}")
            assert response.status_code == 200
    ports = recording_server.app.stats(tag).ports
    assert len(set(ports)) == 1, ports


async def test_max_keepalive_connections_zero_opens_a_connection_per_request(
    driver, recording_server, tag
):
    limits = httprs.Limits(max_keepalive_connections=0)
    async with driver.client(limits=limits) as c:
        for _ in range(3):
            response = await c.get(recording_server.url + f"/echo?tag={tag}")
            assert response.status_code == 200
    ports = recording_server.app.stats(tag).ports
    assert len(ports) == 3
    assert len(set(ports)) == 3, ports


async def test_keepalive_expiry_closes_idle_connections(driver, recording_server, tag):
    limits = httprs.Limits(keepalive_expiry=0.2)
    async with driver.client(limits=limits) as c:
        await c.get(recording_server.url + f"/echo?tag={tag}")
        await anyio.sleep(0.5)
        await c.get(recording_server.url + f"/echo?tag={tag}")
    ports = recording_server.app.stats(tag).ports
    assert len(ports) == 2
    assert ports[0] != ports[1], ports


async def test_keepalive_within_expiry_reuses_the_connection(driver, recording_server, tag):
    limits = httprs.Limits(keepalive_expiry=3.0)
    async with driver.client(limits=limits) as c:
        await c.get(recording_server.url + f"/echo?tag={tag}")
        await anyio.sleep(0.3)
        await c.get(recording_server.url + f"/echo?tag={tag}")
    ports = recording_server.app.stats(tag).ports
    assert ports[0] == ports[1], ports
