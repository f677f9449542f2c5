"""Authentication semantics of httpx 0.28.1, on both `Client` and `AsyncClient`.

Each test runs on ``sync``, ``async-asyncio`` and ``async-trio`` (see tests/drivers.py).
Basic auth from tuples/objects, per-request override and the async generator flow are also in
test_client.py / test_async_client.py; this file covers the remaining semantics.
DigestAuth has its own file (tests/client/test_digest_auth.py).
"""

import hashlib

import httprs
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.helpers import basic_auth, echo_body, echo_headers

pytestmark = [pytest.mark.network, pytest.mark.anyio]


# --- Basic auth ---------------------------------------------------------------------------


async def test_basic_auth_credentials_are_utf8_encoded(driver, server):
    async with driver.client() as c:
        response = await c.get(server.url + "/echo", auth=("üser", "pässwörd"))
        assert echo_headers(response.json(), "authorization") == [basic_auth("üser", "pässwörd")]
        response = await c.get(server.url + "/echo", auth=httprs.BasicAuth(b"raw", b"bytes"))
        assert echo_headers(response.json(), "authorization") == [basic_auth("raw", "bytes")]
        response = await c.get(server.url + "/echo", auth=("user", ""))
        assert echo_headers(response.json(), "authorization") == [basic_auth("user", "")]


async def test_url_userinfo_becomes_basic_auth_and_is_not_sent_in_the_url(driver, server):
    url = server.url.replace("http://", "http://alice:s3cret@") + "/echo?q=1"
    async with driver.client() as c:
        response = await c.get(url)
    data = response.json()
    assert echo_headers(data, "authorization") == [basic_auth("alice", "s3cret")]
    # The credentials are neither in the Host header nor in the request target.
    assert echo_headers(data, "host") == [f"127.0.0.1:{server.port}"]
    assert data["path"] == "/echo"
    assert data["query"] == "q=1"
    # ...but the URL of the request/response keeps them, as given.
    assert response.url.userinfo == b"alice:s3cret"
    assert response.url.username == "alice"


async def test_url_username_without_password(driver, server):
    url = server.url.replace("http://", "http://bob@") + "/echo"
    async with driver.client() as c:
        data = (await c.get(url)).json()
    assert echo_headers(data, "authorization") == [basic_auth("bob", "")]


async def test_explicit_auth_wins_over_url_userinfo(driver, server):
    url = server.url.replace("http://", "http://url:user@") + "/echo"
    async with driver.client(auth=("client", "auth")) as c:
        data = (await c.get(url)).json()
        assert echo_headers(data, "authorization") == [basic_auth("client", "auth")]
        data = (await c.get(url, auth=("request", "auth"))).json()
        assert echo_headers(data, "authorization") == [basic_auth("request", "auth")]


async def test_auth_none_on_a_request_disables_the_client_auth(driver, server):
    async with driver.client(auth=("client", "pw")) as c:
        data = (await c.get(server.url + "/echo", auth=None)).json()
        assert echo_headers(data, "authorization") == []
        # Only for that request.
        data = (await c.get(server.url + "/echo")).json()
        assert echo_headers(data, "authorization") == [basic_auth("client", "pw")]
        # URL userinfo still applies when auth=None (it is not the client's auth).
        url = server.url.replace("http://", "http://u:p@") + "/echo"
        data = (await c.get(url, auth=None)).json()
        assert echo_headers(data, "authorization") == [basic_auth("u", "p")]


async def test_client_auth_can_be_replaced_and_removed(driver, server):
    async with driver.client(auth=("first", "pw")) as c:
        c.auth = ("second", "pw")
        assert isinstance(c.auth, httprs.BasicAuth)
        data = (await c.get(server.url + "/echo")).json()
        assert echo_headers(data, "authorization") == [basic_auth("second", "pw")]
        c.auth = None
        assert c.auth is None
        data = (await c.get(server.url + "/echo")).json()
        assert echo_headers(data, "authorization") == []


# --- callables --------------------------------------------------------------------------------


