"""Request injection and credential leaks: httprs against httpx 0.28.1.

Each scenario runs on ``sync``, ``async-asyncio`` and ``async-trio`` (see tests/drivers.py)
and is compared with an ``httpx.Client`` doing the same (this module imports ``httpx`` on purpose:
it is the reference).

- Injection: CR, LF or NUL in a header name or value, the method or the URL (path, query,
  host) is refused before anything is sent, with the exception class httpx raises
  (``LocalProtocolError`` or ``InvalidURL``) — never a ``RuntimeError``, a ``ValueError`` or a
  panic. A raw recording server (``tests.support.servers.hostile``) checks that no byte arrived.
- Credentials on redirects: user-set ``Authorization``, ``Proxy-Authorization`` and ``Cookie``
  headers do not follow a redirect to another origin (host, port or scheme; the https side
  and the other host are ``MockTransport`` mounts, so nothing is looked up). httprs differs from
  httpx on purpose for ``Proxy-Authorization``: httpx forwards it to any origin, httprs drops
  it like ``Authorization``. On a same-origin redirect ``Authorization`` and
  ``Proxy-Authorization`` are kept; a user-set ``Cookie`` header is dropped on every hop, as in
  httpx (cookies come from the client jar, re-applied per hop; see also
  tests/client/test_redirects.py).
- Cookies: ``Secure`` cookies are never sent over http; ``Path``/``Domain`` are respected.
"""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import httprs
import httpx
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.helpers import echo_headers
from tests.support.servers.hostile import HostileServer, KeepAlive, Send, response

pytestmark = [pytest.mark.network, pytest.mark.anyio]

OK = response(b"200 OK", [("Content-Type", "text/plain")], b"ok")
CREDENTIALS = {
    "Authorization": "Bearer secret",
    "Proxy-Authorization": "Basic cHJveHk6c2VjcmV0",
    "Cookie": "manual=1",
}
HEADERS = {**CREDENTIALS, "X-Other": "kept"}
CREDENTIAL_NAMES = ("authorization", "proxy-authorization", "cookie")


@pytest.fixture(scope="module")
def sink():
    """A raw server that answers ``/case/ok`` and records every byte it receives."""
    with HostileServer({"ok": [Send(OK), KeepAlive()]}) as server:
        yield server


def received_since(server: HostileServer, mark: int) -> bytes:
    """Every byte the server received on connections accepted since ``mark``.

    Called after the client is closed; waits a moment for the accept loop to log late
    connections and for logged ones to end.
    """
    time.sleep(0.05)
    return b"".join(bytes(c.received) for c in server.connections_since(mark, settle=2.0))


# --- injection ---------------------------------------------------------------------------------

# (id, method, url suffix or full url (``{base}`` = the sink's http://127.0.0.1:PORT), kwargs)
INJECTIONS = [
    ("header-name-crlf", "GET", "{base}/case/ok", {"headers": {"X-A\r\nX-Injected": "1"}}),
    ("header-name-lf", "GET", "{base}/case/ok", {"headers": {"X-A\nX-Injected": "1"}}),
    ("header-name-cr", "GET", "{base}/case/ok", {"headers": {"X-A\rX-Injected": "1"}}),
    ("header-name-nul", "GET", "{base}/case/ok", {"headers": {"X-A\x00": "1"}}),
    ("header-value-crlf", "GET", "{base}/case/ok", {"headers": {"X-A": "v\r\nX-Injected: 1"}}),
    ("header-value-lf", "GET", "{base}/case/ok", {"headers": {"X-A": "v\nX-Injected: 1"}}),
    ("header-value-cr", "GET", "{base}/case/ok", {"headers": {"X-A": "v\rX-Injected: 1"}}),
    ("header-value-nul", "GET", "{base}/case/ok", {"headers": {"X-A": "v\x00w"}}),
    ("header-value-bytes-crlf", "GET", "{base}/case/ok", {"headers": {b"X-A": b"v\r\nX-I: 1"}}),
    ("host-header-crlf", "GET", "{base}/case/ok", {"headers": {"Host": "a\r\nX-Injected: 1"}}),
    ("method-crlf", "GET\r\nX-Injected: 1", "{base}/case/ok", {}),
    ("method-lf", "GET\n", "{base}/case/ok", {}),
    ("method-nul", "GE\x00T", "{base}/case/ok", {}),
    ("method-request-line", "GET /other HTTP/1.1\r\n", "{base}/case/ok", {}),
    ("url-path-crlf", "GET", "{base}/case/ok\r\nX-Injected: 1", {}),
    ("url-path-lf", "GET", "{base}/case/ok\nX", {}),
    ("url-path-nul", "GET", "{base}/case/ok\x00", {}),
    ("url-query-crlf", "GET", "{base}/case/ok?q=a\r\nX-Injected: 1", {}),
    ("url-query-nul", "GET", "{base}/case/ok?q=\x00", {}),
    ("url-host-crlf", "GET", "http://127.0.0.1\r\nX-Injected: 1:{port}/case/ok", {}),
    ("url-host-nul", "GET", "http://127.0.0.1\x00:{port}/case/ok", {}),
    ("url-userinfo-crlf", "GET", "http://u\r\nX:p@127.0.0.1:{port}/case/ok", {}),
]


