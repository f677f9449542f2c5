"""The benchmark (benchmarks/harness.py, run by ./scripts/bench) in quick mode.

A smoke test, not a timing: on a shared machine figures say nothing. What is checked is what a
user of ./scripts/bench gets: a measured row for every client selected, the summary's ratio,
and results.md and results.png written.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "benchmarks" / "harness.py"

SERVERS = [
    pytest.param("python", id="pyserver"),
    pytest.param(
        "nginx",
        id="nginx",
        marks=pytest.mark.skipif(
            shutil.which("nginx") is None,
            reason="nginx is not installed (scripts/bench installs it)",
        ),
    ),
]


def row(markdown: str, section: str, client: str) -> list[str]:
    """The cells of ``client``'s row in the table under the heading ``section``."""
    table = markdown.split(section, 1)[1].split("\n#", 1)[0]
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[0].strip("*").split(" ")[0] == client:
            return cells
    raise AssertionError(f"no row for {client} under {section!r}:\n{table}")


@pytest.mark.parametrize("server", SERVERS)
def test_quick_run_writes_the_table_and_the_chart(tmp_path, server):
    result = subprocess.run(
        [
            sys.executable,
            str(HARNESS),
            "--quick",
            "--scenarios",
            "A",
            "--clients",
            "httprs,httpx",
            "--server",
            server,
            "--duration",
            "0.1",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "[1/1] A  httprs" in result.stdout  # the progress line of the one run

    markdown = (tmp_path / "results.md").read_text()
    for client in ("httprs", "httpx"):
        cells = row(markdown, "### A:", client)
        rate, cpu, connections, rounds = cells[1], cells[3], cells[5], cells[6]
        assert re.fullmatch(r"[\d,]+", rate) and int(rate.replace(",", "")) > 0, cells
        assert re.fullmatch(r"[\d.,]+ (µs|ms)", cpu), cells
        assert connections == "1", cells  # one kept-alive connection
        assert rounds == "1/1", cells
    summary = row(markdown, "## Summary", "A")
    assert re.fullmatch(r"\d+\.\d\d×", summary[4]), summary  # httprs ÷ best peer (httpx)
    assert summary[3].startswith("httpx "), summary

    assert (tmp_path / "results.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
