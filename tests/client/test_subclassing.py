"""The public classes behave like Python classes: subclasses with their own ``__init__``,
mixins, and overridden methods that the client honours (as code built on httpx does).

Every client test runs on ``sync``, ``async-asyncio`` and ``async-trio`` (tests/drivers.py),
against the test app over a real socket.
"""

from __future__ import annotations

import copy
import pickle

import httprs
import pytest

from tests.drivers import ClientDriver, anyio_backend_fixture, driver_fixture, variant_fixture  # noqa: F401
from tests.support.helpers import echo_headers

pytestmark = [pytest.mark.network, pytest.mark.anyio]


class Tagged:
    """A plain mixin: its methods and attributes sit beside the client's."""

    def tag(self) -> str:
        return f"tagged:{type(self).__name__}"


class APIError(httprs.Response, Exception):
    """An SDK's error that is a response (module level: pickle finds classes by name)."""

    def __init__(self, message: str, **kwargs):
        self.message = message
        super().__init__(418, **kwargs)


def sdk_client(driver):
    """A client class as SDKs write them: its own ``__init__`` taking its own arguments."""

    class SDKClient(Tagged, driver.client_class):
        def __init__(self, api_key: str, **kwargs):
            self.api_key = api_key
            headers = {"Authorization": f"Bearer {api_key}", **kwargs.pop("headers", {})}
            super().__init__(headers=headers, **kwargs)

    return SDKClient


async def test_a_subclass_with_its_own_init_sends_with_its_settings(driver, server):
    cls = sdk_client(driver)
    client = cls("k-123", base_url=server.url, timeout=5)
    assert isinstance(client, driver.client_class)
    assert client.api_key == "k-123"
    assert client.tag() == "tagged:SDKClient"
    assert client.timeout == httprs.Timeout(5)
    async with ClientDriver(client, driver.is_async) as c:
        response = await c.get("/echo")
    assert response.status_code == 200
    assert echo_headers(response.json(), "authorization") == ["Bearer k-123"]


async def test_unknown_arguments_are_a_type_error_naming_them(driver):
    name = driver.client_class.__name__
    with pytest.raises(
        TypeError, match=rf"^{name}.__init__\(\) got an unexpected keyword argument 'verify_ssl'"
    ):
        driver.client_class(verify_ssl=False)
    with pytest.raises(TypeError, match="positional argument"):
        driver.client_class("http://example.org")


async def test_a_subclass_that_skips_super_init_says_so(driver, server):
    class Forgetful(driver.client_class):
        def __init__(self):
            pass

    client = Forgetful()
    with pytest.raises(AttributeError, match=r"must call super\(\).__init__\(\)"):
        client.timeout  # noqa: B018


async def test_an_overridden_send_is_called_by_the_verbs(driver, server):
    sent = []
    if driver.is_async:

        class Recording(driver.client_class):
            async def send(self, request, **kwargs):
                sent.append((request.method, str(request.url), kwargs))
                return await super().send(request, **kwargs)
    else:

        class Recording(driver.client_class):
            def send(self, request, **kwargs):
                sent.append((request.method, str(request.url), kwargs))
                return super().send(request, **kwargs)

    async with ClientDriver(Recording(), driver.is_async) as c:
        first = await c.get(server.url + "/echo")
        second = await c.post(server.url + "/echo", content=b"hi", follow_redirects=True)
    assert (first.status_code, second.status_code) == (200, 200)
    assert sent == [
        ("GET", server.url + "/echo", {}),
        ("POST", server.url + "/echo", {"follow_redirects": True}),
    ]


async def test_an_overridden_send_is_called_by_stream(driver, server):
    """As httpx's ``stream()``: ``send(request=..., stream=True, ...)`` on entering, and the
    response it returns is the one the block gets and the one closed on leaving."""
    sent = []

    class Marked(httprs.Response):
        pass

    def mark(response):
        marked = Marked.__new__(Marked)
        marked.__dict__.update(response.__dict__)
        return marked

    if driver.is_async:

        class Recording(driver.client_class):
            async def send(self, request, **kwargs):
                sent.append((request.method, sorted(["request", *kwargs])))
                return mark(await super().send(request, **kwargs))
    else:

        class Recording(driver.client_class):
            def send(self, request, **kwargs):
                sent.append((request.method, sorted(["request", *kwargs])))
                return mark(super().send(request, **kwargs))

    async with ClientDriver(Recording(), driver.is_async) as c:
        async with c.stream("GET", server.url + "/echo") as response:
            assert isinstance(response, Marked)
            assert not response.is_closed
            body = await c.read(response)
    assert body.startswith(b"{")
    assert response.is_closed
    assert sent == [("GET", ["request", "stream"])]


async def test_an_overridden_request_is_called_by_the_verbs(driver, server):
    seen = []
    if driver.is_async:

        class Recording(driver.client_class):
            async def request(self, method, url, **kwargs):
                seen.append((method, url, sorted(kwargs)))
                return await super().request(method, url, **kwargs)
    else:

        class Recording(driver.client_class):
            def request(self, method, url, **kwargs):
                seen.append((method, url, sorted(kwargs)))
                return super().request(method, url, **kwargs)

    async with ClientDriver(Recording(), driver.is_async) as c:
        response = await c.put(server.url + "/echo", json={"a": 1}, headers={"X-A": "1"})
    assert response.status_code == 200
    assert seen == [("PUT", server.url + "/echo", ["headers", "json"])]


