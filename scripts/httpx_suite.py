#!/usr/bin/env python3
"""Runs httpx 0.28.1's own test suite against httprs and enforces a floor (scripts/httpx-suite).

    scripts/httpx-suite [--list-failures] [-k EXPR] [--json PATH] [--timeout SECONDS]

Steps: install scripts/httpx-suite-requirements.txt into the venv (quietly; a no-op when
satisfied); download httpx's sdist into target/httpx-suite/ (once: reused, sha256 checked);
unpack its tests/ (and only those: httpx's own package must not be importable) with httpx's
pytest settings; write an `httpx` package that makes `import httpx`, `from httpx import X` and
`httpx.<name>` give httprs; check that `import httpx` gives httprs (and, after the run, that
no module of the installed httpx was loaded); run pytest (asyncio and trio, `--timeout` per
test, in a network namespace with only loopback; the 5 tests httpx marks `network` and the
one of OUTSIDE_LOOPBACK are deselected: they need addresses beyond 127.0.0.1); print the
results per file, the failures grouped by error, and the headline:

    public API, brand names aside, trio included: passed / total

where total leaves out
- private: tests that fail by reaching httpx's internals, detected from how they fail: an
  ImportError naming a private module (`from httpx._utils import X` imports a stand-in whose
  use raises, so the file's other tests still run) or an AttributeError for a `_name` the
  test's own line names (`client._transport_for_url(...)`); plus PRIVATE_TESTS, a short
  list with a reason each, for what shows no such error;
- brand: tests whose source names httpx itself (BRANDS: its default User-Agent
  `python-httpx`, its logger `"httpx"`) and that pass when rerun with httprs's name in its
  place (one that still fails counts as failed);
- skipped tests (httpx's own skipif).
It writes a JSON summary (target/httpx-suite/summary.json, or --json PATH) and exits 1 when the
headline percentage is below FLOOR (2 when the run itself went wrong). With -k EXPR (a rerun
of some tests, pytest's output shown, full tracebacks) the floor is not checked. Tracebacks
of a full run are in target/httpx-suite/pytest.log.

The same module is the pytest plugin of the run (`-p httpx_suite`, hooks below) and holds
the alias the generated `httpx/__init__.py` installs (install_alias).
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import inspect
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tarfile
import threading
import time
import tomllib
import traceback
import types
from collections import Counter, defaultdict
from pathlib import Path

# The headline ("public API, brand names aside, trio included") may not drop below this
# percentage. Raise it as the figure rises; 99% is the goal of the compatibility issue.
FLOOR = 99.0

HTTPX_VERSION = "0.28.1"
SDIST = f"httpx-{HTTPX_VERSION}.tar.gz"
SDIST_SHA256 = "75e98c5f16b0f35b567856f597f06ff2270a374470a5c2392242528e3e3e42fc"
ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "target" / "httpx-suite"
REQUIREMENTS = ROOT / "scripts" / "httpx-suite-requirements.txt"
DEFAULT_TIMEOUT = 30  # seconds per test (pytest-timeout); the whole suite takes ~10 s
RUN_DEADLINE = 240  # seconds for the whole pytest run; then it is stopped
# httpx's own name where a test pins it, and httprs's in its place: the default User-Agent
# (python-httpx/<version>), and the logger's name in `caplog.record_tuples`
# (`("httpx", logging.INFO, "HTTP Request: ...")`; httprs logs on the `httprs` logger).
BRANDS = [("python-httpx", "python-httprs"), ('"httpx",', '"httprs",')]
# httpx's pytest settings turn every warning into an error; these come from packages newer
# than httpx 0.28.1's CI had, not from the client under test.
EXTRA_WARNING_FILTERS = [
    # click >= 8.2 (tests/test_main.py: CliRunner.isolated_filesystem).
    "ignore:'isolated_filesystem' is deprecated:DeprecationWarning",
]
FEW = 3  # test ids shown per group
# Tests that depend on httpx's internals but do not fail in a way _private_label recognises.
# Tests that would send traffic outside 127.0.0.1, which our tests never do: deselected
# (left out of the total, like httpx's `network` tests). The run also happens in a network
# namespace that has only loopback (see `loopback_only`), so one missed here cannot leave.
OUTSIDE_LOOPBACK = {
    "tests/test_timeouts.py::test_connect_timeout": (
        "connects to 10.255.255.1 (a private address that must not answer) to provoke"
        " ConnectTimeout; our own tests provoke it on loopback (tests/network/test_timeouts.py)"
    ),
}

PRIVATE_TESTS = {
    "tests/test_api.py::test_httpcore_lazy_loading": (
        "httpcore, lazily imported: asserts that httpx loads httpcore (its engine) on the"
        " first request; httprs has no httpcore"
    ),
}


# ---------------------------------------------------------------------------------------
# The alias, installed in the pytest process by the generated target/httpx-suite/shim/httpx.


class PrivateHttpxName(ImportError):
    """Raised when a test uses a name it imported from one of httpx's private modules."""


