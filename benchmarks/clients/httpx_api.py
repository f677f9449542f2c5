"""httpx's API: httprs, httpx 0.28.1 and httpxr (``Client`` / ``AsyncClient``)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from clients import Library, Options, Wrapper, check


class SyncSession(Wrapper):
    def get(self, url: str) -> bytes:
        response = self._get(url)
        check(response.status_code)
        return response.content

    def get_json(self, url: str) -> Any:
        response = self._get(url)
        check(response.status_code)
        return response.json()

    def stream(self, url: str) -> int:
        size = 0
        with self.client.stream("GET", url) as response:
            check(response.status_code)
            for chunk in response.iter_bytes():
                size += len(chunk)
        return size

    def put(self, url: str, data: bytes) -> None:
        check(self.client.put(url, content=data).status_code)


class AsyncSession(Wrapper):
    async def get(self, url: str) -> bytes:
        response = await self._get(url)
        check(response.status_code)
        return response.content

    async def get_json(self, url: str) -> Any:
        response = await self._get(url)
        check(response.status_code)
        return response.json()

    async def stream(self, url: str) -> int:
        size = 0
        async with self.client.stream("GET", url) as response:
            check(response.status_code)
            async for chunk in response.aiter_bytes():
                size += len(chunk)
        return size

    async def put(self, url: str, data: bytes) -> None:
        check((await self.client.put(url, content=data)).status_code)


class HttpxLike(Library):
    def options(self, opts: Options) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        if opts.ca:
            # A path, as users pass it: the client builds its TLS configuration from it
            # (httpx 0.28 deprecates the str form but still supports it).
            kwargs["verify"] = opts.ca
        if opts.http2:
            kwargs["http2"] = True
        if opts.http3:
            kwargs["http3"] = True
        if opts.connections:
            n = opts.connections
            kwargs["limits"] = self.mod.Limits(max_connections=n, max_keepalive_connections=n)
        return kwargs

    def open(self, opts: Options) -> SyncSession:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return SyncSession(self.mod.Client(**self.options(opts)))

    async def aopen(self, opts: Options) -> AsyncSession:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return AsyncSession(self.mod.AsyncClient(**self.options(opts)))

    def cold_start(self) -> str:
        return f"import {self.module}\n{self.module}.get(URL)"


class Httprs(HttpxLike):
    name = module = "httprs"
    http3 = None  # http3=True


class HttprsBaseline(Httprs):
    """Another build of httprs, for ``--baseline DIR``: the harness puts DIR (a folder holding
    an importable ``httprs`` package with its extension, e.g. an older checkout's ``python/``)
    first on the child's ``PYTHONPATH``, so ``import httprs`` finds that build. A reference
    row, never a peer: it shows whether a change made httprs slower."""

    name = "httprs-baseline"

    def load(self) -> str:
        version = super().load()
        return f"{version} from {Path(self.mod.__file__).parent.parent}"


class Httpx(HttpxLike):
    name = module = "httpx"


class Httpxr(HttpxLike):
    name = module = "httpxr"
