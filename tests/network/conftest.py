"""Fixtures shared by the network tests."""

from __future__ import annotations

import pytest

from tests.support.servers.asgi import RecordingApp, start_uvicorn


@pytest.fixture(scope="module")
def recording_server():
    """The test app wrapped in a :class:`RecordingApp` (``.app``), on 127.0.0.1; one per
    module."""
    with start_uvicorn(RecordingApp()) as handle:
        yield handle
