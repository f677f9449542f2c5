"""Installs benchmarks/requirements.txt into this interpreter's environment (scripts/bench).

    python benchmarks/install.py [--force]

All at once when possible; otherwise line by line, and a line that cannot be installed is
reported in one line and left out (the harness then skips that client with its reason).
Skipped while requirements.txt is unchanged since the last complete install.

urllib3-future (a dependency of niquests) replaces the real urllib3 of the whole environment
by default, with a .pth file that runs at every interpreter start: it would change what
requests and urllib3 are measured with and slow every cold start. It is built here with
``URLLIB3_NO_OVERRIDE=1`` (from its source distribution), which keeps the two apart, and an
environment where the override already happened is repaired first.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements.txt"
STAMP = Path(sys.prefix) / ".httprs-bench-requirements"
PIP = [sys.executable, "-m", "pip", "install", "--quiet", "--no-binary", "urllib3-future"]
ENV = {**os.environ, "URLLIB3_NO_OVERRIDE": "1"}


def pip(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*PIP, *args], env=ENV, capture_output=True, text=True)


def last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1].strip()[:160] if lines else "failed"


def repair_urllib3_override() -> None:
    site = Path(sysconfig.get_paths()["purelib"])
    if not (site / "urllib3_future.pth").exists():
        return
    print("install: urllib3-future had replaced urllib3; reinstalling both apart")
    subprocess.run([sys.executable, "-m", "pip", "uninstall", "--quiet", "-y", "urllib3-future"])
    subprocess.run(
        [sys.executable, "-m", "pip", "uninstall", "--quiet", "-y", "urllib3"], check=False
    )
    (site / "urllib3_future.pth").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="install even if unchanged")
    args = parser.parse_args()
    want = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if not args.force and STAMP.exists() and STAMP.read_text().strip() == want:
        return
    repair_urllib3_override()
    print("install: pip install -r benchmarks/requirements.txt")
    if pip("-r", str(REQUIREMENTS)).returncode == 0:
        STAMP.write_text(want + "\n")
        return
    failed = 0
    for line in REQUIREMENTS.read_text().splitlines():
        requirement = line.split("#", 1)[0].strip()
        if not requirement:
            continue
        result = pip(requirement)
        if result.returncode != 0:
            failed += 1
            print(f"install: cannot install {requirement}: {last_line(result.stderr)}")
    if not failed:
        STAMP.write_text(want + "\n")


if __name__ == "__main__":
    main()
