"""`httprs.AsyncClient` under concurrency and cancellation, on asyncio and trio.

(a) Many requests in flight at once finish in about the time of one, and the event loop is
    never blocked meanwhile (a ticker task keeps ticking).
(b) Cancelling a request (timeout scopes, ``task.cancel()``, ``asyncio.wait_for``) raises the
    loop's own cancellation and frees its connection: after 1000 cancellations on a client
    with ``max_connections=1`` the next request still gets the connection at once, and no
    sockets leak.

NOTE on httpx 0.28.1 (the reference, run through the shim of tests/README.md): with httpcore
1.0.9 it passes the *sequential* cancellation tests (one request in flight, cancelled, 1000
times), but it FAILS ``test_cancelling_queued_requests_frees_the_connection``: when requests
waiting for the only connection slot are cancelled, its pool can lose the slot for good and
the next request raises ``PoolTimeout`` after the 5 s pool timeout (encode/httpcore#1093,
"cancelling requests under pool contention permanently leaks connection slots"; the family of
encode/httpx#1461 and #2139). That failure is timing-dependent in httpx (seen in ~9 runs out
of 10, on either backend); the same race occasionally (~1 run in 5) also makes httpx fail
``test_cancellations_free_the_connection_asyncio_native``. httprs must pass every time.
"""

import asyncio
import contextlib
import time

import anyio
import httprs
import pytest
import trio

from tests.support.fds import needs_proc_fd, open_fds, settle_fds

pytestmark = [pytest.mark.network, pytest.mark.anyio]

CONCURRENT = 100
DELAY = 0.5
CANCELLATIONS = 1000
# Backend-specific cancellation styles repeat fewer times (each cancellation costs ~10 ms).
NATIVE_CANCELLATIONS = 200
QUEUED_ROUNDS = 100
STREAM_CANCELLATIONS = 100
FD_SLACK = 10


class Ticker:
    """A task sleeping 50 ms in a loop: it only ticks while the event loop is free."""

    def __init__(self) -> None:
        self.times: list[float] = []

    async def run(self) -> None:
        while True:
            await anyio.sleep(0.05)
            self.times.append(time.monotonic())

    def max_gap(self, start: float) -> float:
        stamps = [start, *self.times]
        return max(b - a for a, b in zip(stamps, stamps[1:], strict=False))


def check_results(results: dict, count: int) -> None:
    assert sorted(results) == list(range(count))
    for i, (status, text, echoed) in results.items():
        assert status == 200
        assert text == "ok"
        # Each response belongs to its own request.
        assert echoed == f"delay={DELAY}&i={i}"


# --- (a) many requests at once ------------------------------------------------------------


async def test_concurrent_requests_do_not_block_the_loop(server):
    results: dict[int, tuple[int, str, str]] = {}
    ticker = Ticker()

    async with httprs.AsyncClient() as client:

        async def fetch(i: int) -> None:
            r = await client.get(server.url + "/slow", params={"delay": DELAY, "i": i})
            results[i] = (r.status_code, r.text, r.headers["x-echo-query"])

        async with anyio.create_task_group() as outer:
            outer.start_soon(ticker.run)
            start = time.monotonic()
            async with anyio.create_task_group() as tg:
                for i in range(CONCURRENT):
                    tg.start_soon(fetch, i)
            elapsed = time.monotonic() - start
            outer.cancel_scope.cancel()

    check_results(results, CONCURRENT)
    # Serially this would take 100 * 0.5 = 50 s.
    assert elapsed < 10
    # The loop stayed free: ~0.5 s of waiting is ~10 ticks of 50 ms.
    assert len(ticker.times) >= 5
    assert ticker.max_gap(start) < DELAY


async def test_concurrent_requests_with_the_native_api(server, anyio_backend):
    """The same with ``asyncio.gather`` / a trio nursery instead of anyio."""
    results: dict[int, tuple[int, str, str]] = {}
    ticker = Ticker()

    async with httprs.AsyncClient() as client:

        async def fetch(i: int) -> None:
            r = await client.get(server.url + "/slow", params={"delay": DELAY, "i": i})
            results[i] = (r.status_code, r.text, r.headers["x-echo-query"])

        start = time.monotonic()
        if anyio_backend == "asyncio":
            ticking = asyncio.ensure_future(ticker.run())
            try:
                await asyncio.gather(*(fetch(i) for i in range(CONCURRENT)))
            finally:
                ticking.cancel()
        else:
            async with trio.open_nursery() as ticking:
                ticking.start_soon(ticker.run)
                async with trio.open_nursery() as nursery:
                    for i in range(CONCURRENT):
                        nursery.start_soon(fetch, i)
                ticking.cancel_scope.cancel()
        elapsed = time.monotonic() - start

    check_results(results, CONCURRENT)
    assert elapsed < 10
    assert len(ticker.times) >= 5


async def test_concurrent_streams(server):
    sizes: dict[int, int] = {}

    async with httprs.AsyncClient() as client:

        async def fetch(i: int) -> None:
            size = 100_000 + i
            async with client.stream("GET", server.url + "/bytes", params={"size": size}) as r:
                sizes[i] = sum([len(chunk) async for chunk in r.aiter_bytes(4096)])

        async with anyio.create_task_group() as tg:
            for i in range(20):
                tg.start_soon(fetch, i)

    assert sizes == {i: 100_000 + i for i in range(20)}


# --- (b) cancellation ------------------------------------------------------------------


