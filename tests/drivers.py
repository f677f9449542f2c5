"""Run one test scenario on both ``httprs.Client`` and ``httprs.AsyncClient``.

A test module imports the fixtures::

    from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401

and writes each scenario once, as an ``async def`` test marked ``anyio`` that takes ``driver``::

    async def test_something(driver, server):
        async with driver.client(follow_redirects=True) as c:
            response = await c.get(server.url + "/echo")

It runs three times: ``sync`` (an ``httprs.Client``; its calls are made synchronously, on
the asyncio loop, and just look awaited), ``async-asyncio`` and ``async-trio`` (an
``httprs.AsyncClient``). This module's ``anyio_backend`` fixture overrides the one in
conftest.py, so that the sync client is not run twice.

Where the two client kinds need different callables (event hooks are awaited by the async
client; request bodies from iterators must be sync or async iterators to match; transports
are ``HTTPTransport`` or ``AsyncHTTPTransport``), ``driver.hook(...)``,
``driver.iter_content(...)`` and ``driver.http_transport(...)`` give the right kind
(``await driver.handle_request(transport, request)`` calls one directly); a
streamed response is read with the client's helpers (``await c.read(response)``,
``await c.iter_bytes(response)``, ...: see :class:`ClientDriver`).

:func:`get_concurrently` sends many requests at once, :func:`get_in_workers` a steady load of
requests from several workers at once: tasks for the async client, threads for the sync one.

``adapter_driver`` (fixtures ``adapter_driver_fixture`` and ``library_fixture``) is the same
for httpx's and httpx2's own clients with httprs's adapter transports underneath
(``httprs.compat.httpx`` / ``httprs.compat.httpx2``): each test runs six times.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import importlib
import time

import anyio
import httprs
import pytest

VARIANTS = [("sync", "asyncio"), ("async", "asyncio"), ("async", "trio")]


@pytest.fixture(name="variant", params=VARIANTS, ids=["sync", "async-asyncio", "async-trio"])
def variant_fixture(request):
    return request.param


@pytest.fixture(name="anyio_backend")
def anyio_backend_fixture(variant):
    return variant[1]


@pytest.fixture(name="driver")
def driver_fixture(variant):
    return Driver(is_async=variant[0] == "async")


class Driver:
    """Makes clients of one kind and the callables that kind expects."""

    def __init__(self, is_async: bool) -> None:
        self.is_async = is_async
        self.client_class = httprs.AsyncClient if is_async else httprs.Client

    def __repr__(self) -> str:
        return f"<Driver {'async' if self.is_async else 'sync'}>"

    def client(self, **kwargs) -> ClientDriver:
        """A new client of this kind, wrapped: ``async with driver.client(...) as c``."""
        return ClientDriver(self.client_class(**kwargs), self.is_async)

    def http_transport(self, **kwargs):
        """``httprs.HTTPTransport(**kwargs)``, or ``AsyncHTTPTransport`` for the async client."""
        cls = httprs.AsyncHTTPTransport if self.is_async else httprs.HTTPTransport
        return cls(**kwargs)

    async def handle_request(self, transport, request):
        """A network transport called directly, as a custom transport or the httpx adapter
        calls it: ``handle_request(request)`` (or awaited ``handle_async_request``), the
        response read, then the transport closed. The response."""
        if self.is_async:
            response = await transport.handle_async_request(request)
            await response.aread()
            await transport.aclose()
        else:
            response = transport.handle_request(request)
            response.read()
            transport.close()
        return response

    def hook(self, fn, *, read: bool = False):
        """``fn`` (a plain function) as an event hook for this client kind. With ``read=True``
        (a response hook that looks at the body) the hook reads the response first:
        ``response.read()``, or ``await response.aread()`` in the async one."""
        if not self.is_async:
            if not read:
                return fn

            def reading_hook(response):
                response.read()
                return fn(response)

            return reading_hook

        async def hook(arg):
            if read:
                await arg.aread()
            return fn(arg)

        return hook

    def iter_content(self, *chunks: bytes, pause: float = 0.0):
        """A streaming request body (no length known): a generator yielding ``chunks``
        (an async generator for the async client), sleeping ``pause`` seconds before each
        (``anyio.sleep`` in the async one: the loop runs meanwhile). Generators can be sent
        only once."""

        def gen():
            for chunk in chunks:
                if pause:
                    time.sleep(pause)
                yield chunk

        async def agen():
            for chunk in chunks:
                if pause:
                    await anyio.sleep(pause)
                yield chunk

        return agen() if self.is_async else gen()


LIBRARIES = ["httpx", "httpx2"]


@pytest.fixture(name="library", params=LIBRARIES)
def library_fixture(request):
    return request.param


@pytest.fixture(name="adapter_driver")
def adapter_driver_fixture(variant, library):
    return AdapterDriver(is_async=variant[0] == "async", library=library)


class AdapterDriver(Driver):
    """A ``Driver`` whose clients are httpx's (or httpx2's) ``Client`` / ``AsyncClient``
    over httprs's adapter transport: ``lib`` is the library module, ``adapter`` the
    ``httprs.compat`` module for it. The transport's arguments given to ``client()``
    (``verify``, ``http2``, ``limits``, ``proxy``...) go to the adapter, the rest to the
    library's client."""

    TRANSPORT_ARGS = frozenset(
        ["verify", "cert", "http1", "http2", "limits", "proxy", "uds", "local_address", "retries"]
    )

    def __init__(self, is_async: bool, library: str) -> None:
        self.is_async = is_async
        self.lib = importlib.import_module(library)
        self.adapter = importlib.import_module(f"httprs.compat.{library}")
        self.client_class = self.lib.AsyncClient if is_async else self.lib.Client

    def __repr__(self) -> str:
        return f"<AdapterDriver {self.lib.__name__} {'async' if self.is_async else 'sync'}>"

    def client(self, **kwargs) -> ClientDriver:
        options = {k: kwargs.pop(k) for k in list(kwargs) if k in self.TRANSPORT_ARGS}
        transport = self.http_transport(**options)
        return ClientDriver(self.client_class(transport=transport, **kwargs), self.is_async)

    def http_transport(self, **kwargs):
        """The adapter: ``HTTPTransport(**kwargs)``, ``AsyncHTTPTransport`` for async."""
        adapter = self.adapter
        cls = adapter.AsyncHTTPTransport if self.is_async else adapter.HTTPTransport
        return cls(**kwargs)


