"""DigestAuth end to end, through Client and AsyncClient, against the Digest app of
tests/support/apps/digest_app.py served by uvicorn.

The server recomputes every response hash, checks the echoed fields and refuses replayed nonce
counts, so a 200 means the Authorization header was right. The ``async def`` tests run on
``sync``, ``async-asyncio`` and ``async-trio`` (tests/drivers.py); the plain ``def``
ones use the sync client only.
"""

from __future__ import annotations

import re

import httprs
import pytest

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.apps.digest_app import ALGORITHMS, DigestApp
from tests.support.servers.asgi import start_uvicorn

pytestmark = pytest.mark.anyio

# Legacy (RFC 2069, no qop) with a -sess algorithm cannot work: the session key needs the
# cnonce, which that form does not send.
LEGACY_ALGORITHMS = ["MD5", "SHA", "SHA-256", "SHA-512"]

HEADER_RE = re.compile(
    r'^Digest username="(?P<username>[^"]*)", realm="(?P<realm>[^"]*)", '
    r'nonce="(?P<nonce>[^"]*)", uri="(?P<uri>[^"]*)", response="(?P<response>[0-9a-f]+)", '
    r"algorithm=(?P<algorithm>[^,\s]+)"
    r'(?:, opaque="(?P<opaque>[^"]*)")?'
    r'(?:, qop=(?P<qop>auth), nc=(?P<nc>[0-9a-f]{8}), cnonce="(?P<cnonce>[0-9a-f]{16})")?$'
)


@pytest.fixture(scope="module")
def digest_url():
    with start_uvicorn(DigestApp()) as handle:
        yield handle.url


def parse_authorization(value: str) -> dict:
    match = HEADER_RE.match(value)
    assert match, value
    return match.groupdict()


def sent_authorization(response) -> dict:
    """The fields of the Authorization header the server received for ``response``."""
    return parse_authorization(response.json()["authorization"])


def assert_one_challenge(response, nc: int | None = 1) -> dict:
    assert response.status_code == 200, response.json()
    assert [r.status_code for r in response.history] == [401]
    # (httpx re-sends the same Request object: don't inspect history[0].request.)
    assert response.history[0].json()["authorization"] is None
    body = response.json()
    assert body["authenticated"] is True
    assert body["nc"] == nc
    assert response.request.headers["authorization"] == body["authorization"]
    return body


# --- the async def tests run on both clients, the plain def ones on Client --------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
async def test_algorithms_qop_auth(driver, digest_url, algorithm):
    auth = httprs.DigestAuth("u", "p")
    url = f"{digest_url}/digest?algorithm={algorithm}&user=u&password=p"
    async with driver.client() as c:
        response = await c.get(url, auth=auth)
    assert_one_challenge(response)
    fields = sent_authorization(response)
    assert fields["algorithm"] == algorithm  # echoed verbatim
    assert fields["username"] == "u"
    assert fields["realm"] == "digest@example.org"
    assert fields["uri"] == f"/digest?algorithm={algorithm}&user=u&password=p"
    assert (fields["qop"], fields["nc"]) == ("auth", "00000001")
    assert fields["opaque"] == "opaque-token"


@pytest.mark.parametrize("algorithm", LEGACY_ALGORITHMS)
async def test_legacy_no_qop(driver, digest_url, algorithm):
    for opaque, expected_opaque in (("", "opaque-token"), ("&opaque=", None)):
        async with driver.client(auth=httprs.DigestAuth("user", "pass")) as c:
            response = await c.get(f"{digest_url}/digest?algorithm={algorithm}&qop={opaque}")
        assert_one_challenge(response, nc=None)
        fields = sent_authorization(response)
        assert fields["qop"] is None and fields["nc"] is None and fields["cnonce"] is None
        assert fields["algorithm"] == algorithm
        assert fields["opaque"] == expected_opaque


def test_default_algorithm_is_md5(digest_url):
    with httprs.Client(auth=httprs.DigestAuth("user", "pass")) as client:
        response = client.get(f"{digest_url}/digest?algorithm=")
    assert_one_challenge(response)
    assert "algorithm" not in response.history[0].headers["www-authenticate"]
    assert sent_authorization(response)["algorithm"] == "MD5"


def test_qop_auth_chosen_among_several(digest_url):
    with httprs.Client(auth=httprs.DigestAuth("user", "pass")) as client:
        response = client.get(f"{digest_url}/digest?qop=auth,auth-int&algorithm=SHA-256")
    assert_one_challenge(response)
    assert sent_authorization(response)["qop"] == "auth"


def test_opaque_echoed_or_omitted(digest_url):
    with httprs.Client(auth=httprs.DigestAuth("user", "pass")) as client:
        echoed = client.get(f"{digest_url}/digest?opaque=xyz%2F123")
        omitted = client.get(f"{digest_url}/digest?opaque=")
    assert_one_challenge(echoed)
    assert sent_authorization(echoed)["opaque"] == "xyz/123"
    # A new challenge for each URL (the options differ); the old nonce was answered first.
    assert omitted.status_code == 200
    assert sent_authorization(omitted)["opaque"] is None


