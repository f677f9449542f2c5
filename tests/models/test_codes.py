import enum

import httprs
import pytest
from httprs import codes


def test_is_an_int_enum():
    assert issubclass(codes, enum.IntEnum)
    assert codes.OK == 200
    assert isinstance(codes.OK, int)
    assert codes.NOT_FOUND.name == "NOT_FOUND"
    assert codes.NOT_FOUND.value == 404
    assert repr(codes.OK) == "<codes.OK: 200>"


def test_str_is_the_number():
    assert str(codes.NOT_FOUND) == "404"
    assert f"{codes.OK}" == "200"


def test_lookup_by_value_and_name():
    assert codes(404) is codes.NOT_FOUND
    assert codes["NOT_FOUND"] is codes.NOT_FOUND
    with pytest.raises(ValueError):
        codes(999)


def test_lowercase_aliases():
    assert codes.not_found == 404
    assert codes.ok == 200
    assert codes.internal_server_error == 500


def test_phrase_attribute():
    assert codes.CONTINUE.phrase == "Continue"
    assert codes.IM_A_TEAPOT.phrase == "I'm a teapot"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CONTINUE", 100),
        ("EARLY_HINTS", 103),
        ("MULTI_STATUS", 207),
        ("IM_USED", 226),
        ("PERMANENT_REDIRECT", 308),
        ("REQUEST_ENTITY_TOO_LARGE", 413),
        ("IM_A_TEAPOT", 418),
        ("MISDIRECTED_REQUEST", 421),
        ("UNPROCESSABLE_ENTITY", 422),
        ("TOO_EARLY", 425),
        ("UNAVAILABLE_FOR_LEGAL_REASONS", 451),
        ("NETWORK_AUTHENTICATION_REQUIRED", 511),
    ],
)
def test_member_values(name, value):
    assert codes[name] == value


def test_full_set_of_values():
    assert sorted({member.value for member in codes}) == [
        100, 101, 102, 103,
        200, 201, 202, 203, 204, 205, 206, 207, 208, 226,
        300, 301, 302, 303, 304, 305, 307, 308,
        400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415,
        416, 417, 418, 421, 422, 423, 424, 425, 426, 428, 429, 431, 451,
        500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
    ]  # fmt: skip


def test_get_reason_phrase():
    assert codes.get_reason_phrase(404) == "Not Found"
    assert codes.get_reason_phrase(200) == "OK"
    assert codes.get_reason_phrase(999) == ""


def test_classifiers():
    assert codes.is_informational(100)
    assert codes.is_success(200)
    assert codes.is_success(299)
    assert not codes.is_success(300)
    assert codes.is_redirect(301)
    assert codes.is_client_error(404)
    assert codes.is_server_error(503)
    assert codes.is_error(404)
    assert codes.is_error(500)
    assert not codes.is_error(200)


def test_codes_is_exported_at_top_level():
    assert httprs.codes is codes
