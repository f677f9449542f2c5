"""requests' API: requests, niquests and curl_cffi (``Session``; the last two also have an
``AsyncSession``)."""

from __future__ import annotations

import functools
from typing import Any

from clients import CHUNK, Library, Options, check, httpx_api


class SyncSession(httpx_api.SyncSession):
    """get() and get_json() as httpx's; streaming and uploads the requests way."""

    def stream(self, url: str) -> int:
        size = 0
        with self._get(url, stream=True) as response:
            check(response.status_code)
            for chunk in response.iter_content(CHUNK):
                size += len(chunk)
        return size

    def put(self, url: str, data: bytes) -> None:
        check(self.client.put(url, data=data).status_code)


class RequestsLike(Library):
    def session_options(self, opts: Options) -> dict[str, Any]:
        return {}

    def open(self, opts: Options) -> SyncSession:
        session = self.mod.Session(**self.session_options(opts))
        if opts.ca:
            session.verify = opts.ca
        return SyncSession(session)

    def cold_start(self) -> str:
        return f"import {self.module}\n{self.module}.get(URL)"


class Requests(RequestsLike):
    name = module = "requests"
    asyncio = False
    http2 = "HTTP/1.1 only"


class NiquestsAsync(httpx_api.AsyncSession):
    async def stream(self, url: str) -> int:
        size = 0
        response = await self._get(url, stream=True)
        check(response.status_code)
        async for chunk in await response.iter_content(CHUNK):
            size += len(chunk)
        await response.close()
        return size

    async def put(self, url: str, data: bytes) -> None:
        check((await self.client.put(url, data=data)).status_code)

    async def aclose(self) -> None:
        await self.client.close()


class Niquests(RequestsLike):
    name = module = "niquests"
    http3 = None  # through qh3

    async def aopen(self, opts: Options) -> NiquestsAsync:
        kwargs: dict[str, Any] = {}
        if opts.http3:
            # HTTP/3 from the first request, as httprs's http3=True (by default niquests
            # moves to HTTP/3 once an Alt-Svc header names it).
            kwargs |= {"disable_http1": True, "disable_http2": True}
        elif opts.http2:
            # L's server advertises HTTP/3 (Alt-Svc): M measures HTTP/2.
            kwargs["disable_http3"] = True
        if opts.connections:
            kwargs["pool_maxsize"] = opts.connections
        if opts.ca:
            kwargs["verify"] = opts.ca
        wrapper = NiquestsAsync(self.mod.AsyncSession(**kwargs))
        if opts.http3 and opts.ca:
            # Neither the constructor's `verify` nor the session's attribute reaches its
            # HTTP/3 (qh3) handshake ("unable to get local issuer certificate"); a request's
            # `verify` does.
            wrapper._get = functools.partial(wrapper.client.get, verify=opts.ca)
        return wrapper


class CurlCffiSync(SyncSession):
    def stream(self, url: str) -> int:
        size = 0
        with self.client.stream("GET", url) as response:
            check(response.status_code)
            for chunk in response.iter_content():
                size += len(chunk)
        return size


class CurlCffiAsync(NiquestsAsync):
    async def stream(self, url: str) -> int:
        size = 0
        async with self.client.stream("GET", url) as response:
            check(response.status_code)
            async for chunk in response.aiter_content():
                size += len(chunk)
        return size


class CurlCffi(RequestsLike):
    name = "curl_cffi"
    module = "curl_cffi"

    def session_options(self, opts: Options) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        if opts.ca:
            kwargs["verify"] = opts.ca
        if opts.http2:
            kwargs["http_version"] = "v2"
        return kwargs

    def open(self, opts: Options) -> SyncSession:
        return CurlCffiSync(self.mod.Session(**self.session_options(opts)))

    async def aopen(self, opts: Options) -> CurlCffiAsync:
        kwargs = self.session_options(opts)
        if opts.connections:
            kwargs["max_clients"] = opts.connections
        return CurlCffiAsync(self.mod.AsyncSession(**kwargs))