async def test_a_transport_subclass_with_its_own_init_and_handler(driver, server):
    handled = []
    if driver.is_async:

        class Logging(httprs.AsyncHTTPTransport):
            def __init__(self, log, **kwargs):
                self.log = log
                super().__init__(**kwargs)

            async def handle_async_request(self, request):
                self.log.append(str(request.url))
                return await super().handle_async_request(request)
    else:

        class Logging(httprs.HTTPTransport):
            def __init__(self, log, **kwargs):
                self.log = log
                super().__init__(**kwargs)

            def handle_request(self, request):
                self.log.append(str(request.url))
                return super().handle_request(request)

    async with driver.client(transport=Logging(handled, retries=1)) as c:
        response = await c.get(server.url + "/echo")
    assert response.status_code == 200
    assert handled == [server.url + "/echo"]


def test_request_and_response_subclasses_with_their_own_init():
    class JSONResponse(Tagged, httprs.Response):
        def __init__(self, data, **kwargs):
            self.data = data
            super().__init__(201, json=data, **kwargs)

    class Upload(httprs.Request):
        def __init__(self, path: str, body: bytes):
            super().__init__("POST", "https://example.org" + path, content=body)

    response = JSONResponse({"a": 1})
    assert (response.status_code, response.json(), response.data) == (201, {"a": 1}, {"a": 1})
    assert response.headers["content-type"] == "application/json"
    assert response.tag() == "tagged:JSONResponse"
    request = Upload("/files", b"abc")
    assert (request.method, str(request.url), request.content) == (
        "POST",
        "https://example.org/files",
        b"abc",
    )
    assert request.headers["content-length"] == "3"
    with pytest.raises(TypeError, match="status_code"):
        httprs.Response()


async def test_a_response_subclass_that_is_also_an_exception(driver, server):
    """SDKs define errors that are responses: ``class APIError(Response, Exception)``. It
    can be made, raised, caught, copied and pickled; a transport may return one, and the
    client hands that very object back."""
    error = APIError("teapot", json={"error": "short and stout"})
    assert isinstance(error, Exception)
    with pytest.raises(APIError) as caught:
        raise error
    assert caught.value.json() == {"error": "short and stout"}
    for clone in (copy.copy(error), copy.deepcopy(error), pickle.loads(pickle.dumps(error))):
        assert type(clone) is APIError
        assert (clone.status_code, clone.message, clone.content) == (418, "teapot", error.content)
    clone = copy.copy(error)
    clone.status_code = 500
    assert error.status_code == 418, "a copy has a core of its own"

    def handler(request):
        return APIError("from the transport", content=b"no", request=request)

    async with driver.client(transport=httprs.MockTransport(handler)) as c:
        response = await c.get(server.url + "/anything")
    assert type(response) is APIError
    assert (response.message, response.content, str(response.url)) == (
        "from the transport",
        b"no",
        server.url + "/anything",
    )
    with pytest.raises(httprs.HTTPStatusError) as raised:
        response.raise_for_status()
    assert raised.value.response is response


async def test_a_request_subclass_that_is_also_an_exception_is_sent(driver, server):
    class Retryable(httprs.Request, Exception):
        pass

    request = Retryable("GET", server.url + "/echo")
    seen = []

    def hook(request):
        seen.append(request)

    async with driver.client(event_hooks={"request": [driver.hook(hook)]}) as c:
        response = await c.send(request)
    assert response.status_code == 200
    assert seen == [request]
    assert response.request is request


def test_response_and_request_properties_behave_as_properties():
    """`Response` / `Request` properties read their core through C (`_models.py`), and stay
    properties: class access, docstrings, setters, refused writes and `del`, a subclass's
    override and its `super()` call are what a `@property` gives."""
    prop = httprs.Response.__dict__["status_code"]
    assert isinstance(prop, property)
    assert httprs.Response.status_code is prop
    assert prop.__doc__ == "The status code: `200`, `404`... (settable)."
    assert httprs.Response.content.__doc__ == (
        "The decoded body (`ResponseNotRead` before `read()` on a streamed response)."
    )

    response = httprs.Response(200, content=b"abc", request=httprs.Request("GET", "http://h/x"))
    assert (response.status_code, response.content, response.text) == (200, b"abc", "abc")
    assert (response.http_version, response.reason_phrase, response.is_success) == (
        "HTTP/1.1",
        "OK",
        True,
    )
    assert response.url == "http://h/x"
    response.status_code = 404
    assert (response.status_code, response.is_success, response.reason_phrase) == (
        404,
        False,
        "Not Found",
    )
    with pytest.raises(
        AttributeError, match="property 'content' of 'Response' object has no setter"
    ):
        response.content = b"x"  # type: ignore[misc]
    with pytest.raises(
        AttributeError, match="property 'content' of 'Response' object has no deleter"
    ):
        del response.content  # type: ignore[misc]
    assert "content" not in vars(response)
    with pytest.raises(
        AttributeError, match="property 'status_code' of 'Response' object has no deleter"
    ):
        del response.status_code

    class Overriding(httprs.Response):
        @property
        def status_code(self) -> int:
            return super().status_code + 1

        @property
        def text(self) -> str:
            return "overridden"

    mine = Overriding(201, content=b"body")
    assert (mine.status_code, mine.text, mine.content) == (202, "overridden", b"body")

    bare = httprs.Response.__new__(httprs.Response)
    with pytest.raises(AttributeError, match="_core"):
        bare.status_code  # noqa: B018

    request = httprs.Request("get", "http://h/y", content=b"q")
    assert (request.method, request.url, request.content) == ("GET", "http://h/y", b"q")
    request.method = "POST"
    assert request.method == "POST"
    assert httprs.Request.url.__doc__ == "The URL (settable)."
    with pytest.raises(
        AttributeError, match="property 'content' of 'Request' object has no setter"
    ):
        request.content = b"x"  # type: ignore[misc]
