"""Every code block of the documentation runs: docs/**/*.md and README.md cannot rot.

The servers the pages name (``tests/docs/examples.py`` has the convention) are started here,
once, on 127.0.0.1; each page then runs in a child process (``python -m tests.docs.examples
PAGE``) in a temporary working directory holding ``ca.pem`` (the CA of the TLS origin) and a
client certificate (``client.pem``, ``client.key``). A failing page shows the block's line
in the page and the traceback or the doctest's difference.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import httprs
import pytest

from tests.conftest import closed_port
from tests.docs import examples
from tests.docs.app import app as docs_app
from tests.support.servers.asgi import start_hypercorn, start_uvicorn
from tests.support.servers.proxy import ProxyServer
from tests.support.servers.socks import SocksServer
from tests.support.tls_fixtures import tls_certs_fixture  # noqa: F401

PAGES = examples.pages()
RUNNABLE = [p for p in PAGES if examples.runnable(p)]


def _id(path) -> str:
    return str(path.relative_to(examples.ROOT))


@pytest.fixture(scope="module")
def origins(tls_certs):
    """The placeholder origins of the pages, served: {"localhost:8080": "127.0.0.1:PORT"}."""
    with (
        start_uvicorn(docs_app, ws="wsproto") as http,
        start_hypercorn(
            docs_app, certfile=tls_certs.server_cert, keyfile=tls_certs.server_key, quic=True
        ) as https,
        ProxyServer() as proxy,
        SocksServer() as socks,
    ):
        served = {
            "localhost:8080": f"127.0.0.1:{http.port}",
            "localhost:8443": f"127.0.0.1:{https.port}",
            "localhost:3128": f"127.0.0.1:{proxy.port}",
            "localhost:1080": f"127.0.0.1:{socks.port}",
            "localhost:1": f"127.0.0.1:{closed_port()}",
        }
        assert served.keys() == examples.PLACEHOLDERS.keys()
        yield served


@pytest.fixture
def workdir(tmp_path, tls_certs):
    """The working directory of a page: the TLS files the pages name."""
    shutil.copy(tls_certs.ca_pem, tmp_path / "ca.pem")
    shutil.copy(tls_certs.client_cert, tmp_path / "client.pem")
    shutil.copy(tls_certs.client_key, tmp_path / "client.key")
    return tmp_path


@pytest.mark.parametrize("page", PAGES, ids=_id)
def test_every_fence_says_what_it_is(page):
    assert examples.check_languages(page) == []


@pytest.mark.parametrize("page", RUNNABLE, ids=_id)
def test_page_examples_run(page, origins, workdir):
    env = dict(os.environ)
    env[examples.ORIGINS_ENV] = json.dumps(origins)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(examples.ROOT), env.get("PYTHONPATH")]))
    # The pages' own proxy settings are explicit; none leaks in from the caller's environment.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        env.pop(name, None)
        env.pop(name.lower(), None)
    result = subprocess.run(
        [sys.executable, "-m", "tests.docs.examples", _id(page)],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"{_id(page)}:\n{result.stderr}{result.stdout}"


def test_the_pages_have_examples_to_run():
    # The extractor finds the blocks: a page everyone reads has runnable ones.
    quickstart = examples.ROOT / "docs" / "quickstart.md"
    assert quickstart in RUNNABLE
    assert len(examples.runnable(quickstart)) >= 5


# --- the harness itself ----------------------------------------------------------------------


def _page(tmp_path, text: str):
    page = tmp_path / "page.md"
    page.write_text(text, encoding="utf-8")
    return page


def test_a_wrong_output_fails_the_page(tmp_path, origins):
    page = _page(
        tmp_path,
        "```python\nimport httprs\n\nr = httprs.get('http://localhost:8080/status/404')\n```\n"
        "\n```pycon\n>>> r.status_code\n200\n```\n",
    )
    with pytest.raises(AssertionError, match=r"Expected:\s+200\s+Got:\s+404"):
        examples.run_page(page, origins)


def test_an_exception_fails_the_page_at_its_line(tmp_path, origins):
    page = _page(
        tmp_path, "Text.\n\n```python\nimport httprs\n\nhttprs.get('http://localhost:1/')\n```\n"
    )
    with pytest.raises(httprs.ConnectError) as info:
        examples.run_page(page, origins)
    frames = [f for f in info.traceback if str(f.path).endswith("page.md")]
    assert [f.lineno + 1 for f in frames] == [6]


def test_an_unused_function_fails_the_page(tmp_path, origins):
    page = _page(tmp_path, "```python\ndef helper():\n    raise AssertionError\n```\n")
    with pytest.raises(AssertionError, match=r"helper\(\) is defined but never used"):
        examples.run_page(page, origins)


def test_main_and_tests_run_on_asyncio_and_trio(tmp_path, origins):
    page = _page(
        tmp_path,
        "```python\nimport sniffio\n\nran = []\n\n\nasync def main():\n"
        "    ran.append(('main', sniffio.current_async_library()))\n\n\n"
        "async def test_it():\n    ran.append(('test', sniffio.current_async_library()))\n"
        "\n\ndef test_sync():\n    ran.append(('sync', None))\n```\n",
    )
    namespace = examples.run_page(page, origins)
    assert namespace["ran"] == [
        ("main", "asyncio"),
        ("main", "trio"),
        ("test", "asyncio"),
        ("test", "trio"),
        ("sync", None),
    ]


def test_an_unknown_origin_fails_the_page(tmp_path, origins):
    page = _page(tmp_path, "```python\nURL = 'http://localhost:9999/'\n```\n")
    with pytest.raises(LookupError, match="localhost:9999 is not a docs origin"):
        examples.run_page(page, origins)


def test_a_fence_without_a_known_language_is_reported(tmp_path):
    page = _page(tmp_path, "```\nprint('never run')\n```\n\n```py\nx = 1\n```\n\n```sh\nls\n```\n")
    errors = examples.check_languages(page)
    assert len(errors) == 2
    assert "fence language '' is neither run" in errors[0]
    assert "fence language 'py' is neither run" in errors[1]


def test_tests_may_take_the_httprs_mock_fixture(tmp_path, origins):
    page = _page(
        tmp_path,
        "```python\nimport httprs\nimport pytest\n\nran = []\n\n\n"
        "def test_sync(httprs_mock):\n"
        "    httprs_mock.add_response(url='https://api.example.com/', text='mocked')\n"
        "    ran.append(httprs.get('https://api.example.com/').text)\n\n\n"
        "@pytest.mark.httprs_mock(assert_all_responses_were_requested=False)\n"
        "async def test_async(httprs_mock):\n"
        "    httprs_mock.add_response(url='https://api.example.com/never')\n"
        "    ran.append(type(httprs_mock).__name__)\n```\n",
    )
    namespace = examples.run_page(page, origins)
    assert namespace["ran"] == ["mocked", "HTTPRSMock", "HTTPRSMock"]


def test_a_mocked_response_never_requested_fails_the_page(tmp_path, origins):
    page = _page(
        tmp_path,
        "```python\ndef test_it(httprs_mock):\n"
        "    httprs_mock.add_response(url='https://api.example.com/')\n```\n",
    )
    with pytest.raises(AssertionError, match="mocked but not requested"):
        examples.run_page(page, origins)


def test_a_test_taking_another_fixture_fails_the_page(tmp_path, origins):
    page = _page(tmp_path, "```python\ndef test_it(tmp_path):\n    pass\n```\n")
    with pytest.raises(AssertionError, match=r"test_it\(\) takes \['tmp_path'\]"):
        examples.run_page(page, origins)