def _forward(name: str):
    """A ``ClientDriver`` method calling the client's ``name`` (and awaiting it if async)."""

    async def method(self, *args, **kwargs):
        return await self._call(name, *args, **kwargs)

    method.__name__ = name
    return method


async def _as_async_iterator(iterator):
    for item in iterator:
        yield item


class ClientDriver:
    """Uniform awaitable facade over a sync or async client.

    The request methods return the client's ``Response``; any other attribute (``cookies``,
    ``event_hooks``, ``build_request``, ...) reads from / writes to the wrapped client.
    ``entered`` is what the client's ``__enter__`` / ``__aenter__`` returned.

    Reading a streamed response takes the method of the client's kind (``iter_bytes()`` or
    ``aiter_bytes()``, ...): ``await c.read(response)``, ``await c.iter_bytes(response, 10)``
    (a list of the chunks; also ``iter_text``, ``iter_lines``, ``iter_raw``),
    ``c.aiter(response, "bytes", 10)`` (an async iterator, to stop early) and
    ``await c.close_response(response)``.
    """

    def __init__(self, client, is_async: bool) -> None:
        object.__setattr__(self, "client", client)
        object.__setattr__(self, "is_async", is_async)
        object.__setattr__(self, "entered", None)

    def __getattr__(self, name):
        return getattr(self.client, name)

    def __setattr__(self, name, value):
        setattr(self.client, name, value)

    async def _call(self, name, *args, **kwargs):
        result = getattr(self.client, name)(*args, **kwargs)
        if self.is_async:
            result = await result
        return result

    async def __aenter__(self) -> ClientDriver:
        entered = await self._call("__aenter__" if self.is_async else "__enter__")
        object.__setattr__(self, "entered", entered)
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self._call("__aexit__" if self.is_async else "__exit__", *exc_info)

    async def close(self) -> None:
        await self._call("aclose" if self.is_async else "close")

    request = _forward("request")
    get = _forward("get")
    head = _forward("head")
    options = _forward("options")
    post = _forward("post")
    put = _forward("put")
    patch = _forward("patch")
    delete = _forward("delete")
    send = _forward("send")

    @contextlib.asynccontextmanager
    async def stream(self, method, url, **kwargs):
        """``client.stream(...)`` as an async context manager for both kinds."""
        if self.is_async:
            async with self.client.stream(method, url, **kwargs) as response:
                yield response
        else:
            with self.client.stream(method, url, **kwargs) as response:
                yield response

    @contextlib.asynccontextmanager
    async def sse(self, *args, **kwargs):
        """``client.sse(...)`` as an async context manager for both kinds; the event source
        it yields is read with ``c.events(source)`` / ``c.collect_events(source)``."""
        if self.is_async:
            async with self.client.sse(*args, **kwargs) as events:
                yield events
        else:
            with self.client.sse(*args, **kwargs) as events:
                yield events

    def events(self, source):
        """The events of an ``EventSource`` as an async iterator (``async for`` or ``for``)."""
        return source.__aiter__() if self.is_async else _as_async_iterator(source)

    async def collect_events(self, source, limit: int | None = None) -> list:
        """The events of ``source`` as a list: all of them, or the first ``limit``."""
        out = []
        async with contextlib.aclosing(self.events(source)) as events:
            async for event in events:
                out.append(event)
                if limit is not None and len(out) >= limit:
                    break
        return out

    # --- reading a response, the way of this client kind ------------------------------------

    def aiter(self, response, kind: str = "bytes", *args):
        """``response.aiter_<kind>(*args)``, or ``iter_<kind>(*args)`` as an async iterator."""
        if self.is_async:
            return getattr(response, f"aiter_{kind}")(*args)
        return _as_async_iterator(getattr(response, f"iter_{kind}")(*args))

    async def collect(self, response, kind: str = "bytes", *args) -> list:
        """Everything ``aiter(response, kind, *args)`` yields, as a list."""
        return [item async for item in self.aiter(response, kind, *args)]

    async def iter_bytes(self, response, chunk_size: int | None = None) -> list[bytes]:
        return await self.collect(response, "bytes", chunk_size)

    async def iter_text(self, response, chunk_size: int | None = None) -> list[str]:
        return await self.collect(response, "text", chunk_size)

    async def iter_lines(self, response) -> list[str]:
        return await self.collect(response, "lines")

    async def iter_raw(self, response, chunk_size: int | None = None) -> list[bytes]:
        return await self.collect(response, "raw", chunk_size)

    async def read(self, response) -> bytes:
        """Read a (streamed) response's body: ``read()`` or ``aread()``."""
        if self.is_async:
            return await response.aread()
        return response.read()

    async def close_response(self, response) -> None:
        """``response.close()`` or ``await response.aclose()``."""
        if self.is_async:
            await response.aclose()
        else:
            response.close()


