"""httpr: ``Client`` / ``AsyncClient``, httpx-shaped (the async client runs the blocking one on
a thread pool of ``max_concurrency`` threads)."""

from __future__ import annotations

from typing import Any

from clients import Library, Options
from clients.httpx_api import AsyncSession, SyncSession


class Httpr(Library):
    name = module = "httpr"

    def options(self, opts: Options) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        if opts.ca:
            kwargs["ca_cert_file"] = opts.ca
        if opts.http2:
            kwargs["http2_only"] = True
        return kwargs

    def open(self, opts: Options) -> SyncSession:
        return SyncSession(self.mod.Client(**self.options(opts)))

    async def aopen(self, opts: Options) -> AsyncSession:
        kwargs = self.options(opts)
        if opts.connections:
            kwargs["max_concurrency"] = opts.connections
        return AsyncSession(self.mod.AsyncClient(**kwargs))

    def cold_start(self) -> str:
        return "import httpr\nhttpr.get(URL)"
