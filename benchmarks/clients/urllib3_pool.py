"""urllib3: one ``PoolManager`` (thread-safe; blocking API only)."""

from __future__ import annotations

from typing import Any

from clients import CHUNK, Library, Options, check


class Session:
    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self._request = pool.request

    def get(self, url: str) -> bytes:
        response = self._request("GET", url)
        check(response.status)
        return response.data

    def get_json(self, url: str) -> Any:
        response = self._request("GET", url)
        check(response.status)
        return response.json()

    def stream(self, url: str) -> int:
        size = 0
        response = self._request("GET", url, preload_content=False)
        check(response.status)
        for chunk in response.stream(CHUNK):
            size += len(chunk)
        response.release_conn()
        return size

    def put(self, url: str, data: bytes) -> None:
        check(self._request("PUT", url, body=data).status)

    def close(self) -> None:
        self.pool.clear()


class Urllib3(Library):
    name = module = "urllib3"
    asyncio = False

    def open(self, opts: Options) -> Session:
        kwargs = {"ca_certs": opts.ca} if opts.ca else {}
        return Session(self.mod.PoolManager(**kwargs))

    def cold_start(self) -> str:
        return "import urllib3\nurllib3.request('GET', URL)"