async def test_cancellation_raises_the_loops_own_exception(server):
    caught: list[BaseException] = []
    async with httprs.AsyncClient() as client:
        start = time.monotonic()
        with anyio.move_on_after(0.1) as scope:
            try:
                await client.get(server.url + "/slow?delay=5")
            except BaseException as exc:
                caught.append(exc)
                raise
        assert time.monotonic() - start < 2
        assert scope.cancelled_caught
        (exc,) = caught
        # asyncio.CancelledError on asyncio, trio.Cancelled on trio; not an httprs error.
        assert isinstance(exc, anyio.get_cancelled_exc_class())
        assert not isinstance(exc, httprs.HTTPError)
        assert (await client.get(server.url + "/echo")).status_code == 200


async def test_fail_after_raises_timeout_error(server):
    async with httprs.AsyncClient() as client:
        with pytest.raises(TimeoutError):
            with anyio.fail_after(0.1):
                await client.get(server.url + "/slow?delay=5")
        assert (await client.get(server.url + "/echo")).status_code == 200


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_asyncio_task_cancel_raises_cancelled_error(server, anyio_backend):
    async with httprs.AsyncClient() as client:
        task = asyncio.ensure_future(client.get(server.url + "/slow?delay=5"))
        await asyncio.sleep(0.1)
        assert not task.done()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert task.cancelled()
        # asyncio.wait_for turns the cancellation into TimeoutError.
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(client.get(server.url + "/slow?delay=5"), 0.1)
        assert (await client.get(server.url + "/echo")).status_code == 200


@pytest.mark.parametrize("anyio_backend", ["trio"])
async def test_trio_cancel_scope(server, anyio_backend):
    caught: list[BaseException] = []
    async with httprs.AsyncClient() as client:
        with trio.move_on_after(0.1) as scope:
            try:
                await client.get(server.url + "/slow?delay=5")
            except BaseException as exc:
                caught.append(exc)
                raise
        assert scope.cancelled_caught
        (exc,) = caught
        assert isinstance(exc, trio.Cancelled)
        assert (await client.get(server.url + "/echo")).status_code == 200


@contextlib.asynccontextmanager
async def one_connection_client(server):
    """A client with a single connection slot, used once. At the end of the block (unless it
    raised) the slot must be free at once (the pool timeout is 5 s) and no socket leaked."""
    async with httprs.AsyncClient(limits=httprs.Limits(max_connections=1)) as client:
        assert (await client.get(server.url + "/echo")).status_code == 200
        baseline = open_fds()
        yield client
        start = time.monotonic()
        response = await client.get(server.url + "/echo")
        elapsed = time.monotonic() - start
        assert response.status_code == 200
        assert elapsed < 2
        assert await settle_fds(baseline + FD_SLACK) <= baseline + FD_SLACK


@needs_proc_fd
async def test_cancellations_free_the_connection(server):
    async with one_connection_client(server) as client:
        for _ in range(CANCELLATIONS):
            with anyio.move_on_after(0.01) as scope:
                await client.get(server.url + "/slow?delay=5")
            assert scope.cancelled_caught


@needs_proc_fd
async def test_cancellations_free_the_connection_while_streaming(server):
    async with one_connection_client(server) as client:
        for _ in range(STREAM_CANCELLATIONS):
            with anyio.move_on_after(0.02) as scope:
                async with client.stream("GET", server.url + "/slow-body?delay=5") as r:
                    await r.aread()
            assert scope.cancelled_caught


@needs_proc_fd
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
async def test_cancellations_free_the_connection_asyncio_native(server, anyio_backend):
    """``asyncio.wait_for`` timeouts and ``task.cancel()``, alternately."""
    async with one_connection_client(server) as client:
        for i in range(NATIVE_CANCELLATIONS):
            if i % 2:
                with pytest.raises(TimeoutError):
                    await asyncio.wait_for(client.get(server.url + "/slow?delay=5"), 0.01)
            else:
                task = asyncio.ensure_future(client.get(server.url + "/slow?delay=5"))
                await asyncio.sleep(0.01)
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task


@needs_proc_fd
@pytest.mark.parametrize("anyio_backend", ["trio"])
async def test_cancellations_free_the_connection_trio_native(server, anyio_backend):
    """``trio.move_on_after``."""
    async with one_connection_client(server) as client:
        for _ in range(NATIVE_CANCELLATIONS):
            with trio.move_on_after(0.01) as scope:
                await client.get(server.url + "/slow?delay=5")
            assert scope.cancelled_caught


@needs_proc_fd
async def test_cancelling_queued_requests_frees_the_connection(server):
    # httpx 0.28.1 FAILS this one (PoolTimeout on the final request): see the module docstring.
    # Each round starts 10 requests at once on the single connection slot: one is sent, the
    # others wait for the slot; their deadlines are staggered so that requests get cancelled
    # while queued, while being handed the slot, and while on the wire.
    async with one_connection_client(server) as client:
        completed = 0

        async def one(deadline: float) -> None:
            nonlocal completed
            with anyio.move_on_after(deadline):
                await client.get(server.url + "/slow?delay=0.01")
                completed += 1

        for round_ in range(QUEUED_ROUNDS):
            step = (0.001, 0.002, 0.003, 0.005)[round_ % 4]
            async with anyio.create_task_group() as tg:
                for k in range(10):
                    tg.start_soon(one, step * (k + 1))
        # Some requests got through, so the schedule really did mix both outcomes.
        assert 0 < completed < QUEUED_ROUNDS * 10
