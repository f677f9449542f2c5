"""The type stubs tell the truth, and every public name says what it does.

- `mypy.stubtest` compares each class, method, property and signature of
  `python/httprs/_httprs.pyi` with the built extension (names, parameters, their kinds and
  defaults, sync or async), through the signatures PyO3 gives (`#[pyo3(signature)]`,
  `text_signature`). Its allowlist, tests/typing/stubtest_allowlist.txt, says why for each
  entry.
- Where stubtest cannot see a signature (`__init__` is a slot, and the classes that take any
  arguments in `__new__` give `__init__`'s as their text signature), the tests below check
  it: the text signature against the Rust `__init__`, and the stub against the text
  signature.
- The stub's docstrings are the Rust doc comments (`scripts/sync_stub_docs.py`).
- Every public name of `httprs` and `httprs.testing`, and every public method and property
  of their classes, has a docstring (`help()` and IDE hovers show them).
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
import subprocess
import sys
from pathlib import Path

import httprs
import httprs._httprs as ext
import httprs.testing
import pytest

ROOT = Path(__file__).resolve().parents[2]
STUB = ROOT / "python" / "httprs" / "_httprs.pyi"
ALLOWLIST = ROOT / "tests" / "typing" / "stubtest_allowlist.txt"

sys.path.insert(0, str(ROOT / "scripts"))
import sync_stub_docs  # noqa: E402

sys.path.pop(0)


def test_stubtest_finds_the_stub_true():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy.stubtest",
            "httprs._httprs",
            "--allowlist",
            str(ALLOWLIST),
            "--mypy-config-file",
            str(ROOT / "pyproject.toml"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_stub_docstrings_are_the_rust_doc_comments():
    assert sync_stub_docs.differences(STUB.read_text(), ext) == []


# ---------------------------------------------------------------------------------------
# The text signatures written by hand in Rust (`text_signature` on `#[new]`) repeat the
# `#[pyo3(signature = ...)]` of the `__init__` that takes the arguments.

# class -> (Rust file, the type whose `#[pymethods]` has the real `__init__`)
INIT_SIGNATURES = {
    "BaseClient": ("src/client/base.rs", "PyBaseClient"),
    "Client": ("src/client/base.rs", "PyBaseClient"),
    "AsyncClient": ("src/client/base.rs", "PyBaseClient"),
    "HTTPTransport": ("src/transport/network.rs", "PyNetworkTransport"),
    "AsyncHTTPTransport": ("src/transport/network.rs", "PyNetworkTransport"),
}


def _rust_init_parameters(path: str, rust_type: str) -> list[tuple[str, str]]:
    """`(name, kind)` of the parameters of `rust_type`'s `__init__` `#[pyo3(signature)]`."""
    source = (ROOT / path).read_text()
    block = source[source.index(f"impl {rust_type} {{") :]
    match = re.search(r"#\[pyo3\(signature = \((.*?)\)\)\]\s*(?:#\[[^\]]*\]\s*)*fn __init__", block)
    assert match, f"no #[pyo3(signature)] on {rust_type}.__init__ in {path}"
    parameters = []
    kind = "POSITIONAL_OR_KEYWORD"
    for item in match.group(1).split(","):
        name = item.split("=")[0].strip()
        if name == "*":
            kind = "KEYWORD_ONLY"
            continue
        parameters.append((name, kind))
    return parameters


@pytest.mark.parametrize("name", sorted(INIT_SIGNATURES))
def test_text_signature_is_the_rust_init_signature(name):
    shown = [
        (p.name, p.kind.name) for p in inspect.signature(getattr(ext, name)).parameters.values()
    ]
    assert shown == _rust_init_parameters(*INIT_SIGNATURES[name])


def _stub_function(cls: str, function: str) -> ast.FunctionDef:
    tree = ast.parse(STUB.read_text())
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == cls:
            for item in node.body:
                if isinstance(item, ast.FunctionDef) and item.name == function:
                    return item
    raise AssertionError(f"{cls}.{function} is not in the stub")


@pytest.mark.parametrize("name", ["HTTPTransport", "AsyncHTTPTransport"])
def test_transport_stub_is_the_text_signature(name):
    # What stubtest would check if it read the text signature as `__init__`'s (see the
    # allowlist): names, kinds and literal defaults.
    init = _stub_function("NetworkTransport", "__init__")
    args = init.args
    positional = args.posonlyargs + args.args
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    stub = [(a.arg, "POSITIONAL_OR_KEYWORD", d) for a, d in zip(positional, defaults, strict=True)][
        1:
    ]  # not self
    stub += [
        (a.arg, "KEYWORD_ONLY", d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
    ]
    shown = inspect.signature(getattr(ext, name)).parameters.values()
    assert [(n, k) for n, k, _ in stub] == [(p.name, p.kind.name) for p in shown]
    for (n, _, default), parameter in zip(stub, shown, strict=True):
        if isinstance(default, ast.Constant) and default.value is not Ellipsis:
            assert parameter.default == default.value, n


# ---------------------------------------------------------------------------------------
# Docstrings.


def _public_members(cls: type) -> list[tuple[str, object]]:
    """The public methods and properties `cls` has from httprs's classes (not `object`'s,
    `Exception`'s or `IntEnum`'s)."""
    members = []
    fields = {f.name for f in dataclasses.fields(cls)} if dataclasses.is_dataclass(cls) else set()
    for name in dir(cls):
        if name.startswith("_") or name in fields:  # a dataclass field's default is data
            continue
        owner = next((k for k in cls.__mro__ if name in vars(k)), None)
        if owner is None or not owner.__module__.startswith("httprs"):
            continue
        attr = vars(owner)[name]
        if isinstance(attr, staticmethod | classmethod):
            attr = attr.__func__
        if inspect.isclass(attr) or not (
            callable(attr) or inspect.isdatadescriptor(attr) or inspect.ismethoddescriptor(attr)
        ):
            continue  # enum members, class constants
        members.append((name, attr))
    return members


def _documented(obj: object) -> type | object:
    """What carries the docstring of a public name: itself, or an instance's class."""
    if inspect.isclass(obj) or inspect.isroutine(obj):
        return obj
    return type(obj)  # USE_CLIENT_DEFAULT, SYSTEM_TRUST_STORE, main


PUBLIC = sorted(
    f"{module.__name__}.{name}"
    for module in (httprs, httprs.testing)
    for name in module.__all__
    if not isinstance(getattr(module, name), str)
)


@pytest.mark.parametrize("name", PUBLIC)
def test_public_name_has_a_docstring(name):
    module, _, attribute = name.rpartition(".")
    target = _documented(getattr(sys.modules[module], attribute))
    # A class's own docstring (a class without one would show its base's in help()).
    doc = vars(target).get("__doc__") if inspect.isclass(target) else target.__doc__
    assert doc and doc.strip(), f"{name} has no docstring"
    if inspect.isclass(target):
        missing = [m for m, attr in _public_members(target) if not (attr.__doc__ or "").strip()]
        assert missing == [], f"{name}: no docstring on {missing}"


def test_help_shows_the_client_signature_and_docs():
    assert "base_url=''" in str(inspect.signature(httprs.Client))
    text = inspect.getdoc(httprs.Client.get)
    assert text and text.startswith("Send a `GET` request")
