"""Cookie semantics of httpx 0.28.1 (a `http.cookiejar` jar), on both `Client` and `AsyncClient`.

Each test runs on ``sync``, ``async-asyncio`` and ``async-trio`` (see tests/drivers.py).
Simple persistence, ``cookies=`` on the client and the per-request DeprecationWarning are also
in test_client.py / test_async_client.py; the `Cookies` model is in tests/models/test_cookies.py.
``/set-cookie-raw`` sends its ``header`` query values verbatim as Set-Cookie headers.
"""

import warnings
from urllib.parse import urlencode

import httprs
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401

pytestmark = [pytest.mark.network, pytest.mark.anyio]


def set_cookies(server, *headers: str, path: str = "/set-cookie-raw") -> str:
    return server.url + path + "?" + urlencode([("header", h) for h in headers])


def jar_entries(client) -> set[tuple[str, str, str, str]]:
    return {(c.name, c.value, c.domain, c.path) for c in client.cookies.jar}


# --- storing and sending back ------------------------------------------------------------


async def test_set_cookie_is_stored_with_host_and_path(driver, server):
    async with driver.client() as c:
        response = await c.get(set_cookies(server, "a=1", "b=2; Path=/"))
        assert response.cookies["a"] == "1"
        assert jar_entries(c) == {("a", "1", "127.0.0.1", "/"), ("b", "2", "127.0.0.1", "/")}
        assert c.cookies.get("a", domain="127.0.0.1") == "1"
        assert (await c.get(server.url + "/cookies")).json() == {"a": "1", "b": "2"}


async def test_set_cookie_replaces_a_cookie_of_the_same_name(driver, server):
    async with driver.client() as c:
        await c.get(set_cookies(server, "a=old"))
        await c.get(set_cookies(server, "a=new"))
        assert dict(c.cookies) == {"a": "new"}
        assert (await c.get(server.url + "/cookies")).json() == {"a": "new"}


async def test_quoted_and_attribute_heavy_values(driver, server):
    async with driver.client() as c:
        await c.get(set_cookies(server, 'q="quoted value"; Path=/; HttpOnly; SameSite=Lax'))
        cookie = next(iter(c.cookies.jar))
        assert cookie.name == "q"
        assert (await c.get(server.url + "/cookies")).json() == {"q": cookie.value}


# --- Path --------------------------------------------------------------------------------------


async def test_path_attribute(driver, server):
    async with driver.client() as c:
        await c.get(set_cookies(server, "p=1; Path=/cookies/a"))
        assert (await c.get(server.url + "/cookies/a")).json() == {"p": "1"}
        assert (await c.get(server.url + "/cookies/a/deeper")).json() == {"p": "1"}
        assert (await c.get(server.url + "/cookies/b")).json() == {}
        assert (await c.get(server.url + "/cookies")).json() == {}
        # Path matching is by segment, not by string prefix.
        assert (await c.get(server.url + "/cookies/ab")).json() == {}


async def test_default_path_is_the_directory_of_the_request(driver, server):
    async with driver.client() as c:
        await c.get(set_cookies(server, "d=1", path="/set-cookie-raw/dir/page"))
        assert jar_entries(c) == {("d", "1", "127.0.0.1", "/set-cookie-raw/dir")}
        assert (await c.get(server.url + "/set-cookie-raw/dir/other")).json() == {"d": "1"}
        assert (await c.get(server.url + "/cookies")).json() == {}


async def test_same_name_on_two_paths(driver, server):
    async with driver.client() as c:
        await c.get(set_cookies(server, "s=root; Path=/", "s=deep; Path=/cookies/x"))
        assert len(c.cookies.jar) == 2
        assert c.cookies.get("s", path="/cookies/x") == "deep"
        response = await c.get(server.url + "/cookies/x")
        # Both are sent, the more specific path first.
        assert response.request.headers["cookie"] == "s=deep; s=root"


# --- expiry -------------------------------------------------------------------------------------


async def test_max_age_zero_deletes(driver, server):
    async with driver.client() as c:
        await c.get(set_cookies(server, "gone=1", "kept=1"))
        await c.get(set_cookies(server, "gone=x; Max-Age=0"))
        assert dict(c.cookies) == {"kept": "1"}
        assert (await c.get(server.url + "/cookies")).json() == {"kept": "1"}


async def test_expires_in_the_past_deletes(driver, server):
    async with driver.client() as c:
        await c.get(set_cookies(server, "gone=1; Path=/", "kept=1"))
        await c.get(set_cookies(server, "gone=x; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"))
        assert dict(c.cookies) == {"kept": "1"}


async def test_future_expiry_and_max_age_are_kept(driver, server):
    async with driver.client() as c:
        await c.get(
            set_cookies(server, "e=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT", "m=1; Max-Age=3600")
        )
        assert dict(c.cookies) == {"e": "1", "m": "1"}
        assert all(cookie.expires is not None for cookie in c.cookies.jar)
        assert (await c.get(server.url + "/cookies")).json() == {"e": "1", "m": "1"}


# --- Domain, host-only, Secure -------------------------------------------------------------


async def test_host_only_cookie_ignores_the_port_but_not_the_host(driver, server, other_server):
    async with driver.client() as c:
        await c.get(set_cookies(server, "h=1"))
        # Cookies are not isolated by port (RFC 6265).
        assert (await c.get(other_server.url + "/cookies")).json() == {"h": "1"}
        # Another host name for the same address is another cookie domain.
        assert (await c.get(f"http://localhost:{server.port}/cookies")).json() == {}


