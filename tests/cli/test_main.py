"""The command line client (`httprs.main`, the `httprs` console script), as a user sees it.

Every test runs the command against the test app on 127.0.0.1 (the session's uvicorn
`server`, tests/support/apps/main_app.py) and checks what is printed and the exit status;
the `/echo` endpoint shows what actually reached the server. click's CliRunner runs the
command in this process; two tests run it in a child process, as the console script does.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import httprs
import pytest
from click.testing import CliRunner

from tests.support.apps.main_app import JSON_DOC, NOCHARSET_TEXT, pattern
from tests.support.helpers import basic_auth, echo_headers


def run(*args: str):
    # A wide console, so that rich wraps no line of what the tests compare.
    return CliRunner().invoke(httprs.main, list(args), env={"COLUMNS": "200"})


def blocks(output: str) -> list[list[str]]:
    """The output as its blank-line separated blocks (each response head, then the body),
    each a list of lines without their trailing padding."""
    lines = [line.rstrip() for line in output.strip("\n").splitlines()]
    found: list[list[str]] = [[]]
    for line in lines:
        if line:
            found[-1].append(line)
        elif found[-1]:
            found.append([])
    return [block for block in found if block]


def without_date(head: list[str]) -> list[str]:
    return [line for line in head if not line.startswith("date:")]


def echoed(output: str) -> dict:
    """What the /echo endpoint saw: the JSON body the command printed last."""
    return json.loads("\n".join(blocks(output)[-1]))


def test_get_prints_the_status_line_the_headers_and_the_text(server):
    result = run(f"{server.url}/nocharset")

    assert result.exit_code == 0, result.output
    head, body = blocks(result.output)
    assert without_date(head) == [
        "HTTP/1.1 200 OK",
        "server: uvicorn",
        "content-type: text/plain",
        f"content-length: {len(NOCHARSET_TEXT.encode())}",
    ]
    assert body == [NOCHARSET_TEXT]


def test_a_json_body_is_printed_indented(server):
    result = run(f"{server.url}/json")

    assert result.exit_code == 0, result.output
    assert blocks(result.output)[-1] == json.dumps(JSON_DOC, indent=4).splitlines()


def test_a_binary_body_is_counted_not_printed(server):
    result = run(f"{server.url}/bytes?size=1234")

    assert result.exit_code == 0, result.output
    assert "content-type: application/octet-stream" in blocks(result.output)[0]
    assert blocks(result.output)[-1] == ["<1234 bytes of binary data>"]


def test_json_option_posts_the_document(server):
    result = run(f"{server.url}/echo", "--json", '{"hello": "world"}')

    assert result.exit_code == 0, result.output
    seen = echoed(result.output)
    assert seen["method"] == "POST"
    assert json.loads(seen["body"]) == {"hello": "world"}
    assert echo_headers(seen, "content-type") == ["application/json"]


def test_invalid_json_is_a_usage_error_and_sends_nothing(server):
    result = run(f"{server.url}/echo", "--json", "{not json")

    assert result.exit_code == 2
    assert "Not valid JSON" in result.output


def test_the_query_string_of_the_url_is_sent(server):
    result = run(f"{server.url}/echo?a=1&b=2")

    assert result.exit_code == 0, result.output
    assert echoed(result.output)["query"] == "a=1&b=2"


def test_params_headers_cookies_and_form_data_reach_the_server(server):
    result = run(
        f"{server.url}/echo",
        *("--params", "b", "2"),
        *("--params", "b", "3"),
        *("--headers", "X-Test", "yes"),
        *("--cookies", "session", "abc"),
        *("--data", "field", "value"),
    )

    assert result.exit_code == 0, result.output
    seen = echoed(result.output)
    assert seen["method"] == "POST"  # a body and no --method: POST, as httpx's CLI
    assert seen["query"] == "b=2&b=3"
    assert echo_headers(seen, "x-test") == ["yes"]
    assert echo_headers(seen, "cookie") == ["session=abc"]
    assert seen["body"] == "field=value"


def test_method_option(server):
    result = run(f"{server.url}/echo", "--method", "PUT", "--content", "raw bytes")

    assert result.exit_code == 0, result.output
    seen = echoed(result.output)
    assert (seen["method"], seen["body"]) == ("PUT", "raw bytes")


def test_download_saves_the_body_to_the_file(server, tmp_path):
    target = tmp_path / "body.bin"

    result = run(f"{server.url}/bytes?size=100000", "--download", str(target))

    assert result.exit_code == 0, result.output
    assert target.read_bytes() == pattern(100000)
    assert "Downloading" in result.output
    assert "bytes of binary data" not in result.output


def test_a_redirect_is_shown_not_followed_by_default(server):
    result = run(f"{server.url}/redirect/1")

    assert result.exit_code == 1  # the final response is not a 2xx
    (head,) = blocks(result.output)
    assert head[0] == "HTTP/1.1 302 Found"
    assert "location: /echo" in head


def test_follow_redirects_shows_every_response_head(server):
    result = run(f"{server.url}/redirect/2", "--follow-redirects")

    assert result.exit_code == 0, result.output
    parts = blocks(result.output)
    assert [block[0] for block in parts[:3]] == [
        "HTTP/1.1 302 Found",
        "HTTP/1.1 302 Found",
        "HTTP/1.1 200 OK",
    ]
    assert "location: /redirect/1" in parts[0]
    assert "location: /echo" in parts[1]
    assert echoed(result.output)["path"] == "/echo"


def test_verbose_shows_the_connection_and_the_request(server):
    result = run(f"{server.url}/nocharset", "--verbose")

    assert result.exit_code == 0, result.output
    request, response, body = blocks(result.output)
    assert request == [
        "* Connecting to '127.0.0.1'",
        f"* Connected to '127.0.0.1' on port {server.port}",
        "GET /nocharset HTTP/1.1",
        f"Host: 127.0.0.1:{server.port}",
        "Accept: */*",
        "Accept-Encoding: gzip, deflate, br, zstd",
        "Connection: keep-alive",
        f"User-Agent: python-httprs/{httprs.__version__}",
    ]
    assert response[0] == "HTTP/1.1 200 OK"
    assert body == [NOCHARSET_TEXT]


def test_verbose_with_redirects_connects_once_per_origin(server, other_server):
    target = f"{other_server.url}/echo"
    result = run(f"{server.url}/redirect-to?url={target}&status=307", "-v", "--follow-redirects")

    assert result.exit_code == 0, result.output
    connected = [line for line in result.output.splitlines() if line.startswith("* Connected")]
    assert connected == [
        f"* Connected to '127.0.0.1' on port {server.port}",
        f"* Connected to '127.0.0.1' on port {other_server.port}",
    ]


def test_auth_sends_basic_credentials(server):
    result = run(f"{server.url}/echo", "--auth", "user", "pa55", "-v")

    assert result.exit_code == 0, result.output
    assert f"Authorization: {basic_auth('user', 'pa55')}" in blocks(result.output)[0]
    assert echo_headers(echoed(result.output), "authorization") == [basic_auth("user", "pa55")]


def test_a_connection_refused_is_printed_and_exits_1(closed_url):
    result = run(closed_url)

    assert result.exit_code == 1
    assert result.output.startswith("ConnectError: ")
    assert "HTTP/1.1" not in result.output


def test_an_unsupported_scheme_is_printed_and_exits_1():
    result = run("invalid://example.org")

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "UnsupportedProtocol: Request URL has an unsupported protocol 'invalid://'."
    ]


def test_help():
    result = run("--help")

    assert result.exit_code == 0
    assert "Usage: httprs <URL> [OPTIONS]" in result.output
    for option in ("--method", "--json", "--download", "--follow-redirects", "--verbose"):
        assert option in result.output


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_console_script_entry_point_prints_to_stdout(server):
    # What the generated `httprs` script runs ([project.scripts] httprs = "httprs:main").
    child = _python(
        f"""
        import sys
        from httprs import main
        sys.argv = ["httprs", "{server.url}/nocharset"]
        sys.exit(main())
        """
    )

    assert child.returncode == 0, child.stderr
    assert child.stdout.splitlines()[0] == "HTTP/1.1 200 OK"
    assert child.stdout.rstrip().splitlines()[-1] == NOCHARSET_TEXT


def test_import_httprs_does_not_import_the_cli_dependencies():
    child = _python(
        """
        import sys
        import httprs
        assert "main" in vars(httprs)
        print(sorted(m for m in ("click", "rich", "pygments") if m in sys.modules))
        """
    )

    assert child.returncode == 0, child.stderr
    assert child.stdout.strip() == "[]"


@pytest.mark.parametrize("missing", ["click", "rich"])
def test_without_the_cli_extra_main_says_what_to_install(missing):
    # None in sys.modules makes `import click` fail as if click were not installed.
    child = _python(
        f"""
        import sys
        sys.modules[{missing!r}] = None
        import httprs
        httprs.main()
        """
    )

    assert child.returncode == 1
    assert child.stdout == ""
    assert f"'{missing}' is not installed" in child.stderr
    # The distribution's name: `pip install httprs[cli]` would fetch PyPI's unrelated placeholder.
    assert "pip install 'httprs-client[cli]'" in child.stderr
    assert "Traceback" not in child.stderr
