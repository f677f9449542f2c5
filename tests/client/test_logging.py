"""One INFO line per request on the ``httprs`` logger, worded as httpx's, redirects included;
DEBUG records of connections made, reused or refused.

Every test runs on ``sync``, ``async-asyncio`` and ``async-trio`` (tests/drivers.py),
against the test app over a real socket.
"""

from __future__ import annotations

import logging
import subprocess
import sys

import anyio
import httprs
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.tls_fixtures import h2_server_fixture, tls_certs_fixture  # noqa: F401

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


# --- DEBUG: what happens to connections -------------------------------------------------------


def debug_messages(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "httprs" and r.levelno == 10]


def field(message: str, name: str) -> str:
    """The value of ``name=...`` in a DEBUG record."""
    return message.split(f" {name}=", 1)[1].split(" ", 1)[0]


async def test_a_new_connection_then_its_reuse_are_logged_at_debug(driver, server, caplog):
    caplog.set_level(logging.DEBUG, logger="httprs")
    async with driver.client() as c:
        await c.get(server.url + "/echo")
        # The async client's connection goes back to the pool from a task of its own: give
        # it the moment it takes (README: a request right after may open another).
        await anyio.sleep(0.05)
        await c.get(server.url + "/echo")
    started, complete, reused = debug_messages(caplog)
    assert started == f"connect.started host='127.0.0.1' port={server.port} tls=False"
    assert complete.startswith(
        f"connect.complete host='127.0.0.1' port={server.port} tls=False http2=False "
        "local_address='127.0.0.1:"
    )
    assert field(complete, "remote_address") == f"'127.0.0.1:{server.port}'"
    assert float(field(complete, "elapsed")) < 5
    # The second request went over the connection the first one made.
    assert reused == (
        f"connection.reused host='127.0.0.1' port={server.port} http_version='HTTP/1.1' "
        f"local_address={field(complete, 'local_address')} "
        f"remote_address='127.0.0.1:{server.port}'"
    )
    # Each DEBUG record comes before the INFO line of its request.
    levels = [r.levelname for r in caplog.records if r.name == "httprs"]
    assert levels == ["DEBUG", "DEBUG", "INFO", "DEBUG", "INFO"]


async def test_a_refused_connection_is_logged_at_debug(driver, closed_url, caplog):
    caplog.set_level(logging.DEBUG, logger="httprs")
    async with driver.client() as c:
        with pytest.raises(httprs.ConnectError):
            await c.get(closed_url)
    port = closed_url.rsplit(":", 1)[1].rstrip("/")
    started, failed = debug_messages(caplog)
    assert started == f"connect.started host='127.0.0.1' port={port} tls=False"
    assert failed.startswith(f"connect.failed host='127.0.0.1' port={port} tls=False error='")
    assert "Connection refused" in failed


async def test_tls_and_http2_connections_say_so(driver, h2_server, tls_certs, caplog):
    caplog.set_level(logging.DEBUG, logger="httprs")
    async with driver.client(verify=tls_certs.ca_pem, http2=True) as c:
        response = await c.get(h2_server.url + "/echo")
    assert response.http_version == "HTTP/2"
    complete = [m for m in debug_messages(caplog) if m.startswith("connect.complete")]
    assert len(complete) == 1
    assert " tls=True http2=True " in complete[0]


async def test_connection_events_are_not_logged_at_info(driver, server, caplog):
    caplog.set_level(logging.INFO, logger="httprs")
    async with driver.client() as c:
        await c.get(server.url + "/echo")
    assert debug_messages(caplog) == []
    assert len(httprs_records(caplog)) == 1
