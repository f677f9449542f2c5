"""The `httprs_mock` fixture of httprs's pytest plugin (`httprs._pytest_plugin`, loaded by
the `pytest11` entry point), used as a test suite using it would: responses, callbacks and
exceptions matched by method, URL, params, headers and body; streaming; what goes unmatched.

Each driver test runs on ``sync``, ``async-asyncio`` and ``async-trio`` (tests/drivers.py).
Host names such as ``api.test`` are answered by the mock and never resolved. The failures a
user sees at teardown are in test_plugin_reports.py (pytester).
"""

import re

import httprs
import pytest
from httprs.testing import HTTPRSMock, IteratorStream

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.helpers import echo_body

pytestmark = pytest.mark.anyio

# Made when this module is imported, before any mock is active: still mocked (the mock
# stands in for the network per request, not per client).
CLIENT_MADE_AT_IMPORT = httprs.Client(base_url="https://api.test")


# --- responses ---------------------------------------------------------------------------------


async def test_add_response_answers_a_request(driver, httprs_mock):
    httprs_mock.add_response(
        url="https://api.test/users/1",
        json={"name": "Ada"},
        headers={"X-Request-Id": "r1"},
    )
    async with driver.client() as c:
        response = await c.get("https://api.test/users/1")
    assert response.status_code == 200
    assert response.json() == {"name": "Ada"}
    assert response.headers["x-request-id"] == "r1"
    assert response.headers["content-type"] == "application/json"
    assert response.http_version == "HTTP/1.1"
    assert response.request.url == "https://api.test/users/1"
    assert response.url == "https://api.test/users/1"


async def test_response_bodies_status_and_version(driver, httprs_mock):
    httprs_mock.add_response(url="https://api.test/text", text="hello")
    httprs_mock.add_response(url="https://api.test/html", html="<p>hi</p>")
    httprs_mock.add_response(url="https://api.test/bytes", content=b"\x00\x01", status_code=418)
    httprs_mock.add_response(url="https://api.test/h2", http_version="HTTP/2")
    async with driver.client() as c:
        text = await c.get("https://api.test/text")
        html = await c.get("https://api.test/html")
        raw = await c.get("https://api.test/bytes")
        h2 = await c.get("https://api.test/h2")
    assert (text.text, text.headers["content-type"]) == ("hello", "text/plain; charset=utf-8")
    assert (html.text, html.headers["content-type"]) == ("<p>hi</p>", "text/html; charset=utf-8")
    assert (raw.status_code, raw.reason_phrase, raw.content) == (418, "I'm a teapot", b"\x00\x01")
    assert (h2.http_version, h2.content) == ("HTTP/2", b"")


async def test_responses_answer_in_the_order_registered(driver, httprs_mock):
    httprs_mock.add_response(url="https://api.test/", text="first")
    httprs_mock.add_response(url="https://api.test/", text="second")
    async with driver.client() as c:
        assert (await c.get("https://api.test/")).text == "first"
        assert (await c.get("https://api.test/")).text == "second"


async def test_a_reusable_response_answers_every_request(driver, httprs_mock):
    httprs_mock.add_response(url="https://api.test/", text="again", is_reusable=True)
    async with driver.client() as c:
        texts = [(await c.get("https://api.test/")).text for _ in range(3)]
    assert texts == ["again"] * 3


@pytest.mark.httprs_mock(can_send_already_matched_responses=True)
async def test_the_marker_makes_responses_reusable(driver, httprs_mock):
    httprs_mock.add_response(text="any")
    async with driver.client() as c:
        assert (await c.get("https://api.test/a")).text == "any"
        assert (await c.post("https://other.test/b")).text == "any"


async def test_a_client_made_before_the_mock_is_mocked(httprs_mock):
    httprs_mock.add_response(url="https://api.test/status", text="mocked")
    assert CLIENT_MADE_AT_IMPORT.get("/status").text == "mocked"


async def test_the_one_shot_helpers_are_mocked(httprs_mock):
    httprs_mock.add_response(method="POST", url="https://api.test/items", status_code=201)
    assert httprs.post("https://api.test/items", json={}).status_code == 201


# --- matching ----------------------------------------------------------------------------------


async def test_matching_by_method(driver, httprs_mock):
    httprs_mock.add_response(method="get", text="got")
    httprs_mock.add_response(method="DELETE", text="deleted")
    async with driver.client() as c:
        assert (await c.delete("https://api.test/x")).text == "deleted"
        assert (await c.get("https://api.test/x")).text == "got"


