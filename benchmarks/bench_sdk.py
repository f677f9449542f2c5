"""The openai SDK on plain httpx / httpx2 vs on httprs's adapter (`httprs.compat.httpx`).

    python benchmarks/bench_sdk.py [-n 1000] [--warmup 100] [--rounds 5] [--async]

N small chat completions in a row with `openai.OpenAI` (`AsyncOpenAI` with `--async`, on
asyncio), its `http_client` built four ways: `httpx.Client()`, `httpx.Client(transport=
httprs.compat.httpx.HTTPTransport())`, and the same for httpx2 (openai's own default). The
fake API (tests/support/apps/fake_llm_api.py, Starlette under uvicorn) runs in a process of
its own pinned to one core, each client in a fresh process pinned to another (where the
machine has two cores), so the server's CPU is not counted. The rounds are interleaved (every
client once per round, the order rotating) and the medians reported: requests/s (wall
clock), client CPU per request (`time.process_time()`, all threads of the client process) and
the client process's peak RSS (`ru_maxrss`: the SDK's imports included), then the ratio of
each adapter to its library's own transport.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from _server import free_port, stop, wait_until_listening  # noqa: E402

CLIENTS = ["httpx", "httpx+httprs", "httpx2", "httpx2+httprs"]
MESSAGES = [{"role": "user", "content": "Say hello"}]


def cores() -> tuple[int | None, int | None]:
    """(server core, client core): two different ones when there are two."""
    available = sorted(os.sched_getaffinity(0))
    if len(available) < 2:
        return None, None
    return available[-1], available[0]


def http_client(name: str, is_async: bool):
    library, _, engine = name.partition("+")
    lib = __import__(library)
    cls = lib.AsyncClient if is_async else lib.Client
    if not engine:
        return cls()
    import importlib

    adapter = importlib.import_module(f"httprs.compat.{library}")
    return cls(transport=adapter.AsyncHTTPTransport() if is_async else adapter.HTTPTransport())


def run_client(name: str, url: str, n: int, warmup: int, is_async: bool) -> dict:
    """One round in this (fresh) process: `warmup` completions, then `n` timed ones."""
    import openai

    if is_async:
        import asyncio

        async def main() -> tuple[float, float]:
            client = openai.AsyncOpenAI(
                api_key="bench", base_url=url, http_client=http_client(name, True)
            )
            create = client.chat.completions.create
            for _ in range(warmup):
                await create(model="bench", messages=MESSAGES)
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(n):
                completion = await create(model="bench", messages=MESSAGES)
                assert completion.choices[0].message.content == "Hello, world"
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            await client.close()
            return cpu, wall

        cpu, wall = asyncio.run(main())
    else:
        client = openai.OpenAI(api_key="bench", base_url=url, http_client=http_client(name, False))
        create = client.chat.completions.create
        for _ in range(warmup):
            create(model="bench", messages=MESSAGES)
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(n):
            completion = create(model="bench", messages=MESSAGES)
            assert completion.choices[0].message.content == "Hello, world"
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        client.close()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"cpu": cpu, "wall": wall, "n": n, "peak_mib": peak_kib / 1024}


def start_server(core: int | None):
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", "tests.support.apps.fake_llm_api:app"]
    cmd += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    cmd += ["--no-access-log", "--lifespan", "off"]
    if core is not None:
        cmd = ["taskset", "-c", str(core), *cmd]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL)
    wait_until_listening(port, proc, "uvicorn (fake LLM API)")
    return proc, f"http://127.0.0.1:{port}/v1"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=1000, help="completions per round")
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--async", dest="is_async", action="store_true")
    parser.add_argument("--clients", default=",".join(CLIENTS), help="comma-separated subset")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: run one round
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:
        result = run_client(args.one, args.url, args.n, args.warmup, args.is_async)
        print(json.dumps(result))
        return

    import openai

    server_core, client_core = cores()
    proc, url = start_server(server_core)
    clients = args.clients.split(",")
    results: dict[str, list[dict]] = {name: [] for name in clients}
    try:
        for r in range(args.rounds):
            order = clients[r % len(clients) :] + clients[: r % len(clients)]
            for name in order:
                cmd = [sys.executable, __file__, "--one", name, "--url", url]
                cmd += ["-n", str(args.n), "--warmup", str(args.warmup)]
                cmd += ["--async"] if args.is_async else []
                if client_core is not None:
                    cmd = ["taskset", "-c", str(client_core), *cmd]
                out = subprocess.run(cmd, capture_output=True, text=True, check=False)
                if out.returncode != 0:
                    raise SystemExit(f"bench_sdk: {name} failed:\n{out.stderr}")
                results[name].append(json.loads(out.stdout.strip().splitlines()[-1]))
    finally:
        stop(proc)

    import httpx
    import httpx2

    mode = "AsyncOpenAI (asyncio)" if args.is_async else "OpenAI (sync)"
    pinning = (
        f"server on core {server_core}, clients on core {client_core}"
        if server_core is not None
        else "no pinning (one core)"
    )
    print(
        f"openai {openai.__version__} {mode}, httpx {httpx.__version__}, "
        f"httpx2 {httpx2.__version__}; fake API under uvicorn; {pinning}"
    )
    print(
        f"{args.n} chat completions per round after {args.warmup} warm-up, "
        f"{args.rounds} interleaved rounds, medians"
    )
    print(f"{'client':<16}{'req/s':>10}{'CPU µs/req':>13}{'peak RSS MiB':>15}")
    medians = {}
    for name in clients:
        rounds = results[name]
        rps = statistics.median(r["n"] / r["wall"] for r in rounds)
        cpu = statistics.median(r["cpu"] / r["n"] * 1e6 for r in rounds)
        rss = statistics.median(r["peak_mib"] for r in rounds)
        medians[name] = (rps, cpu, rss)
        print(f"{name:<16}{rps:>10.0f}{cpu:>13.0f}{rss:>15.1f}")
    for name in clients:
        base = name.partition("+")[0]
        if name != base and base in medians:
            rps, cpu, rss = medians[name]
            brps, bcpu, brss = medians[base]
            print(
                f"{name} vs {base}: {rps / brps:.2f}x req/s, {cpu / bcpu:.2f}x CPU per request, "
                f"{rss - brss:+.1f} MiB peak RSS"
            )


if __name__ == "__main__":
    main()
