"""The clients the harness measures, behind one small interface (one module per API family).

A ``Library`` says what a client can do and opens sessions; a session has the operations the
scenarios time, each one request that fails loudly on a status other than 200:

- ``get(url)``: the whole body in memory (bytes or the library's bytes-like object);
- ``get_json(url)``: the body decoded with the library's own JSON method;
- ``stream(url)``: the body read chunk by chunk as the library delivers it (a chunk size of
  64 KiB where one must be given), nothing kept; returns the byte count;
- ``put(url, data)``: uploads ``data`` (bytes) as the request body;
- ``close()`` (sync) / ``aclose()`` (async).

Each library module is imported lazily (``Library.load()``), so that the harness process never
imports a client; every measurement runs in a fresh child process (``child.py``).
Each client runs with its defaults: only what a scenario needs is set (the CA of the HTTPS
servers, HTTP/2 for J and M, HTTP/3 for L, 200 connections for K).
"""

from __future__ import annotations

import functools
import importlib
import importlib.metadata
from dataclasses import dataclass
from types import ModuleType
from typing import Any

CHUNK = 64 * 1024  # the chunk size of stream() where the library asks for one


@dataclass(frozen=True)
class Options:
    ca: str | None = None  # CA file (PEM) for https URLs
    http2: bool = False  # J, M: HTTP/2 over TLS
    http3: bool = False  # L: HTTP/3 (QUIC) from the first request
    connections: int | None = None  # K: allow this many connections (None: the defaults)

    def ca_bytes(self) -> bytes | None:
        if self.ca is None:
            return None
        with open(self.ca, "rb") as pem:
            return pem.read()


class NotApplicable(Exception):
    """The library has no API for this scenario; the message says why (one line)."""


class BadStatus(Exception):
    pass


def check(status: int) -> None:
    if status != 200:
        if status == 426:  # J's server answers HTTP/1.1 requests so
            raise BadStatus("HTTP status 426: the client spoke HTTP/1.1, not HTTP/2")
        raise BadStatus(f"HTTP status {status}")


class Wrapper:
    """The base of the sessions: the library's client, and its ``get`` looked up once (the
    timed loops call it directly). ``close``/``aclose`` close the client, where that is how
    the library closes one."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self._get = client.get

    def close(self) -> None:
        self.client.close()

    async def aclose(self) -> None:
        await self.client.aclose()


class Library:
    name = ""  # the PyPI distribution, also the label in the tables
    module = ""  # the module to import
    sync = True  # has a blocking API
    asyncio = True  # has an asyncio API
    threads: str | None = None  # why one client cannot be shared by threads (C), or None
    http2: str | None = None  # why it cannot speak HTTP/2 (J), or None
    http3: str | None = "no HTTP/3"  # why it cannot speak HTTP/3 (L), or None

    def __init__(self) -> None:
        self._mod: ModuleType | None = None

    @property
    def mod(self) -> ModuleType:
        if self._mod is None:
            self._mod = importlib.import_module(self.module)
        return self._mod

    def load(self) -> str:
        """Imports the library; returns its version."""
        self.mod  # noqa: B018 (imports it)
        try:
            return importlib.metadata.version(self.name)
        except importlib.metadata.PackageNotFoundError:
            return str(getattr(self.mod, "__version__", "?"))

    def open(self, opts: Options) -> Any:
        """A blocking session."""
        raise NotApplicable("async API only")

    async def aopen(self, opts: Options) -> Any:
        """An asyncio session (called on the running loop)."""
        raise NotApplicable("sync API only")

    def cold_start(self) -> str:
        """A program that imports the library and GETs ``URL`` (defined before it) once, the
        shortest way its documentation shows (scenario G)."""
        raise NotImplementedError


@functools.cache
def libraries() -> dict[str, Library]:
    """Every client, in the order of the tables: httprs, then its peers."""
    from clients import (
        aiohttp_session,
        httpr_client,
        httpx_api,
        primp_client,
        pycurl_handle,
        pyqwest_transport,
        pyreqwest_builder,
        requests_api,
        rnet_client,
        urllib3_pool,
    )

    found = [
        httpx_api.Httprs(),
        pycurl_handle.Pycurl(),
        pyreqwest_builder.Pyreqwest(),
        rnet_client.Rnet(),
        primp_client.Primp(),
        httpr_client.Httpr(),
        pyqwest_transport.Pyqwest(),
        aiohttp_session.Aiohttp(),
        urllib3_pool.Urllib3(),
        requests_api.CurlCffi(),
        requests_api.Niquests(),
        httpx_api.Httpxr(),
        requests_api.Requests(),
        httpx_api.Httpx(),
    ]
    return {library.name: library for library in found}


class Interpreter(Library):
    """G's reference row, not a client: the interpreter alone (``python -c pass``)."""

    name = "python -c pass"
    module = "sys"
    asyncio = False

    def load(self) -> str:
        return ""

    def cold_start(self) -> str:
        return "pass"


@functools.cache
def references() -> dict[str, Library]:
    """Rows measured for reference, not peers: the floor of A (clients/raw_socket.py), the
    interpreter's own start for G, and another build of httprs (``--baseline``)."""
    from clients import raw_socket
    from clients.httpx_api import HttprsBaseline

    return {
        raw_socket.NAME: raw_socket.RawSocket(),
        Interpreter.name: Interpreter(),
        HttprsBaseline.name: HttprsBaseline(),
    }


def lookup(name: str) -> Library:
    return libraries().get(name) or references()[name]