async def test_matching_by_url_ignores_the_order_of_query_parameters(driver, httprs_mock):
    httprs_mock.add_response(url="https://api.test/search?q=rust&page=2", text="page 2")
    httprs_mock.add_response(
        url="https://api.test/search", match_params={"q": "go", "tag": ["a", "b"]}, text="go"
    )
    httprs_mock.add_response(url=httprs.URL("https://api.test/url-object"), text="object")
    async with driver.client() as c:
        by_url = await c.get("https://api.test/search", params={"page": "2", "q": "rust"})
        by_params = await c.get("https://api.test/search?tag=a&q=go&tag=b")
        by_object = await c.get("https://api.test/url-object")
    assert (by_url.text, by_params.text, by_object.text) == ("page 2", "go", "object")


async def test_matching_by_regex(driver, httprs_mock):
    httprs_mock.add_response(url=re.compile(r"https://api\.test/users/\d+$"), is_reusable=True)
    async with driver.client() as c:
        assert (await c.get("https://api.test/users/7")).status_code == 200
        assert (await c.get("https://api.test/users/42")).status_code == 200
        with pytest.raises(httprs.TimeoutException):
            await c.get("https://api.test/users/me")
    httprs_mock.reset()  # the unmatched request is on purpose


async def test_matching_by_headers_a_subset_case_insensitive(driver, httprs_mock):
    httprs_mock.add_response(match_headers={"authorization": "Bearer t1"}, text="t1")
    httprs_mock.add_response(match_headers={"Authorization": "Bearer t2", "X-A": "1"}, text="t2")
    async with driver.client(headers={"User-Agent": "tests"}) as c:
        second = await c.get(
            "https://api.test/", headers={"Authorization": "Bearer t2", "x-a": "1"}
        )
        first = await c.get("https://api.test/", headers={"Authorization": "Bearer t1"})
    assert (first.text, second.text) == ("t1", "t2")


async def test_matching_by_json_content_and_form(driver, httprs_mock):
    httprs_mock.add_response(match_json={"b": [1, 2], "a": None}, text="json")
    httprs_mock.add_response(match_content=b"raw bytes", text="content")
    httprs_mock.add_response(match_data={"name": "x", "tags": ["1", 2], "n": 3}, text="form")
    async with driver.client() as c:
        form = await c.post("https://api.test/", data={"n": "3", "tags": ["1", "2"], "name": "x"})
        raw = await c.put("https://api.test/", content=b"raw bytes")
        json_ = await c.post("https://api.test/", json={"a": None, "b": [1, 2]})
    assert (json_.text, raw.text, form.text) == ("json", "content", "form")


async def test_matching_a_multipart_body(driver, httprs_mock):
    httprs_mock.add_response(
        match_files={"upload": ("a.txt", b"file data", "text/plain")},
        match_data={"field": "value"},
        text="multipart",
    )
    async with driver.client() as c:
        response = await c.post(
            "https://api.test/upload",
            data={"field": "value"},
            files={"upload": ("a.txt", b"file data", "text/plain")},
        )
    assert response.text == "multipart"


async def test_matching_a_streamed_request_body(driver, httprs_mock):
    httprs_mock.add_response(match_content=b"part1part2", text="streamed")
    async with driver.client() as c:
        response = await c.post(
            "https://api.test/", content=driver.iter_content(b"part1", b"part2")
        )
    assert response.text == "streamed"
    assert httprs_mock.get_request().content == b"part1part2"


async def test_matching_by_extensions(driver, httprs_mock):
    httprs_mock.add_response(match_extensions={"custom": "yes"}, text="with extension")
    async with driver.client() as c:
        response = await c.get("https://api.test/", extensions={"custom": "yes"})
    assert response.text == "with extension"


def test_wrong_matchers_are_refused(httprs_mock):
    with pytest.raises(ValueError, match="URL must be provided"):
        httprs_mock.add_response(match_params={"a": "1"})
    with pytest.raises(ValueError, match="must not contain any query parameter"):
        httprs_mock.add_response(url="https://api.test/?a=1", match_params={"a": "1"})
    with pytest.raises(ValueError, match="regex"):
        httprs_mock.add_response(url=re.compile("x"), match_params={"a": "1"})
    with pytest.raises(ValueError, match="Only one way of matching against the body"):
        httprs_mock.add_response(match_json={}, match_content=b"")
    with pytest.raises(TypeError, match="proxy_url"):
        httprs_mock.add_response(proxy_url="http://proxy.test:8080")
    with pytest.raises(TypeError, match="match_body"):
        httprs_mock.add_response(match_body=b"")


# --- callbacks and exceptions ------------------------------------------------------------------


