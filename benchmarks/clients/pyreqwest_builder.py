"""pyreqwest: ``SyncClientBuilder`` / ``ClientBuilder``; a request is built, then sent."""

from __future__ import annotations

import importlib
from typing import Any

from clients import Library, Options, Wrapper, check


class SyncSession(Wrapper):
    def get(self, url: str) -> Any:
        response = self._get(url).build().send()
        check(response.status)
        return response.bytes()

    def get_json(self, url: str) -> Any:
        response = self._get(url).build().send()
        check(response.status)
        return response.json()

    def stream(self, url: str) -> int:
        size = 0
        with self._get(url).build_streamed() as response:
            check(response.status)
            reader = response.body_reader
            while (chunk := reader.read_chunk()) is not None:
                size += len(chunk)
        return size

    def put(self, url: str, data: bytes) -> None:
        check(self.client.put(url).body_bytes(data).build().send().status)


class AsyncSession(Wrapper):
    async def get(self, url: str) -> Any:
        response = await self._get(url).build().send()
        check(response.status)
        return await response.bytes()

    async def get_json(self, url: str) -> Any:
        response = await self._get(url).build().send()
        check(response.status)
        return await response.json()

    async def stream(self, url: str) -> int:
        size = 0
        async with self._get(url).build_streamed() as response:
            check(response.status)
            reader = response.body_reader
            while (chunk := await reader.read_chunk()) is not None:
                size += len(chunk)
        return size

    async def put(self, url: str, data: bytes) -> None:
        response = await self.client.put(url).body_bytes(data).build().send()
        check(response.status)

    async def aclose(self) -> None:
        await self.client.close()


class Pyreqwest(Library):
    name = module = "pyreqwest"

    def configure(self, builder: Any, opts: Options) -> Any:
        ca = opts.ca_bytes()
        if ca:
            builder = builder.add_root_certificate_pem(ca)
        if opts.http2:
            builder = builder.http2(True)
        if opts.connections:
            builder = builder.max_connections(opts.connections)
        return builder

    def open(self, opts: Options) -> SyncSession:
        client_module = importlib.import_module("pyreqwest.client")
        return SyncSession(self.configure(client_module.SyncClientBuilder(), opts).build())

    async def aopen(self, opts: Options) -> AsyncSession:
        client_module = importlib.import_module("pyreqwest.client")
        return AsyncSession(self.configure(client_module.ClientBuilder(), opts).build())

    def cold_start(self) -> str:
        return (
            "from pyreqwest.simple.sync_request import pyreqwest_get\n"
            "pyreqwest_get(URL).send().bytes()"
        )
