"""`httprs.AsyncClient` across event loops: plain sync tests that start the loops themselves
(``asyncio.run`` / ``trio.run``), one after another in the same process, and in a fresh one."""

import asyncio
import gc
import os
import subprocess
import sys
import textwrap
import warnings

import anyio
import httprs
import pytest
import trio

from tests.support.fds import (
    needs_proc_fd,
    open_fds,
    settle_fds,
    settle_fds_sync,
    steady_fds,
    steady_fds_sync,
)

pytestmark = pytest.mark.network

RUNNERS = ["asyncio", "trio"]


def run(runner: str, func, *args):
    """Run ``await func(*args)`` in a brand-new event loop of the given kind."""
    if runner == "asyncio":
        return asyncio.run(func(*args))
    return trio.run(func, *args)


async def get_echo(url: str, tag: str) -> tuple[int, str]:
    async with httprs.AsyncClient() as client:
        response = await client.get(url + "/echo", params={"loop": tag})
        return response.status_code, response.json()["query"]


def test_asyncio_run_twice(server):
    assert asyncio.run(get_echo(server.url, "a1")) == (200, "loop=a1")
    assert asyncio.run(get_echo(server.url, "a2")) == (200, "loop=a2")


def test_trio_run_twice(server):
    assert trio.run(get_echo, server.url, "t1") == (200, "loop=t1")
    assert trio.run(get_echo, server.url, "t2") == (200, "loop=t2")


def test_alternating_event_loops(server):
    for i, runner in enumerate(["asyncio", "trio", "asyncio", "trio"]):
        assert run(runner, get_echo, server.url, f"{runner}{i}") == (200, f"loop={runner}{i}")


@pytest.mark.parametrize("runner", RUNNERS)
def test_client_created_outside_the_loop(server, runner):
    # A client may be built in sync code (e.g. at import time) and used in a loop started later.
    client = httprs.AsyncClient(base_url=server.url)

    async def use() -> list[int]:
        async with client:
            first = await client.get("/echo")
            async with client.stream("GET", "/bytes?size=10") as r:
                body = await r.aread()
            return [first.status_code, len(body)]

    assert run(runner, use) == [200, 10]
    assert client.is_closed


SCRIPT = textwrap.dedent(
    """
    import asyncio
    import sys

    import httprs
    import trio

    URL = sys.argv[1]


    async def main(tag):
        async with httprs.AsyncClient() as client:
            response = await client.get(URL + "/echo", params={"run": tag})
            async with client.stream("GET", URL + "/bytes?size=1000") as stream:
                size = len(await stream.aread())
            print(tag, response.status_code, response.json()["query"], size, flush=True)


    asyncio.run(main("asyncio-1"))
    asyncio.run(main("asyncio-2"))
    trio.run(main, "trio-1")
    trio.run(main, "trio-2")
    asyncio.run(main("asyncio-3"))
    """
)


def test_fresh_process_runs_several_loops_and_exits_cleanly(server):
    result = subprocess.run(
        [sys.executable, "-W", "default", "-c", SCRIPT, server.url],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    tags = ["asyncio-1", "asyncio-2", "trio-1", "trio-2", "asyncio-3"]
    assert lines == [f"{tag} 200 run={tag} 1000" for tag in tags]
    # No "Event loop is closed", "Task was destroyed", ResourceWarning, ... at exit.
    assert result.stderr == ""


@needs_proc_fd
@pytest.mark.parametrize("how", ["aclose", "gc"])
@pytest.mark.parametrize("runner", RUNNERS)
def test_closed_or_collected_client_releases_its_sockets(server, runner, how):
    async def scenario() -> tuple[int, int, int]:
        # Warm up first: the engine may open process- or loop-wide descriptors (runtime,
        # wakers) on first use; those are not the client's sockets.
        async with httprs.AsyncClient() as warm_up:
            await warm_up.get(server.url + "/echo")
        # Earlier tests may have left garbage holding descriptors; the collector could free
        # it mid-measurement and hide the new connections.
        gc.collect()
        baseline = await steady_fds()
        client = httprs.AsyncClient()
        # Five requests at once: five pooled keep-alive connections.
        async with anyio.create_task_group() as tg:
            for i in range(5):
                tg.start_soon(client.get, f"{server.url}/slow?delay=0.2&i={i}")
        with_connections = open_fds()
        if how == "aclose":
            await client.aclose()
        else:
            del client
            with warnings.catch_warnings():
                # An unclosed client may warn about its sockets; that is not under test.
                warnings.simplefilter("ignore", ResourceWarning)
                gc.collect()
        after = await settle_fds(baseline + 2)
        return baseline, with_connections, after

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        baseline, with_connections, after = run(runner, scenario)
    # The measurement sees the connections (each one is also a server-side socket here)...
    assert with_connections >= baseline + 5
    # ...and they are gone once the client is closed or collected.
    assert after <= baseline + 2


@needs_proc_fd
@pytest.mark.parametrize("runner", RUNNERS)
def test_repeated_loops_do_not_accumulate_descriptors(server, runner):
    # Each run opens a client, makes requests and closes it, then its loop ends: nothing may
    # be left behind (sockets, wakeup pipes, ...). The cyclic garbage collector is paused so
    # that what is measured is deterministic release, not whenever a collection happens.
    async def one_run(i: int) -> None:
        async with httprs.AsyncClient() as client:
            assert (await client.get(server.url + "/echo")).status_code == 200
            async with client.stream("GET", server.url + "/bytes?size=100") as r:
                assert len(await r.aread()) == 100

    run(runner, one_run, -1)  # warm-up: the engine's process-wide setup
    gc.collect()
    baseline = steady_fds_sync()
    gc.disable()
    try:
        for i in range(20):
            run(runner, one_run, i)
        after = settle_fds_sync(baseline + 4)
    finally:
        gc.enable()
    assert after <= baseline + 4


@pytest.mark.parametrize("runner", RUNNERS)
def test_closed_client_raises_runtime_error(server, runner):
    async def scenario() -> list[str]:
        client = httprs.AsyncClient()
        await client.get(server.url + "/echo")
        await client.aclose()
        raised = []
        for attempt in (
            lambda: client.get(server.url + "/echo"),
            lambda: client.request("POST", server.url + "/echo"),
            lambda: client.__aenter__(),
        ):
            try:
                await attempt()
            except RuntimeError:
                raised.append("RuntimeError")
        return raised

    assert run(runner, scenario) == ["RuntimeError"] * 3


@pytest.mark.parametrize("runner", RUNNERS)
def test_errors_map_to_the_same_classes_on_every_loop(server, closed_url, runner):
    async def scenario() -> list[type]:
        errors = []
        async with httprs.AsyncClient(timeout=0.2) as client:
            for url in (closed_url, server.url + "/slow?delay=2", "ftp://127.0.0.1/"):
                try:
                    await client.get(url)
                except httprs.HTTPError as exc:
                    errors.append(type(exc))
            # The client still works after all of them.
            assert (await client.get(server.url + "/echo")).status_code == 200
        return errors

    assert run(runner, scenario) == [
        httprs.ConnectError,
        httprs.ReadTimeout,
        httprs.UnsupportedProtocol,
    ]