def _injection_args(sink: HostileServer, method: str, url: str, kwargs: dict):
    return method, url.format(base=sink.url, port=sink.port), kwargs


def _httpx_outcome(sink: HostileServer, method: str, url: str, kwargs: dict):
    """(the exception httpx raised, the bytes the server received from httpx)."""
    mark = sink.mark()
    exc = None
    try:
        with httpx.Client(trust_env=False, timeout=5.0) as client:
            client.request(method, url, **kwargs)
    except Exception as e:  # noqa: BLE001 - compared below
        exc = e
    return exc, received_since(sink, mark)


@pytest.mark.parametrize(
    ("method", "url", "kwargs"),
    [pytest.param(m, u, k, id=name) for name, m, u, k in INJECTIONS],
)
async def test_injection_is_refused_before_sending(driver, sink, method, url, kwargs):
    method, url, kwargs = _injection_args(sink, method, url, kwargs)
    ref, ref_sent = _httpx_outcome(sink, method, url, kwargs)
    assert isinstance(ref, httpx.LocalProtocolError | httpx.InvalidURL), repr(ref)
    assert ref_sent == b""

    mark = sink.mark()
    with pytest.raises(Exception) as info:  # noqa: B017 - the class is checked just below
        async with driver.client(trust_env=False, timeout=5.0) as c:
            await c.request(method, url, **kwargs)
    exc = info.value
    assert type(exc) is getattr(httprs, type(ref).__name__), (
        f"httprs raised {type(exc).__name__}: {exc}; httpx raises {type(ref).__name__}: {ref}"
    )
    assert str(exc)
    assert received_since(sink, mark) == b"", "httprs sent bytes before refusing the request"


@pytest.mark.parametrize(
    ("where", "value"),
    [("client-header", "v\r\nX-Injected: 1"), ("client-header", "v\x00"), ("mutated", "a\nb")],
)
async def test_injection_through_client_defaults_and_mutated_requests(driver, sink, where, value):
    """Bad values that reach the request another way: client headers, ``request.headers``."""
    url = sink.url_for("ok")
    mark = sink.mark()
    with pytest.raises(httprs.LocalProtocolError):
        if where == "client-header":
            async with driver.client(headers={"X-A": value}, trust_env=False) as c:
                await c.get(url)
        else:
            async with driver.client(trust_env=False) as c:
                request = c.build_request("GET", url)
                request.headers["X-A"] = value
                await c.send(request)
    assert received_since(sink, mark) == b""
    # httpx agrees.
    with pytest.raises(httpx.LocalProtocolError):
        if where == "client-header":
            with httpx.Client(headers={"X-A": value}, trust_env=False) as c:
                c.get(url)
        else:
            with httpx.Client(trust_env=False) as c:
                request = c.build_request("GET", url)
                request.headers["X-A"] = value
                c.send(request)


async def test_crlf_in_params_is_percent_encoded_not_injected(driver, sink):
    params = {"q": "a\r\nX-Injected: 1", "n": "\x00"}
    mark = sink.mark()
    with httpx.Client(trust_env=False) as c:
        expected_url = str(c.get(sink.url_for("ok"), params=params).request.url)
    expected_line = received_since(sink, mark).split(b"\r\n", 1)[0]
    mark = sink.mark()
    async with driver.client(trust_env=False) as c:
        response = await c.get(sink.url_for("ok"), params=params)
    assert response.status_code == 200
    assert str(response.request.url) == expected_url
    sent = received_since(sink, mark)
    assert sent.split(b"\r\n", 1)[0] == expected_line
    assert b"X-Injected" not in sent.split(b"\r\n\r\n", 1)[0].split(b"\r\n", 1)[1]