def test_bytes_credentials(digest_url):
    with httprs.Client(auth=httprs.DigestAuth(b"user", b"pass")) as client:
        response = client.get(f"{digest_url}/digest?algorithm=SHA-512")
    assert_one_challenge(response)


def test_post_with_body(digest_url):
    with httprs.Client(auth=httprs.DigestAuth("user", "pass")) as client:
        response = client.post(f"{digest_url}/digest?algorithm=SHA-256", content=b"payload")
    assert_one_challenge(response)
    assert response.request.method == "POST"
    assert response.request.content == b"payload"


@pytest.mark.parametrize("algorithm", ["SHA-256", "SHA-512-SESS"])
async def test_nonce_count_increments_on_client_auth(driver, digest_url, algorithm):
    url = f"{digest_url}/digest?algorithm={algorithm}"
    async with driver.client(auth=httprs.DigestAuth("user", "pass")) as c:
        first = await c.get(url)
        second = await c.get(url)
        third = await c.get(url)
    body = assert_one_challenge(first)
    # The later requests answer the stored challenge up front: no 401 round trip.
    assert second.status_code == 200 and second.history == []
    assert third.status_code == 200 and third.history == []
    assert second.json()["nc"] == 2 and third.json()["nc"] == 3
    assert sent_authorization(second)["nc"] == "00000002"
    assert second.json()["nonce"] == body["nonce"]
    assert second.json()["cnonce"] != body["cnonce"]


def test_nonce_count_state_lives_on_the_auth_object(digest_url):
    url = f"{digest_url}/digest"
    auth = httprs.DigestAuth("user", "pass")
    with httprs.Client() as client:
        first = client.get(url, auth=auth)
        second = client.get(url, auth=auth)
    with httprs.Client() as other:
        third = other.get(url, auth=auth)
        unauthenticated = other.get(url, auth=httprs.DigestAuth("user", "pass"))
    assert_one_challenge(first)
    assert (second.json()["nc"], second.history) == (2, [])
    assert (third.json()["nc"], third.history) == (3, [])
    assert_one_challenge(unauthenticated)


@pytest.mark.parametrize("algorithm", ["SHA-256", "MD5"])
async def test_stale_nonce_retried_with_new_challenge(driver, digest_url, algorithm):
    url = f"{digest_url}/digest?algorithm={algorithm}&stale_once=1"
    async with driver.client(auth=httprs.DigestAuth("user", "pass")) as c:
        first = await c.get(url)
        second = await c.get(url)
        third = await c.get(url)
    old_nonce = assert_one_challenge(first)["nonce"]
    # The stored challenge is sent (nc 2), refused as stale, answered anew (nc 1).
    assert second.status_code == 200
    assert [r.status_code for r in second.history] == [401]
    stale = second.history[0]
    assert "stale=true" in stale.headers["www-authenticate"]
    assert sent_authorization(stale)["nc"] == "00000002"
    assert sent_authorization(stale)["nonce"] == old_nonce
    assert second.json()["nc"] == 1 and second.json()["nonce"] != old_nonce
    assert sent_authorization(second)["nc"] == "00000001"
    assert (third.json()["nc"], third.history) == (2, [])


async def test_401_without_digest_challenge_returned_as_is(driver, digest_url):
    async with driver.client(auth=httprs.DigestAuth("user", "pass")) as c:
        response = await c.get(f"{digest_url}/basic-only")
    assert response.status_code == 401
    assert response.history == []
    assert response.headers["www-authenticate"] == 'Basic realm="basic"'
    assert "authorization" not in response.request.headers


def test_first_digest_challenge_picked(digest_url):
    with httprs.Client(auth=httprs.DigestAuth("user", "pass")) as client:
        response = client.get(f"{digest_url}/digest?basic_first=1&algorithm=SHA")
    assert_one_challenge(response)
    assert response.history[0].headers.get_list("www-authenticate")[0].startswith("Basic ")


async def test_wrong_password_final_401(driver, digest_url):
    async with driver.client(auth=httprs.DigestAuth("user", "wrong")) as c:
        response = await c.get(f"{digest_url}/digest")
    assert response.status_code == 401
    assert [r.status_code for r in response.history] == [401]
    assert response.json()["reason"] == "wrong response (bad password?)"
    assert sent_authorization(response)["nc"] == "00000001"


async def test_malformed_challenge_is_protocol_error(driver, digest_url):
    async with driver.client(auth=httprs.DigestAuth("user", "pass")) as c:
        with pytest.raises(httprs.ProtocolError):
            await c.get(f"{digest_url}/digest?malformed=1")


def test_auth_int_only_not_supported(digest_url):
    # httpx raises NotImplementedError; httprs raises a ProtocolError (same message).
    with httprs.Client(auth=httprs.DigestAuth("user", "pass")) as client:
        with pytest.raises(
            (NotImplementedError, httprs.ProtocolError),
            match="Digest auth-int support is not yet implemented",
        ):
            client.get(f"{digest_url}/digest?qop=auth-int")
