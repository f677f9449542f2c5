"""Sequential GETs on one pooled client: httprs vs httpx, requests and the Rust-core peers.

    python benchmarks/bench_sync.py [-n 5000] [--warmup 200] [--rounds 1]
                                    [--server auto|nginx|uvicorn] [--url URL]

The server runs in a separate process, so its CPU time is not counted: nginx serving a
small static file when ``nginx`` is on PATH, otherwise a minimal raw ASGI app
(benchmarks/bench_app.py) under uvicorn. For each client it prints requests/s (wall
clock), client CPU microseconds per request (``time.process_time()``, all threads of this
process) and the ratios of httprs to each other client. requests and the Rust-core peers
with a sync API (httpxr, pyreqwest) are skipped when they cannot be imported. With
``--rounds R`` each client runs R times, interleaved, and its best round is reported.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from _server import BODY, add_server_arguments, server_from_args


@dataclass
class Result:
    name: str
    version: str
    wall: float
    cpu: float
    n: int

    @property
    def rps(self) -> float:
        return self.n / self.wall

    @property
    def cpu_us(self) -> float:
        return self.cpu / self.n * 1e6


class PyreqwestClient:
    """pyreqwest's sync client behind the ``.get(url)`` / ``.close()`` shape used here."""

    def __init__(self) -> None:
        from pyreqwest.client import SyncClientBuilder

        self._client = SyncClientBuilder().build()

    def get(self, url: str) -> SimpleNamespace:
        response = self._client.get(url).build().send()
        return SimpleNamespace(status_code=response.status, content=response.bytes())

    def close(self) -> None:
        self._client.close()


OPTIONAL = {"requests", "httpxr", "pyreqwest"}


def make_clients(names: list[str]) -> dict[str, tuple[str, Callable[[], object]]]:
    """name -> (version, factory of a pooled client whose ``.get(url)`` returns a response)."""
    clients: dict[str, tuple[str, Callable[[], object]]] = {}
    for name in names:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            if name in OPTIONAL:
                print(f"(skipped {name}: {exc})")
                continue
            raise SystemExit(f"bench: cannot import {name}: {exc}") from exc
        try:
            version = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            # httprs is installed as the distribution httprs-client.
            version = getattr(module, "__version__", "?")
        if name == "requests":
            factory = module.Session
        elif name == "pyreqwest":
            factory = PyreqwestClient
        else:
            factory = module.Client
        clients[name] = (version, factory)
    return clients


def run_one(client: object, url: str, n: int) -> tuple[float, float]:
    get = client.get  # type: ignore[attr-defined]
    expected = len(BODY)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for _ in range(n):
        response = get(url)
        if response.status_code != 200 or len(response.content) != expected:
            raise SystemExit(f"bench: unexpected response {response.status_code}")
    return time.perf_counter() - wall0, time.process_time() - cpu0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--requests", type=int, default=5000, help="requests per round")
    parser.add_argument("--warmup", type=int, default=200, help="warm-up requests per client")
    parser.add_argument("--rounds", type=int, default=1, help="rounds per client (best kept)")
    add_server_arguments(parser)
    parser.add_argument(
        "--clients",
        default="httprs,httpx,requests,httpxr,pyreqwest",
        help="comma-separated client libraries",
    )
    args = parser.parse_args()

    clients = make_clients([c.strip() for c in args.clients.split(",") if c.strip()])
    with server_from_args(args) as (url, server_desc):
        print(f"server:   {server_desc}, in a separate process")
        print(f"url:      {url}")
        print(f"python:   {sys.version.split()[0]} ({sys.executable})")
        print(
            f"workload: {args.requests} sequential GETs on one pooled client, after "
            f"{args.warmup} warm-up requests; {args.rounds} round(s), best kept"
        )
        print()

        best: dict[str, Result] = {}
        opened = {name: factory() for name, (_, factory) in clients.items()}
        try:
            for client in opened.values():
                run_one(client, url, args.warmup)
            for _ in range(args.rounds):
                for name, client in opened.items():
                    wall, cpu = run_one(client, url, args.requests)
                    result = Result(name, clients[name][0], wall, cpu, args.requests)
                    if name not in best or result.wall < best[name].wall:
                        best[name] = result
        finally:
            for client in opened.values():
                client.close()  # type: ignore[attr-defined]

    print(f"{'client':<20} {'requests/s':>12} {'CPU µs/request':>16} {'wall s':>8}")
    for r in best.values():
        label = f"{r.name} {r.version}"
        print(f"{label:<20} {r.rps:>12,.0f} {r.cpu_us:>16,.1f} {r.wall:>8.2f}")
    if "httprs" in best:
        ours = best["httprs"]
        print()
        print(f"{'httprs vs':<20} {'requests/s':>12} {'CPU/request':>16}")
        for name, theirs in best.items():
            if name != "httprs":
                label = f"{name} {theirs.version}"
                rps, cpu = ours.rps / theirs.rps, ours.cpu_us / theirs.cpu_us
                print(f"{label:<20} {rps:>11.2f}x {cpu:>15.2f}x")
        print("(ratio of httprs to that client: requests/s higher is better, CPU lower is better)")


if __name__ == "__main__":
    main()
