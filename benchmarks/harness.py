"""The benchmark of issue 15: httprs against the fastest Python HTTP clients, scenarios A-M.

    python benchmarks/harness.py [--scenarios A,B,...] [--clients httprs,pyreqwest,...]
                                 [--rounds 3] [--duration 2] [--quick] [--out docs/bench]

(``./scripts/bench`` installs nginx, builds httprs, installs the peers, then runs this.)

Method: the servers (nginx, and pyserver.py for the upload sink and the delayed answers) are
pinned to one core (``taskset``); this process pins itself to another, so every client runs
in a fresh process (``child.py``) pinned there. Clients run interleaved: each round runs
every scenario for every client in turn, the client order rotating from round to round; the
median of the rounds is kept. Each run warms up, then works for ``--duration`` seconds; it
reports requests/s (or MiB/s; milliseconds for the cold start G), client CPU per request
(``time.process_time()``: all the child's threads) and the child's peak RSS (``wait4()``'s
``ru_maxrss``); the servers' counters give the connections it opened. A client that cannot
be imported is skipped with a one-line reason; a scenario it has no API for is "n/a", with
the reason. Results: the console, ``--out``/results.md (Markdown) and results.png (chart).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import report  # noqa: E402
import servers  # noqa: E402
from clients import libraries, lookup  # noqa: E402
from scenarios import SCENARIOS, Scenario, parse_keys  # noqa: E402

MiB = 1024 * 1024
# Variables that would make a client use another CA bundle or a proxy than the run gives it,
# or keep the cold start from writing its bytecode cache.
CLEARED_ENV = (
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "NIX_SSL_CERT_FILE",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "PYTHONDONTWRITEBYTECODE",
)


@dataclass
class Sample:
    value: float  # req/s, MiB/s or ms (the scenario's unit)
    cpu: float  # seconds of client CPU per request (G: per process)
    rss: int  # peak RSS, bytes
    conns: int | None  # connections the servers accepted from it


@dataclass
class Cell:
    """One client in one scenario: its samples, or why there are none."""

    samples: list[Sample] = field(default_factory=list)
    na: str | None = None
    errors: list[str] = field(default_factory=list)

    def median(self, attr: str) -> float | None:
        values = [getattr(s, attr) for s in self.samples if getattr(s, attr) is not None]
        return statistics.median(values) if values else None


@dataclass
class Child:
    out: dict
    status: int
    rss: int
    cpu: float
    wall: float
    stderr: str


def child_env(baseline: str | None = None) -> dict[str, str]:
    """The children's environment; with ``baseline``, the one that imports that build of
    httprs (``--baseline``) instead of the installed one."""
    env = {k: v for k, v in os.environ.items() if k.upper() not in CLEARED_ENV}
    env["PYTHONPATH"] = str(HERE) if baseline is None else f"{baseline}{os.pathsep}{HERE}"
    return env


class Spawner:
    """spawner.py, started once: runs each child and reports its exit and rusage."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen | None = None
        self.folder = tempfile.TemporaryDirectory(prefix="httprs-bench-out-")

    def run(self, command: list[str], timeout: float, env: dict[str, str]) -> Child:
        if self.proc is None:
            self.proc = subprocess.Popen(
                [sys.executable, str(HERE / "spawner.py")],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
        out, err = Path(self.folder.name) / "stdout", Path(self.folder.name) / "stderr"
        job = {"argv": command, "env": env, "timeout": timeout, "stdout": str(out)}
        job["stderr"] = str(err)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        answer = json.loads(self.proc.stdout.readline())
        stdout = out.read_text(errors="replace")
        stderr = err.read_text(errors="replace")
        status = answer["status"]
        parsed: dict = {}
        for line in reversed(stdout.strip().splitlines()):
            try:
                parsed = json.loads(line)
                break
            except ValueError:
                continue
        if not parsed and answer["timed_out"]:
            parsed = {"error": f"timed out after {timeout:.0f} s"}
        elif not parsed and status != 0:
            parsed = {"error": f"exit status {status}: {last_line(stderr)}"}
        return Child(parsed, status, answer["maxrss"], answer["cpu"], answer["wall"], stderr)

    def close(self) -> None:
        if self.proc is not None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait()
        self.folder.cleanup()


SPAWNER = Spawner()
spawn = SPAWNER.run


@dataclass
class Plan:
    scenarios: list[str]
    clients: list[str]
    rounds: int
    duration: float
    warmup: float
    cold_runs: int
    big: int  # bytes of D's body
    upload: int  # bytes of E's body
    loop: str
    server: str
    server_core: int | None
    client_core: int | None
    baseline: str | None = None  # --baseline: the folder another build of httprs imports from


class Bench:
    def __init__(self, plan: Plan, endpoints: servers.Endpoints) -> None:
        self.plan = plan
        self.endpoints = endpoints
        self.envs = {report.BASELINE: child_env(plan.baseline)}
        self.default_env = child_env()
        self.cells: dict[tuple[str, str], Cell] = {}
        self.warmed_cold: set[str] = set()

    def env(self, client: str) -> dict[str, str]:
        return self.envs.get(client, self.default_env)

    def cell(self, key: str, client: str) -> Cell:
        return self.cells.setdefault((key, client), Cell())

    def expected_size(self, scenario: Scenario) -> int | None:
        """The body size a GET must return (checked once per run), if known."""
        if scenario.url in ("small", "small_tls", "small_h2", "small_h3"):
            return len(servers.SMALL)
        return self.plan.big if scenario.url == "big" else None

    def run_one(self, scenario: Scenario, client: str) -> str:
        """Runs ``client`` in ``scenario`` once, records it, returns a progress line."""
        cell = self.cell(scenario.key, client)
        url = self.endpoints.urls.get(scenario.url)
        if url is None:
            cell.na = (
                "needs hypercorn[h3]"
                if scenario.url == "small_h3"
                else "needs nginx (HTTP/2 over TLS)"
            )
            return cell.na
        before = self.endpoints.accepted()
        if scenario.workload == "cold-start":
            sample, error, processes = self.cold_start(client, url)
        else:
            sample, error, processes = self.measure(scenario, client, url)
        if sample is not None:
            opened = self.endpoints.opened_between(before, self.endpoints.accepted())
            sample.conns = opened / processes  # G: per interpreter
            cell.samples.append(sample)
            return report.progress(scenario, sample)
        if error and error.startswith("n/a: "):
            cell.na = error.removeprefix("n/a: ")
            return f"n/a ({cell.na})"
        cell.errors.append(error or "no result")
        return f"error: {error}"

    def measure(self, scenario: Scenario, client: str, url: str) -> tuple[Sample | None, str, int]:
        """One child process: (sample, error, 1)."""
        plan = self.plan
        job = {
            "client": client,
            "scenario": scenario.key,
            "url": url,
            "ca": self.endpoints.ca,
            "warmup": plan.warmup,
            "duration": plan.duration,
            "payload": plan.upload,
            "expect": self.expected_size(scenario),
            "loop": plan.loop,
        }
        timeout = 90 + 3 * (plan.warmup + plan.duration)
        child = spawn(
            [sys.executable, str(HERE / "child.py"), json.dumps(job)], timeout, self.env(client)
        )
        out = child.out
        if "na" in out:
            return None, f"n/a: {out['na']}", 1
        if "error" in out:
            return None, out["error"], 1
        n, wall = out["n"], out["wall"]
        if scenario.unit == "MiB/s":
            size = plan.upload if scenario.op == "put" else plan.big
            value = n * size / wall / MiB
        else:
            value = n / wall
        return Sample(value, out["cpu"] / n, child.rss, None), "", 1

    def cold_start(self, client: str, url: str) -> tuple[Sample | None, str, int]:
        """G: ``--cold-runs`` new interpreters that import the client and GET once; the
        median run, and how many interpreters ran."""
        code = f"URL = {url!r}\n" + lookup(client).cold_start()
        command = [sys.executable, "-c", code]
        processes = 0
        if client not in self.warmed_cold:
            # Once unmeasured: writes the bytecode cache, as an installed package has it.
            first = spawn(command, 60, self.env(client))
            processes += 1
            if first.status != 0:
                return None, last_line(first.stderr), processes
            self.warmed_cold.add(client)
        runs = []
        for _ in range(self.plan.cold_runs):
            child = spawn(command, 60, self.env(client))
            processes += 1
            if child.status != 0:
                return None, last_line(child.stderr), processes
            runs.append(child)
        middle = sorted(runs, key=lambda c: c.wall)[len(runs) // 2]
        return Sample(middle.wall * 1000, middle.cpu, middle.rss, None), "", processes


def last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1][:160] if lines else "failed"


def versions(clients: list[str], bench: Bench) -> tuple[dict[str, str], dict[str, str]]:
    """Imports each client in a child: name -> version, and name -> why it is skipped."""
    found, skipped = {}, {}
    for name in clients:
        command = [sys.executable, str(HERE / "child.py"), "--version", name]
        out = spawn(command, 120, bench.env(name)).out
        if "version" in out:
            found[name] = out["version"]
        else:
            skipped[name] = out.get("error", "cannot import")
    return found, skipped


def pin(core: int | None) -> None:
    if core is not None:
        os.sched_setaffinity(0, {core})


def choose_cores(args: argparse.Namespace) -> tuple[int | None, int | None]:
    available = sorted(os.sched_getaffinity(0))
    if len(available) < 2:
        print("note: one CPU available: servers and clients share it (no pinning)")
        return None, None
    server = args.server_core if args.server_core is not None else available[0]
    client = args.client_core if args.client_core is not None else available[1]
    if server == client:
        raise SystemExit("bench: --server-core and --client-core must differ")
    return server, client


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    all_clients = list(libraries())
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scenarios", default=",".join(SCENARIOS), help="e.g. A,B,D',K (all)")
    parser.add_argument(
        "--clients", default=",".join(all_clients), help=f"from {','.join(all_clients)} (all)"
    )
    parser.add_argument("--rounds", type=int, help="interleaved rounds, median kept (3)")
    parser.add_argument("--duration", type=float, help="seconds measured per run (2)")
    parser.add_argument("--warmup", type=float, help="seconds of warm-up per run (0.5)")
    parser.add_argument("--cold-runs", type=int, help="G: cold starts per round, median (5)")
    parser.add_argument("--big-mib", type=float, help="D, D′: body size in MiB (100)")
    parser.add_argument("--upload-mib", type=float, help="E: upload size in MiB (10)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: 1 round of 0.25 s, 8 MiB body, 1 MiB upload, 2 cold starts; "
        "writes no files unless --out is given",
    )
    parser.add_argument(
        "--server",
        choices=["auto", "nginx", "python"],
        default="auto",
        help="auto: nginx if installed; python: pyserver.py for everything (no HTTP/2: J is n/a)",
    )
    parser.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio")
    parser.add_argument(
        "--baseline",
        metavar="DIR",
        help="also run another build of httprs, imported from DIR (a folder holding its "
        "`httprs` package and extension, e.g. an older checkout's python/), as the row "
        f"{'httprs-baseline'!r}; the summary gives httprs ÷ baseline",
    )
    parser.add_argument("--server-core", type=int)
    parser.add_argument("--client-core", type=int)
    parser.add_argument("--out", help="folder for results.md and results.png (docs/bench)")
    parser.add_argument("--note", default="", help="a sentence for the results' header")
    parser.add_argument(
        "--render",
        metavar="RESULTS_JSON",
        help="measure nothing: print and write (into --out, default the file's folder) the "
        "report of a results.json written by an earlier run",
    )
    args = parser.parse_args(argv)
    quick = args.quick
    defaults = {
        "rounds": 1 if quick else 3,
        "duration": 0.25 if quick else 2.0,
        "warmup": 0.05 if quick else 0.5,
        "cold_runs": 2 if quick else 5,
        "big_mib": 8 if quick else 100,
        "upload_mib": 1 if quick else 10,
    }
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.out is None and not quick and not args.render:
        args.out = str(HERE.parent / "docs" / "bench")
    try:
        args.scenario_keys = parse_keys(args.scenarios)
    except ValueError as exc:
        parser.error(str(exc))
    args.client_names = [c.strip() for c in args.clients.split(",") if c.strip()]
    if args.baseline:
        if not (Path(args.baseline) / "httprs" / "__init__.py").is_file():
            parser.error(f"--baseline {args.baseline}: no httprs/__init__.py in that folder")
        args.baseline = str(Path(args.baseline).resolve())
        args.client_names.append(report.BASELINE)
    unknown = [c for c in args.client_names if c not in [*all_clients, report.BASELINE]]
    if unknown:
        parser.error(f"unknown client(s) {', '.join(unknown)}; known: {', '.join(all_clients)}")
    if args.rounds < 1 or args.duration <= 0 or args.warmup < 0 or args.cold_runs < 1:
        parser.error("--rounds and --cold-runs must be >= 1, --duration > 0, --warmup >= 0")
    return args


def run_round(bench: Bench, clients: list[str], index: int) -> None:
    """Every scenario, every client in turn; the client order rotates by one each round."""
    plan = bench.plan
    shift = index % len(clients)
    order = clients[shift:] + clients[:shift]
    for key in plan.scenarios:
        scenario = SCENARIOS[key]
        for client in order + report.REFERENCES.get(key, []):
            cell = bench.cell(key, client)
            if cell.na is not None:
                continue
            reason = scenario.not_applicable(lookup(client))
            if reason:
                cell.na = reason
                continue
            line = bench.run_one(scenario, client)
            print(f"[{index + 1}/{plan.rounds}] {key:<2} {client:<10} {line}", flush=True)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.render:
        source = Path(args.render)
        results = report.from_json(json.loads(source.read_text()))
        publish(results, args.out or str(source.parent))
        return
    started = time.time()
    server_core, client_core = choose_cores(args)
    kind = args.server
    if kind == "auto":
        import shutil

        kind = "nginx" if shutil.which("nginx") else "python"
        if kind == "python":
            print("note: nginx is not installed: pyserver.py serves everything (J is n/a)")
    plan = Plan(
        scenarios=args.scenario_keys,
        clients=args.client_names,
        rounds=args.rounds,
        duration=args.duration,
        warmup=args.warmup,
        cold_runs=args.cold_runs,
        big=int(args.big_mib * MiB),
        upload=int(args.upload_mib * MiB),
        loop=args.loop,
        server=kind,
        server_core=server_core,
        client_core=client_core,
        baseline=args.baseline,
    )
    load_before = os.getloadavg()
    tls = any(SCENARIOS[k].tls for k in plan.scenarios)
    h3 = any(SCENARIOS[k].url == "small_h3" for k in plan.scenarios)
    with (
        servers.start(kind, core=server_core, big_bytes=plan.big, tls=tls, h3=h3) as endpoints,
        contextlib.closing(SPAWNER),
    ):
        pin(client_core)  # after the servers started: the spawner and its children inherit it
        bench = Bench(plan, endpoints)
        found, skipped = versions(plan.clients, bench)
        for name, reason in skipped.items():
            print(f"skipped {name}: {reason}")
        clients = [c for c in plan.clients if c in found]
        if not clients:
            raise SystemExit("bench: no client could be imported")
        print(report.preamble(plan, endpoints, found, load_before))
        for round_index in range(plan.rounds):
            run_round(bench, clients, round_index)
    shown = without_note(sys.argv[1:] if argv is None else argv)
    results = report.Results(
        plan=plan,
        cells=bench.cells,
        versions=found,
        skipped=skipped,
        server=endpoints.description,
        started=started,
        seconds=time.time() - started,
        load=(load_before, os.getloadavg()),
        machine=machine(),
        note=args.note,
        command=shlex.join(["benchmarks/harness.py", *shown]),
    )
    publish(results, args.out)


def publish(results: report.Results, out: str | None) -> None:
    """The console tables; with ``out``: results.md, results.png and results.json (the
    figures, for ``--render``)."""
    print()
    print(report.console(results))
    if out:
        folder = Path(out)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "results.json").write_text(json.dumps(report.to_json(results), indent=1))
        (folder / "results.md").write_text(report.markdown(results))
        print(f"wrote {folder / 'results.md'} (and results.json)")
        chart = report.chart(results, folder / "results.png")
        print(f"wrote {folder / 'results.png'}" if chart is None else f"no chart: {chart}")


def without_note(argv: list[str]) -> list[str]:
    """The arguments as the header shows them: the note has a paragraph of its own."""
    shown, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--note":
            skip = True
        elif not arg.startswith("--note="):
            shown.append(arg)
    return shown


def machine() -> str:
    model = ""
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"{model or platform.processor() or 'unknown CPU'}, {os.cpu_count()} cores; "
        f"Linux {platform.release()}; Python {platform.python_version()}"
    )


if __name__ == "__main__":
    main()
