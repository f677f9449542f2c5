"""How soon Ctrl-C stops a blocking call: `python benchmarks/ctrl_c.py [--tries N]`.

For each phase where a sync call can block, one child process per client blocks `--tries`
times; each time, this process sends it SIGINT (as a terminal's Ctrl-C does) at a random
moment 60-140 ms after the child said it was about to block, and the child reports when
`KeyboardInterrupt` reached it. Both read `CLOCK_MONOTONIC`, which is system-wide. It prints
the median, 90th percentile and worst latency, in ms, per phase and client. The servers are
raw sockets on 127.0.0.1, in this process:

- connect: a listener whose accept queue is full (Linux then drops further SYNs, so
  `connect()` hangs; skipped where it does not);
- head: a server that reads the request and never answers;
- body: a streamed response whose next bytes never come (`iter_bytes()`);
- pool: `Limits(max_connections=1)`, the one slot held by an open streamed response;
- threads: head, while three other threads of the process have requests in flight on the
  same client (for httprs: the call runs as a task of the runtime, driven by its helper).

`--baseline DIR` adds the row `httprs-baseline`: httprs imported from DIR (another build, such
as /work/main/python), measured in the same run. `--json` prints the samples as JSON instead
(tests/robustness/test_ctrl_c_latency.py uses it).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

PHASES = ("connect", "head", "body", "pool", "threads")

CHILD = r"""
import json, signal, sys, threading, time

lib, phase, tries = sys.argv[1], sys.argv[2], int(sys.argv[3])
quick, mute, dribble, lazy, blackhole = sys.argv[4:9]
if lib == "httpx":
    import httpx as http
else:
    import httprs as http

signal.signal(signal.SIGINT, signal.default_int_handler)
limits = http.Limits(max_connections=1) if phase == "pool" else http.Limits()
client = http.Client(timeout=60, limits=limits)
assert client.get(quick).text == "ok"  # warm up: imports, runtime, pool

held = None
if phase == "pool":
    held = client.stream("GET", dribble)
    held.__enter__()
if phase == "threads":
    def work():
        while True:
            client.get(lazy)

    for _ in range(3):
        threading.Thread(target=work, daemon=True).start()
    time.sleep(0.2)


def block():
    if phase == "connect":
        client.get(blackhole)
    elif phase in ("head", "threads"):
        client.get(mute)
    elif phase == "pool":
        client.get(quick)
    elif phase == "body":
        with client.stream("GET", dribble) as response:
            pieces = response.iter_bytes()
            next(pieces)  # the first bytes came; the next never will
            print("ready", flush=True)
            for _ in pieces:
                pass


for _ in range(tries):
    try:
        if phase != "body":
            print("ready", flush=True)
        block()
        print(json.dumps({"error": "the call returned without being interrupted"}), flush=True)
        sys.exit(1)
    except KeyboardInterrupt:
        caught = time.monotonic()
    print(json.dumps({"caught": caught}), flush=True)
