"""Counting this process's open file descriptors (Linux ``/proc/self/fd``).

The test servers run in this same process (uvicorn threads), so a socket the client leaks
shows up twice: the client's end and the server's end. Closing is asynchronous on both sides
(the event loop, the server thread, an engine's I/O threads), hence the polling helpers.
"""

from __future__ import annotations

import os
import time

import anyio
import pytest

FD_DIR = "/proc/self/fd"

needs_proc_fd = pytest.mark.skipif(
    not os.path.isdir(FD_DIR), reason="counting sockets needs /proc/self/fd (Linux)"
)


def open_fds() -> int:
    return len(os.listdir(FD_DIR))


async def settle_fds(limit: int, timeout: float = 3.0) -> int:
    """Yield to the event loop until at most ``limit`` fds are open (or ``timeout``);
    return the last count. Awaiting (not ``time.sleep``) lets the loop run the closes it
    has scheduled."""
    deadline = time.monotonic() + timeout
    count = open_fds()
    while count > limit and time.monotonic() < deadline:
        await anyio.sleep(0.05)
        count = open_fds()
    return count


async def steady_fds(timeout: float = 2.0) -> int:
    """The fd count once it stops changing (two equal readings 0.1 s apart, or ``timeout``):
    a baseline taken after a warm-up, whose closes may still be in progress."""
    deadline = time.monotonic() + timeout
    count = open_fds()
    while time.monotonic() < deadline:
        await anyio.sleep(0.1)
        previous, count = count, open_fds()
        if count == previous:
            break
    return count


def settle_fds_sync(limit: int, timeout: float = 3.0) -> int:
    """Like :func:`settle_fds`, outside any event loop."""
    deadline = time.monotonic() + timeout
    count = open_fds()
    while count > limit and time.monotonic() < deadline:
        time.sleep(0.05)
        count = open_fds()
    return count


def steady_fds_sync(timeout: float = 2.0) -> int:
    """Like :func:`steady_fds`, outside any event loop."""
    deadline = time.monotonic() + timeout
    count = open_fds()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        previous, count = count, open_fds()
        if count == previous:
            break
    return count
