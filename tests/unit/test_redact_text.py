"""The log-line redactor: secrets by header or field name, function environments, credentials
after an auth scheme; posture's own collection names and IAM actions untouched."""

from __future__ import annotations

import pytest

from scanner.redact import REDACTED, redact_text


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ("headers={'X-Amz-Security-Token': b'IQoJb3JpZ2luX2Vj'}", "IQoJb3JpZ2luX2Vj"),
        ("Authorization: SSWS 00aBcDeFgHiJkLmN", "00aBcDeFgHiJkLmN"),
        ("authorization: Bearer eyJhbGciOi.eyJzdWIi.c2ln", "eyJhbGciOi"),
        ('b\'{"SecretString":"hunter2-value"}\'', "hunter2-value"),
        ('{"Environment": {"Variables": {"STAGE": "prod-db-pw"}}}', "prod-db-pw"),
        ("POST /token?client_secret=s3cr3t-v4lue&x=1", "s3cr3t-v4lue"),
        ("key AKIAIOSFODNN7EXAMPLE secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtn"),
    ],
)
def test_secrets_in_log_lines_are_redacted(line: str, secret: str) -> None:
    cleaned = redact_text(line)
    assert secret not in cleaned and REDACTED in cleaned


@pytest.mark.parametrize(
    "line",
    [
        "aws.secretsmanager.secrets: access_denied (needs secretsmanager:ListSecrets)",
        "okta.api_tokens: error (needs okta.apiTokens.read)",
        "Okta rate limit nearly used (3 left): pausing 12s",
    ],
)
def test_posture_own_lines_are_untouched(line: str) -> None:
    assert redact_text(line) == line


def test_a_logged_traceback_is_redacted_too() -> None:
    import io
    import logging

    from scanner import logs

    stream = io.StringIO()
    logs.configure(logging.WARNING, logs.LogFormat.TEXT, stream)
    try:
        raise RuntimeError("Authorization: SSWS 00aBcDeFgHiJkLmN was refused")
    except RuntimeError:
        logging.getLogger("posture.test").warning("job failed", exc_info=True)
    text = stream.getvalue()
    assert "job failed" in text and "RuntimeError" in text
    assert "00aBcDeFgHiJkLmN" not in text and REDACTED in text
