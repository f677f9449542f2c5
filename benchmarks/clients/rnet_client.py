"""rnet: ``blocking.BlockingClient`` / ``Client``."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from clients import Library, Options, Wrapper, check


class SyncSession(Wrapper):
    def get(self, url: str) -> bytes:
        response = self._get(url)
        check(response.status)
        return response.bytes()

    def get_json(self, url: str) -> Any:
        response = self._get(url)
        check(response.status)
        return response.json()

    def stream(self, url: str) -> int:
        size = 0
        response = self._get(url)
        check(response.status)
        with response.stream() as streamer:
            for chunk in streamer:
                size += len(chunk)
        return size

    def put(self, url: str, data: bytes) -> None:
        response = self.client.put(url, body=data)
        check(response.status)
        response.close()

    def close(self) -> None:
        pass  # rnet's clients have no close(): the pool goes with the object


class AsyncSession(Wrapper):
    async def get(self, url: str) -> bytes:
        response = await self._get(url)
        check(response.status)
        return await response.bytes()

    async def get_json(self, url: str) -> Any:
        response = await self._get(url)
        check(response.status)
        return await response.json()

    async def stream(self, url: str) -> int:
        size = 0
        response = await self._get(url)
        check(response.status)
        async with response.stream() as streamer:
            async for chunk in streamer:
                size += len(chunk)
        return size

    async def put(self, url: str, data: bytes) -> None:
        response = await self.client.put(url, body=data)
        check(response.status)
        await response.close()

    async def aclose(self) -> None:
        pass


class Rnet(Library):
    name = module = "rnet"

    def options(self, opts: Options) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        if opts.ca:
            kwargs["verify"] = Path(opts.ca)
        if opts.http2:
            kwargs["http2_only"] = True
        if opts.connections:
            kwargs["pool_max_size"] = opts.connections
        return kwargs

    def open(self, opts: Options) -> SyncSession:
        blocking = importlib.import_module("rnet.blocking")
        return SyncSession(blocking.BlockingClient(**self.options(opts)))

    async def aopen(self, opts: Options) -> AsyncSession:
        return AsyncSession(self.mod.Client(**self.options(opts)))

    def cold_start(self) -> str:
        return "from rnet.blocking import BlockingClient\nBlockingClient().get(URL).bytes()"