class _PrivateName:
    """What `from httpx._utils import URLPattern` gives: any use raises PrivateHttpxName."""

    def __init__(self, module: str, name: str):
        self._module = module
        self._name = f"{module}.{name}"

    def _refuse(self, *args, **kwargs):
        raise PrivateHttpxName(
            f"{self._name}: httpx's private module {self._module} has no counterpart in httprs",
            name=self._module,
        )

    __call__ = __iter__ = __getitem__ = __instancecheck__ = __subclasscheck__ = _refuse

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        self._refuse()

    def __repr__(self):
        return f"<httpx private name {self._name}>"


class _PrivateModule(types.ModuleType):
    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return _PrivateName(self.__name__, attr)


class _PrivateHttpxModules(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """`httpx.<sub>` imports: httprs has no such modules (httpx's are all private).

    A name httprs does not have (httpx._utils, httpx._urlparse) imports as a module whose
    names raise PrivateHttpxName when used, so the tests of that file that do not use them
    still run; a name httprs has (httpx._transports...) raises ModuleNotFoundError at once, so
    that httprs's own modules are never loaded a second time under httpx's name.
    """

    def find_spec(self, name, path=None, target=None):
        if not name.startswith("httpx."):
            return None
        parent, _, child = name.rpartition(".")
        if not isinstance(sys.modules.get(parent), _PrivateModule) and (
            parent != "httpx" or hasattr(sys.modules["httpx"], child)
        ):
            raise ModuleNotFoundError(
                f"No module named {name!r} (httpx's private module; httprs has no counterpart)",
                name=name,
            )
        return importlib.machinery.ModuleSpec(name, self, is_package=True)

    def create_module(self, spec):
        return _PrivateModule(spec.name)

    def exec_module(self, module):
        pass


def install_alias() -> None:
    """Makes `httpx` the httprs module (called by the generated httpx/__init__.py)."""
    import httprs

    if not any(isinstance(f, _PrivateHttpxModules) for f in sys.meta_path):
        sys.meta_path.insert(0, _PrivateHttpxModules())
    sys.modules["httpx"] = httprs


SHIM_INIT = '''\
"""Written by scripts/httpx_suite.py: `import httpx` gives httprs (see install_alias there)."""
import httpx_suite

httpx_suite.install_alias()
'''


# ---------------------------------------------------------------------------------------
# Small helpers shared by the plugin and the runner.


def _type_name(exc: BaseException) -> str:
    t = type(exc)
    mod = t.__module__
    if mod == "builtins" or mod.startswith("_pytest") or mod == __name__:
        return t.__qualname__
    if mod.split(".")[0] == "httprs":
        return f"httprs.{t.__qualname__}"
    return f"{mod}.{t.__qualname__}"


def _first_line(text: str, limit: int = 200) -> str:
    lines = [line for line in str(text).strip().splitlines() if line.strip()]
    line = lines[0].strip() if lines else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _private_label(exc: BaseException, tests_dir: str) -> str | None:
    """The private httpx module or attribute a failure names, if the test reached for it."""
    message = str(exc)
    if isinstance(exc, PrivateHttpxName):
        return message.split(":", 1)[0]
    if isinstance(exc, ImportError):
        m = re.search(r"No module named '([\w.]+)'", message)
        name = exc.name or (m and m.group(1))
        return name if name and name.startswith("httpx._") else None
    if not isinstance(exc, AttributeError):
        return None
    m = re.search(r"has no attribute '(\w+)'", message)
    name = getattr(exc, "name", None) or (m and m.group(1))
    lines = [
        frame.line or ""
        for frame in traceback.extract_tb(exc.__traceback__)
        if frame.filename.startswith(tests_dir)
    ]
    if name and name.startswith("_") and not name.startswith("__"):
        if any(name in line for line in lines):
            obj = getattr(exc, "obj", None)
            if isinstance(obj, types.ModuleType):
                return f"{obj.__name__}.{name}"
            return f"{type(obj).__name__}.{name}" if obj is not None else name
    for line in lines:
        m = re.search(r"\bhttpx\._\w+", line)
        if m:
            return m.group(0)
    return None


def _describe(exc: BaseException, tests_dir: str) -> dict:
    message = _first_line(str(exc))
    if isinstance(exc, AssertionError) and re.fullmatch(r"(assert \w+)?", message):
        # `assert False` says little: add the test's statement that failed.
        lines = [
            frame.line
            for frame in traceback.extract_tb(exc.__traceback__)
            if frame.filename.startswith(tests_dir) and frame.line
        ]
        if lines:
            message = f"{message or 'assert'}: {_first_line(lines[-1])}"
    return {"type": _type_name(exc), "message": message, "private": _private_label(exc, tests_dir)}


def _is_trio(test_id: str) -> bool:
    params = test_id.partition("[")[2].rstrip("]")
    return "trio" in params.split("-")


# ---------------------------------------------------------------------------------------
# The pytest plugin: loaded with `-p httpx_suite` in the run; it writes one JSON line per
# event to $HTTPX_SUITE_RESULTS (so a run stopped half-way still leaves its results).

_OUTCOMES: dict[str, str] = {}
_ERRORS: dict[str, dict] = {}
_TESTS_DIR = ""


def _emit(record: dict) -> None:
    path = os.environ.get("HTTPX_SUITE_RESULTS")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")


def pytest_configure(config):
    global _TESTS_DIR
    if not os.environ.get("HTTPX_SUITE_RESULTS"):
        return
    import pytest

    _TESTS_DIR = str(config.rootpath / "tests") + os.sep
    # httpx's test server is uvicorn with `http="auto"`: httptools when it is importable
    # (uvicorn[standard], the benchmarks' venv), else h11, which httpx's own CI runs and its
    # tests pin (test_main.py expects h11's `Transfer-Encoding: chunked`; httptools writes
    # `transfer-encoding`). Hiding httptools gives every venv the server httpx tested with.
    sys.modules["httptools"] = None  # type: ignore[assignment]
    import httprs
    import httpx

    aliased = httpx is httprs and sys.modules.get("httpx") is httprs
    _emit({"kind": "sanity", "httpx_file": httpx.__file__, "aliased": aliased})
    if not aliased:
        pytest.exit(f"httpx-suite: `import httpx` gave {httpx.__file__}, not httprs", 3)


def pytest_collection_finish(session):
    if not os.environ.get("HTTPX_SUITE_RESULTS"):
        return
    for item in session.items:
        brand = None
        try:
            lines, start = inspect.getsourcelines(item.function)
        except (AttributeError, OSError, TypeError):
            lines, start = [], 0
        for offset, line in enumerate(lines):
            if any(theirs in line for theirs, _ in BRANDS):
                path = Path(inspect.getsourcefile(item.function)).relative_to(
                    session.config.rootpath
                )
                brand = f"{path}:{start + offset} expects {line.strip().rstrip(',')}"
                break
        _emit({"kind": "item", "id": item.nodeid, "brand": brand})


def pytest_deselected(items):
    """httpx's `network` tests and OUTSIDE_LOOPBACK: none of them runs."""
    for item in items:
        _emit({"kind": "deselected", "id": item.nodeid})


def pytest_collectreport(report):
    """A file that does not import: its error, from the report's text (the last `E` line)."""
    if not os.environ.get("HTTPX_SUITE_RESULTS") or not report.failed:
        return
    lines = [line[4:].strip() for line in str(report.longrepr).splitlines() if line[:4] == "E   "]
    kind, sep, message = (lines[-1] if lines else "").partition(": ")
    if not sep or " " in kind:
        kind, message = "CollectionError", _first_line(str(report.longrepr))
    m = re.search(r"No module named '(httpx\._[\w.]*)'", message)
    error = {"type": kind, "message": _first_line(message), "private": m and m.group(1)}
    _emit({"kind": "collect_error", "id": report.nodeid, "error": error})


def pytest_exception_interact(node, call, report):
    if not os.environ.get("HTTPX_SUITE_RESULTS") or call.excinfo is None:
        return
    if hasattr(report, "when"):  # a test; called after pytest_runtest_logreport
        error = _ERRORS.get(node.nodeid)
        if error is None or error.get("guessed"):
            _ERRORS[node.nodeid] = _describe(call.excinfo.value, _TESTS_DIR)


def pytest_runtest_logreport(report):
    if not os.environ.get("HTTPX_SUITE_RESULTS"):
        return
    xfail = hasattr(report, "wasxfail")
    if report.when == "call" or (report.when == "setup" and not report.passed):
        if report.passed:
            outcome = "xpassed" if xfail else "passed"
        elif report.failed:
            outcome = "failed"
        else:
            outcome = "xfailed" if xfail else "skipped"
        if _OUTCOMES.get(report.nodeid) != "failed":
            _OUTCOMES[report.nodeid] = outcome
    elif report.when == "teardown" and report.failed:
        _OUTCOMES[report.nodeid] = "failed"
    if report.failed and report.nodeid not in _ERRORS:
        crash = getattr(report.longrepr, "reprcrash", None)
        text = crash.message if crash is not None else str(report.longrepr)
        kind, sep, message = _first_line(text).partition(": ")
        if not sep or " " in kind:
            kind, message = "Error", _first_line(text)
        _ERRORS[report.nodeid] = {"type": kind, "message": message, "private": None, "guessed": 1}


def pytest_runtest_logfinish(nodeid, location):
    if not os.environ.get("HTTPX_SUITE_RESULTS"):
        return
    outcome = _OUTCOMES.pop(nodeid, "failed")
    error = _ERRORS.pop(nodeid, None)
    if outcome != "failed":
        error = None
    elif error is not None:
        error.pop("guessed", None)
    _emit({"kind": "test", "id": nodeid, "outcome": outcome, "error": error})


def pytest_sessionfinish(session, exitstatus):
    if not os.environ.get("HTTPX_SUITE_RESULTS"):
        return
    real = os.environ.get("HTTPX_SUITE_REAL_HTTPX")
    foreign = []
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if real and path and os.path.realpath(path).startswith(real + os.sep):
            foreign.append(name)
    aliased = sys.modules.get("httpx") is sys.modules.get("httprs")
    _emit({"kind": "finish", "foreign": sorted(foreign), "aliased": aliased})


# ---------------------------------------------------------------------------------------
# The runner.


class Abort(Exception):
    """The run itself went wrong (not the tests): exit status 2."""


def _rel(path: Path | str) -> str:
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def install_requirements() -> None:
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    proc = subprocess.run([*cmd, "-r", str(REQUIREMENTS)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise Abort(f"pip install -r {_rel(REQUIREMENTS)} failed:\n{proc.stdout}{proc.stderr}")


def fetch_sdist() -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / SDIST
    if path.exists() and _sha256(path) == SDIST_SHA256:
        return path
    path.unlink(missing_ok=True)
    print(f"httpx-suite: downloading httpx {HTTPX_VERSION}'s sdist into {_rel(CACHE)}")
    cmd = [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check"]
    cmd += ["--no-binary", ":all:", "--no-deps", f"httpx=={HTTPX_VERSION}", "-d", str(CACHE)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0 or not path.exists():
        raise Abort(f"pip download httpx=={HTTPX_VERSION} failed:\n{proc.stdout}{proc.stderr}")
    if _sha256(path) != SDIST_SHA256:
        raise Abort(f"{_rel(path)}: unexpected sha256 {_sha256(path)}")
    return path


def unpack(sdist: Path) -> Path:
    """target/httpx-suite/run/: httpx's tests/ and a pytest.ini with httpx's settings."""
    run_dir = CACHE / "run"
    shutil.rmtree(run_dir, ignore_errors=True)
    prefix = f"httpx-{HTTPX_VERSION}/"
    with tarfile.open(sdist) as tar:
        members = []
        for member in tar.getmembers():
            if member.name.startswith(prefix + "tests/"):
                member.name = member.name[len(prefix) :]
                members.append(member)
        extra = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        tar.extractall(run_dir, members=members, **extra)
        pyproject = tomllib.load(tar.extractfile(prefix + "pyproject.toml"))
    opts = pyproject["tool"]["pytest"]["ini_options"]
    lines = [
        "# httpx 0.28.1's [tool.pytest.ini_options], written by scripts/httpx_suite.py",
        "[pytest]",
        f"addopts = {opts['addopts']}",
        "filterwarnings =",
        *(f"    {w}" for w in [*opts["filterwarnings"], *EXTRA_WARNING_FILTERS]),
        "markers =",
        *(f"    {m}" for m in opts["markers"]),
    ]
    (run_dir / "pytest.ini").write_text("\n".join(lines) + "\n")
    if (run_dir / "httpx").exists() or not (run_dir / "tests" / "conftest.py").exists():
        raise Abort(f"{_rel(run_dir)}: unexpected layout")
    return run_dir


def suite_env(real_httpx: str, results: Path) -> dict:
    shim = CACHE / "shim"
    (shim / "httpx").mkdir(parents=True, exist_ok=True)
    (shim / "httpx" / "__init__.py").write_text(SHIM_INIT)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONHOME", "PYTHONPATH")}
    env["PYTHONPATH"] = os.pathsep.join([str(shim), str(ROOT / "scripts")])
    env["HTTPX_SUITE_RESULTS"] = str(results)
    env["HTTPX_SUITE_REAL_HTTPX"] = real_httpx
    return env


def sanity(env: dict, run_dir: Path) -> str:
    """`import httpx` under the suite's settings must give httprs; returns its description."""
    code = (
        "import json, httpx, httprs, trio, anyio\n"
        "print(json.dumps([httpx.__file__, httprs.__file__, httpx is httprs,"
        " httprs.__version__, trio.__version__]))"
    )
    env = {**env, "HTTPX_SUITE_RESULTS": ""}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=run_dir, env=env, capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise Abort(f"sanity check failed:\n{proc.stderr}")
    httpx_file, httprs_file, same, version, trio_version = json.loads(proc.stdout)
    if not same or httpx_file != httprs_file or Path(httpx_file).parent.name != "httprs":
        raise Abort(f"sanity check: `import httpx` gives {httpx_file}, not httprs; stopping")
    return f"httprs {version} ({_rel(Path(httpx_file).parent)}), trio {trio_version}"


def loopback_only(cmd: list[str]) -> list[str]:
    """`cmd` run in a network namespace of its own whose only interface is loopback (as root,
    with util-linux's `unshare` and iproute2's `ip`): httpx's tests then cannot reach any
    address but 127.0.0.1, whatever they try. Elsewhere `cmd` as it is, with a note."""
    if os.geteuid() == 0 and shutil.which("unshare") and shutil.which("ip"):
        return ["unshare", "--net", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *cmd]
    print("httpx-suite: not root or no unshare/ip: the run is not confined to loopback")
    return cmd


def run_pytest(
    run_dir: Path, env: dict, log_path: Path, selection: list[str], timeout: float, tee: bool
) -> tuple[list[dict], bool]:
    """Runs pytest on selection; returns what the plugin recorded and whether it was stopped."""
    cmd = [sys.executable, "-m", "pytest", "-c", "pytest.ini", "-p", "httpx_suite"]
    cmd += ["-p", "no:cacheprovider", "--continue-on-collection-errors", "-q"]
    cmd += [f"--timeout={timeout}", "-m", "not network", *selection]
    for test_id in OUTSIDE_LOOPBACK:
        cmd += ["--deselect", test_id]
    cmd = loopback_only(cmd)
    results = Path(env["HTTPX_SUITE_RESULTS"])
    results.unlink(missing_ok=True)
    with open(log_path, "wb") as log:
        log.write(("$ " + " ".join(cmd) + "\n").encode())
        proc = subprocess.Popen(
            cmd,
            cwd=run_dir,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

        def copy():
            for chunk in iter(lambda: proc.stdout.read1(65536), b""):
                log.write(chunk)
                if tee:
                    sys.stdout.buffer.write(chunk)
                    sys.stdout.flush()

        copier = threading.Thread(target=copy, daemon=True)
        copier.start()
        stopped = False
        try:
            proc.wait(timeout=RUN_DEADLINE)
        except subprocess.TimeoutExpired:
            stopped = True
        except KeyboardInterrupt:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
        if stopped:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        copier.join(timeout=5)
    if not stopped and proc.returncode not in (0, 1):
        tail = "".join(log_path.read_text(errors="replace").splitlines(True)[-30:])
        raise Abort(f"pytest exited with status {proc.returncode}:\n{tail}")
    text = results.read_text() if results.exists() else ""
    return [json.loads(line) for line in text.splitlines() if line], stopped


def check_brand(records: list[dict], run_dir: Path, env: dict, timeout: float) -> dict:
    """Reruns the failing brand-name tests with httprs's name in place of httpx's.

    Returns their results by id: a test that still fails does not fail for the name only.
    """
    brand = {r["id"] for r in records if r["kind"] == "item" and r["brand"]}
    failed = [
        r["id"]
        for r in records
        if r["kind"] == "test" and r["id"] in brand and r["outcome"] == "failed"
    ]
    if not failed:
        return {}
    brand_dir = CACHE / "run-brand"
    shutil.rmtree(brand_dir, ignore_errors=True)
    shutil.copytree(run_dir, brand_dir)
    for path in {i.split("::")[0] for i in failed}:
        source = brand_dir / path
        text = source.read_text()
        for theirs, ours in BRANDS:
            text = text.replace(theirs, ours)
        source.write_text(text)
    env = {**env, "HTTPX_SUITE_RESULTS": str(CACHE / "results-brand.jsonl")}
    log_path = CACHE / "pytest-brand.log"
    rerun, _ = run_pytest(brand_dir, env, log_path, failed, timeout, tee=False)
    return {r["id"]: r for r in rerun if r["kind"] == "test"}


def _uncollected_ids(file_id: str, run_dir: Path) -> list[str]:
    """The test functions of a file that did not import (parametrisations unknown)."""
    try:
        tree = ast.parse((run_dir / file_id).read_text())
    except (OSError, SyntaxError):
        return [file_id]
    ids = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.name.startswith("test"):
                ids.append(f"{file_id}::{node.name}")
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for sub in node.body:
                if isinstance(sub, ast.FunctionDef | ast.AsyncFunctionDef):
                    if sub.name.startswith("test"):
                        ids.append(f"{file_id}::{node.name}::{sub.name}")
    return ids or [file_id]


def _group_key(error: dict) -> str:
    message = re.sub(r"0x[0-9a-fA-F]+", "0x…", error.get("message") or "")
    message = re.sub(r"(127\.0\.0\.1|localhost):\d+", r"\1:PORT", message)
    return f"{error['type']}: {message}" if message else error["type"]


def summarize(records: list[dict], run_dir: Path, stopped: bool, brand_rerun: dict) -> dict:
    items: dict[str, str | None] = {}
    results: dict[str, dict] = {}
    collect_errors: dict[str, dict] = {}
    deselected: list[str] = []
    sanity_seen = finish = None
    for record in records:
        kind = record["kind"]
        if kind == "item":
            items[record["id"]] = record["brand"]
        elif kind == "test":
            results[record["id"]] = record
        elif kind == "collect_error":
            collect_errors[record["id"]] = record["error"]
        elif kind == "deselected":
            deselected.append(record["id"])
        elif kind == "sanity":
            sanity_seen = record
        elif kind == "finish":
            finish = record
    if sanity_seen is None or not sanity_seen["aliased"]:
        raise Abort("the run did not confirm that `import httpx` gave httprs")
    if finish is not None and (finish["foreign"] or not finish["aliased"]):
        raise Abort(f"the real httpx was imported during the run: {finish['foreign']}")
    if finish is None and not stopped:
        raise Abort("pytest ended without finishing its session")

    tests = []
    ids = list(items) + [i for i in results if i not in items]
    for test_id in ids:
        brand = items.get(test_id)
        if test_id in results:
            outcome, error = results[test_id]["outcome"], results[test_id]["error"]
        else:
            outcome = "failed"
            error = {
                "type": "NotRun",
                "message": f"no result: the run was stopped after {RUN_DEADLINE} s",
                "private": None,
            }
        tests.append({"id": test_id, "outcome": outcome, "error": error, "brand": brand})
    for file_id, error in collect_errors.items():
        for test_id in _uncollected_ids(file_id, run_dir):
            tests.append({"id": test_id, "outcome": "failed", "error": error, "brand": None})

    for test in tests:
        error = test["error"]
        if test["outcome"] == "failed" and test["id"] in PRIVATE_TESTS and error:
            error["private"] = PRIVATE_TESTS[test["id"]]
        if test["outcome"] in ("skipped", "xfailed"):
            test["category"] = "skipped"
        elif test["outcome"] == "failed" and error and error.get("private"):
            test["category"] = "private"
        elif test["brand"]:
            rerun = brand_rerun.get(test["id"])
            if test["outcome"] == "failed" and rerun and rerun["outcome"] != "passed":
                # Still fails with httprs's name in place of httpx's: a failure like any other.
                test["category"] = "failed"
                test["error"] = rerun["error"] or error
            else:
                test["category"] = "brand"
        elif test["outcome"] in ("passed", "xpassed"):
            test["category"] = "passed"
        else:
            test["category"] = "failed"
            if error is None:
                test["error"] = {"type": "Error", "message": "", "private": None}

    counts = Counter(test["category"] for test in tests)
    passed, failed = counts["passed"], counts["failed"]
    total = passed + failed
    percent = 100.0 * passed / total if total else 0.0
    files: dict[str, Counter] = defaultdict(Counter)
    for test in tests:
        files[test["id"].split("::")[0]][test["category"]] += 1
    groups: dict[str, list[str]] = defaultdict(list)
    for test in tests:
        if test["category"] == "failed":
            groups[_group_key(test["error"])].append(test["id"])
    trio = [test for test in tests if _is_trio(test["id"])]
    return {
        "httpx_version": HTTPX_VERSION,
        "headline": {
            "label": "public API, brand names aside, trio included",
            "passed": passed,
            "total": total,
            "percent": round(percent, 2),
            "floor": FLOOR,
        },
        "counts": {
            "tests": len(tests),
            "passed": passed,
            "failed": failed,
            "private": counts["private"],
            "brand": counts["brand"],
            "skipped": counts["skipped"],
            "deselected_network": len(deselected),
            "trio": len(trio),
            "trio_passed": sum(test["category"] == "passed" for test in trio),
        },
        "files": {name: dict(sorted(c.items())) for name, c in sorted(files.items())},
        "failure_groups": [
            {"error": key, "count": len(ids), "ids": ids}
            for key, ids in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ],
        "failures": [
            {"id": t["id"], "error": _group_key(t["error"])}
            for t in tests
            if t["category"] == "failed"
        ],
        "private": [
            {"id": t["id"], "private": t["error"]["private"], "error": _group_key(t["error"])}
            for t in tests
            if t["category"] == "private"
        ],
        "brand": [
            {
                "id": t["id"],
                "reason": t["brand"],
                "outcome": t["outcome"],
                "with_httprs_name": (brand_rerun.get(t["id"]) or {}).get("outcome"),
            }
            for t in tests
            if t["category"] == "brand"
        ],
        "skipped": [t["id"] for t in tests if t["category"] == "skipped"],
        "deselected_network": deselected,
        "collection_errors": collect_errors,
        "stopped": stopped,
    }


def _ids_line(ids: list[str]) -> str:
    more = f" (+{len(ids) - FEW} more)" if len(ids) > FEW else ""
    return ", ".join(ids[:FEW]) + more


def report(summary: dict, args) -> None:
    counts = summary["counts"]
    print()
    print(f"{'per test file':<44} {'pass':>5} {'fail':>5} {'priv':>5} {'brand':>5} {'skip':>5}")
    for name, c in summary["files"].items():
        status = "FAIL" if c.get("failed") else "pass"
        cells = " ".join(f"{c.get(k, 0):>5}" for k in ("passed", "failed", "private", "brand"))
        print(f"  {status} {name:<37} {cells} {c.get('skipped', 0):>5}")

    groups = summary["failure_groups"]
    print()
    print(f"failures, grouped: {counts['failed']} in {len(groups)} groups")
    for group in groups:
        print(f"  {group['count']:>4}  {group['error']}")
        print(f"        {_ids_line(group['ids'])}")
    if args.list_failures and summary["failures"]:
        print()
        print("every failure:")
        for failure in summary["failures"]:
            print(f"  {failure['id']}  --  {failure['error']}")

    private = defaultdict(list)
    for entry in summary["private"]:
        private[entry["private"]].append(entry["id"])
    print()
    print(f"private: {counts['private']} tests reach httpx's internals (they fail; not counted)")
    for name, ids in sorted(private.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        print(f"  {len(ids):>4}  {name}")
        for line in ids if args.list_failures else [_ids_line(ids)]:
            print(f"        {line}")

    print()
    print(
        f"brand name: {counts['brand']} tests expect httpx's own name (not counted; a test that"
        " still fails with httprs's name in its place counts as failed)"
    )
    for entry in summary["brand"]:
        verdict = {"passed": "passes with httprs's name"}.get(entry["with_httprs_name"])
        print(f"  {entry['id']} [{verdict or entry['outcome']}]")
        print(f"        {entry['reason']}")
    if summary["skipped"]:
        print(f"skipped by httpx's own conditions: {', '.join(summary['skipped'])}")
    if counts["deselected_network"]:
        print(
            f"deselected: {counts['deselected_network']} tests httpx marks `network` (they need"
            " the internet) or that would reach outside loopback:"
            f" {', '.join(OUTSIDE_LOOPBACK)}"
        )
    if summary["stopped"]:
        print(f"the run was stopped after {RUN_DEADLINE} s: tests without a result count as failed")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Run httpx 0.28.1's own test suite against httprs; fail below FLOOR."
    )
    parser.add_argument(
        "--list-failures", action="store_true", help="print every failing (and private) test id"
    )
    parser.add_argument("-k", metavar="EXPR", help="pytest -k: rerun some tests; no floor check")
    parser.add_argument("--json", metavar="PATH", type=Path, help="where to write the summary")
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds per test (pytest-timeout; default {DEFAULT_TIMEOUT})",
    )
    args = parser.parse_args(argv)
    json_path = args.json or CACHE / ("summary-k.json" if args.k else "summary.json")
    started = time.monotonic()
    try:
        install_requirements()
        sdist = fetch_sdist()
        run_dir = unpack(sdist)
        spec = importlib.util.find_spec("httpx")  # finds the installed httpx, imports nothing
        real_httpx = os.path.realpath(Path(spec.origin).parent) if spec and spec.origin else ""
        results = CACHE / "results.jsonl"
        env = suite_env(real_httpx, results)
        what = sanity(env, run_dir)
        print(f"httpx-suite: httpx {HTTPX_VERSION}'s own tests ({_rel(run_dir / 'tests')})")
        print(f"  against {what}: `import httpx` gives httprs", end="")
        print(f"; the installed httpx ({_rel(real_httpx)}) is not imported" if real_httpx else "")
        log_path = CACHE / "pytest.log"
        print(f"  pytest log: {_rel(log_path)}")
        # Full tracebacks for a rerun (shown); one line each otherwise (formatting ~800
        # tracebacks triples the run time).
        selection = ["tests", "-k", args.k] if args.k else ["tests", "--tb=line"]
        records, stopped = run_pytest(
            run_dir, env, log_path, selection, args.timeout, tee=bool(args.k)
        )
        brand_rerun = check_brand(records, run_dir, env, args.timeout)
        summary = summarize(records, run_dir, stopped, brand_rerun)
    except Abort as e:
        print(f"httpx-suite: {e}", file=sys.stderr)
        return 2

    elapsed = time.monotonic() - started
    summary["seconds"] = round(elapsed, 1)
    summary["k"] = args.k
    summary["timeout_per_test"] = args.timeout
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(summary, indent=2) + "\n")
    report(summary, args)

    head, counts = summary["headline"], summary["counts"]
    if counts["trio"] == 0 and not args.k:
        print("httpx-suite: no test ran under trio", file=sys.stderr)
        return 2
    print()
    print(
        f"{head['label']}: {head['passed']}/{head['total']} ({head['percent']:.2f}%)"
        f"{'  [-k ' + args.k + ': a subset]' if args.k else ''}"
    )
    print(
        f"  trio: {counts['trio_passed']}/{counts['trio']} of the trio runs passed;"
        f" left out: {counts['private']} private, {counts['brand']} brand,"
        f" {counts['skipped']} skipped, {counts['deselected_network']} network"
    )
    print(f"  time: {elapsed:.1f} s; summary: {_rel(json_path)}")
    if summary["stopped"]:
        print(f"httpx-suite: FAILED: the run took longer than {RUN_DEADLINE} s", file=sys.stderr)
        return 1
    if args.k:
        return 1 if counts["failed"] else 0
    percent = 100.0 * head["passed"] / head["total"] if head["total"] else 0.0
    if percent < FLOOR:
        print(f"httpx-suite: FAILED: {percent:.2f}% is below the floor, {FLOOR}%", file=sys.stderr)
        return 1
    print(f"  floor: {FLOOR}%: met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
