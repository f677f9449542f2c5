"""The one awaitable bridge between the Rust runtime and the caller's event loop.

Every async operation of httprs (sending a request, reading a body chunk) is a Rust
*stepper* (`_httprs.Steps`): `step()` advances it without blocking and says what it waits for.
`drive` runs it on whichever event loop awaits it, asyncio or trio (detected with sniffio, as
httpx does). A network wait is a `Pending` running on the Rust runtime; when it is over, the
runtime thread leaves the waiter (an asyncio future, or a trio task) in the loop's `Hub` and
signals a socket the loop watches, without taking the GIL; the loop then wakes the waiter. If the task is cancelled, the wait is aborted in Rust: the
request's future is dropped, and with it its connection and its pool slot.
"""

from __future__ import annotations

import typing
import weakref

import sniffio

from ._httprs import Hub

_READY, _WAIT, _AWAIT = 0, 1, 2


async def drive(steps: typing.Any) -> typing.Any:
    """Run `steps` to its result on the running event loop."""
    wait = None
    try:
        while True:
            kind, value = steps.step()
            if kind == _READY:
                return value
            if kind == _WAIT:
                if wait is None:
                    wait = _waiter()
                await wait(value)
            else:
                try:
                    result = await value
                except Exception as exc:
                    steps.throw(exc)
                else:
                    steps.give(result)
    except BaseException:
        # As httpx's `except BaseException: await response.aclose()`: a user's async body
        # stream being read when the task is cancelled is closed before the exception goes on.
        closing = steps.cancel()
        if closing is not None:
            await closing
        raise


def _waiter() -> typing.Callable[[typing.Any], typing.Awaitable[None]]:
    """How to wait on the running event loop: sniffio's answer, with asyncio's running loop
    asked once. (On Python 3.11 each `asyncio.get_running_loop()`, which sniffio's own look
    for asyncio makes too, is a `getpid()` system call.)"""
    # Where a library declares itself (trio does, in its run loop): sniffio's first look.
    name = sniffio.thread_local.name or sniffio.current_async_library_cvar.get()
    if name == "trio":
        return _wait_trio
    if name is None:
        import asyncio

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            sniffio.current_async_library()  # raises sniffio's own error
            raise
        return lambda pending: _wait_asyncio(pending, loop)
    return _wait_asyncio


# asyncio: one hub per loop, watched with add_reader; the wakers are futures.
_asyncio_hubs: weakref.WeakKeyDictionary[typing.Any, Hub] = weakref.WeakKeyDictionary()


def _asyncio_hub(loop: typing.Any) -> Hub:
    hub = _asyncio_hubs.get(loop)
    if hub is None:
        hub = _asyncio_hubs[loop] = Hub()
        loop.add_reader(hub.fileno(), _drain_asyncio, hub)
    return hub


def _drain_asyncio(hub: Hub) -> None:
    for future in hub.drain():
        if not future.done():  # cancelled meanwhile
            future.set_result(None)


async def _wait_asyncio(pending: typing.Any, loop: typing.Any = None) -> None:
    if loop is None:
        import asyncio

        loop = asyncio.get_running_loop()
    future = loop.create_future()
    if not pending.on_done(_asyncio_hub(loop), future):
        return
    try:
        await future
    except BaseException:
        pending.cancel()
        raise


# trio: one hub per run, pumped by a system task; the wakers are the waiting tasks.
_trio_hub: typing.Any = None


def _get_trio_hub() -> Hub:
    import trio

    global _trio_hub
    if _trio_hub is None:
        run_var: trio.lowlevel.RunVar[Hub] = trio.lowlevel.RunVar("httprs_hub")
        _trio_hub = run_var
    try:
        hub: Hub = _trio_hub.get()
        return hub
    except LookupError:
        hub = Hub()
        _trio_hub.set(hub)
        trio.lowlevel.spawn_system_task(_pump_trio, hub, name="httprs wakeups")
        return hub


async def _pump_trio(hub: Hub) -> None:
    import trio

    try:
        while True:
            await trio.lowlevel.wait_readable(hub.fileno())
            for task in hub.drain():
                trio.lowlevel.reschedule(task)
    finally:
        # The run is ending: release the socket pair now rather than at garbage collection.
        trio.lowlevel.notify_closing(hub.fileno())
        hub.close()


async def _wait_trio(pending: typing.Any) -> None:
    import trio

    if not pending.on_done(_get_trio_hub(), trio.lowlevel.current_task()):
        return

    def abort(_raise_cancel: typing.Any) -> typing.Any:
        # Succeeded only if the task can no longer reach the hub (and be rescheduled).
        if pending.cancel():
            return trio.lowlevel.Abort.SUCCEEDED
        return trio.lowlevel.Abort.FAILED

    await trio.lowlevel.wait_task_rescheduled(abort)


async def next_chunk(iterator: typing.AsyncIterator[object]) -> bytes | None:
    """The next chunk of an async request body (what the pipeline awaits for each chunk it
    feeds to the network), None at its end."""
    try:
        chunk = await iterator.__anext__()
    except StopAsyncIteration:
        return None
    if not isinstance(chunk, (bytes, bytearray, memoryview)):
        raise TypeError(f"Request body chunks must be bytes, got {type(chunk).__name__}")
    return bytes(chunk)  # pyright: ignore[reportUnknownArgumentType] (memoryview's item type)


async def collect(stream: typing.AsyncIterable[bytes]) -> bytes:
    """An async iterable of bytes, read into memory (`await request.aread()`)."""
    iterator = stream.__aiter__()
    chunks: list[bytes] = []
    while (chunk := await next_chunk(iterator)) is not None:
        chunks.append(chunk)
    return b"".join(chunks)


async def aenter_all(transports: list[typing.Any], client: typing.Any) -> typing.Any:
    """`await t.__aenter__()` for each Python transport of an AsyncClient being entered."""
    for transport in transports:
        if hasattr(transport, "__aenter__"):  # a duck-typed transport has nothing to enter
            await transport.__aenter__()
    return client


async def aexit_all(transports: list[typing.Any], exc_info: tuple[typing.Any, ...]) -> None:
    """`await t.__aexit__(*exc_info)` for each Python transport of an AsyncClient exiting."""
    for transport in transports:
        if hasattr(transport, "__aexit__"):
            await transport.__aexit__(*exc_info)
        elif hasattr(transport, "aclose"):
            await transport.aclose()


async def aclose_all(transports: list[typing.Any]) -> None:
    """`await t.aclose()` for each Python transport of a closing AsyncClient."""
    for transport in transports:
        await transport.aclose()
