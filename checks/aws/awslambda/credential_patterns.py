"""Recognising credentials in environment variables, by the variable's name or its value.

Pure functions; callers report which variable matched and why, never the value.
"""

from __future__ import annotations

import re

_NAME_WORDS = re.compile(
    r"(PASSWORD|PASSWD|PASSPHRASE|PWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|"
    r"CREDENTIALS?|AUTH_?KEY|SIGNING_?KEY|ENCRYPTION_?KEY|CLIENT_?SECRET|CONN(ECTION)?_?STR(ING)?)",
)
# Names that describe where a secret is or what it looks like, not the secret itself.
_REFERENCE_SUFFIX = re.compile(
    r"_(ARN|NAME|ID|PATH|PARAM|PARAMETER|SSM|URL|URI|ENDPOINT|HOST|TTL|EXPIRY|EXPIRES|"
    r"LENGTH|TYPE|FILE|REGION|HEADER|FIELD|KEY_ID|VERSION|ENABLED|TIMEOUT|SECONDS|MINUTES)$"
)
_REFERENCE_VALUE = re.compile(
    r"^(arn:aws[a-z-]*:|\{\{resolve:|ssm:|secretsmanager:|/aws/reference/|/)", re.IGNORECASE
)
_PLAIN_SCALAR = re.compile(r"^(-?\d+(\.\d+)?|true|false|yes|no|on|off|none|null)$", re.IGNORECASE)

VALUE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("AWS access key id", re.compile(r"\b(AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b")),
    ("private key", re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----")),
    ("GitHub token", re.compile(r"\b(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{20,})")),
    ("Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("Stripe live key", re.compile(r"\b[sr]k_live_[0-9A-Za-z]{16,}")),
    ("Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("SendGrid key", re.compile(r"\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}")),
    ("JWT", re.compile(r"\beyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]+")),
    ("password in URL", re.compile(r"[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@", re.IGNORECASE)),
    ("password in connection string", re.compile(r"(?i)\b(password|pwd)\s*=\s*[^;&\s]+")),
)
_AWS_SECRET_KEY = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")


def _mixed(text: str) -> bool:
    return (
        any(c.isdigit() for c in text)
        and any(c.isupper() for c in text)
        and any(c.islower() for c in text)
    )


def value_kind(value: str) -> str | None:
    """What kind of credential the value looks like, None when it does not look like one."""
    for label, pattern in VALUE_PATTERNS:
        if pattern.search(value):
            return label
    if any(_mixed(m.group(0)) for m in _AWS_SECRET_KEY.finditer(value)):
        return "AWS secret access key"
    return None


def name_suggests_secret(name: str) -> bool:
    upper = name.upper().replace("-", "_")
    return bool(_NAME_WORDS.search(upper)) and not _REFERENCE_SUFFIX.search(upper)


def holds_literal(value: str) -> bool:
    """A value that could be the secret itself: not empty, a reference, or a plain scalar."""
    text = value.strip()
    return bool(text) and not _REFERENCE_VALUE.match(text) and not _PLAIN_SCALAR.match(text)


def detect(name: str, value: str) -> str | None:
    """Why this variable looks like a plaintext credential, None when it does not."""
    kind = value_kind(value)
    if kind is not None:
        return f"value matches the {kind} pattern"
    if name_suggests_secret(name) and holds_literal(value):
        return "name suggests a secret and it holds a literal value"
    return None
