"""Server-sent events: ``client.sse()`` against a Starlette endpoint over uvicorn, and
malformed streams from a raw-socket server. Sync, asyncio and trio through the drivers."""

from __future__ import annotations

import json
import socket
import time

import httprs
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.apps.sse_app import make_app
from tests.support.servers.asgi import start_uvicorn
from tests.support.servers.threaded import ThreadedServer

pytestmark = pytest.mark.anyio

Event = httprs.ServerSentEvent


@pytest.fixture(scope="module")
def sse_server():
    with start_uvicorn(make_app()) as handle:
        yield handle


class EventStreamServer(ThreadedServer):
    """Answers ``GET /<case>`` with an event-stream head and the case's body pieces, each in
    its own TCP write (with a pause, so that they arrive as separate reads), then closes."""

    connection_timeout = 5.0

    def __init__(self, cases: dict[str, list[bytes]], content_type: bytes = b"text/event-stream"):
        super().__init__()
        self.cases = cases
        self.content_type = content_type

    def handle(self, conn: socket.socket) -> None:
        head = self.read_head(conn)
        if head is None:
            return
        case = head.split(b" ", 2)[1].decode().lstrip("/")
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: "
            + self.content_type
            + b"\r\nConnection: close\r\n\r\n"
        )
        for piece in self.cases[case]:
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            conn.sendall(piece)
            time.sleep(0.02)


MALFORMED = {
    # CR-only line ends.
    "cr": [b"data: a\r\rid: 7\revent: e\rdata: b\r\r"],
    # A BOM, itself split across writes.
    "bom": [b"\xef\xbb", b"\xbfdata: after bom\n\n"],
    # A CRLF split between two TCP writes: one line end, not two (else "a" would be
    # dispatched alone, early, and "b" would be another event).
    "split-crlf": [b"data: a\r", b"\ndata: b\r\n\r", b"\n"],
    # The last event never gets its blank line: discarded.
    "unterminated": [b"data: kept\n\n", b"data: lost\n"],
    # Field without colon, one leading space only removed, unknown field, NUL in id,
    # retry not all digits.
    "fields": [b"data\ndata:  two spaces\nfoo: bar\nid: 1\x002\nretry: 1e3\n\n"],
}


@pytest.fixture(scope="module")
def raw_sse():
    with EventStreamServer(MALFORMED) as server:
        yield server


async def test_events_from_a_starlette_endpoint(driver, sse_server):
    async with driver.client() as c:
        async with c.sse("GET", sse_server.url + "/sse/events") as source:
            assert source.response.status_code == 200
            events = await c.collect_events(source)
    assert events == [
        Event(data="hello"),
        Event(event="update", data='{"n": 1}', id="1"),
        Event(data="line one\nline two", id="1"),
        Event(data="with retry", id="1", retry=2500),
        Event(event="done", data="bye", id="1"),
    ]
    assert events[1].json() == {"n": 1}
    assert source.last_event_id == "1"
    assert source.retry == 2500


async def test_sse_sends_the_event_stream_headers_and_takes_request_arguments(driver, sse_server):
    async with driver.client(base_url=sse_server.url) as c:
        # httpx2's spelling: the URL first, the method as a keyword.
        async with c.sse("/sse/headers", method="POST", json={"q": 1}) as source:
            [event] = await c.collect_events(source)
        assert event.json() == {
            "accept": "text/event-stream",
            "cache-control": "no-store",
            "last-event-id": None,
        }
        async with c.sse(
            "GET", "/sse/headers", headers={"Accept": "text/event-stream, */*"}
        ) as source:
            [event] = await c.collect_events(source)
        assert event.json()["accept"] == "text/event-stream, */*"


async def test_a_response_that_is_not_an_event_stream_is_an_sse_error(driver, sse_server):
    async with driver.client() as c:
        async with c.sse("GET", sse_server.url + "/sse/not-a-stream") as source:
            with pytest.raises(httprs.SSEError) as info:
                await c.collect_events(source)
    assert isinstance(info.value, httprs.TransportError)
    assert str(info.value) == (
        "Expected response with content type 'text/event-stream', got 'application/json'."
    )
    assert info.value.request.url == sse_server.url + "/sse/not-a-stream"


