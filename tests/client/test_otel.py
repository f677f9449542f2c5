"""OpenTelemetry (``httprs.otel``): a CLIENT span and an ``http.client.request.duration``
measurement per exchange with the network, the trace context in the request headers.

Recorded with the SDK's in-memory span exporter and metric reader, over real sockets; the
driver tests run on ``sync``, ``async-asyncio`` and ``async-trio`` (tests/drivers.py).
"""

from __future__ import annotations

import subprocess
import sys

import anyio
import httprs
import httprs.otel
import pytest
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from tests.drivers import anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.servers.flaky import FlakyServer

pytestmark = [pytest.mark.network, pytest.mark.anyio]


class Telemetry:
    def __init__(self) -> None:
        self.exporter = InMemorySpanExporter()
        self.tracer_provider = TracerProvider()
        self.tracer_provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.reader = InMemoryMetricReader()
        self.meter_provider = MeterProvider(metric_readers=[self.reader])

    @property
    def spans(self):
        return [s for s in self.exporter.get_finished_spans() if s.kind == SpanKind.CLIENT]

    def durations(self) -> list[tuple[dict, int, float]]:
        """The ``http.client.request.duration`` points: (attributes, count, sum)."""
        points = []
        data = self.reader.get_metrics_data()
        for resource in data.resource_metrics if data else []:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    if metric.name == "http.client.request.duration":
                        assert metric.unit == "s"
                        points += [
                            (dict(p.attributes), p.count, p.sum) for p in metric.data.data_points
                        ]
        return points


@pytest.fixture
def telemetry():
    t = Telemetry()
    httprs.otel.instrument(tracer_provider=t.tracer_provider, meter_provider=t.meter_provider)
    yield t
    httprs.otel.uninstrument()


def traceparent_of(echo: dict) -> str | None:
    return dict(echo["headers"]).get("traceparent")


async def test_a_request_is_a_client_span_with_the_http_attributes(driver, server, telemetry):
    async with driver.client() as c:
        response = await c.get(server.url + "/echo?q=1")
    [span] = telemetry.spans
    assert span.name == "GET"
    assert span.kind == SpanKind.CLIENT
    assert dict(span.attributes) == {
        "http.request.method": "GET",
        "url.full": f"{server.url}/echo?q=1",
        "server.address": "127.0.0.1",
        "server.port": server.port,
        "http.response.status_code": 200,
        "network.protocol.version": "1.1",
    }
    assert span.status.status_code == StatusCode.UNSET
    assert span.instrumentation_scope.name == "httprs"
    # The server got the span's context in `traceparent`.
    trace_id, span_id = f"{span.context.trace_id:032x}", f"{span.context.span_id:016x}"
    assert traceparent_of(response.json()).startswith(f"00-{trace_id}-{span_id}-")


async def test_the_span_is_a_child_of_the_current_span(driver, server, telemetry):
    tracer = telemetry.tracer_provider.get_tracer("app")
    async with driver.client() as c:
        with tracer.start_as_current_span("work") as parent:
            await c.get(server.url + "/echo")
    [span] = telemetry.spans
    assert span.parent.span_id == parent.get_span_context().span_id
    assert span.context.trace_id == parent.get_span_context().trace_id


async def test_the_duration_is_measured(driver, server, telemetry):
    async with driver.client() as c:
        await c.get(server.url + "/slow?delay=0.2")
        await c.get(server.url + "/status/404")
    points = sorted(telemetry.durations(), key=lambda p: p[0]["http.response.status_code"])
    common = {
        "http.request.method": "GET",
        "server.address": "127.0.0.1",
        "server.port": server.port,
        "url.scheme": "http",
        "network.protocol.version": "1.1",
    }
    assert [(attrs, count) for attrs, count, _ in points] == [
        ({**common, "http.response.status_code": 200}, 1),
        ({**common, "http.response.status_code": 404, "error.type": "404"}, 1),
    ]
    assert 0.2 <= points[0][2] < 5


async def test_an_error_status_marks_the_span(driver, server, telemetry):
    async with driver.client() as c:
        await c.post(server.url + "/status/503", content=b"x")
    [span] = telemetry.spans
    assert span.name == "POST"
    assert span.attributes["http.response.status_code"] == 503
    assert span.attributes["error.type"] == "503"
    assert span.status.status_code == StatusCode.ERROR


async def test_a_refused_connection_is_an_error_span(driver, closed_url, telemetry):
    async with driver.client() as c:
        with pytest.raises(httprs.ConnectError):
            await c.get(closed_url)
    [span] = telemetry.spans
    assert span.attributes["error.type"] == "ConnectError"
    assert "http.response.status_code" not in span.attributes
    assert span.status.status_code == StatusCode.ERROR
    [event] = span.events
    assert event.name == "exception"
    assert event.attributes["exception.type"] == "httprs._exceptions.ConnectError"
    [(attributes, count, _)] = telemetry.durations()
    assert attributes["error.type"] == "ConnectError"
    assert count == 1


