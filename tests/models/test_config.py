"""The configuration models: `Timeout` and `Limits`."""

import httprs
import pytest


def test_timeout_model():
    t = httprs.Timeout(5, read=None)
    assert (t.connect, t.read, t.write, t.pool) == (5, None, 5, 5)
    assert t.as_dict() == {"connect": 5, "read": None, "write": 5, "pool": 5}
    assert t == httprs.Timeout(5, read=None)
    assert repr(httprs.Timeout(5)) == "Timeout(timeout=5)"
    assert repr(httprs.Timeout(5, connect=1)) == "Timeout(connect=1, read=5, write=5, pool=5)"
    assert httprs.Timeout((1, 2, 3, 4)).as_dict() == {
        "connect": 1,
        "read": 2,
        "write": 3,
        "pool": 4,
    }
    assert httprs.Timeout(httprs.Timeout(1)) == httprs.Timeout(1)
    assert httprs.Timeout(None).read is None
    with pytest.raises(ValueError):
        httprs.Timeout()
    with pytest.raises(ValueError):
        httprs.Timeout(connect=1)
    assert httprs.Timeout(connect=1, read=2, write=3, pool=4).pool == 4


def test_limits_model():
    assert repr(httprs.Limits()) == (
        "Limits(max_connections=None, max_keepalive_connections=None, keepalive_expiry=5.0)"
    )
    limits = httprs.Limits(max_connections=10, max_keepalive_connections=5)
    assert limits.max_connections == 10
    assert limits.max_keepalive_connections == 5
    assert limits == httprs.Limits(max_connections=10, max_keepalive_connections=5)
