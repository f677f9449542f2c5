"""The extension's DigestAuth class on its own (no client, no server).

``_header_for_challenge`` / ``_header_for_request`` are the Python views of the Rust API the
client pipeline calls; the headers they build are compared with httpx 0.28.1's own
``DigestAuth._build_auth_header`` (the reference) given the same client nonce.
"""

from __future__ import annotations

import hashlib
import re
import threading

import pytest

ext = pytest.importorskip("httprs._httprs")  # skipped under the httpx shim
DigestAuth = ext.DigestAuth

import httprs  # noqa: E402

from tests.support.apps.digest_app import ALGORITHMS, expected_response  # noqa: E402

CHALLENGE = 'Digest realm="r@example.org", nonce="n0nce", qop="auth", opaque="opq"'


def fields(value: str) -> dict[str, str]:
    assert value.startswith("Digest ")
    out = {}
    for item in value[len("Digest ") :].split(", "):
        key, _, val = item.partition("=")
        out[key] = val[1:-1] if val.startswith('"') else val
    return out


# --- constructor ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "password"),
    [("user", "pass"), (b"user", b"pass"), ("user", b"pass"), ("", "")],
)
def test_accepts_str_and_bytes(username, password):
    assert isinstance(DigestAuth(username, password), DigestAuth)
    assert isinstance(DigestAuth(username=username, password=password), DigestAuth)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ((1, "pass"), "username"),
        ((None, "pass"), "username"),
        (("user", 1.5), "password"),
        (("user", None), "password"),
        ((bytearray(b"user"), "pass"), "username"),
    ],
)
def test_rejects_other_types(args, name):
    with pytest.raises(TypeError, match=f"^{name} must be str or bytes, got "):
        DigestAuth(*args)


def test_password_is_required():
    with pytest.raises(TypeError):
        DigestAuth("user")


def test_subclassable():
    class MyDigest(DigestAuth):
        pass

    auth = MyDigest("user", "pass")
    assert isinstance(auth, DigestAuth)
    assert auth._header_for_request("GET", "/") is None


# --- header building ------------------------------------------------------------------------


def test_no_header_before_a_challenge():
    auth = DigestAuth("user", "pass")
    assert auth._header_for_request("GET", "/") is None


@pytest.mark.parametrize("values", [[], ['Basic realm="x"'], ["Digest"], ["Bearer x"]])
def test_no_digest_challenge(values):
    auth = DigestAuth("user", "pass")
    assert auth._header_for_challenge("GET", "/", values) is None
    assert auth._header_for_request("GET", "/") is None


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_response_hash(algorithm):
    auth = DigestAuth("user", "pass")
    challenge = f'Digest realm="r", nonce="abc", qop="auth", algorithm={algorithm}'
    value = auth._header_for_challenge("PUT", "/p?q=1", [challenge])
    f = fields(value)
    assert f["algorithm"] == algorithm
    expected = expected_response(
        algorithm=algorithm,
        user="user",
        realm="r",
        password="pass",
        method="PUT",
        uri="/p?q=1",
        nonce="abc",
        nc="00000001",
        cnonce=f["cnonce"],
        qop="auth",
    )
    assert f["response"] == expected


def test_header_format_and_nonce_count():
    auth = DigestAuth("user", "pass")
    first = auth._header_for_challenge("GET", "/a?b=c", ['Basic realm="x"', CHALLENGE])
    assert re.fullmatch(
        r'Digest username="user", realm="r@example.org", nonce="n0nce", uri="/a\?b=c", '
        r'response="[0-9a-f]{32}", algorithm=MD5, opaque="opq", qop=auth, nc=00000001, '
        r'cnonce="[0-9a-f]{16}"',
        first,
    )
    second = auth._header_for_request("GET", "/other")
    third = auth._header_for_request("POST", "/other")
    assert (fields(second)["nc"], fields(third)["nc"]) == ("00000002", "00000003")
    assert fields(second)["uri"] == "/other"
    assert len({fields(v)["cnonce"] for v in (first, second, third)}) == 3
    # A new challenge resets the count.
    again = auth._header_for_challenge("GET", "/", [CHALLENGE.replace("n0nce", "n2")])
    assert (fields(again)["nc"], fields(again)["nonce"]) == ("00000001", "n2")
    assert fields(auth._header_for_request("GET", "/"))["nc"] == "00000002"


