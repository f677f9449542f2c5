"""Runs the code blocks of one documentation page: ``python -m tests.docs.examples PAGE``.

``test_docs_examples.py`` starts the servers and runs this once per page, in a child process
of its own (an example may configure logging, set environment variables or fork: nothing of
that reaches pytest or the next page), in a temporary working directory holding the TLS files
the pages name. The convention, also in tests/README.md ("Runnable documentation"):

- A fence says what its block is. ``python`` blocks run; ``pycon`` blocks (``>>>`` sessions)
  run as doctests, their printed output compared (``...`` matches anything). The languages of
  ``SHOWN`` (shell commands, output, files) are only shown. Any other fence, or one without a
  language, is an error: nothing is skipped without saying so.
- A page's blocks run in order in one namespace, so a block may use what an earlier one made.
- Origins: a page writes ``http://localhost:8080`` (the docs app, ``tests/docs/app.py``),
  ``https://localhost:8443`` (the same app over TLS, HTTP/2 offered, and HTTP/3 on the same
  port over UDP; its CA is ``ca.pem`` in the working directory), ``http://localhost:3128`` (a forwarding HTTP proxy with CONNECT),
  ``socks5://localhost:1080`` (a SOCKS5 proxy) or ``http://localhost:1`` (nothing listens).
  Before a block runs, each ``localhost:PORT`` is replaced with the 127.0.0.1 address of its
  server (``ORIGINS_ENV`` maps them); any other ``localhost:PORT`` is an error.
- Functions a block defines at the top level: an ``async def main()`` that the block does not
  call itself is run on asyncio and then on trio; ``test_*`` functions are run as pytest would
  (``async`` ones on both loops); any other function must be used (called, passed, decorated)
  somewhere on the page.
- A ``test_*`` function takes no argument, or httprs's ``httprs_mock`` fixture: it gets a mock
  made as the fixture makes it (the options of its ``@pytest.mark.httprs_mock`` marker), active
  while it runs and checked when it returns, a new one on each loop.
"""

from __future__ import annotations

import ast
import asyncio
import dataclasses
import doctest
import json
import os
import pathlib
import re
import sys
import traceback

ROOT = pathlib.Path(__file__).resolve().parents[2]

#: Fence languages that run.
RUN = {"python", "pycon"}
#: Fence languages that are shown and never run: shell commands, output, other files.
SHOWN = {"sh", "text", "toml", "yaml", "ini"}

#: The environment variable carrying {"localhost:8080": "127.0.0.1:PORT", ...} to the child.
ORIGINS_ENV = "HTTPRS_DOCS_ORIGINS"
#: The placeholder origins a page may use (host:port as written), and what each one is.
PLACEHOLDERS = {
    "localhost:8080": "the docs app over HTTP",
    "localhost:8443": "the docs app over TLS (HTTP/2 offered; HTTP/3 over UDP)",
    "localhost:3128": "a forwarding HTTP proxy",
    "localhost:1080": "a SOCKS5 proxy",
    "localhost:1": "a port where nothing listens",
}
_ORIGIN = re.compile(r"localhost:(\d+)")
_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


@dataclasses.dataclass
class Block:
    page: str
    line: int  # 1-based line of the block's first code line in the page
    lang: str
    code: str


def pages() -> list[pathlib.Path]:
    """Every page whose blocks are checked: docs/**/*.md and the README."""
    return sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]


