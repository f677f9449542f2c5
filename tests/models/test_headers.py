import httprs
import pytest


def make():
    return httprs.Headers(
        [("Content-Type", "text/plain"), ("X-A", "1"), ("x-a", "2"), ("Accept", "a, b")]
    )


def test_case_insensitive_lookup():
    h = make()
    assert h["content-type"] == "text/plain"
    assert h["CONTENT-TYPE"] == "text/plain"
    assert "Content-type" in h
    assert "missing" not in h
    with pytest.raises(KeyError):
        h["missing"]


def test_repeated_headers_are_joined_on_lookup():
    h = make()
    assert h["x-a"] == "1, 2"
    assert h.get("X-A") == "1, 2"
    assert h.get_list("x-a") == ["1", "2"]


def test_get_default():
    h = make()
    assert h.get("nope") is None
    assert h.get("nope", "d") == "d"


def test_get_list_split_commas():
    h = make()
    assert h.get_list("accept") == ["a, b"]
    assert h.get_list("accept", split_commas=True) == ["a", "b"]
    assert h.get_list("missing") == []


def test_raw_keeps_original_casing_and_order():
    assert make().raw == [
        (b"Content-Type", b"text/plain"),
        (b"X-A", b"1"),
        (b"x-a", b"2"),
        (b"Accept", b"a, b"),
    ]


def test_keys_values_items_are_merged_and_lowercased():
    h = make()
    assert list(h.keys()) == ["content-type", "x-a", "accept"]
    assert list(h.values()) == ["text/plain", "1, 2", "a, b"]
    assert list(h.items()) == [("content-type", "text/plain"), ("x-a", "1, 2"), ("accept", "a, b")]
    assert list(h) == ["content-type", "x-a", "accept"]
    assert dict(h) == {"content-type": "text/plain", "x-a": "1, 2", "accept": "a, b"}


def test_multi_items_and_len():
    h = make()
    assert h.multi_items() == [
        ("content-type", "text/plain"),
        ("x-a", "1"),
        ("x-a", "2"),
        ("accept", "a, b"),
    ]
    # len() counts every raw header line, not the unique names.
    assert len(h) == 4


def test_setitem_replaces_all_values_in_place():
    h = httprs.Headers([("a", "1"), ("b", "2"), ("A", "3")])
    h["a"] = "x"
    assert h.raw == [(b"a", b"x"), (b"b", b"2")]
    h["New-Header"] = "n"
    assert h.raw[-1] == (b"New-Header", b"n")


def test_delitem_removes_all_values():
    h = make()
    del h["X-A"]
    assert "x-a" not in h
    assert h.raw == [(b"Content-Type", b"text/plain"), (b"Accept", b"a, b")]
    with pytest.raises(KeyError):
        del h["missing"]


def test_pop_and_setdefault():
    h = httprs.Headers({"a": "1", "b": "2"})
    assert h.pop("B") == "2"
    assert h.raw == [(b"a", b"1")]
    assert h.setdefault("a", "x") == "1"
    assert h.setdefault("c", "3") == "3"
    assert h.raw == [(b"a", b"1"), (b"c", b"3")]


def test_update_replaces_existing_keys():
    h = httprs.Headers({"a": "1", "c": "3"})
    h.update({"B": "2", "A": "9"})
    assert h["a"] == "9"
    assert h.get_list("a") == ["9"]
    assert h["b"] == "2"
    assert h["c"] == "3"


def test_copy_is_independent():
    h = make()
    h2 = h.copy()
    h2["X-A"] = "3"
    assert h["x-a"] == "1, 2"
    assert h2["x-a"] == "3"
    assert isinstance(h2, httprs.Headers)


def test_construct_from_dict_list_and_headers():
    from_dict = httprs.Headers({"A": "1"})
    from_list = httprs.Headers([("A", "1")])
    from_headers = httprs.Headers(from_dict)
    assert from_dict.raw == from_list.raw == from_headers.raw == [(b"A", b"1")]
    assert httprs.Headers().raw == []
    assert httprs.Headers(None).raw == []


def test_bytes_keys_and_values():
    h = httprs.Headers({b"X-Bytes": b"v"})
    assert h.raw == [(b"X-Bytes", b"v")]
    assert h["x-bytes"] == "v"


def test_equality():
    assert httprs.Headers({"a": "1"}) == {"A": "1"}
    assert httprs.Headers({"a": "1"}) == [("A", "1")]
    assert httprs.Headers({"a": "1"}) == httprs.Headers({"A": "1"})
    assert httprs.Headers({"a": "1"}) != {"a": "2"}
    # Order of different keys does not matter...
    assert httprs.Headers([("a", "1"), ("b", "2")]) == [("b", "2"), ("a", "1")]
    # ...and neither does the order of repeated values.
    assert httprs.Headers([("a", "1"), ("a", "2")]) == [("a", "2"), ("a", "1")]
    assert httprs.Headers([("a", "1"), ("a", "2")]) != [("a", "1")]


def test_repr_hides_credentials():
    h = httprs.Headers({"Authorization": "secret", "Proxy-Authorization": "s", "X": "y"})
    text = repr(h)
    assert "secret" not in text
    assert text == (
        "Headers({'authorization': '[secure]', 'proxy-authorization': '[secure]', 'x': 'y'})"
    )
    assert repr(httprs.Headers([("a", "1"), ("a", "2")])) == ("Headers([('a', '1'), ('a', '2')])")


def test_values_are_not_stripped():
    assert httprs.Headers({"a": "  padded  "})["a"] == "  padded  "


def test_non_ascii_str_value_is_rejected():
    with pytest.raises(UnicodeEncodeError):
        httprs.Headers({"a": "é"})


def test_wrong_types():
    with pytest.raises(TypeError):
        httprs.Headers(5)
    with pytest.raises(TypeError):
        httprs.Headers({"a": 5})


@pytest.mark.parametrize("value", [None, 5, 1.5, ["a"]])
def test_a_header_value_of_the_wrong_type_names_its_type_as_httpx_does(value):
    message = f"Header value must be str or bytes, not {type(value)}"
    for make in (
        lambda: httprs.Headers({"a": value}),
        lambda: httprs.Headers([("a", value)]),
        lambda: httprs.Headers().__setitem__("a", value),
        lambda: httprs.Request("GET", "http://127.0.0.1/", headers={"a": value}),
    ):
        with pytest.raises(TypeError) as info:
            make()
        assert str(info.value) == message
