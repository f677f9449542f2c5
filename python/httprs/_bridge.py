"""The one awaitable bridge between the Rust runtime and the caller's event loop.

Every async operation of httprs (sending a request, reading a body chunk) is a Rust
*stepper* (`_httprs.Steps`): `step()` advances it without blocking and says what it waits for.
`drive` runs it on whichever event loop awaits it, asyncio or trio (detected with sniffio, as
httpx does). A network wait is a `Pending` running on the Rust runtime; its completion wakes
this task thread-safely. If the task is cancelled, the wait is aborted in Rust: the
request's future is dropped, and with it its connection and its pool slot.
"""

from __future__ import annotations

import functools
import typing

import sniffio

_READY, _WAIT, _AWAIT = 0, 1, 2


async def drive(steps: typing.Any) -> typing.Any:
    try:
        while True:
            kind, value = steps.step()
            if kind == _READY:
                return value
            if kind == _WAIT:
                if sniffio.current_async_library() == "trio":
                    await _wait_trio(value)
                else:
                    await _wait_asyncio(value)
            else:
                try:
                    result = await value
                except Exception as exc:
                    steps.throw(exc)
                else:
                    steps.give(result)
    except BaseException:
        steps.cancel()
        raise


def _resolve(future: typing.Any) -> None:
    if not future.done():
        future.set_result(None)


async def _wait_asyncio(pending: typing.Any) -> None:
    import asyncio

    loop = asyncio.get_running_loop()
    future = loop.create_future()
    if not pending.on_done(functools.partial(loop.call_soon_threadsafe, _resolve, future)):
        return
    try:
        await future
    except BaseException:
        pending.cancel()
        raise


async def _wait_trio(pending: typing.Any) -> None:
    import trio

    task = trio.lowlevel.current_task()
    token = trio.lowlevel.current_trio_token()
    if not pending.on_done(
        functools.partial(token.run_sync_soon, trio.lowlevel.reschedule, task)
    ):
        return

    def abort(_raise_cancel: typing.Any) -> typing.Any:
        # Succeeded only if the completion can no longer reschedule us.
        if pending.cancel():
            return trio.lowlevel.Abort.SUCCEEDED
        return trio.lowlevel.Abort.FAILED

    await trio.lowlevel.wait_task_rescheduled(abort)


async def collect(stream: typing.AsyncIterable[bytes]) -> bytes:
    """An async iterable of bytes, read into memory."""
    chunks = []
    async for chunk in stream:
        if not isinstance(chunk, (bytes, bytearray, memoryview)):
            raise TypeError(f"Request body chunks must be bytes, got {type(chunk).__name__}")
        chunks.append(bytes(chunk))
    return b"".join(chunks)
