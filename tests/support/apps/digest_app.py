"""A Digest-protected ASGI app (no framework) for the DigestAuth tests (served by
``tests.support.servers.asgi.start_uvicorn``).

``/digest`` (any method) requires ``Authorization: Digest ...``. Query options (all optional):

``user`` / ``password``
    The expected credentials (default ``user`` / ``pass``).
``realm``
    The realm of the challenge (default ``digest@example.org``).
``algorithm``
    The ``algorithm=`` token sent in the challenge, verbatim (default ``MD5``); empty omits
    the parameter (the client then uses MD5). Case-insensitive: MD5, MD5-SESS, SHA, SHA-SESS,
    SHA-256, SHA-256-SESS, SHA-512, SHA-512-SESS.
``qop``
    The ``qop=`` value of the challenge (default ``auth``); empty omits it: the legacy
    RFC 2069 form, where the client must send neither qop, nc nor cnonce.
``opaque``
    The ``opaque=`` value (default ``opaque-token``); empty omits it. When sent, the client must
    echo it.
``stale_once=1``
    The nonce of the challenge expires after its first successful use: the next request that
    answers it correctly gets a 401 with a fresh nonce and ``stale=true`` (that fresh nonce
    does not expire).
``malformed=1``
    The challenge has no ``nonce`` (a client must reject it).
``basic_first=1``
    A ``WWW-Authenticate: Basic realm="..."`` header precedes the Digest one.

The ``uri`` the client sends must be the request target (raw path plus ``?query``), and for
each nonce the ``nc`` must increase from one request to the next (replays are refused).
Success: 200 JSON ``{"authenticated": true, "nc": int | None, "user", "algorithm", "qop",
"cnonce", "nonce", "authorization"}`` (``authorization`` = the header as received).
Failure: 401 JSON ``{"authenticated": false, "reason": str, "authorization": str | None}``
with a fresh challenge.

``/basic-only``
    Always 401 with only ``WWW-Authenticate: Basic realm="basic"`` (no Digest challenge).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from urllib.parse import parse_qsl

# The algorithm tokens the tests try (as sent in a challenge; matching is case-insensitive).
ALGORITHMS = [
    "MD5",
    "MD5-SESS",
    "SHA",
    "SHA-SESS",
    "SHA-256",
    "SHA-256-SESS",
    "SHA-512",
    "SHA-512-SESS",
    "sha-256",
    "md5-Sess",
]

HASHES = {
    "MD5": hashlib.md5,
    "SHA": hashlib.sha1,
    "SHA-256": hashlib.sha256,
    "SHA-512": hashlib.sha512,
}


def hash_for(algorithm: str):
    """``(hash function, is_sess)`` for an algorithm token (case-insensitive)."""
    name = algorithm.upper()
    sess = name.endswith("-SESS")
    if sess:
        name = name[: -len("-SESS")]
    return HASHES[name], sess


def parse_params(text: str) -> dict[str, str]:
    """Parse ``k=v, k="quoted, \\"v\\""`` (names lowercased)."""
    params: dict[str, str] = {}
    i, n = 0, len(text)
    while i < n:
        while i < n and text[i] in " \t,":
            i += 1
        start = i
        while i < n and text[i] != "=":
            i += 1
        key = text[start:i].strip().lower()
        i += 1
        if i < n and text[i] == '"':
            i += 1
            chars = []
            while i < n and text[i] != '"':
                if text[i] == "\\" and i + 1 < n:
                    i += 1
                chars.append(text[i])
                i += 1
            i += 1
            value = "".join(chars)
        else:
            start = i
            while i < n and text[i] != ",":
                i += 1
            value = text[start:i].strip()
        if key:
            params[key] = value
    return params


def expected_response(
    *,
    algorithm: str,
    user: str,
    realm: str,
    password: str,
    method: str,
    uri: str,
    nonce: str,
    nc: str | None,
    cnonce: str | None,
    qop: str | None,
) -> str:
    func, sess = hash_for(algorithm)

    def h(data: str) -> str:
        return func(data.encode()).hexdigest()

    ha1 = h(f"{user}:{realm}:{password}")
    if sess:
        ha1 = h(f"{ha1}:{nonce}:{cnonce}")
    ha2 = h(f"{method}:{uri}")
    if qop is None:
        return h(f"{ha1}:{nonce}:{ha2}")
    return h(f"{ha1}:{nonce}:{nc}:{cnonce}:{qop}:{ha2}")


class DigestApp:
    """The ASGI app; each instance has its own nonce table."""

    def __init__(self) -> None:
        # nonce -> {"last_nc": int, "expire_after_use": bool, "expired": bool}
        self.nonces: dict[str, dict] = {}

    def _new_nonce(self, *, expire_after_use: bool) -> str:
        nonce = secrets.token_urlsafe(24)
        self.nonces[nonce] = {"last_nc": 0, "expire_after_use": expire_after_use, "expired": False}
        return nonce

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return
        # Drain the request body.
        more = True
        while more:
            message = await receive()
            more = message.get("more_body", False)
        if scope["path"] == "/basic-only":
            await self._send(send, 401, {"authenticated": False}, [b'Basic realm="basic"'])
            return
        if scope["path"] != "/digest":
            await self._send(send, 404, {"error": "not found"}, [])
            return
        await self._digest(scope, send)

    async def _digest(self, scope, send) -> None:
        opts = dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))
        user = opts.get("user", "user")
        password = opts.get("password", "pass")
        realm = opts.get("realm", "digest@example.org")
        algorithm = opts.get("algorithm", "MD5")
        qop = opts.get("qop", "auth")
        opaque = opts.get("opaque", "opaque-token")
        stale_once = opts.get("stale_once") == "1"

        raw_path = scope.get("raw_path") or scope["path"].encode()
        uri = raw_path.decode("latin-1")
        if scope["query_string"]:
            uri += "?" + scope["query_string"].decode("latin-1")

        async def challenge(reason: str, *, stale: bool = False) -> None:
            nonce = self._new_nonce(expire_after_use=stale_once and not stale)
            parts = [f'realm="{realm}"']
            if opts.get("malformed") != "1":
                parts.append(f'nonce="{nonce}"')
            if algorithm:
                parts.append(f"algorithm={algorithm}")
            if qop:
                parts.append(f'qop="{qop}"')
            if opaque:
                parts.append(f'opaque="{opaque}"')
            if stale:
                parts.append("stale=true")
            values = [("Digest " + ", ".join(parts)).encode()]
            if opts.get("basic_first") == "1":
                values.insert(0, f'Basic realm="{realm}"'.encode())
            body = {"authenticated": False, "reason": reason, "authorization": header or None}
            await self._send(send, 401, body, values)

        header = ""
        for name, value in scope["headers"]:
            if name == b"authorization":
                header = value.decode("latin-1")
        scheme, _, rest = header.partition(" ")
        if scheme.lower() != "digest":
            await challenge("no digest authorization")
            return
        p = parse_params(rest)
        nonce = p.get("nonce", "")
        state = self.nonces.get(nonce)
        if state is None:
            await challenge("unknown nonce")
            return
        problems = []
        if p.get("username") != user:
            problems.append("username")
        if p.get("realm") != realm:
            problems.append("realm")
        if p.get("uri") != uri:
            problems.append(f"uri {p.get('uri')!r} != {uri!r}")
        if p.get("algorithm", "MD5").upper() != (algorithm or "MD5").upper():
            problems.append("algorithm")
        if opaque and p.get("opaque") != opaque:
            problems.append("opaque not echoed")
        if not opaque and "opaque" in p:
            problems.append("unexpected opaque")
        nc_int = None
        if qop:
            offered = [q.strip() for q in qop.split(",")]
            if p.get("qop") not in offered:
                problems.append("qop")
            try:
                nc_int = int(p.get("nc", ""), 16)
            except ValueError:
                problems.append("nc")
            else:
                if len(p.get("nc", "")) != 8:
                    problems.append("nc must be 8 hex digits")
                if nc_int <= state["last_nc"]:
                    problems.append(f"nc replay ({nc_int} after {state['last_nc']})")
            if not p.get("cnonce"):
                problems.append("cnonce")
        elif {"qop", "nc", "cnonce"} & set(p):
            problems.append("qop/nc/cnonce sent in the legacy form")
        if problems:
            await challenge("; ".join(problems))
            return
        method = scope["method"]
        expected = expected_response(
            algorithm=algorithm or "MD5",
            user=user,
            realm=realm,
            password=password,
            method=method,
            uri=uri,
            nonce=nonce,
            nc=p.get("nc"),
            cnonce=p.get("cnonce"),
            qop=p.get("qop") if qop else None,
        )
        if not hmac.compare_digest(expected, p.get("response", "")):
            await challenge("wrong response (bad password?)")
            return
        if state["expired"]:
            del self.nonces[nonce]
            await challenge("stale nonce", stale=True)
            return
        if nc_int is not None:
            state["last_nc"] = nc_int
        if state["expire_after_use"]:
            state["expired"] = True
        body = {
            "authenticated": True,
            "nc": nc_int,
            "user": p.get("username"),
            "algorithm": p.get("algorithm"),
            "qop": p.get("qop"),
            "cnonce": p.get("cnonce"),
            "nonce": nonce,
            "authorization": header,
        }
        await self._send(send, 200, body, [])

    @staticmethod
    async def _send(send, status: int, body: dict, www_authenticate: list[bytes]) -> None:
        payload = json.dumps(body).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(payload)).encode()),
        ]
        headers += [(b"www-authenticate", value) for value in www_authenticate]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})
