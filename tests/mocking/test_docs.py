"""The examples of docs/testing.md and of the README's "Mocking in tests" section run: each
```python block is a test module, run by pytest (pytester) with httprs's plugin, and every
test in it passes."""

import pathlib
import re

import pytest

pytest_plugins = ["pytester"]

ROOT = pathlib.Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"^```python\n(.*?)^```$", re.DOTALL | re.MULTILINE)


def python_blocks(text: str) -> list[str]:
    return BLOCK.findall(text)


def readme_mocking_section() -> str:
    readme = (ROOT / "README.md").read_text()
    start = readme.index("## Mocking in tests\n")
    return readme[start : readme.index("\n## ", start + 1)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param((ROOT / "docs" / "testing.md").read_text(), id="docs-testing"),
        pytest.param(readme_mocking_section(), id="readme"),
    ],
)
def test_the_python_blocks_run(pytester, text):
    blocks = python_blocks(text)
    assert blocks
    files = {f"test_block_{i}": block for i, block in enumerate(blocks)}
    pytester.makepyfile(**files)
    result = pytester.runpytest("-v", "-p", "no:cacheprovider", "--strict-markers")
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) > 0
    assert set(outcomes) <= {"passed"}, result.stdout.str()
    # Every block holds at least one test, and it passed.
    for name in files:
        result.stdout.fnmatch_lines([f"{name}.py::* PASSED*"])
