"""Run one test scenario on both ``httprs.Client`` and ``httprs.AsyncClient``.

A test module imports the fixtures::

    from tests.support.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401

and writes each scenario once, as an ``async def`` test marked ``anyio`` that takes ``driver``::

    async def test_something(driver, server):
        async with driver.client(follow_redirects=True) as c:
            response = await c.get(server.url + "/echo")

It runs three times: ``sync`` (an ``httprs.Client``; its calls are made synchronously, on
the asyncio loop, and just look awaited), ``async-asyncio`` and ``async-trio`` (an
``httprs.AsyncClient``). This module's ``anyio_backend`` fixture overrides the one in
conftest.py, so that the sync client is not run twice.

Where the two client kinds need different callables (event hooks are awaited by the async
client; request bodies from iterators must be sync or async iterators to match),
``driver.hook(...)`` and ``driver.iter_content(...)`` give the right kind.
"""

from __future__ import annotations

import concurrent.futures
import contextlib

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

    def hook(self, fn):
        """``fn`` (a plain function) as an event hook for this client kind."""
        if not self.is_async:
            return fn

        async def hook(arg):
            return fn(arg)

        return hook

    def iter_content(self, *chunks: bytes):
        """A streaming request body (no length known): a generator yielding ``chunks``
        (an async generator for the async client). Generators can be sent only once."""

        def gen():
            yield from chunks

        async def agen():
            for chunk in chunks:
                yield chunk

        return agen() if self.is_async else gen()


class ClientDriver:
    """Uniform awaitable facade over a sync or async client.

    The request methods return the client's ``Response``; any other attribute (``cookies``,
    ``event_hooks``, ``build_request``, ...) reads from / writes to the wrapped client.
    """

    def __init__(self, client, is_async: bool) -> None:
        object.__setattr__(self, "client", client)
        object.__setattr__(self, "is_async", is_async)

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
        await self._call("__aenter__" if self.is_async else "__enter__")
        return self

    async def __aexit__(self, *exc_info) -> None:
        await self._call("__aexit__" if self.is_async else "__exit__", *exc_info)

    async def close(self) -> None:
        await self._call("aclose" if self.is_async else "close")

    async def request(self, method, url, **kwargs):
        return await self._call("request", method, url, **kwargs)

    async def get(self, url, **kwargs):
        return await self._call("get", url, **kwargs)

    async def head(self, url, **kwargs):
        return await self._call("head", url, **kwargs)

    async def post(self, url, **kwargs):
        return await self._call("post", url, **kwargs)

    async def put(self, url, **kwargs):
        return await self._call("put", url, **kwargs)

    async def patch(self, url, **kwargs):
        return await self._call("patch", url, **kwargs)

    async def delete(self, url, **kwargs):
        return await self._call("delete", url, **kwargs)

    async def send(self, request, **kwargs):
        return await self._call("send", request, **kwargs)

    @contextlib.asynccontextmanager
    async def stream(self, method, url, **kwargs):
        """``client.stream(...)`` as an async context manager for both kinds."""
        if self.is_async:
            async with self.client.stream(method, url, **kwargs) as response:
                yield response
        else:
            with self.client.stream(method, url, **kwargs) as response:
                yield response

    async def iter_bytes(self, response) -> list[bytes]:
        """The chunks of a streamed response: ``iter_bytes()`` or ``aiter_bytes()``."""
        if self.is_async:
            return [chunk async for chunk in response.aiter_bytes()]
        return list(response.iter_bytes())

    async def read(self, response) -> bytes:
        """Read a (streamed) response's body: ``read()`` or ``aread()``."""
        if self.is_async:
            return await response.aread()
        return response.read()


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
