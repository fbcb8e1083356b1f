"""The one RFC 3339 parser, and each provider's reading of it (what it accepts, what junk gives)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from providers.aws.collectors.iam import parse_credential_report
from providers.azuread.parse import when
from providers.gcp.parse import timestamp
from scanner.timestamps import parse_timestamp, utc_timestamp

NOON = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-05-01T12:00:00Z", NOON),
        ("2024-05-01T12:00:00+00:00", NOON),
        ("2024-05-01T12:00:00.5Z", NOON.replace(microsecond=500_000)),
        ("2024-05-01T12:00:00.1234567Z", NOON.replace(microsecond=123_456)),  # Graph
        ("2024-05-01T12:00:00.123456789Z", NOON.replace(microsecond=123_456)),  # Google
        ("2024-05-01T12:00:00.9999999Z", NOON.replace(microsecond=999_999)),  # truncated
        (
            "2024-05-01T14:00:00.25+02:00",
            datetime(2024, 5, 1, 14, 0, 0, 250_000, tzinfo=timezone(timedelta(hours=2))),
        ),
    ],
)
def test_rfc3339_forms(text: str, expected: datetime) -> None:
    assert parse_timestamp(text) == expected
    assert utc_timestamp(text) == expected


def test_naive_is_kept_naive_or_read_as_utc() -> None:
    assert parse_timestamp("2024-05-01T12:00:00").tzinfo is None
    assert utc_timestamp("2024-05-01T12:00:00") == NOON


@pytest.mark.parametrize("junk", ["", "junk", "2024-13-01T00:00:00Z", "yesterday"])
def test_junk(junk: str) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(junk)
    assert utc_timestamp(junk) is None


def test_gcp_reads_anything_falsy_or_unparseable_as_none() -> None:
    assert timestamp("2024-05-01T12:00:00.123456789Z") == NOON.replace(microsecond=123_456)
    assert timestamp("2024-05-01T12:00:00") == NOON
    for value in (None, "", 0, "junk", 5):
        assert timestamp(value) is None


def test_graph_never_and_non_strings_are_none() -> None:
    assert when("2024-05-01T12:00:00.1234567Z") == NOON.replace(microsecond=123_456)
    assert when("2024-05-01T12:00:00") == NOON
    for value in (None, "", 0, "junk", "0001-01-01T00:00:00Z"):
        assert when(value) is None
    # an offset is kept (the old copy took its digits for fractional seconds)
    assert when("2024-05-01T14:00:00.5+02:00") == NOON.replace(microsecond=500_000)


_HEADER = (
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,"
    "mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_2_active,"
    "access_key_2_last_rotated\n"
)


def test_aws_credential_report_times_and_markers() -> None:
    row = "bob,arn:aws:iam::1:user/bob,2024-05-01T12:00:00+00:00,true,no_information,N/A,"
    row += "false,false,N/A,false,not_supported\n"
    (user,) = parse_credential_report(_HEADER + row)
    assert user.created == NOON
    assert user.password_last_used is None and user.password_last_changed is None


def test_aws_credential_report_refuses_a_malformed_time() -> None:
    row = "bob,arn:aws:iam::1:user/bob,last tuesday,true,N/A,N/A,false,false,N/A,false,N/A\n"
    with pytest.raises(ValueError):
        parse_credential_report(_HEADER + row)
