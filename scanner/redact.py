"""A last line of defence: secret-looking values never leave the process in evidence.

Checks choose the fields they put in evidence; this catches a mistake before output.
"""

from __future__ import annotations

import re

from pydantic import JsonValue

REDACTED = "***redacted***"

_SECRET_KEY = re.compile(
    r"(secret|password|passwd|pwd|token|private[_-]?key|credential|seed|api[_-]?key|session)",
    re.IGNORECASE,
)
# Names that contain a secret-ish word but describe metadata about it, not the secret.
_METADATA_SUFFIX = re.compile(
    r"(_id|_ids|_name|_names|_count|_at|_date|_days|_age|_enabled|_present|_used|_type|"
    r"_status|_policy|_variables|_variable|_keys|_last_used|_rotated|_length|_generated|"
    r"_kind|_scanning|_protection)$",
    re.IGNORECASE,
)
_AWS_SECRET_KEY = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])")
_SECRET_VALUE = [
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"\b(ghp|gho|xox[abpr])[-_A-Za-z0-9]{10,}"),
    re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+"),  # JWTs
]


def _mixed(text: str) -> bool:
    return (
        any(c.isdigit() for c in text)
        and any(c.isupper() for c in text)
        and any(c.islower() for c in text)
    )


def _looks_secret(value: str) -> bool:
    if any(_mixed(m.group(0)) for m in _AWS_SECRET_KEY.finditer(value)):
        return True
    return any(p.search(value) for p in _SECRET_VALUE)


def redact(value: JsonValue, key: str = "") -> JsonValue:
    if isinstance(value, dict):
        return {k: redact(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, key) for v in value]
    if isinstance(value, str):
        if key and _SECRET_KEY.search(key) and not _METADATA_SUFFIX.search(key):
            return REDACTED
        if _looks_secret(value):
            return REDACTED
    return value


# ---- free text (log lines) ---------------------------------------------------------------------

_SENSITIVE_HEADER = (
    r"(?:authorization|proxy-authorization|cookie|set-cookie|x-amz-security-token|"
    r"x-api-key|x-posture-signature)"
)
# Not part of a dotted or hyphenated name (aws.secretsmanager.secrets, okta.api_tokens are
# collection names, not fields).
_SENSITIVE_NAME = (
    rf"(?<![\w.-])(?:{_SENSITIVE_HEADER}|ssws|[\w-]*"
    r"(?:secret|password|passwd|token|credential|api[_-]?key|private[_-]?key|session)[\w-]*)"
)
_QUOTED_PAIR = re.compile(
    rf"""(?P<key>(?P<q>["'])?{_SENSITIVE_NAME}(?P=q)?\s*[:=]\s*b?)(?P<vq>["'])(?P<value>.*?)(?P=vq)""",
    re.IGNORECASE,
)
# `name=value`, `Name: value`, and a header as SigV4's canonical request logs it (`name:value`);
# other names need the space after a colon, so IAM actions (secretsmanager:ListSecrets) survive.
_BARE_PAIR = re.compile(
    rf"(?P<key>(?<![\w.-]){_SENSITIVE_HEADER}\s*:\s*|{_SENSITIVE_NAME}\s*(?:=\s*|:\s+))"
    r"(?P<value>[^\s,;'\"}\]]+)",
    re.IGNORECASE,
)
_ENVIRONMENT_BLOCK = re.compile(r"""(["']Variables["']\s*:\s*)\{[^{}]*\}""", re.IGNORECASE)
_BEARER = re.compile(r"\b(Bearer|Basic|SSWS|AWS4-HMAC-SHA256)\s+[^\s,'\"]+", re.IGNORECASE)


def redact_text(text: str) -> str:
    """A log line with secret-looking values replaced: header and field values by name
    (Authorization, X-Amz-Security-Token, *token*, *secret*...), function environments
    whole (their values are secrets by nature), credentials after an auth scheme, and values
    shaped like keys or JWTs wherever they are."""
    text = _ENVIRONMENT_BLOCK.sub(rf"\1{{{REDACTED!r}: {REDACTED!r}}}", text)
    text = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", text)
    text = _QUOTED_PAIR.sub(lambda m: f"{m['key']}{m['vq']}{REDACTED}{m['vq']}", text)
    text = _BARE_PAIR.sub(lambda m: f"{m['key']}{REDACTED}", text)
    text = _AWS_SECRET_KEY.sub(lambda m: REDACTED if _mixed(m.group(0)) else m.group(0), text)
    for pattern in _SECRET_VALUE:
        text = pattern.sub(REDACTED, text)
    return text
