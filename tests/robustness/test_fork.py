"""Clients and ``os.fork()``.

A forked child has none of the parent's threads, the tokio runtime's included. httprs gives a
child its own runtime on first use (``src/exchange/runtime.rs``), so a client made in the child works;
a client made before the fork refuses to run in the child with a ``RuntimeError`` that names
``os.fork()`` (working would also be acceptable): what must never happen is a hang, in the
request or when the child drops the inherited client and exits.

Each case runs a script in a subprocess (so pytest itself never forks): the script forks, the
child reports over a pipe, and the script waits for it with a deadline, killing it if it hangs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

pytestmark = [
    pytest.mark.network,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork"),
]

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The harness: ``fork_and_wait(child)`` runs ``child()`` in a forked child whose return value
# (JSON) comes back through a pipe; the child then exits normally (interpreter finalization,
# so the Rust objects are dropped). A child that does not finish within
# ``deadline`` seconds is killed and reported as hung.
HARNESS = r"""
import json, os, signal, sys, threading, time, traceback
import httprs

BASE = sys.argv[1]


def fork_and_wait(child, deadline=10.0):
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        try:
            result = child()
        except BaseException as exc:
            result = {"raised": type(exc).__name__, "message": str(exc),
                      "traceback": traceback.format_exc()}
        with os.fdopen(write_fd, "w") as pipe:
            pipe.write(json.dumps(result))
        sys.exit(0)
    os.close(write_fd)
    start = time.monotonic()
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - start > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            with os.fdopen(read_fd) as pipe:
                partial = pipe.read()
            return {"hung": True, "after": round(time.monotonic() - start, 2), "partial": partial}
        time.sleep(0.01)
    with os.fdopen(read_fd) as pipe:
        data = pipe.read()
    result = json.loads(data) if data else {"no_report": True}
    result["exit_status"] = os.waitstatus_to_exitcode(status)
    result["seconds"] = round(time.monotonic() - start, 3)
    return result


def get_text(client, path="/slow?delay=0"):
    return client.get(BASE + path).text
"""


def run_script(body: str, server) -> dict:
    script = HARNESS + "\n" + body
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run(
        [sys.executable, "-c", script, server.url],
        capture_output=True,
        text=True,
        timeout=90,
        env=env,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert proc.returncode == 0 and lines, (
        f"script exited {proc.returncode}\nstdout: {proc.stdout}\nstderr: {proc.stderr}"
    )
    return json.loads(lines[-1])


def assert_finished(result: dict) -> None:
    assert not result.get("hung"), f"the forked child hung: {result}"
    assert result.get("exit_status") == 0, f"the forked child failed: {result}"


def test_client_created_in_the_child_works(server):
    result = run_script(
        """
parent = httprs.Client()
assert get_text(parent) == "ok"  # the parent's runtime and pool are up before the fork

def child():
    with httprs.Client() as client:
        texts = [get_text(client) for _ in range(3)]
    return {"texts": texts, "one_shot": httprs.get(BASE + "/slow?delay=0").text}

