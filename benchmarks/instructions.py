"""Instructions per sequential GET, counted by valgrind (callgrind), for one or more httprs
builds: a figure that repeats on a noisy machine, where CPU time does not.

    python benchmarks/instructions.py VENV [VENV ...] [--rounds 2] [-n 500]

Each VENV is a virtualenv with httprs installed (e.g. .venv, or a worktree's). For each, a
client process sends n and then 3n GETs on one pooled client to the benchmarks' nginx (see
_server.py), under `valgrind --tool=callgrind`; the difference of the two counts over 2n is
the cost of one request, start-up and warm-up cancelled. Rounds are interleaved; the median
is printed. Needs valgrind and nginx (apt-get install valgrind nginx).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _server  # noqa: E402

CLIENT = """\
import sys, httprs
url, n = sys.argv[1], int(sys.argv[2])
with httprs.Client() as c:
    for _ in range(300 + n):
        c.get(url).content
"""


def instructions(python: str, script: str, url: str, n: int) -> int:
    out = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            python,
            script,
            url,
            str(n),
        ],
        capture_output=True,
        text=True,
    )
    found = re.search(r"Collected : (\d+)", out.stderr)
    if not found:
        raise SystemExit(f"callgrind gave no count for {python}:\n{out.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("venvs", nargs="+")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("-n", type=int, default=500)
    args = parser.parse_args()
    results: dict[str, list[float]] = {v: [] for v in args.venvs}
    with tempfile.TemporaryDirectory() as tmp, _server.nginx_server() as (url, _):
        script = str(Path(tmp) / "client.py")
        Path(script).write_text(CLIENT)
        for _ in range(args.rounds):
            for venv in args.venvs:
                python = str(Path(venv) / "bin" / "python")
                short = instructions(python, script, url, args.n)
                long = instructions(python, script, url, 3 * args.n)
                results[venv].append((long - short) / (2 * args.n))
    for venv, counts in results.items():
        rounded = ", ".join(f"{c / 1000:.1f}k" for c in counts)
        print(f"{venv}: {statistics.median(counts) / 1000:.1f}k instructions/request [{rounded}]")


if __name__ == "__main__":
    main()
