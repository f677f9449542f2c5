"""TLS as in httpx 0.28.1, against uvicorn over TLS with trustme certificates.

Covers ``verify=`` (CA file path, ``ssl.SSLContext`` with its CA certificates loaded every
way, ``False``, the default), hostname checking, ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` with and
without ``trust_env``, the messages of failed verifications (OpenSSL's words, as httpx shows
them), and client certificates (``cert=``) against a server that requires them. Every test runs on ``sync``, ``async-asyncio`` and
``async-trio`` (tests/drivers.py). Nothing depends on the machine's CA store: the test CA is
never in it, and tests about the default store only assert that the test CA is not trusted.
"""

from __future__ import annotations

import os
import pathlib
import socket
import ssl
import sys

import httprs
import pytest
import trustme

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.servers.threaded import ThreadedServer
from tests.support.tls_fixtures import (  # noqa: F401
    ca_dir_fixture,
    expired_tls_server_fixture,
    mtls_server_fixture,
    self_signed_tls_server_fixture,
    tls_certs_fixture,
    tls_server_fixture,
    wrong_host_tls_server_fixture,
)

IS_HTTPX = httprs.Client.__module__.startswith("httpx")

pytestmark = [
    pytest.mark.anyio,
    # httpx 0.28 deprecates ``verify=<str>`` and ``cert=...`` (they still work).
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]


@pytest.fixture
def no_ca_env(monkeypatch):
    """No CA-bundle environment variables (the test environment sets SSL_CERT_FILE)."""
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)


def error_text(exc: BaseException) -> str:
    """The message of ``exc`` and of its causes, lowercased.

    (httpx on trio raises ``ConnectError('')`` chained from the ``ssl`` error that has the
    message, so the whole chain is searched.)
    """
    parts = []
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        parts.append(str(exc))
        exc = exc.__cause__ or exc.__context__
    return " | ".join(parts).lower()


async def assert_ok(c, url):
    response = await c.get(url + "/echo")
    assert response.status_code == 200
    assert response.json()["path"] == "/echo"
    assert response.url.scheme == "https"
    return response


# --- verify= ----------------------------------------------------------------------------------


async def test_verify_with_a_ca_file_path(driver, tls_server, tls_certs):
    async with driver.client(verify=tls_certs.ca_pem) as c:
        response = await assert_ok(c, tls_server.url)
    assert response.http_version == "HTTP/1.1"


async def test_verify_with_an_ssl_context(driver, tls_server, tls_certs):
    context = ssl.create_default_context(cafile=tls_certs.ca_pem)
    async with driver.client(verify=context) as c:
        await assert_ok(c, tls_server.url)
        # The connection is reused for a second request.
        await assert_ok(c, tls_server.url)


async def test_create_ssl_context_as_httpx(driver, tls_server, tls_certs, monkeypatch, tmp_path):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    context = httprs.create_ssl_context()
    assert (context.verify_mode, context.check_hostname) == (ssl.CERT_REQUIRED, True)
    off = httprs.create_ssl_context(verify=False)
    assert (off.verify_mode, off.check_hostname) == (ssl.CERT_NONE, False)
    keylog = str(tmp_path / "keys.log")
    monkeypatch.setenv("SSLKEYLOGFILE", keylog)
    assert httprs.create_ssl_context().keylog_filename == keylog
    # The context is what verify= uses: the test CA loaded into it is trusted...
    context.load_verify_locations(tls_certs.ca_pem)
    async with driver.client(verify=context) as c:
        await assert_ok(c, tls_server.url)
    # ... and a context without it refuses the test server.
    async with driver.client(verify=httprs.create_ssl_context()) as c:
        with pytest.raises(httprs.ConnectError):
            await c.get(tls_server.url)
    async with driver.client(verify=off) as c:
        await assert_ok(c, tls_server.url)
    with pytest.warns(DeprecationWarning):
        from_path = httprs.create_ssl_context(verify=tls_certs.ca_pem)
    async with driver.client(verify=from_path) as c:
        await assert_ok(c, tls_server.url)