# --- credentials on redirects --------------------------------------------------------------------


def redirect_to(server, url: str, status: int = 302) -> str:
    return server.url + "/redirect-to?" + urlencode({"url": url, "status": status})


def credentials_seen(response) -> dict[str, list[str]]:
    """The credential headers the final ``/echo`` (or mock) received, by lowercase name."""
    data = response.json()
    return {name: echo_headers(data, name) for name in (*CREDENTIAL_NAMES, "x-other")}


def httpx_get(url: str, **client_kwargs) -> httpx.Response:
    with httpx.Client(follow_redirects=True, trust_env=False, **client_kwargs) as c:
        return c.get(url, headers=HEADERS)


DROPPED = {"authorization": [], "proxy-authorization": [], "cookie": [], "x-other": ["kept"]}
# httpx drops Authorization and the Cookie header on a cross-origin hop, but forwards
# Proxy-Authorization to any origin: httprs deliberately drops it too.
HTTPX_CROSS_ORIGIN = {**DROPPED, "proxy-authorization": [HEADERS["Proxy-Authorization"]]}


def assert_credentials_dropped(response) -> None:
    seen = credentials_seen(response)
    leaked = {name: values for name, values in seen.items() if values and name != "x-other"}
    assert not leaked, f"credentials followed the redirect to {response.url}: {leaked}"
    assert seen == DROPPED


@pytest.mark.parametrize("status", [302, 307])
async def test_cross_origin_redirect_drops_credentials(driver, server, other_server, status):
    url = redirect_to(server, other_server.url + "/echo", status)
    assert credentials_seen(httpx_get(url)) == HTTPX_CROSS_ORIGIN
    async with driver.client(follow_redirects=True, trust_env=False) as c:
        response = await c.get(url, headers=HEADERS)
    assert response.url == other_server.url + "/echo"
    # The first hop did carry them.
    first = response.history[0].request.headers
    assert first["proxy-authorization"] == HEADERS["Proxy-Authorization"]
    assert first["authorization"] == HEADERS["Authorization"]
    assert_credentials_dropped(response)


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_same_origin_redirect_keeps_authorization(driver, server, status):
    url = redirect_to(server, "/echo", status)
    async with driver.client(follow_redirects=True, trust_env=False) as c:
        response = await c.get(url, headers=HEADERS)
    seen = credentials_seen(response)
    assert seen == {
        "authorization": [HEADERS["Authorization"]],
        "proxy-authorization": [HEADERS["Proxy-Authorization"]],
        # A user-set Cookie header is not carried to the next hop even on the same origin
        # (httpx: cookies for the next hop come from the client jar only).
        "cookie": [],
        "x-other": ["kept"],
    }
    assert seen == credentials_seen(httpx_get(url))


async def test_same_origin_redirect_resends_jar_cookies_not_the_cookie_header(driver, server):
    url = redirect_to(server, "/echo")
    async with driver.client(follow_redirects=True, trust_env=False, cookies={"jar": "1"}) as c:
        response = await c.get(url, headers=HEADERS)
    seen = credentials_seen(response)
    assert seen["cookie"] == ["jar=1"]
    assert seen == credentials_seen(httpx_get(url, cookies={"jar": "1"}))


def _other_host_echo(lib):
    """A MockTransport standing for another host: answers with the headers it received."""

    def handler(request):
        headers = [
            [k.decode("latin-1").lower(), v.decode("latin-1")] for k, v in request.headers.raw
        ]
        return lib.Response(200, json={"headers": headers, "host": request.url.host})

    return lib.MockTransport(handler)