result = fork_and_wait(child)
result["parent_after"] = get_text(parent)
print(json.dumps(result))
""",
        server,
    )
    assert_finished(result)
    assert result["texts"] == ["ok"] * 3
    assert result["one_shot"] == "ok"
    assert result["parent_after"] == "ok"


@pytest.mark.parametrize("timeout", ["default", "none"])
@pytest.mark.parametrize("used_before_fork", [True, False])
def test_client_created_before_fork_fails_clearly_or_works(server, used_before_fork, timeout):
    """With ``timeout=None`` nothing but the fork check can stop a request that waits on a
    connection whose I/O task lived in the parent's runtime: the child would hang forever."""
    result = run_script(
        f"""
client = httprs.Client() if {timeout!r} == "default" else httprs.Client(timeout=None)
if {used_before_fork}:
    assert get_text(client) == "ok"  # a pooled keep-alive connection exists at fork time
    time.sleep(0.2)  # let it go back to the pool (a runtime task does that)

def child():
    start = time.monotonic()
    try:
        # Several requests: a single one sometimes gets through on the connection shared
        # with the parent (a race), instead of waiting on it for ever.
        outcome = {{"worked": [get_text(client) for _ in range(3)]}}
    except RuntimeError as exc:
        outcome = {{"raised": "RuntimeError", "message": str(exc)}}
    except Exception as exc:
        outcome = {{"raised": type(exc).__name__, "message": str(exc)}}
    outcome["request_seconds"] = round(time.monotonic() - start, 3)
    # Closing and dropping the inherited client must not hang either.
    client.close()
    return outcome

result = fork_and_wait(child)
result["parent_after"] = get_text(client)  # the child did not break the parent's client
print(json.dumps(result))
""",
        server,
    )
    assert_finished(result)
    if "worked" in result:
        assert result["worked"] == ["ok"] * 3
    else:
        assert result.get("raised") == "RuntimeError", result
        assert "fork" in result["message"], result["message"]
    assert result["parent_after"] == "ok"


def test_inherited_client_dropped_without_close_does_not_hang(server):
    """The child never touches the inherited client: finalization drops it (its pool, its
    reference to the parent's runtime, which has no threads in the child)."""
    result = run_script(
        """
client = httprs.Client()
assert get_text(client) == "ok"
stream = client.stream("GET", BASE + "/slow-body?delay=0.2&chunks=2")
response = stream.__enter__()  # a response in flight at fork time

def child():
    return {"child": "idle"}

result = fork_and_wait(child)
stream.__exit__(None, None, None)
result["parent_after"] = get_text(client)
print(json.dumps(result))
""",
        server,
    )
    assert_finished(result)
    assert result["child"] == "idle"
    assert result["parent_after"] == "ok"


def test_async_client_created_before_fork(server):
    result = run_script(
        """
import asyncio

async def make_and_use():
    client = httprs.AsyncClient()
    assert (await client.get(BASE + "/slow?delay=0")).text == "ok"
    return client

client = asyncio.run(make_and_use())

def child():
    async def use_inherited():
        try:
            return {"worked": (await client.get(BASE + "/slow?delay=0")).text}
        except Exception as exc:
            return {"raised": type(exc).__name__, "message": str(exc)}

    async def use_new():
        async with httprs.AsyncClient() as fresh:
            return (await fresh.get(BASE + "/slow?delay=0")).text

    outcome = asyncio.run(use_inherited())
    outcome["new_client"] = asyncio.run(use_new())
    return outcome

print(json.dumps(fork_and_wait(child)))
""",
        server,
    )
    assert_finished(result)
    if "worked" in result:
        assert result["worked"] == "ok"
    else:
        assert result.get("raised") == "RuntimeError", result
        assert "fork" in result["message"], result["message"]
    assert result["new_client"] == "ok"


def test_fork_while_other_threads_are_mid_request(server):
    """Fork repeatedly while two threads of the parent keep requests in flight (locks, the
    runtime and the pool are busy at the moment of the fork): every child must still make a
    new client and complete a request, and none may hang."""
    result = run_script(
        """
client = httprs.Client()
stop = threading.Event()
errors = []

def hammer():
    while not stop.is_set():
        try:
            get_text(client, "/bytes?size=2000")
        except BaseException as exc:
            errors.append(repr(exc))

threads = [threading.Thread(target=hammer) for _ in range(2)]
for t in threads:
    t.start()

def child():
    with httprs.Client() as fresh:
        return {"text": get_text(fresh)}

results = []
for _ in range(15):
    time.sleep(0.02)
    results.append(fork_and_wait(child, deadline=10))
stop.set()
for t in threads:
    t.join()
print(json.dumps({"results": results, "parent_errors": errors}))
""",
        server,
    )
    assert result["parent_errors"] == []
    for child in result["results"]:
        assert_finished(child)
        assert child["text"] == "ok", child