async def test_verify_on_the_transport(driver, tls_server, tls_certs):
    transport = driver.http_transport(verify=tls_certs.context())
    async with driver.client(transport=transport) as c:
        await assert_ok(c, tls_server.url)


async def test_localhost_name_is_verified_too(driver, tls_server, tls_certs):
    async with driver.client(verify=tls_certs.context()) as c:
        response = await c.get(f"https://localhost:{tls_server.port}/echo")
    assert response.status_code == 200


@pytest.mark.parametrize("trust_env", [False, True], ids=["trust_env=False", "no-env"])
async def test_default_verify_refuses_an_unknown_ca(driver, tls_server, no_ca_env, trust_env):
    async with driver.client(trust_env=trust_env) as c:
        with pytest.raises(httprs.ConnectError) as exc_info:
            await c.get(tls_server.url + "/echo")
    # httpx: "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local
    # issuer certificate (_ssl.c:...)".
    assert "certificate" in error_text(exc_info.value), error_text(exc_info.value)


async def test_default_verify_refuses_an_unknown_ca_with_the_env_default(driver, tls_server):
    # Whatever SSL_CERT_FILE the environment has (or none), the test CA is not in it.
    async with driver.client() as c:
        with pytest.raises(httprs.ConnectError):
            await c.get(tls_server.url + "/echo")


async def test_verify_false_accepts_an_untrusted_server(driver, tls_server, no_ca_env):
    async with driver.client(verify=False) as c:
        await assert_ok(c, tls_server.url)


async def test_wrong_hostname_is_refused(driver, wrong_host_tls_server, tls_certs):
    # Certificate for other.example, from a trusted CA, served on 127.0.0.1.
    async with driver.client(verify=tls_certs.context()) as c:
        with pytest.raises(httprs.ConnectError) as exc_info:
            await c.get(wrong_host_tls_server.url + "/echo")
    # httpx: "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: IP address mismatch,
    # certificate is not valid for '127.0.0.1'. (_ssl.c:...)".
    assert "certificate" in error_text(exc_info.value), error_text(exc_info.value)


async def test_wrong_hostname_is_refused_by_name_too(driver, wrong_host_tls_server, tls_certs):
    async with driver.client(verify=tls_certs.context()) as c:
        with pytest.raises(httprs.ConnectError):
            await c.get(f"https://localhost:{wrong_host_tls_server.port}/echo")


async def test_verify_false_accepts_a_wrong_hostname(driver, wrong_host_tls_server):
    async with driver.client(verify=False) as c:
        await assert_ok(c, wrong_host_tls_server.url)


async def test_a_failed_handshake_leaves_the_client_usable(
    driver, tls_server, wrong_host_tls_server, tls_certs
):
    async with driver.client(verify=tls_certs.context()) as c:
        with pytest.raises(httprs.ConnectError):
            await c.get(wrong_host_tls_server.url + "/echo")
        await assert_ok(c, tls_server.url)


# --- CA certificates loaded into an SSLContext, every way ----------------------------------


async def test_ssl_context_with_cadata_pem(driver, tls_server, tls_certs):
    context = ssl.create_default_context(cadata=tls_certs.ca.cert_pem.bytes().decode())
    async with driver.client(verify=context) as c:
        await assert_ok(c, tls_server.url)


async def test_ssl_context_with_cadata_der(driver, tls_server, tls_certs):
    der = ssl.PEM_cert_to_DER_cert(tls_certs.ca.cert_pem.bytes().decode())
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(cadata=der)
    async with driver.client(verify=context) as c:
        await assert_ok(c, tls_server.url)


async def test_ssl_context_cafile_only_trusts_it(driver, tls_server, tls_certs, tmp_path):
    # A context with another CA's file refuses the test server: nothing else is added.
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    async with driver.client(verify=ssl.create_default_context(cafile=str(other))) as c:
        with pytest.raises(httprs.ConnectError):
            await c.get(tls_server.url)