async def test_add_callback_builds_the_response_from_the_request(driver, httprs_mock):
    def echo(request):
        return httprs.Response(
            200, json={"path": request.url.path, "body": request.content.decode()}
        )

    httprs_mock.add_callback(echo, method="POST", is_reusable=True)
    async with driver.client() as c:
        response = await c.post("https://api.test/echo", content=b"ping")
    assert response.json() == {"path": "/echo", "body": "ping"}


async def test_an_async_callback_answers_the_async_client(driver, httprs_mock):
    async def answer(request):
        return httprs.Response(202, text="async")

    httprs_mock.add_callback(answer)
    async with driver.client() as c:
        if driver.is_async:
            assert (await c.get("https://api.test/")).status_code == 202
        else:
            with pytest.raises(TypeError, match="async callbacks answer httprs.AsyncClient"):
                await c.get("https://api.test/")


async def test_a_callback_returning_none_is_no_match(driver, httprs_mock):
    httprs_mock.add_callback(lambda request: None)
    async with driver.client() as c:
        with pytest.raises(httprs.TimeoutException, match="No response can be found"):
            await c.get("https://api.test/")
    httprs_mock.reset()


async def test_add_exception_raises_it_with_the_request(driver, httprs_mock):
    httprs_mock.add_exception(httprs.ConnectError("refused"), url="https://down.test/")
    httprs_mock.add_exception(httprs.ReadTimeout("Unable to read within timeout"))
    async with driver.client() as c:
        with pytest.raises(httprs.ConnectError, match="refused") as refused:
            await c.get("https://down.test/")
        with pytest.raises(httprs.ReadTimeout, match="Unable to read") as timed_out:
            await c.get("https://api.test/slow")
    assert refused.value.request.url == "https://down.test/"
    assert timed_out.value.request.url == "https://api.test/slow"


# --- streaming ---------------------------------------------------------------------------------


async def test_a_streamed_response_comes_in_its_chunks(driver, httprs_mock):
    httprs_mock.add_response(stream=[b"data: 1\n\n", b"data: 2\n\n"], is_reusable=True)
    async with driver.client() as c:
        async with c.stream("GET", "https://api.test/events") as response:
            assert not response.is_closed
            chunks = await c.iter_bytes(response)
        assert chunks == [b"data: 1\n\n", b"data: 2\n\n"]
        assert response.is_closed
        async with c.stream("GET", "https://api.test/events") as response:
            assert await c.iter_lines(response) == ["data: 1", "", "data: 2", ""]
        assert (await c.get("https://api.test/events")).content == b"data: 1\n\ndata: 2\n\n"


async def test_stream_objects(driver, httprs_mock):
    httprs_mock.add_response(url="https://api.test/a", stream=IteratorStream([b"x", b"y"]))
    httprs_mock.add_response(url="https://api.test/b", stream=httprs.ByteStream(b"whole"))
    httprs_mock.add_response(url="https://api.test/c", stream=(c for c in [b"g1", b"g2"]))
    async with driver.client() as c:
        for url, expected in [("a", [b"x", b"y"]), ("b", [b"whole"]), ("c", [b"g1", b"g2"])]:
            async with c.stream("GET", f"https://api.test/{url}") as response:
                assert await c.iter_bytes(response) == expected


async def test_an_async_stream_for_the_async_client(driver, httprs_mock):
    async def chunks():
        yield b"a1"
        yield b"a2"

    httprs_mock.add_response(stream=chunks())
    async with driver.client() as c:
        if driver.is_async:
            async with c.stream("GET", "https://api.test/") as response:
                assert await c.iter_bytes(response) == [b"a1", b"a2"]
        else:
            with pytest.raises(RuntimeError, match="sync iterator on an async stream"):
                await c.get("https://api.test/")


# --- what is mocked and what is not ------------------------------------------------------------


async def test_every_network_transport_is_mocked(driver, httprs_mock):
    httprs_mock.add_response(url="https://api.test/", text="mocked", is_reusable=True)
    transport = driver.http_transport()
    async with driver.client(transport=transport) as c:
        assert (await c.get("https://api.test/")).text == "mocked"
    async with driver.client(mounts={"https://api.test": driver.http_transport()}) as c:
        assert (await c.get("https://api.test/")).text == "mocked"
    async with driver.client(proxy="http://proxy.test:3128") as c:
        assert (await c.get("https://api.test/")).text == "mocked"
    # A network transport called directly (e.g. by a subclass's handle_request).
    request = httprs.Request("GET", "https://api.test/")
    if driver.is_async:
        response = await httprs.AsyncHTTPTransport().handle_async_request(request)
        await response.aread()
    else:
        response = httprs.HTTPTransport().handle_request(request)
        response.read()
    assert response.text == "mocked"


