"""One measurement, in a fresh process: one client, one scenario.

    python benchmarks/child.py '{"client": "httprs", "scenario": "A", "url": ..., ...}'
    python benchmarks/child.py --version CLIENT

Started by harness.py, pinned to the client core (inherited affinity). It opens a session,
warms it up for ``warmup`` seconds (at least one request per worker), then runs the workload
for ``duration`` seconds and prints one JSON line: ``{"n", "wall", "cpu"}`` (requests
completed, seconds of wall clock, seconds of ``time.process_time()``: this process's CPU in
every thread, a Rust runtime's included), or ``{"na": reason}`` / ``{"error": reason}``.
The harness adds the peak RSS from ``wait4()``.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from clients import Library, NotApplicable, Options, lookup
from scenarios import SCENARIOS, Scenario

perf_counter = time.perf_counter


def sequential(op: Callable[..., Any], args: tuple) -> Callable[[float], int]:
    def phase(deadline: float) -> int:
        n = 0
        result = None
        while True:
            # The last result goes before the next request: D's peak RSS is one body's, not
            # two (the previous 100 MiB held while the next one arrives).
            del result
            result = op(*args)
            n += 1
            if perf_counter() >= deadline:
                check_result(result, args)
                return n

    return phase


def threads(op: Callable[..., Any], args: tuple, count: int) -> Callable[[float], int]:
    def phase(deadline: float) -> int:
        done = [0] * count
        errors: list[BaseException] = []

        def work(index: int) -> None:
            try:
                sequential_until = sequential(op, args)
                done[index] = sequential_until(deadline)
            except BaseException as exc:  # reported by the main thread
                errors.append(exc)

        workers = [threading.Thread(target=work, args=(i,)) for i in range(count)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        if errors:
            raise errors[0]
        return sum(done)

    return phase


def concurrent(op: Callable[..., Any], args: tuple, count: int) -> Callable[[float], Any]:
    async def phase(deadline: float) -> int:
        done = 0

        async def work() -> None:
            nonlocal done
            result = None
            while True:
                del result  # as in `sequential`: one body held at a time
                result = await op(*args)
                done += 1
                if perf_counter() >= deadline:
                    check_result(result, args)
                    return

        async with asyncio.TaskGroup() as group:
            for _ in range(count):
                group.create_task(work())
        return done

    return phase


def new_client(library: Library, opts: Options, url: str) -> Callable[[float], int]:
    def one() -> Any:
        session = library.open(opts)
        try:
            return session.get(url)
        finally:
            session.close()

    return sequential(one, ())


EXPECTED: dict[str, int] = {}  # url -> body size, from the job


def check_result(result: Any, args: tuple) -> None:
    """A last look at one result per phase: a body (or a streamed byte count) of the size the
    server sends. (get_json's result parsed; put's has no body to check.)"""
    expected = EXPECTED.get(args[0]) if args else None
    if expected is None or result is None or isinstance(result, dict | list):
        return
    size = result if isinstance(result, int) else len(result)
    if size != expected:
        raise RuntimeError(f"expected a body of {expected} bytes, got {size}")


def measure(phase: Callable[[float], int], warmup: float, duration: float) -> dict:
    phase(perf_counter() + warmup)
    gc.collect()
    cpu0, wall0 = time.process_time(), perf_counter()
    n = phase(wall0 + duration)
    wall, cpu = perf_counter() - wall0, time.process_time() - cpu0
    return {"n": n, "wall": wall, "cpu": cpu}


def run(job: dict) -> dict:
    library = lookup(job["client"])
    scenario: Scenario = SCENARIOS[job["scenario"]]
    reason = scenario.not_applicable(library)
    if reason:
        raise NotApplicable(reason)
    library.load()
    opts = Options(
        ca=job.get("ca") if scenario.tls else None,
        http2=scenario.http2,
        http3=scenario.http3,
        connections=scenario.connections,
    )
    url = job["url"]
    if job.get("expect") is not None:
        EXPECTED[url] = job["expect"]
    args: tuple = (url, b"\x00" * job["payload"]) if scenario.op == "put" else (url,)
    warmup, duration = job["warmup"], job["duration"]
    use_sync = scenario.api == "sync" or (scenario.api == "either" and library.sync)

    if scenario.workload == "new-client":
        return measure(new_client(library, opts, url), warmup, duration)
    if use_sync:
        session = library.open(opts)
        op = getattr(session, scenario.op)
        if scenario.workload == "threads":
            phase = threads(op, args, scenario.concurrency)
        else:
            phase = sequential(op, args)
        result = measure(phase, warmup, duration)
        session.close()
        return result

    loop_factory = None
    if job.get("loop") == "uvloop":
        import uvloop

        loop_factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        session = runner.run(library.aopen(opts))
        aphase = concurrent(getattr(session, scenario.op), args, scenario.concurrency)
        result = measure(lambda deadline: runner.run(aphase(deadline)), warmup, duration)
        runner.run(session.aclose())
        return result


def one_line(exc: BaseException) -> str:
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    text = str(exc).strip().splitlines()
    reason = f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__
    return reason if len(reason) <= 160 else reason[:157] + "..."


def main() -> None:
    if sys.argv[1] == "--version":
        try:
            out = {"version": lookup(sys.argv[2]).load()}
        except Exception as exc:  # ImportError, or a broken extension module
            out = {"error": f"cannot import: {one_line(exc)}"}
    else:
        try:
            out = run(json.loads(sys.argv[1]))
        except NotApplicable as exc:
            out = {"na": str(exc)}
        except Exception as exc:
            out = {"error": one_line(exc)}
    print(json.dumps(out), flush=True)
    sys.stderr.flush()
    # Skip interpreter finalization: a few Rust-core clients crash in it (a runtime torn down
    # under a live task), which says nothing about the figures already printed.
    os._exit(0)


if __name__ == "__main__":
    main()
