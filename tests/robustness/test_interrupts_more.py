"""Ctrl-C (and any signal handler that raises) stops a blocking call promptly, in every phase.

``test_interrupts.py`` checks that a signal interrupts a request waiting for its response
headers, within 2 s, in the pytest process. Here each case runs in a child process (a small
script, so that signals, pools and event loops stay out of pytest), in each phase where a sync
call can block:

- ``headers``: waiting for the response headers (``/slow?delay=10``);
- ``body``: iterating a streamed body whose next chunk is 10 s away (``/slow-body``);
- ``pool``: waiting for a connection slot (``Limits(max_connections=1)``, the only slot held
  by an open streamed response);
- ``connect``: a TCP connect that never completes (a loopback listener whose accept queue is
  full: Linux then drops further SYNs, so ``connect()`` hangs; skipped if it does not);
- ``threads``: waiting for the response headers while three other threads' requests are in
  flight on the same client (the call then runs as a task of the runtime, driven by its
  helper thread: ``src/exchange/runtime.rs``); their requests complete normally.

The signal comes from a timer thread of the child (``os.kill(os.getpid(), SIGINT)``; the child
measures from just before ``os.kill`` to the exception), or from the parent after the child
prints ``ready`` (both read ``CLOCK_MONOTONIC``, which is system-wide). Each case asserts the
latency bound and that the same client then completes another request. The async cases check
that ``asyncio.run`` / ``trio.run`` turn Ctrl-C into the cancellation of the request promptly.

Latencies are printed (``pytest -s`` shows them). A signal wakes a wait of the main thread
at once (``src/exchange/signal_wake.rs``: well under 1 ms); every wait also polls for signals
every 50 ms (``SIGNAL_SLICE`` in ``src/exchange/runtime.rs``), so the bound below holds even
where the wake-up does not apply. ``test_ctrl_c_latency.py`` checks the median latencies.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

pytestmark = [
    pytest.mark.network,
    pytest.mark.skipif(not hasattr(signal, "SIGUSR1"), reason="needs POSIX signals"),
]

# The brief's bound: the 50 ms poll slice plus scheduling, without retries (what the fallback
# guarantees; with the wake-up, 0.2-0.4 ms on the 2-core development box).
LIMIT = 0.1

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

SYNC_CHILD = r"""
import json, os, signal, socket, sys, threading, time
import httprs

base, phase, how = sys.argv[1], sys.argv[2], sys.argv[3]


class MyError(Exception):
    pass


def on_usr1(signum, frame):
    raise MyError("SIGUSR1")


signal.signal(signal.SIGUSR1, on_usr1)
signal.signal(signal.SIGINT, signal.default_int_handler)
expected = MyError if how == "sigusr1" else KeyboardInterrupt
signum = signal.SIGUSR1 if how == "sigusr1" else signal.SIGINT
sent = []


def report(**fields):
    print(json.dumps(fields), flush=True)


def fire():
    sent.append(time.monotonic())
    os.kill(os.getpid(), signum)


def arm():
    # Called just before the blocking call: 0.3 s later the call is surely blocked.
    if how == "external":
        print("ready", flush=True)  # the parent sends SIGINT 0.3 s from now
    else:
        timer = threading.Timer(0.3, fire)
        timer.daemon = True
        timer.start()


def blackhole():
    # A listener that never accepts, with its accept queue full: Linux drops later SYNs.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    address = listener.getsockname()
    fillers = []
    for _ in range(8):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(address)
        fillers.append(s)
    time.sleep(0.1)
    probe = socket.socket()
    probe.settimeout(0.5)
    try:
        probe.connect(address)
    except (socket.timeout, TimeoutError):
        return listener, fillers, address
    except OSError as exc:
        report(skip=f"connect to a full accept queue failed at once: {exc!r}")
        sys.exit(0)
    finally:
        probe.close()
    report(skip="connect to a full accept queue completed: cannot make connect() block")
    sys.exit(0)


kwargs = {"timeout": 30}
if phase == "pool":
    kwargs["limits"] = httprs.Limits(max_connections=1)
client = httprs.Client(**kwargs)
assert client.get(base + "/slow?delay=0").text == "ok"  # warm up: imports, pool, runtime

held = None
workers, answers = [], []
try:
    if phase == "headers":
        arm()
        client.get(base + "/slow?delay=10")
    elif phase == "body":
        with client.stream("GET", base + "/slow-body?delay=10&chunks=2") as response:
            arm()
            for _ in response.iter_bytes():
                pass
    elif phase == "pool":
        held = client.stream("GET", base + "/slow-body?delay=10&chunks=2")
        held.__enter__()
        arm()
        client.get(base + "/slow?delay=0")
    elif phase == "connect":
        keep = blackhole()
        arm()
        client.get("http://%s:%d/" % keep[2])
    elif phase == "threads":
        def work():
            answers.append(client.get(base + "/slow?delay=1").text)

        workers = [threading.Thread(target=work) for _ in range(3)]
        for worker in workers:
            worker.start()
        time.sleep(0.1)
        arm()
        client.get(base + "/slow?delay=10")
    report(error="the blocking call returned without being interrupted")
    sys.exit(1)
except expected:
    caught = time.monotonic()
if held is not None:
    held.__exit__(None, None, None)
