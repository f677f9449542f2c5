"""A small threaded SOCKS5 proxy (RFC 1928, with RFC 1929 username/password) on 127.0.0.1.

``SocksServer()`` listens on a random port; use it as a context manager::

    with SocksServer(auth=("user", "pw")) as socks:
        httprs.get(target_url, proxy=socks.proxy_url())
        socks.connects  # [SocksConnect(host="127.0.0.1", port=PORT, address_type="ipv4", ...)]

Only the CONNECT command is served. Each accepted CONNECT is recorded (the target as the
client sent it: an address resolved by the client, or a name for the proxy to resolve, which
is how ``socks5h://`` differs from ``socks5://``), then bytes are relayed both ways. Targets
other than 127.0.0.1 / localhost are refused with reply 0x02 (not allowed by ruleset), as is
everything when ``refuse=True``. With ``auth=`` a client must authenticate with that pair.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import socket
import struct

from tests.support.servers.proxy import relay
from tests.support.servers.threaded import ThreadedServer

ALLOWED_HOSTS = {"127.0.0.1", "localhost"}


@dataclasses.dataclass
class SocksConnect:
    host: str
    port: int
    address_type: str  # "ipv4", "domain" or "ipv6"
    username: str | None


def recv_exact(conn: socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("client went away")
        data += chunk
    return data


class SocksServer(ThreadedServer):
    scheme = "socks5"
    backlog = 32
    connection_timeout = 5.0

    def __init__(self, *, auth: tuple[str, str] | None = None, refuse: bool = False) -> None:
        super().__init__()
        self.auth = auth
        self.refuse = refuse
        self.connects: list[SocksConnect] = []
        self.failed_logins: list[tuple[str, str]] = []

    def proxy_url(self, scheme: str = "socks5") -> str:
        """The proxy URL for clients (``socks5`` or ``socks5h``), with the credentials if any."""
        if self.auth:
            return f"{scheme}://{self.auth[0]}:{self.auth[1]}@127.0.0.1:{self.port}"
        return f"{scheme}://127.0.0.1:{self.port}"

    def handle(self, conn: socket.socket) -> None:
        try:
            upstream = self._negotiate(conn)
        except (ConnectionError, ValueError):
            return
        if upstream is not None:
            self.track(upstream)
            try:
                conn.setblocking(True)
                relay(conn, upstream, self.stopping)
            finally:
                self.release(upstream)

    def _negotiate(self, conn: socket.socket) -> socket.socket | None:
        version, count = recv_exact(conn, 2)
        if version != 5:
            raise ValueError("not SOCKS5")
        methods = recv_exact(conn, count)
        wanted = 0x02 if self.auth else 0x00
        if wanted not in methods:
            conn.sendall(b"\x05\xff")
            return None
        conn.sendall(bytes([5, wanted]))
        username = None
        if self.auth:
            _, ulen = recv_exact(conn, 2)
            username = recv_exact(conn, ulen).decode()
            (plen,) = recv_exact(conn, 1)
            password = recv_exact(conn, plen).decode()
            if (username, password) != self.auth:
                self.failed_logins.append((username, password))
                conn.sendall(b"\x01\x01")
                return None
            conn.sendall(b"\x01\x00")
        _, command, _, atyp = recv_exact(conn, 4)
        if atyp == 1:
            host, kind = socket.inet_ntoa(recv_exact(conn, 4)), "ipv4"
        elif atyp == 3:
            (length,) = recv_exact(conn, 1)
            host, kind = recv_exact(conn, length).decode(), "domain"
        elif atyp == 4:
            host, kind = str(ipaddress.IPv6Address(recv_exact(conn, 16))), "ipv6"
        else:
            raise ValueError("bad address type")
        (port,) = struct.unpack("!H", recv_exact(conn, 2))
        self.connects.append(SocksConnect(host, port, kind, username))
        if command != 1:
            conn.sendall(b"\x05\x07\x00\x01" + bytes(6))  # command not supported
            return None
        if self.refuse or host not in ALLOWED_HOSTS:
            conn.sendall(b"\x05\x02\x00\x01" + bytes(6))  # not allowed by ruleset
            return None
        try:
            upstream = socket.create_connection(("127.0.0.1", port), timeout=5)
        except OSError:
            conn.sendall(b"\x05\x05\x00\x01" + bytes(6))  # connection refused
            return None
        bound_host, bound_port = upstream.getsockname()[:2]
        reply = b"\x05\x00\x00\x01" + socket.inet_aton(bound_host) + struct.pack("!H", bound_port)
        conn.sendall(reply)
        return upstream