def test_legacy_form():
    auth = DigestAuth("user", "pass")
    value = auth._header_for_challenge("GET", "/", ['digest realm="r", nonce="n"'])
    assert set(fields(value)) == {"username", "realm", "nonce", "uri", "response", "algorithm"}
    md5 = hashlib.md5
    ha1 = md5(b"user:r:pass").hexdigest()
    ha2 = md5(b"GET:/").hexdigest()
    assert fields(value)["response"] == md5(f"{ha1}:n:{ha2}".encode()).hexdigest()


@pytest.mark.parametrize("qop", ["auth", "auth,auth-int", "auth-int, auth", None])
@pytest.mark.parametrize("algorithm", ALGORITHMS + [None])
@pytest.mark.parametrize("opaque", ["opq/+=", "", None])
def test_matches_httpx(qop, algorithm, opaque):
    httpx = pytest.importorskip("httpx")
    parts = ['realm="me@example.org"', 'nonce="0123abcd"']
    if algorithm:
        parts.append(f"algorithm={algorithm}")
    if qop:
        parts.append(f'qop="{qop}"')
    if opaque is not None:
        parts.append(f'opaque="{opaque}"')
    challenge = "Digest " + ", ".join(parts)
    uri = "/p%20a/th?x=%C3%A9&y"
    auth = DigestAuth("Mufasa", b"Circle of Life")
    ours = [auth._header_for_challenge("POST", uri, [challenge])]
    ours.append(auth._header_for_request("POST", uri))

    ref = httpx.DigestAuth("Mufasa", b"Circle of Life")
    request = httpx.Request("POST", "http://example.org" + uri)
    response = httpx.Response(401, headers={"www-authenticate": challenge}, request=request)
    parsed = ref._parse_challenge(request, response, challenge)
    for nc, value in enumerate(ours, start=1):
        cnonce = fields(value).get("cnonce")
        if cnonce is None and (algorithm or "").upper().endswith("-SESS"):
            continue  # legacy -sess: the random cnonce is hashed but not sent
        fixed = (cnonce or "x").encode()
        ref._get_client_nonce = lambda *_, c=fixed: c
        ref._nonce_count = nc
        assert value == ref._build_auth_header(request, parsed)


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "challenge",
    [
        'Digest nonce="n"',
        'Digest realm="r"',
        'Digest realm="r", nonce="n", bogus',
    ],
)
def test_malformed_challenge(challenge):
    auth = DigestAuth("user", "pass")
    with pytest.raises(httprs.ProtocolError, match="Malformed Digest WWW-Authenticate header"):
        auth._header_for_challenge("GET", "/", [challenge])
    assert auth._header_for_request("GET", "/") is None


def test_unsupported_algorithm():
    auth = DigestAuth("user", "pass")
    with pytest.raises(httprs.ProtocolError, match="SHA-512-256"):
        auth._header_for_challenge(
            "GET", "/", ['Digest realm="r", nonce="n", algorithm=SHA-512-256']
        )


def test_auth_int_only():
    auth = DigestAuth("user", "pass")
    with pytest.raises(NotImplementedError, match="Digest auth-int support is not yet implemented"):
        auth._header_for_challenge("GET", "/", ['Digest realm="r", nonce="n", qop="auth-int"'])


def test_unexpected_qop():
    auth = DigestAuth("user", "pass")
    with pytest.raises(httprs.ProtocolError, match="Unexpected qop value"):
        auth._header_for_challenge("GET", "/", ['Digest realm="r", nonce="n", qop="bogus"'])


def test_header_injection_refused():
    auth = DigestAuth("user\r\nX-Evil: 1", "pass")
    with pytest.raises(httprs.LocalProtocolError):
        auth._header_for_challenge("GET", "/", [CHALLENGE])


def test_concurrent_requests_get_distinct_counts():
    auth = DigestAuth("user", "pass")
    auth._header_for_challenge("GET", "/", [CHALLENGE])
    seen = []
    lock = threading.Lock()

    def worker():
        for _ in range(50):
            nc = fields(auth._header_for_request("GET", "/"))["nc"]
            with lock:
                seen.append(int(nc, 16))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(seen) == list(range(2, 2 + 8 * 50))
