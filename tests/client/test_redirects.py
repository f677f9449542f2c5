"""Redirect semantics of httpx 0.28.1, on both `Client` and `AsyncClient`.

Each test runs on ``sync``, ``async-asyncio`` and ``async-trio`` (see tests/drivers.py).
Basic following, history, max_redirects and the bytes-body cases of 303/307/308 are also in
test_client.py / test_async_client.py; this file covers the remaining semantics.
"""

from urllib.parse import urlencode

import httprs
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.helpers import echo_headers

pytestmark = [pytest.mark.network, pytest.mark.anyio]


def redirect_to(server, url: str, status: int = 302) -> str:
    return server.url + "/redirect-to?" + urlencode({"url": url, "status": status})


def set_cookie_and_redirect(server, cookie: str, location: str) -> str:
    return server.url + "/set-cookie-raw?" + urlencode({"header": cookie, "location": location})


# --- not following ------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_redirect_is_returned_when_not_following(driver, server, status):
    async with driver.client() as c:
        assert c.follow_redirects is False
        response = await c.post(redirect_to(server, "/echo", status), content=b"body")
    assert response.status_code == status
    assert response.is_redirect
    assert response.has_redirect_location
    assert response.history == []
    next_request = response.next_request
    assert next_request.url == server.url + "/echo"
    # The next request already has the method the redirect calls for.
    assert next_request.method == ("POST" if status in (307, 308) else "GET")


@pytest.mark.parametrize("path", ["/redirect-to?url=/echo&status=300", "/status/304"])
async def test_3xx_without_a_followable_location_is_not_followed(driver, server, path):
    async with driver.client(follow_redirects=True) as c:
        response = await c.get(server.url + path)
    assert response.status_code in (300, 304)
    assert not response.has_redirect_location
    assert response.next_request is None
    assert response.history == []


async def test_send_with_follow_redirects(driver, server):
    async with driver.client() as c:
        request = c.build_request("GET", server.url + "/redirect/2")
        response = await c.send(request, follow_redirects=True)
        assert response.status_code == 200
        assert response.url == server.url + "/echo"
        assert [r.status_code for r in response.history] == [302, 302]
        assert response.history[0].request is request
        # The default (False) applies to send() too.
        response = await c.send(c.build_request("GET", server.url + "/redirect/2"))
        assert response.status_code == 302


async def test_per_request_follow_redirects_overrides_the_client(driver, server):
    async with driver.client() as c:
        response = await c.get(server.url + "/redirect/1", follow_redirects=True)
        assert response.status_code == 200
    async with driver.client(follow_redirects=True) as c:
        response = await c.get(server.url + "/redirect/1", follow_redirects=False)
        assert response.status_code == 302
        c.follow_redirects = False
        assert (await c.get(server.url + "/redirect/1")).status_code == 302


# --- method and body rewriting ----------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "method", "expected"),
    [
        (301, "POST", "GET"),
        (301, "PUT", "PUT"),  # only POST becomes GET on a 301
        (302, "POST", "GET"),
        (302, "PUT", "GET"),  # what browsers do: anything but HEAD becomes GET
        (303, "PUT", "GET"),
        (303, "DELETE", "GET"),
        (303, "PATCH", "GET"),
        (307, "PUT", "PUT"),
        (308, "PATCH", "PATCH"),
    ],
)
async def test_redirect_method(driver, server, status, method, expected):
    async with driver.client(follow_redirects=True) as c:
        response = await c.request(method, redirect_to(server, "/echo", status), content=b"data")
    data = response.json()
    assert data["method"] == expected
    assert response.request.method == expected
    assert response.history[0].request.method == method
    if expected == method:
        assert data["body"] == "data"
        assert echo_headers(data, "content-length") == ["4"]
    else:
        assert data["body"] == ""
        assert echo_headers(data, "content-length") == []


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_head_stays_head(driver, server, status):
    async with driver.client(follow_redirects=True) as c:
        response = await c.head(redirect_to(server, "/echo", status))
    assert response.status_code == 200
    assert response.request.method == "HEAD"


