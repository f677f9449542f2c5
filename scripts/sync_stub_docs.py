"""Copy the docstrings of the built extension (the Rust `///` doc comments) into its stub.

    python scripts/sync_stub_docs.py          # rewrite python/httprs/_httprs.pyi
    python scripts/sync_stub_docs.py --check  # exit 1 if a docstring differs

IDEs show a compiled module's docstrings only from its stub, and `help()` only from the
module itself, so both carry them; the Rust comments are the source, this keeps the stub in
step (tests/models/test_stubs.py runs the check). Each class of the stub, and each method or
property a class defines (not dunders), gets the docstring of the runtime object it names.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import sys
from pathlib import Path

STUB = Path(__file__).resolve().parent.parent / "python" / "httprs" / "_httprs.pyi"


def runtime_doc(obj: object) -> str | None:
    """The object's own docstring, cleaned as `inspect.getdoc` cleans it (never inherited)."""
    doc = obj.__dict__.get("__doc__") if isinstance(obj, type) else getattr(obj, "__doc__", None)
    if not isinstance(doc, str) or not doc.strip():
        return None
    return inspect.cleandoc(doc)


def wanted_docs(tree: ast.Module, module: object) -> dict[ast.AST, str | None]:
    """Each documented node of the stub and the docstring it should have."""
    wanted: dict[ast.AST, str | None] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or not hasattr(module, node.name):
            continue
        cls = getattr(module, node.name)
        wanted[node] = runtime_doc(cls)
        for item in node.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                if item.name.startswith("__") or not hasattr(cls, item.name):
                    continue
                if any(_is_setter(d) for d in item.decorator_list):
                    continue  # a property's docstring goes on its getter
                wanted[item] = runtime_doc(inspect.getattr_static(cls, item.name))
    return wanted


def _is_setter(decorator: ast.expr) -> bool:
    return isinstance(decorator, ast.Attribute) and decorator.attr == "setter"


def _docstring_lines(doc: str, indent: str) -> list[str]:
    if '"""' in doc or "\\" in doc:
        raise SystemExit(f'sync_stub_docs: cannot quote a docstring with """ or \\: {doc!r}')
    lines = doc.split("\n")
    if len(lines) == 1:
        return [f'{indent}"""{doc}"""']
    body = [f"{indent}{line}" if line else "" for line in lines[1:]]
    return [f'{indent}"""{lines[0]}', *body, f'{indent}"""']


def rewrite(source: str, wanted: dict[ast.AST, str | None]) -> str:
    """The stub with each node's docstring replaced, added or removed, as `wanted` says."""
    lines = source.split("\n")
    # Bottom-up, so that earlier line numbers stay valid.
    for node in sorted(wanted, key=lambda n: n.lineno, reverse=True):
        assert isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        doc = wanted[node]
        first = node.body[0]
        has_doc = (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        )
        indent = " " * (node.col_offset + 4)
        if has_doc:
            start, end = first.lineno - 1, first.end_lineno or first.lineno
            rest = node.body[1:]
            new = _docstring_lines(doc, indent) if doc else []
            if not rest and not new:
                new = [f"{indent}..."]
            lines[start:end] = new
            continue
        if doc is None:
            continue
        row = first.lineno - 1
        if len(node.body) == 1 and _is_ellipsis(first) and lines[row][: first.col_offset].strip():
            # `def f(...) -> T: ...  # comment`: the docstring replaces the `...`.
            line = lines[row]
            end = first.end_col_offset or len(line)
            lines[row] = line[: first.col_offset].rstrip() + line[end:]
            lines[row + 1 : row + 1] = _docstring_lines(doc, indent)
        else:
            lines[row:row] = _docstring_lines(doc, indent)
    return "\n".join(lines)


def _is_ellipsis(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and stmt.value.value is Ellipsis
    )


def differences(source: str, module: object) -> list[str]:
    """`name: stub docstring != runtime docstring` for each that differs."""
    tree = ast.parse(source)
    found = []
    for node, doc in wanted_docs(tree, module).items():
        assert isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        have = ast.get_docstring(node)
        if have != doc:
            found.append(f"{node.name} (line {node.lineno}): stub {have!r} != runtime {doc!r}")
    return found


def main(argv: list[str]) -> int:
    module = importlib.import_module("httprs._httprs")
    source = STUB.read_text()
    if "--check" in argv:
        found = differences(source, module)
        for line in found:
            print(line)
        if found:
            print("sync_stub_docs: run `python scripts/sync_stub_docs.py` to update the stub")
        return 1 if found else 0
    new = rewrite(source, wanted_docs(ast.parse(source), module))
    if new != source:
        STUB.write_text(new)
        print(f"sync_stub_docs: updated {STUB}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
