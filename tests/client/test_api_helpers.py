import httprs
import pytest

from tests.support.apps.main_app import pattern
from tests.support.helpers import basic_auth, echo_body, echo_headers, parse_multipart

pytestmark = pytest.mark.network


@pytest.mark.parametrize("method", ["get", "delete", "options"])
def test_bodyless_helpers(server, method):
    response = getattr(httprs, method)(server.url + "/echo", params={"q": "1"}, headers={"X": "y"})
    assert response.status_code == 200
    data = response.json()
    assert data["method"] == method.upper()
    assert data["query"] == "q=1"
    assert echo_headers(data, "x") == ["y"]
    assert response.is_closed


def test_head_helper(server):
    response = httprs.head(server.url + "/bytes?size=42")
    assert response.status_code == 200
    assert response.headers["content-length"] == "42"
    assert response.content == b""


@pytest.mark.parametrize("method", ["post", "put", "patch"])
def test_body_helpers(server, method):
    helper = getattr(httprs, method)
    assert helper(server.url + "/echo", content=b"raw").json()["body"] == "raw"
    assert helper(server.url + "/echo", data={"a": "1"}).json()["body"] == "a=1"
    assert helper(server.url + "/echo", json={"a": 1}).json()["body"] == '{"a":1}'
    data = helper(server.url + "/echo", files={"f": ("f.txt", b"file")}).json()
    (content_type,) = echo_headers(data, "content-type")
    (part,) = parse_multipart(content_type, echo_body(data))
    assert (part["name"], part["filename"], part["data"]) == ("f", "f.txt", b"file")
    assert helper(server.url + "/echo").json()["method"] == method.upper()


def test_request_helper(server):
    response = httprs.request("PUT", server.url + "/echo", content=b"x", params={"a": "b"})
    assert response.json()["method"] == "PUT"
    assert response.json()["query"] == "a=b"
    assert response.request.method == "PUT"


def test_helpers_do_not_follow_redirects_by_default(server):
    assert httprs.get(server.url + "/redirect/1").status_code == 302
    response = httprs.get(server.url + "/redirect/2", follow_redirects=True)
    assert response.status_code == 200
    assert len(response.history) == 2


def test_helper_auth_cookies_and_timeout(server):
    data = httprs.get(server.url + "/echo", auth=("u", "p")).json()
    assert echo_headers(data, "authorization") == [basic_auth("u", "p")]
    assert httprs.get(server.url + "/cookies", cookies={"a": "1"}).json() == {"a": "1"}
    assert httprs.get(server.url + "/slow?delay=0.1", timeout=5).text == "ok"


def test_helper_cookies_are_not_shared_between_calls(server):
    httprs.get(server.url + "/set-cookie?leak=1")
    assert httprs.get(server.url + "/cookies").json() == {}


def test_stream_helper(server):
    with httprs.stream("GET", server.url + "/bytes?size=1000") as response:
        assert response.status_code == 200
        assert b"".join(response.iter_bytes(100)) == pattern(1000)
    assert response.is_closed


def test_helpers_exist_and_are_callable():
    for name in ["get", "post", "put", "patch", "delete", "head", "options", "request", "stream"]:
        assert callable(getattr(httprs, name))
