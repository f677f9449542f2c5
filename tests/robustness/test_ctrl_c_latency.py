"""Ctrl-C stops a blocking call at once, without disturbing anyone else's signal handling.

On the main thread a signal wakes the sync wait the moment it arrives (a handler of httprs
stands in front of Python's while the main thread waits: ``src/exchange/signal_wake.rs``);
the 50 ms slices it had to wait out before remain the fallback. So:

- in every phase (connecting, waiting for the head, reading the body, waiting for a pool
  slot, and while other threads' requests are in flight), the median latency from SIGINT to
  ``KeyboardInterrupt`` over several tries is far below what the slices gave (uniform over
  0-50 ms: a median near 25 ms). Measured by ``benchmarks/ctrl_c.py``, which sends a real
  SIGINT from another process, as a terminal does; 0.2-0.4 ms on the development box;
- a wakeup fd the program set (``signal.set_wakeup_fd``, as asyncio and trio do) is left in
  place, still receives the signal's byte, and keeps its ``warn_on_full_buffer`` setting;
  the program's own SIGINT handler is the one that runs;
- ``trio.run`` around a blocking call: Ctrl-C raises ``KeyboardInterrupt`` out of it, and
  the next ``trio.run`` finds no wakeup fd left over (trio warns if it finds one);
- a call on another thread is not woken (Python runs handlers on the main thread only): the
  main thread gets ``KeyboardInterrupt`` and the other thread's request completes;
- the signal dispositions are as they were after the wait, and in a child forked (by another
  thread) during it.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.network,
    pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="needs POSIX signals"),
]

ROOT = Path(__file__).resolve().parents[2]

# The median's bound, per phase: a quarter of the 50 ms slice, far above what it is (well
# under 1 ms), so that a loaded CI machine passes, and far below the slices' median (~25 ms:
# with them, a median of 7 tries under 12 ms happens in about 4% of the runs of one phase).
MEDIAN_LIMIT_MS = 12.0
TRIES = 7


def test_ctrl_c_interrupts_every_phase_at_once():
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "ctrl_c.py"),
            "--json",
            "--clients",
            "httprs",
            "--tries",
            str(TRIES),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    samples = json.loads(result.stdout.splitlines()[-1])
    # "connect" is left out where a full accept queue does not make connect() hang.
    assert set(samples) - {"connect"} == {"head", "body", "pool", "threads"}
    for phase, by_client in samples.items():
        latencies = [seconds * 1000 for seconds in by_client["httprs"]]
        assert len(latencies) == TRIES
        median = statistics.median(latencies)
        print(f"\n{phase}: median {median:.2f} ms, worst {max(latencies):.2f} ms")
        assert median < MEDIAN_LIMIT_MS, f"{phase}: {sorted(latencies)}"


CHILD = r"""
import json, os, signal, socket, sys, threading, time, warnings
import httprs

base, case = sys.argv[1], sys.argv[2]


def report(**fields):
    print(json.dumps(fields), flush=True)


def sigint_in(delay):
    timer = threading.Timer(delay, os.kill, args=(os.getpid(), signal.SIGINT))
    timer.daemon = True
    timer.start()


client = httprs.Client(timeout=30)
assert client.get(base + "/slow?delay=0").text == "ok"

if case == "wakeup_fd":
    class Mine(Exception):
        pass

    calls = []

    def mine(signum, frame):
        calls.append(signum)
        raise Mine()

    signal.signal(signal.SIGINT, mine)
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    assert signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False) == -1
    outcomes = []
    for full in (False, True):
        if full:  # Python's write to the wakeup fd now fails: with the flag off, silently
            try:
                while True:
                    writer.send(b"\0" * 4096)
            except BlockingIOError:
                pass
        sigint_in(0.3)
        start = time.monotonic()
        try:
            client.get(base + "/slow?delay=10")
            outcomes.append("returned")
        except Mine:
            outcomes.append(round(time.monotonic() - start, 3))
        if not full:
            received = reader.recv(100)
    report(
        outcomes=outcomes,
        calls=calls,
        received=list(received),
        still_set=signal.set_wakeup_fd(-1) == writer.fileno(),
        after=client.get(base + "/slow?delay=0").text,
    )
