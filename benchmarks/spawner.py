"""Starts the harness's child processes from a small process, and reports how each one ended.

    python benchmarks/spawner.py      (started by harness.py; one JSON job per stdin line)

Why a separate process: on Linux a child's ``ru_maxrss`` (``wait4``) is at least the peak
RSS of the process that spawned it (``vfork`` + ``execve`` records the parent's high-water
mark in the child), so children of the harness, which has loaded the servers' TLS tooling,
would all report its size. This process stays near a bare interpreter's (about 10 MiB), so a
child's peak RSS is its own.

Job: ``{"argv": [...], "env": {...}, "timeout": s, "stdout": path, "stderr": path}``; answer
(one line): ``{"status": exit code, "maxrss": bytes, "cpu": s, "wall": s, "timed_out": bool}``.
"""

import json
import os
import subprocess
import sys
import threading
import time


def run(job: dict) -> dict:
    with open(job["stdout"], "wb") as out, open(job["stderr"], "wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            job["argv"], stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=job["env"]
        )
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            proc.kill()

        killer = threading.Timer(job["timeout"], kill)
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            killer.cancel()
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "status": proc.returncode,
        "maxrss": usage.ru_maxrss * 1024,
        "cpu": usage.ru_utime + usage.ru_stime,
        "wall": wall,
        "timed_out": killed.is_set(),
    }


def main() -> None:
    for line in sys.stdin:
        print(json.dumps(run(json.loads(line))), flush=True)


if __name__ == "__main__":
    main()
