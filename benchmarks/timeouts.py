"""How close each timeout fires to its setting: `python benchmarks/timeouts.py [--trials N]`.

For each of httpx's four budgets, a local server on 127.0.0.1 makes exactly that phase stall,
and the script measures when the matching exception arrives, on the sync Client and on the
AsyncClient (asyncio). The setting is 0.5 s; it prints the mean and worst time past it.

- connect: the TCP connection is accepted but the TLS handshake never gets an answer;
- read: the request is read, no response is ever sent;
- write: the server never reads, so a 32 MiB upload stalls once the socket buffers are full;
- pool: `max_connections=1` is held by a streamed response, a second request waits for it.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
import statistics
import threading
import time

import httprs

SETTING = 0.5
BIG = b"x" * (32 * 1024 * 1024)


class Stall:
    """A listener whose connections get `answer` (after reading the request head, when
    `read_head`), then nothing more."""

    def __init__(self, *, read_head: bool, answer: bytes = b"") -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.read_head, self.answer = read_head, answer
        self.held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            conn, _ = self.sock.accept()
            self.held.append(conn)
            if self.read_head:
                head = b""
                while b"\r\n\r\n" not in head:
                    head += conn.recv(65536)
            conn.sendall(self.answer)


def cases():
    silent = Stall(read_head=False)
    mute = Stall(read_head=True)
    held = Stall(read_head=True, answer=b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n")
    return {
        "connect": (
            httprs.ConnectTimeout,
            dict(timeout=httprs.Timeout(5.0, connect=SETTING)),
            lambda: ("GET", f"https://127.0.0.1:{silent.port}/", {}),
        ),
        "read": (
            httprs.ReadTimeout,
            dict(timeout=httprs.Timeout(5.0, read=SETTING)),
            lambda: ("GET", f"http://127.0.0.1:{mute.port}/", {}),
        ),
        "write": (
            httprs.WriteTimeout,
            dict(timeout=httprs.Timeout(5.0, write=SETTING)),
            lambda: ("POST", f"http://127.0.0.1:{silent.port}/", {"content": BIG}),
        ),
        "pool": (
            httprs.PoolTimeout,
            dict(
                timeout=httprs.Timeout(5.0, pool=SETTING),
                limits=httprs.Limits(max_connections=1),
            ),
            lambda: ("GET", f"http://127.0.0.1:{held.port}/", {}),
        ),
    }


def sync_trial(name, exc_type, options, target) -> float:
    method, url, kwargs = target()
    with httprs.Client(**options) as client:
        holder = client.stream("GET", url) if name == "pool" else None
        if holder is not None:
            holder.__enter__()
        start = time.perf_counter()
        try:
            client.request(method, url, **kwargs)
        except exc_type:
            return time.perf_counter() - start
        finally:
            if holder is not None:
                holder.__exit__(None, None, None)
    raise AssertionError(f"{name}: no {exc_type.__name__}")


async def async_trial(name, exc_type, options, target) -> float:
    method, url, kwargs = target()
    async with httprs.AsyncClient(**options) as client:
        holder = client.stream("GET", url) if name == "pool" else None
        if holder is not None:
            await holder.__aenter__()
        start = time.perf_counter()
        try:
            await client.request(method, url, **kwargs)
        except exc_type:
            return time.perf_counter() - start
        finally:
            if holder is not None:
                await holder.__aexit__(None, None, None)
    raise AssertionError(f"{name}: no {exc_type.__name__}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=10)
    args = parser.parse_args()
    print(f"setting {SETTING * 1000:.0f} ms; time past it over {args.trials} trials (ms)")
    print(f"{'timeout':8} {'client':12} {'mean':>7} {'worst':>7}")
    for name, case in cases().items():
        for label, run in (
            ("sync", lambda: sync_trial(name, *case)),  # noqa: B023 - called right away
            ("async", lambda: asyncio.run(async_trial(name, *case))),  # noqa: B023
        ):
            late = [(run() - SETTING) * 1000 for _ in range(args.trials)]
            print(f"{name:8} {label:12} {statistics.mean(late):7.1f} {max(late):7.1f}")


if __name__ == "__main__":
    main()