async def test_verify_with_a_ca_directory(driver, tls_server, ca_dir):
    async with driver.client(verify=ca_dir) as c:
        await assert_ok(c, tls_server.url)


async def test_create_ssl_context_with_a_ca_directory(driver, tls_server, ca_dir, no_ca_env):
    with pytest.warns(DeprecationWarning):
        context = httprs.create_ssl_context(verify=ca_dir)
    async with driver.client(verify=context) as c:
        await assert_ok(c, tls_server.url)
    async with driver.client(transport=driver.http_transport(verify=context)) as c:
        await assert_ok(c, tls_server.url)


async def test_create_ssl_context_with_ssl_cert_dir(driver, tls_server, ca_dir, monkeypatch):
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.setenv("SSL_CERT_DIR", ca_dir)
    async with driver.client(verify=httprs.create_ssl_context()) as c:
        await assert_ok(c, tls_server.url)


async def test_default_context_reads_ssl_cert_dir(driver, tls_server, ca_dir, monkeypatch):
    # ssl.create_default_context() loads OpenSSL's default locations, which SSL_CERT_FILE /
    # SSL_CERT_DIR name: here no file exists, and the directory holds the test CA.
    monkeypatch.setenv("SSL_CERT_FILE", str(pathlib.Path(ca_dir) / "missing.pem"))
    monkeypatch.setenv("SSL_CERT_DIR", ca_dir)
    context = ssl.create_default_context()
    assert context.get_ca_certs() == []
    async with driver.client(verify=context) as c:
        await assert_ok(c, tls_server.url)


async def test_default_context_reads_the_default_directory_too(
    driver, tls_server, ca_dir, monkeypatch, tmp_path
):
    # Both default locations exist: OpenSSL trusts the file's certificates and the
    # directory's (the test CA is only in the directory).
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    monkeypatch.setenv("SSL_CERT_FILE", str(other))
    monkeypatch.setenv("SSL_CERT_DIR", ca_dir)
    async with driver.client(verify=ssl.create_default_context()) as c:
        await assert_ok(c, tls_server.url)


async def test_ssl_cert_dir_may_list_directories(driver, tls_server, ca_dir, monkeypatch, tmp_path):
    # As OpenSSL reads SSL_CERT_DIR: directories separated as in PATH.
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.setenv("SSL_CERT_DIR", os.pathsep.join([str(tmp_path), ca_dir]))
    async with driver.client() as c:
        await assert_ok(c, tls_server.url)


@pytest.mark.xfail(
    not IS_HTTPX,
    strict=True,
    reason="a capath loaded into an ssl.SSLContext by the user cannot be read out of it "
    "(OpenSSL loads it on demand, Python lists none of it); httprs.create_ssl_context(verify=dir) "
    "or verify=dir work (README)",
)
async def test_ssl_context_with_a_users_capath(driver, tls_server, ca_dir, no_ca_env):
    async with driver.client(verify=ssl.create_default_context(capath=ca_dir)) as c:
        await assert_ok(c, tls_server.url)


@pytest.mark.skipif(IS_HTTPX, reason="httprs's account of what it cannot see")
async def test_a_users_capath_failure_says_why(driver, tls_server, ca_dir, no_ca_env):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.load_verify_locations(capath=ca_dir)
    async with driver.client(verify=context) as c:
        with pytest.raises(httprs.ConnectError) as exc_info:
            await c.get(tls_server.url)
    assert "unable to get local issuer certificate" in str(exc_info.value)
    notes = "\n".join(getattr(exc_info.value, "__notes__", []))
    assert "lists no CA certificates" in notes, notes
    assert "capath" in notes and "create_ssl_context" in notes, notes


# --- what a failed verification says (OpenSSL's words, as httpx shows them) -------------------

VERIFY_FAILED = "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "


async def failure(driver, url, **kwargs) -> str:
    """The ConnectError's text (its causes' too: httpx on trio says it only there)."""
    async with driver.client(**kwargs) as c:
        with pytest.raises(httprs.ConnectError) as exc_info:
            await c.get(url)
    if not IS_HTTPX:
        # OpenSSL's sentence without the `(_ssl.c:NNNN)` place, and rustls's account in a note.
        assert "_ssl.c" not in str(exc_info.value)
        assert any(
            "invalid peer certificate" in n or "corrupt message" in n
            for n in exc_info.value.__notes__
        ), exc_info.value.__notes__
    return error_text(exc_info.value)


async def test_self_signed_message(driver, self_signed_tls_server, tls_certs):
    text = await failure(driver, self_signed_tls_server.url, verify=tls_certs.context())
    assert (VERIFY_FAILED + "self-signed certificate").lower() in text, text


async def test_unknown_issuer_message(driver, tls_server):
    context = ssl.create_default_context(cadata=trustme.CA().cert_pem.bytes().decode())
    text = await failure(driver, tls_server.url, verify=context)
    assert (VERIFY_FAILED + "unable to get local issuer certificate").lower() in text, text


async def test_expired_message(driver, expired_tls_server, tls_certs):
    text = await failure(driver, expired_tls_server.url, verify=tls_certs.context())
    assert (VERIFY_FAILED + "certificate has expired").lower() in text, text


async def test_hostname_mismatch_message(driver, wrong_host_tls_server, tls_certs):
    port = wrong_host_tls_server.port
    text = await failure(driver, f"https://localhost:{port}/", verify=tls_certs.context())
    expected = VERIFY_FAILED + "Hostname mismatch, certificate is not valid for 'localhost'."
    assert expected.lower() in text, text
    text = await failure(driver, f"https://127.0.0.1:{port}/", verify=tls_certs.context())
    expected = VERIFY_FAILED + "IP address mismatch, certificate is not valid for '127.0.0.1'."
    assert expected.lower() in text, text


async def test_plain_http_on_the_tls_port_message(driver, tls_certs):
    with PlainHTTPServer() as server:
        text = await failure(
            driver, f"https://127.0.0.1:{server.port}/", verify=tls_certs.context()
        )
    # OpenSSL 3.0's words; 3.2 and later say "[SSL] record layer failure".
    assert "wrong version number" in text or "record layer failure" in text, text


class PlainHTTPServer(ThreadedServer):
    """Answers whatever arrives with a plain-HTTP 400, as an HTTP server on the port would."""

    backlog = 8
    connection_timeout = 10.0

    def handle(self, conn: socket.socket) -> None:
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")


# --- SSL_CERT_FILE ----------------------------------------------------------------------------


async def test_ssl_cert_file_env_is_used_with_trust_env(driver, tls_server, tls_certs, monkeypatch):
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.setenv("SSL_CERT_FILE", tls_certs.ca_pem)
    async with driver.client(trust_env=True) as c:
        await assert_ok(c, tls_server.url)


async def test_ssl_cert_file_env_is_ignored_without_trust_env(
    driver, tls_server, tls_certs, monkeypatch
):
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    monkeypatch.setenv("SSL_CERT_FILE", tls_certs.ca_pem)
    async with driver.client(trust_env=False) as c:
        with pytest.raises(httprs.ConnectError):
            await c.get(tls_server.url + "/echo")


async def test_explicit_verify_wins_over_ssl_cert_file(
    driver, tls_server, tls_certs, monkeypatch, tmp_path
):
    # SSL_CERT_FILE only replaces the *default* store: an explicit context is used as given.
    other_ca = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other_ca))
    monkeypatch.setenv("SSL_CERT_FILE", str(other_ca))
    async with driver.client(verify=tls_certs.context(), trust_env=True) as c:
        await assert_ok(c, tls_server.url)


# --- client certificates (mTLS) ---------------------------------------------------------------


# (Not with ``verify=<path>``: httpx 0.28.1 then silently drops ``cert=``, a bug: its
# create_ssl_context() returns early for a string ``verify``.)


