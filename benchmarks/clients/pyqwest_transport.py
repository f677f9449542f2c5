"""pyqwest: ``SyncClient`` / ``Client`` over a ``SyncHTTPTransport`` / ``HTTPTransport``
(the default shared transport when nothing needs setting)."""

from __future__ import annotations

from typing import Any

from clients import Library, Options, Wrapper, check


class SyncSession(Wrapper):
    def __init__(self, client: Any, transport: Any) -> None:
        super().__init__(client)
        self.transport = transport

    def get(self, url: str) -> bytes:
        response = self._get(url)
        check(response.status)
        return response.content

    def get_json(self, url: str) -> Any:
        response = self._get(url)
        check(response.status)
        return response.json()

    def stream(self, url: str) -> int:
        size = 0
        with self.client.stream("GET", url) as response:
            check(response.status)
            for chunk in response.content:
                size += len(chunk)
        return size

    def put(self, url: str, data: bytes) -> None:
        check(self.client.put(url, content=data).status)

    def close(self) -> None:
        if self.transport is not None:
            self.transport.close()


class AsyncSession(Wrapper):
    def __init__(self, client: Any, transport: Any) -> None:
        super().__init__(client)
        self.transport = transport

    async def get(self, url: str) -> bytes:
        response = await self._get(url)
        check(response.status)
        return response.content

    async def get_json(self, url: str) -> Any:
        response = await self._get(url)
        check(response.status)
        return response.json()

    async def stream(self, url: str) -> int:
        size = 0
        async with await self.client.stream("GET", url) as response:
            check(response.status)
            async for chunk in response.content:
                size += len(chunk)
        return size

    async def put(self, url: str, data: bytes) -> None:
        check((await self.client.put(url, content=data)).status)

    async def aclose(self) -> None:
        if self.transport is not None:
            await self.transport.aclose()


class Pyqwest(Library):
    name = module = "pyqwest"

    def options(self, opts: Options) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        ca = opts.ca_bytes()
        if ca:
            kwargs["tls_ca_cert"] = ca
        if opts.http2:
            kwargs["http_version"] = self.mod.HTTPVersion.HTTP2
        if opts.connections:
            kwargs["pool_max_idle_per_host"] = opts.connections
        return kwargs

    def open(self, opts: Options) -> SyncSession:
        kwargs = self.options(opts)
        transport = self.mod.SyncHTTPTransport(**kwargs) if kwargs else None
        return SyncSession(self.mod.SyncClient(transport), transport)

    async def aopen(self, opts: Options) -> AsyncSession:
        kwargs = self.options(opts)
        transport = self.mod.HTTPTransport(**kwargs) if kwargs else None
        return AsyncSession(self.mod.Client(transport), transport)

    def cold_start(self) -> str:
        return "import pyqwest\npyqwest.SyncClient().get(URL)"
