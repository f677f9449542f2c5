import httprs
import pytest


def test_parse_and_access():
    q = httprs.QueryParams("a=1&b=2&a=3")
    assert q["a"] == "1"  # first value (unlike Headers, values are not joined)
    assert q.get("a") == "1"
    assert q.get("z") is None
    assert q.get("z", "d") == "d"
    assert q.get_list("a") == ["1", "3"]
    assert q.get_list("z") == []
    assert "a" in q
    assert "z" not in q
    with pytest.raises(KeyError):
        q["z"]


def test_views():
    q = httprs.QueryParams("a=1&b=2&a=3")
    assert list(q.keys()) == ["a", "b"]
    assert list(q.values()) == ["1", "2"]
    assert list(q.items()) == [("a", "1"), ("b", "2")]
    assert q.multi_items() == [("a", "1"), ("a", "3"), ("b", "2")]
    assert list(q) == ["a", "b"]
    assert len(q) == 2
    assert dict(q) == {"a": "1", "b": "2"}


def test_str_groups_repeated_keys():
    q = httprs.QueryParams("a=1&b=2&a=3")
    assert str(q) == "a=1&a=3&b=2"
    assert repr(q) == "QueryParams('a=1&a=3&b=2')"


def test_construct_from_various_types():
    assert str(httprs.QueryParams({"a": ["1", "2"], "b": None, "c": True, "d": 1})) == (
        "a=1&a=2&b=&c=true&d=1"
    )
    assert str(httprs.QueryParams({"a": 1.5, "b": False})) == "a=1.5&b=false"
    assert str(httprs.QueryParams([("a", "1"), ("a", "2")])) == "a=1&a=2"
    assert str(httprs.QueryParams(b"x=1")) == "x=1"
    assert str(httprs.QueryParams(httprs.QueryParams("x=1"))) == "x=1"
    assert str(httprs.QueryParams()) == ""
    assert not httprs.QueryParams()


def test_decoding_and_encoding():
    q = httprs.QueryParams("q=a+b%20c&e=&flag")
    assert q["q"] == "a b c"
    assert q["e"] == ""
    assert q["flag"] == ""
    assert str(httprs.QueryParams({"q": "a b"})) == "q=a+b"
    assert str(httprs.QueryParams({"k": "ü/?&="})) == "k=%C3%BC%2F%3F%26%3D"


def test_set_add_remove_merge_return_new_objects():
    q = httprs.QueryParams("a=1&b=2&a=3")
    assert str(q.set("a", "9")) == "a=9&b=2"
    assert str(q.add("a", "9")) == "a=1&a=3&a=9&b=2"
    assert str(q.remove("a")) == "b=2"
    assert str(q.merge({"c": "4", "a": "x"})) == "a=x&b=2&c=4"
    assert str(q.set("new", "v")) == "a=1&a=3&b=2&new=v"
    assert isinstance(q.set("a", "9"), httprs.QueryParams)
    # The original is untouched.
    assert str(q) == "a=1&a=3&b=2"


def test_immutable():
    q = httprs.QueryParams("a=1")
    with pytest.raises(RuntimeError):
        q["a"] = "2"
    with pytest.raises(RuntimeError):
        q.update({"a": "2"})
    assert str(q) == "a=1"


def test_equality_and_hash():
    assert httprs.QueryParams("a=1&b=2") == httprs.QueryParams("b=2&a=1")
    # Equality ignores ordering entirely, even between repeated values of one key.
    assert httprs.QueryParams("a=1&a=2") == httprs.QueryParams("a=2&a=1")
    assert httprs.QueryParams("a=1&a=2") != httprs.QueryParams("a=1")
    assert httprs.QueryParams("a=1") != httprs.QueryParams("a=2")
    # No equality with a plain string.
    assert httprs.QueryParams("a=1") != "a=1"
    assert hash(httprs.QueryParams("a=1&b=2")) == hash(httprs.QueryParams("a=1&b=2"))
