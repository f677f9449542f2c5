"""Sequential GETs on one pooled client: httprs vs httpx (and requests, if installed).

    python benchmarks/bench_sync.py [-n 5000] [--warmup 200] [--rounds 1]
                                    [--server auto|nginx|uvicorn] [--url URL]

The server runs in a separate process, so its CPU time is not counted: nginx serving a
small static file when ``nginx`` is on PATH, otherwise a minimal raw ASGI app
(benchmarks/bench_app.py) under uvicorn. For each client it prints requests/s (wall
clock), client CPU microseconds per request (``time.process_time()``, all threads of this
process) and the ratios of httprs to httpx. With ``--rounds R`` each client runs R times,
interleaved, and its best round is reported.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BODY = b"Hello, world! " * 8 + b"\n"  # the same body as bench_app.py

NGINX_CONF = """\
daemon off;
master_process off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    default_type text/plain;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/www;
    }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_listening(port: int, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"bench: {what} exited with status {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"bench: {what} did not start listening on port {port}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def nginx_server() -> Iterator[tuple[str, str]]:
    nginx = shutil.which("nginx")
    assert nginx is not None
    with tempfile.TemporaryDirectory(prefix="httprs-bench-nginx-") as tmp:
        os.chmod(tmp, 0o755)  # readable by a worker that dropped root privileges
        (Path(tmp) / "www").mkdir(mode=0o755)
        (Path(tmp) / "www" / "hello.txt").write_bytes(BODY)
        port = free_port()
        conf = Path(tmp) / "nginx.conf"
        conf.write_text(NGINX_CONF.format(tmp=tmp, port=port))
        proc = subprocess.Popen(
            [nginx, "-p", tmp, "-c", str(conf), "-e", f"{tmp}/error.log"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            wait_until_listening(port, proc, "nginx")
            version = subprocess.run(
                [nginx, "-v"], capture_output=True, text=True, check=False
            ).stderr.strip()
            yield f"http://127.0.0.1:{port}/hello.txt", f"{version} (static file, 1 worker)"
        finally:
            stop(proc)


@contextlib.contextmanager
def uvicorn_server() -> Iterator[tuple[str, str]]:
    try:
        import uvicorn
    except ImportError:
        raise SystemExit("bench: neither nginx nor uvicorn is available") from None
    options = ["--log-level", "warning", "--no-access-log", "--lifespan", "off"]
    parts = [f"uvicorn {uvicorn.__version__}"]
    for module, flag in (("httptools", ["--http", "httptools"]), ("uvloop", ["--loop", "uvloop"])):
        if importlib.util.find_spec(module) is not None:
            options += flag
            parts.append(module)
    port = free_port()
    cmd = [sys.executable, "-m", "uvicorn", "--app-dir", str(HERE), "bench_app:app"]
    proc = subprocess.Popen(
        [*cmd, "--host", "127.0.0.1", "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_until_listening(port, proc, "uvicorn")
        yield f"http://127.0.0.1:{port}/", " + ".join(parts) + " (raw ASGI app, 1 process)"
    finally:
        stop(proc)


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


def make_clients(names: list[str]) -> dict[str, tuple[str, Callable[[], object]]]:
    """name -> (version, factory of a pooled client whose ``.get(url)`` returns a response)."""
    clients: dict[str, tuple[str, Callable[[], object]]] = {}
    for name in names:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            if name == "requests":
                continue  # optional
            raise SystemExit(f"bench: cannot import {name}: {exc}") from exc
        factory = module.Session if name == "requests" else module.Client
        clients[name] = (getattr(module, "__version__", "?"), factory)
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
    parser.add_argument("--server", choices=["auto", "nginx", "uvicorn"], default="auto")
    parser.add_argument("--url", help="benchmark this running server instead of starting one")
    parser.add_argument(
        "--clients", default="httprs,httpx,requests", help="comma-separated client libraries"
    )
    args = parser.parse_args()

    clients = make_clients([c.strip() for c in args.clients.split(",") if c.strip()])
    if args.url:
        server = contextlib.nullcontext((args.url, f"external server at {args.url}"))
    elif args.server == "nginx" or (args.server == "auto" and shutil.which("nginx")):
        if not shutil.which("nginx"):
            raise SystemExit("bench: --server nginx, but nginx is not on PATH")
        server = nginx_server()
    else:
        server = uvicorn_server()

    with server as (url, server_desc):
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
    if "httprs" in best and "httpx" in best:
        ours, theirs = best["httprs"], best["httpx"]
        print()
        print(f"httprs/httpx requests/s:     {ours.rps / theirs.rps:.2f}x  (higher is better)")
        print(
            f"httprs/httpx CPU per request: {ours.cpu_us / theirs.cpu_us:.2f}x  (lower is better)"
        )


if __name__ == "__main__":
    main()