elif case == "trio":
    import trio

    async def blocking():
        sigint_in(0.3)
        client.get(base + "/slow?delay=10")

    outcome = None
    try:
        trio.run(blocking)
    except KeyboardInterrupt:
        outcome = "KeyboardInterrupt"

    async def quick():
        return client.get(base + "/slow?delay=0").text

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # trio warns when it finds a wakeup fd set
        again = trio.run(quick)
    report(outcome=outcome, again=again, wakeup_fd=signal.set_wakeup_fd(-1))
elif case == "fork":
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)

    def handler_of(signum):
        # struct sigaction starts with the handler's address (glibc, musl).
        action = ctypes.create_string_buffer(512)
        assert libc.sigaction(signum, None, action) == 0
        return int.from_bytes(action.raw[: ctypes.sizeof(ctypes.c_void_p)], sys.byteorder)

    before = handler_of(signal.SIGINT)
    seen = {}

    def fork_while_main_waits():
        time.sleep(0.3)
        seen["during"] = handler_of(signal.SIGINT)
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.write(writer, str(handler_of(signal.SIGINT)).encode())
            os._exit(0)
        os.waitpid(pid, 0)
        seen["child"] = int(os.read(reader, 100))

    forker = threading.Thread(target=fork_while_main_waits)
    forker.start()
    text = client.get(base + "/slow?delay=1").text
    forker.join()
    report(before=before, after=handler_of(signal.SIGINT), text=text, **seen)
elif case == "other_thread":
    answers = []
    worker = threading.Thread(target=lambda: answers.append(client.get(base + "/slow?delay=1").text))
    worker.start()
    sigint_in(0.3)
    try:
        time.sleep(5)  # (not worker.join(): on 3.11 an interrupted join forgets the thread)
        interrupted = False
    except KeyboardInterrupt:
        interrupted = True
    worker.join()
    report(interrupted=interrupted, answers=answers)
client.close()
"""


def run_child(server, case: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, server.url, case],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    assert result.returncode == 0 and lines, result.stdout + result.stderr
    return {"stderr": result.stderr, **json.loads(lines[-1])}


def test_a_wakeup_fd_already_set_stays_and_the_programs_handler_runs(server):
    result = run_child(server, "wakeup_fd")
    outcomes = result["outcomes"]
    # The program's handler interrupted both calls (not KeyboardInterrupt, not the slices'
    # worst case of a 10 s wait).
    assert len(outcomes) == 2 and all(isinstance(o, float) and o < 2.0 for o in outcomes)
    assert result["calls"] == [signal.SIGINT, signal.SIGINT]
    # Python still wrote the signal's number to the program's wakeup fd...
    assert result["received"] == [signal.SIGINT]
    # ... which is still the one set, with its warn_on_full_buffer=False: the full buffer of
    # the second call was not reported.
    assert result["still_set"] is True
    assert "wakeup fd" not in result["stderr"], result["stderr"]
    assert result["after"] == "ok"


def test_ctrl_c_out_of_trio_run_leaves_no_wakeup_fd(server):
    result = run_child(server, "trio")
    assert result["outcome"] == "KeyboardInterrupt"
    assert result["again"] == "ok"  # no RuntimeWarning from trio about a wakeup fd
    assert result["wakeup_fd"] == -1


def test_a_call_on_another_thread_is_left_to_finish(server):
    result = run_child(server, "other_thread")
    assert result["interrupted"] is True  # the main thread got KeyboardInterrupt
    assert result["answers"] == ["ok"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads struct sigaction")
def test_the_handler_is_put_back_after_the_wait_and_in_a_child_forked_during_it(server):
    """While the main thread waits, httprs's handler stands in front of Python's SIGINT
    handler; the wait's end puts Python's back, and so does a fork from another thread
    during the wait (the child has no such wait to end it)."""
    result = run_child(server, "fork")
    assert result["text"] == "ok"
    assert result["during"] != result["before"]  # ours, in front, during the wait
    assert result["child"] == result["before"]
    assert result["after"] == result["before"]