@pytest.mark.parametrize("status", [301, 302, 303])
async def test_body_headers_dropped_when_becoming_get(driver, server, status):
    # A streaming (chunked) body: Transfer-Encoding goes with the body.
    body = driver.iter_content(b"chunk1", b"chunk2")
    async with driver.client(follow_redirects=True) as c:
        response = await c.post(redirect_to(server, "/echo", status), content=body)
    data = response.json()
    assert data["method"] == "GET"
    assert data["body"] == ""
    assert echo_headers(data, "transfer-encoding") == []
    assert echo_headers(data, "content-length") == []
    assert "transfer-encoding" not in response.request.headers
    # A form body: Content-Length goes (httpx keeps the Content-Type header).
    async with driver.client(follow_redirects=True) as c:
        response = await c.post(redirect_to(server, "/echo", status), data={"a": "1"})
    data = response.json()
    assert data["body"] == ""
    assert echo_headers(data, "content-length") == []


@pytest.mark.parametrize("status", [307, 308])
async def test_307_308_keep_method_body_and_headers(driver, server, status):
    async with driver.client(follow_redirects=True) as c:
        response = await c.put(
            redirect_to(server, "/echo", status), json={"k": "v"}, headers={"X-Custom": "1"}
        )
    data = response.json()
    assert data["method"] == "PUT"
    assert data["body"] == '{"k":"v"}'
    assert echo_headers(data, "content-type") == ["application/json"]
    assert echo_headers(data, "x-custom") == ["1"]


@pytest.mark.parametrize("status", [307, 308])
async def test_generator_body_cannot_be_replayed_on_307_308(driver, server, status):
    body = driver.iter_content(b"only", b"once")
    async with driver.client(follow_redirects=True) as c:
        with pytest.raises(httprs.StreamConsumed):
            await c.post(redirect_to(server, "/echo", status), content=body)
        # Not following: the redirect is just returned (sending next_request would fail).
        body = driver.iter_content(b"only", b"once")
        response = await c.post(
            redirect_to(server, "/echo", status), content=body, follow_redirects=False
        )
        assert response.status_code == status
        assert response.next_request.method == "POST"
        with pytest.raises(httprs.StreamConsumed):
            await c.send(response.next_request)


# --- Location resolution ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "path", "query"),
    [
        ("/echo", "/echo", ""),
        ("echo?x=1", "/echo", "x=1"),  # relative to /redirect-to
        ("./echo", "/echo", ""),
        ("/echo?a=%20b&c=d", "/echo", "a=%20b&c=d"),
    ],
)
async def test_relative_location(driver, server, location, path, query):
    async with driver.client(follow_redirects=True) as c:
        response = await c.get(redirect_to(server, location))
    data = response.json()
    assert (data["path"], data["query"]) == (path, query)
    assert response.url == server.url + path + (f"?{query}" if query else "")


async def test_absolute_and_scheme_relative_location(driver, server, other_server):
    async with driver.client(follow_redirects=True) as c:
        response = await c.get(redirect_to(server, f"//127.0.0.1:{other_server.port}/echo"))
        assert response.url == other_server.url + "/echo"
        assert echo_headers(response.json(), "host") == [f"127.0.0.1:{other_server.port}"]
        response = await c.get(redirect_to(server, other_server.url + "/echo?z=1"))
        assert response.url == other_server.url + "/echo?z=1"
        assert echo_headers(response.json(), "host") == [f"127.0.0.1:{other_server.port}"]


async def test_fragment_is_carried_over(driver, server):
    async with driver.client(follow_redirects=True) as c:
        response = await c.get(server.url + "/redirect-to?url=/echo#section")
    assert response.url == server.url + "/echo#section"
    assert response.url.fragment == "section"


async def test_max_redirects_zero(driver, server):
    async with driver.client(follow_redirects=True, max_redirects=0) as c:
        assert (await c.get(server.url + "/echo")).status_code == 200
        with pytest.raises(httprs.TooManyRedirects) as info:
            await c.get(server.url + "/redirect/1")
        assert info.value.request.url == server.url + "/echo"
        # Not following, the redirect is returned as usual.
        response = await c.get(server.url + "/redirect/1", follow_redirects=False)
        assert response.status_code == 302


