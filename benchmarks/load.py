"""Load and leak checks for httprs (a script, not a test): it prints figures, it asserts nothing
except that every response was right.

    python benchmarks/load.py [--quick] [--only a,b,c] [--server auto|nginx|uvicorn] [--url URL]

(a) Many GETs on one ``Client``: 5,000 warm-up requests, then 50,000 more. Prints the
    resident set size (``VmRSS`` from ``/proc/self/status``) after the warm-up and at the end
    (growth %, with samples in between), and the number of open file descriptors
    (``/proc/self/fd``) at start, after the warm-up, at the end and after ``close()``. (The
    tokio runtime, created with the first client and kept for the process, holds 3 fds.)
(b) ``Client()`` churn: create a client, send one GET, close it; 200 warm-up cycles then
    2,000 measured. RSS growth % and fds, for httprs and for httpx (for comparison).
(c) 8 threads sharing one ``Client`` for 5,000 requests in all, each with a unique query value
    that the server (``echo_app.py`` under uvicorn) echoes back: every response must carry its
    own request's value, in the body and in a header (none mixed up between threads).

``--quick`` divides the counts by ten. (a) and (b) use the benchmarks' server (``_server.py``:
nginx serving a static file when ``nginx`` is on PATH, else uvicorn; ``--url`` for your own);
(c) always starts uvicorn with ``echo_app.py``. Each measurement runs in a fresh interpreter
(this script re-invoked with ``--worker``), so that one does not inflate the RSS of another.

RSS growth after a warm-up is what a leak would show: allocator caches, the pool and lazily
created state are in place by then. A few % of noise is normal; a steady climb across the
samples is not.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import importlib.util
import itertools
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from _server import add_server_arguments, server_from_args, uvicorn_server  # noqa: E402

# --------------------------------------------------------------------------------------------
# Measurements (run in a worker process)
# --------------------------------------------------------------------------------------------


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def fd_count() -> int:
    return len(os.listdir("/proc/self/fd"))


def settle() -> tuple[int, int]:
    gc.collect()
    return rss_kib(), fd_count()


def many_gets(url: str, n: int, warmup: int) -> dict:
    import httprs

    rss_start, fds_start = settle()
    client = httprs.Client()
    for _ in range(warmup):
        response = client.get(url)
        assert response.status_code == 200, response
    rss_warm, fds_warm = settle()
    samples = []
    bad = 0
    step = max(1, n // 10)
    start = time.perf_counter()
    for i in range(1, n + 1):
        response = client.get(url)
        if response.status_code != 200 or not response.content:
            bad += 1
        if i % step == 0:
            samples.append(rss_kib())
    elapsed = time.perf_counter() - start
    rss_end, fds_end = settle()
    client.close()
    _, fds_closed = settle()
    time.sleep(0.5)  # a connection may be shut down by a runtime task after close() returns
    _, fds_closed_later = settle()
    return {
        "n": n,
        "warmup": warmup,
        "bad": bad,
        "seconds": elapsed,
        "rss_start": rss_start,
        "rss_warm": rss_warm,
        "rss_end": rss_end,
        "samples": samples,
        "fds_start": fds_start,
        "fds_warm": fds_warm,
        "fds_end": fds_end,
        "fds_closed": fds_closed,
        "fds_closed_later": fds_closed_later,
    }


def client_churn(lib: str, url: str, n: int, warmup: int) -> dict:
    module = importlib.import_module(lib)

    def cycle() -> None:
        with module.Client() as client:
            response = client.get(url)
            assert response.status_code == 200, response

    rss_start, fds_start = settle()
    for _ in range(warmup):
        cycle()
    rss_warm, fds_warm = settle()
    samples = []
    step = max(1, n // 10)
    start = time.perf_counter()
    for i in range(1, n + 1):
        cycle()
        if i % step == 0:
            samples.append(rss_kib())
    elapsed = time.perf_counter() - start
    rss_end, fds_end = settle()
    return {
        "lib": lib,
        "version": module.__version__,
        "n": n,
        "warmup": warmup,
        "seconds": elapsed,
        "rss_start": rss_start,
        "rss_warm": rss_warm,
        "rss_end": rss_end,
        "samples": samples,
        "fds_start": fds_start,
        "fds_warm": fds_warm,
        "fds_end": fds_end,
    }


def shared_threads(url: str, total: int, threads: int) -> dict:
    import httprs

    tickets = itertools.count()  # next() on a count is atomic under the GIL
    lock = threading.Lock()
    mismatches: list[str] = []
    errors: list[str] = []
    per_thread = [0] * threads
    barrier = threading.Barrier(threads)
    client = httprs.Client()

    def work(tid: int) -> None:
        barrier.wait()
        while (i := next(tickets)) < total:
            value = f"t{tid}-r{i}-é&=/ {i * 7919 % 10007}"
            try:
                response = client.get(url, params={"v": value})
                echoed_body = response.text
                echoed_header = response.headers.get("x-echo-query")
                sent_query = response.request.url.query.decode("ascii")
                own = response.request.url.params.get("v")
            except Exception as exc:  # noqa: BLE001 - counted and reported
                with lock:
                    errors.append(f"{value!r}: {type(exc).__name__}: {exc}")
                continue
            if echoed_body != value or echoed_header != sent_query or own != value:
                with lock:
                    mismatches.append(
                        f"sent {value!r} (query {sent_query!r}), got body {echoed_body!r}, "
                        f"header {echoed_header!r}"
                    )
            per_thread[tid] += 1

    workers = [threading.Thread(target=work, args=(t,)) for t in range(threads)]
    start = time.perf_counter()
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    elapsed = time.perf_counter() - start
    client.close()
    return {
        "total": total,
        "threads": threads,
        "seconds": elapsed,
        "checked": sum(per_thread),
        "per_thread": per_thread,
        "mismatches": len(mismatches),
        "mismatch_examples": mismatches[:5],
        "errors": len(errors),
        "error_examples": errors[:5],
    }


def worker_main(argv: list[str]) -> None:
    kind, *rest = argv
    if kind == "gets":
        url, n, warmup = rest
        result = many_gets(url, int(n), int(warmup))
    elif kind == "churn":
        lib, url, n, warmup = rest
        result = client_churn(lib, url, int(n), int(warmup))
    elif kind == "threads":
        url, total, threads = rest
        result = shared_threads(url, int(total), int(threads))
    else:
        raise SystemExit(f"unknown worker {kind!r}")
    print(json.dumps(result), flush=True)


def run_worker(*args: object) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", *map(str, args)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"load: worker {args[0]} failed ({proc.returncode}):\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------------
# The echo server for (c)
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def echo_server() -> Iterator[tuple[str, str]]:
    with uvicorn_server("echo_app") as (url, description):
        yield url + "echo", description


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def growth(before: int, after: int) -> str:
    return f"{(after - before) / before * 100:+.1f}%"


def report_gets(r: dict) -> None:
    print(
        f"(a) {r['warmup']:,} warm-up + {r['n']:,} GETs on one httprs.Client: "
        f"{r['n'] / r['seconds']:,.0f} req/s, {r['bad']} bad responses"
    )
    print(
        f"    RSS: start {mib(r['rss_start'])}, after warm-up {mib(r['rss_warm'])}, "
        f"end {mib(r['rss_end'])}  -> growth after warm-up "
        f"{growth(r['rss_warm'], r['rss_end'])} ({r['rss_end'] - r['rss_warm']:+,} KiB)"
    )
    print("    RSS samples every 10% (MiB): " + " ".join(f"{s / 1024:.1f}" for s in r["samples"]))
    print(
        f"    open fds: start {r['fds_start']}, after warm-up {r['fds_warm']}, "
        f"end {r['fds_end']}, after close() {r['fds_closed']} (0.5 s later: "
        f"{r['fds_closed_later']})"
    )


def report_churn(r: dict) -> None:
    print(
        f"(b) {r['lib']} {r['version']}: {r['warmup']:,} warm-up + {r['n']:,} cycles of "
        f"Client() + GET + close: {r['n'] / r['seconds']:,.0f} cycles/s"
    )
    print(
        f"    RSS: start {mib(r['rss_start'])}, after warm-up {mib(r['rss_warm'])}, "
        f"end {mib(r['rss_end'])}  -> growth after warm-up "
        f"{growth(r['rss_warm'], r['rss_end'])} ({r['rss_end'] - r['rss_warm']:+,} KiB, "
        f"{(r['rss_end'] - r['rss_warm']) * 1024 / r['n']:+,.0f} B/cycle)"
    )
    print("    RSS samples every 10% (MiB): " + " ".join(f"{s / 1024:.1f}" for s in r["samples"]))
    print(
        f"    open fds: start {r['fds_start']}, after warm-up {r['fds_warm']}, end {r['fds_end']}"
    )


def report_threads(r: dict) -> bool:
    print(
        f"(c) {r['threads']} threads sharing one httprs.Client, {r['total']:,} echo requests: "
        f"{r['total'] / r['seconds']:,.0f} req/s; checked {r['checked']:,}, "
        f"mismatched {r['mismatches']}, errors {r['errors']}"
    )
    print("    requests per thread: " + " ".join(str(n) for n in r["per_thread"]))
    for example in r["mismatch_examples"] + r["error_examples"]:
        print(f"    ! {example}")
    return r["mismatches"] == 0 and r["errors"] == 0 and r["checked"] == r["total"]


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        worker_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the counts")
    parser.add_argument("--only", default="a,b,c", help="which parts to run (default a,b,c)")
    add_server_arguments(parser)
    args = parser.parse_args()
    parts = set(args.only.split(","))
    scale = 10 if args.quick else 1
    import httprs

    print(f"python {sys.version.split()[0]}, httprs {httprs.__version__}, {os.cpu_count()} CPUs")
    ok = True
    if parts & {"a", "b"}:
        with server_from_args(args) as (url, description):
            print(f"server for (a), (b): {description}")
            if "a" in parts:
                report_gets(run_worker("gets", url, 50_000 // scale, 5_000 // scale))
            if "b" in parts:
                for lib in ("httprs", "httpx"):
                    if importlib.util.find_spec(lib) is None:
                        print(f"(b) {lib}: not installed, skipped")
                        continue
                    report_churn(run_worker("churn", lib, url, 2_000 // scale, 200 // scale))
    if "c" in parts:
        with echo_server() as (url, description):
            print(f"server for (c): {description}")
            ok = report_threads(run_worker("threads", url, 5_000 // scale, 8))
    if not ok:
        raise SystemExit("load: some responses were wrong (see above)")


if __name__ == "__main__":
    main()
