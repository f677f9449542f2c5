"""aiohttp: one ``ClientSession`` (asyncio API only; HTTP/1.1 only)."""

from __future__ import annotations

import ssl
from typing import Any

from clients import Library, Options, Wrapper, check


class Session(Wrapper):
    async def get(self, url: str) -> bytes:
        async with self._get(url) as response:
            check(response.status)
            return await response.read()

    async def get_json(self, url: str) -> Any:
        async with self._get(url) as response:
            check(response.status)
            return await response.json()

    async def stream(self, url: str) -> int:
        size = 0
        async with self._get(url) as response:
            check(response.status)
            async for chunk in response.content.iter_any():
                size += len(chunk)
        return size

    async def put(self, url: str, data: bytes) -> None:
        async with self.client.put(url, data=data) as response:
            check(response.status)

    async def aclose(self) -> None:
        await self.client.close()  # aiohttp's ClientSession closes with close()


class Aiohttp(Library):
    name = module = "aiohttp"
    sync = False
    http2 = "HTTP/1.1 only"

    async def aopen(self, opts: Options) -> Session:
        kwargs: dict[str, Any] = {}
        if opts.ca:
            kwargs["ssl"] = ssl.create_default_context(cafile=opts.ca)
        if opts.connections:
            kwargs["limit"] = opts.connections
        connector = self.mod.TCPConnector(**kwargs) if kwargs else None
        return Session(self.mod.ClientSession(connector=connector))

    def cold_start(self) -> str:
        return (
            "import asyncio, aiohttp\n"
            "async def main():\n"
            "    async with aiohttp.ClientSession() as session:\n"
            "        async with session.get(URL) as response:\n"
            "            await response.read()\n"
            "asyncio.run(main())"
        )
