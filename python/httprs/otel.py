"""OpenTelemetry for httprs: a client span and a duration measurement per request.

Opt-in, and needs ``opentelemetry-api`` (the ``otel`` extra); ``import httprs`` never imports
it. What ``opentelemetry-instrumentation-httpx`` gives httpx, for the network transports of
both clients (and a transport called directly)::

    import httprs.otel

    httprs.otel.instrument()  # the global tracer and meter providers, or pass your own

Each exchange with the network is a span of kind CLIENT named after the method (``GET``),
with the stable HTTP semantic-convention attributes (``http.request.method``, ``url.full``,
``server.address``, ``server.port``, ``network.protocol.version``,
``http.response.status_code``, ``error.type``), the trace context injected into the request
headers (``traceparent``, through the global propagator), and the
``http.client.request.duration`` histogram (seconds). Every hop of a redirect chain is a
span; the retries of a ``Retry`` policy happen inside one. The span ends when the response
head arrives (a streamed body may still be coming); a failure sets ``error.type`` to the
exception's class name, a 4xx/5xx status to the status code. Requests answered by a Python
transport (``MockTransport``, ``ASGITransport``...) are not traced, as with httpx's
instrumentation.
"""

from __future__ import annotations

import timeit
import typing

try:
    from opentelemetry import context, metrics, propagate, trace
    from opentelemetry.trace import SpanKind, Status, StatusCode
except ImportError as exc:  # pragma: no cover - exercised without the extra
    raise ImportError(
        "httprs.otel needs the opentelemetry-api package (httprs's `otel` extra): "
        "pip install opentelemetry-api"
    ) from exc

from . import __version__
from ._httprs import _set_observer

if typing.TYPE_CHECKING:
    from ._models import Request, Response

__all__ = ["HTTPRSInstrumentor", "instrument", "is_instrumented", "uninstrument"]

_SCHEMA_URL = "https://opentelemetry.io/schemas/1.21.0"
_KNOWN_METHODS = frozenset(
    ["CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "QUERY", "TRACE"]
)
# Query parameters whose values the semantic conventions ask to redact in `url.full`.
_SECRET_PARAMS = frozenset(["AWSAccessKeyId", "Signature", "sig", "X-Goog-Signature"])
_DEFAULT_PORTS = {"http": 80, "https": 443}
_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10]
# Keys of the context that turn instrumentation off (`suppress_instrumentation()` and
# `suppress_http_instrumentation()` of opentelemetry-instrumentation).
_SUPPRESS_KEYS = [
    key
    for key in (
        getattr(context, "_SUPPRESS_INSTRUMENTATION_KEY", None),
        getattr(context, "_SUPPRESS_HTTP_INSTRUMENTATION_KEY", None),
    )
    if key is not None
]


def _full_url(request: Request) -> str:
    url = request.url
    if url.userinfo:
        url = url.copy_with(username="REDACTED", password="REDACTED")
    if url.query and any(name in _SECRET_PARAMS for name in url.params):
        redacted = [
            (name, "REDACTED" if name in _SECRET_PARAMS else value)
            for name, value in url.params.multi_items()
        ]
        url = url.copy_with(params=redacted)
    return str(url)


def _protocol_version(response: Response) -> str:
    return response.http_version.removeprefix("HTTP/")


class _Observer:
    """What the engine calls around each exchange (``src/observe/instrument.rs``)."""

    def __init__(self, tracer: trace.Tracer, duration: metrics.Histogram) -> None:
        self._tracer = tracer
        self._duration = duration

    def start(self, request: Request) -> tuple[trace.Span, float, dict[str, typing.Any]] | None:
        if any(context.get_value(key) for key in _SUPPRESS_KEYS):
            return None
        method = request.method
        url = request.url
        known = method in _KNOWN_METHODS
        common: dict[str, typing.Any] = {
            "http.request.method": method if known else "_OTHER",
            "server.address": url.host,
            "server.port": url.port or _DEFAULT_PORTS.get(url.scheme, 0),
        }
        attributes = {**common, "url.full": _full_url(request)}
        if not known:
            attributes["http.request.method_original"] = method
        span = self._tracer.start_span(
            method if known else "HTTP", kind=SpanKind.CLIENT, attributes=attributes
        )
        propagate.inject(request.headers, context=trace.set_span_in_context(span))
        # The measurement's attributes: the span's low-cardinality ones, and the scheme.
        return span, timeit.default_timer(), {**common, "url.scheme": url.scheme}

    def end(
        self,
        token: tuple[trace.Span, float, dict[str, typing.Any]],
        response: Response | None,
        error: BaseException | None,
    ) -> None:
        span, started, attributes = token
        elapsed = max(timeit.default_timer() - started, 0.0)
        error_type = None
        if response is not None:
            status = response.status_code
            version = _protocol_version(response)
            attributes["http.response.status_code"] = status
            attributes["network.protocol.version"] = version
            span.set_attribute("http.response.status_code", status)
            span.set_attribute("network.protocol.version", version)
            if status >= 400:
                error_type = str(status)
                span.set_status(Status(StatusCode.ERROR))
        elif error is not None:
            error_type = type(error).__qualname__
            span.record_exception(error)
            span.set_status(Status(StatusCode.ERROR, f"{error_type}: {error}"))
        else:
            # Dropped unfinished: the task was cancelled, or Ctrl-C.
            error_type = "cancelled"
            span.set_status(Status(StatusCode.ERROR, "cancelled"))
        if error_type is not None:
            attributes["error.type"] = error_type
            span.set_attribute("error.type", error_type)
        span.end()
        self._duration.record(elapsed, attributes)


_installed: _Observer | None = None


def instrument(
    *,
    tracer_provider: trace.TracerProvider | None = None,
    meter_provider: metrics.MeterProvider | None = None,
) -> None:
    """Trace every request of every httprs client from now on (the global providers, unless
    given). Calling it again replaces the providers."""
    global _installed
    tracer = trace.get_tracer(
        "httprs", __version__, tracer_provider=tracer_provider, schema_url=_SCHEMA_URL
    )
    meter = metrics.get_meter(
        "httprs", __version__, meter_provider=meter_provider, schema_url=_SCHEMA_URL
    )
    histogram_args: dict[str, typing.Any] = {
        "name": "http.client.request.duration",
        "unit": "s",
        "description": "Duration of HTTP client requests.",
    }
    try:
        duration = meter.create_histogram(
            **histogram_args, explicit_bucket_boundaries_advisory=_DURATION_BUCKETS
        )
    except TypeError:  # opentelemetry-api before 1.23 has no advisory boundaries
        duration = meter.create_histogram(**histogram_args)
    _installed = _Observer(tracer, duration)
    _set_observer(_installed)


def uninstrument() -> None:
    """Stop tracing httprs requests."""
    global _installed
    _installed = None
    _set_observer(None)


def is_instrumented() -> bool:
    """Whether :func:`instrument` is in effect."""
    return _installed is not None


class HTTPRSInstrumentor:
    """The shape of ``opentelemetry-instrumentation-httpx``'s ``HTTPXClientInstrumentor``:
    ``HTTPRSInstrumentor().instrument(tracer_provider=..., meter_provider=...)`` and
    ``.uninstrument()`` (every client, process-wide)."""

    def instrument(self, **kwargs: typing.Any) -> None:
        instrument(
            tracer_provider=kwargs.get("tracer_provider"),
            meter_provider=kwargs.get("meter_provider"),
        )

    def uninstrument(self, **kwargs: typing.Any) -> None:
        uninstrument()

    @property
    def is_instrumented_by_opentelemetry(self) -> bool:
        return is_instrumented()