async def test_reconnection_sends_the_last_event_id(driver, sse_server):
    app = sse_server.app
    app.state.last_ids.clear()
    url = sse_server.url + "/sse/count?n=2&retry=10"
    async with driver.client() as c:
        async with c.sse("GET", url, reconnect=True) as source:
            events = await c.collect_events(source, limit=6)
    assert [e.json()["n"] for e in events] == [1, 2, 3, 4, 5, 6]
    assert [e.id for e in events] == ["1", "2", "3", "4", "5", "6"]
    assert app.state.last_ids == [None, "2", "4"]


async def test_last_event_id_resumes_a_stored_position(driver, sse_server):
    app = sse_server.app
    app.state.last_ids.clear()
    async with driver.client() as c:
        async with c.sse("GET", sse_server.url + "/sse/count?n=2", last_event_id="40") as source:
            events = await c.collect_events(source)
    assert [e.id for e in events] == ["41", "42"]
    assert app.state.last_ids == ["40"]


async def test_without_reconnect_the_events_end_with_the_stream(driver, sse_server):
    async with driver.client() as c:
        async with c.sse("GET", sse_server.url + "/sse/count?n=3") as source:
            events = await c.collect_events(source)
    assert [e.id for e in events] == ["1", "2", "3"]


async def test_a_204_on_reconnection_ends_the_events(driver, sse_server):
    async with driver.client() as c:
        url = sse_server.url + "/sse/count?n=2&retry=1&stop=4"
        async with c.sse("GET", url, reconnect=True) as source:
            events = await c.collect_events(source)
    assert [e.id for e in events] == ["1", "2", "3", "4"]


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("cr", [Event(data="a"), Event(event="e", data="b", id="7")]),
        ("bom", [Event(data="after bom")]),
        ("split-crlf", [Event(data="a\nb")]),
        ("unterminated", [Event(data="kept")]),
        ("fields", [Event(data="\n two spaces")]),
    ],
)
async def test_malformed_streams(driver, raw_sse, case, expected):
    async with driver.client() as c:
        async with c.sse("GET", f"{raw_sse.url}/{case}") as source:
            assert await c.collect_events(source) == expected


async def test_an_event_larger_than_max_event_size_is_an_sse_error(driver):
    big = {"big": [b"data: " + b"x" * 5000, b"x" * 5000 + b"\n\n"]}
    with EventStreamServer(big) as server:
        async with driver.client() as c:
            async with c.sse("GET", server.url + "/big", max_event_size=8000) as source:
                with pytest.raises(httprs.SSEError, match="8000 byte limit"):
                    await c.collect_events(source)
            async with c.sse("GET", server.url + "/big", max_event_size=None) as source:
                [event] = await c.collect_events(source)
                assert len(event.data) == 10_000


async def test_the_event_source_wraps_a_streamed_response(driver, sse_server):
    async with driver.client() as c:
        async with c.stream("GET", sse_server.url + "/sse/count?n=2") as response:
            events = await c.collect_events(httprs.EventSource(response))
    assert [e.data for e in events] == ['{"n": 1}', '{"n": 2}']


def test_server_sent_event_model():
    event = Event(data='{"a": [1, 2]}', id="3", retry=10)
    assert (event.event, event.data, event.id, event.retry) == ("message", '{"a": [1, 2]}', "3", 10)
    assert event.json() == {"a": [1, 2]}
    assert (
        repr(event) == "ServerSentEvent(event='message', data='{\"a\": [1, 2]}', id='3', retry=10)"
    )
    assert event == Event(data='{"a": [1, 2]}', id="3", retry=10)
    assert hash(event) == hash(Event(data='{"a": [1, 2]}', id="3", retry=10))
    assert event != Event(data="other")
    with pytest.raises(json.JSONDecodeError):
        Event(data="not json").json()
    with pytest.raises(AttributeError):
        event.data = "x"


def test_sse_argument_errors(sse_server):
    with httprs.Client() as c:
        with pytest.raises(TypeError, match="reconnect must be a bool"):
            c.sse("GET", sse_server.url, reconnect="yes")
        with pytest.raises(TypeError, match="sse\\(\\) takes"):
            c.sse()
        with pytest.raises(TypeError, match="last_event_id must be a str"):
            c.sse("GET", sse_server.url, last_event_id=5)
