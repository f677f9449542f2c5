"""What a user's pytest run shows with the `httprs_mock` fixture: test modules written in a
temporary directory and run by pytest (pytester), with httprs's plugin loaded from its
`pytest11` entry point as in any project that installs httprs."""

import pytest

pytest_plugins = ["pytester"]


def run(pytester: pytest.Pytester, source: str) -> pytest.RunResult:
    pytester.makepyfile(test_user=source)
    return pytester.runpytest("-v", "-p", "no:cacheprovider", "--strict-markers")


def test_the_fixture_and_its_marker_come_with_httprs(pytester):
    result = run(
        pytester,
        """
        import httprs
        import pytest

        def test_sync(httprs_mock):
            httprs_mock.add_response(url="https://api.test/users", json=[{"id": 1}])
            assert httprs.get("https://api.test/users").json() == [{"id": 1}]

        @pytest.mark.anyio
        async def test_async(httprs_mock):
            httprs_mock.add_response(method="POST", match_json={"name": "x"}, status_code=201)
            async with httprs.AsyncClient() as client:
                response = await client.post("https://api.test/users", json={"name": "x"})
            assert response.status_code == 201

        @pytest.mark.httprs_mock(assert_all_responses_were_requested=False)
        def test_unused_response_on_purpose(httprs_mock):
            httprs_mock.add_response(url="https://api.test/never")

        def test_optional_response(httprs_mock):
            httprs_mock.add_response(url="https://api.test/never", is_optional=True)
        """,
    )
    # anyio's plugin runs the async test on asyncio and on trio.
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines_random(
        ["*::test_async?asyncio? PASSED*", "*::test_async?trio? PASSED*"]
    )


def test_an_unmatched_request_fails_the_test_and_its_teardown(pytester):
    result = run(
        pytester,
        """
        import httprs

        def test_user(httprs_mock):
            httprs_mock.add_response(url="https://api.test/users/1", json={"id": 1})
            httprs.get("https://api.test/users/2")
        """,
    )
    result.assert_outcomes(failed=1, errors=1)
    # pytest reports teardown errors before failures.
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_user*",
            "E   AssertionError: The following responses are mocked but not requested:",
            "    - Match any request on https://api.test/users/1",
            "*FAILURES*",
            '>*httprs.get("https://api.test/users/2")',
            "E *httprs*TimeoutException: No response can be found for GET request on "
            "https://api.test/users/2 amongst:",
            "E *- Match any request on https://api.test/users/1",
        ]
    )


def test_a_request_caught_unmatched_is_reported_at_teardown(pytester):
    result = run(
        pytester,
        """
        import httprs

        def test_user(httprs_mock):
            try:
                httprs.get("https://api.test/health")
            except httprs.TimeoutException:
                pass  # as a library's retry loop would swallow it
        """,
    )
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_user*",
            "E   AssertionError: The following requests were not expected:",
            "    - GET request on https://api.test/health",
            "    If this is on purpose, mark the test with "
            "@pytest.mark.httprs_mock(assert_all_requests_were_expected=False).",
        ]
    )


def test_a_response_never_requested_fails_at_teardown(pytester):
    result = run(
        pytester,
        """
        import httprs

        def test_user(httprs_mock):
            httprs_mock.add_response(url="https://api.test/a", text="a")
            httprs_mock.add_response(method="POST", url="https://api.test/b", match_json={"n": 1})
            assert httprs.get("https://api.test/a").text == "a"
        """,
    )
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ERROR at teardown of test_user*",
            "E   AssertionError: The following responses are mocked but not requested:",
            "    - Match POST request on https://api.test/b with {'n': 1} json body",
            "    If this is on purpose, pass is_optional=True to add_response, or mark the test "
            "with @pytest.mark.httprs_mock(assert_all_responses_were_requested=False).",
        ]
    )
    assert "https://api.test/a" not in result.stdout.str().split("ERROR at teardown")[1]


def test_a_wrong_marker_option_is_named(pytester):
    result = run(
        pytester,
        """
        import pytest

        @pytest.mark.httprs_mock(assert_all_called=False)
        def test_user(httprs_mock):
            pass
        """,
    )
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "E   TypeError: @pytest.mark.httprs_mock got unknown options ['assert_all_called']; "
            "the options are ['assert_all_responses_were_requested', "
            "'assert_all_requests_were_expected', 'can_send_already_matched_responses', "
            "'should_mock']"
        ]
    )