def _name(path: pathlib.Path) -> str:
    """The page as the reports name it: relative to the checkout when it is in it."""
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def blocks(path: pathlib.Path) -> list[Block]:
    """The fenced code blocks of a Markdown page, dedented (blocks in tabs and admonitions
    are indented); the language is the first word of the info string ('' when none)."""
    page = _name(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    found = []
    i = 0
    while i < len(lines):
        m = _OPEN.match(lines[i])
        if m is None or (m["fence"][0] == "`" and "`" in m["info"]):
            i += 1
            continue
        indent, fence = len(m["indent"]), m["fence"]
        info = m["info"].strip()
        lang = info.split()[0] if info else ""
        close = re.compile(r"^[ \t]*" + re.escape(fence[0]) + "{" + str(len(fence)) + r",}\s*$")
        j = i + 1
        while j < len(lines) and not close.match(lines[j]):
            j += 1
        if j == len(lines):
            raise ValueError(f"{page}:{i + 1}: the code fence is never closed")
        body = [line[indent:] if line[:indent].strip() == "" else line for line in lines[i + 1 : j]]
        found.append(Block(page, i + 2, lang, "\n".join(body) + "\n"))
        i = j + 1
    return found


def check_languages(path: pathlib.Path) -> list[str]:
    """What is wrong with the fences of a page (empty: nothing)."""
    errors = []
    for block in blocks(path):
        if block.lang not in RUN | SHOWN:
            errors.append(
                f"{block.page}:{block.line - 1}: fence language {block.lang!r} is neither run"
                f" ({', '.join(sorted(RUN))}) nor shown ({', '.join(sorted(SHOWN))})"
            )
    return errors


def runnable(path: pathlib.Path) -> list[Block]:
    return [b for b in blocks(path) if b.lang in RUN]


def localize(block: Block, origins: dict[str, str]) -> str:
    """The block's text with each placeholder origin replaced by its server's address."""

    def replace(m: re.Match) -> str:
        if m[0] not in origins:
            raise LookupError(
                f"{block.page}:{block.line}: {m[0]} is not a docs origin; use one of"
                f" {', '.join(f'{k} ({v})' for k, v in PLACEHOLDERS.items())}"
            )
        return origins[m[0]]

    return _ORIGIN.sub(replace, block.code)


def python_source(block: Block, text: str) -> str:
    """The Python code of a block: a ``python`` block as it is, a ``pycon`` block's
    statements (for the check of which functions a page uses)."""
    if block.lang == "python":
        return text
    examples = doctest.DocTestParser().get_examples(text)
    return "".join(example.source for example in examples)


def _top_level_functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def _names_used(tree: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _run_on_both_loops(function) -> None:
    import trio

    asyncio.run(function())
    trio.run(function)


def run_page(path: pathlib.Path, origins: dict[str, str]) -> dict:
    """Run every block of the page in order in one namespace (returned); raise at the first
    failure."""
    page_blocks = runnable(path)
    texts = [localize(b, origins) for b in page_blocks]
    trees = [ast.parse(python_source(b, t)) for b, t in zip(page_blocks, texts, strict=True)]
    used = set().union(*(_names_used(t) for t in trees)) if trees else set()
    for block, tree in zip(page_blocks, trees, strict=True):
        for fn in _top_level_functions(tree):
            exempt = fn.name == "main" or fn.name.startswith("test_") or fn.decorator_list
            if not exempt and fn.name not in used:
                raise AssertionError(
                    f"{block.page}:{block.line}: function {fn.name}() is defined but never used"
                    " on the page (call it, or name it main() or test_*() to have it run)"
                )

    namespace: dict = {"__name__": "__main__"}
    for block, text, tree in zip(page_blocks, texts, trees, strict=True):
        if block.lang == "pycon":
            _run_doctest(block, text, namespace)
            continue
        code = compile("\n" * (block.line - 1) + text, block.page, "exec")
        exec(code, namespace)
        own_names = _names_used(tree)
        for fn in _top_level_functions(tree):
            function = namespace[fn.name]
            if fn.name == "main" and isinstance(fn, ast.AsyncFunctionDef):
                if "main" not in own_names:
                    _run_on_both_loops(function)
            elif fn.name.startswith("test_"):
                _run_test(block, fn, function)
    return namespace


#: The pytest fixtures a page's test functions may take.
FIXTURES = ("httprs_mock",)


def _run_test(block: Block, fn: ast.FunctionDef | ast.AsyncFunctionDef, function) -> None:
    """A page's ``test_*`` function, as pytest would run it (see the module's docstring)."""
    params = [a.arg for a in fn.args.args]
    unknown = [p for p in params if p not in FIXTURES]
    if unknown:
        raise AssertionError(
            f"{block.page}:{block.line}: {fn.name}() takes {unknown}: a page's tests take no"
            f" argument, or the fixtures {list(FIXTURES)}"
        )
    if not params:
        if isinstance(fn, ast.AsyncFunctionDef):
            _run_on_both_loops(function)
        else:
            function()
        return
    from httprs.testing import HTTPRSMock, MockOptions

    marks = [m.kwargs for m in getattr(function, "pytestmark", []) if m.name == "httprs_mock"]
    for loop in ("asyncio", "trio") if isinstance(fn, ast.AsyncFunctionDef) else (None,):
        with HTTPRSMock(MockOptions.from_markers(marks)) as mock:
            if loop is None:
                function(mock)
            elif loop == "asyncio":
                asyncio.run(function(mock))
            else:
                import trio

                trio.run(function, mock)


def _run_doctest(block: Block, text: str, namespace: dict) -> None:
    test = doctest.DocTestParser().get_doctest(
        text, namespace, f"{block.page}:{block.line}", block.page, block.line - 1
    )
    report: list[str] = []
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False
    )
    runner.run(test, out=report.append, clear_globs=False)
    namespace.update(test.globs)  # the DocTest ran on a copy of the namespace
    if runner.failures:
        raise AssertionError("".join(report))


def main(argv: list[str]) -> int:
    path = ROOT / argv[1]
    origins = json.loads(os.environ.get(ORIGINS_ENV, "{}"))
    try:
        run_page(path, origins)
    except BaseException:
        print(traceback.format_exc(), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
