"""Evidence keys that name a secret-ish thing but hold metadata about it keep their values:
an auditor reads when the credential report was made and whether secret scanning is on."""

from __future__ import annotations

from scanner.redact import REDACTED, redact

METADATA = {
    "credential_report_generated": "2026-12-07T01:08:22+00:00",
    "credential_kind": "access key 1",
    "secret_scanning": "disabled",
    "secret_scanning_push_protection": "enabled",
    "password_last_used": "2026-11-30T10:00:00+00:00",
}
SECRETS = {
    "password": "hunter2-but-longer",
    "client_secret": "abc",
    "DB_PASSWORD": "x",
    "session_token": "FwoGZXIvYXdzE",
}


def test_metadata_about_secrets_is_kept() -> None:
    assert redact(METADATA) == METADATA


def test_secrets_are_redacted() -> None:
    assert redact(SECRETS) == dict.fromkeys(SECRETS, REDACTED)