for worker in workers:
    worker.join()
start = time.monotonic()
after = client.get(base + "/slow?delay=0", params={"after": phase})
report(
    sent=sent[0] if sent else None,
    caught=caught,
    after_status=after.status_code,
    after_text=after.text,
    after_seconds=time.monotonic() - start,
    answers=answers,
)
client.close()
"""

ASYNC_CHILD = r"""
import json, os, signal, sys, threading, time
import httprs

base, lib, phase = sys.argv[1], sys.argv[2], sys.argv[3]
sent, cancelled = [], []


def report(**fields):
    print(json.dumps(fields), flush=True)


def fire():
    sent.append(time.monotonic())
    os.kill(os.getpid(), signal.SIGINT)


def arm():
    timer = threading.Timer(0.3, fire)
    timer.daemon = True
    timer.start()


async def main():
    async with httprs.AsyncClient(timeout=30) as client:
        assert (await client.get(base + "/slow?delay=0")).text == "ok"
        try:
            if phase == "headers":
                arm()
                await client.get(base + "/slow?delay=10")
            else:
                async with client.stream("GET", base + "/slow-body?delay=10&chunks=2") as r:
                    arm()
                    async for _ in r.aiter_bytes():
                        pass
        except BaseException as exc:
            cancelled.append(type(exc).__name__)
            raise


async def again():
    async with httprs.AsyncClient(timeout=30) as client:
        return (await client.get(base + "/slow?delay=0")).text


if lib == "asyncio":
    import asyncio

    run = lambda fn: asyncio.run(fn())
else:
    import trio

    run = trio.run
try:
    run(main)
    report(error="the request completed without being interrupted")
    sys.exit(1)
except KeyboardInterrupt:
    caught = time.monotonic()
report(sent=sent[0], caught=caught, inner=cancelled, after_text=run(again))
"""


def run_child(script: str, *args: str, external: bool = False) -> dict:
    """Run ``script`` with ``args``; return its last JSON line (plus ``sent`` for external)."""
    cmd = [sys.executable, "-c", script, *args]
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if not external:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env)
        out, err, code = proc.stdout, proc.stderr, proc.returncode
    else:
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        try:
            line = proc.stdout.readline()
            assert line.strip() == "ready", (line, proc.stderr.read() if proc.poll() else "")
            time.sleep(0.3)
            sent = time.monotonic()
            proc.send_signal(signal.SIGINT)
            out, err = proc.communicate(timeout=60)
            code = proc.returncode
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    lines = [line for line in out.splitlines() if line.startswith("{")]
    assert lines, f"child exited {code} without a report\nstdout: {out}\nstderr: {err}"
    result = json.loads(lines[-1])
    if "skip" in result:
        pytest.skip(result["skip"])
    assert code == 0 and "error" not in result, f"exit {code}: {result}\nstderr: {err}"
    if external:
        result["sent"] = sent
    return result


@pytest.mark.parametrize("how", ["sigint", "sigusr1"])
@pytest.mark.parametrize("phase", ["headers", "body", "pool", "connect", "threads"])
def test_signal_interrupts_each_blocking_phase(server, phase, how):
    result = run_child(SYNC_CHILD, server.url, phase, how)
    latency = result["caught"] - result["sent"]
    print(f"\n{how} during {phase}: interrupted after {latency * 1000:.1f} ms")
    assert latency < LIMIT, f"{how} during {phase} took {latency * 1000:.1f} ms"
    # The same client then completes a request (for "pool": the slot came back).
    assert (result["after_status"], result["after_text"]) == (200, "ok")
    assert result["after_seconds"] < 2.0
    # Other threads' requests are not disturbed.
    assert result["answers"] == (["ok"] * 3 if phase == "threads" else [])


@pytest.mark.parametrize("phase", ["headers", "body"])
def test_external_sigint_interrupts(server, phase):
    """SIGINT sent by another process, as a terminal's Ctrl-C is."""
    result = run_child(SYNC_CHILD, server.url, phase, "external", external=True)
    latency = result["caught"] - result["sent"]
    print(f"\nexternal SIGINT during {phase}: interrupted after {latency * 1000:.1f} ms")
    assert latency < LIMIT, f"external SIGINT during {phase} took {latency * 1000:.1f} ms"
    assert (result["after_status"], result["after_text"]) == (200, "ok")


@pytest.mark.parametrize("lib", ["asyncio", "trio"])
@pytest.mark.parametrize("phase", ["headers", "body"])
def test_ctrl_c_cancels_an_async_request(server, lib, phase):
    """``asyncio.run`` answers SIGINT by cancelling the main task (then raises
    KeyboardInterrupt); trio raises KeyboardInterrupt in it. Either way the awaited request
    must end at once, and a new loop can use a new client."""
    result = run_child(ASYNC_CHILD, server.url, lib, phase)
    latency = result["caught"] - result["sent"]
    print(f"\n{lib} Ctrl-C during {phase}: run() returned after {latency * 1000:.1f} ms")
    expected_inner = "CancelledError" if lib == "asyncio" else "KeyboardInterrupt"
    assert result["inner"] == [expected_inner]
    assert latency < LIMIT, f"{lib} during {phase} took {latency * 1000:.1f} ms"
    assert result["after_text"] == "ok"