async def test_plain_callable_auth(driver, server):
    seen = []

    def sign(request):
        seen.append((request.method, str(request.url)))
        request.headers["Authorization"] = "Token " + request.method.lower()
        return request

    async with driver.client(auth=sign) as c:
        data = (await c.post(server.url + "/echo", content=b"x")).json()
        assert echo_headers(data, "authorization") == ["Token post"]
        # Per request too, with a lambda.
        response = await c.get(
            server.url + "/echo",
            auth=lambda request: request.headers.update({"X-Api-Key": "k"}) or request,
        )
        assert echo_headers(response.json(), "x-api-key") == ["k"]
        assert echo_headers(response.json(), "authorization") == []
    assert seen == [("POST", server.url + "/echo")]


async def test_callable_auth_runs_once_before_redirects(driver, server):
    calls = []

    def auth(request):
        calls.append(str(request.url))
        request.headers["Authorization"] = "Token t"
        return request

    async with driver.client(auth=auth, follow_redirects=True) as c:
        response = await c.get(server.url + "/redirect/2")
    assert response.url == server.url + "/echo"
    # The flow wraps the whole redirect chain; the header is carried along same-origin hops.
    assert calls == [server.url + "/redirect/2"]
    assert echo_headers(response.json(), "authorization") == ["Token t"]


# --- Auth subclasses: multi-step flows ----------------------------------------------------------


class NonceAuth(httprs.Auth):
    """Sends the request bare; on a 401 from /protected reads the token from the response
    body (so it needs ``requires_response_body``) and retries the same request with it."""

    requires_response_body = True

    def __init__(self) -> None:
        self.statuses: list[int] = []
        self.bodies: list[dict] = []

    def auth_flow(self, request):
        response = yield request
        self.statuses.append(response.status_code)
        if response.status_code == 401:
            body = response.json()
            self.bodies.append(body)
            assert response.text.startswith("{")
            assert response.content == response.text.encode()
            request.headers["Authorization"] = f"Bearer {body['nonce']}"
            response = yield request
            self.statuses.append(response.status_code)


async def test_auth_flow_retries_after_401(driver, server):
    auth = NonceAuth()
    async with driver.client() as c:
        response = await c.get(server.url + "/protected?token=n0nce", auth=auth)
    assert auth.statuses == [401, 200]
    assert auth.bodies == [{"status": 401, "nonce": "n0nce"}]
    assert response.status_code == 200
    assert echo_headers(response.json(), "authorization") == ["Bearer n0nce"]
    # The 401 is kept in the history, read and closed.
    assert [r.status_code for r in response.history] == [401]
    (challenge,) = response.history
    assert challenge.headers["www-authenticate"] == 'Bearer realm="test"'
    assert challenge.json() == {"status": 401, "nonce": "n0nce"}
    assert challenge.is_closed
    assert response.request is challenge.request  # the same request object, retried


async def test_auth_flow_on_the_client_applies_to_every_request(driver, server):
    auth = NonceAuth()
    async with driver.client(auth=auth) as c:
        assert (await c.get(server.url + "/protected?token=a")).status_code == 200
        assert (await c.post(server.url + "/echo", content=b"no challenge")).status_code == 200
    assert auth.statuses == [401, 200, 200]


class BodySigningAuth(httprs.Auth):
    """Needs the request body (``requires_request_body``) to sign it; also answers the
    /protected challenge, which makes the client send the body a second time."""

    requires_request_body = True
    requires_response_body = True

    def __init__(self) -> None:
        self.seen_bodies: list[bytes] = []

    def auth_flow(self, request):
        self.seen_bodies.append(request.content)
        request.headers["X-Body-Sha256"] = hashlib.sha256(request.content).hexdigest()
        response = yield request
        if response.status_code == 401:
            request.headers["Authorization"] = f"Bearer {response.json()['nonce']}"
            yield request


async def test_auth_flow_reads_a_streaming_request_body(driver, server):
    auth = BodySigningAuth()
    body = driver.iter_content(b"first,", b"second,", b"third")
    async with driver.client() as c:
        response = await c.post(server.url + "/protected", content=body, auth=auth)
    assert response.status_code == 200
    data = response.json()
    # The whole body was available to the flow, and was sent in full on the retry.
    assert auth.seen_bodies == [b"first,second,third"]
    assert echo_body(data) == b"first,second,third"
    digest = hashlib.sha256(b"first,second,third").hexdigest()
    assert echo_headers(data, "x-body-sha256") == [digest]
    assert [r.status_code for r in response.history] == [401]


