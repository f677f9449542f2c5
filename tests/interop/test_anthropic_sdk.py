"""The real anthropic SDK over httprs: ``Anthropic(http_client=httpx2.Client(transport=
httprs.compat.httpx2.HTTPTransport()))`` and the async client on asyncio and trio, against the
fake API of tests/support/apps/fake_llm_api.py. (anthropic accepts httpx2's clients only.)"""

from __future__ import annotations

import anthropic
import pytest

from tests.conftest import closed_port
from tests.drivers import anyio_backend_fixture, variant_fixture  # noqa: F401

pytestmark = pytest.mark.anyio

MESSAGES = [{"role": "user", "content": "Say hello"}]


@pytest.fixture
def library():
    return "httpx2"


async def test_message(make_sdk, fake_api):
    async with make_sdk("anthropic") as sdk:
        message = await sdk.call(
            sdk.client.messages.create, model="claude-test", max_tokens=10, messages=MESSAGES
        )
    assert message.content[0].text == "Hello, world"
    assert message.stop_reason == "end_turn"
    assert fake_api.app.requests[-1]["user-agent"].startswith(
        ("Anthropic/Python", "AsyncAnthropic/Python")
    )


async def test_streamed_message(make_sdk):
    async with make_sdk("anthropic") as sdk:
        stream = await sdk.call(
            sdk.client.messages.create,
            model="claude-test",
            max_tokens=10,
            messages=MESSAGES,
            stream=True,
        )
        events = await sdk.collect(stream)
    text = [e.delta.text for e in events if e.type == "content_block_delta"]
    assert text == ["Hello", ", ", "world"]
    assert events[-1].type == "message_stop"


async def test_not_found(make_sdk):
    async with make_sdk("anthropic", max_retries=0) as sdk:
        with pytest.raises(anthropic.NotFoundError) as caught:
            await sdk.call(
                sdk.client.messages.create, model="missing-model", max_tokens=10, messages=MESSAGES
            )
    assert caught.value.status_code == 404


async def test_connection_refused_and_timeout(make_sdk):
    base_url = f"http://127.0.0.1:{closed_port()}"
    async with make_sdk("anthropic", base_url=base_url, max_retries=0) as sdk:
        with pytest.raises(anthropic.APIConnectionError):
            await sdk.call(
                sdk.client.messages.create, model="claude-test", max_tokens=10, messages=MESSAGES
            )
    async with make_sdk("anthropic", timeout=0.3, max_retries=0) as sdk:
        with pytest.raises(anthropic.APITimeoutError):
            await sdk.call(
                sdk.client.messages.create, model="slow:2", max_tokens=10, messages=MESSAGES
            )