async def test_cookie_set_by_localhost_is_not_sent_to_127_0_0_1(driver, server):
    async with driver.client() as c:
        await c.get(f"http://localhost:{server.port}/set-cookie-raw?header=l%3D1")
        assert dict(c.cookies) == {"l": "1"}
        assert (await c.get(f"http://localhost:{server.port}/cookies")).json() == {"l": "1"}
        assert (await c.get(server.url + "/cookies")).json() == {}


async def test_domain_attribute_matching_the_ip_host(driver, server):
    async with driver.client() as c:
        await c.get(set_cookies(server, "a=1; Domain=127.0.0.1", "b=2; Domain=.127.0.0.1"))
        # http.cookiejar stores a specified domain with a leading dot.
        assert {(cookie.name, cookie.domain) for cookie in c.cookies.jar} == {
            ("a", ".127.0.0.1"),
            ("b", ".127.0.0.1"),
        }
        assert all(cookie.domain_specified for cookie in c.cookies.jar)
        assert (await c.get(server.url + "/cookies")).json() == {"a": "1", "b": "2"}


async def test_domain_attribute_for_another_host_is_rejected(driver, server):
    async with driver.client() as c:
        await c.get(set_cookies(server, "x=1; Domain=localhost", "y=1; Domain=example.com", "ok=1"))
        assert dict(c.cookies) == {"ok": "1"}


async def test_secure_cookie_is_stored_but_not_sent_over_http(driver, server):
    async with driver.client() as c:
        await c.get(set_cookies(server, "s=1; Secure", "plain=1"))
        assert {cookie.name: cookie.secure for cookie in c.cookies.jar} == {
            "s": True,
            "plain": False,
        }
        assert (await c.get(server.url + "/cookies")).json() == {"plain": "1"}


# --- client.cookies --------------------------------------------------------------------------


async def test_client_cookies_are_readable(driver, server):
    async with driver.client() as c:
        await c.get(set_cookies(server, "a=1", "b=2; Path=/cookies"))
        assert isinstance(c.cookies, httprs.Cookies)
        assert c.cookies["a"] == "1"
        assert c.cookies.get("missing") is None
        assert sorted(c.cookies) == ["a", "b"]
        assert len(c.cookies) == 2
        assert "b" in c.cookies


async def test_client_cookies_set_with_domain_and_path(driver, server):
    async with driver.client() as c:
        c.cookies.set("anywhere", "1")
        c.cookies.set("this_host", "1", domain="127.0.0.1")
        c.cookies.set("other_host", "1", domain="localhost.invalid")
        c.cookies.set("scoped", "1", domain="127.0.0.1", path="/cookies/s")
        assert (await c.get(server.url + "/cookies")).json() == {"anywhere": "1", "this_host": "1"}
        assert (await c.get(server.url + "/cookies/s")).json() == {
            "anywhere": "1",
            "this_host": "1",
            "scoped": "1",
        }


async def test_assigning_client_cookies_replaces_them(driver, server):
    async with driver.client(cookies={"old": "1"}) as c:
        await c.get(set_cookies(server, "from_server=1"))
        c.cookies = {"new": "2"}
        assert isinstance(c.cookies, httprs.Cookies)
        assert dict(c.cookies) == {"new": "2"}
        assert (await c.get(server.url + "/cookies")).json() == {"new": "2"}
        c.cookies = httprs.Cookies({"from_object": "3"})
        assert (await c.get(server.url + "/cookies")).json() == {"from_object": "3"}
        c.cookies = [("from_list", "4")]
        assert (await c.get(server.url + "/cookies")).json() == {"from_list": "4"}


async def test_clear_and_delete(driver, server):
    async with driver.client() as c:
        await c.get(set_cookies(server, "a=1", "b=2"))
        del c.cookies["a"]
        assert (await c.get(server.url + "/cookies")).json() == {"b": "2"}
        c.cookies.clear()
        assert len(c.cookies) == 0
        assert (await c.get(server.url + "/cookies")).json() == {}
        # Still stores new ones afterwards.
        await c.get(set_cookies(server, "c=3"))
        assert (await c.get(server.url + "/cookies")).json() == {"c": "3"}


async def test_response_cookies_are_only_those_of_that_response(driver, server):
    async with driver.client() as c:
        await c.get(set_cookies(server, "first=1"))
        response = await c.get(set_cookies(server, "second=2"))
        assert dict(response.cookies) == {"second": "2"}
        assert dict(c.cookies) == {"first": "1", "second": "2"}


# --- per-request cookies= -----------------------------------------------------------------


async def test_per_request_cookies_override_client_cookie_of_same_name(driver, server):
    async with driver.client(cookies={"shared": "client", "only_client": "1"}) as c:
        with pytest.warns(DeprecationWarning):
            response = await c.get(
                server.url + "/cookies", cookies={"shared": "request", "only_req": "1"}
            )
        assert response.json() == {"shared": "request", "only_client": "1", "only_req": "1"}
        assert dict(c.cookies) == {"shared": "client", "only_client": "1"}


async def test_per_request_cookies_on_build_request(driver, server):
    async with driver.client() as c:
        # Only request()/get()/... warn; build_request(cookies=...) does not.
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            request = c.build_request("GET", server.url + "/cookies", cookies={"b": "1"})
        assert request.headers["cookie"] == "b=1"
        assert (await c.send(request)).json() == {"b": "1"}