class RetryWithoutReadingBody(httprs.Auth):
    def auth_flow(self, request):
        response = yield request
        if response.status_code == 401:
            request.headers["Authorization"] = "Bearer secret"
            yield request


async def test_retrying_a_generator_body_without_requires_request_body(driver, server):
    # A generator can only be sent once: a retry needs ``requires_request_body = True``.
    body = driver.iter_content(b"once")
    async with driver.client() as c:
        with pytest.raises(httprs.StreamConsumed):
            await c.post(server.url + "/protected", content=body, auth=RetryWithoutReadingBody())
        # Bytes bodies can be re-sent.
        response = await c.post(
            server.url + "/protected", content=b"bytes", auth=RetryWithoutReadingBody()
        )
    assert response.status_code == 200
    assert response.json()["body"] == "bytes"


class SplitFlowAuth(httprs.Auth):
    """Overrides ``sync_auth_flow`` and ``async_auth_flow`` directly (not ``auth_flow``)."""

    def __init__(self) -> None:
        self.used: list[str] = []

    def auth_flow(self, request):  # pragma: no cover - must not be used
        raise AssertionError("auth_flow should not be called")

    def sync_auth_flow(self, request):
        self.used.append("sync")
        request.headers["Authorization"] = "Flow sync"
        response = yield request
        self.used.append(f"sync got {response.status_code}")

    async def async_auth_flow(self, request):
        self.used.append("async")
        request.headers["Authorization"] = "Flow async"
        response = yield request
        self.used.append(f"async got {response.status_code}")


async def test_sync_and_async_auth_flow_overrides(driver, server):
    auth = SplitFlowAuth()
    async with driver.client() as c:
        data = (await c.get(server.url + "/echo", auth=auth)).json()
    kind = "async" if driver.is_async else "sync"
    assert echo_headers(data, "authorization") == [f"Flow {kind}"]
    assert auth.used == [kind, f"{kind} got 200"]


class Boom(Exception):
    pass


class FailingAuth(httprs.Auth):
    def __init__(self, when: str) -> None:
        self.when = when

    def auth_flow(self, request):
        if self.when == "before":
            raise Boom("before sending")
        response = yield request
        raise Boom(f"after {response.status_code}")


@pytest.mark.parametrize("when", ["before", "after"])
async def test_exceptions_in_auth_flows_propagate(driver, server, when):
    async with driver.client() as c:
        with pytest.raises(Boom) as info:
            await c.get(server.url + "/echo", auth=FailingAuth(when))
        assert str(info.value) == ("before sending" if when == "before" else "after 200")

        def failing_callable(request):
            raise Boom("callable")

        with pytest.raises(Boom, match="callable"):
            await c.get(server.url + "/echo", auth=failing_callable)
        # The client is still usable.
        assert (await c.get(server.url + "/echo")).status_code == 200


# --- NetRCAuth ----------------------------------------------------------------------------------


@pytest.fixture
def netrc_file(tmp_path):
    path = tmp_path / "netrc"
    path.write_text(
        "machine 127.0.0.1\n"
        "  login netrc-user\n"
        "  password netrc-pass\n"
        "machine other.invalid login other password other-pass\n"
    )
    path.chmod(0o600)
    return path


async def test_netrc_auth(driver, server, netrc_file):
    auth = httprs.NetRCAuth(file=str(netrc_file))
    async with driver.client(auth=auth) as c:
        data = (await c.get(server.url + "/echo")).json()
    assert echo_headers(data, "authorization") == [basic_auth("netrc-user", "netrc-pass")]


async def test_netrc_auth_without_a_matching_machine(driver, server, tmp_path):
    path = tmp_path / "netrc"
    path.write_text("machine other.invalid login other password other-pass\n")
    async with driver.client() as c:
        response = await c.get(server.url + "/echo", auth=httprs.NetRCAuth(file=str(path)))
    assert echo_headers(response.json(), "authorization") == []


async def test_netrc_auth_default_entry(driver, server, tmp_path):
    path = tmp_path / "netrc"
    path.write_text("machine other.invalid login x password y\ndefault login dflt password dp\n")
    async with driver.client() as c:
        response = await c.get(server.url + "/echo", auth=httprs.NetRCAuth(file=str(path)))
    assert echo_headers(response.json(), "authorization") == [basic_auth("dflt", "dp")]