"""


class Servers:
    """The raw-socket servers of the phases, on 127.0.0.1, in daemon threads."""

    def __init__(self) -> None:
        self.held: list[socket.socket] = []
        self.quick = self._serve(self._answer_now)
        self.mute = self._serve(self._never_answer)
        self.dribble = self._serve(self._answer_head_then_stall)
        self.lazy = self._serve(self._answer_later)
        self.blackhole = self._full_listener()

    def _serve(self, handle) -> str:
        def quietly(handle, conn: socket.socket) -> None:
            try:
                handle(conn)
            except OSError:  # the child went away (the interrupted request's connection)
                pass
            finally:
                conn.close()

        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        self.held.append(listener)

        def accept_loop() -> None:
            while True:
                conn, _ = listener.accept()
                self.held.append(conn)
                threading.Thread(target=quietly, args=(handle, conn), daemon=True).start()

        threading.Thread(target=accept_loop, daemon=True).start()
        return f"http://127.0.0.1:{listener.getsockname()[1]}/"

    @staticmethod
    def _heads(conn: socket.socket):
        """Yield once per request head read on ``conn`` (bodies are not expected)."""
        buffer = b""
        while True:
            while b"\r\n\r\n" not in buffer:
                data = conn.recv(65536)
                if not data:
                    return
                buffer += data
            buffer = buffer.split(b"\r\n\r\n", 1)[1]
            yield

    def _answer_now(self, conn: socket.socket) -> None:
        for _ in self._heads(conn):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

    def _answer_later(self, conn: socket.socket) -> None:
        for _ in self._heads(conn):
            time.sleep(0.5)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

    def _never_answer(self, conn: socket.socket) -> None:
        for _ in self._heads(conn):
            pass

    def _answer_head_then_stall(self, conn: socket.socket) -> None:
        for _ in self._heads(conn):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n" + b"x" * 10)

    def _full_listener(self) -> str | None:
        """A listener that never accepts, its accept queue full: later SYNs are dropped."""
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        address = listener.getsockname()
        self.held.append(listener)
        for _ in range(8):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(address)
            self.held.append(filler)
        time.sleep(0.1)
        probe = socket.socket()
        probe.settimeout(0.5)
        try:
            probe.connect(address)
        except (TimeoutError, OSError):
            pass
        else:
            return None  # the connect completed: this system cannot make connect() hang
        finally:
            probe.close()
        return f"http://{address[0]}:{address[1]}/"


def measure(client: str, phase: str, tries: int, servers: Servers, path: str | None) -> list:
    """Latencies (s) of ``tries`` SIGINTs sent to a child blocked in ``phase``."""
    env = dict(os.environ)
    if path:
        env["PYTHONPATH"] = path + os.pathsep + env.get("PYTHONPATH", "")
    lib = "httpx" if client == "httpx" else "httprs"
    urls = [servers.quick, servers.mute, servers.dribble, servers.lazy, str(servers.blackhole)]
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, lib, phase, str(tries), *urls],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    latencies = []
    try:
        for _ in range(tries):
            line = proc.stdout.readline()
            if line.strip() != "ready":
                raise RuntimeError(f"{client} {phase}: {line!r} {proc.stderr.read()[-2000:]}")
            time.sleep(random.uniform(0.06, 0.14))
            sent = time.monotonic()
            proc.send_signal(signal.SIGINT)
            report = json.loads(proc.stdout.readline())
            if "caught" not in report:
                raise RuntimeError(f"{client} {phase}: {report}")
            latencies.append(report["caught"] - sent)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tries", type=int, default=20, help="SIGINTs per phase and client")
    parser.add_argument("--clients", default="httprs,httpx", help="httprs and/or httpx")
    parser.add_argument("--phases", default=",".join(PHASES))
    parser.add_argument("--baseline", metavar="DIR", help="also measure httprs from DIR")
    parser.add_argument("--json", action="store_true", help="print the samples as JSON")
    args = parser.parse_args()
    clients = [(name, None) for name in args.clients.split(",")]
    if args.baseline:
        clients.append(("httprs-baseline", args.baseline))
    servers = Servers()
    samples: dict[str, dict[str, list[float]]] = {}
    if not args.json:
        print(f"SIGINT to KeyboardInterrupt, {args.tries} tries per row (ms)")
        print(f"{'phase':8} {'client':16} {'median':>7} {'p90':>7} {'worst':>7}")
    for phase in args.phases.split(","):
        if phase == "connect" and servers.blackhole is None:
            if not args.json:
                print("connect: skipped (a connect to a full accept queue completes here)")
            continue
        for client, path in clients:
            got = measure(client, phase, args.tries, servers, path)
            samples.setdefault(phase, {})[client] = got
            if not args.json:
                ms = sorted(x * 1000 for x in got)
                p90 = ms[min(len(ms) - 1, int(len(ms) * 0.9))]
                median = statistics.median(ms)
                print(f"{phase:8} {client:16} {median:7.2f} {p90:7.2f} {ms[-1]:7.2f}", flush=True)
    if args.json:
        print(json.dumps(samples))


if __name__ == "__main__":
    main()
