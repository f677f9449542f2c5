"""Checks a built wheel of httprs, from inside the environment it was installed into.

    python scripts/check_wheel.py WHEEL

Run by the Python of a fresh environment holding only the wheel and its dependencies
(scripts/smoke-wheel, scripts/wheels, .github/workflows/release.yml); needs nothing but the
standard library and httprs, so it runs on every platform a wheel is built for.

1. The archive: the licences (ours, and those of the vendored reqwest, hyper and hyper-util that the
   extension contains) under .dist-info/licenses/, the extension, the stubs and py.typed, and
   the metadata (distribution name, licence expression).
2. The installed package is the wheel's (not a checkout's python/ on sys.path), with the
   wheel's version.
3. A smoke test against a local server (http.server on 127.0.0.1, in a thread): a sync GET
   and POST, a streamed body, an error status, a refused connection, an AsyncClient GET under
   asyncio.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import json
import socket
import sys
import threading
import zipfile
from email.parser import Parser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DIST_NAME = "httprs-client"
LICENSES = ["LICENSE", "vendor/reqwest/LICENSE-APACHE", "vendor/reqwest/LICENSE-MIT"]
LICENSES += ["vendor/hyper/LICENSE", "vendor/hyper-util/LICENSE"]
PACKAGE_FILES = ["httprs/__init__.py", "httprs/_httprs.pyi", "httprs/py.typed"]
BODY = b"hello from the smoke test\n" * 100


def check_archive(wheel: Path) -> str:
    """The wheel's files and metadata; returns its version."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        dist_info = {n.split("/", 1)[0] for n in names if n.split("/", 1)[0].endswith(".dist-info")}
        assert len(dist_info) == 1, f"one .dist-info expected, got {sorted(dist_info)}"
        (dist_info,) = dist_info
        missing = [f"{dist_info}/licenses/{name}" for name in LICENSES]
        missing = [name for name in missing + PACKAGE_FILES if name not in names]
        assert not missing, f"{wheel.name} lacks {missing}"
        extensions = [n for n in names if n.startswith("httprs/_httprs.") and not n.endswith("pyi")]
        assert len(extensions) == 1, f"one extension module expected, got {extensions}"
        metadata = Parser().parsestr(archive.read(f"{dist_info}/METADATA").decode())
    assert metadata["Name"] == DIST_NAME, metadata["Name"]
    assert metadata["License-Expression"] == "BSD-3-Clause", metadata["License-Expression"]
    assert sorted(metadata.get_all("License-File")) == sorted(LICENSES)
    print(f"check_wheel: {wheel.name}: {len(names)} files, licences and metadata ok")
    return metadata["Version"]


def check_installed(version: str) -> None:
    import httprs

    dist = importlib.metadata.distribution(DIST_NAME)
    installed = Path(dist.locate_file("httprs/__init__.py")).resolve()
    assert Path(httprs.__file__).resolve() == installed, (httprs.__file__, installed)
    assert dist.version == version == httprs.__version__, (dist.version, httprs.__version__)
    print(f"check_wheel: httprs {httprs.__version__} imported from {installed.parent}")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path == "/missing":
            self.reply(404, b"not here")
        else:
            self.reply(200, BODY, content_type="text/plain; charset=utf-8")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        echo = {"body": json.loads(body), "content-type": self.headers["Content-Type"]}
        self.reply(200, json.dumps(echo).encode(), content_type="application/json")

    def reply(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def smoke(base: str) -> int:
    import httprs

    checks = 0
    r = httprs.get(f"{base}/hello", params={"q": "1"})
    assert (r.status_code, r.content, r.encoding) == (200, BODY, "utf-8"), r
    assert str(r.url) == f"{base}/hello?q=1" and r.http_version == "HTTP/1.1"
    checks += 1
    with httprs.Client(base_url=base, timeout=10) as client:
        r = client.post("/echo", json={"name": "widget"})
        assert r.json() == {"body": {"name": "widget"}, "content-type": "application/json"}
        checks += 1
        with client.stream("GET", "/big") as r:
            assert b"".join(r.iter_bytes(chunk_size=100)) == BODY
        checks += 1
        r = client.get("/missing")
        try:
            r.raise_for_status()
            raise AssertionError("raise_for_status() did not raise for a 404")
        except httprs.HTTPStatusError as exc:
            assert exc.response.status_code == 404 and r.text == "not here"
        checks += 1
    try:
        httprs.get(f"http://127.0.0.1:{free_port()}/", timeout=5)
        raise AssertionError("a refused connection did not raise")
    except httprs.ConnectError:
        checks += 1

    async def fetch() -> bytes:
        async with httprs.AsyncClient() as client:
            responses = await asyncio.gather(*(client.get(f"{base}/a{i}") for i in range(10)))
            return b"".join(r.content for r in responses)

    assert asyncio.run(fetch()) == BODY * 10
    checks += 1
    return checks


def main() -> None:
    (wheel,) = sys.argv[1:]
    version = check_archive(Path(wheel))
    check_installed(version)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        checks = smoke(f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
    print(f"check_wheel: smoke test against http.server on 127.0.0.1: {checks} checks passed")


if __name__ == "__main__":
    main()
