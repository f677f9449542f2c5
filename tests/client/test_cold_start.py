"""What `import httprs` and a first request load: only what that request needs.

A command-line tool that runs `python -c "import httprs; httprs.get(url)"` pays for every
module the package imports (issue 15, scenario G). The rest of the public names are loaded
on first use (`_LAZY` in `python/httprs/__init__.py`), yet remain real attributes of the
module: `vars(httprs)` has them, as httpx's own test_exported_members expects.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from unittest import mock

import httprs

# Modules that cost milliseconds each to import (with what they pull in), which a plain
# `httprs.get(url)` does not need.
HEAVY = [
    "asyncio",
    "ast",
    "collections",
    "contextlib",
    "enum",
    "functools",
    "inspect",
    "logging",
    "re",
    "sniffio",
    "ssl",
    "threading",
    "typing",
    "warnings",
    "weakref",
    "click",
    "rich",
    "opentelemetry",
    "httprs.compat",
    "httprs.otel",
    "httprs.testing",
]


def _new_modules(code: str) -> dict[str, list[str]]:
    """Runs `code` in a new interpreter; between `mark(name)` calls, the modules it loaded
    (the program imports nothing itself: even `json` would load `re` and `enum`)."""
    program = (
        textwrap.dedent(
            """
        import sys
        _seen, _loaded = set(sys.modules), {}
        def mark(name):
            global _seen
            _loaded[name] = sorted(set(sys.modules) - _seen)
            _seen = set(sys.modules)
        """
        )
        + textwrap.dedent(code)
        + "\nprint(repr(_loaded))\n"
    )
    child = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60
    )
    assert child.returncode == 0, child.stderr
    return ast.literal_eval(child.stdout)


def test_import_and_a_first_get_load_only_what_the_request_needs(server):
    loaded = _new_modules(
        f"""
        import httprs
        mark("import")
        response = httprs.get("{server.url}/echo")
        assert response.status_code == 200, response
        mark("get")
        """
    )

    ours = [m for m in loaded["import"] if m.split(".")[0] == "httprs"]
    assert ours == ["httprs", "httprs._api", "httprs._httprs", "httprs._models"]
    for step in ("import", "get"):
        heavy = [m for m in loaded[step] if m.partition(".")[0] in HEAVY or m in HEAVY]
        assert heavy == [], (step, heavy)
    # The request loads no more of the package (its exceptions, streams, status codes...).
    assert [m for m in loaded["get"] if m.startswith("httprs")] == []


def test_a_name_loaded_on_first_use_is_the_one_its_module_defines():
    loaded = _new_modules(
        """
        import httprs
        mark("import")
        assert "codes" in vars(httprs) and "ASGITransport" in dir(httprs)
        codes = httprs.codes
        mark("codes")
        from httprs import HTTPStatusError, ASGITransport
        mark("names")
        import httprs._exceptions, httprs._status_codes, httprs._asgi
        assert codes is httprs._status_codes.codes is vars(httprs)["codes"]
        assert HTTPStatusError is httprs._exceptions.HTTPStatusError
        assert ASGITransport is httprs._asgi.ASGITransport
        assert vars(httprs)["ConnectError"] is httprs._exceptions.ConnectError
        """
    )

    assert "enum" in loaded["codes"] and "httprs._status_codes" in loaded["codes"]
    assert {"httprs._exceptions", "httprs._asgi", "httprs._transports"} <= set(loaded["names"])


def test_every_public_name_resolves_to_a_public_object():
    for name in httprs.__all__:
        value = getattr(httprs, name)
        assert type(value).__name__ != "_NotLoaded", name
        assert name in vars(httprs) and name in dir(httprs)


def test_a_name_loaded_on_first_use_can_be_patched_and_restored():
    original = httprs.WSGITransport
    with mock.patch("httprs.WSGITransport", "patched"):
        assert httprs.WSGITransport == "patched"
        from httprs import WSGITransport

        assert WSGITransport == "patched"
    assert httprs.WSGITransport is original
    with mock.patch.object(httprs, "codes") as codes:
        assert httprs.codes is codes
    assert httprs.codes.NOT_FOUND == 404
