"""Concurrent GETs on one pooled async client: httprs vs httpx, aiohttp and Rust-core peers.

    python benchmarks/bench_async.py [-n 10000] [--concurrency 100] [--warmup 1000]
                                     [--rounds 1] [--loop asyncio|uvloop|trio]
                                     [--clients httprs,httpx,...]
                                     [--server auto|nginx|uvicorn] [--url URL]

Each client sends N GETs with C of them in flight (C tasks, each awaiting one request at a
time until N are done) on one pooled client allowed C connections, after a warm-up that
opens the pool, and reads every response body. Clients: httprs.AsyncClient,
httpx.AsyncClient, aiohttp.ClientSession and, when installed, the Rust-core peers pyreqwest,
rnet and httpxr. A client that cannot be imported, or errors, gets a one-line reason and is
skipped. The server runs in a separate process (benchmarks/_server.py), so its CPU time is
not counted.

Printed per client: requests/s (wall clock), client CPU microseconds per request
(``time.process_time()`` delta / N, so it counts every thread of this process, a Rust
runtime's worker threads included), then the ratios of httprs to each other client. With
``--rounds R`` each client runs R times, interleaved, and its best round is reported. Each
run gets a fresh event loop. ``--loop trio`` runs httprs and httpx only (httpx through
anyio); ``--loop uvloop`` runs everything on uvloop instead of the default asyncio loop.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import gc
import importlib
import importlib.metadata
import os
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from _server import BODY, add_server_arguments, server_from_args

# fetch(url) -> (status code, response body): one request, body read in full.
Fetch = Callable[[str], Awaitable[tuple[int, Any]]]
Opener = Callable[[ModuleType, int], contextlib.AbstractAsyncContextManager[Fetch]]


@contextlib.asynccontextmanager
async def open_httpx_like(module: ModuleType, concurrency: int) -> AsyncIterator[Fetch]:
    """httprs, httpx and httpxr: ``AsyncClient(limits=Limits(...))``; ``get()`` reads the body."""
    limits = module.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with module.AsyncClient(limits=limits) as client:
        get = client.get

        async def fetch(url: str) -> tuple[int, Any]:
            response = await get(url)
            return response.status_code, response.content

        yield fetch


@contextlib.asynccontextmanager
async def open_aiohttp(module: ModuleType, concurrency: int) -> AsyncIterator[Fetch]:
    connector = module.TCPConnector(limit=concurrency)
    async with module.ClientSession(connector=connector) as session:
        get = session.get

        async def fetch(url: str) -> tuple[int, Any]:
            async with get(url) as response:
                return response.status, await response.read()

        yield fetch


@contextlib.asynccontextmanager
async def open_pyreqwest(module: ModuleType, concurrency: int) -> AsyncIterator[Fetch]:
    # A builder, not constructor arguments; get() returns a request builder, build() a request
    # whose send() reads the whole body. max_connections bounds requests in flight.
    builder = importlib.import_module("pyreqwest.client").ClientBuilder()
    async with builder.max_connections(concurrency).build() as client:
        get = client.get

        async def fetch(url: str) -> tuple[int, Any]:
            response = await get(url).build().send()
            return response.status, await response.bytes()

        yield fetch


@contextlib.asynccontextmanager
async def open_rnet(module: ModuleType, concurrency: int) -> AsyncIterator[Fetch]:
    # rnet 2.x: the async Client has no close() and is not a context manager.
    client = module.Client(pool_max_size=concurrency)
    get = client.get

    async def fetch(url: str) -> tuple[int, Any]:
        response = await get(url)
        return response.status, await response.bytes()

    yield fetch


@dataclass(frozen=True)
class Contender:
    name: str  # the module to import (and the distribution to take the version of)
    opener: Opener
    loops: tuple[str, ...] = ("asyncio", "uvloop")


CONTENDERS = {
    c.name: c
    for c in (
        Contender("httprs", open_httpx_like, ("asyncio", "uvloop", "trio")),
        Contender("httpx", open_httpx_like, ("asyncio", "uvloop", "trio")),
        Contender("aiohttp", open_aiohttp),
        Contender("pyreqwest", open_pyreqwest),
        Contender("rnet", open_rnet),
        Contender("httpxr", open_httpx_like),
    )
}
TRIO_CLIENTS = "httprs,httpx"


@dataclass
class Result:
    name: str
    version: str
    wall: float
    cpu: float
    n: int

    @property
    def label(self) -> str:
        return f"{self.name} {self.version}"

    @property
    def rps(self) -> float:
        return self.n / self.wall

    @property
    def cpu_us(self) -> float:
        return self.cpu / self.n * 1e6


class Skip(Exception):
    """A client that cannot run: the message is the one-line reason."""


def load(contender: Contender, loop: str) -> tuple[ModuleType, str]:
    if loop not in contender.loops:
        raise Skip(f"not run under {loop} (supports {', '.join(contender.loops)})")
    try:
        module = importlib.import_module(contender.name)
    except Exception as exc:  # ImportError, or a broken extension module
        raise Skip(f"not importable ({one_line(exc)})") from None
    try:
        version = importlib.metadata.version(contender.name)
    except importlib.metadata.PackageNotFoundError:
        version = getattr(module, "__version__", "?")
    if contender.opener is open_httpx_like and not hasattr(module, "AsyncClient"):
        raise Skip(f"{contender.name} {version} has no AsyncClient")
    return module, version


def one_line(exc: BaseException) -> str:
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    text = str(exc).strip().splitlines()
    reason = f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
    return reason if len(reason) <= 200 else reason[:197] + "..."


async def spawn(worker: Callable[[], Awaitable[None]], count: int, loop: str) -> None:
    """Run ``count`` copies of ``worker`` concurrently and wait for all of them."""
    if loop == "trio":
        import trio

        async with trio.open_nursery() as nursery:
            for _ in range(count):
                nursery.start_soon(worker)
    else:
        async with asyncio.TaskGroup() as group:
            for _ in range(count):
                group.create_task(worker())


async def send_all(fetch: Fetch, url: str, n: int, concurrency: int, loop: str) -> None:
    remaining = n
    expected = len(BODY)
    errors: list[Exception] = []

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            try:
                status, body = await fetch(url)
                if status != 200 or len(body) != expected:
                    raise RuntimeError(f"unexpected response: status {status}, {len(body)} bytes")
            except Exception as exc:
                # Stop every worker after its current request rather than cancelling it: a
                # cancelled request of a Rust-core client can leave a task in its runtime that
                # crashes the interpreter at exit (seen with rnet 2.4.2 and httpxr 0.30.24).
                errors.append(exc)
                remaining = 0

    await spawn(worker, min(concurrency, n), loop)
    if errors:
        raise errors[0]


async def measure(
    contender: Contender, module: ModuleType, url: str, args: argparse.Namespace
) -> tuple[float, float]:
    """Open one client, warm it up, then time N requests: returns (wall s, CPU s)."""
    timeout = 30 + (args.warmup + args.requests) / 100  # generous: 100 requests/s at worst
    if args.loop == "trio":
        import trio

        with trio.move_on_after(timeout):
            return await timed_run(contender, module, url, args)
        raise RuntimeError(f"timed out after {timeout:.0f} s")
    deadline = asyncio.timeout(timeout)
    try:
        async with deadline:
            return await timed_run(contender, module, url, args)
    except TimeoutError:
        if deadline.expired():
            raise RuntimeError(f"timed out after {timeout:.0f} s") from None
        raise


async def timed_run(
    contender: Contender, module: ModuleType, url: str, args: argparse.Namespace
) -> tuple[float, float]:
    async with contender.opener(module, args.concurrency) as fetch:
        if args.warmup:
            await send_all(fetch, url, args.warmup, args.concurrency, args.loop)
        gc.collect()
        cpu0, wall0 = time.process_time(), time.perf_counter()
        await send_all(fetch, url, args.requests, args.concurrency, args.loop)
        return time.perf_counter() - wall0, time.process_time() - cpu0


def run_loop(main: Callable[[], Awaitable[tuple[float, float]]], loop: str) -> tuple[float, float]:
    if loop == "trio":
        import trio

        return trio.run(main)
    if loop == "uvloop":
        import uvloop

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            return runner.run(main())
    return asyncio.run(main())


def loop_description(loop: str) -> str:
    if loop == "asyncio":
        return "asyncio (default event loop)"
    try:
        return f"{loop} {importlib.metadata.version(loop)}"
    except importlib.metadata.PackageNotFoundError:
        raise SystemExit(f"bench: --loop {loop}, but {loop} is not installed") from None


def report(results: dict[str, Result], names: list[str]) -> None:
    print(f"{'client':<22} {'requests/s':>12} {'CPU µs/request':>16} {'wall s':>8}")
    for name in names:
        if name in results:
            r = results[name]
            print(f"{r.label:<22} {r.rps:>12,.0f} {r.cpu_us:>16,.1f} {r.wall:>8.2f}")
        else:
            print(f"{name:<22} {'skipped':>12}")
    print()
    ours = results.get("httprs")
    others = [results[name] for name in names if name in results and name != "httprs"]
    if ours is None:
        print("httprs ratios: n/a (httprs was skipped)")
        return
    if not others:
        print("httprs ratios: n/a (no other client ran)")
        return
    print(f"{ours.label + ' vs':<22} {'requests/s':>12} {'CPU/request':>16}")
    for r in others:
        print(f"{r.label:<22} {ours.rps / r.rps:>11.2f}x {ours.cpu_us / r.cpu_us:>15.2f}x")
    print("(ratio of httprs to that client: requests/s higher is better, CPU lower is better)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--requests", type=int, default=10000, help="requests per round")
    parser.add_argument("--concurrency", type=int, default=100, help="requests in flight")
    parser.add_argument("--warmup", type=int, default=1000, help="warm-up requests per run")
    parser.add_argument("--rounds", type=int, default=1, help="rounds per client (best kept)")
    parser.add_argument(
        "--loop",
        choices=["asyncio", "uvloop", "trio"],
        default="asyncio",
        help=f"event loop; trio runs {TRIO_CLIENTS} only",
    )
    add_server_arguments(parser)
    parser.add_argument(
        "--clients",
        help=f"comma-separated client libraries, from {','.join(CONTENDERS)} (default: all; "
        f"{TRIO_CLIENTS} under trio)",
    )
    args = parser.parse_args()
    if args.requests < 1 or args.concurrency < 1 or args.rounds < 1 or args.warmup < 0:
        parser.error("-n, --concurrency and --rounds must be >= 1, --warmup >= 0")
    default = TRIO_CLIENTS if args.loop == "trio" else ",".join(CONTENDERS)
    names = [c.strip() for c in (args.clients or default).split(",") if c.strip()]
    unknown = [name for name in names if name not in CONTENDERS]
    if unknown:
        parser.error(f"unknown client(s) {', '.join(unknown)}; known: {', '.join(CONTENDERS)}")
    loop_desc = loop_description(args.loop)

    skipped: set[str] = set()
    errored = False

    def skip(name: str, reason: str) -> None:
        skipped.add(name)
        print(f"skipped {name}: {reason}", flush=True)

    loaded: dict[str, tuple[ModuleType, str]] = {}
    with server_from_args(args) as (url, server_desc):
        print(f"server:   {server_desc}, in a separate process")
        print(f"url:      {url}")
        print(f"python:   {sys.version.split()[0]} ({sys.executable})")
        print(f"loop:     {loop_desc}, a new one per run")
        print(
            f"workload: {args.requests} GETs, {args.concurrency} in flight, on one pooled client "
            f"(max {args.concurrency} connections), after {args.warmup} warm-up requests; "
            f"{args.rounds} round(s), best kept"
        )
        print()
        for name in names:
            try:
                loaded[name] = load(CONTENDERS[name], args.loop)
            except Skip as exc:
                skip(name, str(exc))

        best: dict[str, Result] = {}
        for _ in range(args.rounds):
            for name, (module, version) in loaded.items():
                if name in skipped:
                    continue
                try:
                    run = functools.partial(measure, CONTENDERS[name], module, url, args)
                    wall, cpu = run_loop(run, args.loop)
                except Exception as exc:
                    best.pop(name, None)
                    errored = True
                    skip(name, f"error: {one_line(exc)}")
                    continue
                result = Result(name, version, wall, cpu, args.requests)
                if name not in best or result.wall < best[name].wall:
                    best[name] = result
    if skipped:
        print()
    report(best, names)
    if errored:
        # After a failed run, some Rust-core clients (seen: pyreqwest 0.15.1, rnet 2.4.2,
        # httpxr 0.30.24) can abort or segfault in interpreter finalization; everything has
        # been printed and the server stopped, so skip finalization.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


if __name__ == "__main__":
    main()
