"""Fixtures of the interop tests: the fake LLM API server and the SDK clients over httprs.

``make_sdk("openai")`` builds the real SDK client (``openai.OpenAI`` or ``AsyncOpenAI``,
``anthropic.Anthropic`` or ``AsyncAnthropic``) of the test's variant (tests/drivers.py:
sync, async on asyncio, async on trio), given ``http_client=`` an httpx (or httpx2) client
whose transport is httprs's adapter (``httprs.compat.httpx`` / ``httprs.compat.httpx2``),
pointed at the fake API (tests/support/apps/fake_llm_api.py).
"""

from __future__ import annotations

import contextlib

import pytest

from tests.drivers import AdapterDriver
from tests.support.apps.fake_llm_api import FakeLLMApi
from tests.support.servers.asgi import start_uvicorn


@pytest.fixture(scope="session")
def fake_api():
    """The fake OpenAI / Anthropic API on 127.0.0.1 (``.url``; ``.app`` is the
    ``FakeLLMApi``, with its ``hits`` and ``requests``)."""
    with start_uvicorn(FakeLLMApi()) as handle:
        yield handle


class SDK:
    """An SDK client, sync or async, behind awaitable calls (as ``ClientDriver`` is for
    HTTP clients): ``await sdk.call(sdk.client.chat.completions.create, ...)``,
    ``await sdk.collect(stream)`` (a stream's items, as a list)."""

    def __init__(self, client, is_async: bool) -> None:
        self.client = client
        self.is_async = is_async

    async def call(self, fn, *args, **kwargs):
        result = fn(*args, **kwargs)
        if self.is_async:
            result = await result
        return result

    async def collect(self, stream) -> list:
        if self.is_async:
            return [item async for item in stream]
        return list(stream)


@pytest.fixture
def make_sdk(variant, library, fake_api):
    """``make_sdk(name, *, base_url=None, transport=None, **options)``: an async context
    manager giving an :class:`SDK` (closed on exit). ``options`` go to the SDK client."""

    @contextlib.asynccontextmanager
    async def make(name: str, *, base_url: str | None = None, transport=None, **options):
        is_async = variant[0] == "async"
        driver = AdapterDriver(is_async=is_async, library=library)
        http_client = driver.client_class(transport=transport or driver.http_transport())
        url = base_url or fake_api.url
        if name == "openai":
            import openai

            cls = openai.AsyncOpenAI if is_async else openai.OpenAI
            url += "/v1"
        else:
            import anthropic

            cls = anthropic.AsyncAnthropic if is_async else anthropic.Anthropic
        sdk = SDK(
            cls(api_key="test-key", base_url=url, http_client=http_client, **options), is_async
        )
        try:
            yield sdk
        finally:
            await sdk.call(sdk.client.close)

    return make
