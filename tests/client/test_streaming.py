import gzip
import time

import httprs
import pytest

from tests.support.apps.main_app import CHARSET_TEXT, COMPRESSED_TEXT, pattern
from tests.support.servers.raw import RawServer

pytestmark = pytest.mark.network

TEN_MB = 10 * 1024 * 1024


@pytest.fixture
def client():
    with httprs.Client() as c:
        yield c


def test_stream_is_not_read_until_asked(client, server):
    with client.stream("GET", server.url + "/stream?chunks=5&size=10") as r:
        assert r.status_code == 200
        assert not r.is_closed
        assert not r.is_stream_consumed
        assert r.num_bytes_downloaded == 0
        with pytest.raises(httprs.ResponseNotRead):
            _ = r.content
        with pytest.raises(httprs.ResponseNotRead):
            _ = r.text
        with pytest.raises(httprs.ResponseNotRead):
            r.json()
        body = b"".join(r.iter_bytes())
        assert body == pattern(50)
        assert r.is_stream_consumed
        assert r.is_closed
        assert r.num_bytes_downloaded == 50


@pytest.mark.parametrize("chunk_size", [1, 7, 10, 64, 1000])
def test_iter_bytes_chunk_size(client, server, chunk_size):
    with client.stream("GET", server.url + "/stream?chunks=5&size=10") as r:
        chunks = list(r.iter_bytes(chunk_size))
    assert b"".join(chunks) == pattern(50)
    assert all(len(chunk) == chunk_size for chunk in chunks[:-1])
    assert 0 < len(chunks[-1]) <= chunk_size
    assert len(chunks) == -(-50 // chunk_size)


def test_iter_bytes_without_chunk_size_yields_data_as_it_arrives(client, server):
    with client.stream("GET", server.url + "/slow-body?delay=0.4&chunks=3") as r:
        start = time.monotonic()
        iterator = r.iter_bytes()
        first = next(iterator)
        first_at = time.monotonic() - start
        rest = b"".join(iterator)
    # The whole body takes ~1.2 s to arrive; the first chunk must not wait for all of it.
    assert first_at < 1.0
    assert first == b"chunk0\n"
    assert rest == b"chunk1\nchunk2\n"


def test_headers_are_available_before_the_body(client, server):
    start = time.monotonic()
    with client.stream("GET", server.url + "/slow-body?delay=0.5&chunks=3") as r:
        headers_at = time.monotonic() - start
        assert r.headers["content-type"] == "text/plain"
        assert r.read() == b"chunk0\nchunk1\nchunk2\n"
    assert headers_at < 1.2  # the body needs ~1.5 s


def test_iter_text(client, server):
    with client.stream("GET", server.url + "/slow-body?delay=0.01&chunks=3") as r:
        assert "".join(r.iter_text()) == "chunk0\nchunk1\nchunk2\n"


def test_iter_text_chunk_size_and_charset(client, server):
    with client.stream("GET", server.url + "/charset/shift_jis") as r:
        chunks = list(r.iter_text(2))
    assert "".join(chunks) == CHARSET_TEXT["shift_jis"]
    assert chunks == ["こん", "にち", "は世", "界"]


def test_iter_text_multibyte_split_across_chunks():
    # Chunked encoding that splits multi-byte characters; decoding must be incremental.
    body = "é✓\n世".encode()
    chunked = b"".join(b"%x\r\n%s\r\n" % (1, body[i : i + 1]) for i in range(len(body)))
    payload = (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + chunked + b"0\r\n\r\n"
    )
    with RawServer(payload) as raw:
        with httprs.stream("GET", raw.url) as r:
            assert "".join(r.iter_text()) == "é✓\n世"
        with httprs.stream("GET", raw.url) as r:
            assert list(r.iter_lines()) == ["é✓", "世"]


def test_iter_lines(client, server):
    with client.stream("GET", server.url + "/slow-body?delay=0.01&chunks=3") as r:
        assert list(r.iter_lines()) == ["chunk0", "chunk1", "chunk2"]


def test_iter_lines_across_chunk_boundaries(client, server):
    # 7-byte chunks: the pattern has no newlines so it is one single line.
    with client.stream("GET", server.url + "/stream?chunks=4&size=7") as r:
        assert list(r.iter_lines()) == [pattern(28).decode()]


def test_iter_raw_returns_undecoded_bytes(client, server):
    with client.stream("GET", server.url + "/gzip") as r:
        raw = b"".join(r.iter_raw())
        assert len(raw) == int(r.headers["content-length"])
        assert raw != COMPRESSED_TEXT
        assert r.num_bytes_downloaded == len(raw)
    assert gzip.decompress(raw) == COMPRESSED_TEXT


def test_iter_raw_chunk_size(client, server):
    with client.stream("GET", server.url + "/bytes?size=100") as r:
        chunks = list(r.iter_raw(16))
    assert [len(c) for c in chunks] == [16] * 6 + [4]
    assert b"".join(chunks) == pattern(100)


def test_iter_bytes_decodes_gzip(client, server):
    with client.stream("GET", server.url + "/gzip") as r:
        assert b"".join(r.iter_bytes(100)) == COMPRESSED_TEXT


def test_read_then_content(client, server):
    with client.stream("GET", server.url + "/stream?chunks=5&size=10") as r:
        assert r.read() == pattern(50)
        assert r.content == pattern(50)
        assert r.text == pattern(50).decode()
        # read() again returns the cached content.
        assert r.read() == pattern(50)
        # A read response can be iterated again from its buffer.
        assert list(r.iter_bytes(20)) == [pattern(20), pattern(20, 20), pattern(10, 40)]


def test_iterating_twice_raises_stream_consumed(client, server):
    with client.stream("GET", server.url + "/stream?chunks=3&size=5") as r:
        list(r.iter_bytes())
        with pytest.raises(httprs.StreamConsumed):
            list(r.iter_bytes())
        with pytest.raises(httprs.StreamConsumed):
            r.read()
        with pytest.raises(httprs.ResponseNotRead):
            _ = r.content


@pytest.mark.parametrize(
    ("first", "second"),
    [("iter_raw", "iter_raw"), ("iter_text", "iter_lines"), ("read", "iter_raw")],
)
def test_stream_consumed_combinations(client, server, first, second):
    with client.stream("GET", server.url + "/stream?chunks=3&size=5") as r:
        result = getattr(r, first)()
        if first != "read":
            list(result)
        with pytest.raises(httprs.StreamConsumed):
            list(getattr(r, second)())


def test_closed_stream_raises_stream_closed(client, server):
    with client.stream("GET", server.url + "/stream?chunks=5&size=10") as r:
        r.close()
        assert r.is_closed
        with pytest.raises(httprs.StreamClosed):
            list(r.iter_bytes())
        with pytest.raises(httprs.StreamClosed):
            r.read()


def test_leaving_the_block_closes_the_response(client, server):
    with client.stream("GET", server.url + "/bytes?size=10") as r:
        pass
    assert r.is_closed
    with pytest.raises(httprs.ResponseNotRead):
        _ = r.content
    assert r.elapsed.total_seconds() >= 0


def test_partial_iteration_then_exit(client, server):
    with client.stream("GET", server.url + "/stream?chunks=100&size=1000") as r:
        first = next(r.iter_bytes(10))
        assert first == pattern(10)
    assert r.is_closed
    # The client is still usable afterwards.
    assert client.get(server.url + "/bytes?size=5").content == pattern(5)


def test_send_with_stream_true(client, server):
    request = client.build_request("GET", server.url + "/bytes?size=10")
    response = client.send(request, stream=True)
    try:
        assert not response.is_closed
        assert response.read() == pattern(10)
    finally:
        response.close()
    assert response.is_closed


def test_stream_follows_redirects(client, server):
    with client.stream("GET", server.url + "/redirect/2", follow_redirects=True) as r:
        assert r.status_code == 200
        assert len(r.history) == 2
        assert r.read().startswith(b"{")
        assert r.json()["path"] == "/echo"


def test_stream_with_request_body(client, server):
    with client.stream("POST", server.url + "/echo", json={"a": 1}) as r:
        r.read()
        assert r.json()["body"] == '{"a":1}'


def test_large_body_streamed_in_chunks(client, server):
    expected = pattern(TEN_MB)
    chunk_size = 64 * 1024
    received = bytearray()
    count = 0
    with client.stream("GET", server.url + f"/bytes?size={TEN_MB}") as r:
        assert r.headers["content-length"] == str(TEN_MB)
        for chunk in r.iter_bytes(chunk_size):
            assert len(chunk) == chunk_size or len(received) + len(chunk) == TEN_MB
            received += chunk
            count += 1
        assert r.num_bytes_downloaded == TEN_MB
    assert count == TEN_MB // chunk_size
    assert bytes(received) == expected


def test_large_body_buffered(client, server):
    response = client.get(server.url + f"/bytes?size={TEN_MB}")
    assert len(response.content) == TEN_MB
    assert response.content == pattern(TEN_MB)


def test_large_chunked_body(client, server):
    with client.stream("GET", server.url + "/stream?chunks=200&size=10000") as r:
        assert "content-length" not in r.headers
        assert r.headers["transfer-encoding"] == "chunked"
        total = sum(len(chunk) for chunk in r.iter_raw())
    assert total == 2_000_000


def test_module_level_stream(server):
    with httprs.stream("GET", server.url + "/bytes?size=5") as r:
        assert r.status_code == 200
        assert not r.is_closed
        assert r.read() == pattern(5)
    assert r.is_closed
    with httprs.stream("POST", server.url + "/echo", content=b"xyz") as r:
        assert r.read()
        assert r.json()["body"] == "xyz"
