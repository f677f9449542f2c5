"""The scenarios of issue 15 (A-K), and of issue 19 (L, M: HTTP/3 against HTTP/2 on one
server): what each one times and how its figure reads."""

from __future__ import annotations

from dataclasses import dataclass

from clients import Library


@dataclass(frozen=True)
class Scenario:
    key: str
    title: str
    workload: str  # sequential | threads | concurrent | new-client | cold-start
    api: str  # sync | async | either (sync when the client has it, else async)
    op: str = "get"  # the session operation timed (clients/__init__.py)
    url: str = "small"  # which of the servers' URLs (servers.Endpoints.urls)
    unit: str = "req/s"  # req/s | MiB/s (higher is better) | ms (lower is better)
    concurrency: int = 1  # requests in flight (tasks), or threads
    http2: bool = False
    http3: bool = False
    connections: int | None = None  # None: the client's defaults

    @property
    def higher_is_better(self) -> bool:
        return self.unit != "ms"

    @property
    def tls(self) -> bool:
        return self.url in ("small_tls", "small_h2", "small_h3")

    def not_applicable(self, library: Library) -> str | None:
        """Why ``library`` cannot run this scenario, or None."""
        if self.api == "sync" and not library.sync:
            return "async API only"
        if self.api == "async" and not library.asyncio:
            return "no asyncio API"
        if self.workload == "threads" and library.threads:
            return library.threads
        if self.http2 and library.http2:
            return library.http2
        if self.http3 and library.http3:
            return library.http3
        return None


SCENARIOS = {
    s.key: s
    for s in (
        Scenario("A", "sync sequential GET, one kept-alive connection", "sequential", "sync"),
        Scenario(
            "B", "async, 100 in flight (default limits)", "concurrent", "async", concurrency=100
        ),
        Scenario("C", "8 threads sharing one client", "threads", "sync", concurrency=8),
        Scenario("D", "big body into memory", "sequential", "either", url="big", unit="MiB/s"),
        Scenario(
            "D′", "big body streamed", "sequential", "either", "stream", url="big", unit="MiB/s"
        ),
        Scenario("E", "upload", "sequential", "either", "put", url="upload", unit="MiB/s"),
        Scenario(
            "F", "GET + .json() of a ~2 KB document", "sequential", "sync", "get_json", "json"
        ),
        Scenario("G", "cold start: import + one GET", "cold-start", "either", unit="ms"),
        Scenario("H", "HTTPS sequential, one client", "sequential", "sync", url="small_tls"),
        Scenario("I", "new client per HTTPS request", "new-client", "sync", url="small_tls"),
        Scenario(
            "J",
            "HTTP/2, 100 streams on one connection",
            "concurrent",
            "async",
            url="small_h2",
            concurrency=100,
            http2=True,
        ),
        Scenario(
            "K",
            "200 in flight, server answers after 20 ms",
            "concurrent",
            "async",
            url="delay",
            concurrency=200,
            connections=200,
        ),
        Scenario(
            "L",
            "HTTP/3, 100 streams on one QUIC connection (hypercorn)",
            "concurrent",
            "async",
            url="small_h3",
            concurrency=100,
            http3=True,
        ),
        Scenario(
            "M",
            "HTTP/2 over TLS, 100 streams, L's server over TCP",
            "concurrent",
            "async",
            url="small_h3",
            concurrency=100,
            http2=True,
        ),
    )
}


def parse_keys(text: str) -> list[str]:
    """``A,B,D',D2`` -> scenario keys (D', D2 and Dp all name D′), in the table's order."""
    wanted = set()
    for raw in text.split(","):
        key = raw.strip().upper().replace("'", "′")
        key = {"D2": "D′", "DP": "D′", "DS": "D′"}.get(key, key)
        if not key:
            continue
        if key not in SCENARIOS:
            raise ValueError(f"unknown scenario {raw.strip()!r}; known: {', '.join(SCENARIOS)}")
        wanted.add(key)
    return [key for key in SCENARIOS if key in wanted]
