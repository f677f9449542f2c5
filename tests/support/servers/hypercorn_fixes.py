"""Two bugs of hypercorn's HTTP/3 (0.18, over aioquic 1.x) worked around, for the test servers
(``asgi.start_hypercorn(..., quic=True)``) and the benchmark's HTTP/3 server
(``benchmarks/h3server.py``). Each takes down hypercorn's whole QUIC server (its UDP task
group) on a client that does nothing wrong:

- A client that gives up on a response (a timeout, a cancelled request) resets its stream.
  hypercorn does not notice; the app's next send on that stream raises ValueError in aioquic
  ("Cannot send data on a finished stream"). Such sends are dropped.
- A client may end its request stream (the QUIC FIN) in a frame of its own, after the
  headers; under load that frame can arrive after hypercorn answered and forgot the stream,
  and ``self.streams[stream_id]`` raises KeyError. Events for a forgotten stream are dropped.

``apply()`` patches hypercorn's ``H3Protocol`` once per process.
"""

from __future__ import annotations

from typing import Any


class _ForgottenStream:
    """What an event for a stream hypercorn already closed goes to: nowhere."""

    async def handle(self, event: Any) -> None:
        return None


class _Streams(dict):
    def __missing__(self, stream_id: int) -> _ForgottenStream:
        return _ForgottenStream()


def apply() -> None:
    from hypercorn.protocol.h3 import H3Protocol

    if getattr(H3Protocol, "httprs_fixed", False):
        return
    original_init = H3Protocol.__init__
    original_send = H3Protocol.stream_send

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        self.streams = _Streams(self.streams)

    async def stream_send(self, event: Any) -> None:
        try:
            await original_send(self, event)
        except ValueError as exc:
            if "finished stream" not in str(exc):
                raise

    H3Protocol.__init__ = __init__  # type: ignore[method-assign]
    H3Protocol.stream_send = stream_send  # type: ignore[method-assign]
    H3Protocol.httprs_fixed = True  # type: ignore[attr-defined]