async def test_client_cert_and_key_files(driver, mtls_server, tls_certs):
    async with driver.client(
        verify=tls_certs.context(), cert=(tls_certs.client_cert, tls_certs.client_key)
    ) as c:
        await assert_ok(c, mtls_server.url)


async def test_client_cert_combined_file(driver, mtls_server, tls_certs):
    async with driver.client(verify=tls_certs.context(), cert=tls_certs.client_combined) as c:
        await assert_ok(c, mtls_server.url)


@pytest.mark.xfail(
    not httprs.Client.__module__.startswith("httpx"),
    strict=True,
    reason="httprs cannot read a client certificate out of an ssl.SSLContext (Python does not "
    "expose the loaded key); pass cert=(certfile, keyfile) instead (README)",
)
async def test_client_cert_with_an_ssl_context(driver, mtls_server, tls_certs):
    # httpx 0.28's recommended spelling: the chain is loaded into the verify context.
    context = tls_certs.context()
    context.load_cert_chain(tls_certs.client_cert, tls_certs.client_key)
    async with driver.client(verify=context) as c:
        await assert_ok(c, mtls_server.url)


async def test_client_cert_on_the_transport(driver, mtls_server, tls_certs):
    transport = driver.http_transport(
        verify=tls_certs.context(), cert=(tls_certs.client_cert, tls_certs.client_key)
    )
    async with driver.client(transport=transport) as c:
        await assert_ok(c, mtls_server.url)


async def test_no_client_cert_is_refused(driver, mtls_server, tls_certs):
    # With TLS 1.3 the client may finish its side of the handshake before the server rejects
    # it, so httpx raises ConnectError or ReadError (or RemoteProtocolError) depending on
    # timing: any TransportError.
    async with driver.client(verify=tls_certs.context()) as c:
        with pytest.raises(httprs.TransportError):
            await c.get(mtls_server.url + "/echo")


# --- an SSLContext's TLS versions ----------------------------------------------------------


class TLS13OnlyServer(ThreadedServer):
    """A raw HTTPS server that speaks TLS 1.3 only and answers every request with "ok"."""

    scheme = "https"
    backlog = 8
    connection_timeout = 10.0

    def __init__(self, certs) -> None:
        super().__init__()
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.minimum_version = ssl.TLSVersion.TLSv1_3
        self.context.load_cert_chain(certs.server_cert, certs.server_key)

    def handle(self, conn: socket.socket) -> None:
        # (A client that refuses TLS 1.3 fails the handshake here: an OSError, which ends it.)
        tls = self.track(self.context.wrap_socket(conn, server_side=True))
        try:
            if self.read_head(tls) is None:
                return
            body = self.body(tls)
            tls.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s"
                % (len(body), body)
            )
        finally:
            self.release(tls)

    def body(self, tls: ssl.SSLSocket) -> bytes:
        return b"ok"


@pytest.fixture
def tls13_server(tls_certs):
    with TLS13OnlyServer(tls_certs) as server:
        yield server


async def test_ssl_context_maximum_version_is_honoured(driver, tls13_server, tls_certs):
    context = tls_certs.context()
    async with driver.client(verify=context) as c:
        response = await c.get(tls13_server.url)
        assert response.text == "ok"
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    async with driver.client(verify=context) as c:
        with pytest.raises(httprs.ConnectError):
            await c.get(tls13_server.url)


async def test_ssl_context_minimum_version_is_honoured(driver, tls_server, tls_certs):
    context = tls_certs.context()
    context.minimum_version = ssl.TLSVersion.TLSv1_3
    async with driver.client(verify=context) as c:
        await assert_ok(c, tls_server.url)


@pytest.mark.parametrize("version", ["TLSv1", "TLSv1_1"])
def test_ssl_context_maximum_version_below_tls12_is_refused(tls_certs, version):
    # rustls has no TLS 1.0/1.1: refused when the client is made, naming the version, rather
    # than connecting with another one. (httpx would try it.)
    context = tls_certs.context()
    context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    context.maximum_version = getattr(ssl.TLSVersion, version)
    with pytest.raises(NotImplementedError, match=version):
        httprs.Client(verify=context)


