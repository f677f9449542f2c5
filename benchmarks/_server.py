"""The local server of load.py and instructions.py (and the nginx prelude of servers.py).

It runs in a separate process, so its CPU time is not counted: nginx serving a small static
file when ``nginx`` is on PATH, otherwise the raw ASGI app bench_app.py under uvicorn (with
httptools and uvloop when installed). ``--url URL`` benchmarks a server you run yourself.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
BODY = b"Hello, world! " * 8 + b"\n"  # the same body as bench_app.py

# One worker, no daemon, everything under {tmp}: the start of every nginx configuration of
# the benchmarks (harness.py's servers.py adds its own servers after it).
NGINX_PRELUDE = """\
daemon off;
master_process off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
"""

NGINX_CONF = (
    NGINX_PRELUDE
    + """\
    keepalive_requests 1000000;
    keepalive_timeout 60s;
    default_type text/plain;
    server {{
        listen 127.0.0.1:{port};
        root {tmp}/www;
    }}
}}
"""
)


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
def uvicorn_server(app: str = "bench_app") -> Iterator[tuple[str, str]]:
    """uvicorn serving ``benchmarks/<app>.py``'s ``app`` in a separate process: (base URL,
    description)."""
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
    cmd = [sys.executable, "-m", "uvicorn", "--app-dir", str(HERE), f"{app}:app"]
    proc = subprocess.Popen(
        [*cmd, "--host", "127.0.0.1", "--port", str(port), *options],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_until_listening(port, proc, f"uvicorn ({app})")
        yield f"http://127.0.0.1:{port}/", " + ".join(parts) + f" ({app}.py, 1 process)"
    finally:
        stop(proc)


def add_server_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--server", choices=["auto", "nginx", "uvicorn"], default="auto")
    parser.add_argument("--url", help="benchmark this running server instead of starting one")


def server_from_args(args: argparse.Namespace) -> contextlib.AbstractContextManager:
    """A context manager that yields ``(url, description)`` for ``--server`` / ``--url``."""
    if args.url:
        return contextlib.nullcontext((args.url, f"external server at {args.url}"))
    if args.server == "nginx" or (args.server == "auto" and shutil.which("nginx")):
        if not shutil.which("nginx"):
            raise SystemExit("bench: --server nginx, but nginx is not on PATH")
        return nginx_server()
    return uvicorn_server()