async def test_each_hop_of_a_redirect_is_a_span(driver, server, telemetry):
    async with driver.client(follow_redirects=True) as c:
        response = await c.get(server.url + "/redirect/2")
    assert response.status_code == 200
    statuses = [s.attributes["http.response.status_code"] for s in telemetry.spans]
    assert statuses == [302, 302, 200]
    # The last hop's headers carry the last span's context, not the first one's.
    last = telemetry.spans[-1]
    assert f"{last.context.span_id:016x}" in traceparent_of(response.json())


async def test_retries_happen_inside_one_span(driver, telemetry):
    with FlakyServer([(503, {"Retry-After": "0"})]) as srv:
        transport = driver.http_transport(retries=httprs.Retry(jitter=0, backoff_factor=0))
        async with driver.client(transport=transport) as c:
            await c.get(srv.url + "/")
    assert len(srv.hits) == 2
    [span] = telemetry.spans
    assert span.attributes["http.response.status_code"] == 200


async def test_a_transport_called_directly_is_traced(driver, server, telemetry):
    transport = driver.http_transport()
    request = httprs.Request("GET", server.url + "/echo")
    response = await driver.handle_request(transport, request)
    [span] = telemetry.spans
    assert span.attributes["http.response.status_code"] == 200
    assert traceparent_of(response.json()) is not None


async def test_python_transports_are_not_traced(driver, telemetry):
    def handler(request):
        assert "traceparent" not in request.headers
        return httprs.Response(204)

    async with driver.client(transport=httprs.MockTransport(handler)) as c:
        await c.get("http://example.org/")
    assert telemetry.spans == []


async def test_credentials_in_the_url_are_redacted(driver, server, telemetry):
    async with driver.client() as c:
        await c.get(f"http://user:pw@127.0.0.1:{server.port}/echo?sig=abc&x=1")
    [span] = telemetry.spans
    assert span.attributes["url.full"] == (
        f"http://REDACTED:REDACTED@127.0.0.1:{server.port}/echo?sig=REDACTED&x=1"
    )


async def test_an_unknown_method_is_other(driver, server, telemetry):
    async with driver.client() as c:
        await c.request("PURGE", server.url + "/echo")
    [span] = telemetry.spans
    assert span.name == "HTTP"
    assert span.attributes["http.request.method"] == "_OTHER"
    assert span.attributes["http.request.method_original"] == "PURGE"


async def test_uninstrument_stops_tracing(driver, server, telemetry):
    httprs.otel.uninstrument()
    assert not httprs.otel.is_instrumented()
    async with driver.client() as c:
        response = await c.get(server.url + "/echo")
    assert telemetry.spans == []
    assert traceparent_of(response.json()) is None


async def test_a_failing_observer_never_fails_the_request(driver, server, telemetry, monkeypatch):
    class Broken:
        def start(self, request):
            return "token"

        def end(self, token, response, error):
            raise RuntimeError(f"observer bug ({token}, {response.status_code})")

    unraisable = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    httprs._httprs._set_observer(Broken())
    async with driver.client() as c:
        response = await c.get(server.url + "/echo")
    assert response.status_code == 200
    [report] = unraisable
    assert str(report.exc_value) == "observer bug (token, 200)"


@pytest.mark.parametrize("anyio_backend", ["asyncio", "trio"])
async def test_a_cancelled_request_ends_its_span(anyio_backend, server, telemetry):
    async with httprs.AsyncClient() as c:
        with anyio.move_on_after(0.2):
            await c.get(server.url + "/slow?delay=5")
    [span] = telemetry.spans
    assert span.attributes["error.type"] == "cancelled"
    assert span.status.status_code == StatusCode.ERROR


def test_the_instrumentor_class_has_the_httpx_instrumentors_shape(server):
    telemetry = Telemetry()
    instrumentor = httprs.otel.HTTPRSInstrumentor()
    instrumentor.instrument(
        tracer_provider=telemetry.tracer_provider, meter_provider=telemetry.meter_provider
    )
    try:
        assert instrumentor.is_instrumented_by_opentelemetry
        httprs.get(server.url + "/echo")
    finally:
        instrumentor.uninstrument()
    assert not instrumentor.is_instrumented_by_opentelemetry
    assert len(telemetry.spans) == 1


def test_import_httprs_does_not_import_opentelemetry(server):
    code = (
        "import sys, httprs\n"
        f"assert httprs.get({server.url + '/echo'!r}).status_code == 200\n"
        "assert not [m for m in sys.modules if m.startswith('opentelemetry')]\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
