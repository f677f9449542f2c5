"""primp: ``Client`` / ``AsyncClient`` (requests-like arguments, the body read with the
response)."""

from __future__ import annotations

from typing import Any

from clients import Library, Options, check, httpx_api


class SyncSession(httpx_api.SyncSession):
    def stream(self, url: str) -> int:
        size = 0
        with self._get(url, stream=True) as response:
            check(response.status_code)
            for chunk in response.iter_bytes():
                size += len(chunk)
        return size

    def close(self) -> None:
        pass  # primp's clients have no close(): the pool goes with the object


class AsyncSession(httpx_api.AsyncSession):
    async def stream(self, url: str) -> int:
        size = 0
        async with await self._get(url, stream=True) as response:
            check(response.status_code)
            async for chunk in response.aiter_bytes():
                size += len(chunk)
        return size

    async def aclose(self) -> None:
        pass


class Primp(Library):
    name = module = "primp"
    http2 = "no option to ask for HTTP/2"

    def options(self, opts: Options) -> dict[str, Any]:
        return {"ca_cert_file": opts.ca} if opts.ca else {}

    def open(self, opts: Options) -> SyncSession:
        return SyncSession(self.mod.Client(**self.options(opts)))

    async def aopen(self, opts: Options) -> AsyncSession:
        return AsyncSession(self.mod.AsyncClient(**self.options(opts)))

    def cold_start(self) -> str:
        return "import primp\nprimp.get(URL)"