async def get_concurrently(driver, c, urls, *, return_exceptions=False, **kwargs) -> list:
    """GET all ``urls`` at once with ``c`` (a ``driver.client(...)``), in order of ``urls``.

    Tasks in an anyio task group for the async client, one thread per URL for the sync one.
    With ``return_exceptions=True`` an exception a request raised takes its response's place.
    """

    def outcome(error):
        if not return_exceptions:
            raise error
        return error

    if not driver.is_async:

        def get(url):
            try:
                return c.client.get(url, **kwargs)
            except Exception as exc:  # noqa: BLE001 - see return_exceptions
                return outcome(exc)

        with concurrent.futures.ThreadPoolExecutor(len(urls)) as pool:
            return list(pool.map(get, urls))
    responses = [None] * len(urls)

    async def fetch(i, url):
        try:
            responses[i] = await c.client.get(url, **kwargs)
        except Exception as exc:  # noqa: BLE001 - see return_exceptions
            responses[i] = outcome(exc)

    async with anyio.create_task_group() as tg:
        for i, url in enumerate(urls):
            tg.start_soon(fetch, i, url)
    return responses


async def get_in_workers(driver, c, url, *, workers: int, each: int, **kwargs) -> list:
    """A steady load: ``workers`` at once (threads for the sync client, tasks for the async
    one), each sending ``each`` GETs to ``url`` one after the other. Returns every status code
    (raises what a request raised)."""
    if not driver.is_async:

        def work(_):
            return [c.client.get(url, **kwargs).status_code for _ in range(each)]

        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            return [code for codes in pool.map(work, range(workers)) for code in codes]
    codes = []

    async def work():
        for _ in range(each):
            codes.append((await c.client.get(url, **kwargs)).status_code)

    async with anyio.create_task_group() as tg:
        for _ in range(workers):
            tg.start_soon(work)
    return codes
