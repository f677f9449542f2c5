"""One INFO line per request on the ``httprs`` logger, worded as httpx's, redirects included.

Every test runs on ``sync``, ``async-asyncio`` and ``async-trio`` (tests/drivers.py),
against the test app over a real socket.
"""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401

pytestmark = [pytest.mark.network, pytest.mark.anyio]


def httprs_records(caplog) -> list[tuple[str, int, str]]:
    # The server's own loggers (uvicorn.access) may be captured too: only ours count.
    return [r for r in caplog.record_tuples if r[0] == "httprs"]


async def test_each_request_is_logged_at_info(driver, server, caplog):
    caplog.set_level(logging.INFO, logger="httprs")
    async with driver.client() as c:
        await c.get(server.url + "/echo")
        await c.post(server.url + "/status/404", content=b"x")
    assert httprs_records(caplog) == [
        ("httprs", logging.INFO, f'HTTP Request: GET {server.url}/echo "HTTP/1.1 200 OK"'),
        (
            "httprs",
            logging.INFO,
            f'HTTP Request: POST {server.url}/status/404 "HTTP/1.1 404 Not Found"',
        ),
    ]


async def test_every_hop_of_a_redirect_chain_is_logged(driver, server, caplog):
    caplog.set_level(logging.INFO, logger="httprs")
    async with driver.client(follow_redirects=True) as c:
        response = await c.get(server.url + "/redirect-to?url=/echo")
    assert response.status_code == 200
    assert [message for _, _, message in httprs_records(caplog)] == [
        f'HTTP Request: GET {server.url}/redirect-to?url=/echo "HTTP/1.1 302 Found"',
        f'HTTP Request: GET {server.url}/echo "HTTP/1.1 200 OK"',
    ]


async def test_nothing_is_logged_above_info(driver, server, caplog):
    caplog.set_level(logging.WARNING, logger="httprs")
    async with driver.client() as c:
        await c.get(server.url + "/echo")
    assert httprs_records(caplog) == []


def test_a_request_does_not_import_logging(server):
    """Until the application imports ``logging`` nobody can have configured it, so httprs
    neither asks it nor imports it (it would cost a cold start some milliseconds)."""
    code = (
        "import sys, httprs\n"
        f"assert httprs.get({server.url + '/echo'!r}).status_code == 200\n"
        "assert 'logging' not in sys.modules, 'a request imported logging'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
