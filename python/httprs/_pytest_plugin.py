"""httprs's pytest plugin (the `pytest11` entry point `httprs`): the `httprs_mock` fixture,
pytest-httpx's `httpx_mock` for httprs.

    def test_user(httprs_mock):
        httprs_mock.add_response(url="https://api.example.com/user", json={"name": "Ada"})
        assert httprs.get("https://api.example.com/user").json() == {"name": "Ada"}

While the fixture is active, every request any `httprs.Client` or `httprs.AsyncClient` would
send over the network (made before or during the test) is answered by the registered
responses; a request none matches raises `httprs.TimeoutException` naming what is
registered. At teardown the test fails if a registered response was not requested or a
request matched none. Options: `@pytest.mark.httprs_mock(assert_all_responses_were_requested=
False, assert_all_requests_were_expected=False, can_send_already_matched_responses=True,
should_mock=lambda request: ...)`. The mock itself is `httprs.testing.HTTPRSMock`. See
docs/testing.md.

pytest loads this module in every run where httprs is installed (`-p no:httprs` turns it
off). It is private and imports `httprs.testing` only when a test uses the fixture, so loading
it adds no public name to the `httprs` package. `import httprs` does not import pytest.
"""

from __future__ import annotations

import typing
from operator import methodcaller

import pytest

if typing.TYPE_CHECKING:  # pragma: no cover
    from .testing import HTTPRSMock


@pytest.fixture
def httprs_mock(request: pytest.FixtureRequest) -> typing.Iterator[HTTPRSMock]:
    """Mock every request httprs would send over the network (see the module's docstring)."""
    from .testing import HTTPRSMock, MockOptions

    # A wrong option is reported at the marker, not inside this fixture.
    __tracebackhide__: typing.Any = methodcaller("errisinstance", TypeError)
    # pytest does not type `request.node`.
    node = typing.cast(pytest.Item, request.node)  # pyright: ignore[reportUnknownMemberType]
    options = MockOptions.from_markers(m.kwargs for m in node.iter_markers("httprs_mock"))
    mock = HTTPRSMock(options)
    mock.start()
    try:
        yield mock
    finally:
        mock.stop()
    # A teardown failure shows its message, not this fixture's code.
    __tracebackhide__ = True
    try:
        mock.assert_options()
    finally:
        mock.reset()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "httprs_mock(*, assert_all_responses_were_requested=True, "
        "assert_all_requests_were_expected=True, can_send_already_matched_responses=False, "
        "should_mock=lambda request: True): options of the httprs_mock fixture.",
    )