async def test_python_transports_are_not_mocked(driver, httprs_mock):
    # MockTransport, ASGI/WSGI apps and custom transports answer as usual.
    mock_transport = httprs.MockTransport(lambda request: httprs.Response(200, text="own"))
    async with driver.client(transport=mock_transport) as c:
        assert (await c.get("https://api.test/")).text == "own"
    assert httprs_mock.get_requests() == []


@pytest.mark.httprs_mock(should_mock=lambda request: request.url.host != "127.0.0.1")
async def test_should_mock_lets_requests_through_to_the_network(driver, httprs_mock, server):
    httprs_mock.add_response(url="https://api.test/", text="mocked")
    async with driver.client() as c:
        real = await c.post(server.url + "/echo", content=b"over the wire")
        mocked = await c.get("https://api.test/")
    assert echo_body(real.json()) == b"over the wire"
    assert mocked.text == "mocked"
    assert [str(r.url) for r in httprs_mock.get_requests()] == ["https://api.test/"]


async def test_the_network_is_back_after_the_mock(driver, server):
    with HTTPRSMock() as mock:
        mock.add_response(url=server.url + "/echo", text="mocked")
        async with driver.client() as c:
            assert (await c.get(server.url + "/echo")).text == "mocked"
    async with driver.client() as c:
        assert (await c.post(server.url + "/echo", content=b"real")).status_code == 200


# --- the whole client around mocked responses ------------------------------------------------


async def test_redirects_cookies_auth_and_hooks_over_mocked_responses(driver, httprs_mock):
    seen = []
    httprs_mock.add_response(
        url="https://api.test/login",
        status_code=303,
        headers={"Location": "/home", "Set-Cookie": "session=s1; Path=/"},
    )
    httprs_mock.add_response(
        url="https://api.test/home", match_headers={"Cookie": "session=s1"}, text="home"
    )
    async with driver.client(
        follow_redirects=True,
        auth=("user", "pw"),
        event_hooks={"response": [driver.hook(lambda r: seen.append(r.status_code))]},
    ) as c:
        response = await c.post("https://api.test/login", data={"u": "user"})
    assert response.text == "home"
    assert [r.status_code for r in response.history] == [303]
    assert seen == [303, 200]
    login, home = httprs_mock.get_requests()
    assert login.headers["authorization"].startswith("Basic ")
    assert (home.method, home.headers["cookie"]) == ("GET", "session=s1")


# --- what was sent -----------------------------------------------------------------------------


async def test_get_requests_and_get_request(driver, httprs_mock):
    httprs_mock.add_response(is_reusable=True)
    async with driver.client() as c:
        await c.get("https://api.test/a")
        await c.post("https://api.test/b", json={"n": 1})
        await c.post("https://api.test/b", json={"n": 2})
    assert [r.url.path for r in httprs_mock.get_requests()] == ["/a", "/b", "/b"]
    assert len(httprs_mock.get_requests(method="POST", url="https://api.test/b")) == 2
    assert httprs_mock.get_request(match_json={"n": 2}).content == b'{"n":2}'
    assert httprs_mock.get_request(url="https://api.test/missing") is None
    with pytest.raises(AssertionError, match="More than one request"):
        httprs_mock.get_request(method="POST")


# --- what goes unmatched -----------------------------------------------------------------------


@pytest.mark.httprs_mock(
    assert_all_requests_were_expected=False, assert_all_responses_were_requested=False
)
async def test_an_unmatched_request_raises_a_timeout_naming_what_is_registered(driver, httprs_mock):
    httprs_mock.add_response(method="GET", url="https://api.test/a", match_headers={"X-K": "1"})
    httprs_mock.add_response(method="POST", url="https://api.test/b", match_json={"n": 1})
    async with driver.client() as c:
        with pytest.raises(httprs.TimeoutException) as raised:
            await c.post("https://api.test/b", json={"n": 2}, headers={"X-K": "2"})
    assert str(raised.value) == (
        "No response can be found for POST request on https://api.test/b with "
        "{'x-k': '2'} headers and b'{\"n\":2}' body amongst:\n"
        "- Match GET request on https://api.test/a with {'X-K': '1'} headers\n"
        "- Match POST request on https://api.test/b with {'n': 1} json body"
    )
    assert raised.value.request.url == "https://api.test/b"


@pytest.mark.httprs_mock(assert_all_requests_were_expected=False)
async def test_a_used_response_is_not_sent_twice(driver, httprs_mock):
    httprs_mock.add_response(url="https://api.test/once")
    async with driver.client() as c:
        await c.get("https://api.test/once")
        with pytest.raises(httprs.TimeoutException) as raised:
            await c.get("https://api.test/once")
    assert "- Already matched any request on https://api.test/once" in str(raised.value)
    assert "pass is_reusable=True" in str(raised.value)
