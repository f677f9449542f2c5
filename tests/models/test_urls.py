import httprs
import pytest

FULL = "https://user:p%40ss@Example.COM:8443/a%20b/c?x=1&y=2&x=3#frag"


def test_url_components():
    url = httprs.URL(FULL)
    assert url.scheme == "https"
    assert url.host == "example.com"  # lowercased
    assert url.raw_host == b"example.com"
    assert url.port == 8443
    assert url.path == "/a b/c"  # percent-decoded
    assert url.raw_path == b"/a%20b/c?x=1&y=2&x=3"  # includes the query
    assert url.query == b"x=1&y=2&x=3"
    assert url.fragment == "frag"
    assert url.userinfo == b"user:p%40ss"
    assert url.username == "user"
    assert url.password == "p@ss"
    assert url.netloc == b"example.com:8443"
    assert url.is_absolute_url
    assert not url.is_relative_url


def test_url_params_is_a_queryparams():
    params = httprs.URL(FULL).params
    assert isinstance(params, httprs.QueryParams)
    assert params.get_list("x") == ["1", "3"]
    assert params["y"] == "2"


def test_url_str_and_repr_hide_password():
    url = httprs.URL(FULL)
    assert str(url) == "https://user:p%40ss@example.com:8443/a%20b/c?x=1&y=2&x=3#frag"
    assert repr(url) == ("URL('https://user:[secure]@example.com:8443/a%20b/c?x=1&y=2&x=3#frag')")
    assert repr(httprs.URL("https://example.com/")) == "URL('https://example.com/')"


def test_default_port_is_normalized_away():
    assert httprs.URL("http://example.com:80/").port is None
    assert str(httprs.URL("http://example.com:80/")) == "http://example.com/"
    assert httprs.URL("https://example.com:443/").port is None
    assert httprs.URL("https://example.com:80/").port == 80


def test_scheme_and_host_are_lowercased():
    url = httprs.URL("HTTPS://EXAMPLE.com/Path")
    assert url.scheme == "https"
    assert url.host == "example.com"
    assert url.path == "/Path"


def test_empty_path():
    url = httprs.URL("http://example.com")
    assert url.path == "/"
    assert url.raw_path == b"/"
    assert str(url) == "http://example.com"


def test_empty_query_and_no_query():
    assert httprs.URL("https://example.com/a").query == b""
    assert httprs.URL("https://example.com/a?").query == b""


def test_dot_segments_are_removed():
    assert httprs.URL("http://example.com/a/../b/./c").path == "/b/c"


def test_encoded_slash_stays_in_raw_path():
    url = httprs.URL("https://example.com/a%2Fb")
    assert url.path == "/a/b"
    assert url.raw_path == b"/a%2Fb"


def test_non_ascii_and_spaces_are_percent_encoded():
    assert str(httprs.URL("https://example.com/ü?ä=ö")) == (
        "https://example.com/%C3%BC?%C3%A4=%C3%B6"
    )
    url = httprs.URL("https://example.com/a b?q=x y#f g")
    assert str(url) == "https://example.com/a%20b?q=x%20y#f%20g"
    assert url.path == "/a b"


def test_ipv6_host():
    url = httprs.URL("http://[::1]:8080/x")
    assert url.host == "::1"
    assert url.port == 8080
    assert url.netloc == b"[::1]:8080"


def test_idna_host():
    url = httprs.URL("https://例え.テスト/")
    assert url.host == "例え.テスト"
    assert url.raw_host == b"xn--r8jz45g.xn--zckzah"
    assert str(url) == "https://xn--r8jz45g.xn--zckzah/"
    # An already-encoded punycode host is shown decoded in .host.
    assert httprs.URL("https://xn--r8jz45g.xn--zckzah/").host == "例え.テスト"
    assert httprs.URL("https://例え.テスト/") == httprs.URL("https://xn--r8jz45g.xn--zckzah/")