async def test_redirect_to_another_host_drops_credentials(driver, server):
    # "other.test" only exists inside the MockTransport: nothing is resolved.
    url = redirect_to(server, "http://other.test/echo")
    ref = httpx_get(url, mounts={"all://other.test": _other_host_echo(httpx)})
    assert credentials_seen(ref) == HTTPX_CROSS_ORIGIN
    mounts = {"all://other.test": _other_host_echo(httprs)}
    async with driver.client(follow_redirects=True, trust_env=False, mounts=mounts) as c:
        response = await c.get(url, headers=HEADERS)
    assert response.json()["host"] == "other.test"
    assert_credentials_dropped(response)


def _https_redirecting_to(lib, location: str, set_cookies: tuple[str, ...] = ()):
    """A MockTransport for the https side: 302 to ``location`` (with Set-Cookie headers)."""

    def handler(request):
        headers = [("Location", location), *(("Set-Cookie", c) for c in set_cookies)]
        return lib.Response(302, headers=headers)

    return lib.MockTransport(handler)


async def test_https_to_http_downgrade_drops_credentials(driver, server):
    start = f"https://127.0.0.1:{server.port}/start"
    target = server.url + "/echo"
    ref = httpx_get(start, mounts={"https://": _https_redirecting_to(httpx, target)})
    assert credentials_seen(ref) == HTTPX_CROSS_ORIGIN
    mounts = {"https://": _https_redirecting_to(httprs, target)}
    async with driver.client(follow_redirects=True, trust_env=False, mounts=mounts) as c:
        response = await c.get(start, headers=HEADERS)
    assert str(response.history[0].url) == start
    assert response.url == target
    assert_credentials_dropped(response)


# --- cookies -------------------------------------------------------------------------------------


def set_cookies(server, *headers: str, location: str | None = None) -> str:
    query = [("header", h) for h in headers]
    if location is not None:
        query.append(("location", location))
    return server.url + "/set-cookie-raw?" + urlencode(query)


async def test_secure_cookie_set_over_http_is_not_sent_over_http(driver, server):
    url = set_cookies(server, "sec=1; Secure; Path=/", "plain=1; Path=/", location="/cookies")
    async with driver.client(follow_redirects=True, trust_env=False) as c:
        response = await c.get(url)
        assert response.json() == {"plain": "1"}
        assert (await c.get(server.url + "/cookies")).json() == {"plain": "1"}
        assert {cookie.name: cookie.secure for cookie in c.cookies.jar} == {
            "sec": True,
            "plain": False,
        }
    with httpx.Client(follow_redirects=True, trust_env=False) as c:
        assert c.get(url).json() == {"plain": "1"}


async def test_secure_cookie_set_over_https_is_not_sent_after_a_downgrade(driver, server):
    start = f"https://127.0.0.1:{server.port}/start"
    cookies = ("sec=1; Secure; Path=/", "plain=2; Path=/")

    def mounts(lib):
        return {"https://": _https_redirecting_to(lib, server.url + "/cookies", cookies)}

    async with driver.client(follow_redirects=True, trust_env=False, mounts=mounts(httprs)) as c:
        response = await c.get(start)
        assert response.json() == {"plain": "2"}
        assert sorted(c.cookies) == ["plain", "sec"]
    with httpx.Client(follow_redirects=True, trust_env=False, mounts=mounts(httpx)) as c:
        assert c.get(start).json() == {"plain": "2"}


async def test_cookie_path_and_domain_are_respected(driver, server):
    url = set_cookies(
        server,
        "scoped=1; Path=/cookies/a",
        "everywhere=1; Path=/",
        "foreign=1; Domain=example.com; Path=/",
    )
    paths = ["/cookies/a", "/cookies/a/deeper", "/cookies/b", "/cookies/ab", "/cookies"]

    async def observe(get):
        await get(url)
        return {
            path: json.dumps((await get(server.url + path)).json(), sort_keys=True)
            for path in paths
        }

    async with driver.client(trust_env=False) as c:
        ours = await observe(c.get)
        assert "foreign" not in c.cookies
    assert json.loads(ours["/cookies/a"]) == {"scoped": "1", "everywhere": "1"}
    assert json.loads(ours["/cookies/a/deeper"]) == {"scoped": "1", "everywhere": "1"}
    assert json.loads(ours["/cookies/b"]) == {"everywhere": "1"}
    assert json.loads(ours["/cookies/ab"]) == {"everywhere": "1"}

    with httpx.Client(trust_env=False) as c:

        async def httpx_get_async(u):
            return c.get(u)

        assert await observe(httpx_get_async) == ours
