"""Small helpers shared by the tests (not fixtures): multipart parsing, ``/echo`` accessors and
the Basic auth header value."""

from __future__ import annotations

import base64
import email.parser
import email.policy


def parse_multipart(content_type: str, body: bytes) -> list[dict]:
    """Parse a multipart/form-data body into a list of parts.

    Each part is ``{"name", "filename", "content_type", "headers", "data"}``; ``data`` is bytes.
    """
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    assert message.is_multipart(), "body is not a multipart message"
    parts = []
    for part in message.iter_parts():
        parts.append(
            {
                "name": part.get_param("name", header="content-disposition"),
                "filename": part.get_filename(),
                "content_type": part.get("content-type"),
                "headers": dict(part.items()),
                "data": part.get_payload(decode=True),
            }
        )
    return parts


def echo_body(echo: dict) -> bytes:
    """The exact request body bytes seen by the ``/echo`` endpoint."""
    return base64.b64decode(echo["body_base64"])


def echo_headers(echo: dict, name: str) -> list[str]:
    """All values of one request header (lowercase ``name``) as seen by ``/echo``."""
    return [value for key, value in echo["headers"] if key == name]


def basic_auth(user: str, password: str) -> str:
    """The ``Authorization`` value of HTTP Basic auth for ``user`` / ``password`` (UTF-8)."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
