"""Multipart bodies (``files=``) as httpx 0.28.1 sends them, seen by the server: the checks on
``data=`` fields, files sent from their start, and files of unknown length sent chunked.
The request bodies of every kind are in test_client.py; each scenario here runs on ``sync``,
``async-asyncio`` and ``async-trio`` (tests/drivers.py).
"""

import io
import tempfile

import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.helpers import echo_body, echo_headers, parse_multipart

pytestmark = [pytest.mark.network, pytest.mark.anyio]


def file_parts(echo: dict) -> list[tuple[str, bytes]]:
    (content_type,) = echo_headers(echo, "content-type")
    return [(p["name"], p["data"]) for p in parse_multipart(content_type, echo_body(echo))]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({b"abc": "x"}, "Invalid type for name. Expected str, got <class 'bytes'>: b'abc'"),
        ({1: "x"}, "Invalid type for name. Expected str, got <class 'int'>: 1"),
        ({None: ["x"]}, "Invalid type for name. Expected str, got <class 'NoneType'>: None"),
        (
            {"f": {"k": "v"}},
            "Invalid type for value. Expected primitive type, got <class 'dict'>: {'k': 'v'}",
        ),
        (
            {"f": ["ok", ["nested"]]},
            "Invalid type for value. Expected primitive type, got <class 'list'>: ['nested']",
        ),
    ],
    ids=["bytes-name", "int-name", "none-name", "dict-value", "nested-list-value"],
)
async def test_multipart_data_fields_are_checked_as_httpx_checks_them(
    driver, server, data, message
):
    async with driver.client() as c:
        with pytest.raises(TypeError) as info:
            await c.post(server.url + "/echo", data=data, files={"file": b"content"})
    assert str(info.value) == message


async def test_multipart_data_values_of_every_primitive_type(driver, server):
    data = {"s": "text", "b": b"raw", "i": 1, "f": 2.5, "t": True, "n": None}
    async with driver.client() as c:
        echo = (await c.post(server.url + "/echo", data=data, files={"file": b"x"})).json()
    assert file_parts(echo)[:-1] == [
        ("s", b"text"),
        ("b", b"raw"),
        ("i", b"1"),
        ("f", b"2.5"),
        ("t", b"true"),
        ("n", b""),
    ]


async def test_urlencoded_data_keeps_its_own_rules(driver, server):
    # Without files=, httpx's urlencoded body takes any primitive as a key.
    async with driver.client() as c:
        echo = (await c.post(server.url + "/echo", data={1: "a", 2.5: True})).json()
    assert echo["body"] == "1=a&2.5=true"


async def test_a_file_is_sent_from_its_start_every_time(driver, server):
    with tempfile.TemporaryFile() as upload:
        upload.write(b"Hello, world!")  # the position is now at the end
        async with driver.client() as c:
            for _ in range(2):
                echo = (await c.post(server.url + "/echo", files={"file": upload})).json()
                assert file_parts(echo) == [("file", b"Hello, world!")]
                assert echo_headers(echo, "content-length") == [str(len(echo_body(echo)))]


class NonSeekable(io.RawIOBase):
    """A readable file object with no length to be told: it cannot seek or tell."""

    def __init__(self, *pieces: bytes) -> None:
        self.pieces = list(pieces)

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        return self.pieces.pop(0) if self.pieces else b""


async def test_a_file_of_unknown_length_is_sent_chunked(driver, server):
    files = {"file": NonSeekable(b"Hello", b"World"), "known": b"bytes"}
    async with driver.client() as c:
        response = await c.post(server.url + "/echo", data={"a": "1"}, files=files)
    echo = response.json()
    assert echo_headers(echo, "transfer-encoding") == ["chunked"]
    assert echo_headers(echo, "content-length") == []
    assert response.request.headers["Transfer-Encoding"] == "chunked"
    assert "Content-Length" not in response.request.headers
    assert file_parts(echo) == [("a", b"1"), ("file", b"HelloWorld"), ("known", b"bytes")]