# --- verify=httprs.SYSTEM_TRUST_STORE (httprs only: the operating system's store) ---------

system_store_only = pytest.mark.skipif(
    not hasattr(httprs, "SYSTEM_TRUST_STORE"), reason="an httprs opt-in; httpx has none"
)


@system_store_only
def test_system_trust_store_is_a_public_sentinel():
    assert "SYSTEM_TRUST_STORE" in httprs.__all__
    assert repr(httprs.SYSTEM_TRUST_STORE) == "<SYSTEM_TRUST_STORE>"


@system_store_only
async def test_system_trust_store_refuses_the_test_ca(driver, tls_server, no_ca_env):
    # The client is made with the machine's store, which does not hold the test CA.
    async with driver.client(verify=httprs.SYSTEM_TRUST_STORE) as c:
        with pytest.raises(httprs.ConnectError) as exc_info:
            await c.get(tls_server.url + "/echo")
    assert "certificate" in error_text(exc_info.value), error_text(exc_info.value)


@system_store_only
async def test_system_trust_store_on_the_transport(driver, tls_server, no_ca_env):
    transport = driver.http_transport(verify=httprs.SYSTEM_TRUST_STORE)
    async with driver.client(transport=transport) as c:
        with pytest.raises(httprs.ConnectError):
            await c.get(tls_server.url + "/echo")


@system_store_only
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="OpenSSL-style store lookup")
async def test_system_trust_store_is_the_one_openssl_finds(
    driver, tls_server, tls_certs, monkeypatch
):
    # On Linux the system store is read as OpenSSL finds it: SSL_CERT_FILE first, even with
    # trust_env=False (which keeps the default, bundled roots from looking at it).
    monkeypatch.setenv("SSL_CERT_FILE", tls_certs.ca_pem)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    async with driver.client(verify=httprs.SYSTEM_TRUST_STORE, trust_env=False) as c:
        await assert_ok(c, tls_server.url)
    async with driver.client(trust_env=False) as c:
        with pytest.raises(httprs.ConnectError):
            await c.get(tls_server.url + "/echo")


# --- TLS sessions: clients with the same settings share them ---------------------------------


class SessionServer(TLS13OnlyServer):
    """A raw HTTPS server (one server context, so its session tickets outlive a connection)
    that answers "resumed" on a connection that resumed an earlier TLS session, else "new"."""

    def body(self, tls: ssl.SSLSocket) -> bytes:
        return b"resumed" if tls.session_reused else b"new"


@pytest.fixture
def session_server(tls_certs):
    with SessionServer(tls_certs) as server:
        yield server


async def test_a_new_client_resumes_the_session_of_one_with_the_same_tls_settings(
    driver, session_server, tls_certs
):
    # A client made per request (issue 15's scenario I) skips the certificate exchange after
    # the first: the clients share one rustls configuration, and with it the session cache.
    seen = []
    for verify in (tls_certs.ca_pem, tls_certs.ca_pem, tls_certs.context()):
        async with driver.client(verify=verify) as c:
            seen.append((await c.get(session_server.url)).text)
    # An SSLContext is other settings (its own configuration): a full handshake first.
    assert seen == ["new", "resumed", "new"]
    async with driver.client(verify=tls_certs.ca_pem, http2=True) as c:
        assert (await c.get(session_server.url)).text == "new"  # ALPN differs
    async with driver.client(verify=tls_certs.ca_pem, cert=tls_certs.client_combined) as c:
        assert (await c.get(session_server.url)).text == "new"  # never shared


async def test_a_session_never_carries_over_to_another_server(driver, tls_certs):
    # Same address, same settings, another server (its own ticket keys): a full handshake,
    # with the certificate checked as always.
    for _ in range(2):
        with SessionServer(tls_certs) as server:
            async with driver.client(verify=tls_certs.ca_pem) as c:
                assert (await c.get(server.url)).text == "new"
