"""The type stubs (`_httprs.pyi`) list exactly the public names each extension class has."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import httprs._httprs as ext
import pytest

STUB = Path(ext.__file__).with_name("_httprs.pyi")


def _stub_classes() -> dict[str, set[str]]:
    """Each stubbed class's names, its stubbed base classes' included."""
    tree = ast.parse(STUB.read_text())
    own: dict[str, set[str]] = {}
    bases: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names = set()
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(item.name)
                elif isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                    names.add(item.target.id)
            own[node.name] = names
            bases[node.name] = [b.id for b in node.bases if isinstance(b, ast.Name)]

    def all_names(name: str) -> set[str]:
        names = set(own[name])
        for base in bases[name]:
            if base in own:
                names |= all_names(base)
        return names

    return {name: all_names(name) for name in own}


STUB_CLASSES = _stub_classes()
EXT_CLASSES = {
    name: cls
    for name, cls in vars(ext).items()
    if inspect.isclass(cls) and cls.__module__.startswith("httprs")
}


def test_every_extension_class_has_a_stub():
    assert set(EXT_CLASSES) - set(STUB_CLASSES) == set()


@pytest.mark.parametrize("name", sorted(EXT_CLASSES))
def test_stub_names_match_the_extension(name):
    cls = EXT_CLASSES[name]
    # Names the class has, its extension base classes' included (not object's).
    actual = {
        n
        for klass in cls.__mro__
        if klass.__module__.startswith("httprs")
        for n in vars(klass)
        if not n.startswith("_")
    }
    stubbed = {n for n in STUB_CLASSES[name] if not n.startswith("_")}
    assert actual - stubbed == set(), "missing from the stub"
    assert stubbed - actual == set(), "in the stub but not in the extension"
