"""The harness's servers: nginx (static files over HTTP, HTTPS and HTTP/2 over TLS),
pyserver.py (the upload sink and the delayed answers) and, for L and M, hypercorn (HTTP/3 over
QUIC and HTTP/2 over TLS on one port: nginx here has no QUIC), each pinned to the server core.

``start(...)`` is a context manager that writes the served files and a trustme certificate
into a temporary folder (in /dev/shm when there is one), starts the servers and yields an
``Endpoints``: the URL of each resource, the CA file, and a way to count the connections the
servers accepted (the harness reads it around each run).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from _server import NGINX_PRELUDE, free_port, stop, wait_until_listening

HERE = Path(__file__).resolve().parent
SMALL = b"Hello, world! " * 8 + b"\n"  # 113 bytes, the body of A, B, C, H, I, J


def json_document() -> bytes:
    """About 2 KB of JSON (scenario F): a list of records, as an API would send."""
    items = [
        {
            "id": i,
            "name": f"item number {i}",
            "price": round(i * 1.25, 2),
            "tags": ["alpha", "beta"],
            "active": i % 2 == 0,
        }
        for i in range(22)
    ]
    return json.dumps({"count": len(items), "items": items}).encode()


NGINX_CONF = (
    NGINX_PRELUDE
    + """\
    sendfile on;
    tcp_nopush on;
    # One connection must carry a whole run: also caps the requests of an HTTP/2 connection.
    keepalive_requests 100000000;
    keepalive_timeout 300s;
    types {{ text/plain txt; application/json json; }}
    default_type application/octet-stream;
    ssl_certificate {tmp}/server.pem;
    ssl_certificate_key {tmp}/server.key;
    root {tmp}/www;
    server {{
        listen 127.0.0.1:{http};
        location = /nginx_status {{ stub_status; }}
    }}
    server {{
        # HTTPS, HTTP/1.1 only (no http2 on this port): H and I.
        listen 127.0.0.1:{https} ssl;
    }}
    server {{
        # HTTP/2 over TLS (ALPN): J. A client that falls back to HTTP/1.1 gets 426, not a
        # figure for a protocol it did not speak.
        listen 127.0.0.1:{h2} ssl http2;
        if ($server_protocol != "HTTP/2.0") {{ return 426; }}
    }}
}}
"""
)


@dataclass
class Endpoints:
    urls: dict[str, str]  # small, json, big, upload, delay, small_tls, small_h2 (nginx only),
    # small_h3 (hypercorn, when asked for)
    ca: str | None  # the CA file (PEM) that signed the HTTPS servers' certificate
    description: str
    counters: list[Callable[[], int]] = field(default_factory=list)

    def accepted(self) -> int:
        """Connections the servers accepted so far, this call's own included (one each)."""
        return sum(counter() for counter in self.counters)

    def opened_between(self, before: int, after: int) -> int:
        """Connections opened by whatever ran between two ``accepted()`` calls."""
        return after - before - len(self.counters)


def pinned(core: int | None) -> list[str]:
    if core is None or shutil.which("taskset") is None:
        return []
    return ["taskset", "-c", str(core)]


def write_files(tmp: Path, big_bytes: int) -> None:
    www = tmp / "www"
    www.mkdir(mode=0o755)
    (www / "hello.txt").write_bytes(SMALL)
    (www / "doc.json").write_bytes(json_document())
    block = bytes(range(256)) * 4096  # 1 MiB
    with open(www / "big.bin", "wb") as out:
        left = big_bytes
        while left > 0:
            out.write(block[: min(left, len(block))])
            left -= len(block)


def write_certificate(tmp: Path) -> str:
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    ca.cert_pem.write_to_path(str(tmp / "ca.pem"))
    cert.private_key_pem.write_to_path(str(tmp / "server.key"))
    with open(tmp / "server.pem", "wb") as chain:
        for blob in cert.cert_chain_pems:
            chain.write(blob.bytes())
    return str(tmp / "ca.pem")


def http_get(port: int, path: str) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        return conn.getresponse().read()
    finally:
        conn.close()


def nginx_accepted(port: int) -> int:
    # stub_status: "Active connections: 1\nserver accepts handled requests\n 5 5 10\n..."
    return int(http_get(port, "/nginx_status").splitlines()[2].split()[0])


def pyserver_accepted(port: int) -> int:
    return json.loads(http_get(port, "/stats"))["accepted"]


