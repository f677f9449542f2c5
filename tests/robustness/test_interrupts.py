"""A blocking request must let Python signal handlers run (e.g. Ctrl-C / KeyboardInterrupt)."""

import os
import signal
import threading
import time

import httprs
import pytest

pytestmark = [
    pytest.mark.network,
    pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="needs POSIX signals"),
]


class Interrupted(Exception):
    pass


@pytest.fixture
def interrupt_after():
    """Deliver SIGUSR1 to this process after a delay; its handler raises ``Interrupted``."""

    def handler(signum, frame):
        raise Interrupted()

    previous = signal.signal(signal.SIGUSR1, handler)
    timers: list[threading.Timer] = []

    def schedule(delay: float) -> None:
        timer = threading.Timer(delay, os.kill, args=(os.getpid(), signal.SIGUSR1))
        timers.append(timer)
        timer.start()

    yield schedule
    for timer in timers:
        timer.cancel()
        timer.join()
    signal.signal(signal.SIGUSR1, previous)


def test_signal_handler_interrupts_a_blocking_request(server, interrupt_after):
    with httprs.Client() as client:
        interrupt_after(0.3)
        start = time.monotonic()
        with pytest.raises(Interrupted):
            client.get(server.url + "/slow?delay=3")
        assert time.monotonic() - start < 2.0
        # The client is still usable afterwards.
        assert client.get(server.url + "/slow?delay=0").text == "ok"


def test_keyboard_interrupt_propagates(server):
    previous = signal.getsignal(signal.SIGINT)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.3, os.kill, args=(os.getpid(), signal.SIGINT))
    try:
        timer.start()
        start = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            httprs.get(server.url + "/slow?delay=3")
        assert time.monotonic() - start < 2.0
    finally:
        timer.cancel()
        timer.join()
        signal.signal(signal.SIGINT, previous)
