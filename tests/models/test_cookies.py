import http.cookiejar

import httprs
import pytest


def test_set_get_and_mapping_interface():
    c = httprs.Cookies()
    c.set("a", "1")
    c["b"] = "2"
    assert c.get("a") == "1"
    assert c["b"] == "2"
    assert c.get("missing") is None
    assert c.get("missing", "d") == "d"
    assert dict(c) == {"a": "1", "b": "2"}
    assert list(c) == ["a", "b"]
    assert len(c) == 2
    assert "a" in c
    assert bool(c)
    assert not httprs.Cookies()
    with pytest.raises(KeyError):
        c["missing"]


def test_domain_and_path():
    c = httprs.Cookies()
    c.set("a", "1")
    c.set("b", "2", domain="example.org", path="/p")
    assert c.get("b") == "2"
    assert c.get("b", domain="example.org") == "2"
    assert c.get("b", domain="other.org") is None
    assert c.get("b", path="/p") == "2"
    assert c.get("b", path="/q") is None
    stored = sorted((ck.name, ck.value, ck.domain, ck.path) for ck in c.jar)
    assert stored == [("a", "1", "", "/"), ("b", "2", "example.org", "/p")]


def test_jar_is_a_cookiejar():
    c = httprs.Cookies({"x": "1"})
    assert isinstance(c.jar, http.cookiejar.CookieJar)
    assert [(ck.name, ck.value) for ck in c.jar] == [("x", "1")]


@pytest.mark.xfail(
    strict=True,
    reason="httprs keeps cookies in a Rust jar: Cookies(jar) copies a CookieJar's cookies "
    "instead of wrapping the same object (documented difference from httpx)",
)
def test_wraps_an_existing_cookiejar():
    jar = http.cookiejar.CookieJar()
    c = httprs.Cookies(jar)
    c.set("q", "1")
    assert c.jar is jar
    assert len(jar) == 1


def test_same_name_in_two_domains_conflicts():
    c = httprs.Cookies()
    c.set("a", "1", domain="a.com")
    c.set("a", "2", domain="b.com")
    with pytest.raises(httprs.CookieConflict):
        c.get("a")
    with pytest.raises(httprs.CookieConflict):
        c["a"]
    assert c.get("a", domain="b.com") == "2"
    c.set("a", "3", domain="b.com", path="/sub")
    assert c.get("a", path="/sub") == "3"


def test_delete():
    c = httprs.Cookies()
    c.set("a", "1", domain="a.com")
    c.set("a", "2", domain="b.com")
    c.set("z", "9")
    c.delete("a", domain="a.com")
    assert c.get("a") == "2"
    del c["z"]
    assert "z" not in c
    c.delete("a")  # without a domain: every cookie of that name
    assert len(c) == 0
    del c["missing"]  # deleting an unknown name is silently ignored


def test_clear():
    c = httprs.Cookies()
    c.set("a", "1")
    c.set("b", "2", domain="example.org")
    c.clear(domain="example.org")
    assert dict(c) == {"a": "1"}
    c.clear()
    assert len(c) == 0


def test_construct_and_update():
    assert dict(httprs.Cookies({"x": "1"})) == {"x": "1"}
    assert dict(httprs.Cookies([("y", "2")])) == {"y": "2"}
    original = httprs.Cookies({"x": "1"})
    copy = httprs.Cookies(original)
    copy.set("extra", "e")
    assert dict(original) == {"x": "1"}  # a new jar, not shared
    original.update({"u": "1"})
    assert dict(original) == {"x": "1", "u": "1"}


def test_equality_and_repr():
    assert httprs.Cookies({"a": "1"}) == httprs.Cookies({"a": "1"})
    assert httprs.Cookies({"a": "1"}) != httprs.Cookies({"a": "2"})
    c = httprs.Cookies()
    c.set("b", "2", domain="example.org")
    assert repr(c) == "<Cookies[<Cookie b=2 for example.org />]>"