def test_relative_url():
    url = httprs.URL("/relative/path?x=1")
    assert url.is_relative_url
    assert url.scheme == ""
    assert url.host == ""
    assert url.path == "/relative/path"
    assert httprs.URL("").is_relative_url


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("d", "https://example.com/a/b/d"),
        ("../d", "https://example.com/a/d"),
        ("/d", "https://example.com/d"),
        ("?z=2", "https://example.com/a/b/c?z=2"),
        ("#f", "https://example.com/a/b/c?q=1#f"),
        ("//other.org/x", "https://other.org/x"),
        ("http://x.org/", "http://x.org/"),
        ("./", "https://example.com/a/b/"),
        ("..", "https://example.com/a/"),
        ("../../../../g", "https://example.com/g"),
        ("", "https://example.com/a/b/c?q=1"),
    ],
)
def test_join(ref, expected):
    joined = httprs.URL("https://example.com/a/b/c?q=1").join(ref)
    assert isinstance(joined, httprs.URL)
    assert joined == expected


def test_join_accepts_url_instance():
    base = httprs.URL("https://example.com/a/")
    assert base.join(httprs.URL("b")) == "https://example.com/a/b"


def test_copy_with():
    url = httprs.URL("https://example.com/a?b=1#c")
    assert url.copy_with(scheme="http", path="/new", query=b"a=1") == "http://example.com/new?a=1#c"
    assert url.copy_with(fragment=None) == "https://example.com/a?b=1"
    assert url.copy_with(query=None) == "https://example.com/a#c"
    assert url.copy_with(params={"x": "y"}) == "https://example.com/a?x=y#c"
    assert url.copy_with(username="me", password="p w") == "https://me:p%20w@example.com/a?b=1#c"
    assert url.copy_with(host="other.org", port=8080) == "https://other.org:8080/a?b=1#c"
    # The original is unchanged (URLs are immutable).
    assert url == "https://example.com/a?b=1#c"


def test_copy_with_rejects_unknown_keyword():
    with pytest.raises(TypeError):
        httprs.URL("https://example.com").copy_with(foo=1)


def test_param_copy_helpers():
    url = httprs.URL("https://example.com/a?q=1")
    assert url.copy_set_param("q", "2") == "https://example.com/a?q=2"
    assert url.copy_add_param("q", "3") == "https://example.com/a?q=1&q=3"
    assert url.copy_remove_param("q") == "https://example.com/a"
    assert url.copy_merge_params({"z": "9"}) == "https://example.com/a?q=1&z=9"
    assert url.copy_merge_params({"q": "5"}) == "https://example.com/a?q=5"
    assert url == "https://example.com/a?q=1"


def test_params_argument():
    url = httprs.URL("https://example.com/", params={"a": ["1", "2"], "b": 3})
    assert str(url) == "https://example.com/?a=1&a=2&b=3"
    # params given to the constructor replace the query string of the URL.
    assert (
        str(httprs.URL("https://example.com/?a=1", params={"b": 2})) == "https://example.com/?b=2"
    )


def test_params_value_encoding():
    url = httprs.URL("https://example.com/", params={"q": "a b&c=d", "p": "a/b?c"})
    assert str(url) == "https://example.com/?q=a+b%26c%3Dd&p=a%2Fb%3Fc"
    url = httprs.URL("https://example.com/", params={"t": True, "f": False, "n": None, "x": 1.5})
    assert str(url) == "https://example.com/?t=true&f=false&n=&x=1.5"


def test_equality():
    url = httprs.URL("https://example.com/a")
    assert url == "https://example.com/a"
    assert url == httprs.URL("https://example.com/a")
    assert url != "https://example.com/b"
    assert url != 5
    assert hash(url) == hash(httprs.URL("https://example.com/a"))
    # No trailing-slash normalization when comparing.
    assert httprs.URL("https://example.com/") != "https://example.com"


def test_url_from_url():
    url = httprs.URL("https://e.com/x")
    assert httprs.URL(url) == url


@pytest.mark.parametrize(
    "bad",
    [
        "http://[::1",
        "https://example.com:abc/",
        "http://[zz::1]/",
        "https://ex\x00ample.com",
    ],
)
def test_invalid_url(bad):
    with pytest.raises(httprs.InvalidURL):
        httprs.URL(bad)


def test_invalid_url_is_not_a_request_error():
    # InvalidURL is raised before any request exists.
    with pytest.raises(httprs.InvalidURL) as info:
        httprs.URL("https://example.com:abc/")
    assert not isinstance(info.value, httprs.RequestError)


def test_url_wrong_type():
    with pytest.raises(TypeError):
        httprs.URL(123)
