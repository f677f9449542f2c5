"""TLS material (trustme) and TLS servers for the network tests.

A test module imports the fixtures it uses::

    from tests.support.tls_fixtures import tls_certs_fixture, tls_server_fixture  # noqa: F401

(The functions are named ``*_fixture``; the fixtures themselves are ``tls_certs``, ...)

``tls_certs`` (session) is a :class:`TLSCerts`: a trustme CA and PEM files in a temporary
directory. The servers (session scoped) serve a :class:`tests.support.servers.asgi.RecordingApp`
(``.app`` on the handle) over TLS on 127.0.0.1:

- ``tls_server`` – uvicorn (HTTP/1.1 only, no ALPN), certificate for 127.0.0.1 + localhost;
- ``wrong_host_tls_server`` – uvicorn with a certificate for ``other.example`` only;
- ``mtls_server`` – uvicorn that requires a client certificate issued by the same CA;
- ``h2_server`` – hypercorn with ALPN ``h2`` + ``http/1.1``;
- ``self_signed_tls_server`` – uvicorn presenting a self-signed certificate (another CA's own);
- ``expired_tls_server`` – uvicorn with a certificate from the test CA that expired yesterday.

``ca_dir`` (session) is a directory holding the test CA as OpenSSL's ``capath`` wants it:
under its subject hash (``<hash>.0``, as ``openssl rehash`` names it), and as ``ca.pem``.

Nothing here trusts the machine's CA store: clients get the CA explicitly (``verify=``).
"""

from __future__ import annotations

import dataclasses
import datetime
import pathlib
import shutil
import ssl
import subprocess

import pytest
import trustme

from tests.support.servers.asgi import RecordingApp, start_hypercorn, start_uvicorn


@dataclasses.dataclass
class TLSCerts:
    ca: trustme.CA
    ca_pem: str  # the CA certificate
    server_cert: str  # chain for 127.0.0.1 / localhost
    server_key: str
    other_cert: str  # chain for other.example only
    other_key: str
    client_cert: str  # client certificate (for mTLS)
    client_key: str
    client_combined: str  # client key + certificate chain in one file

    def context(self) -> ssl.SSLContext:
        """A client context trusting only the test CA."""
        return ssl.create_default_context(cafile=self.ca_pem)


def _write_leaf(leaf, directory: pathlib.Path, name: str) -> tuple[str, str, str]:
    cert = directory / f"{name}.pem"
    key = directory / f"{name}.key"
    combined = directory / f"{name}-combined.pem"
    for i, blob in enumerate(leaf.cert_chain_pems):
        blob.write_to_path(str(cert), append=i > 0)
    leaf.private_key_pem.write_to_path(str(key))
    leaf.private_key_and_cert_chain_pem.write_to_path(str(combined))
    return str(cert), str(key), str(combined)


@pytest.fixture(name="tls_certs", scope="session")
def tls_certs_fixture(tmp_path_factory) -> TLSCerts:
    directory = tmp_path_factory.mktemp("tls")
    ca = trustme.CA()
    ca_pem = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    server_cert, server_key, _ = _write_leaf(
        ca.issue_cert("127.0.0.1", "localhost"), directory, "server"
    )
    other_cert, other_key, _ = _write_leaf(ca.issue_cert("other.example"), directory, "other")
    client_cert, client_key, client_combined = _write_leaf(
        ca.issue_cert("client.example"), directory, "client"
    )
    return TLSCerts(
        ca=ca,
        ca_pem=str(ca_pem),
        server_cert=server_cert,
        server_key=server_key,
        other_cert=other_cert,
        other_key=other_key,
        client_cert=client_cert,
        client_key=client_key,
        client_combined=client_combined,
    )


def _uvicorn_tls(certfile: str, keyfile: str, **options):
    return start_uvicorn(
        RecordingApp(), scheme="https", ssl_certfile=certfile, ssl_keyfile=keyfile, **options
    )


@pytest.fixture(name="tls_server", scope="session")
def tls_server_fixture(tls_certs):
    with _uvicorn_tls(tls_certs.server_cert, tls_certs.server_key) as handle:
        yield handle


@pytest.fixture(name="wrong_host_tls_server", scope="session")
def wrong_host_tls_server_fixture(tls_certs):
    with _uvicorn_tls(tls_certs.other_cert, tls_certs.other_key) as handle:
        yield handle


@pytest.fixture(name="mtls_server", scope="session")
def mtls_server_fixture(tls_certs):
    with _uvicorn_tls(
        tls_certs.server_cert,
        tls_certs.server_key,
        ssl_ca_certs=tls_certs.ca_pem,
        ssl_cert_reqs=ssl.CERT_REQUIRED,
    ) as handle:
        yield handle


@pytest.fixture(name="h2_server", scope="session")
def h2_server_fixture(tls_certs):
    with start_hypercorn(
        RecordingApp(), certfile=tls_certs.server_cert, keyfile=tls_certs.server_key
    ) as handle:
        yield handle


@pytest.fixture(name="ca_dir", scope="session")
def ca_dir_fixture(tls_certs, tmp_path_factory) -> str:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command for the subject hash of a capath entry")
    directory = tmp_path_factory.mktemp("capath")
    subject_hash = subprocess.run(
        [openssl, "x509", "-hash", "-noout", "-in", tls_certs.ca_pem],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    shutil.copy(tls_certs.ca_pem, directory / "ca.pem")
    shutil.copy(tls_certs.ca_pem, directory / f"{subject_hash}.0")
    return str(directory)


@pytest.fixture(name="self_signed_tls_server", scope="session")
def self_signed_tls_server_fixture(tmp_path_factory):
    # A CA's own certificate is self-signed: served as the server's, it is what OpenSSL calls
    # "self-signed certificate" (its chain fails before its names are looked at).
    directory = tmp_path_factory.mktemp("self-signed")
    ca = trustme.CA()
    cert, key = directory / "cert.pem", directory / "key.pem"
    ca.cert_pem.write_to_path(str(cert))
    ca.private_key_pem.write_to_path(str(key))
    with _uvicorn_tls(str(cert), str(key)) as handle:
        yield handle


@pytest.fixture(name="expired_tls_server", scope="session")
def expired_tls_server_fixture(tls_certs, tmp_path_factory):
    now = datetime.datetime.now(datetime.UTC)
    leaf = tls_certs.ca.issue_cert(
        "127.0.0.1",
        "localhost",
        not_before=now - datetime.timedelta(days=30),
        not_after=now - datetime.timedelta(days=1),
    )
    cert, key, _ = _write_leaf(leaf, tmp_path_factory.mktemp("expired"), "expired")
    with _uvicorn_tls(cert, key) as handle:
        yield handle