# --- headers and cookies across hops -------------------------------------------------------


async def test_authorization_kept_on_same_origin_dropped_on_other(driver, server, other_server):
    headers = {"Authorization": "Bearer explicit", "X-Other": "kept"}
    async with driver.client(follow_redirects=True) as c:
        response = await c.get(redirect_to(server, "/echo"), headers=headers)
        assert echo_headers(response.json(), "authorization") == ["Bearer explicit"]
        response = await c.get(redirect_to(server, other_server.url + "/echo"), headers=headers)
        data = response.json()
        assert echo_headers(data, "authorization") == []
        assert echo_headers(data, "x-other") == ["kept"]
        # A different port is a different origin even on the same host.
        assert other_server.host == server.host


async def test_redirect_back_to_the_first_origin_does_not_restore_authorization(
    driver, server, other_server
):
    back = redirect_to(other_server, server.url + "/echo")
    async with driver.client(auth=("u", "p"), follow_redirects=True) as c:
        response = await c.get(redirect_to(server, back))
    assert response.url == server.url + "/echo"
    assert len(response.history) == 2
    # The auth was applied once, to the first request; the cross-origin hop dropped it.
    assert echo_headers(response.json(), "authorization") == []


async def test_cookies_set_by_a_hop_are_sent_on_the_next(driver, server):
    url = set_cookie_and_redirect(server, "hop=1; Path=/", "/cookies")
    async with driver.client(follow_redirects=True) as c:
        response = await c.get(url)
        assert response.json() == {"hop": "1"}
        assert dict(c.cookies) == {"hop": "1"}
        assert response.history[0].cookies["hop"] == "1"


async def test_cookies_are_reevaluated_for_each_hop(driver, server, other_server):
    # Cookies are per host, not per port: 127.0.0.1:A and 127.0.0.1:B share them...
    to_other_port = set_cookie_and_redirect(server, "a=1; Path=/", other_server.url + "/cookies")
    # ...but a redirect to another host (localhost) must not carry the 127.0.0.1 cookies.
    localhost = f"http://localhost:{other_server.port}/cookies"
    to_localhost = set_cookie_and_redirect(server, "b=2; Path=/", localhost)
    async with driver.client(follow_redirects=True) as c:
        assert (await c.get(to_other_port)).json() == {"a": "1"}
        response = await c.get(to_localhost)
        assert response.url == localhost
        assert response.json() == {}
        assert "cookie" not in response.request.headers
        # And a cookie whose Path does not match the next hop is not sent there.
        to_path = set_cookie_and_redirect(server, "c=3; Path=/cookies/c", "/cookies/d")
        assert (await c.get(to_path)).json() == {"a": "1", "b": "2"}


async def test_per_request_cookie_header_is_not_carried_across_hops(driver, server):
    # Client cookies are re-applied per hop from the jar; an explicit Cookie header is dropped.
    async with driver.client(follow_redirects=True, cookies={"jar": "1"}) as c:
        response = await c.get(redirect_to(server, "/cookies"), headers={"Cookie": "manual=1"})
    assert response.history[0].request.headers["cookie"] == "manual=1"
    assert response.json() == {"jar": "1"}


async def test_event_hooks_and_history_requests_per_hop(driver, server):
    methods = []

    def on_request(request):
        methods.append((request.method, request.url.path))

    async with driver.client(
        follow_redirects=True, event_hooks={"request": [driver.hook(on_request)]}
    ) as c:
        response = await c.post(redirect_to(server, redirect_to(server, "/echo", 307), 303))
    assert methods == [("POST", "/redirect-to"), ("GET", "/redirect-to"), ("GET", "/echo")]
    assert [r.request.method for r in response.history] == ["POST", "GET"]
    assert [r.status_code for r in response.history] == [303, 307]
