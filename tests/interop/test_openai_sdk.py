"""The real openai SDK over httprs: ``OpenAI(http_client=httpx.Client(transport=
httprs.compat.httpx.HTTPTransport()))`` (and httpx2's client, and the async clients on asyncio
and trio) against the fake API of tests/support/apps/fake_llm_api.py. Each test runs on the
three variants of tests/drivers.py for httpx and for httpx2: what the SDK does with what the
adapter returns and raises (parsing, SSE streaming, its error classes, its retry loop)."""

from __future__ import annotations

import uuid

import httprs
import openai
import pytest

from tests.conftest import closed_port
from tests.drivers import (  # noqa: F401
    AdapterDriver,
    anyio_backend_fixture,
    library_fixture,
    variant_fixture,
)

pytestmark = pytest.mark.anyio

MESSAGES = [{"role": "user", "content": "Say hello"}]


async def test_chat_completion(make_sdk, fake_api):
    async with make_sdk("openai") as sdk:
        completion = await sdk.call(
            sdk.client.chat.completions.create, model="gpt-test", messages=MESSAGES
        )
    assert completion.choices[0].message.content == "Hello, world"
    assert completion.model == "gpt-test"
    assert completion.usage.total_tokens == 6
    # The SDK's own headers went over the wire.
    headers = fake_api.app.requests[-1]
    assert headers["authorization"] == "Bearer test-key"
    assert headers["user-agent"].startswith(("OpenAI/Python", "AsyncOpenAI/Python"))


async def test_streamed_completion(make_sdk):
    async with make_sdk("openai") as sdk:
        stream = await sdk.call(
            sdk.client.chat.completions.create, model="gpt-test", messages=MESSAGES, stream=True
        )
        chunks = await sdk.collect(stream)
    pieces = [c.choices[0].delta.content for c in chunks if c.choices[0].delta.content]
    assert pieces == ["Hello", ", ", "world"]
    assert chunks[-1].choices[0].finish_reason == "stop"


async def test_not_found(make_sdk):
    async with make_sdk("openai", max_retries=0) as sdk:
        with pytest.raises(openai.NotFoundError) as caught:
            await sdk.call(
                sdk.client.chat.completions.create, model="missing-model", messages=MESSAGES
            )
    assert caught.value.status_code == 404
    assert "does not exist" in caught.value.message
    assert caught.value.code == "model_not_found"


async def test_rate_limited_then_retried(make_sdk, fake_api, variant, library):
    """Two 429s (with `retry-after-ms`), then the answer: the SDK's retry loop sends the
    request three times, each through the adapter."""
    driver = AdapterDriver(is_async=variant[0] == "async", library=library)
    sent = []

    if driver.is_async:

        class Counting(driver.adapter.AsyncHTTPTransport):
            async def handle_async_request(self, request):
                sent.append(request.url.path)
                return await super().handle_async_request(request)
    else:

        class Counting(driver.adapter.HTTPTransport):
            def handle_request(self, request):
                sent.append(request.url.path)
                return super().handle_request(request)

    tag = uuid.uuid4().hex
    async with make_sdk("openai", transport=Counting(), max_retries=2) as sdk:
        completion = await sdk.call(
            sdk.client.chat.completions.create, model=f"busy:{tag}:2", messages=MESSAGES
        )
    assert completion.choices[0].message.content == "Hello, world"
    assert fake_api.app.hits[tag] == 3
    assert sent == ["/v1/chat/completions"] * 3


async def test_rate_limited_out_of_retries(make_sdk, fake_api):
    tag = uuid.uuid4().hex
    async with make_sdk("openai", max_retries=1) as sdk:
        with pytest.raises(openai.RateLimitError) as caught:
            await sdk.call(
                sdk.client.chat.completions.create, model=f"busy:{tag}:5", messages=MESSAGES
            )
    assert caught.value.status_code == 429
    assert fake_api.app.hits[tag] == 2


async def test_connection_refused(make_sdk, library):
    base_url = f"http://127.0.0.1:{closed_port()}"
    async with make_sdk("openai", base_url=base_url, max_retries=0) as sdk:
        with pytest.raises(openai.APIConnectionError) as caught:
            await sdk.call(sdk.client.chat.completions.create, model="gpt-test", messages=MESSAGES)
    assert not isinstance(caught.value, openai.APITimeoutError)
    # The SDK caught the library's ConnectError, whose cause is httprs's.
    cause = caught.value.__cause__
    assert type(cause).__module__.split(".")[0] == library
    assert type(cause).__name__ == "ConnectError"
    assert isinstance(cause.__cause__, httprs.ConnectError)


async def test_timeout(make_sdk):
    async with make_sdk("openai", timeout=0.3, max_retries=0) as sdk:
        with pytest.raises(openai.APITimeoutError):
            await sdk.call(sdk.client.chat.completions.create, model="slow:2", messages=MESSAGES)


async def test_timeout_per_call(make_sdk):
    """A per-call timeout reaches the transport through the request's extensions."""
    async with make_sdk("openai", max_retries=0) as sdk:
        with pytest.raises(openai.APITimeoutError):
            await sdk.call(
                sdk.client.chat.completions.create,
                model="slow:2",
                messages=MESSAGES,
                timeout=0.3,
            )
        completion = await sdk.call(
            sdk.client.chat.completions.create, model="slow:0.1", messages=MESSAGES, timeout=5
        )
    assert completion.choices[0].message.content == "Hello, world"
