"""`Proxy` and `create_ssl_context`, as httpx has them.

Both are Python by nature: a `Proxy` is plain configuration that the client reads (its URL,
credentials and headers go to the Rust network transport), and `create_ssl_context` builds
Python's own `ssl.SSLContext`, which `verify=` accepts (its CA certificates, verification mode,
hostname check and TLS versions are honoured; see the README's TLS notes).
"""

from __future__ import annotations

import os

from ._httprs import URL, Headers

# For the type checkers only: `ssl` is imported when a context is made (it costs ~12 ms),
# `typing` and `weakref` cost milliseconds too.
TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    import ssl
    import weakref

    from ._types import CertTypes, HeaderTypes

__all__ = ["Proxy", "create_ssl_context"]

# The CA directory (`capath`) that `create_ssl_context` loaded into each context it made.
# OpenSSL reads such a directory lazily, one certificate at a time as a handshake needs it,
# and `SSLContext.get_ca_certs()` lists none of them, so the network transport (which reads
# the trust store out of the context) asks here. A user's own `load_verify_locations(capath=)`
# stays invisible: see the README's TLS notes.
# (A `weakref.WeakKeyDictionary`, made with the first such context.)
_ca_dirs: weakref.WeakKeyDictionary[ssl.SSLContext, str] | None = None


def _dir_context(capath: str) -> ssl.SSLContext:
    """`ssl.create_default_context(capath=capath)`, its directory remembered."""
    import ssl
    import weakref

    global _ca_dirs
    ctx = ssl.create_default_context(capath=capath)
    if _ca_dirs is None:
        _ca_dirs = weakref.WeakKeyDictionary()
    _ca_dirs[ctx] = capath
    return ctx


def _ca_dir(ctx: ssl.SSLContext) -> str | None:  # pyright: ignore[reportUnusedFunction]
    """The CA directory `create_ssl_context` loaded into `ctx` (read by the transport)."""
    return None if _ca_dirs is None else _ca_dirs.get(ctx)


def create_ssl_context(
    verify: ssl.SSLContext | str | bool = True,
    cert: CertTypes | None = None,
    trust_env: bool = True,
) -> ssl.SSLContext:
    """An `ssl.SSLContext` configured as httpx configures one.

    `verify=True` gives a default context (`ssl.create_default_context()`): with `trust_env`,
    from `SSL_CERT_FILE` or `SSL_CERT_DIR` when set, else OpenSSL's default locations (the
    system's store). httpx loads certifi's bundle there; httprs has no certifi dependency.
    A directory (`verify="dir"`, `SSL_CERT_DIR`) is remembered, so that httprs, which cannot
    list what OpenSSL loads from a directory, trusts its certificates too.
    `SSLKEYLOGFILE` is honoured by `ssl.create_default_context`.
    """
    import ssl

    if verify is True:
        if trust_env and os.environ.get("SSL_CERT_FILE"):
            ctx = ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
        elif trust_env and os.environ.get("SSL_CERT_DIR"):
            ctx = _dir_context(os.environ["SSL_CERT_DIR"])
        else:
            ctx = ssl.create_default_context()
    elif verify is False:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    elif isinstance(verify, str):
        import warnings

        warnings.warn(
            "`verify=<str>` is deprecated. Use `verify=ssl.create_default_context(cafile=...)` "
            "or `verify=ssl.create_default_context(capath=...)` instead.",
            DeprecationWarning,
            stacklevel=2,
        )
        if os.path.isdir(verify):
            return _dir_context(verify)
        return ssl.create_default_context(cafile=verify)
    elif isinstance(verify, ssl.SSLContext):  # pyright: ignore[reportUnnecessaryIsInstance]
        ctx = verify
    else:
        raise TypeError(
            "verify must be an ssl.SSLContext, a CA bundle path or a bool,"
            f" got {type(verify).__name__}"
        )

    if cert:
        import warnings

        warnings.warn(
            "`cert=...` is deprecated. Use `verify=<ssl_context>` instead, with"
            " `.load_cert_chain()` to configure the certificate chain.",
            DeprecationWarning,
            stacklevel=2,
        )
        if isinstance(cert, str):
            ctx.load_cert_chain(cert)
        else:
            ctx.load_cert_chain(*cert)
    return ctx


class Proxy:
    """A proxy: its URL (credentials taken out of it into `auth`), and headers to send it.

    `proxy=` accepts a `Proxy` wherever it accepts a URL.
    """

    def __init__(
        self,
        url: URL | str,
        *,
        ssl_context: ssl.SSLContext | None = None,
        auth: tuple[str, str] | None = None,
        headers: HeaderTypes | None = None,
    ) -> None:
        url = URL(url)
        if url.scheme not in ("http", "https", "socks5", "socks5h"):
            raise ValueError(f"Unknown scheme for proxy URL {url!r}")
        if url.username or url.password:
            auth = (url.username, url.password)
            url = url.copy_with(username=None, password=None)
        self.url = url
        self.auth = auth
        self.headers = Headers(headers)
        self.ssl_context = ssl_context

    @property
    def raw_auth(self) -> tuple[bytes, bytes] | None:
        """The credentials as UTF-8 bytes."""
        if self.auth is None:
            return None
        return (self.auth[0].encode("utf-8"), self.auth[1].encode("utf-8"))

    def __repr__(self) -> str:
        auth = (self.auth[0], "********") if self.auth else None
        auth_str = f", auth={auth!r}" if auth else ""
        return f"Proxy({str(self.url)!r}{auth_str})"