@contextlib.contextmanager
def start(
    kind: str,
    *,
    core: int | None,
    big_bytes: int,
    tls: bool,
    delay_ms: float = 20.0,
    h3: bool = False,
) -> Iterator[Endpoints]:
    """kind: "nginx" (nginx, plus pyserver for /upload and /delay) or "python" (pyserver
    alone: no HTTP/2). ``h3``: hypercorn too (L, M), when it has its h3 extra."""
    shm = Path("/dev/shm")
    base = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    with contextlib.ExitStack() as stack:
        tmp = Path(
            stack.enter_context(tempfile.TemporaryDirectory(prefix="httprs-bench-", dir=base))
        )
        os.chmod(tmp, 0o755)  # readable by an nginx that dropped root privileges
        write_files(tmp, big_bytes)
        ca = write_certificate(tmp) if tls or h3 or kind == "nginx" else None
        py_port = free_port()
        py_tls_port = free_port() if (tls and kind == "python") else None
        command = [*pinned(core), sys.executable, str(HERE / "pyserver.py"), "--port", str(py_port)]
        command += ["--delay-ms", str(delay_ms)]
        if kind == "python":
            command += ["--root", str(tmp / "www")]
        if py_tls_port:
            command += ["--tls-port", str(py_tls_port)]
            command += ["--cert", str(tmp / "server.pem"), "--key", str(tmp / "server.key")]
        pyserver = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        stack.callback(stop, pyserver)
        wait_until_listening(py_port, pyserver, "pyserver.py")
        py = f"http://127.0.0.1:{py_port}"
        urls = {"upload": f"{py}/upload", "delay": f"{py}/delay"}
        counters = [lambda: pyserver_accepted(py_port)]
        loop = "uvloop" if _has("uvloop") else "asyncio"
        if kind == "python":
            urls |= {"small": f"{py}/hello.txt", "json": f"{py}/doc.json", "big": f"{py}/big.bin"}
            if py_tls_port:
                urls["small_tls"] = f"https://127.0.0.1:{py_tls_port}/hello.txt"
            description = f"pyserver.py ({loop}) for everything; no HTTP/2"
        else:
            nginx = shutil.which("nginx")
            if nginx is None:
                raise SystemExit("bench: nginx is not installed (apt-get install nginx)")
            ports = {"http": free_port(), "https": free_port(), "h2": free_port()}
            (tmp / "nginx.conf").write_text(NGINX_CONF.format(tmp=tmp, **ports))
            proc = subprocess.Popen(
                [*pinned(core), nginx, "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            stack.callback(stop, proc)
            wait_until_listening(ports["http"], proc, "nginx")
            version = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr
            plain = f"http://127.0.0.1:{ports['http']}"
            urls |= {
                "small": f"{plain}/hello.txt",
                "json": f"{plain}/doc.json",
                "big": f"{plain}/big.bin",
                "small_tls": f"https://127.0.0.1:{ports['https']}/hello.txt",
                "small_h2": f"https://127.0.0.1:{ports['h2']}/hello.txt",
            }
            counters.append(lambda: nginx_accepted(ports["http"]))
            description = (
                f"{version.strip().removeprefix('nginx version: ')} (1 worker: static files, "
                f"HTTPS, HTTP/2 over TLS) + pyserver.py ({loop}: upload sink, 20 ms delay)"
            )
        if h3 and _has("hypercorn") and _has("aioquic"):
            h3_port = free_port()
            command = [*pinned(core), sys.executable, str(HERE / "h3server.py"), "bench_app:app"]
            # In this process (hypercorn's default starts one worker process, by spawn, which
            # would not have h3server.py's fixes).
            command += ["--workers", "0"]
            command += ["--bind", f"127.0.0.1:{h3_port}", "--quic-bind", f"127.0.0.1:{h3_port}"]
            command += ["--certfile", str(tmp / "server.pem"), "--keyfile", str(tmp / "server.key")]
            hypercorn = subprocess.Popen(command, cwd=HERE, stdout=subprocess.DEVNULL)
            stack.callback(stop, hypercorn)
            wait_until_listening(h3_port, hypercorn, "hypercorn")
            urls["small_h3"] = f"https://127.0.0.1:{h3_port}/hello.txt"
            description += " + hypercorn (HTTP/3 and HTTP/2: L, M)"
        if core is not None and pinned(core):
            description += f", pinned to CPU {core}"
        yield Endpoints(urls, ca, description, counters)


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None
